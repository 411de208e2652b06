//! Reading files for the library crates: the file-system `SourceLoader`, with a cache so that
//! diagnostics can quote the lines they point at.

use kith_instrument::survey::{SourceLoader, normalize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads files from disk and remembers their text.
#[derive(Debug, Default)]
pub struct FsLoader {
    texts: RefCell<HashMap<PathBuf, String>>,
}

impl SourceLoader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        let key = normalize(path);
        if let Some(text) = self.texts.borrow().get(&key) {
            return Ok(text.clone());
        }
        let bytes = std::fs::read(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
        self.texts.borrow_mut().insert(key, text.clone());
        Ok(text)
    }
}

impl FsLoader {
    /// The text of line `line` (1-based) of a file already read.
    pub fn line(&self, file: &str, line: usize) -> Option<String> {
        let texts = self.texts.borrow();
        let text = texts.get(&normalize(Path::new(file)))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        text.lines()
            .nth(line.checked_sub(1)?)
            .map(|l| l.replace('\t', " "))
    }
}

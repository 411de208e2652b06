//! Reading files for the library crates: the file-system `SourceLoader`, with a cache so that
//! diagnostics can quote the lines they point at, and bounded reads of every file kith opens.
//!
//! Every file is read only when it is a regular file (a FIFO would block forever and a device
//! such as `/dev/zero` never ends), text files only up to a size limit, and data files checked
//! for having changed while they were read: a file truncated or appended to by another program
//! mid-read is refused rather than half scored.

use kith_analysis::study::StudyFiles;
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
        let text = read_text(path)?;
        self.texts.borrow_mut().insert(key, text.clone());
        Ok(text)
    }
}

/// The study pipeline reads the plan's survey through the same cache (so its diagnostics can
/// quote their lines) and its data files with the same bounded, change-checked read.
impl StudyFiles for FsLoader {
    fn read_data(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        read_file(path, None)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
}

/// The largest YAML or JSON file kith reads (instruments, surveys, plans, models, maps,
/// results): far above any real one, far below what would strain memory.
pub const TEXT_FILE_LIMIT: u64 = 16 * 1024 * 1024;

/// Why a file was not read, besides the operating system's own errors.
fn refusal(kind: std::io::ErrorKind, message: String) -> std::io::Error {
    std::io::Error::new(kind, message)
}

/// Reads a regular file whole, up to `limit` bytes, and refuses it when it changed while it
/// was read (its length or modification time differ after the read, or fewer bytes arrived).
pub fn read_file(path: &Path, limit: Option<u64>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Opening a FIFO for reading blocks until a writer comes, so look before opening.
    if !std::fs::metadata(path)?.is_file() {
        return Err(refusal(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file (a folder, device or pipe)".to_string(),
        ));
    }
    let mut file = std::fs::File::open(path)?;
    let before = file.metadata()?;
    let expected = before.len();
    if let Some(limit) = limit
        && expected > limit
    {
        return Err(refusal(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it has {expected} bytes, more than the {limit} kith reads from a file of this kind"
            ),
        ));
    }
    let cap = limit.unwrap_or(u64::MAX).min(expected.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    // One byte past the expected length is read, so that a file that grew is noticed.
    (&mut file).take(cap).read_to_end(&mut bytes)?;
    let after = file.metadata()?;
    let read = bytes.len() as u64;
    if read != expected
        || after.len() != expected
        || after.modified().ok() != before.modified().ok()
    {
        return Err(refusal(
            std::io::ErrorKind::Other,
            format!(
                "the file changed while it was read ({expected} bytes when opened, {read} read, {} now); another program is writing it",
                after.len()
            ),
        ));
    }
    Ok(bytes)
}

/// Reads a text file (YAML, JSON) through [`read_file`] with [`TEXT_FILE_LIMIT`].
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = read_file(path, Some(TEXT_FILE_LIMIT))?;
    String::from_utf8(bytes).map_err(|_| {
        refusal(
            std::io::ErrorKind::InvalidData,
            "the file is not UTF-8 text".to_string(),
        )
    })
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

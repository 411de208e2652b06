//! What a survey's includes may name, and the walk through a file and its includes: each file
//! read once, only YAML files, a bounded number of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The most files one check reads: a survey of surveys of instruments needs a few dozen.
pub const MAX_FILES: usize = 500;

/// The state of a walk through a file and its includes.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// The files being checked, outermost first, to find circular includes.
    pub(crate) stack: Vec<PathBuf>,
    /// Every file included so far, with the file that included it first. Each file is read,
    /// parsed and checked once, so a chain of files that include the next one twice costs as
    /// much as a chain of single includes.
    included: HashMap<PathBuf, String>,
}

impl Walk {
    /// Why `target` (written `include` in the file at `from`) may not be read, as a diagnostic's
    /// code, message and hint; otherwise it is recorded as included and None comes back.
    pub(crate) fn refuse(
        &mut self,
        target: &Path,
        include: &str,
        from: &Path,
    ) -> Option<(&'static str, String, String)> {
        if !is_yaml_name(target) {
            return Some((
                "include-not-yaml",
                format!("the included file `{include}` is not a YAML file"),
                "include instrument and survey files, whose names end in .yaml or .yml".to_string(),
            ));
        }
        if let Some(first) = self.included.get(target) {
            return Some((
                "duplicate-include",
                format!("`{include}` is included a second time (first by `{first}`)"),
                "each file's items can appear once in a survey; remove this block, or copy the instrument under another id for a second measurement".to_string(),
            ));
        }
        if self.included.len() >= MAX_FILES {
            return Some((
                "too-many-includes",
                format!("the survey includes more than {MAX_FILES} files"),
                "a survey of this size is probably a mistake; check the includes for a runaway chain".to_string(),
            ));
        }
        self.included
            .insert(target.to_path_buf(), from.display().to_string());
        None
    }
}

/// Whether an included file's name says it is YAML: kith reads no other file for an include,
/// so an include cannot make it read (and quote back) a file that is not one of its own.
fn is_yaml_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

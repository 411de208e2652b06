//! The one error of reading and writing labelled files: which file, which variable, which byte
//! offset, what is wrong and what to do about it (the hint is data; the binary renders it).

use std::fmt;

/// A labelled file that cannot be read or a dataset that cannot be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct LabelledError {
    /// The file, as the user named it.
    pub file: String,
    /// The variable the problem is in, when it is in one.
    pub variable: Option<String>,
    /// The byte offset in the file where the problem was found, when reading.
    pub offset: Option<u64>,
    pub message: String,
    pub hint: String,
}

impl LabelledError {
    /// A problem at a place in the file, not in one variable.
    pub fn file(
        source: &str,
        offset: u64,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        LabelledError {
            file: source.to_string(),
            variable: None,
            offset: Some(offset),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A problem of one variable, found at a place in the file (or while writing, at none).
    pub fn variable(
        source: &str,
        variable: &str,
        offset: Option<u64>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        LabelledError {
            file: source.to_string(),
            variable: Some(variable.to_string()),
            offset,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(self.hint.clone())
    }
}

impl fmt::Display for LabelledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.file)?;
        match (&self.variable, self.offset) {
            (Some(variable), Some(offset)) => {
                write!(f, ", variable `{variable}` at byte {offset}")?
            }
            (Some(variable), None) => write!(f, ", variable `{variable}`")?,
            (None, Some(offset)) => write!(f, " at byte {offset}")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)
    }
}

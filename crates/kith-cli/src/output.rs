//! Where a command's text goes: a file, written whole or not at all, or standard output.

use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Writes `text` to `output`, or to stdout when there is none.
pub fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => crate::atomic::write_bytes(path, text.as_bytes()),
        None => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

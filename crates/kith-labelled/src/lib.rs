//! SPSS (`.sav`, `.zsav`) and Stata (`.dta`, formats 117–119) files for kith: labelled columns
//! read and written with their variable labels, value labels and user-missing values.
//!
//! The crate takes and returns bytes and values: the caller reads and writes the files. Every
//! length a file declares is checked against the bytes that are really there before anything is
//! allocated for it, so a hostile or truncated file gives a [`LabelledError`] naming the file,
//! the variable and the byte offset, never a panic or an allocation sized by its header.
//!
//! SPSS files are decoded and encoded by the `ambers` crate, after kith's own walk of the
//! file's records (`sav::layout`); Stata files by kith's own reader and writer (`dta`), because
//! no maintained crate writes Stata value labels.

mod dataset;
mod dta;
mod error;
mod metadata;
mod sav;

pub use dataset::{
    Column, ColumnMeta, Dataset, FileKind, MISSING_CODE, Measure, ReadFile, UserMissing, Values,
};
pub use error::LabelledError;
pub use metadata::{FormMetadata, describe_form};
use std::collections::HashSet;

/// The labelled formats kith writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFormat {
    /// SPSS `.sav`, bytecode-compressed (what SPSS writes by default).
    Sav,
    /// SPSS `.zsav`, zlib-compressed blocks.
    Zsav,
    /// Stata `.dta` format 118 (Stata 14 and later, UTF-8).
    Dta,
}

/// The labelled format a file's first bytes show, if any: kith tells labelled files by their
/// content, not only by their name.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"$FL2") || bytes.starts_with(b"$FL3") {
        Some(FileKind::Spss)
    } else if bytes.starts_with(b"<stata_dta>") {
        Some(FileKind::Stata)
    } else if bytes.len() > 4
        && (102..=116).contains(&bytes[0])
        && matches!(bytes[1], 1 | 2)
        && bytes[2] == 1
    {
        // Stata 12 and older files start with their format number, byte order and file type.
        Some(FileKind::Stata)
    } else {
        None
    }
}

/// Reads an SPSS or Stata file: its columns with user-missing values already set to missing,
/// and how many there were in each column.
pub fn read(source: &str, bytes: &[u8]) -> Result<ReadFile, LabelledError> {
    read_compact(source, bytes, &HashSet::new())
}

/// Reads a file as [`read`] does, keeping the numeric columns named in `compact` as 16-bit
/// `Codes` while their values fit (answer codes: a quarter of the memory of numbers).
pub fn read_compact(
    source: &str,
    bytes: &[u8],
    compact: &HashSet<String>,
) -> Result<ReadFile, LabelledError> {
    match sniff(bytes) {
        Some(FileKind::Spss) => sav::read(source, bytes, compact),
        Some(FileKind::Stata) => dta::read(source, bytes, compact),
        None => Err(LabelledError::file(
            source,
            0,
            "the file is neither an SPSS system file nor a Stata .dta file (its first bytes are not `$FL2`, `$FL3` or `<stata_dta>`)",
            "export the data again from SPSS (File › Save As › .sav) or Stata (`save`), or name a CSV file .csv",
        )),
    }
}

/// Writes a dataset in a labelled format. It takes the dataset by value and lets each column
/// go once it is encoded, so that a table is held about once, not twice, at the peak.
pub fn write(
    source: &str,
    dataset: Dataset,
    format: WriteFormat,
) -> Result<Vec<u8>, LabelledError> {
    dataset.check(source)?;
    match format {
        WriteFormat::Sav => sav::write(source, dataset, false),
        WriteFormat::Zsav => sav::write(source, dataset, true),
        WriteFormat::Dta => dta::write(source, &dataset),
    }
}

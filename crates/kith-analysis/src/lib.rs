//! kith-analysis: reading response files, scoring and psychometrics, matching R's psych.
//!
//! Engines here take values (bytes of a file, a checked `Form`) and return values; the binary
//! does the file I/O and the printing.

pub mod output;
pub mod problem;
pub mod psychometrics;
pub mod read;
pub mod reliability;
pub mod score;
pub mod values;

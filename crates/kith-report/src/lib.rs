//! kith-report: report documents from analysis results. Takes values (`Results`) and returns
//! text; the binary writes the files.

pub mod format;
pub mod markdown;

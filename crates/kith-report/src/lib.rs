//! kith-report: charts (plotters, SVG and PNG) and report documents (Markdown and a
//! self-contained HTML page) from analysis results. Takes values (`Results`) and returns text
//! or bytes; the binary writes the files.

pub mod charts;
pub mod format;
pub mod html;
pub mod markdown;
pub mod paint;

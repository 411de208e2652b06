//! kith-report: charts (plotters, SVG and PNG) and report documents (Markdown, a
//! self-contained HTML page and a Word document) from analysis results. Takes values (`Results`) and returns text
//! or bytes; the binary writes the files.
//!
//! The modules depend on each other in one direction: `markdown`, `html` and `docx` render the
//! `document`, which puts together the `summary`, the `tables`, the `reliability` table and
//! the `charts`; everything names variables through `labels` and writes numbers through
//! `format`.

#![cfg_attr(not(test), deny(clippy::expect_used))]

pub mod charts;
pub mod document;
pub mod docx;
pub mod format;
pub mod html;
pub mod labels;
pub mod markdown;
mod method;
pub mod paint;
pub mod power;
pub mod reliability;
pub mod screening;
mod summary;
mod tables;

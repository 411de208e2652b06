//! The report's APA-style tables, one file per kind of analysis; each writes Markdown text
//! with the table number the document gives it.

pub mod descriptives;
pub mod mediation;
pub mod models;
pub mod quality;

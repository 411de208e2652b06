//! `kith codebook`: the codebook of a checked instrument or survey.

use super::Outcome;
use crate::cli::CodebookFormat;
use crate::input::form_for;
use crate::output::emit;
use anyhow::{Context, Result};
use kith_instrument::codebook::{codebook, to_csv, to_html, to_json, to_markdown};
use std::path::Path;

/// `kith codebook FILE`.
pub fn run(file: &Path, format: CodebookFormat, output: Option<&Path>) -> Result<Outcome> {
    let Some(form) = form_for(file, "no codebook was written")? else {
        return Ok(Outcome::Failed);
    };
    let book = codebook(&form);
    let text = match format {
        CodebookFormat::Markdown => to_markdown(&book),
        CodebookFormat::Html => to_html(&book),
        CodebookFormat::Csv => to_csv(&book).context("cannot write the codebook as CSV")?,
        CodebookFormat::Json => to_json(&book),
    };
    emit(&text, output)?;
    Ok(Outcome::Success)
}

//! `kith codebook` and `kith schema`: documents generated from checked files.

use crate::check::form_for;
use crate::{CodebookFormat, Outcome};
use anyhow::{Context, Result};
use kith_instrument::codebook::{codebook, to_csv, to_html, to_json, to_markdown};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `output`, or to stdout when there is none.
fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => crate::atomic::write_bytes(path, text.as_bytes()),
        None => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

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

pub fn write_schema(output: Option<&Path>) -> Result<Outcome> {
    let schema = kith_instrument::schema::document_schema();
    emit(&(serde_json::to_string_pretty(&schema)? + "\n"), output)?;
    Ok(Outcome::Success)
}

//! `kith schema`: the JSON Schema of instrument and survey files, for editors.

use super::Outcome;
use crate::output::emit;
use anyhow::Result;
use std::path::Path;

/// `kith schema [-o FILE]`.
pub fn run(output: Option<&Path>) -> Result<Outcome> {
    let schema = kith_instrument::schema::document_schema();
    emit(&(serde_json::to_string_pretty(&schema)? + "\n"), output)?;
    Ok(Outcome::Success)
}

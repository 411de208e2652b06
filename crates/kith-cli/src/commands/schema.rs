//! `kith schema`: the JSON Schema of instrument, survey and analysis-plan files, for editors.

use super::Outcome;
use crate::output::emit;
use anyhow::Result;
use std::path::Path;

/// `kith schema [-o FILE]`.
pub fn run(output: Option<&Path>) -> Result<Outcome> {
    let schema = kith_analysis::plan::editor_schema();
    emit(&(serde_json::to_string_pretty(&schema)? + "\n"), output)?;
    Ok(Outcome::Success)
}

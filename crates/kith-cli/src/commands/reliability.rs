//! `kith reliability`: the reliability of every score of a response file, as psych reports it.

use super::Outcome;
use crate::cli::{DataArgs, ReliabilityFormat};
use crate::input::load_inputs;
use anyhow::Result;
use kith_analysis::reliability::reliability;
use std::io::Write;

/// `kith reliability SURVEY DATA`.
pub fn run(args: &DataArgs, format: ReliabilityFormat) -> Result<Outcome> {
    let Some((form, table, progress)) = load_inputs(args)? else {
        return Ok(Outcome::Failed);
    };
    progress.set("computing reliability");
    let report = reliability(&table, &form);
    progress.finish();
    let text = match format {
        ReliabilityFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReliabilityFormat::Text => kith_report::reliability::text(&report),
        ReliabilityFormat::Markdown => kith_report::reliability::markdown(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    let mut stderr = std::io::stderr().lock();
    for warning in &report.warnings {
        writeln!(stderr, "warning: {}", warning.message)?;
    }
    Ok(Outcome::Success)
}

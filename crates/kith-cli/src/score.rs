//! `kith score`: score a response file, and `kith reliability`: report the scales' reliability.

use crate::data::{DataArgs, ImputeArg, load_inputs};
use crate::{Outcome, ReliabilityFormat, ScoreFormat};
use anyhow::{Context, Result, bail};
use kith_analysis::output::{OutputFormat, scored_frame, write_frame};
use kith_analysis::reliability::reliability;
use kith_analysis::score::score_table;
use std::io::Write;
use std::path::Path;

pub fn run_score(
    args: &DataArgs,
    impute: ImputeArg,
    format: ScoreFormat,
    output: Option<&Path>,
) -> Result<Outcome> {
    if format == ScoreFormat::Parquet && output.is_none() {
        bail!(
            "Parquet is binary and is not written to the terminal\n  = hint: add -o scores.parquet"
        );
    }
    let Some((form, table, progress)) = load_inputs(args)? else {
        return Ok(Outcome::Failed);
    };
    progress.set("scoring");
    let scores = score_table(&table, &form, impute.into());
    let (respondents, score_count) = (table.height(), scores.len());
    let mut frame = scored_frame(table, scores).context("cannot assemble the scored table")?;
    progress.set("writing");
    let format = match format {
        ScoreFormat::Csv => OutputFormat::Csv,
        ScoreFormat::Tsv => OutputFormat::Tsv,
        ScoreFormat::Parquet => OutputFormat::Parquet,
        ScoreFormat::Json => OutputFormat::Json,
    };
    match output {
        Some(path) => crate::atomic::write_file(path, |writer| {
            write_frame(&mut frame, format, writer)?;
            Ok(())
        })?,
        None => {
            let stdout = std::io::stdout();
            let mut writer = std::io::BufWriter::new(stdout.lock());
            write_frame(&mut frame, format, &mut writer).context("cannot write the scores")?;
            writer.flush()?;
        }
    }
    progress.finish();
    writeln!(
        std::io::stderr(),
        "scored {respondents} respondents on {score_count} score{}",
        if score_count == 1 { "" } else { "s" }
    )?;
    Ok(Outcome::Success)
}

pub fn run_reliability(args: &DataArgs, format: ReliabilityFormat) -> Result<Outcome> {
    let Some((form, table, progress)) = load_inputs(args)? else {
        return Ok(Outcome::Failed);
    };
    progress.set("computing reliability");
    let report = reliability(&table, &form);
    progress.finish();
    let text = match format {
        ReliabilityFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReliabilityFormat::Text => crate::report::reliability_text(&report),
        ReliabilityFormat::Markdown => crate::report::reliability_markdown(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    let mut stderr = std::io::stderr().lock();
    for warning in &report.warnings {
        writeln!(stderr, "warning: {}", warning.message)?;
    }
    Ok(Outcome::Success)
}

//! `kith score`: score a response file.

use super::Outcome;
use crate::cli::{DataArgs, ImputeArg, ScoreFormat};
use crate::input::load_inputs;
use crate::render::{self, fail};
use anyhow::{Context, Result};
use kith_analysis::output::{OutputFormat, scored_frame, write_frame};
use kith_analysis::score::score_table;
use std::io::Write;
use std::path::Path;

/// `kith score SURVEY DATA`.
pub fn run(
    args: &DataArgs,
    impute: ImputeArg,
    format: ScoreFormat,
    output: Option<&Path>,
    screen: bool,
) -> Result<Outcome> {
    if format == ScoreFormat::Parquet && output.is_none() {
        return Err(fail(
            "Parquet is binary and is not written to the terminal",
            "add -o scores.parquet",
        ));
    }
    let Some((form, table, progress)) = load_inputs(args)? else {
        return Ok(Outcome::Failed);
    };
    progress.set("scoring");
    let scores = score_table(&table, &form, impute.into());
    let (respondents, score_count) = (table.height(), scores.len());
    let screening = screen.then(|| {
        progress.set("screening");
        kith_analysis::screening::report::screen(&table, &form, &Default::default())
    });
    let mut frame = scored_frame(table, scores).context("cannot assemble the scored table")?;
    if let Some(screening) = &screening {
        let columns = kith_analysis::output::screening_columns(screening, &frame);
        frame
            .hstack_mut(&columns)
            .context("cannot add the screening columns")?;
    }
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
        "scored {} on {}",
        render::count(respondents, "respondent", "respondents"),
        render::count(score_count, "score", "scores")
    )?;
    Ok(Outcome::Success)
}

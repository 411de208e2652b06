//! `kith screen`: careless-responding indices and flags for every respondent of a file.

use super::Outcome;
use crate::cli::{DataArgs, ScreenFormat};
use crate::input::load_inputs;
use crate::render::{self, fail};
use anyhow::Result;
use kith_analysis::screening::Options;
use kith_analysis::screening::report::{Screening, screen};
use std::io::Write;
use std::path::Path;

/// `kith screen SURVEY DATA`.
pub fn run(
    args: &DataArgs,
    format: ScreenFormat,
    output: Option<&Path>,
    synonym_critical: f64,
) -> Result<Outcome> {
    if !(synonym_critical > 0.0 && synonym_critical < 1.0) {
        return Err(fail(
            format!("--synonym-critical {synonym_critical} is not a correlation between 0 and 1"),
            "give a value such as 0.60 (careless's default)",
        ));
    }
    let Some((form, table, progress)) = load_inputs(args)? else {
        return Ok(Outcome::Failed);
    };
    progress.set("screening");
    let options = Options {
        synonym_critical,
        ..Options::default()
    };
    let screening = screen(&table, &form, &options);
    progress.finish();
    let write = |writer: &mut dyn Write| -> Result<()> {
        match format {
            ScreenFormat::Csv => {
                write_csv(&screening, writer)?;
            }
            ScreenFormat::Json => {
                serde_json::to_writer_pretty(&mut *writer, &screening)?;
                writeln!(writer)?;
            }
            ScreenFormat::Markdown => {
                writer.write_all(kith_report::screening::markdown(&screening).as_bytes())?;
            }
        }
        Ok(())
    };
    match output {
        Some(path) => crate::atomic::write_file(path, write)?,
        None => {
            let stdout = std::io::stdout();
            let mut writer = std::io::BufWriter::new(stdout.lock());
            write(&mut writer)?;
            writer.flush()?;
        }
    }
    summary(&screening)?;
    Ok(Outcome::Success)
}

/// The summary on standard error: what each rule flagged, and the indices left out.
fn summary(screening: &Screening) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    writeln!(
        stderr,
        "screened {} on {}",
        render::count(screening.respondents, "respondent", "respondents"),
        render::count(screening.items.len(), "rating item", "rating items")
    )?;
    for rule in &screening.rules {
        writeln!(stderr, "  {:>6}  {}", rule.flagged, rule.rule)?;
    }
    writeln!(
        stderr,
        "  {:>6}  flagged by any rule",
        screening.flagged_by_any
    )?;
    for skipped in &screening.skipped {
        writeln!(
            stderr,
            "note: {} not computed: {}\n  hint: {}",
            skipped.index, skipped.reason, skipped.hint
        )?;
    }
    Ok(())
}

/// Rows formatted at a time by one thread, and chunks formatted side by side before they are
/// written: the text in memory stays bounded (a few tens of megabytes) whatever the file's size.
const CHUNK_ROWS: usize = 4096;
const CHUNKS_AT_ONCE: usize = 64;

/// The CSV table, its chunks of rows formatted on every core and written in order.
fn write_csv(screening: &Screening, writer: &mut dyn Write) -> Result<()> {
    use rayon::prelude::*;
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(kith_report::screening::COLUMNS)?;
    writer.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
    for group in screening.rows.chunks(CHUNK_ROWS * CHUNKS_AT_ONCE) {
        let texts: Vec<Vec<u8>> = group
            .par_chunks(CHUNK_ROWS)
            .map(|chunk| -> Result<Vec<u8>> {
                let mut csv = csv::Writer::from_writer(Vec::new());
                let mut cells = std::array::from_fn(|_| String::new());
                for respondent in chunk {
                    kith_report::screening::fill_cells(respondent, &mut cells);
                    csv.write_record(&cells)?;
                }
                Ok(csv.into_inner().map_err(|e| e.into_error())?)
            })
            .collect::<Result<_>>()?;
        for text in texts {
            writer.write_all(&text)?;
        }
    }
    Ok(())
}

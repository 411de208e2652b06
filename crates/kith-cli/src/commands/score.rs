//! `kith score`: score a response file.

use super::Outcome;
use crate::cli::{DataArgs, ImputeArg, ScoreFormat};
use crate::input::load_inputs;
use crate::render::{self, fail};
use anyhow::{Context, Result};
use kith_analysis::output::{OutputFormat, scored_frame, write_frame, write_labelled};
use kith_analysis::score::score_table;
use std::io::Write;
use std::path::Path;

/// The options of `kith score`.
#[derive(Debug)]
pub struct ScoreArgs<'a> {
    pub data: &'a DataArgs,
    pub impute: ImputeArg,
    pub format: Option<ScoreFormat>,
    pub output: Option<&'a Path>,
    pub screen: bool,
    pub items: bool,
}

/// The format asked for, or the one the output's extension names (CSV without either).
fn format_of(format: Option<ScoreFormat>, output: Option<&Path>) -> Result<ScoreFormat> {
    if let Some(format) = format {
        return Ok(format);
    }
    let Some(output) = output else {
        return Ok(ScoreFormat::Csv);
    };
    let name = output.display().to_string().to_lowercase();
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    Ok(match extension {
        "csv" => ScoreFormat::Csv,
        "tsv" | "tab" => ScoreFormat::Tsv,
        "parquet" | "pq" => ScoreFormat::Parquet,
        "json" => ScoreFormat::Json,
        "sav" => ScoreFormat::Sav,
        "zsav" => ScoreFormat::Zsav,
        "dta" => ScoreFormat::Dta,
        _ => {
            return Err(fail(
                format!(
                    "cannot tell the format of `{}` from its extension",
                    output.display()
                ),
                "name it .csv, .tsv, .parquet, .json, .sav, .zsav or .dta, or pass --format",
            ));
        }
    })
}

/// `kith score SURVEY DATA`.
pub fn run(args: &ScoreArgs) -> Result<Outcome> {
    let format = format_of(args.format, args.output)?;
    let binary = match format {
        ScoreFormat::Parquet => Some("parquet"),
        ScoreFormat::Sav => Some("sav"),
        ScoreFormat::Zsav => Some("zsav"),
        ScoreFormat::Dta => Some("dta"),
        _ => None,
    };
    if let Some(extension) = binary
        && args.output.is_none()
    {
        return Err(fail(
            format!(
                "{} is binary and is not written to the terminal",
                extension_name(extension)
            ),
            format!("add -o scores.{extension}"),
        ));
    }
    let Some((form, mut table, progress)) = load_inputs(args.data)? else {
        return Ok(Outcome::Failed);
    };
    // A file scored before (an SPSS file with its scale scores, say) has the scores' columns
    // already: the new scores take their place, and the user is told.
    let outputs: Vec<String> = form
        .scores()
        .flat_map(|score| {
            [
                score.id.clone(),
                kith_analysis::output::n_answered_column(&score.id),
            ]
        })
        .collect();
    let replaced: Vec<String> = table
        .passthrough
        .get_column_names()
        .iter()
        .map(|name| name.to_string())
        .filter(|name| outputs.contains(name))
        .collect();
    if !replaced.is_empty() {
        table.passthrough = table
            .passthrough
            .drop_many(replaced.iter().map(String::as_str));
        writeln!(
            std::io::stderr(),
            "note: the file's column{} {} replaced by the score{} computed now",
            if replaced.len() == 1 { "" } else { "s" },
            replaced
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
                + if replaced.len() == 1 { " is" } else { " are" },
            if replaced.len() == 1 { "" } else { "s" },
        )?;
    }
    progress.set("scoring");
    let scores = score_table(&table, &form, args.impute.into());
    let (respondents, score_count) = (table.height(), scores.len());
    let screening = args.screen.then(|| {
        progress.set("screening");
        kith_analysis::screening::report::screen(&table, &form, &Default::default())
    });
    let items: Vec<String> = if args.items {
        form.items().map(|item| item.item.id.clone()).collect()
    } else {
        Vec::new()
    };
    let mut frame =
        scored_frame(table, scores, &items).context("cannot assemble the scored table")?;
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
        ScoreFormat::Sav => OutputFormat::Sav,
        ScoreFormat::Zsav => OutputFormat::Zsav,
        ScoreFormat::Dta => OutputFormat::Dta,
    };
    match args.output {
        Some(path) if binary.is_some() && format != OutputFormat::Parquet => {
            let metadata =
                kith_labelled::describe_form(&kith_instrument::codebook::codebook(&form));
            let bytes = write_labelled(frame, format, &metadata, &path.display().to_string())?;
            crate::atomic::write_file(path, |writer| Ok(writer.write_all(&bytes)?))?
        }
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

/// A binary format's name in messages.
fn extension_name(extension: &str) -> &'static str {
    match extension {
        "parquet" => "Parquet",
        "dta" => "Stata .dta",
        _ => "SPSS .sav",
    }
}

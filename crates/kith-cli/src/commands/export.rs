//! `kith export`: a store's sessions as a response file that `kith score` reads.

use super::Outcome;
use crate::cli::{ExportFormat, ExportLayout};
use crate::files::FsLoader;
use crate::input::form_for;
use crate::render::fail;
use anyhow::Result;
use kith_analysis::output::{OutputFormat, write_labelled};
use kith_instrument::codebook::codebook;
use kith_instrument::fingerprint::fingerprint;
use kith_labelled::{FormMetadata, describe_form};
use kith_runner::export::{Cell, ColumnType, ExportRequest, Table, export};
use kith_runner::store::Store;
use polars::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// The options of `kith export`.
#[derive(Debug)]
pub struct ExportArgs {
    pub store: PathBuf,
    pub survey: Option<String>,
    pub format: Option<ExportFormat>,
    /// The survey file that labels an SPSS or Stata export (`--labels`).
    pub labels: Option<PathBuf>,
    pub layout: ExportLayout,
    pub include_partial: bool,
    pub relation: Option<String>,
    pub names: bool,
    /// The survey file to screen the sessions over (`--screen`).
    pub screen: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

fn format_of(args: &ExportArgs) -> Result<ExportFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    let Some(output) = &args.output else {
        return Ok(ExportFormat::Csv);
    };
    let name = output.display().to_string().to_lowercase();
    Ok(if name.ends_with(".parquet") || name.ends_with(".pq") {
        ExportFormat::Parquet
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        ExportFormat::Jsonl
    } else if name.ends_with(".csv") {
        ExportFormat::Csv
    } else if name.ends_with(".sav") {
        ExportFormat::Sav
    } else if name.ends_with(".zsav") {
        ExportFormat::Zsav
    } else if name.ends_with(".dta") {
        ExportFormat::Dta
    } else {
        return Err(fail(
            format!(
                "cannot tell the format of `{}` from its extension",
                output.display()
            ),
            "name it .csv, .parquet, .jsonl, .sav, .zsav or .dta, or pass --format",
        ));
    })
}

/// The table as a polars frame, for Parquet.
fn frame_of(table: &Table) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, (name, kind))| {
            let cells = table.rows.iter().map(|row| &row[index]);
            let name = PlSmallStr::from(name.as_str());
            match kind {
                ColumnType::Int => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Int(v) => Some(*v),
                            _ => None,
                        })
                        .collect::<Vec<Option<i64>>>(),
                ),
                ColumnType::Float => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Float(v) => Some(*v),
                            Cell::Int(v) => Some(*v as f64),
                            _ => None,
                        })
                        .collect::<Vec<Option<f64>>>(),
                ),
                ColumnType::Text => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Text(t) => Some(t.clone()),
                            Cell::Int(v) => Some(v.to_string()),
                            Cell::Float(v) => Some(v.to_string()),
                            Cell::Empty => None,
                        })
                        .collect::<Vec<Option<String>>>(),
                ),
            }
        })
        .collect();
    DataFrame::new(table.rows.len(), columns)
}

fn write_table(
    table: &Table,
    format: ExportFormat,
    labels: &FormMetadata,
    writer: &mut dyn Write,
) -> Result<()> {
    let mut labelled = |format| -> Result<()> {
        let frame = frame_of(table)?;
        writer.write_all(&write_labelled(frame, format, labels, "the export")?)?;
        Ok(())
    };
    match format {
        ExportFormat::Csv => table.write_csv(writer)?,
        ExportFormat::Jsonl => table.write_jsonl(writer)?,
        ExportFormat::Parquet => {
            let mut frame = frame_of(table)?;
            ParquetWriter::new(writer).finish(&mut frame)?;
        }
        ExportFormat::Sav => labelled(OutputFormat::Sav)?,
        ExportFormat::Zsav => labelled(OutputFormat::Zsav)?,
        ExportFormat::Dta => labelled(OutputFormat::Dta)?,
    }
    Ok(())
}

/// The labels of an SPSS or Stata export: from `--labels`, which must be the survey the
/// sessions answered, or else from the survey file they were run with if it is unchanged. A
/// missing or changed file leaves the labels out, with a warning: the answers are exported
/// either way.
fn labels_for(args: &ExportArgs, surveys: &[(String, String)]) -> Result<Option<FormMetadata>> {
    let fingerprints: Vec<&str> = surveys.iter().map(|(_, print)| print.as_str()).collect();
    if let Some(path) = &args.labels {
        let Some(form) = form_for(path, "nothing was exported")? else {
            return Ok(None);
        };
        let print = fingerprint(&form);
        if !fingerprints.contains(&print.as_str()) {
            return Err(fail(
                format!(
                    "`{}` (fingerprint {print}) is not the survey the exported sessions answered ({})",
                    path.display(),
                    fingerprints.join(", ")
                ),
                "give --labels the survey file the sessions were run with",
            ));
        }
        return Ok(Some(describe_form(&codebook(&form))));
    }
    for (source, print) in surveys {
        let path = std::path::Path::new(source);
        let checked = kith_instrument::survey::check_file(path, &FsLoader::default());
        if let Some(form) = checked.form
            && fingerprint(&form) == *print
        {
            return Ok(Some(describe_form(&codebook(&form))));
        }
    }
    let sources: Vec<String> = surveys
        .iter()
        .map(|(source, _)| format!("`{source}`"))
        .collect();
    writeln!(
        std::io::stderr(),
        "{}",
        crate::render::with_hint(
            &format!(
                "warning: the survey file the sessions were run with ({}) is gone or has changed, so the export has no variable or value labels",
                sources.join(", ")
            ),
            Some("name the survey file they answered with --labels"),
        )
    )?;
    Ok(Some(FormMetadata::default()))
}

/// `kith export --store FILE`.
pub fn run(args: ExportArgs) -> Result<Outcome> {
    let format = format_of(&args)?;
    let binary = match format {
        ExportFormat::Parquet => Some(("Parquet", "parquet")),
        ExportFormat::Sav => Some(("SPSS .sav", "sav")),
        ExportFormat::Zsav => Some(("SPSS .zsav", "zsav")),
        ExportFormat::Dta => Some(("Stata .dta", "dta")),
        _ => None,
    };
    if let Some((name, extension)) = binary
        && args.output.is_none()
    {
        return Err(fail(
            format!("{name} is binary and is not written to the terminal"),
            format!("add -o responses.{extension}"),
        ));
    }
    if (args.relation.is_some() || args.names) && args.layout != ExportLayout::Edges {
        return Err(fail(
            "--relation and --names choose what the edge layout exports",
            "add --layout edges",
        ));
    }
    if args.screen.is_some() && args.layout == ExportLayout::Edges {
        return Err(fail(
            "--screen adds one row of indices per session, which the edge layout does not have",
            "export the wide layout (the default) with --screen",
        ));
    }
    if args.screen.is_some() && args.layout == ExportLayout::Long {
        return Err(fail(
            "--screen adds one row of indices per session, which the long layout does not have",
            "export the wide layout (the default) with --screen",
        ));
    }
    let store = Store::open_existing(&args.store)?;
    let mut exported = export(
        &store,
        &ExportRequest {
            survey: args.survey.as_deref(),
            layout: match args.layout {
                ExportLayout::Wide => kith_runner::export::Layout::Wide,
                ExportLayout::Long => kith_runner::export::Layout::Long,
                ExportLayout::Edges => kith_runner::export::Layout::Edges,
            },
            include_partial: args.include_partial,
            relation: args.relation.as_deref(),
            names: args.names,
        },
    )?;
    if let Some(survey) = &args.screen
        && !crate::screened_export::add_screening(
            &mut exported.table,
            survey,
            args.include_partial,
        )?
    {
        return Ok(Outcome::Failed);
    }
    let labels = match format {
        ExportFormat::Sav | ExportFormat::Zsav | ExportFormat::Dta => {
            match labels_for(&args, &exported.surveys)? {
                Some(labels) => labels,
                None => return Ok(Outcome::Failed),
            }
        }
        _ => FormMetadata::default(),
    };
    match &args.output {
        Some(path) => crate::atomic::write_file(path, |writer| {
            write_table(&exported.table, format, &labels, writer)
        })?,
        None => {
            let mut writer = std::io::BufWriter::new(std::io::stdout().lock());
            write_table(&exported.table, format, &labels, &mut writer)?;
            writer.flush()?;
        }
    }
    let mut note = format!(
        "exported {} session{} ({} row{})",
        exported.sessions,
        if exported.sessions == 1 { "" } else { "s" },
        exported.table.rows.len(),
        if exported.table.rows.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if exported.partial_left_out > 0 {
        note.push_str(&format!(
            "; {} unfinished or declined session{} left out (add --include-partial)",
            exported.partial_left_out,
            if exported.partial_left_out == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    writeln!(std::io::stderr(), "{note}")?;
    Ok(Outcome::Success)
}

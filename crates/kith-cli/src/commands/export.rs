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
use kith_runner::export::{
    Cell, ColumnType, CsvSink, ExportError, ExportRequest, JsonlSink, RowSink, Summary, Table,
    export, export_to,
};
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

/// The table as a polars frame, for Parquet, SPSS and Stata.
fn frame_of(table: &Table) -> PolarsResult<DataFrame> {
    frame_of_rows(&table.columns, &table.rows)
}

/// Rows of these columns as a polars frame.
fn frame_of_rows(columns: &[(String, ColumnType)], rows: &[Vec<Cell>]) -> PolarsResult<DataFrame> {
    let frame: Vec<Column> = columns
        .iter()
        .enumerate()
        .map(|(index, (name, kind))| {
            let cells = rows.iter().map(|row| &row[index]);
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
    DataFrame::new(rows.len(), frame)
}

/// Rows in one Parquet row group: the rows a streamed Parquet export holds at a time.
const PARQUET_ROW_GROUP: usize = 65_536;

/// Writes rows as Parquet as they come, a row group at a time.
struct ParquetSink<W: Write> {
    writer: Option<W>,
    batched: Option<polars::io::parquet::write::BatchedWriter<W>>,
    columns: Vec<(String, ColumnType)>,
    pending: Vec<Vec<Cell>>,
}

impl<W: Write> ParquetSink<W> {
    fn new(writer: W) -> ParquetSink<W> {
        ParquetSink {
            writer: Some(writer),
            batched: None,
            columns: Vec::new(),
            pending: Vec::new(),
        }
    }

    fn flush_group(&mut self) -> PolarsResult<()> {
        let frame = frame_of_rows(&self.columns, &self.pending)?;
        self.pending.clear();
        if let Some(batched) = &mut self.batched {
            batched.write_batch(&frame)?;
        }
        Ok(())
    }
}

fn io_error(error: PolarsError) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

impl<W: Write> RowSink for ParquetSink<W> {
    fn header(&mut self, columns: &[(String, ColumnType)]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        // The schema comes from an empty frame of the columns, so that it is the one a whole
        // table's frame would have.
        let empty = frame_of_rows(columns, &[]).map_err(io_error)?;
        if let Some(writer) = self.writer.take() {
            self.batched = Some(
                ParquetWriter::new(writer)
                    .batched(empty.schema())
                    .map_err(io_error)?,
            );
        }
        Ok(())
    }

    fn row(&mut self, row: &[Cell]) -> std::io::Result<()> {
        self.pending.push(row.to_vec());
        if self.pending.len() >= PARQUET_ROW_GROUP {
            self.flush_group().map_err(io_error)?;
        }
        Ok(())
    }

    fn rows(&mut self, rows: &mut Vec<Vec<Cell>>) -> std::io::Result<()> {
        self.pending.append(rows);
        if self.pending.len() >= PARQUET_ROW_GROUP {
            self.flush_group().map_err(io_error)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            self.flush_group().map_err(io_error)?;
        }
        if let Some(batched) = &self.batched {
            batched.finish().map_err(io_error)?;
        }
        Ok(())
    }
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
    let request = ExportRequest {
        survey: args.survey.as_deref(),
        layout: match args.layout {
            ExportLayout::Wide => kith_runner::export::Layout::Wide,
            ExportLayout::Long => kith_runner::export::Layout::Long,
            ExportLayout::Edges => kith_runner::export::Layout::Edges,
        },
        include_partial: args.include_partial,
        relation: args.relation.as_deref(),
        names: args.names,
    };
    let streamed = matches!(
        format,
        ExportFormat::Csv | ExportFormat::Jsonl | ExportFormat::Parquet
    ) && args.screen.is_none();
    let summary = if streamed {
        // CSV, JSON Lines and Parquet are written as the rows are made, a batch of sessions
        // at a time, so that memory does not grow with the store.
        let stream = |writer: &mut dyn Write| -> Result<Summary, ExportError> {
            match format {
                ExportFormat::Csv => export_to(&store, &request, &mut CsvSink::new(writer)),
                ExportFormat::Jsonl => export_to(&store, &request, &mut JsonlSink::new(writer)),
                _ => export_to(&store, &request, &mut ParquetSink::new(writer)),
            }
        };
        match &args.output {
            Some(path) => {
                // A store or survey problem is the export's own error, not the output file's:
                // it is kept aside (the partial file is discarded) and reported as it is.
                let mut refused = None;
                let written = crate::atomic::write_file(path, |writer| match stream(writer) {
                    Ok(summary) => Ok(summary),
                    Err(ExportError::Write(error)) => Err(error.into()),
                    Err(error) => {
                        refused = Some(error);
                        Err(anyhow::anyhow!("the export stopped"))
                    }
                });
                if let Some(error) = refused {
                    return Err(error.into());
                }
                written?
            }
            None => {
                let mut writer = std::io::BufWriter::new(std::io::stdout().lock());
                let summary = stream(&mut writer)?;
                writer.flush()?;
                summary
            }
        }
    } else {
        let mut exported = export(&store, &request)?;
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
        Summary {
            sessions: exported.sessions,
            rows: exported.table.rows.len(),
            partial_left_out: exported.partial_left_out,
            surveys: exported.surveys,
        }
    };
    let mut note = format!(
        "exported {} session{} ({} row{})",
        summary.sessions,
        if summary.sessions == 1 { "" } else { "s" },
        summary.rows,
        if summary.rows == 1 { "" } else { "s" }
    );
    if summary.partial_left_out > 0 {
        note.push_str(&format!(
            "; {} unfinished or declined session{} left out (add --include-partial)",
            summary.partial_left_out,
            if summary.partial_left_out == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    writeln!(std::io::stderr(), "{note}")?;
    Ok(Outcome::Success)
}

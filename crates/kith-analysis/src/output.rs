//! Scored tables: the respondent id, the passed-through columns, every score and how many of
//! its items each respondent answered, written as CSV, TSV, Parquet or JSON to a writer the
//! caller opens.

use crate::read::ResponseTable;
use crate::score::ScoreColumn;
use polars::prelude::*;
use std::io::Write;

/// The formats of scored tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Tsv,
    Parquet,
    Json,
}

/// The column that holds how many of a score's items a respondent answered.
pub fn n_answered_column(score_id: &str) -> String {
    format!("{score_id}_n_answered")
}

/// Builds the scored table.
pub fn scored_frame(table: &ResponseTable, scores: &[ScoreColumn]) -> PolarsResult<DataFrame> {
    let height = table.height();
    let mut columns: Vec<Column> =
        Vec::with_capacity(1 + table.passthrough.width() + 2 * scores.len());
    columns.push(Column::new(
        table.id_column.as_str().into(),
        table.ids.clone(),
    ));
    columns.extend(table.passthrough.columns().iter().cloned());
    for score in scores {
        let values: Vec<Option<f64>> = score
            .values
            .iter()
            .map(|v| (!v.is_nan()).then_some(*v))
            .collect();
        columns.push(Column::new(score.id.as_str().into(), values));
    }
    for score in scores {
        columns.push(Column::new(
            n_answered_column(&score.id).into(),
            score.n_answered.clone(),
        ));
    }
    DataFrame::new(height, columns)
}

/// Writes a table in a format.
pub fn write_frame(
    frame: &mut DataFrame,
    format: OutputFormat,
    writer: &mut dyn Write,
) -> PolarsResult<()> {
    match format {
        OutputFormat::Csv | OutputFormat::Tsv => CsvWriter::new(writer)
            .include_header(true)
            .with_separator(if format == OutputFormat::Tsv {
                b'\t'
            } else {
                b','
            })
            .with_null_value("".into())
            .finish(frame),
        OutputFormat::Parquet => ParquetWriter::new(writer).finish(frame).map(|_| ()),
        OutputFormat::Json => JsonWriter::new(writer)
            .with_json_format(JsonFormat::Json)
            .finish(frame),
    }
}

//! Scored tables: the respondent id, the passed-through columns, every score and how many of
//! its items each respondent answered, written as CSV, TSV, Parquet, JSON, SPSS or Stata to a
//! writer the caller opens.

mod labelled;

pub use labelled::{labelled_dataset, write_labelled};

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
    /// SPSS `.sav` (bytecode-compressed).
    Sav,
    /// SPSS `.zsav` (zlib-compressed).
    Zsav,
    /// Stata `.dta` (format 118).
    Dta,
}

/// The column that holds how many of a score's items a respondent answered.
pub fn n_answered_column(score_id: &str) -> String {
    format!("{score_id}_n_answered")
}

/// Builds the scored table, consuming the response table and the scores so that their memory
/// passes to the output instead of being copied. With `items` (the form's item ids in order),
/// the answers follow the id column; otherwise they are left out.
pub fn scored_frame(
    table: ResponseTable,
    scores: Vec<ScoreColumn>,
    items: &[String],
) -> PolarsResult<DataFrame> {
    let ResponseTable {
        id_column,
        ids,
        passthrough,
        items: mut answers,
        ..
    } = table;
    let height = ids.len();
    let mut columns: Vec<Column> =
        Vec::with_capacity(1 + items.len() + passthrough.width() + 2 * scores.len());
    columns.push(Column::new(id_column.as_str().into(), ids));
    for id in items {
        let name: PlSmallStr = id.as_str().into();
        match answers.remove(id) {
            Some(crate::values::ItemValues::Codes(codes)) => {
                let values: Int16Chunked = codes
                    .iter()
                    .map(|c| (*c != crate::values::MISSING_CODE).then_some(*c))
                    .collect();
                columns.push(values.with_name(name).into_column());
            }
            Some(crate::values::ItemValues::Reals(reals)) => {
                let values: Float64Chunked =
                    reals.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
                columns.push(values.with_name(name).into_column());
            }
            None => {}
        }
    }
    drop(answers);
    columns.extend(passthrough.columns().iter().cloned());
    drop(passthrough);
    let mut counts = Vec::with_capacity(scores.len());
    for score in scores {
        let values = Float64Chunked::from_iter_options(
            score.id.as_str().into(),
            score.values.iter().map(|v| (!v.is_nan()).then_some(*v)),
        );
        columns.push(values.into_column());
        counts.push((n_answered_column(&score.id), score.n_answered));
    }
    for (name, n_answered) in counts {
        columns.push(Column::new(name.into(), n_answered));
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
        OutputFormat::Sav | OutputFormat::Zsav | OutputFormat::Dta => {
            let metadata = kith_labelled::FormMetadata::default();
            let bytes = write_labelled(frame.clone(), format, &metadata, "table")
                .map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
            writer.write_all(&bytes).map_err(PolarsError::from)
        }
    }
}

/// The screening indices as columns for `kith score --screen`, after the scored table's own:
/// every index and flag of `kith screen`, leaving out a column the table already has (a kith
/// export's `attention_failed` and `duration_s`).
pub fn screening_columns(
    screening: &crate::screening::report::Screening,
    frame: &DataFrame,
) -> Vec<Column> {
    use crate::screening::report::Respondent;
    let numbers = |name: &str, value: fn(&Respondent) -> Option<f64>| {
        Column::new(
            name.into(),
            screening
                .rows
                .iter()
                .map(value)
                .collect::<Vec<Option<f64>>>(),
        )
    };
    let columns = vec![
        numbers("longstring_max", |r| r.longstring_max),
        numbers("longstring_average", |r| r.longstring_average),
        numbers("irv", |r| r.irv),
        numbers("mahalanobis", |r| r.mahalanobis),
        numbers("even_odd", |r| r.even_odd),
        numbers("synonyms", |r| r.synonyms),
        numbers("antonyms", |r| r.antonyms),
        numbers("attention_failed", |r| r.attention_failed),
        numbers("duration_s", |r| r.duration_s),
        numbers("seconds_per_item", |r| r.seconds_per_item),
        numbers("fast_pages", |r| r.fast_pages),
        Column::new(
            "flagged".into(),
            screening
                .rows
                .iter()
                .map(|r| !r.flags.is_empty())
                .collect::<Vec<bool>>(),
        ),
        Column::new(
            "flags".into(),
            screening
                .rows
                .iter()
                .map(|r| r.flags.join("|"))
                .collect::<Vec<String>>(),
        ),
    ];
    columns
        .into_iter()
        .filter(|column| frame.column(column.name()).is_err())
        .collect()
}

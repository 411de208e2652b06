//! Tables written as SPSS and Stata files: each polars column becomes a labelled column with
//! what the instrument knows about it (item texts, scale labels, missing-value codes, scores'
//! labels), and the counts of answered items say whose they are.

use super::OutputFormat;
use kith_labelled::{
    Column as LabelledColumn, ColumnMeta, Dataset, FormMetadata, LabelledError, MISSING_CODE,
    Measure, Values, WriteFormat,
};
use polars::prelude::*;

/// The metadata of a column the form does not describe: the counts of answered items and the
/// screening indices are numbers on a scale; texts are nominal.
fn default_meta(name: &str, dtype: &DataType) -> ColumnMeta {
    let numeric = dtype.is_primitive_numeric() || dtype.is_bool();
    let label = name
        .strip_suffix("_n_answered")
        .map(|score| format!("Items of {score} answered"));
    ColumnMeta {
        label,
        measure: Some(if numeric {
            Measure::Scale
        } else {
            Measure::Nominal
        }),
        decimals: (dtype.is_integer() || dtype.is_bool()).then_some(0),
        ..ColumnMeta::default()
    }
}

/// A polars table as a labelled dataset, column by column; each polars column is let go once
/// converted, so that the table is held about once at the peak. 16-bit codes stay 16-bit.
pub fn labelled_dataset(frame: DataFrame, metadata: &FormMetadata) -> PolarsResult<Dataset> {
    let mut columns = Vec::with_capacity(frame.width());
    for column in frame.into_columns() {
        let name = column.name().to_string();
        let dtype = column.dtype().clone();
        let values = if dtype == DataType::Int16 {
            let codes = column.as_materialized_series().i16()?.clone();
            Values::Codes(codes.iter().map(|c| c.unwrap_or(MISSING_CODE)).collect())
        } else if dtype.is_primitive_numeric() || dtype.is_bool() {
            let floats = column.cast(&DataType::Float64)?;
            let floats = floats.as_materialized_series().f64()?.clone();
            Values::Numbers(floats.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        } else {
            let texts = column.cast(&DataType::String)?;
            let texts = texts.as_materialized_series().str()?.clone();
            Values::Text(texts.iter().map(|t| t.map(str::to_string)).collect())
        };
        drop(column);
        let meta = metadata
            .get(&name)
            .cloned()
            .unwrap_or_else(|| default_meta(&name, &dtype));
        columns.push(LabelledColumn { name, values, meta });
    }
    Ok(Dataset {
        label: None,
        columns,
    })
}

/// A table as the bytes of an SPSS or Stata file.
pub fn write_labelled(
    frame: DataFrame,
    format: OutputFormat,
    metadata: &FormMetadata,
    source: &str,
) -> Result<Vec<u8>, LabelledError> {
    let format = match format {
        OutputFormat::Zsav => WriteFormat::Zsav,
        OutputFormat::Dta => WriteFormat::Dta,
        _ => WriteFormat::Sav,
    };
    let dataset = labelled_dataset(frame, metadata).map_err(|error| LabelledError {
        file: source.to_string(),
        variable: None,
        offset: None,
        message: format!("the table cannot be converted: {error}"),
        hint: "this is a bug in kith: please report it".to_string(),
    })?;
    kith_labelled::write(source, dataset, format)
}

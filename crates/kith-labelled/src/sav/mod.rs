//! SPSS system files (`.sav`, bytecode-compressed or not, and `.zsav`) through the `ambers`
//! crate: kith's record walk first (`layout`), then ambers' decoder, batch by batch, into
//! kith's columns with user-missing values set to missing; and kith's columns with their
//! metadata back into a file.

mod layout;

use crate::dataset::{
    Column, ColumnMeta, Dataset, FileKind, MISSING_CODE, Measure, ReadFile, UserMissing, Values,
};
use crate::error::LabelledError;
use ambers::metadata::{MissingSpec, SpssMetadata, Value};
use ambers::{Compression, Measure as SpssMeasure};
use arrow::array::{Array, ArrayRef, Float64Array, Int16Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// Rows decoded at a time: enough to keep ambers' column loops busy, few enough that one
/// batch is a small part of the memory the columns take.
const BATCH_ROWS: usize = 65_536;

fn decoder_error(source: &str, error: impl std::fmt::Display) -> LabelledError {
    LabelledError {
        file: source.to_string(),
        variable: None,
        offset: None,
        message: format!("the SPSS file cannot be decoded: {error}"),
        hint: "the file is damaged or uses a part of the format kith does not read; open it in SPSS or PSPP and save it again".to_string(),
    }
}

/// Runs the decoder, turning a panic inside it into an error about the file: a file must never
/// bring kith down, whatever its bytes.
fn guarded<T>(
    source: &str,
    run: impl FnOnce() -> ambers::error::Result<T>,
) -> Result<T, LabelledError> {
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(decoder_error(source, error)),
        Err(_) => Err(decoder_error(
            source,
            "the decoder stopped on an inconsistency in the file",
        )),
    }
}

fn measure_of(measure: SpssMeasure) -> Option<Measure> {
    match measure {
        SpssMeasure::Nominal => Some(Measure::Nominal),
        SpssMeasure::Ordinal => Some(Measure::Ordinal),
        SpssMeasure::Scale => Some(Measure::Scale),
        _ => None,
    }
}

fn missing_of(specs: &[MissingSpec]) -> UserMissing {
    let mut missing = UserMissing::default();
    for spec in specs {
        match spec {
            MissingSpec::Value(value) => missing.values.push(*value),
            MissingSpec::Range { lo, hi } => missing.range = Some((*lo, *hi)),
            MissingSpec::StringValue(_) => {}
        }
    }
    missing
}

/// The metadata ambers read for one variable, in kith's terms.
fn meta_of(meta: &SpssMetadata, name: &str) -> ColumnMeta {
    let mut value_labels: Vec<(f64, String)> = meta
        .value_labels(name)
        .map(|labels| {
            labels
                .iter()
                .filter_map(|(value, label)| match value {
                    Value::Numeric(code) => Some((*code, label.clone())),
                    Value::String(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    value_labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let format = meta.format(name).unwrap_or_default();
    let decimals = format
        .split_once('.')
        .and_then(|(_, decimals)| decimals.parse().ok());
    ColumnMeta {
        label: meta
            .label(name)
            .map(str::to_string)
            .filter(|l| !l.is_empty()),
        value_labels,
        missing: meta
            .variable_missing_values
            .get(name)
            .map(|specs| missing_of(specs))
            .unwrap_or_default(),
        measure: meta.measure(name).and_then(measure_of),
        display_width: meta.variable_display_widths.get(name).copied(),
        decimals,
    }
}

/// Appends one decoded array to a column: numbers as numbers (system-missing as NaN,
/// user-missing as NaN and counted), text as text (blank as missing), dates and times in the
/// text ISO 8601 gives them.
fn append(
    source: &str,
    column: &mut Column,
    array: &ArrayRef,
    user_missing: &mut usize,
) -> Result<(), LabelledError> {
    match (&mut column.values, array.data_type()) {
        (values @ (Values::Numbers(_) | Values::Codes(_)), DataType::Float64) => {
            let Some(floats) = array.as_any().downcast_ref::<Float64Array>() else {
                return Err(decoder_error(source, "a numeric column is not numbers"));
            };
            let missing = &column.meta.missing;
            for index in 0..floats.len() {
                let value = if floats.is_null(index) {
                    f64::NAN
                } else {
                    floats.value(index)
                };
                if !missing.is_empty() && missing.contains(value) {
                    *user_missing += 1;
                    values.push_number(f64::NAN);
                } else {
                    values.push_number(value);
                }
            }
        }
        (Values::Text(texts), _) => {
            let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default())
                .map_err(|e| decoder_error(source, e))?;
            texts.reserve(array.len());
            for index in 0..array.len() {
                if array.is_null(index) {
                    texts.push(None);
                } else {
                    let text = formatter.value(index).to_string();
                    let text = text.trim_end();
                    texts.push((!text.is_empty()).then(|| text.to_string()));
                }
            }
        }
        (_, other) => {
            return Err(decoder_error(
                source,
                format!("a numeric column came back as {other}"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn read(
    source: &str,
    bytes: &[u8],
    compact: &std::collections::HashSet<String>,
) -> Result<ReadFile, LabelledError> {
    let layout = layout::walk(source, bytes)?;
    let mut scanner = guarded(source, || {
        ambers::scan_sav_from_reader(Cursor::new(bytes), BATCH_ROWS)
    })?;
    let meta = scanner.metadata().clone();
    let schema = scanner.schema();
    let mut columns: Vec<Column> = schema
        .fields()
        .iter()
        .map(|field| Column {
            name: field.name().clone(),
            values: match field.data_type() {
                DataType::Float64 if compact.contains(field.name()) => Values::Codes(Vec::new()),
                DataType::Float64 => Values::Numbers(Vec::new()),
                _ => Values::Text(Vec::new()),
            },
            meta: meta_of(&meta, field.name()),
        })
        .collect();
    let mut user_missing = vec![0usize; columns.len()];
    while let Some(batch) = guarded(source, || scanner.next_batch())? {
        if batch.num_columns() != columns.len() {
            return Err(decoder_error(
                source,
                "a batch of rows has a different number of columns",
            ));
        }
        for ((column, array), count) in columns
            .iter_mut()
            .zip(batch.columns())
            .zip(&mut user_missing)
        {
            append(source, column, array, count)?;
        }
    }
    let format = match (layout.zlib, meta.compression) {
        (true, _) => "SPSS .zsav",
        (false, Compression::Bytecode) => "SPSS .sav, compressed",
        _ => "SPSS .sav",
    };
    let label_offsets = columns
        .iter()
        .filter_map(|column| {
            layout
                .label_offset(&column.name)
                .map(|at| (column.name.clone(), at))
        })
        .collect();
    Ok(ReadFile {
        kind: FileKind::Spss,
        format: format.to_string(),
        encoding: meta.file_encoding.clone(),
        user_missing: columns
            .iter()
            .zip(&user_missing)
            .filter(|(_, count)| **count > 0)
            .map(|(column, count)| (column.name.clone(), *count))
            .collect(),
        label_offsets,
        dataset: Dataset {
            label: Some(meta.file_label.trim().to_string()).filter(|l| !l.is_empty()),
            columns,
        },
    })
}

/// The widest text of a column in bytes (at least 1): SPSS stores strings at a fixed width.
fn text_width(texts: &[Option<String>]) -> usize {
    texts
        .iter()
        .flatten()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .clamp(1, 32_767)
}

/// What the metadata needs to know of a column once its values are in an arrow array.
enum Kind {
    Number,
    Text { width: usize },
}

pub(crate) fn write(source: &str, dataset: Dataset, zlib: bool) -> Result<Vec<u8>, LabelledError> {
    let mut fields = Vec::with_capacity(dataset.columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(dataset.columns.len());
    let mut described = Vec::with_capacity(dataset.columns.len());
    // Each column's values go into its array and are let go: the table is held once.
    for column in dataset.columns {
        let kind = match column.values {
            Values::Numbers(numbers) => {
                fields.push(Field::new(&column.name, DataType::Float64, true));
                let array: Float64Array = numbers
                    .iter()
                    .map(|value| (!value.is_nan()).then_some(*value))
                    .collect();
                arrays.push(Arc::new(array));
                Kind::Number
            }
            Values::Codes(codes) => {
                fields.push(Field::new(&column.name, DataType::Int16, true));
                let array: Int16Array = codes
                    .iter()
                    .map(|code| (*code != MISSING_CODE).then_some(*code))
                    .collect();
                arrays.push(Arc::new(array));
                Kind::Number
            }
            Values::Text(texts) => {
                fields.push(Field::new(&column.name, DataType::Utf8, true));
                let width = text_width(&texts);
                let array: StringArray = texts.iter().map(|text| text.as_deref()).collect();
                arrays.push(Arc::new(array));
                Kind::Text { width }
            }
        };
        described.push((column.name, column.meta, kind));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch =
        RecordBatch::try_new(schema.clone(), arrays).map_err(|e| decoder_error(source, e))?;
    let mut meta = SpssMetadata::from_arrow_schema(&schema);
    meta.file_label = dataset.label.clone().unwrap_or_default();
    for (name, info, kind) in &described {
        if let Some(label) = &info.label {
            meta.variable_labels.insert(name.clone(), label.clone());
        }
        match kind {
            Kind::Number => {
                let width = info.display_width.unwrap_or(8).clamp(1, 40);
                let decimals = info.decimals.unwrap_or(2).min(16);
                meta.variable_formats.insert(
                    name.clone(),
                    format!("F{}.{decimals}", width.max(decimals as u32 + 2)),
                );
                if !info.value_labels.is_empty() {
                    meta.variable_value_labels.insert(
                        name.clone(),
                        info.value_labels
                            .iter()
                            .map(|(code, label)| (Value::Numeric(*code), label.clone()))
                            .collect(),
                    );
                }
                let mut specs: Vec<MissingSpec> = Vec::new();
                if let Some((lo, hi)) = info.missing.range {
                    specs.push(MissingSpec::Range { lo, hi });
                }
                specs.extend(
                    info.missing
                        .values
                        .iter()
                        .map(|value| MissingSpec::Value(*value)),
                );
                if !specs.is_empty() {
                    meta.variable_missing_values.insert(name.clone(), specs);
                }
            }
            Kind::Text { width } => {
                meta.variable_formats
                    .insert(name.clone(), format!("A{width}"));
                meta.variable_storage_widths.insert(name.clone(), *width);
            }
        }
        let measure = match (info.measure, kind) {
            (Some(Measure::Nominal), _) | (None, Kind::Text { .. }) => SpssMeasure::Nominal,
            (Some(Measure::Ordinal), _) => SpssMeasure::Ordinal,
            (Some(Measure::Scale), _) | (None, Kind::Number) => SpssMeasure::Scale,
        };
        meta.variable_measures.insert(name.clone(), measure);
        let display = match kind {
            Kind::Number => info.display_width.unwrap_or(8),
            Kind::Text { width } => info.display_width.unwrap_or((*width).min(40) as u32),
        };
        meta.variable_display_widths.insert(name.clone(), display);
    }
    let compression = if zlib {
        Compression::Zlib
    } else {
        Compression::Bytecode
    };
    let mut out = Cursor::new(Vec::new());
    guarded(source, || {
        ambers::write_sav_to_writer(&mut out, &batch, &meta, compression, None)
    })
    .map_err(|mut error| {
        error.message = error.message.replace("cannot be decoded", "cannot be written");
        error.hint = "this is a bug in kith or in its SPSS writer: please report it, and write CSV or Parquet meanwhile".to_string();
        error
    })?;
    Ok(out.into_inner())
}

//! Reading response files (CSV, TSV, Parquet, JSON Lines, Qualtrics exports) into a validated
//! table of item values, with every problem named by row, respondent, column and value.
//!
//! The reader takes the file's bytes, not a path: the caller does the I/O. Clean numeric files
//! take a fast path (polars parses item columns straight into 16-bit codes); any file that
//! fails it is read again as text, cell by cell, so that every bad cell is reported and
//! Qualtrics "choice text" exports can be mapped to codes through the scales' labels.

use crate::problem::{DataErrors, DataProblem};
pub use crate::values::{ItemValues, MISSING_CODE};
use kith_instrument::form::{Form, FormItem};
use kith_instrument::model::ResponseScale;
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

/// The formats kith reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Tsv,
    Parquet,
    JsonLines,
}

impl FileFormat {
    /// The format a file name's extension stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        let lower = name.to_lowercase();
        let extension = lower.rsplit('.').next()?;
        Some(match extension {
            "csv" => FileFormat::Csv,
            "tsv" | "tab" => FileFormat::Tsv,
            "parquet" | "pq" => FileFormat::Parquet,
            "jsonl" | "ndjson" => FileFormat::JsonLines,
            _ => return None,
        })
    }
}

/// How to read a response file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub format: FileFormat,
    /// The id column; by default `respondent_id`, else `id`, else Qualtrics' `ResponseId`.
    pub id_column: Option<String>,
    /// Renames of file columns to item ids (`--map`).
    pub column_map: BTreeMap<String, String>,
    /// Values that mean "missing" in every item column (`--missing-codes`), besides empty
    /// cells, `NA` and the instrument's own codes.
    pub missing_codes: Vec<f64>,
    /// Keep Qualtrics responses that were not finished.
    pub include_partial: bool,
}

impl ReadOptions {
    pub fn new(format: FileFormat) -> Self {
        ReadOptions {
            format,
            id_column: None,
            column_map: BTreeMap::new(),
            missing_codes: Vec::new(),
            include_partial: false,
        }
    }
}

/// Rows that a Qualtrics export holds but that are not responses to analyse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DroppedRows {
    pub preview: usize,
    pub test: usize,
    pub spam: usize,
    pub unfinished: usize,
}

impl DroppedRows {
    pub fn total(&self) -> usize {
        self.preview + self.test + self.spam + self.unfinished
    }
}

/// The header layout of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One header row.
    Plain,
    /// Qualtrics since 2016: names, question texts, `{"ImportId": ...}`.
    QualtricsThreeRow,
    /// Legacy Qualtrics: `V1..Vn` names, then a row of labels and question texts.
    QualtricsLegacy,
}

/// A validated response file.
#[derive(Debug, Clone)]
pub struct ResponseTable {
    /// The file, as the user named it.
    pub source: String,
    pub layout: Layout,
    /// The id column's name in the file.
    pub id_column: String,
    /// The respondent id of each kept row.
    pub ids: Vec<String>,
    /// The 1-based data row number in the file of each kept row.
    pub rows: Vec<usize>,
    /// The answers, by item id.
    pub items: BTreeMap<String, ItemValues>,
    /// The other columns of the kept rows, in file order, passed through to outputs.
    pub passthrough: DataFrame,
    pub dropped: DroppedRows,
}

impl ResponseTable {
    pub fn height(&self) -> usize {
        self.ids.len()
    }
}

/// Header rows and names found by looking at the start of a delimited file.
struct Header {
    layout: Layout,
    /// The names as the file has them (for the polars schema).
    file_names: Vec<String>,
    /// The names to use: legacy Qualtrics `V` columns get their labels, `--map` renames applied.
    names: Vec<String>,
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn inspect_header(
    bytes: &[u8],
    separator: u8,
    map: &BTreeMap<String, String>,
) -> Result<Header, Box<DataProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    for record in reader.records().take(3) {
        match record {
            Ok(record) => records.push(record),
            Err(_) => {
                let format = if separator == b'\t' {
                    FileFormat::Tsv
                } else {
                    FileFormat::Csv
                };
                return Err(Box::new(crate::sniff::diagnose(bytes, format)));
            }
        }
    }
    let Some(first) = records.first() else {
        return Err(Box::new(DataProblem::file(
            "empty-file",
            "the file is empty".to_string(),
            "export the responses again; the file has no header and no rows".to_string(),
        )));
    };
    let file_names: Vec<String> = first.iter().map(|name| name.trim().to_string()).collect();
    let third_is_import_ids = records.get(2).is_some_and(|record| {
        record
            .iter()
            .any(|cell| cell.trim_start().starts_with("{\"ImportId\""))
    });
    let legacy = file_names.first().is_some_and(|n| n == "V1")
        && records
            .get(1)
            .is_some_and(|record| record.iter().any(|cell| cell == "ResponseID"));
    let (layout, mut names) = if third_is_import_ids {
        (Layout::QualtricsThreeRow, file_names.clone())
    } else if legacy {
        let labels = &records[1];
        let names = file_names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let is_v_column =
                    name.starts_with('V') && name[1..].chars().all(|c| c.is_ascii_digit());
                match labels.get(index) {
                    Some(label) if is_v_column && !label.is_empty() => label.to_string(),
                    _ => name.clone(),
                }
            })
            .collect();
        (Layout::QualtricsLegacy, names)
    } else {
        (Layout::Plain, file_names.clone())
    };
    for name in &mut names {
        if let Some(renamed) = map.get(name.as_str()) {
            *name = renamed.clone();
        }
    }
    Ok(Header {
        layout,
        file_names,
        names,
    })
}

/// The polars type that holds an item's codes losslessly and compactly, if they are small whole numbers.
fn compact_dtype(item: &FormItem) -> DataType {
    let fits = |value: f64| {
        value.fract() == 0.0 && value > f64::from(MISSING_CODE) && value <= f64::from(i16::MAX)
    };
    match &item.response {
        ResponseScale::Likert { values, .. } => {
            if values.iter().all(|v| fits(*v as f64)) {
                DataType::Int16
            } else {
                DataType::Float64
            }
        }
        ResponseScale::SingleChoice { options } => {
            if options.iter().all(|o| fits(o.value as f64)) {
                DataType::Int16
            } else {
                DataType::Float64
            }
        }
        ResponseScale::Numeric {
            min: Some(min),
            max: Some(max),
            integer: true,
            ..
        } if fits(*min) && fits(*max) => DataType::Int16,
        _ => DataType::Float64,
    }
}

/// Whether kith reads and checks an item's column (text and multiple-choice columns pass through).
fn is_read(item: &FormItem) -> bool {
    !matches!(
        item.response,
        ResponseScale::Text { .. } | ResponseScale::MultipleChoice { .. }
    )
}

fn polars_problem(error: PolarsError) -> DataProblem {
    DataProblem::file(
        "malformed-file",
        format!("the file cannot be read: {error}"),
        "check that the file is complete and in the format its extension says".to_string(),
    )
}

/// Reads a delimited file with polars; `typed` gives item columns their compact types.
fn read_delimited(
    bytes: &[u8],
    separator: u8,
    header: &Header,
    typed: &HashMap<String, DataType>,
) -> PolarsResult<DataFrame> {
    let schema: Schema = header
        .file_names
        .iter()
        .zip(&header.names)
        .map(|(file_name, name)| {
            let dtype = typed.get(name).cloned().unwrap_or(DataType::String);
            Field::new(file_name.as_str().into(), dtype)
        })
        .collect();
    let skip = match header.layout {
        Layout::Plain => 0,
        Layout::QualtricsThreeRow => 2,
        Layout::QualtricsLegacy => 1,
    };
    let mut frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .with_skip_rows_after_header(skip)
        .with_raise_if_empty(false)
        .map_parse_options(|options| {
            options
                .with_separator(separator)
                // Empty fields are missing already; `NA` is R's missing value.
                .with_null_values(Some(NullValues::AllColumnsSingle("NA".into())))
        })
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()?;
    for (file_name, name) in header.file_names.iter().zip(&header.names) {
        if file_name != name {
            frame.rename(file_name, name.as_str().into())?;
        }
    }
    Ok(frame)
}

fn read_frame(
    source: &str,
    bytes: &[u8],
    form: &Form,
    options: &ReadOptions,
) -> Result<(DataFrame, Layout), DataErrors> {
    let fail = |problem: DataProblem| DataErrors {
        source_name: source.to_string(),
        problems: vec![problem],
    };
    let bytes = strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(DataProblem::file(
            "empty-file",
            "the file is empty".to_string(),
            "export the responses again; the file has no header and no rows".to_string(),
        )));
    }
    crate::sniff::preflight(bytes, options.format).map_err(|problems| DataErrors {
        source_name: source.to_string(),
        problems,
    })?;
    let unreadable = || fail(crate::sniff::diagnose(bytes, options.format));
    match options.format {
        FileFormat::Csv | FileFormat::Tsv => {
            let separator = if options.format == FileFormat::Tsv {
                b'\t'
            } else {
                b','
            };
            let header = inspect_header(bytes, separator, &options.column_map)
                .map_err(|problem| fail(*problem))?;
            // The file's own names were checked before parsing; `--map` (or a legacy Qualtrics
            // header's labels) may still give two columns one name.
            let clashes = crate::sniff::header_names(&header.names);
            if !clashes.is_empty() {
                return Err(DataErrors {
                    source_name: source.to_string(),
                    problems: clashes,
                });
            }
            let typed: HashMap<String, DataType> = form
                .items()
                .filter(|item| is_read(item))
                .map(|item| (item.item.id.clone(), compact_dtype(item)))
                .collect();
            // The fast path only for plain files: Qualtrics exports are small and may hold labels.
            if header.layout == Layout::Plain
                && let Ok(frame) = read_delimited(bytes, separator, &header, &typed)
            {
                return Ok((frame, header.layout));
            }
            match read_delimited(bytes, separator, &header, &HashMap::new()) {
                Ok(frame) => Ok((frame, header.layout)),
                Err(_) => Err(unreadable()),
            }
        }
        FileFormat::Parquet => {
            let mut frame = ParquetReader::new(Cursor::new(bytes))
                .finish()
                .map_err(|_| unreadable())?;
            rename_mapped(&mut frame, &options.column_map).map_err(|e| fail(polars_problem(e)))?;
            Ok((frame, Layout::Plain))
        }
        FileFormat::JsonLines => {
            let mut frame = JsonReader::new(Cursor::new(bytes))
                .with_json_format(JsonFormat::JsonLines)
                .infer_schema_len(None)
                .finish()
                .map_err(|_| unreadable())?;
            if frame.columns().iter().any(|c| c.dtype().is_nested()) {
                return Err(unreadable());
            }
            rename_mapped(&mut frame, &options.column_map).map_err(|e| fail(polars_problem(e)))?;
            Ok((frame, Layout::Plain))
        }
    }
}

fn rename_mapped(frame: &mut DataFrame, map: &BTreeMap<String, String>) -> PolarsResult<()> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    for name in names {
        if let Some(renamed) = map.get(&name) {
            frame.rename(&name, renamed.as_str().into())?;
        }
    }
    Ok(())
}

/// The text of every cell of a column (nulls as `None`), whatever its type.
fn column_text(column: &Column) -> PolarsResult<Vec<Option<String>>> {
    let text = column.cast(&DataType::String)?;
    Ok(text
        .as_materialized_series()
        .str()?
        .iter()
        .map(|cell| cell.map(str::to_string))
        .collect())
}

/// Keeps the rows of a Qualtrics export that are finished responses (unless partial ones are
/// wanted) and not previews, tests or spam.
fn qualtrics_mask(
    frame: &DataFrame,
    include_partial: bool,
) -> PolarsResult<(Vec<bool>, DroppedRows)> {
    let height = frame.height();
    let mut keep = vec![true; height];
    let mut dropped = DroppedRows::default();
    if let Ok(status) = frame.column("Status") {
        for (row, cell) in column_text(status)?.into_iter().enumerate() {
            let kind = match cell.as_deref().map(str::trim) {
                Some("1") | Some("Survey Preview") => Some(&mut dropped.preview),
                Some("2") | Some("Survey Test") => Some(&mut dropped.test),
                Some("8") | Some("Spam") => Some(&mut dropped.spam),
                _ => None,
            };
            if let Some(count) = kind {
                *count += 1;
                keep[row] = false;
            }
        }
    }
    if !include_partial && let Ok(finished) = frame.column("Finished") {
        for (row, cell) in column_text(finished)?.into_iter().enumerate() {
            let unfinished = matches!(
                cell.as_deref().map(str::trim),
                Some("0") | Some("False") | Some("FALSE") | Some("false")
            );
            if unfinished && keep[row] {
                keep[row] = false;
                dropped.unfinished += 1;
            }
        }
    }
    Ok((keep, dropped))
}

/// A number as researchers write it: `7`, not `7.0` (f64's Display already does this).
fn format_number(value: f64) -> String {
    value.to_string()
}

fn normalize_label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The codes of a scale with their labels, in the scale's order.
fn coded_labels(scale: &ResponseScale) -> Vec<(f64, &str)> {
    match scale {
        ResponseScale::Likert { values, labels } => values
            .iter()
            .zip(labels)
            .map(|(value, label)| (*value as f64, label.as_str()))
            .collect(),
        ResponseScale::SingleChoice { options } => options
            .iter()
            .map(|option| (option.value as f64, option.label.as_str()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Converts and checks one item column. Problems name the data row and respondent.
struct ColumnCheck<'a> {
    item: &'a FormItem,
    missing: &'a [f64],
    rows: &'a [usize],
    ids: &'a [String],
    problems: &'a mut Vec<DataProblem>,
}

impl ColumnCheck<'_> {
    fn off_scale(&mut self, index: usize, value: f64) {
        let item = self.item;
        let allowed = item.response.describe_values();
        let reason = match &item.response {
            ResponseScale::Numeric { integer: true, .. } if value.fract() != 0.0 => {
                "is not a whole number".to_string()
            }
            _ => format!("is not on the item's scale ({allowed})"),
        };
        self.problems.push(DataProblem::cell(
            "value-off-scale",
            format!("`{}` {reason}", format_number(value)),
            self.rows[index],
            Some(&self.ids[index]),
            &item.item.id,
            &format_number(value),
            format!(
                "the scale `{}` accepts {allowed}; correct the value, or declare it a missing-value code with --missing-codes",
                item.item.scale
            ),
        ));
    }

    fn is_missing_code(&self, value: f64) -> bool {
        self.missing.contains(&value)
    }

    /// Checks 16-bit codes parsed by the fast path in one pass, with a lookup table that
    /// classifies every possible code as an answer, a missing-value code, or off the scale.
    fn codes(&mut self, column: &Int16Chunked) -> ItemValues {
        const OFF_SCALE: u8 = 0;
        const ANSWER: u8 = 1;
        const MISSING: u8 = 2;
        let response = &self.item.response;
        let slot = |code: i16| (i32::from(code) - i32::from(i16::MIN)) as usize;
        let mut class = vec![OFF_SCALE; 1 << 16];
        let candidates: Vec<i16> = match response {
            ResponseScale::Likert { values, .. } => values
                .iter()
                .filter_map(|v| i16::try_from(*v).ok())
                .collect(),
            ResponseScale::SingleChoice { options } => options
                .iter()
                .filter_map(|o| i16::try_from(o.value).ok())
                .collect(),
            ResponseScale::Numeric {
                min: Some(min),
                max: Some(max),
                ..
            } => {
                let low = min.ceil().max(f64::from(i16::MIN) + 1.0) as i16;
                let high = max.floor().min(f64::from(i16::MAX)) as i16;
                (low..=high).collect()
            }
            _ => Vec::new(),
        };
        for code in candidates {
            // The missing marker itself is never an answer, so a cell holding it is reported.
            if code != MISSING_CODE && response.accepts(f64::from(code)) {
                class[slot(code)] = ANSWER;
            }
        }
        for code in self.missing {
            if code.fract() == 0.0 && *code >= f64::from(i16::MIN) && *code <= f64::from(i16::MAX) {
                class[slot(*code as i16)] = MISSING;
            }
        }
        let mut codes: Vec<i16> = Vec::with_capacity(column.len());
        let mut bad = Vec::new();
        let mut classify = |value: i16, codes: &mut Vec<i16>| match class[slot(value)] {
            ANSWER => codes.push(value),
            MISSING => codes.push(MISSING_CODE),
            _ => {
                bad.push((codes.len(), value));
                codes.push(MISSING_CODE);
            }
        };
        for array in column.downcast_iter() {
            let values = array.values().as_slice();
            match array.validity() {
                Some(validity) => {
                    for (value, valid) in values.iter().zip(validity.iter()) {
                        if valid {
                            classify(*value, &mut codes);
                        } else {
                            codes.push(MISSING_CODE);
                        }
                    }
                }
                None => {
                    for value in values {
                        classify(*value, &mut codes);
                    }
                }
            }
        }
        for (index, code) in bad {
            self.off_scale(index, f64::from(code));
        }
        ItemValues::Codes(codes)
    }

    /// Checks numbers already parsed (Parquet, JSON, the text path).
    fn numbers(&mut self, values: impl Iterator<Item = Option<f64>>, compact: bool) -> ItemValues {
        let response = &self.item.response;
        let mut codes = Vec::new();
        let mut reals = Vec::new();
        for (index, cell) in values.enumerate() {
            let value = match cell {
                // NaN and infinities are refused as they are in a CSV file: a missing answer
                // is an empty cell (null), never a number that is not one.
                Some(value) if !value.is_finite() => {
                    let shown = format_number(value);
                    self.problems.push(DataProblem::cell(
                        "not-a-number",
                        format!("`{shown}` is not a number kith accepts as an answer"),
                        self.rows[index],
                        Some(&self.ids[index]),
                        &self.item.item.id,
                        &shown,
                        "write a missing answer as null (an empty cell); if the program that wrote the file uses NaN for missing, convert NaN to null first".to_string(),
                    ));
                    None
                }
                Some(value) if !self.is_missing_code(value) => {
                    if response.accepts(value) {
                        Some(value)
                    } else {
                        self.off_scale(index, value);
                        None
                    }
                }
                _ => None,
            };
            if compact {
                codes.push(value.map_or(MISSING_CODE, |v| v as i16));
            } else {
                reals.push(value.unwrap_or(f64::NAN));
            }
        }
        if compact {
            ItemValues::Codes(codes)
        } else {
            ItemValues::Reals(reals)
        }
    }

    /// Parses text cells: numbers, missing markers, and (in Qualtrics "choice text" exports,
    /// when `labels_allowed`) the labels of the scale, which become their codes.
    fn text(
        &mut self,
        cells: Vec<Option<String>>,
        compact: bool,
        labels_allowed: bool,
    ) -> ItemValues {
        let coded = coded_labels(&self.item.response);
        let labels: HashMap<String, f64> = if labels_allowed {
            coded
                .iter()
                .map(|(code, label)| (normalize_label(label), *code))
                .collect()
        } else {
            HashMap::new()
        };
        let mut parsed = Vec::with_capacity(cells.len());
        for (index, cell) in cells.iter().enumerate() {
            let value = match cell.as_deref().map(str::trim) {
                None | Some("") | Some("NA") => None,
                Some(text) => match text.parse::<f64>() {
                    Ok(number) if number.is_finite() => Some(number),
                    _ => match labels.get(&normalize_label(text)) {
                        Some(code) => Some(*code),
                        None => {
                            let codes = coded
                                .iter()
                                .map(|(code, label)| format!("{} = {label}", format_number(*code)))
                                .collect::<Vec<_>>()
                                .join(", ");
                            let hint = match (coded.is_empty(), labels_allowed) {
                                (true, _) => "write a number, or leave the cell empty if the answer is missing".to_string(),
                                (false, true) => format!("write a code or one of the scale's labels: {codes}"),
                                (false, false) => format!("write the answer's code ({codes}), or leave the cell empty if it is missing"),
                            };
                            self.problems.push(DataProblem::cell(
                                "not-a-number",
                                format!("`{text}` is text where a number is expected"),
                                self.rows[index],
                                Some(&self.ids[index]),
                                &self.item.item.id,
                                text,
                                hint,
                            ));
                            None
                        }
                    },
                },
            };
            parsed.push(value);
        }
        self.numbers(parsed.into_iter(), compact)
    }
}

/// Reads and validates a response file for a form.
///
/// It takes the file's bytes by value and lets them go as soon as they are parsed, so that the
/// file is held in memory once, not twice.
pub fn read_responses(
    source: &str,
    bytes: Vec<u8>,
    form: &Form,
    options: &ReadOptions,
) -> Result<ResponseTable, DataErrors> {
    let (frame, layout) = read_frame(source, &bytes, form, options)?;
    drop(bytes);
    let errors = |problems: Vec<DataProblem>| DataErrors {
        source_name: source.to_string(),
        problems,
    };
    let polars_error = |e: PolarsError| errors(vec![polars_problem(e)]);
    if frame.height() == 0 {
        return Err(errors(vec![DataProblem::file(
            "no-rows",
            "the file has a header but no data rows".to_string(),
            "export the responses again, including the data".to_string(),
        )]));
    }
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut problems = Vec::new();

    // The id column.
    let id_column = match &options.id_column {
        Some(name) => Some(name.clone()),
        None => ["respondent_id", "id", "ResponseId", "ResponseID"]
            .iter()
            .find(|candidate| names.iter().any(|n| n == *candidate))
            .map(|name| name.to_string()),
    };
    let id_column = match id_column {
        Some(name) if names.contains(&name) => name,
        other => {
            let message = match other {
                Some(name) => format!("the id column `{name}` is not in the file"),
                None => "the file has no id column (`respondent_id` or `id`)".to_string(),
            };
            problems.push(DataProblem::file(
                "missing-id-column",
                message,
                format!("name the column that identifies respondents with --id; the file's columns are: {}", names.join(", ")),
            ));
            String::new()
        }
    };

    // Item columns: all present, listed together when not.
    let read_items: Vec<&FormItem> = form.items().filter(|item| is_read(item)).collect();
    let absent: Vec<&str> = read_items
        .iter()
        .map(|item| item.item.id.as_str())
        .filter(|id| !names.iter().any(|n| n == id))
        .collect();
    if !absent.is_empty() {
        problems.push(DataProblem::file(
            "missing-columns",
            format!(
                "{} item column{} of `{}` {} not in the file: {}",
                absent.len(),
                if absent.len() == 1 { "" } else { "s" },
                form.id,
                if absent.len() == 1 { "is" } else { "are" },
                absent.join(", ")
            ),
            "rename the file's columns to the item ids, or map them with --map FILE (lines `file_column: item_id`)".to_string(),
        ));
    }
    if !problems.is_empty() {
        return Err(errors(problems));
    }

    // Qualtrics: keep finished responses that are not previews, tests or spam.
    let (mut frame, dropped, rows) = if layout == Layout::Plain {
        let rows = (1..=frame.height()).collect();
        (frame, DroppedRows::default(), rows)
    } else {
        let (keep, dropped) =
            qualtrics_mask(&frame, options.include_partial).map_err(polars_error)?;
        let rows: Vec<usize> = keep
            .iter()
            .enumerate()
            .filter(|(_, kept)| **kept)
            .map(|(index, _)| index + 1)
            .collect();
        let mask = BooleanChunked::from_slice("keep".into(), &keep);
        (frame.filter(&mask).map_err(polars_error)?, dropped, rows)
    };
    if frame.height() == 0 {
        return Err(errors(vec![DataProblem::file(
            "no-rows",
            format!(
                "no responses remain after dropping {} unfinished, {} preview, {} test and {} spam rows",
                dropped.unfinished, dropped.preview, dropped.test, dropped.spam
            ),
            "pass --include-partial to keep unfinished responses".to_string(),
        )]));
    }

    // Respondent ids: present and unique.
    let id_series = frame
        .column(&id_column)
        .and_then(|column| column.cast(&DataType::String))
        .map_err(polars_error)?;
    let ids: Vec<String> = id_series
        .as_materialized_series()
        .str()
        .map_err(polars_error)?
        .iter()
        .map(|id| id.map(str::trim).unwrap_or_default().to_string())
        .collect();
    // polars' hash map: a fast hash, as a million ids are looked up.
    let mut first_row: PlHashMap<&str, usize> = PlHashMap::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        if id.is_empty() {
            problems.push(DataProblem::cell(
                "missing-id",
                "the respondent id is empty".to_string(),
                rows[index],
                None,
                &id_column,
                "",
                "give every row an id; kith never invents ids, so answers cannot be mixed up"
                    .to_string(),
            ));
        } else if let Some(first) = first_row.get(id.as_str()) {
            problems.push(DataProblem::cell(
                "duplicate-id",
                format!("respondent id `{id}` is also in row {first}"),
                rows[index],
                Some(id),
                &id_column,
                id,
                "each respondent must appear once; remove the duplicate row or correct its id"
                    .to_string(),
            ));
        } else {
            first_row.insert(id, rows[index]);
        }
    }
    drop(first_row);

    // A fingerprint column must match the form's.
    if let Ok(column) = frame.column("fingerprint") {
        let expected = kith_instrument::fingerprint::fingerprint(form);
        let mut reported = HashSet::new();
        for (index, cell) in column_text(column)
            .map_err(polars_error)?
            .into_iter()
            .enumerate()
        {
            if let Some(found) = cell.map(|c| c.trim().to_string())
                && !found.is_empty()
                && found != expected
                && reported.insert(found.clone())
            {
                problems.push(DataProblem::cell(
                    "fingerprint-mismatch",
                    format!("the responses were collected with fingerprint `{found}`, but `{}` has `{expected}`", form.file),
                    rows[index],
                    Some(&ids[index]),
                    "fingerprint",
                    &found,
                    "the items, keys or scores changed since these data were collected; score them with the survey file they were collected with".to_string(),
                ));
            }
        }
    }

    // Item values. Labels stand for codes only in Qualtrics "choice text" exports.
    let labels_allowed = layout != Layout::Plain;
    let mut items = BTreeMap::new();
    for item in &read_items {
        // Each item column leaves the frame as it is converted, so that the file's values are
        // held once, not twice, at the peak.
        let column = frame.drop_in_place(&item.item.id).map_err(polars_error)?;
        let column = &column;
        let compact = compact_dtype(item) == DataType::Int16;
        let mut missing = options.missing_codes.clone();
        missing.extend(item.missing_codes.iter().copied());
        let mut check = ColumnCheck {
            item,
            missing: &missing,
            rows: &rows,
            ids: &ids,
            problems: &mut problems,
        };
        let values = match column.dtype() {
            DataType::Int16 if compact => {
                let series = column.as_materialized_series();
                check.codes(series.i16().map_err(polars_error)?)
            }
            DataType::String => check.text(
                column_text(column).map_err(polars_error)?,
                compact,
                labels_allowed,
            ),
            dtype if dtype.is_primitive_numeric() || dtype.is_bool() => {
                let as_float = column.cast(&DataType::Float64).map_err(polars_error)?;
                let floats = as_float
                    .as_materialized_series()
                    .f64()
                    .map_err(polars_error)?
                    .clone();
                check.numbers(floats.iter(), compact)
            }
            _ => check.text(
                column_text(column).map_err(polars_error)?,
                compact,
                labels_allowed,
            ),
        };
        items.insert(item.item.id.clone(), values);
    }
    if !problems.is_empty() {
        return Err(errors(problems));
    }

    let item_names: HashSet<&str> = read_items
        .iter()
        .map(|item| item.item.id.as_str())
        .collect();
    let passthrough_names: Vec<String> = names
        .iter()
        .filter(|name| **name != id_column && !item_names.contains(name.as_str()))
        .cloned()
        .collect();
    let passthrough = frame.select(passthrough_names).map_err(polars_error)?;
    Ok(ResponseTable {
        source: source.to_string(),
        layout,
        id_column,
        ids,
        rows,
        items,
        passthrough,
        dropped,
    })
}

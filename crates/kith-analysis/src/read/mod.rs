//! Reading response files (CSV, TSV, Parquet, JSON Lines, SPSS, Stata, Qualtrics exports) into a validated
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

mod columns;
mod frame;
mod kith_export;
mod labelled;

use columns::*;
use frame::*;
use kith_export::{kith_status_mask, not_shown_counts};
pub use labelled::LabelledSummary;
pub(crate) use labelled::{frame_of as labelled_frame, labelled_problem};

/// The formats kith reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Tsv,
    Parquet,
    JsonLines,
    /// SPSS `.sav` and `.zsav`.
    Spss,
    /// Stata `.dta`, formats 117–119.
    Stata,
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
            "sav" | "zsav" => FileFormat::Spss,
            "dta" => FileFormat::Stata,
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
    /// Identify respondents by their row in the file instead of an id column: each id is this
    /// prefix and the row's number (the first data row is 1). Only when the user asks for it.
    pub row_numbers: Option<String>,
    /// Renames of file columns to item ids (`--map`).
    pub column_map: BTreeMap<String, String>,
    /// Values that mean "missing" in every item column (`--missing-codes`), besides empty
    /// cells, `NA` and the instrument's own codes.
    pub missing_codes: Vec<f64>,
    /// Keep Qualtrics responses that were not finished.
    pub include_partial: bool,
    /// How the caller lets the user change these settings, for the hints of problems.
    pub settings: SettingNames,
}

impl ReadOptions {
    pub fn new(format: FileFormat) -> Self {
        ReadOptions {
            format,
            id_column: None,
            row_numbers: None,
            column_map: BTreeMap::new(),
            missing_codes: Vec::new(),
            include_partial: false,
            settings: SettingNames::default(),
        }
    }
}

/// How the user changes the reader's settings where the file is read: the command line's
/// flags for `kith score`, the plan's keys for `kith analyze`. Hints name the setting in the
/// caller's words, so the reader never names a flag a plan does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingNames {
    /// How to name the id column, as in "with `…`".
    pub id: String,
    /// How to rename the file's columns to item ids, when the caller can.
    pub column_map: Option<String>,
    /// How to keep unfinished Qualtrics responses, when the caller can.
    pub include_partial: Option<String>,
    /// How to declare missing-value codes.
    pub missing_codes: String,
}

impl Default for SettingNames {
    /// Words for a caller that has no flags or keys of its own (a program using the library).
    fn default() -> Self {
        SettingNames {
            id: "the id column option".to_string(),
            column_map: Some("a column map".to_string()),
            include_partial: Some("keep partial responses".to_string()),
            missing_codes: "the missing-value codes option".to_string(),
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
    /// kith sessions that declined consent.
    pub declined: usize,
    /// kith sessions ended by a screen-out (`end_if`).
    pub screened_out: usize,
}

impl DroppedRows {
    /// Adds another file's dropped rows to these.
    pub fn add(&mut self, other: &DroppedRows) {
        self.preview += other.preview;
        self.test += other.test;
        self.spam += other.spam;
        self.unfinished += other.unfinished;
        self.declined += other.declined;
        self.screened_out += other.screened_out;
    }

    pub fn total(&self) -> usize {
        self.preview + self.test + self.spam + self.unfinished + self.declined + self.screened_out
    }

    /// The rows left out, by kind, for messages: `3 unfinished, 12 screened out`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.unfinished, "unfinished"),
            (self.screened_out, "screened out"),
            (self.declined, "declined"),
            (self.preview, "preview"),
            (self.test, "test"),
            (self.spam, "spam"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{n} {kind}"))
        .collect();
        match parts.as_slice() {
            [] => "no rows".to_string(),
            [one] => format!("{one} rows"),
            [init @ .., last] => format!("{} and {last} rows", init.join(", ")),
        }
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
    /// For a kith export of a survey with logic: how many kept rows were not shown each
    /// question (their answers are missing, as unanswered ones are).
    pub not_shown: Option<BTreeMap<String, usize>>,
    /// For an SPSS or Stata file: its format and the user-missing values read as missing.
    pub labelled: Option<LabelledSummary>,
}

impl ResponseTable {
    pub fn height(&self) -> usize {
        self.ids.len()
    }

    /// The rows whose `keep` is true (one entry per row): what a plan's exclusions leave.
    pub fn keep_rows(&self, keep: &[bool]) -> PolarsResult<ResponseTable> {
        let kept = |row: &usize| keep.get(*row).copied().unwrap_or(false);
        let pick = |n: usize| (0..n).filter(kept);
        let items = self
            .items
            .iter()
            .map(|(id, values)| {
                let values = match values {
                    ItemValues::Codes(codes) => {
                        ItemValues::Codes(pick(codes.len()).map(|r| codes[r]).collect())
                    }
                    ItemValues::Reals(reals) => {
                        ItemValues::Reals(pick(reals.len()).map(|r| reals[r]).collect())
                    }
                };
                (id.clone(), values)
            })
            .collect();
        let mask = BooleanChunked::from_iter_values(
            "keep".into(),
            (0..self.passthrough.height()).map(|row| kept(&row)),
        );
        Ok(ResponseTable {
            source: self.source.clone(),
            layout: self.layout,
            id_column: self.id_column.clone(),
            ids: pick(self.ids.len()).map(|r| self.ids[r].clone()).collect(),
            rows: pick(self.rows.len()).map(|r| self.rows[r]).collect(),
            items,
            passthrough: self.passthrough.filter(&mask)?,
            dropped: self.dropped,
            not_shown: self.not_shown.clone(),
            labelled: self.labelled.clone(),
        })
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
    let (frame, layout, labelled) = read_frame(source, &bytes, form, options)?;
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
        // Row numbers are for data without ids: a file that has its ids keeps them.
        Some(name) if options.row_numbers.is_some() && names.contains(&name) => {
            problems.push(DataProblem::file(
                "row-ids-with-id-column",
                format!("the file has the id column `{name}`, so its rows need no numbers as ids"),
                "remove the plan's `row_ids: true`: kith then identifies respondents by that column"
                    .to_string(),
            ));
            String::new()
        }
        Some(name) if names.contains(&name) => name,
        _ if options.row_numbers.is_some() => String::new(),
        other => {
            let message = match other {
                Some(name) => format!("the id column `{name}` is not in the file"),
                None => "the file has no id column (`respondent_id` or `id`)".to_string(),
            };
            problems.push(DataProblem::file(
                "missing-id-column",
                message,
                format!(
                    "name the column that identifies respondents with {}; the file's columns are: {}",
                    options.settings.id,
                    names.join(", ")
                ),
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
            match &options.settings.column_map {
                Some(map) => {
                    format!("rename the file's columns to the item ids, or map them with {map}")
                }
                None => "rename the file's columns to the item ids".to_string(),
            },
        ));
    }
    if !problems.is_empty() {
        return Err(errors(problems));
    }

    // Qualtrics: keep finished responses that are not previews, tests or spam.
    // kith's own exports: keep completed sessions (and, when asked, those in progress).
    let (mut frame, dropped, rows) = {
        // A Qualtrics export saved as SPSS has Qualtrics' columns but a plain layout.
        let qualtrics_columns = labelled.is_some()
            && names.iter().any(|n| n == "ResponseId")
            && names.iter().any(|n| n == "Finished");
        let (keep, dropped) = if layout == Layout::Plain && !qualtrics_columns {
            kith_status_mask(&frame, options.include_partial).map_err(polars_error)?
        } else {
            qualtrics_mask(&frame, options.include_partial).map_err(polars_error)?
        };
        let rows: Vec<usize> = keep
            .iter()
            .enumerate()
            .filter(|(_, kept)| **kept)
            .map(|(index, _)| index + 1)
            .collect();
        // Most files keep every row; filtering would copy the whole frame for nothing.
        if keep.iter().all(|kept| *kept) {
            (frame, dropped, rows)
        } else {
            let mask = BooleanChunked::from_slice("keep".into(), &keep);
            (frame.filter(&mask).map_err(polars_error)?, dropped, rows)
        }
    };
    if frame.height() == 0 {
        return Err(errors(vec![DataProblem::file(
            "no-rows",
            format!("no responses remain after dropping {}", dropped.describe()),
            match &options.settings.include_partial {
                Some(keep) => format!("{keep} to keep unfinished responses"),
                None => {
                    "only finished responses are analysed; export the survey's finished responses"
                        .to_string()
                }
            },
        )]));
    }

    // Respondent ids: present and unique.
    let ids: Vec<String> = match &options.row_numbers {
        Some(prefix) => rows.iter().map(|row| format!("{prefix}{row}")).collect(),
        None => frame
            .column(&id_column)
            .and_then(|column| column.cast(&DataType::String))
            .map_err(polars_error)?
            .as_materialized_series()
            .str()
            .map_err(polars_error)?
            .iter()
            .map(|id| id.map(str::trim).unwrap_or_default().to_string())
            .collect(),
    };
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
            missing_codes_setting: &options.settings.missing_codes,
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
    let not_shown = not_shown_counts(&frame).map_err(polars_error)?;
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
        not_shown,
        labelled,
    })
}

//! The variables an analysis plan can name: a survey's scores and items and any other column
//! of the data, each numeric (NaN for missing) or categorical (levels, None for missing).

use crate::family::Family;
use crate::problem::{DataErrors, DataProblem};
use crate::read::{FileFormat, ResponseTable};
use crate::score::ScoreColumn;
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;

/// The largest `max` of an integer numeric scale starting at 0 that kith treats as a count
/// (Poisson by default): job offers and raises, not salaries.
pub const COUNT_SCALE_MAX: f64 = 1000.0;

/// The values of one variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Numeric(Vec<f64>),
    /// Codes into `levels`; None is missing.
    Categorical {
        codes: Vec<Option<u32>>,
        levels: Vec<String>,
    },
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Numeric(v) => v.len(),
            Values::Categorical { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            Values::Numeric(v) => v[row].is_nan(),
            Values::Categorical { codes, .. } => codes[row].is_none(),
        }
    }
}

/// Where a variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Score,
    Item,
    Column,
}

/// A variable with what kith knows about it.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    /// A readable name (a score's label), when there is one.
    pub label: Option<String>,
    pub origin: Origin,
    pub values: Values,
    pub family: Family,
}

/// The variables of a data set, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub n: usize,
    pub variables: Vec<Variable>,
    /// Where each row came from, as a message names it: "row 18 of `a.csv` (respondent
    /// `R17`)" — the file's own row, whatever rows were dropped or files stacked before it.
    pub origins: Vec<String>,
    /// Each row's respondent: the id column's value, or the row's number in its file for a
    /// file read without a survey.
    pub ids: Vec<String>,
}

impl Dataset {
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|v| v.name.as_str())
    }

    /// Adds (or replaces) a numeric column computed for every row, e.g. a network measure.
    pub fn add_numeric(&mut self, name: &str, label: Option<String>, values: Vec<f64>) {
        self.push(Variable {
            name: name.to_string(),
            label,
            origin: Origin::Column,
            values: Values::Numeric(values),
            family: Family::Gaussian,
        });
    }

    fn push(&mut self, variable: Variable) {
        if let Some(existing) = self.variables.iter_mut().find(|v| v.name == variable.name) {
            *existing = variable;
        } else {
            self.variables.push(variable);
        }
    }

    /// Stacks another data set's rows under this one's; a variable missing from either side
    /// is missing for those rows.
    pub fn append(&mut self, other: Dataset) {
        let (top, bottom) = (self.n, other.n);
        let mut names: Vec<String> = self.names().map(str::to_string).collect();
        for name in other.names() {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        let mut merged = Vec::new();
        for name in names {
            let first = self.get(&name).cloned();
            let second = other.get(&name).cloned();
            // Every name came from one side or the other.
            let Some(template) = first.clone().or(second.clone()) else {
                continue;
            };
            let values = stack(
                first.map(|v| v.values),
                top,
                second.map(|v| v.values),
                bottom,
            );
            merged.push(Variable { values, ..template });
        }
        self.variables = merged;
        self.n = top + bottom;
        self.origins.extend(other.origins);
        self.ids.extend(other.ids);
    }

    /// The rows whose `keep` is true, in order (`keep` has one entry per row).
    pub fn keep_rows(&self, keep: &[bool]) -> Dataset {
        let chosen = |n: usize| (0..n).filter(|&row| keep.get(row).copied().unwrap_or(false));
        let variables = self
            .variables
            .iter()
            .map(|variable| Variable {
                values: match &variable.values {
                    Values::Numeric(values) => {
                        Values::Numeric(chosen(values.len()).map(|row| values[row]).collect())
                    }
                    Values::Categorical { codes, levels } => Values::Categorical {
                        codes: chosen(codes.len()).map(|row| codes[row]).collect(),
                        levels: levels.clone(),
                    },
                },
                name: variable.name.clone(),
                label: variable.label.clone(),
                origin: variable.origin,
                family: variable.family,
            })
            .collect();
        Dataset {
            n: chosen(self.n).count(),
            variables,
            origins: chosen(self.origins.len())
                .map(|row| self.origins[row].clone())
                .collect(),
            ids: chosen(self.ids.len())
                .map(|row| self.ids[row].clone())
                .collect(),
        }
    }
}

fn stack(top: Option<Values>, top_n: usize, bottom: Option<Values>, bottom_n: usize) -> Values {
    let categorical = matches!(top, Some(Values::Categorical { .. }))
        || matches!(bottom, Some(Values::Categorical { .. }));
    if !categorical {
        let numbers = |v: Option<Values>, n: usize| match v {
            Some(Values::Numeric(v)) => v,
            _ => vec![f64::NAN; n],
        };
        let mut values = numbers(top, top_n);
        values.extend(numbers(bottom, bottom_n));
        return Values::Numeric(values);
    }
    let mut levels: Vec<String> = Vec::new();
    let mut codes = Vec::with_capacity(top_n + bottom_n);
    for (part, n) in [(top, top_n), (bottom, bottom_n)] {
        let texts: Vec<Option<String>> = match part {
            Some(Values::Categorical {
                codes,
                levels: part_levels,
            }) => codes
                .iter()
                .map(|c| c.map(|c| part_levels[c as usize].clone()))
                .collect(),
            Some(Values::Numeric(v)) => v
                .iter()
                .map(|x| (!x.is_nan()).then(|| format_number(*x)))
                .collect(),
            None => vec![None; n],
        };
        for text in texts {
            codes.push(text.map(|t| level_code(&mut levels, t)));
        }
    }
    Values::Categorical { codes, levels }
}

fn level_code(levels: &mut Vec<String>, text: String) -> u32 {
    match levels.iter().position(|l| *l == text) {
        Some(index) => index as u32,
        None => {
            levels.push(text);
            (levels.len() - 1) as u32
        }
    }
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The family an item's scale suggests.
fn scale_family(scale: &ResponseScale) -> Family {
    match scale {
        ResponseScale::Numeric {
            min: Some(min),
            max,
            integer: true,
            ..
        } if *min == 0.0 && max.is_none_or(|m| m <= COUNT_SCALE_MAX) => Family::Poisson,
        ResponseScale::SingleChoice { options } if options.len() == 2 => Family::Binomial,
        _ => Family::Gaussian,
    }
}

/// The family the data suggest: binomial when the only values are 0 and 1.
fn data_family(values: &[f64]) -> Family {
    let mut present = values.iter().filter(|v| !v.is_nan()).peekable();
    if present.peek().is_some() && present.all(|&v| v == 0.0 || v == 1.0) {
        Family::Binomial
    } else {
        Family::Gaussian
    }
}

/// The variables of a scored response table: scores first, then items, then other columns.
///
/// Single-choice items with more than two options are categorical, with the options' labels
/// as levels in the scale's order; two-option items stay numeric (their codes).
///
/// The other columns get the types their values have, by the same rule as a file read without
/// a survey (`read_plain`), and the plan's `missing_codes` apply to them too.
pub fn from_table(
    table: &ResponseTable,
    form: &Form,
    scores: Vec<ScoreColumn>,
    missing_codes: &[f64],
) -> Dataset {
    let mut dataset = empty_for(table);
    for score in scores {
        dataset.push(Variable {
            name: score.id,
            label: Some(score.label),
            origin: Origin::Score,
            values: Values::Numeric(score.values),
            family: Family::Gaussian,
        });
    }
    for item in form.items() {
        let Some(values) = table.items.get(&item.item.id) else {
            continue;
        };
        let numbers = values.to_f64();
        let (values, family) = match &item.response {
            ResponseScale::SingleChoice { options } if options.len() > 2 => {
                let levels: Vec<String> = options.iter().map(|o| o.label.clone()).collect();
                let codes = numbers
                    .iter()
                    .map(|x| {
                        options
                            .iter()
                            .position(|o| o.value as f64 == *x)
                            .map(|p| p as u32)
                    })
                    .collect();
                (Values::Categorical { codes, levels }, Family::Gaussian)
            }
            scale => (Values::Numeric(numbers), scale_family(scale)),
        };
        dataset.push(Variable {
            name: item.item.id.clone(),
            label: None,
            origin: Origin::Item,
            values,
            family,
        });
    }
    push_passthrough(&mut dataset, table, missing_codes);
    dataset
}

/// The respondents of a table without variables: their ids and where each row came from.
fn empty_for(table: &ResponseTable) -> Dataset {
    Dataset {
        n: table.height(),
        variables: Vec::new(),
        ids: table.ids.clone(),
        origins: table
            .rows
            .iter()
            .zip(&table.ids)
            .map(|(row, id)| format!("row {row} of `{}` (respondent `{id}`)", table.source))
            .collect(),
    }
}

/// Adds the table's other columns (passed through) that the data set does not have yet.
fn push_passthrough(dataset: &mut Dataset, table: &ResponseTable, missing_codes: &[f64]) {
    for column in table.passthrough.columns() {
        if let Some(variable) = column_variable(column, missing_codes) {
            if dataset.get(&variable.name).is_none() {
                dataset.push(variable);
            }
        }
    }
}

/// A data set of the table's other columns only (not its items): what a screening reads
/// beside the answers (attention checks, durations, page times), without a copy of every
/// answer. It has no ids and no origins (the table has them), so that a million rows cost no
/// million strings; it is for reading columns, not for analyses that name rows.
pub fn passthrough_only(table: &ResponseTable, missing_codes: &[f64]) -> Dataset {
    let mut dataset = Dataset {
        n: table.height(),
        variables: Vec::new(),
        ids: Vec::new(),
        origins: Vec::new(),
    };
    push_passthrough(&mut dataset, table, missing_codes);
    dataset
}

/// The number a text cell holds, if it holds one: what a CSV reader would parse as a number.
/// Empty cells and R's `NA` are missing (None inside Some); infinities and `NaN` are text.
fn numeric_cell(cell: Option<&str>) -> Option<Option<f64>> {
    match cell.map(str::trim) {
        None | Some("") | Some("NA") => Some(None),
        Some(text) => match text.parse::<f64>() {
            Ok(number) if number.is_finite() => Some(Some(number)),
            _ => None,
        },
    }
}

/// The numbers of a text column whose every present cell is a number, else None.
///
/// A survey's reader keeps the columns that are not items as text, so that they pass through
/// to outputs exactly as written; as variables they must be numbers whenever their values are,
/// as they are when the same file is read without a survey.
fn numeric_text(strings: &StringChunked) -> Option<Vec<Option<f64>>> {
    let mut numbers = Vec::with_capacity(strings.len());
    let mut present = 0usize;
    for cell in strings.iter() {
        let number = numeric_cell(cell)?;
        present += usize::from(number.is_some());
        numbers.push(number);
    }
    (present > 0).then_some(numbers)
}

/// Numbers with `missing_codes` and nulls as NaN.
fn with_missing(numbers: impl Iterator<Item = Option<f64>>, missing_codes: &[f64]) -> Vec<f64> {
    numbers
        .map(|v| match v {
            Some(x) if !missing_codes.contains(&x) => x,
            _ => f64::NAN,
        })
        .collect()
}

/// The values of a float column, nulls and `missing_codes` as NaN, read chunk by chunk from
/// the values and their validity bits (polars' iterator of options costs several times more).
fn float_values(numbers: &Float64Chunked, missing_codes: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(numbers.len());
    for array in numbers.downcast_iter() {
        let start = out.len();
        out.extend_from_slice(array.values().as_slice());
        if let Some(validity) = array.validity() {
            for (value, valid) in out[start..].iter_mut().zip(validity.iter()) {
                if !valid {
                    *value = f64::NAN;
                }
            }
        }
    }
    if !missing_codes.is_empty() {
        for value in &mut out {
            if missing_codes.contains(value) {
                *value = f64::NAN;
            }
        }
    }
    out
}

/// A variable from a polars column: numbers stay numbers (with `missing_codes` as missing),
/// text whose every cell is a number becomes numbers too, and anything else becomes
/// categorical with its levels in sorted order, as R's `factor` does.
fn column_variable(column: &Column, missing_codes: &[f64]) -> Option<Variable> {
    let name = column.name().to_string();
    let dtype = column.dtype();
    let values = if dtype.is_primitive_numeric() || dtype.is_bool() {
        let cast = column.cast(&DataType::Float64).ok()?;
        let numbers = cast.f64().ok()?;
        Values::Numeric(float_values(numbers, missing_codes))
    } else {
        let cast = column.cast(&DataType::String).ok()?;
        let strings = cast.str().ok()?;
        if let Some(numbers) = numeric_text(strings) {
            Values::Numeric(with_missing(numbers.into_iter(), missing_codes))
        } else {
            // The levels are borrowed from the column while they are sorted and looked up,
            // so that a cell costs a comparison, not an allocation.
            let mut levels: Vec<&str> = strings
                .iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect();
            levels.sort_unstable();
            levels.dedup();
            let codes = strings
                .iter()
                .map(|s| s.and_then(|s| levels.binary_search(&s).ok().map(|i| i as u32)))
                .collect();
            let levels = levels.into_iter().map(str::to_string).collect();
            Values::Categorical { codes, levels }
        }
    };
    let family = match &values {
        Values::Numeric(v) => data_family(v),
        Values::Categorical { .. } => Family::Gaussian,
    };
    Some(Variable {
        name,
        label: None,
        origin: Origin::Column,
        values,
        family,
    })
}

/// Rows from which the types of a delimited file's columns are guessed before it is parsed.
const SCHEMA_SAMPLE_ROWS: usize = 10_000;

/// Reads a CSV or TSV file with column types guessed from its first rows, every numeric column
/// parsed as a 64-bit float (so that a decimal after many whole numbers still parses). Should
/// a guess be wrong (text further down a column that looked numeric), the file is read again
/// with types guessed from every row. Guessing from every row at once would scan the whole file
/// single-threaded before parsing it, which costs more than the parse itself.
fn read_delimited(bytes: Vec<u8>, format: FileFormat) -> PolarsResult<DataFrame> {
    let options = |infer: Option<usize>| {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(infer)
            .map_parse_options(|options| {
                options
                    .with_separator(if format == FileFormat::Tsv {
                        b'\t'
                    } else {
                        b','
                    })
                    .with_null_values(Some(NullValues::AllColumnsSingle("NA".into())))
            })
    };
    // The sample is parsed from the first rows' bytes only, so that polars does not walk the
    // whole file to find them.
    let sample_end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(SCHEMA_SAMPLE_ROWS)
        .map_or(bytes.len(), |(index, _)| index + 1);
    let sample = options(Some(SCHEMA_SAMPLE_ROWS))
        .into_reader_with_file_handle(Cursor::new(&bytes[..sample_end]))
        .finish()?;
    let schema: Schema = sample
        .columns()
        .iter()
        .map(|column| {
            let dtype = if column.dtype().is_primitive_numeric() {
                DataType::Float64
            } else {
                column.dtype().clone()
            };
            Field::new(column.name().clone(), dtype)
        })
        .collect();
    let typed = options(Some(SCHEMA_SAMPLE_ROWS))
        .with_schema(Some(Arc::new(schema)))
        .into_reader_with_file_handle(Cursor::new(bytes.as_slice()))
        .finish();
    match typed {
        Ok(frame) => Ok(frame),
        Err(_) => options(None)
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish(),
    }
}

/// Reads a data file that has no survey: every column is a variable.
pub fn read_plain(
    source: &str,
    bytes: Vec<u8>,
    format: FileFormat,
    missing_codes: &[f64],
) -> Result<Dataset, DataErrors> {
    let fail = |message: String| DataErrors {
        source_name: source.to_string(),
        problems: vec![DataProblem::file(
            "malformed-file",
            format!("the file cannot be read: {message}"),
            "check that the file is a CSV, TSV, Parquet or JSON Lines file with one header row"
                .to_string(),
        )],
    };
    let frame = match format {
        FileFormat::Csv | FileFormat::Tsv => read_delimited(bytes, format),
        FileFormat::Parquet => ParquetReader::new(Cursor::new(bytes)).finish(),
        FileFormat::JsonLines => JsonReader::new(Cursor::new(bytes))
            .with_json_format(JsonFormat::JsonLines)
            .infer_schema_len(None)
            .finish(),
        FileFormat::Spss | FileFormat::Stata => {
            let file = kith_labelled::read(source, &bytes).map_err(|error| DataErrors {
                source_name: source.to_string(),
                problems: vec![crate::read::labelled_problem(error)],
            })?;
            crate::read::labelled_frame(file)
        }
    }
    .map_err(|e| fail(e.to_string()))?;
    if frame.height() == 0 {
        return Err(DataErrors {
            source_name: source.to_string(),
            problems: vec![DataProblem::file(
                "no-rows",
                "the file has a header but no data rows".to_string(),
                "export the data again, including the rows".to_string(),
            )],
        });
    }
    let mut dataset = Dataset {
        n: frame.height(),
        variables: Vec::new(),
        ids: (1..=frame.height()).map(|row| row.to_string()).collect(),
        origins: (1..=frame.height())
            .map(|row| format!("row {row} of `{source}`"))
            .collect(),
    };
    for column in frame.columns() {
        if let Some(variable) = column_variable(column, missing_codes) {
            dataset.push(variable);
        }
    }
    Ok(dataset)
}

/// The rows where every one of `names` is present.
pub fn complete_rows(dataset: &Dataset, names: &[&str]) -> Vec<usize> {
    let variables: Vec<&Variable> = names.iter().filter_map(|n| dataset.get(n)).collect();
    (0..dataset.n)
        .filter(|&row| variables.iter().all(|v| !v.values.is_missing(row)))
        .collect()
}

/// Scores by id, for looking up labels.
pub fn labels(dataset: &Dataset) -> BTreeMap<String, String> {
    dataset
        .variables
        .iter()
        .filter_map(|v| v.label.clone().map(|l| (v.name.clone(), l)))
        .collect()
}

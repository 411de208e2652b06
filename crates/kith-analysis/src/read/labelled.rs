//! SPSS and Stata response files: decoded by kith-labelled, their user-missing values read as
//! missing and counted, their value labels checked against the items' scales, and their
//! columns handed on as a polars frame like any other file's.

use super::*;
use kith_labelled::{LabelledError, ReadFile, Values};

/// What a labelled file told the reader besides its values, for the notices of the commands.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledSummary {
    /// The format in words, e.g. `SPSS .zsav`.
    pub format: String,
    /// The encoding its text was decoded from.
    pub encoding: String,
    /// The columns with user-missing (SPSS) or extended missing (Stata) values, and how many
    /// each had; they were read as missing.
    pub user_missing: Vec<(String, usize)>,
}

impl LabelledSummary {
    pub fn user_missing_total(&self) -> usize {
        self.user_missing.iter().map(|(_, count)| count).sum()
    }
}

/// A labelled file's problem as a data problem: the message names the variable and the byte
/// offset; the file is named by the problem list.
pub(crate) fn labelled_problem(error: LabelledError) -> DataProblem {
    let mut message = error.message.clone();
    match (&error.variable, error.offset) {
        (Some(variable), Some(offset)) => {
            message = format!("variable `{variable}` (at byte {offset}): {message}")
        }
        (Some(variable), None) => message = format!("variable `{variable}`: {message}"),
        (None, Some(offset)) => message = format!("at byte {offset}: {message}"),
        (None, None) => {}
    }
    let mut problem = DataProblem::file("unreadable-labelled-file", message, error.hint);
    problem.column = error.variable;
    problem
}

/// The file's columns as a polars frame: codes as Int16, whole numbers as Int64 (an id of 17
/// is `17`, as in a CSV file, not `17.0`), other numbers as Float64, missing values null; text
/// as String. Each column leaves the file's dataset as it is converted, so the values are held
/// once at the peak.
pub(crate) fn frame_of(file: ReadFile) -> PolarsResult<DataFrame> {
    let height = file.dataset.rows();
    let mut columns = Vec::with_capacity(file.dataset.columns.len());
    for column in file.dataset.columns {
        let name: PlSmallStr = column.name.as_str().into();
        let series = match column.values {
            Values::Codes(codes) => {
                let values: Int16Chunked = codes
                    .iter()
                    .map(|c| (*c != kith_labelled::MISSING_CODE).then_some(*c))
                    .collect();
                values.with_name(name).into_series()
            }
            Values::Numbers(numbers) => {
                let whole = numbers
                    .iter()
                    .all(|v| v.is_nan() || (v.fract() == 0.0 && v.abs() < 9.0e15));
                if whole {
                    let values: Int64Chunked = numbers
                        .iter()
                        .map(|v| (!v.is_nan()).then_some(*v as i64))
                        .collect();
                    values.with_name(name).into_series()
                } else {
                    let values: Float64Chunked = numbers
                        .iter()
                        .map(|v| (!v.is_nan()).then_some(*v))
                        .collect();
                    values.with_name(name).into_series()
                }
            }
            Values::Text(texts) => {
                let values: StringChunked = texts.iter().map(|t| t.as_deref()).collect();
                values.with_name(name).into_series()
            }
        };
        columns.push(series.into_column());
    }
    DataFrame::new(height, columns)
}

/// The value labels of item columns that name codes the item's scale does not have (and that
/// are not missing-value codes): the file was coded with another scale.
fn label_problems(file: &ReadFile, form: &Form, options: &ReadOptions) -> Vec<DataProblem> {
    let mut problems = Vec::new();
    for column in &file.dataset.columns {
        let Some(item) = form.item(&column.name).filter(|item| is_read(item)) else {
            continue;
        };
        let off: Vec<String> = column
            .meta
            .value_labels
            .iter()
            .filter(|(code, _)| {
                !item.response.accepts(*code)
                    && !column.meta.missing.contains(*code)
                    && !item.missing_codes.contains(code)
                    && !options.missing_codes.contains(code)
            })
            .map(|(code, label)| format!("{} \"{label}\"", format_number(*code)))
            .collect();
        if off.is_empty() {
            continue;
        }
        let at = file
            .label_offset(&column.name)
            .map(|offset| format!(" (value labels at byte {offset})"))
            .unwrap_or_default();
        let mut problem = DataProblem::file(
            "value-label-off-scale",
            format!(
                "the file's value labels of `{}`{at} name {} not on the item's scale ({}): {}",
                column.name,
                if off.len() == 1 { "a code" } else { "codes" },
                item.response.describe_values(),
                off.join(", ")
            ),
            format!(
                "the data were coded with another scale: recode them to the instrument's codes, or, if these codes mean \"missing\", declare them user-missing in SPSS or with {}",
                options.settings.missing_codes
            ),
        );
        problem.column = Some(column.name.clone());
        problems.push(problem);
    }
    problems
}

/// Reads an SPSS or Stata response file for a form.
pub(super) fn read_labelled(
    source: &str,
    bytes: &[u8],
    form: &Form,
    options: &ReadOptions,
) -> Result<(DataFrame, LabelledSummary), DataErrors> {
    let fail = |problems: Vec<DataProblem>| DataErrors {
        source_name: source.to_string(),
        problems,
    };
    // Item columns whose codes fit in 16 bits are read as such (a quarter of the memory).
    let compact: HashSet<String> = form
        .items()
        .filter(|item| is_read(item) && compact_dtype(item) == DataType::Int16)
        .map(|item| {
            let id = &item.item.id;
            // The file's own name of a column `--map` renames.
            options
                .column_map
                .iter()
                .find(|(_, to)| *to == id)
                .map_or_else(|| id.clone(), |(from, _)| from.clone())
        })
        .collect();
    let mut file = kith_labelled::read_compact(source, bytes, &compact)
        .map_err(|e| fail(vec![labelled_problem(e)]))?;
    for column in &mut file.dataset.columns {
        if let Some(renamed) = options.column_map.get(&column.name) {
            column.name = renamed.clone();
        }
    }
    let names = file
        .user_missing
        .iter_mut()
        .map(|(name, _)| name)
        .chain(file.label_offsets.iter_mut().map(|(name, _)| name));
    for name in names {
        if let Some(renamed) = options.column_map.get(name.as_str()) {
            *name = renamed.clone();
        }
    }
    let names: Vec<String> = file
        .dataset
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let clashes = crate::sniff::header_names(&names);
    if !clashes.is_empty() {
        return Err(fail(clashes));
    }
    let problems = label_problems(&file, form, options);
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    let summary = LabelledSummary {
        format: file.format.clone(),
        encoding: file.encoding.clone(),
        user_missing: file.user_missing.clone(),
    };
    let frame = frame_of(file).map_err(|e| fail(vec![polars_problem(e)]))?;
    Ok((frame, summary))
}

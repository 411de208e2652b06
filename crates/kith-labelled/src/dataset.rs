//! The labelled dataset: columns of numbers or text, each with what SPSS and Stata know about
//! it (variable label, value labels, user-missing values, measurement level, width).

use crate::error::LabelledError;

/// The most columns and rows kith writes to or reads from a labelled file. SPSS counts cases
/// in a 32-bit field, and a column of a million labelled answers is far more than a survey has.
pub const MAX_COLUMNS: usize = 32_767;
pub const MAX_ROWS: usize = i32::MAX as usize;

/// Which family a labelled file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Spss,
    Stata,
}

/// SPSS's measurement level of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Nominal,
    Ordinal,
    Scale,
}

/// Values that mean "missing" although they are numbers: SPSS's user-missing values (up to
/// three discrete ones, or a range and one discrete one). In Stata files they are the extended
/// missing values `.a`–`.z`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserMissing {
    pub values: Vec<f64>,
    pub range: Option<(f64, f64)>,
}

impl UserMissing {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.range.is_none()
    }

    /// Whether a value is declared missing.
    pub fn contains(&self, value: f64) -> bool {
        self.values.contains(&value)
            || self
                .range
                .is_some_and(|(low, high)| value >= low && value <= high)
    }
}

/// What a labelled file says about a column besides its values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnMeta {
    /// The variable label (the question text).
    pub label: Option<String>,
    /// Codes and their labels, lowest code first.
    pub value_labels: Vec<(f64, String)>,
    pub missing: UserMissing,
    pub measure: Option<Measure>,
    /// The display width in characters.
    pub display_width: Option<u32>,
    /// Decimals shown for numbers (0 for codes).
    pub decimals: Option<u8>,
}

/// The code that marks a missing value in [`Values::Codes`].
pub const MISSING_CODE: i16 = i16::MIN;

/// A column's values. Missing numbers are NaN (SPSS's system-missing value, Stata's `.`), so
/// that a column of a million answers takes 8 MB, not 16; answer codes that fit in 16 bits take
/// 2 MB as `Codes`, with [`MISSING_CODE`] for missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Numbers(Vec<f64>),
    Codes(Vec<i16>),
    Text(Vec<Option<String>>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Numbers(numbers) => numbers.len(),
            Values::Codes(codes) => codes.len(),
            Values::Text(texts) => texts.len(),
        }
    }

    /// The code a number is stored as in `Codes`, if it is a whole number that fits.
    pub fn code_of(value: f64) -> Option<i16> {
        (value.fract() == 0.0 && value > f64::from(MISSING_CODE) && value <= f64::from(i16::MAX))
            .then_some(value as i16)
    }

    /// Appends a number to a column of numbers or codes; a number that is not a code turns a
    /// column of codes into one of numbers first.
    pub(crate) fn push_number(&mut self, value: f64) {
        match self {
            Values::Codes(codes) => match Values::code_of(value) {
                Some(code) => codes.push(code),
                None if value.is_nan() => codes.push(MISSING_CODE),
                None => {
                    let mut numbers: Vec<f64> = codes
                        .iter()
                        .map(|c| {
                            if *c == MISSING_CODE {
                                f64::NAN
                            } else {
                                f64::from(*c)
                            }
                        })
                        .collect();
                    numbers.push(value);
                    *self = Values::Numbers(numbers);
                }
            },
            Values::Numbers(numbers) => numbers.push(value),
            Values::Text(texts) => texts.push(None),
        }
    }

    /// A number of a column of numbers or codes (NaN when missing or text).
    pub fn number(&self, row: usize) -> f64 {
        match self {
            Values::Numbers(numbers) => numbers[row],
            Values::Codes(codes) if codes[row] != MISSING_CODE => f64::from(codes[row]),
            _ => f64::NAN,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One column of a labelled file.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Values,
    pub meta: ColumnMeta,
}

/// A table of labelled columns, all of one length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// The file label (SPSS) or dataset label (Stata).
    pub label: Option<String>,
    pub columns: Vec<Column>,
}

impl Dataset {
    /// The number of rows: the length of the first column.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |column| column.values.len())
    }

    /// Refuses a dataset that no labelled file can hold, before anything is encoded.
    pub(crate) fn check(&self, source: &str) -> Result<(), LabelledError> {
        if self.columns.len() > MAX_COLUMNS {
            return Err(LabelledError {
                file: source.to_string(),
                variable: None,
                offset: None,
                message: format!(
                    "{} columns are more than SPSS and Stata files hold ({MAX_COLUMNS})",
                    self.columns.len()
                ),
                hint: "write CSV or Parquet instead, or fewer columns".to_string(),
            });
        }
        let rows = self.rows();
        if rows > MAX_ROWS {
            return Err(LabelledError {
                file: source.to_string(),
                variable: None,
                offset: None,
                message: format!("{rows} rows are more than an SPSS file counts"),
                hint: "write Parquet instead".to_string(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        for column in &self.columns {
            if column.values.len() != rows {
                return Err(LabelledError::variable(
                    source,
                    &column.name,
                    None,
                    format!(
                        "the column has {} values, the first {rows}",
                        column.values.len()
                    ),
                    "this is a bug in kith: please report it",
                ));
            }
            if !seen.insert(column.name.to_lowercase()) {
                return Err(LabelledError::variable(
                    source,
                    &column.name,
                    None,
                    "two columns have this name (SPSS and Stata names ignore case)",
                    "rename one of them",
                ));
            }
        }
        Ok(())
    }
}

/// A labelled file as read: its columns, with every user-missing value already missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFile {
    pub kind: FileKind,
    /// The format in words, e.g. `SPSS .zsav` or `Stata 14 (.dta format 118)`.
    pub format: String,
    /// The character encoding the file's text was decoded from.
    pub encoding: String,
    pub dataset: Dataset,
    /// How many values of each column were user-missing (SPSS) or extended missing (Stata)
    /// and so were read as missing; columns without any are left out.
    pub user_missing: Vec<(String, usize)>,
    /// The byte offset of each column's value-label record, for messages about its labels.
    pub label_offsets: Vec<(String, u64)>,
}

impl ReadFile {
    /// The offset of a column's value labels, when the file has them.
    pub fn label_offset(&self, column: &str) -> Option<u64> {
        self.label_offsets
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, offset)| *offset)
    }
}

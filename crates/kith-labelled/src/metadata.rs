//! What the instrument knows about each column, as SPSS and Stata record it: the item text as
//! the variable label, the scale's codes and labels as value labels, the missing-value codes as
//! user-missing values, the measurement level and a display width; scores with their labels.

use crate::dataset::{ColumnMeta, Measure, UserMissing};
use kith_instrument::codebook::{Codebook, ColumnRole};
use std::collections::BTreeMap;

/// The metadata of every column a form's files have, by column name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormMetadata {
    pub columns: BTreeMap<String, ColumnMeta>,
}

impl FormMetadata {
    pub fn get(&self, column: &str) -> Option<&ColumnMeta> {
        self.columns.get(column)
    }
}

/// The measurement level of an answer: ordinal for Likert scales, scale for numbers, nominal
/// for choices and text.
fn measure(response_type: &str) -> Measure {
    match response_type {
        "likert" => Measure::Ordinal,
        "numeric" => Measure::Scale,
        _ => Measure::Nominal,
    }
}

/// SPSS holds at most three discrete user-missing values. More codes become one range when no
/// valid code lies inside it; otherwise the first three are declared (and the rest stay valid
/// numbers in SPSS, which `kith score` still treats as missing).
pub(crate) fn user_missing(codes: &[f64], valid: &[f64]) -> UserMissing {
    let mut codes: Vec<f64> = codes.iter().copied().filter(|c| c.is_finite()).collect();
    codes.sort_by(f64::total_cmp);
    codes.dedup();
    if codes.len() <= 3 {
        return UserMissing {
            values: codes,
            range: None,
        };
    }
    let (low, high) = (codes[0], codes[codes.len() - 1]);
    if valid.iter().all(|v| *v < low || *v > high) {
        UserMissing {
            values: Vec::new(),
            range: Some((low, high)),
        }
    } else {
        codes.truncate(3);
        UserMissing {
            values: codes,
            range: None,
        }
    }
}

/// The display width of a column of codes or numbers: wide enough for its widest label's
/// code, at least 8 as SPSS shows numbers.
fn width(response_type: &str) -> u32 {
    match response_type {
        "text" => 40,
        _ => 8,
    }
}

/// The metadata of a form's columns, from its codebook.
pub fn describe_form(book: &Codebook) -> FormMetadata {
    let mut columns = BTreeMap::new();
    for column in &book.columns {
        let value_labels: Vec<(f64, String)> = column
            .values
            .iter()
            .map(|value| (value.value as f64, value.label.clone()))
            .collect();
        let valid: Vec<f64> = value_labels.iter().map(|(code, _)| *code).collect();
        let (measure, decimals) = match column.role {
            ColumnRole::Id => (Measure::Nominal, Some(0)),
            ColumnRole::Option | ColumnRole::AttentionCheck => (Measure::Nominal, Some(0)),
            ColumnRole::Item => {
                let measure = measure(column.response_type);
                let decimals = match column.response_type {
                    "numeric" => None,
                    _ => Some(0),
                };
                (measure, decimals)
            }
        };
        columns.insert(
            column.name.clone(),
            ColumnMeta {
                label: Some(column.text.clone()).filter(|text| !text.is_empty()),
                value_labels,
                missing: user_missing(&column.missing_codes, &valid),
                measure: Some(measure),
                display_width: Some(width(column.response_type)),
                decimals,
            },
        );
    }
    for score in &book.scores {
        columns.insert(
            score.id.clone(),
            ColumnMeta {
                label: Some(score.label.clone()),
                measure: Some(Measure::Scale),
                display_width: Some(8),
                decimals: Some(2),
                ..ColumnMeta::default()
            },
        );
    }
    FormMetadata { columns }
}

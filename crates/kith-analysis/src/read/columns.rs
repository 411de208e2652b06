//! The second pass: every item column checked cell by cell against its scale, Qualtrics
//! choice texts mapped to codes, and every bad cell named.

use super::*;

/// A number as researchers write it: `7`, not `7.0` (f64's Display already does this).
pub(super) fn format_number(value: f64) -> String {
    value.to_string()
}

pub(super) fn normalize_label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The codes of a scale with their labels, in the scale's order.
pub(super) fn coded_labels(scale: &ResponseScale) -> Vec<(f64, &str)> {
    match scale {
        ResponseScale::Likert { values, labels, .. } => values
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
pub(super) struct ColumnCheck<'a> {
    pub(super) item: &'a FormItem,
    pub(super) missing: &'a [f64],
    pub(super) rows: &'a [usize],
    pub(super) ids: &'a [String],
    pub(super) problems: &'a mut Vec<DataProblem>,
    /// How the user declares missing-value codes, for the hint of an off-scale value.
    pub(super) missing_codes_setting: &'a str,
}

impl ColumnCheck<'_> {
    pub(super) fn off_scale(&mut self, index: usize, value: f64) {
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
                "the scale `{}` accepts {allowed}; correct the value, or declare it a missing-value code with {}",
                item.item.scale, self.missing_codes_setting
            ),
        ));
    }

    pub(super) fn is_missing_code(&self, value: f64) -> bool {
        self.missing.contains(&value)
    }

    /// Checks 16-bit codes parsed by the fast path in one pass, with a lookup table that
    /// classifies every possible code as an answer, a missing-value code, or off the scale.
    pub(super) fn codes(&mut self, column: &Int16Chunked) -> ItemValues {
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
    pub(super) fn numbers(
        &mut self,
        values: impl Iterator<Item = Option<f64>>,
        compact: bool,
    ) -> ItemValues {
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
    pub(super) fn text(
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

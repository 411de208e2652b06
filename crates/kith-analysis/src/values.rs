//! The answers to one item: compact 16-bit codes or any numbers, with a marker for missing.

/// The answers to one item, one per kept row.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemValues {
    /// Whole-number codes; `MISSING_CODE` marks a missing answer.
    Codes(Vec<i16>),
    /// Any numbers; NaN marks a missing answer.
    Reals(Vec<f64>),
}

/// The code that marks a missing answer in `ItemValues::Codes`.
pub const MISSING_CODE: i16 = i16::MIN;

impl ItemValues {
    /// The answers after reverse keying: (min + max) − answer. Codes stay codes when the
    /// bounds are whole numbers and the reversed values fit, as they do for every likert scale.
    pub fn reversed(&self, min: f64, max: f64) -> ItemValues {
        match self {
            ItemValues::Codes(values) if min.fract() == 0.0 && max.fract() == 0.0 => {
                let sum = (min + max) as i32;
                let fits = values.iter().filter(|v| **v != MISSING_CODE).all(|v| {
                    (sum - i32::from(*v)) > i32::from(MISSING_CODE)
                        && (sum - i32::from(*v)) <= i32::from(i16::MAX)
                });
                if fits {
                    return ItemValues::Codes(
                        values
                            .iter()
                            .map(|v| {
                                if *v == MISSING_CODE {
                                    MISSING_CODE
                                } else {
                                    (sum - i32::from(*v)) as i16
                                }
                            })
                            .collect(),
                    );
                }
                ItemValues::Reals(self.to_f64().iter().map(|v| min + max - v).collect())
            }
            _ => ItemValues::Reals(self.to_f64().iter().map(|v| min + max - v).collect()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ItemValues::Codes(values) => values.len(),
            ItemValues::Reals(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The answer in a row, if there is one.
    pub fn get(&self, row: usize) -> Option<f64> {
        match self {
            ItemValues::Codes(values) => {
                let value = values[row];
                (value != MISSING_CODE).then_some(f64::from(value))
            }
            ItemValues::Reals(values) => {
                let value = values[row];
                (!value.is_nan()).then_some(value)
            }
        }
    }

    /// Rows `start..end` as numbers (NaN for missing) into `out`.
    pub fn fill_f64(&self, start: usize, end: usize, out: &mut [f64]) {
        match self {
            ItemValues::Codes(values) => {
                for (slot, &v) in out.iter_mut().zip(&values[start..end]) {
                    *slot = if v == MISSING_CODE {
                        f64::NAN
                    } else {
                        f64::from(v)
                    };
                }
            }
            ItemValues::Reals(values) => out.copy_from_slice(&values[start..end]),
        }
    }

    /// All answers as numbers, NaN for missing.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            ItemValues::Codes(values) => values
                .iter()
                .map(|&v| {
                    if v == MISSING_CODE {
                        f64::NAN
                    } else {
                        f64::from(v)
                    }
                })
                .collect(),
            ItemValues::Reals(values) => values.clone(),
        }
    }
}

//! What a response scale accepts and how it is named in messages: the methods of `ResponseScale`.
//!
//! The type itself is part of the file format and lives in `model.rs`; these methods are the
//! rules every later stage (checks, codebooks, reading and scoring responses, the runner) asks
//! of a scale, so that each rule is written once.

use crate::model::ResponseScale;

impl ResponseScale {
    /// Whether items on this scale can be reverse keyed and averaged: it must be ordered.
    pub fn is_ordinal(&self) -> bool {
        matches!(
            self,
            ResponseScale::Likert { .. } | ResponseScale::Numeric { .. }
        )
    }

    /// The lowest and highest value of the scale, when it has both.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match self {
            ResponseScale::Likert { values, .. } => {
                let min = values.iter().min()?;
                let max = values.iter().max()?;
                Some((*min as f64, *max as f64))
            }
            ResponseScale::Numeric {
                min: Some(min),
                max: Some(max),
                ..
            } => Some((*min, *max)),
            _ => None,
        }
    }

    /// Whether `value` is an answer the scale accepts.
    pub fn accepts(&self, value: f64) -> bool {
        match self {
            ResponseScale::Likert { values, .. } => values.iter().any(|v| *v as f64 == value),
            ResponseScale::Numeric {
                min, max, integer, ..
            } => {
                min.is_none_or(|min| value >= min)
                    && max.is_none_or(|max| value <= max)
                    && (!integer || value.fract() == 0.0)
            }
            ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
                options.iter().any(|o| o.value as f64 == value)
            }
            ResponseScale::Text { .. } => false,
        }
    }

    /// A short description of the accepted values for messages, e.g. `1, 2, 3, 4, 5`.
    pub fn describe_values(&self) -> String {
        match self {
            ResponseScale::Likert { values, .. } => values
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            ResponseScale::Numeric { min, max, .. } => match (min, max) {
                (Some(min), Some(max)) => format!("{min} to {max}"),
                (Some(min), None) => format!("{min} or more"),
                (None, Some(max)) => format!("{max} or less"),
                (None, None) => "any number".to_string(),
            },
            ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
                options
                    .iter()
                    .map(|o| o.value.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            ResponseScale::Text { .. } => "free text".to_string(),
        }
    }

    /// The name of the scale's type as written in files, e.g. `single_choice`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ResponseScale::Likert { .. } => "likert",
            ResponseScale::Numeric { .. } => "numeric",
            ResponseScale::SingleChoice { .. } => "single_choice",
            ResponseScale::MultipleChoice { .. } => "multiple_choice",
            ResponseScale::Text { .. } => "text",
        }
    }
}

//! Answers: their typed values, how typed text becomes one, and the check against an item's scale.

use kith_instrument::model::ResponseScale;
use serde::{Deserialize, Serialize};

/// A participant's answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// The code of a Likert or single-choice option.
    Code(i64),
    /// A numeric answer.
    Number(f64),
    /// Free text.
    Text(String),
    /// The codes of the chosen options of a multiple-choice question, in scale order.
    Choices(Vec<i64>),
    /// The people chosen in a network question: roster ids, or the names a name generator
    /// was given, in the order chosen.
    People(Vec<String>),
}

impl Answer {
    /// The answer as one cell of text: the code, the number, the text, or codes joined by `|`.
    pub fn to_cell(&self) -> String {
        match self {
            Answer::Code(code) => code.to_string(),
            Answer::Number(number) => number.to_string(),
            Answer::Text(text) => text.clone(),
            Answer::Choices(codes) => codes
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("|"),
            Answer::People(people) => people.join("|"),
        }
    }

    /// The answer as participants read it, with the option's label where there is one.
    pub fn describe(&self, scale: &ResponseScale) -> String {
        self.describe_in(scale, "")
    }

    /// The same, with labels and units in `language` where the scale gives them.
    pub fn describe_in(&self, scale: &ResponseScale, language: &str) -> String {
        match (self, unit_in(scale, language)) {
            (Answer::Code(code), _) => match option_label_in(scale, *code, language) {
                Some(label) => format!("{code} {label}"),
                None => code.to_string(),
            },
            (Answer::Number(number), Some(unit)) => format!("{number} {unit}"),
            (Answer::Choices(codes), _) => codes
                .iter()
                .map(|code| {
                    option_label_in(scale, *code, language)
                        .unwrap_or_default()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("; "),
            (other, _) => other.to_cell(),
        }
    }
}

/// The label of an option code on a Likert or choice scale.
pub fn option_label(scale: &ResponseScale, code: i64) -> Option<&str> {
    option_label_in(scale, code, "")
}

/// The label of an option code in `language`, or in the file's language when the scale has
/// no translation to it.
pub fn option_label_in<'a>(scale: &'a ResponseScale, code: i64, language: &str) -> Option<&'a str> {
    options_in(scale, language)
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| label)
}

/// The options of a Likert or choice scale as (code, label), in display order.
pub fn options(scale: &ResponseScale) -> Vec<(i64, &str)> {
    options_in(scale, "")
}

/// The options with their labels in `language` where the scale gives them.
pub fn options_in<'a>(scale: &'a ResponseScale, language: &str) -> Vec<(i64, &'a str)> {
    match scale {
        ResponseScale::Likert {
            values,
            labels,
            translations,
        } => {
            let labels = translations
                .get(language)
                .filter(|t| t.len() == labels.len())
                .unwrap_or(labels);
            values
                .iter()
                .zip(labels)
                .map(|(v, l)| (*v, l.as_str()))
                .collect()
        }
        ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
            options
                .iter()
                .map(|o| {
                    let label = o.translations.get(language).unwrap_or(&o.label);
                    (o.value, label.as_str())
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A numeric scale's unit in `language` where the scale gives it.
pub fn unit_in<'a>(scale: &'a ResponseScale, language: &str) -> Option<&'a str> {
    match scale {
        ResponseScale::Numeric {
            unit: Some(unit),
            translations,
            ..
        } => Some(translations.get(language).unwrap_or(unit)),
        _ => None,
    }
}

/// Why an answer was refused. The message is shown to participants next to the question.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerProblem {
    #[error("`{value}` is not one of the answers; choose one of {allowed}")]
    OffScale { value: String, allowed: String },
    #[error("`{0}` is not a number; type a number such as 12 or 2.5")]
    NotANumber(String),
    #[error(
        "`{0}` has a comma; type the number without one, with a point for decimals (85000 or 2.5)"
    )]
    Comma(String),
    #[error("`{0}` is not a whole number; type a whole number")]
    NotWhole(String),
    #[error("{value} is less than {min}; type a number from {min}{to}")]
    BelowMin {
        value: String,
        min: String,
        to: String,
    },
    #[error("{value} is more than {max}; type a number up to {max}")]
    AboveMax { value: String, max: String },
    #[error("the answer has {length} characters; at most {max} are accepted")]
    TooLong { length: usize, max: u32 },
    #[error("this question takes {expected}, not {given}")]
    WrongKind {
        expected: &'static str,
        given: &'static str,
    },
    #[error("option {0} is chosen twice")]
    Repeated(i64),
    #[error("at most {max} people can be chosen")]
    TooManyPeople { max: usize },
    #[error("`{0}` is not on the list of people")]
    NotOnRoster(String),
    #[error("you cannot choose yourself")]
    SelfChosen,
    #[error("{0} is chosen twice")]
    PersonRepeated(String),
    #[error("a name is blank")]
    BlankName,
}

fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

fn kind_name(answer: &Answer) -> &'static str {
    match answer {
        Answer::Code(_) => "an option",
        Answer::Number(_) => "a number",
        Answer::Text(_) => "text",
        Answer::Choices(_) => "a set of options",
        Answer::People(_) => "a list of people",
    }
}

/// Checks an answer against the question's scale.
pub fn check_answer(scale: &ResponseScale, answer: &Answer) -> Result<(), AnswerProblem> {
    let allowed = |codes: Vec<i64>| {
        codes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (scale, answer) {
        (ResponseScale::Likert { .. } | ResponseScale::SingleChoice { .. }, Answer::Code(code)) => {
            let codes: Vec<i64> = options(scale).iter().map(|(v, _)| *v).collect();
            if codes.contains(code) {
                Ok(())
            } else {
                Err(AnswerProblem::OffScale {
                    value: code.to_string(),
                    allowed: allowed(codes),
                })
            }
        }
        (ResponseScale::MultipleChoice { .. }, Answer::Choices(chosen)) => {
            let codes: Vec<i64> = options(scale).iter().map(|(v, _)| *v).collect();
            for (index, code) in chosen.iter().enumerate() {
                if !codes.contains(code) {
                    return Err(AnswerProblem::OffScale {
                        value: code.to_string(),
                        allowed: allowed(codes),
                    });
                }
                if chosen[..index].contains(code) {
                    return Err(AnswerProblem::Repeated(*code));
                }
            }
            Ok(())
        }
        (
            ResponseScale::Numeric {
                min, max, integer, ..
            },
            Answer::Number(value),
        ) => {
            if !value.is_finite() {
                return Err(AnswerProblem::NotANumber(value.to_string()));
            }
            if *integer && value.fract() != 0.0 {
                return Err(AnswerProblem::NotWhole(number_text(*value)));
            }
            if let Some(min) = min
                && value < min
            {
                return Err(AnswerProblem::BelowMin {
                    value: number_text(*value),
                    min: number_text(*min),
                    to: max
                        .map(|m| format!(" to {}", number_text(m)))
                        .unwrap_or_default(),
                });
            }
            if let Some(max) = max
                && value > max
            {
                return Err(AnswerProblem::AboveMax {
                    value: number_text(*value),
                    max: number_text(*max),
                });
            }
            Ok(())
        }
        (ResponseScale::Text { max_length }, Answer::Text(text)) => {
            let length = text.chars().count();
            match max_length {
                Some(max) if length > *max as usize => {
                    Err(AnswerProblem::TooLong { length, max: *max })
                }
                _ => Ok(()),
            }
        }
        (scale, answer) => Err(AnswerProblem::WrongKind {
            expected: match scale {
                ResponseScale::Likert { .. } | ResponseScale::SingleChoice { .. } => "an option",
                ResponseScale::MultipleChoice { .. } => "a set of options",
                ResponseScale::Numeric { .. } => "a number",
                ResponseScale::Text { .. } => "text",
            },
            given: kind_name(answer),
        }),
    }
}

/// Reads typed text as an answer to a question on `scale` and checks it. Blank text is no
/// answer (`Ok(None)`). Options are given by code; several codes are separated by commas.
pub fn parse_answer(scale: &ResponseScale, text: &str) -> Result<Option<Answer>, AnswerProblem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let code = |part: &str| -> Result<i64, AnswerProblem> {
        part.trim()
            .parse::<i64>()
            .map_err(|_| AnswerProblem::OffScale {
                value: part.trim().to_string(),
                allowed: options(scale)
                    .iter()
                    .map(|(v, _)| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    };
    let answer = match scale {
        ResponseScale::Likert { .. } | ResponseScale::SingleChoice { .. } => {
            Answer::Code(code(trimmed)?)
        }
        ResponseScale::MultipleChoice { .. } => {
            let mut chosen = trimmed
                .split(',')
                .filter(|part| !part.trim().is_empty())
                .map(code)
                .collect::<Result<Vec<i64>, _>>()?;
            let order: Vec<i64> = options(scale).iter().map(|(v, _)| *v).collect();
            check_answer(scale, &Answer::Choices(chosen.clone()))?;
            chosen.sort_by_key(|c| order.iter().position(|v| v == c));
            Answer::Choices(chosen)
        }
        ResponseScale::Numeric { .. } => {
            // A comma could be a decimal mark (2,5) or a thousands separator (85,000): guessing
            // could store 85 for 85,000, so the participant is asked to write it without one.
            if trimmed.contains(',') {
                return Err(AnswerProblem::Comma(trimmed.to_string()));
            }
            let value: f64 = trimmed
                .parse()
                .map_err(|_| AnswerProblem::NotANumber(trimmed.to_string()))?;
            Answer::Number(value)
        }
        ResponseScale::Text { .. } => Answer::Text(text.trim_end().to_string()),
    };
    check_answer(scale, &answer)?;
    Ok(Some(answer))
}

//! How Qualtrics addresses answers (`q://QID3/SelectableChoice/2`, `${q://QID3/…}`) and which
//! kith items hold them: every converted question's columns, and piped texts as templates whose
//! placeholders can still fall back to text when kith cannot pipe them.

use std::collections::{HashMap, HashSet};

/// What a kith item holds, as conditions see it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum AnswerKind {
    /// One code of a Likert or single-choice scale (the codes).
    Coded(Vec<i64>),
    /// Codes of a multiple-choice item.
    Multiple,
    Number,
    Text,
}

/// One kith item and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Answer {
    pub id: String,
    pub kind: AnswerKind,
}

/// The kith items of one converted question, by what Qualtrics calls their parts.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    /// The item holding the whole answer (single or multiple choice, text entry).
    pub whole: Option<Answer>,
    /// The items of a matrix's statements, a slider's bars or a form's fields, by choice id.
    pub rows: HashMap<String, Answer>,
    /// The code of each choice (choice questions), by choice id.
    pub choice_codes: HashMap<String, i64>,
    /// The code of each scale point (matrices), by answer id.
    pub answer_codes: HashMap<String, i64>,
    /// Scale points that kith reads as missing (negative codes such as "Don't know").
    pub missing_answers: HashSet<String>,
    /// The text items of choices with a text box ("Other: ___"), by choice id.
    pub texts: HashMap<String, String>,
}

/// The columns of every converted question, by question id.
pub(super) type Registry = HashMap<String, Columns>;

/// A reference Qualtrics writes as `q://QID3/Part/a/b`: the question, the part, and up to two
/// ids after it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Locator<'t> {
    pub question: &'t str,
    pub part: &'t str,
    pub first: Option<&'t str>,
    pub second: Option<&'t str>,
}

/// Reads `q://QID…/Part[/a[/b]]`.
pub(super) fn locator(text: &str) -> Option<Locator<'_>> {
    let rest = text.strip_prefix("q://")?;
    let mut parts = rest.split('/');
    let question = parts.next().filter(|q| !q.is_empty())?;
    let part = parts.next().filter(|p| !p.is_empty())?;
    let first = parts.next().filter(|p| !p.is_empty());
    let second = parts.next().filter(|p| !p.is_empty());
    if parts.next().is_some() {
        return None;
    }
    Some(Locator {
        question,
        part,
        first,
        second,
    })
}

/// Whether a question id names a question kith converts as itself: a side-by-side column
/// (`QID4#1`, written `QID4%231`) or a question inside a loop is not one.
pub(super) fn is_plain_question(question: &str) -> bool {
    !question.contains(['%', '#'])
}

/// One part of a converted participant-facing text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Text(String),
    /// An earlier answer piped in: the item, and the Qualtrics placeholder it replaces.
    Pipe {
        item: String,
        original: String,
    },
}

/// A participant-facing text with its piped answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Template {
    pub pieces: Vec<Piece>,
}

/// A Qualtrics placeholder that kith cannot pipe, and why.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unpiped {
    pub original: String,
    pub reason: String,
}

impl Template {
    /// Plain text without placeholders.
    pub(super) fn plain(text: &str) -> Template {
        Template {
            pieces: vec![Piece::Text(text.to_string())],
        }
    }

    /// The text as kith writes it: braces doubled, a kept placeholder as `{item}`, one that
    /// `keep` refuses as Qualtrics wrote it (with its braces doubled, so kith shows it as text).
    pub(super) fn render(&self, keep: &dyn Fn(&str) -> bool) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(&escape_braces(text)),
                Piece::Pipe { item, original } => {
                    if keep(item) {
                        out.push('{');
                        out.push_str(item);
                        out.push('}');
                    } else {
                        out.push_str(&escape_braces(original));
                    }
                }
            }
        }
        out
    }

    /// The items the text pipes, with the placeholders they replace.
    pub(super) fn pipes(&self) -> Vec<(&str, &str)> {
        self.pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Pipe { item, original } => Some((item.as_str(), original.as_str())),
                Piece::Text(_) => None,
            })
            .collect()
    }
}

fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// The most placeholders kith reads in one text (`logic::piping::MAX_PLACEHOLDERS`).
const MAX_PIPES: usize = 50;

/// The template of a plain text with Qualtrics placeholders (`${q://QID3/ChoiceTextEntryValue}`),
/// and the placeholders kith cannot pipe (they stay as text).
pub(super) fn template(text: &str, registry: &Registry) -> (Template, Vec<Unpiped>) {
    let mut pieces = Vec::new();
    let mut unpiped = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut pipes = 0;
    while let Some(at) = rest.find("${") {
        let Some(length) = rest[at..].find('}') else {
            break;
        };
        literal.push_str(&rest[..at]);
        let original = &rest[at..at + length + 1];
        let inner = &original[2..original.len() - 1];
        rest = &rest[at + length + 1..];
        match piped_item(inner, registry) {
            Ok(item) if pipes < MAX_PIPES => {
                pipes += 1;
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Pipe {
                    item,
                    original: original.to_string(),
                });
            }
            Ok(_) => {
                literal.push_str(original);
                unpiped.push(Unpiped {
                    original: original.to_string(),
                    reason: format!("kith pipes at most {MAX_PIPES} answers into one text"),
                });
            }
            Err(reason) => {
                literal.push_str(original);
                unpiped.push(Unpiped {
                    original: original.to_string(),
                    reason,
                });
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    (Template { pieces }, unpiped)
}

/// The kith item a Qualtrics placeholder shows, or why kith cannot show it.
fn piped_item(inner: &str, registry: &Registry) -> Result<String, String> {
    let Some(found) = locator(inner) else {
        let source = inner.split("://").next().unwrap_or(inner);
        return Err(match source {
            "e" => format!(
                "`${{{inner}}}` shows embedded data; kith keeps none (a value passed in the link is `{{param.NAME}}` in kith's texts)"
            ),
            "lm" => "it shows a loop & merge field; kith has no loops".to_string(),
            "m" | "panel" => "it shows contact-list data, which kith does not have".to_string(),
            _ => format!("kith has no equivalent of `${{{inner}}}`"),
        });
    };
    if !is_plain_question(found.question) {
        return Err("it shows an answer to a side-by-side or looped question".to_string());
    }
    let Some(columns) = registry.get(found.question) else {
        return Err(format!(
            "it shows an answer to {}, which is not converted",
            found.question
        ));
    };
    let row = |id: Option<&str>| {
        id.and_then(|id| columns.rows.get(id))
            .map(|answer| answer.id.clone())
    };
    let item = match (found.part, found.first) {
        ("ChoiceGroup", Some("SelectedChoices")) | ("ChoiceTextEntryValue", None) => {
            columns.whole.as_ref().map(|answer| answer.id.clone())
        }
        ("ChoiceTextEntryValue", Some(choice)) => columns
            .texts
            .get(choice)
            .cloned()
            .or_else(|| row(Some(choice))),
        ("ChoiceNumericEntryValue", first) => row(first),
        ("ChoiceGroup", Some("SelectedAnswers")) => row(found.second),
        _ => {
            return Err(format!(
                "kith pipes an item's answer (its label for a coded answer), not `{}`",
                found.part
            ));
        }
    };
    item.ok_or_else(|| format!("kith has no item for `${{{inner}}}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_and_templates() {
        assert_eq!(
            locator("q://QID3/SelectableChoice/2/4"),
            Some(Locator {
                question: "QID3",
                part: "SelectableChoice",
                first: Some("2"),
                second: Some("4")
            })
        );
        assert_eq!(locator("e://Field/x"), None);
        let mut registry = Registry::new();
        registry.insert(
            "QID1".to_string(),
            Columns {
                whole: Some(Answer {
                    id: "age".to_string(),
                    kind: AnswerKind::Number,
                }),
                ..Columns::default()
            },
        );
        let (template, unpiped) = template(
            "You are ${q://QID1/ChoiceTextEntryValue} {years}, ${e://Field/wave}",
            &registry,
        );
        assert_eq!(
            template.render(&|_| true),
            "You are {age} {{years}}, ${{e://Field/wave}}"
        );
        assert_eq!(
            template.render(&|_| false),
            "You are ${{q://QID1/ChoiceTextEntryValue}} {{years}}, ${{e://Field/wave}}"
        );
        assert_eq!(unpiped.len(), 1);
    }
}

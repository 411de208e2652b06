//! The parts of a Qualtrics question the converter reads everywhere: its choices and scale
//! points in display order with their recode values, its export tag, and the ids kith gives
//! the export's columns.

use super::read::{entries, field, text_of};
use super::text::{column_id, one_line};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The most choices (or scale points) one question may have.
pub(super) const MAX_CHOICES: usize = 1_000;

/// One choice, statement or scale point of a question.
#[derive(Debug, Clone)]
pub(super) struct Choice<'a> {
    /// Qualtrics' id of the choice, which logic refers to.
    pub id: String,
    /// The text shown, as plain text on one line.
    pub label: String,
    /// The recode value (the code the export holds), as written.
    pub recode: String,
    /// Whether the choice has a text box ("Other: ___").
    pub text_entry: bool,
    pub object: Option<&'a Map<String, Value>>,
}

impl<'a> Choice<'a> {
    /// The recode value as a whole number, or why it is not one.
    pub(super) fn code(&self) -> Result<i64, String> {
        let text = self.recode.trim();
        if let Ok(code) = text.parse::<i64>() {
            return Ok(code);
        }
        match text.parse::<f64>() {
            Ok(value) if value.fract() == 0.0 && value.abs() < 1e15 => Ok(value as i64),
            _ => Err(format!(
                "the code `{text}` of `{}` is not a whole number, and kith's codes are",
                self.label
            )),
        }
    }

    /// The choice's own display logic (a choice shown only to some respondents).
    pub(super) fn display_logic(&self) -> Option<&'a Value> {
        self.object.and_then(|object| object.get("DisplayLogic"))
    }
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(flag)) => *flag,
        Some(Value::String(text)) => text == "true" || text == "1" || text == "ON",
        Some(Value::Number(number)) => number.as_f64().is_some_and(|n| n != 0.0),
        _ => false,
    }
}

/// The choices (`Choices`/`ChoiceOrder`) or scale points (`Answers`/`AnswerOrder`) of a
/// question in display order, with codes from `RecodeValues` (the id when there is none).
/// An order that names a choice the question does not have is an error: the file is damaged.
pub(super) fn choices<'a>(
    payload: &'a Map<String, Value>,
    list_key: &str,
    order_key: &str,
    recodes: Option<&'a Value>,
) -> Result<Vec<Choice<'a>>, ChoiceError> {
    let defined = payload.get(list_key).map(entries).unwrap_or_default();
    let order: Vec<String> = match payload.get(order_key) {
        Some(Value::Array(order)) => order.iter().filter_map(text_of).collect(),
        _ => defined.iter().map(|(id, _)| id.clone()).collect(),
    };
    if order.len() > MAX_CHOICES || defined.len() > MAX_CHOICES {
        return Err(ChoiceError::TooMany(order.len().max(defined.len())));
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for id in order {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some((_, value)) = defined.iter().find(|(key, _)| *key == id) else {
            return Err(ChoiceError::Missing(id));
        };
        let object = value.as_object();
        let display = object
            .and_then(|object| field(object, "Display"))
            .or_else(|| text_of(value))
            .unwrap_or_default();
        let recode = recodes
            .and_then(|recodes| recodes.get(&id))
            .and_then(text_of)
            .filter(|code| !code.trim().is_empty())
            .unwrap_or_else(|| id.clone());
        out.push(Choice {
            label: one_line(&display),
            recode,
            text_entry: truthy(object.and_then(|object| object.get("TextEntry"))),
            id,
            object,
        });
    }
    Ok(out)
}

/// Why the choices of a question cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ChoiceError {
    /// The display order names a choice the question does not define.
    Missing(String),
    TooMany(usize),
}

/// The labels of `choices` as kith needs them: never empty (the code stands in) and, for
/// choice scales, never twice (a later duplicate gets its code added). Returns the labels and
/// whether any was changed.
pub(super) fn labels(choices: &[(i64, String)], unique: bool) -> (Vec<String>, bool) {
    let mut seen = HashSet::new();
    let mut changed = false;
    let mut out = Vec::new();
    for (code, label) in choices {
        let mut label = label.clone();
        if label.trim().is_empty() {
            label = code.to_string();
            changed = true;
        }
        if unique && !seen.insert(label.clone()) {
            label = format!("{label} ({code})");
            changed = true;
            seen.insert(label.clone());
        }
        out.push(label);
    }
    (out, changed)
}

/// Hands out kith ids for the export's columns. Conversion runs twice: first recording every
/// column the survey has, then giving each its id, so that a column kith accepts keeps its
/// name even when a column met earlier would have been renamed to it.
#[derive(Debug, Default)]
pub(super) struct Ids {
    /// Whether this is the first run, which only records columns.
    recording: bool,
    /// Every column met in the first run, with how often.
    seen: HashMap<String, usize>,
    /// The columns that keep their names: acceptable to kith and met once.
    natural: HashSet<String>,
    taken: HashSet<String>,
    /// (export column, kith id, why), in the order the ids were given.
    pub renamed: Vec<(String, String, &'static str)>,
}

impl Ids {
    /// Ids that only record the columns they are asked for.
    pub(super) fn recording() -> Ids {
        Ids {
            recording: true,
            ..Ids::default()
        }
    }

    /// Ids for the second run, knowing every column the first met.
    pub(super) fn after(recorded: &Ids) -> Ids {
        let natural = recorded
            .seen
            .iter()
            .filter(|(column, count)| **count == 1 && column_id(column).1.is_none())
            .map(|(column, _)| column.clone())
            .collect();
        Ids {
            natural,
            ..Ids::default()
        }
    }

    /// The id of the export column `column`.
    pub(super) fn claim(&mut self, column: &str) -> String {
        if self.recording {
            *self.seen.entry(column.to_string()).or_default() += 1;
            return column.to_string();
        }
        if self.natural.contains(column) && self.taken.insert(column.to_string()) {
            return column.to_string();
        }
        let (id, mut reason) = column_id(column);
        let free = |candidate: &str| {
            !self.taken.contains(candidate)
                && (candidate == column || !self.natural.contains(candidate))
        };
        let id = if free(&id) {
            id
        } else {
            reason = Some(reason.unwrap_or("another column of the export has the same name"));
            let base: String = id.chars().take(60).collect();
            let mut number = 2;
            while !free(&format!("{base}_{number}")) {
                number += 1;
            }
            format!("{base}_{number}")
        };
        if let Some(reason) = reason {
            self.renamed.push((column.to_string(), id.clone(), reason));
        }
        self.taken.insert(id.clone());
        id
    }

    /// Remembers an export column that kith names differently without giving it an id: a
    /// multiple-choice option's column, named by kith after its item and code.
    pub(super) fn option_column(&mut self, column: String, kith: String, reason: &'static str) {
        if !self.recording && column != kith {
            self.renamed.push((column, kith, reason));
        }
    }

    /// An id for something that is no export column (a score), free of every column's.
    pub(super) fn reserve(&mut self, id: &str) -> String {
        let free =
            |candidate: &str| !self.taken.contains(candidate) && !self.natural.contains(candidate);
        let mut candidate = id.to_string();
        let mut number = 2;
        while !free(&candidate) {
            candidate = format!("{id}_{number}");
            number += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// The question's export tag: `DataExportTag`, or its question id when the tag is empty.
pub(super) fn export_tag(payload: &Map<String, Value>, question: &str) -> String {
    field(payload, "DataExportTag")
        .map(|tag| tag.trim().to_string())
        .filter(|tag| !tag.is_empty())
        .unwrap_or_else(|| question.to_string())
}

/// Whether the question must be answered (Qualtrics' "Force Response").
pub(super) fn forced(payload: &Map<String, Value>) -> bool {
    payload
        .get("Validation")
        .and_then(|validation| validation.get("Settings"))
        .and_then(|settings| settings.get("ForceResponse"))
        .and_then(Value::as_str)
        == Some("ON")
}

/// The randomization of a question's choices or statements: `Some("All")` when all are
/// shuffled, another type when only some are, `None` when they keep their order.
pub(super) fn randomization(payload: &Map<String, Value>) -> Option<String> {
    let kind = payload
        .get("Randomization")
        .and_then(|randomization| randomization.get("Type"))
        .and_then(text_of)?;
    (!kind.is_empty() && kind != "None").then_some(kind)
}

/// Whether a question's JavaScript does anything: Qualtrics writes empty `addOnload`,
/// `addOnReady` and `addOnUnload` handlers with comments into every question it is opened on.
pub(super) fn has_javascript(payload: &Map<String, Value>) -> bool {
    let Some(code) = payload.get("QuestionJS").and_then(Value::as_str) else {
        return false;
    };
    let mut stripped = strip_comments(code);
    stripped.retain(|c| !c.is_whitespace());
    for handler in ["load", "Ready", "Unload", "PageSubmit"] {
        for arguments in ["", "type"] {
            let empty =
                format!("Qualtrics.SurveyEngine.addOn{handler}(function({arguments}){{}});");
            stripped = stripped.replace(&empty, "");
            stripped = stripped.replace(&empty[..empty.len() - 1], "");
        }
    }
    !stripped.is_empty()
}

fn strip_comments(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while !rest.is_empty() {
        if let Some(block) = rest.strip_prefix("/*") {
            rest = block.find("*/").map_or("", |end| &block[end + 2..]);
        } else if let Some(line) = rest.strip_prefix("//") {
            rest = line.find('\n').map_or("", |end| &line[end..]);
        } else {
            let next = rest.char_indices().nth(1).map_or(rest.len(), |(at, _)| at);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualtrics_empty_javascript_does_nothing() {
        let template = "Qualtrics.SurveyEngine.addOnload(function()\n{\n\t/*Place your JavaScript here to run when the page loads*/\n\n});\n\nQualtrics.SurveyEngine.addOnReady(function()\n{\n\t/*Place your JavaScript here to run when the page is fully displayed*/\n\n});";
        let mut payload = Map::new();
        payload.insert("QuestionJS".to_string(), Value::from(template));
        assert!(!has_javascript(&payload));
        payload.insert(
            "QuestionJS".to_string(),
            Value::from("Qualtrics.SurveyEngine.addOnload(function() { this.hideNextButton(); });"),
        );
        assert!(has_javascript(&payload));
    }

    #[test]
    fn ids_are_unique_and_genuine_columns_keep_their_names() {
        let columns = ["Q 1", "Q1", "Q1", "Q_1", "consent"];
        let mut recording = Ids::recording();
        for column in columns {
            recording.claim(column);
        }
        let mut ids = Ids::after(&recording);
        let given: Vec<String> = columns.iter().map(|column| ids.claim(column)).collect();
        // `Q 1` would become `Q_1`, which the export already has: it is numbered instead.
        assert_eq!(given, ["Q_1_2", "Q1", "Q1_2", "Q_1", "consent_item"]);
        assert_eq!(ids.reserve("Q1"), "Q1_3");
        assert_eq!(ids.renamed.len(), 3);
    }
}

//! Writing the converted files as YAML a researcher reads and edits: keys in the order of
//! kith's bundled files, defaults left out, comments where the conversion made a choice, and
//! every text quoted exactly when YAML needs it.

use super::text::number;
use crate::model::{Block, ChoiceOption, EndIf, Instrument, Item, ResponseScale, Score, Survey};
use std::collections::HashMap;
use std::fmt::Write;

/// Comments to write into a file: at its top, and above items and scales by id and name.
#[derive(Debug, Default)]
pub(super) struct Comments {
    pub header: Vec<String>,
    pub items: HashMap<String, Vec<String>>,
    pub scales: HashMap<String, Vec<String>>,
}

/// Words YAML (1.1 or 1.2) may read as something other than text.
const SPECIAL: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

/// Whether `text` can be written without quotes; `flow` when it stands in `[…]` or `{…}`.
fn plain(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let forbidden = |c: char| {
        matches!(
            c,
            ':' | '#'
                | '{'
                | '}'
                | '['
                | ']'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '"'
                | '%'
                | '@'
                | '`'
                | '\\'
        ) || (flow && c == ',')
            || c.is_control()
    };
    first.is_alphanumeric()
        && !text.ends_with(' ')
        && !text.chars().any(forbidden)
        && !SPECIAL.contains(&text.to_ascii_lowercase().as_str())
        && text.parse::<f64>().is_err()
}

/// A text as a YAML scalar on one line: plain when it can be, else double-quoted.
pub(super) fn scalar(text: &str, flow: bool) -> String {
    if plain(text, flow) {
        text.to_string()
    } else {
        // A JSON string is a YAML double-quoted scalar with the same escapes.
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
    }
}

/// A comment's text on one line, without characters that would end it.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{:indent$}{text}", "");
    }

    fn comments(&mut self, indent: usize, lines: Option<&Vec<String>>) {
        for line in lines.into_iter().flatten() {
            self.line(indent, &format!("# {}", comment_text(line)));
        }
    }

    /// `key: value`, as a literal block when the text has several lines.
    fn text(&mut self, indent: usize, key: &str, text: &str) {
        let literal = text.contains('\n')
            && text
                .lines()
                .all(|line| line == line.trim() && !line.chars().any(char::is_control));
        if literal {
            self.line(indent, &format!("{key}: |-"));
            for line in text.lines() {
                if line.is_empty() {
                    self.out.push('\n');
                } else {
                    self.line(indent + 2, line);
                }
            }
        } else {
            self.line(indent, &format!("{key}: {}", scalar(text, false)));
        }
    }

    fn optional(&mut self, indent: usize, key: &str, text: &Option<String>) {
        if let Some(text) = text {
            self.text(indent, key, text);
        }
    }

    fn scale(&mut self, indent: usize, scale: &ResponseScale) {
        match scale {
            ResponseScale::Likert { values, labels, .. } => {
                self.line(indent, "type: likert");
                self.line(
                    indent,
                    &format!("values: [{}]", joined(values.iter().map(|v| v.to_string()))),
                );
                let flow = joined(labels.iter().map(|label| scalar(label, true)));
                if flow.len() <= 120 || labels.iter().all(|label| plain(label, true)) {
                    self.line(indent, &format!("labels: [{flow}]"));
                } else {
                    self.line(indent, "labels:");
                    for label in labels {
                        self.line(indent + 2, &format!("- {}", scalar(label, false)));
                    }
                }
            }
            ResponseScale::Numeric {
                min,
                max,
                integer,
                unit,
                ..
            } => {
                self.line(indent, "type: numeric");
                if let Some(min) = min {
                    self.line(indent, &format!("min: {}", number(*min)));
                }
                if let Some(max) = max {
                    self.line(indent, &format!("max: {}", number(*max)));
                }
                if *integer {
                    self.line(indent, "integer: true");
                }
                self.optional(indent, "unit", unit);
            }
            ResponseScale::SingleChoice { options } => {
                self.line(indent, "type: single_choice");
                self.options(indent, options);
            }
            ResponseScale::MultipleChoice { options } => {
                self.line(indent, "type: multiple_choice");
                self.options(indent, options);
            }
            ResponseScale::Text { max_length } => {
                self.line(indent, "type: text");
                if let Some(length) = max_length {
                    self.line(indent, &format!("max_length: {length}"));
                }
            }
        }
    }

    fn options(&mut self, indent: usize, options: &[ChoiceOption]) {
        self.line(indent, "options:");
        for option in options {
            self.line(
                indent + 2,
                &format!(
                    "- {{value: {}, label: {}}}",
                    option.value,
                    scalar(&option.label, true)
                ),
            );
        }
    }

    fn end_if(&mut self, indent: usize, end_if: &Option<EndIf>) {
        if let Some(end_if) = end_if {
            self.line(indent, "end_if:");
            self.text(indent + 2, "condition", &end_if.condition);
            self.optional(indent + 2, "message", &end_if.message);
        }
    }

    fn item(&mut self, item: &Item, comments: &Comments) {
        self.comments(2, comments.items.get(&item.id));
        self.line(2, &format!("- id: {}", item.id));
        self.text(4, "text", &item.text);
        self.line(4, &format!("scale: {}", scalar(&item.scale, false)));
        if item.reverse {
            self.line(4, "reverse: true");
        }
        if item.required {
            self.line(4, "required: true");
        }
        self.optional(4, "show_if", &item.show_if);
        self.end_if(4, &item.end_if);
    }

    fn score(&mut self, score: &Score) {
        self.line(2, &format!("- id: {}", score.id));
        self.text(4, "label", &score.label);
        self.line(4, &format!("items: [{}]", score.items.join(", ")));
    }

    fn block(&mut self, block: &Block) {
        match &block.include {
            Some(include) => self.line(2, &format!("- include: {}", scalar(include, false))),
            None => self.line(2, "- {}"),
        }
        if block.randomize_items {
            self.line(4, "randomize_items: true");
        }
        if let Some(count) = block.items_per_page {
            self.line(4, &format!("items_per_page: {count}"));
        }
        self.optional(4, "show_if", &block.show_if);
        self.end_if(4, &block.end_if);
    }
}

fn joined(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

/// An instrument file.
pub(super) fn instrument(model: &Instrument, comments: &Comments) -> String {
    let mut w = Writer { out: String::new() };
    w.comments(0, Some(&comments.header));
    w.line(0, "kind: instrument");
    w.line(0, &format!("id: {}", model.id));
    w.line(0, &format!("version: {}", model.version));
    w.text(0, "title", &model.title);
    w.optional(0, "description", &model.description);
    w.text(0, "license", &model.license);
    w.line(0, &format!("validated: {}", model.validated));
    w.optional(0, "validation_note", &model.validation_note);
    w.optional(0, "language", &model.language);
    w.optional(0, "instructions", &model.instructions);
    if !model.missing_codes.is_empty() {
        w.line(
            0,
            &format!(
                "missing_codes: [{}]",
                joined(model.missing_codes.iter().map(|c| number(*c)))
            ),
        );
    }
    w.line(0, "scales:");
    for (name, scale) in &model.scales {
        w.comments(2, comments.scales.get(name));
        w.line(2, &format!("{}:", scalar(name, false)));
        w.scale(4, scale);
    }
    w.line(0, "items:");
    for item in &model.items {
        w.item(item, comments);
    }
    if !model.scores.is_empty() {
        w.line(0, "scores:");
        for score in &model.scores {
            w.score(score);
        }
    }
    w.out
}

/// A survey file of blocks that include instruments.
pub(super) fn survey(model: &Survey, comments: &Comments) -> String {
    let mut w = Writer { out: String::new() };
    w.comments(0, Some(&comments.header));
    w.line(0, "kind: survey");
    w.line(0, &format!("id: {}", model.id));
    w.line(0, &format!("version: {}", model.version));
    w.text(0, "title", &model.title);
    w.optional(0, "description", &model.description);
    w.optional(0, "language", &model.language);
    w.optional(0, "consent", &model.consent);
    w.line(0, "blocks:");
    for block in &model.blocks {
        w.block(block);
    }
    if !model.randomize_blocks.is_empty() {
        w.line(
            0,
            &format!("randomize_blocks: [{}]", model.randomize_blocks.join(", ")),
        );
    }
    w.optional(0, "closing", &model.closing);
    w.out
}

/// The map of export columns to kith ids that `kith score --map` reads.
pub(super) fn column_map(header: &[String], renamed: &[(String, String)]) -> String {
    let mut w = Writer { out: String::new() };
    w.comments(0, Some(&header.to_vec()));
    for (column, id) in renamed {
        w.line(0, &format!("{}: {id}", scalar(column, false)));
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_quoted_exactly_when_yaml_needs_it() {
        let cases = [
            ("How old are you?", "How old are you?"),
            ("Other: please say", "\"Other: please say\""),
            ("yes", "\"yes\""),
            ("42", "\"42\""),
            ("- a dash", "\"- a dash\""),
            ("I'm fine", "I'm fine"),
            ("\"quoted\"", "\"\\\"quoted\\\"\""),
            ("", "\"\""),
        ];
        for (text, written) in cases {
            assert_eq!(scalar(text, false), written, "{text}");
            let read: String = serde_yaml::from_str(&scalar(text, false)).unwrap_or_default();
            assert_eq!(read, text);
        }
        assert_eq!(scalar("a, b", true), "\"a, b\"");
    }
}

//! What the codebook says about network questions: they are not columns of the wide response
//! file but rows of its edge list (`kith export --layout edges`), whose columns and follow-ups
//! this section documents. Roster names never appear; people are given by roster id.

use super::{Codebook, describe_range, markdown_cell, value_labels};
use crate::escape::escape_html;
use crate::form::{Form, PeopleSource};
use serde::Serialize;

/// A follow-up question's column in the edge list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookFollowUp {
    pub id: String,
    pub text: String,
    pub response_type: &'static str,
    pub values: String,
}

/// A network question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookRelation {
    /// The relation: the edge list's `relation` column.
    pub id: String,
    /// `instrumental` or `expressive`.
    pub kind: &'static str,
    pub text: String,
    /// Where the people come from: the roster's file, or how many names are written in.
    pub people: String,
    pub follow_ups: Vec<CodebookFollowUp>,
}

/// The fixed columns of the edge list, with what they hold.
pub const EDGE_COLUMNS: [(&str, &str); 10] = [
    ("respondent_id", "the session"),
    (
        "participant_id",
        "the participant id the session was started with",
    ),
    ("status", "the session's status"),
    (
        "ego",
        "the participant's own roster id, when the link carried it",
    ),
    ("relation", "the network question (its block id)"),
    ("kind", "`instrumental` or `expressive`"),
    (
        "alter",
        "the person chosen: a roster id, or for a name generator the name's number",
    ),
    (
        "rank",
        "the order in which the person was chosen (1 = first)",
    ),
    (
        "<follow-up>",
        "one column per follow-up question, the answer about this person",
    ),
    ("chosen_at", "when the list of people was last saved (UTC)"),
];

/// The network questions of a form, in its order.
pub(super) fn relations(form: &Form) -> Vec<CodebookRelation> {
    form.relations()
        .map(|(block, relation)| CodebookRelation {
            id: block.id.clone(),
            kind: relation.kind.name(),
            text: relation.text.trim().to_string(),
            people: match &relation.source {
                PeopleSource::Roster(name) => {
                    let file = form.rosters.get(name).map_or("", |r| r.file.as_str());
                    let limit = relation
                        .max
                        .map(|m| format!(", at most {m}"))
                        .unwrap_or_default();
                    format!("chosen from the roster `{name}` ({file}){limit}")
                }
                PeopleSource::Names(n) => {
                    format!("up to {n} names written in (a name generator); `--names` exports them")
                }
            },
            follow_ups: relation
                .follow_ups
                .iter()
                .map(|f| CodebookFollowUp {
                    id: f.id.clone(),
                    text: f.text.trim().to_string(),
                    response_type: f.response.type_name(),
                    values: describe_range(&f.response).unwrap_or_else(|| {
                        value_labels(&f.response)
                            .iter()
                            .map(|v| format!("{} = {}", v.value, v.label))
                            .collect::<Vec<_>>()
                            .join("; ")
                    }),
                })
                .collect(),
        })
        .collect()
}

const INTRO: &str = "Network questions are not columns of the wide file: each person chosen is a row of the edge list (`kith export --layout edges`). Its columns:";

/// The Markdown section on network questions, empty when the form has none.
pub(super) fn markdown_section(book: &Codebook) -> String {
    if book.relations.is_empty() {
        return String::new();
    }
    let mut out = format!("\n## Network questions\n\n{INTRO}\n\n| Column | Holds |\n|---|---|\n");
    for (column, holds) in EDGE_COLUMNS {
        out.push_str(&format!("| `{column}` | {holds} |\n"));
    }
    for relation in &book.relations {
        out.push_str(&format!(
            "\n### `{}` ({})\n\n{}\n\nPeople: {}.\n",
            relation.id,
            relation.kind,
            markdown_cell(&relation.text),
            relation.people
        ));
        if !relation.follow_ups.is_empty() {
            out.push_str("\n| Follow-up | Question | Type | Values |\n|---|---|---|---|\n");
            for f in &relation.follow_ups {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    f.id,
                    markdown_cell(&f.text),
                    f.response_type,
                    markdown_cell(&f.values)
                ));
            }
        }
    }
    out
}

/// The HTML section on network questions, empty when the form has none.
pub(super) fn html_section(book: &Codebook) -> String {
    if book.relations.is_empty() {
        return String::new();
    }
    let e = escape_html;
    let mut out = format!(
        "<h2>Network questions</h2>\n<p>{}</p>\n<div class=\"wrap\"><table>\n<thead><tr><th>Column</th><th>Holds</th></tr></thead>\n<tbody>\n",
        e(INTRO)
    );
    for (column, holds) in EDGE_COLUMNS {
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td></tr>\n",
            e(column),
            e(holds)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    for relation in &book.relations {
        out.push_str(&format!(
            "<h3><code>{}</code> ({})</h3>\n<p>{}</p>\n<p>People: {}.</p>\n",
            e(&relation.id),
            relation.kind,
            e(&relation.text),
            e(&relation.people)
        ));
        if !relation.follow_ups.is_empty() {
            out.push_str("<div class=\"wrap\"><table>\n<thead><tr><th>Follow-up</th><th>Question</th><th>Type</th><th>Values</th></tr></thead>\n<tbody>\n");
            for f in &relation.follow_ups {
                out.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    e(&f.id),
                    e(&f.text),
                    f.response_type,
                    e(&f.values)
                ));
            }
            out.push_str("</tbody>\n</table></div>\n");
        }
    }
    out
}

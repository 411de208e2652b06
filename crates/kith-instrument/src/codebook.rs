//! Codebooks: one entry per column a response file will have, rendered as Markdown, HTML, CSV or JSON.

mod languages;
mod logic;
mod relations;

pub use relations::{CodebookFollowUp, CodebookRelation, EDGE_COLUMNS};

use crate::escape::escape_html;
use crate::fingerprint::fingerprint;
use crate::form::{DocumentKind, Form, InstrumentInfo};
use crate::model::{MinAnswered, ResponseScale, ScoreMethod};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a column of a response file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// The respondent's id.
    Id,
    /// The answer to an item.
    Item,
    /// One option of a multiple-choice item: 1 chosen, 0 not.
    Option,
    /// The answer to an attention check.
    AttentionCheck,
}

/// How an item enters its scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keying {
    Forward,
    Reverse,
    /// Not an ordered scale: never reversed or averaged.
    None,
}

/// A coded answer and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueLabel {
    pub value: i64,
    pub label: String,
}

/// One column of a response file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    pub role: ColumnRole,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    pub text: String,
    pub response_type: &'static str,
    /// The coded answers with their labels (likert and choice scales).
    pub values: Vec<ValueLabel>,
    /// The accepted range, for numeric and text answers, e.g. `0 to 50, whole numbers, offers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    pub keying: Keying,
    pub scores: Vec<String>,
    pub missing_codes: Vec<f64>,
    pub required: bool,
    /// For attention checks: the answer an attentive participant gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_answer: Option<i64>,
    /// The survey logic of the question: when it is shown, whether it ends the session, what
    /// its answer must meet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logic: Vec<String>,
    /// The question's text in each other language the form offers.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// One score, as the codebook lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodebookScore {
    pub id: String,
    pub label: String,
    pub block: String,
    pub method: ScoreMethod,
    pub items: Vec<String>,
    pub reverse_keyed: Vec<String>,
    /// The fewest answered items for which the score is computed.
    pub min_answered: usize,
}

/// The codebook of a form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Codebook {
    pub kind: DocumentKind,
    pub id: String,
    pub version: String,
    pub title: String,
    pub language: String,
    pub file: String,
    pub fingerprint: String,
    pub instruments: Vec<InstrumentInfo>,
    pub columns: Vec<Column>,
    pub scores: Vec<CodebookScore>,
    /// For a survey with logic: how exports tell questions not shown from unanswered ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_note: Option<String>,
    /// The other languages the form offers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The network questions, whose answers are the edge list's rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<CodebookRelation>,
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn describe_range(scale: &ResponseScale) -> Option<String> {
    match scale {
        ResponseScale::Numeric { integer, unit, .. } => {
            let mut parts = vec![scale.describe_values()];
            if *integer {
                parts.push("whole numbers".to_string());
            }
            if let Some(unit) = unit {
                parts.push(unit.clone());
            }
            Some(parts.join(", "))
        }
        ResponseScale::Text { max_length } => Some(match max_length {
            Some(length) => format!("text, at most {length} characters"),
            None => "text".to_string(),
        }),
        _ => None,
    }
}

fn value_labels(scale: &ResponseScale) -> Vec<ValueLabel> {
    match scale {
        ResponseScale::Likert { values, labels, .. } => values
            .iter()
            .zip(labels)
            .map(|(value, label)| ValueLabel {
                value: *value,
                label: label.clone(),
            })
            .collect(),
        ResponseScale::SingleChoice { options } => options
            .iter()
            .map(|o| ValueLabel {
                value: o.value,
                label: o.label.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Builds the codebook of a checked form.
pub fn codebook(form: &Form) -> Codebook {
    let mut columns = vec![Column {
        name: "respondent_id".to_string(),
        role: ColumnRole::Id,
        block: None,
        instrument: None,
        text: "The respondent's id (kith reads `id` too, or the column named by --id).".to_string(),
        response_type: "id",
        values: Vec::new(),
        range: None,
        keying: Keying::None,
        scores: Vec::new(),
        missing_codes: Vec::new(),
        required: true,
        expected_answer: None,
        logic: Vec::new(),
        translations: BTreeMap::new(),
    }];
    for block in &form.blocks {
        let instrument = block.instrument.as_ref().map(|i| i.id.clone());
        for form_item in &block.items {
            let item = &form_item.item;
            let scores: Vec<String> = form
                .scores()
                .filter(|score| score.items.contains(&item.id))
                .map(|score| score.id.clone())
                .collect();
            let keying = if !form_item.response.is_ordinal() {
                Keying::None
            } else if item.reverse {
                Keying::Reverse
            } else {
                Keying::Forward
            };
            let base = Column {
                name: item.id.clone(),
                role: ColumnRole::Item,
                block: Some(block.id.clone()),
                instrument: instrument.clone(),
                text: item.text.clone(),
                response_type: form_item.response.type_name(),
                values: value_labels(&form_item.response),
                range: describe_range(&form_item.response),
                keying,
                scores,
                missing_codes: form_item.missing_codes.clone(),
                required: item.required,
                expected_answer: None,
                logic: logic::column_logic(block, &item.id),
                translations: item.translations.clone(),
            };
            if let ResponseScale::MultipleChoice { options } = &form_item.response {
                for option in options {
                    columns.push(Column {
                        name: format!("{}_{}", item.id, option_suffix(option.value)),
                        role: ColumnRole::Option,
                        text: format!("{} — {}", item.text, option.label),
                        values: vec![
                            ValueLabel {
                                value: 0,
                                label: "not chosen".to_string(),
                            },
                            ValueLabel {
                                value: 1,
                                label: "chosen".to_string(),
                            },
                        ],
                        ..base.clone()
                    });
                }
            } else {
                columns.push(base);
            }
        }
        for form_check in &block.attention_checks {
            let check = &form_check.check;
            columns.push(Column {
                name: check.id.clone(),
                role: ColumnRole::AttentionCheck,
                block: Some(block.id.clone()),
                instrument: instrument.clone(),
                text: check.text.clone(),
                response_type: form_check.response.type_name(),
                values: value_labels(&form_check.response),
                range: describe_range(&form_check.response),
                keying: Keying::None,
                scores: Vec::new(),
                missing_codes: Vec::new(),
                required: false,
                expected_answer: Some(check.expect),
                logic: logic::column_logic(block, &check.id),
                translations: check.translations.clone(),
            });
        }
    }
    let scores = form
        .blocks
        .iter()
        .flat_map(|block| block.scores.iter().map(move |score| (block, score)))
        .map(|(block, score)| CodebookScore {
            id: score.id.clone(),
            label: score.label.clone(),
            block: block.id.clone(),
            method: score.method,
            reverse_keyed: score
                .items
                .iter()
                .filter(|id| form.item(id).is_some_and(|i| i.item.reverse))
                .cloned()
                .collect(),
            items: score.items.clone(),
            min_answered: score
                .min_answered
                .unwrap_or(MinAnswered::Count(1))
                .required_of(score.items.len()),
        })
        .collect();
    Codebook {
        kind: form.kind,
        id: form.id.clone(),
        version: form.version.clone(),
        title: form.title.clone(),
        language: form.language.clone(),
        file: form.file.clone(),
        fingerprint: fingerprint(form),
        instruments: form.instruments().into_iter().cloned().collect(),
        columns,
        scores,
        missing_note: logic::missing_note(form),
        languages: form.languages.clone(),
        relations: relations::relations(form),
    }
}

/// The column-name suffix of a multiple-choice option: its code, with `m` for a minus sign.
pub fn option_suffix(value: i64) -> String {
    if value < 0 {
        format!("m{}", value.unsigned_abs())
    } else {
        value.to_string()
    }
}

fn values_text(column: &Column) -> String {
    if !column.values.is_empty() {
        column
            .values
            .iter()
            .map(|v| format!("{} = {}", v.value, v.label))
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        column.range.clone().unwrap_or_default()
    }
}

fn keying_text(keying: Keying) -> &'static str {
    match keying {
        Keying::Forward => "forward",
        Keying::Reverse => "reverse",
        Keying::None => "",
    }
}

fn missing_text(codes: &[f64]) -> String {
    let mut parts = vec!["empty".to_string()];
    parts.extend(codes.iter().map(|c| format_number(*c)));
    parts.join(", ")
}

fn method_text(method: ScoreMethod) -> &'static str {
    match method {
        ScoreMethod::Mean => "mean",
        ScoreMethod::Sum => "sum",
    }
}

fn markdown_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn provenance_lines(info: &InstrumentInfo) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    if let Some(citation) = &info.citation {
        let mut text = citation.text.trim().to_string();
        if let Some(doi) = &citation.doi {
            text.push_str(&format!(" https://doi.org/{doi}"));
        }
        lines.push(("Citation", text));
    }
    lines.push(("License", info.license.trim().to_string()));
    let mut validated = if info.validated {
        "yes".to_string()
    } else {
        "**no**".to_string()
    };
    if let Some(note) = &info.validation_note {
        validated.push_str(&format!(" — {}", note.trim()));
    }
    lines.push(("Validated", validated));
    if let Some(line) = languages::translations_line(info) {
        lines.push(("Translations", line));
    }
    lines
}

/// Renders the codebook as Markdown.
pub fn to_markdown(book: &Codebook) -> String {
    let mut out = format!(
        "# Codebook: {} ({} {})\n\n",
        book.title.trim(),
        book.id,
        book.version
    );
    out.push_str(&format!(
        "- File: `{}`\n- Kind: {}\n- Language: {}\n- Fingerprint: `{}`\n- Columns: {}; scores: {}\n\n",
        book.file,
        match book.kind {
            DocumentKind::Instrument => "instrument",
            DocumentKind::Survey => "survey",
        },
        book.language,
        book.fingerprint,
        book.columns.len(),
        book.scores.len()
    ));
    out.push_str("## Instruments\n\n");
    for info in &book.instruments {
        out.push_str(&format!(
            "### {} (`{}` {})\n\n",
            info.title.trim(),
            info.id,
            info.version
        ));
        for (name, text) in provenance_lines(info) {
            out.push_str(&format!("- {name}: {}\n", markdown_cell(&text)));
        }
        out.push('\n');
    }
    if let Some(note) = &book.missing_note {
        out.push_str(&format!("## Missing answers\n\n{note}\n\n"));
    }
    out.push_str("## Columns\n\n| # | Column | Block | Question | Type | Values | Keying | Scores | Missing |\n|---|---|---|---|---|---|---|---|---|\n");
    for (index, column) in book.columns.iter().enumerate() {
        let mut text = markdown_cell(&column.text);
        if let Some(expected) = column.expected_answer {
            text.push_str(&format!(
                " *(attention check; expected answer: {expected}; kith's export adds `{}_passed`: 1 passed, 0 failed, empty not answered)*",
                column.name
            ));
        }
        if !column.logic.is_empty() {
            text.push_str(&format!(
                " *(logic: {})*",
                markdown_cell(&column.logic.join("; "))
            ));
        }
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            index + 1,
            column.name,
            column.block.as_deref().unwrap_or(""),
            text,
            column.response_type,
            markdown_cell(&values_text(column)),
            keying_text(column.keying),
            column.scores.join(", "),
            missing_text(&column.missing_codes),
        ));
    }
    out.push_str("\n## Scores\n\n| Score | Label | Method | Items | Reverse keyed | Min. answered |\n|---|---|---|---|---|---|\n");
    for score in &book.scores {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} of {} |\n",
            score.id,
            markdown_cell(&score.label),
            method_text(score.method),
            score.items.join(", "),
            score.reverse_keyed.join(", "),
            score.min_answered,
            score.items.len()
        ));
    }
    out.push_str(&relations::markdown_section(book));
    out.push_str(&languages::markdown_section(book));
    out
}

/// Renders the codebook as one self-contained HTML page (no scripts, no external requests).
pub fn to_html(book: &Codebook) -> String {
    let e = escape_html;
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Codebook: {}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;margin:1.5rem;line-height:1.4;color:#1a1a1a}}\ntable{{border-collapse:collapse;width:100%;font-size:.9rem}}\nth,td{{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}}\nth{{background:#eef}}\ncode{{font-size:.9em}}\n.no{{color:#a00;font-weight:bold}}\n.wrap{{overflow-x:auto}}\n</style>\n</head>\n<body>\n",
        e(&book.language),
        e(book.title.trim())
    );
    out.push_str(&format!(
        "<h1>Codebook: {} <small>({} {})</small></h1>\n<ul>\n<li>File: <code>{}</code></li>\n<li>Fingerprint: <code>{}</code></li>\n<li>Language: {}</li>\n<li>Columns: {}; scores: {}</li>\n</ul>\n<h2>Instruments</h2>\n",
        e(book.title.trim()),
        e(&book.id),
        e(&book.version),
        e(&book.file),
        e(&book.fingerprint),
        e(&book.language),
        book.columns.len(),
        book.scores.len()
    ));
    for info in &book.instruments {
        out.push_str(&format!(
            "<h3>{} <small>(<code>{}</code> {})</small></h3>\n<ul>\n",
            e(info.title.trim()),
            e(&info.id),
            e(&info.version)
        ));
        for (name, text) in provenance_lines(info) {
            let rendered = if name == "Validated" && !info.validated {
                format!(
                    "<span class=\"no\">no</span>{}",
                    e(text.trim_start_matches("**no**"))
                )
            } else {
                e(&text)
            };
            out.push_str(&format!("<li>{name}: {rendered}</li>\n"));
        }
        out.push_str("</ul>\n");
    }
    if let Some(note) = &book.missing_note {
        out.push_str(&format!("<h2>Missing answers</h2>\n<p>{}</p>\n", e(note)));
    }
    out.push_str("<h2>Columns</h2>\n<div class=\"wrap\"><table>\n<thead><tr><th>#</th><th>Column</th><th>Block</th><th>Question</th><th>Type</th><th>Values</th><th>Keying</th><th>Scores</th><th>Missing</th></tr></thead>\n<tbody>\n");
    for (index, column) in book.columns.iter().enumerate() {
        let mut text = e(column.text.trim());
        if let Some(expected) = column.expected_answer {
            text.push_str(&format!(
                " <em>(attention check; expected answer: {expected}; kith's export adds <code>{}_passed</code>: 1 passed, 0 failed, empty not answered)</em>",
                e(&column.name)
            ));
        }
        if !column.logic.is_empty() {
            text.push_str(&format!(
                " <em>(logic: {})</em>",
                e(&column.logic.join("; "))
            ));
        }
        out.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            index + 1,
            e(&column.name),
            e(column.block.as_deref().unwrap_or("")),
            text,
            column.response_type,
            e(&values_text(column)),
            keying_text(column.keying),
            e(&column.scores.join(", ")),
            e(&missing_text(&column.missing_codes)),
        ));
    }
    out.push_str("</tbody>\n</table></div>\n<h2>Scores</h2>\n<div class=\"wrap\"><table>\n<thead><tr><th>Score</th><th>Label</th><th>Method</th><th>Items</th><th>Reverse keyed</th><th>Min. answered</th></tr></thead>\n<tbody>\n");
    for score in &book.scores {
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} of {}</td></tr>\n",
            e(&score.id),
            e(&score.label),
            method_text(score.method),
            e(&score.items.join(", ")),
            e(&score.reverse_keyed.join(", ")),
            score.min_answered,
            score.items.len()
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str(&relations::html_section(book));
    out.push_str("</body>\n</html>\n");
    out
}

/// Renders the columns as CSV, one row per column of a response file.
pub fn to_csv(book: &Codebook) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "column",
        "role",
        "block",
        "instrument",
        "text",
        "type",
        "values",
        "keying",
        "scores",
        "missing_codes",
        "required",
        "expected_answer",
        "logic",
    ]
    .map(String::from)
    .to_vec();
    header.extend(book.languages.iter().map(|l| format!("text_{l}")));
    writer.write_record(&header)?;
    for column in &book.columns {
        let role = match column.role {
            ColumnRole::Id => "id",
            ColumnRole::Item => "item",
            ColumnRole::Option => "option",
            ColumnRole::AttentionCheck => "attention_check",
        };
        let mut record: Vec<String> = [
            column.name.as_str(),
            role,
            column.block.as_deref().unwrap_or(""),
            column.instrument.as_deref().unwrap_or(""),
            column.text.trim(),
            column.response_type,
            &values_text(column),
            keying_text(column.keying),
            &column.scores.join(" "),
            &column
                .missing_codes
                .iter()
                .map(|c| format_number(*c))
                .collect::<Vec<_>>()
                .join(" "),
            if column.required { "true" } else { "false" },
            &column
                .expected_answer
                .map(|v| v.to_string())
                .unwrap_or_default(),
            &column.logic.join("; "),
        ]
        .map(String::from)
        .to_vec();
        record.extend(book.languages.iter().map(|l| {
            column
                .translations
                .get(l)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        }));
        writer.write_record(&record)?;
    }
    let bytes = writer.into_inner().map_err(|error| error.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Renders the codebook as pretty JSON.
pub fn to_json(book: &Codebook) -> String {
    // A codebook holds only strings, numbers and lists, which always serialize.
    serde_json::to_string_pretty(book).unwrap_or_default() + "\n"
}

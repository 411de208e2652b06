//! `kith screen`'s outputs besides JSON: the table of indices (one row per respondent, as CSV
//! for other programs) and the Markdown summary with that table, for a paper's supplement.

use crate::format::markdown_row;
use kith_analysis::results::{ScreenedRespondent as Respondent, Screening};
use std::fmt::Write;

/// The per-respondent columns, in output order.
pub const COLUMNS: [&str; 15] = [
    "respondent_id",
    "row",
    "items_answered",
    "longstring_max",
    "longstring_average",
    "irv",
    "mahalanobis",
    "even_odd",
    "synonyms",
    "antonyms",
    "attention_failed",
    "duration_s",
    "seconds_per_item",
    "flagged",
    "flags",
];

/// A number as other programs read it back exactly (Rust's shortest round-trip form), or an
/// empty cell when missing.
fn cell(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

fn cells(respondent: &Respondent) -> Vec<String> {
    vec![
        respondent.respondent_id.clone(),
        respondent.row.to_string(),
        respondent.items_answered.to_string(),
        cell(respondent.longstring_max),
        cell(respondent.longstring_average),
        cell(respondent.irv),
        cell(respondent.mahalanobis),
        cell(respondent.even_odd),
        cell(respondent.synonyms),
        cell(respondent.antonyms),
        cell(respondent.attention_failed),
        cell(respondent.duration_s),
        cell(respondent.seconds_per_item),
        (!respondent.flags.is_empty()).to_string(),
        respondent.flags.join("|"),
    ]
}

/// The rows of the CSV file, the header first: strings for a CSV writer to quote.
pub fn csv_rows(screening: &Screening) -> impl Iterator<Item = Vec<String>> + '_ {
    std::iter::once(COLUMNS.iter().map(|c| c.to_string()).collect())
        .chain(screening.rows.iter().map(cells))
}

/// Markdown rounding: three decimals, missing as a dash.
fn rounded(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// The summary (respondents flagged per rule and by any, the indices left out and why), then
/// one row per respondent.
pub fn markdown(screening: &Screening) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Screening of {}\n\n{} respondents, {} rating-scale items.\n",
        screening.source,
        screening.respondents,
        screening.items.len()
    );
    let _ = writeln!(out, "| Rule | Meaning | Flagged |\n|---|---|---|");
    for rule in &screening.rules {
        out.push_str(&markdown_row(&[
            format!("`{}`", rule.rule),
            rule.description.clone(),
            rule.flagged.to_string(),
        ]));
    }
    out.push_str(&markdown_row(&[
        "any rule".to_string(),
        "flagged by at least one rule".to_string(),
        screening.flagged_by_any.to_string(),
    ]));
    out.push('\n');
    for skipped in &screening.skipped {
        let _ = writeln!(
            out,
            "Not computed: {} — {}.\n",
            skipped.index, skipped.reason
        );
    }
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    out.push_str(&markdown_row(&header));
    let _ = writeln!(out, "|{}", "---|".repeat(COLUMNS.len()));
    for r in &screening.rows {
        let mut row = vec![
            r.respondent_id.clone(),
            r.row.to_string(),
            r.items_answered.to_string(),
        ];
        row.extend(
            [
                r.longstring_max,
                r.longstring_average,
                r.irv,
                r.mahalanobis,
                r.even_odd,
                r.synonyms,
                r.antonyms,
                r.attention_failed,
                r.duration_s,
                r.seconds_per_item,
            ]
            .map(rounded),
        );
        row.push(if r.flags.is_empty() { "no" } else { "yes" }.to_string());
        row.push(r.flags.join(", "));
        out.push_str(&markdown_row(&row));
    }
    out
}

//! `kith screen`'s outputs besides JSON: the table of indices (one row per respondent, as CSV
//! for other programs) and the Markdown summary with that table, for a paper's supplement.

use crate::format::markdown_row;
use kith_analysis::results::{ScreenedRespondent as Respondent, Screening};
use std::fmt::Write;

/// The per-respondent columns, in output order.
pub const COLUMNS: [&str; 16] = [
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
    "fast_pages",
    "flagged",
    "flags",
];

/// Writes a respondent's cells into `cells` (one per column, reused from row to row so that a
/// million rows make no million allocations): numbers as other programs read them back
/// exactly (Rust's shortest round-trip form), missing as an empty cell.
pub fn fill_cells(respondent: &Respondent, cells: &mut [String; COLUMNS.len()]) {
    use std::fmt::Write as _;
    let numbers = [
        respondent.longstring_max,
        respondent.longstring_average,
        respondent.irv,
        respondent.mahalanobis,
        respondent.even_odd,
        respondent.synonyms,
        respondent.antonyms,
        respondent.attention_failed,
        respondent.duration_s,
        respondent.seconds_per_item,
        respondent.fast_pages,
    ];
    for cell in cells.iter_mut() {
        cell.clear();
    }
    cells[0].push_str(&respondent.respondent_id);
    let _ = write!(cells[1], "{}", respondent.row);
    let _ = write!(cells[2], "{}", respondent.items_answered);
    for (cell, value) in cells[3..].iter_mut().zip(numbers) {
        if let Some(value) = value {
            let _ = write!(cell, "{value}");
        }
    }
    cells[14].push_str(if respondent.flags.is_empty() {
        "false"
    } else {
        "true"
    });
    for (k, flag) in respondent.flags.iter().enumerate() {
        if k > 0 {
            cells[15].push('|');
        }
        cells[15].push_str(flag);
    }
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
                r.fast_pages,
            ]
            .map(rounded),
        );
        row.push(if r.flags.is_empty() { "no" } else { "yes" }.to_string());
        row.push(r.flags.join(", "));
        out.push_str(&markdown_row(&row));
    }
    out
}

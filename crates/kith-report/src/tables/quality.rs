//! The sample and data-quality sections: who answered, and which items went unanswered.

use crate::format::number;
use kith_analysis::results::{DataQuality, Results};
use std::fmt::Write;

/// The data files, as code spans.
pub fn data_files(results: &Results) -> String {
    results
        .data
        .iter()
        .map(|d| format!("`{d}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sample section: how many respondents, in which files, answering which survey.
pub fn sample(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Sample\n");
    let _ = writeln!(
        out,
        "{} respondents in {}{}. Each analysis uses the cases complete on its variables; its n is in its table.\n",
        results.n_rows,
        data_files(results),
        results
            .survey
            .as_ref()
            .map(|s| format!(", answering `{}` {}", s.id, s.version))
            .unwrap_or_default()
    );
}

/// Table `number_`: the items with the most missing answers, then respondents by how many
/// items they left unanswered.
pub fn data_quality(out: &mut String, quality: &DataQuality, number_: usize) {
    let _ = writeln!(out, "## Data quality\n");
    let complete = quality.persons_by_missing.first().copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "{complete} of {} respondents ({}%) answered every item; the table lists the items with the most missing answers.\n",
        quality.respondents,
        number(
            100.0 * complete as f64 / quality.respondents.max(1) as f64,
            0
        )
    );
    let mut items: Vec<&(String, f64)> = quality.items.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let _ = writeln!(out, "Table {number_}. Missing answers.\n");
    let _ = writeln!(out, "| Item | Missing |");
    let _ = writeln!(out, "|---|---:|");
    for (item, share) in items.iter().take(10) {
        let _ = writeln!(out, "| {item} | {}% |", number(share * 100.0, 1));
    }
    let _ = writeln!(out, "\n| Items left unanswered | Respondents |");
    let _ = writeln!(out, "|---:|---:|");
    for (count, persons) in quality
        .persons_by_missing
        .iter()
        .enumerate()
        .filter(|(_, p)| **p > 0)
    {
        let _ = writeln!(out, "| {count} | {persons} |");
    }
    out.push('\n');
}

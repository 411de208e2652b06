//! The analysis report's reliability table: alpha and omega per scale, with their intervals.

use crate::format::{bounded, bracket, markdown_row};
use kith_analysis::results::ScaleReliabilitySummary;
use std::fmt::Write;

/// The column of alpha's Feldt interval. kith-analysis computes it at 95% (as psych's `alpha`
/// does) whatever a plan's level, so the label is fixed.
const FELDT_CI: &str = "95% CI (Feldt)";

/// The analysis report's reliability section: table `number_`, alpha with its Feldt interval
/// and omega total with its bootstrap interval, per scale.
pub(crate) fn report_table(out: &mut String, scales: &[ScaleReliabilitySummary], number_: usize) {
    let _ = writeln!(out, "## Reliability\n");
    let _ = writeln!(
        out,
        "Table {number_}. Reliability of the scales (alpha and omega as psych computes them; omega's interval from 1,000 bootstrap resamples of the respondents who answered every item).\n"
    );
    out.push_str(&markdown_row(
        &[
            "Scale",
            "n",
            "Alpha",
            FELDT_CI,
            "Omega total",
            "95% CI (bootstrap)",
        ]
        .map(String::from),
    ));
    out.push_str("|---|---:|---:|---|---:|---|\n");
    let two = |value: f64| bounded(value, 2);
    for s in scales {
        out.push_str(&markdown_row(&[
            s.label.clone(),
            s.n.to_string(),
            two(s.alpha),
            bracket(s.alpha_ci, two),
            s.omega_total.map(two).unwrap_or_else(|| "–".to_string()),
            s.omega_ci
                .map(|ci| bracket(ci, two))
                .unwrap_or_else(|| "–".to_string()),
        ]));
    }
    out.push('\n');
}

//! The participant flow and the screening indices: who was read, who left before the
//! analyses and why (the survey's own screen-outs, the plan's exclusion rules), and the
//! distribution of each careless-responding index.

use crate::format::{and_list, markdown_row, number};
use kith_analysis::results::ScreeningResult;
use std::fmt::Write;

/// The flow in one sentence: how many were read, and how many each step left out.
pub fn flow_sentence(screening: &ScreeningResult) -> String {
    let Some(first) = screening.flow.first() else {
        return String::new();
    };
    let mut parts = Vec::new();
    for step in &screening.flow[1..] {
        for reason in &step.left {
            parts.push(format!("{} ({})", reason.n, reason_text(&reason.reason)));
        }
    }
    let left = if parts.is_empty() {
        "none was left out".to_string()
    } else {
        format!(
            "{} left out: {}",
            first.n - screening.n_analysed,
            and_list(&parts)
        )
    };
    format!(
        "Of {} responses, {left}; {} respondents were analysed.",
        first.n, screening.n_analysed
    )
}

/// A rule as the report words it: the rule in code, as the plan wrote it.
fn reason_text(reason: &str) -> String {
    if reason.contains(['>', '<', '=']) {
        format!("`{reason}`")
    } else {
        reason.to_string()
    }
}

/// Table `first`: the flow, box by box; table `first + 1`: the indices. Returns the next
/// table's number.
pub fn screening_tables(out: &mut String, screening: &ScreeningResult, first: usize) -> usize {
    let _ = writeln!(out, "### Participant flow\n");
    let _ = writeln!(out, "{}\n", flow_sentence(screening));
    let _ = writeln!(out, "Table {first}. Participant flow.\n");
    let _ = writeln!(out, "| Step | n |\n|---|---:|");
    // Each box of the flow, and under it who left before the next box, and why.
    for (index, step) in screening.flow.iter().enumerate() {
        if index > 0 && step.left.is_empty() && step.n == screening.flow[index - 1].n {
            continue;
        }
        for reason in &step.left {
            out.push_str(&markdown_row(&[
                format!("− {}", reason_text(&reason.reason)),
                reason.n.to_string(),
            ]));
        }
        out.push_str(&markdown_row(&[step.label.clone(), step.n.to_string()]));
    }
    if !screening.rules.is_empty() {
        let _ = writeln!(
            out,
            "\n*Note.* The exclusion rules were set in the analysis plan. A respondent is counted under the first rule that holds; {}.\n",
            and_list(
                &screening
                    .rules
                    .iter()
                    .map(|r| format!("`{}` holds for {}", r.rule, r.holds_for))
                    .collect::<Vec<_>>()
            )
        );
    } else {
        out.push('\n');
    }
    let mut next = first + 1;
    if !screening.indices.is_empty() {
        let _ = writeln!(
            out,
            "Table {next}. Careless-responding indices of the {} respondents screened.\n",
            screening.n_screened
        );
        let _ = writeln!(
            out,
            "| Index | n | M | SD | Min | Mdn | Max |\n|---|---:|---:|---:|---:|---:|---:|"
        );
        for index in &screening.indices {
            out.push_str(&markdown_row(&[
                index.index.clone(),
                index.n.to_string(),
                number(index.mean, 2),
                number(index.sd.unwrap_or(f64::NAN), 2),
                number(index.min, 2),
                number(index.median, 2),
                number(index.max, 2),
            ]));
        }
        let cutoff = screening
            .mahalanobis_cutoff
            .map(|c| {
                format!(
                    " The Mahalanobis D² cut-off (the .99 quantile of χ²) is {}.",
                    number(c, 2)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n*Note.* Indices as R's careless 1.2.2 computes them (docs/screening.md); even-odd is negated, so higher is more careless.{cutoff}\n"
        );
        next += 1;
    }
    for skipped in &screening.not_computed {
        let _ = writeln!(
            out,
            "Not computed: {} — {}.\n",
            skipped.index, skipped.reason
        );
    }
    next
}

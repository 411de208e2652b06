//! Reliability tables, both of them: `kith reliability`'s report (plain text for the terminal,
//! Markdown for papers) and the analysis report's table of alpha and omega per scale. They share
//! the table shape (Markdown rows, bracketed intervals) and the label of Feldt's interval.

use crate::format::{bounded, bracket, markdown_row, percent};
use kith_analysis::results::ScaleReliabilitySummary;
use kith_analysis::results::{ReliabilityReport, ScaleReliability};
use std::fmt::Write;

/// The column of alpha's Feldt interval. kith-analysis computes it at 95% (as psych's `alpha`
/// does) whatever a plan's level, so the label is fixed.
const FELDT_CI: &str = "95% CI (Feldt)";

/// A statistic bounded by ±1 as `kith reliability` has always written it: three decimals, no
/// leading zero (`.703`, `-.120`) and an em dash for a missing value. It differs from the
/// report's `format::bounded` at the edges (a negative zero, the dash), and its output is
/// held by snapshots, so it keeps its own rule.
fn three(value: f64) -> String {
    if value.is_nan() {
        return "—".to_string();
    }
    let text = format!("{value:.3}");
    text.replacen("0.", ".", 1)
}

/// A statistic that may be missing (omega, disattenuated r).
fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), three)
}

/// A number with `decimals` places, or an em dash.
fn plain(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        "—".to_string()
    } else {
        format!("{value:.decimals$}")
    }
}

/// A share as a percentage with one decimal (`12.5%`).
fn share(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn scale_summary(scale: &ScaleReliability) -> Vec<(String, String)> {
    vec![
        ("alpha".into(), three(scale.alpha)),
        (FELDT_CI.into(), bracket(scale.alpha_ci_feldt, three)),
        (
            "95% CI (Duhachek)".into(),
            bracket(scale.alpha_ci_duhachek, three),
        ),
        ("standardized alpha".into(), three(scale.std_alpha)),
        ("G6 (smc)".into(), three(scale.g6)),
        ("omega total".into(), optional(scale.omega_total)),
        ("lambda 2".into(), three(scale.lambda2)),
        ("average r".into(), three(scale.average_r)),
        ("median r".into(), three(scale.median_r)),
        ("signal/noise".into(), plain(scale.signal_noise, 2)),
        ("ase".into(), plain(scale.ase, 4)),
        (
            "mean (SD)".into(),
            format!("{} ({})", plain(scale.mean, 2), plain(scale.sd, 2)),
        ),
    ]
}

const ITEM_HEADER: [&str; 10] = [
    "item",
    "n",
    "missing",
    "mean",
    "sd",
    "r",
    "r.cor",
    "r.drop",
    "alpha if dropped",
    "keyed",
];

fn item_rows(scale: &ScaleReliability) -> Vec<[String; 10]> {
    scale
        .items
        .iter()
        .map(|item| {
            [
                item.id.clone(),
                item.n.to_string(),
                share(item.missing),
                plain(item.mean, 2),
                plain(item.sd, 2),
                three(item.r),
                three(item.r_cor),
                three(item.r_drop),
                three(item.alpha_if_dropped),
                if item.reverse {
                    "reverse".into()
                } else {
                    "".into()
                },
            ]
        })
        .collect()
}

fn correlation_rows(report: &ReliabilityReport) -> Vec<Vec<String>> {
    let names = &report.correlations.scores;
    (0..names.len())
        .map(|i| {
            let mut row = vec![names[i].clone()];
            for j in 0..names.len() {
                row.push(if i == j {
                    optional(report.correlations.disattenuated[i][j])
                } else if j < i {
                    three(report.correlations.r[i][j])
                } else {
                    optional(report.correlations.disattenuated[i][j])
                });
            }
            row
        })
        .collect()
}

fn aligned(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{cell:<width$}", width = widths[c]))
            .collect();
        out.push_str("  ");
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// `kith reliability`'s report as plain text for the terminal.
pub fn text(report: &ReliabilityReport) -> String {
    let mut out = format!(
        "Reliability of {} scores in `{}` ({} respondents)\n",
        report.scores.len(),
        report.source,
        report.n
    );
    for scale in &report.scores {
        out.push_str(&format!(
            "\n{} — {} ({} items)\n",
            scale.id, scale.label, scale.k
        ));
        let summary: Vec<Vec<String>> = scale_summary(scale)
            .into_iter()
            .map(|(name, value)| vec![name, value])
            .collect();
        out.push_str(&aligned(&summary));
        out.push('\n');
        let mut rows = vec![
            ITEM_HEADER
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ];
        rows.extend(item_rows(scale).into_iter().map(|row| row.to_vec()));
        out.push_str(&aligned(&rows));
    }
    if !report.single_item_scores.is_empty() {
        out.push_str(&format!(
            "\nSingle-item scores (no reliability): {}\n",
            report.single_item_scores.join(", ")
        ));
    }
    for skipped in &report.not_computed {
        out.push_str(&format!(
            "\n{}: not computed, because {}\n",
            skipped.score, skipped.reason
        ));
    }
    if report.correlations.scores.len() > 1 {
        out.push_str("\nCorrelations between scores: r below the diagonal, alpha on it, r corrected for attenuation above it\n");
        let mut rows = vec![
            std::iter::once(String::new())
                .chain(report.correlations.scores.iter().cloned())
                .collect::<Vec<_>>(),
        ];
        rows.extend(correlation_rows(report));
        out.push_str(&aligned(&rows));
    }
    out
}

/// `kith reliability`'s report as Markdown tables.
pub fn markdown(report: &ReliabilityReport) -> String {
    let mut out = format!(
        "# Reliability\n\nData: `{}`, {} respondents.\n\n",
        report.source, report.n
    );
    out.push_str(&markdown_row(
        &[
            "Score",
            "k",
            "alpha",
            FELDT_CI,
            "std. alpha",
            "omega total",
            "lambda 2",
            "average r",
            "mean",
            "SD",
        ]
        .map(String::from),
    ));
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for scale in &report.scores {
        out.push_str(&markdown_row(&[
            format!("{} (`{}`)", scale.label, scale.id),
            scale.k.to_string(),
            three(scale.alpha),
            bracket(scale.alpha_ci_feldt, three),
            three(scale.std_alpha),
            optional(scale.omega_total),
            three(scale.lambda2),
            three(scale.average_r),
            plain(scale.mean, 2),
            plain(scale.sd, 2),
        ]));
    }
    for scale in &report.scores {
        out.push_str(&format!("\n## {} (`{}`)\n\n", scale.label, scale.id));
        out.push_str(&markdown_row(
            &ITEM_HEADER
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ));
        out.push_str(&markdown_row(&vec!["---".to_string(); ITEM_HEADER.len()]));
        for row in item_rows(scale) {
            out.push_str(&markdown_row(&row));
        }
    }
    if report.correlations.scores.len() > 1 {
        out.push_str("\n## Correlations between scores\n\nr below the diagonal, alpha on it, r corrected for attenuation above it.\n\n");
        let header: Vec<String> = std::iter::once(String::new())
            .chain(report.correlations.scores.iter().cloned())
            .collect();
        out.push_str(&markdown_row(&header));
        out.push_str(&markdown_row(&vec!["---".to_string(); header.len()]));
        for row in correlation_rows(report) {
            out.push_str(&markdown_row(&row));
        }
    }
    out
}

/// The analysis report's reliability section: table `number_`, alpha with its Feldt interval
/// and omega total with its bootstrap interval at `level`, per scale.
pub(crate) fn report_table(
    out: &mut String,
    scales: &[ScaleReliabilitySummary],
    number_: usize,
    level: f64,
) {
    let omega_ci = format!("{} CI (bootstrap)", percent(level));
    let _ = writeln!(out, "## Reliability\n");
    let _ = writeln!(
        out,
        "Table {number_}. Reliability of the scales (alpha and omega as psych computes them; omega's interval from 1,000 bootstrap resamples of the respondents who answered every item).\n"
    );
    out.push_str(&markdown_row(
        &["Scale", "n", "Alpha", FELDT_CI, "Omega total", &omega_ci].map(String::from),
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

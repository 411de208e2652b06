//! Readable renderings of reliability reports: plain text for the terminal, Markdown for papers.

use kith_analysis::reliability::{ReliabilityReport, ScaleReliability};

/// A statistic bounded by ±1 in APA style: three decimals, no leading zero (`.703`, `-.120`).
fn bounded(value: f64) -> String {
    if value.is_nan() {
        return "—".to_string();
    }
    let text = format!("{value:.3}");
    text.replacen("0.", ".", 1)
}

fn optional(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), bounded)
}

fn plain(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        "—".to_string()
    } else {
        format!("{value:.decimals$}")
    }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn scale_summary(scale: &ScaleReliability) -> Vec<(String, String)> {
    vec![
        ("alpha".into(), bounded(scale.alpha)),
        (
            "95% CI (Feldt)".into(),
            format!(
                "[{}, {}]",
                bounded(scale.alpha_ci_feldt[0]),
                bounded(scale.alpha_ci_feldt[1])
            ),
        ),
        (
            "95% CI (Duhachek)".into(),
            format!(
                "[{}, {}]",
                bounded(scale.alpha_ci_duhachek[0]),
                bounded(scale.alpha_ci_duhachek[1])
            ),
        ),
        ("standardized alpha".into(), bounded(scale.std_alpha)),
        ("G6 (smc)".into(), bounded(scale.g6)),
        ("omega total".into(), optional(scale.omega_total)),
        ("lambda 2".into(), bounded(scale.lambda2)),
        ("average r".into(), bounded(scale.average_r)),
        ("median r".into(), bounded(scale.median_r)),
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
                percent(item.missing),
                plain(item.mean, 2),
                plain(item.sd, 2),
                bounded(item.r),
                bounded(item.r_cor),
                bounded(item.r_drop),
                bounded(item.alpha_if_dropped),
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
                    bounded(report.correlations.r[i][j])
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

/// The report as plain text.
pub fn reliability_text(report: &ReliabilityReport) -> String {
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

fn markdown_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// The report as Markdown tables.
pub fn reliability_markdown(report: &ReliabilityReport) -> String {
    let mut out = format!(
        "# Reliability\n\nData: `{}`, {} respondents.\n\n",
        report.source, report.n
    );
    out.push_str("| Score | k | alpha | 95% CI (Feldt) | std. alpha | omega total | lambda 2 | average r | mean | SD |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for scale in &report.scores {
        out.push_str(&markdown_row(&[
            format!("{} (`{}`)", scale.label, scale.id),
            scale.k.to_string(),
            bounded(scale.alpha),
            format!(
                "[{}, {}]",
                bounded(scale.alpha_ci_feldt[0]),
                bounded(scale.alpha_ci_feldt[1])
            ),
            bounded(scale.std_alpha),
            optional(scale.omega_total),
            bounded(scale.lambda2),
            bounded(scale.average_r),
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

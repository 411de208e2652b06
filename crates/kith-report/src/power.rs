//! The report of a power analysis: the sample size each effect needs in sentences, the
//! method, a table of power by sample size, the analyses that could not always be computed,
//! and one chart of power curves per analysis; as Markdown and as a self-contained HTML page.

use crate::charts::power_curves::MAX_CURVES;
use crate::charts::{self, Chart, Options};
use crate::format::{grouped, markdown_row, percent};
use crate::labels::Labels;
use kith_analysis::results::power::{EffectPower, PowerInterval, PowerResults, TargetSize};
use kith_instrument::escape::escape_html;

/// A share as a percentage with no decimals: `74%`.
fn share(value: f64) -> String {
    percent(value)
}

/// One chart per analysis with effects to draw (a control's coefficients are not drawn), at
/// most `MAX_CURVES` curves each.
pub fn charts(results: &PowerResults) -> Vec<Chart<'_>> {
    let mut out: Vec<Chart> = Vec::new();
    for effect in results.effects.iter().filter(|e| !e.control) {
        match out.last_mut() {
            Some(Chart::PowerCurves {
                analysis, effects, ..
            }) if *analysis == effect.analysis => {
                if effects.len() < MAX_CURVES {
                    effects.push(effect);
                }
            }
            _ => out.push(Chart::PowerCurves {
                results,
                analysis: &effect.analysis,
                question: effect.question.as_deref(),
                effects: vec![effect],
            }),
        }
    }
    out
}

/// The sentence of one effect's target sample size.
fn target_sentence(effect: &EffectPower, target: &TargetSize) -> String {
    match target.n {
        Some(n) => format!(
            "To detect {} with {} power, about {} respondents are needed{}{}.",
            effect.label,
            share(target.target),
            grouped(n as f64, 0),
            target
                .ci
                .map(|[low, high]| format!(
                    " [{}, {}]",
                    grouped(low as f64, 0),
                    grouped(high as f64, 0)
                ))
                .unwrap_or_default(),
            if target.extrapolated {
                " (extrapolated beyond the sizes simulated)"
            } else {
                ""
            }
        ),
        None => format!(
            "For {}, no sample size is given: {}.",
            effect.label,
            target.note.as_deref().unwrap_or("the fit gave none")
        ),
    }
}

/// The sentence of one effect's power at the largest size simulated.
fn power_sentence(effect: &EffectPower) -> Option<String> {
    let point = effect.points.iter().rev().find(|p| p.power.is_some())?;
    let power = point.power?;
    let ci = point.ci?;
    Some(format!(
        "With {} respondents, {} was significant in {} of {} simulated data sets (95% CI {}–{}).",
        grouped(point.n as f64, 0),
        effect.label,
        share(power),
        grouped(point.computed as f64, 0),
        share(ci[0]),
        share(ci[1])
    ))
}

/// The paragraphs of the report, as plain sentences (escaped by the HTML renderer).
fn paragraphs(results: &PowerResults) -> Vec<String> {
    let mut out = Vec::new();
    let interval = match results.interval {
        PowerInterval::MonteCarlo => format!(
            "indirect effects by their Monte Carlo interval ({} draws from the estimates' sampling distribution; Schoemann, Boulton & Short, 2017)",
            grouped(results.draws.unwrap_or(0) as f64, 0)
        ),
        PowerInterval::Bootstrap => "indirect effects by the plan's bootstrap interval".to_string(),
    };
    out.push(format!(
        "Power was estimated by simulation. At each sample size ({}), {} data sets were drawn from the population model ({}) and analysed by the plan's own analyses, with its exclusions. An effect counted as detected when its test had p < {} or, for {}, when its {} interval excluded zero. The seed was {}.",
        results
            .sizes
            .iter()
            .map(|n| grouped(*n as f64, 0))
            .collect::<Vec<_>>()
            .join(", "),
        grouped(results.replications as f64, 0),
        results.model,
        crate::format::bounded(1.0 - results.level, 2),
        interval,
        percent(results.level),
        results.seed
    ));
    if results.stopped {
        out.push(
            "The run was stopped before it finished: the counts below are of the replications done."
                .to_string(),
        );
    }
    let focal: Vec<&EffectPower> = results.effects.iter().filter(|e| !e.control).collect();
    for effect in &focal {
        let sentence = match &effect.target {
            Some(target) => Some(target_sentence(effect, target)),
            None => power_sentence(effect),
        };
        out.extend(sentence);
    }
    for runs in &results.analyses {
        let failed: usize = runs.points.iter().map(|p| p.not_computed).sum();
        let done: usize = runs.points.iter().map(|p| p.replications).sum();
        if failed > 0 {
            out.push(format!(
                "The {} could not be computed in {} of {} data sets{}.",
                runs.description,
                grouped(failed as f64, 0),
                grouped(done as f64, 0),
                runs.main_problem
                    .as_deref()
                    .map(|p| format!(" (most often: {p})"))
                    .unwrap_or_default()
            ));
        }
    }
    out
}

/// The table's header and rows: each effect's power at each size.
fn table(results: &PowerResults) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Effect".to_string()];
    header.extend(
        results
            .sizes
            .iter()
            .map(|n| format!("n = {}", grouped(*n as f64, 0))),
    );
    if results.target.is_some() {
        header.push("n for the target".to_string());
    }
    let rows = results
        .effects
        .iter()
        .map(|effect| {
            let mut row = vec![effect.key.clone()];
            row.extend(effect.points.iter().map(|p| match (p.power, p.mc_se) {
                (Some(power), Some(se)) => format!("{:.3} ({:.3})", power, se),
                _ => "–".to_string(),
            }));
            if let Some(target) = &effect.target {
                row.push(match (target.n, target.ci) {
                    (Some(n), Some([low, high])) => format!("{n} [{low}, {high}]"),
                    (Some(n), None) => n.to_string(),
                    _ => "–".to_string(),
                });
            }
            row
        })
        .collect();
    (header, rows)
}

fn title(results: &PowerResults) -> String {
    match &results.title {
        Some(title) => format!("Power analysis: {title}"),
        None => "Power analysis".to_string(),
    }
}

const TABLE_NOTE: &str = "Power (its Monte Carlo standard error) by sample size; the sample size for the target is where the logistic fit of significance on n reaches it, with the sizes where its 95% band does.";

/// The report as Markdown; `chart_path(k)` is the file of the k-th chart (from 1).
pub fn markdown(results: &PowerResults, chart_path: &dyn Fn(usize) -> String) -> String {
    let mut out = format!("# {}\n\n", title(results));
    for paragraph in paragraphs(results) {
        out.push_str(&paragraph);
        out.push_str("\n\n");
    }
    let (header, rows) = table(results);
    out.push_str(&markdown_row(&header));
    out.push_str(&markdown_row(&vec!["---".to_string(); header.len()]));
    for row in rows {
        out.push_str(&markdown_row(&row));
    }
    out.push_str(&format!("\n*Note.* {TABLE_NOTE}\n"));
    for (k, chart) in charts(results).iter().enumerate() {
        if let Chart::PowerCurves { analysis, .. } = chart {
            out.push_str(&format!(
                "\n![Power of {analysis}]({})\n",
                chart_path(k + 1)
            ));
        }
    }
    out
}

/// The report as a self-contained HTML page with its charts inline.
pub fn html(results: &PowerResults) -> Result<String, String> {
    let title = escape_html(&title(results));
    let mut body = format!("<h1>{title}</h1>\n");
    for paragraph in paragraphs(results) {
        body.push_str(&format!("<p>{}</p>\n", escape_html(&paragraph)));
    }
    let (header, rows) = table(results);
    body.push_str("<table>\n<thead><tr>");
    for cell in &header {
        body.push_str(&format!("<th>{}</th>", escape_html(cell)));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        body.push_str("<tr>");
        for cell in row {
            body.push_str(&format!("<td>{}</td>", escape_html(&cell)));
        }
        body.push_str("</tr>\n");
    }
    body.push_str(&format!(
        "</tbody>\n</table>\n<p class=\"note\"><em>Note.</em> {}</p>\n",
        escape_html(TABLE_NOTE)
    ));
    let labels = Labels::default();
    for chart in charts(results) {
        body.push_str(&format!(
            "<figure>{}</figure>\n",
            charts::svg(&chart, &labels, Options::default())?
        ));
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;font-size:.9rem}}th,td{{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}}figure{{margin:1.5rem 0}}figure svg{{max-width:100%;height:auto}}.note{{font-size:.9rem}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    ))
}

//! `kith chart KIND --results FILE -o OUT`: one chart from a results file, for researchers who
//! only want one figure.

use super::Outcome;
use crate::cli::ChartKind;
use crate::render::fail;
use anyhow::{Result, anyhow};
use kith_analysis::results::Results;
use kith_analysis::study::io_reason;
use kith_report::charts::{self, Chart, Labels};
use std::io::Write;
use std::path::Path;

pub fn run(
    kind: ChartKind,
    results_path: &Path,
    index: usize,
    variable: Option<&str>,
    dpi: u32,
    output: &Path,
) -> Result<Outcome> {
    let text = crate::files::read_text(results_path).map_err(|error| {
        fail(
            format!(
                "cannot read `{}`: {}",
                results_path.display(),
                io_reason(&error)
            ),
            "give the results.json that `kith analyze` wrote",
        )
    })?;
    let results: Results = serde_json::from_str(&text).map_err(|error| {
        fail(
            format!(
                "`{}` is not a kith results file: {error}",
                results_path.display()
            ),
            format!(
                "give the results.json that `kith analyze` wrote (kith {})",
                env!("CARGO_PKG_VERSION")
            ),
        )
    })?;
    let figures = &results.figures;
    let missing = |what: &str, count: usize| {
        fail(
            format!(
                "`{}` has no {what} number {index} ({count} in all)",
                results_path.display()
            ),
            if count == 0 {
                "the plan did not produce one; see docs/analysis.md for what each chart needs"
                    .to_string()
            } else {
                format!("use --index 0 to {}", count - 1)
            },
        )
    };
    let gaussian = charts::forest_models(&results, false);
    let generalized = charts::forest_models(&results, true);
    let chart = match kind {
        ChartKind::Likert => {
            Chart::Likert(figures.item_responses.get(index).ok_or_else(|| {
                missing("scale with item responses", figures.item_responses.len())
            })?)
        }
        ChartKind::Distribution => {
            let mut names: Vec<&str> = figures
                .distributions
                .iter()
                .map(|d| d.variable.as_str())
                .collect();
            names.dedup();
            let name = match variable {
                Some(name) => names.iter().copied().find(|n| *n == name).ok_or_else(|| {
                    fail(
                        format!(
                            "`{}` has no distribution of `{name}`",
                            results_path.display()
                        ),
                        format!("the distributions are of: {}", names.join(", ")),
                    )
                })?,
                None => names
                    .get(index)
                    .copied()
                    .ok_or_else(|| missing("distribution", names.len()))?,
            };
            let start = figures
                .distributions
                .iter()
                .position(|d| d.variable == name)
                .unwrap_or(0);
            let count = figures.distributions[start..]
                .iter()
                .take_while(|d| d.variable == name)
                .count();
            Chart::Distribution(&figures.distributions[start..start + count])
        }
        ChartKind::Reliability => {
            if figures.reliability.is_empty() {
                return Err(missing("reliability summary", 0));
            }
            Chart::Reliability(&figures.reliability)
        }
        ChartKind::Correlations => Chart::Correlations(
            results
                .correlations
                .get(index)
                .ok_or_else(|| missing("correlation table", results.correlations.len()))?,
        ),
        ChartKind::Forest | ChartKind::Ratios => {
            let ratio = kind == ChartKind::Ratios;
            let models = if ratio { &generalized } else { &gaussian };
            if models.is_empty() {
                return Err(missing(
                    if ratio {
                        "logistic or Poisson model"
                    } else {
                        "linear model"
                    },
                    0,
                ));
            }
            Chart::Forest { models, ratio }
        }
        ChartKind::Mediation => Chart::Mediation(
            results
                .mediation
                .get(index)
                .ok_or_else(|| missing("mediation", results.mediation.len()))?,
        ),
        ChartKind::Scatter => Chart::Scatter(
            figures
                .scatter
                .get(index)
                .ok_or_else(|| missing("scatter plot", figures.scatter.len()))?,
        ),
        ChartKind::Importance => Chart::Importance(
            results
                .importance
                .get(index)
                .ok_or_else(|| missing("importance analysis", results.importance.len()))?,
        ),
    };
    let labels = Labels(results.labels.clone());
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let bytes = match extension.as_deref() {
        Some("svg") => charts::svg(chart, &labels).map(String::into_bytes),
        Some("png") => charts::png(chart, &labels, dpi),
        _ => {
            return Err(fail(
                format!(
                    "cannot tell the format of `{}` from its extension",
                    output.display()
                ),
                "name the output .svg or .png",
            ));
        }
    }
    .map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
    crate::atomic::write_bytes(output, &bytes)?;
    writeln!(std::io::stderr(), "wrote {}", output.display())?;
    Ok(Outcome::Success)
}

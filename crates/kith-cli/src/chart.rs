//! `kith chart KIND --results FILE -o OUT`: one chart from a results file, for researchers who
//! only want one figure.

use crate::Outcome;
use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;
use kith_analysis::results::Results;
use kith_report::charts::{self, Chart, Labels};
use std::io::Write;
use std::path::Path;

/// The charts `kith chart` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartKind {
    /// Diverging stacked bars of a scale's item responses (--index picks the scale).
    Likert,
    /// A score's histogram and density, or box plots per group (--variable or --index).
    Distribution,
    /// Alpha and omega per scale with alpha's interval.
    Reliability,
    /// A correlation table as a heat map (--index picks the table).
    Correlations,
    /// Standardized β of the linear models' predictors with intervals.
    Forest,
    /// Odds and rate ratios of the logistic and Poisson models, on a log axis.
    Ratios,
    /// A mediation model's path diagram (--index picks the model).
    Mediation,
    /// A scatter plot with the fitted line and its band (--index).
    Scatter,
    /// Relative importance weights with intervals (--index).
    Importance,
}

pub fn run(
    kind: ChartKind,
    results_path: &Path,
    index: usize,
    variable: Option<&str>,
    dpi: u32,
    output: &Path,
) -> Result<Outcome> {
    let text = crate::files::read_text(results_path).map_err(|error| {
        anyhow!(
            "cannot read `{}`: {}\n  = hint: give the results.json that `kith analyze` wrote",
            results_path.display(),
            crate::data::io_reason(&error)
        )
    })?;
    let results: Results = serde_json::from_str(&text).map_err(|error| {
        anyhow!(
            "`{}` is not a kith results file: {error}\n  = hint: give the results.json that `kith analyze` wrote (kith {})",
            results_path.display(),
            env!("CARGO_PKG_VERSION")
        )
    })?;
    let figures = &results.figures;
    let missing = |what: &str, count: usize| {
        anyhow!(
            "`{}` has no {what} number {index} ({count} in all)\n  = hint: {}",
            results_path.display(),
            if count == 0 {
                "the plan did not produce one; see docs/analysis.md for what each chart needs"
                    .to_string()
            } else {
                format!("use --index 0 to {}", count - 1)
            }
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
                    anyhow!(
                        "`{}` has no distribution of `{name}`\n  = hint: the distributions are of: {}",
                        results_path.display(),
                        names.join(", ")
                    )
                })?,
                None => names.get(index).copied().ok_or_else(|| missing("distribution", names.len()))?,
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
        _ => bail!(
            "cannot tell the format of `{}` from its extension\n  = hint: name the output .svg or .png",
            output.display()
        ),
    }
    .map_err(|e| anyhow!("cannot draw the chart: {e}"))?;
    crate::atomic::write_bytes(output, &bytes)?;
    writeln!(std::io::stderr(), "wrote {}", output.display())?;
    Ok(Outcome::Success)
}

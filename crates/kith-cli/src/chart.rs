//! `kith chart KIND --results FILE -o OUT`: one chart from a results file, for researchers who
//! only want one figure.

use crate::Outcome;
use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;
use kith_analysis::results::Results;
use kith_report::charts;
use kith_report::document::{self, Kind, Pick, Unavailable};
use kith_report::labels::Labels;
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
    let kind = match kind {
        ChartKind::Likert => Kind::Likert,
        ChartKind::Distribution => Kind::Distribution,
        ChartKind::Reliability => Kind::Reliability,
        ChartKind::Correlations => Kind::Correlations,
        ChartKind::Forest => Kind::Forest,
        ChartKind::Ratios => Kind::Ratios,
        ChartKind::Mediation => Kind::Mediation,
        ChartKind::Scatter => Kind::Scatter,
        ChartKind::Importance => Kind::Importance,
    };
    let chart =
        document::chart(&results, kind, Pick { index, variable }).map_err(|why| match why {
            Unavailable::Missing { what, count } => anyhow!(
                "`{}` has no {what} number {index} ({count} in all)\n  = hint: {}",
                results_path.display(),
                if count == 0 {
                    "the plan did not produce one; see docs/analysis.md for what each chart needs"
                        .to_string()
                } else {
                    format!("use --index 0 to {}", count - 1)
                }
            ),
            Unavailable::NoDistribution {
                variable,
                variables,
            } => anyhow!(
                "`{}` has no distribution of `{variable}`\n  = hint: the distributions are of: {}",
                results_path.display(),
                variables.join(", ")
            ),
        })?;
    let labels = Labels::of(&results);
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let bytes = match extension.as_deref() {
        Some("svg") => charts::svg(&chart, &labels).map(String::into_bytes),
        Some("png") => charts::png(&chart, &labels, dpi),
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

//! `kith chart KIND --results FILE -o OUT`: one chart from a results file, for researchers who
//! only want one figure.

use super::Outcome;
use crate::cli::{ChartKind, ChartWidth};
use crate::render::fail;
use anyhow::Result;
use kith_analysis::results::Results;
use kith_analysis::study::io_reason;
use kith_report::charts;
use kith_report::document::{self, Kind, Pick, Unavailable};
use kith_report::labels::Labels;
use std::io::Write;
use std::path::Path;

/// What the command line chose besides the chart's kind and the files.
#[derive(Debug, Clone, Copy)]
pub struct Choices<'a> {
    pub index: usize,
    pub variable: Option<&'a str>,
    pub dpi: u32,
    pub titles: bool,
    pub width: Option<ChartWidth>,
}

/// `kith chart KIND --results FILE -o OUT`.
pub fn run(
    kind: ChartKind,
    results_path: &Path,
    choices: Choices,
    output: &Path,
) -> Result<Outcome> {
    let Choices {
        index,
        variable,
        dpi,
        titles,
        width,
    } = choices;
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
    let kind = match kind {
        ChartKind::Likert => Kind::Likert,
        ChartKind::Distribution => Kind::Distribution,
        ChartKind::Reliability => Kind::Reliability,
        ChartKind::Correlations => Kind::Correlations,
        ChartKind::Forest => Kind::Forest,
        ChartKind::Ratios => Kind::Ratios,
        ChartKind::Mediation => Kind::Mediation,
        ChartKind::Measurement => Kind::Measurement,
        ChartKind::Flow => Kind::Flow,
        ChartKind::Indices => Kind::Indices,
        ChartKind::Scatter => Kind::Scatter,
        ChartKind::Importance => Kind::Importance,
        ChartKind::GroupMeans => Kind::GroupMeans,
        ChartKind::Interaction => Kind::Interaction,
        ChartKind::FactorInteraction => Kind::FactorInteraction,
        ChartKind::ConditionalIndirect => Kind::ConditionalIndirect,
        ChartKind::JohnsonNeyman => Kind::JohnsonNeyman,
        ChartKind::Sociogram => Kind::Sociogram,
    };
    let chart =
        document::chart(&results, kind, Pick { index, variable }).map_err(|why| match why {
            Unavailable::Missing { what, count } => fail(
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
            ),
            Unavailable::NoDistribution {
                variable,
                variables,
            } => fail(
                format!(
                    "`{}` has no distribution of `{variable}`",
                    results_path.display()
                ),
                if variables.is_empty() {
                    "the results hold no distributions; the plan's `report: distributions:` names the variables to draw".to_string()
                } else {
                    format!("the distributions are of: {}", variables.join(", "))
                },
            ),
        })?;
    let labels = Labels::of(&results);
    // A plan that leaves titles out leaves them out here too; `--no-title` leaves them out of
    // any results.
    // The width follows the plan unless `--width` chooses one.
    let options = charts::Options {
        titles: titles && results.figures.report.figure_titles,
        width: match width {
            Some(ChartWidth::Page) => charts::FigureWidth::Page,
            Some(ChartWidth::Column) => charts::FigureWidth::Column,
            None => results.figures.report.figure_width,
        },
    };
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    let bytes = match extension.as_deref() {
        Some("svg") => charts::svg(&chart, &labels, options).map(String::into_bytes),
        Some("png") => charts::png(&chart, &labels, dpi, options),
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
    .map_err(|e| {
        fail(
            format!("cannot draw the chart from `{}`: {e}", results_path.display()),
            "a results file edited by hand can ask for what kith never writes; run `kith analyze` again to remake it",
        )
    })?;
    crate::atomic::write_bytes(output, &bytes)?;
    writeln!(std::io::stderr(), "wrote {}", output.display())?;
    Ok(Outcome::Success)
}

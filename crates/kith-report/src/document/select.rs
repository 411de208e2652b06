//! One chart picked from a results file by kind and index (or variable), for `kith chart`:
//! the same data the report's figure of that kind draws, or why there is none.

use crate::charts::{self, Chart};
use kith_analysis::results::Results;

/// The kinds of chart that can be picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Likert,
    Distribution,
    Reliability,
    Correlations,
    /// Standardized β of the linear models.
    Forest,
    /// Odds and rate ratios of the logistic and Poisson models.
    Ratios,
    Mediation,
    /// The path diagram of a measurement model.
    Measurement,
    /// The participant flow of a plan with a `screening:` section.
    Flow,
    /// Histograms of the screening indices with their cut-offs.
    Indices,
    Scatter,
    Importance,
    /// A comparison's group means with their intervals.
    GroupMeans,
    /// A moderation model's interaction plot.
    Interaction,
    /// A multicategorical X's interaction plot (a line per level of X across the moderator).
    FactorInteraction,
    /// A moderated mediation's conditional indirect effects.
    ConditionalIndirect,
    /// A moderation model's Johnson–Neyman plot (continuous moderators only).
    JohnsonNeyman,
    /// A network's sociogram (networks small enough to draw).
    Sociogram,
}

/// Which chart of a kind: the `index`-th (from 0), or for distributions the one of `variable`
/// when it is given.
#[derive(Debug, Clone, Copy)]
pub struct Pick<'v> {
    pub index: usize,
    pub variable: Option<&'v str>,
}

/// Why a results file has no such chart; the binary words the message and its hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// There is no `what` with the index asked for; `count` of them in all.
    Missing { what: &'static str, count: usize },
    /// No distribution of `variable`; `variables` are those that have one.
    NoDistribution {
        variable: String,
        variables: Vec<String>,
    },
}

/// The chart of `kind` that `pick` names.
pub fn chart<'a>(results: &'a Results, kind: Kind, pick: Pick) -> Result<Chart<'a>, Unavailable> {
    let figures = &results.figures;
    let index = pick.index;
    let missing = |what: &'static str, count: usize| Unavailable::Missing { what, count };
    Ok(match kind {
        Kind::Likert => {
            Chart::Likert(figures.item_responses.get(index).ok_or_else(|| {
                missing("scale with item responses", figures.item_responses.len())
            })?)
        }
        Kind::Distribution => {
            let mut names: Vec<&str> = figures
                .distributions
                .iter()
                .map(|d| d.variable.as_str())
                .collect();
            names.dedup();
            let name = match pick.variable {
                Some(name) => names.iter().copied().find(|n| *n == name).ok_or_else(|| {
                    Unavailable::NoDistribution {
                        variable: name.to_string(),
                        variables: names.iter().map(|n| n.to_string()).collect(),
                    }
                })?,
                None => names
                    .get(index)
                    .copied()
                    .ok_or_else(|| missing("distribution", names.len()))?,
            };
            // The name was taken from the distributions, so it has one; the empty slice only
            // keeps this total.
            Chart::Distribution(charts::distribution::of(figures, name).unwrap_or_default())
        }
        Kind::Reliability => {
            if figures.reliability.is_empty() {
                return Err(missing("reliability summary", 0));
            }
            Chart::Reliability {
                scales: &figures.reliability,
                level: results.level,
            }
        }
        Kind::Correlations => Chart::Correlations(
            results
                .correlations
                .get(index)
                .ok_or_else(|| missing("correlation table", results.correlations.len()))?,
        ),
        Kind::Forest | Kind::Ratios => {
            let ratio = kind == Kind::Ratios;
            let models = charts::forest::models(results, ratio);
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
            Chart::Forest {
                models,
                ratio,
                level: results.level,
            }
        }
        Kind::Mediation => Chart::Mediation(
            results
                .mediation
                .get(index)
                .ok_or_else(|| missing("mediation", results.mediation.len()))?,
        ),
        Kind::Measurement => Chart::Measurement(
            results
                .measurement
                .get(index)
                .ok_or_else(|| missing("measurement model", results.measurement.len()))?,
        ),
        Kind::Flow => Chart::Flow(
            results
                .screening
                .as_ref()
                .ok_or_else(|| missing("participant flow", 0))?,
        ),
        Kind::Indices => Chart::Indices(
            results
                .screening
                .as_ref()
                .filter(|s| !s.histograms.is_empty())
                .ok_or_else(|| missing("screening with index histograms", 0))?,
        ),
        Kind::Scatter => Chart::Scatter(
            figures
                .scatter
                .get(index)
                .ok_or_else(|| missing("scatter plot", figures.scatter.len()))?,
        ),
        Kind::Importance => Chart::Importance {
            result: results
                .importance
                .get(index)
                .ok_or_else(|| missing("importance analysis", results.importance.len()))?,
            level: results.level,
        },
        Kind::ConditionalIndirect => Chart::ConditionalIndirect(
            results
                .moderated_mediation
                .get(index)
                .ok_or_else(|| missing("moderated mediation", results.moderated_mediation.len()))?,
        ),
        Kind::Interaction => Chart::Interaction {
            result: results
                .moderation
                .get(index)
                .ok_or_else(|| missing("moderation model", results.moderation.len()))?,
            level: results.level,
        },
        Kind::FactorInteraction => Chart::FactorInteraction {
            result: results
                .multicategorical_moderation
                .get(index)
                .ok_or_else(|| {
                    missing(
                        "moderation with a multicategorical X",
                        results.multicategorical_moderation.len(),
                    )
                })?,
            level: results.level,
        },
        Kind::Sociogram => {
            let drawable = || results.networks.iter().filter(|n| n.sociogram.is_some());
            Chart::Sociogram(
                drawable()
                    .nth(index)
                    .ok_or_else(|| missing("network small enough to draw", drawable().count()))?,
            )
        }
        Kind::JohnsonNeyman => Chart::JohnsonNeyman {
            result: results
                .moderation
                .iter()
                .filter(|m| m.johnson_neyman.is_some())
                .nth(index)
                .ok_or_else(|| {
                    missing(
                        "moderation model with a continuous moderator",
                        results
                            .moderation
                            .iter()
                            .filter(|m| m.johnson_neyman.is_some())
                            .count(),
                    )
                })?,
            level: results.level,
        },
        Kind::GroupMeans => Chart::GroupMeans {
            result: results
                .comparisons
                .iter()
                .filter(|c| c.means.is_some())
                .nth(index)
                .ok_or_else(|| {
                    missing(
                        "comparison of means",
                        results
                            .comparisons
                            .iter()
                            .filter(|c| c.means.is_some())
                            .count(),
                    )
                })?,
            level: results.level,
        },
    })
}

//! Runs a checked plan on a data set and returns its results: the values behind
//! `results.json` (field names documented in docs/analysis.md and kept stable) and the report.
//! Each kind of analysis has its own module; this one runs them in the plan's order.

mod comparisons;
mod correlations;
mod importance;
mod index_histograms;
mod measurement;
mod mediation;
mod models;
mod moderated_mediation;
mod moderation;
mod multicategorical;
mod omnibus;
mod problem;
mod screening;

use crate::dataset::{Dataset, Values};
use crate::describe;
use crate::plan::Plan;
use crate::plan::describe as describe_analysis;
use crate::results::{DescriptiveRow, Figures, Results};
use comparisons::fit_comparison;
use correlations::correlation_table;
use importance::fit_importance;
pub use measurement::fit_measurements;
use mediation::fit_mediation;
use models::fit_model;
use moderated_mediation::fit_moderated_mediation;
use moderation::fit_moderation;
use multicategorical::{fit_multicategorical_mediation, fit_multicategorical_moderation};
pub use screening::{Applied, INDEX_NAMES, apply_screening};

/// Reports how far a long computation has got: (what, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Runs every analysis of a plan whose variables were checked against the data set.
pub fn analyze(plan: &Plan, plan_name: &str, dataset: &Dataset, progress: Progress) -> Results {
    let level = plan.level();
    let mut not_computed = Vec::new();
    let descriptives = plan
        .descriptives
        .iter()
        .filter_map(|name| {
            let variable = dataset.get(name)?;
            let Values::Numeric(values) = &variable.values else {
                return None;
            };
            Some(DescriptiveRow {
                variable: name.clone(),
                label: variable.label.clone(),
                statistics: describe::describe(values)?,
            })
        })
        .collect();
    let correlations = plan
        .correlation_specs()
        .iter()
        .map(|spec| correlation_table(spec, dataset, level))
        .collect();
    let mut models = Vec::new();
    for (index, spec) in plan.models.iter().enumerate() {
        match fit_model(plan, spec, dataset, level) {
            Ok(result) => models.push(result),
            Err(problem) => not_computed
                .push(problem.at(format!("models[{index}]"), describe_analysis::model(spec))),
        }
    }
    let mut mediation_results = Vec::new();
    let mut multicategorical_mediation = Vec::new();
    for (index, spec) in plan.mediation.iter().enumerate() {
        let what = format!("mediation[{index}]");
        let report = &|done, total| progress(&what, done, total);
        let fitted = if is_factor(dataset, &spec.x) {
            fit_multicategorical_mediation(plan, spec, dataset, level, report)
                .map(|result| multicategorical_mediation.push(result))
        } else {
            fit_mediation(plan, spec, dataset, level, report)
                .map(|result| mediation_results.push(result))
        };
        match fitted {
            Ok(()) => {}
            Err(problem) => not_computed.push(problem.at(what, describe_analysis::mediation(spec))),
        }
    }
    let mut comparison_results = Vec::new();
    for (index, spec) in plan.comparisons.iter().enumerate() {
        match fit_comparison(spec, dataset, level) {
            Ok(result) => comparison_results.push(result),
            Err(problem) => not_computed.push(problem.at(
                format!("comparisons[{index}]"),
                describe_analysis::comparison(spec),
            )),
        }
    }
    let mut moderation_results = Vec::new();
    let mut multicategorical_moderation = Vec::new();
    for (index, spec) in plan.moderation.iter().enumerate() {
        let fitted = if is_factor(dataset, &spec.x) {
            fit_multicategorical_moderation(plan, spec, dataset, level)
                .map(|result| multicategorical_moderation.push(result))
        } else {
            fit_moderation(plan, spec, dataset, level).map(|result| moderation_results.push(result))
        };
        match fitted {
            Ok(()) => {}
            Err(problem) => not_computed.push(problem.at(
                format!("moderation[{index}]"),
                describe_analysis::moderation(spec),
            )),
        }
    }
    let mut moderated_results = Vec::new();
    for (index, spec) in plan.moderated_mediation.iter().enumerate() {
        let what = format!("moderated_mediation[{index}]");
        match fit_moderated_mediation(plan, spec, dataset, level, &|done, total| {
            progress(&what, done, total)
        }) {
            Ok(result) => moderated_results.push(result),
            Err(problem) => {
                not_computed.push(problem.at(what, describe_analysis::moderated_mediation(spec)))
            }
        }
    }
    let mut importance_results = Vec::new();
    for (index, spec) in plan.importance.iter().enumerate() {
        let what = format!("importance[{index}]");
        match fit_importance(plan, spec, dataset, level, &|done, total| {
            progress(&what, done, total)
        }) {
            Ok(result) => importance_results.push(result),
            Err(problem) => {
                not_computed.push(problem.at(what, format!("importance for `{}`", spec.outcome)))
            }
        }
    }
    Results {
        kith_version: env!("CARGO_PKG_VERSION").to_string(),
        plan: plan_name.to_string(),
        title: plan.title.clone(),
        data: plan.data.to_vec(),
        survey: None,
        labels: {
            let mut labels = crate::dataset::labels(dataset);
            labels.extend(plan.labels.clone());
            labels
        },
        n_rows: dataset.n,
        level,
        descriptives,
        correlations,
        comparisons: comparison_results,
        models,
        mediation: mediation_results,
        moderation: moderation_results,
        moderated_mediation: moderated_results,
        multicategorical_mediation,
        multicategorical_moderation,
        importance: importance_results,
        measurement: Vec::new(),
        networks: Vec::new(),
        screening: None,
        sensitivity: None,
        not_computed,
        figures: Figures::default(),
    }
}

/// Whether a variable is a factor: as X it is then coded as indicators (a multicategorical X).
fn is_factor(dataset: &Dataset, name: &str) -> bool {
    matches!(
        dataset.get(name).map(|v| &v.values),
        Some(Values::Categorical { .. })
    )
}

fn numeric_rows(dataset: &Dataset, name: &str, rows: &[usize]) -> Vec<f64> {
    match dataset.get(name).map(|v| &v.values) {
        Some(Values::Numeric(values)) => rows.iter().map(|&r| values[r]).collect(),
        Some(Values::Categorical { codes, .. }) => rows
            .iter()
            .map(|&r| codes[r].map_or(f64::NAN, f64::from))
            .collect(),
        None => vec![f64::NAN; rows.len()],
    }
}

/// Whether a complete column takes exactly two distinct values.
pub(crate) fn two_valued(values: &[f64]) -> bool {
    let Some(&first) = values.first() else {
        return false;
    };
    match values.iter().find(|&&v| v != first) {
        Some(&second) => values.iter().all(|&v| v == first || v == second),
        None => false,
    }
}

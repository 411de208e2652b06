//! Relative importance of a plan's `importance` analyses: dominance or relative weights with
//! bootstrap intervals, as results.

use super::numeric_rows;
use super::problem::AnalysisProblem;
use crate::dataset::{Dataset, complete_rows};
use crate::importance::importance;
use crate::linear::FitProblem;
use crate::plan::{DEFAULT_IMPORTANCE_RESAMPLES, ImportanceSpec, Plan};
use crate::results::{ImportanceResult, ImportanceWeight};

/// The relative importance of one spec's predictors, or why it cannot be computed.
/// `progress` is told (resamples done, resamples in all).
pub(super) fn fit_importance(
    plan: &Plan,
    spec: &ImportanceSpec,
    dataset: &Dataset,
    level: f64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ImportanceResult, AnalysisProblem> {
    let names: Vec<&str> = spec
        .predictors
        .iter()
        .map(String::as_str)
        .chain([spec.outcome.as_str()])
        .collect();
    let rows = complete_rows(dataset, &names);
    let predictors: Vec<Vec<f64>> = spec
        .predictors
        .iter()
        .map(|n| numeric_rows(dataset, n, &rows))
        .collect();
    let outcome = numeric_rows(dataset, &spec.outcome, &rows);
    let predictor_slices: Vec<&[f64]> = predictors.iter().map(Vec::as_slice).collect();
    let method = spec.method;
    let resamples = spec.bootstrap.unwrap_or(DEFAULT_IMPORTANCE_RESAMPLES);
    let seed = spec.seed.unwrap_or(plan.seed());
    if rows.len() <= spec.predictors.len() + 1 {
        return Err(AnalysisProblem::from_fit(FitProblem::TooFewCases {
            n: rows.len(),
            parameters: spec.predictors.len() + 1,
        }));
    }
    let fit = importance(
        &predictor_slices,
        &outcome,
        method,
        resamples,
        seed,
        level,
        &|done| progress(done, resamples),
    )
    .ok_or_else(|| AnalysisProblem {
        code: "collinear",
        message: "the predictors' correlation matrix is singular: one predictor is a linear combination of the others".to_string(),
        hint: "remove the redundant predictor".to_string(),
    })?;
    if crate::bootstrap::too_many_failed(fit.failed_resamples, resamples) {
        return Err(AnalysisProblem::from_fit(FitProblem::UnstableBootstrap {
            failed: fit.failed_resamples,
            resamples,
        }));
    }
    Ok(ImportanceResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        outcome: spec.outcome.clone(),
        method,
        n: fit.n,
        n_missing: dataset.n - fit.n,
        r2: fit.r2,
        weights: spec
            .predictors
            .iter()
            .enumerate()
            .map(|(j, name)| ImportanceWeight {
                predictor: name.clone(),
                weight: fit.weights[j],
                share: fit.weights[j] / fit.r2,
                boot_se: fit.boot_se[j],
                ci: fit.ci[j],
            })
            .collect(),
        resamples,
        failed_resamples: fit.failed_resamples,
        seed,
    })
}

//! Mediation models (PROCESS model 4): paths, direct and indirect effects with bootstrap
//! intervals, as results.

use super::models::{covariate_reference_levels, design_columns};
use super::problem::AnalysisProblem;
use super::{numeric_rows, two_valued};
use crate::dataset::{Dataset, complete_rows};
use crate::linear::Coefficient;
use crate::mediation::{self, Column, MediationInput};
use crate::plan::{DEFAULT_RESAMPLES, Plan};
use crate::results::*;

pub(super) fn summary(effect: &mediation::BootEffect) -> BootSummary {
    BootSummary {
        estimate: effect.estimate,
        boot_se: effect.boot_se,
        ci: effect.ci,
    }
}

pub(super) fn path(c: &Coefficient) -> PathResult {
    PathResult {
        b: c.estimate,
        se: c.se,
        t: c.statistic,
        p: c.p,
        ci: c.ci,
    }
}

pub(super) fn fit_mediation(
    plan: &Plan,
    spec: &crate::plan::MediationSpec,
    dataset: &Dataset,
    level: f64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<MediationResult, AnalysisProblem> {
    let mediators = spec.m.to_vec();
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.y.as_str()];
    names.extend(mediators.iter().map(String::as_str));
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let x = numeric_rows(dataset, &spec.x, &rows);
    let y = numeric_rows(dataset, &spec.y, &rows);
    let m_values: Vec<Vec<f64>> = mediators
        .iter()
        .map(|m| numeric_rows(dataset, m, &rows))
        .collect();
    let mut covariate_columns = Vec::new();
    for name in &spec.covariates {
        covariate_columns.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let resamples = spec
        .monte_carlo
        .unwrap_or(spec.bootstrap.unwrap_or(DEFAULT_RESAMPLES));
    let seed = spec.seed.unwrap_or(plan.seed());
    let method = spec.ci;
    let input = MediationInput {
        x: Column {
            name: &spec.x,
            values: &x,
        },
        mediators: mediators
            .iter()
            .zip(&m_values)
            .map(|(name, values)| Column { name, values })
            .collect(),
        y: Column {
            name: &spec.y,
            values: &y,
        },
        covariates: covariate_columns
            .iter()
            .map(|(name, values)| Column { name, values })
            .collect(),
        resamples,
        seed,
        level,
        method,
        monte_carlo: spec.monte_carlo,
    };
    let fit = mediation::mediation(&input, &|done| progress(done, resamples))
        .map_err(AnalysisProblem::from_fit)?;
    let indirect_effects = mediators
        .iter()
        .enumerate()
        .map(|(j, name)| IndirectResult {
            mediator: name.clone(),
            a: path(&fit.a[j]),
            b: path(&fit.b[j]),
            effect: fit.indirect[j].estimate,
            boot_se: fit.indirect[j].boot_se,
            ci: fit.indirect[j].ci,
            standardized: fit.standardized[j].estimate,
            standardized_boot_se: fit.standardized[j].boot_se,
            standardized_ci: fit.standardized[j].ci,
            partially_standardized: Some(summary(&fit.partially_standardized[j])),
        })
        .collect();
    Ok(MediationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        x: spec.x.clone(),
        m: mediators,
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
        reference_levels: covariate_reference_levels(plan, dataset, &spec.covariates, &rows),
        n: fit.n,
        n_missing: dataset.n - fit.n,
        a: fit.a.iter().map(|c| c.estimate).collect(),
        b: fit.b.iter().map(|c| c.estimate).collect(),
        c: fit.c.estimate,
        c_prime: fit.c_prime.estimate,
        c_path: path(&fit.c),
        c_prime_path: path(&fit.c_prime),
        indirect: fit.total_indirect.estimate,
        boot_se: fit.total_indirect.boot_se,
        ci: fit.total_indirect.ci,
        standardized: fit.standardized_total.estimate,
        standardized_boot_se: fit.standardized_total.boot_se,
        standardized_ci: fit.standardized_total.ci,
        partially_standardized: Some(summary(&fit.partially_standardized_total)),
        x_two_valued: two_valued(&x),
        indirect_effects,
        ci_method: method,
        level,
        resamples,
        failed_resamples: fit.failed_resamples,
        seed,
    })
}

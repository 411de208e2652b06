//! Runs a plan's moderated mediations (PROCESS models 7 and 14): the complete cases, W's
//! probe values, the bootstrap of `crate::moderation::conditional_process`, and the fit in the
//! results contract.

use super::models::{coefficient_result, design_columns};
use super::numeric_rows;
use super::problem::AnalysisProblem;
use crate::dataset::{Dataset, complete_rows};
use crate::mediation::BootEffect;
use crate::moderation::{ConditionalProcessInput, Named, Probe, conditional_process};
use crate::plan::{DEFAULT_RESAMPLES, ModeratedMediationSpec, Plan};
use crate::results::{BootSummary, ModeratedMediationResult, ModeratedPath};

fn summary(e: &BootEffect) -> BootSummary {
    BootSummary {
        estimate: e.estimate,
        boot_se: e.boot_se,
        ci: e.ci,
    }
}

pub(super) fn fit_moderated_mediation(
    plan: &Plan,
    spec: &ModeratedMediationSpec,
    dataset: &Dataset,
    level: f64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ModeratedMediationResult, AnalysisProblem> {
    let mediators = spec.m.to_vec();
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.w.as_str(), spec.y.as_str()];
    names.extend(mediators.iter().map(String::as_str));
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let x = numeric_rows(dataset, &spec.x, &rows);
    let w = numeric_rows(dataset, &spec.w, &rows);
    let y = numeric_rows(dataset, &spec.y, &rows);
    let m_values: Vec<Vec<f64>> = mediators
        .iter()
        .map(|m| numeric_rows(dataset, m, &rows))
        .collect();
    let mut covariates = Vec::new();
    for name in &spec.covariates {
        covariates.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let model = spec.process_model().ok_or_else(|| AnalysisProblem {
        code: "unknown-process-model",
        message: format!("PROCESS model {} is not one kith fits", spec.model),
        hint: "use 7 or 14".to_string(),
    })?;
    let probe_values = spec.probe.values(&w);
    let resamples = spec.bootstrap.unwrap_or(DEFAULT_RESAMPLES);
    let seed = spec.seed.unwrap_or(plan.seed());
    let fit = conditional_process(
        &ConditionalProcessInput {
            model,
            x: Named {
                name: &spec.x,
                values: &x,
            },
            mediators: mediators
                .iter()
                .zip(&m_values)
                .map(|(name, values)| Named { name, values })
                .collect(),
            w: Named {
                name: &spec.w,
                values: &w,
            },
            y: Named {
                name: &spec.y,
                values: &y,
            },
            covariates: covariates
                .iter()
                .map(|(name, values)| Named { name, values })
                .collect(),
            probe_values: probe_values.clone(),
            resamples,
            seed,
            level,
            method: spec.ci,
        },
        &|done| progress(done, resamples),
    )
    .map_err(AnalysisProblem::from_fit)?;
    let table = |f: &crate::linear::OlsFit| {
        f.coefficients
            .iter()
            .map(|c| coefficient_result(c, true, None, None))
            .collect()
    };
    let two_values = crate::analyze::two_valued(&w);
    Ok(ModeratedMediationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        model: spec.model,
        x: spec.x.clone(),
        m: mediators.clone(),
        w: spec.w.clone(),
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
        n: rows.len(),
        n_missing: dataset.n - rows.len(),
        resamples,
        seed,
        ci_method: spec.ci,
        level,
        mediator_models: fit.mediator_fits.iter().map(table).collect(),
        y_model: table(&fit.y_fit),
        probe: match (&spec.probe, two_values) {
            (Probe::Values(_), _) => "values",
            (_, true) => "both-values",
            (Probe::MeanSd, _) => "mean-sd",
            _ => "percentiles",
        }
        .to_string(),
        probe_values,
        mediators: mediators
            .iter()
            .enumerate()
            .map(|(j, name)| ModeratedPath {
                mediator: name.clone(),
                index: summary(&fit.index[j]),
                conditional: fit.conditional[j].iter().map(summary).collect(),
            })
            .collect(),
        failed_resamples: fit.failed_resamples,
    })
}

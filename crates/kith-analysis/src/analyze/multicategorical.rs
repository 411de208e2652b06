//! Runs a plan's mediations and moderations whose X is a factor: X's indicators against its
//! reference level (the plan's `factors:` choice, else the first level), the engines of
//! `crate::mediation::relative_mediation` and `crate::moderation::factor_moderation`, and their
//! fits as results, with the interaction plot's lines (one per level of X, across W).

use super::mediation::{path, summary};
use super::models::{
    coefficient_result, covariate_reference_levels, design_columns, reference_levels, sd,
};
use super::moderation::{LINE_POINTS, band_point, effect_result};
use super::problem::AnalysisProblem;
use super::{numeric_rows, two_valued};
use crate::dataset::{Dataset, complete_rows};
use crate::distributions::t_quantile;
use crate::linear::{Errors, FitProblem};
use crate::mediation::{Column, OmnibusTest, RelativeMediationInput, relative_mediation};
use crate::moderation::{FactorModerationInput, Probe, factor_moderation};
use crate::plan::{DEFAULT_RESAMPLES, MediationSpec, ModerationSpec, Plan};
use crate::results::*;

/// A multicategorical X on the complete cases: its indicators (`x=level` and a 0/1 column
/// each), its reference level and the other levels' names in the indicators' order.
type Indicators = (Vec<(String, Vec<f64>)>, String, Vec<String>);

/// X's indicators on the complete cases, its reference level and the other levels' names.
fn indicators(
    plan: &Plan,
    dataset: &Dataset,
    x: &str,
    rows: &[usize],
) -> Result<Indicators, AnalysisProblem> {
    let indicators = design_columns(plan, dataset, x, rows)?;
    if indicators.is_empty() {
        return Err(AnalysisProblem::from_fit(FitProblem::NoPredictorTerms {
            variables: vec![x.to_string()],
        }));
    }
    let reference = reference_levels(plan, dataset, &[x], rows)
        .remove(x)
        .unwrap_or_default();
    let levels = indicators
        .iter()
        .map(|(name, _)| {
            // The indicator is named `x=level`; a level may itself contain '='.
            name.strip_prefix(x)
                .and_then(|rest| rest.strip_prefix('='))
                .unwrap_or(name)
                .to_string()
        })
        .collect();
    Ok((indicators, reference, levels))
}

fn columns(named: &[(String, Vec<f64>)]) -> Vec<Column<'_>> {
    named
        .iter()
        .map(|(name, values)| Column { name, values })
        .collect()
}

fn omnibus(test: &OmnibusTest) -> OmnibusResult {
    OmnibusResult {
        r2_change: Some(test.r2_change),
        f: test.f,
        df1: test.df1,
        df2: test.df2,
        p: test.p,
    }
}

pub(super) fn fit_multicategorical_mediation(
    plan: &Plan,
    spec: &MediationSpec,
    dataset: &Dataset,
    level: f64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<MulticategoricalMediationResult, AnalysisProblem> {
    let mediators = spec.m.to_vec();
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.y.as_str()];
    names.extend(mediators.iter().map(String::as_str));
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let (x_columns, reference_level, levels) = indicators(plan, dataset, &spec.x, &rows)?;
    let y = numeric_rows(dataset, &spec.y, &rows);
    let m_values: Vec<Vec<f64>> = mediators
        .iter()
        .map(|m| numeric_rows(dataset, m, &rows))
        .collect();
    let mut covariate_columns = Vec::new();
    for name in &spec.covariates {
        covariate_columns.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let resamples = spec.bootstrap.unwrap_or(DEFAULT_RESAMPLES);
    let seed = spec.seed.unwrap_or(plan.seed());
    let input = RelativeMediationInput {
        indicators: columns(&x_columns),
        mediators: mediators
            .iter()
            .zip(&m_values)
            .map(|(name, values)| Column { name, values })
            .collect(),
        y: Column {
            name: &spec.y,
            values: &y,
        },
        covariates: columns(&covariate_columns),
        resamples,
        seed,
        level,
        method: spec.ci,
    };
    let fit = relative_mediation(&input, &|done| progress(done, resamples))
        .map_err(AnalysisProblem::from_fit)?;
    let summaries = |effects: &[Vec<crate::mediation::BootEffect>]| -> Vec<Vec<BootSummary>> {
        effects
            .iter()
            .map(|each| each.iter().map(summary).collect())
            .collect()
    };
    Ok(MulticategoricalMediationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        x: spec.x.clone(),
        reference_level,
        levels,
        m: mediators,
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
        reference_levels: covariate_reference_levels(plan, dataset, &spec.covariates, &rows),
        n: fit.n,
        n_missing: dataset.n - fit.n,
        a: fit
            .a
            .iter()
            .map(|each| each.iter().map(path).collect())
            .collect(),
        a_omnibus: fit.a_omnibus.iter().map(omnibus).collect(),
        b: fit.b.iter().map(path).collect(),
        total: fit.total.iter().map(path).collect(),
        total_omnibus: omnibus(&fit.total_omnibus),
        direct: fit.direct.iter().map(path).collect(),
        direct_omnibus: omnibus(&fit.direct_omnibus),
        indirect: summaries(&fit.indirect),
        total_indirect: fit.total_indirect.iter().map(summary).collect(),
        partially_standardized: summaries(&fit.partially_standardized),
        partially_standardized_total: fit
            .partially_standardized_total
            .iter()
            .map(summary)
            .collect(),
        ci_method: spec.ci,
        level,
        resamples,
        failed_resamples: fit.failed_resamples,
        seed,
    })
}

pub(super) fn fit_multicategorical_moderation(
    plan: &Plan,
    spec: &ModerationSpec,
    dataset: &Dataset,
    level: f64,
) -> Result<MulticategoricalModerationResult, AnalysisProblem> {
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.w.as_str(), spec.y.as_str()];
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let (x_columns, reference_level, levels) = indicators(plan, dataset, &spec.x, &rows)?;
    let w = numeric_rows(dataset, &spec.w, &rows);
    let y = numeric_rows(dataset, &spec.y, &rows);
    let mut covariates = Vec::new();
    for name in &spec.covariates {
        covariates.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let covariate_means: Vec<f64> = covariates
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let g1 = x_columns.len();
    let fit = factor_moderation(&FactorModerationInput {
        x_name: &spec.x,
        indicators: x_columns,
        w_name: &spec.w,
        w: &w,
        y: &y,
        covariates,
        center: spec.center,
        errors: if spec.robust {
            Errors::Hc3
        } else {
            Errors::Classical
        },
        level,
        probe: spec.probe.clone(),
    })
    .map_err(AnalysisProblem::from_fit)?;
    let two_values = two_valued(&w);
    let critical = t_quantile(0.5 + level / 2.0, fit.fit.df_residual as f64);
    // The plot spans W's mean ± 1 SD (its two values when it has two), like X in the plot of
    // a numeric X.
    let (from, to) = if two_values {
        (fit.w_range[0], fit.w_range[1])
    } else {
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        (mean - sd(&w), mean + sd(&w))
    };
    let p = fit.fit.coefficients.len();
    let predicted = (0..=g1)
        .map(|level_index| {
            (0..LINE_POINTS)
                .map(|i| {
                    let at = from + (to - from) * i as f64 / (LINE_POINTS - 1) as f64;
                    let wc = at - fit.w_center;
                    // The design row: intercept, the level's indicator, W, its product, the
                    // covariates at their means; the reference level has no indicator.
                    let mut g = vec![0.0; p];
                    g[0] = 1.0;
                    g[1 + g1] = wc;
                    if level_index > 0 {
                        g[level_index] = 1.0;
                        g[1 + g1 + level_index] = wc;
                    }
                    g[2 + 2 * g1..].copy_from_slice(&covariate_means);
                    band_point(&fit.fit, &g, at, critical)
                })
                .collect()
        })
        .collect();
    let overall = fit.fit.f;
    let r2 = fit.fit.r2;
    Ok(MulticategoricalModerationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        x: spec.x.clone(),
        reference_level,
        levels,
        w: spec.w.clone(),
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
        moderator: if two_values {
            "two-valued"
        } else {
            "continuous"
        }
        .to_string(),
        n: rows.len(),
        n_missing: dataset.n - rows.len(),
        robust: spec.robust,
        centered: spec.center,
        w_center: fit.w_center,
        coefficients: fit
            .fit
            .coefficients
            .iter()
            .map(|c| coefficient_result(c, true, None, None))
            .collect(),
        r2,
        f: overall.as_ref().map_or(f64::NAN, |f| f.f),
        df1: overall.as_ref().map_or(0, |f| f.df1),
        df2: overall.as_ref().map_or(0, |f| f.df2),
        p: overall.as_ref().map_or(f64::NAN, |f| f.p),
        interaction: InteractionResult {
            delta_r2: fit.interaction.delta_r2,
            f: fit.interaction.f,
            df1: fit.interaction.df1,
            df2: fit.interaction.df2,
            p: fit.interaction.p,
        },
        probe: match (two_values, &spec.probe) {
            (_, Probe::Values(_)) => "values",
            (true, _) => "both-values",
            (false, Probe::MeanSd) => "mean-sd",
            (false, Probe::Percentiles) => "percentiles",
        }
        .to_string(),
        probes: fit
            .probes
            .iter()
            .map(|probe| FactorProbeResult {
                w: probe.w,
                effects: probe.effects.iter().map(effect_result).collect(),
                omnibus: OmnibusResult {
                    // With classical errors the Wald F is the F change, whose R² change
                    // follows from it; with HC3 errors there is no R² change to report.
                    r2_change: (!spec.robust).then(|| {
                        probe.omnibus.f * probe.omnibus.df1 as f64 * (1.0 - r2)
                            / probe.omnibus.df2 as f64
                    }),
                    f: probe.omnibus.f,
                    df1: probe.omnibus.df1,
                    df2: probe.omnibus.df2,
                    p: probe.omnibus.p,
                },
            })
            .collect(),
        w_range: fit.w_range,
        predicted,
    })
}

//! Runs a plan's moderation models (PROCESS model 1): the complete cases of X, W, Y and the
//! covariates, W as a number or as a factor's dummies, the engine of `crate::moderation`, and
//! its fit turned into the results contract with the lines and bands of the interaction plot.

use super::models::{coefficient_result, design_columns, reference_levels, sd};
use super::problem::AnalysisProblem;
use super::{numeric_rows, two_valued};
use crate::dataset::{Dataset, Values, complete_rows};
use crate::distributions::t_quantile;
use crate::linear::{Errors, FitProblem, OlsFit};
use crate::moderation::{
    ConditionalEffect, ModerationFit, ModerationInput, Moderator, Probe, moderation,
};
use crate::plan::{ModerationSpec, Plan};
use crate::results::{
    ConditionalEffectResult, InteractionResult, JohnsonNeymanPointResult, JohnsonNeymanResult,
    ModerationResult, PredictedPoint,
};

pub(super) fn effect_result(e: &ConditionalEffect) -> ConditionalEffectResult {
    ConditionalEffectResult {
        w: (!e.w.is_nan()).then_some(e.w),
        level: e.level.clone(),
        effect: e.effect,
        se: e.se,
        t: e.t,
        p: e.p,
        ci: e.ci,
    }
}

/// How many points along X each line of the interaction plot has: enough for the band's
/// curvature (its width is a hyperbola in X) to look smooth.
pub(super) const LINE_POINTS: usize = 11;

/// The predicted Y at X = `x` (original units) for the probe `k`, covariates at their means,
/// with its confidence interval from the design row g: se = √(g′Vg).
fn predicted(
    fit: &ModerationFit,
    x: f64,
    k: usize,
    dummies: usize,
    covariate_means: &[f64],
    critical: f64,
) -> PredictedPoint {
    let p = fit.fit.coefficients.len();
    let mut g = vec![0.0; p];
    let xc = x - fit.x_center;
    g[0] = 1.0;
    g[1] = xc;
    if dummies == 0 {
        let wc = fit.probe_values[k].w - fit.w_center;
        g[2] = wc;
        g[3] = xc * wc;
    } else if k > 0 {
        g[1 + k] = 1.0;
        g[1 + dummies + k] = xc;
    }
    let first_covariate = 2 + 2 * dummies.max(1);
    g[first_covariate..first_covariate + covariate_means.len()].copy_from_slice(covariate_means);
    band_point(&fit.fit, &g, x, critical)
}

/// The prediction of the design row `g` (plotted at `x`) with its confidence interval,
/// se = √(g′Vg).
pub(super) fn band_point(fit: &OlsFit, g: &[f64], x: f64, critical: f64) -> PredictedPoint {
    let estimate: f64 = g
        .iter()
        .zip(&fit.coefficients)
        .map(|(g, c)| g * c.estimate)
        .sum();
    let v = &fit.covariance;
    let p = g.len();
    let variance: f64 = (0..p)
        .flat_map(|i| (0..p).map(move |j| (i, j)))
        .map(|(i, j)| g[i] * g[j] * v[(i, j)])
        .sum();
    let half = critical * variance.max(0.0).sqrt();
    PredictedPoint {
        x,
        fit: estimate,
        lower: estimate - half,
        upper: estimate + half,
    }
}

pub(super) fn fit_moderation(
    plan: &Plan,
    spec: &ModerationSpec,
    dataset: &Dataset,
    level: f64,
) -> Result<ModerationResult, AnalysisProblem> {
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.w.as_str(), spec.y.as_str()];
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let x = numeric_rows(dataset, &spec.x, &rows);
    let y = numeric_rows(dataset, &spec.y, &rows);
    let mut covariates = Vec::new();
    for name in &spec.covariates {
        covariates.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let categorical = matches!(
        dataset.get(&spec.w).map(|v| &v.values),
        Some(Values::Categorical { .. })
    );
    let w_numbers = numeric_rows(dataset, &spec.w, &rows);
    let (w, kind, reference) = if categorical {
        let dummies = design_columns(plan, dataset, &spec.w, &rows)?;
        let reference = reference_levels(plan, dataset, &[spec.w.as_str()], &rows)
            .remove(&spec.w)
            .unwrap_or_default();
        if dummies.is_empty() {
            return Err(AnalysisProblem::from_fit(FitProblem::NoPredictorTerms {
                variables: vec![spec.w.clone()],
            }));
        }
        (
            Moderator::Factor {
                reference: reference.clone(),
                dummies,
            },
            "factor",
            Some(reference),
        )
    } else {
        let kind = if two_valued(&w_numbers) {
            "two-valued"
        } else {
            "continuous"
        };
        (Moderator::Numeric(&w_numbers), kind, None)
    };
    let dummies = match &w {
        Moderator::Factor { dummies, .. } => dummies.len(),
        Moderator::Numeric(_) => 0,
    };
    let covariate_means: Vec<f64> = covariates
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let fit = moderation(&ModerationInput {
        x_name: &spec.x,
        x: &x,
        w_name: &spec.w,
        w,
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
    .map_err(|problem| {
        // A product that repeats its parts (e.g. X is 1 only where W is 1) is collinear in a
        // way the generic hint about redundant variables does not explain.
        let collinear_product =
            matches!(&problem, FitProblem::Collinear { term, .. } if term.contains('×'));
        let mut problem = AnalysisProblem::from_fit(problem);
        if collinear_product {
            problem.hint = format!(
                "the product of `{x}` and `{w}` is a combination of the two (as when `{x}` is nonzero only where `{w}` is one value), so their interaction cannot be estimated; check their codes, or choose another moderator",
                x = spec.x,
                w = spec.w
            );
        }
        problem
    })?;
    let x_mean = x.iter().sum::<f64>() / x.len() as f64;
    let x_sd = sd(&x);
    let critical = t_quantile(0.5 + level / 2.0, fit.fit.df_residual as f64);
    let predicted_lines = (0..fit.probe_values.len())
        .map(|k| {
            (0..LINE_POINTS)
                .map(|i| {
                    let at = x_mean - x_sd + 2.0 * x_sd * i as f64 / (LINE_POINTS - 1) as f64;
                    predicted(&fit, at, k, dummies, &covariate_means, critical)
                })
                .collect()
        })
        .collect();
    let overall = fit.fit.f;
    Ok(ModerationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        x: spec.x.clone(),
        w: spec.w.clone(),
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
        moderator: kind.to_string(),
        reference_level: reference,
        n: rows.len(),
        n_missing: dataset.n - rows.len(),
        robust: spec.robust,
        centered: spec.center,
        x_center: fit.x_center,
        w_center: fit.w_center,
        coefficients: fit
            .fit
            .coefficients
            .iter()
            .map(|c| coefficient_result(c, true, None, None))
            .collect(),
        r2: fit.fit.r2,
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
        probe: match (kind, &spec.probe) {
            ("factor", _) => "levels",
            ("two-valued", Probe::Values(_)) | (_, Probe::Values(_)) => "values",
            ("two-valued", _) => "both-values",
            (_, Probe::MeanSd) => "mean-sd",
            _ => "percentiles",
        }
        .to_string(),
        conditional_effects: fit.probe_values.iter().map(effect_result).collect(),
        johnson_neyman: fit
            .johnson_neyman
            .as_ref()
            .map(|(points, table)| JohnsonNeymanResult {
                points: points
                    .iter()
                    .map(|p| JohnsonNeymanPointResult {
                        w: p.w,
                        below: p.below,
                        above: p.above,
                    })
                    .collect(),
                table: table.iter().map(effect_result).collect(),
            }),
        w_range: (dummies == 0).then_some(fit.w_range),
        x_mean,
        x_sd,
        predicted: predicted_lines,
    })
}

//! Regression models: OLS (classical or HC3 errors) and logistic/Poisson GLMs, with blocks for
//! hierarchical entry, as R's lm and glm fit them.

use super::numeric_rows;
use super::omnibus::{Full, factor_tests};
use super::problem::AnalysisProblem;
use crate::dataset::{Dataset, Values, complete_rows};
use crate::distributions::chi_squared_upper;
use crate::glm::{GlmFamily, glm};
use crate::linear::{Coefficient, Design, Errors, FitProblem, f_change, ols};
use crate::plan::{ModelSpec, Plan, model_family};
use crate::results::*;
use std::collections::BTreeMap;

/// Design columns of one variable on the analysis rows: a numeric variable is one column; a
/// categorical one is a 0/1 column per level other than the reference (levels absent from
/// the rows are left out, as R does after `droplevels`).
pub(super) fn design_columns(
    plan: &Plan,
    dataset: &Dataset,
    name: &str,
    rows: &[usize],
) -> Result<Vec<(String, Vec<f64>)>, AnalysisProblem> {
    match dataset.get(name).map(|v| &v.values) {
        Some(Values::Categorical { codes, levels }) => {
            let reference = reference_code(plan, name, codes, levels, rows);
            if !rows.iter().any(|&r| codes[r] == Some(reference)) {
                return Err(AnalysisProblem {
                    code: "empty-reference",
                    message: format!(
                        "the reference level `{}` of `{name}` does not occur in the complete cases",
                        levels[reference as usize]
                    ),
                    hint: format!(
                        "choose another reference with `factors: {{{name}: {{reference: LEVEL}}}}`"
                    ),
                });
            }
            let mut out = Vec::new();
            for (code, level) in levels.iter().enumerate() {
                let code = code as u32;
                if code == reference || !rows.iter().any(|&r| codes[r] == Some(code)) {
                    continue;
                }
                out.push((
                    format!("{name}={level}"),
                    rows.iter()
                        .map(|&r| if codes[r] == Some(code) { 1.0 } else { 0.0 })
                        .collect(),
                ));
            }
            Ok(out)
        }
        _ => Ok(vec![(name.to_string(), numeric_rows(dataset, name, rows))]),
    }
}

pub(super) fn build_design(columns: &[(String, Vec<f64>)], n: usize) -> Design {
    Design::with_intercept(columns, n)
}

pub(super) fn sd(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The outcome's values for the model: 0/1 for a two-level categorical outcome (the reference
/// level is 0).
pub(super) fn outcome_values(
    plan: &Plan,
    dataset: &Dataset,
    name: &str,
    rows: &[usize],
) -> Vec<f64> {
    match dataset.get(name).map(|v| &v.values) {
        Some(Values::Categorical { codes, levels }) => {
            let reference = plan
                .factors
                .get(name)
                .and_then(|f| f.reference_level())
                .and_then(|reference| levels.iter().position(|l| *l == reference))
                .map(|p| p as u32)
                .or_else(|| rows.iter().filter_map(|&r| codes[r]).min())
                .unwrap_or(0);
            rows.iter()
                .map(|&r| {
                    if codes[r] == Some(reference) {
                        0.0
                    } else {
                        1.0
                    }
                })
                .collect()
        }
        _ => numeric_rows(dataset, name, rows),
    }
}

/// The code of a factor's reference level: the plan's `reference`, else the first level that
/// occurs in the analysis rows (as R takes the first level).
fn reference_code(
    plan: &Plan,
    name: &str,
    codes: &[Option<u32>],
    levels: &[String],
    rows: &[usize],
) -> u32 {
    match plan.factors.get(name).and_then(|f| f.reference_level()) {
        Some(reference) => levels.iter().position(|l| *l == reference).unwrap_or(0) as u32,
        None => rows.iter().filter_map(|&r| codes[r]).min().unwrap_or(0),
    }
}

/// The reference level of every factor among a mediation's or moderation's covariates.
pub(super) fn covariate_reference_levels(
    plan: &Plan,
    dataset: &Dataset,
    covariates: &[String],
    rows: &[usize],
) -> BTreeMap<String, String> {
    let names: Vec<&str> = covariates.iter().map(String::as_str).collect();
    reference_levels(plan, dataset, &names, rows)
}

/// The reference level of every factor among `names`, for the model's note.
pub(super) fn reference_levels(
    plan: &Plan,
    dataset: &Dataset,
    names: &[&str],
    rows: &[usize],
) -> BTreeMap<String, String> {
    names
        .iter()
        .filter_map(|name| match dataset.get(name).map(|v| &v.values) {
            Some(Values::Categorical { codes, levels }) => {
                let code = reference_code(plan, name, codes, levels, rows);
                let level = levels.get(code as usize)?;
                Some((name.to_string(), level.clone()))
            }
            _ => None,
        })
        .collect()
}

pub(super) fn fit_model(
    plan: &Plan,
    spec: &ModelSpec,
    dataset: &Dataset,
    level: f64,
) -> Result<ModelResult, AnalysisProblem> {
    let family = model_family(spec, dataset);
    let mut names: Vec<&str> = vec![spec.outcome.as_str()];
    names.extend(spec.controls.iter().map(String::as_str));
    names.extend(spec.predictors.iter().map(String::as_str));
    let rows = complete_rows(dataset, &names);
    let n = rows.len();
    let y = outcome_values(plan, dataset, &spec.outcome, &rows);
    let mut control_columns = Vec::new();
    for name in &spec.controls {
        control_columns.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let mut all_columns = control_columns.clone();
    for name in &spec.predictors {
        all_columns.extend(design_columns(plan, dataset, name, &rows)?);
    }
    let design = build_design(&all_columns, n);
    let reduced = build_design(&control_columns, n);
    let predictor_terms: Vec<String> = all_columns[control_columns.len()..]
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let control_terms: Vec<String> = control_columns.iter().map(|(n, _)| n.clone()).collect();
    if predictor_terms.is_empty() {
        return Err(AnalysisProblem::from_fit(FitProblem::NoPredictorTerms {
            variables: spec.predictors.clone(),
        }));
    }
    let mut warnings = Vec::new();
    let label = dataset.get(&spec.outcome).and_then(|v| v.label.clone());
    let base = ModelResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        outcome: spec.outcome.clone(),
        outcome_label: label,
        family,
        predictors: spec.predictors.clone(),
        controls: spec.controls.clone(),
        reference_levels: reference_levels(plan, dataset, &names[1..], &rows),
        n,
        n_missing: dataset.n - n,
        robust: spec.robust,
        coefficients: Vec::new(),
        control_coefficients: Vec::new(),
        factor_tests: Vec::new(),
        r2: None,
        adj_r2: None,
        f: None,
        df1: None,
        df2: None,
        p: None,
        sigma: None,
        deviance: None,
        null_deviance: None,
        df_residual: None,
        log_likelihood: None,
        aic: None,
        mcfadden_r2: None,
        nagelkerke_r2: None,
        dispersion: None,
        blocks: Vec::new(),
        warnings: Vec::new(),
    };
    match family {
        Family::Gaussian => {
            let errors = if spec.robust {
                Errors::Hc3
            } else {
                Errors::Classical
            };
            let fit = ols(&design, &y, errors, level).map_err(AnalysisProblem::from_fit)?;
            let sd_y = sd(&y);
            let slopes = |coefficients: &[Coefficient], columns: &[(String, Vec<f64>)]| {
                coefficients
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let beta = (j > 0).then(|| c.estimate * sd(&columns[j - 1].1) / sd_y);
                        CoefficientResult {
                            two_valued: j > 0 && super::two_valued(&columns[j - 1].1),
                            ..coefficient_result(c, true, beta, None)
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let coefficients =
                with_vif(spec, slopes(&fit.coefficients, &all_columns), &all_columns);
            let mut control_coefficients = Vec::new();
            let mut blocks = Vec::new();
            let full_r2 = fit.r2;
            if !control_terms.is_empty() {
                let first = ols(&reduced, &y, Errors::Classical, level)
                    .map_err(AnalysisProblem::from_fit)?;
                // Model 1's coefficients carry the full model's kind of standard errors; its
                // R² and F test (the block's) are the classical ones either way.
                control_coefficients = if errors == Errors::Classical {
                    slopes(&first.coefficients, &control_columns)
                } else {
                    let robust =
                        ols(&reduced, &y, errors, level).map_err(AnalysisProblem::from_fit)?;
                    slopes(&robust.coefficients, &control_columns)
                };
                // Controls with variance give the first block predictors and so an F test.
                let Some(first_test) = first.f else {
                    return Err(AnalysisProblem::from_fit(FitProblem::NoPredictorTerms {
                        variables: spec.controls.clone(),
                    }));
                };
                blocks.push(BlockResult {
                    block: 1,
                    terms: control_terms.clone(),
                    r2: Some(first.r2),
                    delta_r2: Some(first.r2),
                    f_change: Some(first_test.f),
                    df1: Some(first_test.df1),
                    df2: Some(first_test.df2),
                    chi_square: None,
                    df: None,
                    p: first_test.p,
                });
                let change = f_change(first.rss, fit.rss, predictor_terms.len(), fit.df_residual);
                blocks.push(BlockResult {
                    block: 2,
                    terms: predictor_terms.clone(),
                    r2: Some(full_r2),
                    delta_r2: Some(full_r2 - first.r2),
                    f_change: Some(change.f),
                    df1: Some(change.df1),
                    df2: Some(change.df2),
                    chi_square: None,
                    df: None,
                    p: change.p,
                });
            } else {
                let tss = fit.tss;
                let change = f_change(tss, fit.rss, predictor_terms.len(), fit.df_residual);
                blocks.push(BlockResult {
                    block: 1,
                    terms: predictor_terms.clone(),
                    r2: Some(full_r2),
                    delta_r2: Some(full_r2),
                    f_change: Some(change.f),
                    df1: Some(change.df1),
                    df2: Some(change.df2),
                    chi_square: None,
                    df: None,
                    p: change.p,
                });
            }
            let Some(overall) = fit.f else {
                return Err(AnalysisProblem::from_fit(FitProblem::NoPredictorTerms {
                    variables: spec.predictors.clone(),
                }));
            };
            let factor_tests = factor_tests(
                &names[1..],
                &all_columns,
                &y,
                Full::Ols { fit: &fit, errors },
                level,
                &mut warnings,
            );
            Ok(ModelResult {
                coefficients,
                control_coefficients,
                factor_tests,
                r2: Some(fit.r2),
                adj_r2: Some(fit.adj_r2),
                f: Some(overall.f),
                df1: Some(overall.df1),
                df2: Some(overall.df2),
                p: Some(overall.p),
                sigma: Some(fit.sigma),
                df_residual: Some(fit.df_residual),
                blocks,
                warnings,
                ..base
            })
        }
        Family::Binomial | Family::Poisson => {
            let glm_family = if family == Family::Binomial {
                GlmFamily::Binomial
            } else {
                GlmFamily::Poisson
            };
            let fit = glm(&design, &y, glm_family, level).map_err(AnalysisProblem::from_fit)?;
            let mut coefficients: Vec<CoefficientResult> = fit
                .coefficients
                .iter()
                .map(|c| coefficient_result(c, false, None, Some(family)))
                .collect();
            // car::vif on a glm: from the estimates' (weighted) covariance.
            if spec.vif
                && let Some(vif) =
                    crate::collinearity::variance_inflation_of_estimates(&fit.covariance)
            {
                for (c, v) in coefficients.iter_mut().skip(1).zip(vif) {
                    c.vif = Some(v);
                }
            }
            let mut control_coefficients = Vec::new();
            let reduced_deviance = if control_terms.is_empty() {
                fit.null_deviance
            } else {
                let first =
                    glm(&reduced, &y, glm_family, level).map_err(AnalysisProblem::from_fit)?;
                control_coefficients = first
                    .coefficients
                    .iter()
                    .map(|c| coefficient_result(c, false, None, Some(family)))
                    .collect();
                first.deviance
            };
            let mut blocks = Vec::new();
            if !control_terms.is_empty() {
                let chi = fit.null_deviance - reduced_deviance;
                blocks.push(BlockResult {
                    block: 1,
                    terms: control_terms.clone(),
                    r2: None,
                    delta_r2: None,
                    f_change: None,
                    df1: None,
                    df2: None,
                    chi_square: Some(chi),
                    df: Some(control_terms.len()),
                    p: chi_squared_upper(chi, control_terms.len() as f64),
                });
            }
            let chi = reduced_deviance - fit.deviance;
            blocks.push(BlockResult {
                block: blocks.len() + 1,
                terms: predictor_terms.clone(),
                r2: None,
                delta_r2: None,
                f_change: None,
                df1: None,
                df2: None,
                chi_square: Some(chi),
                df: Some(predictor_terms.len()),
                p: chi_squared_upper(chi, predictor_terms.len() as f64),
            });
            let overall_chi = fit.null_deviance - fit.deviance;
            let df_model = design.x.ncols() - 1;
            warnings.extend(fit.separation_warning());
            if family == Family::Poisson && fit.dispersion > 1.5 {
                warnings.push(format!(
                    "overdispersion: the Pearson χ²/df is {:.2}, well above 1, so the standard errors are too small; treat the p-values with caution (a negative binomial or quasi-Poisson model is not in kith yet)",
                    fit.dispersion
                ));
            }
            let factor_tests = factor_tests(
                &names[1..],
                &all_columns,
                &y,
                Full::Glm {
                    deviance: fit.deviance,
                    family: glm_family,
                },
                level,
                &mut warnings,
            );
            Ok(ModelResult {
                coefficients,
                control_coefficients,
                factor_tests,
                p: Some(chi_squared_upper(overall_chi, df_model as f64)),
                deviance: Some(fit.deviance),
                null_deviance: Some(fit.null_deviance),
                df_residual: Some(fit.df_residual),
                log_likelihood: Some(fit.log_likelihood),
                aic: Some(fit.aic),
                mcfadden_r2: (family == Family::Binomial).then(|| fit.mcfadden_r2()),
                nagelkerke_r2: (family == Family::Binomial).then(|| fit.nagelkerke_r2()),
                dispersion: (family == Family::Poisson).then_some(fit.dispersion),
                blocks,
                warnings,
                ..base
            })
        }
    }
}

/// The coefficients of an OLS model with each slope's variance inflation factor from its
/// columns, when the plan asks for them (`vif: true`); the intercept has none.
fn with_vif(
    spec: &ModelSpec,
    mut coefficients: Vec<CoefficientResult>,
    columns: &[(String, Vec<f64>)],
) -> Vec<CoefficientResult> {
    if !spec.vif {
        return coefficients;
    }
    let values: Vec<&[f64]> = columns.iter().map(|(_, v)| v.as_slice()).collect();
    if let Some(vif) = crate::collinearity::variance_inflation(&values) {
        for (c, v) in coefficients.iter_mut().skip(1).zip(vif) {
            c.vif = Some(v);
        }
    }
    coefficients
}

pub(super) fn coefficient_result(
    c: &Coefficient,
    t_statistic: bool,
    beta: Option<f64>,
    family: Option<Family>,
) -> CoefficientResult {
    let exp_ci = [c.ci[0].exp(), c.ci[1].exp()];
    CoefficientResult {
        term: c.term.clone(),
        b: c.estimate,
        se: c.se,
        t: t_statistic.then_some(c.statistic),
        z: (!t_statistic).then_some(c.statistic),
        p: c.p,
        ci: c.ci,
        beta,
        beta_ci: beta.map(|beta| {
            let factor = beta / c.estimate;
            [c.ci[0] * factor, c.ci[1] * factor]
        }),
        odds_ratio: (family == Some(Family::Binomial)).then(|| c.estimate.exp()),
        odds_ratio_ci: (family == Some(Family::Binomial)).then_some(exp_ci),
        irr: (family == Some(Family::Poisson)).then(|| c.estimate.exp()),
        irr_ci: (family == Some(Family::Poisson)).then_some(exp_ci),
        two_valued: false,
        vif: None,
    }
}

//! Runs a checked plan on a data set and returns its results: the values behind
//! `results.json` (field names documented in docs/analysis.md and kept stable) and the report.

use crate::dataset::{Dataset, Values, complete_rows};
use crate::describe::{self, Deletion};
use crate::distributions::chi_squared_upper;
use crate::glm::{GlmFamily, glm};
use crate::importance::importance;
use crate::linear::{Coefficient, Design, Errors, FitProblem, f_change, ols};
use crate::mediation::{self, Column, MediationInput};
use crate::plan::{DEFAULT_IMPORTANCE_RESAMPLES, DEFAULT_RESAMPLES, ModelSpec, Plan, model_family};
use crate::results::*;
use nalgebra::DMatrix;

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
            Err(problem) => not_computed.push(problem.at(
                format!("models[{index}]"),
                format!("model of `{}`", spec.outcome),
            )),
        }
    }
    let mut mediation_results = Vec::new();
    for (index, spec) in plan.mediation.iter().enumerate() {
        let what = format!("mediation[{index}]");
        match fit_mediation(plan, spec, dataset, level, &|done, total| {
            progress(&what, done, total)
        }) {
            Ok(result) => mediation_results.push(result),
            Err(problem) => not_computed.push(problem.at(
                what,
                format!(
                    "mediation `{}` → `{}` → `{}`",
                    spec.x,
                    spec.m.to_vec().join("` + `"),
                    spec.y
                ),
            )),
        }
    }
    let mut importance_results = Vec::new();
    for (index, spec) in plan.importance.iter().enumerate() {
        let what = format!("importance[{index}]");
        let names: Vec<&str> = spec
            .predictors
            .iter()
            .map(String::as_str)
            .chain([spec.outcome.as_str()])
            .collect();
        let rows = complete_rows(dataset, &names);
        let columns: Vec<Vec<f64>> = names
            .iter()
            .map(|n| numeric_rows(dataset, n, &rows))
            .collect();
        let (outcome, predictors) = columns.split_last().expect("the outcome is last");
        let predictor_slices: Vec<&[f64]> = predictors.iter().map(Vec::as_slice).collect();
        let method = spec.method;
        let resamples = spec.bootstrap.unwrap_or(DEFAULT_IMPORTANCE_RESAMPLES);
        let seed = spec.seed.unwrap_or(plan.seed());
        if rows.len() <= spec.predictors.len() + 1 {
            not_computed.push(
                AnalysisProblem::from_fit(FitProblem::TooFewCases {
                    n: rows.len(),
                    parameters: spec.predictors.len() + 1,
                })
                .at(what, format!("importance for `{}`", spec.outcome)),
            );
            continue;
        }
        let total = resamples;
        match importance(
            &predictor_slices,
            outcome,
            method,
            resamples,
            seed,
            level,
            &|done| progress(&what, done, total),
        ) {
            Some(fit) if crate::bootstrap::too_many_failed(fit.failed_resamples, resamples) => {
                not_computed.push(
                    AnalysisProblem::from_fit(FitProblem::UnstableBootstrap {
                        failed: fit.failed_resamples,
                        resamples,
                    })
                    .at(what, format!("importance for `{}`", spec.outcome)),
                )
            }
            Some(fit) => importance_results.push(ImportanceResult {
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
            }),
            None => not_computed.push(NotComputed {
                analysis: what,
                description: format!("importance for `{}`", spec.outcome),
                code: "collinear".to_string(),
                message: "the predictors' correlation matrix is singular: one predictor is a linear combination of the others".to_string(),
                hint: "remove the redundant predictor".to_string(),
            }),
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
        models,
        mediation: mediation_results,
        importance: importance_results,
        not_computed,
        figures: Figures::default(),
    }
}

/// Why one analysis could not be computed.
#[derive(Debug, Clone)]
struct AnalysisProblem {
    code: &'static str,
    message: String,
    hint: String,
}

impl AnalysisProblem {
    fn from_fit(problem: FitProblem) -> Self {
        match problem {
            FitProblem::TooFewCases { n, parameters } => AnalysisProblem {
                code: "too-few-cases",
                message: format!("{n} complete cases are too few for {parameters} parameters"),
                hint: "collect more data or use fewer predictors; check which variables are missing most".to_string(),
            },
            FitProblem::Collinear { term, with } => AnalysisProblem {
                code: "collinear",
                message: if with.iter().all(|w| w == "(Intercept)") {
                    format!("`{term}` has no variance in the complete cases")
                } else {
                    format!(
                        "`{term}` is a linear combination of {} (perfect collinearity)",
                        with.iter()
                            .filter(|w| *w != "(Intercept)")
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                hint: "remove one of the redundant variables (e.g. a total score together with all its parts, or every level of a category)".to_string(),
            },
            FitProblem::ConstantOutcome => AnalysisProblem {
                code: "no-variance",
                message: "the outcome has the same value for every complete case".to_string(),
                hint: "an outcome without variance cannot be predicted".to_string(),
            },
            FitProblem::NotConverged { iterations } => AnalysisProblem {
                code: "not-converged",
                message: format!("the model did not converge in {iterations} iterations"),
                hint: "check for extreme values and for predictors on very different scales".to_string(),
            },
            FitProblem::UnstableBootstrap { failed, resamples } => AnalysisProblem {
                code: "unstable-bootstrap",
                message: format!(
                    "{failed} of {resamples} bootstrap resamples could not be estimated: in them a rare value did not occur, which left a variable constant"
                ),
                hint: "merge rare categories or drop the covariate that is almost constant; more cases help too".to_string(),
            },
            FitProblem::NoPredictorTerms { variables } => AnalysisProblem {
                code: "no-variance",
                message: format!(
                    "{} {} only one value in the model's complete cases",
                    variables.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                    if variables.len() == 1 { "has" } else { "have" }
                ),
                hint: "a predictor needs at least two values among the cases with no missing answer; check which variables are missing most".to_string(),
            },
            FitProblem::Separation { terms } => AnalysisProblem {
                code: "separation",
                message: if terms.is_empty() {
                    "the predictors separate the outcome's 0s from its 1s completely: fitted probabilities of 0 or 1, estimates without limit".to_string()
                } else {
                    format!(
                        "{} alone separate{} the outcome's 0s from its 1s completely: estimates without limit",
                        terms.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
                        if terms.len() == 1 { "s" } else { "" }
                    )
                },
                hint: "remove the separating predictor, merge rare categories, or collect more data; a penalized (Firth) model is not in kith yet".to_string(),
            },
        }
    }

    fn at(self, analysis: String, description: String) -> NotComputed {
        NotComputed {
            analysis,
            description,
            code: self.code.to_string(),
            message: self.message,
            hint: self.hint,
        }
    }
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

fn correlation_table(
    spec: &crate::plan::CorrelationSpec,
    dataset: &Dataset,
    level: f64,
) -> CorrelationTable {
    let names: Vec<&str> = spec.variables.iter().map(String::as_str).collect();
    let listwise = spec.missing == Deletion::Listwise;
    let rows = if listwise {
        complete_rows(dataset, &names)
    } else {
        (0..dataset.n).collect()
    };
    let columns: Vec<Vec<f64>> = names
        .iter()
        .map(|n| numeric_rows(dataset, n, &rows))
        .collect();
    let method = spec.method;
    let mut pairs = Vec::new();
    for i in 0..names.len() {
        for j in (i + 1)..names.len() {
            let (x, y): (Vec<f64>, Vec<f64>) = columns[i]
                .iter()
                .zip(&columns[j])
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .map(|(a, b)| (*a, *b))
                .unzip();
            let test = describe::correlation_test(&x, &y, method, level);
            pairs.push(match test {
                Some(t) => CorrelationPair {
                    x: names[i].to_string(),
                    y: names[j].to_string(),
                    r: t.r,
                    n: t.n,
                    t: t.t,
                    df: t.df,
                    p: t.p,
                    p_adjusted: t.p,
                    ci: t.ci,
                },
                None => CorrelationPair {
                    x: names[i].to_string(),
                    y: names[j].to_string(),
                    r: f64::NAN,
                    n: x.len(),
                    t: f64::NAN,
                    df: x.len().saturating_sub(2),
                    p: f64::NAN,
                    p_adjusted: f64::NAN,
                    ci: [f64::NAN; 2],
                },
            });
        }
    }
    let adjustment = spec.adjust;
    let raw: Vec<f64> = pairs.iter().map(|p| p.p).collect();
    for (pair, adjusted) in pairs.iter_mut().zip(describe::adjust(&raw, adjustment)) {
        pair.p_adjusted = adjusted;
    }
    CorrelationTable {
        name: spec.name.clone(),
        method,
        adjust: adjustment,
        missing: spec.missing,
        variables: spec.variables.clone(),
        n: if listwise {
            rows.len()
        } else {
            pairs.iter().map(|p| p.n).min().unwrap_or(0)
        },
        pairs,
    }
}

/// Design columns of one variable on the analysis rows: a numeric variable is one column; a
/// categorical one is a 0/1 column per level other than the reference (levels absent from
/// the rows are left out, as R does after `droplevels`).
fn design_columns(
    plan: &Plan,
    dataset: &Dataset,
    name: &str,
    rows: &[usize],
) -> Result<Vec<(String, Vec<f64>)>, AnalysisProblem> {
    match dataset.get(name).map(|v| &v.values) {
        Some(Values::Categorical { codes, levels }) => {
            let reference = match plan.factors.get(name) {
                Some(factor) => levels
                    .iter()
                    .position(|l| *l == factor.reference)
                    .unwrap_or(0) as u32,
                None => rows.iter().filter_map(|&r| codes[r]).min().unwrap_or(0),
            };
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

fn build_design(columns: &[(String, Vec<f64>)], n: usize) -> Design {
    let mut names = vec!["(Intercept)".to_string()];
    names.extend(columns.iter().map(|(name, _)| name.clone()));
    Design {
        names,
        x: DMatrix::from_fn(n, columns.len() + 1, |i, j| {
            if j == 0 { 1.0 } else { columns[j - 1].1[i] }
        }),
        intercept: true,
    }
}

fn sd(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The outcome's values for the model: 0/1 for a two-level categorical outcome (the reference
/// level is 0).
fn outcome_values(plan: &Plan, dataset: &Dataset, name: &str, rows: &[usize]) -> Vec<f64> {
    match dataset.get(name).map(|v| &v.values) {
        Some(Values::Categorical { codes, levels }) => {
            let reference = plan
                .factors
                .get(name)
                .and_then(|f| levels.iter().position(|l| *l == f.reference))
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

fn fit_model(
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
        n,
        n_missing: dataset.n - n,
        robust: spec.robust,
        coefficients: Vec::new(),
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
            let coefficients = fit
                .coefficients
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let beta = (j > 0).then(|| c.estimate * sd(&all_columns[j - 1].1) / sd_y);
                    coefficient_result(c, true, beta, None)
                })
                .collect();
            let mut blocks = Vec::new();
            let full_r2 = fit.r2;
            if !control_terms.is_empty() {
                let first = ols(&reduced, &y, Errors::Classical, level)
                    .map_err(AnalysisProblem::from_fit)?;
                let first_test = first.f.expect("controls give the first block predictors");
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
            let overall = fit.f.expect("a model has predictors");
            Ok(ModelResult {
                coefficients,
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
            let coefficients = fit
                .coefficients
                .iter()
                .map(|c| coefficient_result(c, false, None, Some(family)))
                .collect();
            let reduced_deviance = if control_terms.is_empty() {
                fit.null_deviance
            } else {
                glm(&reduced, &y, glm_family, level)
                    .map_err(AnalysisProblem::from_fit)?
                    .deviance
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
            Ok(ModelResult {
                coefficients,
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

fn coefficient_result(
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
    }
}

fn path(c: &Coefficient) -> PathResult {
    PathResult {
        b: c.estimate,
        se: c.se,
        t: c.statistic,
        p: c.p,
        ci: c.ci,
    }
}

fn fit_mediation(
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
    let resamples = spec.bootstrap.unwrap_or(DEFAULT_RESAMPLES);
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
        })
        .collect();
    Ok(MediationResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        x: spec.x.clone(),
        m: mediators,
        y: spec.y.clone(),
        covariates: spec.covariates.clone(),
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
        indirect_effects,
        ci_method: method,
        level,
        resamples,
        failed_resamples: fit.failed_resamples,
        seed,
    })
}

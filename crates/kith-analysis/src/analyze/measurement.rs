//! Runs a plan's measurement models: resolves each model's factors (the survey's scores or
//! the plan's own), keys reverse-keyed items as the scores key them, fits the model (and the
//! invariance steps with `groups:`), and turns the solution into the results contract.

use super::problem::AnalysisProblem;
use crate::dataset::{Dataset, Values};
use crate::measurement::invariance::{self, Invariance};
use crate::measurement::{
    self, Estimator, Group, Kind, MeasurementError, Measures, Missing, Model, Options, Release,
    Solution, Warning,
};
use crate::plan::{MeasurementEstimator, MeasurementMissing, MeasurementSpec, Plan};
use crate::results::{
    FactorCorrelationRow, FitSummary, InvarianceResult, InvarianceStep, MeasurementFactor,
    MeasurementResult, ModificationRow, ParameterRow, ResidualRow, Results, RobustFit, ScaledFit,
    StepDifference,
};
use kith_instrument::form::Form;
use nalgebra::DMatrix;

/// Fits every measurement model of the plan into `results`.
pub fn fit_measurements(
    plan: &Plan,
    form: Option<&Form>,
    dataset: &Dataset,
    results: &mut Results,
) {
    for (index, spec) in plan.measurement.iter().enumerate() {
        match fit_one(spec, form, dataset) {
            Ok(result) => results.measurement.push(result),
            Err(problem) => results.not_computed.push(problem.at(
                format!("measurement[{index}]"),
                crate::plan::describe::measurement(spec),
            )),
        }
    }
}

fn problem(code: &'static str, message: String, hint: &str) -> AnalysisProblem {
    AnalysisProblem {
        code,
        message,
        hint: hint.to_string(),
    }
}

fn from_error(error: MeasurementError) -> AnalysisProblem {
    AnalysisProblem {
        code: "measurement-not-fitted",
        message: error.to_string(),
        hint: error.hint(),
    }
}

/// A factor: its id, label and items.
type Factor = (String, Option<String>, Vec<String>);

/// The factors of a model: the plan's own, the scores it names, or the survey's scores.
fn factors(spec: &MeasurementSpec, form: Option<&Form>) -> Result<Vec<Factor>, AnalysisProblem> {
    if let Some(factors) = &spec.factors {
        return Ok(factors
            .iter()
            .map(|(id, items)| (id.clone(), None, items.clone()))
            .collect());
    }
    let Some(form) = form else {
        return Err(problem(
            "no-factors",
            "the measurement model names no factors and the plan has no survey".into(),
            "name the factors and their items under `factors:`, or give the plan a `survey:`",
        ));
    };
    match &spec.scores {
        Some(names) => names
            .iter()
            .map(|name| {
                form.scores()
                    .find(|score| &score.id == name)
                    .map(|score| {
                        (
                            score.id.clone(),
                            Some(score.label.clone()),
                            score.items.clone(),
                        )
                    })
                    .ok_or_else(|| {
                        problem(
                            "unknown-score",
                            format!("the survey has no score `{name}`"),
                            "name one of the survey's scores (`kith codebook` lists them)",
                        )
                    })
            })
            .collect(),
        None => {
            let mut chosen: Vec<Factor> = Vec::new();
            for score in form.scores() {
                let overlaps = chosen
                    .iter()
                    .any(|(_, _, items)| score.items.iter().any(|i| items.contains(i)));
                if score.items.len() >= 2 && !overlaps {
                    chosen.push((
                        score.id.clone(),
                        Some(score.label.clone()),
                        score.items.clone(),
                    ));
                }
            }
            Ok(chosen)
        }
    }
}

/// The keyed answers of `items` (NaN for missing), one row per respondent.
fn item_rows(
    items: &[String],
    form: Option<&Form>,
    dataset: &Dataset,
) -> Result<DMatrix<f64>, AnalysisProblem> {
    let mut columns = Vec::with_capacity(items.len());
    for item in items {
        let Some(variable) = dataset.get(item) else {
            return Err(problem(
                "unknown-item",
                format!("the data have no item `{item}`"),
                "check the item ids against the survey or the data's columns",
            ));
        };
        let Values::Numeric(values) = &variable.values else {
            return Err(problem(
                "item-not-numeric",
                format!("`{item}` is not a numeric item"),
                "a factor's indicators are rating-scale or numeric items; leave choice questions out",
            ));
        };
        let keyed: Vec<f64> = match form.and_then(|form| form.item(item)) {
            Some(form_item) => values
                .iter()
                .map(|&x| {
                    if x.is_nan() {
                        x
                    } else {
                        crate::score::keyed_answer(form_item, x)
                    }
                })
                .collect(),
            None => values.clone(),
        };
        columns.push(keyed);
    }
    Ok(DMatrix::from_fn(dataset.n, items.len(), |i, j| {
        columns[j][i]
    }))
}

/// A released parameter in lavaan's notation.
fn release(text: &str, factor_ids: &[&str], items: &[String]) -> Result<Release, AnalysisProblem> {
    let item = |name: &str| items.iter().position(|i| i == name.trim());
    let bad = || {
        problem(
            "bad-free-parameter",
            format!("`{text}` is not a parameter of the model"),
            "write `factor =~ item` for a loading, `item ~1` for an intercept, `item ~~ item` for a residual variance",
        )
    };
    if let Some((lhs, rhs)) = text.split_once("=~") {
        let factor = factor_ids
            .iter()
            .position(|f| *f == lhs.trim())
            .ok_or_else(bad)?;
        return Ok(Release::Loading {
            factor,
            item: item(rhs).ok_or_else(bad)?,
        });
    }
    if let Some((lhs, rhs)) = text.split_once("~~") {
        let (a, b) = (item(lhs).ok_or_else(bad)?, item(rhs).ok_or_else(bad)?);
        return if a == b {
            Ok(Release::Residual { item: a })
        } else {
            Err(bad())
        };
    }
    if let Some(lhs) = text.trim().strip_suffix("~1") {
        return Ok(Release::Intercept {
            item: item(lhs).ok_or_else(bad)?,
        });
    }
    Err(bad())
}

fn fit_one(
    spec: &MeasurementSpec,
    form: Option<&Form>,
    dataset: &Dataset,
) -> Result<MeasurementResult, AnalysisProblem> {
    let factors = factors(spec, form)?;
    if factors.is_empty() {
        return Err(problem(
            "no-factors",
            "the measurement model has no factor".into(),
            "list the scores under `scores:`",
        ));
    }
    let mut items: Vec<String> = Vec::new();
    for (_, _, list) in &factors {
        for item in list {
            if !items.contains(item) {
                items.push(item.clone());
            }
        }
    }
    let index = |name: &str| items.iter().position(|i| i == name);
    let mut correlated = Vec::new();
    for [a, b] in &spec.correlated_residuals {
        match (index(a), index(b)) {
            (Some(x), Some(y)) if x != y => correlated.push((x, y)),
            _ => {
                return Err(problem(
                    "bad-correlated-residual",
                    format!("`{a}` and `{b}` are not two items of the model"),
                    "name two different items that are indicators of the model's factors",
                ));
            }
        }
    }
    let model = Model {
        factors: factors
            .iter()
            .map(|(id, _, list)| (id.clone(), list.iter().filter_map(|i| index(i)).collect()))
            .collect(),
        correlated_residuals: correlated,
        orthogonal: spec.orthogonal,
        std_lv: spec.std_lv,
    };
    let rows = item_rows(&items, form, dataset)?;
    let options = Options {
        missing: match spec.missing {
            MeasurementMissing::Listwise => Missing::Listwise,
            MeasurementMissing::Fiml => Missing::Fiml,
        },
        estimator: match spec.estimator {
            MeasurementEstimator::Ml => Estimator::Ml,
            MeasurementEstimator::Mlr => Estimator::Mlr,
        },
        ..Options::default()
    };
    let names = Names {
        items: &items,
        factors: factors.iter().map(|f| f.0.as_str()).collect(),
    };
    let solution =
        measurement::fit(&model, vec![Group::new(rows.clone())], &options).map_err(from_error)?;
    let invariance = match &spec.groups {
        Some(variable) => Some(fit_invariance(
            spec, variable, &model, &rows, &options, dataset, &names,
        )?),
        None => None,
    };
    Ok(result(spec, &factors, &solution, &names, invariance))
}

/// The names a solution's indices stand for.
struct Names<'a> {
    items: &'a [String],
    factors: Vec<&'a str>,
}

impl Names<'_> {
    fn parameter(&self, kind: Kind) -> (String, &'static str, String) {
        kind.lavaan(self.items, &self.factors)
    }

    fn warning(&self, warning: &Warning) -> String {
        let name = |kind: Kind| {
            let (lhs, op, rhs) = self.parameter(kind);
            format!("`{lhs} {op} {rhs}`")
        };
        match warning {
            Warning::NegativeVariance { kind, value, .. } => format!("{} is negative ({value:.3}): a Heywood case; the solution is not admissible", name(*kind)),
            Warning::StandardizedBeyondOne { kind, value, .. } => format!("{} is {value:.3} standardized, beyond ±1: a Heywood case", name(*kind)),
            Warning::LatentNotPositiveDefinite { .. } => "the factors' covariance matrix is not positive definite (a correlation beyond ±1 or a negative variance)".into(),
            Warning::FewCases { n, npar } => format!("{n} cases for {npar} parameters, fewer than {} per parameter: estimates and fit are unstable", measurement::problems::CASES_PER_PARAMETER),
        }
    }
}

fn fit_invariance(
    spec: &MeasurementSpec,
    variable: &str,
    model: &Model,
    rows: &DMatrix<f64>,
    options: &Options,
    dataset: &Dataset,
    names: &Names,
) -> Result<InvarianceResult, AnalysisProblem> {
    let Some(Values::Categorical { codes, levels }) = dataset.get(variable).map(|v| &v.values)
    else {
        return Err(problem(
            "groups-not-categorical",
            format!("`{variable}` is not a categorical variable"),
            "group by a choice question or a variable declared under the plan's `factors:`",
        ));
    };
    if let Some(unknown) = spec.levels.iter().flatten().find(|l| !levels.contains(l)) {
        return Err(problem(
            "unknown-level",
            format!("`{variable}` has no level `{unknown}`"),
            &format!(
                "its levels are {}",
                levels
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut groups = Vec::new();
    let mut used = Vec::new();
    for (code, level) in levels.iter().enumerate() {
        if spec
            .levels
            .as_ref()
            .is_some_and(|chosen| !chosen.contains(level))
        {
            continue;
        }
        let members: Vec<usize> = (0..dataset.n)
            .filter(|&r| codes[r] == Some(code as u32))
            .collect();
        if !members.is_empty() {
            groups.push(Group::new(rows.select_rows(members.iter())));
            used.push(level.clone());
        }
    }
    if groups.len() < 2 {
        return Err(problem(
            "one-group",
            format!("`{variable}` has fewer than two levels in the data"),
            "invariance compares two or more groups",
        ));
    }
    let released = spec
        .free
        .iter()
        .map(|text| release(text, &names.factors, names.items))
        .collect::<Result<Vec<_>, _>>()?;
    let Invariance { steps, differences } =
        invariance::invariance(model, &groups, options, &released).map_err(from_error)?;
    Ok(InvarianceResult {
        groups: variable.to_string(),
        n: steps.first().map(|(_, s)| s.n.clone()).unwrap_or_default(),
        levels: used,
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, (step, solution))| InvarianceStep {
                step: step.name().to_string(),
                fit: summary(&solution.measures),
                difference: i.checked_sub(1).and_then(|j| differences.get(j)).map(|d| {
                    StepDifference {
                        chisq: d.chisq,
                        df: d.df,
                        p: d.p,
                        delta_cfi: d.delta_cfi,
                        delta_rmsea: d.delta_rmsea,
                    }
                }),
            })
            .collect(),
    })
}

fn summary(m: &Measures) -> FitSummary {
    let (rmsea, lower, upper) = m.rmsea();
    FitSummary {
        npar: m.npar,
        n: m.n,
        chisq: m.chisq,
        df: m.df,
        pvalue: m.pvalue(),
        baseline_chisq: m.baseline_chisq,
        baseline_df: m.baseline_df,
        cfi: m.cfi(),
        tli: m.tli(),
        rmsea,
        rmsea_ci: [lower, upper],
        rmsea_pvalue: m.rmsea_close(),
        rmsea_notclose_pvalue: m.rmsea_not_close(),
        srmr: m.srmr,
        logl: m.logl,
        unrestricted_logl: m.unrestricted_logl,
        aic: m.aic(),
        bic: m.bic(),
        sabic: m.sabic(),
        scaled: m.chisq_scaled().and_then(|(chisq, pvalue)| {
            let (rmsea, lower, upper) = m.rmsea_scaled()?;
            Some(ScaledFit {
                chisq,
                pvalue,
                scaling_factor: m.scaling?.0,
                cfi: m.cfi_scaled()?,
                tli: m.tli_scaled()?,
                rmsea,
                rmsea_ci: [lower, upper],
            })
        }),
        robust: m.rmsea_robust().and_then(|(rmsea, lower, upper)| {
            Some(RobustFit {
                cfi: m.cfi_robust()?,
                tli: m.tli_robust()?,
                rmsea,
                rmsea_ci: [lower, upper],
            })
        }),
    }
}

fn result(
    spec: &MeasurementSpec,
    factors: &[Factor],
    solution: &Solution,
    names: &Names,
    invariance: Option<InvarianceResult>,
) -> MeasurementResult {
    let reliability = solution.reliability(0);
    let htmt = solution.htmt();
    let htmt_at = |a: usize, b: usize| htmt.as_ref().map_or(f64::NAN, |m| m[(a, b)]);
    let factor_correlations = solution
        .factor_correlations(0)
        .into_iter()
        .filter(|c| !spec.orthogonal || c.r != 0.0)
        .map(|c| FactorCorrelationRow {
            a: names.factors[c.a].to_string(),
            b: names.factors[c.b].to_string(),
            r: c.r,
            se: c.standard_error,
            ci: [c.lower, c.upper],
            htmt: htmt_at(c.a, c.b),
            discriminant: serde_json::to_value(measurement::validity::discriminant(
                htmt_at(c.a, c.b),
                &c,
            ))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        })
        .collect();
    let residuals = solution.residual_correlations(0);
    let mut largest: Option<ResidualRow> = None;
    for a in 0..residuals.nrows() {
        for b in 0..a {
            if largest
                .as_ref()
                .is_none_or(|r| residuals[(a, b)].abs() > r.value.abs())
            {
                largest = Some(ResidualRow {
                    a: names.items[b].clone(),
                    b: names.items[a].clone(),
                    value: residuals[(a, b)],
                });
            }
        }
    }
    MeasurementResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        estimator: match spec.estimator {
            MeasurementEstimator::Ml => "ml",
            MeasurementEstimator::Mlr => "mlr",
        }
        .into(),
        missing: match spec.missing {
            MeasurementMissing::Listwise => "listwise",
            MeasurementMissing::Fiml => "fiml",
        }
        .into(),
        n: solution.n.iter().sum(),
        factors: factors
            .iter()
            .zip(&reliability)
            .map(|((id, label, items), r)| MeasurementFactor {
                id: id.clone(),
                label: label.clone(),
                items: items.clone(),
                composite_reliability: r.composite_reliability,
                ave: r.ave,
            })
            .collect(),
        fit: summary(&solution.measures),
        parameters: solution
            .table()
            .into_iter()
            .map(|row| {
                let (lhs, op, rhs) = names.parameter(row.kind);
                ParameterRow {
                    group: None,
                    lhs,
                    op: op.to_string(),
                    rhs,
                    estimate: row.estimate,
                    se: row.standard_error,
                    z: row.test.map(|t| t.0),
                    p: row.test.map(|t| t.1),
                    ci: row.test.map(|t| [t.2, t.3]),
                    std_lv: row.std_lv,
                    std_all: row.std_all,
                }
            })
            .collect(),
        factor_correlations,
        htmt: htmt
            .map(|m| m.row_iter().map(|r| r.iter().copied().collect()).collect())
            .unwrap_or_default(),
        modification_indices: solution
            .modification_indices()
            .unwrap_or_default()
            .into_iter()
            .take(10)
            .map(|m| {
                let (lhs, op, rhs) = names.parameter(m.kind);
                ModificationRow {
                    lhs,
                    op: op.to_string(),
                    rhs,
                    mi: m.mi,
                    epc: m.epc,
                    sepc_all: m.sepc_all,
                }
            })
            .collect(),
        largest_residual_correlation: largest,
        invariance,
        warnings: solution
            .warnings()
            .iter()
            .map(|w| names.warning(w))
            .collect(),
    }
}

//! Conditional process analysis (Hayes 2022): PROCESS model 7, where W moderates the path
//! from X to each mediator, and model 14, where W moderates the path from each mediator to Y.
//! The conditional indirect effect through M_j at W = w is (a₁ + a₃w)·b in model 7 and
//! a·(b₁ + b₃w) in model 14; the index of moderated mediation is a₃·b (model 7) and a·b₃
//! (model 14). Both are bootstrapped with the resampling of model 4 (`bootstrap`), so that a
//! seed gives the same intervals on any number of threads.

use crate::bootstrap::{self, CrossProducts, IntervalMethod};
use crate::linear::{Design, Errors, FitProblem, OlsFit, ols, solve_cross};
use crate::mediation::BootEffect;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// Which PROCESS model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ProcessModel {
    /// W moderates X → M.
    #[serde(rename = "7")]
    Seven,
    /// W moderates M → Y.
    #[serde(rename = "14")]
    Fourteen,
}

/// A named column of complete cases.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// Everything models 7 and 14 need, on complete cases.
#[derive(Debug, Clone)]
pub struct ConditionalProcessInput<'a> {
    pub model: ProcessModel,
    pub x: Named<'a>,
    pub mediators: Vec<Named<'a>>,
    pub w: Named<'a>,
    pub y: Named<'a>,
    pub covariates: Vec<Named<'a>>,
    /// The values of W at which the indirect effects are given.
    pub probe_values: Vec<f64>,
    pub resamples: usize,
    pub seed: u64,
    pub level: f64,
    pub method: IntervalMethod,
}

/// The fitted model with its bootstrapped effects.
#[derive(Debug, Clone)]
pub struct ConditionalProcessFit {
    pub n: usize,
    /// Each mediator's model, then Y's: the coefficient tables.
    pub mediator_fits: Vec<OlsFit>,
    pub y_fit: OlsFit,
    /// Per mediator: the index of moderated mediation.
    pub index: Vec<BootEffect>,
    /// Per mediator, per probe value: the conditional indirect effect.
    pub conditional: Vec<Vec<BootEffect>>,
    pub failed_resamples: usize,
}

fn design(columns: &[(String, Vec<f64>)], n: usize) -> Design {
    Design::with_intercept(columns, n)
}

/// The layout of the cross-product matrix: [X, W, XW, M…, MW…, C…, Y] after the intercept.
struct Layout {
    k: usize,
    q: usize,
}

impl Layout {
    fn x(&self) -> usize {
        CrossProducts::column(0)
    }
    fn w(&self) -> usize {
        CrossProducts::column(1)
    }
    fn xw(&self) -> usize {
        CrossProducts::column(2)
    }
    fn m(&self, j: usize) -> usize {
        CrossProducts::column(3 + j)
    }
    fn mw(&self, j: usize) -> usize {
        CrossProducts::column(3 + self.k + j)
    }
    fn covariates(&self) -> Vec<usize> {
        (0..self.q)
            .map(|j| CrossProducts::column(3 + 2 * self.k + j))
            .collect()
    }
    fn y(&self) -> usize {
        CrossProducts::column(3 + 2 * self.k + self.q)
    }
}

/// For each mediator: the index, then the conditional indirect effect at each probe value.
fn statistics(
    cross: &DMatrix<f64>,
    layout: &Layout,
    model: ProcessModel,
    probes: &[f64],
) -> Option<Vec<f64>> {
    let k = layout.k;
    let mut out = Vec::with_capacity(k * (1 + probes.len()));
    match model {
        ProcessModel::Seven => {
            let mut m_predictors = vec![0, layout.x(), layout.w(), layout.xw()];
            m_predictors.extend(layout.covariates());
            let mut y_predictors = vec![0, layout.x()];
            y_predictors.extend((0..k).map(|j| layout.m(j)));
            y_predictors.extend(layout.covariates());
            let y = solve_cross(cross, &y_predictors, layout.y())?;
            for j in 0..k {
                let a = solve_cross(cross, &m_predictors, layout.m(j))?;
                let b = y[2 + j];
                out.push(a[3] * b);
                out.extend(probes.iter().map(|w| (a[1] + a[3] * w) * b));
            }
        }
        ProcessModel::Fourteen => {
            let mut m_predictors = vec![0, layout.x()];
            m_predictors.extend(layout.covariates());
            let mut y_predictors = vec![0, layout.x()];
            y_predictors.extend((0..k).map(|j| layout.m(j)));
            y_predictors.push(layout.w());
            y_predictors.extend((0..k).map(|j| layout.mw(j)));
            y_predictors.extend(layout.covariates());
            let y = solve_cross(cross, &y_predictors, layout.y())?;
            for j in 0..k {
                let a = solve_cross(cross, &m_predictors, layout.m(j))?[1];
                let (b1, b3) = (y[2 + j], y[3 + k + j]);
                out.push(a * b3);
                out.extend(probes.iter().map(|w| a * (b1 + b3 * w)));
            }
        }
    }
    Some(out)
}

/// Fits the model and bootstraps its indirect effects.
pub fn conditional_process(
    input: &ConditionalProcessInput,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<ConditionalProcessFit, FitProblem> {
    let n = input.y.values.len();
    let k = input.mediators.len();
    let q = input.covariates.len();
    let product =
        |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(a, b)| a * b).collect() };
    let xw = product(input.x.values, input.w.values);
    let mw: Vec<Vec<f64>> = input
        .mediators
        .iter()
        .map(|m| product(m.values, input.w.values))
        .collect();
    let named = |c: &Named| (c.name.to_string(), c.values.to_vec());
    let covariates: Vec<(String, Vec<f64>)> = input.covariates.iter().map(named).collect();
    // The coefficient tables, from the models as PROCESS prints them.
    let mut m_columns = vec![named(&input.x)];
    if input.model == ProcessModel::Seven {
        m_columns.push(named(&input.w));
        m_columns.push((format!("{}×{}", input.x.name, input.w.name), xw.clone()));
    }
    m_columns.extend(covariates.iter().cloned());
    let mediator_fits = input
        .mediators
        .iter()
        .map(|m| {
            ols(
                &design(&m_columns, n),
                m.values,
                Errors::Classical,
                input.level,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut y_columns = vec![named(&input.x)];
    y_columns.extend(input.mediators.iter().map(named));
    if input.model == ProcessModel::Fourteen {
        y_columns.push(named(&input.w));
        for (m, values) in input.mediators.iter().zip(&mw) {
            y_columns.push((format!("{}×{}", m.name, input.w.name), values.clone()));
        }
    }
    y_columns.extend(covariates.iter().cloned());
    let y_fit = ols(
        &design(&y_columns, n),
        input.y.values,
        Errors::Classical,
        input.level,
    )?;
    // The bootstrap, on cross-products of [X, W, XW, M…, MW…, C…, Y].
    let mut all: Vec<&[f64]> = vec![input.x.values, input.w.values, &xw];
    all.extend(input.mediators.iter().map(|m| m.values));
    all.extend(mw.iter().map(Vec::as_slice));
    all.extend(input.covariates.iter().map(|c| c.values));
    all.push(input.y.values);
    let data = CrossProducts::new(&all);
    let full = data.full();
    let layout = Layout { k, q };
    let probes = &input.probe_values;
    let point = statistics(&full, &layout, input.model, probes).ok_or(FitProblem::Collinear {
        term: input.w.name.to_string(),
        with: Vec::new(),
    })?;
    let width = 1 + probes.len();
    let (effects, failed_resamples) = bootstrap::effects(
        &data,
        |cross| statistics(cross, &layout, input.model, probes),
        &point,
        bootstrap::Settings {
            resamples: input.resamples,
            seed: input.seed,
            level: input.level,
            method: input.method,
        },
        progress,
    )?;
    let effect = |index: usize| effects[index].clone();
    Ok(ConditionalProcessFit {
        n,
        mediator_fits,
        y_fit,
        index: (0..k).map(|j| effect(j * width)).collect(),
        conditional: (0..k)
            .map(|j| (1..width).map(|p| effect(j * width + p)).collect())
            .collect(),
        failed_resamples,
    })
}

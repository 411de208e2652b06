//! Mediation as Hayes' PROCESS model 4: one or several parallel mediators, covariates in every
//! equation, OLS paths with their t tests, and bootstrap intervals for each indirect effect,
//! their total, and their completely and partially standardized forms.

use crate::bootstrap::{self, CrossProducts, IntervalMethod};
use crate::linear::{Coefficient, Design, Errors, FitProblem, ols, solve_cross};
use nalgebra::DMatrix;

pub mod monte_carlo;
mod relative;
pub use relative::{OmnibusTest, RelativeMediationFit, RelativeMediationInput, relative_mediation};

/// A named complete column.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
}

/// What to estimate: all columns complete and of equal length.
#[derive(Debug, Clone)]
pub struct MediationInput<'a> {
    pub x: Column<'a>,
    pub mediators: Vec<Column<'a>>,
    pub y: Column<'a>,
    pub covariates: Vec<Column<'a>>,
    pub resamples: usize,
    pub seed: u64,
    pub level: f64,
    pub method: IntervalMethod,
    /// With a number of draws, the Monte Carlo interval instead of the bootstrap (a power
    /// analysis asks for it; `resamples` and `method` are then unused).
    pub monte_carlo: Option<usize>,
}

/// An effect estimated by the bootstrap.
#[derive(Debug, Clone, PartialEq)]
pub struct BootEffect {
    pub estimate: f64,
    pub boot_se: f64,
    pub ci: [f64; 2],
}

/// The estimated model.
#[derive(Debug, Clone)]
pub struct MediationFit {
    pub n: usize,
    /// X → each mediator.
    pub a: Vec<Coefficient>,
    /// Each mediator → Y, controlling X and the other mediators.
    pub b: Vec<Coefficient>,
    /// The total effect of X on Y.
    pub c: Coefficient,
    /// The direct effect of X on Y, controlling the mediators.
    pub c_prime: Coefficient,
    /// a·b for each mediator.
    pub indirect: Vec<BootEffect>,
    /// The sum of the indirect effects.
    pub total_indirect: BootEffect,
    /// a·b·SD(X)/SD(Y) for each mediator, and their total.
    pub standardized: Vec<BootEffect>,
    pub standardized_total: BootEffect,
    /// a·b/SD(Y) for each mediator, and their total: the effect in SDs of Y of one unit of X,
    /// which Hayes reports when X has two values (its SD is then no unit of anything).
    pub partially_standardized: Vec<BootEffect>,
    pub partially_standardized_total: BootEffect,
    /// Resamples whose models could not be solved (a singular resample), left out.
    pub failed_resamples: usize,
}

fn design(columns: &[Column]) -> Design {
    let n = columns.first().map_or(0, |c| c.values.len());
    let mut names = vec!["(Intercept)".to_string()];
    names.extend(columns.iter().map(|c| c.name.to_string()));
    let x = DMatrix::from_fn(n, columns.len() + 1, |i, j| {
        if j == 0 {
            1.0
        } else {
            columns[j - 1].values[i]
        }
    });
    Design {
        names,
        x,
        intercept: true,
    }
}

fn coefficient_of(fit: &crate::linear::OlsFit, name: &str) -> Coefficient {
    fit.coefficients
        .iter()
        .find(|c| c.term == name)
        .cloned()
        .unwrap_or(Coefficient {
            term: name.to_string(),
            estimate: f64::NAN,
            se: f64::NAN,
            statistic: f64::NAN,
            p: f64::NAN,
            ci: [f64::NAN; 2],
        })
}

/// The bootstrap statistics of one cross-product matrix: each indirect effect, their total,
/// then the same completely standardized, then the same partially standardized.
fn indirect_effects(cross: &DMatrix<f64>, mediators: usize, covariates: usize) -> Option<Vec<f64>> {
    let x = CrossProducts::column(0);
    let mediator = |j: usize| CrossProducts::column(1 + j);
    let covariate_columns: Vec<usize> = (0..covariates)
        .map(|j| CrossProducts::column(1 + mediators + j))
        .collect();
    let y = CrossProducts::column(1 + mediators + covariates);
    let mut m_predictors = vec![0, x];
    m_predictors.extend(&covariate_columns);
    let mut y_predictors = vec![0, x];
    y_predictors.extend((0..mediators).map(mediator));
    y_predictors.extend(&covariate_columns);
    let b = solve_cross(cross, &y_predictors, y)?;
    let n = cross[(0, 0)];
    let variance = |c: usize| (cross[(c, c)] - cross[(0, c)].powi(2) / n) / (n - 1.0);
    let scale = (variance(x) / variance(y)).sqrt();
    let per_sd_of_y = 1.0 / variance(y).sqrt();
    let mut effects = Vec::with_capacity(3 * mediators + 3);
    for j in 0..mediators {
        let a = solve_cross(cross, &m_predictors, mediator(j))?[1];
        effects.push(a * b[2 + j]);
    }
    let total: f64 = effects.iter().sum();
    effects.push(total);
    let standardized: Vec<f64> = effects.iter().map(|e| e * scale).collect();
    let partially: Vec<f64> = effects.iter().map(|e| e * per_sd_of_y).collect();
    effects.extend(standardized);
    effects.extend(partially);
    Some(effects)
}

/// Estimates the model and bootstraps its indirect effects.
pub fn mediation(
    input: &MediationInput,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<MediationFit, FitProblem> {
    let k = input.mediators.len();
    let q = input.covariates.len();
    let level = input.level;
    // Point estimates and their OLS tests.
    let mut m_columns = vec![input.x];
    m_columns.extend(&input.covariates);
    let mut a = Vec::with_capacity(k);
    for mediator in &input.mediators {
        let fit = ols(
            &design(&m_columns),
            mediator.values,
            Errors::Classical,
            level,
        )?;
        a.push(coefficient_of(&fit, input.x.name));
    }
    let mut y_columns = vec![input.x];
    y_columns.extend(&input.mediators);
    y_columns.extend(&input.covariates);
    let y_fit = ols(
        &design(&y_columns),
        input.y.values,
        Errors::Classical,
        level,
    )?;
    let b: Vec<Coefficient> = input
        .mediators
        .iter()
        .map(|m| coefficient_of(&y_fit, m.name))
        .collect();
    let c_prime = coefficient_of(&y_fit, input.x.name);
    let total_fit = ols(
        &design(&m_columns),
        input.y.values,
        Errors::Classical,
        level,
    )?;
    let c = coefficient_of(&total_fit, input.x.name);
    if let Some(draws) = input.monte_carlo {
        let sd = |values: &[f64]| crate::bootstrap::standard_error(values);
        let (sd_x, sd_y) = (sd(input.x.values), sd(input.y.values));
        let effects = monte_carlo::effects(
            &monte_carlo::Paths {
                a: &a,
                y_fit: &y_fit,
                b_positions: (2..2 + k).collect(),
                scale: sd_x / sd_y,
                per_sd_of_y: 1.0 / sd_y,
            },
            draws,
            input.seed,
            level,
        );
        return Ok(assemble(input, a, b, c, c_prime, effects, 0));
    }

    // The bootstrap, on cross-products of [X, M…, C…, Y].
    let mut all: Vec<&[f64]> = vec![input.x.values];
    all.extend(input.mediators.iter().map(|m| m.values));
    all.extend(input.covariates.iter().map(|c| c.values));
    all.push(input.y.values);
    let data = CrossProducts::new(&all);
    let full = data.full();
    let point = indirect_effects(&full, k, q).ok_or(FitProblem::Collinear {
        term: input.x.name.to_string(),
        with: Vec::new(),
    })?;
    let (effects, failed_resamples) = bootstrap::effects(
        &data,
        |cross| indirect_effects(cross, k, q),
        &point,
        bootstrap::Settings {
            resamples: input.resamples,
            seed: input.seed,
            level,
            method: input.method,
        },
        progress,
    )?;
    Ok(assemble(input, a, b, c, c_prime, effects, failed_resamples))
}

/// The fit from its paths and its effects in [`indirect_effects`]' order.
fn assemble(
    input: &MediationInput,
    a: Vec<Coefficient>,
    b: Vec<Coefficient>,
    c: Coefficient,
    c_prime: Coefficient,
    effects: Vec<BootEffect>,
    failed_resamples: usize,
) -> MediationFit {
    let k = input.mediators.len();
    let effect = |index: usize| effects[index].clone();
    MediationFit {
        n: input.x.values.len(),
        a,
        b,
        c,
        c_prime,
        indirect: (0..k).map(effect).collect(),
        total_indirect: effect(k),
        standardized: (0..k).map(|j| effect(k + 1 + j)).collect(),
        standardized_total: effect(2 * k + 1),
        partially_standardized: (0..k).map(|j| effect(2 * k + 2 + j)).collect(),
        partially_standardized_total: effect(3 * k + 2),
        failed_resamples,
    }
}

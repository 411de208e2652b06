//! Mediation with a multicategorical X (Hayes & Preacher 2014; Hayes 2022, ch. 6): X's g
//! levels as g − 1 indicators against a reference level, so that every effect of X is
//! *relative* to that level. The relative total, direct and indirect effects of each level, the
//! omnibus test of X in each equation, and bootstrap intervals of the relative indirect effects
//! and their partially standardized forms (a·b/SD(Y); PROCESS gives no completely standardized
//! form for a multicategorical X, whose SD is no unit of anything).

use super::{BootEffect, Column, coefficient_of, design};
use crate::bootstrap::{self, CrossProducts, IntervalMethod};
use crate::linear::{Coefficient, Errors, FitProblem, OlsFit, f_change, ols, solve_cross};
use nalgebra::DMatrix;

/// What to estimate: X given as its indicators (each non-reference level's 0/1 column), all
/// columns complete and of equal length.
#[derive(Debug, Clone)]
pub struct RelativeMediationInput<'a> {
    pub indicators: Vec<Column<'a>>,
    pub mediators: Vec<Column<'a>>,
    pub y: Column<'a>,
    pub covariates: Vec<Column<'a>>,
    pub resamples: usize,
    pub seed: u64,
    pub level: f64,
    pub method: IntervalMethod,
}

/// The omnibus test of X in one equation: the R² change of adding its g − 1 indicators to the
/// equation without them, and its F test (PROCESS prints it for the total and direct effects;
/// for a mediator's equation it is the test of X's effect on the mediator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OmnibusTest {
    pub r2_change: f64,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// The estimated model. Indexing: `[mediator][indicator]` for paths from X, `[indicator]` for
/// the relative total and direct effects, `[indicator][mediator]` for indirect effects.
#[derive(Debug, Clone)]
pub struct RelativeMediationFit {
    pub n: usize,
    /// Each indicator → each mediator (the relative a paths).
    pub a: Vec<Vec<Coefficient>>,
    /// X's omnibus test on each mediator.
    pub a_omnibus: Vec<OmnibusTest>,
    /// Each mediator → Y, controlling X and the other mediators.
    pub b: Vec<Coefficient>,
    /// The relative total effects, and X's omnibus test in the total-effect model.
    pub total: Vec<Coefficient>,
    pub total_omnibus: OmnibusTest,
    /// The relative direct effects, and X's omnibus test controlling the mediators.
    pub direct: Vec<Coefficient>,
    pub direct_omnibus: OmnibusTest,
    /// a·b for each indicator and mediator.
    pub indirect: Vec<Vec<BootEffect>>,
    /// Each indicator's indirect effects summed over the mediators.
    pub total_indirect: Vec<BootEffect>,
    /// The same divided by SD(Y).
    pub partially_standardized: Vec<Vec<BootEffect>>,
    pub partially_standardized_total: Vec<BootEffect>,
    /// Resamples whose models could not be solved (a singular resample), left out.
    pub failed_resamples: usize,
}

/// X's omnibus test: `fit` against the same equation without the indicators.
fn omnibus(fit: &OlsFit, without: &[Column], y: &[f64], level: f64, df1: usize) -> OmnibusTest {
    // Without other predictors the reduced equation is the mean alone: its RSS is the TSS.
    let (rss, r2) = if without.is_empty() {
        (fit.tss, 0.0)
    } else {
        ols(&design(without), y, Errors::Classical, level)
            .map_or((f64::NAN, f64::NAN), |r| (r.rss, r.r2))
    };
    let change = f_change(rss, fit.rss, df1, fit.df_residual);
    OmnibusTest {
        r2_change: fit.r2 - r2,
        f: change.f,
        df1,
        df2: fit.df_residual,
        p: change.p,
    }
}

/// The bootstrap statistics of one cross-product matrix of [D…, M…, C…, Y]: for each
/// indicator its indirect effect through each mediator, then each indicator's total over the
/// mediators, then all of these divided by SD(Y).
fn relative_indirect_effects(
    cross: &DMatrix<f64>,
    indicators: usize,
    mediators: usize,
    covariates: usize,
) -> Option<Vec<f64>> {
    let column = CrossProducts::column;
    let d: Vec<usize> = (0..indicators).map(column).collect();
    let m: Vec<usize> = (0..mediators).map(|j| column(indicators + j)).collect();
    let c: Vec<usize> = (0..covariates)
        .map(|j| column(indicators + mediators + j))
        .collect();
    let y = column(indicators + mediators + covariates);
    let m_predictors: Vec<usize> = std::iter::once(0)
        .chain(d.clone())
        .chain(c.clone())
        .collect();
    let y_predictors: Vec<usize> = std::iter::once(0)
        .chain(d.clone())
        .chain(m.clone())
        .chain(c)
        .collect();
    let b = solve_cross(cross, &y_predictors, y)?;
    let mut a = Vec::with_capacity(mediators);
    for target in &m {
        a.push(solve_cross(cross, &m_predictors, *target)?);
    }
    let n = cross[(0, 0)];
    let sd_y = ((cross[(y, y)] - cross[(0, y)].powi(2) / n) / (n - 1.0)).sqrt();
    let mut each = Vec::with_capacity(indicators * mediators);
    let mut totals = Vec::with_capacity(indicators);
    for i in 0..indicators {
        let effects: Vec<f64> = (0..mediators)
            .map(|j| a[j][1 + i] * b[1 + indicators + j])
            .collect();
        totals.push(effects.iter().sum::<f64>());
        each.extend(effects);
    }
    let mut out = each;
    out.extend(totals);
    let partially: Vec<f64> = out.iter().map(|e| e / sd_y).collect();
    out.extend(partially);
    Some(out)
}

/// Estimates the model and bootstraps its relative indirect effects.
pub fn relative_mediation(
    input: &RelativeMediationInput,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<RelativeMediationFit, FitProblem> {
    let g1 = input.indicators.len();
    let k = input.mediators.len();
    let q = input.covariates.len();
    let level = input.level;
    let m_columns: Vec<Column> = input
        .indicators
        .iter()
        .chain(&input.covariates)
        .copied()
        .collect();
    let mut a = Vec::with_capacity(k);
    let mut a_omnibus = Vec::with_capacity(k);
    for mediator in &input.mediators {
        let fit = ols(
            &design(&m_columns),
            mediator.values,
            Errors::Classical,
            level,
        )?;
        a.push(
            input
                .indicators
                .iter()
                .map(|d| coefficient_of(&fit, d.name))
                .collect(),
        );
        a_omnibus.push(omnibus(&fit, &input.covariates, mediator.values, level, g1));
    }
    let y_columns: Vec<Column> = input
        .indicators
        .iter()
        .chain(&input.mediators)
        .chain(&input.covariates)
        .copied()
        .collect();
    let y_fit = ols(
        &design(&y_columns),
        input.y.values,
        Errors::Classical,
        level,
    )?;
    let b = input
        .mediators
        .iter()
        .map(|m| coefficient_of(&y_fit, m.name))
        .collect();
    let direct = input
        .indicators
        .iter()
        .map(|d| coefficient_of(&y_fit, d.name))
        .collect();
    let y_without_x: Vec<Column> = input
        .mediators
        .iter()
        .chain(&input.covariates)
        .copied()
        .collect();
    let direct_omnibus = omnibus(&y_fit, &y_without_x, input.y.values, level, g1);
    let total_fit = ols(
        &design(&m_columns),
        input.y.values,
        Errors::Classical,
        level,
    )?;
    let total = input
        .indicators
        .iter()
        .map(|d| coefficient_of(&total_fit, d.name))
        .collect();
    let total_omnibus = omnibus(&total_fit, &input.covariates, input.y.values, level, g1);

    let all: Vec<&[f64]> = y_columns
        .iter()
        .map(|c| c.values)
        .chain(std::iter::once(input.y.values))
        .collect();
    // `y_columns` is [D…, M…, C…]; the statistics expect exactly that order before Y.
    let data = CrossProducts::new(&all);
    let statistics = |cross: &DMatrix<f64>| relative_indirect_effects(cross, g1, k, q);
    let point = statistics(&data.full()).ok_or_else(|| FitProblem::Collinear {
        term: input.indicators.first().map_or("", |d| d.name).to_string(),
        with: Vec::new(),
    })?;
    let (effects, failed_resamples) = bootstrap::effects(
        &data,
        statistics,
        &point,
        bootstrap::Settings {
            resamples: input.resamples,
            seed: input.seed,
            level,
            method: input.method,
        },
        progress,
    )?;
    // The layout of `relative_indirect_effects`: g1·k effects, g1 totals, then the same again.
    let half = g1 * k + g1;
    let per_indicator = |offset: usize| -> Vec<Vec<BootEffect>> {
        (0..g1)
            .map(|i| {
                (0..k)
                    .map(|j| effects[offset + i * k + j].clone())
                    .collect()
            })
            .collect()
    };
    let totals = |offset: usize| -> Vec<BootEffect> {
        (0..g1)
            .map(|i| effects[offset + g1 * k + i].clone())
            .collect()
    };
    Ok(RelativeMediationFit {
        n: input.y.values.len(),
        a,
        a_omnibus,
        b,
        total,
        total_omnibus,
        direct,
        direct_omnibus,
        indirect: per_indicator(0),
        total_indirect: totals(0),
        partially_standardized: per_indicator(half),
        partially_standardized_total: totals(half),
        failed_resamples,
    })
}

//! Moderation of a multicategorical X (PROCESS model 1 with `mcx`; Hayes & Montoya 2017): X's
//! g levels as g − 1 indicators against a reference level, a numeric moderator W, and the
//! products of each indicator with W. At each probe value of W it gives every level's relative
//! conditional effect (its difference from the reference level there) and the omnibus test of X
//! (are the g conditional means equal at that W?).

use super::{
    ConditionalEffect, InteractionTest, Probe, interaction_test, linear_combination, mean, wald_f,
};
use crate::distributions::{f_upper, t_quantile};
use crate::linear::{Design, Errors, FitProblem, OlsFit, ols};

/// Everything the model needs, on its complete cases.
#[derive(Debug, Clone)]
pub struct FactorModerationInput<'a> {
    pub x_name: &'a str,
    /// Each non-reference level of X: its name (as `x=level`) and 0/1 column.
    pub indicators: Vec<(String, Vec<f64>)>,
    pub w_name: &'a str,
    pub w: &'a [f64],
    pub y: &'a [f64],
    pub covariates: Vec<(String, Vec<f64>)>,
    /// Mean-centre W before forming the products (PROCESS `center = 2`). X's indicators are
    /// never centred, so that each relative effect stays the difference from the reference
    /// level.
    pub center: bool,
    pub errors: Errors,
    pub level: f64,
    pub probe: Probe,
}

/// The omnibus test of X at one value of W: the Wald F of its g − 1 relative conditional
/// effects (with classical errors, the F change of removing X's indicators with W centred there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OmnibusAt {
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// X's effects at one probe value of W.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorProbe {
    /// W in its own units.
    pub w: f64,
    /// Each non-reference level's relative conditional effect (`level` names it).
    pub effects: Vec<ConditionalEffect>,
    pub omnibus: OmnibusAt,
}

/// A fitted moderation of a multicategorical X.
#[derive(Debug, Clone)]
pub struct FactorModerationFit {
    /// The model; its terms after the intercept are, in order: X's indicators, W, the products,
    /// the covariates.
    pub fit: OlsFit,
    pub interaction: InteractionTest,
    pub probes: Vec<FactorProbe>,
    /// The mean subtracted from W (zero without centring) and W's observed range.
    pub w_center: f64,
    pub w_range: [f64; 2],
}

/// The level an `x=level` indicator stands for (a level may itself contain '=').
fn level_of<'a>(indicator: &'a str, x: &str) -> &'a str {
    indicator
        .strip_prefix(x)
        .and_then(|rest| rest.strip_prefix('='))
        .unwrap_or(indicator)
}

/// Fits the model.
pub fn factor_moderation(input: &FactorModerationInput) -> Result<FactorModerationFit, FitProblem> {
    let n = input.y.len();
    let g1 = input.indicators.len();
    let w_center = if input.center { mean(input.w) } else { 0.0 };
    let w_range = [
        input.w.iter().copied().fold(f64::INFINITY, f64::min),
        input.w.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    ];
    let w: Vec<f64> = input.w.iter().map(|v| v - w_center).collect();
    let mut columns: Vec<(String, Vec<f64>)> = input.indicators.clone();
    columns.push((input.w_name.to_string(), w.clone()));
    let without: Vec<(String, Vec<f64>)> =
        columns.iter().chain(&input.covariates).cloned().collect();
    for (name, indicator) in &input.indicators {
        columns.push((
            format!("{name}×{}", input.w_name),
            indicator.iter().zip(&w).map(|(d, w)| d * w).collect(),
        ));
    }
    columns.extend(input.covariates.iter().cloned());
    let fit = ols(
        &Design::with_intercept(&columns, n),
        input.y,
        input.errors,
        input.level,
    )?;
    let reduced = ols(
        &Design::with_intercept(&without, n),
        input.y,
        Errors::Classical,
        input.level,
    )?;
    // Coefficient 0 is the intercept; indicators are 1..=g1, W is g1 + 1, products follow.
    let product = |i: usize| g1 + 2 + i;
    let products: Vec<usize> = (0..g1).map(product).collect();
    let interaction = interaction_test(&fit, &reduced, &products, input.errors);
    let critical = t_quantile(0.5 + input.level / 2.0, fit.df_residual as f64);
    let df2 = fit.df_residual;
    let probes = input
        .probe
        .values(input.w)
        .into_iter()
        .map(|value| {
            let rows: Vec<Vec<(usize, f64)>> = (0..g1)
                .map(|i| vec![(1 + i, 1.0), (product(i), value - w_center)])
                .collect();
            let effects = rows
                .iter()
                .zip(&input.indicators)
                .map(|(row, (name, _))| {
                    linear_combination(
                        &fit,
                        row,
                        critical,
                        value,
                        Some(level_of(name, input.x_name).into()),
                    )
                })
                .collect();
            let f = wald_f(&fit, &rows);
            FactorProbe {
                w: value,
                effects,
                omnibus: OmnibusAt {
                    f,
                    df1: g1,
                    df2,
                    p: f_upper(f, g1 as f64, df2 as f64),
                },
            }
        })
        .collect();
    Ok(FactorModerationFit {
        fit,
        interaction,
        probes,
        w_center,
        w_range,
    })
}

//! Moderation as PROCESS model 1 (Hayes 2022): Y on X, the moderator W, their product and
//! covariates by OLS (classical or HC3 errors), with the test of the interaction, the
//! conditional effect of X at chosen values of W, and for a continuous W the Johnson–Neyman
//! points where that effect's significance changes. Engines take values and return values.

mod conditional_process;
mod multicategorical;
mod probe;

use crate::distributions::{f_upper, t_quantile, t_two_sided};
use crate::linear::{Design, Errors, FitProblem, OlsFit, f_change, ols};
pub use conditional_process::{
    ConditionalProcessFit, ConditionalProcessInput, Named, ProcessModel, conditional_process,
};
pub use multicategorical::{
    FactorModerationFit, FactorModerationInput, FactorProbe, OmnibusAt, factor_moderation,
};
use nalgebra::{DMatrix, DVector};
pub use probe::{Probe, type6_percentile};

/// The moderator: a number (continuous or two-valued), or a factor given as its dummies
/// against a reference level.
#[derive(Debug, Clone)]
pub enum Moderator<'a> {
    Numeric(&'a [f64]),
    Factor {
        reference: String,
        /// Each non-reference level's name and 0/1 column.
        dummies: Vec<(String, Vec<f64>)>,
    },
}

/// Everything a moderation model needs, on its complete cases.
#[derive(Debug, Clone)]
pub struct ModerationInput<'a> {
    pub x_name: &'a str,
    pub x: &'a [f64],
    pub w_name: &'a str,
    pub w: Moderator<'a>,
    pub y: &'a [f64],
    pub covariates: Vec<(String, Vec<f64>)>,
    /// Mean-centre X and a numeric W before forming their product (PROCESS `center = 1`).
    pub center: bool,
    pub errors: Errors,
    pub level: f64,
    pub probe: Probe,
}

/// The effect of X at one value (or level) of W.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalEffect {
    /// W in its own units (a factor's level has NaN).
    pub w: f64,
    pub level: Option<String>,
    pub effect: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
    pub ci: [f64; 2],
}

/// A value of W at which the conditional effect's interval starts or stops excluding zero.
#[derive(Debug, Clone, PartialEq)]
pub struct JohnsonNeymanPoint {
    pub w: f64,
    /// Percent of the cases with W below and above the point.
    pub below: f64,
    pub above: f64,
}

/// The test of the product term(s): ΔR² of adding them and its F test (with HC3 errors the
/// Wald F of their coefficients, as PROCESS reports it).
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionTest {
    pub delta_r2: f64,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// A fitted moderation model.
#[derive(Debug, Clone)]
pub struct ModerationFit {
    /// The model; its terms after the intercept are, in order: X, W (or its dummies), the
    /// product(s), the covariates.
    pub fit: OlsFit,
    pub interaction: InteractionTest,
    pub probe_values: Vec<ConditionalEffect>,
    /// Continuous W only: the points (within W's observed range), and the conditional effect
    /// across the range (21 equally spaced values with the points among them).
    pub johnson_neyman: Option<(Vec<JohnsonNeymanPoint>, Vec<ConditionalEffect>)>,
    /// The means subtracted from X and W (zero without centring).
    pub x_center: f64,
    pub w_center: f64,
    /// W's observed range (numeric W).
    pub w_range: [f64; 2],
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Fits the model.
pub fn moderation(input: &ModerationInput) -> Result<ModerationFit, FitProblem> {
    let n = input.y.len();
    let x_center = if input.center { mean(input.x) } else { 0.0 };
    let x: Vec<f64> = input.x.iter().map(|v| v - x_center).collect();
    let mut columns: Vec<(String, Vec<f64>)> = vec![(input.x_name.to_string(), x.clone())];
    let mut w_center = 0.0;
    let mut w_range = [f64::NAN, f64::NAN];
    let products: Vec<(String, Vec<f64>)> = match &input.w {
        Moderator::Numeric(w) => {
            if input.center {
                w_center = mean(w);
            }
            w_range = [
                w.iter().copied().fold(f64::INFINITY, f64::min),
                w.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ];
            let centred: Vec<f64> = w.iter().map(|v| v - w_center).collect();
            let product = x.iter().zip(&centred).map(|(a, b)| a * b).collect();
            columns.push((input.w_name.to_string(), centred));
            vec![(format!("{}×{}", input.x_name, input.w_name), product)]
        }
        Moderator::Factor { dummies, .. } => {
            let mut products = Vec::new();
            for (name, dummy) in dummies {
                columns.push((name.clone(), dummy.clone()));
                products.push((
                    format!("{}×{name}", input.x_name),
                    x.iter().zip(dummy).map(|(a, b)| a * b).collect(),
                ));
            }
            products
        }
    };
    let q = products.len();
    let first_product = columns.len();
    let without: Vec<(String, Vec<f64>)> =
        columns.iter().chain(&input.covariates).cloned().collect();
    columns.extend(products);
    columns.extend(input.covariates.iter().cloned());
    let design = |columns: &[(String, Vec<f64>)]| Design::with_intercept(columns, n);
    let fit = ols(&design(&columns), input.y, input.errors, input.level)?;
    let reduced = ols(&design(&without), input.y, Errors::Classical, input.level)?;
    // Coefficient j of the fit is design column j − 1 after the intercept.
    let product_index: Vec<usize> = (0..q).map(|k| first_product + k + 1).collect();
    let interaction = interaction_test(&fit, &reduced, &product_index, input.errors);
    let critical = t_quantile(0.5 + input.level / 2.0, fit.df_residual as f64);
    let effect = |weights: &[(usize, f64)], w: f64, level: Option<String>| {
        linear_combination(&fit, weights, critical, w, level)
    };
    let (probe_values, johnson_neyman) = match &input.w {
        Moderator::Numeric(w) => {
            let at = |value: f64| {
                effect(
                    &[(1, 1.0), (product_index[0], value - w_center)],
                    value,
                    None,
                )
            };
            let values = input.probe.values(w);
            let probes: Vec<ConditionalEffect> = values.iter().map(|v| at(*v)).collect();
            let johnson_neyman = (!crate::analyze::two_valued(w)).then(|| {
                let points = jn_points(&fit, product_index[0], critical, w_center, w_range, w);
                let mut grid: Vec<f64> = (0..=20)
                    .map(|k| w_range[0] + (w_range[1] - w_range[0]) * k as f64 / 20.0)
                    .collect();
                grid.extend(points.iter().map(|p| p.w));
                grid.sort_by(f64::total_cmp);
                (points, grid.into_iter().map(at).collect())
            });
            (probes, johnson_neyman)
        }
        Moderator::Factor { reference, dummies } => {
            let mut probes = vec![effect(&[(1, 1.0)], f64::NAN, Some(reference.clone()))];
            for (k, (name, _)) in dummies.iter().enumerate() {
                let level = name.split_once('=').map_or(name.as_str(), |(_, l)| l);
                probes.push(effect(
                    &[(1, 1.0), (product_index[k], 1.0)],
                    f64::NAN,
                    Some(level.to_string()),
                ));
            }
            (probes, None)
        }
    };
    Ok(ModerationFit {
        fit,
        interaction,
        probe_values,
        johnson_neyman,
        x_center,
        w_center,
        w_range,
    })
}

/// The test of the product terms at coefficient indices `products`: the F change of adding
/// them (`reduced` is the model without them), or with HC3 errors the Wald F of their
/// coefficients, as PROCESS reports it.
fn interaction_test(
    fit: &OlsFit,
    reduced: &OlsFit,
    products: &[usize],
    errors: Errors,
) -> InteractionTest {
    let q = products.len();
    let f = match errors {
        Errors::Classical => f_change(reduced.rss, fit.rss, q, fit.df_residual).f,
        Errors::Hc3 => {
            let weights: Vec<Vec<(usize, f64)>> =
                products.iter().map(|j| vec![(*j, 1.0)]).collect();
            wald_f(fit, &weights)
        }
    };
    InteractionTest {
        delta_r2: fit.r2 - reduced.r2,
        f,
        df1: q,
        df2: fit.df_residual,
        p: f_upper(f, q as f64, fit.df_residual as f64),
    }
}

/// The Wald F of the joint hypothesis that every linear combination in `rows` is zero,
/// (Lb)′(LVL′)⁻¹(Lb)/rows, each row given as (coefficient index, weight) pairs. With classical
/// errors it equals the F change of the nested models the hypothesis defines.
fn wald_f(fit: &OlsFit, rows: &[Vec<(usize, f64)>]) -> f64 {
    let q = rows.len();
    let estimate = |row: &[(usize, f64)]| -> f64 {
        row.iter()
            .map(|(j, c)| c * fit.coefficients[*j].estimate)
            .sum()
    };
    let covariance = |a: &[(usize, f64)], b: &[(usize, f64)]| -> f64 {
        a.iter()
            .flat_map(|(i, ci)| {
                b.iter()
                    .map(move |(j, cj)| ci * cj * fit.covariance[(*i, *j)])
            })
            .sum()
    };
    let theta = DVector::from_fn(q, |i, _| estimate(&rows[i]));
    let v = DMatrix::from_fn(q, q, |i, j| covariance(&rows[i], &rows[j]));
    v.cholesky()
        .map(|c| (theta.transpose() * c.inverse() * &theta)[(0, 0)] / q as f64)
        .unwrap_or(f64::NAN)
}

/// The linear combination Σ c_j b_j of the coefficients (X's effect at one value of W) with
/// its variance c′Vc, t test and interval.
fn linear_combination(
    fit: &OlsFit,
    weights: &[(usize, f64)],
    critical: f64,
    w: f64,
    level: Option<String>,
) -> ConditionalEffect {
    let estimate: f64 = weights
        .iter()
        .map(|(j, c)| c * fit.coefficients[*j].estimate)
        .sum();
    let variance: f64 = weights
        .iter()
        .flat_map(|(i, ci)| {
            weights
                .iter()
                .map(move |(j, cj)| ci * cj * fit.covariance[(*i, *j)])
        })
        .sum();
    let se = variance.max(0.0).sqrt();
    let t = estimate / se;
    ConditionalEffect {
        w,
        level,
        effect: estimate,
        se,
        t,
        p: t_two_sided(t, fit.df_residual as f64),
        ci: [estimate - critical * se, estimate + critical * se],
    }
}

/// The Johnson–Neyman points within W's observed range: the roots of
/// (b₁ + b₃w)² = t²·(v₁₁ + 2w·v₁₃ + w²·v₃₃) in centred w.
fn jn_points(
    fit: &OlsFit,
    product: usize,
    critical: f64,
    w_center: f64,
    range: [f64; 2],
    w: &[f64],
) -> Vec<JohnsonNeymanPoint> {
    let (b1, b3) = (
        fit.coefficients[1].estimate,
        fit.coefficients[product].estimate,
    );
    let v = &fit.covariance;
    let t2 = critical * critical;
    let a = b3 * b3 - t2 * v[(product, product)];
    let b = 2.0 * (b1 * b3 - t2 * v[(1, product)]);
    let c = b1 * b1 - t2 * v[(1, 1)];
    let mut roots = Vec::new();
    if a.abs() < f64::EPSILON * (b.abs() + c.abs()).max(1.0) {
        if b != 0.0 {
            roots.push(-c / b);
        }
    } else {
        let discriminant = b * b - 4.0 * a * c;
        if discriminant >= 0.0 {
            let root = discriminant.sqrt();
            roots.push((-b - root) / (2.0 * a));
            roots.push((-b + root) / (2.0 * a));
        }
    }
    let n = w.len() as f64;
    let mut points: Vec<JohnsonNeymanPoint> = roots
        .into_iter()
        .map(|r| r + w_center)
        .filter(|value| (range[0]..=range[1]).contains(value))
        .map(|value| JohnsonNeymanPoint {
            w: value,
            below: 100.0 * w.iter().filter(|v| **v < value).count() as f64 / n,
            above: 100.0 * w.iter().filter(|v| **v > value).count() as f64 / n,
        })
        .collect();
    points.sort_by(|a, b| a.w.total_cmp(&b.w));
    points
}

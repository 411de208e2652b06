//! Ordinary least squares as R's `lm` computes it: a Householder QR of the design, aliased
//! (perfectly collinear) columns detected the way LINPACK's `dqrdc2` does, classical or HC3
//! standard errors, and the model's R², adjusted R² and F test.

use crate::distributions::{f_upper, normal_quantile, t_quantile, t_two_sided};
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

/// A column whose part not explained by the earlier columns is smaller than this share of its
/// length is aliased: R's `lm` uses the same tolerance (1e-7) in `dqrdc2`.
pub const ALIASING_TOLERANCE: f64 = 1e-7;

/// A design matrix with named columns; the first column is the intercept when `intercept`.
#[derive(Debug, Clone)]
pub struct Design {
    pub names: Vec<String>,
    pub x: DMatrix<f64>,
    pub intercept: bool,
}

impl Design {
    /// An intercept, then the named columns of `n` values each.
    pub fn with_intercept(columns: &[(String, Vec<f64>)], n: usize) -> Design {
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
}

/// Why a linear model cannot be estimated.
#[derive(Debug, Clone, PartialEq)]
pub enum FitProblem {
    /// Fewer cases than parameters (or none left for the error variance).
    TooFewCases { n: usize, parameters: usize },
    /// A column is a linear combination of the columns before it.
    Collinear { term: String, with: Vec<String> },
    /// The outcome has no variance.
    ConstantOutcome,
    /// The iterations of a generalized linear model did not converge.
    NotConverged { iterations: usize },
    /// Fitted probabilities of 0 or 1: the predictors separate the outcome's two values.
    Separation { terms: Vec<String> },
    /// Too many bootstrap resamples could not be solved (singular), so the interval would be
    /// taken from an unrepresentative subset.
    UnstableBootstrap { failed: usize, resamples: usize },
    /// The predictors leave no term in the model's complete cases (a category with one level).
    NoPredictorTerms { variables: Vec<String> },
}

/// One coefficient of a fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    pub term: String,
    pub estimate: f64,
    pub se: f64,
    /// t for OLS, z for generalized linear models.
    pub statistic: f64,
    pub p: f64,
    pub ci: [f64; 2],
}

/// An OLS fit.
#[derive(Debug, Clone)]
pub struct OlsFit {
    pub coefficients: Vec<Coefficient>,
    /// The covariance matrix of the estimates (classical or HC3).
    pub covariance: DMatrix<f64>,
    pub n: usize,
    pub df_residual: usize,
    pub rss: f64,
    pub tss: f64,
    pub r2: f64,
    pub adj_r2: f64,
    /// The overall F test against the intercept-only model (None without predictors).
    pub f: Option<FTest>,
    pub sigma: f64,
    pub residuals: Vec<f64>,
}

/// An F test with its degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FTest {
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// How to compute standard errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errors {
    Classical,
    /// MacKinnon and White's HC3, as `sandwich::vcovHC(type = "HC3")`.
    Hc3,
}

/// Rows per block of the blocked QR.
const QR_BLOCK_ROWS: usize = 4096;

/// The triangular factor R of the QR decomposition of the design, and Q'y, without forming Q.
///
/// For tall data this is a tall-skinny QR: each block of rows of [X | y] is factored on its own
/// (in parallel), the blocks' triangles are stacked and factored again. The result is the R of
/// one Householder QR of the whole matrix up to the signs of its rows, with the same stability;
/// Q'y comes out of the same reflections as the last column.
pub fn triangular_factor(x: &DMatrix<f64>, y: &[f64]) -> (DMatrix<f64>, DVector<f64>) {
    let (n, p) = x.shape();
    let block = |start: usize, rows: usize| {
        DMatrix::from_fn(rows, p + 1, |i, j| {
            if j < p {
                x[(start + i, j)]
            } else {
                y[start + i]
            }
        })
    };
    let triangle = |matrix: DMatrix<f64>| matrix.qr().r();
    let r = if n <= QR_BLOCK_ROWS {
        triangle(block(0, n))
    } else {
        let starts: Vec<usize> = (0..n).step_by(QR_BLOCK_ROWS).collect();
        let triangles: Vec<DMatrix<f64>> = starts
            .par_iter()
            .map(|&start| triangle(block(start, QR_BLOCK_ROWS.min(n - start))))
            .collect();
        let stacked_rows: usize = triangles.iter().map(|t| t.nrows()).sum();
        let mut stacked = DMatrix::<f64>::zeros(stacked_rows, p + 1);
        let mut row = 0;
        for t in &triangles {
            stacked.view_mut((row, 0), (t.nrows(), p + 1)).copy_from(t);
            row += t.nrows();
        }
        triangle(stacked)
    };
    let r_x = r.view((0, 0), (p, p)).into_owned();
    let qty = DVector::from_fn(p, |i, _| r[(i, p)]);
    (r_x, qty)
}

/// Checks that the design has more rows than columns and that no column is (numerically) a
/// linear combination of the earlier ones; returns R and Q'y.
fn factor_checked(design: &Design, y: &[f64]) -> Result<(DMatrix<f64>, DVector<f64>), FitProblem> {
    let (n, p) = design.x.shape();
    if n <= p {
        return Err(FitProblem::TooFewCases { n, parameters: p });
    }
    let (r, qty) = triangular_factor(&design.x, y);
    for j in 0..p {
        let norm = design.x.column(j).norm();
        if norm == 0.0 || r[(j, j)].abs() < ALIASING_TOLERANCE * norm {
            return Err(FitProblem::Collinear {
                term: design.names[j].clone(),
                with: design.names[..j].to_vec(),
            });
        }
    }
    Ok((r, qty))
}

/// Checks only that the design has full column rank and more rows than columns.
pub fn ols_rank_check(design: &Design) -> Result<(), FitProblem> {
    factor_checked(design, &vec![0.0; design.x.nrows()]).map(|_| ())
}

/// Inverts an upper-triangular matrix.
fn invert_upper(r: &DMatrix<f64>) -> DMatrix<f64> {
    let p = r.nrows();
    let identity = DMatrix::<f64>::identity(p, p);
    r.solve_upper_triangular(&identity)
        .unwrap_or_else(|| DMatrix::from_element(p, p, f64::NAN))
}

/// Fits `y` on the design by least squares.
pub fn ols(design: &Design, y: &[f64], errors: Errors, level: f64) -> Result<OlsFit, FitProblem> {
    let n = y.len();
    let p = design.x.ncols();
    let (r, qty) = factor_checked(design, y)?;
    let b = r
        .solve_upper_triangular(&qty)
        .ok_or(FitProblem::Collinear {
            term: design.names[p - 1].clone(),
            with: design.names[..p - 1].to_vec(),
        })?;
    let fitted = &design.x * &b;
    let residuals: Vec<f64> = (0..n).map(|i| y[i] - fitted[i]).collect();
    let rss: f64 = residuals.iter().map(|e| e * e).sum();
    let mean = y.iter().sum::<f64>() / n as f64;
    let tss: f64 = if design.intercept {
        y.iter().map(|v| (v - mean).powi(2)).sum()
    } else {
        y.iter().map(|v| v * v).sum()
    };
    if tss == 0.0 {
        return Err(FitProblem::ConstantOutcome);
    }
    let df_residual = n - p;
    let sigma2 = rss / df_residual as f64;
    let r_inverse = invert_upper(&r);
    let unscaled = &r_inverse * r_inverse.transpose();
    let covariance = match errors {
        Errors::Classical => &unscaled * sigma2,
        Errors::Hc3 => {
            // Meat: Σ x_i x_i' e_i² / (1 − h_i)², with leverages h_i = ‖x_i' R⁻¹‖² (the
            // squared row norms of Q = X R⁻¹).
            let q = &design.x * &r_inverse;
            let mut meat = DMatrix::<f64>::zeros(p, p);
            for (i, residual) in residuals.iter().enumerate() {
                let h: f64 = q.row(i).iter().map(|v| v * v).sum();
                let weight = (residual / (1.0 - h)).powi(2);
                let row = design.x.row(i);
                for a in 0..p {
                    for c in 0..=a {
                        meat[(a, c)] += weight * row[a] * row[c];
                    }
                }
            }
            for a in 0..p {
                for c in 0..a {
                    meat[(c, a)] = meat[(a, c)];
                }
            }
            &unscaled * meat * &unscaled
        }
    };
    let critical = t_quantile(0.5 + level / 2.0, df_residual as f64);
    let coefficients = (0..p)
        .map(|j| {
            let se = covariance[(j, j)].sqrt();
            let statistic = b[j] / se;
            Coefficient {
                term: design.names[j].clone(),
                estimate: b[j],
                se,
                statistic,
                p: t_two_sided(statistic, df_residual as f64),
                ci: [b[j] - critical * se, b[j] + critical * se],
            }
        })
        .collect();
    let r2 = 1.0 - rss / tss;
    let df_model = if design.intercept { p - 1 } else { p };
    let df_total = if design.intercept { n - 1 } else { n };
    let adj_r2 = 1.0 - (1.0 - r2) * df_total as f64 / df_residual as f64;
    let f = (df_model > 0).then(|| {
        let f = match errors {
            Errors::Classical => (r2 / df_model as f64) / ((1.0 - r2) / df_residual as f64),
            // With robust errors the overall test is the Wald test of the slopes, as
            // `lmtest::waldtest(fit, vcov = vcovHC(fit, "HC3"))` computes it.
            Errors::Hc3 => wald_f(&b, &covariance, design.intercept),
        };
        FTest {
            f,
            df1: df_model,
            df2: df_residual,
            p: f_upper(f, df_model as f64, df_residual as f64),
        }
    });
    Ok(OlsFit {
        coefficients,
        covariance,
        n,
        df_residual,
        rss,
        tss,
        r2,
        adj_r2,
        f,
        sigma: sigma2.sqrt(),
        residuals,
    })
}

/// The Wald F statistic that all slopes are zero.
fn wald_f(b: &DVector<f64>, covariance: &DMatrix<f64>, intercept: bool) -> f64 {
    let start = usize::from(intercept);
    let k = b.len() - start;
    let slopes = b.rows(start, k).into_owned();
    let block = covariance.view((start, start), (k, k)).into_owned();
    match block.try_inverse() {
        Some(inverse) => (slopes.transpose() * inverse * &slopes)[(0, 0)] / k as f64,
        None => f64::NAN,
    }
}

/// The F test of adding `df1` columns to a model, from the two residual sums of squares.
pub fn f_change(rss_reduced: f64, rss_full: f64, df1: usize, df2: usize) -> FTest {
    let f = ((rss_reduced - rss_full) / df1 as f64) / (rss_full / df2 as f64);
    FTest {
        f,
        df1,
        df2,
        p: f_upper(f, df1 as f64, df2 as f64),
    }
}

/// The z critical value of a two-sided interval at `level`.
pub fn z_critical(level: f64) -> f64 {
    normal_quantile(0.5 + level / 2.0)
}

/// Solves a least-squares problem from a cross-product matrix: the coefficients of column
/// `target` on the columns `predictors` of the symmetric matrix `cross` (Z'Z of centered
/// columns). Returns None when the predictors' block is not positive definite.
pub fn solve_cross(cross: &DMatrix<f64>, predictors: &[usize], target: usize) -> Option<Vec<f64>> {
    let k = predictors.len();
    let block = DMatrix::from_fn(k, k, |a, c| cross[(predictors[a], predictors[c])]);
    let right = DVector::from_fn(k, |a, _| cross[(predictors[a], target)]);
    let cholesky = block.clone().cholesky()?;
    // The same aliasing rule as `lm`: a column whose part unexplained by the earlier ones is
    // smaller than 1e-7 of its length (L_jj² against the column's squared length) is aliased.
    let l = cholesky.l();
    if (0..k).any(|j| l[(j, j)].powi(2) < ALIASING_TOLERANCE.powi(2) * block[(j, j)]) {
        return None;
    }
    Some(cholesky.solve(&right).iter().copied().collect())
}

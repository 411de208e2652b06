//! The omnibus test of each factor with three or more levels in a model: whether its dummies
//! together add to the model, as R's `drop1` tests a term. For OLS the F test of dropping them
//! (with HC3 errors the Wald F of their coefficients, as `car::linearHypothesis` with that
//! covariance gives it); for logistic and Poisson models the likelihood-ratio χ².

use super::models::build_design;
use crate::distributions::{chi_squared_upper, f_upper};
use crate::glm::{GlmFamily, glm};
use crate::linear::{Errors, OlsFit, f_change, ols};
use crate::results::FactorTest;
use nalgebra::{DMatrix, DVector};

/// The fitted model whose factors are tested.
#[derive(Debug, Clone, Copy)]
pub(super) enum Full<'a> {
    Ols { fit: &'a OlsFit, errors: Errors },
    Glm { deviance: f64, family: GlmFamily },
}

/// The test of every factor among `factors` whose dummies (`factor=level` columns) are two or
/// more of `columns`, in the order of `factors`. A factor whose reduced model cannot be fitted
/// (a logistic model that separates without it, say) has no test but a warning for the model:
/// the model itself stands.
pub(super) fn factor_tests(
    factors: &[&str],
    columns: &[(String, Vec<f64>)],
    y: &[f64],
    full: Full,
    level: f64,
    warnings: &mut Vec<String>,
) -> Vec<FactorTest> {
    let n = y.len();
    let mut tests = Vec::new();
    let mut not_tested = |factor: &str| {
        warnings.push(format!(
            "the omnibus test of `{factor}` was not computed: the model without it could not be fitted"
        ));
    };
    for factor in factors {
        let prefix = format!("{factor}=");
        let dummies: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| name.starts_with(&prefix))
            .map(|(index, _)| index)
            .collect();
        if dummies.len() < 2 {
            continue;
        }
        let q = dummies.len();
        let others: Vec<(String, Vec<f64>)> = columns
            .iter()
            .enumerate()
            .filter(|(index, _)| !dummies.contains(index))
            .map(|(_, column)| column.clone())
            .collect();
        let reduced = build_design(&others, n);
        let test = match full {
            Full::Ols {
                fit,
                errors: Errors::Classical,
            } => {
                let Ok(without) = ols(&reduced, y, Errors::Classical, level) else {
                    not_tested(factor);
                    continue;
                };
                let change = f_change(without.rss, fit.rss, q, fit.df_residual);
                FactorTest {
                    factor: factor.to_string(),
                    df1: q,
                    df2: Some(fit.df_residual),
                    f: Some(change.f),
                    chi_square: None,
                    p: change.p,
                }
            }
            Full::Ols { fit, .. } => {
                // The Wald F of the dummies' coefficients with the model's (HC3) covariance;
                // column j of the design is coefficient j + 1, after the intercept.
                let b = DVector::from_fn(q, |i, _| fit.coefficients[dummies[i] + 1].estimate);
                let v = DMatrix::from_fn(q, q, |i, j| {
                    fit.covariance[(dummies[i] + 1, dummies[j] + 1)]
                });
                let f = v
                    .cholesky()
                    .map(|c| (b.transpose() * c.inverse() * &b)[(0, 0)] / q as f64)
                    .unwrap_or(f64::NAN);
                FactorTest {
                    factor: factor.to_string(),
                    df1: q,
                    df2: Some(fit.df_residual),
                    f: Some(f),
                    chi_square: None,
                    p: f_upper(f, q as f64, fit.df_residual as f64),
                }
            }
            Full::Glm { deviance, family } => {
                let Ok(without) = glm(&reduced, y, family, level) else {
                    not_tested(factor);
                    continue;
                };
                let chi = without.deviance - deviance;
                FactorTest {
                    factor: factor.to_string(),
                    df1: q,
                    df2: None,
                    f: None,
                    chi_square: Some(chi),
                    p: chi_squared_upper(chi, q as f64),
                }
            }
        };
        tests.push(test);
    }
    tests
}

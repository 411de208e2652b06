//! Logistic and Poisson regression by iteratively reweighted least squares, step for step as
//! R's `glm.fit` does it (same starting values, link clamping, convergence test and final
//! weights), so that estimates and standard errors agree with R's to rounding.

use crate::distributions::{ln_gamma, z_two_sided};
use crate::linear::{Coefficient, Design, FitProblem, z_critical};
use nalgebra::{DMatrix, DVector};

/// R's `glm.control()` defaults.
const EPSILON: f64 = 1e-8;
const MAX_ITERATIONS: usize = 25;
/// The bounds R's C code uses for the logit link (`THRESH`, `MTHRESH`) and for fitted values.
const LOGIT_THRESHOLD: f64 = 30.0;
/// A fitted probability this close to 0 or 1 is "numerically 0 or 1" (R: 10 × double eps).
const SEPARATION_EPSILON: f64 = 10.0 * f64::EPSILON;
/// A fitted probability this close to 0 or 1 in a model that converged: quasi-complete
/// separation, where a coefficient grows at every iteration until the deviance stops changing.
const EXTREME_FITTED: f64 = 1e-8;

/// The two generalized linear models kith fits, each with its canonical link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlmFamily {
    /// Logistic regression: 0/1 outcomes, logit link.
    Binomial,
    /// Poisson regression: counts, log link.
    Poisson,
}

impl GlmFamily {
    fn initial_mu(self, y: f64) -> f64 {
        match self {
            GlmFamily::Binomial => (y + 0.5) / 2.0,
            GlmFamily::Poisson => y + 0.1,
        }
    }

    fn link(self, mu: f64) -> f64 {
        match self {
            GlmFamily::Binomial => (mu / (1.0 - mu)).ln(),
            GlmFamily::Poisson => mu.ln(),
        }
    }

    fn inverse_link(self, eta: f64) -> f64 {
        match self {
            GlmFamily::Binomial => {
                let expeta = if eta < -LOGIT_THRESHOLD {
                    f64::EPSILON
                } else if eta > LOGIT_THRESHOLD {
                    1.0 / f64::EPSILON
                } else {
                    eta.exp()
                };
                expeta / (1.0 + expeta)
            }
            GlmFamily::Poisson => eta.exp().max(f64::EPSILON),
        }
    }

    /// dμ/dη.
    fn mu_eta(self, eta: f64) -> f64 {
        match self {
            GlmFamily::Binomial => {
                let opexp = 1.0 + eta.exp();
                if eta.abs() > LOGIT_THRESHOLD {
                    f64::EPSILON
                } else {
                    eta.exp() / (opexp * opexp)
                }
            }
            GlmFamily::Poisson => eta.exp().max(f64::EPSILON),
        }
    }

    fn variance(self, mu: f64) -> f64 {
        match self {
            GlmFamily::Binomial => mu * (1.0 - mu),
            GlmFamily::Poisson => mu,
        }
    }

    fn deviance_residual(self, y: f64, mu: f64) -> f64 {
        let y_log_y = |y: f64, mu: f64| if y == 0.0 { 0.0 } else { y * (y / mu).ln() };
        match self {
            GlmFamily::Binomial => 2.0 * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu)),
            GlmFamily::Poisson => 2.0 * (y_log_y(y, mu) - (y - mu)),
        }
    }

    fn log_likelihood(self, y: f64, mu: f64) -> f64 {
        match self {
            GlmFamily::Binomial => {
                if y == 1.0 {
                    mu.ln()
                } else {
                    (1.0 - mu).ln()
                }
            }
            GlmFamily::Poisson => y * mu.ln() - mu - ln_factorial(y),
        }
    }
}

/// ln(y!) for a count.
fn ln_factorial(y: f64) -> f64 {
    ln_gamma(y + 1.0)
}

/// A fitted generalized linear model.
#[derive(Debug, Clone)]
pub struct GlmFit {
    pub coefficients: Vec<Coefficient>,
    pub covariance: DMatrix<f64>,
    pub n: usize,
    pub df_residual: usize,
    pub deviance: f64,
    pub null_deviance: f64,
    pub log_likelihood: f64,
    pub null_log_likelihood: f64,
    pub aic: f64,
    pub iterations: usize,
    /// Pearson χ² / residual df: about 1 when a Poisson model's variance assumption holds.
    pub dispersion: f64,
    /// Logistic models: the predictors that separate the outcome's 0s from its 1s with ties
    /// at the boundary (quasi-complete separation). Their estimates run off towards infinity
    /// until the iterations stop, and their standard errors are meaningless.
    pub quasi_separation: Vec<String>,
    /// Logistic models: the cases whose fitted probability is within 1e-8 of 0 or 1, the sign
    /// of an estimate running off that R reports only once it reaches 10 × double eps.
    pub extreme_fitted: usize,
}

impl GlmFit {
    /// McFadden's pseudo R²: 1 − lnL / lnL₀.
    pub fn mcfadden_r2(&self) -> f64 {
        1.0 - self.log_likelihood / self.null_log_likelihood
    }

    /// The warning for a logistic model fitted under quasi-complete separation, as R's
    /// `glm.fit` warns of fitted probabilities numerically 0 or 1 (and earlier than R does,
    /// since such a model's estimates are meaningless long before R's threshold).
    pub fn separation_warning(&self) -> Option<String> {
        if self.quasi_separation.is_empty() && self.extreme_fitted == 0 {
            return None;
        }
        let terms = self
            .quasi_separation
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let what = if self.quasi_separation.is_empty() {
            "the predictors separate the outcome's 0s from its 1s almost completely".to_string()
        } else {
            format!(
                "{terms} alone separate{} the outcome's 0s from its 1s except at the boundary (quasi-complete separation)",
                if self.quasi_separation.len() == 1 {
                    "s"
                } else {
                    ""
                }
            )
        };
        Some(format!(
            "fitted probabilities numerically 0 or 1 occurred ({} of {} cases): {what}, so the estimates and standard errors of the separating terms are not meaningful; remove or merge them, or collect more data (a penalized Firth model is not in kith yet)",
            self.extreme_fitted, self.n
        ))
    }

    /// Nagelkerke's pseudo R²: Cox and Snell's, rescaled to reach 1.
    pub fn nagelkerke_r2(&self) -> f64 {
        let n = self.n as f64;
        let cox_snell = 1.0 - ((2.0 / n) * (self.null_log_likelihood - self.log_likelihood)).exp();
        cox_snell / (1.0 - ((2.0 / n) * self.null_log_likelihood).exp())
    }
}

/// Fits a GLM. `y` must already be valid for the family (0/1, or counts).
pub fn glm(
    design: &Design,
    y: &[f64],
    family: GlmFamily,
    level: f64,
) -> Result<GlmFit, FitProblem> {
    let (n, p) = design.x.shape();
    if n <= p {
        return Err(FitProblem::TooFewCases { n, parameters: p });
    }
    // Aliasing does not depend on the (positive) weights, so check the plain design once.
    crate::linear::ols_rank_check(design)?;
    let mut mu: Vec<f64> = y.iter().map(|&v| family.initial_mu(v)).collect();
    let mut eta: Vec<f64> = mu.iter().map(|&m| family.link(m)).collect();
    let deviance_of = |mu: &[f64]| -> f64 {
        y.iter()
            .zip(mu)
            .map(|(&v, &m)| family.deviance_residual(v, m))
            .sum()
    };
    let mut deviance_old = deviance_of(&mu);
    let mut converged = false;
    let mut r_last = DMatrix::<f64>::zeros(p, p);
    let mut coefficients = DVector::<f64>::zeros(p);
    let mut iterations = 0;
    for iteration in 1..=MAX_ITERATIONS {
        iterations = iteration;
        let mut weighted_x = design.x.clone();
        let mut weighted_z = DVector::<f64>::zeros(n);
        for i in 0..n {
            let derivative = family.mu_eta(eta[i]);
            let z = eta[i] + (y[i] - mu[i]) / derivative;
            let w = (derivative * derivative / family.variance(mu[i])).sqrt();
            weighted_z[i] = z * w;
            for j in 0..p {
                weighted_x[(i, j)] *= w;
            }
        }
        let (r, qtz) = crate::linear::triangular_factor(&weighted_x, weighted_z.as_slice());
        let Some(start) = r.solve_upper_triangular(&qtz) else {
            return Err(FitProblem::NotConverged { iterations });
        };
        r_last = r;
        let new_eta = &design.x * &start;
        eta = new_eta.iter().copied().collect();
        mu = eta.iter().map(|&e| family.inverse_link(e)).collect();
        coefficients = start;
        let deviance = deviance_of(&mu);
        if !deviance.is_finite() {
            return Err(FitProblem::NotConverged { iterations });
        }
        if (deviance - deviance_old).abs() / (deviance.abs() + 0.1) < EPSILON {
            converged = true;
            break;
        }
        deviance_old = deviance;
    }
    if family == GlmFamily::Binomial {
        let separated = mu
            .iter()
            .any(|&m| !(SEPARATION_EPSILON..=1.0 - SEPARATION_EPSILON).contains(&m));
        if separated || !converged {
            return Err(FitProblem::Separation {
                terms: separating_terms(design, y),
            });
        }
    }
    if !converged {
        return Err(FitProblem::NotConverged { iterations });
    }
    let deviance = deviance_of(&mu);
    let y_mean = y.iter().sum::<f64>() / n as f64;
    let null_mu = if design.intercept {
        y_mean
    } else {
        family.inverse_link(0.0)
    };
    let null_deviance: f64 = y
        .iter()
        .map(|&v| family.deviance_residual(v, null_mu))
        .sum();
    let log_likelihood: f64 = y
        .iter()
        .zip(&mu)
        .map(|(&v, &m)| family.log_likelihood(v, m))
        .sum();
    let null_log_likelihood: f64 = y.iter().map(|&v| family.log_likelihood(v, null_mu)).sum();
    let (quasi_separation, extreme_fitted) = if family == GlmFamily::Binomial {
        let extreme = mu
            .iter()
            .filter(|&&m| !(EXTREME_FITTED..=1.0 - EXTREME_FITTED).contains(&m))
            .count();
        (separating_terms(design, y), extreme)
    } else {
        (Vec::new(), 0)
    };
    let identity = DMatrix::<f64>::identity(p, p);
    let r_inverse = r_last
        .solve_upper_triangular(&identity)
        .unwrap_or_else(|| DMatrix::from_element(p, p, f64::NAN));
    let covariance = &r_inverse * r_inverse.transpose();
    let critical = z_critical(level);
    let coefficients_out = (0..p)
        .map(|j| {
            let se = covariance[(j, j)].sqrt();
            let statistic = coefficients[j] / se;
            Coefficient {
                term: design.names[j].clone(),
                estimate: coefficients[j],
                se,
                statistic,
                p: z_two_sided(statistic),
                ci: [
                    coefficients[j] - critical * se,
                    coefficients[j] + critical * se,
                ],
            }
        })
        .collect();
    let df_residual = n - p;
    let pearson: f64 = y
        .iter()
        .zip(&mu)
        .map(|(&v, &m)| (v - m).powi(2) / family.variance(m))
        .sum();
    Ok(GlmFit {
        coefficients: coefficients_out,
        covariance,
        n,
        df_residual,
        deviance,
        null_deviance,
        log_likelihood,
        null_log_likelihood,
        aic: -2.0 * log_likelihood + 2.0 * p as f64,
        iterations,
        dispersion: pearson / df_residual as f64,
        quasi_separation,
        extreme_fitted,
    })
}

/// The predictors whose values alone split the outcome's 0s from its 1s.
fn separating_terms(design: &Design, y: &[f64]) -> Vec<String> {
    let start = usize::from(design.intercept);
    (start..design.x.ncols())
        .filter(|&j| {
            let column = design.x.column(j);
            let range = |outcome: f64| {
                column
                    .iter()
                    .zip(y)
                    .filter(|(_, v)| **v == outcome)
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (x, _)| {
                        (lo.min(*x), hi.max(*x))
                    })
            };
            let (zero_lo, zero_hi) = range(0.0);
            let (one_lo, one_hi) = range(1.0);
            zero_hi <= one_lo || one_hi <= zero_lo
        })
        .map(|j| design.names[j].clone())
        .collect()
}

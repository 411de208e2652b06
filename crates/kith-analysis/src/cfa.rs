//! Confirmatory factor analysis by maximum likelihood, as lavaan 0.6 `cfa()` fits it with
//! complete data: Σ(θ) = Λ Φ Λ' + Θ, each indicator loading on one factor, factors correlated,
//! residuals uncorrelated; the first loading of each factor fixed at 1 (marker variables) or the
//! factor variances at 1 (`std_lv`); the sample covariance with divisor N; Fisher scoring on the
//! ML discrepancy with analytic derivatives, standard errors from the expected information; the
//! RMSEA's interval and tests of close and not-close fit from the noncentral χ².
//!
//! The first piece of the measurement models (issue 16): the plan section, FIML, MLR,
//! invariance, composite reliability and the report are still to come.

use crate::distributions::noncentral_chi_squared_cdf;
use nalgebra::{DMatrix, DVector};

/// The most Fisher-scoring steps; lavaan's nlminb is allowed far more, but scoring converges
/// in tens of steps for any identified CFA.
const MAX_ITERATIONS: usize = 500;
/// Convergence: the largest gradient element of the discrepancy below this.
const TOLERANCE: f64 = 1e-10;

/// A model: each factor with the indices (into the observed variables) of its indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub factors: Vec<(String, Vec<usize>)>,
    /// Factor variances fixed at 1 and every loading free, instead of marker variables.
    pub std_lv: bool,
}

/// One free parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    /// Indicator `item` on factor `factor`.
    Loading { factor: usize, item: usize },
    /// The (co)variance of factors `a` ≥ `b`.
    FactorCovariance { a: usize, b: usize },
    /// The residual variance of `item`.
    Residual { item: usize },
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CfaError {
    #[error("the sample covariance matrix is not positive definite")]
    SampleNotPositiveDefinite,
    #[error("the implied covariance matrix stopped being positive definite at step {0}")]
    ImpliedNotPositiveDefinite(usize),
    #[error("the information matrix is singular: the model is not identified")]
    NotIdentified,
    #[error("no convergence in {iterations} steps (largest gradient {gradient:e})")]
    NotConverged { iterations: usize, gradient: f64 },
}

/// A fitted model: estimates and standard errors in the order of `parameters`, and fit.
#[derive(Debug, Clone)]
pub struct Fit {
    pub parameters: Vec<Parameter>,
    pub estimates: Vec<f64>,
    pub standard_errors: Vec<f64>,
    pub iterations: usize,
    pub n: usize,
    /// N × the minimum of the ML discrepancy.
    pub chisq: f64,
    pub df: usize,
    pub baseline_chisq: f64,
    pub baseline_df: usize,
    pub logl: f64,
    pub unrestricted_logl: f64,
    /// The implied covariance matrix at the estimates.
    pub implied: DMatrix<f64>,
}

impl Fit {
    pub fn npar(&self) -> usize {
        self.parameters.len()
    }

    /// Comparative fit index.
    pub fn cfi(&self) -> f64 {
        let model = (self.chisq - self.df as f64).max(0.0);
        let baseline = (self.baseline_chisq - self.baseline_df as f64).max(model);
        if baseline == 0.0 {
            1.0
        } else {
            1.0 - model / baseline
        }
    }

    /// Tucker–Lewis index.
    pub fn tli(&self) -> f64 {
        let baseline = self.baseline_chisq / self.baseline_df as f64;
        (baseline - self.chisq / self.df as f64) / (baseline - 1.0)
    }

    /// Root mean square error of approximation, with N in its denominator as lavaan has it.
    pub fn rmsea(&self) -> f64 {
        ((self.chisq - self.df as f64) / (self.n as f64 * self.df as f64))
            .max(0.0)
            .sqrt()
    }

    /// The 90% confidence interval of the RMSEA, as lavaan finds it: the noncentralities at
    /// which the χ² statistic is the 95th and the 5th percentile.
    pub fn rmsea_ci(&self) -> (f64, f64) {
        let (x, df) = (self.chisq, self.df as f64);
        let cdf = |ncp: f64| noncentral_chi_squared_cdf(x, df, ncp);
        let scale = |ncp: f64| (ncp / (self.n as f64 * df)).sqrt();
        let lower = if cdf(0.0) < 0.95 {
            0.0
        } else {
            scale(root(|ncp| cdf(ncp) - 0.95, 0.0, x))
        };
        let top = (self.n as f64).max(4.0 * x);
        let upper = if cdf(top) > 0.05 {
            scale(top)
        } else if cdf(0.0) < 0.05 {
            0.0
        } else {
            scale(root(|ncp| cdf(ncp) - 0.05, 0.0, top))
        };
        (lower, upper)
    }

    /// The p-value of the test of close fit (H0: RMSEA ≤ .05).
    pub fn rmsea_close(&self) -> f64 {
        let ncp = self.n as f64 * self.df as f64 * 0.05_f64.powi(2);
        1.0 - noncentral_chi_squared_cdf(self.chisq, self.df as f64, ncp)
    }

    /// The p-value of the test of not-close fit (H0: RMSEA ≥ .08).
    pub fn rmsea_not_close(&self) -> f64 {
        let ncp = self.n as f64 * self.df as f64 * 0.08_f64.powi(2);
        noncentral_chi_squared_cdf(self.chisq, self.df as f64, ncp)
    }

    pub fn aic(&self) -> f64 {
        -2.0 * self.logl + 2.0 * self.npar() as f64
    }

    pub fn bic(&self) -> f64 {
        -2.0 * self.logl + self.npar() as f64 * (self.n as f64).ln()
    }

    /// The sample-size adjusted BIC (lavaan's `bic2`).
    pub fn sabic(&self) -> f64 {
        -2.0 * self.logl + self.npar() as f64 * ((self.n as f64 + 2.0) / 24.0).ln()
    }
}

/// One row of the parameter table, as lavaan's `parameterEstimates(fit, standardized = TRUE)`
/// has it: fixed parameters too (their standard error is 0 and they have no z, p or interval).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub parameter: Parameter,
    pub estimate: f64,
    pub standard_error: f64,
    /// z, its two-sided p, and the 95% Wald interval; `None` for a fixed parameter.
    pub test: Option<(f64, f64, f64, f64)>,
    /// The solution with factor variances 1 (`std.lv`) and with observed variances 1 too
    /// (`std.all`).
    pub std_lv: f64,
    pub std_all: f64,
}

impl Fit {
    /// Every loading, residual variance and factor (co)variance, free and fixed, with its
    /// standardized values.
    pub fn table(&self, model: &Model) -> Vec<Row> {
        let p = self.implied.nrows();
        let (lambda, phi, residual) = matrices(model, &self.parameters, &self.estimates, p);
        let free = |parameter: Parameter| {
            self.parameters
                .iter()
                .position(|q| *q == parameter)
                .map(|i| (self.estimates[i], self.standard_errors[i]))
        };
        let z_975 = crate::distributions::normal_quantile(0.975);
        let row = |parameter: Parameter, fixed: f64, std_lv: f64, std_all: f64| {
            let (estimate, standard_error) = free(parameter).unwrap_or((fixed, 0.0));
            let test = (standard_error > 0.0).then(|| {
                let z = estimate / standard_error;
                (
                    z,
                    crate::distributions::z_two_sided(z),
                    estimate - z_975 * standard_error,
                    estimate + z_975 * standard_error,
                )
            });
            Row {
                parameter,
                estimate,
                standard_error,
                test,
                std_lv,
                std_all,
            }
        };
        let mut out = Vec::new();
        for (factor, (_, items)) in model.factors.iter().enumerate() {
            let sd = phi[(factor, factor)].sqrt();
            for &item in items {
                let value = lambda[(item, factor)];
                let std_lv = value * sd;
                let parameter = Parameter::Loading { factor, item };
                out.push(row(
                    parameter,
                    value,
                    std_lv,
                    std_lv / self.implied[(item, item)].sqrt(),
                ));
            }
        }
        for item in 0..p {
            let value = residual[(item, item)];
            let parameter = Parameter::Residual { item };
            out.push(row(
                parameter,
                value,
                value,
                value / self.implied[(item, item)],
            ));
        }
        let k = model.factors.len();
        for a in 0..k {
            for b in a..k {
                let value = phi[(b, a)];
                let correlation = value / (phi[(a, a)] * phi[(b, b)]).sqrt();
                let parameter = Parameter::FactorCovariance { a: b, b: a };
                out.push(row(parameter, value, correlation, correlation));
            }
        }
        out
    }
}

/// The root of a function that falls from positive to negative on [low, high], by bisection
/// to the precision of f64 (at most 200 halvings).
fn root(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    for _ in 0..200 {
        let middle = (low + high) / 2.0;
        if middle == low || middle == high {
            break;
        }
        if f(middle) > 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
    (low + high) / 2.0
}

/// The standardized root mean square residual (Bentler's, lavaan's `srmr`): residual
/// covariances over the observed standard deviations, averaged over the p(p+1)/2 elements.
pub fn srmr(sample: &DMatrix<f64>, implied: &DMatrix<f64>) -> f64 {
    let p = sample.nrows();
    let mut sum = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let scale = (sample[(i, i)] * sample[(j, j)]).sqrt();
            sum += ((sample[(i, j)] - implied[(i, j)]) / scale).powi(2);
        }
    }
    (sum / (p * (p + 1) / 2) as f64).sqrt()
}

/// The parameters of a model, in lavaan's order: loadings factor by factor, residual variances,
/// then factor (co)variances.
fn parameters(model: &Model, p: usize) -> Vec<Parameter> {
    let mut out = Vec::new();
    for (factor, (_, items)) in model.factors.iter().enumerate() {
        let skip = usize::from(!model.std_lv);
        for &item in items.iter().skip(skip) {
            out.push(Parameter::Loading { factor, item });
        }
    }
    out.extend((0..p).map(|item| Parameter::Residual { item }));
    let k = model.factors.len();
    for a in 0..k {
        for b in a..k {
            if !(model.std_lv && a == b) {
                out.push(Parameter::FactorCovariance { a: b, b: a });
            }
        }
    }
    out
}

/// Λ, Φ, Θ at `theta`.
fn matrices(
    model: &Model,
    parameters: &[Parameter],
    theta: &[f64],
    p: usize,
) -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    let k = model.factors.len();
    let mut lambda = DMatrix::zeros(p, k);
    let mut phi = DMatrix::zeros(k, k);
    let mut residual = DMatrix::zeros(p, p);
    for (factor, (_, items)) in model.factors.iter().enumerate() {
        if !model.std_lv {
            lambda[(items[0], factor)] = 1.0;
        } else {
            phi[(factor, factor)] = 1.0;
        }
    }
    for (parameter, value) in parameters.iter().zip(theta) {
        match *parameter {
            Parameter::Loading { factor, item } => lambda[(item, factor)] = *value,
            Parameter::FactorCovariance { a, b } => {
                phi[(a, b)] = *value;
                phi[(b, a)] = *value;
            }
            Parameter::Residual { item } => residual[(item, item)] = *value,
        }
    }
    (lambda, phi, residual)
}

/// ∂Σ/∂θ_j for every parameter.
fn derivatives(
    parameters: &[Parameter],
    lambda: &DMatrix<f64>,
    phi: &DMatrix<f64>,
) -> Vec<DMatrix<f64>> {
    let p = lambda.nrows();
    let lambda_phi = lambda * phi;
    parameters
        .iter()
        .map(|parameter| {
            let mut d = DMatrix::zeros(p, p);
            match *parameter {
                Parameter::Loading { factor, item } => {
                    for b in 0..p {
                        d[(item, b)] += lambda_phi[(b, factor)];
                        d[(b, item)] += lambda_phi[(b, factor)];
                    }
                }
                Parameter::FactorCovariance { a, b } => {
                    for i in 0..p {
                        for j in 0..p {
                            d[(i, j)] = if a == b {
                                lambda[(i, a)] * lambda[(j, a)]
                            } else {
                                lambda[(i, a)] * lambda[(j, b)] + lambda[(i, b)] * lambda[(j, a)]
                            };
                        }
                    }
                }
                Parameter::Residual { item } => d[(item, item)] = 1.0,
            }
            d
        })
        .collect()
}

/// Starting values: loadings 1, residual variances half the observed ones, factor variances
/// half the marker's variance, covariances 0.
fn start(model: &Model, parameters: &[Parameter], sample: &DMatrix<f64>) -> Vec<f64> {
    parameters
        .iter()
        .map(|parameter| match *parameter {
            Parameter::Loading { .. } => 1.0,
            Parameter::Residual { item } => sample[(item, item)] / 2.0,
            Parameter::FactorCovariance { a, b } if a == b => {
                let marker = model.factors[a].1[0];
                sample[(marker, marker)] / 2.0
            }
            Parameter::FactorCovariance { .. } => 0.0,
        })
        .collect()
}

/// The ML discrepancy log|Σ| + tr(SΣ⁻¹) − log|S| − p, and Σ⁻¹; `None` when Σ is not
/// positive definite.
fn discrepancy(
    sample: &DMatrix<f64>,
    log_det_sample: f64,
    sigma: &DMatrix<f64>,
) -> Option<(f64, DMatrix<f64>)> {
    let cholesky = sigma.clone().cholesky()?;
    let log_det = 2.0 * cholesky.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let inverse = cholesky.inverse();
    let trace = (sample * &inverse).trace();
    Some((
        log_det + trace - log_det_sample - sample.nrows() as f64,
        inverse,
    ))
}

/// Fits `model` to the sample covariance matrix `sample` (divisor N) of `n` cases.
pub fn fit_ml(model: &Model, sample: &DMatrix<f64>, n: usize) -> Result<Fit, CfaError> {
    let p = sample.nrows();
    let sample_cholesky = sample
        .clone()
        .cholesky()
        .ok_or(CfaError::SampleNotPositiveDefinite)?;
    let log_det_sample = 2.0
        * sample_cholesky
            .l()
            .diagonal()
            .iter()
            .map(|d| d.ln())
            .sum::<f64>();
    let parameters = parameters(model, p);
    let mut theta = start(model, &parameters, sample);
    let implied = |theta: &[f64]| {
        let (lambda, phi, residual) = matrices(model, &parameters, theta, p);
        (&lambda * &phi * lambda.transpose() + residual, lambda, phi)
    };
    let (sigma, _, _) = implied(&theta);
    let (mut value, _) = discrepancy(sample, log_det_sample, &sigma)
        .ok_or(CfaError::ImpliedNotPositiveDefinite(0))?;
    let mut iterations = 0;
    let information = loop {
        let (sigma, lambda, phi) = implied(&theta);
        let (_, inverse) = discrepancy(sample, log_det_sample, &sigma)
            .ok_or(CfaError::ImpliedNotPositiveDefinite(iterations))?;
        let d = derivatives(&parameters, &lambda, &phi);
        let weighted: Vec<DMatrix<f64>> = d.iter().map(|dj| &inverse * dj).collect();
        let residual = &inverse * (&sigma - sample) * &inverse;
        let gradient = DVector::from_iterator(
            parameters.len(),
            d.iter().map(|dj| (&residual * dj).trace()),
        );
        let m = parameters.len();
        let mut expected = DMatrix::zeros(m, m);
        for j in 0..m {
            for k in 0..=j {
                // tr(AB) without the product: Σ_ij A_ij B_ji.
                let value = weighted[j].component_mul(&weighted[k].transpose()).sum();
                expected[(j, k)] = value;
                expected[(k, j)] = value;
            }
        }
        let largest = gradient.amax();
        if largest < TOLERANCE {
            break expected;
        }
        if iterations >= MAX_ITERATIONS {
            return Err(CfaError::NotConverged {
                iterations,
                gradient: largest,
            });
        }
        let step = expected
            .clone()
            .lu()
            .solve(&gradient)
            .ok_or(CfaError::NotIdentified)?;
        // Step halving keeps the discrepancy falling and Σ positive definite.
        let mut scale = 1.0;
        loop {
            let trial: Vec<f64> = theta
                .iter()
                .zip(step.iter())
                .map(|(t, s)| t - scale * s)
                .collect();
            let (sigma, _, _) = implied(&trial);
            if let Some((trial_value, _)) = discrepancy(sample, log_det_sample, &sigma)
                && trial_value <= value + 1e-12
            {
                theta = trial;
                value = trial_value;
                break;
            }
            scale /= 2.0;
            if scale < 1e-10 {
                return Err(CfaError::NotConverged {
                    iterations,
                    gradient: largest,
                });
            }
        }
        iterations += 1;
    };
    // The expected information of the log-likelihood is N/2 times `information`.
    let covariance = (information * (n as f64 / 2.0))
        .try_inverse()
        .ok_or(CfaError::NotIdentified)?;
    let (sigma, _, _) = implied(&theta);
    let log_det_sigma = sigma.determinant().ln();
    let trace = (sample * sigma.clone().try_inverse().ok_or(CfaError::NotIdentified)?).trace();
    let log_two_pi = (2.0 * std::f64::consts::PI).ln();
    let half_n = n as f64 / 2.0;
    let baseline: f64 = (0..p).map(|i| sample[(i, i)].ln()).sum::<f64>() - log_det_sample;
    Ok(Fit {
        standard_errors: covariance.diagonal().iter().map(|v| v.sqrt()).collect(),
        estimates: theta,
        iterations,
        n,
        chisq: n as f64 * value,
        df: p * (p + 1) / 2 - parameters.len(),
        baseline_chisq: n as f64 * baseline,
        baseline_df: p * (p + 1) / 2 - p,
        logl: -half_n * (p as f64 * log_two_pi + log_det_sigma + trace),
        unrestricted_logl: -half_n * (p as f64 * log_two_pi + log_det_sample + p as f64),
        implied: sigma,
        parameters,
    })
}

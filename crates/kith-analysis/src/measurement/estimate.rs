//! Maximum likelihood estimation of a parametrized model over its groups: Fisher scoring with
//! analytic gradients and the expected information, step halving to keep the likelihood
//! rising, and the information matrices the standard errors need (expected, or observed by
//! differentiating the analytic gradient numerically, as lavaan does).

use super::data::Group;
use super::likelihood::{self, Implied, implied};
use super::spec::{Entry, Kind, Spec};
use nalgebra::{DMatrix, DVector};

/// The most Fisher-scoring steps; scoring converges in tens of steps for an identified CFA.
pub const MAX_ITERATIONS: usize = 1000;
/// Convergence: the largest gradient element of the log-likelihood over N below this.
pub const TOLERANCE: f64 = 1e-11;

/// Why a model could not be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error("the implied covariance matrix is not positive definite at the starting values")]
    StartNotPositiveDefinite,
    #[error("the information matrix is singular: the model is not identified")]
    NotIdentified,
    #[error("no convergence in {iterations} steps (largest gradient {gradient:e})")]
    NotConverged { iterations: usize, gradient: f64 },
}

/// The estimates of a model and what the rest of the fit is computed from.
#[derive(Debug, Clone)]
pub struct Estimates {
    pub values: Vec<f64>,
    pub logl: f64,
    pub iterations: usize,
    /// The largest gradient element (over N) at the estimates.
    pub gradient: f64,
    /// Per group, the implied moments at the estimates.
    pub implied: Vec<Implied>,
}

/// The log-likelihood of all groups at `values`, with the gradient and expected information
/// with respect to the free parameters; `None` when an implied Σ is not positive definite.
pub fn evaluate(
    spec: &Spec,
    data: &[Group],
    values: &[f64],
    information: bool,
) -> Option<(f64, DVector<f64>, DMatrix<f64>)> {
    let m = spec.npar();
    let mut logl = 0.0;
    let mut gradient = DVector::zeros(m);
    let mut info = DMatrix::zeros(m, m);
    for (group, cases) in data.iter().enumerate() {
        let moments = implied(spec, group, values);
        let terms = likelihood::terms(cases, &moments, spec.means, information)?;
        let delta = likelihood::delta(spec, group, &moments);
        logl += terms.logl;
        gradient += delta.transpose() * &terms.gradient;
        if information {
            info += delta.transpose() * &terms.information * &delta;
        }
    }
    Some((logl, gradient, info))
}

/// Starting values as lavaan's "simple" ones are made: loadings 1 (the marker's 1 as well),
/// residual variances half the observed variance, factor variances half the marker's variance
/// (1 with std.lv), covariances 0, intercepts the observed means, factor means 0.
pub fn start(spec: &Spec, data: &[Group]) -> Vec<f64> {
    let moments: Vec<_> = data.iter().map(Group::available_moments).collect();
    let mut values = vec![f64::NAN; spec.npar()];
    for (group, elements) in spec.elements.iter().enumerate() {
        let (mean, covariance) = &moments[group];
        let marker = |factor: usize| {
            elements.iter().find_map(|(kind, _)| match *kind {
                Kind::Loading { factor: f, item } if f == factor => Some(item),
                _ => None,
            })
        };
        for &(kind, entry) in elements {
            let Entry::Free(index) = entry else { continue };
            if !values[index].is_nan() {
                continue;
            }
            values[index] = match kind {
                Kind::Loading { .. } => 1.0,
                Kind::Residual { a, b } if a == b => {
                    if spec.k == 0 {
                        covariance[(a, a)]
                    } else {
                        covariance[(a, a)] / 2.0
                    }
                }
                Kind::Residual { .. } => 0.0,
                Kind::FactorCovariance { a, b } if a == b => {
                    marker(a).map_or(1.0, |item| covariance[(item, item)] / 2.0)
                }
                Kind::FactorCovariance { .. } => 0.0,
                Kind::Intercept { item } => mean[item],
                Kind::FactorMean { .. } => 0.0,
            };
        }
    }
    values
}

/// Fits `spec` to `data` by Fisher scoring from `start`.
pub fn fit(spec: &Spec, data: &[Group], start: Vec<f64>) -> Result<Estimates, EstimateError> {
    let n: f64 = data.iter().map(|group| group.n() as f64).sum();
    let mut values = start;
    let (mut logl, _, _) =
        evaluate(spec, data, &values, false).ok_or(EstimateError::StartNotPositiveDefinite)?;
    let mut iterations = 0;
    let largest = loop {
        let (_, gradient, info) =
            evaluate(spec, data, &values, true).ok_or(EstimateError::StartNotPositiveDefinite)?;
        let largest = gradient.amax() / n;
        if largest < TOLERANCE {
            break largest;
        }
        if iterations >= MAX_ITERATIONS {
            return Err(EstimateError::NotConverged {
                iterations,
                gradient: largest,
            });
        }
        let step = info
            .cholesky()
            .map(|c| c.solve(&gradient))
            .ok_or(EstimateError::NotIdentified)?;
        let mut scale = 1.0;
        let accepted = loop {
            let trial: Vec<f64> = values
                .iter()
                .zip(step.iter())
                .map(|(v, s)| v + scale * s)
                .collect();
            if let Some((trial_logl, _, _)) = evaluate(spec, data, &trial, false)
                && trial_logl >= logl - 1e-12 * logl.abs()
            {
                values = trial;
                logl = trial_logl;
                break true;
            }
            scale /= 2.0;
            if scale < 1e-10 {
                break false;
            }
        };
        iterations += 1;
        if !accepted {
            // No step raises the likelihood: the estimates are as good as f64 allows, when
            // the gradient is near zero; otherwise the search is stuck.
            if largest < 1e-7 {
                break largest;
            }
            return Err(EstimateError::NotConverged {
                iterations,
                gradient: largest,
            });
        }
    };
    Ok(Estimates {
        implied: (0..spec.groups())
            .map(|g| implied(spec, g, &values))
            .collect(),
        values,
        logl,
        iterations,
        gradient: largest,
    })
}

/// The expected information of all cases at the estimates.
pub fn expected_information(spec: &Spec, data: &[Group], values: &[f64]) -> Option<DMatrix<f64>> {
    evaluate(spec, data, values, true).map(|(_, _, info)| info)
}

/// The observed information: minus the Hessian of the log-likelihood, from central differences
/// of the analytic gradient (lavaan's Richardson-free four-point rule), made symmetric.
pub fn observed_information(spec: &Spec, data: &[Group], values: &[f64]) -> Option<DMatrix<f64>> {
    const STEP: f64 = 1e-6;
    let m = spec.npar();
    let gradient_at = |j: usize, offset: f64| -> Option<DVector<f64>> {
        let mut shifted = values.to_vec();
        shifted[j] += offset;
        evaluate(spec, data, &shifted, false).map(|(_, gradient, _)| gradient)
    };
    let mut hessian = DMatrix::zeros(m, m);
    for j in 0..m {
        let column = (gradient_at(j, -2.0 * STEP)? - gradient_at(j, -STEP)? * 8.0
            + gradient_at(j, STEP)? * 8.0
            - gradient_at(j, 2.0 * STEP)?)
            / (12.0 * STEP);
        hessian.set_column(j, &column);
    }
    Some(-(&hessian + hessian.transpose()) / 2.0)
}

/// Σ_i score_i score_i' with respect to the free parameters over every case of every group,
/// the scores taken at the given implied moments (the "meat" of the Huber–White sandwich).
pub fn first_order_information(
    spec: &Spec,
    data: &[Group],
    implied: &[Implied],
) -> Option<DMatrix<f64>> {
    let m = spec.npar();
    let mut total = DMatrix::zeros(m, m);
    for (group, cases) in data.iter().enumerate() {
        let moments = &implied[group];
        let b1 = likelihood::first_order(cases, moments, spec.means)?;
        let delta = likelihood::delta(spec, group, moments);
        total += delta.transpose() * &b1 * &delta;
    }
    Some(total)
}

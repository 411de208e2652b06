//! What can be wrong with a fitted measurement model that does not stop the fit, named so that
//! no reader mistakes it for a clean solution: Heywood cases (a negative residual or factor
//! variance, a standardized loading beyond ±1), a latent covariance matrix that is not positive
//! definite, and too few cases for the parameters; and the hint for each error that stops one.

use super::spec::Kind;
use super::{MeasurementError, Solution};

/// Bentler & Chou's (1987) rule of thumb: at least five cases per free parameter.
pub const CASES_PER_PARAMETER: usize = 5;

/// A problem of a fitted model.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A variance estimated below zero.
    NegativeVariance {
        group: usize,
        kind: Kind,
        value: f64,
    },
    /// A completely standardized loading or factor correlation beyond ±1.
    StandardizedBeyondOne {
        group: usize,
        kind: Kind,
        value: f64,
    },
    /// The factors' covariance matrix is not positive definite.
    LatentNotPositiveDefinite { group: usize },
    /// Fewer than five cases per free parameter.
    FewCases { n: usize, npar: usize },
}

impl Solution {
    /// The problems of the solution, in the order of the parameter table.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        for row in self.table() {
            let group = row.group;
            match row.kind {
                Kind::Residual { a, b } if a == b && row.estimate < 0.0 => {
                    out.push(Warning::NegativeVariance {
                        group,
                        kind: row.kind,
                        value: row.estimate,
                    });
                }
                Kind::FactorCovariance { a, b } if a == b && row.estimate < 0.0 => {
                    out.push(Warning::NegativeVariance {
                        group,
                        kind: row.kind,
                        value: row.estimate,
                    });
                }
                // Beyond ±1 by more than rounding; a factor's own variance is 1 by definition.
                Kind::Loading { .. } | Kind::FactorCovariance { .. }
                    if row.std_all.abs() > 1.0 + 1e-9
                        && !matches!(row.kind, Kind::FactorCovariance { a, b } if a == b) =>
                {
                    out.push(Warning::StandardizedBeyondOne {
                        group,
                        kind: row.kind,
                        value: row.std_all,
                    });
                }
                _ => {}
            }
        }
        for (group, implied) in self.estimates.implied.iter().enumerate() {
            if implied.psi.nrows() > 0 && implied.psi.clone().cholesky().is_none() {
                out.push(Warning::LatentNotPositiveDefinite { group });
            }
        }
        let n: usize = self.n.iter().sum();
        if n < CASES_PER_PARAMETER * self.spec.npar() {
            out.push(Warning::FewCases {
                n,
                npar: self.spec.npar(),
            });
        }
        out
    }
}

impl MeasurementError {
    /// What the researcher can do about it.
    pub fn hint(&self) -> String {
        match self {
            MeasurementError::Estimate(super::EstimateError::NotConverged { .. }) => {
                "a model that does not converge is often misspecified or has a factor with too few strong indicators; check the loadings, or give each factor at least three items".into()
            }
            MeasurementError::Estimate(super::EstimateError::NotIdentified) | MeasurementError::SingularInformation => {
                "give each factor at least three items (two when it correlates with another factor), and do not free more parameters than the data can identify".into()
            }
            MeasurementError::Estimate(super::EstimateError::StartNotPositiveDefinite) => {
                "an item with (almost) no variance, or two items that are copies of each other, make the covariances singular; leave such items out".into()
            }
            MeasurementError::SampleNotPositiveDefinite { .. } => {
                "an item with no variance in the cases, or items that are linear combinations of others (a total next to its parts), make the covariance matrix singular; leave such items out".into()
            }
            MeasurementError::NoCases => {
                "with many missing answers, use `missing: fiml` to use every case that answered any item".into()
            }
            MeasurementError::TooManyItems { .. } => {
                "fit the scales in smaller models (a model per instrument), or parcel items".into()
            }
            MeasurementError::TooManyGroups { .. } => {
                "compare fewer groups at once: choose them under `levels:`, or merge small ones".into()
            }
            MeasurementError::TooFewIndicators { .. } => {
                "give the factor two or more items (three when it stands alone), or leave it out of the model".into()
            }
            MeasurementError::TooFewMoments { .. } => {
                "the model has more free parameters than the data have variances and covariances; use fewer factors or free fewer parameters".into()
            }
        }
    }
}

//! Modification indices and expected parameter changes as lavaan's `modindices` computes them:
//! the score test of every cross-loading and residual covariance the model leaves out, from the
//! expected information of the model extended by them (whatever the estimator), and the
//! residual correlations cov2cor(S) − cov2cor(Σ̂) (`lavResiduals(type = "cor")`).

use super::Solution;
use super::estimate;
use super::spec::{Entry, Kind, Spec};
use nalgebra::DMatrix;

/// One parameter the model leaves out, with what freeing it would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Modification {
    pub kind: Kind,
    /// The modification index: the expected drop in χ² when the parameter is freed.
    pub mi: f64,
    /// The expected parameter change, and the same in the completely standardized solution.
    pub epc: f64,
    pub sepc_all: f64,
}

impl Solution {
    /// Every left-out cross-loading and residual covariance of a one-group model, largest
    /// index first; `None` for several groups or when the information is singular.
    pub fn modification_indices(&self) -> Option<Vec<Modification>> {
        if self.spec.groups() != 1 {
            return None;
        }
        let spec = &self.spec;
        let (p, k, m) = (spec.p, spec.k, spec.npar());
        let present: Vec<Kind> = spec.elements[0].iter().map(|(kind, _)| *kind).collect();
        let mut candidates = Vec::new();
        for factor in 0..k {
            for item in 0..p {
                candidates.push(Kind::Loading { factor, item });
            }
        }
        for a in 0..p {
            for b in 0..a {
                candidates.push(Kind::Residual { a, b });
            }
        }
        candidates.retain(|kind| !present.contains(kind));
        let mut extended: Spec = spec.clone();
        for (offset, kind) in candidates.iter().enumerate() {
            extended.elements[0].push((*kind, Entry::Free(m + offset)));
            extended.free.push((*kind, vec![0]));
        }
        let mut values = self.estimates.values.clone();
        values.resize(m + candidates.len(), 0.0);
        let n: usize = self.n.iter().sum();
        let (_, gradient, information) = estimate::evaluate(&extended, &self.data, &values, true)?;
        let i22_inverse = information
            .view((0, 0), (m, m))
            .into_owned()
            .cholesky()?
            .inverse();
        let implied = &self.estimates.implied[0];
        let mut out = Vec::with_capacity(candidates.len());
        for (offset, kind) in candidates.into_iter().enumerate() {
            let j = m + offset;
            let i12 = information.view((j, 0), (1, m)).into_owned();
            let v = information[(j, j)] - (&i12 * &i22_inverse * i12.transpose())[(0, 0)];
            // lavaan leaves out an index whose variance (per case) is below ε^⅓.
            if v / (n as f64) < f64::EPSILON.cbrt() {
                continue;
            }
            let g = gradient[j];
            let epc = g / v;
            let sepc_all = match kind {
                Kind::Loading { factor, item } => {
                    epc * implied.psi[(factor, factor)].sqrt() / implied.sigma[(item, item)].sqrt()
                }
                Kind::Residual { a, b } => {
                    epc / (implied.theta[(a, a)] * implied.theta[(b, b)]).sqrt()
                }
                _ => epc,
            };
            out.push(Modification {
                kind,
                mi: g * g / v,
                epc,
                sepc_all,
            });
        }
        out.sort_by(|x, y| y.mi.total_cmp(&x.mi));
        Some(out)
    }

    /// The residual correlations of a group: the observed (or FIML-estimated) correlations
    /// minus the implied ones.
    pub fn residual_correlations(&self, group: usize) -> DMatrix<f64> {
        let correlation = |s: &DMatrix<f64>| {
            let d = s.diagonal().map(|v| 1.0 / v.sqrt());
            DMatrix::from_fn(s.nrows(), s.ncols(), |i, j| s[(i, j)] * d[i] * d[j])
        };
        correlation(&self.observed[group].sigma) - correlation(&self.estimates.implied[group].sigma)
    }
}

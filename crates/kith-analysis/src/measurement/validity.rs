//! Reliability and discriminant validity of a fitted model as semTools 0.5.6 computes them:
//! composite reliability (`compRelSEM` defaults: congeneric, observed total variance), average
//! variance extracted (`AVE`), the heterotrait–monotrait ratio (`htmt`, HTMT2: geometric
//! means of absolute correlations over listwise-complete cases), and the factor correlations
//! with delta-method intervals as lavaan's `standardizedSolution` has them.

use super::Solution;
use super::spec::{Entry, Kind};
use crate::distributions::normal_quantile;
use nalgebra::DMatrix;

/// Reliability of one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorReliability {
    pub factor: usize,
    /// (Σλ)²ψ / 1'S1 over the factor's indicators, S the observed covariances.
    pub composite_reliability: f64,
    /// Σλ²ψ / Σ s_jj; `None` when an indicator loads on another factor too.
    pub ave: Option<f64>,
}

/// A factor correlation with its standard error and 95% interval.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorCorrelation {
    pub a: usize,
    pub b: usize,
    pub r: f64,
    pub standard_error: f64,
    pub lower: f64,
    pub upper: f64,
}

/// What the evidence says about whether two factors are distinct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Discriminant {
    /// HTMT below .85 and the correlation's interval excludes ±1.
    Established,
    /// HTMT from .85 to below .90 (the liberal cut-off) and the interval excludes ±1.
    Marginal,
    /// HTMT of .90 or more, or an interval reaching ±1.
    Questionable,
}

/// The verdict for a pair from its HTMT and its factor correlation's interval.
pub fn discriminant(htmt: f64, correlation: &FactorCorrelation) -> Discriminant {
    let excludes_one = correlation.upper < 1.0 && correlation.lower > -1.0;
    if !excludes_one || !htmt.is_finite() || htmt >= 0.90 {
        Discriminant::Questionable
    } else if htmt >= 0.85 {
        Discriminant::Marginal
    } else {
        Discriminant::Established
    }
}

impl Solution {
    /// The items loading on each factor in the first group.
    fn indicators(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.spec.k];
        for (kind, _) in &self.spec.elements[0] {
            if let Kind::Loading { factor, item } = *kind {
                out[factor].push(item);
            }
        }
        out
    }

    /// Composite reliability and AVE of every factor, in group `group`.
    pub fn reliability(&self, group: usize) -> Vec<FactorReliability> {
        let implied = &self.estimates.implied[group];
        let s = &self.observed[group].sigma;
        let indicators = self.indicators();
        let loads_elsewhere = |item: usize, factor: usize| {
            (0..self.spec.k).any(|f| f != factor && implied.lambda[(item, f)].abs() > 5e-6)
        };
        indicators
            .iter()
            .enumerate()
            .map(|(factor, items)| {
                let psi = implied.psi[(factor, factor)];
                let loadings: Vec<f64> =
                    items.iter().map(|&i| implied.lambda[(i, factor)]).collect();
                let sum: f64 = loadings.iter().sum();
                let total: f64 = items
                    .iter()
                    .flat_map(|&i| items.iter().map(move |&j| s[(i, j)]))
                    .sum();
                let squares: f64 = loadings.iter().map(|l| l * l).sum();
                let variances: f64 = items.iter().map(|&i| s[(i, i)]).sum();
                let cross = items.iter().any(|&i| loads_elsewhere(i, factor));
                FactorReliability {
                    factor,
                    composite_reliability: sum * sum * psi / total,
                    ave: (!cross).then(|| squares * psi / variances),
                }
            })
            .collect()
    }

    /// The factor correlations of group `group` with delta-method standard errors and 95%
    /// Wald intervals.
    pub fn factor_correlations(&self, group: usize) -> Vec<FactorCorrelation> {
        let psi = &self.estimates.implied[group].psi;
        let index = |kind: Kind| {
            self.spec.elements[group]
                .iter()
                .find_map(|(k, entry)| match entry {
                    Entry::Free(i) if *k == kind => Some(*i),
                    _ => None,
                })
        };
        let z = normal_quantile(0.975);
        let mut out = Vec::new();
        for a in 0..self.spec.k {
            for b in a + 1..self.spec.k {
                let (va, vb) = (psi[(a, a)], psi[(b, b)]);
                let r = psi[(b, a)] / (va * vb).sqrt();
                // ∂r/∂ψ_ab, ∂r/∂ψ_aa, ∂r/∂ψ_bb, for the parameters that are free.
                let terms = [
                    (
                        index(Kind::FactorCovariance { a: b, b: a }),
                        1.0 / (va * vb).sqrt(),
                    ),
                    (index(Kind::FactorCovariance { a, b: a }), -r / (2.0 * va)),
                    (index(Kind::FactorCovariance { a: b, b }), -r / (2.0 * vb)),
                ];
                let mut variance = 0.0;
                for (i, gi) in terms.iter().filter_map(|(i, g)| i.map(|i| (i, *g))) {
                    for (j, gj) in terms.iter().filter_map(|(j, g)| j.map(|j| (j, *g))) {
                        variance += gi * gj * self.covariance[(i, j)];
                    }
                }
                let standard_error = variance.max(0.0).sqrt();
                out.push(FactorCorrelation {
                    a,
                    b,
                    r,
                    standard_error,
                    lower: r - z * standard_error,
                    upper: r + z * standard_error,
                });
            }
        }
        out
    }

    /// The HTMT2 matrix of the factors (1 on the diagonal), from the correlations of the
    /// cases that answered every indicator of the first group; `None` without such cases.
    pub fn htmt(&self) -> Option<DMatrix<f64>> {
        let indicators = self.indicators();
        let complete = self.data.first()?.listwise();
        let (_, covariance) = complete.moments()?;
        let d = covariance.diagonal().map(|v| 1.0 / v.sqrt());
        let r = |i: usize, j: usize| (covariance[(i, j)] * d[i] * d[j]).abs();
        let geometric = |pairs: &mut dyn Iterator<Item = (usize, usize)>| {
            let (mut sum, mut count) = (0.0, 0usize);
            for (i, j) in pairs {
                sum += r(i, j).ln();
                count += 1;
            }
            (sum / count as f64).exp()
        };
        let k = indicators.len();
        let within: Vec<f64> = indicators
            .iter()
            .map(|items| {
                geometric(
                    &mut items
                        .iter()
                        .enumerate()
                        .flat_map(|(x, &i)| items[..x].iter().map(move |&j| (i, j))),
                )
            })
            .collect();
        Some(DMatrix::from_fn(k, k, |a, b| {
            if a == b {
                return 1.0;
            }
            let between = geometric(
                &mut indicators[a]
                    .iter()
                    .flat_map(|&i| indicators[b].iter().map(move |&j| (i, j))),
            );
            between / (within[a] * within[b]).sqrt()
        }))
    }
}

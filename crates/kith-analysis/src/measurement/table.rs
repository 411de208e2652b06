//! The parameter table as lavaan's `parameterEstimates(fit, standardized = TRUE)` has it:
//! every element of every group, fixed ones too, with standard error, z, p, the 95% Wald
//! interval, and the solutions with factor variances 1 (`std.lv`) and observed variances 1 too
//! (`std.all`).

use super::Solution;
use super::spec::{Entry, Kind};
use crate::distributions::{normal_quantile, z_two_sided};

/// One row of the parameter table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub group: usize,
    pub kind: Kind,
    /// The index of the free parameter, `None` for a fixed one.
    pub free: Option<usize>,
    pub estimate: f64,
    pub standard_error: f64,
    /// z, its two-sided p, and the 95% Wald interval; `None` for a fixed parameter.
    pub test: Option<(f64, f64, f64, f64)>,
    pub std_lv: f64,
    pub std_all: f64,
}

impl Solution {
    /// The parameter table, group by group in lavaan's order.
    pub fn table(&self) -> Vec<Row> {
        let z_975 = normal_quantile(0.975);
        let mut rows = Vec::new();
        for (group, elements) in self.spec.elements.iter().enumerate() {
            let implied = &self.estimates.implied[group];
            let factor_sd = |f: usize| implied.psi[(f, f)].sqrt();
            let item_sd = |i: usize| implied.sigma[(i, i)].sqrt();
            for &(kind, entry) in elements {
                let (estimate, standard_error, free) = match entry {
                    Entry::Fixed(value) => (value, 0.0, None),
                    Entry::Free(index) => (
                        self.estimates.values[index],
                        self.covariance[(index, index)].max(0.0).sqrt(),
                        Some(index),
                    ),
                };
                let (std_lv, std_all) = match kind {
                    Kind::Loading { factor, item } => {
                        let lv = estimate * factor_sd(factor);
                        (lv, lv / item_sd(item))
                    }
                    Kind::Residual { a, b } => (estimate, estimate / (item_sd(a) * item_sd(b))),
                    Kind::FactorCovariance { a, b } => {
                        let r = estimate / (factor_sd(a) * factor_sd(b));
                        (r, r)
                    }
                    Kind::Intercept { item } => (estimate, estimate / item_sd(item)),
                    Kind::FactorMean { factor } => {
                        let lv = estimate / factor_sd(factor);
                        (lv, lv)
                    }
                };
                let test = (free.is_some() && standard_error > 0.0).then(|| {
                    let z = estimate / standard_error;
                    (
                        z,
                        z_two_sided(z),
                        estimate - z_975 * standard_error,
                        estimate + z_975 * standard_error,
                    )
                });
                rows.push(Row {
                    group,
                    kind,
                    free,
                    estimate,
                    standard_error,
                    test,
                    std_lv,
                    std_all,
                });
            }
        }
        rows
    }
}

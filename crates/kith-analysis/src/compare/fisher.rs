//! Fisher's exact test of a 2 × 2 table (R's `fisher.test`), for tables whose expected counts
//! are too small for χ²: the two-sided p-value sums the hypergeometric probabilities no
//! larger than the table's own, and the odds ratio is the conditional maximum-likelihood
//! estimate with its exact interval, from the noncentral hypergeometric distribution.

use super::CompareError;
use crate::distributions::ln_gamma;
use crate::roots::falling_root;

/// The most respondents whose table is tested exactly (the support has at most this many
/// points).
pub const MAX_FISHER_N: f64 = 1e7;

/// Fisher's exact test of a 2 × 2 table.
#[derive(Debug, Clone, PartialEq)]
pub struct FisherExact {
    pub p: f64,
    /// The conditional maximum-likelihood odds ratio (0 or ∞ at the support's ends).
    pub odds_ratio: f64,
    pub ci: [f64; 2],
}

/// The hypergeometric distribution of the top-left count given the margins.
struct Hypergeometric {
    /// The smallest count the margins allow.
    low: f64,
    /// ln P(X = low + i) under independence, up to a constant.
    log_density: Vec<f64>,
}

impl Hypergeometric {
    /// The probabilities of every count under the odds ratio `ratio`.
    fn weights(&self, ratio: f64) -> Vec<f64> {
        let ln_ratio = ratio.ln();
        let logs: Vec<f64> = self
            .log_density
            .iter()
            .enumerate()
            .map(|(i, d)| d + ln_ratio * (self.low + i as f64))
            .collect();
        let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let raw: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
        let sum: f64 = raw.iter().sum();
        raw.into_iter().map(|w| w / sum).collect()
    }

    /// E[X] under the odds ratio.
    fn mean(&self, ratio: f64) -> f64 {
        if ratio == 0.0 {
            return self.low;
        }
        if ratio.is_infinite() {
            return self.high();
        }
        self.weights(ratio)
            .iter()
            .enumerate()
            .map(|(i, w)| w * (self.low + i as f64))
            .sum()
    }

    fn high(&self) -> f64 {
        self.low + (self.log_density.len() - 1) as f64
    }

    /// P(X ≤ x) (or P(X ≥ x) when `upper`) under the odds ratio.
    fn tail(&self, x: f64, ratio: f64, upper: bool) -> f64 {
        self.weights(ratio)
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let value = self.low + *i as f64;
                if upper { value >= x } else { value <= x }
            })
            .map(|(_, w)| w)
            .sum()
    }
}

/// Solves g(ratio) = target for an odds ratio, g increasing in it: on (0, 1] directly and
/// above 1 through 1/ratio, as `fisher.test` does, so that both halves are bounded.
fn solve_ratio(g: impl Fn(f64) -> f64, target: f64) -> f64 {
    let at_one = g(1.0);
    if at_one > target {
        falling_root(|t| target - g(t), 0.0, 1.0)
    } else if at_one < target {
        1.0 / falling_root(|t| g(1.0 / t) - target, f64::EPSILON, 1.0)
    } else {
        1.0
    }
}

/// Tests the table [[a, b], [c, d]] at the interval `level`.
pub fn fisher_exact(table: [[f64; 2]; 2], level: f64) -> Result<FisherExact, CompareError> {
    for (row, counts) in table.iter().enumerate() {
        for (column, count) in counts.iter().enumerate() {
            if !(count.is_finite() && *count >= 0.0 && count.fract() == 0.0) {
                return Err(CompareError::BadCount { row, column });
            }
        }
    }
    let [[a, b], [c, d]] = table;
    let (m, n, k) = (a + c, b + d, a + b);
    for (index, total) in [(a + b, true), (c + d, true), (m, false), (n, false)]
        .iter()
        .enumerate()
    {
        if total.0 == 0.0 {
            return Err(CompareError::EmptyMargin {
                row: total.1,
                index: index % 2,
            });
        }
    }
    if m + n > MAX_FISHER_N {
        return Err(CompareError::TooLargeForExact { n: m + n });
    }
    let low = (k - n).max(0.0);
    let high = k.min(m);
    let ln_choose = |n: f64, r: f64| ln_gamma(n + 1.0) - ln_gamma(r + 1.0) - ln_gamma(n - r + 1.0);
    let distribution = Hypergeometric {
        low,
        log_density: (0..=(high - low) as usize)
            .map(|i| {
                let x = low + i as f64;
                ln_choose(m, x) + ln_choose(n, k - x)
            })
            .collect(),
    };
    let null = distribution.weights(1.0);
    let observed = null[(a - low) as usize];
    // R counts as "as extreme" every table within a relative 1e-7 of the observed one's
    // probability, so that rounding does not drop ties.
    let p: f64 = null.iter().filter(|w| **w <= observed * (1.0 + 1e-7)).sum();
    let odds_ratio = if a == low {
        0.0
    } else if a == high {
        f64::INFINITY
    } else {
        solve_ratio(|t| distribution.mean(t), a)
    };
    let alpha = (1.0 - level) / 2.0;
    let lower = if a == low {
        0.0
    } else {
        solve_ratio(|t| distribution.tail(a, t, true), alpha)
    };
    let upper = if a == high {
        f64::INFINITY
    } else {
        // P(X ≤ a) falls as the ratio grows: solve on its complement.
        solve_ratio(|t| 1.0 - distribution.tail(a, t, false), 1.0 - alpha)
    };
    Ok(FisherExact {
        p: p.min(1.0),
        odds_ratio,
        ci: [lower, upper],
    })
}

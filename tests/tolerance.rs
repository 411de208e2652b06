//! Numeric tolerances for comparing kith with R, in one place, with the reason for each, and
//! the collector of mismatches that reports them all at once.
#![allow(dead_code)]

use serde_json::Value;

/// Every statistic psych computes in closed form (alpha and its companions, item statistics,
/// lambda 2, scores, correlations): agreement to the sixth decimal, as researchers check.
pub const CLOSED_FORM: f64 = 1e-6;

/// Omega total: psych finds the minres solution with `optim`, which stops at its own
/// convergence tolerance; kith iterates to the fixed point. On the fixtures they agree to 4e-8,
/// but psych's tolerance does not promise more than about 1e-5 in general.
pub const OMEGA: f64 = 1e-4;

/// Whether `found` is within `tolerance` of `expected`; `None` (R's NA) matches only NaN.
pub fn close(found: f64, expected: Option<f64>, tolerance: f64) -> bool {
    match expected {
        None => found.is_nan(),
        Some(expected) => (found - expected).abs() <= tolerance,
    }
}

/// Bootstrap results differ from R's by Monte-Carlo error, not rounding. A percentile limit
/// estimated from B resamples has a standard error of about sqrt(p(1 − p)/B) / f(q), with the
/// density f at the limit taken from a normal with SD = the bootstrap SE. Two independent
/// bootstraps (kith's and R's) may differ by this many combined standard errors.
pub const MONTE_CARLO_SDS: f64 = 4.0;

/// The Monte-Carlo standard error of a 2.5% or 97.5% percentile limit from `resamples` draws.
pub fn percentile_mc_se(boot_se: f64, resamples: f64) -> f64 {
    // φ(1.959964) = 0.05844
    (0.025_f64 * 0.975 / resamples).sqrt() * boot_se / 0.058_44
}

/// The Monte-Carlo standard error of a bootstrap SE from `resamples` draws.
pub fn boot_se_mc_se(boot_se: f64, resamples: f64) -> f64 {
    boot_se / (2.0 * resamples).sqrt()
}

/// Collects every mismatch instead of stopping at the first, so one run shows them all.
#[derive(Debug, Default)]
pub struct Mismatches(pub Vec<String>);

impl Mismatches {
    pub fn check(&mut self, what: &str, found: f64, expected: &Value, tolerance: f64) {
        let expected = expected.as_f64();
        if !close(found, expected, tolerance) {
            self.0
                .push(format!("{what}: kith {found:.10} vs R {expected:?}"));
        }
    }

    pub fn assert_none(self, name: &str) {
        assert!(
            self.0.is_empty(),
            "{name}: {} mismatches with R:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

//! Numeric tolerances for comparing kith with R, in one place, with the reason for each.

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

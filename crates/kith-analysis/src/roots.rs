//! The root of a monotone function on an interval, by bisection: the one root finder the
//! statistics share (confidence limits found by inverting a distribution, fit indices' CIs).

/// The root of a function that falls from positive to negative on [low, high], by bisection
/// to the precision of f64 (at most 200 halvings, so it always ends).
pub(crate) fn falling_root(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
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

/// The same root by the Illinois variant of regula falsi: a handful of evaluations where
/// bisection needs sixty, for functions that are costly to evaluate (a quantile found by
/// inverting a distribution computed by quadrature). It keeps the bracket, so it ends at
/// the root even where the function is not smooth, within 100 steps; |high − low| ≤
/// 1e-13 · max(1, |root|) or an exact zero stops it.
pub(crate) fn falling_root_few_steps(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    let (mut f_low, mut f_high) = (f(low), f(high));
    if !(f_low > 0.0 && f_high < 0.0) {
        return falling_root(f, low, high);
    }
    let mut side = 0;
    for _ in 0..100 {
        let next = (low * f_high - high * f_low) / (f_high - f_low);
        let next = if next > low && next < high {
            next
        } else {
            (low + high) / 2.0
        };
        let value = f(next);
        if value == 0.0 {
            return next;
        }
        if value > 0.0 {
            low = next;
            f_low = value;
            if side == 1 {
                f_high /= 2.0;
            }
            side = 1;
        } else {
            high = next;
            f_high = value;
            if side == -1 {
                f_low /= 2.0;
            }
            side = -1;
        }
        if high - low <= 1e-13 * high.abs().max(1.0) {
            break;
        }
    }
    (low + high) / 2.0
}

#[cfg(test)]
mod tests {
    use super::{falling_root, falling_root_few_steps};

    #[test]
    fn both_root_finders_find_the_same_root() {
        let f = |x: f64| 2.0 - x * x;
        for root in [
            falling_root(f, 0.0, 4.0),
            falling_root_few_steps(f, 0.0, 4.0),
        ] {
            assert!((root - 2f64.sqrt()).abs() < 1e-12, "{root}");
        }
        let calls = std::cell::Cell::new(0);
        let counted = |x: f64| {
            calls.set(calls.get() + 1);
            (-x).exp() - 0.3
        };
        let root = falling_root_few_steps(counted, 0.0, 10.0);
        assert!((root - (1.0f64 / 0.3).ln()).abs() < 1e-12, "{root}");
        assert!(calls.get() < 30, "{} evaluations", calls.get());
    }
}

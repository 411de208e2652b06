//! The sample size that reaches a target power: the logistic regression of significance (one
//! 0/1 per computed replication) on n that Schoemann, Boulton & Short (2017) fit, solved for
//! the target, with the sizes where the fit's 95% band crosses it as the interval.

use crate::distributions::normal_quantile;
use crate::glm::{GlmFamily, glm};
use crate::linear::Design;
use crate::results::power::{PowerPoint, TargetSize};

/// The target's sample size from the points of one effect.
pub fn target_size(points: &[PowerPoint], target: f64) -> TargetSize {
    let none = |note: &str| TargetSize {
        target,
        n: None,
        ci: None,
        extrapolated: false,
        note: Some(note.to_string()),
    };
    let used: Vec<&PowerPoint> = points.iter().filter(|p| p.computed > 0).collect();
    if used.len() < 2 {
        return none("simulate at least two sample sizes to find the one that reaches the target");
    }
    let (computed, significant) = used
        .iter()
        .fold((0, 0), |(c, s), p| (c + p.computed, s + p.significant));
    if significant == computed {
        return none("the effect was significant in every replication: simulate smaller sizes");
    }
    if significant == 0 {
        return none("the effect was never significant: simulate larger sizes");
    }
    let mut n_column = Vec::with_capacity(computed);
    let mut y = Vec::with_capacity(computed);
    for point in &used {
        for k in 0..point.computed {
            n_column.push(point.n as f64);
            y.push(f64::from(u8::from(k < point.significant)));
        }
    }
    let rows = y.len();
    let design = Design::with_intercept(&[("n".to_string(), n_column)], rows);
    let Ok(fit) = glm(&design, &y, GlmFamily::Binomial, 0.95) else {
        return none("the logistic fit of significance on n did not converge");
    };
    let (b0, b1) = (fit.coefficients[0].estimate, fit.coefficients[1].estimate);
    let v = &fit.covariance;
    let goal = (target / (1.0 - target)).ln();
    // A slope indistinguishable from zero (a null effect, whose rejection rate hovers at α)
    // would put the target anywhere.
    if b1.is_nan() || b1 <= 0.0 || fit.coefficients[1].p >= 0.05 {
        return none("power does not rise clearly with n over the sizes simulated");
    }
    let n_star = (goal - b0) / b1;
    let smallest = used.iter().map(|p| p.n).min().unwrap_or(0) as f64;
    let largest = used.iter().map(|p| p.n).max().unwrap_or(0) as f64;
    // Far beyond the sizes simulated the logistic curve says nothing: a nearly flat fit would
    // put the target at absurd sizes.
    let limit = (10.0 * largest).min(super::MAX_N as f64);
    if n_star > limit {
        return none(&format!(
            "the fit reaches the target only beyond {} respondents: simulate larger sizes",
            limit as usize
        ));
    }
    // The band η(n) ± z·se(η(n)) crosses the target where
    // (b0 + b1·n − L)² = z²(v00 + 2n·v01 + n²·v11), a quadratic in n.
    let z = normal_quantile(0.975);
    let z2 = z * z;
    let d = b0 - goal;
    let qa = b1 * b1 - z2 * v[(1, 1)];
    let qb = 2.0 * (b1 * d - z2 * v[(0, 1)]);
    let qc = d * d - z2 * v[(0, 0)];
    let discriminant = qb * qb - 4.0 * qa * qc;
    let ci = (qa > 0.0 && discriminant >= 0.0)
        .then(|| {
            let root = discriminant.sqrt();
            let low = (-qb - root) / (2.0 * qa);
            let high = (-qb + root) / (2.0 * qa);
            [low.max(1.0).ceil() as usize, high.max(1.0).ceil() as usize]
        })
        .filter(|[_, high]| (*high as f64) <= limit);
    TargetSize {
        target,
        n: Some(n_star.max(1.0).ceil() as usize),
        ci,
        extrapolated: n_star < smallest || n_star > largest,
        note: ci.is_none().then(|| {
            "the fit is too uncertain for an interval: run more replications or simulate sizes around it"
                .to_string()
        }),
    }
}

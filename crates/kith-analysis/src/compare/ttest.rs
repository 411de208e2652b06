//! Two groups' means: Welch's t test (R's `t.test` default) or Student's (`var.equal =
//! TRUE`), with the interval of the difference, Cohen's d over the pooled SD and Hedges' g
//! with the exact small-sample correction, and both with their exact (noncentral t) intervals.

use super::{CompareError, mean_variance, present};
use crate::distributions::{ln_gamma, noncentral_t_cdf, t_quantile, t_two_sided};
use crate::roots::falling_root_few_steps;

/// A t test of the first group's mean against the second's.
#[derive(Debug, Clone, PartialEq)]
pub struct TTest {
    pub equal_variances: bool,
    pub n: [usize; 2],
    pub mean: [f64; 2],
    pub sd: [f64; 2],
    /// The first mean less the second.
    pub difference: f64,
    pub t: f64,
    pub df: f64,
    pub p: f64,
    /// The interval of the difference at the level asked for.
    pub ci: [f64; 2],
    /// The difference over the pooled SD, whichever test.
    pub cohens_d: f64,
    /// d times J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = n₁ + n₂ − 2.
    pub hedges_g: f64,
    /// d's exact interval: the noncentralities whose t distributions (df = n₁ + n₂ − 2) put
    /// the pooled t at their upper and lower (1 − level)/2 quantiles, times √(1/n₁ + 1/n₂).
    pub cohens_d_ci: [f64; 2],
    /// g's interval: d's times J.
    pub hedges_g_ci: [f64; 2],
}

/// The interval of Cohen's d by inverting the noncentral t (Steiger and Fouladi 1997), as
/// `effectsize::cohens_d` and MBESS compute it.
fn d_interval(d: f64, n1: f64, n2: f64, level: f64) -> [f64; 2] {
    let scale = (1.0 / n1 + 1.0 / n2).sqrt();
    let (t, df) = (d / scale, n1 + n2 - 2.0);
    let alpha = (1.0 - level) / 2.0;
    // The noncentrality lies within a few standard errors of t; the bracket is generous.
    let reach = 20.0 * (1.0 + t * t / (2.0 * df)).sqrt() + 1.0;
    let limit = |target: f64| {
        falling_root_few_steps(
            |ncp| noncentral_t_cdf(t, df, ncp) - target,
            t - reach,
            t + reach,
        ) * scale
    };
    [limit(1.0 - alpha), limit(alpha)]
}

/// Compares `a` with `b` (NaN left out) at the interval `level` (e.g. 0.95).
pub fn t_test(
    a: &[f64],
    b: &[f64],
    equal_variances: bool,
    level: f64,
) -> Result<TTest, CompareError> {
    let (a, b) = (present(a), present(b));
    for (group, values) in [&a, &b].into_iter().enumerate() {
        if values.len() < 2 {
            return Err(CompareError::TooFewValues {
                group,
                n: values.len(),
                needed: 2,
            });
        }
    }
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let ((m1, v1), (m2, v2)) = (mean_variance(&a), mean_variance(&b));
    let pooled_df = n1 + n2 - 2.0;
    let pooled = ((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / pooled_df;
    if pooled <= 0.0 {
        return Err(CompareError::NoVariance);
    }
    let (se, df) = if equal_variances {
        ((pooled * (1.0 / n1 + 1.0 / n2)).sqrt(), pooled_df)
    } else {
        let (s1, s2) = (v1 / n1, v2 / n2);
        let se2 = s1 + s2;
        (
            se2.sqrt(),
            se2 * se2 / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0)),
        )
    };
    let difference = m1 - m2;
    let t = difference / se;
    let half = t_quantile(0.5 + level / 2.0, df) * se;
    let cohens_d = difference / pooled.sqrt();
    let j = (ln_gamma(pooled_df / 2.0)
        - (pooled_df / 2.0).sqrt().ln()
        - ln_gamma((pooled_df - 1.0) / 2.0))
    .exp();
    let cohens_d_ci = d_interval(cohens_d, n1, n2, level);
    Ok(TTest {
        equal_variances,
        n: [a.len(), b.len()],
        mean: [m1, m2],
        sd: [v1.sqrt(), v2.sqrt()],
        difference,
        t,
        df,
        p: t_two_sided(t, df),
        ci: [difference - half, difference + half],
        cohens_d,
        hedges_g: cohens_d * j,
        cohens_d_ci,
        hedges_g_ci: cohens_d_ci.map(|limit| limit * j),
    })
}

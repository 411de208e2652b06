//! Two groups' means: Welch's t test (R's `t.test` default) or Student's (`var.equal =
//! TRUE`), with the interval of the difference, Cohen's d over the pooled SD and Hedges' g
//! with the exact small-sample correction.

use super::{CompareError, mean_variance, present};
use crate::distributions::{ln_gamma, t_quantile, t_two_sided};

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
    })
}

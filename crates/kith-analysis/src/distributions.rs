//! Tail probabilities and quantiles of the t, F, χ² (t and χ² also noncentral) and normal
//! distributions, and the log gamma function (statrs), in the forms the models need; the one
//! module that calls statrs, so that every test statistic gets its p-value one way.

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// The two-sided p-value of a t statistic.
pub fn t_two_sided(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(distribution) if t.is_finite() => 2.0 * distribution.sf(t.abs()),
        _ => f64::NAN,
    }
}

/// The quantile of the t distribution.
pub fn t_quantile(probability: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .map(|distribution| distribution.inverse_cdf(probability))
        .unwrap_or(f64::NAN)
}

/// The upper tail of the F distribution.
pub fn f_upper(f: f64, df1: f64, df2: f64) -> f64 {
    match FisherSnedecor::new(df1, df2) {
        Ok(distribution) if f.is_finite() => distribution.sf(f.max(0.0)),
        _ => f64::NAN,
    }
}

/// The quantile of the F distribution.
pub fn f_quantile(probability: f64, df1: f64, df2: f64) -> f64 {
    FisherSnedecor::new(df1, df2)
        .map(|distribution| distribution.inverse_cdf(probability))
        .unwrap_or(f64::NAN)
}

/// The upper tail of the χ² distribution.
pub fn chi_squared_upper(x: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(distribution) if x.is_finite() => distribution.sf(x.max(0.0)),
        _ => f64::NAN,
    }
}

/// The quantile of the χ² distribution (R's `qchisq`).
pub fn chi_squared_quantile(probability: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(distribution) if (0.0..=1.0).contains(&probability) => {
            distribution.inverse_cdf(probability)
        }
        _ => f64::NAN,
    }
}

fn standard_normal() -> Normal {
    // Mean 0 and SD 1 are always valid parameters.
    Normal::standard()
}

/// The two-sided p-value of a z statistic.
pub fn z_two_sided(z: f64) -> f64 {
    if z.is_finite() {
        2.0 * standard_normal().sf(z.abs())
    } else {
        f64::NAN
    }
}

/// The standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    standard_normal().cdf(z)
}

/// The standard normal quantile function.
pub fn normal_quantile(probability: f64) -> f64 {
    standard_normal().inverse_cdf(probability)
}

/// ln Γ(x), for the log-likelihood of counts (ln y! = ln Γ(y + 1)).
pub fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_noncentral_t_agrees_with_r() {
        // pt(2, 10, 1.5), pt(-1, 5, 0.5), pt(3.2, 58, 0.1), pt(0.5, 3, -2)
        for (t, df, ncp, r) in [
            (2.0, 10.0, 1.5, 0.659_154_072_442_026_3),
            (-1.0, 5.0, 0.5, 0.082_444_091_056_970_81),
            (3.2, 58.0, 0.1, 0.998_470_449_481_112_2),
            (0.5, 3.0, -2.0, 0.992_199_698_923_556),
        ] {
            let p = noncentral_t_cdf(t, df, ncp);
            assert!((p - r).abs() < 1e-10, "pt({t}, {df}, {ncp}) = {p}, R {r}");
        }
        assert!(
            (noncentral_t_cdf(1.3, 7.0, 0.0) - (1.0 - t_two_sided(1.3, 7.0) / 2.0)).abs() < 1e-12
        );
    }

    #[test]
    fn quantiles_and_tails_agree_with_r() {
        // qt(.975, 10), qnorm(.975), pf(3, 2, 20, lower = FALSE), pchisq(3.84, 1, lower = FALSE)
        assert!((t_quantile(0.975, 10.0) - 2.228_138_851_986_273_5).abs() < 1e-9);
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-9);
        assert!((f_upper(3.0, 2.0, 20.0) - 0.072_538_150_286_405_63).abs() < 1e-9);
        assert!((chi_squared_upper(3.84, 1.0) - 0.050_043_521_248_705_2).abs() < 1e-9);
        assert!((t_two_sided(-2.0, 5.0) - 0.101_939_478_829_858_28).abs() < 1e-9);
    }
}

/// P(X ≤ x) for a noncentral χ² with `df` degrees of freedom and noncentrality `ncp`: the
/// Poisson mixture of central χ²s with df + 2j degrees of freedom, summed outward from the
/// Poisson mode until the weights no longer count (at most 100,000 terms either way).
pub fn noncentral_chi_squared_cdf(x: f64, df: f64, ncp: f64) -> f64 {
    if !(x.is_finite() && df > 0.0 && ncp >= 0.0) {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 0.0;
    }
    let half = ncp / 2.0;
    let central = |j: f64| {
        ChiSquared::new(df + 2.0 * j)
            .map(|d| d.cdf(x))
            .unwrap_or(f64::NAN)
    };
    if half == 0.0 {
        return central(0.0);
    }
    let log_weight = |j: f64| -half + j * half.ln() - ln_gamma(j + 1.0);
    let mode = half.floor();
    let mut total = 0.0;
    for direction in [-1.0, 1.0] {
        let mut j = if direction < 0.0 { mode } else { mode + 1.0 };
        for _ in 0..100_000 {
            if j < 0.0 {
                break;
            }
            let weight = log_weight(j).exp();
            total += weight * central(j);
            if weight < 1e-17 && (j - half).abs() > half.sqrt() {
                break;
            }
            j += direction;
        }
    }
    total.clamp(0.0, 1.0)
}

/// P(T ≤ t) for a noncentral t with `df` degrees of freedom and noncentrality `delta`, as
/// R's `pt(t, df, delta)`: Lenth's (1989, AS 243) twin series of incomplete beta functions
/// (Guenther 1978) to an error bound of 1e-12 in at most 1,000 terms, and for very large df
/// or |delta| the normal approximation of Abramowitz and Stegun 26.7.10, as R does.
pub fn noncentral_t_cdf(t: f64, df: f64, delta: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || t.is_nan() || !delta.is_finite() {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t < 0.0 { 0.0 } else { 1.0 };
    }
    // The series is for t ≥ 0; P(T ≤ −t; δ) = 1 − P(T ≤ t; −δ).
    let (t, delta, reflected) = if t >= 0.0 {
        (t, delta, false)
    } else {
        (-t, -delta, true)
    };
    let lower = if df > 4e5 || delta * delta > 2.0 * std::f64::consts::LN_2 * 1021.0 {
        let s = 1.0 / (4.0 * df);
        normal_cdf((t * (1.0 - s) - delta) / (1.0 + t * t * 2.0 * s).sqrt())
    } else {
        twin_series(t, df, delta) + normal_cdf(-delta)
    };
    let lower = lower.clamp(0.0, 1.0);
    if reflected { 1.0 - lower } else { lower }
}

/// The sum over j of the Poisson-weighted incomplete beta terms of P(0 < T ≤ t; δ), t ≥ 0.
fn twin_series(t: f64, df: f64, delta: f64) -> f64 {
    let x = t * t / (t * t + df);
    if x <= 0.0 {
        return 0.0;
    }
    let lambda = delta * delta;
    let mut p = 0.5 * (-0.5 * lambda).exp();
    if p == 0.0 {
        return 0.0;
    }
    let mut q = (2.0 / std::f64::consts::PI).sqrt() * p * delta;
    let mut s = 0.5 - p;
    let mut a = 0.5;
    let b = 0.5 * df;
    let rxb = (1.0 - x).powf(b);
    let log_beta = 0.5 * std::f64::consts::PI.ln() + ln_gamma(b) - ln_gamma(0.5 + b);
    let mut x_odd = statrs::function::beta::checked_beta_reg(a, b, x).unwrap_or(f64::NAN);
    let mut g_odd = 2.0 * rxb * (a * x.ln() - log_beta).exp();
    let bx = b * x;
    let mut x_even = if bx < f64::EPSILON { bx } else { 1.0 - rxb };
    let mut g_even = bx * rxb;
    let mut total = p * x_odd + q * x_even;
    for j in 1..=1000 {
        let j = f64::from(j);
        a += 1.0;
        x_odd -= g_odd;
        x_even -= g_even;
        g_odd *= x * (a + b - 1.0) / a;
        g_even *= x * (a + b - 0.5) / (a + 0.5);
        p *= lambda / (2.0 * j);
        q *= lambda / (2.0 * j + 1.0);
        total += p * x_odd + q * x_even;
        s -= p;
        if s <= 0.0 || 2.0 * s * (x_odd - g_odd) < 1e-12 {
            break;
        }
    }
    total
}

#[cfg(test)]
mod noncentral_tests {
    use super::noncentral_chi_squared_cdf;

    #[test]
    fn the_noncentral_chi_squared_cdf_matches_r() {
        // pchisq(x, df, ncp) in R 4.2.2.
        let cases = [
            (10.0, 5.0, 3.0, 0.717_236_846_431_143_4),
            (3.0, 2.0, 0.5, 0.695_906_030_043_513_9),
            (50.0, 30.0, 20.0, 0.528_965_175_767_833_3),
            (4000.0, 265.0, 3500.0, 0.973_037_019_871_380_6),
        ];
        for (x, df, ncp, r) in cases {
            let kith = noncentral_chi_squared_cdf(x, df, ncp);
            assert!(
                (kith - r).abs() < 1e-12,
                "pchisq({x}, {df}, {ncp}): {kith} vs {r}"
            );
        }
        assert_eq!(noncentral_chi_squared_cdf(0.0, 3.0, 1.0), 0.0);
        assert!(noncentral_chi_squared_cdf(f64::NAN, 3.0, 1.0).is_nan());
    }
}

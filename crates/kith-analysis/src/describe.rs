//! Descriptive statistics as `psych::describe` defines them (skew and kurtosis of type 3), and
//! correlation tests as `cor.test` computes them, with Holm or Benjamini–Hochberg adjustment
//! as `p.adjust` does it.

use crate::distributions::{normal_quantile, t_two_sided};

/// The descriptive statistics of one variable's present values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Description {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// psych's type 3 skew: Σ(x − x̄)³ / (n · sd³), sd with divisor n − 1.
    pub skew: f64,
    /// psych's type 3 excess kurtosis: Σ(x − x̄)⁴ / (n · var²) − 3.
    pub kurtosis: f64,
    pub se: f64,
}

/// Describes the present (non-NaN) values; None when there are none.
pub fn describe(values: &[f64]) -> Option<Description> {
    let mut present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = present.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mean = present.iter().sum::<f64>() / nf;
    let (m2, m3, m4) = present.iter().fold((0.0, 0.0, 0.0), |(a, b, c), v| {
        let d = v - mean;
        (a + d * d, b + d * d * d, c + d * d * d * d)
    });
    let variance = m2 / (nf - 1.0);
    let sd = variance.sqrt();
    present.sort_by(f64::total_cmp);
    let median = if n % 2 == 1 {
        present[n / 2]
    } else {
        (present[n / 2 - 1] + present[n / 2]) / 2.0
    };
    Some(Description {
        n,
        mean,
        sd,
        median,
        min: present[0],
        max: present[n - 1],
        skew: m3 / (nf * sd.powi(3)),
        kurtosis: m4 / (nf * variance * variance) - 3.0,
        se: sd / nf.sqrt(),
    })
}

/// The correlation coefficient to compute.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationMethod {
    #[default]
    Pearson,
    /// Pearson's r of the ranks (ties get their average rank).
    Spearman,
}

/// A correlation with its test and Fisher-z interval.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationTest {
    pub r: f64,
    pub n: usize,
    pub t: f64,
    pub df: usize,
    pub p: f64,
    pub ci: [f64; 2],
}

/// Average ranks (1-based), as R's `rank(ties.method = "average")`.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let average = (start + end + 1) as f64 / 2.0;
        for &index in &order[start..end] {
            out[index] = average;
        }
        start = end;
    }
    out
}

/// Pearson's r of two complete vectors.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Tests a correlation of two complete vectors: t with n − 2 df (as `cor.test`; for Spearman
/// this is the t approximation R uses with ties or when `exact = FALSE`) and a Fisher-z
/// interval at `level`. None when either vector has no variance or n < 4.
pub fn correlation_test(
    x: &[f64],
    y: &[f64],
    method: CorrelationMethod,
    level: f64,
) -> Option<CorrelationTest> {
    let n = x.len();
    if n < 4 {
        return None;
    }
    let r = match method {
        CorrelationMethod::Pearson => pearson(x, y),
        CorrelationMethod::Spearman => pearson(&ranks(x), &ranks(y)),
    };
    if !r.is_finite() {
        return None;
    }
    let df = n - 2;
    let t = r * (df as f64 / (1.0 - r * r)).sqrt();
    let z = r.atanh();
    let half = normal_quantile(0.5 + level / 2.0) / ((n - 3) as f64).sqrt();
    Some(CorrelationTest {
        r,
        n,
        t,
        df,
        p: t_two_sided(t, df as f64),
        ci: [(z - half).tanh(), (z + half).tanh()],
    })
}

/// How to adjust p-values for the number of tests.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    #[default]
    None,
    Holm,
    /// Benjamini and Hochberg's false discovery rate (`bh` in plans and results, "BH" in R).
    #[serde(rename = "bh")]
    BenjaminiHochberg,
}

/// Which cases a table of correlations uses.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Deletion {
    /// Cases complete on every variable of the analysis.
    #[default]
    Listwise,
    /// Each pair of variables uses the cases where both are present.
    Pairwise,
}

/// Adjusts p-values as R's `p.adjust` does (NaN p-values are left out of the count).
pub fn adjust(p: &[f64], method: Adjustment) -> Vec<f64> {
    let present: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    let m = present.len();
    let mut out = p.to_vec();
    if m == 0 || method == Adjustment::None {
        return out;
    }
    let mut order = present.clone();
    match method {
        Adjustment::None => {}
        Adjustment::Holm => {
            order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
            let mut running: f64 = 0.0;
            for (rank, &index) in order.iter().enumerate() {
                running = running.max(((m - rank) as f64 * p[index]).min(1.0));
                out[index] = running;
            }
        }
        Adjustment::BenjaminiHochberg => {
            order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
            let mut running: f64 = 1.0;
            for (position, &index) in order.iter().enumerate() {
                let rank = m - position;
                running = running.min(m as f64 / rank as f64 * p[index]);
                out[index] = running.min(1.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn adjustments_match_p_adjust() {
        // p.adjust(c(.01, .04, .03, .20), "holm") and "BH"
        let p = [0.01, 0.04, 0.03, 0.20];
        let holm = adjust(&p, Adjustment::Holm);
        let bh = adjust(&p, Adjustment::BenjaminiHochberg);
        for (got, want) in holm.iter().zip([0.04, 0.09, 0.09, 0.20]) {
            assert!((got - want).abs() < 1e-12, "{holm:?}");
        }
        for (got, want) in bh
            .iter()
            .zip([0.04, 0.0533333333333333, 0.0533333333333333, 0.20])
        {
            assert!((got - want).abs() < 1e-12, "{bh:?}");
        }
    }

    #[test]
    fn adjusted_p_values_are_never_smaller() {
        let p = [0.5, 0.001, 0.2, 0.049, 0.9];
        for method in [Adjustment::Holm, Adjustment::BenjaminiHochberg] {
            for (adjusted, raw) in adjust(&p, method).iter().zip(p) {
                assert!(*adjusted >= raw && *adjusted <= 1.0);
            }
        }
    }
}

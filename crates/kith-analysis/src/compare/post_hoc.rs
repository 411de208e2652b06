//! Post-hoc comparisons of every pair of groups after a one-way ANOVA: Tukey's HSD (R's
//! `TukeyHSD` on `aov`), assuming equal variances, and Games–Howell, which does not: each
//! pair's Welch standard error and degrees of freedom, referred to the studentized range.
//! Both adjust p-values and intervals for the k(k − 1)/2 comparisons.

use super::studentized_range::StudentizedRange;
use super::{CompareError, group_stats};
use serde::{Deserialize, Serialize};

/// The most groups whose pairs are compared (190 pairs).
pub const MAX_POST_HOC_GROUPS: usize = 20;

/// Which post-hoc method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PostHocMethod {
    Tukey,
    GamesHowell,
}

/// One pair: group `second` against group `first` (first < second, in the groups' order, as
/// R's rows `second-first`).
#[derive(Debug, Clone, PartialEq)]
pub struct PairComparison {
    pub first: usize,
    pub second: usize,
    /// The second group's mean less the first's.
    pub difference: f64,
    pub se: f64,
    pub df: f64,
    /// The studentized range statistic |difference| / SE · √2 (Tukey: / sqrt(MSE/2 · (1/nᵢ +
    /// 1/nⱼ))).
    pub q: f64,
    pub p_adjusted: f64,
    pub ci: [f64; 2],
}

/// Every pair of `groups` (NaN left out) by `method`, intervals at `level`.
pub fn post_hoc(
    groups: &[&[f64]],
    method: PostHocMethod,
    level: f64,
) -> Result<Vec<PairComparison>, CompareError> {
    let (groups, stats) = group_stats(groups, MAX_POST_HOC_GROUPS)?;
    let k = groups.len();
    let total: f64 = stats.iter().map(|(n, _, _)| n).sum();
    let df_within = total - k as f64;
    let mse = stats.iter().map(|(n, _, v)| (n - 1.0) * v).sum::<f64>() / df_within;
    if mse <= 0.0 || (method == PostHocMethod::GamesHowell && stats.iter().any(|s| s.2 <= 0.0)) {
        return Err(CompareError::NoVariance);
    }
    let tukey = match method {
        PostHocMethod::Tukey => StudentizedRange::new(k, df_within),
        PostHocMethod::GamesHowell => None,
    };
    let tukey_q = tukey.as_ref().map(|d| d.quantile(level));
    let mut pairs = Vec::with_capacity(k * (k - 1) / 2);
    for first in 0..k {
        for second in first + 1..k {
            let (n1, m1, v1) = stats[first];
            let (n2, m2, v2) = stats[second];
            let difference = m2 - m1;
            let (se, df, q, p, critical) = match (&tukey, tukey_q) {
                (Some(range), Some(critical)) => {
                    // TukeyHSD's scale: sqrt(MSE/2 · (1/nᵢ + 1/nⱼ)), so q is on the range's.
                    let half = (mse / 2.0 * (1.0 / n1 + 1.0 / n2)).sqrt();
                    let q = difference.abs() / half;
                    (
                        half * std::f64::consts::SQRT_2,
                        df_within,
                        q,
                        range.upper(q),
                        critical * half,
                    )
                }
                _ => {
                    let (s1, s2) = (v1 / n1, v2 / n2);
                    let se = (s1 + s2).sqrt();
                    let df = (s1 + s2).powi(2) / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
                    // The studentized range needs df ≥ 2, which two tiny groups may not give.
                    let range = StudentizedRange::new(k, df).ok_or(CompareError::TooFewValues {
                        group: if n1 <= n2 { first } else { second },
                        n: n1.min(n2) as usize,
                        needed: 3,
                    })?;
                    let q = difference.abs() / se * std::f64::consts::SQRT_2;
                    let critical = range.quantile(level) / std::f64::consts::SQRT_2 * se;
                    (se, df, q, range.upper(q), critical)
                }
            };
            pairs.push(PairComparison {
                first,
                second,
                difference,
                se,
                df,
                q,
                p_adjusted: p,
                ci: [difference - critical, difference + critical],
            });
        }
    }
    Ok(pairs)
}

//! Several groups' means: the one-way ANOVA (R's `aov`) with η² and ω², and Welch's ANOVA
//! (`oneway.test`, not assuming equal variances).

use super::{CompareError, MAX_GROUPS, group_stats};
use crate::distributions::f_upper;

/// A one-way ANOVA and Welch's, over groups in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct OneWay {
    pub n: Vec<usize>,
    pub means: Vec<f64>,
    pub f: f64,
    /// Between and within groups.
    pub df: [f64; 2],
    pub p: f64,
    pub ss_between: f64,
    pub ss_within: f64,
    /// SS between over SS total.
    pub eta_squared: f64,
    /// (SS between − df between · MS within) / (SS total + MS within).
    pub omega_squared: f64,
    pub welch_f: f64,
    pub welch_df: [f64; 2],
    pub welch_p: f64,
}

/// Compares the means of `groups` (NaN left out).
pub fn one_way(groups: &[&[f64]]) -> Result<OneWay, CompareError> {
    // Welch's ANOVA needs each group's variance.
    let (groups, stats) = group_stats(groups, MAX_GROUPS)?;
    let k = groups.len() as f64;
    let total: f64 = stats.iter().map(|(n, _, _)| n).sum();
    let grand = stats.iter().map(|(n, m, _)| n * m).sum::<f64>() / total;
    let ss_between: f64 = stats.iter().map(|(n, m, _)| n * (m - grand).powi(2)).sum();
    let ss_within: f64 = groups
        .iter()
        .zip(&stats)
        .map(|(g, (_, m, _))| g.iter().map(|v| (v - m).powi(2)).sum::<f64>())
        .sum();
    if ss_within <= 0.0 || stats.iter().any(|(_, _, v)| *v <= 0.0) {
        return Err(CompareError::NoVariance);
    }
    let (df_between, df_within) = (k - 1.0, total - k);
    let ms_within = ss_within / df_within;
    let f = ss_between / df_between / ms_within;
    // oneway.test: weights n / s², the weighted grand mean, and Welch's correction.
    let weights: Vec<f64> = stats.iter().map(|(n, _, v)| n / v).collect();
    let sum_w: f64 = weights.iter().sum();
    let weighted_mean = weights
        .iter()
        .zip(&stats)
        .map(|(w, (_, m, _))| w * m)
        .sum::<f64>()
        / sum_w;
    let tmp = weights
        .iter()
        .zip(&stats)
        .map(|(w, (n, _, _))| (1.0 - w / sum_w).powi(2) / (n - 1.0))
        .sum::<f64>()
        / (k * k - 1.0);
    let welch_f = weights
        .iter()
        .zip(&stats)
        .map(|(w, (_, m, _))| w * (m - weighted_mean).powi(2))
        .sum::<f64>()
        / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * tmp));
    let welch_df = [k - 1.0, 1.0 / (3.0 * tmp)];
    Ok(OneWay {
        n: groups.iter().map(Vec::len).collect(),
        means: stats.iter().map(|(_, m, _)| *m).collect(),
        f,
        df: [df_between, df_within],
        p: f_upper(f, df_between, df_within),
        ss_between,
        ss_within,
        eta_squared: ss_between / (ss_between + ss_within),
        omega_squared: (ss_between - df_between * ms_within) / (ss_between + ss_within + ms_within),
        welch_f,
        welch_df,
        welch_p: f_upper(welch_f, welch_df[0], welch_df[1]),
    })
}

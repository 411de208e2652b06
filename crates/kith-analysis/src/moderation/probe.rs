//! The values of a continuous moderator at which PROCESS probes the effect of X: by default
//! the 16th, 50th and 84th percentiles (PROCESS 3 and later; its percentile is R's
//! `quantile(type = 6)`), else the mean and one SD either side, or values given; a moderator
//! with two values is probed at both.

use serde::{Deserialize, Serialize};

/// How the moderator's probe values are chosen.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    #[default]
    Percentiles,
    /// The mean and one SD either side (PROCESS `moments = 1`).
    MeanSd,
    /// Values given in the plan (PROCESS `wmodval`).
    Values(Vec<f64>),
}

/// The percentile `q` of `values` as PROCESS and R's `quantile(type = 6)` compute it: the
/// sorted values interpolated at position q(n + 1), clamped to the smallest and largest.
pub fn type6_percentile(values: &[f64], q: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let position = q * (n as f64 + 1.0);
    if position <= 1.0 {
        return sorted[0];
    }
    if position >= n as f64 {
        return sorted[n - 1];
    }
    let low = position.floor() as usize;
    let fraction = position - low as f64;
    sorted[low - 1] + fraction * (sorted[low] - sorted[low - 1])
}

impl Probe {
    /// The probe values for the moderator's `values`.
    pub fn values(&self, values: &[f64]) -> Vec<f64> {
        let mut distinct: Vec<f64> = values.to_vec();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        if distinct.len() == 2 && !matches!(self, Probe::Values(_)) {
            return distinct;
        }
        match self {
            Probe::Percentiles => [0.16, 0.5, 0.84]
                .iter()
                .map(|q| type6_percentile(values, *q))
                .collect(),
            Probe::MeanSd => {
                let n = values.len() as f64;
                let mean = values.iter().sum::<f64>() / n;
                let sd =
                    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                vec![mean - sd, mean, mean + sd]
            }
            Probe::Values(given) => given.clone(),
        }
    }
}

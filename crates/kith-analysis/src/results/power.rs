//! The results of a power analysis (`power.json`): for every effect the plan tests, how often
//! it was significant at each sample size, and the sample size that reaches a target power.
//! Field names are documented in docs/power.md and kept stable.

use serde::{Deserialize, Serialize};

/// How the intervals of indirect effects were computed in each simulated data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerInterval {
    /// Draws from the estimates' sampling distribution (Schoemann, Boulton & Short 2017).
    MonteCarlo,
    /// The plan's own bootstrap.
    Bootstrap,
}

/// What kind of test an effect is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    Correlation,
    Comparison,
    Coefficient,
    /// A model's overall test: the F test of R² (OLS) or the likelihood-ratio χ² (GLM).
    ModelTest,
    Indirect,
    TotalIndirect,
    Interaction,
    IndexOfModeratedMediation,
}

/// A power analysis of a plan under a population model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PowerResults {
    pub kith_version: String,
    pub plan: String,
    pub title: Option<String>,
    /// The population model's file, or `default` for the model `kith simulate` uses.
    pub model: String,
    pub sizes: Vec<usize>,
    /// Replications asked for at each size.
    pub replications: usize,
    pub seed: u64,
    /// The confidence level of the plan: an effect is significant when p < 1 − level or its
    /// interval excludes zero.
    pub level: f64,
    pub interval: PowerInterval,
    /// Monte Carlo draws per interval (with `monte_carlo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draws: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Whether the run was stopped before every replication was done.
    pub stopped: bool,
    /// The analyses run on each simulated data set (their keys in the plan).
    pub analyses: Vec<AnalysisRuns>,
    pub effects: Vec<EffectPower>,
}

/// How often one analysis could be computed at each size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysisRuns {
    /// The plan's key, e.g. `mediation[0]`.
    pub analysis: String,
    pub description: String,
    pub points: Vec<RunsPoint>,
    /// The most frequent reason it was not computed, with its count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunsPoint {
    pub n: usize,
    pub replications: usize,
    pub not_computed: usize,
}

/// One tested effect's power across the sizes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EffectPower {
    /// The analysis's key and the effect within it, e.g. `models[0]: enjoyment_motive`.
    pub key: String,
    pub analysis: String,
    pub kind: EffectKind,
    /// A control's coefficient: counted, but not drawn among the power curves.
    #[serde(default)]
    pub control: bool,
    /// The effect in words, e.g. `the indirect effect of internal_networking through
    /// embeddedness on turnover_intentions`.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub points: Vec<PowerPoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetSize>,
}

/// Power at one sample size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerPoint {
    pub n: usize,
    /// Replications done at this size.
    pub replications: usize,
    /// Replications in which the effect was estimated.
    pub computed: usize,
    pub significant: usize,
    /// significant / computed (null when none was computed).
    pub power: Option<f64>,
    /// The Monte Carlo standard error √(p(1 − p)/computed).
    pub mc_se: Option<f64>,
    /// Wilson's 95% interval for the power.
    pub ci: Option<[f64; 2]>,
    /// The mean estimate over the replications that computed it.
    pub mean_estimate: Option<f64>,
}

/// The smallest sample size reaching the target power, from the logistic regression of
/// significance (0/1, every computed replication) on n.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSize {
    pub target: f64,
    /// The n at which the fitted power reaches the target (rounded up), when the fit rises.
    pub n: Option<usize>,
    /// Where the fitted power's 95% band crosses the target: the n this many replications
    /// cannot tell apart from `n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<[usize; 2]>,
    /// Whether `n` lies outside the sizes simulated (the fit is extrapolated there).
    pub extrapolated: bool,
    /// Why no n is given, when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

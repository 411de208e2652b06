//! Results of analyses with a multicategorical X (a factor with g levels, coded as g − 1
//! indicators against its reference level): mediation (PROCESS model 4 with `mcx`) and
//! moderation (PROCESS model 1 with `mcx`). Every effect of X is relative to the reference level.

use super::{
    BootSummary, CoefficientResult, ConditionalEffectResult, InteractionResult, IntervalMethod,
    PathResult, PredictedPoint,
};
use serde::{Deserialize, Serialize};

/// The omnibus test of X: all its indicators at once.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OmnibusResult {
    /// The R² change of adding X's indicators (absent where it is not the test: a Wald test
    /// with HC3 errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r2_change: Option<f64>,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// A mediation whose X is a factor. Indexing: `a[mediator][level]`, `indirect[level][mediator]`,
/// and `[level]` for the relative total and direct effects; `levels` are the non-reference
/// levels in that order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MulticategoricalMediationResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub x: String,
    pub reference_level: String,
    pub levels: Vec<String>,
    pub m: Vec<String>,
    pub y: String,
    pub covariates: Vec<String>,
    /// The reference level of each factor among the covariates.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub reference_levels: std::collections::BTreeMap<String, String>,
    pub n: usize,
    pub n_missing: usize,
    /// Each level → each mediator.
    pub a: Vec<Vec<PathResult>>,
    /// X's omnibus test on each mediator.
    pub a_omnibus: Vec<OmnibusResult>,
    /// Each mediator → Y.
    pub b: Vec<PathResult>,
    /// The relative total effects and X's omnibus test on Y.
    pub total: Vec<PathResult>,
    pub total_omnibus: OmnibusResult,
    /// The relative direct effects and X's omnibus test on Y controlling the mediators.
    pub direct: Vec<PathResult>,
    pub direct_omnibus: OmnibusResult,
    /// The relative indirect effects, a·b, with their bootstrap SEs and intervals.
    pub indirect: Vec<Vec<BootSummary>>,
    /// Each level's indirect effects summed over the mediators.
    pub total_indirect: Vec<BootSummary>,
    /// The same divided by SD(Y).
    pub partially_standardized: Vec<Vec<BootSummary>>,
    pub partially_standardized_total: Vec<BootSummary>,
    pub ci_method: IntervalMethod,
    pub level: f64,
    pub resamples: usize,
    pub failed_resamples: usize,
    pub seed: u64,
}

/// X's effects at one probe value of the moderator.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorProbeResult {
    /// The moderator's value, in its own units.
    pub w: f64,
    /// Each non-reference level's relative conditional effect (`level` names the level).
    pub effects: Vec<ConditionalEffectResult>,
    /// Are the g conditional means equal at this value of W?
    pub omnibus: OmnibusResult,
}

/// A moderation whose X is a factor; W is numeric (continuous or two-valued).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MulticategoricalModerationResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub x: String,
    pub reference_level: String,
    pub levels: Vec<String>,
    pub w: String,
    pub y: String,
    pub covariates: Vec<String>,
    /// "continuous" or "two-valued".
    pub moderator: String,
    pub n: usize,
    pub n_missing: usize,
    pub robust: bool,
    /// Whether W was mean-centred before forming the products (X's indicators never are).
    pub centered: bool,
    pub w_center: f64,
    /// The terms: X's indicators, W, the products, the covariates.
    pub coefficients: Vec<CoefficientResult>,
    pub r2: f64,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
    /// The test of the g − 1 products together.
    pub interaction: InteractionResult,
    /// "percentiles", "mean-sd", "values" or "both-values".
    pub probe: String,
    pub probes: Vec<FactorProbeResult>,
    pub w_range: [f64; 2],
    /// The interaction plot: for each level of X (the reference first) the predicted Y across
    /// W (`x` of each point is W's value), covariates at their means, with confidence bands.
    pub predicted: Vec<Vec<PredictedPoint>>,
}

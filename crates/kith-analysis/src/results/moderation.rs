//! The results of a plan's moderation models (`moderation:`, PROCESS model 1), as
//! results.json holds them.

use super::CoefficientResult;
use serde::{Deserialize, Serialize};

/// One moderation model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModerationResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub x: String,
    pub w: String,
    pub y: String,
    pub covariates: Vec<String>,
    /// `continuous`, `two-valued` or `factor`.
    pub moderator: String,
    /// A factor moderator's reference level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_level: Option<String>,
    pub n: usize,
    pub n_missing: usize,
    pub robust: bool,
    /// Whether X and W were mean-centred before forming their product, and by how much.
    pub centered: bool,
    pub x_center: f64,
    pub w_center: f64,
    pub coefficients: Vec<CoefficientResult>,
    pub r2: f64,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
    pub interaction: InteractionResult,
    /// The rule the probe values follow: `percentiles`, `mean-sd`, `values`, `both-values`
    /// or `levels`.
    pub probe: String,
    pub conditional_effects: Vec<ConditionalEffectResult>,
    /// A continuous moderator: the Johnson–Neyman points within its range (possibly none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub johnson_neyman: Option<JohnsonNeymanResult>,
    /// The moderator's observed range (a numeric moderator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w_range: Option<[f64; 2]>,
    /// X's mean and SD, for the interaction plot's lines.
    pub x_mean: f64,
    pub x_sd: f64,
    /// The predicted Y from X's mean − 1 SD to its mean + 1 SD for each probe value
    /// (covariates at their means), with its confidence interval: one line of points per
    /// conditional effect.
    pub predicted: Vec<Vec<PredictedPoint>>,
}

/// A point of the interaction plot: the predicted Y at one X and its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PredictedPoint {
    pub x: f64,
    pub fit: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The test of the interaction: ΔR² of the product term(s) and its F.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InteractionResult {
    pub delta_r2: f64,
    pub f: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// The effect of X at one value or level of the moderator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalEffectResult {
    /// The moderator's value in its own units (null for a level).
    pub w: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub effect: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
    pub ci: [f64; 2],
}

/// The Johnson–Neyman technique's points and the table of conditional effects across the
/// moderator's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JohnsonNeymanResult {
    pub points: Vec<JohnsonNeymanPointResult>,
    pub table: Vec<ConditionalEffectResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JohnsonNeymanPointResult {
    pub w: f64,
    /// Percent of the cases below and above the point.
    pub below: f64,
    pub above: f64,
}

/// A moderated mediation (PROCESS model 7 or 14).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModeratedMediationResult {
    pub name: Option<String>,
    pub question: Option<String>,
    /// 7 or 14.
    pub model: u8,
    pub x: String,
    pub m: Vec<String>,
    pub w: String,
    pub y: String,
    pub covariates: Vec<String>,
    pub n: usize,
    pub n_missing: usize,
    pub resamples: usize,
    pub seed: u64,
    pub ci_method: super::IntervalMethod,
    pub level: f64,
    /// Each mediator's model, then Y's: their coefficients.
    pub mediator_models: Vec<Vec<CoefficientResult>>,
    pub y_model: Vec<CoefficientResult>,
    /// `percentiles`, `mean-sd`, `values` or `both-values`.
    pub probe: String,
    pub probe_values: Vec<f64>,
    /// One per mediator.
    pub mediators: Vec<ModeratedPath>,
    pub failed_resamples: usize,
}

/// One mediator's index of moderated mediation and conditional indirect effects.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModeratedPath {
    pub mediator: String,
    pub index: super::BootSummary,
    /// At each probe value, in `probe_values`' order.
    pub conditional: Vec<super::BootSummary>,
}

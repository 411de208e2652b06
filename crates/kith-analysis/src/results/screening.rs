//! The results of a plan's screening: the participant flow, the exclusions by rule and who
//! was excluded, and a summary of every index.

use super::Distribution;
use serde::{Deserialize, Serialize};

/// A plan's screening, as results.json holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningResult {
    /// The respondents read, before the exclusions.
    pub n_screened: usize,
    /// The respondents every analysis used.
    pub n_analysed: usize,
    /// From the rows of the file to the respondents analysed.
    pub flow: Vec<FlowStep>,
    /// Each exclusion rule in the plan's order.
    pub rules: Vec<ExclusionRule>,
    /// Every excluded respondent with the rules that held for them.
    pub excluded: Vec<ExcludedRespondent>,
    /// Each index over the respondents screened.
    pub indices: Vec<IndexSummary>,
    /// The .99 quantile of χ² with as many degrees of freedom as items.
    pub mahalanobis_cutoff: Option<f64>,
    /// The indices that could not be computed, and why.
    pub not_computed: Vec<IndexNotComputed>,
    /// The histograms of the main indices, each with its cut-off (absent in results written
    /// before kith drew them).
    #[serde(default)]
    pub histograms: Vec<IndexHistogram>,
}

/// The distribution of one of the main indices over the respondents screened, with the
/// cut-off the report draws on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexHistogram {
    pub index: String,
    pub distribution: Distribution,
    pub cutoff: Option<IndexCutoff>,
}

/// Where an index flags a respondent: the plan's rule on it when it has one, otherwise the
/// default flag `kith screen` uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexCutoff {
    pub value: f64,
    /// The comparison that flags: `>=`, `>`, `<=` or `<`.
    pub flags: String,
    /// The plan's rule, or `default flag`.
    pub source: String,
    /// How many respondents screened the cut-off flags.
    pub flagged: usize,
}

/// One box of the participant flow: how many were left, and why the others left before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowStep {
    pub label: String,
    pub n: usize,
    /// The reasons respondents left between the previous box and this one, with counts.
    pub left: Vec<FlowReason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowReason {
    pub reason: String,
    pub n: usize,
}

/// An exclusion rule: for how many it holds, and how many it excluded that no earlier rule
/// had (the counts of the flow add up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExclusionRule {
    pub rule: String,
    pub holds_for: usize,
    pub excluded: usize,
    /// The indices the rule names that could not be computed: for them it holds for no one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_computed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRespondent {
    pub respondent_id: String,
    pub rules: Vec<String>,
}

/// The distribution of one index over the respondents who have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSummary {
    pub index: String,
    pub n: usize,
    pub mean: f64,
    /// Null with one value.
    pub sd: Option<f64>,
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexNotComputed {
    pub index: String,
    pub reason: String,
    pub hint: String,
}

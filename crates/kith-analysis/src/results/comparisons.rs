//! The results of a plan's group comparisons (`comparisons:`): each group's descriptives and
//! the tests between them, as results.json holds them.

use crate::compare::PostHocMethod;
use serde::{Deserialize, Serialize};

/// One comparison of groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub outcome: String,
    pub group: String,
    /// The group's levels in the order of every list below.
    pub levels: Vec<String>,
    /// Cases with both the outcome and the group.
    pub n: usize,
    /// Cases left out for a missing outcome or group.
    pub n_missing: usize,
    /// A numeric outcome: each group's descriptives, and the tests of their means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub means: Option<MeansComparison>,
    /// A categorical outcome: the table of counts and its tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<CountsComparison>,
}

/// A group's values: n, mean, SD, the mean's SE and its t interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub level: String,
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub ci: [f64; 2],
}

/// The tests of a numeric outcome's group means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeansComparison {
    pub groups: Vec<GroupSummary>,
    /// Two groups: the t test of the first level's mean against the second's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t_test: Option<TTestResult>,
    /// Three or more groups: the one-way ANOVA and Welch's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anova: Option<AnovaResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_hoc_method: Option<PostHocMethod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub post_hoc: Vec<PairResult>,
    /// With `ranks: true`: Mann–Whitney or Kruskal–Wallis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_test: Option<RankTestResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TTestResult {
    /// `welch` or `student`.
    pub test: String,
    /// The first level's mean less the second's.
    pub difference: f64,
    pub ci: [f64; 2],
    pub t: f64,
    pub df: f64,
    pub p: f64,
    pub cohens_d: f64,
    pub cohens_d_ci: [f64; 2],
    pub hedges_g: f64,
    pub hedges_g_ci: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnovaResult {
    pub f: f64,
    pub df: [f64; 2],
    pub p: f64,
    pub eta_squared: f64,
    pub omega_squared: f64,
    pub welch_f: f64,
    pub welch_df: [f64; 2],
    pub welch_p: f64,
    /// Whether the report leads with the classical ANOVA (`equal_variances: true`) or
    /// Welch's.
    pub equal_variances: bool,
}

/// One pair of groups: `second` less `first` (indices into `levels`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairResult {
    pub first: usize,
    pub second: usize,
    pub difference: f64,
    pub se: f64,
    pub df: f64,
    pub q: f64,
    pub p_adjusted: f64,
    pub ci: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankTestResult {
    /// `mann-whitney` or `kruskal-wallis`.
    pub test: String,
    /// W (Mann–Whitney) or H (Kruskal–Wallis).
    pub statistic: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    pub p: f64,
    /// Whether Mann–Whitney's p is exact.
    #[serde(default)]
    pub exact: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_biserial: Option<f64>,
}

/// A categorical outcome's table against the groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountsComparison {
    /// The outcome's levels: the table's columns.
    pub categories: Vec<String>,
    /// One row per group level, one count per category.
    pub counts: Vec<Vec<f64>>,
    pub chi_squared: f64,
    pub df: f64,
    pub p: f64,
    /// Whether Yates's continuity correction was applied (2 × 2 tables, as R).
    pub corrected: bool,
    pub cramers_v: f64,
    /// The smallest expected count: below 5, χ²'s p-value is doubtful.
    pub min_expected: f64,
    /// 2 × 2 tables: Fisher's exact test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fisher: Option<FisherResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FisherResult {
    pub p: f64,
    pub odds_ratio: f64,
    pub ci: [f64; 2],
}

//! The tables of results: descriptives, correlations, models, mediation and importance.

use super::{
    Adjustment, CorrelationMethod, Deletion, Description, Family, ImportanceMethod, IntervalMethod,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DescriptiveRow {
    pub variable: String,
    pub label: Option<String>,
    #[serde(flatten)]
    pub statistics: Description,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrelationTable {
    pub name: Option<String>,
    pub method: CorrelationMethod,
    pub adjust: Adjustment,
    pub missing: Deletion,
    pub variables: Vec<String>,
    /// Cases used (listwise); for pairwise, see each pair's n.
    pub n: usize,
    pub pairs: Vec<CorrelationPair>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorrelationPair {
    pub x: String,
    pub y: String,
    pub r: f64,
    pub n: usize,
    pub t: f64,
    pub df: usize,
    pub p: f64,
    pub p_adjusted: f64,
    pub ci: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoefficientResult {
    pub term: String,
    pub b: f64,
    pub se: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    pub p: f64,
    pub ci: [f64; 2],
    /// Standardized coefficient b·SD(x)/SD(y) (OLS only; none for the intercept).
    pub beta: Option<f64>,
    /// The interval of β: the interval of b on the same scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odds_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub odds_ratio_ci: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irr_ci: Option<[f64; 2]>,
    /// Whether the term's column takes two values (a dummy, a 0/1 condition): its β is
    /// recorded, as R's standardized coefficients give it, but the report shows none, since
    /// a difference of one SD of a dummy means nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub two_valued: bool,
    /// The term's variance inflation factor (with `vif: true`; none for the intercept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vif: Option<f64>,
}

/// The omnibus test of a factor with three or more levels: all its dummies at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorTest {
    pub factor: String,
    /// The number of its dummies (levels less one).
    pub df1: usize,
    /// The residual df of an OLS model's F test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df2: Option<usize>,
    /// OLS: the F test of dropping the factor (with HC3 errors, the Wald F of its dummies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f: Option<f64>,
    /// Logistic and Poisson models: the likelihood-ratio χ² of dropping it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<f64>,
    pub p: f64,
}

/// One block of a hierarchical model: what adding its terms changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockResult {
    pub block: usize,
    pub terms: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta_r2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f_change: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df1: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df2: Option<usize>,
    /// Likelihood-ratio χ² (generalized linear models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi_square: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<usize>,
    pub p: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub outcome: String,
    pub outcome_label: Option<String>,
    pub family: Family,
    pub predictors: Vec<String>,
    pub controls: Vec<String>,
    /// The reference level of each factor among the controls and predictors: its dummies are
    /// differences from it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub reference_levels: std::collections::BTreeMap<String, String>,
    pub n: usize,
    /// Rows left out for a missing value on a variable of the model.
    pub n_missing: usize,
    pub robust: bool,
    pub coefficients: Vec<CoefficientResult>,
    /// The coefficients of the controls alone (Model 1 of a hierarchical regression), with
    /// the same standard errors as the full model; empty without controls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_coefficients: Vec<CoefficientResult>,
    /// The omnibus test of each factor with three or more levels, in the model's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factor_tests: Vec<FactorTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adj_r2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df1: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df2: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deviance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_deviance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df_residual: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_likelihood: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aic: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcfadden_r2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nagelkerke_r2: Option<f64>,
    /// Pearson χ² / residual df (Poisson): well above 1 means overdispersion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispersion: Option<f64>,
    pub blocks: Vec<BlockResult>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PathResult {
    pub b: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
    pub ci: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndirectResult {
    pub mediator: String,
    pub a: PathResult,
    pub b: PathResult,
    pub effect: f64,
    pub boot_se: f64,
    pub ci: [f64; 2],
    pub standardized: f64,
    pub standardized_boot_se: f64,
    pub standardized_ci: [f64; 2],
    /// The partially standardized indirect effect, a·b/SD(Y), with its bootstrap SE and
    /// interval (absent in results written before kith computed it).
    #[serde(default)]
    pub partially_standardized: Option<BootSummary>,
}

/// A bootstrapped effect: its estimate, bootstrap standard error and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootSummary {
    pub estimate: f64,
    pub boot_se: f64,
    pub ci: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MediationResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub x: String,
    pub m: Vec<String>,
    pub y: String,
    pub covariates: Vec<String>,
    /// The reference level of each factor among the covariates: its dummies are differences
    /// from it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub reference_levels: std::collections::BTreeMap<String, String>,
    pub n: usize,
    pub n_missing: usize,
    /// The a path of each mediator, in the order of `m`.
    pub a: Vec<f64>,
    /// The b path of each mediator, in the order of `m`.
    pub b: Vec<f64>,
    /// The total effect of x on y.
    pub c: f64,
    /// The direct effect of x on y.
    pub c_prime: f64,
    pub c_path: PathResult,
    pub c_prime_path: PathResult,
    /// The total indirect effect (the indirect effect, with one mediator).
    pub indirect: f64,
    pub boot_se: f64,
    pub ci: [f64; 2],
    /// The completely standardized total indirect effect.
    pub standardized: f64,
    pub standardized_boot_se: f64,
    pub standardized_ci: [f64; 2],
    /// The partially standardized total indirect effect, a·b/SD(Y).
    #[serde(default)]
    pub partially_standardized: Option<BootSummary>,
    /// Whether X takes exactly two values (a condition, a yes/no): the report then gives the
    /// partially standardized indirect effect, since X's SD is no unit of anything.
    #[serde(default)]
    pub x_two_valued: bool,
    /// Each mediator's paths and indirect effect.
    pub indirect_effects: Vec<IndirectResult>,
    pub ci_method: IntervalMethod,
    pub level: f64,
    pub resamples: usize,
    pub failed_resamples: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportanceWeight {
    pub predictor: String,
    pub weight: f64,
    /// The weight's share of R².
    pub share: f64,
    pub boot_se: f64,
    pub ci: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportanceResult {
    pub name: Option<String>,
    pub question: Option<String>,
    pub outcome: String,
    pub method: ImportanceMethod,
    pub n: usize,
    pub n_missing: usize,
    pub r2: f64,
    pub weights: Vec<ImportanceWeight>,
    pub resamples: usize,
    pub failed_resamples: usize,
    pub seed: u64,
}

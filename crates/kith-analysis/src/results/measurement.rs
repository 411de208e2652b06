//! The measurement models in the results contract: fit, parameters, factor correlations,
//! reliability, discriminant validity, modification indices and invariance, as results.json
//! holds them (field names documented in docs/analysis.md).

use serde::{Deserialize, Serialize};

/// One fitted measurement model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeasurementResult {
    pub name: Option<String>,
    pub question: Option<String>,
    /// `ml` or `mlr`.
    pub estimator: String,
    /// `listwise` or `fiml`.
    pub missing: String,
    /// Cases the model was fitted to.
    pub n: usize,
    pub factors: Vec<MeasurementFactor>,
    pub fit: FitSummary,
    /// lavaan's parameter table (of the configural model when there are groups).
    pub parameters: Vec<ParameterRow>,
    pub factor_correlations: Vec<FactorCorrelationRow>,
    /// HTMT2 of each pair of factors, in the order of `factors`.
    pub htmt: Vec<Vec<f64>>,
    /// The largest modification indices (at most ten).
    pub modification_indices: Vec<ModificationRow>,
    /// The largest absolute residual correlation, with its items.
    pub largest_residual_correlation: Option<ResidualRow>,
    pub invariance: Option<InvarianceResult>,
    /// Problems of the solution (Heywood cases, too few cases), in words.
    pub warnings: Vec<String>,
}

/// A factor with its indicators and their reliability.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeasurementFactor {
    pub id: String,
    pub label: Option<String>,
    pub items: Vec<String>,
    pub composite_reliability: f64,
    pub ave: Option<f64>,
}

/// lavaan's fit measures of a model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FitSummary {
    pub npar: usize,
    pub n: usize,
    pub chisq: f64,
    pub df: usize,
    pub pvalue: f64,
    pub baseline_chisq: f64,
    pub baseline_df: usize,
    pub cfi: f64,
    pub tli: f64,
    pub rmsea: f64,
    pub rmsea_ci: [f64; 2],
    pub rmsea_pvalue: f64,
    pub rmsea_notclose_pvalue: f64,
    pub srmr: f64,
    pub logl: f64,
    pub unrestricted_logl: f64,
    pub aic: f64,
    pub bic: f64,
    pub sabic: f64,
    /// Under MLR: the Yuan–Bentler scaled test and the indices computed from it.
    pub scaled: Option<ScaledFit>,
    /// Under MLR or FIML: the robust CFI, TLI and RMSEA.
    pub robust: Option<RobustFit>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScaledFit {
    pub chisq: f64,
    pub pvalue: f64,
    pub scaling_factor: f64,
    pub cfi: f64,
    pub tli: f64,
    pub rmsea: f64,
    pub rmsea_ci: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RobustFit {
    pub cfi: f64,
    pub tli: f64,
    pub rmsea: f64,
    pub rmsea_ci: [f64; 2],
}

/// One row of the parameter table, in lavaan's notation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParameterRow {
    /// The group's level; `None` with one group.
    pub group: Option<String>,
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub estimate: f64,
    pub se: f64,
    /// z, p and the interval; `None` for a fixed parameter.
    pub z: Option<f64>,
    pub p: Option<f64>,
    pub ci: Option<[f64; 2]>,
    pub std_lv: f64,
    pub std_all: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorCorrelationRow {
    pub a: String,
    pub b: String,
    pub r: f64,
    pub se: f64,
    pub ci: [f64; 2],
    pub htmt: f64,
    /// `established`, `marginal` or `questionable`.
    pub discriminant: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModificationRow {
    pub lhs: String,
    pub op: String,
    pub rhs: String,
    pub mi: f64,
    pub epc: f64,
    pub sepc_all: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResidualRow {
    pub a: String,
    pub b: String,
    pub value: f64,
}

/// The invariance steps across a grouping variable's levels.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvarianceResult {
    pub groups: String,
    pub levels: Vec<String>,
    /// Per level, its cases.
    pub n: Vec<usize>,
    pub steps: Vec<InvarianceStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvarianceStep {
    /// `configural`, `metric`, `scalar` or `strict`.
    pub step: String,
    pub fit: FitSummary,
    /// The comparison with the step before (not for the configural model).
    pub difference: Option<StepDifference>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepDifference {
    /// The χ² difference (scaled under MLR), its df and p.
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    pub delta_cfi: f64,
    pub delta_rmsea: f64,
}

//! Analysis plans: the YAML file in which a researcher pre-registers the analyses, its model,
//! and the checks that find a bad plan before any number is computed (each with its file,
//! line, column, offending value and a hint).

pub mod describe;
mod levels;
mod schema;
mod screening;
mod source;
mod structure;
mod variables;

pub use crate::family::Family;
pub use levels::code_levels;
pub use schema::{editor_schema, plan_schema};
pub use screening::{check_screening, uncomputed_index_warnings};
pub use source::{PlanSource, looks_like_plan, parse_plan};
pub use structure::check_structure;
pub use variables::{MANY_LEVELS, check_variables, model_family};

use crate::bootstrap::IntervalMethod;
use crate::compare::PostHocMethod;
use crate::describe::{Adjustment, CorrelationMethod, Deletion};
use crate::importance::ImportanceMethod;
use crate::moderation::{Probe, ProcessModel};

impl ModeratedMediationSpec {
    /// The PROCESS model the spec names, if it is one kith fits (7 or 14).
    pub fn process_model(&self) -> Option<ProcessModel> {
        match self.model {
            7 => Some(ProcessModel::Seven),
            14 => Some(ProcessModel::Fourteen),
            _ => None,
        }
    }
}
use crate::results::FigureWidth;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seed used when a plan names none, so that every run of a plan is reproducible.
pub const DEFAULT_SEED: u64 = 20160;
/// PROCESS's default number of bootstrap resamples.
pub const DEFAULT_RESAMPLES: usize = 5000;
/// Resamples for the intervals of importance weights.
pub const DEFAULT_IMPORTANCE_RESAMPLES: usize = 2000;
/// Fewer resamples than this cannot place a 95% percentile interval sensibly.
pub const MIN_RESAMPLES: usize = 200;
/// The most bootstrap resamples a plan may ask for: twenty times PROCESS's default, enough for
/// the third decimal of any interval limit, and a run of minutes rather than days.
pub const MAX_RESAMPLES: usize = 100_000;

/// One name or a list of names.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }
}

/// How a categorical variable is dummy coded; with `levels`, a numeric column of codes (a
/// condition 0/1/2) becomes a categorical one.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// The level the others are compared with (default: the first level); with `levels`, a
    /// code or its label.
    #[serde(default)]
    pub reference: Option<Level>,
    /// For a numeric column: each code and the name of its level, e.g.
    /// `{0: control, 1: individual, 2: collective}`; the levels are in the codes' order.
    #[serde(default)]
    pub levels: BTreeMap<String, String>,
}

/// A level as a plan names it: its text, or a numeric code.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Level {
    Code(i64),
    Text(String),
}

impl Factor {
    /// The name of the reference level, if the plan names one: a code is its label.
    pub fn reference_level(&self) -> Option<String> {
        match self.reference.as_ref()? {
            Level::Code(code) => Some(
                self.levels
                    .get(&code.to_string())
                    .cloned()
                    .unwrap_or_else(|| code.to_string()),
            ),
            Level::Text(text) => Some(text.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSpec {
    #[serde(default)]
    pub name: Option<String>,
    pub variables: Vec<String>,
    #[serde(default)]
    pub method: CorrelationMethod,
    #[serde(default)]
    pub adjust: Adjustment,
    #[serde(default)]
    pub missing: Deletion,
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Correlations {
    One(CorrelationSpec),
    Many(Vec<CorrelationSpec>),
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// A heading for the report.
    #[serde(default)]
    pub name: Option<String>,
    /// The research question this model answers, quoted in the report.
    #[serde(default)]
    pub question: Option<String>,
    pub outcome: String,
    pub predictors: Vec<String>,
    #[serde(default)]
    pub controls: Vec<String>,
    /// When absent, it follows from the outcome's response scale or data.
    #[serde(default)]
    pub family: Option<Family>,
    /// HC3 heteroscedasticity-consistent standard errors (OLS only).
    #[serde(default)]
    pub robust: bool,
    /// Report each term's variance inflation factor (VIF), 1/(1 − R²) of its column on the
    /// model's other columns.
    #[serde(default)]
    pub vif: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MediationSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub x: String,
    pub m: OneOrMany,
    pub y: String,
    #[serde(default)]
    pub covariates: Vec<String>,
    #[serde(default)]
    pub bootstrap: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub ci: IntervalMethod,
    /// The number of Monte Carlo draws when a power analysis asks for the Monte Carlo
    /// interval instead of the bootstrap. Not a key of the plan file.
    #[serde(skip)]
    #[schemars(skip)]
    pub monte_carlo: Option<usize>,
}

/// How a measurement model handles missing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasurementMissing {
    /// Complete cases only (lavaan's default).
    #[default]
    Listwise,
    /// Full-information ML over every case (lavaan's `missing = "ml"`).
    Fiml,
}

/// The estimator of a measurement model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasurementEstimator {
    #[default]
    Ml,
    /// ML with robust (Huber–White) standard errors and the Yuan–Bentler scaled test.
    Mlr,
}

/// A confirmatory factor analysis of the survey's scores (or of factors named here).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurementSpec {
    /// A heading for the report.
    #[serde(default)]
    pub name: Option<String>,
    /// The question the model answers, quoted in the report.
    #[serde(default)]
    pub question: Option<String>,
    /// The survey's scores that are factors, their items the indicators (reverse-keyed items
    /// enter keyed, as in the scores). Default: every score of the survey with two or more
    /// items that shares no item with an earlier one.
    #[serde(default)]
    pub scores: Option<Vec<String>>,
    /// Factors named here instead, each with its items, e.g. `{helping: [help_1, help_2]}`.
    #[serde(default)]
    pub factors: Option<BTreeMap<String, Vec<String>>>,
    /// Pairs of items whose residuals correlate, e.g. `[[help_1, help_2]]`.
    #[serde(default)]
    pub correlated_residuals: Vec<[String; 2]>,
    /// Factors uncorrelated.
    #[serde(default)]
    pub orthogonal: bool,
    /// Factor variances fixed at 1 instead of each factor's first loading.
    #[serde(default)]
    pub std_lv: bool,
    #[serde(default)]
    pub missing: MeasurementMissing,
    #[serde(default)]
    pub estimator: MeasurementEstimator,
    /// A categorical variable: fits the configural, metric, scalar and strict models across
    /// its levels (measurement invariance).
    #[serde(default)]
    pub groups: Option<String>,
    /// The levels of `groups` to compare (default: every level with cases), e.g.
    /// `[Woman, Man]` when the other levels are too small for a model of their own.
    #[serde(default)]
    pub levels: Option<Vec<String>>,
    /// Parameters left free across groups (partial invariance), in lavaan's notation:
    /// `factor =~ item` (a loading), `item ~1` (an intercept), `item ~~ item` (a residual).
    #[serde(default)]
    pub free: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportanceSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub outcome: String,
    pub predictors: Vec<String>,
    #[serde(default)]
    pub method: ImportanceMethod,
    #[serde(default)]
    pub bootstrap: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
}

/// A comparison of groups: the outcome's means across the levels of `group` (a t test for
/// two, an ANOVA for more) or, for a categorical outcome, its table against the group's (χ²,
/// and Fisher's exact test for a 2 × 2 table).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub outcome: String,
    /// A categorical variable, or a number with few values (each value a group).
    pub group: String,
    /// Student's t and the classical ANOVA instead of Welch's (the default, which does not
    /// assume equal variances); also picks Tukey's HSD as the default post-hoc method.
    #[serde(default)]
    pub equal_variances: bool,
    /// The post-hoc comparisons of every pair of groups, for three or more groups: `tukey`
    /// or `games-howell` (the default, or Tukey with `equal_variances`).
    #[serde(default)]
    pub post_hoc: Option<PostHocMethod>,
    /// Also the rank tests: Mann–Whitney for two groups, Kruskal–Wallis for more.
    #[serde(default)]
    pub ranks: bool,
}

/// A moderation model (PROCESS model 1): does the effect of `x` on `y` depend on `w`?
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub x: String,
    /// The moderator: a number (continuous or two-valued) or a category (dummy coded).
    pub w: String,
    pub y: String,
    #[serde(default)]
    pub covariates: Vec<String>,
    /// Mean-centre X and a numeric W before forming their product (PROCESS `center`).
    #[serde(default)]
    pub center: bool,
    /// HC3 standard errors (PROCESS `hc3`).
    #[serde(default)]
    pub robust: bool,
    /// Where to probe a continuous moderator: `percentiles` (16th, 50th, 84th; the
    /// default), `mean-sd`, or `values: [...]`.
    #[serde(default)]
    pub probe: Probe,
}

/// A moderated mediation (PROCESS model 7: W moderates X → M; model 14: W moderates M → Y),
/// with bootstrap intervals as in `mediation`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeratedMediationSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    /// PROCESS's model number: `7` or `14`.
    pub model: u8,
    pub x: String,
    pub m: OneOrMany,
    /// A numeric moderator.
    pub w: String,
    pub y: String,
    #[serde(default)]
    pub covariates: Vec<String>,
    #[serde(default)]
    pub probe: Probe,
    #[serde(default)]
    pub bootstrap: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub ci: IntervalMethod,
}

/// A scatter plot the report should show.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScatterSpec {
    pub x: String,
    pub y: String,
}

/// Careless-responding screening and the exclusions pre-registered in the plan.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningSpec {
    /// Exclusion rules, each a condition in the survey-logic language over the screening
    /// indices (`attention_failed`, `longstring_max`, `longstring_average`, `irv`,
    /// `mahalanobis`, `mahalanobis_cutoff`, `even_odd`, `synonyms`, `antonyms`,
    /// `seconds_per_item`, `duration_s`) and the data's columns, e.g. `longstring_max >= 12`
    /// or `status != "complete"`. A respondent for whom any rule holds is excluded before
    /// every analysis; a rule on a missing value does not hold.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Item pairs correlating beyond ± this are psychometric synonyms and antonyms (.60).
    #[serde(default)]
    pub synonym_critical: Option<f64>,
    /// Run every analysis again on every respondent, exclusions ignored, as a sensitivity
    /// check (results.json's `sensitivity`).
    #[serde(default)]
    pub sensitivity: bool,
}

/// What the report shows; every key optional.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    /// The sections, in the report's order (default: every `Section`, in its order).
    #[serde(default)]
    pub sections: Option<Vec<String>>,
    /// Split score distributions by this categorical variable (box plots per group).
    #[serde(default)]
    pub group: Option<String>,
    /// The variables whose distributions are drawn (default: the descriptives that are scores).
    #[serde(default)]
    pub distributions: Option<Vec<String>>,
    /// Scatter plots of a predictor against an outcome.
    #[serde(default)]
    pub scatter: Vec<ScatterSpec>,
    /// The resolution of the PNG charts beside report.md (default 150).
    #[serde(default)]
    pub dpi: Option<u32>,
    /// Whether charts draw their titles and subtitles (default true; journals put them in the
    /// figure's caption instead).
    #[serde(default)]
    pub figure_titles: Option<bool>,
    /// The printed width of the PNG figures: `page` (6.5 inches, the default) or `column`
    /// (3.25 inches); their text is sized to print at 8 pt or more at that width.
    #[serde(default)]
    pub figure_width: Option<FigureWidth>,
}

/// Whether a relation carries resources (advice, information) or affect (friendship): the same
/// words as a survey's network questions, from one definition.
pub use kith_instrument::model::RelationKind;

/// How a directed network is made undirected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SymmetrizeSpec {
    /// A tie where either nominated the other.
    Any,
    /// A tie only where both nominated each other.
    Reciprocated,
}

/// A whole network of one relation from an edge list (a row per nomination), over the
/// respondents of the data (or a roster), whose measures become variables named
/// `NAME_indegree`, `NAME_betweenness` and so on.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSpec {
    /// The relation's name, the prefix of its variables: `advice`, `friendship`.
    pub name: String,
    #[serde(default)]
    pub question: Option<String>,
    /// The edge list (CSV), relative to the plan.
    pub edges: String,
    /// The edge list's column of the person nominating (default `ego`).
    #[serde(default)]
    pub ego: Option<String>,
    /// The edge list's column of the person nominated (default `alter`).
    #[serde(default)]
    pub alter: Option<String>,
    /// A column of tie strengths (a follow-up such as how often), used by PageRank and
    /// constraint.
    #[serde(default)]
    pub weight: Option<String>,
    /// A roster (CSV with an `id` column) of everyone who could be nominated; without one, the
    /// data's respondents are the roster.
    #[serde(default)]
    pub roster: Option<String>,
    /// The roster's column of ids (default `id`).
    #[serde(default)]
    pub roster_id: Option<String>,
    #[serde(default)]
    pub relation: Option<RelationKind>,
    /// Make the network undirected: `any` tie or only `reciprocated` ones.
    #[serde(default)]
    pub symmetrize: Option<SymmetrizeSpec>,
    /// What colours the people in the sociogram: a column of the roster or a variable of the
    /// data (default: the roster's `unit` column, if it has one).
    #[serde(default, alias = "color")]
    pub colour: Option<String>,
}

/// An analysis plan.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// `plan`; optional, as a file with a `data` key is a plan.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The data file or files (stacked), relative to the plan.
    pub data: OneOrMany,
    /// A survey or instrument whose scores (and items) become variables.
    #[serde(default)]
    pub survey: Option<String>,
    /// The id column of the data.
    #[serde(default)]
    pub id: Option<String>,
    /// Identify respondents by their row's number in the data file (the first data row is 1),
    /// for data without an id column; kith invents no ids unasked.
    #[serde(default)]
    pub row_ids: bool,
    /// Values that mean "missing" in every column.
    #[serde(default)]
    pub missing_codes: Vec<f64>,
    /// The confidence level of every interval (default .95).
    #[serde(default)]
    pub level: Option<f64>,
    /// The seed of every bootstrap that names none.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub factors: BTreeMap<String, Factor>,
    /// Readable names for variables in the report (scores have their labels already).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub descriptives: Vec<String>,
    #[serde(default)]
    pub correlations: Option<Correlations>,
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    #[serde(default)]
    pub mediation: Vec<MediationSpec>,
    #[serde(default)]
    pub importance: Vec<ImportanceSpec>,
    /// Group comparisons: t tests, ANOVAs, χ² tests.
    #[serde(default)]
    pub comparisons: Vec<ComparisonSpec>,
    /// Moderation models (PROCESS model 1).
    #[serde(default)]
    pub moderation: Vec<ModerationSpec>,
    /// Moderated mediation (PROCESS models 7 and 14).
    #[serde(default)]
    pub moderated_mediation: Vec<ModeratedMediationSpec>,
    /// Measurement models (confirmatory factor analysis), reported before the hypotheses.
    #[serde(default)]
    pub measurement: Vec<MeasurementSpec>,
    /// Whole networks from edge lists; their measures become variables.
    #[serde(default)]
    pub networks: Vec<NetworkSpec>,
    /// Careless-responding screening and exclusions, applied before every analysis.
    #[serde(default)]
    pub screening: Option<ScreeningSpec>,
    /// What the report shows.
    #[serde(default)]
    pub report: ReportSpec,
}

impl Plan {
    pub fn level(&self) -> f64 {
        self.level.unwrap_or(0.95)
    }

    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or(DEFAULT_SEED)
    }

    /// The plan as `kith check` fits it: every bootstrap draws the fewest resamples kith
    /// accepts. An analysis that bootstraps sets its count here, so that `check` stays quick.
    pub fn for_trial(&self) -> Plan {
        let mut trial = self.clone();
        for spec in &mut trial.mediation {
            spec.bootstrap = Some(MIN_RESAMPLES);
        }
        for spec in &mut trial.importance {
            spec.bootstrap = Some(MIN_RESAMPLES);
        }
        for spec in &mut trial.moderated_mediation {
            spec.bootstrap = Some(MIN_RESAMPLES);
        }
        trial
    }

    pub fn correlation_specs(&self) -> Vec<CorrelationSpec> {
        match &self.correlations {
            None => Vec::new(),
            Some(Correlations::One(one)) => vec![one.clone()],
            Some(Correlations::Many(many)) => many.clone(),
        }
    }
}

//! The results contract: everything `kith analyze` computed, as results.json holds it.
//!
//! This module is the only part of kith-analysis that kith-report reads (the reliability
//! report that `kith reliability` prints is re-exported here for it). Field names are
//! documented in docs/analysis.md and kept stable; enums are serialized by the names plans use.

mod comparisons;
mod figures;
mod measurement;
mod moderation;
mod multicategorical;
mod networks;
pub mod power;
mod screening;
mod tables;

pub use crate::bootstrap::IntervalMethod;
pub use crate::compare::PostHocMethod;
pub use crate::describe::{Adjustment, CorrelationMethod, Deletion, Description};
pub use crate::family::Family;
pub use crate::importance::ImportanceMethod;
/// A network's relation and symmetrizing, as plans name them.
pub use crate::plan::{RelationKind, SymmetrizeSpec};
/// The report of `kith reliability` is a result too; kith-report renders it from here.
pub use crate::reliability::{ReliabilityReport, ScaleReliability};
/// The screening `kith screen` prints is a result too; kith-report renders it from here.
pub use crate::screening::report::{Respondent as ScreenedRespondent, RuleCount, Screening};
pub use comparisons::*;
pub use figures::*;
pub use measurement::*;
pub use moderation::*;
pub use multicategorical::*;
pub use networks::*;
pub use screening::*;
pub use tables::*;

use serde::{Deserialize, Serialize};

/// Everything a plan computed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub kith_version: String,
    pub plan: String,
    pub title: Option<String>,
    pub data: Vec<String>,
    pub survey: Option<SurveyInfo>,
    /// Readable names of variables that have one (scores' labels).
    pub labels: std::collections::BTreeMap<String, String>,
    /// Rows in the data.
    pub n_rows: usize,
    /// The confidence level of every interval.
    pub level: f64,
    pub descriptives: Vec<DescriptiveRow>,
    pub correlations: Vec<CorrelationTable>,
    /// Group comparisons: t tests, ANOVAs, χ² tests.
    #[serde(default)]
    pub comparisons: Vec<ComparisonResult>,
    pub models: Vec<ModelResult>,
    pub mediation: Vec<MediationResult>,
    /// Moderation models (PROCESS model 1).
    #[serde(default)]
    pub moderation: Vec<ModerationResult>,
    /// Moderated mediation (PROCESS models 7 and 14).
    #[serde(default)]
    pub moderated_mediation: Vec<ModeratedMediationResult>,
    /// Mediations whose X is a factor (PROCESS model 4 with a multicategorical X).
    #[serde(default)]
    pub multicategorical_mediation: Vec<MulticategoricalMediationResult>,
    /// Moderations whose X is a factor (PROCESS model 1 with a multicategorical X).
    #[serde(default)]
    pub multicategorical_moderation: Vec<MulticategoricalModerationResult>,
    pub importance: Vec<ImportanceResult>,
    /// Measurement models (confirmatory factor analyses).
    #[serde(default)]
    pub measurement: Vec<MeasurementResult>,
    /// The plan's networks: what was built from each edge list and its network-level
    /// statistics (each person's measures are variables).
    #[serde(default)]
    pub networks: Vec<NetworkResult>,
    /// The plan's screening and exclusions, when it has a `screening:` section.
    #[serde(default)]
    pub screening: Option<ScreeningResult>,
    /// With `screening: {sensitivity: true}`: every analysis again on every respondent.
    #[serde(default)]
    pub sensitivity: Option<Box<Results>>,
    /// Analyses that could not be computed, with the reason.
    pub not_computed: Vec<NotComputed>,
    /// The data behind the report's figures.
    #[serde(default)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyInfo {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotComputed {
    /// The analysis, as a path into the plan, e.g. `models[2]`.
    pub analysis: String,
    /// The analysis in words, e.g. ``model of `salary` ``.
    pub description: String,
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// What the report shows and how: options of the report, not statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// The report's sections, in order; empty in a results file that predates them.
    pub sections: Vec<Section>,
    /// The resolution of PNG charts; 0 in a results file that predates it.
    pub dpi: u32,
    /// Whether charts draw their titles and subtitles (`report: figure_titles:`; journals put
    /// them in the caption); true in a results file that predates the option.
    #[serde(default = "drawn")]
    pub figure_titles: bool,
    /// The printed width the PNG figures are laid out for (`report: figure_width:`); a page's
    /// width in a results file that predates the option.
    #[serde(default)]
    pub figure_width: FigureWidth,
}

/// The printed width a figure is laid out for: a journal page's text width or one of its two
/// columns. Text is sized for that width, so that it prints at 8 pt or more.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FigureWidth {
    /// 6.5 inches, the text width of a letter or A4 page with one-inch margins.
    #[default]
    Page,
    /// 3.25 inches, one column of a two-column journal page.
    Column,
}

impl FigureWidth {
    /// The printed width in inches.
    pub fn inches(self) -> f64 {
        match self {
            FigureWidth::Page => 6.5,
            FigureWidth::Column => 3.25,
        }
    }
}

fn drawn() -> bool {
    true
}

impl Default for ReportOptions {
    /// The options of a results file that records none.
    fn default() -> Self {
        ReportOptions {
            sections: Vec::new(),
            dpi: 0,
            figure_titles: true,
            figure_width: FigureWidth::Page,
        }
    }
}

impl ReportOptions {
    /// The sections to show: those chosen, or every section when none are recorded.
    pub fn sections(&self) -> Vec<Section> {
        if self.sections.is_empty() {
            Section::ALL.to_vec()
        } else {
            self.sections.clone()
        }
    }

    /// The resolution of PNG charts, never below the 48 dpi that `kith chart --dpi` allows.
    pub fn png_dpi(&self) -> u32 {
        self.dpi.max(48)
    }
}

/// The resolution of PNG charts when the plan names none.
pub const DEFAULT_DPI: u32 = 150;

/// A section of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Sample,
    Quality,
    Reliability,
    Descriptives,
    Correlations,
    Comparisons,
    Measurement,
    Models,
    Mediation,
    Moderation,
    Importance,
}

impl Section {
    /// Every section, in the report's default order.
    pub const ALL: [Section; 11] = [
        Section::Sample,
        Section::Quality,
        Section::Reliability,
        Section::Descriptives,
        Section::Correlations,
        Section::Comparisons,
        Section::Measurement,
        Section::Models,
        Section::Mediation,
        Section::Moderation,
        Section::Importance,
    ];

    /// The section's name in plans and in results.json.
    pub fn name(self) -> &'static str {
        match self {
            Section::Sample => "sample",
            Section::Quality => "quality",
            Section::Reliability => "reliability",
            Section::Descriptives => "descriptives",
            Section::Correlations => "correlations",
            Section::Comparisons => "comparisons",
            Section::Measurement => "measurement",
            Section::Models => "models",
            Section::Mediation => "mediation",
            Section::Moderation => "moderation",
            Section::Importance => "importance",
        }
    }

    /// The section a plan names, if there is one of that name.
    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A label as it reads inside a sentence: its first letter in lower case ("career
/// satisfaction"), unless the first word is an acronym or a name kept in capitals ("WAMI",
/// "USD", "HR").
pub fn mid_sentence(label: &str) -> String {
    let mut chars = label.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let first_word: String = label.split_whitespace().next().unwrap_or("").to_string();
    let acronym = first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && first_word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if acronym || !first.is_uppercase() {
        return label.to_string();
    }
    first.to_lowercase().chain(chars).collect()
}

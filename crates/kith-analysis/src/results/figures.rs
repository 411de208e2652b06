//! The data behind the report's figures that the tables do not already hold: item responses,
//! distributions, reliability per scale, scatter plots and missingness.

use super::ReportOptions;
use serde::{Deserialize, Serialize};

/// The data behind the report's figures, and the report's options.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Figures {
    /// What the report shows and how (in results.json beside the figure data, as before).
    #[serde(flatten)]
    pub report: ReportOptions,
    pub item_responses: Vec<ScaleResponses>,
    pub distributions: Vec<Distribution>,
    pub reliability: Vec<ScaleReliabilitySummary>,
    pub scatter: Vec<Scatter>,
    pub quality: Option<DataQuality>,
}

/// The answers to the rating items of one score, for a diverging bar chart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScaleResponses {
    pub score: String,
    pub label: String,
    /// The scale's codes and labels, lowest first.
    pub values: Vec<i64>,
    pub labels: Vec<String>,
    pub items: Vec<ItemResponses>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemResponses {
    pub item: String,
    pub text: String,
    pub reverse: bool,
    /// Answers per code, in the order of `values`.
    pub counts: Vec<usize>,
}

/// A variable's distribution, overall or in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub variable: String,
    pub label: String,
    pub group: Option<String>,
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    /// Bin edges (bins + 1) and counts.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
    /// Min, lower quartile, median, upper quartile, max (R's type 7 quantiles).
    pub five_numbers: [f64; 5],
    /// A Gaussian kernel density estimate (bandwidth as R's `bw.nrd0`) at 100 points.
    pub density: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScaleReliabilitySummary {
    pub score: String,
    pub label: String,
    pub n: usize,
    pub alpha: f64,
    /// Feldt's interval.
    pub alpha_ci: [f64; 2],
    pub omega_total: Option<f64>,
    /// A percentile bootstrap interval of omega total (`OMEGA_RESAMPLES` resamples of the
    /// respondents who answered every item of the scale).
    #[serde(default)]
    pub omega_ci: Option<[f64; 2]>,
}

/// A scatter plot with the least-squares line and the interval of the fitted mean.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scatter {
    pub x: String,
    pub y: String,
    pub x_label: String,
    pub y_label: String,
    pub n: usize,
    pub r: f64,
    pub intercept: f64,
    pub slope: f64,
    pub level: f64,
    pub points: Vec<[f64; 2]>,
    /// The band: x, fitted, lower, upper at 50 points across the range of x.
    pub band: Vec<[f64; 4]>,
}

/// Missing answers per item and per person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataQuality {
    pub respondents: usize,
    /// Items with their share of missing answers, in survey order.
    pub items: Vec<(String, f64)>,
    /// How many respondents left 0, 1, 2, … items unanswered.
    pub persons_by_missing: Vec<usize>,
}

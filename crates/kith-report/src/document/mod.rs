//! The report as a document: its blocks of Markdown text and its figures, in the sections and
//! order the plan chose, with tables and figures numbered and captioned here once. Markdown,
//! HTML and the PNG files only render this document, so that their numbers always agree.

mod select;

pub use select::{Kind, Pick, Unavailable, chart};

use crate::charts::{self, Chart};
use crate::format::{grouped, percent};
use crate::labels::label;
use crate::tables::{
    comparisons, descriptives, measurement, mediation, models, moderation, multicategorical,
    quality, screening, sensitivity,
};
use kith_analysis::results::{Results, Section};
use std::fmt::Write;

/// A numbered figure of the report: its number (from 1, in reading order), its caption and
/// the chart that draws it.
#[derive(Debug, Clone)]
pub struct Figure<'a> {
    pub number: usize,
    pub caption: String,
    pub chart: Chart<'a>,
}

/// A piece of the report: Markdown text, or a figure.
#[derive(Debug, Clone)]
pub enum Block<'a> {
    Text(String),
    Figure(Figure<'a>),
}

/// The report as blocks, with the sections the plan chose, in its order.
pub fn blocks(results: &Results) -> Vec<Block<'_>> {
    let mut b = Builder::default();
    header(&mut b.text, results);
    crate::summary::findings(&mut b.text, results);
    crate::method::method(&mut b.text, results);
    not_computed(&mut b.text, results);
    for section in results.figures.report.sections() {
        match section {
            Section::Sample => {
                quality::sample(&mut b.text, results);
                if let Some(screening) = &results.screening {
                    let first = b.tables + 1;
                    let next = screening::screening_tables(&mut b.text, screening, first);
                    b.tables = next - 1;
                    b.figure(
                        Chart::Flow(screening),
                        format!(
                            "Participant flow: from the {} responses in the data to the {} respondents analysed.",
                            screening.flow.first().map_or(0, |s| s.n),
                            screening.n_analysed
                        ),
                    );
                    if !screening.histograms.is_empty() {
                        b.figure(
                            Chart::Indices(screening),
                            format!(
                                "Careless-responding indices of the {} respondents screened, with the cut-offs of the plan's rules (or, where it has none, the default flags of `kith screen`).",
                                screening.n_screened
                            ),
                        );
                    }
                }
            }
            Section::Quality => {
                if let Some(data) = &results.figures.quality {
                    let number = b.table();
                    quality::data_quality(&mut b.text, data, number);
                }
            }
            Section::Reliability => reliability(&mut b, results),
            Section::Descriptives => descriptives(&mut b, results),
            Section::Correlations => {
                for table in &results.correlations {
                    let number = b.table();
                    descriptives::correlations(&mut b.text, results, table, number);
                    b.figure(
                        Chart::Correlations(table),
                        format!("Correlations as a heat map, in the plan's order; stars mark significance (n = {}).", table.n),
                    );
                }
            }
            Section::Comparisons if !results.comparisons.is_empty() => {
                let _ = writeln!(b.text, "## Group comparisons\n");
                for result in &results.comparisons {
                    let number = b.table();
                    comparisons::comparison(&mut b.text, results, result, number);
                    if let Some(means) = &result.means {
                        b.figure(
                            Chart::GroupMeans {
                                result,
                                level: results.level,
                            },
                            format!(
                                "Means of {} by {} with {} confidence intervals (n = {}).",
                                label(results, &result.outcome),
                                label(results, &result.group),
                                percent(results.level),
                                means.groups.iter().map(|g| g.n).sum::<usize>()
                            ),
                        );
                    }
                }
            }
            Section::Measurement if !results.measurement.is_empty() => {
                let _ = writeln!(b.text, "## Measurement\n");
                for result in &results.measurement {
                    let first = b.tables + 1;
                    let next = measurement::measurement_tables(&mut b.text, results, result, first);
                    b.tables = next - 1;
                    b.figure(
                        Chart::Measurement(result),
                        format!(
                            "Path diagram of the measurement model with completely standardized loadings (n = {}).",
                            result.n
                        ),
                    );
                }
            }
            Section::Models if !results.models.is_empty() => regression(&mut b, results),
            Section::Mediation
                if !results.mediation.is_empty()
                    || !results.multicategorical_mediation.is_empty() =>
            {
                let level = percent(results.level);
                let _ = writeln!(b.text, "## Mediation\n");
                for result in &results.mediation {
                    let number = b.table();
                    mediation::mediation_table(&mut b.text, results, result, number);
                    b.figure(
                        Chart::Mediation(result),
                        format!("Path diagram of the mediation model with the indirect effect and its {level} bootstrap interval ({} resamples, n = {}).", grouped(result.resamples as f64, 0), result.n),
                    );
                }
                for result in &results.multicategorical_mediation {
                    let first = b.tables + 1;
                    let next =
                        multicategorical::mediation_tables(&mut b.text, results, result, first);
                    b.tables = next - 1;
                }
            }
            Section::Moderation
                if !results.moderation.is_empty()
                    || !results.moderated_mediation.is_empty()
                    || !results.multicategorical_moderation.is_empty() =>
            {
                let _ = writeln!(b.text, "## Moderation\n");
                for result in &results.moderated_mediation {
                    let number = b.table();
                    moderation::moderated_mediation_table(&mut b.text, results, result, number);
                    b.figure(
                        Chart::ConditionalIndirect(result),
                        format!(
                            "Conditional indirect effects of {} on {} at values of {} with {} bootstrap intervals ({} resamples, n = {}).",
                            label(results, &result.x),
                            label(results, &result.y),
                            label(results, &result.w),
                            percent(result.level),
                            grouped(result.resamples as f64, 0),
                            result.n
                        ),
                    );
                }
                for result in &results.moderation {
                    let first = b.tables + 1;
                    let next = moderation::moderation_tables(&mut b.text, results, result, first);
                    b.tables = next - 1;
                    b.figure(
                        Chart::Interaction {
                            result,
                            level: results.level,
                        },
                        format!(
                            "Predicted {} by {} at the probe values of {}, with {} confidence bands (n = {}).",
                            label(results, &result.y),
                            label(results, &result.x),
                            label(results, &result.w),
                            percent(results.level),
                            result.n
                        ),
                    );
                    if result.johnson_neyman.is_some() {
                        b.figure(
                            Chart::JohnsonNeyman {
                                result,
                                level: results.level,
                            },
                            format!(
                                "The conditional effect of {} across the observed range of {} with its {} confidence band (Johnson–Neyman).",
                                label(results, &result.x),
                                label(results, &result.w),
                                percent(results.level)
                            ),
                        );
                    }
                }
                for result in &results.multicategorical_moderation {
                    let first = b.tables + 1;
                    let next =
                        multicategorical::moderation_tables(&mut b.text, results, result, first);
                    b.tables = next - 1;
                    b.figure(
                        Chart::FactorInteraction {
                            result,
                            level: results.level,
                        },
                        format!(
                            "Predicted {} for each level of {} across {}, with {} confidence bands (n = {}).",
                            label(results, &result.y),
                            label(results, &result.x),
                            label(results, &result.w),
                            percent(results.level),
                            result.n
                        ),
                    );
                }
            }
            Section::Importance if !results.importance.is_empty() => {
                let level = percent(results.level);
                let _ = writeln!(b.text, "## Relative importance\n");
                for result in &results.importance {
                    let number = b.table();
                    mediation::importance_table(&mut b.text, results, result, number);
                    b.figure(
                        Chart::Importance {
                            result,
                            level: results.level,
                        },
                        format!(
                            "Relative importance with {level} bootstrap intervals (n = {}).",
                            result.n
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    if let (Some(everyone), Some(screening)) = (&results.sensitivity, &results.screening) {
        let number = b.tables + 1;
        if sensitivity::sensitivity(&mut b.text, results, everyone, screening, number) {
            b.tables = number;
        }
    }
    b.finish()
}

/// The report's figures alone, numbered as in the document (for the PNG files).
pub fn figures(results: &Results) -> Vec<Figure<'_>> {
    blocks(results)
        .into_iter()
        .filter_map(|block| match block {
            Block::Figure(figure) => Some(figure),
            Block::Text(_) => None,
        })
        .collect()
}

/// Collects text and figures in order, and counts tables and figures.
#[derive(Debug, Default)]
struct Builder<'a> {
    blocks: Vec<Block<'a>>,
    text: String,
    tables: usize,
    figures: usize,
}

impl<'a> Builder<'a> {
    /// The number of the next table.
    fn table(&mut self) -> usize {
        self.tables += 1;
        self.tables
    }

    /// Ends the current text and adds the next figure.
    fn figure(&mut self, chart: Chart<'a>, caption: String) {
        if !self.text.is_empty() {
            self.blocks
                .push(Block::Text(std::mem::take(&mut self.text)));
        }
        self.figures += 1;
        self.blocks.push(Block::Figure(Figure {
            number: self.figures,
            caption,
            chart,
        }));
    }

    fn finish(mut self) -> Vec<Block<'a>> {
        if !self.text.is_empty() {
            self.blocks.push(Block::Text(self.text));
        }
        self.blocks
    }
}

/// The title and the line that says what was analysed, with what.
fn header(out: &mut String, results: &Results) {
    let title = results.title.as_deref().unwrap_or("Analysis report");
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "Plan `{}`; data {}; {} rows{}. Intervals are {} intervals. Made by kith {}.\n",
        results.plan,
        quality::data_files(results),
        results.n_rows,
        results
            .survey
            .as_ref()
            .map(|s| format!(
                "; survey `{}` {} (fingerprint `{}`)",
                s.id, s.version, s.fingerprint
            ))
            .unwrap_or_default(),
        percent(results.level),
        results.kith_version
    );
}

/// Every analysis that could not be computed, with its reason and hint.
fn not_computed(out: &mut String, results: &Results) {
    if results.not_computed.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Not computed\n");
    for problem in &results.not_computed {
        let _ = writeln!(
            out,
            "- **The {}** (`{}`, {}): {}. Hint: {}.",
            problem.description, problem.analysis, problem.code, problem.message, problem.hint
        );
    }
    out.push('\n');
}

/// The reliability table and chart, then each scale's item responses.
fn reliability<'a>(b: &mut Builder<'a>, results: &'a Results) {
    let scales = &results.figures.reliability;
    if !scales.is_empty() {
        let number = b.table();
        crate::reliability::report_table(&mut b.text, scales, number, results.level);
        let n = scales.iter().map(|s| s.n).max().unwrap_or(0);
        b.figure(
            Chart::Reliability {
                scales,
                level: results.level,
            },
            // Alpha's Feldt interval is always 95%; omega's bootstrap interval is at the
            // plan's level.
            format!("Reliability of each scale: alpha with its 95% Feldt interval, omega total with its {} percentile bootstrap interval (1,000 resamples of the complete cases); the dashed line marks .70 (n = {n}).", percent(results.level)),
        );
    }
    for scale in &results.figures.item_responses {
        let n = scale
            .items
            .iter()
            .map(|i| i.counts.iter().sum::<usize>())
            .max()
            .unwrap_or(0);
        b.figure(
            Chart::Likert(scale),
            format!("Answers to the items of {}, centred on the scale's middle; items sorted by agreement, (R) marks reverse-keyed items (n = {n}).", scale.label),
        );
    }
}

/// The descriptives table, then one figure per variable with a distribution (box plots when
/// it is split by group).
fn descriptives<'a>(b: &mut Builder<'a>, results: &'a Results) {
    if !results.descriptives.is_empty() {
        let number = b.table();
        descriptives::descriptives(&mut b.text, results, number);
    }
    if !results.networks.is_empty() {
        let number = b.table();
        crate::tables::networks::networks_table(&mut b.text, results, number);
        for network in results.networks.iter().filter(|n| n.sociogram.is_some()) {
            b.figure(
                Chart::Sociogram(network),
                crate::tables::networks::sociogram_caption(network),
            );
        }
    }
    // A variable's distributions (overall, or one per group) are stored one after another;
    // only the first run of a variable is shown.
    let mut shown: Vec<&str> = Vec::new();
    for run in results
        .figures
        .distributions
        .chunk_by(|a, b| a.variable == b.variable)
    {
        let Some(first) = run.first() else { continue };
        if shown.contains(&first.variable.as_str()) {
            continue;
        }
        shown.push(&first.variable);
        let caption = if first.group.is_some() {
            format!(
                "Distribution of {} by group: quartiles and median in the box, minimum and maximum at the whiskers.",
                first.label
            )
        } else {
            format!(
                "Distribution of {}: histogram and kernel density (n = {}).",
                first.label, first.n
            )
        };
        b.figure(Chart::Distribution(run), caption);
    }
}

/// The regression tables, then the forest plots (linear, then generalized models) and the
/// scatter plots.
fn regression<'a>(b: &mut Builder<'a>, results: &'a Results) {
    let level = percent(results.level);
    let _ = writeln!(b.text, "## Regression models\n");
    for model in &results.models {
        let number = b.table();
        models::model_table(&mut b.text, results, model, number);
    }
    let linear = charts::forest::models(results, false);
    if !linear.is_empty() {
        b.figure(
            Chart::Forest {
                models: linear,
                ratio: false,
                level: results.level,
            },
            format!("Standardized coefficients of the predictors with {level} confidence intervals, grouped by predictor; one colour per outcome (linear models)."),
        );
    }
    let generalized = charts::forest::models(results, true);
    if !generalized.is_empty() {
        b.figure(
            Chart::Forest {
                models: generalized,
                ratio: true,
                level: results.level,
            },
            format!("Odds ratios (logistic) and incidence rate ratios (Poisson) of the predictors with {level} Wald intervals, on a log axis."),
        );
    }
    for scatter in &results.figures.scatter {
        b.figure(
            Chart::Scatter(scatter),
            format!(
                "{} against {} with the least-squares line and the {level} interval of the fitted mean (n = {}).",
                scatter.y_label, scatter.x_label, scatter.n
            ),
        );
    }
}

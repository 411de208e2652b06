//! The data behind the report's figures that `Results` does not already hold: item response
//! frequencies per scale, score distributions, reliability per scale, scatter plots with their
//! fitted line, and missingness. All of it goes into results.json, so that `kith chart` can draw
//! any figure from a results file alone.

use crate::dataset::{Dataset, Values, complete_rows};
use crate::distributions::t_quantile;
use crate::reliability::ReliabilityReport;
use crate::results::{
    DEFAULT_DPI, DataQuality, Distribution, Figures, ItemResponses, ReportOptions,
    ScaleReliabilitySummary, ScaleResponses, Scatter, Section,
};
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;

/// The most points a scatter plot keeps (an evenly spaced subset of larger samples).
pub const MAX_SCATTER_POINTS: usize = 2000;
/// Histogram bins of a score distribution.
pub const HISTOGRAM_BINS: usize = 20;

/// The most grid values one histogram bin shows each; beyond it, neighbouring values share bins.
const GRID_BINS: usize = 40;
/// The finest grid looked for: values that are multiples of 1/60 cover means of up to six items
/// and of every smaller number of answered items (60 is the least common multiple of 1…5 and 6).
const FINEST_GRID: u32 = 60;
/// The share of values that must be on a grid for the histogram to follow it: in the example,
/// 7% of career satisfaction scores are means of four of its five items.
const ON_GRID_SHARE: f64 = 0.75;
/// Values on a grid of more points than this (salaries in dollars) are binned as continuous.
const MAX_GRID_POINTS: usize = 200;

/// The edges of a histogram of `values` (between `low` and `high`). Values on a grid — sums of
/// item codes, means of k items, which are multiples of 1/k — get bins centred on the grid's
/// points, so that the bars show the values a score can take without false gaps and spikes;
/// other values get [`HISTOGRAM_BINS`] bins of equal width. Edges are half a grid step from
/// the grid's points, so no value on the grid sits on an edge.
pub fn histogram_edges(values: &[f64], low: f64, high: f64) -> Vec<f64> {
    // The coarsest grid that nearly every value is on: a few respondents who skipped an item
    // (means of k − 1 items) fall between its points and are counted in the nearest bin,
    // rather than splitting every bin in two.
    let on_grid = |d: f64| {
        let on = values
            .iter()
            .filter(|v| ((*v * d) - (*v * d).round()).abs() < 1e-6 * d.max(1.0))
            .count();
        on as f64 >= ON_GRID_SHARE * values.len() as f64
    };
    let grid = (1..=FINEST_GRID)
        .map(f64::from)
        .find(|d| on_grid(*d))
        .filter(|d| (((high - low) * d).round() as usize) < MAX_GRID_POINTS);
    match grid {
        Some(d) => {
            let step = 1.0 / d;
            let points = ((high - low) * d).round() as usize + 1;
            let per_bin = points.div_ceil(GRID_BINS);
            let width = step * per_bin as f64;
            let bins = points.div_ceil(per_bin);
            (0..=bins)
                .map(|i| low - step / 2.0 + width * i as f64)
                .collect()
        }
        None => {
            let (low, high) = if low == high {
                (low - 0.5, high + 0.5)
            } else {
                (low, high)
            };
            let width = (high - low) / HISTOGRAM_BINS as f64;
            (0..=HISTOGRAM_BINS)
                .map(|i| low + width * i as f64)
                .collect()
        }
    }
}

/// Item response counts for every score whose items share one rating scale.
pub fn item_responses(dataset: &Dataset, form: &Form) -> Vec<ScaleResponses> {
    let mut out = Vec::new();
    for score in form.scores() {
        let items: Vec<_> = score.items.iter().filter_map(|id| form.item(id)).collect();
        let Some(first) = items.first() else { continue };
        let ResponseScale::Likert { values, labels, .. } = &first.response else {
            continue;
        };
        if items.iter().any(|item| item.response != first.response) {
            continue;
        }
        let responses = items
            .iter()
            .filter_map(|item| {
                let Values::Numeric(answers) = &dataset.get(&item.item.id)?.values else {
                    return None;
                };
                let counts = values
                    .iter()
                    .map(|&code| answers.iter().filter(|&&a| a == code as f64).count())
                    .collect();
                Some(ItemResponses {
                    item: item.item.id.clone(),
                    text: item.item.text.clone(),
                    reverse: item.item.reverse,
                    counts,
                })
            })
            .collect();
        out.push(ScaleResponses {
            score: score.id.clone(),
            label: score.label.clone(),
            values: values.clone(),
            labels: labels.clone(),
            items: responses,
        });
    }
    out
}

/// R's type 7 quantile of sorted values.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let low = h.floor() as usize;
    let high = h.ceil() as usize;
    sorted[low] + (h - low as f64) * (sorted[high] - sorted[low])
}

/// The histogram bins of values: their edges, and the range the density is drawn over.
struct Bins {
    edges: Vec<f64>,
    low: f64,
    high: f64,
}

impl Bins {
    /// The bins of `present` (values that are not missing, at least one).
    fn of(present: &[f64]) -> Bins {
        let low = present.iter().copied().fold(f64::INFINITY, f64::min);
        let high = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let edges = histogram_edges(present, low, high);
        let (low, high) = if low == high {
            (low - 0.5, high + 0.5)
        } else {
            (low, high)
        };
        Bins { edges, low, high }
    }

    /// The distribution of `rows` (one group, or all) over these bins: counts, the five
    /// numbers and a kernel density; none with fewer than two values.
    fn describe(
        &self,
        rows: Vec<f64>,
        group: Option<String>,
        variable: &str,
        label: &str,
    ) -> Option<Distribution> {
        if rows.len() < 2 {
            return None;
        }
        let (edges, low, high) = (&self.edges, self.low, self.high);
        let bins = edges.len() - 1;
        let mut counts = vec![0; bins];
        for v in &rows {
            // The last edge at or below the value; the top edge belongs to the last bin.
            let bin = edges[1..bins].partition_point(|edge| *edge <= *v);
            counts[bin] += 1;
        }
        let n = rows.len();
        let mean = rows.iter().sum::<f64>() / n as f64;
        let sd = (rows.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let mut sorted = rows;
        sorted.sort_by(f64::total_cmp);
        let iqr = quantile(&sorted, 0.75) - quantile(&sorted, 0.25);
        let spread = sd.min(iqr / 1.34);
        let spread = if spread > 0.0 { spread } else { sd.max(1e-9) };
        let bandwidth = 0.9 * spread * (n as f64).powf(-0.2);
        let norm = 1.0 / (n as f64 * bandwidth * (2.0 * std::f64::consts::PI).sqrt());
        let density = (0..100)
            .map(|i| {
                let at = low + (high - low) * i as f64 / 99.0;
                let value: f64 = sorted
                    .iter()
                    .map(|v| (-0.5 * ((at - v) / bandwidth).powi(2)).exp())
                    .sum();
                [at, value * norm]
            })
            .collect();
        Some(Distribution {
            variable: variable.to_string(),
            label: label.to_string(),
            group,
            n,
            mean,
            sd,
            edges: edges.clone(),
            counts,
            five_numbers: [
                sorted[0],
                quantile(&sorted, 0.25),
                quantile(&sorted, 0.5),
                quantile(&sorted, 0.75),
                sorted[n - 1],
            ],
            density,
        })
    }
}

/// The distribution of values that are not missing (NaN), as the report's histograms draw
/// it; none with fewer than two values.
pub fn distribution_of(values: &[f64], variable: &str, label: &str) -> Option<Distribution> {
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.len() < 2 {
        return None;
    }
    Bins::of(&present).describe(present, None, variable, label)
}

/// The distribution of a numeric variable, overall or split by a categorical one.
pub fn distributions(dataset: &Dataset, variable: &str, group: Option<&str>) -> Vec<Distribution> {
    let Some(Values::Numeric(values)) = dataset.get(variable).map(|v| &v.values) else {
        return Vec::new();
    };
    let label = dataset
        .get(variable)
        .and_then(|v| v.label.clone())
        .unwrap_or_else(|| variable.to_string());
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.len() < 2 {
        return Vec::new();
    }
    let bins = Bins::of(&present);
    let describe = |rows: Vec<f64>, group: Option<String>| -> Option<Distribution> {
        bins.describe(rows, group, variable, &label)
    };
    match group.and_then(|g| dataset.get(g)) {
        Some(grouping) => {
            let Values::Categorical { codes, levels } = &grouping.values else {
                return describe(present, None).into_iter().collect();
            };
            levels
                .iter()
                .enumerate()
                .filter_map(|(code, level)| {
                    let rows: Vec<f64> = (0..dataset.n)
                        .filter(|&r| codes[r] == Some(code as u32) && !values[r].is_nan())
                        .map(|r| values[r])
                        .collect();
                    describe(rows, Some(level.clone()))
                })
                .collect()
        }
        None => describe(present, None).into_iter().collect(),
    }
}

/// The alpha (with Feldt's interval) and omega (with a bootstrap interval) of every score a
/// reliability report computed.
pub fn reliability_summary(
    report: &ReliabilityReport,
    dataset: &Dataset,
    form: &Form,
    seed: u64,
    level: f64,
) -> Vec<ScaleReliabilitySummary> {
    report
        .scores
        .iter()
        .map(|s| ScaleReliabilitySummary {
            score: s.id.clone(),
            label: s.label.clone(),
            n: s.n,
            alpha: s.alpha,
            alpha_ci: s.alpha_ci_feldt,
            omega_total: s.omega_total,
            omega_ci: s
                .omega_total
                .and_then(|_| crate::omega::interval(dataset, form, &s.id, seed, level)),
        })
        .collect()
}

/// A scatter plot of y on x with the OLS line and the `level` interval of the fitted mean.
pub fn scatter(dataset: &Dataset, x: &str, y: &str, level: f64) -> Option<Scatter> {
    let rows = complete_rows(dataset, &[x, y]);
    let numbers = |name: &str| match dataset.get(name).map(|v| &v.values) {
        Some(Values::Numeric(v)) => Some(rows.iter().map(|&r| v[r]).collect::<Vec<f64>>()),
        _ => None,
    };
    let (xs, ys) = (numbers(x)?, numbers(y)?);
    let n = xs.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = xs.iter().sum::<f64>() / nf;
    let my = ys.iter().sum::<f64>() / nf;
    let sxx: f64 = xs.iter().map(|v| (v - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(a, b)| (a - mx) * (b - my)).sum();
    let syy: f64 = ys.iter().map(|v| (v - my).powi(2)).sum();
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let rss: f64 = xs
        .iter()
        .zip(&ys)
        .map(|(a, b)| (b - intercept - slope * a).powi(2))
        .sum();
    let sigma = (rss / (nf - 2.0)).sqrt();
    let critical = t_quantile(0.5 + level / 2.0, nf - 2.0);
    let low = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let high = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let band = (0..50)
        .map(|i| {
            let at = low + (high - low) * i as f64 / 49.0;
            let fit = intercept + slope * at;
            let se = sigma * (1.0 / nf + (at - mx).powi(2) / sxx).sqrt();
            [at, fit, fit - critical * se, fit + critical * se]
        })
        .collect();
    let step = n.div_ceil(MAX_SCATTER_POINTS).max(1);
    let label = |name: &str| {
        dataset
            .get(name)
            .and_then(|v| v.label.clone())
            .unwrap_or_else(|| name.to_string())
    };
    Some(Scatter {
        x: x.to_string(),
        y: y.to_string(),
        x_label: label(x),
        y_label: label(y),
        n,
        r: sxy / (sxx * syy).sqrt(),
        intercept,
        slope,
        level,
        points: (0..n).step_by(step).map(|i| [xs[i], ys[i]]).collect(),
        band,
    })
}

/// Missing answers per item of the form and per respondent.
pub fn data_quality(dataset: &Dataset, form: &Form) -> DataQuality {
    let items: Vec<&crate::dataset::Variable> = form
        .items()
        .filter(|item| !matches!(item.response, ResponseScale::Text { .. }))
        .filter_map(|item| dataset.get(&item.item.id))
        .collect();
    let mut per_person = vec![0usize; dataset.n];
    let shares = items
        .iter()
        .map(|variable| {
            let id = &variable.name;
            let mut missing = 0;
            for (row, count) in per_person.iter_mut().enumerate() {
                if variable.values.is_missing(row) {
                    missing += 1;
                    *count += 1;
                }
            }
            (id.to_string(), missing as f64 / dataset.n.max(1) as f64)
        })
        .collect();
    let most = per_person.iter().copied().max().unwrap_or(0);
    let mut persons_by_missing = vec![0; most + 1];
    for count in per_person {
        persons_by_missing[count] += 1;
    }
    DataQuality {
        respondents: dataset.n,
        items: shares,
        persons_by_missing,
    }
}

/// Everything the report's figures need, as the plan's `report` key asks.
pub fn collect(
    plan: &crate::plan::Plan,
    dataset: &Dataset,
    form: Option<&Form>,
    reliability: Option<&ReliabilityReport>,
) -> Figures {
    let spec = &plan.report;
    let variables: Vec<String> = match &spec.distributions {
        Some(variables) => variables.clone(),
        None => plan
            .descriptives
            .iter()
            .filter(|v| {
                dataset
                    .get(v)
                    .is_some_and(|v| v.origin == crate::dataset::Origin::Score)
            })
            .cloned()
            .collect(),
    };
    Figures {
        report: ReportOptions {
            // The plan's sections were checked against `Section`'s names.
            sections: match &spec.sections {
                Some(names) => names.iter().filter_map(|n| Section::from_name(n)).collect(),
                None => Section::ALL.to_vec(),
            },
            dpi: spec.dpi.unwrap_or(DEFAULT_DPI),
            figure_titles: spec.figure_titles.unwrap_or(true),
            figure_width: spec.figure_width.unwrap_or_default(),
        },
        item_responses: form.map(|f| item_responses(dataset, f)).unwrap_or_default(),
        distributions: variables
            .iter()
            .flat_map(|v| distributions(dataset, v, spec.group.as_deref()))
            .collect(),
        reliability: match (reliability, form) {
            (Some(report), Some(form)) => {
                reliability_summary(report, dataset, form, plan.seed(), plan.level())
            }
            _ => Vec::new(),
        },
        scatter: spec
            .scatter
            .iter()
            .filter_map(|s| scatter(dataset, &s.x, &s.y, plan.level()))
            .collect(),
        quality: form.map(|f| data_quality(dataset, f)),
    }
}

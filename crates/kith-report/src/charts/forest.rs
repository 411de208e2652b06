//! A forest plot: standardized β of linear models, or odds and rate ratios of generalized
//! ones on a log axis, with intervals, grouped by predictor and coloured by outcome.

use super::frame::{Drawn, axis_ticks, label_column, x_axis};
use crate::format::{number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, TEXT, text_width, tick_label};
use crate::tables::standardized;
use kith_analysis::results::{CoefficientResult, ModelResult, Results};
use plotters::prelude::*;

/// The models of a forest plot: linear models (β) or generalized ones (ratios).
pub fn models(results: &Results, ratio: bool) -> Vec<&ModelResult> {
    results
        .models
        .iter()
        .filter(|m| (m.family.is_generalized()) == ratio)
        .collect()
}

/// The terms shown in a forest plot: every predictor's rows, per model.
pub fn groups(models: &[&ModelResult]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for model in models {
        for c in &model.coefficients {
            let is_predictor = model
                .predictors
                .iter()
                .any(|p| c.term == *p || c.term.starts_with(&format!("{p}=")));
            if is_predictor && !groups.contains(&c.term) {
                groups.push(c.term.clone());
            }
        }
    }
    groups
}

pub fn rows<'a>(models: &[&'a ModelResult]) -> Vec<(String, usize, &'a CoefficientResult)> {
    let mut rows = Vec::new();
    for term in groups(models) {
        for (index, model) in models.iter().enumerate() {
            if let Some(c) = model.coefficients.iter().find(|c| c.term == term) {
                rows.push((term.clone(), index, c));
            }
        }
    }
    rows
}

/// The chart's title and subtitle.
pub fn heading(models: &[&ModelResult], ratio: bool, level: f64) -> (String, String) {
    let level = percent(level);
    (
        if ratio {
            "Odds and rate ratios of the predictors"
        } else {
            "Standardized coefficients of the predictors"
        }
        .to_string(),
        format!(
            "{} with {level} intervals, by predictor and outcome{}",
            if ratio { "Ratios (log axis)" } else { "β" },
            if models.iter().all(|m| m.controls.is_empty()) {
                String::new()
            } else {
                "; controls not shown".to_string()
            }
        ),
    )
}

/// The legend's entries (one colour per outcome, since one predictor has a row per model):
/// each label, its x and its line; entries flow onto further lines rather than being left out.
fn legend(models: &[&ModelResult], width: f64, labels: &Labels) -> Vec<(String, f64, usize)> {
    super::frame::legend_entries(
        models
            .iter()
            .map(|model| format!("{} (n = {})", labels.get(&model.outcome), model.n)),
        width,
        260.0,
    )
}

/// The number of lines the legend takes.
fn legend_lines(models: &[&ModelResult], width: f64, labels: &Labels) -> usize {
    legend(models, width, labels)
        .last()
        .map_or(1, |(_, _, line)| line + 1)
}

/// The space a predictor's name takes above its rows: enough that it does not touch the first
/// row's label.
const GROUP_GAP: f64 = 22.0;

/// The chart's height at a canvas `width` wide.
pub fn height(models: &[&ModelResult], width: f64, labels: &Labels) -> f64 {
    let rows = rows(models).len();
    let groups = groups(models).len();
    let legend = legend_lines(models, width, labels) - 1;
    136.0 + 20.0 * rows as f64 + GROUP_GAP * groups as f64 + 16.0 * legend as f64
}

/// Draws one row per predictor term and model.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    models: &[&ModelResult],
    ratio: bool,
    labels: &Labels,
) -> Drawn {
    for ((text, x, line), index) in legend(models, p.width, labels).iter().zip(0..) {
        let y = 60.0 + 16.0 * *line as f64;
        p.circle(x + 5.0, y, 4.5, OKABE_ITO[index % 7], true)?;
        p.text(text, x + 14.0, y, TEXT, Anchor::Start, false, INK)?;
    }
    let shift = 16.0 * (legend_lines(models, p.width, labels) - 1) as f64;
    let rows = rows(models);
    let value = |c: &CoefficientResult| -> Option<(f64, [f64; 2])> {
        if ratio {
            let (r, ci) = (c.odds_ratio.or(c.irr)?, c.odds_ratio_ci.or(c.irr_ci)?);
            Some((r.ln(), [ci[0].ln(), ci[1].ln()]))
        } else {
            // A level of a factor has no β to plot (see `standardized`).
            Some((standardized(c)?, c.beta_ci?))
        }
    };
    let values: Vec<f64> = rows
        .iter()
        .filter_map(|(_, _, c)| value(c))
        .flat_map(|(v, ci)| [v, ci[0], ci[1]])
        .filter(|v| v.is_finite())
        .collect();
    let low = values.iter().copied().fold(0.0_f64, f64::min);
    let high = values.iter().copied().fold(0.0_f64, f64::max);
    let pad = (high - low).max(0.1) * 0.08;
    let (low, high) = (low - pad, high + pad);
    let outcomes: Vec<String> = models.iter().map(|m| labels.get(&m.outcome)).collect();
    // At a column's width, outcomes whose names would be cut leave the rows unlabelled: the
    // legend above gives each outcome's colour, in the rows' order.
    let labelled = !p.narrow()
        || outcomes
            .iter()
            .all(|o| p.margin() + text_width(o, TEXT, false) + 30.0 <= p.width * 0.4);
    let left = if labelled {
        label_column(p.width, &outcomes, TEXT, 30.0, 0.4)
    } else {
        p.margin() + 12.0
    };
    let (right, top) = (p.width - p.margin() - 8.0, 80.0 + shift);
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let groups = groups(models);
    let bottom = top + 20.0 * rows.len() as f64 + GROUP_GAP * groups.len() as f64;
    let marks: Vec<(f64, String)> = if ratio {
        [0.25_f64, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0]
            .iter()
            .filter(|r| (low..=high).contains(&r.ln()))
            .map(|&r| (r.ln(), number(r, 2)))
            .collect()
    } else {
        let t = axis_ticks(low, high, right - left);
        let step = t.get(1).map_or(0.1, |b| b - t[0]);
        t.iter().map(|&v| (v, tick_label(v, step))).collect()
    };
    x_axis(
        p,
        left,
        right,
        top,
        bottom,
        &marks,
        &to_x,
        if ratio {
            "Ratio (log scale)"
        } else {
            "Standardized β"
        },
    )?;
    p.line(&[(to_x(0.0), top), (to_x(0.0), bottom)], INK, 1.0)?;
    let mut y = top + 8.0;
    let mut current = String::new();
    for (term, model, c) in &rows {
        if *term != current {
            current = term.clone();
            y += GROUP_GAP;
            // The predictor heads its rows on a line of its own, which no interval crosses,
            // so it may run over the plot, on a white ground that hides the grid lines.
            let head = p.fit_weight(&labels.get(term), TEXT, true, p.width - 2.0 * p.margin());
            let head_width = text_width(&head, TEXT, true);
            p.rect(
                p.margin() - 2.0,
                y - 21.0,
                p.margin() + head_width + 3.0,
                y - 7.0,
                WHITE,
                true,
            )?;
            p.text(&head, p.margin(), y - 14.0, TEXT, Anchor::Start, true, INK)?;
        }
        let colour = OKABE_ITO[model % 7];
        if labelled {
            p.text(
                &p.fit(
                    &labels.get(&models[*model].outcome),
                    TEXT,
                    left - 10.0 - p.margin() - 10.0,
                ),
                left - 10.0,
                y + 2.0,
                TEXT,
                Anchor::End,
                false,
                MUTED,
            )?;
        }
        if let Some((v, ci)) = value(c).filter(|(v, _)| v.is_finite()) {
            p.line(
                &[(to_x(ci[0]), y + 2.0), (to_x(ci[1]), y + 2.0)],
                colour,
                2.0,
            )?;
            p.circle(to_x(v), y + 2.0, 4.5, colour, true)?;
        }
        y += 20.0;
    }
    Ok(())
}

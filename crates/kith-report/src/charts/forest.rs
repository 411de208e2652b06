//! A forest plot: standardized β of linear models, or odds and rate ratios of generalized
//! ones on a log axis, with intervals, grouped by predictor and coloured by outcome.

use super::frame::{Drawn, title, x_axis};
use crate::format::{number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, tick_label, ticks};
use crate::tables::models::standardized;
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

/// Draws one row per predictor term and model.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    models: &[&ModelResult],
    ratio: bool,
    level: f64,
    labels: &Labels,
) -> Drawn {
    let level = percent(level);
    title(
        p,
        if ratio {
            "Odds and rate ratios of the predictors"
        } else {
            "Standardized coefficients of the predictors"
        },
        &format!(
            "{} with {level} intervals, by predictor and outcome{}",
            if ratio { "Ratios (log axis)" } else { "β" },
            if models.iter().all(|m| m.controls.is_empty()) {
                String::new()
            } else {
                "; controls not shown".to_string()
            }
        ),
    )?;
    // The legend gives one colour per outcome, since one predictor has a row per model.
    let mut x = 16.0;
    for (index, model) in models.iter().enumerate() {
        let text = format!("{} (n = {})", labels.get(&model.outcome), model.n);
        let text = p.fit(&text, 10.5, 220.0);
        let width = p.text_width(&text, 10.5, false);
        if x + width + 20.0 > p.width - 16.0 {
            break;
        }
        p.circle(x + 5.0, 60.0, 4.5, OKABE_ITO[index % 7], true)?;
        p.text(&text, x + 14.0, 60.0, 10.5, Anchor::Start, false, INK)?;
        x += width + 28.0;
    }
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
    let (left, right, top) = (230.0, p.width - 24.0, 80.0);
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let groups = groups(models);
    let bottom = top + 20.0 * rows.len() as f64 + 16.0 * groups.len() as f64;
    let marks: Vec<(f64, String)> = if ratio {
        [0.25_f64, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0]
            .iter()
            .filter(|r| (low..=high).contains(&r.ln()))
            .map(|&r| (r.ln(), number(r, 2)))
            .collect()
    } else {
        let t = ticks(low, high, 6);
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
            y += 16.0;
            p.text(
                &p.fit(&labels.get(term), 11.5, left - 20.0),
                16.0,
                y - 8.0,
                11.5,
                Anchor::Start,
                true,
                INK,
            )?;
        }
        let colour = OKABE_ITO[model % 7];
        p.text(
            &p.fit(&labels.get(&models[*model].outcome), 10.5, left - 40.0),
            left - 10.0,
            y + 2.0,
            10.5,
            Anchor::End,
            false,
            MUTED,
        )?;
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

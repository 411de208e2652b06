//! Relative importance: each predictor's weight as a bar with its bootstrap interval, and its
//! share of R² in a column of its own at the right.

use super::frame::{Drawn, axis_ticks, label_column, x_axis};
use crate::format::{bounded, number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, TEXT, text_width, tick_label};
use kith_analysis::results::{ImportanceMethod, ImportanceResult};
use plotters::prelude::*;

/// The chart's height at a canvas `width` wide.
pub fn height(result: &ImportanceResult, _width: f64) -> f64 {
    112.0 + 34.0 * result.weights.len() as f64
}

/// The chart's title and subtitle.
pub fn heading(r: &ImportanceResult, level: f64, labels: &Labels) -> (String, String) {
    (
        format!("What matters most for {}", labels.get(&r.outcome)),
        format!(
            "{} with {} bootstrap intervals; R² = {}, n = {}",
            if r.method == ImportanceMethod::Dominance {
                "General dominance weights"
            } else {
                "Relative weights"
            },
            percent(level),
            bounded(r.r2, 2),
            r.n
        ),
    )
}

/// Draws the predictors sorted by weight, largest first.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, r: &ImportanceResult, labels: &Labels) -> Drawn {
    // The shares stand in their own column right of the plot, so that they never sit on an
    // interval's end.
    let share_column = p.width - p.margin();
    let names: Vec<String> = r.weights.iter().map(|w| labels.get(&w.predictor)).collect();
    let left = label_column(p.width, &names, TEXT, 20.0, 0.4);
    let share_title = "Share of R²";
    let share_width = text_width(share_title, TEXT, false) + 12.0;
    let (right, top) = (share_column - share_width.max(48.0), 60.0);
    let bottom = top + 34.0 * r.weights.len() as f64;
    let high = r
        .weights
        .iter()
        .map(|w| w.ci[1].max(w.weight))
        .filter(|v| v.is_finite())
        .fold(0.01_f64, f64::max)
        * 1.08;
    let to_x = |v: f64| left + v.max(0.0) / high * (right - left);
    let t = axis_ticks(0.0, high, right - left);
    let step = t.get(1).map_or(0.01, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    let weight = if r.method == ImportanceMethod::Dominance {
        "General dominance weight"
    } else {
        "Relative weight"
    };
    x_axis(p, left, right, top, bottom, &marks, &to_x, weight)?;
    p.text(
        share_title,
        share_column,
        top - 8.0,
        TEXT,
        Anchor::End,
        false,
        MUTED,
    )?;
    let mut weights: Vec<_> = r.weights.iter().collect();
    weights.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    for (row, w) in weights.iter().enumerate() {
        let y = top + 34.0 * row as f64 + 17.0;
        p.row_label(&labels.get(&w.predictor), left, y)?;
        p.rect(
            to_x(0.0),
            y - 10.0,
            to_x(w.weight),
            y + 10.0,
            OKABE_ITO[0],
            true,
        )?;
        p.line(&[(to_x(w.ci[0]), y), (to_x(w.ci[1]), y)], INK, 1.5)?;
        p.line(
            &[(to_x(w.ci[0]), y - 5.0), (to_x(w.ci[0]), y + 5.0)],
            INK,
            1.5,
        )?;
        p.line(
            &[(to_x(w.ci[1]), y - 5.0), (to_x(w.ci[1]), y + 5.0)],
            INK,
            1.5,
        )?;
        p.text(
            &format!("{}%", number(w.share * 100.0, 0)),
            share_column,
            y,
            TEXT,
            Anchor::End,
            false,
            INK,
        )?;
    }
    Ok(())
}

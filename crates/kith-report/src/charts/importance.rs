//! Relative importance: each predictor's weight as a bar with its bootstrap interval, and its
//! share of R² in a column of its own at the right.

use super::frame::{Drawn, title, x_axis};
use crate::format::{bounded, number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, tick_label, ticks};
use kith_analysis::results::{ImportanceMethod, ImportanceResult};
use plotters::prelude::*;

/// Draws the predictors sorted by weight, largest first.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    r: &ImportanceResult,
    level: f64,
    labels: &Labels,
) -> Drawn {
    title(
        p,
        &format!("What matters most for {}", labels.get(&r.outcome)),
        &format!(
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
    )?;
    // The shares stand in their own column right of the plot, so that they never sit on an
    // interval's end.
    let share_column = p.width - 24.0;
    let (left, right, top) = (230.0, share_column - 64.0, 60.0);
    let bottom = top + 34.0 * r.weights.len() as f64;
    let high = r
        .weights
        .iter()
        .map(|w| w.ci[1].max(w.weight))
        .filter(|v| v.is_finite())
        .fold(0.01_f64, f64::max)
        * 1.08;
    let to_x = |v: f64| left + v.max(0.0) / high * (right - left);
    let t = ticks(0.0, high, 5);
    let step = t.get(1).map_or(0.01, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    let weight = if r.method == ImportanceMethod::Dominance {
        "General dominance weight"
    } else {
        "Relative weight"
    };
    x_axis(p, left, right, top, bottom, &marks, &to_x, weight)?;
    p.text(
        "Share of R²",
        share_column,
        top - 8.0,
        10.5,
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
            10.5,
            Anchor::End,
            false,
            INK,
        )?;
    }
    Ok(())
}

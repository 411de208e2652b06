//! Alpha and omega total per scale with their intervals, and a dashed line at .70.

use super::frame::{Drawn, axis_ticks, label_column, x_axis};
use crate::format::{bounded, percent};
use crate::paint::{Anchor, INK, OKABE_ITO, Painter, TEXT, margin, text_width};
use kith_analysis::results::ScaleReliabilitySummary;
use plotters::prelude::*;

/// The chart's title and subtitle.
pub fn heading(scales: &[ScaleReliabilitySummary]) -> (String, String) {
    let n = scales.iter().map(|s| s.n).max().unwrap_or(0);
    (
        "Reliability of the scales".to_string(),
        format!(
            "Alpha with its 95% Feldt interval, omega total with a bootstrap interval; dashed line at .70; n = {n}"
        ),
    )
}

/// The legend's two entries, and whether they fit on one line at a canvas `width` wide.
fn legend(level: f64) -> [String; 2] {
    [
        "alpha [95% CI]".to_string(),
        format!("omega total [{} CI]", percent(level)),
    ]
}

/// The width of the legend on one line: a marker, its label and a gap, twice.
fn legend_width(level: f64) -> f64 {
    legend(level)
        .iter()
        .map(|t| 14.0 + text_width(t, TEXT, false))
        .sum::<f64>()
        + 16.0
}

/// The legend takes two lines where one would not fit between the margins.
fn legend_lines(width: f64) -> usize {
    // The widest level's text ("99.9%") is measured, so that the height does not depend on it.
    if legend_width(0.999) > width - 2.0 * margin(width) {
        2
    } else {
        1
    }
}

/// The chart's height at a canvas `width` wide.
pub fn height(scales: &[ScaleReliabilitySummary], width: f64) -> f64 {
    120.0 + row_height(width) * scales.len() as f64 + 16.0 * (legend_lines(width) - 1) as f64
}

/// The height of a scale's row: taller at a column's width, where a label may take two lines.
fn row_height(width: f64) -> f64 {
    if width < 500.0 { 34.0 } else { 30.0 }
}

/// Draws one row per scale: alpha as a dot, omega as a square just below it. Alpha's Feldt
/// interval is computed at 95% whatever the plan's level; omega's bootstrap interval at
/// `level`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    scales: &[ScaleReliabilitySummary],
    level: f64,
) -> Drawn {
    let labels: Vec<String> = scales.iter().map(|s| s.label.clone()).collect();
    let left = label_column(p.width, &labels, TEXT, 20.0, 0.4);
    let lines = legend_lines(p.width);
    let (right, top) = (p.width - p.margin() - 8.0, 72.0 + 16.0 * (lines - 1) as f64);
    let row = row_height(p.width);
    let bottom = top + row * scales.len() as f64;
    let low = scales
        .iter()
        .flat_map(|s| [s.alpha_ci[0], s.omega_total.unwrap_or(1.0)])
        .filter(|v| v.is_finite())
        .fold(0.6_f64, f64::min)
        .max(0.0);
    let low = (low * 10.0).floor() / 10.0;
    let to_x = |v: f64| left + (v - low) / (1.0 - low) * (right - left);
    let marks: Vec<(f64, String)> = axis_ticks(low, 1.0, right - left)
        .iter()
        .map(|&v| (v, bounded(v, 1)))
        .collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, "Reliability")?;
    p.dashed((to_x(0.7), top), (to_x(0.7), bottom), INK)?;
    // The legend tells the dot (alpha) from the square (omega), which share a row. It starts
    // over the plot where it fits there, else at the margin, on two lines if need be.
    let [alpha, omega] = legend(level);
    let x = if left + legend_width(level) <= p.width - p.margin() {
        left
    } else {
        p.margin()
    };
    p.circle(x + 4.0, 58.0, 4.0, OKABE_ITO[0], true)?;
    p.text(&alpha, x + 12.0, 58.0, TEXT, Anchor::Start, false, INK)?;
    let (x, y) = if lines == 1 {
        (x + 12.0 + text_width(&alpha, TEXT, false) + 16.0, 58.0)
    } else {
        (x, 74.0)
    };
    p.rect(x, y - 4.0, x + 8.0, y + 4.0, OKABE_ITO[3], true)?;
    p.text(&omega, x + 12.0, y, TEXT, Anchor::Start, false, INK)?;
    for (index, s) in scales.iter().enumerate() {
        let y = top + row * index as f64 + row / 2.0;
        p.row_label(&s.label, left, y)?;
        if s.alpha_ci.iter().all(|v| v.is_finite()) {
            p.line(
                &[
                    (to_x(s.alpha_ci[0].max(low)), y),
                    (to_x(s.alpha_ci[1].min(1.0)), y),
                ],
                OKABE_ITO[0],
                2.0,
            )?;
        }
        if s.alpha.is_finite() {
            p.circle(to_x(s.alpha.max(low)), y, 4.5, OKABE_ITO[0], true)?;
        }
        if let Some(omega) = s.omega_total.filter(|o| o.is_finite()) {
            // Omega sits a little below alpha so that the two intervals do not hide each other.
            let y = y + 7.0;
            if let Some(ci) = s.omega_ci.filter(|ci| ci.iter().all(|v| v.is_finite())) {
                p.line(
                    &[(to_x(ci[0].max(low)), y), (to_x(ci[1].min(1.0)), y)],
                    OKABE_ITO[3],
                    2.0,
                )?;
            }
            let x = to_x(omega.max(low));
            p.rect(x - 4.0, y - 4.0, x + 4.0, y + 4.0, OKABE_ITO[3], true)?;
        }
    }
    Ok(())
}

//! Alpha and omega total per scale with their intervals, and a dashed line at .70.

use super::frame::{Drawn, title, x_axis};
use crate::format::{bounded, percent};
use crate::paint::{Anchor, INK, OKABE_ITO, Painter, ticks};
use kith_analysis::results::ScaleReliabilitySummary;
use plotters::prelude::*;

/// Draws one row per scale: alpha as a dot, omega as a square just below it. Alpha's Feldt
/// interval is computed at 95% whatever the plan's level; omega's bootstrap interval at
/// `level`.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    scales: &[ScaleReliabilitySummary],
    level: f64,
) -> Drawn {
    let n = scales.iter().map(|s| s.n).max().unwrap_or(0);
    title(
        p,
        "Reliability of the scales",
        &format!(
            "Alpha with its 95% Feldt interval, omega total with a bootstrap interval; dashed line at .70; n = {n}"
        ),
    )?;
    let (left, right, top) = (240.0, p.width - 24.0, 64.0);
    let bottom = top + 30.0 * scales.len() as f64;
    let low = scales
        .iter()
        .flat_map(|s| [s.alpha_ci[0], s.omega_total.unwrap_or(1.0)])
        .filter(|v| v.is_finite())
        .fold(0.6_f64, f64::min)
        .max(0.0);
    let low = (low * 10.0).floor() / 10.0;
    let to_x = |v: f64| left + (v - low) / (1.0 - low) * (right - left);
    let marks: Vec<(f64, String)> = ticks(low, 1.0, 5)
        .iter()
        .map(|&v| (v, bounded(v, 1)))
        .collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, "Reliability")?;
    p.dashed((to_x(0.7), top), (to_x(0.7), bottom), INK)?;
    // The legend tells the dot (alpha) from the square (omega), which share a row.
    p.circle(left, 50.0, 4.0, OKABE_ITO[0], true)?;
    p.text(
        "alpha [95% CI]",
        left + 8.0,
        50.0,
        10.5,
        Anchor::Start,
        false,
        INK,
    )?;
    p.rect(left + 110.0, 46.0, left + 118.0, 54.0, OKABE_ITO[3], true)?;
    p.text(
        &format!("omega total [{} CI]", percent(level)),
        left + 123.0,
        50.0,
        10.5,
        Anchor::Start,
        false,
        INK,
    )?;
    for (row, s) in scales.iter().enumerate() {
        let y = top + 30.0 * row as f64 + 15.0;
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

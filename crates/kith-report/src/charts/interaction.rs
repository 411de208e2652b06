//! The interaction plot of a moderation model: the predicted outcome across X (its mean ± 1
//! SD) at each probe value or level of the moderator, one line each with its confidence band,
//! in the outcome's units.

use super::frame::{Drawn, Plane};
use crate::format::{number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, MUTED, OKABE_ITO, Painter, TEXT};
use kith_analysis::results::ModerationResult;
use plotters::prelude::*;

/// The chart's title and subtitle.
pub fn heading(m: &ModerationResult, level: f64, labels: &Labels) -> (String, String) {
    (
        format!(
            "{} by {} at values of {}",
            labels.get(&m.y),
            labels.get(&m.x),
            labels.get(&m.w)
        ),
        format!(
            "Predicted {} with {} confidence bands, from one SD below to one SD above the mean of {}{}",
            labels.get(&m.y),
            percent(level),
            labels.get(&m.x),
            if m.covariates.is_empty() {
                String::new()
            } else {
                "; covariates at their means".to_string()
            }
        ),
    )
}

/// The label of probe `k`: the moderator's value or level (the moderator's name heads the
/// labels' column).
fn probe_name(m: &ModerationResult, k: usize) -> String {
    let e = &m.conditional_effects[k];
    match (&e.level, e.w) {
        (Some(level), _) => level.clone(),
        (None, Some(w)) => number(w, 2),
        _ => String::new(),
    }
}

/// Draws one band and line per probe value, the line labelled at its right end; the bands
/// are light enough that overlapping ones stay readable.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &ModerationResult, labels: &Labels) -> Drawn {
    if m.predicted.is_empty() {
        return Ok(());
    }
    let x = (m.x_mean - m.x_sd, m.x_mean + m.x_sd);
    let (low, high) = m
        .predicted
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), point| {
            (a.min(point.lower), b.max(point.upper))
        });
    let mut plane = Plane::new(p, x, (low, high));
    // Room at the right for the lines' labels.
    let names: Vec<String> = (0..m.predicted.len()).map(|k| probe_name(m, k)).collect();
    let widest = names
        .iter()
        .map(|n| p.text_width(n, TEXT, false))
        .fold(0.0, f64::max);
    let column = widest.min(p.width * 0.3).max(40.0) + 10.0;
    plane.right -= column;
    plane.axes(p, &labels.get(&m.x), &labels.get(&m.y))?;
    p.text(
        &p.fit(&labels.get(&m.w), TEXT, column + p.margin()),
        plane.right + 6.0,
        plane.top - 10.0,
        TEXT,
        Anchor::Start,
        false,
        MUTED,
    )?;
    for (k, line) in m.predicted.iter().enumerate() {
        let color = OKABE_ITO[k % OKABE_ITO.len()];
        let mut band: Vec<(f64, f64)> = line
            .iter()
            .map(|point| (plane.to_x(point.x), plane.to_y(point.upper)))
            .collect();
        band.extend(
            line.iter()
                .rev()
                .map(|point| (plane.to_x(point.x), plane.to_y(point.lower))),
        );
        p.polygon(&band, color.mix(0.15))?;
    }
    for (k, line) in m.predicted.iter().enumerate() {
        let color = OKABE_ITO[k % OKABE_ITO.len()];
        let points: Vec<(f64, f64)> = line
            .iter()
            .map(|point| (plane.to_x(point.x), plane.to_y(point.fit)))
            .collect();
        p.line(&points, color, 2.5)?;
        if let Some(end) = points.last() {
            p.text(
                &names[k],
                end.0 + 6.0,
                end.1,
                TEXT,
                Anchor::Start,
                false,
                color,
            )?;
        }
    }
    Ok(())
}

//! The interaction plot of a moderation model: the predicted outcome across X (its mean ± 1
//! SD) at each probe value or level of the moderator, one line each with its confidence band,
//! in the outcome's units; with a multicategorical X, across W with one line per level of X.

use super::frame::{Drawn, Plane};
use crate::format::{number, percent};
use crate::labels::Labels;
use crate::paint::{Anchor, MUTED, OKABE_ITO, Painter, TEXT, line_height};
use kith_analysis::results::{ModerationResult, MulticategoricalModerationResult, PredictedPoint};
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

/// One band and line per probe value of W (or per level of a multicategorical X, across W).
struct Lines<'a> {
    lines: &'a [Vec<PredictedPoint>],
    names: Vec<String>,
    x_label: String,
    y_label: String,
    /// What the lines' labels are values or levels of.
    legend: String,
}

/// Draws one band and line per probe value, the line labelled at its right end; the bands
/// are light enough that overlapping ones stay readable.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &ModerationResult, labels: &Labels) -> Drawn {
    draw_lines(
        p,
        &Lines {
            lines: &m.predicted,
            names: (0..m.predicted.len()).map(|k| probe_name(m, k)).collect(),
            x_label: labels.get(&m.x),
            y_label: labels.get(&m.y),
            legend: labels.get(&m.w),
        },
    )
}

/// The title and subtitle of the plot of a multicategorical X: the outcome across W, one line
/// per level of X.
pub fn factor_heading(
    m: &MulticategoricalModerationResult,
    level: f64,
    labels: &Labels,
) -> (String, String) {
    (
        format!(
            "{} by {} across {}",
            labels.get(&m.y),
            labels.get(&m.x),
            labels.get(&m.w)
        ),
        format!(
            "Predicted {} for each level of {} with {} confidence bands, {}{}",
            labels.get(&m.y),
            labels.get(&m.x),
            percent(level),
            if m.moderator == "two-valued" {
                format!("at both values of {}", labels.get(&m.w))
            } else {
                format!(
                    "from one SD below to one SD above the mean of {}",
                    labels.get(&m.w)
                )
            },
            if m.covariates.is_empty() {
                String::new()
            } else {
                "; covariates at their means".to_string()
            }
        ),
    )
}

/// Draws the plot of a multicategorical X: W along the axis, a line per level of X.
pub fn draw_factor<DB: DrawingBackend>(
    p: &Painter<DB>,
    m: &MulticategoricalModerationResult,
    labels: &Labels,
) -> Drawn {
    let names = std::iter::once(m.reference_level.clone())
        .chain(m.levels.iter().cloned())
        .collect();
    draw_lines(
        p,
        &Lines {
            lines: &m.predicted,
            names,
            x_label: labels.get(&m.w),
            y_label: labels.get(&m.y),
            legend: labels.get(&m.x),
        },
    )
}

fn draw_lines<DB: DrawingBackend>(p: &Painter<DB>, l: &Lines) -> Drawn {
    let points = || l.lines.iter().flatten();
    if points().next().is_none() {
        return Ok(());
    }
    let x = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), point| {
        (a.min(point.x), b.max(point.x))
    });
    let (low, high) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), point| {
        (a.min(point.lower), b.max(point.upper))
    });
    let mut plane = Plane::new(p, x, (low, high));
    // Room at the right for the lines' labels.
    let names = &l.names;
    let widest = names
        .iter()
        .map(|n| p.text_width(n, TEXT, false))
        .fold(0.0, f64::max);
    let column = widest.min(p.width * 0.3).max(40.0) + 10.0;
    plane.right -= column;
    plane.axes(p, &l.x_label, &l.y_label)?;
    p.text(
        &p.fit(&l.legend, TEXT, column + p.margin()),
        plane.right + 6.0,
        plane.top - 10.0,
        TEXT,
        Anchor::Start,
        false,
        MUTED,
    )?;
    for (k, line) in l.lines.iter().enumerate() {
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
    let mut ends = Vec::new();
    for (k, line) in l.lines.iter().enumerate() {
        let color = OKABE_ITO[k % OKABE_ITO.len()];
        let points: Vec<(f64, f64)> = line
            .iter()
            .map(|point| (plane.to_x(point.x), plane.to_y(point.fit)))
            .collect();
        p.line(&points, color, 2.5)?;
        if let Some(end) = points.last() {
            ends.push((k, *end));
        }
    }
    // Labels of lines that end close together are moved apart, top to bottom, so that none
    // covers another.
    ends.sort_by(|a, b| a.1.1.total_cmp(&b.1.1));
    let gap = line_height(TEXT);
    let mut previous = f64::NEG_INFINITY;
    for (k, (x, y)) in ends {
        let y = y.max(previous + gap);
        previous = y;
        let color = OKABE_ITO[k % OKABE_ITO.len()];
        if let Some(name) = names.get(k) {
            // A long level name ends in an ellipsis rather than run off the canvas.
            let name = p.fit(name, TEXT, column - 6.0);
            p.text(&name, x + 6.0, y, TEXT, Anchor::Start, false, color)?;
        }
    }
    Ok(())
}

//! A moderated mediation's conditional indirect effects: for each mediator, a dot at each
//! probe value of the moderator with its bootstrap interval, a line at zero, and the index of
//! moderated mediation in the subtitle.

use super::frame::{Drawn, axis_ticks, label_column, x_axis};
use crate::format::{interval, number, percent};
use crate::labels::Labels;
use crate::paint::{MUTED, OKABE_ITO, Painter, TEXT, tick_label};
use kith_analysis::results::ModeratedMediationResult;
use plotters::prelude::*;

const ROW: f64 = 34.0;

fn rows(m: &ModeratedMediationResult) -> usize {
    m.mediators.len() * m.probe_values.len()
}

/// The chart's height at a canvas `width` wide.
pub fn height(m: &ModeratedMediationResult, _width: f64) -> f64 {
    112.0 + ROW * rows(m) as f64
}

/// The chart's title and subtitle.
pub fn heading(m: &ModeratedMediationResult, labels: &Labels) -> (String, String) {
    let indices: Vec<String> = m
        .mediators
        .iter()
        .map(|p| {
            format!(
                "index {} {}",
                number(p.index.estimate, 3),
                interval(p.index.ci, 3)
            )
        })
        .collect();
    (
        format!(
            "The indirect effect of {} on {} at values of {}",
            labels.get(&m.x),
            labels.get(&m.y),
            labels.get(&m.w)
        ),
        format!(
            "PROCESS model {}; {} bootstrap intervals; {}",
            m.model,
            percent(m.level),
            indices.join("; ")
        ),
    )
}

/// Draws one row per mediator and probe value.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    m: &ModeratedMediationResult,
    labels: &Labels,
) -> Drawn {
    let names: Vec<String> = m
        .mediators
        .iter()
        .flat_map(|path| {
            m.probe_values.iter().map(move |w| {
                format!(
                    "{}, {} = {}",
                    labels.get(&path.mediator),
                    labels.get(&m.w),
                    number(*w, 2)
                )
            })
        })
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let left = label_column(p.width, &names, TEXT, 20.0, 0.45);
    let (right, top) = (p.width - p.margin() - 8.0, 60.0);
    let bottom = top + ROW * names.len() as f64;
    let (low, high) = m
        .mediators
        .iter()
        .flat_map(|path| path.conditional.iter().flat_map(|e| [e.ci[0], e.ci[1]]))
        .filter(|v| v.is_finite())
        .fold((0.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
    let pad = (high - low).max(1e-9) * 0.08;
    let (low, high) = (low - pad, high + pad);
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let t = axis_ticks(low, high, right - left);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t
        .iter()
        .filter(|v| (low..=high).contains(*v))
        .map(|&v| (v, tick_label(v, step)))
        .collect();
    x_axis(
        p,
        left,
        right,
        top,
        bottom,
        &marks,
        &to_x,
        "Conditional indirect effect",
    )?;
    p.dashed((to_x(0.0), top), (to_x(0.0), bottom), MUTED)?;
    let mut row = 0;
    for (j, path) in m.mediators.iter().enumerate() {
        for e in &path.conditional {
            let y = top + ROW * row as f64 + ROW / 2.0;
            p.row_label(&names[row], left, y)?;
            let (a, b) = (to_x(e.ci[0]), to_x(e.ci[1]));
            let color = OKABE_ITO[j % OKABE_ITO.len()];
            p.line(&[(a, y), (b, y)], color, 1.5)?;
            p.line(&[(a, y - 5.0), (a, y + 5.0)], color, 1.5)?;
            p.line(&[(b, y - 5.0), (b, y + 5.0)], color, 1.5)?;
            p.circle(to_x(e.estimate), y, 5.0, color, true)?;
            row += 1;
        }
    }
    Ok(())
}

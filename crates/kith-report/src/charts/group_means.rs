//! A comparison's group means: a dot at each group's mean with its confidence interval, one
//! row per group, on the outcome's own scale (not from zero: means are compared by their
//! intervals, not by bar lengths), with each group's n at the right.

use super::frame::{Drawn, axis_ticks, label_column, x_axis};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, TEXT, tick_label};
use crate::tables::comparisons::means_test;
use kith_analysis::results::ComparisonResult;
use plotters::prelude::*;

const ROW: f64 = 34.0;

fn rows(c: &ComparisonResult) -> usize {
    c.means.as_ref().map_or(0, |m| m.groups.len())
}

/// The chart's height at a canvas `width` wide.
pub fn height(c: &ComparisonResult, _width: f64) -> f64 {
    112.0 + ROW * rows(c) as f64
}

/// The chart's title and subtitle.
pub fn heading(c: &ComparisonResult, level: f64, labels: &Labels) -> (String, String) {
    let test = c.means.as_ref().map(means_test).unwrap_or_default();
    (
        format!("{} by {}", labels.get(&c.outcome), labels.get(&c.group)),
        format!(
            "Means with {} intervals; {}",
            crate::format::percent(level),
            test.split(", d =")
                .next()
                .unwrap_or(&test)
                .split(", η²")
                .next()
                .unwrap_or(&test)
        ),
    )
}

/// Draws the groups in their order, top to bottom.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, c: &ComparisonResult, labels: &Labels) -> Drawn {
    let Some(means) = &c.means else {
        return Ok(());
    };
    let n_column = p.width - p.margin();
    let names: Vec<String> = means.groups.iter().map(|g| g.level.clone()).collect();
    let left = label_column(p.width, &names, TEXT, 20.0, 0.4);
    let (right, top) = (n_column - 48.0, 60.0);
    let bottom = top + ROW * means.groups.len() as f64;
    let ends = means
        .groups
        .iter()
        .flat_map(|g| [g.ci[0], g.ci[1], g.mean])
        .filter(|v| v.is_finite());
    let (low, high) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    let (low, high) = if low < high {
        let pad = (high - low) * 0.08;
        (low - pad, high + pad)
    } else {
        (low - 1.0, high + 1.0)
    };
    let t = axis_ticks(low, high, right - left);
    let (low, high) = (
        t.first().copied().unwrap_or(low).min(low),
        t.last().copied().unwrap_or(high).max(high),
    );
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
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
        &labels.get(&c.outcome),
    )?;
    p.text("n", n_column, top - 8.0, TEXT, Anchor::End, false, MUTED)?;
    for (row, g) in means.groups.iter().enumerate() {
        let y = top + ROW * row as f64 + ROW / 2.0;
        p.row_label(&g.level, left, y)?;
        let (a, b) = (to_x(g.ci[0]), to_x(g.ci[1]));
        p.line(&[(a, y), (b, y)], INK, 1.5)?;
        p.line(&[(a, y - 5.0), (a, y + 5.0)], INK, 1.5)?;
        p.line(&[(b, y - 5.0), (b, y + 5.0)], INK, 1.5)?;
        p.circle(to_x(g.mean), y, 5.0, OKABE_ITO[0], true)?;
        p.text(&g.n.to_string(), n_column, y, TEXT, Anchor::End, false, INK)?;
    }
    Ok(())
}

//! The screening indices as small multiples: one histogram of respondents per index, with a
//! dashed line at the cut-off that flags on it (the plan's rule, or the default flag) and the
//! number it flags.

use super::frame::{Drawn, axis_ticks, y_labels};
use crate::format::number;
use crate::paint::{Anchor, GRID, INK, MUTED, OKABE_ITO, Painter, TEXT, tick_label};
use kith_analysis::results::{IndexHistogram, ScreeningResult};
use plotters::prelude::*;

/// Where the first panel starts, below the heading.
const TOP: f64 = 60.0;
/// The height of one panel, its titles and tick labels included.
const PANEL: f64 = 190.0;

/// The chart's title and subtitle.
pub fn heading(s: &ScreeningResult) -> (String, String) {
    (
        "Careless-responding indices".to_string(),
        format!(
            "Number of respondents by value, n = {}; dashed lines mark the cut-offs",
            s.n_screened
        ),
    )
}

/// Panels side by side: two at a page's width, one at a column's.
fn columns(width: f64) -> usize {
    if width < 500.0 { 1 } else { 2 }
}

pub fn height(s: &ScreeningResult, width: f64) -> f64 {
    let rows = s.histograms.len().div_ceil(columns(width));
    TOP + PANEL * rows as f64 + 8.0
}

pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, s: &ScreeningResult) -> Drawn {
    if s.histograms.is_empty() {
        return Err("the screening has no index with values to draw".to_string());
    }
    let columns = columns(p.width);
    let gutter = 24.0;
    let inner = p.width - 2.0 * p.margin();
    let panel_w = (inner - gutter * (columns as f64 - 1.0)) / columns as f64;
    for (k, histogram) in s.histograms.iter().enumerate() {
        let x0 = p.margin() + (k % columns) as f64 * (panel_w + gutter);
        let y0 = TOP + (k / columns) as f64 * PANEL;
        panel(p, histogram, x0, y0, panel_w)?;
    }
    Ok(())
}

/// The cut-off in words: `≥ 30 (plan) flags 12`.
fn cutoff_text(h: &IndexHistogram) -> String {
    match &h.cutoff {
        Some(c) => {
            let op = match c.flags.as_str() {
                ">=" => "≥",
                "<=" => "≤",
                other => other,
            };
            let source = if c.source == "default flag" {
                "default flag"
            } else {
                "plan's rule"
            };
            format!(
                "{op} {} ({source}) flags {}",
                number(c.value, decimals(c.value)),
                c.flagged
            )
        }
        None => "no cut-off".to_string(),
    }
}

/// Whole numbers without decimals, others with two.
fn decimals(value: f64) -> usize {
    if value.fract() == 0.0 { 0 } else { 2 }
}

fn panel<DB: DrawingBackend>(
    p: &Painter<DB>,
    h: &IndexHistogram,
    x0: f64,
    y0: f64,
    w: f64,
) -> Drawn {
    let d = &h.distribution;
    let (Some(&first), Some(&last)) = (d.edges.first(), d.edges.last()) else {
        return Err(format!("the histogram of `{}` has no bins", h.index));
    };
    let title = p.fit_weight(&d.label, TEXT, true, w);
    p.text(&title, x0, y0 + 8.0, TEXT, Anchor::Start, true, INK)?;
    let note = p.fit(&cutoff_text(h), TEXT, w);
    p.text(&note, x0, y0 + 24.0, TEXT, Anchor::Start, false, MUTED)?;
    // The range takes in the cut-off, so that its line is drawn even where no one is near it.
    let (mut low, mut high) = (first, last);
    if let Some(c) = &h.cutoff {
        let pad = (high - low).max(1e-9) * 0.04;
        low = low.min(c.value - pad);
        high = high.max(c.value + pad);
    }
    let (left, right, top, bottom) = (x0 + 34.0, x0 + w - 6.0, y0 + 40.0, y0 + PANEL - 40.0);
    let peak = d.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.08;
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let to_y = |v: f64| bottom - v / peak * (bottom - top);
    for t in y_labels(p, peak, 3, left - 5.0, &to_y)? {
        p.line(&[(left, to_y(t)), (right, to_y(t))], GRID, 1.0)?;
    }
    for (count, edge) in d.counts.iter().zip(d.edges.windows(2)) {
        if *count > 0 {
            p.rect(
                to_x(edge[0]) + 0.3,
                to_y(*count as f64),
                to_x(edge[1]) - 0.3,
                bottom,
                OKABE_ITO[4],
                true,
            )?;
        }
    }
    p.line(&[(left, bottom), (right, bottom)], MUTED, 1.0)?;
    let x_ticks = axis_ticks(low, high, right - left);
    let step = x_ticks.get(1).map_or(1.0, |b| b - x_ticks[0]);
    let mut last_end = f64::NEG_INFINITY;
    for t in &x_ticks {
        let label = tick_label(*t, step);
        let half = p.text_width(&label, TEXT, false) / 2.0;
        let x = to_x(*t);
        if x - half < last_end + 4.0 {
            continue;
        }
        p.line(&[(x, bottom), (x, bottom + 4.0)], MUTED, 1.0)?;
        // The first and last labels stay inside the panel.
        let x = x.clamp(x0 + half, x0 + w - half);
        last_end = x + half;
        p.text(&label, x, bottom + 14.0, TEXT, Anchor::Middle, false, MUTED)?;
    }
    if let Some(c) = &h.cutoff {
        let x = to_x(c.value);
        p.dashed((x, top - 4.0), (x, bottom), OKABE_ITO[3])?;
    }
    Ok(())
}

//! Diverging stacked bars of one scale's item responses, centred on the scale's middle.

use super::frame::{Drawn, x_axis};
use crate::format::number;
use crate::paint::{
    Anchor, INK, Painter, TEXT, diverging, line_height, margin, text_width, wrap_text,
};
use kith_analysis::results::{ItemResponses, ScaleResponses};
use plotters::prelude::*;

/// The chart's title and subtitle.
pub fn heading(scale: &ScaleResponses) -> (String, String) {
    let total_n: usize = scale
        .items
        .iter()
        .map(|i| i.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    (
        scale.label.clone(),
        format!(
            "Answers per item, centred on the middle of the scale; (R) marks reverse-keyed items; n = {total_n}"
        ),
    )
}

/// The swatch, its gap to the label and the gap to the next entry of the legend.
const SWATCH: f64 = 11.0;
const SWATCH_GAP: f64 = 4.0;
const ENTRY_GAP: f64 = 14.0;
/// The height of one line of the legend.
const LEGEND_LINE: f64 = 16.0;

/// Where each legend entry goes: its label (shortened only if it is wider than a whole line),
/// x, and its line (0 the first). Entries flow onto further lines rather than shrink.
fn legend_entries(labels: &[String], width: f64) -> Vec<(String, f64, usize)> {
    let (start, end) = (margin(width), width - margin(width));
    let mut out = Vec::with_capacity(labels.len());
    let (mut x, mut line) = (start, 0);
    for label in labels {
        let text = crate::paint::fit_text(label, TEXT, false, end - start - SWATCH - SWATCH_GAP);
        let entry = SWATCH + SWATCH_GAP + text_width(&text, TEXT, false);
        if x > start && x + entry > end {
            x = start;
            line += 1;
        }
        out.push((text, x, line));
        x += entry + ENTRY_GAP;
    }
    out
}

/// One item's row: its label's lines and the centre of its bar.
struct Row<'a> {
    item: &'a ItemResponses,
    lines: Vec<String>,
    /// The centre of the label (beside the bar at a page's width, above it at a column's).
    label_y: f64,
    bar_y: f64,
}

/// The layout of the rows: the left edge of the bars, the top of the first row, the rows, and
/// the bottom of the last.
struct Layout<'a> {
    left: f64,
    top: f64,
    rows: Vec<Row<'a>>,
    bottom: f64,
}

/// The share of each answer among an item's answers.
fn shares(counts: &[usize]) -> Vec<f64> {
    let n: usize = counts.iter().sum();
    counts
        .iter()
        .map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 })
        .collect()
}

/// The items sorted by agreement and laid out: at a page's width each label stands wrapped
/// beside its bar; at a column's, where a label column would leave the bars no room, each label
/// stands on the full width above its bar.
fn layout(scale: &ScaleResponses, width: f64) -> Layout<'_> {
    let k = scale.values.len();
    let agreement = |counts: &[usize]| {
        shares(counts)
            .get(k.div_ceil(2)..)
            .map_or(0.0, |s| s.iter().sum::<f64>())
    };
    let mut items: Vec<&ItemResponses> = scale.items.iter().collect();
    items.sort_by(|a, b| agreement(&b.counts).total_cmp(&agreement(&a.counts)));
    let legend_lines = legend_entries(&scale.labels, width)
        .last()
        .map_or(1, |(_, _, line)| line + 1);
    let top = 82.0 + LEGEND_LINE * (legend_lines as f64 - 1.0);
    let label = |item: &ItemResponses| {
        if item.reverse {
            format!("{} (R)", item.text)
        } else {
            item.text.clone()
        }
    };
    let stacked = width < 500.0;
    let left = if stacked {
        margin(width)
    } else {
        let texts: Vec<String> = items.iter().map(|i| label(i)).collect();
        super::frame::label_column(width, &texts, TEXT, 28.0, 0.4)
    };
    let mut rows = Vec::with_capacity(items.len());
    let mut y = top;
    for item in items {
        if stacked {
            let lines = wrap_text(&label(item), TEXT, false, width - 2.0 * margin(width), 3);
            let text_height = line_height(TEXT) * lines.len() as f64;
            let label_y = y + 4.0 + text_height / 2.0;
            let bar_y = y + 4.0 + text_height + 12.0;
            rows.push(Row {
                item,
                lines,
                label_y,
                bar_y,
            });
            y += 4.0 + text_height + 30.0;
        } else {
            let lines = wrap_text(&label(item), TEXT, false, left - 28.0, 2);
            rows.push(Row {
                item,
                lines,
                label_y: y + 20.0,
                bar_y: y + 20.0,
            });
            y += 40.0;
        }
    }
    Layout {
        left,
        top,
        rows,
        bottom: y,
    }
}

/// The chart's height at a canvas `width` wide.
pub fn height(scale: &ScaleResponses, width: f64) -> f64 {
    layout(scale, width).bottom + 48.0
}

/// Draws the answers to each item of `scale`, items sorted by agreement.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, scale: &ScaleResponses) -> Drawn {
    let k = scale.values.len();
    // A results file edited by hand may count answers to codes the scale does not have; it is
    // refused rather than drawn wrong (or a panic).
    if let Some(item) = scale.items.iter().find(|item| item.counts.len() != k) {
        return Err(format!(
            "item `{}` has {} answer counts for a scale of {k} values",
            item.item,
            item.counts.len()
        ));
    }
    let colours = diverging(k);
    legend(p, &scale.labels, &colours)?;
    let layout = layout(scale, p.width);
    let (left, right, top, bottom) = (
        layout.left,
        p.width - p.margin() - 8.0,
        layout.top,
        layout.bottom,
    );
    let centre = (left + right) / 2.0;
    let half = (right - left) / 2.0;
    // The axis reaches as far as the answers do (in steps of 20%), not always to 100%.
    let reach = layout
        .rows
        .iter()
        .map(|row| {
            let s = shares(&row.item.counts);
            let middle = if k % 2 == 1 { s[k / 2] / 2.0 } else { 0.0 };
            let low: f64 = s[..k / 2].iter().sum::<f64>() + middle;
            let high: f64 = s[k.div_ceil(2)..].iter().sum::<f64>() + middle;
            low.max(high)
        })
        .fold(0.0_f64, f64::max);
    let limit = ((reach * 5.0 - 1e-9).ceil() / 5.0).clamp(0.2, 1.0);
    let to_x = |share: f64| centre + share / limit * half;
    let steps = (limit * 5.0).round() as i32;
    // Ticks every 20%, or every 40% where labels 20% apart would touch (at a column's width).
    let every = if half / f64::from(steps) < 36.0 { 2 } else { 1 };
    let tick_marks: Vec<(f64, String)> = (-steps..=steps)
        .filter(|t| t % every == 0)
        .map(|t| f64::from(t) / 5.0)
        .map(|t| (t, format!("{}%", number(t.abs() * 100.0, 0))))
        .collect();
    x_axis(
        p,
        left,
        right,
        top,
        bottom,
        &tick_marks,
        &to_x,
        "Share of answers",
    )?;
    for row in &layout.rows {
        if p.narrow() {
            // The label stands over the grid on a white ground of its own, so that no grid
            // line runs through its letters.
            let widest = row
                .lines
                .iter()
                .map(|l| text_width(l, TEXT, false))
                .fold(0.0, f64::max);
            let half_height = line_height(TEXT) * row.lines.len() as f64 / 2.0;
            p.rect(
                p.margin() - 2.0,
                row.label_y - half_height - 1.0,
                p.margin() + widest + 3.0,
                row.label_y + half_height + 1.0,
                WHITE,
                true,
            )?;
            p.lines(
                &row.lines,
                p.margin(),
                row.label_y,
                TEXT,
                Anchor::Start,
                false,
                INK,
            )?;
        } else {
            p.lines(
                &row.lines,
                left - 10.0,
                row.label_y,
                TEXT,
                Anchor::End,
                false,
                INK,
            )?;
        }
        let s = shares(&row.item.counts);
        let y = row.bar_y;
        let half_bar = if p.narrow() { 9.0 } else { 12.0 };
        // Disagreeing answers go left of the centre, agreeing ones right; a middle answer is
        // split across the centre.
        let middle = if k % 2 == 1 { s[k / 2] } else { 0.0 };
        let mut start = -(s[..k / 2].iter().sum::<f64>() + middle / 2.0);
        for (share, colour) in s.iter().zip(&colours) {
            let end = start + share;
            if *share > 0.0 {
                p.rect(
                    to_x(start),
                    y - half_bar,
                    to_x(end),
                    y + half_bar,
                    *colour,
                    true,
                )?;
            }
            start = end;
        }
        if p.narrow() {
            p.line(
                &[(centre, y - half_bar - 4.0), (centre, y + half_bar + 4.0)],
                INK,
                1.0,
            )?;
        }
    }
    if p.narrow() {
        Ok(())
    } else {
        p.line(&[(centre, top - 4.0), (centre, bottom)], INK, 1.0)
    }
}

/// The legend: the colour of each answer, lowest code first. Labels are shown whole, on as many
/// lines as they need; only a label wider than a whole line is shortened.
fn legend<DB: DrawingBackend>(p: &Painter<DB>, labels: &[String], colours: &[RGBColor]) -> Drawn {
    for ((text, x, line), colour) in legend_entries(labels, p.width).iter().zip(colours) {
        let y = 62.0 + LEGEND_LINE * *line as f64;
        p.rect(*x, y - 5.5, x + SWATCH, y + 5.5, *colour, true)?;
        p.text(
            text,
            x + SWATCH + SWATCH_GAP,
            y,
            TEXT,
            Anchor::Start,
            false,
            INK,
        )?;
    }
    Ok(())
}

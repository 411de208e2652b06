//! Diverging stacked bars of one scale's item responses, centred on the scale's middle.

use super::frame::{Drawn, title, x_axis};
use crate::format::number;
use crate::paint::{Anchor, INK, Painter, diverging};
use kith_analysis::results::ScaleResponses;
use plotters::prelude::*;

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
    let total_n: usize = scale
        .items
        .iter()
        .map(|i| i.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    title(
        p,
        &scale.label,
        &format!(
            "Answers per item, centred on the middle of the scale; (R) marks reverse-keyed items; n = {total_n}"
        ),
    )?;
    legend(p, &scale.labels, &colours)?;
    let shares = |counts: &[usize]| {
        let n: usize = counts.iter().sum();
        counts
            .iter()
            .map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 })
            .collect::<Vec<f64>>()
    };
    let agreement = |counts: &[usize]| shares(counts)[k.div_ceil(2)..].iter().sum::<f64>();
    let mut items: Vec<_> = scale.items.iter().collect();
    items.sort_by(|a, b| agreement(&b.counts).total_cmp(&agreement(&a.counts)));
    let (left, right, top) = (250.0, p.width - 24.0, 82.0);
    let centre = (left + right) / 2.0;
    let half = (right - left) / 2.0;
    let bottom = top + 40.0 * items.len() as f64;
    // The axis reaches as far as the answers do (in steps of 20%), not always to 100%.
    let reach = items
        .iter()
        .map(|item| {
            let s = shares(&item.counts);
            let middle = if k % 2 == 1 { s[k / 2] / 2.0 } else { 0.0 };
            let low: f64 = s[..k / 2].iter().sum::<f64>() + middle;
            let high: f64 = s[k.div_ceil(2)..].iter().sum::<f64>() + middle;
            low.max(high)
        })
        .fold(0.0_f64, f64::max);
    let limit = ((reach * 5.0 - 1e-9).ceil() / 5.0).clamp(0.2, 1.0);
    let to_x = |share: f64| centre + share / limit * half;
    let steps = (limit * 5.0).round() as i32;
    let tick_marks: Vec<(f64, String)> = (-steps..=steps)
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
    for (row, item) in items.iter().enumerate() {
        let y = top + 40.0 * row as f64 + 20.0;
        let label = if item.reverse {
            format!("{} (R)", item.text)
        } else {
            item.text.clone()
        };
        p.wrapped(&label, left - 10.0, y, 10.5, left - 28.0, 2, Anchor::End)?;
        let s = shares(&item.counts);
        // Disagreeing answers go left of the centre, agreeing ones right; a middle answer is
        // split across the centre.
        let middle = if k % 2 == 1 { s[k / 2] } else { 0.0 };
        let mut start = -(s[..k / 2].iter().sum::<f64>() + middle / 2.0);
        for (share, colour) in s.iter().zip(&colours) {
            let end = start + share;
            if *share > 0.0 {
                p.rect(to_x(start), y - 12.0, to_x(end), y + 12.0, *colour, true)?;
            }
            start = end;
        }
    }
    p.line(&[(centre, top - 4.0), (centre, bottom)], INK, 1.0)
}

/// The legend: the colour of each answer, lowest code first, on one line. Labels are shown
/// whole; when they do not fit at the legend's size, the text gets smaller (down to 8.5 px) and
/// only then are labels shortened, each to an equal share of the line.
fn legend<DB: DrawingBackend>(p: &Painter<DB>, labels: &[String], colours: &[RGBColor]) -> Drawn {
    const SWATCH: f64 = 26.0;
    let available = p.width - 32.0;
    let widths = |size: f64| -> f64 {
        labels
            .iter()
            .map(|l| p.text_width(l, size, false) + SWATCH)
            .sum()
    };
    let full = widths(10.5);
    let size = if full <= available {
        10.5
    } else {
        (10.5 * available / full).max(8.5)
    };
    let share = available / labels.len().max(1) as f64 - SWATCH;
    let fits = widths(size) <= available;
    let mut x = 16.0;
    for (label, colour) in labels.iter().zip(colours) {
        let text = if fits {
            label.clone()
        } else {
            p.fit(label, size, share)
        };
        p.rect(x, 56.0, x + 11.0, 67.0, *colour, true)?;
        p.text(&text, x + 15.0, 62.0, size, Anchor::Start, false, INK)?;
        x += SWATCH + p.text_width(&text, size, false);
    }
    Ok(())
}

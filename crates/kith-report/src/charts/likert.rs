//! Diverging stacked bars of one scale's item responses, centred on the scale's middle.

use super::frame::{Drawn, title, x_axis};
use crate::format::number;
use crate::paint::{Anchor, INK, Painter, diverging};
use kith_analysis::results::ScaleResponses;
use plotters::prelude::*;

/// Draws the answers to each item of `scale`, items sorted by agreement.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, scale: &ScaleResponses) -> Drawn {
    let k = scale.values.len();
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
    // The legend names the colours of the answers, from the lowest code to the highest, as
    // far as it fits on one line.
    let mut x = 16.0;
    for (label, colour) in scale.labels.iter().zip(&colours) {
        let text = p.fit(label, 10.5, 120.0);
        let width = p.text_width(&text, 10.5, false);
        if x + 16.0 + width > p.width - 16.0 {
            break;
        }
        p.rect(x, 56.0, x + 11.0, 67.0, *colour, true)?;
        p.text(&text, x + 15.0, 62.0, 10.5, Anchor::Start, false, INK)?;
        x += 26.0 + width;
    }
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
    let to_x = |share: f64| centre + share * half;
    let bottom = top + 40.0 * items.len() as f64;
    let tick_marks: Vec<(f64, String)> = [-1.0, -0.5, 0.0, 0.5, 1.0]
        .iter()
        .map(|&t: &f64| (t, format!("{}%", number(t.abs() * 100.0, 0))))
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

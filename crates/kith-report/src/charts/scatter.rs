//! A scatter plot with the least-squares line and the band of the fitted mean.

use super::frame::{Drawn, title, x_axis};
use crate::format::{bounded, number};
use crate::paint::{Anchor, GRID, INK, MUTED, NEUTRAL, OKABE_ITO, Painter, tick_label, ticks};
use kith_analysis::results::Scatter;
use plotters::prelude::*;

/// Draws the points, the band and the line.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, s: &Scatter) -> Drawn {
    title(
        p,
        &format!("{} and {}", s.y_label, s.x_label),
        &format!(
            "Least-squares line with the {}% interval of the fitted mean; r = {}, n = {}",
            number(s.level * 100.0, 0),
            bounded(s.r, 2),
            s.n
        ),
    )?;
    let (left, right, top, bottom) = (70.0, p.width - 24.0, 56.0, p.height - 56.0);
    let xs = s.points.iter().map(|[x, _]| *x);
    let ys = s
        .points
        .iter()
        .map(|[_, y]| *y)
        .chain(s.band.iter().flat_map(|b| [b[2], b[3]]));
    let (x_low, x_high) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (y_low, y_high) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad_x = (x_high - x_low).max(1e-9) * 0.04;
    let pad_y = (y_high - y_low).max(1e-9) * 0.04;
    let (x_low, x_high, y_low, y_high) =
        (x_low - pad_x, x_high + pad_x, y_low - pad_y, y_high + pad_y);
    let to_x = |v: f64| left + (v - x_low) / (x_high - x_low) * (right - left);
    let to_y = |v: f64| bottom - (v - y_low) / (y_high - y_low) * (bottom - top);
    let t = ticks(x_low, x_high, 6);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &s.x_label)?;
    let t = ticks(y_low, y_high, 5);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    for v in &t {
        p.line(&[(left, to_y(*v)), (right, to_y(*v))], GRID, 1.0)?;
        p.text(
            &tick_label(*v, step),
            left - 8.0,
            to_y(*v),
            11.0,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    p.vertical_text(
        &p.fit(&s.y_label, 12.0, bottom - top),
        18.0,
        (top + bottom) / 2.0,
        12.0,
        INK,
    )?;
    let mut band: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[3]))).collect();
    band.extend(s.band.iter().rev().map(|b| (to_x(b[0]), to_y(b[2]))));
    p.polygon(&band, OKABE_ITO[4].mix(0.35))?;
    for [x, y] in &s.points {
        p.circle(to_x(*x), to_y(*y), 2.5, NEUTRAL, true)?;
    }
    let line: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[1]))).collect();
    p.line(&line, OKABE_ITO[0], 2.5)
}

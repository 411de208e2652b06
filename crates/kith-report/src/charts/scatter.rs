//! A scatter plot with the least-squares line and the band of the fitted mean. Scores that take
//! few values (means of a few items) would draw many respondents on one point, so such points
//! are jittered: moved by a seeded random amount of at most a third of the spacing between the
//! values, the same in every drawing.

use super::frame::{Drawn, axis_ticks, x_axis};
use crate::format::{bounded, number};
use crate::paint::{
    AXIS_TITLE, Anchor, GRID, INK, MUTED, NEUTRAL, OKABE_ITO, Painter, TEXT, tick_label,
};
use kith_analysis::results::Scatter;
use plotters::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seed of the jitter, so that a chart is the same every time it is drawn.
pub const JITTER_SEED: u64 = 20160;
/// A variable with at most this many distinct values is jittered.
const FEW_VALUES: usize = 60;
/// The jitter's largest move, as a share of the smallest spacing between the values.
const JITTER_SHARE: f64 = 1.0 / 3.0;

/// How far the values of a variable may move: a third of the smallest spacing between its
/// common values (those with at least a quarter as many points as the most common one; the few
/// means over fewer answered items that fall between them do not count) when it takes few
/// distinct values, else nothing.
pub fn jitter_width(values: impl Iterator<Item = f64>) -> f64 {
    let mut sorted: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let mut distinct: Vec<(f64, usize)> = Vec::new();
    for v in sorted {
        match distinct.last_mut() {
            Some((last, count)) if (v - *last).abs() < 1e-9 => *count += 1,
            _ => distinct.push((v, 1)),
        }
    }
    if distinct.len() < 2 || distinct.len() > FEW_VALUES {
        return 0.0;
    }
    let most = distinct.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let common_count = (most / 4).max(2);
    let common: Vec<f64> = distinct
        .iter()
        .filter(|(_, count)| *count >= common_count)
        .map(|(v, _)| *v)
        .collect();
    let spacing = common
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    if spacing.is_finite() {
        spacing * JITTER_SHARE
    } else {
        0.0
    }
}

/// The chart's title and subtitle.
pub fn heading(s: &Scatter) -> (String, String) {
    let jittered = jitter_width(s.points.iter().map(|[x, _]| *x)) > 0.0
        || jitter_width(s.points.iter().map(|[_, y]| *y)) > 0.0;
    (
        format!("{} and {}", s.y_label, s.x_label),
        format!(
            "Least-squares line with the {}% interval of the fitted mean; r = {}, n = {}{}",
            number(s.level * 100.0, 0),
            bounded(s.r, 2),
            s.n,
            if jittered { "; points jittered" } else { "" }
        ),
    )
}

/// Draws the points, the band and the line.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, s: &Scatter) -> Drawn {
    let (jitter_x, jitter_y) = (
        jitter_width(s.points.iter().map(|[x, _]| *x)),
        jitter_width(s.points.iter().map(|[_, y]| *y)),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(JITTER_SEED);
    let mut shift = |width: f64| {
        if width > 0.0 {
            (rng.random::<f64>() * 2.0 - 1.0) * width
        } else {
            0.0
        }
    };
    let points: Vec<[f64; 2]> = s
        .points
        .iter()
        .map(|[x, y]| [x + shift(jitter_x), y + shift(jitter_y)])
        .collect();
    let (left, right, top, bottom) = (
        if p.narrow() { 56.0 } else { 70.0 },
        p.width - p.margin() - 8.0,
        56.0,
        p.height - 56.0,
    );
    let xs = points.iter().map(|[x, _]| *x);
    let ys = points
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
    let t = axis_ticks(x_low, x_high, right - left);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &s.x_label)?;
    let t = axis_ticks(y_low, y_high, bottom - top);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    for v in &t {
        p.line(&[(left, to_y(*v)), (right, to_y(*v))], GRID, 1.0)?;
        p.text(
            &tick_label(*v, step),
            left - 8.0,
            to_y(*v),
            TEXT,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    p.vertical_text(
        &p.fit(&s.y_label, AXIS_TITLE, bottom - top),
        p.margin() + 6.0,
        (top + bottom) / 2.0,
        AXIS_TITLE,
        INK,
    )?;
    let mut band: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[3]))).collect();
    band.extend(s.band.iter().rev().map(|b| (to_x(b[0]), to_y(b[2]))));
    p.polygon(&band, OKABE_ITO[4].mix(0.35))?;
    // Smaller points at a column's width, where the same points are drawn in half the space.
    let radius = if p.narrow() { 2.0 } else { 2.5 };
    for [x, y] in &points {
        p.circle(to_x(*x), to_y(*y), radius, NEUTRAL, true)?;
    }
    let line: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[1]))).collect();
    p.line(&line, OKABE_ITO[0], 2.5)
}

//! What every chart draws the same way: its title and subtitle, a horizontal axis with ticks
//! and grid lines, and a legend that flows onto further lines.

use crate::paint::{
    AXIS_TITLE, Anchor, GRID, Heading, INK, MUTED, Painter, TEXT, TITLE, line_height, margin,
    text_width,
};
use plotters::prelude::*;

/// The outcome of drawing: plotters' errors as text, since a chart has nothing to recover.
pub type Drawn = Result<(), String>;

/// A legend's entries laid out across a canvas `width` wide: each label (shortened to at most
/// `longest` px), its x and its line; entries flow onto further lines rather than being left
/// out. Each entry is a 14 px swatch and its label.
pub fn legend_entries(
    labels: impl Iterator<Item = String>,
    width: f64,
    longest: f64,
) -> Vec<(String, f64, usize)> {
    let (start, end) = (margin(width), width - margin(width));
    let (mut x, mut line) = (start, 0);
    let mut out = Vec::new();
    for label in labels {
        let text = crate::paint::fit_text(&label, TEXT, false, (end - start - 14.0).min(longest));
        let entry = 14.0 + text_width(&text, TEXT, false);
        if x > start && x + entry > end {
            x = start;
            line += 1;
        }
        out.push((text, x, line));
        x += entry + 14.0;
    }
    out
}

/// About how many ticks an axis `length` long can carry without its labels touching.
pub fn tick_count(length: f64) -> usize {
    ((length / 70.0).floor() as usize).clamp(3, 6)
}

/// Round ticks from `low` to `high` for an axis `length` long: as many as fit, and at least
/// three where the range allows, since a short axis with one labelled tick cannot be read.
pub fn axis_ticks(low: f64, high: f64, length: f64) -> Vec<f64> {
    let mut count = tick_count(length);
    loop {
        let t = crate::paint::ticks(low, high, count);
        if t.len() >= 3 || count >= 10 {
            return t;
        }
        count += 1;
    }
}

/// A horizontal axis with ticks and grid lines from `top` to `bottom`. A tick label that would
/// overlap the one before it is left out (its grid line stays), and no label runs past the
/// canvas.
#[allow(clippy::too_many_arguments)]
pub fn x_axis<DB: DrawingBackend>(
    p: &Painter<DB>,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    ticks_at: &[(f64, String)],
    to_x: &dyn Fn(f64) -> f64,
    title: &str,
) -> Drawn {
    let mut last_end = f64::NEG_INFINITY;
    for (value, label) in ticks_at {
        let x = to_x(*value);
        p.line(&[(x, top), (x, bottom)], GRID, 1.0)?;
        let half = p.text_width(label, TEXT, false) / 2.0;
        let x = x.clamp(half + 1.0, p.width - half - 1.0);
        if x - half < last_end + 4.0 {
            continue;
        }
        last_end = x + half;
        p.text(label, x, bottom + 12.0, TEXT, Anchor::Middle, false, MUTED)?;
    }
    p.line(&[(left, bottom), (right, bottom)], MUTED, 1.0)?;
    let title = p.fit(title, AXIS_TITLE, p.width - 2.0 * p.margin());
    let half = p.text_width(&title, AXIS_TITLE, false) / 2.0;
    let centre = ((left + right) / 2.0).clamp(p.margin() + half, p.width - p.margin() - half);
    p.text(
        &title,
        centre,
        bottom + 32.0,
        AXIS_TITLE,
        Anchor::Middle,
        false,
        INK,
    )
}

/// The labels of a count or density axis from 0 to `peak` (about `count` round ticks), right
/// aligned at `x`, each at its height `to_y`; returns the ticks for grid lines.
pub fn y_labels<DB: DrawingBackend>(
    p: &Painter<DB>,
    peak: f64,
    count: usize,
    x: f64,
    to_y: &dyn Fn(f64) -> f64,
) -> Result<Vec<f64>, String> {
    let y_ticks = crate::paint::ticks(0.0, peak, count);
    let step = y_ticks.get(1).map_or(1.0, |b| b - y_ticks[0]);
    for t in &y_ticks {
        p.text(
            &crate::paint::tick_label(*t, step),
            x,
            to_y(*t),
            TEXT,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    Ok(y_ticks)
}

/// The chart's title and subtitle, as wrapped for its width. They are drawn at the top of the
/// image whatever the layout's shift.
pub fn heading<DB: DrawingBackend>(p: &Painter<DB>, heading: &Heading) -> Drawn {
    let x = p.margin();
    let mut y = 18.0 - p.shift;
    for line in &heading.title {
        p.text(line, x, y, TITLE, Anchor::Start, true, INK)?;
        y += line_height(TITLE);
    }
    y += 20.0 - line_height(TITLE);
    for line in &heading.subtitle {
        p.text(line, x, y, TEXT, Anchor::Start, false, MUTED)?;
        y += line_height(TEXT);
    }
    Ok(())
}

/// The label column left of a chart's rows: as wide as its widest label at `size` needs, with
/// room for `gap` before the plot, and at most `share` of the canvas.
pub fn label_column(width: f64, labels: &[String], size: f64, gap: f64, share: f64) -> f64 {
    let widest = labels
        .iter()
        .map(|l| text_width(l, size, false))
        .fold(0.0, f64::max);
    (margin(width) + widest + gap)
        .min(width * share)
        .max(margin(width) + 40.0)
}

/// A plot with two numeric axes: where it stands on the canvas and the ranges it shows.
#[derive(Debug, Clone, Copy)]
pub struct Plane {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Plane {
    /// The plane of a chart of the usual margins, for values in `x` and `y` (each padded by
    /// 4% so that nothing is drawn on the frame).
    pub fn new<DB: DrawingBackend>(p: &Painter<DB>, x: (f64, f64), y: (f64, f64)) -> Plane {
        let pad = |(low, high): (f64, f64)| {
            let pad = (high - low).abs().max(1e-9) * 0.04;
            (low - pad, high + pad)
        };
        Plane {
            left: if p.narrow() { 56.0 } else { 70.0 },
            right: p.width - p.margin() - 8.0,
            top: 56.0,
            bottom: p.height - 56.0,
            x: pad(x),
            y: pad(y),
        }
    }

    pub fn to_x(self, v: f64) -> f64 {
        self.left + (v - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left)
    }

    pub fn to_y(self, v: f64) -> f64 {
        self.bottom - (v - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top)
    }

    /// Both axes with their ticks, grid and titles.
    pub fn axes<DB: DrawingBackend>(&self, p: &Painter<DB>, x_title: &str, y_title: &str) -> Drawn {
        let t = axis_ticks(self.x.0, self.x.1, self.right - self.left);
        let step = t.get(1).map_or(1.0, |b| b - t[0]);
        let marks: Vec<(f64, String)> = t
            .iter()
            .filter(|v| (self.x.0..=self.x.1).contains(*v))
            .map(|&v| (v, crate::paint::tick_label(v, step)))
            .collect();
        x_axis(
            p,
            self.left,
            self.right,
            self.top,
            self.bottom,
            &marks,
            &|v| self.to_x(v),
            x_title,
        )?;
        let t = axis_ticks(self.y.0, self.y.1, self.bottom - self.top);
        let step = t.get(1).map_or(1.0, |b| b - t[0]);
        for v in t.iter().filter(|v| (self.y.0..=self.y.1).contains(*v)) {
            let y = self.to_y(*v);
            p.line(&[(self.left, y), (self.right, y)], crate::paint::GRID, 1.0)?;
            p.text(
                &crate::paint::tick_label(*v, step),
                self.left - 8.0,
                y,
                crate::paint::TEXT,
                crate::paint::Anchor::End,
                false,
                crate::paint::MUTED,
            )?;
        }
        p.vertical_text(
            &p.fit(y_title, crate::paint::AXIS_TITLE, self.bottom - self.top),
            p.margin() + 6.0,
            (self.top + self.bottom) / 2.0,
            crate::paint::AXIS_TITLE,
            crate::paint::INK,
        )
    }
}

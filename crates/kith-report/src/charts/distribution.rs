//! A variable's distribution: a histogram with its kernel density, or box plots per group.

use super::frame::{Drawn, axis_ticks, label_column, x_axis, y_labels};
use crate::format::number;
use crate::paint::{AXIS_TITLE, Anchor, INK, OKABE_ITO, Painter, TEXT, tick_label, wrap_text};
use kith_analysis::results::{Distribution, Figures};
use plotters::prelude::*;

/// The distributions of one variable: one overall, or one per group, stored one after another.
pub fn of<'a>(figures: &'a Figures, variable: &str) -> Option<&'a [Distribution]> {
    let start = figures
        .distributions
        .iter()
        .position(|d| d.variable == variable)?;
    let count = figures.distributions[start..]
        .iter()
        .take_while(|d| d.variable == variable)
        .count();
    Some(&figures.distributions[start..start + count])
}

/// The chart's title and subtitle.
pub fn heading(distributions: &[Distribution]) -> (String, String) {
    match distributions {
        [d] => (
            d.label.clone(),
            format!(
                "Histogram with kernel density; n = {}, M = {}, SD = {}",
                d.n,
                number(d.mean, 2),
                number(d.sd, 2)
            ),
        ),
        groups => (
            groups.first().map(|d| d.label.clone()).unwrap_or_default(),
            "Box plots by group: the box spans the quartiles around the median, the whiskers the minimum and maximum".to_string(),
        ),
    }
}

/// A group's label: its name and its n.
fn group_name(g: &Distribution) -> String {
    format!("{} (n = {})", g.group.as_deref().unwrap_or("all"), g.n)
}

/// The left edge of the box plots: room for the widest group's label, at most 40% of the
/// canvas (a longer label wraps onto a second line).
fn box_left(groups: &[Distribution], width: f64) -> f64 {
    let names: Vec<String> = groups.iter().map(group_name).collect();
    label_column(width, &names, TEXT, 20.0, 0.4)
}

/// The chart's height at a canvas `width` wide.
pub fn height(distributions: &[Distribution], width: f64) -> f64 {
    if distributions.len() > 1 {
        112.0 + 46.0 * distributions.len() as f64
    } else if width < 500.0 {
        300.0
    } else {
        360.0
    }
}

/// Draws a histogram with its density (one distribution) or box plots (one per group).
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, distributions: &[Distribution]) -> Drawn {
    match distributions {
        [single] => histogram(p, single),
        [] => Err("no distribution".to_string()),
        groups => boxes(p, groups),
    }
}

fn histogram<DB: DrawingBackend>(p: &Painter<DB>, d: &Distribution) -> Drawn {
    let (left, right, top, bottom) = (
        if p.narrow() { 58.0 } else { 70.0 },
        p.width - p.margin() - 8.0,
        60.0,
        p.height - 56.0,
    );
    // A results file edited by hand may hold a distribution without bins; it is refused, not
    // drawn (and not a panic).
    let (Some(&low), Some(&high)) = (d.edges.first(), d.edges.last()) else {
        return Err(format!("the distribution of `{}` has no bins", d.variable));
    };
    let width = high - low;
    let densities: Vec<f64> = d
        .counts
        .iter()
        .zip(d.edges.windows(2))
        .map(|(c, e)| *c as f64 / (d.n as f64 * (e[1] - e[0])))
        .collect();
    let peak = densities
        .iter()
        .chain(d.density.iter().map(|[_, y]| y))
        .copied()
        .fold(0.0, f64::max)
        * 1.1;
    let to_x = |v: f64| left + (v - low) / width * (right - left);
    let to_y = |v: f64| bottom - v / peak * (bottom - top);
    let x_ticks = axis_ticks(low, high, right - left);
    let step = x_ticks.get(1).map_or(1.0, |b| b - x_ticks[0]);
    let x_marks: Vec<(f64, String)> = x_ticks.iter().map(|&t| (t, tick_label(t, step))).collect();
    x_axis(p, left, right, top, bottom, &x_marks, &to_x, &d.label)?;
    y_labels(p, peak, 4, left - 8.0, &to_y)?;
    p.vertical_text(
        "Density",
        p.margin() + 6.0,
        (top + bottom) / 2.0,
        AXIS_TITLE,
        INK,
    )?;
    for (density, edge) in densities.iter().zip(d.edges.windows(2)) {
        p.rect(
            to_x(edge[0]) + 0.5,
            to_y(*density),
            to_x(edge[1]) - 0.5,
            bottom,
            OKABE_ITO[4],
            true,
        )?;
    }
    let curve: Vec<(f64, f64)> = d
        .density
        .iter()
        .map(|[x, y]| (to_x(*x), to_y(*y)))
        .collect();
    p.line(&curve, OKABE_ITO[0], 2.0)
}

fn boxes<DB: DrawingBackend>(p: &Painter<DB>, groups: &[Distribution]) -> Drawn {
    let Some(first) = groups.first() else {
        return Err("no distribution".to_string());
    };
    let (left, right, top) = (box_left(groups, p.width), p.width - p.margin() - 8.0, 56.0);
    let bottom = top + 46.0 * groups.len() as f64;
    let low = groups
        .iter()
        .map(|g| g.five_numbers[0])
        .fold(f64::INFINITY, f64::min);
    let high = groups
        .iter()
        .map(|g| g.five_numbers[4])
        .fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if high > low {
        (low, high)
    } else {
        (low - 1.0, high + 1.0)
    };
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let t = axis_ticks(low, high, right - left);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &first.label)?;
    for (row, g) in groups.iter().enumerate() {
        let y = top + 46.0 * row as f64 + 23.0;
        let lines = if p.narrow() { 3 } else { 2 };
        let name = wrap_text(&group_name(g), TEXT, false, left - 10.0 - p.margin(), lines);
        p.lines(&name, left - 10.0, y, TEXT, Anchor::End, false, INK)?;
        let [min, q1, median, q3, max] = g.five_numbers;
        let colour = OKABE_ITO[row % 7];
        p.line(&[(to_x(min), y), (to_x(q1), y)], INK, 1.0)?;
        p.line(&[(to_x(q3), y), (to_x(max), y)], INK, 1.0)?;
        p.rect(to_x(q1), y - 12.0, to_x(q3), y + 12.0, colour, true)?;
        p.rect(to_x(q1), y - 12.0, to_x(q3), y + 12.0, INK, false)?;
        p.line(
            &[(to_x(median), y - 12.0), (to_x(median), y + 12.0)],
            INK,
            2.0,
        )?;
    }
    Ok(())
}

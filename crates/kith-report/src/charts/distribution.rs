//! A variable's distribution: a histogram with its kernel density, or box plots per group.

use super::frame::{Drawn, title, x_axis};
use crate::format::number;
use crate::paint::{Anchor, INK, MUTED, OKABE_ITO, Painter, tick_label, ticks};
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

/// Draws a histogram with its density (one distribution) or box plots (one per group).
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, distributions: &[Distribution]) -> Drawn {
    match distributions {
        [single] => histogram(p, single),
        [] => Err("no distribution".to_string()),
        groups => boxes(p, groups),
    }
}

fn histogram<DB: DrawingBackend>(p: &Painter<DB>, d: &Distribution) -> Drawn {
    title(
        p,
        &d.label,
        &format!(
            "Histogram with kernel density; n = {}, M = {}, SD = {}",
            d.n,
            number(d.mean, 2),
            number(d.sd, 2)
        ),
    )?;
    let (left, right, top, bottom) = (70.0, p.width - 24.0, 60.0, p.height - 56.0);
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
    let x_ticks = ticks(low, high, 6);
    let step = x_ticks.get(1).map_or(1.0, |b| b - x_ticks[0]);
    let x_marks: Vec<(f64, String)> = x_ticks.iter().map(|&t| (t, tick_label(t, step))).collect();
    x_axis(p, left, right, top, bottom, &x_marks, &to_x, &d.label)?;
    let y_ticks = ticks(0.0, peak, 4);
    let y_step = y_ticks.get(1).map_or(1.0, |b| b - y_ticks[0]);
    for t in &y_ticks {
        p.text(
            &tick_label(*t, y_step),
            left - 8.0,
            to_y(*t),
            11.0,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    p.vertical_text("Density", 20.0, (top + bottom) / 2.0, 12.0, INK)?;
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
    title(
        p,
        &first.label,
        "Box plots by group: the box spans the quartiles around the median, the whiskers the minimum and maximum",
    )?;
    let (left, right, top) = (200.0, p.width - 24.0, 56.0);
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
    let t = ticks(low, high, 6);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &first.label)?;
    for (row, g) in groups.iter().enumerate() {
        let y = top + 46.0 * row as f64 + 23.0;
        let name = format!("{} (n = {})", g.group.as_deref().unwrap_or("all"), g.n);
        p.wrapped(&name, left - 10.0, y, 11.0, left - 20.0, 2, Anchor::End)?;
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

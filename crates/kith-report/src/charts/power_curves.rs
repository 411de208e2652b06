//! Power curves: for each effect of one analysis, the simulated power at each sample size
//! with its 95% interval, and a dashed line at the target power.

use super::frame::{Drawn, Plane, legend_entries};
use crate::format::percent;
use crate::paint::{MUTED, OKABE_ITO, Painter, TEXT};
use kith_analysis::results::power::{EffectPower, PowerResults};
use plotters::prelude::*;

/// The most curves one chart draws; the report's table has the rest.
pub const MAX_CURVES: usize = 8;

fn legend(effects: &[&EffectPower], width: f64) -> Vec<(String, f64, usize)> {
    legend_entries(effects.iter().map(|e| short_label(e)), width, 260.0)
}

/// An effect as a legend names it: the part of its key after the analysis.
fn short_label(effect: &EffectPower) -> String {
    effect
        .key
        .split_once(": ")
        .map_or(effect.key.clone(), |(_, what)| what.to_string())
}

fn legend_lines(effects: &[&EffectPower], width: f64) -> usize {
    legend(effects, width)
        .last()
        .map_or(1, |(_, _, line)| line + 1)
}

/// The chart's height at a canvas `width` wide.
pub fn height(effects: &[&EffectPower], width: f64) -> f64 {
    let plot = if width < 500.0 { 300.0 } else { 380.0 };
    plot + 22.0 * legend_lines(effects, width) as f64
}

/// The chart's title and subtitle.
pub fn heading(results: &PowerResults, analysis: &str, question: Option<&str>) -> (String, String) {
    (
        match question {
            Some(question) => format!("Power: {question}"),
            None => format!("Power of {analysis}"),
        },
        format!(
            "Share of {} simulated data sets per size with the effect significant, with 95% intervals{}",
            results.replications,
            results
                .target
                .map(|t| format!("; dashed: the target of {}", percent(t)))
                .unwrap_or_default()
        ),
    )
}

/// Draws the curves, their intervals, the target and the legend.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    results: &PowerResults,
    effects: &[&EffectPower],
) -> Drawn {
    let sizes: Vec<f64> = results.sizes.iter().map(|&n| n as f64).collect();
    let (Some(low), Some(high)) = (
        sizes.iter().copied().reduce(f64::min),
        sizes.iter().copied().reduce(f64::max),
    ) else {
        return Ok(());
    };
    let entries = legend(effects, p.width);
    let lines = entries.last().map_or(1, |(_, _, line)| line + 1);
    let mut plane = Plane::new(p, (low, high.max(low + 1.0)), (0.0, 1.0));
    plane.bottom -= 22.0 * lines as f64;
    plane.axes(p, "Sample size (n)", "Power")?;
    if let Some(target) = results.target {
        p.dashed(
            (plane.left, plane.to_y(target)),
            (plane.right, plane.to_y(target)),
            MUTED,
        )?;
    }
    for (index, effect) in effects.iter().enumerate() {
        let colour = OKABE_ITO[index % OKABE_ITO.len()];
        let points: Vec<(f64, f64, [f64; 2])> = effect
            .points
            .iter()
            .filter_map(|point| Some((point.n as f64, point.power?, point.ci?)))
            .collect();
        for (n, _, ci) in &points {
            let x = plane.to_x(*n);
            p.line(
                &[(x, plane.to_y(ci[0])), (x, plane.to_y(ci[1]))],
                colour,
                1.5,
            )?;
        }
        let line: Vec<(f64, f64)> = points
            .iter()
            .map(|(n, power, _)| (plane.to_x(*n), plane.to_y(*power)))
            .collect();
        p.line(&line, colour, 2.0)?;
        for (x, y) in &line {
            p.circle(*x, *y, 3.5, colour, true)?;
        }
    }
    let legend_top = p.height - 30.0 - 22.0 * (lines - 1) as f64;
    for (index, (label, x, line)) in entries.iter().enumerate() {
        let y = legend_top + 22.0 * *line as f64;
        let colour = OKABE_ITO[index % OKABE_ITO.len()];
        p.rect(*x, y - 5.0, x + 10.0, y + 5.0, colour, true)?;
        p.text(
            label,
            x + 14.0,
            y,
            TEXT,
            crate::paint::Anchor::Start,
            false,
            crate::paint::INK,
        )?;
    }
    Ok(())
}

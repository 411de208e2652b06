//! The Johnson–Neyman plot of a moderation model: the conditional effect of X across the
//! moderator's observed range with its confidence band, the region where the band excludes
//! zero shaded, a line at zero, and the Johnson–Neyman points marked.

use super::frame::{Drawn, Plane};
use crate::format::{number, percent};
use crate::labels::Labels;
use crate::paint::{INK, MUTED, OKABE_ITO, Painter};
use kith_analysis::results::ModerationResult;
use plotters::prelude::*;

/// The chart's title and subtitle.
pub fn heading(m: &ModerationResult, level: f64, labels: &Labels) -> (String, String) {
    let points = m
        .johnson_neyman
        .as_ref()
        .map(|jn| {
            jn.points
                .iter()
                .map(|p| number(p.w, 2))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .unwrap_or_default();
    (
        format!(
            "The effect of {} on {} across {}",
            labels.get(&m.x),
            labels.get(&m.y),
            labels.get(&m.w)
        ),
        format!(
            "Conditional effect with its {} band; shaded where the band excludes zero{}",
            percent(level),
            if points.is_empty() {
                String::new()
            } else {
                format!("; Johnson–Neyman point(s) at {points}")
            }
        ),
    )
}

/// Draws the band, the effect, zero and the points.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &ModerationResult, labels: &Labels) -> Drawn {
    let Some(jn) = &m.johnson_neyman else {
        return Ok(());
    };
    let rows: Vec<(f64, f64, f64, f64)> = jn
        .table
        .iter()
        .filter_map(|e| Some((e.w?, e.effect, e.ci[0], e.ci[1])))
        .collect();
    if rows.len() < 2 {
        return Ok(());
    }
    let x = (rows[0].0, rows[rows.len() - 1].0);
    let (low, high) = rows
        .iter()
        .fold((0.0_f64, 0.0_f64), |(a, b), r| (a.min(r.2), b.max(r.3)));
    let plane = Plane::new(p, x, (low, high));
    // The significance region: every stretch between table rows whose band, halfway along,
    // excludes zero (a stretch ending at a Johnson–Neyman point, where the band touches zero,
    // is in the region its other end is in).
    let mut start: Option<f64> = None;
    let mut regions = Vec::new();
    for pair in rows.windows(2) {
        let (lower, upper) = ((pair[0].2 + pair[1].2) / 2.0, (pair[0].3 + pair[1].3) / 2.0);
        match (lower > 0.0 || upper < 0.0, start) {
            (true, None) => start = Some(pair[0].0),
            (false, Some(from)) => {
                regions.push((from, pair[0].0));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        regions.push((from, rows[rows.len() - 1].0));
    }
    // One rectangle per region, so that no seams show where table rows meet.
    for (from, to) in regions {
        let (a, b) = (plane.to_x(from), plane.to_x(to));
        p.polygon(
            &[
                (a, plane.top),
                (b, plane.top),
                (b, plane.bottom),
                (a, plane.bottom),
            ],
            OKABE_ITO[1].mix(0.18),
        )?;
    }
    plane.axes(
        p,
        &labels.get(&m.w),
        &format!("Effect of {}", labels.get(&m.x)),
    )?;
    let mut band: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (plane.to_x(r.0), plane.to_y(r.3)))
        .collect();
    band.extend(
        rows.iter()
            .rev()
            .map(|r| (plane.to_x(r.0), plane.to_y(r.2))),
    );
    p.polygon(&band, OKABE_ITO[4].mix(0.35))?;
    p.dashed(
        (plane.left, plane.to_y(0.0)),
        (plane.right, plane.to_y(0.0)),
        MUTED,
    )?;
    let line: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (plane.to_x(r.0), plane.to_y(r.1)))
        .collect();
    p.line(&line, OKABE_ITO[0], 2.5)?;
    for point in &jn.points {
        let x = plane.to_x(point.w);
        p.line(&[(x, plane.top), (x, plane.bottom)], INK, 1.0)?;
    }
    Ok(())
}

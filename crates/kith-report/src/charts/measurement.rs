//! The path diagram of a measurement model: the items in boxes down the left, each with its
//! standardized residual variance, the factors in circles on the right, each arrow from a
//! factor to its item labelled with the completely standardized loading.

use super::frame::Drawn;
use crate::format::bounded;
use crate::labels::Labels;
use crate::paint::{Anchor, GRID, INK, OKABE_ITO, Painter, TEXT};
use crate::tables::measurement::fit_phrase;
use kith_analysis::results::MeasurementResult;
use plotters::prelude::*;

/// The height of one item's row.
const ROW: f64 = 24.0;
/// The gap between two factors' groups of items.
const GAP: f64 = 12.0;
/// Where the first row starts, below the heading.
const TOP: f64 = 80.0;

/// The chart's title and subtitle.
pub fn heading(m: &MeasurementResult) -> (String, String) {
    (
        m.name
            .clone()
            .unwrap_or_else(|| "Measurement model".to_string()),
        format!(
            "Completely standardized loadings; residual variances left of the items; n = {}; {}",
            m.n,
            fit_phrase(&m.fit)
        ),
    )
}

/// The chart's height: one row per item, a gap between factors.
pub fn height(m: &MeasurementResult) -> f64 {
    let items: usize = m.factors.iter().map(|f| f.items.len()).sum();
    TOP + ROW * items as f64 + GAP * m.factors.len().saturating_sub(1) as f64 + 24.0
}

/// The standardized loading and residual variance of an item on a factor.
fn standardized(m: &MeasurementResult, factor: &str, item: &str) -> (f64, f64) {
    let loading = m
        .parameters
        .iter()
        .find(|r| r.group.is_none() && r.op == "=~" && r.lhs == factor && r.rhs == item)
        .map_or(f64::NAN, |r| r.std_all);
    let residual = m
        .parameters
        .iter()
        .find(|r| r.group.is_none() && r.op == "~~" && r.lhs == item && r.rhs == item)
        .map_or(f64::NAN, |r| r.std_all);
    (loading, residual)
}

pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &MeasurementResult, labels: &Labels) -> Drawn {
    let narrow = p.width < 500.0;
    let residual_w = 34.0;
    let box_w = if narrow { 64.0 } else { 96.0 };
    let box_x = p.margin() + residual_w;
    let radius = if narrow { 34.0 } else { 46.0 };
    let circle_x = p.width - p.margin() - radius;
    let mut y = TOP;
    for (index, factor) in m.factors.iter().enumerate() {
        let rows = factor.items.len() as f64;
        let centre = y + ROW * (rows - 1.0) / 2.0;
        for item in &factor.items {
            let (loading, residual) = standardized(m, &factor.id, item);
            p.rect(
                box_x,
                y - ROW / 2.0 + 3.0,
                box_x + box_w,
                y + ROW / 2.0 - 3.0,
                RGBColor(240, 246, 251),
                true,
            )?;
            p.rect(
                box_x,
                y - ROW / 2.0 + 3.0,
                box_x + box_w,
                y + ROW / 2.0 - 3.0,
                OKABE_ITO[0],
                false,
            )?;
            p.text(
                item,
                box_x + box_w / 2.0,
                y,
                TEXT,
                Anchor::Middle,
                false,
                INK,
            )?;
            p.text(
                &bounded(residual, 2),
                box_x - 6.0,
                y,
                TEXT,
                Anchor::End,
                false,
                INK,
            )?;
            let from = (circle_x - radius, centre);
            let to = (box_x + box_w, y);
            p.arrow(from, to, INK)?;
            // The loading sits on its arrow near the item, where arrows are furthest apart.
            let at = 0.3;
            let (lx, ly) = (to.0 + (from.0 - to.0) * at, to.1 + (from.1 - to.1) * at);
            let text = bounded(loading, 2);
            let width = p.text_width(&text, TEXT, false) + 6.0;
            p.rect(
                lx - width / 2.0,
                ly - 7.0,
                lx + width / 2.0,
                ly + 7.0,
                WHITE,
                true,
            )?;
            p.rect(
                lx - width / 2.0,
                ly - 7.0,
                lx + width / 2.0,
                ly + 7.0,
                GRID,
                false,
            )?;
            p.text(&text, lx, ly, TEXT, Anchor::Middle, false, INK)?;
            y += ROW;
        }
        let colour = OKABE_ITO[(index + 1) % OKABE_ITO.len()];
        p.circle(circle_x, centre, radius, WHITE, true)?;
        p.circle(circle_x, centre, radius, colour, false)?;
        p.wrapped(
            &labels.get(&factor.id),
            circle_x,
            centre,
            TEXT,
            2.0 * radius - 8.0,
            3,
            Anchor::Middle,
        )?;
        y += GAP;
    }
    Ok(())
}

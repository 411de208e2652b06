//! What every chart draws the same way: its title and subtitle, and a horizontal axis with
//! ticks and grid lines.

use crate::paint::{Anchor, GRID, INK, MUTED, Painter};
use plotters::prelude::*;

/// The outcome of drawing: plotters' errors as text, since a chart has nothing to recover.
pub type Drawn = Result<(), String>;

/// A horizontal axis with ticks and grid lines from `top` to `bottom`.
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
    for (value, label) in ticks_at {
        let x = to_x(*value);
        p.line(&[(x, top), (x, bottom)], GRID, 1.0)?;
        p.text(label, x, bottom + 12.0, 11.0, Anchor::Middle, false, MUTED)?;
    }
    p.line(&[(left, bottom), (right, bottom)], MUTED, 1.0)?;
    p.text(
        title,
        (left + right) / 2.0,
        bottom + 32.0,
        12.0,
        Anchor::Middle,
        false,
        INK,
    )
}

/// The chart's title, shortened to fit, and an optional subtitle under it.
pub fn title<DB: DrawingBackend>(p: &Painter<DB>, text: &str, subtitle: &str) -> Drawn {
    if !p.titles {
        return Ok(());
    }
    let text = p.fit_weight(text, 15.0, true, p.width - 32.0);
    p.text(&text, 16.0, 18.0, 15.0, Anchor::Start, true, INK)?;
    if !subtitle.is_empty() {
        let subtitle = p.fit(subtitle, 11.0, p.width - 32.0);
        p.text(&subtitle, 16.0, 38.0, 11.0, Anchor::Start, false, MUTED)?;
    }
    Ok(())
}

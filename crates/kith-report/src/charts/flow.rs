//! The participant flow as a CONSORT-style diagram: the boxes of the flow down the left (the
//! responses in the data, then each step that left someone out, then the respondents
//! analysed), joined by arrows, and beside each arrow a box of who left there and why.

use super::frame::Drawn;
use crate::paint::{Anchor, GRID, INK, OKABE_ITO, Painter, TEXT};
use kith_analysis::results::{FlowStep, ScreeningResult};
use plotters::prelude::*;

/// Where the first box starts, below the heading.
const TOP: f64 = 80.0;
/// The height of a box of the flow.
const BOX: f64 = 40.0;
/// The height of one line in a box of reasons.
const LINE: f64 = 16.0;

/// The chart's title and subtitle.
pub fn heading(s: &ScreeningResult) -> (String, String) {
    (
        "Participant flow".to_string(),
        format!(
            "{} responses in the data, {} respondents analysed",
            s.flow.first().map_or(0, |f| f.n),
            s.n_analysed
        ),
    )
}

/// The steps drawn: the first, every step that left someone out, and the last.
fn shown(s: &ScreeningResult) -> Vec<&FlowStep> {
    let last = s.flow.len().saturating_sub(1);
    s.flow
        .iter()
        .enumerate()
        .filter(|(i, step)| *i == 0 || *i == last || !step.left.is_empty())
        .map(|(_, step)| step)
        .collect()
}

/// The gap above a step: room for its arrow and its box of reasons.
fn gap(step: &FlowStep) -> f64 {
    (step.left.len() as f64 * LINE + 20.0).max(36.0)
}

pub fn height(s: &ScreeningResult) -> f64 {
    let steps = shown(s);
    let gaps: f64 = steps.iter().skip(1).map(|step| gap(step)).sum();
    TOP + BOX * steps.len() as f64 + gaps + 16.0
}

pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, s: &ScreeningResult) -> Drawn {
    let narrow = p.width < 500.0;
    let left = p.margin();
    let box_w = if narrow { 130.0 } else { 230.0 };
    let centre = left + box_w / 2.0;
    let side_x = left + box_w + 24.0;
    let side_w = p.width - p.margin() - side_x;
    let mut y = TOP;
    for (index, step) in shown(s).iter().enumerate() {
        if index > 0 {
            let g = gap(step);
            p.arrow((centre, y), (centre, y + g), INK)?;
            if !step.left.is_empty() {
                // The reasons, in a box beside the arrow, joined to it by a line.
                let lines = step.left.len() as f64;
                let top = y + g / 2.0 - lines * LINE / 2.0 - 4.0;
                let bottom = y + g / 2.0 + lines * LINE / 2.0 + 4.0;
                p.line(&[(centre, y + g / 2.0), (side_x, y + g / 2.0)], GRID, 1.0)?;
                p.rect(side_x, top, side_x + side_w, bottom, WHITE, true)?;
                p.rect(side_x, top, side_x + side_w, bottom, GRID, false)?;
                for (k, reason) in step.left.iter().enumerate() {
                    let text = p.fit(
                        &format!("{}: {}", reason.reason, reason.n),
                        TEXT,
                        side_w - 12.0,
                    );
                    p.text(
                        &text,
                        side_x + 6.0,
                        top + 4.0 + LINE * (k as f64 + 0.5),
                        TEXT,
                        Anchor::Start,
                        false,
                        INK,
                    )?;
                }
            }
            y += g;
        }
        p.rect(
            left,
            y,
            left + box_w,
            y + BOX,
            RGBColor(240, 246, 251),
            true,
        )?;
        p.rect(left, y, left + box_w, y + BOX, OKABE_ITO[0], false)?;
        let label = p.fit(&step.label, TEXT, box_w - 12.0);
        p.text(&label, centre, y + 13.0, TEXT, Anchor::Middle, true, INK)?;
        p.text(
            &format!("n = {}", step.n),
            centre,
            y + 28.0,
            TEXT,
            Anchor::Middle,
            false,
            INK,
        )?;
        y += BOX;
    }
    Ok(())
}

//! The path diagram of a mediation model: x, the mediators and y in boxes, each path with its
//! coefficient and stars, and the indirect effects with their intervals below.

use super::frame::Drawn;
use crate::format::{interval, number, stars};
use crate::labels::Labels;
use crate::paint::{
    Anchor, GRID, INK, OKABE_ITO, Painter, TEXT, line_height, margin, text_width, wrap_text,
};
use kith_analysis::results::{IntervalMethod, MediationResult};
use plotters::prelude::*;

/// A path's coefficient on a white label at a point along its arrow (`at` from 0, its start,
/// to 1, its end).
fn path_label<DB: DrawingBackend>(
    p: &Painter<DB>,
    from: (f64, f64),
    to: (f64, f64),
    at: f64,
    text: &str,
) -> Drawn {
    let (x, y) = (from.0 + (to.0 - from.0) * at, from.1 + (to.1 - from.1) * at);
    let width = p.text_width(text, TEXT, false) + 8.0;
    p.rect(
        x - width / 2.0,
        y - 9.0,
        x + width / 2.0,
        y + 9.0,
        WHITE,
        true,
    )?;
    p.rect(
        x - width / 2.0,
        y - 9.0,
        x + width / 2.0,
        y + 9.0,
        GRID,
        false,
    )?;
    p.text(text, x, y, TEXT, Anchor::Middle, false, INK)
}

/// The chart's title and subtitle.
pub fn heading(m: &MediationResult, labels: &Labels) -> (String, String) {
    (
        format!(
            "{} → {} → {}",
            labels.get(&m.x),
            m.m.iter()
                .map(|mediator| labels.get(mediator))
                .collect::<Vec<_>>()
                .join(" + "),
            labels.get(&m.y)
        ),
        format!(
            "Unstandardized paths; * p < .05, ** p < .01, *** p < .001; n = {}{}",
            m.n,
            if m.covariates.is_empty() {
                String::new()
            } else {
                format!(
                    "; covariates: {}",
                    m.covariates
                        .iter()
                        .map(|c| labels.get(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
    )
}

/// Where the diagram's parts go at a canvas `width` wide.
struct Layout {
    box_w: f64,
    box_h: f64,
    /// The size of the boxes' text.
    size: f64,
    /// The centre line of x's and y's boxes.
    y_base: f64,
    /// Whether c′ stands under the boxes (at a column's width, where it does not fit between).
    c_below: bool,
    /// The centre line of each mediator's box.
    mediators: Vec<f64>,
    narrow: bool,
    /// Each indirect effect's lines and the centre of its first line.
    indirect: Vec<(Vec<String>, f64)>,
    height: f64,
}

/// The indirect effect's line.
fn indirect_text(
    m: &MediationResult,
    effect: &kith_analysis::results::IndirectResult,
    labels: &Labels,
) -> String {
    format!(
        "Indirect effect via {}: {}, {}% {} CI {}",
        labels.get(&effect.mediator),
        number(effect.effect, 3),
        number(m.level * 100.0, 0),
        if m.ci_method == IntervalMethod::Bca {
            "BCa"
        } else {
            "bootstrap"
        },
        interval(effect.ci, 3)
    )
}

/// The diagram's layout: three boxes side by side at a page's width; at a column's the boxes
/// are narrower and their labels take up to three lines, and c′ moves under the boxes.
fn layout(m: &MediationResult, width: f64, labels: &Labels) -> Layout {
    let narrow = width < 500.0;
    // At a column's width the three boxes share the line; each is as wide as its longest word
    // needs, within limits, so that no name is cut inside a word.
    let box_w = if narrow {
        let widest_word = std::iter::once(&m.x)
            .chain(m.m.iter())
            .chain(std::iter::once(&m.y))
            .flat_map(|name| {
                labels
                    .get(name)
                    .split_whitespace()
                    .map(|w| text_width(w, TEXT, false))
                    .collect::<Vec<_>>()
            })
            .fold(0.0, f64::max);
        let line = width - 2.0 * margin(width);
        (widest_word + 8.0).clamp((line - 28.0) / 3.0, (line - 12.0) / 3.0)
    } else {
        160.0
    };
    let size = if narrow { TEXT } else { 11.5 };
    let names = std::iter::once(&m.x)
        .chain(m.m.iter())
        .chain(std::iter::once(&m.y));
    let lines = names
        .map(|name| wrap_text(&labels.get(name), size, false, box_w - 8.0, 3).len())
        .max()
        .unwrap_or(1);
    let box_h = (lines as f64 * line_height(size) + 14.0).max(46.0);
    // At a column's width the paths' labels stand in the gaps between the boxes, which are
    // made tall enough for them.
    let row_gap = if narrow {
        box_h + 34.0
    } else {
        (box_h + 14.0).max(60.0)
    };
    let k = m.m.len();
    let y_base = 80.0 + row_gap * k.saturating_sub(1) as f64 + 110.0 + (box_h - 46.0);
    let mediators = (0..k)
        .map(|j| 80.0 + row_gap * j as f64 + (box_h - 46.0) / 2.0)
        .collect();
    let c_below = narrow;
    let mut y = y_base + 44.0 + if c_below { box_h / 2.0 } else { 0.0 };
    let mut indirect = Vec::with_capacity(m.indirect_effects.len());
    for effect in &m.indirect_effects {
        let text = indirect_text(m, effect, labels);
        // As many lines as a long mediator's name needs, so that the interval is never cut.
        let lines = wrap_text(&text, TEXT, true, width - 2.0 * margin(width), 5);
        let count = lines.len() as f64;
        indirect.push((lines, y));
        y += line_height(TEXT) * count + 4.5;
    }
    Layout {
        box_w,
        box_h,
        size,
        y_base,
        c_below,
        mediators,
        narrow,
        indirect,
        height: y - 18.0 + 26.0,
    }
}

/// The chart's height at a canvas `width` wide.
pub fn height(m: &MediationResult, width: f64, labels: &Labels) -> f64 {
    layout(m, width, labels).height
}

/// Draws the diagram, mediators stacked between x and y.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &MediationResult, labels: &Labels) -> Drawn {
    let layout = layout(m, p.width, labels);
    let (box_w, box_h) = (layout.box_w, layout.box_h);
    let k = m.m.len();
    let y_base = layout.y_base;
    let x_box = (p.margin(), y_base);
    let y_box = (p.width - p.margin() - box_w, y_base);
    let draw_box = |(x, y): (f64, f64), text: &str| -> Drawn {
        p.rect(
            x,
            y - box_h / 2.0,
            x + box_w,
            y + box_h / 2.0,
            RGBColor(240, 246, 251),
            true,
        )?;
        p.rect(
            x,
            y - box_h / 2.0,
            x + box_w,
            y + box_h / 2.0,
            OKABE_ITO[0],
            false,
        )?;
        p.wrapped(
            text,
            x + box_w / 2.0,
            y,
            layout.size,
            box_w - 8.0,
            3,
            Anchor::Middle,
        )?;
        Ok(())
    };
    draw_box(x_box, &labels.get(&m.x))?;
    draw_box(y_box, &labels.get(&m.y))?;
    // With several mediators, each a path leaves x's box from its own point (the top
    // mediator's from the left) and each b path meets y's box at its own point (the top
    // mediator's at the right), so that no two arrows cross or share a label's place.
    let spread = |j: usize| {
        if k > 1 {
            j as f64 / (k - 1) as f64
        } else {
            0.5
        }
    };
    for (j, effect) in m.indirect_effects.iter().enumerate() {
        let my = layout.mediators.get(j).copied().unwrap_or(80.0);
        // Where along a path its label goes: at a page's width a fixed share of the way; at a
        // column's, in the middle of the gap under this mediator's box, which no box crosses.
        let below = my + box_h / 2.0;
        let next_top = layout.mediators.get(j + 1).map_or(y_base, |next| *next) - box_h / 2.0;
        let gap_y = (below + next_top) / 2.0;
        let at = |from: (f64, f64), to: (f64, f64), share: f64| {
            if layout.narrow && (to.1 - from.1).abs() > 1.0 {
                ((gap_y - from.1) / (to.1 - from.1)).clamp(0.05, 0.95)
            } else {
                share
            }
        };
        let mx = (p.width - box_w) / 2.0;
        draw_box((mx, my), &labels.get(&effect.mediator))?;
        let from = (
            x_box.0 + box_w * (0.25 + 0.5 * spread(j)),
            x_box.1 - box_h / 2.0,
        );
        let to = (mx, my);
        p.arrow(from, to, INK)?;
        path_label(
            p,
            from,
            to,
            at(from, to, 0.55),
            &format!("a = {}{}", number(effect.a.b, 2), stars(effect.a.p)),
        )?;
        let from = (mx + box_w, my);
        let to = (
            y_box.0 + box_w * (0.75 - 0.5 * spread(j)),
            y_box.1 - box_h / 2.0,
        );
        p.arrow(from, to, INK)?;
        path_label(
            p,
            from,
            to,
            at(from, to, 0.45),
            &format!("b = {}{}", number(effect.b.b, 2), stars(effect.b.p)),
        )?;
    }
    p.arrow((x_box.0 + box_w, x_box.1), (y_box.0, y_box.1), INK)?;
    let c_y = if layout.c_below {
        y_base + box_h / 2.0 + 14.0
    } else {
        y_base + 14.0
    };
    p.text(
        &format!(
            "c′ = {}{}  (c = {}{})",
            number(m.c_prime, 2),
            stars(m.c_prime_path.p),
            number(m.c, 2),
            stars(m.c_path.p)
        ),
        p.width / 2.0,
        c_y,
        TEXT,
        Anchor::Middle,
        false,
        INK,
    )?;
    for (lines, y) in &layout.indirect {
        for (i, line) in lines.iter().enumerate() {
            let y = y + line_height(TEXT) * i as f64;
            p.text(line, p.width / 2.0, y, TEXT, Anchor::Middle, true, INK)?;
        }
    }
    Ok(())
}

//! The path diagram of a mediation model: x, the mediators and y in boxes, each path with its
//! coefficient and stars, and the indirect effects with their intervals below.

use super::frame::{Drawn, title};
use crate::format::{interval, number, stars};
use crate::labels::Labels;
use crate::paint::{Anchor, GRID, INK, OKABE_ITO, Painter};
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
    let width = p.text_width(text, 11.0, false) + 8.0;
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
    p.text(text, x, y, 11.0, Anchor::Middle, false, INK)
}

/// Draws the diagram, mediators stacked between x and y.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, m: &MediationResult, labels: &Labels) -> Drawn {
    let level = format!("{}%", number(m.level * 100.0, 0));
    title(
        p,
        &format!(
            "{} → {} → {}",
            labels.get(&m.x),
            m.m.iter()
                .map(|mediator| labels.get(mediator))
                .collect::<Vec<_>>()
                .join(" + "),
            labels.get(&m.y)
        ),
        &format!(
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
    )?;
    let box_w = 190.0;
    let box_h = 46.0;
    let k = m.m.len();
    let y_base = 190.0 + 60.0 * k.saturating_sub(1) as f64;
    let x_box = (24.0, y_base);
    let y_box = (p.width - 24.0 - box_w, y_base);
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
            11.5,
            box_w - 16.0,
            2,
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
        let my = 80.0 + 60.0 * j as f64;
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
            0.55,
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
            0.45,
            &format!("b = {}{}", number(effect.b.b, 2), stars(effect.b.p)),
        )?;
    }
    p.arrow((x_box.0 + box_w, x_box.1), (y_box.0, y_box.1), INK)?;
    p.text(
        &format!(
            "c′ = {}{}  (c = {}{})",
            number(m.c_prime, 2),
            stars(m.c_prime_path.p),
            number(m.c, 2),
            stars(m.c_path.p)
        ),
        p.width / 2.0,
        y_base + 14.0,
        11.0,
        Anchor::Middle,
        false,
        INK,
    )?;
    let mut y = y_base + 44.0;
    for effect in &m.indirect_effects {
        p.text(
            &format!(
                "Indirect effect via {}: {}, {level} {} CI {}",
                labels.get(&effect.mediator),
                number(effect.effect, 3),
                if m.ci_method == IntervalMethod::Bca {
                    "BCa"
                } else {
                    "bootstrap"
                },
                interval(effect.ci, 3)
            ),
            p.width / 2.0,
            y,
            11.5,
            Anchor::Middle,
            true,
            INK,
        )?;
        y += 18.0;
    }
    Ok(())
}

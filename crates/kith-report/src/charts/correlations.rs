//! A correlation table as a heat map, with r and its stars in every cell and a colour key.

use super::frame::{Drawn, title};
use crate::format::{bounded, stars};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, Painter};
use kith_analysis::results::{Adjustment, CorrelationMethod, CorrelationTable};
use plotters::prelude::*;

/// The colour of a correlation: blue for positive, vermillion for negative, paler near 0.
fn correlation_colour(r: f64) -> RGBColor {
    let (base, strength) = if r >= 0.0 {
        ((0.0, 114.0, 178.0), r.min(1.0))
    } else {
        ((213.0, 94.0, 0.0), (-r).min(1.0))
    };
    let mix = |c: f64| (255.0 - (255.0 - c) * strength).round() as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}

/// Draws the full matrix, numbered as the Markdown table numbers its rows.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    table: &CorrelationTable,
    labels: &Labels,
) -> Drawn {
    let k = table.variables.len();
    title(
        p,
        &format!(
            "{} correlations",
            if table.method == CorrelationMethod::Spearman {
                "Spearman"
            } else {
                "Pearson"
            }
        ),
        &format!(
            "n = {}; * p < .05, ** p < .01, *** p < .001{}",
            table.n,
            match table.adjust {
                Adjustment::Holm => " (Holm-adjusted)",
                Adjustment::BenjaminiHochberg => " (Benjamini–Hochberg-adjusted)",
                _ => "",
            }
        ),
    )?;
    let left = 230.0;
    let top = 60.0;
    let cell = ((p.width - left - 24.0) / k as f64).min(36.0 * 1.6);
    let cell_h = 36.0;
    for (i, name) in table.variables.iter().enumerate() {
        let y = top + cell_h * i as f64 + cell_h / 2.0;
        let text = format!("{}. {}", i + 1, labels.get(name));
        p.text(
            &p.fit(&text, 11.0, left - 20.0),
            left - 8.0,
            y,
            11.0,
            Anchor::End,
            false,
            INK,
        )?;
        p.text(
            &(i + 1).to_string(),
            left + cell * i as f64 + cell / 2.0,
            top + cell_h * k as f64 + 12.0,
            11.0,
            Anchor::Middle,
            false,
            MUTED,
        )?;
        for j in 0..k {
            let (x0, y0) = (left + cell * j as f64, top + cell_h * i as f64);
            if i == j {
                p.rect(
                    x0,
                    y0,
                    x0 + cell,
                    y0 + cell_h,
                    RGBColor(245, 245, 245),
                    true,
                )?;
                continue;
            }
            let pair = table.pairs.iter().find(|pair| {
                (pair.x == table.variables[i] && pair.y == table.variables[j])
                    || (pair.x == table.variables[j] && pair.y == table.variables[i])
            });
            let Some(pair) = pair else { continue };
            let colour = correlation_colour(pair.r);
            p.rect(x0, y0, x0 + cell, y0 + cell_h, colour, true)?;
            let text = format!("{}{}", bounded(pair.r, 2), stars(pair.p_adjusted));
            let ink = if pair.r.abs() > 0.55 { WHITE } else { INK };
            p.text(
                &text,
                x0 + cell / 2.0,
                y0 + cell_h / 2.0,
                if cell < 50.0 { 9.0 } else { 10.5 },
                Anchor::Middle,
                false,
                ink,
            )?;
        }
    }
    key(p, left, top + cell_h * k as f64 + 30.0)
}

/// The colour key under the matrix: r from −1 to 1 in the cells' colours.
fn key<DB: DrawingBackend>(p: &Painter<DB>, left: f64, top: f64) -> Drawn {
    const WIDTH: f64 = 240.0;
    const STEPS: usize = 48;
    let step = WIDTH / STEPS as f64;
    for s in 0..STEPS {
        let r = -1.0 + 2.0 * (s as f64 + 0.5) / STEPS as f64;
        let x = left + step * s as f64;
        p.rect(
            x,
            top,
            x + step + 0.3,
            top + 10.0,
            correlation_colour(r),
            true,
        )?;
    }
    p.rect(left, top, left + WIDTH, top + 10.0, MUTED, false)?;
    for (r, label) in [
        (-1.0, "−1"),
        (-0.5, "−.5"),
        (0.0, "0"),
        (0.5, ".5"),
        (1.0, "1"),
    ] {
        let x = left + (r + 1.0) / 2.0 * WIDTH;
        p.line(&[(x, top + 10.0), (x, top + 14.0)], MUTED, 1.0)?;
        p.text(label, x, top + 22.0, 10.0, Anchor::Middle, false, MUTED)?;
    }
    p.text("r", left - 8.0, top + 5.0, 11.0, Anchor::End, false, INK)
}

//! A correlation table as a heat map, with r and its stars in every cell and a colour key.

use super::frame::{Drawn, label_column};
use crate::format::{bounded, stars};
use crate::labels::Labels;
use crate::paint::{Anchor, INK, MUTED, Painter, TEXT, fit_text, line_height, margin, text_width};
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

/// The chart's title and subtitle.
pub fn heading(table: &CorrelationTable) -> (String, String) {
    (
        format!(
            "{} correlations",
            if table.method == CorrelationMethod::Spearman {
                "Spearman"
            } else {
                "Pearson"
            }
        ),
        format!(
            "n = {}; * p < .05, ** p < .01, *** p < .001{}",
            table.n,
            match table.adjust {
                Adjustment::Holm => " (Holm-adjusted)",
                Adjustment::BenjaminiHochberg => " (Benjamini–Hochberg-adjusted)",
                _ => "",
            }
        ),
    )
}

/// The height of a cell.
const CELL_HEIGHT: f64 = 36.0;

/// The chart's height at a canvas `width` wide (the matrix keeps its cells' height; at a
/// column's width the variables' names are listed under the key).
pub fn height(table: &CorrelationTable, width: f64, labels: &Labels) -> f64 {
    let names = row_labels(table, labels);
    let list = if width < 500.0 {
        let lines = name_list(&names, width).last().map_or(0, |(_, _, l)| l + 1);
        12.0 + line_height(TEXT) * lines as f64
    } else {
        0.0
    };
    let note = if shows_numbers(width, table.variables.len(), &names) {
        0.0
    } else {
        18.0
    };
    136.0 + CELL_HEIGHT * table.variables.len() as f64 + list + note
}

/// Whether every cell is wide enough for its r. Every r is shown, or none: a matrix with
/// numbers in some cells only would read as if the others were missing.
fn shows_numbers(width: f64, k: usize, names: &[String]) -> bool {
    let (_, cell) = columns(width, k, names);
    text_width("−.00", TEXT, false) <= cell - 2.0
}

/// The row labels, numbered as the columns are.
fn row_labels(table: &CorrelationTable, labels: &Labels) -> Vec<String> {
    table
        .variables
        .iter()
        .enumerate()
        .map(|(i, name)| format!("{}. {}", i + 1, labels.get(name)))
        .collect()
}

/// The numbered names flowing over lines under the key at a column's width: each name, its
/// x and its line.
fn name_list(names: &[String], width: f64) -> Vec<(String, f64, usize)> {
    let (start, end) = (margin(width), width - margin(width));
    let (mut x, mut line) = (start, 0);
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let text = fit_text(name, TEXT, false, end - start);
        let w = text_width(&text, TEXT, false);
        if x > start && x + w > end {
            x = start;
            line += 1;
        }
        out.push((text, x, line));
        x += w + 14.0;
    }
    out
}

/// The left edge of the matrix and the width of a cell: at a page's width the labels get the
/// room they need up to 45% of the canvas, but never so much that a cell is too narrow for its
/// r; at a column's the rows are numbered only, and their names listed under the key.
fn columns(width: f64, k: usize, names: &[String]) -> (f64, f64) {
    let count = k.max(1) as f64;
    let left = if width < 500.0 {
        margin(width) + text_width(&format!("{k}."), TEXT, false) + 8.0
    } else {
        let needed = text_width("−.00", TEXT, false) + 6.0;
        label_column(width, names, TEXT, 18.0, 0.45)
            .min(width - margin(width) - needed * count)
            .max(margin(width) + 40.0)
    };
    let cell = ((width - left - margin(width)) / count).min(CELL_HEIGHT * 1.6);
    (left, cell)
}

/// Draws the full matrix, numbered as the Markdown table numbers its rows. Where a cell is too
/// narrow for r and its stars on one line, every cell has its stars on a second line.
pub fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    table: &CorrelationTable,
    labels: &Labels,
) -> Drawn {
    let k = table.variables.len();
    let names = row_labels(table, labels);
    let (left, cell) = columns(p.width, k, &names);
    let top = 60.0;
    let cell_h = CELL_HEIGHT;
    let numbers = shows_numbers(p.width, k, &names);
    // Stars stand beside r in every cell or under it in every cell, whichever the widest
    // label ("−.40***") allows, so that the cells read alike.
    let stars_inline = text_width("−.00***", TEXT, false) <= cell - 4.0;
    for (i, text) in names.iter().enumerate() {
        let y = top + cell_h * i as f64 + cell_h / 2.0;
        let text = if p.narrow() {
            format!("{}.", i + 1)
        } else {
            p.fit(text, TEXT, left - 8.0 - p.margin())
        };
        p.text(&text, left - 8.0, y, TEXT, Anchor::End, false, INK)?;
        p.text(
            &(i + 1).to_string(),
            left + cell * i as f64 + cell / 2.0,
            top + cell_h * k as f64 + 12.0,
            TEXT,
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
            let (r, stars) = (bounded(pair.r, 2), stars(pair.p_adjusted));
            let ink = if pair.r.abs() > 0.55 { WHITE } else { INK };
            let (x, y) = (x0 + cell / 2.0, y0 + cell_h / 2.0);
            let one_line = format!("{r}{stars}");
            if !numbers {
                continue;
            }
            if stars_inline {
                p.text(&one_line, x, y, TEXT, Anchor::Middle, false, ink)?;
            } else {
                let lines = [r, stars.to_string()];
                let lines = if lines[1].is_empty() {
                    &lines[..1]
                } else {
                    &lines[..]
                };
                p.lines(lines, x, y, TEXT, Anchor::Middle, false, ink)?;
            }
        }
    }
    // The key stands under the matrix, or from the margin where the matrix is too narrow for it.
    let key_left = if p.width - left - p.margin() >= 180.0 {
        left
    } else {
        p.margin() + 14.0
    };
    let key_top = top + cell_h * k as f64 + 30.0;
    key(p, key_left, key_top)?;
    let mut below = key_top + 44.0;
    if !numbers {
        // Too many variables for their r at this width: the colours alone, and where r is.
        p.text(
            "Values of r: see the correlation table",
            p.margin(),
            below,
            TEXT,
            Anchor::Start,
            false,
            MUTED,
        )?;
        below += 18.0;
    }
    if p.narrow() {
        let first = below;
        for (text, x, line) in name_list(&names, p.width) {
            let y = first + line_height(TEXT) * line as f64;
            p.text(&text, x, y, TEXT, Anchor::Start, false, INK)?;
        }
    }
    Ok(())
}
/// The colour key under the matrix: r from −1 to 1 in the cells' colours.
fn key<DB: DrawingBackend>(p: &Painter<DB>, left: f64, top: f64) -> Drawn {
    const STEPS: usize = 48;
    // The key's end labels are centred on its ends, so it leaves room for half of one.
    let width = (p.width - p.margin() - 8.0 - left).min(240.0);
    let step = width / STEPS as f64;
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
    p.rect(left, top, left + width, top + 10.0, MUTED, false)?;
    for (r, label) in [
        (-1.0, "−1"),
        (-0.5, "−.5"),
        (0.0, "0"),
        (0.5, ".5"),
        (1.0, "1"),
    ] {
        let x = left + (r + 1.0) / 2.0 * width;
        p.line(&[(x, top + 10.0), (x, top + 14.0)], MUTED, 1.0)?;
        p.text(label, x, top + 22.0, TEXT, Anchor::Middle, false, MUTED)?;
    }
    p.text("r", left - 8.0, top + 5.0, TEXT, Anchor::End, false, INK)
}

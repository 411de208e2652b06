//! Text as the charts measure and draw it: the embedded DejaVu Sans, widths with the font's
//! own advances and kerning (no drawing area needed, so heights are known before drawing),
//! shortening and wrapping, and the sizes every chart uses.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use std::sync::OnceLock;

/// DejaVu Sans, embedded so that text renders on machines without font packages.
static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// The regular or bold face of the embedded font; `None` only if its bytes were not a font,
/// which the PNG tests would show as images without text.
pub(super) fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        Some((
            FontRef::try_from_slice(REGULAR).ok()?,
            FontRef::try_from_slice(BOLD).ok()?,
        ))
    });
    faces
        .as_ref()
        .map(|(regular, bold_face)| if bold { bold_face } else { regular })
}

/// ab_glyph's scale for a font size in CSS pixels: ab_glyph scales by the height from
/// descender to ascender, CSS by the em, and DejaVu's height is about 1.16 em.
pub(super) fn px_scale(font: &FontRef<'static>, size: f32) -> PxScale {
    let em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(size * font.height_unscaled() / em)
}

/// Half the x-height of DejaVu Sans (1120 of 2048 units) as a share of the em: text centred on
/// a line has its baseline this far below it, as SVG's `dy="0.5ex"` places it.
pub(super) const HALF_EX: f64 = 1120.0 / 2048.0 / 2.0;

/// The smallest text of every chart, in CSS pixels at the figure's printed size: 11 px is
/// 8.25 pt, above the 8 pt journals ask of a figure's smallest text.
pub const TEXT: f64 = 11.0;
/// Axis titles.
pub const AXIS_TITLE: f64 = 12.0;
/// A chart's title (bold).
pub const TITLE: f64 = 14.0;

/// The width of a text in CSS pixels, with the font's advances and kerning at fractional
/// positions, exactly as PNGs draw it (and as an SVG viewer with DejaVu Sans does). It needs no
/// drawing area, so that a chart's height can be worked out before it is drawn.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let Some(font) = face(bold) else {
        return text.chars().count() as f64 * size * 0.6;
    };
    let scaled = font.as_scaled(px_scale(font, size as f32));
    let mut width = 0.0_f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            width += scaled.kern(before, id);
        }
        width += scaled.h_advance(id);
        previous = Some(id);
    }
    f64::from(width)
}

/// The text in bold or regular weight, shortened with an ellipsis to fit `width`.
pub fn fit_text(text: &str, size: f64, bold: bool, width: f64) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&candidate, size, bold) <= width {
            return candidate;
        }
    }
    "…".to_string()
}

/// The text broken into lines of at most `width`; at most `max_lines`, the last shortened. A
/// word longer than the line is shortened too, so that no line runs past `width`.
pub fn wrap_text(text: &str, size: f64, bold: bool, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size, bold) <= width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    for line in &mut lines {
        *line = fit_text(line, size, bold, width);
    }
    lines
}

/// The line height of wrapped text.
pub fn line_height(size: f64) -> f64 {
    size * 1.25
}

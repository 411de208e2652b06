//! A small painter over plotters' drawing areas: logical coordinates (CSS pixels) scaled for
//! print-quality PNGs, text measured with the embedded font and shortened with an ellipsis or
//! wrapped so that labels never run off the canvas, and the one colour-blind-safe palette.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// DejaVu Sans, embedded so that text renders on machines without font packages.
static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded font with plotters under the family every chart uses.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font, checked by the PNG tests; a failure here would
        // only drop text, never panic.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, BOLD);
    });
}

/// The Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

pub const INK: RGBColor = RGBColor(34, 34, 34);
pub const MUTED: RGBColor = RGBColor(110, 110, 110);
pub const GRID: RGBColor = RGBColor(225, 225, 225);
pub const NEUTRAL: RGBColor = RGBColor(190, 190, 190);

/// `k` colours for ordered answers from "disagree" to "agree": vermillion and orange shades on
/// the low side, grey in the middle of an odd scale, sky blue and blue on the high side.
pub fn diverging(k: usize) -> Vec<RGBColor> {
    let low = [
        RGBColor(213, 94, 0),
        RGBColor(230, 159, 0),
        RGBColor(240, 200, 120),
    ];
    let high = [
        RGBColor(150, 205, 240),
        RGBColor(86, 180, 233),
        RGBColor(0, 114, 178),
    ];
    let half = k / 2;
    let mut out = Vec::with_capacity(k);
    for i in 0..half {
        out.push(low[(i * 3 / half.max(1)).min(2)]);
    }
    if k % 2 == 1 {
        out.push(NEUTRAL);
    }
    for i in 0..half {
        out.push(high[((i * 3 + 3 - half.min(3)) / half.max(1)).min(2)]);
    }
    out
}

/// Horizontal and vertical text anchoring.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// Draws on a plotters area in logical units.
pub struct Painter<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, plotters::coord::Shift>,
    /// Device pixels per logical pixel (1 for SVG, dpi/96 for PNG).
    pub scale: f64,
    pub width: f64,
    pub height: f64,
    /// Whether the chart draws its title and subtitle. Without them (journals put titles in
    /// the caption) everything moves up by [`TITLE_SPACE`] and the image is that much shorter.
    pub titles: bool,
}

/// The height a chart's title and subtitle take at the top of the image, in logical pixels.
pub const TITLE_SPACE: f64 = 44.0;

impl<DB: DrawingBackend> std::fmt::Debug for Painter<'_, DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Painter")
            .field("scale", &self.scale)
            .finish()
    }
}

type Drawn = Result<(), String>;

fn failed<E: std::fmt::Debug>(error: E) -> String {
    format!("{error:?}")
}

impl<'a, DB: DrawingBackend> Painter<'a, DB> {
    fn point(&self, x: f64, y: f64) -> (i32, i32) {
        let y = if self.titles { y } else { y - TITLE_SPACE };
        (
            (x * self.scale).round() as i32,
            (y * self.scale).round() as i32,
        )
    }

    fn style(&self, size: f64, bold: bool, color: RGBColor) -> TextStyle<'static> {
        let font = FontDesc::new(
            FontFamily::SansSerif,
            size * self.scale,
            if bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            },
        );
        TextStyle {
            font,
            color: color.to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// The width of a text in logical units.
    pub fn text_width(&self, text: &str, size: f64, bold: bool) -> f64 {
        self.area
            .estimate_text_size(text, &self.style(size, bold, INK))
            .map(|(w, _)| f64::from(w) / self.scale)
            .unwrap_or(text.chars().count() as f64 * size * 0.6)
    }

    /// The text, shortened with an ellipsis to fit `width`.
    pub fn fit(&self, text: &str, size: f64, width: f64) -> String {
        self.fit_weight(text, size, false, width)
    }

    /// The text in bold or regular weight, shortened with an ellipsis to fit `width` (bold
    /// text is wider, so it is measured as it is drawn).
    pub fn fit_weight(&self, text: &str, size: f64, bold: bool, width: f64) -> String {
        if self.text_width(text, size, bold) <= width {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if self.text_width(&candidate, size, bold) <= width {
                return candidate;
            }
        }
        "…".to_string()
    }

    /// The text broken into lines of at most `width`; at most `max_lines`, the last shortened.
    pub fn wrap(&self, text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.text_width(&candidate, size, false) <= width || current.is_empty() {
                current = candidate;
            } else {
                lines.push(std::mem::take(&mut current));
                current = word.to_string();
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(rest);
        }
        if let Some(last) = lines.last_mut() {
            *last = self.fit(last, size, width);
        }
        lines
    }

    /// A row's label, right-aligned before the plot area that starts at `left`, shortened to fit.
    pub fn row_label(&self, text: &str, left: f64, y: f64) -> Drawn {
        let text = self.fit(text, 11.0, left - 20.0);
        self.text(&text, left - 10.0, y, 11.0, Anchor::End, false, INK)
    }

    /// A text wrapped to `width` on at most `max_lines` lines, centred vertically on `y`.
    #[allow(clippy::too_many_arguments)]
    pub fn wrapped(
        &self,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        width: f64,
        max_lines: usize,
        anchor: Anchor,
    ) -> Drawn {
        let lines = self.wrap(text, size, width, max_lines);
        let line_height = size * 1.25;
        let first = y - line_height / 2.0 * (lines.len() as f64 - 1.0);
        for (i, line) in lines.iter().enumerate() {
            self.text(
                line,
                x,
                first + line_height * i as f64,
                size,
                anchor,
                false,
                INK,
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        anchor: Anchor,
        bold: bool,
        color: RGBColor,
    ) -> Drawn {
        let horizontal = match anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        let style = self
            .style(size, bold, color)
            .pos(Pos::new(horizontal, VPos::Center));
        self.area
            .draw_text(text, &style, self.point(x, y))
            .map_err(failed)
    }

    /// Text turned 90° counter-clockwise, centred on (x, y) (for vertical axis titles).
    pub fn vertical_text(&self, text: &str, x: f64, y: f64, size: f64, color: RGBColor) -> Drawn {
        let style = self
            .style(size, false, color)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        self.area
            .draw_text(text, &style, self.point(x, y))
            .map_err(failed)
    }

    pub fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor, filled: bool) -> Drawn {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(self.stroke(1.0))
        };
        self.area
            .draw(&Rectangle::new(
                [self.point(x0, y0), self.point(x1, y1)],
                style,
            ))
            .map_err(failed)
    }

    fn stroke(&self, width: f64) -> u32 {
        ((width * self.scale).round() as u32).max(1)
    }

    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Drawn {
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| self.point(x, y)).collect();
        self.area
            .draw(&PathElement::new(
                points,
                color.stroke_width(self.stroke(width)),
            ))
            .map_err(failed)
    }

    pub fn dashed(&self, from: (f64, f64), to: (f64, f64), color: RGBColor) -> Drawn {
        let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
        let dashes = (length / 8.0).floor() as usize;
        for i in 0..dashes {
            let t0 = i as f64 * 8.0 / length;
            let t1 = (t0 + 4.0 / length).min(1.0);
            let at = |t: f64| (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            self.line(&[at(t0), at(t1)], color, 1.0)?;
        }
        Ok(())
    }

    pub fn polygon(&self, points: &[(f64, f64)], color: RGBAColor) -> Drawn {
        let points: Vec<(i32, i32)> = points.iter().map(|&(x, y)| self.point(x, y)).collect();
        self.area
            .draw(&Polygon::new(points, color.filled()))
            .map_err(failed)
    }

    pub fn circle(&self, x: f64, y: f64, radius: f64, color: RGBColor, filled: bool) -> Drawn {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(self.stroke(1.0))
        };
        self.area
            .draw(&Circle::new(
                self.point(x, y),
                (radius * self.scale).round() as i32,
                style,
            ))
            .map_err(failed)
    }

    /// An arrow from `from` to `to` with a filled head.
    pub fn arrow(&self, from: (f64, f64), to: (f64, f64), color: RGBColor) -> Drawn {
        self.line(&[from, to], color, 1.5)?;
        let angle = (to.1 - from.1).atan2(to.0 - from.0);
        let head = 9.0;
        let left = (
            to.0 - head * (angle - 0.4).cos(),
            to.1 - head * (angle - 0.4).sin(),
        );
        let right = (
            to.0 - head * (angle + 0.4).cos(),
            to.1 - head * (angle + 0.4).sin(),
        );
        self.polygon(&[to, left, right], color.to_rgba())
    }
}

/// Round numbers for an axis from `low` to `high`: about `count` ticks at 1, 2 or 5 × 10^k.
pub fn ticks(low: f64, high: f64, count: usize) -> Vec<f64> {
    if high.partial_cmp(&low) != Some(std::cmp::Ordering::Greater) {
        return vec![low];
    }
    let raw = (high - low) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).ceil() * step;
    let mut out = Vec::new();
    let mut tick = first;
    while tick <= high + step * 1e-9 {
        out.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
        tick += step;
    }
    out
}

/// A tick label: as few decimals as the step needs.
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    crate::format::number(value, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(ticks(-0.3, 0.25, 4), vec![-0.2, 0.0, 0.2]);
        assert_eq!(ticks(2.0, 2.0, 4), vec![2.0]);
    }

    #[test]
    fn diverging_palettes_are_symmetric_in_length() {
        for k in 2..=7 {
            assert_eq!(diverging(k).len(), k);
        }
        assert_eq!(diverging(5)[2], NEUTRAL);
    }
}

//! A small painter over plotters' drawing areas: logical coordinates (CSS pixels) scaled for
//! print-quality PNGs, text measured with the embedded font and shortened with an ellipsis or
//! wrapped so that labels never run off the canvas, and the one colour-blind-safe palette.

mod text;

use ab_glyph::{Font, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
pub use text::{AXIS_TITLE, TEXT, TITLE, fit_text, line_height, text_width, wrap_text};
use text::{HALF_EX, face, px_scale};

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
    /// How much further down than [`TITLE_SPACE`] the chart starts: the height of the title
    /// and its wrapped subtitle less `TITLE_SPACE` (negative without titles).
    pub shift: f64,
    /// Whether the area is a bitmap, whose text the painter rasterizes itself.
    pub raster: bool,
}

/// The height of the heading every chart's layout leaves at its top, in logical pixels: a
/// title and a subtitle of one line each; a longer heading moves the chart down.
pub const TITLE_SPACE: f64 = 44.0;

/// The title and subtitle of a chart, as they are wrapped at `width`, and the height they take.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
}

impl Heading {
    /// The heading wrapped to the chart's width: at a page's width the title and the subtitle
    /// on at most two lines each; at a column's, where they rarely fit on one, the title on
    /// three and the subtitle on four.
    pub fn new(title: &str, subtitle: &str, width: f64) -> Heading {
        let line = width - 2.0 * margin(width);
        Heading {
            title: wrap_text(title, TITLE, true, line, if width < 500.0 { 3 } else { 2 }),
            subtitle: if subtitle.is_empty() {
                Vec::new()
            } else {
                wrap_text(
                    subtitle,
                    TEXT,
                    false,
                    line,
                    if width < 500.0 { 4 } else { 2 },
                )
            },
        }
    }

    /// The height the heading takes above the chart; `TITLE_SPACE` for one line of each.
    pub fn height(&self) -> f64 {
        let extra_title = self.title.len().saturating_sub(1) as f64 * line_height(TITLE);
        let extra_subtitle = self.subtitle.len().saturating_sub(1) as f64 * line_height(TEXT);
        TITLE_SPACE + extra_title + extra_subtitle
    }
}

/// The space left and right of a chart: less at a column's width, where every pixel counts.
pub fn margin(width: f64) -> f64 {
    if width < 500.0 { 10.0 } else { 16.0 }
}

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
        let y = y + self.shift;
        (
            (x * self.scale).round() as i32,
            (y * self.scale).round() as i32,
        )
    }

    /// Whether the chart is laid out for a column's width rather than a page's.
    pub fn narrow(&self) -> bool {
        self.width < 500.0
    }

    /// The space left and right of the chart.
    pub fn margin(&self) -> f64 {
        margin(self.width)
    }

    /// The style plotters' SVG backend writes as a `<text>`: it divides the size by 1.24 (its
    /// idea of a line's height in ems), so the size is given times 1.24 to write the em size.
    fn style(&self, size: f64, bold: bool, color: RGBColor) -> TextStyle<'static> {
        let font = FontDesc::new(
            FontFamily::SansSerif,
            size * 1.24,
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
        text_width(text, size, bold)
    }

    /// The text, shortened with an ellipsis to fit `width`.
    pub fn fit(&self, text: &str, size: f64, width: f64) -> String {
        fit_text(text, size, false, width)
    }

    /// The text in bold or regular weight, shortened with an ellipsis to fit `width` (bold
    /// text is wider, so it is measured as it is drawn).
    pub fn fit_weight(&self, text: &str, size: f64, bold: bool, width: f64) -> String {
        fit_text(text, size, bold, width)
    }

    /// The text broken into lines of at most `width`; at most `max_lines`, the last shortened.
    pub fn wrap(&self, text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
        wrap_text(text, size, false, width, max_lines)
    }

    /// A row's label, right-aligned before the plot area that starts at `left`: shortened to
    /// fit at a page's width, wrapped onto two lines at a column's, where the label column is
    /// too narrow for most names.
    pub fn row_label(&self, text: &str, left: f64, y: f64) -> Drawn {
        let width = left - 10.0 - self.margin();
        let lines = wrap_text(text, TEXT, false, width, if self.narrow() { 2 } else { 1 });
        self.lines(&lines, left - 10.0, y, TEXT, Anchor::End, false, INK)
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
        self.lines(&lines, x, y, size, anchor, false, INK)
    }

    /// Lines of text centred vertically on `y`.
    #[allow(clippy::too_many_arguments)]
    pub fn lines(
        &self,
        lines: &[String],
        x: f64,
        y: f64,
        size: f64,
        anchor: Anchor,
        bold: bool,
        color: RGBColor,
    ) -> Drawn {
        let first = y - line_height(size) / 2.0 * (lines.len() as f64 - 1.0);
        for (i, line) in lines.iter().enumerate() {
            let at = first + line_height(size) * i as f64;
            self.text(line, x, at, size, anchor, bold, color)?;
        }
        Ok(())
    }

    /// A text centred vertically on `y`; `anchor` says whether `x` is its start, middle or end.
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
        if self.raster {
            return self.raster_text(text, (x, y), size, anchor, bold, color, false);
        }
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
        if self.raster {
            return self.raster_text(text, (x, y), size, Anchor::Middle, false, color, true);
        }
        let style = self
            .style(size, false, color)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        self.area
            .draw_text(text, &style, self.point(x, y))
            .map_err(failed)
    }

    /// Text drawn into a bitmap glyph by glyph at the font's fractional advances and kerning,
    /// each glyph rasterized at its own sub-pixel position. Plotters' own text drawing starts
    /// every glyph at a whole pixel and without its left side bearing, which spaced letters
    /// unevenly; this is the same text an SVG viewer draws.
    #[allow(clippy::too_many_arguments)]
    fn raster_text(
        &self,
        text: &str,
        (x, y): (f64, f64),
        size: f64,
        anchor: Anchor,
        bold: bool,
        color: RGBColor,
        vertical: bool,
    ) -> Drawn {
        let Some(font) = face(bold) else {
            return Ok(());
        };
        let size_px = size * self.scale;
        let scale = px_scale(font, size_px as f32);
        let scaled = font.as_scaled(scale);
        let width = text_width(text, size, bold) * self.scale;
        let start = match anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => -width / 2.0,
            Anchor::End => -width,
        };
        // Horizontal text is laid out in device pixels; vertical text along its own line from
        // a whole-pixel anchor, then turned, so that its pixels still fall on the grid.
        let (ax, ay) = (x * self.scale, (y + self.shift) * self.scale);
        let (origin_x, origin_y) = if vertical {
            (start, HALF_EX * size_px)
        } else {
            (ax + start, ay + HALF_EX * size_px)
        };
        let (ax, ay) = (ax.round() as i32, ay.round() as i32);
        let mut pen = origin_x as f32;
        let mut previous = None;
        let mut pixels: Vec<((i32, i32), f32)> = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(before) = previous {
                pen += scaled.kern(before, id);
            }
            let glyph = id.with_scale_and_position(scale, point(pen, origin_y as f32));
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
                outline.draw(|gx, gy, coverage| {
                    let (lx, ly) = (left + gx as i32, top + gy as i32);
                    let at = if vertical {
                        (ax + ly, ay - lx - 1)
                    } else {
                        (lx, ly)
                    };
                    pixels.push((at, coverage));
                });
            }
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        for (at, coverage) in pixels {
            if coverage > 0.0 {
                let ink = color.mix(f64::from(coverage.min(1.0)));
                self.area.draw_pixel(at, &ink).map_err(failed)?;
            }
        }
        Ok(())
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
        self.arrow_head(from, to, color, 9.0)
    }

    /// A filled arrow head `head` long at `to`, pointing away from `from`.
    pub fn arrow_head(
        &self,
        from: (f64, f64),
        to: (f64, f64),
        color: RGBColor,
        head: f64,
    ) -> Drawn {
        let angle = (to.1 - from.1).atan2(to.0 - from.0);
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

//! The report's charts, one kind per file, each drawn by one function on a `Painter` and
//! rendered as SVG text or as PNG bytes (at any dpi) by the same code. Charts take values and
//! return text or bytes.

mod correlations;
pub mod distribution;
pub mod forest;
mod frame;
mod importance;
mod likert;
mod mediation;
mod reliability;
mod scatter;

use crate::labels::Labels;
use crate::paint::{Painter, TITLE_SPACE, register_fonts};
use frame::Drawn;
use kith_analysis::results::{
    CorrelationTable, Distribution, ImportanceResult, MediationResult, ModelResult, Results,
    ScaleReliabilitySummary, ScaleResponses, Scatter,
};
use plotters::prelude::*;

/// The width of every chart in logical (CSS) pixels.
pub const WIDTH: f64 = 760.0;

/// A chart and the data it draws.
#[derive(Debug, Clone)]
pub enum Chart<'a> {
    /// Diverging stacked bars of one scale's item responses.
    Likert(&'a ScaleResponses),
    /// A histogram with its density, or box plots per group.
    Distribution(&'a [Distribution]),
    /// Alpha and omega per scale, with their intervals and a line at .70; `level` is the level
    /// of omega's interval (alpha's Feldt interval is always 95%).
    Reliability {
        scales: &'a [ScaleReliabilitySummary],
        level: f64,
    },
    /// A correlation matrix as a heat map.
    Correlations(&'a CorrelationTable),
    /// Standardized β (gaussian) or odds/rate ratios (log axis) with their `level` intervals,
    /// by predictor.
    Forest {
        models: Vec<&'a ModelResult>,
        ratio: bool,
        level: f64,
    },
    /// A path diagram of a mediation model.
    Mediation(&'a MediationResult),
    /// Points, the fitted line and its band.
    Scatter(&'a Scatter),
    /// Relative importance weights with their `level` bootstrap intervals.
    Importance {
        result: &'a ImportanceResult,
        level: f64,
    },
}

impl Chart<'_> {
    /// The chart's height in logical pixels (the width is `WIDTH`).
    pub fn height(&self) -> f64 {
        match self {
            Chart::Likert(s) => 130.0 + 40.0 * s.items.len() as f64,
            Chart::Distribution(d) if d.len() > 1 => 112.0 + 46.0 * d.len() as f64,
            Chart::Distribution(_) => 380.0,
            Chart::Reliability { scales, .. } => 112.0 + 30.0 * scales.len() as f64,
            Chart::Correlations(t) => 136.0 + 36.0 * t.variables.len() as f64,
            Chart::Forest { models, .. } => {
                let rows = forest::rows(models).len();
                let groups = forest::groups(models).len();
                136.0 + 20.0 * rows as f64 + 16.0 * groups as f64
            }
            // Each further mediator adds a row of boxes and a line of indirect effect.
            Chart::Mediation(m) => 260.0 + 78.0 * m.m.len().saturating_sub(1) as f64,
            Chart::Scatter(_) => 440.0,
            Chart::Importance { result, .. } => 112.0 + 34.0 * result.weights.len() as f64,
        }
    }
}

/// How a chart is drawn, besides its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Draw the title and subtitle in the image (journals want them in the caption instead).
    pub titles: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { titles: true }
    }
}

impl Options {
    /// The options a report's figures are drawn with.
    pub fn of(results: &Results) -> Options {
        Options {
            titles: results.figures.report.figure_titles,
        }
    }

    /// The height of a chart's image: without titles, the title's space is left out.
    fn image_height(self, chart: &Chart) -> f64 {
        if self.titles {
            chart.height()
        } else {
            chart.height() - TITLE_SPACE
        }
    }
}

/// Renders a chart as an SVG document.
pub fn svg(chart: &Chart, labels: &Labels, options: Options) -> Result<String, String> {
    register_fonts();
    let height = chart.height();
    let image_height = options.image_height(chart);
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH as u32, image_height as u32));
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let painter = Painter {
            area: &area,
            scale: 1.0,
            width: WIDTH,
            height,
            titles: options.titles,
        };
        draw(&painter, chart, labels)?;
        area.present().map_err(|e| format!("{e:?}"))?;
    }
    Ok(out)
}

/// Renders a chart as PNG bytes at `dpi` (96 is one device pixel per CSS pixel).
pub fn png(chart: &Chart, labels: &Labels, dpi: u32, options: Options) -> Result<Vec<u8>, String> {
    register_fonts();
    let scale = f64::from(dpi.max(24)) / 96.0;
    let height = chart.height();
    let (w, h) = (
        (WIDTH * scale).round() as u32,
        (options.image_height(chart) * scale).round() as u32,
    );
    let mut buffer = vec![255u8; (w * h * 3) as usize];
    {
        let backend = BitMapBackend::with_buffer(&mut buffer, (w, h));
        let area = backend.into_drawing_area();
        let painter = Painter {
            area: &area,
            scale,
            width: WIDTH,
            height,
            titles: options.titles,
        };
        draw(&painter, chart, labels)?;
        area.present().map_err(|e| format!("{e:?}"))?;
    }
    encode_png(&buffer, w, h, dpi)
}

/// Pixels per metre at `dpi` dots per inch, as PNG's pHYs chunk records a resolution.
pub fn pixels_per_metre(dpi: u32) -> u32 {
    (f64::from(dpi) / 0.0254).round() as u32
}

/// Encodes RGB pixels as a PNG that records its resolution (a pHYs chunk), so that Word,
/// LaTeX and browsers size a 300 dpi figure at its printed size rather than at 72 or 96 dpi.
fn encode_png(rgb: &[u8], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let ppm = pixels_per_metre(dpi);
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

fn draw<DB: DrawingBackend>(p: &Painter<DB>, chart: &Chart, labels: &Labels) -> Drawn {
    match chart {
        Chart::Likert(scale) => likert::draw(p, scale),
        Chart::Distribution(d) => distribution::draw(p, d),
        Chart::Reliability { scales, level } => reliability::draw(p, scales, *level),
        Chart::Correlations(t) => correlations::draw(p, t, labels),
        Chart::Forest {
            models,
            ratio,
            level,
        } => forest::draw(p, models, *ratio, *level, labels),
        Chart::Mediation(m) => mediation::draw(p, m, labels),
        Chart::Scatter(s) => scatter::draw(p, s),
        Chart::Importance { result, level } => importance::draw(p, result, *level, labels),
    }
}

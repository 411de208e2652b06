//! The report's charts, one kind per file, each drawn by one function on a `Painter` and
//! rendered as SVG text or as PNG bytes (at any dpi) by the same code. Charts take values and
//! return text or bytes.

mod conditional_indirect;
mod correlations;
pub mod distribution;
mod flow;
pub mod forest;
mod frame;
mod group_means;
mod importance;
mod indices;
mod interaction;
mod johnson_neyman;
mod likert;
mod measurement;
mod mediation;
pub mod power_curves;
mod reliability;
mod scatter;
pub mod sociogram;

use crate::labels::Labels;
use crate::paint::{Heading, Painter};
use frame::Drawn;
pub use kith_analysis::results::FigureWidth;
use kith_analysis::results::{
    ComparisonResult, CorrelationTable, Distribution, ImportanceResult, MeasurementResult,
    MediationResult, ModelResult, ModeratedMediationResult, ModerationResult,
    MulticategoricalModerationResult, NetworkResult, Results, ScaleReliabilitySummary,
    ScaleResponses, Scatter, ScreeningResult,
};
use plotters::prelude::*;

/// The width of a chart's canvas in logical pixels: 96 to the printed inch, so that a size in
/// logical pixels is a size in CSS pixels at the printed size (1 px = 0.75 pt). A page's 6.5
/// inches are 624 px, a column's 3.25 inches 312 px.
pub fn canvas_width(width: FigureWidth) -> f64 {
    width.inches() * 96.0
}

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
    /// A path diagram of a measurement model.
    Measurement(&'a MeasurementResult),
    /// The participant flow, from the responses in the data to those analysed.
    Flow(&'a ScreeningResult),
    /// Histograms of the screening indices with their cut-offs.
    Indices(&'a ScreeningResult),
    /// Points, the fitted line and its band.
    Scatter(&'a Scatter),
    /// A moderated mediation's conditional indirect effects with their bootstrap intervals.
    ConditionalIndirect(&'a ModeratedMediationResult),
    /// A moderation model's predicted outcome at the moderator's probe values, with `level`
    /// confidence bands.
    Interaction {
        result: &'a ModerationResult,
        level: f64,
    },
    /// A multicategorical X's predicted outcome across the moderator, one line per level of X,
    /// with `level` confidence bands.
    FactorInteraction {
        result: &'a MulticategoricalModerationResult,
        level: f64,
    },
    /// A moderation model's conditional effect across the moderator with its `level` band.
    JohnsonNeyman {
        result: &'a ModerationResult,
        level: f64,
    },
    /// A comparison's group means with their `level` intervals.
    GroupMeans {
        result: &'a ComparisonResult,
        level: f64,
    },
    /// Relative importance weights with their `level` bootstrap intervals.
    Importance {
        result: &'a ImportanceResult,
        level: f64,
    },
    /// A network's people and ties (a network with a sociogram in its results).
    Sociogram(&'a NetworkResult),
    /// The power of one analysis's effects across sample sizes (a power analysis).
    PowerCurves {
        results: &'a kith_analysis::results::power::PowerResults,
        /// The plan's key of the analysis, and its question.
        analysis: &'a str,
        question: Option<&'a str>,
        effects: Vec<&'a kith_analysis::results::power::EffectPower>,
    },
}

impl Chart<'_> {
    /// The chart's height in logical pixels at a canvas `width` wide, with a heading of
    /// `TITLE_SPACE`; charts grow taller at a column's width, where labels take more lines.
    pub fn height(&self, width: f64, labels: &Labels) -> f64 {
        match self {
            Chart::Likert(s) => likert::height(s, width),
            Chart::Distribution(d) => distribution::height(d, width),
            Chart::Reliability { scales, .. } => reliability::height(scales, width),
            Chart::Correlations(t) => correlations::height(t, width, labels),
            Chart::Forest { models, .. } => forest::height(models, width, labels),
            Chart::Mediation(m) => mediation::height(m, width, labels),
            Chart::Measurement(m) => measurement::height(m),
            Chart::Flow(s) => flow::height(s),
            Chart::Indices(s) => indices::height(s, width),
            Chart::Scatter(_) => {
                if width < 500.0 {
                    330.0
                } else {
                    420.0
                }
            }
            Chart::Importance { result, .. } => importance::height(result, width),
            Chart::GroupMeans { result, .. } => group_means::height(result, width),
            Chart::ConditionalIndirect(m) => conditional_indirect::height(m, width),
            Chart::Sociogram(n) => sociogram::height(n, width),
            Chart::PowerCurves { effects, .. } => power_curves::height(effects, width),
            Chart::Interaction { .. }
            | Chart::FactorInteraction { .. }
            | Chart::JohnsonNeyman { .. } => {
                if width < 500.0 {
                    300.0
                } else {
                    380.0
                }
            }
        }
    }

    /// The chart's title and subtitle.
    fn heading(&self, labels: &Labels) -> (String, String) {
        match self {
            Chart::Likert(s) => likert::heading(s),
            Chart::Distribution(d) => distribution::heading(d),
            Chart::Reliability { scales, .. } => reliability::heading(scales),
            Chart::Correlations(t) => correlations::heading(t),
            Chart::Forest {
                models,
                ratio,
                level,
            } => forest::heading(models, *ratio, *level),
            Chart::Mediation(m) => mediation::heading(m, labels),
            Chart::Measurement(m) => measurement::heading(m),
            Chart::Flow(s) => flow::heading(s),
            Chart::Indices(s) => indices::heading(s),
            Chart::Scatter(s) => scatter::heading(s),
            Chart::Importance { result, level } => importance::heading(result, *level, labels),
            Chart::GroupMeans { result, level } => group_means::heading(result, *level, labels),
            Chart::Interaction { result, level } => interaction::heading(result, *level, labels),
            Chart::FactorInteraction { result, level } => {
                interaction::factor_heading(result, *level, labels)
            }
            Chart::ConditionalIndirect(m) => conditional_indirect::heading(m, labels),
            Chart::Sociogram(n) => sociogram::heading(n),
            Chart::PowerCurves {
                results,
                analysis,
                question,
                ..
            } => power_curves::heading(results, analysis, *question),
            Chart::JohnsonNeyman { result, level } => {
                johnson_neyman::heading(result, *level, labels)
            }
        }
    }
}

/// How a chart is drawn, besides its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Draw the title and subtitle in the image (journals want them in the caption instead).
    pub titles: bool,
    /// The printed width the chart is laid out for.
    pub width: FigureWidth,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            titles: true,
            width: FigureWidth::Page,
        }
    }
}

impl Options {
    /// The options a report's PNG figures are drawn with: the plan's titles and width.
    pub fn of(results: &Results) -> Options {
        Options {
            titles: results.figures.report.figure_titles,
            width: results.figures.report.figure_width,
        }
    }
}

/// Everything about a chart's canvas that is known before it is drawn.
struct Canvas {
    width: f64,
    /// The height of the chart's layout, with a heading of `TITLE_SPACE`.
    height: f64,
    heading: Option<Heading>,
    /// How far the layout moves down: the heading's height less `TITLE_SPACE`.
    shift: f64,
}

impl Canvas {
    fn new(chart: &Chart, labels: &Labels, options: Options) -> Canvas {
        let width = canvas_width(options.width);
        let heading = options.titles.then(|| {
            let (title, subtitle) = chart.heading(labels);
            Heading::new(&title, &subtitle, width)
        });
        let shift = heading.as_ref().map_or(0.0, Heading::height) - crate::paint::TITLE_SPACE;
        Canvas {
            width,
            height: chart.height(width, labels),
            heading,
            shift,
        }
    }

    /// The height of the image: the layout's, with the heading's real height, rounded up to a
    /// whole logical pixel so that an SVG and a PNG at any dpi have the same proportions.
    fn image_height(&self) -> f64 {
        (self.height + self.shift).ceil()
    }

    fn painter<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, plotters::coord::Shift>,
        scale: f64,
        raster: bool,
    ) -> Painter<'a, DB> {
        Painter {
            area,
            scale,
            width: self.width,
            height: self.height,
            titles: self.heading.is_some(),
            shift: self.shift,
            raster,
        }
    }
}

/// Writes an SVG's text as it was measured: the font size in CSS pixels, rounded (plotters
/// writes it as a quotient with float noise), and DejaVu Sans first in the font list, then
/// Verdana, whose widths are close to it, so that viewers draw the text that was measured.
fn tidy_svg(svg: &str) -> String {
    let svg = svg.replace(
        "font-family=\"sans-serif\"",
        "font-family=\"DejaVu Sans, Verdana, sans-serif\"",
    );
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    const KEY: &str = "font-size=\"";
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        match after[..end].parse::<f64>() {
            Ok(size) => {
                let rounded = format!("{:.2}", size);
                out.push_str(rounded.trim_end_matches('0').trim_end_matches('.'));
            }
            Err(_) => out.push_str(&after[..end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Renders a chart as an SVG document.
pub fn svg(chart: &Chart, labels: &Labels, options: Options) -> Result<String, String> {
    let canvas = Canvas::new(chart, labels, options);
    let size = (
        canvas.width.round() as u32,
        canvas.image_height().round() as u32,
    );
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, size);
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let painter = canvas.painter(&area, 1.0, false);
        draw(&painter, &canvas, chart, labels)?;
        area.present().map_err(|e| format!("{e:?}"))?;
    }
    Ok(tidy_svg(&out))
}

/// Renders a chart as PNG bytes at `dpi` (96 is one device pixel per CSS pixel): the printed
/// width in inches times `dpi` pixels across, 1950 for a page's width at 300 dpi.
pub fn png(chart: &Chart, labels: &Labels, dpi: u32, options: Options) -> Result<Vec<u8>, String> {
    let canvas = Canvas::new(chart, labels, options);
    let scale = f64::from(dpi.max(24)) / 96.0;
    let (w, h) = (
        (canvas.width * scale).round() as u32,
        (canvas.image_height() * scale).round() as u32,
    );
    let mut buffer = vec![255u8; (w * h * 3) as usize];
    {
        let backend = BitMapBackend::with_buffer(&mut buffer, (w, h));
        let area = backend.into_drawing_area();
        let painter = canvas.painter(&area, scale, true);
        draw(&painter, &canvas, chart, labels)?;
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

fn draw<DB: DrawingBackend>(
    p: &Painter<DB>,
    canvas: &Canvas,
    chart: &Chart,
    labels: &Labels,
) -> Drawn {
    if let Some(heading) = &canvas.heading {
        frame::heading(p, heading)?;
    }
    match chart {
        Chart::Likert(scale) => likert::draw(p, scale),
        Chart::Distribution(d) => distribution::draw(p, d),
        Chart::Reliability { scales, level } => reliability::draw(p, scales, *level),
        Chart::Correlations(t) => correlations::draw(p, t, labels),
        Chart::Forest { models, ratio, .. } => forest::draw(p, models, *ratio, labels),
        Chart::Mediation(m) => mediation::draw(p, m, labels),
        Chart::Measurement(m) => measurement::draw(p, m, labels),
        Chart::Flow(s) => flow::draw(p, s),
        Chart::Indices(s) => indices::draw(p, s),
        Chart::Scatter(s) => scatter::draw(p, s),
        Chart::Importance { result, .. } => importance::draw(p, result, labels),
        Chart::GroupMeans { result, .. } => group_means::draw(p, result, labels),
        Chart::Interaction { result, .. } => interaction::draw(p, result, labels),
        Chart::FactorInteraction { result, .. } => interaction::draw_factor(p, result, labels),
        Chart::ConditionalIndirect(m) => conditional_indirect::draw(p, m, labels),
        Chart::JohnsonNeyman { result, .. } => johnson_neyman::draw(p, result, labels),
        Chart::Sociogram(n) => sociogram::draw(p, n),
        Chart::PowerCurves {
            results, effects, ..
        } => power_curves::draw(p, results, effects),
    }
}

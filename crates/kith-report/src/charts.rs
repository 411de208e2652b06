//! The report's charts, each drawn by one function on a `Painter`, rendered as SVG text or as
//! PNG bytes (at any dpi) by the same code. Charts take values and return text or bytes.

use crate::format::{bounded, interval, number};
use crate::paint::{
    Anchor, GRID, INK, MUTED, NEUTRAL, OKABE_ITO, Painter, diverging, register_fonts, tick_label,
    ticks,
};
use kith_analysis::results::{
    Adjustment, CorrelationMethod, CorrelationTable, ImportanceMethod, ImportanceResult,
    IntervalMethod, MediationResult, ModelResult,
};
use kith_analysis::results::{Distribution, ScaleReliabilitySummary, ScaleResponses, Scatter};
use plotters::prelude::*;
use std::collections::BTreeMap;

/// The width of every chart in logical (CSS) pixels.
pub const WIDTH: f64 = 760.0;

/// A chart and the data it draws.
#[derive(Debug, Clone, Copy)]
pub enum Chart<'a> {
    /// Diverging stacked bars of one scale's item responses.
    Likert(&'a ScaleResponses),
    /// A histogram with its density, or box plots per group.
    Distribution(&'a [Distribution]),
    /// Alpha and omega per scale, with alpha's interval and a line at .70.
    Reliability(&'a [ScaleReliabilitySummary]),
    /// A correlation matrix as a heat map.
    Correlations(&'a CorrelationTable),
    /// Standardized β (gaussian) or odds/rate ratios (log axis) with intervals, by predictor.
    Forest {
        models: &'a [&'a ModelResult],
        ratio: bool,
    },
    /// A path diagram of a mediation model.
    Mediation(&'a MediationResult),
    /// Points, the fitted line and its band.
    Scatter(&'a Scatter),
    /// Relative importance weights with intervals.
    Importance(&'a ImportanceResult),
}

impl Chart<'_> {
    /// The chart's height in logical pixels (the width is `WIDTH`).
    pub fn height(&self) -> f64 {
        match self {
            Chart::Likert(s) => 130.0 + 40.0 * s.items.len() as f64,
            Chart::Distribution(d) if d.len() > 1 => 112.0 + 46.0 * d.len() as f64,
            Chart::Distribution(_) => 380.0,
            Chart::Reliability(r) => 112.0 + 30.0 * r.len() as f64,
            Chart::Correlations(t) => 90.0 + 36.0 * t.variables.len() as f64,
            Chart::Forest { models, .. } => {
                let rows: usize = forest_rows(models).len();
                let groups = forest_groups(models).len();
                136.0 + 20.0 * rows as f64 + 16.0 * groups as f64
            }
            Chart::Mediation(m) => 260.0 + 60.0 * m.m.len().saturating_sub(1) as f64,
            Chart::Scatter(_) => 440.0,
            Chart::Importance(i) => 112.0 + 34.0 * i.weights.len() as f64,
        }
    }
}

/// Readable names of variables, with `variable=level` terms as `Label: level`.
#[derive(Debug, Clone, Default)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    pub fn get(&self, name: &str) -> String {
        Self::get_from(&self.0, name)
    }

    /// A variable's label from a map of labels, or its name; a dummy term `variable=level`
    /// reads `Label: level`.
    pub fn get_from(labels: &BTreeMap<String, String>, name: &str) -> String {
        if let Some(label) = labels.get(name) {
            return label.clone();
        }
        match name.split_once('=') {
            Some((variable, level)) => format!(
                "{}: {level}",
                labels.get(variable).map_or(variable, String::as_str)
            ),
            None => name.to_string(),
        }
    }
}

type Drawn = Result<(), String>;

/// Renders a chart as an SVG document.
pub fn svg(chart: Chart, labels: &Labels) -> Result<String, String> {
    register_fonts();
    let height = chart.height();
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH as u32, height as u32));
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let painter = Painter {
            area: &area,
            scale: 1.0,
            width: WIDTH,
            height,
        };
        draw(&painter, chart, labels)?;
        area.present().map_err(|e| format!("{e:?}"))?;
    }
    Ok(out)
}

/// Renders a chart as PNG bytes at `dpi` (96 is one device pixel per CSS pixel).
pub fn png(chart: Chart, labels: &Labels, dpi: u32) -> Result<Vec<u8>, String> {
    register_fonts();
    let scale = f64::from(dpi.max(24)) / 96.0;
    let height = chart.height();
    let (w, h) = (
        (WIDTH * scale).round() as u32,
        (height * scale).round() as u32,
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
        };
        draw(&painter, chart, labels)?;
        area.present().map_err(|e| format!("{e:?}"))?;
    }
    let image =
        image::RgbImage::from_raw(w, h, buffer).ok_or("the image buffer has the wrong size")?;
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageOutputFormat::Png,
        )
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn draw<DB: DrawingBackend>(p: &Painter<DB>, chart: Chart, labels: &Labels) -> Drawn {
    match chart {
        Chart::Likert(scale) => likert(p, scale),
        Chart::Distribution(d) if d.len() > 1 => boxes(p, d),
        Chart::Distribution(d) => histogram(p, d.first().ok_or("no distribution")?),
        Chart::Reliability(r) => reliability(p, r),
        Chart::Correlations(t) => heatmap(p, t, labels),
        Chart::Forest { models, ratio } => forest(p, models, ratio, labels),
        Chart::Mediation(m) => mediation(p, m, labels),
        Chart::Scatter(s) => scatter(p, s),
        Chart::Importance(i) => importance(p, i, labels),
    }
}

/// A horizontal axis with ticks and grid lines from `top` to `bottom`.
#[allow(clippy::too_many_arguments)]
fn x_axis<DB: DrawingBackend>(
    p: &Painter<DB>,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    ticks_at: &[(f64, String)],
    to_x: &dyn Fn(f64) -> f64,
    title: &str,
) -> Drawn {
    for (value, label) in ticks_at {
        let x = to_x(*value);
        p.line(&[(x, top), (x, bottom)], GRID, 1.0)?;
        p.text(label, x, bottom + 12.0, 11.0, Anchor::Middle, false, MUTED)?;
    }
    p.line(&[(left, bottom), (right, bottom)], MUTED, 1.0)?;
    p.text(
        title,
        (left + right) / 2.0,
        bottom + 32.0,
        12.0,
        Anchor::Middle,
        false,
        INK,
    )
}

fn title<DB: DrawingBackend>(p: &Painter<DB>, text: &str, subtitle: &str) -> Drawn {
    let text = p.fit(text, 15.0, p.width - 32.0);
    p.text(&text, 16.0, 18.0, 15.0, Anchor::Start, true, INK)?;
    if !subtitle.is_empty() {
        let subtitle = p.fit(subtitle, 11.0, p.width - 32.0);
        p.text(&subtitle, 16.0, 38.0, 11.0, Anchor::Start, false, MUTED)?;
    }
    Ok(())
}

fn likert<DB: DrawingBackend>(p: &Painter<DB>, scale: &ScaleResponses) -> Drawn {
    let k = scale.values.len();
    let colours = diverging(k);
    let total_n: usize = scale
        .items
        .iter()
        .map(|i| i.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    title(
        p,
        &scale.label,
        &format!(
            "Answers per item, centred on the middle of the scale; (R) marks reverse-keyed items; n = {total_n}"
        ),
    )?;
    // Legend.
    let mut x = 16.0;
    for (label, colour) in scale.labels.iter().zip(&colours) {
        let text = p.fit(label, 10.5, 120.0);
        let width = p.text_width(&text, 10.5, false);
        if x + 16.0 + width > p.width - 16.0 {
            break;
        }
        p.rect(x, 56.0, x + 11.0, 67.0, *colour, true)?;
        p.text(&text, x + 15.0, 62.0, 10.5, Anchor::Start, false, INK)?;
        x += 26.0 + width;
    }
    let shares = |counts: &[usize]| {
        let n: usize = counts.iter().sum();
        counts
            .iter()
            .map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 })
            .collect::<Vec<f64>>()
    };
    let agreement = |counts: &[usize]| shares(counts)[k.div_ceil(2)..].iter().sum::<f64>();
    let mut items: Vec<_> = scale.items.iter().collect();
    items.sort_by(|a, b| agreement(&b.counts).total_cmp(&agreement(&a.counts)));
    let (left, right, top) = (250.0, p.width - 24.0, 82.0);
    let centre = (left + right) / 2.0;
    let half = (right - left) / 2.0;
    let to_x = |share: f64| centre + share * half;
    let bottom = top + 40.0 * items.len() as f64;
    let tick_marks: Vec<(f64, String)> = [-1.0, -0.5, 0.0, 0.5, 1.0]
        .iter()
        .map(|&t: &f64| (t, format!("{}%", number(t.abs() * 100.0, 0))))
        .collect();
    x_axis(
        p,
        left,
        right,
        top,
        bottom,
        &tick_marks,
        &to_x,
        "Share of answers",
    )?;
    for (row, item) in items.iter().enumerate() {
        let y = top + 40.0 * row as f64 + 20.0;
        let label = if item.reverse {
            format!("{} (R)", item.text)
        } else {
            item.text.clone()
        };
        p.wrapped(&label, left - 10.0, y, 10.5, left - 28.0, 2, Anchor::End)?;
        let s = shares(&item.counts);
        // Disagreeing answers go left of the centre, agreeing ones right; a middle answer is
        // split across the centre.
        let middle = if k % 2 == 1 { s[k / 2] } else { 0.0 };
        let mut start = -(s[..k / 2].iter().sum::<f64>() + middle / 2.0);
        for (share, colour) in s.iter().zip(&colours) {
            let end = start + share;
            if *share > 0.0 {
                p.rect(to_x(start), y - 12.0, to_x(end), y + 12.0, *colour, true)?;
            }
            start = end;
        }
    }
    p.line(&[(centre, top - 4.0), (centre, bottom)], INK, 1.0)
}

fn histogram<DB: DrawingBackend>(p: &Painter<DB>, d: &Distribution) -> Drawn {
    title(
        p,
        &d.label,
        &format!(
            "Histogram with kernel density; n = {}, M = {}, SD = {}",
            d.n,
            number(d.mean, 2),
            number(d.sd, 2)
        ),
    )?;
    let (left, right, top, bottom) = (70.0, p.width - 24.0, 60.0, p.height - 56.0);
    let (low, high) = (d.edges[0], d.edges[d.edges.len() - 1]);
    let width = high - low;
    let densities: Vec<f64> = d
        .counts
        .iter()
        .zip(d.edges.windows(2))
        .map(|(c, e)| *c as f64 / (d.n as f64 * (e[1] - e[0])))
        .collect();
    let peak = densities
        .iter()
        .chain(d.density.iter().map(|[_, y]| y))
        .copied()
        .fold(0.0, f64::max)
        * 1.1;
    let to_x = |v: f64| left + (v - low) / width * (right - left);
    let to_y = |v: f64| bottom - v / peak * (bottom - top);
    let x_ticks = ticks(low, high, 6);
    let step = x_ticks.get(1).map_or(1.0, |b| b - x_ticks[0]);
    let x_marks: Vec<(f64, String)> = x_ticks.iter().map(|&t| (t, tick_label(t, step))).collect();
    x_axis(p, left, right, top, bottom, &x_marks, &to_x, &d.label)?;
    let y_ticks = ticks(0.0, peak, 4);
    let y_step = y_ticks.get(1).map_or(1.0, |b| b - y_ticks[0]);
    for t in &y_ticks {
        p.text(
            &tick_label(*t, y_step),
            left - 8.0,
            to_y(*t),
            11.0,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    p.vertical_text("Density", 20.0, (top + bottom) / 2.0, 12.0, INK)?;
    for (density, edge) in densities.iter().zip(d.edges.windows(2)) {
        p.rect(
            to_x(edge[0]) + 0.5,
            to_y(*density),
            to_x(edge[1]) - 0.5,
            bottom,
            OKABE_ITO[4],
            true,
        )?;
    }
    let curve: Vec<(f64, f64)> = d
        .density
        .iter()
        .map(|[x, y]| (to_x(*x), to_y(*y)))
        .collect();
    p.line(&curve, OKABE_ITO[0], 2.0)
}

fn boxes<DB: DrawingBackend>(p: &Painter<DB>, groups: &[Distribution]) -> Drawn {
    let first = &groups[0];
    title(
        p,
        &first.label,
        "Box plots by group: the box spans the quartiles around the median, the whiskers the minimum and maximum",
    )?;
    let (left, right, top) = (200.0, p.width - 24.0, 56.0);
    let bottom = top + 46.0 * groups.len() as f64;
    let low = groups
        .iter()
        .map(|g| g.five_numbers[0])
        .fold(f64::INFINITY, f64::min);
    let high = groups
        .iter()
        .map(|g| g.five_numbers[4])
        .fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if high > low {
        (low, high)
    } else {
        (low - 1.0, high + 1.0)
    };
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let t = ticks(low, high, 6);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &first.label)?;
    for (row, g) in groups.iter().enumerate() {
        let y = top + 46.0 * row as f64 + 23.0;
        let name = format!("{} (n = {})", g.group.as_deref().unwrap_or("all"), g.n);
        p.wrapped(&name, left - 10.0, y, 11.0, left - 20.0, 2, Anchor::End)?;
        let [min, q1, median, q3, max] = g.five_numbers;
        let colour = OKABE_ITO[row % 7];
        p.line(&[(to_x(min), y), (to_x(q1), y)], INK, 1.0)?;
        p.line(&[(to_x(q3), y), (to_x(max), y)], INK, 1.0)?;
        p.rect(to_x(q1), y - 12.0, to_x(q3), y + 12.0, colour, true)?;
        p.rect(to_x(q1), y - 12.0, to_x(q3), y + 12.0, INK, false)?;
        p.line(
            &[(to_x(median), y - 12.0), (to_x(median), y + 12.0)],
            INK,
            2.0,
        )?;
    }
    Ok(())
}

fn reliability<DB: DrawingBackend>(p: &Painter<DB>, scales: &[ScaleReliabilitySummary]) -> Drawn {
    let n = scales.iter().map(|s| s.n).max().unwrap_or(0);
    title(
        p,
        "Reliability of the scales",
        &format!(
            "Alpha with its 95% Feldt interval, omega total with a bootstrap interval; dashed line at .70; n = {n}"
        ),
    )?;
    let (left, right, top) = (240.0, p.width - 24.0, 64.0);
    let bottom = top + 30.0 * scales.len() as f64;
    let low = scales
        .iter()
        .flat_map(|s| [s.alpha_ci[0], s.omega_total.unwrap_or(1.0)])
        .filter(|v| v.is_finite())
        .fold(0.6_f64, f64::min)
        .max(0.0);
    let low = (low * 10.0).floor() / 10.0;
    let to_x = |v: f64| left + (v - low) / (1.0 - low) * (right - left);
    let marks: Vec<(f64, String)> = ticks(low, 1.0, 5)
        .iter()
        .map(|&v| (v, bounded(v, 1)))
        .collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, "Reliability")?;
    p.dashed((to_x(0.7), top), (to_x(0.7), bottom), INK)?;
    // Legend.
    p.circle(left, 50.0, 4.0, OKABE_ITO[0], true)?;
    p.text(
        "alpha [95% CI]",
        left + 8.0,
        50.0,
        10.5,
        Anchor::Start,
        false,
        INK,
    )?;
    p.rect(left + 110.0, 46.0, left + 118.0, 54.0, OKABE_ITO[3], true)?;
    p.text(
        "omega total [95% CI]",
        left + 123.0,
        50.0,
        10.5,
        Anchor::Start,
        false,
        INK,
    )?;
    for (row, s) in scales.iter().enumerate() {
        let y = top + 30.0 * row as f64 + 15.0;
        p.row_label(&s.label, left, y)?;
        if s.alpha_ci.iter().all(|v| v.is_finite()) {
            p.line(
                &[
                    (to_x(s.alpha_ci[0].max(low)), y),
                    (to_x(s.alpha_ci[1].min(1.0)), y),
                ],
                OKABE_ITO[0],
                2.0,
            )?;
        }
        if s.alpha.is_finite() {
            p.circle(to_x(s.alpha.max(low)), y, 4.5, OKABE_ITO[0], true)?;
        }
        if let Some(omega) = s.omega_total.filter(|o| o.is_finite()) {
            // Omega sits a little below alpha so that the two intervals do not hide each other.
            let y = y + 7.0;
            if let Some(ci) = s.omega_ci.filter(|ci| ci.iter().all(|v| v.is_finite())) {
                p.line(
                    &[(to_x(ci[0].max(low)), y), (to_x(ci[1].min(1.0)), y)],
                    OKABE_ITO[3],
                    2.0,
                )?;
            }
            let x = to_x(omega.max(low));
            p.rect(x - 4.0, y - 4.0, x + 4.0, y + 4.0, OKABE_ITO[3], true)?;
        }
    }
    Ok(())
}

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

fn heatmap<DB: DrawingBackend>(
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
            let text = format!(
                "{}{}",
                bounded(pair.r, 2),
                crate::format::stars(pair.p_adjusted)
            );
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
    Ok(())
}

/// The terms shown in a forest plot: every predictor's rows, per model.
fn forest_groups(models: &[&ModelResult]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for model in models {
        for c in &model.coefficients {
            let is_predictor = model
                .predictors
                .iter()
                .any(|p| c.term == *p || c.term.starts_with(&format!("{p}=")));
            if is_predictor && !groups.contains(&c.term) {
                groups.push(c.term.clone());
            }
        }
    }
    groups
}

fn forest_rows<'a>(
    models: &[&'a ModelResult],
) -> Vec<(String, usize, &'a kith_analysis::results::CoefficientResult)> {
    let mut rows = Vec::new();
    for term in forest_groups(models) {
        for (index, model) in models.iter().enumerate() {
            if let Some(c) = model.coefficients.iter().find(|c| c.term == term) {
                rows.push((term.clone(), index, c));
            }
        }
    }
    rows
}

fn forest<DB: DrawingBackend>(
    p: &Painter<DB>,
    models: &[&ModelResult],
    ratio: bool,
    labels: &Labels,
) -> Drawn {
    let level = "95%";
    title(
        p,
        if ratio {
            "Odds and rate ratios of the predictors"
        } else {
            "Standardized coefficients of the predictors"
        },
        &format!(
            "{} with {level} intervals, by predictor and outcome{}",
            if ratio { "Ratios (log axis)" } else { "β" },
            if models.iter().all(|m| m.controls.is_empty()) {
                String::new()
            } else {
                "; controls not shown".to_string()
            }
        ),
    )?;
    // Legend: one colour per outcome.
    let mut x = 16.0;
    for (index, model) in models.iter().enumerate() {
        let text = format!("{} (n = {})", labels.get(&model.outcome), model.n);
        let text = p.fit(&text, 10.5, 220.0);
        let width = p.text_width(&text, 10.5, false);
        if x + width + 20.0 > p.width - 16.0 {
            break;
        }
        p.circle(x + 5.0, 60.0, 4.5, OKABE_ITO[index % 7], true)?;
        p.text(&text, x + 14.0, 60.0, 10.5, Anchor::Start, false, INK)?;
        x += width + 28.0;
    }
    let rows = forest_rows(models);
    let value = |c: &kith_analysis::results::CoefficientResult| -> Option<(f64, [f64; 2])> {
        if ratio {
            let (r, ci) = (c.odds_ratio.or(c.irr)?, c.odds_ratio_ci.or(c.irr_ci)?);
            Some((r.ln(), [ci[0].ln(), ci[1].ln()]))
        } else {
            Some((c.beta?, c.beta_ci?))
        }
    };
    let values: Vec<f64> = rows
        .iter()
        .filter_map(|(_, _, c)| value(c))
        .flat_map(|(v, ci)| [v, ci[0], ci[1]])
        .filter(|v| v.is_finite())
        .collect();
    let low = values.iter().copied().fold(0.0_f64, f64::min);
    let high = values.iter().copied().fold(0.0_f64, f64::max);
    let pad = (high - low).max(0.1) * 0.08;
    let (low, high) = (low - pad, high + pad);
    let (left, right, top) = (230.0, p.width - 24.0, 80.0);
    let to_x = |v: f64| left + (v - low) / (high - low) * (right - left);
    let groups = forest_groups(models);
    let bottom = top + 20.0 * rows.len() as f64 + 16.0 * groups.len() as f64;
    let marks: Vec<(f64, String)> = if ratio {
        [0.25_f64, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0]
            .iter()
            .filter(|r| (low..=high).contains(&r.ln()))
            .map(|&r| (r.ln(), number(r, 2)))
            .collect()
    } else {
        let t = ticks(low, high, 6);
        let step = t.get(1).map_or(0.1, |b| b - t[0]);
        t.iter().map(|&v| (v, tick_label(v, step))).collect()
    };
    x_axis(
        p,
        left,
        right,
        top,
        bottom,
        &marks,
        &to_x,
        if ratio {
            "Ratio (log scale)"
        } else {
            "Standardized β"
        },
    )?;
    p.line(&[(to_x(0.0), top), (to_x(0.0), bottom)], INK, 1.0)?;
    let mut y = top + 8.0;
    let mut current = String::new();
    for (term, model, c) in &rows {
        if *term != current {
            current = term.clone();
            y += 16.0;
            p.text(
                &p.fit(&labels.get(term), 11.5, left - 20.0),
                16.0,
                y - 8.0,
                11.5,
                Anchor::Start,
                true,
                INK,
            )?;
        }
        let colour = OKABE_ITO[model % 7];
        p.text(
            &p.fit(&labels.get(&models[*model].outcome), 10.5, left - 40.0),
            left - 10.0,
            y + 2.0,
            10.5,
            Anchor::End,
            false,
            MUTED,
        )?;
        if let Some((v, ci)) = value(c).filter(|(v, _)| v.is_finite()) {
            p.line(
                &[(to_x(ci[0]), y + 2.0), (to_x(ci[1]), y + 2.0)],
                colour,
                2.0,
            )?;
            p.circle(to_x(v), y + 2.0, 4.5, colour, true)?;
        }
        y += 20.0;
    }
    Ok(())
}

fn stars_of(p_value: f64) -> &'static str {
    crate::format::stars(p_value)
}

/// A path's coefficient on a white label at the middle of its arrow.
fn path_label<DB: DrawingBackend>(
    p: &Painter<DB>,
    from: (f64, f64),
    to: (f64, f64),
    text: &str,
) -> Drawn {
    let (x, y) = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
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

fn mediation<DB: DrawingBackend>(p: &Painter<DB>, m: &MediationResult, labels: &Labels) -> Drawn {
    let level = format!("{}%", number(m.level * 100.0, 0));
    title(
        p,
        &format!("{} → {}", labels.get(&m.x), labels.get(&m.y)),
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
    for (j, effect) in m.indirect_effects.iter().enumerate() {
        let my = 80.0 + 60.0 * j as f64;
        let mx = (p.width - box_w) / 2.0;
        draw_box((mx, my), &labels.get(&effect.mediator))?;
        let from = (x_box.0 + box_w / 2.0, x_box.1 - box_h / 2.0);
        let to = (mx, my);
        p.arrow(from, to, INK)?;
        path_label(
            p,
            from,
            to,
            &format!("a = {}{}", number(effect.a.b, 2), stars_of(effect.a.p)),
        )?;
        let from = (mx + box_w, my);
        let to = (y_box.0 + box_w / 2.0, y_box.1 - box_h / 2.0);
        p.arrow(from, to, INK)?;
        path_label(
            p,
            from,
            to,
            &format!("b = {}{}", number(effect.b.b, 2), stars_of(effect.b.p)),
        )?;
    }
    p.arrow((x_box.0 + box_w, x_box.1), (y_box.0, y_box.1), INK)?;
    p.text(
        &format!(
            "c′ = {}{}  (c = {}{})",
            number(m.c_prime, 2),
            stars_of(m.c_prime_path.p),
            number(m.c, 2),
            stars_of(m.c_path.p)
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

fn scatter<DB: DrawingBackend>(p: &Painter<DB>, s: &Scatter) -> Drawn {
    title(
        p,
        &format!("{} and {}", s.y_label, s.x_label),
        &format!(
            "Least-squares line with the {}% interval of the fitted mean; r = {}, n = {}",
            number(s.level * 100.0, 0),
            bounded(s.r, 2),
            s.n
        ),
    )?;
    let (left, right, top, bottom) = (70.0, p.width - 24.0, 56.0, p.height - 56.0);
    let xs = s.points.iter().map(|[x, _]| *x);
    let ys = s
        .points
        .iter()
        .map(|[_, y]| *y)
        .chain(s.band.iter().flat_map(|b| [b[2], b[3]]));
    let (x_low, x_high) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (y_low, y_high) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let pad_x = (x_high - x_low).max(1e-9) * 0.04;
    let pad_y = (y_high - y_low).max(1e-9) * 0.04;
    let (x_low, x_high, y_low, y_high) =
        (x_low - pad_x, x_high + pad_x, y_low - pad_y, y_high + pad_y);
    let to_x = |v: f64| left + (v - x_low) / (x_high - x_low) * (right - left);
    let to_y = |v: f64| bottom - (v - y_low) / (y_high - y_low) * (bottom - top);
    let t = ticks(x_low, x_high, 6);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, &s.x_label)?;
    let t = ticks(y_low, y_high, 5);
    let step = t.get(1).map_or(1.0, |b| b - t[0]);
    for v in &t {
        p.line(&[(left, to_y(*v)), (right, to_y(*v))], GRID, 1.0)?;
        p.text(
            &tick_label(*v, step),
            left - 8.0,
            to_y(*v),
            11.0,
            Anchor::End,
            false,
            MUTED,
        )?;
    }
    p.vertical_text(
        &p.fit(&s.y_label, 12.0, bottom - top),
        18.0,
        (top + bottom) / 2.0,
        12.0,
        INK,
    )?;
    let mut band: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[3]))).collect();
    band.extend(s.band.iter().rev().map(|b| (to_x(b[0]), to_y(b[2]))));
    p.polygon(&band, OKABE_ITO[4].mix(0.35))?;
    for [x, y] in &s.points {
        p.circle(to_x(*x), to_y(*y), 2.5, NEUTRAL, true)?;
    }
    let line: Vec<(f64, f64)> = s.band.iter().map(|b| (to_x(b[0]), to_y(b[1]))).collect();
    p.line(&line, OKABE_ITO[0], 2.5)
}

fn importance<DB: DrawingBackend>(p: &Painter<DB>, r: &ImportanceResult, labels: &Labels) -> Drawn {
    title(
        p,
        &format!("What matters most for {}", labels.get(&r.outcome)),
        &format!(
            "{} with 95% bootstrap intervals; R² = {}, n = {}",
            if r.method == ImportanceMethod::Dominance {
                "General dominance weights"
            } else {
                "Relative weights"
            },
            bounded(r.r2, 2),
            r.n
        ),
    )?;
    let (left, right, top) = (230.0, p.width - 24.0, 60.0);
    let bottom = top + 34.0 * r.weights.len() as f64;
    let high = r
        .weights
        .iter()
        .map(|w| w.ci[1].max(w.weight))
        .filter(|v| v.is_finite())
        .fold(0.01_f64, f64::max)
        * 1.08;
    let to_x = |v: f64| left + v.max(0.0) / high * (right - left);
    let t = ticks(0.0, high, 5);
    let step = t.get(1).map_or(0.01, |b| b - t[0]);
    let marks: Vec<(f64, String)> = t.iter().map(|&v| (v, tick_label(v, step))).collect();
    x_axis(p, left, right, top, bottom, &marks, &to_x, "Share of R²")?;
    let mut weights: Vec<_> = r.weights.iter().collect();
    weights.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    for (row, w) in weights.iter().enumerate() {
        let y = top + 34.0 * row as f64 + 17.0;
        p.row_label(&labels.get(&w.predictor), left, y)?;
        p.rect(
            to_x(0.0),
            y - 10.0,
            to_x(w.weight),
            y + 10.0,
            OKABE_ITO[0],
            true,
        )?;
        p.line(&[(to_x(w.ci[0]), y), (to_x(w.ci[1]), y)], INK, 1.5)?;
        p.line(
            &[(to_x(w.ci[0]), y - 5.0), (to_x(w.ci[0]), y + 5.0)],
            INK,
            1.5,
        )?;
        p.line(
            &[(to_x(w.ci[1]), y - 5.0), (to_x(w.ci[1]), y + 5.0)],
            INK,
            1.5,
        )?;
        p.text(
            &format!("{}%", number(w.share * 100.0, 0)),
            to_x(w.ci[1].max(w.weight)) + 6.0,
            y,
            10.5,
            Anchor::Start,
            false,
            MUTED,
        )?;
    }
    Ok(())
}

/// The models of a forest plot: linear models (β) or generalized ones (ratios).
pub fn forest_models(results: &kith_analysis::results::Results, ratio: bool) -> Vec<&ModelResult> {
    results
        .models
        .iter()
        .filter(|m| (m.family.is_generalized()) == ratio)
        .collect()
}

/// The chart of a report figure; `models` are `forest_models` for the forest plots.
pub fn resolve<'a>(
    results: &'a kith_analysis::results::Results,
    figure: &crate::markdown::FigureRef,
    models: &'a [&'a ModelResult],
) -> Option<Chart<'a>> {
    use crate::markdown::FigureRef;
    let figures = &results.figures;
    Some(match figure {
        FigureRef::Reliability => Chart::Reliability(&figures.reliability),
        FigureRef::Likert(i) => Chart::Likert(figures.item_responses.get(*i)?),
        FigureRef::Distribution(variable) => {
            let start = figures
                .distributions
                .iter()
                .position(|d| d.variable == *variable)?;
            let count = figures.distributions[start..]
                .iter()
                .take_while(|d| d.variable == *variable)
                .count();
            Chart::Distribution(&figures.distributions[start..start + count])
        }
        FigureRef::Correlations(i) => Chart::Correlations(results.correlations.get(*i)?),
        FigureRef::Forest { ratio } => Chart::Forest {
            models,
            ratio: *ratio,
        },
        FigureRef::Scatter(i) => Chart::Scatter(figures.scatter.get(*i)?),
        FigureRef::Mediation(i) => Chart::Mediation(results.mediation.get(*i)?),
        FigureRef::Importance(i) => Chart::Importance(results.importance.get(*i)?),
    })
}

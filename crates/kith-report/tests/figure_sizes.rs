//! Figures sized for print: every chart of the example's results (and mediation diagrams with
//! one to four mediators), drawn at a page's and a column's width, has no text under 8 pt at
//! its printed size, no text that starts left of the canvas or ends beyond it, and no two texts
//! on top of each other.

use kith_analysis::results::{FigureWidth, MediationResult, Results};
use kith_report::charts::{self, Chart, Options};
use kith_report::document::{self, Kind, Pick, Unavailable};
use kith_report::labels::Labels;
use kith_report::paint::text_width;

/// The example plan's results, trimmed (one histogram, the grouped plan's box plots, every
/// third scatter point) so that the fixture stays small.
fn example() -> Results {
    serde_json::from_str(include_str!("data/results-example.json")).expect("a results file")
}

/// The example's parallel mediation with `k` mediators (copies of its first one beyond two).
fn mediation(k: usize) -> MediationResult {
    let mut m: MediationResult =
        serde_json::from_str(include_str!("data/mediation-two-mediators.json"))
            .expect("a mediation result");
    m.indirect_effects.truncate(k);
    m.m.truncate(k);
    while m.indirect_effects.len() < k {
        let mut extra = m.indirect_effects[0].clone();
        extra.mediator = format!("mediator_{}", m.indirect_effects.len());
        m.m.push(extra.mediator.clone());
        m.indirect_effects.push(extra);
    }
    m
}

/// One text of an SVG document, as the viewer places it.
#[derive(Debug)]
struct Text {
    content: String,
    x: f64,
    y: f64,
    size: f64,
    bold: bool,
    anchor: String,
    turned: bool,
}

impl Text {
    /// Its extent along its line: (start, end).
    fn span(&self) -> (f64, f64) {
        let width = text_width(&self.content, self.size, self.bold);
        let along = if self.turned { self.y } else { self.x };
        match self.anchor.as_str() {
            "middle" => (along - width / 2.0, along + width / 2.0),
            "end" => (along - width, along),
            _ => (along, along + width),
        }
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    tag.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn texts(svg: &str) -> Vec<Text> {
    svg.split("<text")
        .skip(1)
        .filter_map(|part| {
            let (tag, rest) = part.split_once('>')?;
            let content = unescape(rest.split("</text>").next()?.trim());
            let number = |name: &str| attribute(tag, name).and_then(|v| v.parse::<f64>().ok());
            Some(Text {
                content,
                x: number("x")?,
                y: number("y")?,
                size: number("font-size")?,
                bold: attribute(tag, "font-weight").as_deref() == Some("bold"),
                anchor: attribute(tag, "text-anchor").unwrap_or_default(),
                turned: attribute(tag, "transform").is_some(),
            })
        })
        .collect()
}

fn svg_size(svg: &str) -> (f64, f64) {
    let number = |name: &str| {
        attribute(svg, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    (number("width"), number("height"))
}

/// Every problem of one drawn chart: small text, text beyond the canvas, texts on each other.
fn problems(name: &str, svg: &str, width: FigureWidth) -> Vec<String> {
    let (canvas_width, canvas_height) = svg_size(svg);
    let mut out = Vec::new();
    let expected = width.inches() * 96.0;
    if (canvas_width - expected).abs() > 0.5 {
        out.push(format!("{name}: {canvas_width} px wide, not {expected}"));
    }
    let texts = texts(svg);
    if texts.is_empty() {
        out.push(format!("{name}: no text found"));
    }
    for t in &texts {
        // 1 CSS px at the printed size is 0.75 pt.
        if t.size * 0.75 < 8.0 {
            out.push(format!(
                "{name}: `{}` at {} px is {:.2} pt",
                t.content,
                t.size,
                t.size * 0.75
            ));
        }
        let (start, end) = t.span();
        let limit = if t.turned {
            canvas_height
        } else {
            canvas_width
        };
        if start < -0.5 || end > limit + 0.5 {
            out.push(format!(
                "{name}: `{}` runs from {start:.1} to {end:.1}, beyond 0–{limit}",
                t.content
            ));
        }
        if !t.turned && (t.y - t.size * 0.5 < -0.5 || t.y + t.size * 0.5 > canvas_height + 0.5) {
            out.push(format!(
                "{name}: `{}` at y = {} is cut off by the canvas (height {canvas_height})",
                t.content, t.y
            ));
        }
    }
    // Two texts on one line overlap when their spans cross; lines closer than 80% of the text
    // size count as one line.
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if a.turned || b.turned {
                continue;
            }
            let same_line = (a.y - b.y).abs() < 0.8 * a.size.max(b.size);
            let ((a0, a1), (b0, b1)) = (a.span(), b.span());
            if same_line && a0.max(b0) < a1.min(b1) - 1.0 {
                out.push(format!(
                    "{name}: `{}` ({a0:.0}–{a1:.0}, y {}) and `{}` ({b0:.0}–{b1:.0}, y {}) overlap",
                    a.content, a.y, b.content, b.y
                ));
            }
        }
    }
    out
}

/// Every chart `kith chart` can pick from the results: each kind, each index.
fn every_chart(results: &Results) -> Vec<(String, Chart<'_>)> {
    let kinds = [
        ("likert", Kind::Likert),
        ("distribution", Kind::Distribution),
        ("reliability", Kind::Reliability),
        ("correlations", Kind::Correlations),
        ("forest", Kind::Forest),
        ("ratios", Kind::Ratios),
        ("mediation", Kind::Mediation),
        ("scatter", Kind::Scatter),
        ("importance", Kind::Importance),
    ];
    let mut out = Vec::new();
    for (name, kind) in kinds {
        for index in 0.. {
            let pick = Pick {
                index,
                variable: None,
            };
            match document::chart(results, kind, pick) {
                Ok(chart) => out.push((format!("{name} {index}"), chart)),
                Err(Unavailable::Missing { .. } | Unavailable::NoDistribution { .. }) => break,
            }
            // Charts that draw every model at once have no index.
            if matches!(kind, Kind::Forest | Kind::Ratios | Kind::Reliability) {
                break;
            }
        }
    }
    out
}

#[test]
fn every_chart_prints_its_text_at_8_pt_or_more_inside_the_canvas_at_both_widths() {
    let results = example();
    let labels = Labels::of(&results);
    let mediations: Vec<MediationResult> = (1..=4).map(mediation).collect();
    let mut charts = every_chart(&results);
    let kinds: Vec<&str> = charts
        .iter()
        .filter_map(|(name, _)| name.split(' ').next())
        .collect();
    for kind in [
        "likert",
        "distribution",
        "reliability",
        "correlations",
        "forest",
        "ratios",
        "mediation",
        "scatter",
        "importance",
    ] {
        assert!(kinds.contains(&kind), "the fixture has no {kind} chart");
    }
    let grouped =
        charts::distribution::of(&results.figures, "career_satisfaction_by_group").expect("groups");
    assert!(grouped.len() > 1, "box plots need several groups");
    charts.push((
        "distribution by group".to_string(),
        Chart::Distribution(grouped),
    ));
    for (k, m) in mediations.iter().enumerate() {
        charts.push((
            format!("mediation with {} mediators", k + 1),
            Chart::Mediation(m),
        ));
    }
    let mut found = Vec::new();
    for width in [FigureWidth::Page, FigureWidth::Column] {
        for titles in [true, false] {
            for (name, chart) in &charts {
                let svg = charts::svg(chart, &labels, Options { titles, width })
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let name = format!("{name} at {width:?} width, titles {titles}");
                found.extend(problems(&name, &svg, width));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Names far longer than a label column (a plan's labels can be anything) are wrapped or
/// shortened, never drawn past the canvas or over each other, at either width.
#[test]
fn long_names_stay_inside_the_canvas_at_both_widths() {
    let mut results = example();
    let long = " and a much longer name than any journal would print";
    for label in results.labels.values_mut() {
        label.push_str(long);
    }
    for scale in &mut results.figures.item_responses {
        scale.label.push_str(long);
        for item in &mut scale.items {
            item.text
                .push_str(" — and then some, as a long item text goes on and on");
        }
    }
    for scale in &mut results.figures.reliability {
        scale.label.push_str(long);
    }
    for d in &mut results.figures.distributions {
        if let Some(group) = &mut d.group {
            group.push_str(long);
        }
        d.label.push_str(long);
    }
    let labels = Labels::of(&results);
    let mediations: Vec<MediationResult> = (1..=4).map(mediation).collect();
    let mut charts = every_chart(&results);
    if let Some(grouped) =
        charts::distribution::of(&results.figures, "career_satisfaction_by_group")
    {
        charts.push((
            "distribution by group".to_string(),
            Chart::Distribution(grouped),
        ));
    }
    for (k, m) in mediations.iter().enumerate() {
        charts.push((
            format!("mediation with {} mediators", k + 1),
            Chart::Mediation(m),
        ));
    }
    let mut found = Vec::new();
    for width in [FigureWidth::Page, FigureWidth::Column] {
        for (name, chart) in &charts {
            let options = Options {
                titles: true,
                width,
            };
            let svg =
                charts::svg(chart, &labels, options).unwrap_or_else(|e| panic!("{name}: {e}"));
            found.extend(problems(&format!("{name} at {width:?} width"), &svg, width));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The check above finds what it looks for: small text, text beyond the canvas, and overlaps.
#[test]
fn the_checks_find_small_clipped_and_overlapping_text() {
    let svg = r#"<svg width="312" height="100" viewBox="0 0 312 100" xmlns="http://www.w3.org/2000/svg">
<text x="10" y="20" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="9">small</text>
<text x="300" y="50" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="11">beyond the edge</text>
<text x="100" y="80" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="11">one text</text>
<text x="120" y="82" dy="0.5ex" text-anchor="start" font-family="DejaVu Sans" font-size="11">another</text>
</svg>"#;
    let found = problems("test", svg, FigureWidth::Column);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("6.75 pt"), "{}", found[0]);
    assert!(found[1].contains("beyond"), "{}", found[1]);
    assert!(found[2].contains("overlap"), "{}", found[2]);
}

#[test]
fn the_canvas_is_the_printed_width_at_96_px_to_the_inch() {
    assert_eq!(charts::canvas_width(FigureWidth::Page), 624.0);
    assert_eq!(charts::canvas_width(FigureWidth::Column), 312.0);
}

//! The self-contained HTML report: the report's blocks as HTML (Markdown through
//! pulldown-cmark, raw HTML in the text escaped), every figure an inline SVG with a numbered
//! caption, inline CSS for laptops, phones and print, a Content-Security-Policy that forbids
//! any request, and no JavaScript.

use crate::charts;
use crate::document::{Block, blocks};
use crate::labels::Labels;
use kith_analysis::results::Results;
use pulldown_cmark::{Event, Options, Parser, html};

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 2px solid #0072b2; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
p, li { max-width: 48rem; }
code { font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
blockquote { margin: 0.5rem 0; padding: 0.25rem 1rem; border-left: 4px solid #e69f00; background: #fdf6e8; }
table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
th { border-bottom: 2px solid #444; }
td:not(:first-child), th:not(:first-child) { text-align: right; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; height: auto; max-width: 624px; }
figcaption { font-size: 0.9rem; color: #444; max-width: 48rem; margin-top: 0.4rem; }
figcaption b { color: #222; }
@media (max-width: 40rem) { body { font-size: 15px; } main { padding: 1rem 0.75rem 3rem; } h1 { font-size: 1.45rem; } }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } a { color: inherit; } }
"#;

fn escape(text: &str) -> String {
    kith_instrument::escape::escape_html(text)
}

/// Markdown to HTML; HTML written inside the text (e.g. in a label) is shown, not run.
fn markdown_to_html(text: &str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

/// The SVG made responsive: a viewBox instead of a fixed size, and a label for screen readers.
fn responsive(svg: &str, label: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let end = svg[start..].find('>').map_or(svg.len(), |e| start + e);
    let header = &svg[start..end];
    let attribute = |name: &str| -> Option<String> {
        let at = header.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(header[at..].split('"').next()?.to_string())
    };
    let (Some(width), Some(height)) = (attribute("width"), attribute("height")) else {
        return svg.to_string();
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\"{}",
        escape(label),
        &svg[end..]
    )
}

/// The whole report as one HTML document.
pub fn report(results: &Results) -> Result<String, String> {
    let labels = Labels::of(results);
    // The page's figures are drawn at a page's width whatever the plan's `figure_width` (which
    // is for the PNGs beside report.md): the CSS scales them to the screen.
    let options = charts::Options {
        width: charts::FigureWidth::Page,
        ..charts::Options::of(results)
    };
    let title = results.title.as_deref().unwrap_or("Analysis report");
    let mut body = String::new();
    for block in blocks(results) {
        match block {
            Block::Text(text) => body.push_str(&markdown_to_html(&text)),
            Block::Figure(figure) => {
                let svg = charts::svg(&figure.chart, &labels, options)?;
                body.push_str(&format!(
                    "<figure id=\"figure-{number}\">\n{}\n<figcaption><b>Figure {number}.</b> {}</figcaption>\n</figure>\n",
                    responsive(&svg, &figure.caption),
                    escape(&figure.caption),
                    number = figure.number,
                ));
            }
        }
    }
    Ok(format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"generator\" content=\"kith {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&results.kith_version),
        escape(title)
    ))
}

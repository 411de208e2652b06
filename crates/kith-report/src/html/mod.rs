//! The self-contained HTML report: the report's blocks as HTML (Markdown through
//! pulldown-cmark, raw HTML in the text escaped), every figure an inline SVG with a numbered
//! caption (drawn a page wide and a column wide, for laptops and phones), inline CSS for
//! laptops, phones and print, a Content-Security-Policy that forbids
//! any request, and no JavaScript.

use crate::charts;
use crate::document::{Block, blocks};
use crate::labels::Labels;
use kith_analysis::results::Results;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

mod tables;

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
/* A table scrolls sideways in its box when the screen is too narrow; the shadows at the box's
   edges (drawn by the background, moving with the content) show that there is more. */
div.table { max-width: 100%; overflow-x: auto; margin: 0.5rem 0 1rem; background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 2.5rem 100% no-repeat local, linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 2.5rem 100% no-repeat local, radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.22), rgba(0,0,0,0)) left / 0.9rem 100% no-repeat scroll, radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.22), rgba(0,0,0,0)) right / 0.9rem 100% no-repeat scroll; }
table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
th { border-bottom: 2px solid #444; }
td:not(:first-child), th:not(:first-child) { text-align: right; }
table.wide td:first-child, table.wide th:first-child { position: sticky; left: 0; background: #fff; }
th.group { text-align: center; border-bottom: 1px solid #444; }
thead tr + tr th { text-align: right; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; height: auto; max-width: 624px; }
/* The column-wide drawing of each figure is for phones; laptops and print show the page-wide one. */
div.chart.column { display: none; }
@media screen and (max-width: 40rem) { div.chart.page { display: none; } div.chart.column { display: block; } figure svg { max-width: 480px; } }
figcaption { font-size: 0.9rem; color: #444; max-width: 48rem; margin-top: 0.4rem; }
figcaption b { color: #222; }
@media (max-width: 40rem) { body { font-size: 15px; } main { padding: 1rem 0.75rem 3rem; } h1 { font-size: 1.45rem; }
  /* On a phone a narrow table (a regression's terms) stacks each row into label–value lines:
     the estimate, its interval and p without a sideways scroll. The header stays for screen
     readers. */
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.stack tr { display: grid; grid-template-columns: 1fr 1fr; column-gap: 1.25rem; border-bottom: 2px solid #ccc; padding: 0.35rem 0; }
  table.stack td { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 0.5rem; border: 0; padding: 0.1rem 0.25rem; text-align: right; }
  table.stack td:first-child { white-space: normal; }
  table.stack td:first-child, table.stack td[data-label*="CI"]:not([class]) { grid-column: 1 / -1; }
  table.stack tr:has(td.g1) { grid-auto-flow: row dense; }
  table.stack td.g1 { grid-column: 1; } table.stack td.g2 { grid-column: 2; }
  table.stack td::before { content: attr(data-label); color: #555; text-align: left; }
  table.stack td:first-child { font-weight: 600; text-align: left; }
  table.stack td:first-child::before, table.stack td:empty { display: none; }
}
/* In print nothing scrolls: cells wrap, text is smaller, and a wide table gets a landscape page;
   a table's number and title stay with it. */
@page { size: letter; margin: 0.7in 0.6in; }
@page wide { size: letter landscape; }
@media print { main { max-width: none; padding: 0; } body { font-size: 10.5pt; } h2, h3 { break-after: avoid; } figure { break-inside: avoid; } a { color: inherit; }
  div.table { overflow: visible; background: none; }
  div.table.wide, p:has(+ div.table.wide), div.table.wide + p { page: wide; }
  table { width: 100%; font-size: 8.5pt; }
  th, td { white-space: normal; padding: 0.12rem 0.3rem; }
  tr { break-inside: avoid; }
  p:has(+ div.table) { break-after: avoid; }
}
"#;

fn escape(text: &str) -> String {
    kith_instrument::escape::escape_html(text)
}

/// Markdown to HTML; HTML written inside the text (e.g. in a label) is shown, not run. Tables
/// are written by `tables::push` (a scroll box, a label on every cell for phones, and a class
/// for wide tables that print on landscape pages); everything else by pulldown-cmark.
fn markdown_to_html(text: &str) -> String {
    let mut events = Parser::new_ext(text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    let mut pending = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                html::push_html(&mut out, pending.drain(..));
                let inner: Vec<Event> = events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Table)))
                    .collect();
                tables::push(&mut out, &alignments, inner);
            }
            other => pending.push(other),
        }
    }
    html::push_html(&mut out, pending.into_iter());
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
    // Each figure is drawn twice, whatever the plan's `figure_width` (which is for the PNGs
    // beside report.md): a page wide for laptops and print, a column wide for phones, so that
    // its text is as large as the page's on either (a page-wide chart scaled to a phone would
    // have 6-pixel text). The CSS shows one of them.
    let at = |width| charts::Options {
        width,
        ..charts::Options::of(results)
    };
    let (page, column) = (
        at(charts::FigureWidth::Page),
        at(charts::FigureWidth::Column),
    );
    let title = results.title.as_deref().unwrap_or("Analysis report");
    let mut body = String::new();
    for block in blocks(results) {
        match block {
            Block::Text(text) => body.push_str(&markdown_to_html(&text)),
            Block::Figure(figure) => {
                let wide = charts::svg(&figure.chart, &labels, page)?;
                let narrow = charts::svg(&figure.chart, &labels, column)?;
                body.push_str(&format!(
                    "<figure id=\"figure-{number}\">\n<div class=\"chart page\">{}</div>\n<div class=\"chart column\">{}</div>\n<figcaption><b>Figure {number}.</b> {}</figcaption>\n</figure>\n",
                    responsive(&wide, &figure.caption),
                    responsive(&narrow, &figure.caption),
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

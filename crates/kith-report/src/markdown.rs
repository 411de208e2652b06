//! The Markdown report (report.md): the document's text as it is, each figure as a link to its
//! PNG file with its numbered caption.

use crate::document::{Block, blocks};
use kith_analysis::results::Results;
use std::fmt::Write;

/// The report as Markdown, figures as images named by `image(figure number)`.
pub fn report(results: &Results, image: &dyn Fn(usize) -> String) -> String {
    let mut out = String::new();
    for block in blocks(results) {
        match block {
            Block::Text(text) => out.push_str(&text),
            Block::Figure(figure) => {
                let number = figure.number;
                let _ = writeln!(
                    out,
                    "![Figure {number}]({})\n\n*Figure {number}.* {}\n",
                    image(number),
                    figure.caption
                );
            }
        }
    }
    out
}

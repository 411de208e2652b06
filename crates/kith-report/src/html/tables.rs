//! The report's tables as HTML. Each table sits in a box that scrolls sideways on a screen too
//! narrow for it (with a shadow that shows there is more), every body cell carries its
//! column's header as `data-label` so that a phone can stack a row into label–value lines,
//! and a table with many columns is marked `wide`: it keeps its grid on phones (first column
//! fixed) and prints on a landscape page, so that no printed column is cut off.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd, html};
use std::fmt::Write;

/// Tables with more columns than this are `wide` (a correlation matrix); narrower ones (a
/// regression's terms) stack their rows on phones.
pub const STACKED_COLUMNS: usize = 9;

/// A cell: its inline content as HTML and as plain text (for the `data-label` of its column).
#[derive(Debug, Default)]
struct Cell {
    html: String,
    text: String,
}

/// Writes one Markdown table (the events between its start and end) as HTML.
pub fn push(out: &mut String, alignments: &[Alignment], events: Vec<Event>) {
    let mut header: Vec<Cell> = Vec::new();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cell: Option<Vec<Event>> = None;
    let mut in_head = false;
    for event in events {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(Vec::new()),
            Event::End(TagEnd::TableCell) => {
                let content = render(cell.take().unwrap_or_default());
                if in_head {
                    header.push(content);
                } else if let Some(row) = rows.last_mut() {
                    row.push(content);
                }
            }
            other => {
                if let Some(events) = cell.as_mut() {
                    events.push(other);
                }
            }
        }
    }
    let columns = alignments.len().max(header.len());
    let kind = if columns > STACKED_COLUMNS {
        "wide"
    } else {
        "stack"
    };
    let _ = write!(
        out,
        "<div class=\"table {kind}\" tabindex=\"0\">\n<table class=\"{kind}\">\n<thead>"
    );
    push_header(out, &header);
    out.push_str("</thead>\n<tbody>\n");
    // On a phone the cells of a table of two groups (Model 1 | Model 2) stack in two columns,
    // a group's cells under each other.
    let group_of = column_groups(&header);
    for row in &rows {
        out.push_str("<tr>");
        let summary = is_summary_row(&header, &group_of, row);
        for (index, cell) in row.iter().enumerate() {
            let mut label = header.get(index).map_or("", |h| h.text.as_str());
            // A step's statistic (R², ΔR², F) stands under each group's first column, whose
            // header names a coefficient's statistic: on a phone it is labelled by its group.
            if summary && starts_group(&group_of, index) {
                label = label.split_once(": ").map_or(label, |(group, _)| group);
            }
            let class = match group_of.get(index) {
                Some(Some(group)) => format!(" class=\"g{group}\""),
                _ => String::new(),
            };
            let _ = write!(
                out,
                "<td{class} data-label=\"{}\">{}</td>",
                kith_instrument::escape::escape_html(label),
                cell.html
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// The header row; when neighbouring headers share a group (`Model 1: b`, `Model 1: SE`), as
/// APA tables set it: the group's name spans its columns in a first row, and each column
/// names only its own statistic in a second.
fn push_header(out: &mut String, header: &[Cell]) {
    let groups: Vec<Option<(&str, &str)>> = header
        .iter()
        .map(|cell| cell.text.split_once(": "))
        .collect();
    let grouped = groups
        .windows(2)
        .any(|pair| matches!(pair, [Some((a, _)), Some((b, _))] if a == b));
    if !grouped {
        out.push_str("<tr>");
        for cell in header {
            let _ = write!(out, "<th scope=\"col\">{}</th>", cell.html);
        }
        out.push_str("</tr>");
        return;
    }
    out.push_str("<tr>");
    let mut index = 0;
    while index < header.len() {
        match groups[index] {
            Some((group, _)) => {
                let span = groups[index..]
                    .iter()
                    .take_while(|g| g.is_some_and(|(other, _)| other == group))
                    .count();
                let _ = write!(
                    out,
                    "<th scope=\"colgroup\" colspan=\"{span}\" class=\"group\">{}</th>",
                    kith_instrument::escape::escape_html(group)
                );
                index += span;
            }
            None => {
                let _ = write!(
                    out,
                    "<th scope=\"col\" rowspan=\"2\">{}</th>",
                    header[index].html
                );
                index += 1;
            }
        }
    }
    out.push_str("</tr>\n<tr>");
    for group in groups.iter().flatten() {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            kith_instrument::escape::escape_html(group.1)
        );
    }
    out.push_str("</tr>");
}

/// The group (1 or 2) of each column of a table whose headers form exactly two groups, as
/// `push_header` spans them; none otherwise.
fn column_groups(header: &[Cell]) -> Vec<Option<usize>> {
    let names: Vec<Option<&str>> = header
        .iter()
        .map(|cell| cell.text.split_once(": ").map(|(group, _)| group))
        .collect();
    let mut distinct: Vec<&str> = Vec::new();
    for name in names.iter().flatten() {
        if !distinct.contains(name) {
            distinct.push(name);
        }
    }
    if distinct.len() != 2 {
        return vec![None; header.len()];
    }
    names
        .iter()
        .map(|name| name.and_then(|n| distinct.iter().position(|d| *d == n).map(|i| i + 1)))
        .collect()
}

/// Whether column `index` is the first of its group.
fn starts_group(group_of: &[Option<usize>], index: usize) -> bool {
    group_of.get(index).copied().flatten().is_some()
        && (index == 0 || group_of.get(index - 1).copied().flatten() != group_of[index])
}

/// Whether a row of a grouped table is a summary of each group (a hierarchical regression's R²
/// or F row): apart from its name, its cells stand only in each group's first column or in a
/// `p` column.
fn is_summary_row(header: &[Cell], group_of: &[Option<usize>], row: &[Cell]) -> bool {
    if group_of.iter().all(Option::is_none) {
        return false;
    }
    let mut any = false;
    for (index, cell) in row.iter().enumerate().skip(1) {
        if cell.text.is_empty() {
            continue;
        }
        let p_column = header
            .get(index)
            .is_some_and(|h| h.text == "p" || h.text.ends_with(": p"));
        if starts_group(group_of, index) {
            any = true;
        } else if !p_column {
            return false;
        }
    }
    any
}

/// A cell's inline events as HTML, and their text alone.
fn render(events: Vec<Event>) -> Cell {
    let mut text = String::new();
    for event in &events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    let mut cell = Cell {
        html: String::new(),
        text: text.trim().to_string(),
    };
    html::push_html(&mut cell.html, events.into_iter());
    cell.html = cell.html.trim().to_string();
    cell
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    /// The table's HTML from Markdown, through `push`.
    fn table_html(markdown: &str) -> String {
        let mut events = Parser::new_ext(markdown, Options::ENABLE_TABLES);
        let mut out = String::new();
        while let Some(event) = events.next() {
            if let Event::Start(Tag::Table(alignments)) = event {
                let inner: Vec<Event> = events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Table)))
                    .collect();
                push(&mut out, &alignments, inner);
            }
        }
        out
    }

    fn check(markdown: &str, expected: &[&str]) {
        let html = table_html(markdown);
        for part in expected {
            assert!(html.contains(part), "`{part}` in:\n{html}");
        }
    }

    #[test]
    fn cells_carry_their_column_header_and_narrow_tables_stack() {
        check(
            "| Term | b | 95% CI |\n|---|---:|---|\n| *Age* | 0.12 | [0.01, 0.2] |\n",
            &[
                "<div class=\"table stack\" tabindex=\"0\">",
                "<th scope=\"col\">95% CI</th>",
                "<td data-label=\"Term\"><em>Age</em></td>",
                "<td data-label=\"b\">0.12</td>",
                "<td data-label=\"95% CI\">[0.01, 0.2]</td>",
            ],
        );
    }

    #[test]
    fn tables_with_many_columns_are_wide() {
        let header: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
        let markdown = format!(
            "| {} |\n|{}\n| {} |\n",
            header.join(" | "),
            "---|".repeat(12),
            ["1"; 12].join(" | ")
        );
        check(
            &markdown,
            &["<table class=\"wide\">", "data-label=\"c11\">1</td>"],
        );
    }

    #[test]
    fn headers_of_a_group_share_a_spanning_header() {
        check(
            "| Term | Model 1: b | Model 1: p | Model 2: b | VIF |\n|---|---|---|---|---|\n| Age | 1 | .5 | 2 | 1.1 |\n",
            &[
                "<tr><th scope=\"col\" rowspan=\"2\">Term</th><th scope=\"colgroup\" colspan=\"2\" class=\"group\">Model 1</th><th scope=\"colgroup\" colspan=\"1\" class=\"group\">Model 2</th><th scope=\"col\" rowspan=\"2\">VIF</th></tr>",
                "<tr><th scope=\"col\">b</th><th scope=\"col\">p</th><th scope=\"col\">b</th></tr>",
                "<td class=\"g1\" data-label=\"Model 1: p\">.5</td>",
                "<td class=\"g2\" data-label=\"Model 2: b\">2</td><td data-label=\"VIF\">1.1</td>",
            ],
        );
        // A colon in a lone header is no group.
        check(
            "| Term | Note: x |\n|---|---|\n| a | b |\n",
            &["<tr><th scope=\"col\">Term</th><th scope=\"col\">Note: x</th></tr>"],
        );
    }

    #[test]
    fn a_groups_summary_row_is_labelled_by_its_groups_on_phones() {
        check(
            "| Term | Model 1: b | Model 1: SE | Model 1: p | Model 2: b | Model 2: p |\n|---|---|---|---|---|---|\n| Age | 1 | .2 | .5 | 2 | .4 |\n| R² | .1 |  |  | .3 |  |\n",
            &[
                "<td class=\"g1\" data-label=\"Model 1: b\">1</td>",
                "<td class=\"g1\" data-label=\"Model 1\">.1</td>",
                "<td class=\"g2\" data-label=\"Model 2\">.3</td>",
            ],
        );
    }

    #[test]
    fn headers_with_markup_give_plain_labels_and_escaped_text() {
        check(
            "| `a<b` | **x** |\n|---|---|\n| 1 | 2 |\n",
            &["data-label=\"a&lt;b\">1</td>", "data-label=\"x\">2</td>"],
        );
    }
}

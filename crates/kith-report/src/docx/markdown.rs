//! The report's Markdown as Word paragraphs and tables: pulldown-cmark's events walked into
//! docx-rs runs (bold, italic, code), headings in the Heading styles, lists, indented block
//! quotes, and pipe tables as real Word tables in APA style.

use docx_rs::{
    AlignmentType, BorderType, BreakType, IndentLevel, LineSpacing, LineSpacingType, NumberingId,
    Paragraph, Run, RunFonts, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins, TableRow,
    VAlignType, VMergeType, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The width of the text block in twentieths of a point: US Letter less two 1-inch margins.
pub(super) const TEXT_WIDTH: usize = 9360;
/// The body's font size in half-points (12 pt).
const BODY_SIZE: usize = 24;
/// The font size of tables in half-points (10 pt), as APA tables are set.
const TABLE_SIZE: usize = 20;
/// The numbering instance of bullet lists (see `super::numberings`). Not 1: docx-rs always
/// writes a decimal numbering of its own under id 1, and Word would use that one.
pub(super) const BULLETS: usize = 2;
/// The numbering definition that ordered lists instantiate, one instance per list.
pub(super) const ORDERED: usize = 3;
/// How far each list level or block quote is indented, in twentieths of a point (half an inch).
pub(super) const INDENT: i32 = 720;
const MONOSPACE: &str = "Courier New";
/// The rules of an APA table: 1 pt above and below it, ½ pt under the header row.
const OUTER_RULE: usize = 8;
const HEADER_RULE: usize = 4;

/// A piece of the document's body, in reading order.
#[derive(Debug)]
pub(super) enum Part {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
    /// The end of a section of the given orientation: what comes before it, back to the
    /// previous end, is set on portrait or landscape pages (`super::document_xml` writes it).
    SectionEnd(Orientation),
}

/// A section's page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Orientation {
    Portrait,
    Landscape,
}

/// Tables with more columns than this get a landscape page of their own, as in the printed
/// HTML report.
const WIDE_COLUMNS: usize = 9;
/// The width of the text block of a landscape page: US Letter turned, less 1-inch margins.
const LANDSCAPE_TEXT_WIDTH: usize = 12_960;

/// The runs of one paragraph or table cell, with its plain text (to recognise a table's
/// "Table N." line and to size columns).
#[derive(Debug, Default)]
struct Inline {
    runs: Vec<Run>,
    plain: String,
    formatted: bool,
}

#[derive(Debug, Default)]
struct TableState {
    header: Vec<Inline>,
    rows: Vec<Vec<Inline>>,
    row: Vec<Inline>,
    cell: Inline,
}

#[derive(Debug)]
struct List {
    numbering: usize,
    /// Whether the current item's first paragraph (the one with the bullet) has been written.
    started: bool,
}

/// Collects the document's body from the report's blocks.
#[derive(Debug, Default)]
pub(super) struct Writer {
    pub(super) parts: Vec<Part>,
    /// The numbering instances of ordered lists with their first numbers, for `numbering.xml`.
    pub(super) ordered: Vec<(usize, usize)>,
    paragraphs: u32,
    inline: Option<Inline>,
    heading: Option<HeadingLevel>,
    strong: usize,
    emphasis: usize,
    quotes: usize,
    lists: Vec<List>,
    table: Option<TableState>,
    /// Where the caption of the coming table starts among the parts.
    caption_at: Option<usize>,
    /// Whether a wide table's landscape section is open, to be ended after its note.
    landscape: bool,
}

impl Writer {
    /// A new paragraph with the next id: docx-rs would number paragraphs from a counter that
    /// lives as long as the thread, so the same results would not give the same bytes twice.
    pub(super) fn paragraph(&mut self) -> Paragraph {
        self.paragraphs += 1;
        Paragraph::new().id(format!("{:08X}", self.paragraphs))
    }

    /// Adds a block of the report's Markdown; HTML written inside the text is kept as text.
    pub(super) fn markdown(&mut self, text: &str) {
        let events: Vec<Event> = Parser::new_ext(text, Options::ENABLE_TABLES).collect();
        for (at, event) in events.iter().enumerate() {
            let next_is_table = matches!(events.get(at + 1), Some(Event::Start(Tag::Table(_))));
            self.event(event, next_is_table);
        }
        self.flush(false);
    }

    fn event(&mut self, event: &Event, next_is_table: bool) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag, next_is_table),
            Event::Text(text) => self.text(text, false),
            Event::Code(text) => self.text(text, true),
            // Raw HTML is shown as written, as in the HTML report, on one line.
            Event::Html(raw) | Event::InlineHtml(raw) => {
                self.text(&raw.trim_end().replace('\n', " "), false)
            }
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => {
                let run = Run::new().add_break(BreakType::TextWrapping);
                self.target().runs.push(run);
            }
            Event::Rule => {
                self.flush(false);
                let paragraph = self.paragraph();
                self.parts.push(Part::Paragraph(Box::new(paragraph)));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::CodeBlock(_) => self.flush(false),
            Tag::Heading { level, .. } => {
                self.flush(false);
                self.heading = Some(*level);
            }
            Tag::Strong => self.strong += 1,
            Tag::Emphasis => self.emphasis += 1,
            Tag::BlockQuote(_) => {
                self.flush(false);
                self.quotes += 1;
            }
            Tag::List(first) => {
                // The text before a nested list belongs to the enclosing item.
                self.flush(false);
                let numbering = match first {
                    None => BULLETS,
                    Some(first) => {
                        let id = ORDERED + 1 + self.ordered.len();
                        self.ordered.push((id, *first as usize));
                        id
                    }
                };
                self.lists.push(List {
                    numbering,
                    started: false,
                });
            }
            Tag::Item => {
                self.flush(false);
                if let Some(list) = self.lists.last_mut() {
                    list.started = false;
                }
            }
            Tag::Table(_) => {
                self.flush(false);
                self.table = Some(TableState::default());
            }
            Tag::TableCell => {
                if let Some(table) = &mut self.table {
                    table.cell = Inline::default();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, next_is_table: bool) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::CodeBlock => self.flush(next_is_table),
            TagEnd::Heading(_) => self.flush(false),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::BlockQuote(_) => {
                self.flush(false);
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush(false);
                self.lists.pop();
            }
            TagEnd::Item => self.flush(false),
            TagEnd::TableCell => {
                if let Some(table) = &mut self.table {
                    let cell = std::mem::take(&mut table.cell);
                    table.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header = std::mem::take(&mut table.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    // Word joins tables that touch into one; an empty paragraph keeps them
                    // apart, as the blank line does in the Markdown.
                    if matches!(self.parts.last(), Some(Part::Table(_))) {
                        let gap = self.paragraph();
                        self.push(Part::Paragraph(Box::new(gap)), "");
                    }
                    let columns = std::iter::once(&table.header)
                        .chain(&table.rows)
                        .map(Vec::len)
                        .max()
                        .unwrap_or(0);
                    let caption_at = self.caption_at.take().unwrap_or(self.parts.len());
                    let wide = columns > WIDE_COLUMNS;
                    if wide && !self.landscape && caption_at > 0 {
                        // The portrait pages end before the table's caption.
                        self.parts
                            .insert(caption_at, Part::SectionEnd(Orientation::Portrait));
                    }
                    let table = self.word_table(table, wide);
                    self.push(Part::Table(Box::new(table)), "");
                    self.landscape |= wide;
                }
            }
            _ => {}
        }
    }

    /// Where the next run goes: the current table cell, or the current paragraph.
    fn target(&mut self) -> &mut Inline {
        match &mut self.table {
            Some(table) => &mut table.cell,
            None => self.inline.get_or_insert_with(Inline::default),
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        let size = if self.table.is_some() {
            TABLE_SIZE
        } else {
            BODY_SIZE
        };
        let (strong, emphasis) = (self.strong > 0, self.emphasis > 0);
        let mut run = Run::new().add_text(xml_safe(text));
        if strong {
            run = run.bold();
        }
        if emphasis {
            run = run.italic();
        }
        if code {
            // Code is set a point smaller, as a monospace face looks larger than the serif.
            run = run
                .fonts(
                    RunFonts::new()
                        .ascii(MONOSPACE)
                        .hi_ansi(MONOSPACE)
                        .cs(MONOSPACE),
                )
                .size(size - 2);
        } else if size != BODY_SIZE {
            run = run.size(size);
        }
        let target = self.target();
        target.runs.push(run);
        target.plain.push_str(text);
        target.formatted |= strong || emphasis || code;
    }

    /// Ends the current paragraph: a heading in its style, a list item with its bullet, a
    /// quoted paragraph indented, and a table's "Table N. Title." line as APA sets it.
    fn flush(&mut self, next_is_table: bool) {
        let heading = self.heading.take();
        let Some(inline) = self.inline.take() else {
            return;
        };
        if inline.runs.is_empty() {
            return;
        }
        if heading.is_none() && next_is_table && !inline.formatted {
            if let Some((label, title)) = table_caption(&inline.plain) {
                let label = self
                    .paragraph()
                    .keep_next(true)
                    .add_run(Run::new().add_text(xml_safe(label)).bold());
                let title = self
                    .paragraph()
                    .keep_next(true)
                    .add_run(Run::new().add_text(xml_safe(title)).italic());
                self.push(Part::Paragraph(Box::new(label)), "");
                self.caption_at = Some(self.parts.len() - 1);
                self.push(Part::Paragraph(Box::new(title)), "");
                return;
            }
        }
        let mut paragraph = self.paragraph();
        for run in inline.runs {
            paragraph = paragraph.add_run(run);
        }
        if let Some(level) = heading {
            let style = match level {
                HeadingLevel::H1 => "Heading1",
                HeadingLevel::H2 => "Heading2",
                _ => "Heading3",
            };
            paragraph = paragraph.style(style).keep_next(true);
        } else if !self.lists.is_empty() {
            let depth = self.lists.len() - 1;
            let list = &mut self.lists[depth];
            if list.started {
                // A further paragraph of the same item lines up with the item's text.
                let start = INDENT * (depth as i32 + 1);
                paragraph = paragraph.indent(Some(start), None, None, None);
            } else {
                list.started = true;
                paragraph =
                    paragraph.numbering(NumberingId::new(list.numbering), IndentLevel::new(depth));
            }
        } else if self.quotes > 0 {
            let indent = INDENT * self.quotes as i32;
            paragraph = paragraph.indent(Some(indent), None, Some(indent), None);
        }
        self.push(Part::Paragraph(Box::new(paragraph)), &inline.plain);
    }

    /// Adds a part. After a wide table, its landscape section ends with the table's note, or
    /// before anything else that follows it.
    pub(super) fn push(&mut self, part: Part, plain: &str) {
        let table = matches!(part, Part::Table(_));
        if self.landscape && !table {
            if plain.starts_with("Note.") {
                self.parts.push(part);
                self.parts.push(Part::SectionEnd(Orientation::Landscape));
                self.landscape = false;
                return;
            }
            self.parts.push(Part::SectionEnd(Orientation::Landscape));
            self.landscape = false;
        }
        self.parts.push(part);
    }

    /// Ends an open landscape section at the end of the document (whose own section is
    /// portrait).
    pub(super) fn finish(&mut self) {
        if self.landscape {
            self.parts.push(Part::SectionEnd(Orientation::Landscape));
            self.landscape = false;
        }
    }

    /// A Markdown table as an APA table: no vertical rules, a rule above and below the header
    /// row and one under the last row, the header repeated on each page, 10 pt single-spaced,
    /// the first column left-aligned and the numbers right-aligned as in the HTML report.
    fn word_table(&mut self, table: TableState, landscape: bool) -> Table {
        let columns = std::iter::once(&table.header)
            .chain(&table.rows)
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        let text_width = if landscape {
            LANDSCAPE_TEXT_WIDTH
        } else {
            TEXT_WIDTH
        };
        let widths = column_widths(&table, columns, text_width);
        let header_rule = |position| {
            TableCellBorder::new(position)
                .border_type(BorderType::Single)
                .size(HEADER_RULE)
        };
        let header_borders = TableCellBorders::with_empty()
            .set(header_rule(TableCellBorderPosition::Top).size(OUTER_RULE))
            .set(header_rule(TableCellBorderPosition::Bottom));
        let mut rows = Vec::new();
        // `cant_split` marks the header rows for `super::pack`, which makes them repeat on
        // each page (docx-rs cannot write `w:tblHeader` itself); a header row never splits.
        match header_groups(&table.header) {
            Some(groups) => {
                let [first, second] = self.grouped_header(&groups, &widths);
                rows.push(TableRow::new(first).cant_split());
                rows.push(TableRow::new(second).cant_split());
            }
            None => {
                let header: Vec<TableCell> = table
                    .header
                    .into_iter()
                    .enumerate()
                    .map(|(column, cell)| {
                        self.cell(cell, column, &widths)
                            .vertical_align(VAlignType::Bottom)
                            .set_borders(header_borders.clone())
                    })
                    .collect();
                rows.push(TableRow::new(header).cant_split());
            }
        }
        for row in table.rows {
            let cells: Vec<TableCell> = row
                .into_iter()
                .enumerate()
                .map(|(column, cell)| self.cell(cell, column, &widths))
                .collect();
            rows.push(TableRow::new(cells));
        }
        let rule = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(OUTER_RULE)
        };
        let borders = TableBorders::new()
            .clear_all()
            .set(rule(TableBorderPosition::Top))
            .set(rule(TableBorderPosition::Bottom));
        Table::new(rows)
            .set_grid(widths.clone())
            .width(widths.iter().sum(), WidthType::Dxa)
            .set_borders(borders)
            .margins(TableCellMargins::new().margin(0, 80, 0, 80))
    }

    /// The two header rows of a table whose columns form groups (`Model 1: b`, `Model 1: SE`),
    /// as APA tables set them: each group's name spans its columns over a thin rule, each
    /// column names its own statistic under it, and a column without a group spans both rows.
    fn grouped_header(&mut self, groups: &[HeaderGroup], widths: &[usize]) -> [Vec<TableCell>; 2] {
        let rule = |position, size| {
            TableCellBorder::new(position)
                .border_type(BorderType::Single)
                .size(size)
        };
        let top =
            TableCellBorders::with_empty().set(rule(TableCellBorderPosition::Top, OUTER_RULE));
        let group_borders = top
            .clone()
            .set(rule(TableCellBorderPosition::Bottom, HEADER_RULE / 2));
        let bottom =
            TableCellBorders::with_empty().set(rule(TableCellBorderPosition::Bottom, HEADER_RULE));
        let (mut first, mut second) = (Vec::new(), Vec::new());
        let mut column = 0;
        for group in groups {
            match group {
                HeaderGroup::Alone(text) => {
                    let cell = self.header_cell(text, column, widths, 1, column == 0);
                    first.push(
                        cell.vertical_merge(VMergeType::Restart)
                            .vertical_align(VAlignType::Bottom)
                            .set_borders(top.clone()),
                    );
                    second.push(
                        self.header_cell("", column, widths, 1, column == 0)
                            .vertical_merge(VMergeType::Continue)
                            .set_borders(bottom.clone()),
                    );
                    column += 1;
                }
                HeaderGroup::Spanning { name, columns } => {
                    let span = columns.len();
                    let width: usize = widths.iter().skip(column).take(span).sum();
                    first.push(
                        self.header_cell(name, column, widths, span, false)
                            .width(width, WidthType::Dxa)
                            .set_borders(group_borders.clone()),
                    );
                    for statistic in columns {
                        second.push(
                            self.header_cell(statistic, column, widths, 1, false)
                                .set_borders(bottom.clone()),
                        );
                        column += 1;
                    }
                }
            }
        }
        [first, second]
    }

    /// A header cell of plain text; a group's name is centred over its columns.
    fn header_cell(
        &mut self,
        text: &str,
        column: usize,
        widths: &[usize],
        span: usize,
        left: bool,
    ) -> TableCell {
        let align = match (span > 1, left) {
            (true, _) => AlignmentType::Center,
            (false, true) => AlignmentType::Left,
            (false, false) => AlignmentType::Right,
        };
        let paragraph = self
            .paragraph()
            .align(align)
            .line_spacing(
                LineSpacing::new()
                    .before(0)
                    .after(0)
                    .line(240)
                    .line_rule(LineSpacingType::Auto),
            )
            .add_run(Run::new().add_text(xml_safe(text)).size(TABLE_SIZE));
        let cell = TableCell::new()
            .add_paragraph(paragraph)
            .width(widths.get(column).copied().unwrap_or(0), WidthType::Dxa);
        if span > 1 { cell.grid_span(span) } else { cell }
    }

    fn cell(&mut self, cell: Inline, column: usize, widths: &[usize]) -> TableCell {
        let align = if column == 0 {
            AlignmentType::Left
        } else {
            AlignmentType::Right
        };
        let mut paragraph = self.paragraph().align(align).line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(240)
                .line_rule(LineSpacingType::Auto),
        );
        for run in cell.runs {
            paragraph = paragraph.add_run(run);
        }
        TableCell::new()
            .add_paragraph(paragraph)
            .width(widths.get(column).copied().unwrap_or(0), WidthType::Dxa)
    }
}

/// A header cell, or the run of neighbouring header cells that share a group's name.
#[derive(Debug, Clone, PartialEq)]
enum HeaderGroup {
    Alone(String),
    Spanning { name: String, columns: Vec<String> },
}

/// The header's groups when neighbouring cells share a name before ": " (`Model 1: b`,
/// `Model 1: SE`), as the HTML report spans them; none when no two neighbours do.
fn header_groups(header: &[Inline]) -> Option<Vec<HeaderGroup>> {
    let mut groups: Vec<HeaderGroup> = Vec::new();
    for cell in header {
        let text = cell.plain.trim();
        match text.split_once(": ") {
            Some((name, statistic)) => match groups.last_mut() {
                Some(HeaderGroup::Spanning {
                    name: last,
                    columns,
                }) if last == name => {
                    columns.push(statistic.to_string());
                }
                _ => groups.push(HeaderGroup::Spanning {
                    name: name.to_string(),
                    columns: vec![statistic.to_string()],
                }),
            },
            None => groups.push(HeaderGroup::Alone(text.to_string())),
        }
    }
    let grouped = groups
        .iter()
        .any(|g| matches!(g, HeaderGroup::Spanning { columns, .. } if columns.len() > 1));
    grouped.then(|| {
        // A lone "Note: x" is no group: it stays one cell.
        groups
            .into_iter()
            .map(|g| match g {
                HeaderGroup::Spanning { name, columns } if columns.len() == 1 => {
                    HeaderGroup::Alone(format!("{name}: {}", columns[0]))
                }
                other => other,
            })
            .collect()
    })
}

/// Each column's width from its longest cell, at about a tenth of an inch per character of
/// 10 pt type, shrunk in proportion when the table would be wider than the text block.
fn column_widths(table: &TableState, columns: usize, text_width: usize) -> Vec<usize> {
    let mut widths = vec![3usize; columns];
    for row in std::iter::once(&table.header).chain(&table.rows) {
        for (column, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(column) {
                *width = (*width).max(cell.plain.chars().count());
            }
        }
    }
    let natural: Vec<usize> = widths.iter().map(|w| (w + 2) * 110).collect();
    let total: usize = natural.iter().sum();
    if total <= text_width {
        return natural;
    }
    natural.iter().map(|w| w * text_width / total).collect()
}

/// "Table 3" and "Reliability of the scales." from "Table 3. Reliability of the scales.".
fn table_caption(plain: &str) -> Option<(&str, &str)> {
    let rest = plain.strip_prefix("Table ")?;
    let (number, title) = rest.split_once(". ")?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((&plain[.."Table ".len() + number.len()], title.trim()))
}

/// Text without the characters XML 1.0 cannot hold (control characters other than tab and
/// newline), which would make Word refuse the whole file.
pub(super) fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{HeaderGroup, Inline, header_groups, table_caption};

    fn header(names: &[&str]) -> Vec<Inline> {
        names
            .iter()
            .map(|name| Inline {
                plain: name.to_string(),
                ..Inline::default()
            })
            .collect()
    }

    #[test]
    fn neighbouring_headers_of_a_group_span_it_and_others_stand_alone() {
        let alone = |s: &str| HeaderGroup::Alone(s.to_string());
        assert_eq!(
            header_groups(&header(&[
                "Term",
                "Model 1: b",
                "Model 1: SE",
                "Model 2: b",
                "VIF"
            ])),
            Some(vec![
                alone("Term"),
                HeaderGroup::Spanning {
                    name: "Model 1".into(),
                    columns: vec!["b".into(), "SE".into()]
                },
                alone("Model 2: b"),
                alone("VIF"),
            ])
        );
        assert_eq!(header_groups(&header(&["Term", "Note: x", "b"])), None);
    }

    #[test]
    fn a_table_line_splits_into_its_label_and_title() {
        assert_eq!(
            table_caption("Table 12. Descriptive statistics."),
            Some(("Table 12", "Descriptive statistics."))
        );
        assert_eq!(table_caption("Table of contents. x"), None);
        assert_eq!(table_caption("Tables 1. x"), None);
    }
}

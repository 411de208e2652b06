//! The Word report (report.docx): the report's blocks as an editable document for co-authors
//! and journals, with headings in Word's Heading styles, tables as real Word tables in APA
//! style and each figure a 300 dpi PNG placed at its printed size with its numbered caption.
//! US Letter, 1-inch margins, Times New Roman 12 pt; the same results give the same bytes.

mod markdown;

use crate::charts;
use crate::document::{Block, Figure, blocks};
use crate::labels::Labels;
use docx_rs::{
    AbstractNumbering, Docx, Level, LevelJc, LevelOverride, LevelText, LineSpacing,
    LineSpacingType, NumberFormat, Numbering, PageMargin, Pic, Run, RunFonts, SpecialIndentType,
    Start, Style, StyleType,
};
use kith_analysis::results::Results;
use markdown::{BULLETS, INDENT, ORDERED, Orientation, Part, TEXT_WIDTH, Writer, xml_safe};

/// The resolution of the embedded figures: what journals ask of line art with text.
pub const DPI: u32 = 300;
/// English Metric Units per inch, the unit of a picture's size in Word.
const EMU_PER_INCH: u64 = 914_400;
/// The tallest a figure may be, leaving room on the page for its caption (8 inches).
const MAX_FIGURE_HEIGHT: u64 = 8 * EMU_PER_INCH;
const SERIF: &str = "Times New Roman";

/// The whole report as the bytes of a .docx file.
pub fn report(results: &Results) -> Result<Vec<u8>, String> {
    let labels = Labels::of(results);
    let options = charts::Options::of(results);
    let mut writer = Writer::default();
    for block in blocks(results) {
        match block {
            Block::Text(text) => writer.markdown(&text),
            Block::Figure(figure) => {
                let png = charts::png(&figure.chart, &labels, DPI, options)?;
                figure_parts(&mut writer, &figure, png)?;
            }
        }
    }
    let fonts = RunFonts::new()
        .ascii(SERIF)
        .hi_ansi(SERIF)
        .cs(SERIF)
        .east_asia(SERIF);
    let mut docx = Docx::new()
        // US Letter in twentieths of a point, with 1-inch margins.
        .page_size(12_240, 15_840)
        .page_margin(
            PageMargin::new()
                .top(1440)
                .bottom(1440)
                .left(1440)
                .right(1440)
                .header(720)
                .footer(720),
        )
        .default_fonts(fonts)
        .default_size(24)
        .default_line_spacing(
            LineSpacing::new()
                .before(0)
                .after(160)
                .line(259)
                .line_rule(LineSpacingType::Auto),
        );
    for style in heading_styles() {
        docx = docx.add_style(style);
    }
    docx = numberings(docx, &writer.ordered);
    writer.finish();
    for part in std::mem::take(&mut writer.parts) {
        docx = match part {
            Part::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
            Part::Table(table) => docx.add_table(*table),
            // A marker paragraph that `document_xml` turns into the section's properties.
            Part::SectionEnd(orientation) => {
                docx.add_paragraph(writer.paragraph().style(match orientation {
                    Orientation::Portrait => PORTRAIT_END,
                    Orientation::Landscape => LANDSCAPE_END,
                }))
            }
        };
    }
    let title = results.title.as_deref().unwrap_or("Analysis report");
    pack(docx, title, &results.kith_version)
}

/// A figure's picture (kept with its caption on one page) and its caption, "**Figure N.**
/// caption" as in the HTML report.
fn figure_parts(writer: &mut Writer, figure: &Figure, png: Vec<u8>) -> Result<(), String> {
    let number = figure.number;
    let (width_px, height_px) =
        png_size(&png).ok_or_else(|| format!("figure {number} is not a PNG image"))?;
    let (width, height) = printed_size(width_px, height_px);
    // The id names the picture's relationship and its file in word/media; docx-rs would
    // number pictures from a process-wide counter.
    let picture = Pic::new_with_dimensions(png, width_px, height_px)
        .size(width, height)
        .id(format!("rIdFigure{number}"));
    let paragraph = writer
        .paragraph()
        .keep_next(true)
        .add_run(Run::new().add_image(picture));
    let caption = writer
        .paragraph()
        .add_run(Run::new().add_text(format!("Figure {number}.")).bold())
        .add_run(Run::new().add_text(format!(" {}", xml_safe(&figure.caption))));
    writer.push(Part::Paragraph(Box::new(paragraph)), "");
    writer.push(Part::Paragraph(Box::new(caption)), "");
    Ok(())
}

/// A PNG's width and height in pixels, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(png.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(png.get(20..24)?.try_into().ok()?);
    Some((width, height))
}

/// The size in EMU at which a picture of this many pixels prints at `DPI`: a page-width chart
/// is 6.5 inches, the text block's width, and a column-width one 3.25. A picture wider than
/// the text block or too tall for a page is shrunk, keeping its shape.
fn printed_size(width_px: u32, height_px: u32) -> (u32, u32) {
    let width = u64::from(width_px) * EMU_PER_INCH / u64::from(DPI);
    let height = u64::from(height_px) * EMU_PER_INCH / u64::from(DPI);
    let max_width = TEXT_WIDTH as u64 * EMU_PER_INCH / 1440;
    // The scale as a fraction (numerator, denominator) of the largest that fits both ways.
    let (numerator, denominator) = if width * MAX_FIGURE_HEIGHT > height * max_width {
        (max_width, width)
    } else {
        (MAX_FIGURE_HEIGHT, height)
    };
    let (numerator, denominator) = if numerator >= denominator {
        (1, 1)
    } else {
        (numerator, denominator.max(1))
    };
    let scale = |v: u64| u32::try_from(v * numerator / denominator).unwrap_or(u32::MAX);
    (scale(width), scale(height))
}

/// Word's Heading 1–3 styles (their names are the built-in ones, so the navigation pane, the
/// table of contents and pandoc see them as headings), set as APA's first three levels: the
/// title centred and bold, sections bold, subsections bold italic.
fn heading_styles() -> Vec<Style> {
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .next("Normal")
            .q_format(true)
            .bold()
            .size(size)
            .outline_lvl(level - 1)
            .line_spacing(
                LineSpacing::new()
                    .before(if level == 1 { 0 } else { 240 })
                    .after(120),
            )
    };
    // docx-rs writes the Normal style itself.
    vec![
        heading(1, 32).align(docx_rs::AlignmentType::Center),
        heading(2, 28),
        heading(3, 24).italic(),
    ]
}

/// Bullets for unordered lists and, for each ordered list, its own instance of a decimal
/// numbering that starts at the list's first number.
fn numberings(mut docx: Docx, ordered: &[(usize, usize)]) -> Docx {
    let level = |level: usize, format: &str, text: &str| {
        let indent = INDENT * (level as i32 + 1);
        Level::new(
            level,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
        .indent(
            Some(indent),
            Some(SpecialIndentType::Hanging(360)),
            None,
            None,
        )
    };
    let mut bullets = AbstractNumbering::new(BULLETS);
    let mut decimal = AbstractNumbering::new(ORDERED);
    for depth in 0..3 {
        bullets = bullets.add_level(level(depth, "bullet", ["•", "◦", "▪"][depth]));
        decimal = decimal.add_level(level(depth, "decimal", &format!("%{}.", depth + 1)));
    }
    docx = docx
        .add_abstract_numbering(bullets)
        .add_abstract_numbering(decimal)
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    for &(id, first) in ordered {
        docx = docx.add_numbering(
            Numbering::new(id, ORDERED).add_override(LevelOverride::new(0).start(first)),
        );
    }
    docx
}

/// Writes the package, with what docx-rs cannot say itself written into its parts: the title
/// and generator in the core properties (and no creation date, so that the same results give
/// the same bytes), header rows that repeat on each page, and a distinct id for each picture.
fn pack(docx: Docx, title: &str, version: &str) -> Result<Vec<u8>, String> {
    let mut xml = docx.build();
    let core =
        String::from_utf8(std::mem::take(&mut xml.doc_props.core)).map_err(|e| e.to_string())?;
    xml.doc_props.core = core_properties(&core, title, version).into_bytes();
    let document =
        String::from_utf8(std::mem::take(&mut xml.document)).map_err(|e| e.to_string())?;
    xml.document = document_xml(&document).into_bytes();
    let mut bytes = std::io::Cursor::new(Vec::new());
    xml.pack(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// docProps/core.xml with the report's title, kith as its author, and without the dates
/// docx-rs fills in (1970), which Word would show as the document's creation date.
fn core_properties(core: &str, title: &str, version: &str) -> String {
    let mut out = core.to_string();
    for element in ["dcterms:created", "dcterms:modified"] {
        let open = format!("<{element}");
        let close = format!("</{element}>");
        if let (Some(start), Some(end)) = (out.find(&open), out.find(&close)) {
            if start < end {
                out.replace_range(start..end + close.len(), "");
            }
        }
    }
    let author = format!("kith {}", escape(version));
    out = out
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!("<dc:creator>{author}</dc:creator>"),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
        );
    match out.rfind("</cp:coreProperties>") {
        Some(at) => {
            out.insert_str(at, &format!("<dc:title>{}</dc:title>", escape(title)));
            out
        }
        None => out,
    }
}

/// The style names of the marker paragraphs that end a portrait or a landscape section.
const PORTRAIT_END: &str = "KithPortraitSectionEnd";
const LANDSCAPE_END: &str = "KithLandscapeSectionEnd";

/// The marker paragraphs made section breaks: their style becomes the section's properties
/// (page size and orientation, the document's margins), as Word ends a section with a
/// paragraph whose properties hold a `w:sectPr`.
fn section_ends(document: &str) -> String {
    let section = |width: u32, height: u32, landscape: bool| {
        format!(
            "<w:sectPr><w:pgSz w:w=\"{width}\" w:h=\"{height}\"{} /><w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\" /></w:sectPr>",
            if landscape {
                " w:orient=\"landscape\""
            } else {
                ""
            }
        )
    };
    document
        .replace(
            &format!("<w:pStyle w:val=\"{PORTRAIT_END}\" />"),
            &section(12_240, 15_840, false),
        )
        .replace(
            &format!("<w:pStyle w:val=\"{LANDSCAPE_END}\" />"),
            &section(15_840, 12_240, true),
        )
}

/// word/document.xml with each table's header row marked to repeat on every page and its
/// first row declared a header (which pandoc and screen readers go by), and each picture with
/// its own drawing id (docx-rs gives them all id 1, which Word may report as damage).
fn document_xml(document: &str) -> String {
    let mut out = section_ends(document);
    out = out
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .replace(
            "</w:tblPr>",
            "<w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\" /></w:tblPr>",
        );
    let picture = "<wp:docPr id=\"1\" name=\"Figure\" />";
    let mut number = 0;
    while let Some(at) = out.find(picture) {
        number += 1;
        out.replace_range(
            at..at + picture.len(),
            &format!("<wp:docPr id=\"{number}\" name=\"Figure {number}\" />"),
        );
    }
    out
}

fn escape(text: &str) -> String {
    kith_instrument::escape::escape_html(&xml_safe(text))
}

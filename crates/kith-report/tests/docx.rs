//! The Word report from a fixed set of results: HTML written in a label comes out as the
//! label's literal text (never as markup in document.xml), the title names the document, and
//! the same results give the same bytes, with no date that changes between runs.

use kith_analysis::results::{Figures, ModelResult, Results, Section};
use std::io::Read;

const LABEL: &str = "Age <script>alert(1)</script> & <b>years</b>";

fn results() -> Results {
    let model: ModelResult =
        serde_json::from_str(include_str!("data/model-with-a-factor.json")).expect("a model");
    let mut figures = Figures::default();
    figures.report.sections = vec![Section::Models];
    let mut labels = std::collections::BTreeMap::new();
    labels.insert("age".to_string(), LABEL.to_string());
    Results {
        kith_version: "test".to_string(),
        plan: "plan.yaml".to_string(),
        title: Some("Careers <i>&</i> networks".to_string()),
        data: vec!["responses.csv".to_string()],
        survey: None,
        labels,
        n_rows: 200,
        level: 0.95,
        descriptives: Vec::new(),
        correlations: Vec::new(),
        comparisons: Vec::new(),
        moderation: Vec::new(),
        moderated_mediation: Vec::new(),
        multicategorical_mediation: Vec::new(),
        multicategorical_moderation: Vec::new(),
        networks: Vec::new(),
        models: vec![model],
        mediation: Vec::new(),
        importance: Vec::new(),
        measurement: Vec::new(),
        screening: None,
        sensitivity: None,
        not_computed: Vec::new(),
        figures,
    }
}

/// A part of the package as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip archive");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("UTF-8");
    text
}

/// The text of an XML part: its elements left out, its entities read.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn html_in_a_label_is_text_in_the_word_report() {
    let docx = kith_report::docx::report(&results()).expect("the report");
    let document = part(&docx, "word/document.xml");
    assert!(
        text_of(&document).contains(LABEL),
        "the label's text, as written"
    );
    for markup in ["<script", "<b>", "<i>"] {
        assert!(!document.contains(markup), "no `{markup}` element");
    }
    let core = part(&docx, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Careers &lt;i&gt;&amp;&lt;/i&gt; networks</dc:title>"),
        "{core}"
    );
}

#[test]
fn the_word_report_is_the_same_bytes_for_the_same_results() {
    let first = kith_report::docx::report(&results()).expect("the report");
    let second = kith_report::docx::report(&results()).expect("the report");
    assert!(first == second, "two runs give the same bytes");
    // No date that changes: no creation date in the core properties, and every file in the
    // archive carries the same fixed time.
    let core = part(&first, "docProps/core.xml");
    assert!(!core.contains("dcterms:created"), "{core}");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).expect("zip");
    for index in 0..archive.len() {
        let file = archive.by_index(index).expect("entry");
        let time = file.last_modified().expect("a time");
        assert_eq!(
            (
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute()
            ),
            (1980, 1, 1, 0, 0),
            "{}",
            file.name()
        );
    }
}

/// A table of more columns than a portrait page holds (the example's correlation matrix, 15
/// columns) is set on a landscape page of its own, with its caption and note; the pages
/// before and after stay portrait.
#[test]
fn a_wide_table_gets_a_landscape_section_with_its_caption_and_note() {
    let results: Results =
        serde_json::from_str(include_str!("data/results-example.json")).expect("a results file");
    let docx = kith_report::docx::report(&results).expect("the report");
    let document = part(&docx, "word/document.xml");
    let landscape = document
        .find("w:orient=\"landscape\"")
        .expect("a landscape section");
    assert_eq!(
        document.matches("w:orient=\"landscape\"").count(),
        1,
        "one wide table, one landscape section"
    );
    // The landscape section runs from the previous section's end to its own.
    let start = document[..landscape]
        .rfind("<w:sectPr>")
        .and_then(|end_of_portrait| document[..end_of_portrait].rfind("<w:sectPr>").or(Some(0)))
        .expect("a portrait section before it");
    let section = text_of(&document[start..landscape]);
    for expected in ["Pearson correlations.", "1. Helping motive", "Note."] {
        assert!(
            section.contains(expected),
            "`{expected}` in the landscape section"
        );
    }
    // After it, the pages are portrait again: the document's own section.
    let last = document.rfind("<w:sectPr").expect("the document's section");
    assert!(last > landscape && !document[last..].contains("landscape"));
}

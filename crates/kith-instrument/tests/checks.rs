//! Data-driven tests of `kith check`'s rules: each case is a file and the codes it must report.

mod common;

use common::check_text;
use kith_instrument::form::reverse_keyed;
use kith_instrument::model::MinAnswered;
use kith_instrument::validate::{is_column_name, is_doi, is_language_tag};

const HEADER: &str = "kind: instrument\nid: demo\nversion: 1.0.0\ntitle: Demo\nlicense: Test fixture.\nvalidated: true\n";
const AGREE5: &str =
    "scales:\n  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}\n";

/// Checks `body` (after the common header and scale) and compares the sorted error and warning
/// codes with `expected`.
#[track_caller]
fn check(body: &str, expected: &[&str]) {
    let text = format!("{HEADER}{AGREE5}{body}");
    let checked = check_text(&text, &[]);
    let mut codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(codes, expected, "diagnostics: {:#?}", checked.diagnostics);
    for diagnostic in &checked.diagnostics {
        assert!(
            diagnostic.line > 0 && diagnostic.column > 0,
            "{diagnostic:?} has no place"
        );
        assert!(diagnostic.hint.is_some(), "{diagnostic:?} has no hint");
    }
    assert_eq!(checked.form.is_some(), !checked.has_errors());
}

#[test]
fn valid_instrument_has_no_diagnostics() {
    check("items:\n  - {id: q1, text: Hi, scale: agree5}\n", &[]);
}

#[test]
fn item_rules() {
    check(
        "items:\n  - {id: q1, text: Hi, scale: agree5}\n  - {id: q1, text: Again, scale: agree5}\n",
        &["duplicate-item-id"],
    );
    // The scale nobody uses is flagged too: it is the likely target of the typo.
    check(
        "items:\n  - {id: q1, text: Hi, scale: agree6}\n",
        &["unknown-scale", "unused-scale"],
    );
    check(
        "items:\n  - {id: 9q, text: Hi, scale: agree5}\n",
        &["invalid-id"],
    );
    check(
        "items:\n  - {id: started_at, text: Hi, scale: agree5}\n",
        &["reserved-id"],
    );
    check(
        &format!(
            "items:\n  - {{id: {}, text: Hi, scale: agree5}}\n",
            "a".repeat(65)
        ),
        &["invalid-id"],
    );
    check(
        "items:\n  - {id: q1, text: '  ', scale: agree5}\n",
        &["empty-text"],
    );
    check(
        "items:\n  - {id: q1, text: Hi, scale: agree5, revrese: true}\n",
        &["unknown-key"],
    );
    check(
        "items:\n  - {id: q1, text: Hi, scale: agree5, reverse: yes}\n",
        &["wrong-type"],
    );
    check("items:\n  - {id: q1, scale: agree5}\n", &["missing-key"]);
    check("items: []\n", &["no-items", "unused-scale"]);
    check(
        "items:\n  - {id: q1, text: Hi, scale: agree5, translations: {english: Hi}}\n",
        &["invalid-language"],
    );
}

#[test]
fn scale_rules() {
    let cases: &[(&str, &[&str])] = &[
        (
            "  bad: {type: likert, values: [1, 2, 3], labels: [a, b]}\n",
            &["labels-values-mismatch"],
        ),
        (
            "  bad: {type: likert, values: [], labels: []}\n",
            &["empty-scale"],
        ),
        // A code written with a decimal point is the wrong type; digits beyond i64 are out of
        // range for a code.
        (
            "  bad: {type: likert, values: [1, 2.0, 3], labels: [a, b, c]}\n",
            &["wrong-type"],
        ),
        (
            "  bad: {type: likert, values: [1, 2, 10000000000000000000], labels: [a, b, c]}\n",
            &["out-of-range"],
        ),
        (
            "  bad: {type: likert, values: [1], labels: [a]}\n",
            &["empty-scale"],
        ),
        (
            "  bad: {type: likert, values: [1, 3, 2], labels: [a, b, c]}\n",
            &["unordered-values"],
        ),
        (
            "  bad: {type: likert, values: [1, 1], labels: [a, b]}\n",
            &["unordered-values"],
        ),
        (
            "  bad: {type: likert, values: [1, 2], labels: [a, '']}\n",
            &["empty-label"],
        ),
        ("  bad: {type: numeric, min: 5, max: 5}\n", &["empty-scale"]),
        (
            "  bad: {type: numeric, min: 0.5, max: 5, integer: true}\n",
            &["non-integer-bound"],
        ),
        (
            "  bad: {type: single_choice, options: []}\n",
            &["empty-scale"],
        ),
        (
            "  bad: {type: single_choice, options: [{value: 1, label: a}, {value: 1, label: b}]}\n",
            &["duplicate-option"],
        ),
        (
            "  bad: {type: multiple_choice, options: [{value: 1, label: a}, {value: 2, label: a}]}\n",
            &["duplicate-option"],
        ),
        ("  bad: {type: text, max_length: 0}\n", &["empty-scale"]),
        (
            "  bad: {type: likret, values: [1, 2], labels: [a, b]}\n",
            &["unknown-value"],
        ),
        (
            "  bad: {values: [1, 2], labels: [a, b]}\n",
            &["missing-key"],
        ),
    ];
    for (scale, expected) in cases {
        let text = format!(
            "{HEADER}scales:\n  agree5: {{type: likert, values: [1, 2], labels: [a, b]}}\n{scale}items:\n  - {{id: q1, text: Hi, scale: agree5}}\n  - {{id: q2, text: Hi, scale: bad}}\n"
        );
        let checked = check_text(&text, &[]);
        let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            &codes, expected,
            "scale {scale}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn an_unused_scale_is_a_warning_not_an_error() {
    let text = format!(
        "{HEADER}{AGREE5}  spare: {{type: text}}\nitems:\n  - {{id: q1, text: Hi, scale: agree5}}\n"
    );
    let checked = check_text(&text, &[]);
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(checked.diagnostics[0].code, "unused-scale");
    assert!(!checked.has_errors());
    assert!(checked.form.is_some());
}

#[test]
fn keying_rules() {
    let scales = "  dept: {type: single_choice, options: [{value: 1, label: a}, {value: 2, label: b}]}\n  hours: {type: numeric, min: 0}\n  bounded: {type: numeric, min: 0, max: 10}\n";
    let text = |item: &str| {
        format!(
            "{HEADER}{AGREE5}{scales}items:\n  - {{id: q1, text: Hi, scale: agree5}}\n  - {item}\n"
        )
    };
    let codes = |item: &str| -> Vec<&'static str> {
        check_text(&text(item), &[])
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(
        codes("{id: q2, text: Hi, scale: dept, reverse: true}"),
        ["reverse-non-ordinal"]
    );
    assert_eq!(
        codes("{id: q2, text: Hi, scale: hours, reverse: true}"),
        ["reverse-unbounded"]
    );
    assert!(codes("{id: q2, text: Hi, scale: bounded, reverse: true}").is_empty());
}

#[test]
fn score_rules() {
    let items = "items:\n  - {id: q1, text: Hi, scale: agree5}\n  - {id: q2, text: Hi, scale: agree5}\n  - {id: q3, text: Hi, scale: agree5}\n";
    let case =
        |scores: &str, expected: &[&str]| check(&format!("{items}scores:\n{scores}"), expected);
    case("  - {id: s, label: S, items: [q1, q2, q3]}\n", &[]);
    case(
        "  - {id: s, label: S, items: [q1, q4]}\n",
        &["unknown-item"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q1]}\n",
        &["duplicate-score-item"],
    );
    case("  - {id: s, label: S, items: []}\n", &["empty-score"]);
    case(
        "  - {id: s, label: S, items: [q1], min_answered: 2}\n",
        &["min-answered-range"],
    );
    case(
        "  - {id: s, label: S, items: [q1], min_answered: 0}\n",
        &["min-answered-range"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], min_answered: 1.5}\n",
        &["min-answered-range"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], min_answered: 0.5}\n",
        &[],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], min_answered: most}\n",
        &["wrong-type"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], method: median}\n",
        &["unknown-value"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], method: sum}\n",
        &["partial-sum"],
    );
    case(
        "  - {id: s, label: S, items: [q1, q2], method: sum, min_answered: 2}\n",
        &[],
    );
    case(
        "  - {id: s, label: S, items: [q1]}\n  - {id: s, label: T, items: [q2]}\n",
        &["duplicate-score-id"],
    );
    case(
        "  - {id: q1, label: S, items: [q1]}\n",
        &["score-id-is-item"],
    );
    case("  - {id: s, label: '', items: [q1]}\n", &["empty-text"]);
}

#[test]
fn attention_check_rules() {
    let items = "items:\n  - {id: q1, text: Hi, scale: agree5}\n";
    let case = |checks: &str, expected: &[&str]| {
        check(&format!("{items}attention_checks:\n{checks}"), expected)
    };
    case(
        "  - {id: a1, text: Pick 4, scale: agree5, expect: 4}\n",
        &[],
    );
    case(
        "  - {id: a1, text: Pick 9, scale: agree5, expect: 9}\n",
        &["expect-off-scale"],
    );
    case(
        "  - {id: a1, text: Pick 4, scale: agree5, expect: 4, after: 2}\n",
        &["check-position"],
    );
    case(
        "  - {id: q1, text: Pick 4, scale: agree5, expect: 4}\n",
        &["duplicate-item-id"],
    );
    case(
        "  - {id: a1, text: Pick 4, scale: nope, expect: 4}\n",
        &["unknown-scale"],
    );
}

#[test]
fn provenance_rules() {
    let items = "items:\n  - {id: q1, text: Hi, scale: agree5}\n";
    check(
        &format!("citation: {{text: A, doi: 'doi:10.1000/abc'}}\n{items}"),
        &["invalid-doi"],
    );
    check(
        &format!("citation: {{text: A, doi: 10.1000/abc}}\n{items}"),
        &[],
    );
    check(
        &format!("missing_codes: [3]\n{items}"),
        &["missing-code-is-answer"],
    );
    check(&format!("missing_codes: [-99]\n{items}"), &[]);
    check(
        &format!("language: English\n{items}"),
        &["invalid-language"],
    );
    let unvalidated = format!(
        "{}{AGREE5}{items}",
        HEADER.replace("validated: true", "validated: false")
    );
    let checked = check_text(&unvalidated, &[]);
    assert_eq!(checked.diagnostics.len(), 1);
    assert_eq!(checked.diagnostics[0].code, "unvalidated-without-note");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    // A typo, a type error, a duplicate id, an unknown scale and a bad score, all at once.
    let body = "items:\n  - {id: q1, text: Hi, scale: agree5, revrese: true}\n  - {id: q1, text: Hi, scale: agree5, required: maybe}\n  - {id: q2, text: Hi, scale: agre5}\nscores:\n  - {id: s, label: S, items: [q1, q9], min_answered: 5}\n";
    check(
        body,
        &[
            "unknown-key",
            "wrong-type",
            "duplicate-item-id",
            "unknown-scale",
            "unknown-item",
            "min-answered-range",
        ],
    );
}

#[test]
fn survey_rules() {
    let instrument = format!("{HEADER}{AGREE5}items:\n  - {{id: q1, text: Hi, scale: agree5}}\n");
    let other = instrument.replace("id: demo", "id: other");
    let survey = |blocks: &str| {
        format!(
            "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\n{AGREE5}blocks:\n{blocks}"
        )
    };
    let codes = |text: String| -> Vec<&'static str> {
        let checked = check_text(
            &text,
            &[
                ("demo.yaml", &instrument),
                ("other.yaml", &other),
                (
                    "loop.yaml",
                    "kind: survey\nid: l\nversion: '1'\ntitle: L\nblocks:\n  - include: main.yaml\n",
                ),
            ],
        );
        // The survey's shared scale is unused in most cases below; that warning is tested apart.
        checked
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| *c != "unused-scale")
            .collect()
    };
    assert!(codes(survey("  - include: demo.yaml\n")).is_empty());
    assert_eq!(
        codes(survey("  - include: missing.yaml\n")),
        ["missing-include"]
    );
    assert_eq!(
        codes(survey("  - include: loop.yaml\n")),
        ["circular-include"]
    );
    assert_eq!(
        codes(survey("  - include: demo.yaml\n  - include: other.yaml\n")),
        ["duplicate-item-id"]
    );
    // A file included twice is named as such (each file is read and checked once), rather
    // than by the duplicate block and item ids that splicing it twice would make.
    assert_eq!(
        codes(survey("  - include: demo.yaml\n  - include: demo.yaml\n")),
        ["duplicate-include"]
    );
    assert_eq!(
        codes(survey("  - include: /etc/passwd\n")),
        ["include-not-yaml"]
    );
    assert_eq!(
        codes(survey(
            "  - {id: b, items: [{id: q2, text: Hi, scale: agree5}]}\n"
        )),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(survey(
            "  - {id: b, items: [{id: q2, text: Hi, scale: agree9}]}\n"
        )),
        ["unknown-scale"]
    );
    assert_eq!(codes(survey("  - {title: nothing}\n")), ["block-source"]);
    assert_eq!(
        codes(survey("  - include: demo.yaml\n    items_per_page: 0\n")),
        ["items-per-page"]
    );
    assert_eq!(
        codes(survey(
            "  - include: demo.yaml\n    attention_checks: [{id: a, text: t, scale: agree5, expect: 8}]\n"
        )),
        ["expect-off-scale"]
    );
    assert_eq!(
        codes(survey("  - include: demo.yaml\nrandomize_blocks: [dmo]\n")),
        ["unknown-block"]
    );
    let no_consent = survey("  - include: demo.yaml\n").replace("consent: ok\n", "");
    assert_eq!(codes(no_consent), ["no-consent"]);
}

#[test]
fn a_survey_resolves_includes_relative_to_itself() {
    let instrument = format!("{HEADER}{AGREE5}items:\n  - {{id: q1, text: Hi, scale: agree5}}\n");
    let mut loader = kith_instrument::survey::MemoryLoader::default()
        .with("study/main.survey.yaml", "kind: survey\nid: s\nversion: '1'\ntitle: S\nconsent: ok\nblocks:\n  - include: ../scales/demo.yaml\n");
    loader = loader.with("scales/demo.yaml", &instrument);
    let checked = kith_instrument::survey::check_file(
        std::path::Path::new("study/main.survey.yaml"),
        &loader,
    );
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let form = checked.form.expect("valid");
    assert_eq!(
        form.blocks[0].instrument.as_ref().map(|i| i.file.as_str()),
        Some("scales/demo.yaml")
    );
}

#[test]
fn reversing_twice_is_the_identity() {
    for (min, max) in [(1.0, 5.0), (0.0, 4.0), (1.0, 7.0), (-3.0, 3.0)] {
        let mut value = min;
        while value <= max {
            let reversed = reverse_keyed(value, min, max);
            assert!((min..=max).contains(&reversed));
            assert_eq!(reverse_keyed(reversed, min, max), value);
            value += 1.0;
        }
    }
}

#[test]
fn min_answered_is_never_more_than_the_items() {
    for k in 1..=30usize {
        for tenths in 1..=10 {
            let required = MinAnswered::Proportion(tenths as f64 / 10.0).required_of(k);
            assert!(required <= k, "{tenths}/10 of {k} gave {required}");
            assert!(required as f64 >= tenths as f64 / 10.0 * k as f64 - 1e-9);
        }
        assert_eq!(MinAnswered::Proportion(1.0).required_of(k), k);
    }
    assert_eq!(MinAnswered::Proportion(0.75).required_of(4), 3);
    assert_eq!(MinAnswered::Proportion(0.7).required_of(7), 5);
}

#[test]
fn identifier_rules() {
    for good in ["q1", "A1", "help_1", "x"] {
        assert!(is_column_name(good), "{good}");
    }
    for bad in ["", "1q", "_q", "q-1", "q 1", "é"] {
        assert!(!is_column_name(bad), "{bad}");
    }
    for good in ["en", "de-CH", "zh-Hant", "pt-BR"] {
        assert!(is_language_tag(good), "{good}");
    }
    for bad in ["English", "e", "EN", "de_CH"] {
        assert!(!is_language_tag(bad), "{bad}");
    }
    assert!(is_doi("10.1037/0021-9010.92.4.1031"));
    assert!(!is_doi("https://doi.org/10.1037/x"));
    assert!(!is_doi("10.12/x"));
}

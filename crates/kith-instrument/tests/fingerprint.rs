//! Fingerprints stay the same when a file is only reformatted, and change when scoring changes.

mod common;

use common::check_text;
use kith_instrument::fingerprint::fingerprint;

const BASE: &str = r#"
# A small instrument in block style, with comments.
kind: instrument
id: demo
version: 1.0.0
title: Demo
license: Test fixture.
validated: true
scales:
  agree5:
    type: likert
    values: [1, 2, 3, 4, 5]
    labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
  agree7:
    type: likert
    values: [1, 2, 3, 4, 5, 6, 7]
    labels: [a, b, c, d, e, f, g]
items:
  - id: q1
    text: I like my work.
    scale: agree5
  - id: q2
    text: I would gladly leave.
    scale: agree5
    reverse: true   # keyed against the score
  - id: q3
    text: I feel at home here.
    scale: agree5
  - id: q4
    text: My team matters to me.
    scale: agree5
  - id: q5
    text: Seven points.
    scale: agree7
scores:
  - id: attachment
    label: Attachment
    items: [q1, q2, q3, q4]
    min_answered: 3
"#;

fn fingerprint_of(text: &str) -> String {
    let checked = check_text(text, &[]);
    let form = checked
        .form
        .unwrap_or_else(|| panic!("fixture should be valid: {:#?}", checked.diagnostics));
    fingerprint(&form)
}

/// Applies a list of (from, to) replacements to the base text.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "the base text has no `{from}`");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn fingerprint_has_a_versioned_prefix_and_16_hex_digits() {
    let print = fingerprint_of(BASE);
    let hex = print.strip_prefix("kith1-").expect("prefix");
    assert_eq!(hex.len(), 16);
    assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn reformatting_keeps_the_fingerprint() {
    let flow_style = r#"
kind: instrument
id: demo
version: "1.0.0"
title: "Demo"
license: Test fixture.
validated: true
scales: {agree7: {type: likert, values: [1, 2, 3, 4, 5, 6, 7], labels: [a, b, c, d, e, f, g]},
         agree5: {labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree], values: [1, 2, 3, 4, 5], type: likert}}
items:
  - {id: q5, text: Seven points., scale: agree7}
  - {scale: agree5, id: q4, text: My team matters to me.}
  - {id: q3, text: I feel at home here., scale: agree5}
  - {id: q2, text: I would gladly leave., scale: agree5, reverse: true}
  - {id: q1, text: I like my work., scale: agree5, required: true}
scores: [{items: [q4, q3, q2, q1], id: attachment, label: Attachment, min_answered: 0.75}]
"#;
    let base = fingerprint_of(BASE);
    let cases: Vec<(&str, String)> = vec![
        (
            "flow style, reordered keys, items and score items",
            flow_style.to_string(),
        ),
        (
            "comments removed",
            BASE.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "a comment added",
            edited(&[("items:\n", "items: # the questions\n")]),
        ),
        (
            "item text edited",
            edited(&[("I like my work.", "I really like my work.")]),
        ),
        (
            "labels edited",
            edited(&[("Neutral", "Neither agree nor disagree")]),
        ),
        (
            "title and version edited",
            edited(&[
                ("title: Demo", "title: Demo scale"),
                ("version: 1.0.0", "version: 1.0.1"),
            ]),
        ),
        (
            "translation added",
            edited(&[(
                "    text: I like my work.\n",
                "    text: I like my work.\n    translations: {de: Ich mag meine Arbeit.}\n",
            )]),
        ),
        (
            "reverse: false written out",
            edited(&[(
                "    text: I like my work.\n",
                "    text: I like my work.\n    reverse: false\n",
            )]),
        ),
        (
            "same count as a proportion",
            edited(&[("min_answered: 3", "min_answered: 0.75")]),
        ),
    ];
    for (name, text) in cases {
        assert_eq!(
            fingerprint_of(&text),
            base,
            "{name} changed the fingerprint"
        );
    }
}

#[test]
fn scoring_changes_change_the_fingerprint() {
    let base = fingerprint_of(BASE);
    let cases: Vec<(&str, String)> = vec![
        (
            "a key flipped",
            edited(&[("    reverse: true   # keyed against the score\n", "")]),
        ),
        (
            "another item reversed",
            edited(&[(
                "    text: I like my work.\n",
                "    text: I like my work.\n    reverse: true\n",
            )]),
        ),
        (
            "scale values changed",
            edited(&[("values: [1, 2, 3, 4, 5]", "values: [0, 1, 2, 3, 4]")]),
        ),
        (
            "item moved to another scale",
            edited(&[(
                "    text: I feel at home here.\n    scale: agree5",
                "    text: I feel at home here.\n    scale: agree7",
            )]),
        ),
        (
            "score membership changed",
            edited(&[("items: [q1, q2, q3, q4]", "items: [q1, q2, q3, q5]")]),
        ),
        (
            "score lost an item",
            edited(&[("items: [q1, q2, q3, q4]", "items: [q1, q2, q3]")]),
        ),
        (
            "method changed",
            edited(&[(
                "    min_answered: 3",
                "    min_answered: 3\n    method: sum",
            )]),
        ),
        (
            "min_answered changed",
            edited(&[("min_answered: 3", "min_answered: 2")]),
        ),
        (
            "score renamed",
            edited(&[("id: attachment", "id: attachment_total")]),
        ),
        ("item renamed", edited(&[("id: q5", "id: q6")])),
        (
            "missing code added",
            edited(&[(
                "validated: true\n",
                "validated: true\nmissing_codes: [-99]\n",
            )]),
        ),
    ];
    for (name, text) in cases {
        assert_ne!(
            fingerprint_of(&text),
            base,
            "{name} did not change the fingerprint"
        );
    }
}

#[test]
fn a_survey_fingerprint_covers_its_instruments() {
    let survey = |reverse: bool| {
        let instrument = BASE.replace(
            "    reverse: true   # keyed against the score\n",
            if reverse { "    reverse: true\n" } else { "" },
        );
        let checked = check_text(
            "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\nblocks:\n  - include: demo.yaml\n",
            &[("demo.yaml", &instrument)],
        );
        fingerprint(&checked.form.expect("valid survey"))
    };
    assert_ne!(survey(true), survey(false));
    // The survey's fingerprint equals its only instrument's: layout does not count.
    assert_eq!(survey(true), fingerprint_of(BASE));
}

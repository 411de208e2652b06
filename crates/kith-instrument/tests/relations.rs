//! Network questions (relation blocks) under `kith check`: each case is a block and the
//! problems it must report, each with its place and a hint; a clean block becomes a form with
//! its roster's people.

mod common;

use common::{assert_problems, check_text};
use kith_instrument::form::PeopleSource;
use kith_instrument::model::RelationKind;

const ROSTER: &str = "id,name,unit\ne1,Ada,Sales\ne2,Grace,Research\ne3,Alan,Sales\n";

/// Checks a survey with a roster `staff`, a scale `often` and a free-text scale `words`, whose
/// blocks are `blocks`, and compares the codes and words of its problems with `expected`.
#[track_caller]
fn check(blocks: &str, expected: &[(&str, &str)]) -> Option<kith_instrument::form::Form> {
    let survey = format!(
        "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\nrosters:\n  staff: {{file: staff.csv, unit: unit, participant: rid}}\nscales:\n  often: {{type: likert, values: [1, 2, 3], labels: [a, b, c]}}\n  words: {{type: text}}\nblocks:\n{blocks}"
    );
    let checked = check_text(&survey, &[("staff.csv", ROSTER)]);
    assert_problems(&checked, expected);
    checked.form
}

const ADVICE: &str = "  - id: advice\n    relation:\n      kind: instrumental\n      roster: staff\n      max: 2\n      text: Whom do you ask?\n      follow_ups:\n        - {id: how_often, text: 'How often do you ask {name}?', scale: often, required: true}\n";

#[test]
fn a_roster_question_and_a_name_generator_become_the_forms_relations() {
    let blocks = format!(
        "{ADVICE}  - id: confidants\n    relation: {{kind: expressive, names: 3, text: Whom do you confide in?}}\n  - id: words_block\n    items:\n      - {{id: note, text: Anything else?, scale: words}}\n"
    );
    let form = check(&blocks, &[]).expect("a form");
    let (block, advice) = form.relations().next().expect("a relation");
    assert_eq!(block.id, "advice");
    assert_eq!(advice.kind, RelationKind::Instrumental);
    assert_eq!(advice.source, PeopleSource::Roster("staff".to_string()));
    assert_eq!(advice.limit(), Some(2));
    assert_eq!(advice.follow_ups[0].id, "how_often");
    assert!(advice.follow_ups[0].required);
    let confidants = form.relation("confidants").expect("the name generator");
    assert_eq!(confidants.source, PeopleSource::Names(3));
    assert_eq!(confidants.limit(), Some(3));
    // The roster's people are in the form, in the file's order, with their units; the
    // serialized form carries no names.
    let staff = &form.rosters["staff"];
    let ids: Vec<&str> = staff.people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2", "e3"]);
    assert_eq!(staff.people[1].unit.as_deref(), Some("Research"));
    assert_eq!(staff.participant.as_deref(), Some("rid"));
    let json = serde_json::to_string(&form).expect("the form serializes");
    assert!(!json.contains("Grace"), "{json}");
    // Relations add no columns to the wide file: only the one item is an item.
    assert_eq!(form.items().count(), 1);
}

#[test]
fn relation_problems_name_the_block_and_say_what_to_do() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "  - relation: {kind: instrumental, roster: staff, text: Who?}\n",
            &[("relation-id", "a relation block has no `id:`")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, roster: stuff, text: Who?}\n",
            &[("unknown-roster", "names the roster `stuff`")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, text: Who?}\n",
            &[("relation-source", "has neither `roster:` nor `names:`")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, roster: staff, names: 3, text: Who?}\n",
            &[("relation-source", "has both `roster:` and `names:`")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, names: 0, text: Who?}\n",
            &[("relation-names", "asks for 0 names")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, names: 3, max: 2, text: Who?}\n",
            &[("relation-max", "has both `names:` and `max:`")],
        ),
        (
            "  - id: advice\n    relation: {kind: instrumental, roster: staff, max: 0, text: Who?}\n",
            &[("relation-max", "at most 0 people")],
        ),
        (
            "  - id: advice\n    relation:\n      kind: instrumental\n      roster: staff\n      text: Who?\n      follow_ups:\n        - {id: a, text: '{name}?', scale: often}\n        - {id: a, text: '{name}?', scale: often}\n",
            &[("duplicate-follow-up", "two follow-ups `a`")],
        ),
        (
            "  - id: advice\n    relation:\n      kind: instrumental\n      roster: staff\n      text: Who?\n      follow_ups:\n        - {id: a, text: '{name}?', scale: words}\n",
            &[("follow-up-scale", "not one a person can be rated on")],
        ),
        (
            "  - id: advice\n    relation:\n      kind: instrumental\n      roster: staff\n      text: Who?\n      follow_ups:\n        - {id: a, text: '{name}?', scale: oftn}\n",
            &[("unknown-scale", "uses the scale `oftn`")],
        ),
        (
            "  - id: advice\n    items_per_page: 2\n    relation: {kind: instrumental, roster: staff, text: Who?}\n",
            &[("block-source", "also has `items_per_page:`")],
        ),
        (
            "  - id: advice\n    relation: {kind: friendly, roster: staff, text: Who?}\n",
            &[("unknown-value", "`kind` cannot be `friendly`")],
        ),
    ];
    for (blocks, expected) in cases {
        // Every case but the scale's own use keeps `often` in use, so no unused-scale warning.
        let with_scale_used = format!(
            "{blocks}  - id: other\n    items:\n      - {{id: q1, text: Hi, scale: often}}\n      - {{id: q2, text: Say, scale: words}}\n"
        );
        check(&with_scale_used, expected);
    }
}

#[test]
fn a_relation_shares_the_names_of_the_surveys_columns() {
    check(
        &format!(
            "{ADVICE}  - id: more\n    items:\n      - {{id: advice, text: Hi, scale: words}}\n"
        ),
        &[("duplicate-item-id", "item id `advice` is in two blocks")],
    );
}

#[test]
fn a_relation_over_a_roster_with_problems_has_no_form_but_one_message() {
    let survey = format!(
        "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\nrosters:\n  staff: {{file: staff.csv}}\nscales:\n  often: {{type: likert, values: [1, 2, 3], labels: [a, b, c]}}\nblocks:\n{ADVICE}"
    );
    let checked = check_text(&survey, &[("staff.csv", "id,name\ne1,Ada\ne1,Alan\n")]);
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["roster-row"], "{:#?}", checked.diagnostics);
    assert!(checked.form.is_none());
}

#[test]
fn a_relation_offered_in_another_language_needs_its_texts_in_it() {
    let survey = |follow_up_translation: &str| {
        format!(
            "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nlanguage: en\nlanguages: [de]\ntranslations:\n  de: {{title: S, consent: ok}}\nconsent: ok\nrosters:\n  staff: {{file: staff.csv}}\nscales:\n  often:\n    type: likert\n    values: [1, 2, 3]\n    labels: [a, b, c]\n    translations: {{de: [x, y, z]}}\nblocks:\n  - id: advice\n    relation:\n      kind: instrumental\n      roster: staff\n      text: Whom do you ask?\n      translations: {{de: Wen fragen Sie?}}\n      follow_ups:\n        - {{id: how_often, text: 'How often do you ask {{name}}?', scale: often{follow_up_translation}}}\n"
        )
    };
    // The follow-up's text has no German: one warning for German, naming it.
    let checked = check_text(&survey(""), &[("staff.csv", ROSTER)]);
    assert_problems(
        &checked,
        &[(
            "missing-translation",
            "the follow-up `how_often` of block `advice`",
        )],
    );
    // Every text translated: nothing to warn about.
    let checked = check_text(
        &survey(", translations: {de: 'Wie oft fragen Sie {name}?'}"),
        &[("staff.csv", ROSTER)],
    );
    assert_problems(&checked, &[]);
}

//! The export's attention-check columns: passed, failed and not answered are three states, and
//! a check skipped on a page that was shown is not counted as passed.

mod common;

use common::scratch;

use chrono::Utc;
use kith_instrument::form::Form;
use kith_runner::answer::Answer;
use kith_runner::conduct::Conduct;
use kith_runner::engine::Position;
use kith_runner::export::{Cell, ExportRequest, Layout as ExportLayout, export};
use kith_runner::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

const SURVEY: &str = "
kind: survey
id: careful
version: 1.0.0
title: Careful
scales:
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
blocks:
  - id: one
    items:
      - {id: a1, text: One, scale: agree5}
      - {id: a2, text: Two, scale: agree5}
    attention_checks:
      - {id: c_right, text: Pick d, scale: agree5, expect: 4, after: 1}
      - {id: c_wrong, text: Pick b, scale: agree5, expect: 2, after: 1}
      - {id: c_skipped, text: Pick e, scale: agree5, expect: 5, after: 2}
  - id: two
    items:
      - {id: b1, text: Three, scale: agree5}
    attention_checks:
      - {id: c_later, text: Pick a, scale: agree5, expect: 1, after: 1}
";

fn form() -> Arc<Form> {
    common::form_of("careful.yaml", SURVEY)
}

#[test]
fn a_skipped_attention_check_is_not_a_passed_one() {
    let dir = scratch("export-attention");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = form();
    let survey = store
        .register_survey(&form, "careful.yaml", Utc::now())
        .expect("registered");
    let params = BTreeMap::new();
    // A complete session: one check right, one wrong, one skipped, one on a later page right.
    let mut done = Conduct::start(
        &store,
        form.clone(),
        &survey,
        Some("done"),
        &params,
        1,
        Utc::now(),
    )
    .expect("a session");
    let answers = [
        ("c_right", 4),
        ("c_wrong", 3),
        ("c_later", 1),
        ("a1", 2),
        ("b1", 2),
    ];
    while let Position::Page(_) = done.session().position() {
        let on_page: Vec<String> = done
            .session()
            .current_page()
            .expect("a page")
            .questions
            .iter()
            .map(|q| q.id.to_string())
            .collect();
        for (id, code) in answers {
            if on_page.iter().any(|q| q == id) {
                done.answer(id, Some(Answer::Code(code)), Utc::now())
                    .expect("saved");
            }
        }
        done.next(Utc::now()).expect("next page");
    }
    done.submit(Utc::now()).expect("submitted");
    // A session that stopped on its first page without answering: the checks there were shown
    // and skipped; the check of the second block was never shown.
    let stopped = Conduct::start(
        &store,
        form.clone(),
        &survey,
        Some("stopped"),
        &params,
        2,
        Utc::now(),
    )
    .expect("a session");
    let first_page: Vec<&str> = stopped.session().layout().pages[0]
        .entries
        .iter()
        .filter(|e| e.check)
        .map(|e| e.id.as_str())
        .collect();
    assert!(first_page.contains(&"c_right") && !first_page.contains(&"c_later"));

    let table = export(
        &store,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Wide,
            include_partial: true,
            relation: None,
            names: false,
        },
    )
    .expect("exported")
    .table;
    let row_of = |participant: &str| -> BTreeMap<String, Cell> {
        let column = |name: &str| {
            table
                .columns
                .iter()
                .position(|(n, _)| n == name)
                .expect("a column")
        };
        let row = table
            .rows
            .iter()
            .find(|r| r[column("participant_id")] == Cell::Text(participant.to_string()))
            .expect("the session's row");
        table
            .columns
            .iter()
            .map(|(name, _)| name.clone())
            .zip(row.iter().cloned())
            .collect()
    };
    let done = row_of("done");
    assert_eq!(done["c_right"], Cell::Int(4));
    assert_eq!(done["c_right_passed"], Cell::Int(1), "passed");
    assert_eq!(done["c_wrong_passed"], Cell::Int(0), "failed");
    assert_eq!(done["c_skipped"], Cell::Empty);
    assert_eq!(done["c_skipped_passed"], Cell::Empty, "not answered");
    assert_eq!(done["c_later_passed"], Cell::Int(1));
    assert_eq!(
        (&done["attention_failed"], &done["attention_unanswered"]),
        (&Cell::Int(2), &Cell::Int(1)),
        "the wrong answer and the skipped check both count as failed"
    );
    let stopped = row_of("stopped");
    let shown = first_page.len() as i64;
    assert_eq!(stopped["c_later_passed"], Cell::Empty);
    assert_eq!(
        (
            &stopped["attention_failed"],
            &stopped["attention_unanswered"]
        ),
        (&Cell::Int(shown), &Cell::Int(shown)),
        "only the checks of the page that was shown count"
    );
}

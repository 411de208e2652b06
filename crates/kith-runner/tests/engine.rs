//! The session engine, answer checks and the store, without a terminal: data-driven checks of
//! answers, the rules of moving through a session, and the store's schema and durability settings.

mod common;

use common::scratch;

use kith_instrument::form::Form;
use kith_instrument::model::{ChoiceOption, ResponseScale};
use kith_runner::answer::{Answer, AnswerProblem, check_answer, parse_answer};
use kith_runner::conduct::{Conduct, RunError};
use kith_runner::engine::{Layout, Position, Session, StepProblem};
use kith_runner::store::{SCHEMA_VERSION, Store, StoreError, migrate_to};
use std::collections::BTreeMap;
use std::sync::Arc;

const SURVEY: &str = "
kind: survey
id: small
version: 1.0.0
title: Small
consent: Do you agree?
scales:
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
  age: {type: numeric, min: 16, max: 100, integer: true}
blocks:
  - id: one
    items_per_page: 2
    items:
      - {id: q1, text: One, scale: agree5, required: true}
      - {id: q2, text: Two, scale: agree5, reverse: true}
      - {id: q3, text: Three, scale: agree5}
    attention_checks:
      - {id: check, text: Pick d, scale: agree5, expect: 4, after: 1}
  - id: two
    items:
      - {id: age, text: Age?, scale: age}
";

fn form() -> Arc<Form> {
    common::form_of("small.yaml", SURVEY)
}

fn likert() -> ResponseScale {
    ResponseScale::Likert {
        values: vec![1, 2, 3, 4, 5],
        labels: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
        translations: Default::default(),
    }
}

fn numeric(min: f64, max: f64, integer: bool) -> ResponseScale {
    ResponseScale::Numeric {
        min: Some(min),
        max: Some(max),
        integer,
        unit: None,
        translations: Default::default(),
    }
}

fn choices() -> ResponseScale {
    ResponseScale::MultipleChoice {
        options: [(1, "x"), (2, "y"), (-1, "z")]
            .map(|(value, label)| ChoiceOption {
                value,
                label: label.to_string(),
                translations: Default::default(),
            })
            .to_vec(),
    }
}

/// Typed text → the answer it gives, or the message that refuses it.
fn check(scale: ResponseScale, input: &str, expected: Result<Option<Answer>, &str>) {
    let got = parse_answer(&scale, input).map_err(|problem| problem.to_string());
    assert_eq!(got, expected.map_err(str::to_string), "typing `{input}`");
}

#[test]
fn typed_answers_are_read_and_checked_against_the_scale() {
    check(likert(), "4", Ok(Some(Answer::Code(4))));
    check(likert(), "  ", Ok(None));
    check(
        likert(),
        "7",
        Err("`7` is not one of the answers; choose one of 1, 2, 3, 4, 5"),
    );
    check(
        likert(),
        "agree",
        Err("`agree` is not one of the answers; choose one of 1, 2, 3, 4, 5"),
    );
    check(
        numeric(16.0, 100.0, true),
        "42",
        Ok(Some(Answer::Number(42.0))),
    );
    check(
        numeric(16.0, 100.0, true),
        "150",
        Err("150 is more than 100; type a number up to 100"),
    );
    check(
        numeric(16.0, 100.0, true),
        "12",
        Err("12 is less than 16; type a number from 16 to 100"),
    );
    check(
        numeric(16.0, 100.0, true),
        "42.5",
        Err("`42.5` is not a whole number; type a whole number"),
    );
    check(
        numeric(0.0, 70.0, false),
        "2.5",
        Ok(Some(Answer::Number(2.5))),
    );
    check(
        numeric(0.0, 1e7, true),
        "85,000",
        Err(
            "`85,000` has a comma; type the number without one, with a point for decimals (85000 or 2.5)",
        ),
    );
    check(
        numeric(0.0, 70.0, false),
        "NaN",
        Err("`NaN` is not a number; type a number such as 12 or 2.5"),
    );
    check(
        numeric(0.0, 70.0, false),
        "inf",
        Err("`inf` is not a number; type a number such as 12 or 2.5"),
    );
    check(choices(), "2, 1", Ok(Some(Answer::Choices(vec![1, 2]))));
    check(choices(), "1,1", Err("option 1 is chosen twice"));
    check(
        choices(),
        "4",
        Err("`4` is not one of the answers; choose one of 1, 2, -1"),
    );
    check(
        ResponseScale::Text {
            max_length: Some(3),
        },
        "abcd",
        Err("the answer has 4 characters; at most 3 are accepted"),
    );
    check(
        ResponseScale::Text { max_length: None },
        "a, \"b\"",
        Ok(Some(Answer::Text("a, \"b\"".to_string()))),
    );
}

#[test]
fn answers_of_the_wrong_kind_are_refused() {
    assert_eq!(
        check_answer(&likert(), &Answer::Number(3.0)),
        Err(AnswerProblem::WrongKind {
            expected: "an option",
            given: "a number"
        })
    );
    assert!(check_answer(&numeric(0.0, 1.0, false), &Answer::Number(f64::NAN)).is_err());
}

#[test]
fn a_session_moves_page_by_page_and_holds_required_questions() {
    let form = form();
    let layout = Layout::new(&form, 3);
    // Two items per page; the check after the first shown item stays on its page.
    assert_eq!(layout.pages.len(), 3);
    assert_eq!(layout.pages[0].entries.len(), 3);
    assert!(layout.pages[0].entries[1].check);
    let mut session = Session::new(form.clone(), layout);
    assert_eq!(session.position(), Position::Consent);
    assert_eq!(
        session.set("q1", Some(Answer::Code(3))),
        Err(StepProblem::WrongStep(Position::Consent))
    );
    assert_eq!(session.consent(true), Ok(Position::Page(0)));
    assert_eq!(session.progress(), (1, 3));
    assert_eq!(
        session.back(),
        Err(StepProblem::WrongStep(Position::Page(0)))
    );
    assert_eq!(
        session.forward(),
        Err(StepProblem::RequiredMissing(vec![1]))
    );
    assert_eq!(
        session.set("q1", Some(Answer::Code(9))),
        Err(StepProblem::Answer(AnswerProblem::OffScale {
            value: "9".to_string(),
            allowed: "1, 2, 3, 4, 5".to_string()
        }))
    );
    assert_eq!(
        session.set("age", Some(Answer::Number(30.0))),
        Err(StepProblem::NotOnPage("age".to_string()))
    );
    session
        .set("q1", Some(Answer::Code(3)))
        .expect("on the scale");
    session
        .set("check", Some(Answer::Code(4)))
        .expect("a check");
    assert_eq!(session.forward(), Ok(Position::Page(1)));
    assert_eq!(session.back(), Ok(Position::Page(0)));
    session.set("q1", None).expect("cleared");
    assert_eq!(
        session.forward(),
        Err(StepProblem::RequiredMissing(vec![1]))
    );
    session.set("q1", Some(Answer::Code(5))).expect("changed");
    assert_eq!(session.forward(), Ok(Position::Page(1)));
    assert_eq!(session.forward(), Ok(Position::Page(2)));
    assert_eq!(session.forward(), Ok(Position::Review));
    assert_eq!(session.progress(), (3, 3));
    let review = session.review();
    assert_eq!(review.iter().map(|p| p.answered).sum::<usize>(), 2);
    assert_eq!(review[1].unanswered, vec![1]);
    assert_eq!(session.submit(), Ok(Position::Complete));
    assert_eq!(session.answers()["q1"], Answer::Code(5));
}

#[test]
fn declining_consent_ends_the_session() {
    let form = form();
    let mut session = Session::new(form.clone(), Layout::new(&form, 1));
    assert_eq!(session.consent(false), Ok(Position::Declined));
    assert!(session.position().is_final());
    assert_eq!(
        session.forward(),
        Err(StepProblem::WrongStep(Position::Declined))
    );
}

#[test]
fn positions_are_stored_as_text_and_read_back() {
    for position in [
        Position::Consent,
        Position::Page(0),
        Position::Page(12),
        Position::Review,
        Position::Complete,
        Position::Declined,
    ] {
        assert_eq!(Position::from_text(&position.to_text()), Some(position));
    }
    assert_eq!(Position::from_text("page:x"), None);
}

#[test]
fn the_store_is_in_wal_mode_and_refuses_newer_schemas() {
    let dir = scratch("store-settings");
    let path = dir.join("s.sqlite");
    let store = Store::open(&path).expect("a new store");
    assert_eq!(store.schema_version().expect("a version"), SCHEMA_VERSION);
    drop(store);
    let connection = rusqlite::Connection::open(&path).expect("opens");
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("a mode");
    assert_eq!(mode, "wal");
    connection
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("set");
    drop(connection);
    match Store::open(&path) {
        Err(StoreError::NewerSchema { found, .. }) => assert_eq!(found, SCHEMA_VERSION + 1),
        other => panic!("expected a newer-schema error, got {other:?}"),
    }
}

#[test]
fn a_version_1_store_is_migrated_with_its_sessions() {
    let dir = scratch("store-migration");
    let path = dir.join("v1.sqlite");
    // A store as the first version of kith-runner wrote it, with a session in it.
    {
        let connection = rusqlite::Connection::open(&path).expect("opens");
        migrate_to(&connection, 1).expect("version 1");
        connection
            .execute_batch(
                "INSERT INTO surveys (survey_id, version, fingerprint, title, source, columns, registered_at)
                 VALUES ('small', '1.0.0', 'kith1-0000000000000000', 'Small', 'small.yaml',
                         '{\"items\":[{\"id\":\"q1\",\"kind\":\"likert\"}],\"checks\":[],\"blocks\":[\"one\"]}',
                         '2026-01-01T00:00:00.000Z');
                 INSERT INTO sessions (id, survey, seed, layout, status, position, started_at, updated_at)
                 VALUES ('oldsession01', 1, 5,
                         '{\"seed\":5,\"blocks\":[\"one\"],\"pages\":[{\"block\":\"one\",\"entries\":[{\"id\":\"q1\"}]}]}',
                         'in_progress', 'page:0', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                 INSERT INTO answers (session, entry, value, first_answered_at, answered_at)
                 VALUES ('oldsession01', 'q1', '{\"code\":4}', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:01.000Z');",
            )
            .expect("version-1 rows");
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("a version");
        assert_eq!(version, 1);
    }
    let store = Store::open(&path).expect("migrated");
    assert_eq!(store.schema_version().expect("a version"), SCHEMA_VERSION);
    let session = store
        .session("oldsession01")
        .expect("the old session is kept");
    assert!(session.params.is_empty());
    assert_eq!(
        store.answers("oldsession01").expect("answers")[0].value,
        Some(Answer::Code(4))
    );
    // Version 4 rebuilt the sessions table for the status of a screen-out; its answers and
    // their foreign keys survived, and the new status is accepted.
    store
        .save_position(
            "oldsession01",
            kith_runner::engine::Position::ScreenedOut,
            chrono::Utc::now(),
        )
        .expect("a screened-out session is stored");
    let session = store.session("oldsession01").expect("still there");
    assert_eq!(session.status.as_str(), "screened_out");
    assert!(session.finished_at.is_some());
}

#[test]
fn a_failed_commit_leaves_the_session_unchanged() {
    let dir = scratch("store-failed-commit");
    let path = dir.join("s.sqlite");
    let store = Store::open(&path).expect("a store");
    let form = form();
    let survey = store
        .register_survey(&form, "small.yaml", chrono::Utc::now())
        .expect("registered");
    let mut conduct = Conduct::start(
        &store,
        form.clone(),
        &survey,
        None,
        &BTreeMap::new(),
        1,
        chrono::Utc::now(),
    )
    .expect("started");
    conduct.consent(true, chrono::Utc::now()).expect("consent");
    // Another connection holds the write lock past the store's busy timeout: the commit fails,
    // and the engine must not count the answer as given.
    let blocker = rusqlite::Connection::open(&path).expect("opens");
    blocker.execute_batch("BEGIN IMMEDIATE").expect("locked");
    let started = std::time::Instant::now();
    let result = conduct.answer("q1", Some(Answer::Code(2)), chrono::Utc::now());
    assert!(
        matches!(result, Err(RunError::Store(_))),
        "the locked store refuses: {result:?}"
    );
    assert!(
        started.elapsed().as_secs() >= 9,
        "it waited for the lock first"
    );
    assert!(conduct.session().answers().is_empty());
    blocker.execute_batch("ROLLBACK").expect("released");
    conduct
        .answer("q1", Some(Answer::Code(2)), chrono::Utc::now())
        .expect("saved once the lock is free");
    assert_eq!(store.answers(&conduct.id).expect("answers").len(), 1);
}

#[test]
fn the_exports_own_columns_are_reserved_for_item_ids() {
    // `kith check` refuses items named like these, so a checked survey never clashes with them.
    // Every column the export adds for a survey without items, checks or blocks is one of
    // kith's own, so a new one cannot be forgotten here.
    let reserved = kith_instrument::validate::RESERVED_COLUMNS;
    let own = kith_runner::export::fixed_wide_columns(&kith_runner::store::SurveyColumns {
        items: Vec::new(),
        checks: Vec::new(),
        blocks: Vec::new(),
        relations: Vec::new(),
        // With a condition, so that the columns of surveys with logic are included.
        logic: kith_instrument::flow::FlowSource {
            blocks: vec![kith_instrument::flow::RulesSource {
                id: "b".into(),
                show_if: Some("param.x = 1".into()),
                ..Default::default()
            }],
            entries: Vec::new(),
        },
        language: "en".to_string(),
    });
    assert!(own.iter().any(|c| c == "attention_unanswered"));
    assert!(own.iter().any(|c| c == "not_shown"));
    for column in &own {
        assert!(
            reserved.contains(&column.as_str()),
            "`{column}` is reserved"
        );
    }
}

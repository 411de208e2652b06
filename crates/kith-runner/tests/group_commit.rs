//! Group commit (`Store::begin_group`): several requests' changes in one transaction, kept
//! only when the group commits, a failing request's changes rolled back alone, and a finished
//! session still checkpointed into the store file itself.

mod common;

use common::scratch;

use chrono::Utc;
use kith_instrument::form::Form;
use kith_runner::answer::Answer;
use kith_runner::conduct::Conduct;
use kith_runner::store::{Store, SurveyRecord};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const SURVEY: &str = "
kind: survey
id: grouped
version: 1.0.0
title: Grouped
scales:
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
blocks:
  - id: one
    items:
      - {id: q1, text: One, scale: agree5}
";

/// Starts a session for `participant` inside the open group and answers q1 with `code`.
fn answer_in_group(
    store: &Store,
    form: &Arc<Form>,
    survey: &SurveyRecord,
    participant: &str,
    code: i64,
) {
    let mut conduct = Conduct::start(
        store,
        form.clone(),
        survey,
        Some(participant),
        &BTreeMap::new(),
        7,
        Utc::now(),
    )
    .expect("a session");
    conduct
        .answer("q1", Some(Answer::Code(code)), Utc::now())
        .expect("an answer");
}

/// Each participant's answer to q1, as a second connection reads the store.
fn answers_seen(path: &std::path::Path, survey: &SurveyRecord) -> HashMap<String, i64> {
    let reader = Store::open_existing(path).expect("the store opens");
    let mut seen = HashMap::new();
    for session in reader.sessions(&[survey.key]).expect("sessions") {
        let answers = reader.answers(&session.id).expect("answers");
        for answer in answers {
            if let (Some(participant), Some(Answer::Code(code))) =
                (session.participant.clone(), answer.value)
            {
                seen.insert(participant, code);
            }
        }
    }
    seen
}

#[test]
fn a_group_keeps_its_requests_changes_only_when_it_commits_and_a_failed_request_alone_is_undone() {
    let dir = scratch("group-commit");
    let path = dir.join("s.sqlite");
    let form = common::form_of("grouped.yaml", SURVEY);
    let store = Store::open(&path).expect("a store");
    let survey = store
        .register_survey(&form, "grouped.yaml", Utc::now())
        .expect("registered");

    store.begin_group().expect("a group");
    let first = store.within_group(|s| answer_in_group(s, &form, &survey, "P1", 4));
    assert!(first.is_ok());
    let failed = store.within_group(|s| {
        answer_in_group(s, &form, &survey, "P2", 2);
        panic!("a request that fails after saving");
    });
    assert!(failed.is_err(), "the panic is caught");
    let third = store.within_group(|s| answer_in_group(s, &form, &survey, "P3", 5));
    assert!(third.is_ok());
    // Before the commit, nothing of the group is visible (nor durable) to anyone else.
    assert_eq!(answers_seen(&path, &survey), HashMap::new());
    store.commit_group().expect("the group commits");
    let seen = answers_seen(&path, &survey);
    let expected: HashMap<String, i64> = [("P1".to_string(), 4), ("P3".to_string(), 5)].into();
    assert_eq!(
        seen, expected,
        "P2's request failed: none of its changes are kept"
    );

    // A group rolled back keeps nothing.
    store.begin_group().expect("a second group");
    let fourth = store.within_group(|s| answer_in_group(s, &form, &survey, "P4", 1));
    assert!(fourth.is_ok());
    store.rollback_group();
    assert_eq!(answers_seen(&path, &survey), expected);

    // Outside a group, changes commit one by one as before.
    answer_in_group(&store, &form, &survey, "P5", 3);
    assert_eq!(answers_seen(&path, &survey).get("P5"), Some(&3));
}

#[test]
fn a_session_finished_in_a_group_is_in_the_store_file_without_its_wal() {
    let dir = scratch("group-commit-checkpoint");
    let path = dir.join("s.sqlite");
    let form = common::form_of("grouped.yaml", SURVEY);
    let store = Store::open(&path).expect("a store");
    let survey = store
        .register_survey(&form, "grouped.yaml", Utc::now())
        .expect("registered");
    store.begin_group().expect("a group");
    let finished = store.within_group(|s| {
        let mut conduct = Conduct::start(
            s,
            form.clone(),
            &survey,
            Some("P1"),
            &BTreeMap::new(),
            7,
            Utc::now(),
        )
        .expect("a session");
        conduct
            .answer("q1", Some(Answer::Code(4)), Utc::now())
            .expect("an answer");
        conduct.next(Utc::now()).expect("to the summary");
        conduct.submit(Utc::now()).expect("submitted");
    });
    assert!(finished.is_ok());
    store.commit_group().expect("the group commits");
    // The checkpoint asked for inside the group ran after its commit: the store file alone,
    // copied as a researcher would copy "the .sqlite file", holds the finished session.
    let copy_dir = scratch("group-commit-checkpoint-copy");
    let copy = copy_dir.join("s.sqlite");
    std::fs::copy(&path, &copy).expect("copied");
    assert_eq!(answers_seen(&copy, &survey).get("P1"), Some(&4));
}

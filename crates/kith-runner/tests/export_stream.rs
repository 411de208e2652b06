//! The streamed export: sessions read in batches come out once each, in the store's order,
//! with the answers and page views that reading them one by one gives; the sinks write what the
//! whole table holds; a parameter first seen after the first batch still gets its column; a
//! damaged record in a later batch stops the export with the session named.

mod common;

use common::scratch;

use chrono::{Duration, TimeZone, Utc};
use kith_instrument::form::Form;
use kith_runner::answer::Answer;
use kith_runner::conduct::{Conduct, PageStep};
use kith_runner::engine::Position;
use kith_runner::export::{
    CsvSink, ExportError, ExportRequest, JsonlSink, Layout, RowSink, export, export_to,
};
use kith_runner::store::{SessionData, Status, Store, StoreError, SurveyRecord};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const SURVEY: &str = "
kind: survey
id: streamed
version: 1.0.0
title: Streamed
scales:
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
blocks:
  - id: one
    items_per_page: 2
    items:
      - {id: q1, text: One, scale: agree5}
      - {id: q2, text: Two, scale: agree5}
      - {id: q3, text: Three, scale: agree5}
";

/// Sessions in the test store: more than two batches of the export's 256.
const SESSIONS: usize = 600;

/// The session that alone records the parameter `cohort`, in the store's third batch.
const LATE_PARAM: usize = 550;

/// A store of `SESSIONS` sessions: every fifth left on its first page, the others complete;
/// three sessions share each start time (the store orders them by when they were written).
fn filled_store(dir: &Path) -> (Store, SurveyRecord, Arc<Form>) {
    let form = common::form_of("streamed.yaml", SURVEY);
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let start = Utc
        .with_ymd_and_hms(2026, 12, 4, 9, 0, 0)
        .single()
        .expect("a date");
    let survey = store
        .register_survey(&form, "streamed.yaml", start)
        .expect("registered");
    store.begin_group().expect("a group");
    for index in 0..SESSIONS {
        let now = start + Duration::seconds((index / 3) as i64);
        let mut params = BTreeMap::new();
        if index == LATE_PARAM {
            params.insert("cohort".to_string(), "late".to_string());
        }
        let participant = format!("p{index:03}");
        let mut conduct = Conduct::start(
            &store,
            form.clone(),
            &survey,
            Some(&participant),
            &params,
            index as u64,
            now,
        )
        .expect("a session");
        let code = (index % 5) as i64 + 1;
        loop {
            match conduct.session().position() {
                Position::Page(page) => {
                    let answers = conduct.session().layout().pages[page]
                        .entries
                        .iter()
                        .map(|entry| (entry.id.clone(), Some(Answer::Code(code))))
                        .collect();
                    conduct
                        .submit_page(answers, PageStep::Forward, now)
                        .expect("a page");
                    if index % 5 == 4 {
                        break;
                    }
                }
                Position::Review => {
                    conduct.submit(now).expect("submitted");
                }
                Position::Consent => {
                    conduct.consent(true, now).expect("consent");
                }
                _ => break,
            }
        }
    }
    store.commit_group().expect("committed");
    (store, survey, form)
}

/// Every session of the survey with its records, read one session at a time.
fn one_by_one(store: &Store, survey: &SurveyRecord, complete_only: bool) -> Vec<SessionData> {
    store
        .sessions(&[survey.key])
        .expect("sessions")
        .into_iter()
        .filter(|s| !complete_only || s.status == Status::Complete)
        .map(|session| SessionData {
            answers: store.answers(&session.id).expect("answers"),
            views: store.page_views(&session.id).expect("views"),
            session,
        })
        .collect()
}

fn same(a: &SessionData, b: &SessionData) -> bool {
    a.session == b.session && a.answers == b.answers && a.views == b.views
}

#[test]
fn session_batches_give_each_session_once_in_order_with_its_records_whatever_the_batch_size() {
    let dir = scratch("export-stream-batches");
    let (store, survey, _) = filled_store(&dir);
    for complete_only in [false, true] {
        let expected = one_by_one(&store, &survey, complete_only);
        assert_eq!(expected.len(), if complete_only { 480 } else { SESSIONS });
        for batch in [1, 7, 256, 1000] {
            let mut seen: Vec<SessionData> = Vec::new();
            let mut largest = 0;
            let count = store
                .session_batches(
                    &[survey.key],
                    |status| !complete_only || status == Status::Complete,
                    batch,
                    |raw| {
                        largest = largest.max(raw.len());
                        seen.extend(raw.parse()?);
                        Ok::<(), StoreError>(())
                    },
                )
                .expect("batches");
            assert_eq!(count.sessions, SESSIONS, "batch {batch}");
            assert_eq!(count.kept, expected.len(), "batch {batch}");
            assert!(largest <= batch, "a batch of {largest} for {batch}");
            assert_eq!(seen.len(), expected.len(), "batch {batch}");
            for (got, want) in seen.iter().zip(&expected) {
                assert!(
                    same(got, want),
                    "batch {batch}: session {} differs from its one-by-one read",
                    want.session.id
                );
            }
        }
    }
}

/// The text a sink writes for the export asked.
fn streamed(store: &Store, request: &ExportRequest<'_>, jsonl: bool) -> String {
    let mut bytes = Vec::new();
    {
        let mut sink: Box<dyn RowSink> = if jsonl {
            Box::new(JsonlSink::new(&mut bytes))
        } else {
            Box::new(CsvSink::new(&mut bytes))
        };
        export_to(store, request, sink.as_mut()).expect("exported");
    }
    String::from_utf8(bytes).expect("UTF-8")
}

fn request(layout: Layout, include_partial: bool) -> ExportRequest<'static> {
    ExportRequest {
        survey: None,
        layout,
        include_partial,
        relation: None,
        names: false,
    }
}

#[test]
fn a_streamed_export_writes_what_the_whole_table_holds() {
    let dir = scratch("export-stream-sinks");
    let (store, _, _) = filled_store(&dir);
    for layout in [Layout::Wide, Layout::Long] {
        for include_partial in [false, true] {
            let asked = request(layout, include_partial);
            let whole = export(&store, &asked).expect("the whole table");
            let mut csv = Vec::new();
            whole.table.write_csv(&mut csv).expect("CSV");
            let mut jsonl = Vec::new();
            whole.table.write_jsonl(&mut jsonl).expect("JSON Lines");
            assert_eq!(streamed(&store, &asked, false).as_bytes(), csv.as_slice());
            assert_eq!(streamed(&store, &asked, true).as_bytes(), jsonl.as_slice());
            let sessions = if include_partial { SESSIONS } else { 480 };
            assert_eq!(whole.sessions, sessions);
            assert_eq!(whole.partial_left_out, SESSIONS - sessions);
            let per_session = if layout == Layout::Wide { 1 } else { 3 };
            assert_eq!(whole.table.rows.len(), sessions * per_session);
        }
    }
}

#[test]
fn a_parameter_first_recorded_after_the_first_batch_gets_its_column() {
    let dir = scratch("export-stream-late-param");
    let (store, _, _) = filled_store(&dir);
    let whole = export(&store, &request(Layout::Wide, false)).expect("exported");
    let column = whole
        .table
        .columns
        .iter()
        .position(|(name, _)| name == "cohort")
        .expect("a cohort column");
    let filled: Vec<(String, String)> = whole
        .table
        .rows
        .iter()
        .filter_map(|row| match (&row[1], &row[column]) {
            (
                kith_runner::export::Cell::Text(participant),
                kith_runner::export::Cell::Text(cohort),
            ) => Some((participant.clone(), cohort.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        filled,
        vec![(format!("p{LATE_PARAM:03}"), "late".to_string())]
    );
}

/// Damages one record of the 401st session (in the export's second batch) with `sql` and
/// returns the error the long export stops with, and the session's id.
fn export_after_damage(name: &str, sql: &str) -> (ExportError, String) {
    let dir = scratch(name);
    let (store, survey, _) = filled_store(&dir);
    let victim = store.sessions(&[survey.key]).expect("sessions")[400]
        .id
        .clone();
    drop(store);
    let raw = rusqlite::Connection::open(dir.join("s.sqlite")).expect("the file");
    assert_eq!(raw.execute(sql, [&victim]).expect("damaged"), 1);
    drop(raw);
    let store = Store::open_existing(&dir.join("s.sqlite")).expect("reopened");
    let mut bytes = Vec::new();
    let error = export_to(
        &store,
        &request(Layout::Long, true),
        &mut CsvSink::new(&mut bytes),
    )
    .expect_err("a damaged record");
    (error, victim)
}

#[test]
fn a_damaged_record_in_a_later_batch_stops_the_export_and_names_its_session() {
    let cases = [
        (
            "export-stream-damaged-answer",
            "UPDATE answers SET value = '{not json' WHERE session = ?1 AND entry = 'q2'",
            "the answer to `q2`",
        ),
        (
            "export-stream-damaged-view",
            "UPDATE page_views SET views = 'many' WHERE session = ?1 AND page = 0",
            "the page views of session",
        ),
    ];
    for (name, sql, expected) in cases {
        let (error, victim) = export_after_damage(name, sql);
        match &error {
            ExportError::Store(StoreError::Damaged { what, .. }) => {
                assert!(what.contains(&victim), "{name}: {what}");
                assert!(what.contains(expected), "{name}: {what}");
            }
            other => panic!("{name}: not a damaged-store error: {other:?}"),
        }
        assert!(error.hint().is_some(), "a damaged store's error has a hint");
    }
}

//! The store under the conditions of a real study: several programs opening a new store at
//! once, exports and backups taken while sessions are being written (each must be the store at
//! one point in time), finished sessions in the store file itself rather than only in its
//! `-wal` file, and a store deleted or replaced underneath a running program.

mod common;

use common::scratch;

use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};
use kith_instrument::form::Form;
use kith_runner::answer::Answer;
use kith_runner::conduct::{Conduct, RunError};
use kith_runner::engine::{Layout, Position};
use kith_runner::export::{Cell, ExportRequest, Layout as ExportLayout, Table, export};
use kith_runner::store::{NewSession, SCHEMA_VERSION, Store, StoreError, parse_stamp};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

const SURVEY: &str = "
kind: survey
id: steady
version: 1.0.0
title: Steady
scales:
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}
blocks:
  - id: one
    items_per_page: 4
    items:
      - {id: q1, text: One, scale: agree5}
      - {id: q2, text: Two, scale: agree5}
      - {id: q3, text: Three, scale: agree5}
      - {id: q4, text: Four, scale: agree5}
";

const ITEMS: [&str; 4] = ["q1", "q2", "q3", "q4"];

fn form() -> Arc<Form> {
    common::form_of("steady.yaml", SURVEY)
}

#[test]
fn a_new_store_opened_by_several_programs_at_once_is_created_once() {
    let dir = scratch("store-race");
    for round in 0..25 {
        let path = dir.join(format!("new-{round}.sqlite"));
        let barrier = Arc::new(Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).and_then(|store| store.schema_version())
                })
            })
            .collect();
        for opener in openers {
            match opener.join().expect("the thread ends") {
                Ok(version) => assert_eq!(version, SCHEMA_VERSION),
                Err(error) => panic!("round {round}: opening a new store at once failed: {error}"),
            }
        }
    }
}

/// One step of the scripted writer, with the logical time (milliseconds after `BASE`) it was
/// committed at.
#[derive(Debug, Clone)]
enum Step {
    Start(usize),
    Answer(usize, &'static str, i64),
    Complete(usize),
}

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("a time")
}

/// Writes sessions into the store at `path` the way a busy server does: four at a time,
/// interleaved, each started, answered item by item and completed, every step its own commit
/// at the next millisecond of a logical clock. Returns the steps and the session ids.
fn scripted_writer(
    path: PathBuf,
    form: Arc<Form>,
    stop: Arc<AtomicBool>,
    max_steps: u64,
) -> std::thread::JoinHandle<(Vec<Step>, Vec<String>)> {
    std::thread::spawn(move || {
        let store = Store::open(&path).expect("the writer opens the store");
        let survey = store
            .register_survey(&form, "steady.yaml", base())
            .expect("registered");
        let params = BTreeMap::new();
        let mut steps = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        // Each slot holds a session (by index) and how many items it has answered.
        let mut slots: [Option<(usize, usize)>; 4] = [None; 4];
        for tick in 0..max_steps {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let now = base() + ChronoDuration::milliseconds(tick as i64);
            let slot = (tick % 4) as usize;
            let step = match slots[slot] {
                None => {
                    let layout = Layout::new(&form, tick);
                    let id = store
                        .create_session(&NewSession {
                            survey: &survey,
                            participant: None,
                            params: &params,
                            layout: &layout,
                            position: Position::Page(0),
                            now,
                            language: None,
                        })
                        .expect("a session starts");
                    ids.push(id);
                    slots[slot] = Some((ids.len() - 1, 0));
                    Step::Start(ids.len() - 1)
                }
                Some((session, answered)) if answered < ITEMS.len() => {
                    let value = (tick % 5) as i64 + 1;
                    store
                        .save_answer(
                            &ids[session],
                            ITEMS[answered],
                            Some(&Answer::Code(value)),
                            now,
                        )
                        .expect("an answer is saved");
                    slots[slot] = Some((session, answered + 1));
                    Step::Answer(session, ITEMS[answered], value)
                }
                Some((session, _)) => {
                    store
                        .save_position(&ids[session], Position::Complete, now)
                        .expect("a session completes");
                    slots[slot] = None;
                    Step::Complete(session)
                }
            };
            steps.push(step);
        }
        (steps, ids)
    })
}

fn wide_partial(store: &Store) -> Table {
    export(
        store,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Wide,
            include_partial: true,
            relation: None,
            names: false,
        },
    )
    .expect("the store exports")
    .table
}

/// What a session looks like in an export: its status and its answers.
type SessionState = (String, BTreeMap<String, i64>);

/// Checks that `table` shows the store exactly as it was after one step of the writer: the
/// latest change any exported session shows (its `updated_at`, which every step sets) names
/// the step, and the table must hold exactly the sessions, statuses and answers the steps up to
/// it made — nothing later, nothing missing.
fn assert_point_in_time(table: &Table, steps: &[Step], ids: &[String], what: &str) {
    let column = |name: &str| {
        table
            .columns
            .iter()
            .position(|(n, _)| n == name)
            .expect("a column")
    };
    let text = |cell: &Cell| match cell {
        Cell::Text(t) => t.clone(),
        _ => String::new(),
    };
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    // No session shown: the store before the writer's first step.
    let mut latest = -1i64;
    let mut shown: BTreeMap<usize, SessionState> = BTreeMap::new();
    for row in &table.rows {
        let id = text(&row[column("respondent_id")]);
        let session = index[id.as_str()];
        let started = parse_stamp(&text(&row[column("started_at")])).expect("a start");
        let duration = match &row[column("duration_s")] {
            Cell::Float(seconds) => (seconds * 1000.0).round() as i64,
            other => panic!("{what}: a duration, not {other:?}"),
        };
        latest = latest.max((started - base()).num_milliseconds() + duration);
        let answers = ITEMS
            .iter()
            .filter_map(|item| match &row[column(item)] {
                Cell::Int(value) => Some((item.to_string(), *value)),
                _ => None,
            })
            .collect();
        shown.insert(session, (text(&row[column("status")]), answers));
    }
    let mut expected: BTreeMap<usize, SessionState> = BTreeMap::new();
    for step in steps.iter().take((latest + 1) as usize) {
        match step {
            Step::Start(session) => {
                expected.insert(*session, ("in_progress".to_string(), BTreeMap::new()));
            }
            Step::Answer(session, item, value) => {
                if let Some((_, answers)) = expected.get_mut(session) {
                    answers.insert(item.to_string(), *value);
                }
            }
            Step::Complete(session) => {
                if let Some((status, _)) = expected.get_mut(session) {
                    *status = "complete".to_string();
                }
            }
        }
    }
    assert_eq!(
        shown, expected,
        "{what}: the export is not the store as it was after step {latest}"
    );
}

#[test]
fn an_export_under_concurrent_writes_is_the_store_at_one_point_in_time() {
    let dir = scratch("store-snapshot");
    let path = dir.join("busy.sqlite");
    let form = form();
    // The store exists, with its survey, before the reader opens it.
    Store::open(&path)
        .and_then(|s| s.register_survey(&form, "steady.yaml", base()))
        .expect("a store");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = scripted_writer(path.clone(), form, stop.clone(), 50_000);
    let reader = Store::open_existing(&path).expect("the reader opens the store");
    let mut tables = Vec::new();
    while !writer.is_finished() && tables.len() < 40 {
        let table = wide_partial(&reader);
        if !table.rows.is_empty() {
            tables.push(table);
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (steps, ids) = writer.join().expect("the writer ends");
    assert!(
        tables.len() == 40 && steps.len() < 50_000,
        "the exports were taken while the writer wrote"
    );
    for (number, table) in tables.iter().enumerate() {
        assert_point_in_time(table, &steps, &ids, &format!("export {number}"));
    }
}

#[test]
fn a_backup_under_a_running_writer_is_consistent_and_exports() {
    let dir = scratch("store-backup");
    let path = dir.join("busy.sqlite");
    let form = form();
    Store::open(&path)
        .and_then(|s| s.register_survey(&form, "steady.yaml", base()))
        .expect("a store");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = scripted_writer(path.clone(), form, stop.clone(), 50_000);
    let source = Store::open_existing(&path).expect("the store opens");
    let mut copies = Vec::new();
    while !writer.is_finished() && copies.len() < 12 {
        let copy = dir.join(format!("copy-{}.sqlite", copies.len()));
        let report = source.backup_to(&copy).expect("the backup is written");
        assert_eq!(report.path, copy.display().to_string());
        copies.push(copy);
    }
    stop.store(true, Ordering::SeqCst);
    let (steps, ids) = writer.join().expect("the writer ends");
    assert!(
        copies.len() == 12 && steps.len() < 50_000,
        "the backups were taken while the writer wrote"
    );
    for copy in &copies {
        // Each copy is one file: no `-wal` beside it, nothing temporary left in the folder.
        let mut wal = copy.as_os_str().to_owned();
        wal.push("-wal");
        assert!(!PathBuf::from(wal).exists(), "{copy:?} needs no -wal file");
        let store = Store::open_existing(copy).expect("the copy opens");
        assert_point_in_time(
            &wide_partial(&store),
            &steps,
            &ids,
            &copy.display().to_string(),
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("the folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".partial-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_backup_refuses_the_store_itself_and_a_store_in_use_and_leaves_nothing_behind() {
    let dir = scratch("store-backup-refused");
    let path = dir.join("s.sqlite");
    let store = Store::open(&path).expect("a store");
    match store.backup_to(&path) {
        Err(StoreError::BackupTarget { reason, .. }) => assert!(reason.contains("itself")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Another store in use where the copy would go: its -wal file is beside it.
    let other = dir.join("other.sqlite");
    let in_use = Store::open(&other).expect("another store");
    match store.backup_to(&other) {
        Err(StoreError::BackupTarget { reason, .. }) => assert!(reason.contains("-wal")),
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(in_use);
    // A folder that does not exist: nothing is written anywhere.
    assert!(store.backup_to(&dir.join("missing/copy.sqlite")).is_err());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.contains(".partial-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

/// A session of the test survey, started and answered.
fn answered_session<'s>(store: &'s Store, form: &Arc<Form>) -> Conduct<'s> {
    let survey = store
        .register_survey(form, "steady.yaml", Utc::now())
        .expect("registered");
    let mut conduct = Conduct::start(
        store,
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
        .expect("saved");
    conduct
}

#[test]
fn a_finished_session_is_in_the_store_file_without_its_wal() {
    let dir = scratch("store-checkpoint");
    let path = dir.join("s.sqlite");
    let form = form();
    let store = Store::open(&path).expect("a store");
    let mut conduct = answered_session(&store, &form);
    conduct.next(Utc::now()).expect("to the summary");
    conduct.submit(Utc::now()).expect("submitted");
    // The program is still running (or was killed on its closing screen): only the store file
    // is copied, as a researcher copying "the .sqlite file" would.
    let copy_dir = scratch("store-checkpoint-copy");
    let copy = copy_dir.join("s.sqlite");
    std::fs::copy(&path, &copy).expect("copied");
    let copied = Store::open_existing(&copy).expect("the copy opens");
    let exported = export(
        &copied,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Wide,
            include_partial: false,
            relation: None,
            names: false,
        },
    )
    .expect("the copy exports");
    assert_eq!(exported.sessions, 1, "the finished session is in the copy");
    drop(conduct);
}

#[test]
fn an_empty_copy_says_where_the_answers_may_be() {
    let dir = scratch("store-empty-hint");
    let path = dir.join("s.sqlite");
    drop(Store::open(&path).expect("a store"));
    let store = Store::open_existing(&path).expect("opens");
    let error = export(
        &store,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Wide,
            include_partial: true,
            relation: None,
            names: false,
        },
    )
    .expect_err("no surveys");
    let hint = error.hint().unwrap_or_default();
    assert!(
        hint.contains("-wal") && hint.contains("kith store backup"),
        "{error}: {hint}"
    );
}

fn assert_lost(result: Result<(), RunError>, just_found: bool) -> Option<String> {
    match result {
        Err(RunError::Store(StoreError::Replaced {
            rescued,
            just_found: found,
            ..
        })) => {
            assert_eq!(found, just_found);
            rescued
        }
        other => panic!("expected the store to be found gone, got {other:?}"),
    }
}

#[test]
fn a_store_deleted_underneath_is_not_acknowledged_and_what_it_held_is_rescued() {
    let dir = scratch("store-deleted");
    let path = dir.join("s.sqlite");
    let form = form();
    let store = Store::open(&path).expect("a store");
    let mut conduct = answered_session(&store, &form);
    std::fs::remove_file(&path).expect("deleted");
    let rescued = assert_lost(
        conduct.answer("q2", Some(Answer::Code(2)), Utc::now()),
        true,
    )
    .expect("a rescue copy");
    // Later steps are refused too, without a second rescue.
    assert_eq!(
        assert_lost(
            conduct.answer("q3", Some(Answer::Code(3)), Utc::now()),
            false
        ),
        Some(rescued.clone())
    );
    // The rescue copy holds every answer committed, the acknowledged one before the deletion
    // and the one committed into the deleted file (which was not acknowledged).
    let copy = Store::open_existing(Path::new(&rescued)).expect("the rescue copy opens");
    let answers = copy.answers(&conduct.id).expect("its answers");
    let entries: Vec<&str> = answers.iter().map(|a| a.entry.as_str()).collect();
    assert_eq!(entries, ["q1", "q2"]);
}

#[test]
fn a_store_replaced_underneath_is_not_acknowledged() {
    let dir = scratch("store-replaced");
    let path = dir.join("s.sqlite");
    let form = form();
    let store = Store::open(&path).expect("a store");
    let mut conduct = answered_session(&store, &form);
    // An older copy put back in its place, as restoring a backup by hand would.
    let older = dir.join("older.sqlite");
    std::fs::copy(&path, &older).expect("copied");
    std::fs::rename(&older, &path).expect("replaced");
    assert_lost(
        conduct.answer("q2", Some(Answer::Code(2)), Utc::now()),
        true,
    );
    // Deleting only the `-wal` file loses the commits it holds just the same.
    let dir = scratch("store-wal-deleted");
    let path = dir.join("s.sqlite");
    let store = Store::open(&path).expect("a store");
    let mut conduct = answered_session(&store, &form);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::remove_file(PathBuf::from(wal)).expect("the -wal deleted");
    assert_lost(
        conduct.answer("q2", Some(Answer::Code(2)), Utc::now()),
        true,
    );
}

#[test]
fn a_store_left_in_place_is_never_reported_gone() {
    let dir = scratch("store-kept");
    let path = dir.join("s.sqlite");
    let form = form();
    let store = Store::open(&path).expect("a store");
    let reader = Store::open_existing(&path).expect("a reader");
    let mut conduct = answered_session(&store, &form);
    // Checkpoints (which truncate the -wal file), other connections opening and closing, and
    // many commits keep the files what they were.
    for round in 0..20 {
        conduct
            .answer("q2", Some(Answer::Code(round % 5 + 1)), Utc::now())
            .expect("saved");
        store.checkpoint(round % 2 == 0).expect("checkpointed");
        drop(Store::open_existing(&path).expect("another connection"));
        reader
            .check_files()
            .expect("the reader's files are in place");
    }
    assert!(!store.is_lost());
}

#[test]
fn an_answer_the_store_cannot_keep_is_refused_and_nothing_of_its_page_is_saved() {
    let dir = scratch("store-unstorable");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = form();
    let conduct = answered_session(&store, &form);
    // A number that is not finite would be written as `null` and could not be read back.
    let page = [
        ("q1".to_string(), Some(Answer::Code(2))),
        ("q2".to_string(), Some(Answer::Number(f64::NAN))),
    ];
    match store.save_page(&conduct.id, &page, Position::Page(0), Utc::now()) {
        Err(error @ StoreError::Unstorable { .. }) => {
            assert!(error.to_string().contains("`q2`"), "{error}");
            assert!(error.hint().is_some(), "{error} has no hint");
        }
        other => panic!("the page was not refused: {other:?}"),
    }
    let refused = store.save_answer(
        &conduct.id,
        "q3",
        Some(&Answer::Number(f64::INFINITY)),
        Utc::now(),
    );
    assert!(
        matches!(refused, Err(StoreError::Unstorable { .. })),
        "{refused:?}"
    );
    let answers = store.answers(&conduct.id).expect("the answers read back");
    let kept: Vec<(&str, Option<&Answer>)> = answers
        .iter()
        .map(|answer| (answer.entry.as_str(), answer.value.as_ref()))
        .collect();
    assert_eq!(kept, [("q1", Some(&Answer::Code(4)))]);
}

//! The response store: one SQLite file (WAL mode) holding surveys, sessions, answers and page
//! views. Every change is its own committed transaction, so what a front-end acknowledged
//! survives a crash, a closed terminal or kill -9.
//!
//! The schema is versioned with `PRAGMA user_version` and migrated forward on open; a store
//! written by a newer kith is refused rather than guessed at. The parts live beside this file:
//! the errors (`error.rs`), the record types (`records.rs`), reading them back (`read.rs`), the
//! schema and its migrations (`schema.rs`), the web front-end's tokens and links
//! (`web_access.rs`) and the store's files on disk — their identity, checkpoints and backups
//! (`files.rs`).

mod batches;
mod error;
mod files;
mod group;
mod read;
mod records;
mod schema;
mod tape;
mod web_access;

pub use batches::{BatchCount, RawBatch, SessionData};
pub use error::StoreError;
pub use files::BackupReport;
pub use records::*;
pub use schema::{SCHEMA_VERSION, migrate_to};
pub use web_access::{LinkState, new_token, token_hash};

use crate::answer::Answer;
use crate::engine::{Layout, Position};
use chrono::{DateTime, SecondsFormat, Utc};
use error::classify;
use kith_instrument::form::Form;
use rand::RngExt;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// A timestamp as the store keeps it: RFC 3339 in UTC with milliseconds, which sorts as text.
pub fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored timestamp.
pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An open response store.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    path: String,
    /// The identities of its files when opened, and whether they were found gone.
    watch: files::Watch,
    /// Whether a group commit is open (`group.rs`): each change is then a savepoint of the
    /// group's one transaction, made durable when the group commits.
    group: group::Group,
}

/// The letters of session ids: lowercase, without look-alikes (0/o, 1/l/i), so that an id
/// read off a screen can be typed back.
const ID_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// A new random session id of 12 letters (about 59 bits).
pub fn new_session_id() -> String {
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ID_ALPHABET[rng.random_range(0..ID_ALPHABET.len())] as char)
        .collect()
}

impl Store {
    /// Opens the store at `path`, creating it if needed, migrating it to the current schema and
    /// proving that it can be written to: a read-only or full disk fails here, before any
    /// question is shown.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut store = Store::connect(path)?;
        store.migrate()?;
        store
            .connection
            .execute(
                "INSERT INTO kith_store (key, value) VALUES ('last_opened_at', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![stamp(Utc::now())],
            )
            .map_err(|e| store.error("writing to it", e))?;
        // The `-wal` file exists from the first write on; both files are watched from here.
        store.watch_files();
        Ok(store)
    }

    /// Opens an existing store to read it (export): it is never created, and it is migrated
    /// only when it is older than this kith.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        let mut store = Store::connect(path)?;
        store.migrate()?;
        store.watch_files();
        Ok(store)
    }

    fn connect(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let connection = Connection::open(path).map_err(|e| classify(&shown, "opening it", e))?;
        let store = Store {
            connection,
            path: shown,
            watch: files::Watch::default(),
            group: group::Group::default(),
        };
        store
            .connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| store.error("opening it", e))?;
        // A file that is not SQLite fails on its first read.
        let _: i64 = store
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| store.error("reading it", e))?;
        // WAL lets readers (an export, a status page) run beside the writer; `synchronous =
        // FULL` makes each commit durable before the front-end acknowledges it.
        store
            .retry_while_busy(|connection| {
                connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| {
                    row.get::<_, String>(0)
                })
            })
            .map_err(|e| store.error("switching it to WAL mode", e))?;
        store
            .connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| store.error("setting it up", e))?;
        store
            .connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| store.error("setting it up", e))?;
        Ok(store)
    }

    /// Runs `work` again while SQLite reports the store busy, for up to ten seconds. Switching a
    /// new file to WAL mode needs it to itself for a moment, and SQLite does not wait (its busy
    /// handler) when another program opening the same new file holds it.
    fn retry_while_busy<T>(
        &self,
        work: impl Fn(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let start = std::time::Instant::now();
        loop {
            match work(&self.connection) {
                Err(error)
                    if matches!(
                        error.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) && start.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    fn error(&self, action: &'static str, error: rusqlite::Error) -> StoreError {
        classify(&self.path, action, error)
    }

    /// The store's file, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.error("reading its version", e))
    }

    /// Registers a survey (or finds it, when this version and fingerprint are already there).
    pub fn register_survey(
        &self,
        form: &Form,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<SurveyRecord, StoreError> {
        let fingerprint = kith_instrument::fingerprint::fingerprint(form);
        let columns = SurveyColumns::of(form);
        let columns_json = self.to_json(&columns, "the survey's columns")?;
        // The export walks old sessions with the logic kept here; changing it under the same
        // version would change what the export says they were shown.
        let kept: Option<String> = self
            .connection
            .query_row(
                "SELECT columns FROM surveys WHERE survey_id = ?1 AND version = ?2 AND fingerprint = ?3",
                params![form.id, form.version, fingerprint],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error("registering the survey", e))?;
        if let Some(kept) = kept
            && let Ok(kept) = serde_json::from_str::<SurveyColumns>(&kept)
            && kept.logic != columns.logic
        {
            return Err(StoreError::LogicChanged {
                path: self.path.clone(),
                survey: form.id.clone(),
                version: form.version.clone(),
            });
        }
        self.connection
            .execute(
                "INSERT INTO surveys (survey_id, version, fingerprint, title, source, columns, registered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (survey_id, version, fingerprint)
                 DO UPDATE SET source = excluded.source, title = excluded.title, columns = excluded.columns",
                params![form.id, form.version, fingerprint, form.title, source, columns_json, stamp(now)],
            )
            .map_err(|e| self.error("registering the survey", e))?;
        let key: i64 = self
            .connection
            .query_row(
                "SELECT key FROM surveys WHERE survey_id = ?1 AND version = ?2 AND fingerprint = ?3",
                params![form.id, form.version, fingerprint],
                |row| row.get(0),
            )
            .map_err(|e| self.error("registering the survey", e))?;
        Ok(SurveyRecord {
            key,
            survey_id: form.id.clone(),
            version: form.version.clone(),
            fingerprint,
            title: form.title.clone(),
            source: source.to_string(),
            columns,
        })
    }

    /// Every survey in the store, in the order they were registered.
    pub fn surveys(&self) -> Result<Vec<SurveyRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT key, survey_id, version, fingerprint, title, source, columns FROM surveys ORDER BY key",
            )
            .map_err(|e| self.error("reading its surveys", e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading its surveys", e))?;
        rows.into_iter()
            .map(
                |(key, survey_id, version, fingerprint, title, source, columns)| {
                    let columns =
                        serde_json::from_str(&columns).map_err(|_| StoreError::Damaged {
                            path: self.path.clone(),
                            what: format!("the columns of survey `{survey_id}`"),
                        })?;
                    Ok(SurveyRecord {
                        key,
                        survey_id,
                        version,
                        fingerprint,
                        title,
                        source,
                        columns,
                    })
                },
            )
            .collect()
    }

    /// Creates a session and returns its id. The session exists (and is committed) before its
    /// first page is shown.
    pub fn create_session(&self, new: &NewSession<'_>) -> Result<String, StoreError> {
        self.create_session_with(new, |_, _| Ok(true))?
            .ok_or_else(|| StoreError::Damaged {
                path: self.path.clone(),
                what: "a session that could not be started".to_string(),
            })
    }

    /// Creates a session and, in the same transaction, does `also` with its id; when `also`
    /// returns false, nothing is kept and the result is `None`.
    fn create_session_with(
        &self,
        new: &NewSession<'_>,
        also: impl Fn(&Connection, &str) -> rusqlite::Result<bool>,
    ) -> Result<Option<String>, StoreError> {
        let layout = self.to_json(new.layout, "the session's layout")?;
        let now = stamp(new.now);
        // Ids are random; a collision is astronomically rare but cheap to rule out.
        for _ in 0..8 {
            let id = new_session_id();
            let outcome = self.transaction_if("starting a session", |tx| {
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO sessions (id, survey, participant, seed, layout, status, position, started_at, updated_at, language)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7, ?7, ?8)",
                    params![
                        id,
                        new.survey.key,
                        new.participant,
                        new.layout.seed as i64,
                        layout,
                        new.position.to_text(),
                        now,
                        new.language
                    ],
                )?;
                if inserted == 0 {
                    return Ok((None, false));
                }
                for (name, value) in new.params {
                    tx.execute(
                        "INSERT INTO session_params (session, name, value) VALUES (?1, ?2, ?3)",
                        params![id, name, value],
                    )?;
                }
                if let Position::Page(page) = new.position {
                    record_view(tx, &id, page, &now)?;
                }
                let keep = also(tx, &id)?;
                Ok((Some(keep), keep))
            })?;
            match outcome {
                Some(true) => return Ok(Some(id)),
                Some(false) => return Ok(None),
                None => continue,
            }
        }
        Err(StoreError::Damaged {
            path: self.path.clone(),
            what: "session ids that keep colliding".to_string(),
        })
    }

    /// The JSON text a value is kept as. serde_json fails only for maps whose keys are not
    /// text and for types whose `Serialize` fails, and the store's types (survey columns,
    /// layouts, answers) have neither; a failure is still an error rather than an empty text
    /// that could not be read back.
    fn to_json(&self, value: &impl serde::Serialize, what: &str) -> Result<String, StoreError> {
        serde_json::to_string(value).map_err(|error| StoreError::Unstorable {
            path: self.path.clone(),
            what: what.to_string(),
            reason: error.to_string(),
        })
    }

    /// The JSON text of the answer to `entry`. serde_json writes a number that is not finite
    /// as `null`, which would not read back as an answer, so such a number is refused (the
    /// engine's `check_answer` never lets one through).
    fn answer_json(&self, entry: &str, answer: &Answer) -> Result<String, StoreError> {
        let what = format!("the answer to `{entry}`");
        match answer {
            Answer::Number(number) if !number.is_finite() => Err(StoreError::Unstorable {
                path: self.path.clone(),
                what,
                reason: format!("`{number}` is not a finite number"),
            }),
            answer => self.to_json(answer, &what),
        }
    }

    /// Runs `work` in one write transaction and commits it; returns only once the commit is
    /// durable and the store's files are known to be the ones it was written to, so that the
    /// caller may acknowledge it.
    fn transaction<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.transaction_if(action, |tx| work(tx).map(|value| (value, true)))
    }

    /// Like `transaction`, but `work` also says whether to commit; otherwise its changes are
    /// rolled back.
    fn transaction_if<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&Connection) -> rusqlite::Result<(T, bool)>,
    ) -> Result<T, StoreError> {
        if self.is_lost() {
            // Nothing is written into a file that was deleted or replaced.
            self.check_files()?;
        }
        if self.group.is_open() {
            return self.savepoint(action, work);
        }
        let run = || -> rusqlite::Result<(T, bool)> {
            let tx = rusqlite::Transaction::new_unchecked(
                &self.connection,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let (value, commit) = work(&tx)?;
            if commit {
                tx.commit()?;
            }
            Ok((value, commit))
        };
        let (value, committed) = run().map_err(|e| self.error(action, e))?;
        if committed {
            self.check_files()?;
        }
        Ok(value)
    }

    /// Saves (or, with `None`, clears) one answer; committed when this returns.
    pub fn save_answer(
        &self,
        session: &str,
        entry: &str,
        answer: Option<&Answer>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let value = answer
            .map(|answer| self.answer_json(entry, answer))
            .transpose()?;
        let now = stamp(now);
        self.transaction("saving an answer", |tx| {
            tx.execute(
                "INSERT INTO answers (session, entry, value, first_answered_at, answered_at, changes)
                 VALUES (?1, ?2, ?3, ?4, ?4, 0)
                 ON CONFLICT (session, entry) DO UPDATE SET
                     value = excluded.value, answered_at = excluded.answered_at, changes = changes + 1",
                params![session, entry, value, now],
            )?;
            tx.execute(
                "UPDATE sessions SET updated_at = ?2 WHERE id = ?1",
                params![session, now],
            )?;
            Ok(())
        })
    }

    /// Records the language a session is taken in (the participant chose another).
    pub fn save_language(
        &self,
        session: &str,
        language: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = stamp(now);
        self.transaction("saving the language", |tx| {
            tx.execute(
                "UPDATE sessions SET language = ?2, updated_at = ?3 WHERE id = ?1",
                params![session, language, now],
            )?;
            Ok(())
        })
    }

    /// Saves the session's position (and that a page was shown); committed when this returns.
    pub fn save_position(
        &self,
        session: &str,
        position: Position,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = stamp(now);
        self.transaction("saving the page", |tx| move_to(tx, session, position, &now))
    }

    /// Saves the consent decision and where it leads; committed when this returns.
    pub fn save_consent(
        &self,
        session: &str,
        agree: bool,
        position: Position,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transaction("saving the consent decision", |tx| {
            tx.execute(
                "UPDATE sessions SET consent = ?2 WHERE id = ?1",
                params![session, agree as i64],
            )?;
            Ok(())
        })?;
        self.save_position(session, position, now)
    }

    /// Moves a session to another registered survey with a new layout (`--resume --force`
    /// after the survey changed). Its answers stay; the export shows those the survey still asks.
    pub fn move_session(
        &self,
        session: &str,
        survey: i64,
        layout: &Layout,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let layout = self.to_json(layout, "the session's layout")?;
        self.transaction("moving the session to the changed survey", |tx| {
            tx.execute(
                "UPDATE sessions SET survey = ?2, layout = ?3, updated_at = ?4 WHERE id = ?1",
                params![session, survey, layout, stamp(now)],
            )?;
            Ok(())
        })
    }

    /// Saves a page's answers and the position it leads to in one transaction.
    pub fn save_page(
        &self,
        session: &str,
        answers: &[(String, Option<Answer>)],
        position: Position,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Every answer is encoded before the transaction, so that one that cannot be stored
        // leaves the whole page unsaved rather than saved in part.
        let values = answers
            .iter()
            .map(|(entry, answer)| {
                let value = answer
                    .as_ref()
                    .map(|answer| self.answer_json(entry, answer))
                    .transpose()?;
                Ok((entry, value))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let now = stamp(now);
        self.transaction("saving a page", |tx| {
            for (entry, value) in &values {
                // A question left unanswered that never had an answer leaves no row.
                if value.is_none() {
                    tx.execute(
                        "UPDATE answers SET value = NULL, answered_at = ?3, changes = changes + 1
                         WHERE session = ?1 AND entry = ?2 AND value IS NOT NULL",
                        params![session, entry, now],
                    )?;
                    continue;
                }
                tx.execute(
                    "INSERT INTO answers (session, entry, value, first_answered_at, answered_at, changes)
                     VALUES (?1, ?2, ?3, ?4, ?4, 0)
                     ON CONFLICT (session, entry) DO UPDATE SET
                         value = excluded.value, answered_at = excluded.answered_at,
                         changes = changes + (answers.value IS NOT excluded.value)",
                    params![session, entry, value, now],
                )?;
            }
            move_to(tx, session, position, &now)
        })
    }
}

/// Sets a session's position and the status it implies (a final position also sets
/// `finished_at`, once); a page also counts as shown.
fn move_to(tx: &Connection, session: &str, position: Position, now: &str) -> rusqlite::Result<()> {
    let (status, finished) = match position {
        Position::Complete => (Status::Complete, Some(now)),
        Position::Declined => (Status::Declined, Some(now)),
        Position::ScreenedOut => (Status::ScreenedOut, Some(now)),
        _ => (Status::InProgress, None),
    };
    tx.execute(
        "UPDATE sessions SET position = ?2, status = ?3, updated_at = ?4,
             finished_at = coalesce(finished_at, ?5)
         WHERE id = ?1",
        params![session, position.to_text(), status.as_str(), now, finished],
    )?;
    if let Position::Page(page) = position {
        record_view(tx, session, page, now)?;
    }
    Ok(())
}

fn record_view(tx: &Connection, session: &str, page: usize, now: &str) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO page_views (session, page, first_shown_at, last_shown_at, views)
         VALUES (?1, ?2, ?3, ?3, 1)
         ON CONFLICT (session, page) DO UPDATE SET last_shown_at = excluded.last_shown_at, views = views + 1",
        params![session, page as i64, now],
    )
}

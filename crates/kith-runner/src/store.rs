//! The response store: one SQLite file (WAL mode) holding surveys, sessions, answers and page
//! views. Every change is its own committed transaction, so what a front-end acknowledged
//! survives a crash, a closed terminal or kill -9.
//!
//! The schema is versioned with `PRAGMA user_version` and migrated forward on open; a store
//! written by a newer kith is refused rather than guessed at.

use crate::answer::Answer;
use crate::engine::{Layout, Position};
use chrono::{DateTime, SecondsFormat, Utc};
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;
use rand::RngExt;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The schema version this kith writes. Each entry of `MIGRATIONS` moves a store one version up.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1: surveys, sessions, answers, page views. Version 2: named session parameters
/// (`--param`, and URL parameters of the web front-end). Version 3: the web front-end's access
/// tokens and single-use links, kept only as SHA-256 hashes, so that a copy of the store does
/// not open anyone's session.
const MIGRATIONS: [&str; 3] = [
    "CREATE TABLE kith_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE surveys (
         key INTEGER PRIMARY KEY,
         survey_id TEXT NOT NULL,
         version TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         title TEXT NOT NULL,
         source TEXT NOT NULL,
         columns TEXT NOT NULL,
         registered_at TEXT NOT NULL,
         UNIQUE (survey_id, version, fingerprint)
     );
     CREATE TABLE sessions (
         id TEXT PRIMARY KEY,
         survey INTEGER NOT NULL REFERENCES surveys(key),
         participant TEXT,
         seed INTEGER NOT NULL,
         layout TEXT NOT NULL,
         status TEXT NOT NULL CHECK (status IN ('in_progress', 'complete', 'declined')),
         consent INTEGER,
         position TEXT NOT NULL,
         started_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         finished_at TEXT
     );
     CREATE INDEX sessions_by_survey ON sessions (survey);
     CREATE TABLE answers (
         session TEXT NOT NULL REFERENCES sessions(id),
         entry TEXT NOT NULL,
         value TEXT,
         first_answered_at TEXT NOT NULL,
         answered_at TEXT NOT NULL,
         changes INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (session, entry)
     );
     CREATE TABLE page_views (
         session TEXT NOT NULL REFERENCES sessions(id),
         page INTEGER NOT NULL,
         first_shown_at TEXT NOT NULL,
         last_shown_at TEXT NOT NULL,
         views INTEGER NOT NULL,
         PRIMARY KEY (session, page)
     );",
    "CREATE TABLE session_params (
         session TEXT NOT NULL REFERENCES sessions(id),
         name TEXT NOT NULL,
         value TEXT NOT NULL,
         PRIMARY KEY (session, name)
     );",
    "CREATE TABLE web_access (
         token_hash TEXT PRIMARY KEY,
         session TEXT NOT NULL UNIQUE REFERENCES sessions(id),
         csrf TEXT NOT NULL,
         created_at TEXT NOT NULL
     );
     CREATE TABLE links (
         token_hash TEXT PRIMARY KEY,
         survey_id TEXT NOT NULL,
         created_at TEXT NOT NULL,
         session TEXT REFERENCES sessions(id)
     );",
];

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

/// Why the store could not do what was asked. Each message names the store and ends with a hint.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot write to the store `{path}`: the file or its folder is read-only\n  = hint: put the store on a writable disk (--store PATH); no question was shown"
    )]
    ReadOnly { path: String },
    #[error(
        "cannot write to the store `{path}`: the disk is full\n  = hint: free some space or put the store on another disk (--store PATH); answers already saved are kept"
    )]
    DiskFull { path: String },
    #[error(
        "cannot open the store `{path}`: {reason}\n  = hint: check that the folder exists and that you may write to it"
    )]
    CannotOpen { path: String, reason: String },
    #[error("there is no store at `{path}`\n  = hint: give the file that `kith run --store` wrote")]
    Missing { path: String },
    #[error(
        "`{path}` is not a kith response store\n  = hint: give the SQLite file that `kith run --store` wrote; kith does not write into other files"
    )]
    NotAStore { path: String },
    #[error(
        "the store `{path}` has schema version {found}, but this kith reads versions up to {supported}\n  = hint: it was written by a newer kith; use that version (or newer) to run or export it"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "the store `{path}` has no session `{id}`\n  = hint: the session id is shown on the participant's screen; `kith export --store {path} --include-partial` lists every session"
    )]
    UnknownSession { path: String, id: String },
    #[error(
        "the store `{path}` holds a damaged record ({what})\n  = hint: the store may have been edited by hand; restore it from a backup"
    )]
    Damaged { path: String, what: String },
    #[error("the store `{path}` failed while {action}: {source}")]
    Sqlite {
        path: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

/// The columns a survey's sessions export to, kept in the store so that exporting needs no
/// survey file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyColumns {
    pub items: Vec<ItemColumn>,
    pub checks: Vec<CheckColumn>,
    /// Block ids in the file's order.
    pub blocks: Vec<String>,
}

/// An item's export column(s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemColumn {
    pub id: String,
    /// `likert`, `numeric`, `single_choice`, `multiple_choice` or `text`.
    pub kind: String,
    /// Whether a numeric item takes whole numbers only.
    #[serde(default)]
    pub integer: bool,
    /// The option codes of a multiple-choice item (one 0/1 column each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<i64>,
}

/// An attention check's export columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckColumn {
    pub id: String,
    pub expect: i64,
}

impl SurveyColumns {
    pub fn of(form: &Form) -> SurveyColumns {
        SurveyColumns {
            items: form
                .items()
                .map(|item| ItemColumn {
                    id: item.item.id.clone(),
                    kind: kith_instrument::validate::scale_type_name(&item.response).to_string(),
                    integer: matches!(item.response, ResponseScale::Numeric { integer: true, .. }),
                    options: match &item.response {
                        ResponseScale::MultipleChoice { options } => {
                            options.iter().map(|o| o.value).collect()
                        }
                        _ => Vec::new(),
                    },
                })
                .collect(),
            checks: form
                .attention_checks()
                .map(|c| CheckColumn {
                    id: c.check.id.clone(),
                    expect: c.check.expect,
                })
                .collect(),
            blocks: form.blocks.iter().map(|b| b.id.clone()).collect(),
        }
    }
}

/// A survey registered in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    pub key: i64,
    pub survey_id: String,
    pub version: String,
    pub fingerprint: String,
    pub title: String,
    /// The survey file as it was run (an absolute path), so that `--resume` can find it.
    pub source: String,
    pub columns: SurveyColumns,
}

/// How a session ended, or that it has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Complete,
    Declined,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::Complete => "complete",
            Status::Declined => "declined",
        }
    }

    fn from_str(text: &str) -> Option<Status> {
        Some(match text {
            "in_progress" => Status::InProgress,
            "complete" => Status::Complete,
            "declined" => Status::Declined,
            _ => return None,
        })
    }
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: String,
    pub survey: i64,
    pub participant: Option<String>,
    pub layout: Layout,
    pub status: Status,
    pub consent: Option<bool>,
    pub position: Position,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
    pub params: BTreeMap<String, String>,
}

/// An answer as stored; `value` is `None` when the participant cleared it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRecord {
    pub entry: String,
    pub value: Option<Answer>,
    pub first_answered_at: String,
    pub answered_at: String,
    pub changes: i64,
}

/// When a page was shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PageViewRecord {
    /// 0-based.
    pub page: usize,
    pub first_shown_at: String,
    pub last_shown_at: String,
    pub views: i64,
}

/// The details of a new session.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub survey: &'a SurveyRecord,
    pub participant: Option<&'a str>,
    pub params: &'a BTreeMap<String, String>,
    pub layout: &'a Layout,
    pub position: Position,
    pub now: DateTime<Utc>,
}

/// An open response store.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    path: String,
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
        let store = Store::connect(path)?;
        store.migrate()?;
        store
            .connection
            .execute(
                "INSERT INTO kith_store (key, value) VALUES ('last_opened_at', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![stamp(Utc::now())],
            )
            .map_err(|e| store.error("writing to it", e))?;
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
        let store = Store::connect(path)?;
        store.migrate()?;
        Ok(store)
    }

    fn connect(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let connection = Connection::open(path).map_err(|e| classify(&shown, "opening it", e))?;
        let store = Store {
            connection,
            path: shown,
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
            .connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
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

    fn migrate(&self) -> Result<(), StoreError> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found == 0 {
            // Version 0 is a new, empty file; anything else with tables is not ours.
            let tables: i64 = self
                .connection
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |row| row.get(0),
                )
                .map_err(|e| self.error("reading it", e))?;
            if tables > 0 {
                return Err(StoreError::NotAStore {
                    path: self.path.clone(),
                });
            }
        } else {
            let marked: Option<String> = self
                .connection
                .query_row(
                    "SELECT value FROM kith_store WHERE key = 'format'",
                    [],
                    |row| row.get(0),
                )
                .optional()
                .map_err(|_| StoreError::NotAStore {
                    path: self.path.clone(),
                })?;
            if marked.as_deref() != Some("kith-responses") {
                return Err(StoreError::NotAStore {
                    path: self.path.clone(),
                });
            }
        }
        migrate_to(&self.connection, SCHEMA_VERSION).map_err(|e| self.error("migrating it", e))
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
        let columns_json = serde_json::to_string(&columns).unwrap_or_default();
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
        let layout = serde_json::to_string(new.layout).unwrap_or_default();
        let now = stamp(new.now);
        // Ids are random; a collision is astronomically rare but cheap to rule out.
        for _ in 0..8 {
            let id = new_session_id();
            let inserted = self.transaction("starting a session", |tx| {
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO sessions (id, survey, participant, seed, layout, status, position, started_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6, ?7, ?7)",
                    params![
                        id,
                        new.survey.key,
                        new.participant,
                        new.layout.seed as i64,
                        layout,
                        new.position.to_text(),
                        now
                    ],
                )?;
                if inserted == 1 {
                    for (name, value) in new.params {
                        tx.execute(
                            "INSERT INTO session_params (session, name, value) VALUES (?1, ?2, ?3)",
                            params![id, name, value],
                        )?;
                    }
                    if let Position::Page(page) = new.position {
                        record_view(tx, &id, page, &now)?;
                    }
                }
                Ok(inserted)
            })?;
            if inserted == 1 {
                return Ok(id);
            }
        }
        Err(StoreError::Damaged {
            path: self.path.clone(),
            what: "session ids that keep colliding".to_string(),
        })
    }

    fn transaction<T>(
        &self,
        action: &'static str,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let run = || -> rusqlite::Result<T> {
            let tx = rusqlite::Transaction::new_unchecked(
                &self.connection,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| self.error(action, e))
    }

    /// The session with this id.
    pub fn session(&self, id: &str) -> Result<SessionRecord, StoreError> {
        let found = self
            .connection
            .query_row(
                "SELECT id, survey, participant, seed, layout, status, consent, position, started_at, updated_at, finished_at
                 FROM sessions WHERE id = ?1",
                params![id],
                read_session_row,
            )
            .optional()
            .map_err(|e| self.error("reading a session", e))?;
        let row = found.ok_or_else(|| StoreError::UnknownSession {
            path: self.path.clone(),
            id: id.to_string(),
        })?;
        let mut sessions = self.finish_sessions(vec![row])?;
        sessions.pop().ok_or_else(|| StoreError::UnknownSession {
            path: self.path.clone(),
            id: id.to_string(),
        })
    }

    /// Every session of the given surveys, oldest first.
    pub fn sessions(&self, surveys: &[i64]) -> Result<Vec<SessionRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT id, survey, participant, seed, layout, status, consent, position, started_at, updated_at, finished_at
                 FROM sessions ORDER BY started_at, rowid",
            )
            .map_err(|e| self.error("reading its sessions", e))?;
        let rows = statement
            .query_map([], read_session_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading its sessions", e))?;
        let rows = rows
            .into_iter()
            .filter(|row| surveys.contains(&row.1))
            .collect();
        self.finish_sessions(rows)
    }

    fn finish_sessions(&self, rows: Vec<SessionRow>) -> Result<Vec<SessionRecord>, StoreError> {
        let mut params_of: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        {
            // One session: its own parameters; many: all parameters in one pass.
            let (sql, filter) = if rows.len() == 1 {
                (
                    "SELECT session, name, value FROM session_params WHERE session = ?1",
                    Some(rows[0].0.clone()),
                )
            } else {
                ("SELECT session, name, value FROM session_params", None)
            };
            let mut statement = self
                .connection
                .prepare_cached(sql)
                .map_err(|e| self.error("reading session parameters", e))?;
            let read = |row: &rusqlite::Row<'_>| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            };
            let all = match &filter {
                Some(id) => statement.query_map(params![id], read),
                None => statement.query_map([], read),
            }
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading session parameters", e))?;
            for (session, name, value) in all {
                params_of.entry(session).or_default().insert(name, value);
            }
        }
        rows.into_iter()
            .map(|row| {
                let damaged = |what: &str| StoreError::Damaged {
                    path: self.path.clone(),
                    what: format!("the {what} of session `{}`", row.0),
                };
                let layout: Layout = serde_json::from_str(&row.4).map_err(|_| damaged("layout"))?;
                Ok(SessionRecord {
                    params: params_of.remove(&row.0).unwrap_or_default(),
                    survey: row.1,
                    participant: row.2,
                    layout,
                    status: Status::from_str(&row.5).ok_or_else(|| damaged("status"))?,
                    consent: row.6.map(|c| c != 0),
                    position: Position::from_text(&row.7).ok_or_else(|| damaged("position"))?,
                    started_at: row.8,
                    updated_at: row.9,
                    finished_at: row.10,
                    id: row.0,
                })
            })
            .collect()
    }

    /// The answers of a session, by entry id.
    pub fn answers(&self, session: &str) -> Result<Vec<AnswerRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT entry, value, first_answered_at, answered_at, changes FROM answers
                 WHERE session = ?1 ORDER BY first_answered_at, entry",
            )
            .map_err(|e| self.error("reading answers", e))?;
        let rows = statement
            .query_map(params![session], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading answers", e))?;
        rows.into_iter()
            .map(|(entry, value, first_answered_at, answered_at, changes)| {
                let value = match value {
                    Some(json) => {
                        Some(
                            serde_json::from_str(&json).map_err(|_| StoreError::Damaged {
                                path: self.path.clone(),
                                what: format!("the answer to `{entry}` in session `{session}`"),
                            })?,
                        )
                    }
                    None => None,
                };
                Ok(AnswerRecord {
                    entry,
                    value,
                    first_answered_at,
                    answered_at,
                    changes,
                })
            })
            .collect()
    }

    /// When each page of a session was shown.
    pub fn page_views(&self, session: &str) -> Result<Vec<PageViewRecord>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT page, first_shown_at, last_shown_at, views FROM page_views WHERE session = ?1 ORDER BY page",
            )
            .map_err(|e| self.error("reading page views", e))?;
        statement
            .query_map(params![session], |row| {
                Ok(PageViewRecord {
                    page: row.get::<_, i64>(0)? as usize,
                    first_shown_at: row.get(1)?,
                    last_shown_at: row.get(2)?,
                    views: row.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading page views", e))
    }

    /// Saves (or, with `None`, clears) one answer; committed when this returns.
    pub fn save_answer(
        &self,
        session: &str,
        entry: &str,
        answer: Option<&Answer>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let value = answer.map(|a| serde_json::to_string(a).unwrap_or_default());
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
        let layout = serde_json::to_string(layout).unwrap_or_default();
        self.transaction("moving the session to the changed survey", |tx| {
            tx.execute(
                "UPDATE sessions SET survey = ?2, layout = ?3, updated_at = ?4 WHERE id = ?1",
                params![session, survey, layout, stamp(now)],
            )?;
            Ok(())
        })
    }
}

/// The SHA-256 of a token, in hex: what the store keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new random token of 128 bits, in hex, from the thread's CSPRNG.
pub fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What a link token opened: nothing, a session already started with it, or a fresh start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    Unknown,
    Unused,
    Used { session: String },
}

impl Store {
    /// Gives a session its web access token (kept hashed) and CSRF secret.
    pub fn grant_web_access(
        &self,
        session: &str,
        token: &str,
        csrf: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transaction("saving the session's access", |tx| {
            tx.execute(
                "INSERT INTO web_access (token_hash, session, csrf, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash(token), session, csrf, stamp(now)],
            )?;
            Ok(())
        })
    }

    /// The session and CSRF secret a web access token opens.
    pub fn web_access(&self, token: &str) -> Result<Option<(String, String)>, StoreError> {
        self.connection
            .query_row(
                "SELECT session, csrf FROM web_access WHERE token_hash = ?1",
                params![token_hash(token)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.error("reading an access token", e))
    }

    /// Creates single-use links for a survey; returns their tokens (shown once, kept hashed).
    pub fn create_links(
        &self,
        survey_id: &str,
        n: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let tokens: Vec<String> = (0..n).map(|_| new_token()).collect();
        self.transaction("creating links", |tx| {
            for token in &tokens {
                tx.execute(
                    "INSERT INTO links (token_hash, survey_id, created_at) VALUES (?1, ?2, ?3)",
                    params![token_hash(token), survey_id, stamp(now)],
                )?;
            }
            Ok(())
        })?;
        Ok(tokens)
    }

    /// Whether a link exists for this survey, and whether it started a session.
    pub fn link_state(&self, survey_id: &str, token: &str) -> Result<LinkState, StoreError> {
        let found: Option<Option<String>> = self
            .connection
            .query_row(
                "SELECT session FROM links WHERE token_hash = ?1 AND survey_id = ?2",
                params![token_hash(token), survey_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error("reading a link", e))?;
        Ok(match found {
            None => LinkState::Unknown,
            Some(None) => LinkState::Unused,
            Some(Some(session)) => LinkState::Used { session },
        })
    }

    /// Marks a link as used by a session; false when another request used it first.
    pub fn use_link(&self, token: &str, session: &str) -> Result<bool, StoreError> {
        self.transaction("using a link", |tx| {
            Ok(tx.execute(
                "UPDATE links SET session = ?2 WHERE token_hash = ?1 AND session IS NULL",
                params![token_hash(token), session],
            )? == 1)
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
        let now = stamp(now);
        self.transaction("saving a page", |tx| {
            for (entry, answer) in answers {
                let value = answer
                    .as_ref()
                    .map(|a| serde_json::to_string(a).unwrap_or_default());
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

type SessionRow = (
    String,
    i64,
    Option<String>,
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
);

fn read_session_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
    ))
}

/// Sets a session's position and the status it implies (a final position also sets
/// `finished_at`, once); a page also counts as shown.
fn move_to(
    tx: &rusqlite::Transaction<'_>,
    session: &str,
    position: Position,
    now: &str,
) -> rusqlite::Result<()> {
    let (status, finished) = match position {
        Position::Complete => (Status::Complete, Some(now)),
        Position::Declined => (Status::Declined, Some(now)),
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

fn record_view(
    tx: &rusqlite::Transaction<'_>,
    session: &str,
    page: usize,
    now: &str,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO page_views (session, page, first_shown_at, last_shown_at, views)
         VALUES (?1, ?2, ?3, ?3, 1)
         ON CONFLICT (session, page) DO UPDATE SET last_shown_at = excluded.last_shown_at, views = views + 1",
        params![session, page as i64, now],
    )
}

/// Applies the migrations that take a store from its version up to `target`, each in one
/// transaction with its version bump. Public so that tests can build stores of older versions.
pub fn migrate_to(connection: &Connection, target: i64) -> rusqlite::Result<()> {
    let found: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for version in found..target.min(SCHEMA_VERSION) {
        let tx = rusqlite::Transaction::new_unchecked(
            connection,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        tx.execute_batch(MIGRATIONS[version as usize])?;
        if version == 0 {
            tx.execute(
                "INSERT INTO kith_store (key, value) VALUES ('format', 'kith-responses')",
                [],
            )?;
        }
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Turns SQLite's error codes into the errors researchers can act on.
fn classify(path: &str, action: &'static str, error: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore { path },
        // SQLite reports some read-only and full disks only as "cannot open" (its WAL index)
        // or as an I/O error; writing a probe file beside the store tells which.
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::SystemIoFailure)
            if folder_problem(&path).is_some() =>
        {
            match folder_problem(&path) {
                Some(FolderProblem::Full) => StoreError::DiskFull { path },
                _ => StoreError::ReadOnly { path },
            }
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            let reason = match Path::new(&path).parent() {
                Some(parent) if !parent.as_os_str().is_empty() && !parent.exists() => {
                    format!("the folder `{}` does not exist", parent.display())
                }
                _ => "the file cannot be opened or created".to_string(),
            };
            StoreError::CannotOpen { path, reason }
        }
        _ => StoreError::Sqlite {
            path,
            action,
            source: error,
        },
    }
}

/// What keeps files from being written in a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FolderProblem {
    ReadOnly,
    Full,
}

/// Writes (and removes) a 64 KiB probe file beside the store to find out whether its folder is
/// read-only or its disk full.
fn folder_problem(path: &str) -> Option<FolderProblem> {
    use std::io::{ErrorKind, Write};
    let folder = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let probe = folder.join(".kith-write-probe");
    let result = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; 65536])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match result {
        Ok(()) => None,
        Err(error) => match error.kind() {
            ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied => {
                Some(FolderProblem::ReadOnly)
            }
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(FolderProblem::Full),
            _ => None,
        },
    }
}

//! The store's schema: its versions, the migrations between them, and the check that a file is
//! a kith store before anything is written to it.

use super::{Store, StoreError};
use rusqlite::{Connection, OptionalExtension};

/// The schema version this kith writes. Each entry of `MIGRATIONS` moves a store one version up.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1: surveys, sessions, answers, page views. Version 2: named session parameters
/// (`--param`, and URL parameters of the web front-end). Version 3: the web front-end's access
/// tokens and single-use links, kept only as SHA-256 hashes, so that a copy of the store does
/// not open anyone's session. Version 4: the status `screened_out` (survey logic's `end_if`)
/// and the language each session is taken in (empty for older sessions: the survey's own);
/// SQLite cannot change a CHECK constraint, so the sessions table is rebuilt.
const MIGRATIONS: [&str; 4] = [
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
    // SQLite's procedure for changing a table: a new table, the rows copied, the old one
    // dropped and the new one renamed, with foreign keys off (`migrate` turns them off around
    // every migration) and checked before the commit (`apply_migration`).
    "CREATE TABLE sessions_v4 (
         id TEXT PRIMARY KEY,
         survey INTEGER NOT NULL REFERENCES surveys(key),
         participant TEXT,
         seed INTEGER NOT NULL,
         layout TEXT NOT NULL,
         status TEXT NOT NULL
             CHECK (status IN ('in_progress', 'complete', 'declined', 'screened_out')),
         consent INTEGER,
         position TEXT NOT NULL,
         started_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         finished_at TEXT,
         language TEXT
     );
     INSERT INTO sessions_v4 (rowid, id, survey, participant, seed, layout, status, consent,
                              position, started_at, updated_at, finished_at)
         SELECT rowid, id, survey, participant, seed, layout, status, consent, position,
                started_at, updated_at, finished_at FROM sessions;
     DROP TABLE sessions;
     ALTER TABLE sessions_v4 RENAME TO sessions;
     CREATE INDEX sessions_by_survey ON sessions (survey);",
];

impl Store {
    /// Checks that the file is a kith store of a version this kith reads, and migrates it
    /// forward. A store at the current version is only read (an export may read a store it may
    /// not write). Otherwise each step reads the version again inside its own `BEGIN IMMEDIATE`
    /// transaction, which waits (the busy timeout) for any other writer: two kith processes
    /// opening one new file at once would otherwise both read version 0 and both create the
    /// tables, and the second would fail.
    pub(super) fn migrate(&self) -> Result<(), StoreError> {
        // The version and the tables are read from one snapshot: read one by one, a migration
        // committed between the reads would show version 0 beside the new tables.
        if self.read_snapshot(|store| store.checked_version())? == SCHEMA_VERSION {
            return Ok(());
        }
        // `foreign_keys` can only change outside a transaction.
        self.connection
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(|e| self.error("migrating it", e))?;
        let migrated = self.migrate_steps();
        self.connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| self.error("migrating it", e))?;
        migrated
    }

    fn migrate_steps(&self) -> Result<(), StoreError> {
        loop {
            let tx = rusqlite::Transaction::new_unchecked(
                &self.connection,
                rusqlite::TransactionBehavior::Immediate,
            )
            .map_err(|e| self.error("migrating it", e))?;
            let found = self.checked_version()?;
            if found >= SCHEMA_VERSION {
                // Another process migrated it while this one waited; the empty transaction
                // is rolled back when dropped.
                return Ok(());
            }
            apply_migration(&tx, found).map_err(|e| self.error("migrating it", e))?;
            tx.commit().map_err(|e| self.error("migrating it", e))?;
        }
    }

    /// The schema version, after checking that the file is a kith store this kith reads.
    fn checked_version(&self) -> Result<i64, StoreError> {
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
        Ok(found)
    }
}

/// Moves a store from version `found` to `found + 1` inside the caller's transaction.
fn apply_migration(tx: &rusqlite::Connection, found: i64) -> rusqlite::Result<()> {
    tx.execute_batch(MIGRATIONS[found as usize])?;
    // Foreign keys are off while a migration runs (a table may be rebuilt); every reference
    // must still hold before it commits.
    let dangling: i64 =
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })?;
    if dangling > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!("{dangling} rows refer to rows that are not there")),
        ));
    }
    if found == 0 {
        tx.execute(
            "INSERT INTO kith_store (key, value) VALUES ('format', 'kith-responses')",
            [],
        )?;
    }
    tx.pragma_update(None, "user_version", found + 1)
}

/// Applies the migrations that take a store from its version up to `target`, each in one
/// transaction with its version bump, the version read inside that transaction. Public so that
/// tests can build stores of older versions.
pub fn migrate_to(connection: &Connection, target: i64) -> rusqlite::Result<()> {
    connection.pragma_update(None, "foreign_keys", "OFF")?;
    let migrated = migrate_steps_to(connection, target);
    connection.pragma_update(None, "foreign_keys", "ON")?;
    migrated
}

fn migrate_steps_to(connection: &Connection, target: i64) -> rusqlite::Result<()> {
    loop {
        let tx = rusqlite::Transaction::new_unchecked(
            connection,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if found >= target.min(SCHEMA_VERSION) {
            return Ok(());
        }
        apply_migration(&tx, found)?;
        tx.commit()?;
    }
}

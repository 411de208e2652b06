//! Reading sessions, their parameters, answers and page views back from the store.

use super::{AnswerRecord, PageViewRecord, SessionRecord, Status, Store, StoreError};
use crate::engine::{Layout, Position};
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;

impl Store {
    /// The session with this id.
    pub fn session(&self, id: &str) -> Result<SessionRecord, StoreError> {
        let found = self
            .connection
            .query_row(
                "SELECT id, survey, participant, seed, layout, status, consent, position, started_at, updated_at, finished_at, language
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
                "SELECT id, survey, participant, seed, layout, status, consent, position, started_at, updated_at, finished_at, language
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
        session_records(&self.path, rows, params_of)
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
            .map(|row| answer_record(&self.path, session, row))
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
}

/// The records of session rows, with their parameters from `params_of`.
pub(super) fn session_records(
    path: &str,
    rows: Vec<SessionRow>,
    mut params_of: BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Vec<SessionRecord>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let damaged = |what: &str| StoreError::Damaged {
                path: path.to_string(),
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
                language: row.11,
                id: row.0,
            })
        })
        .collect()
}

/// An answer row of `session` as a record, its value parsed from the stored JSON.
pub(super) fn answer_record(
    path: &str,
    session: &str,
    (entry, value, first_answered_at, answered_at, changes): AnswerRow,
) -> Result<AnswerRecord, StoreError> {
    let value = match value {
        Some(json) => Some(
            serde_json::from_str(&json).map_err(|_| StoreError::Damaged {
                path: path.to_string(),
                what: format!("the answer to `{entry}` in session `{session}`"),
            })?,
        ),
        None => None,
    };
    Ok(AnswerRecord {
        entry,
        value,
        first_answered_at,
        answered_at,
        changes,
    })
}

/// An answer as stored: entry, value (JSON), first and last answered, changes.
pub(super) type AnswerRow = (String, Option<String>, String, String, i64);

/// A session as stored, before its layout and status are parsed.
pub(super) type SessionRow = (
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
        row.get(11)?,
    ))
}

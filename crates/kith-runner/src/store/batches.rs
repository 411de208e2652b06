//! Reading sessions in batches, oldest first, each with its answers and page views: what an
//! export streams through, so that its memory is one batch's, not the store's.

use super::read::{SessionRow, answer_record, session_records};
use super::tape::{Cursor, Tape, WrongType};
use super::{AnswerRecord, PageViewRecord, SessionRecord, Status, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One session with everything recorded about it.
#[derive(Debug, Clone)]
pub struct SessionData {
    pub session: SessionRecord,
    /// Its answers, in the order `Store::answers` gives them.
    pub answers: Vec<AnswerRecord>,
    /// Its page views, in the order `Store::page_views` gives them.
    pub views: Vec<PageViewRecord>,
}

/// A batch of sessions as read from the store, before their layouts and answers are parsed:
/// the part of reading that needs the connection, kept apart (its values on tapes) so that an
/// export parses on another thread while the next batch is read.
#[derive(Debug)]
pub struct RawBatch {
    path: String,
    /// The sessions' row ids, in the export's order.
    rowids: Vec<i64>,
    sessions: Tape,
    params: Tape,
    answers: Tape,
    views: Tape,
}

impl RawBatch {
    /// How many sessions the batch holds.
    pub fn len(&self) -> usize {
        self.rowids.len()
    }

    /// Whether the batch holds no session.
    pub fn is_empty(&self) -> bool {
        self.rowids.is_empty()
    }

    /// The sessions with their records, in the store's order; a damaged record is an error
    /// that names its session.
    pub fn parse(self) -> Result<Vec<SessionData>, StoreError> {
        let mut by_rowid: HashMap<i64, SessionRow> = HashMap::new();
        let mut cursor = self.sessions.cursor();
        while !cursor.done() {
            let (id, rest) = self.read_row(&mut cursor, "record", |c| {
                Ok((
                    c.int()?,
                    c.optional_text()?,
                    c.int()?,
                    c.text()?,
                    c.text()?,
                    c.optional_int()?,
                    c.text()?,
                    c.text()?,
                    c.text()?,
                    c.optional_text()?,
                    c.optional_text()?,
                    c.int()?,
                ))
            })?;
            // The columns of `SessionRow` after the id, then the row id the batch is ordered by.
            let row = (
                id, rest.0, rest.1, rest.2, rest.3, rest.4, rest.5, rest.6, rest.7, rest.8, rest.9,
                rest.10,
            );
            by_rowid.insert(rest.11, row);
        }
        let rows: Vec<SessionRow> = self
            .rowids
            .iter()
            .filter_map(|r| by_rowid.remove(r))
            .collect();

        let mut params_of: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut cursor = self.params.cursor();
        while !cursor.done() {
            let (session, (name, value)) =
                self.read_row(&mut cursor, "parameters", |c| Ok((c.text()?, c.text()?)))?;
            params_of.entry(session).or_default().insert(name, value);
        }

        let mut answers_of: HashMap<String, Vec<AnswerRecord>> = HashMap::new();
        let mut cursor = self.answers.cursor();
        while !cursor.done() {
            let (session, answer) = self.read_row(&mut cursor, "answers", |c| {
                Ok((
                    c.text()?,
                    c.optional_text()?,
                    c.text()?,
                    c.text()?,
                    c.int()?,
                ))
            })?;
            let record = answer_record(&self.path, &session, answer)?;
            answers_of.entry(session).or_default().push(record);
        }

        let mut views_of: HashMap<String, Vec<PageViewRecord>> = HashMap::new();
        let mut cursor = self.views.cursor();
        while !cursor.done() {
            let (session, view) = self.read_row(&mut cursor, "page views", |c| {
                Ok(PageViewRecord {
                    page: c.int()? as usize,
                    first_shown_at: c.text()?,
                    last_shown_at: c.text()?,
                    views: c.int()?,
                })
            })?;
            views_of.entry(session).or_default().push(view);
        }

        Ok(session_records(&self.path, rows, params_of)?
            .into_iter()
            .map(|session| SessionData {
                answers: answers_of.remove(&session.id).unwrap_or_default(),
                views: views_of.remove(&session.id).unwrap_or_default(),
                session,
            })
            .collect())
    }
}

impl RawBatch {
    /// Reads one row: its session's id (every row starts with it), then the rest with `rest`.
    /// A value of a type its column never holds is a damaged record that names the session.
    fn read_row<T>(
        &self,
        cursor: &mut Cursor<'_>,
        what: &str,
        rest: impl FnOnce(&mut Cursor<'_>) -> Result<T, WrongType>,
    ) -> Result<(String, T), StoreError> {
        let damaged = |session: Option<&str>| StoreError::Damaged {
            path: self.path.clone(),
            what: match session {
                Some(id) => format!("the {what} of session `{id}`"),
                None => format!("the {what} of a session whose id is not a text"),
            },
        };
        let session = cursor.text().map_err(|_| damaged(None))?;
        let value = rest(cursor).map_err(|_| damaged(Some(&session)))?;
        Ok((session, value))
    }
}

/// How many sessions a batch read gathered and how many of them it kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCount {
    /// Every session of the surveys asked for.
    pub sessions: usize,
    /// Those passed to the caller.
    pub kept: usize,
}

/// Placeholders `?1, ?2, …` for an `IN` list of `n` values.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Calls `each` with the sessions of `surveys` whose status `keep` accepts, oldest first
    /// (the order of `Store::sessions`), at most `batch` at a time, each with its answers and
    /// page views (`RawBatch::parse` gives the records). Only the ids and start times of the sessions are sorted (by SQLite, which
    /// spills a large sort to disk); the records are read a batch at a time, so memory stays one
    /// batch's whatever the store's size. Call it inside `read_snapshot` for one state of the
    /// store.
    pub fn session_batches<E: From<StoreError>>(
        &self,
        surveys: &[i64],
        keep: impl Fn(Status) -> bool,
        batch: usize,
        mut each: impl FnMut(RawBatch) -> Result<(), E>,
    ) -> Result<BatchCount, E> {
        let batch = batch.max(1);
        let mut order = self
            .connection
            .prepare("SELECT rowid, survey, status FROM sessions ORDER BY started_at, rowid")
            .map_err(|e| self.error("reading its sessions", e))?;
        let mut rows = order
            .query([])
            .map_err(|e| self.error("reading its sessions", e))?;
        let mut count = BatchCount::default();
        let mut pending: Vec<i64> = Vec::with_capacity(batch);
        let mut sizes = [(0, 0); 4];
        loop {
            let row = rows
                .next()
                .map_err(|e| self.error("reading its sessions", e))?;
            if let Some(row) = row {
                let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, i64, String)> {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                };
                let (rowid, survey, status) =
                    read(row).map_err(|e| self.error("reading its sessions", e))?;
                if !surveys.contains(&survey) {
                    continue;
                }
                count.sessions += 1;
                let status = Status::from_str(&status).ok_or_else(|| StoreError::Damaged {
                    path: self.path.clone(),
                    what: format!("the status of session {rowid}"),
                })?;
                if keep(status) {
                    pending.push(rowid);
                }
                if pending.len() < batch {
                    continue;
                }
            }
            if !pending.is_empty() {
                count.kept += pending.len();
                each(self.session_data(&pending, &mut sizes)?)?;
                pending.clear();
            }
            if row.is_none() {
                return Ok(count);
            }
        }
    }

    /// The sessions with these row ids, in the order given, with their answers and views,
    /// read onto tapes.
    fn session_data(
        &self,
        rowids: &[i64],
        sizes: &mut [(usize, usize); 4],
    ) -> Result<RawBatch, StoreError> {
        let list = placeholders(rowids.len());
        let of_batch = format!("SELECT id FROM sessions WHERE rowid IN ({list})");
        let queries: [(&str, String, usize); 4] = [
            (
                "reading its sessions",
                format!(
                    "SELECT id, survey, participant, seed, layout, status, consent, position, started_at, updated_at, finished_at, language, rowid
                     FROM sessions WHERE rowid IN ({list})"
                ),
                13,
            ),
            (
                "reading session parameters",
                format!("SELECT session, name, value FROM session_params WHERE session IN ({of_batch})"),
                3,
            ),
            (
                "reading answers",
                format!(
                    "SELECT session, entry, value, first_answered_at, answered_at, changes FROM answers
                     WHERE session IN ({of_batch}) ORDER BY session, first_answered_at, entry"
                ),
                6,
            ),
            (
                "reading page views",
                format!(
                    "SELECT session, page, first_shown_at, last_shown_at, views FROM page_views
                     WHERE session IN ({of_batch}) ORDER BY session, page"
                ),
                5,
            ),
        ];
        let mut tapes = sizes.map(Tape::with_capacity);
        for ((action, sql, columns), tape) in queries.iter().zip(tapes.iter_mut()) {
            let mut statement = self
                .connection
                .prepare_cached(sql)
                .map_err(|e| self.error(action, e))?;
            let mut rows = statement
                .query(rusqlite::params_from_iter(rowids))
                .map_err(|e| self.error(action, e))?;
            while let Some(row) = rows.next().map_err(|e| self.error(action, e))? {
                tape.push(row, *columns)
                    .map_err(|e| self.error(action, e))?;
            }
        }
        for (size, tape) in sizes.iter_mut().zip(&tapes) {
            *size = tape.size();
        }
        let [sessions, params, answers, views] = tapes;
        Ok(RawBatch {
            path: self.path.clone(),
            rowids: rowids.to_vec(),
            sessions,
            params,
            answers,
            views,
        })
    }

    /// How many sessions each survey (by key) has; surveys without one are left out.
    pub fn session_counts(&self) -> Result<BTreeMap<i64, usize>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT survey, COUNT(*) FROM sessions GROUP BY survey")
            .map_err(|e| self.error("counting its sessions", e))?;
        statement
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)? as usize))
            })
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(|e| self.error("counting its sessions", e))
    }

    /// The names of the parameters recorded with the sessions of `surveys` whose status `keep`
    /// accepts: the wide export's parameter columns, known before its first row.
    pub fn param_names(
        &self,
        surveys: &[i64],
        keep: impl Fn(Status) -> bool,
    ) -> Result<BTreeSet<String>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT DISTINCT s.survey, s.status, p.name FROM session_params p
                 JOIN sessions s ON s.id = p.session",
            )
            .map_err(|e| self.error("reading session parameters", e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error("reading session parameters", e))?;
        Ok(rows
            .into_iter()
            .filter(|(survey, status, _)| {
                surveys.contains(survey) && Status::from_str(status).is_some_and(&keep)
            })
            .map(|(_, _, name)| name)
            .collect())
    }
}

//! Exporting a store: wide (one row per session, the layout `kith score` reads) or long (one row
//! per answer with its timestamps), as a typed table that the binary writes as CSV, JSON Lines
//! or Parquet. The table and its CSV and JSON Lines writers are in `export/table.rs`.

mod edges;
mod long;
mod page_times;
mod shown;
mod stream;
mod table;
mod wide;

pub use table::{Cell, ColumnType, CsvSink, JsonlSink, RowSink, Table};

use crate::store::{
    SessionData, SessionRecord, Status, Store, StoreError, SurveyColumns, SurveyRecord, parse_stamp,
};
use kith_instrument::flow::{Flow, FlowSource};
use std::collections::{BTreeSet, HashMap};

/// Why an export could not be made; `hint` says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the store `{path}` has no surveys yet")]
    Empty { path: String },
    #[error("the store `{path}` has no survey `{given}`")]
    UnknownSurvey {
        path: String,
        given: String,
        known: String,
    },
    #[error("the store `{path}` holds {what}, which export to different columns")]
    Ambiguous {
        path: String,
        what: String,
        known: String,
    },
    #[error("the export would have two columns named `{name}`")]
    ColumnClash { name: String },
    #[error("the survey has no network question `{given}`")]
    UnknownRelation { given: String, relations: String },
    #[error("the survey has no network questions, so there are no edges to export")]
    NoRelations,
    #[error("the export could not be written: {0}")]
    Write(std::io::Error),
}

impl ExportError {
    /// What to do about the error, when kith can say.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ExportError::Store(error) => return error.hint(),
            ExportError::Empty { path } => format!(
                "run a survey into it first: kith run SURVEY --store {path}; if this is a copy, the answers may still be in `{path}-wal`: copy the store with its `-wal` and `-shm` files, or make copies with `kith store backup`"
            ),
            ExportError::UnknownSurvey { known, .. } => format!("the store holds: {known}"),
            ExportError::Ambiguous { known, .. } => {
                format!("choose one with --survey; the store holds: {known}")
            }
            ExportError::ColumnClash { .. } => {
                "the long layout (--layout long) exports every answer under its own id".to_string()
            }
            ExportError::UnknownRelation { relations, .. } => {
                format!("its network questions are: {relations}")
            }
            ExportError::NoRelations => {
                "a network question is a block with `relation:` (docs/format.md); export answers with --layout wide or long".to_string()
            }
            ExportError::Write(_) => {
                "check that the output's folder is writable and its disk has room".to_string()
            }
        })
    }
}

/// The wide or the long layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Long,
    /// One row per tie named in a network question.
    Edges,
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest<'a> {
    /// A survey id or fingerprint; may be left out when the store holds one survey.
    pub survey: Option<&'a str>,
    pub layout: Layout,
    /// Include sessions that are not complete (in progress or declined).
    pub include_partial: bool,
    /// The edge layout's relation (all of them when `None`).
    pub relation: Option<&'a str>,
    /// Whether the edge layout gives the names written into name generators.
    pub names: bool,
}

/// The exported table and how many sessions were left out.
#[derive(Debug, Clone)]
pub struct Export {
    pub table: Table,
    pub sessions: usize,
    /// Sessions not exported because they are not complete (without --include-partial).
    pub partial_left_out: usize,
    /// Each exported survey's file as it was run and its fingerprint, so that the binary can
    /// label an SPSS or Stata export with the items' texts and scales.
    pub surveys: Vec<(String, String)>,
}

/// What a streamed export wrote: as `Export`, with the rows counted instead of kept.
#[derive(Debug, Clone)]
pub struct Summary {
    pub sessions: usize,
    pub rows: usize,
    pub partial_left_out: usize,
    pub surveys: Vec<(String, String)>,
}

fn describe_surveys(store: &Store, surveys: &[SurveyRecord]) -> Result<String, StoreError> {
    let counts = store.session_counts()?;
    Ok(surveys
        .iter()
        .map(|s| {
            let n = counts.get(&s.key).copied().unwrap_or(0);
            format!(
                "`{}` {} (fingerprint `{}`, {} session{})",
                s.survey_id,
                s.version,
                s.fingerprint,
                n,
                if n == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join("; "))
}

/// The survey records to export: all records of one id, or of one fingerprint, as long as they
/// share one fingerprint (and so one set of item columns).
pub fn select_surveys(
    store: &Store,
    survey: Option<&str>,
) -> Result<Vec<SurveyRecord>, ExportError> {
    let all = store.surveys()?;
    let path = store.path().to_string();
    if all.is_empty() {
        return Err(ExportError::Empty { path });
    }
    let chosen: Vec<SurveyRecord> = match survey {
        Some(given) => {
            let chosen: Vec<SurveyRecord> = all
                .iter()
                .filter(|s| s.survey_id == given || s.fingerprint == given)
                .cloned()
                .collect();
            if chosen.is_empty() {
                return Err(ExportError::UnknownSurvey {
                    path,
                    given: given.to_string(),
                    known: describe_surveys(store, &all)?,
                });
            }
            chosen
        }
        // Surveys registered without a session (a start refused after registering, a
        // changed survey never resumed) do not make the choice ambiguous.
        None => {
            let used = store.session_counts()?;
            let with_sessions: Vec<SurveyRecord> = all
                .iter()
                .filter(|s| used.contains_key(&s.key))
                .cloned()
                .collect();
            if with_sessions.is_empty() {
                all.clone()
            } else {
                with_sessions
            }
        }
    };
    let fingerprints: BTreeSet<&str> = chosen.iter().map(|s| s.fingerprint.as_str()).collect();
    if fingerprints.len() > 1 {
        let ids: BTreeSet<&str> = chosen.iter().map(|s| s.survey_id.as_str()).collect();
        let what = if ids.len() > 1 {
            format!("{} surveys", ids.len())
        } else {
            format!(
                "`{}` with {} different fingerprints",
                chosen[0].survey_id,
                fingerprints.len()
            )
        };
        return Err(ExportError::Ambiguous {
            path,
            what,
            known: describe_surveys(store, &chosen)?,
        });
    }
    Ok(chosen)
}

/// The order column of a block: `order_` and the block id with `-` as `_`.
pub fn order_column(block: &str) -> String {
    format!("order_{}", block.replace('-', "_"))
}

/// The session columns every wide export starts with.
pub const SESSION_COLUMNS: [&str; 11] = [
    "respondent_id",
    "participant_id",
    "status",
    "consent",
    "started_at",
    "finished_at",
    "duration_s",
    "survey_id",
    "survey_version",
    "fingerprint",
    "language",
];

/// Every wide column that does not come from a session parameter.
pub fn fixed_wide_columns(columns: &SurveyColumns) -> Vec<String> {
    let mut names: Vec<String> = SESSION_COLUMNS.iter().map(|s| s.to_string()).collect();
    for item in &columns.items {
        if item.kind == "multiple_choice" {
            names.extend(item.options.iter().map(|code| {
                format!(
                    "{}_{}",
                    item.id,
                    kith_instrument::codebook::option_suffix(*code)
                )
            }));
        } else {
            names.push(item.id.clone());
        }
    }
    for check in &columns.checks {
        names.push(check.id.clone());
        names.push(format!("{}_passed", check.id));
    }
    names.push("attention_failed".to_string());
    names.push("attention_unanswered".to_string());
    if has_logic(columns) {
        names.extend(LOGIC_COLUMNS.iter().map(|s| s.to_string()));
    }
    names.push("order_blocks".to_string());
    names.extend(columns.blocks.iter().map(|b| order_column(b)));
    names.extend(PAGE_COLUMNS.iter().map(|s| s.to_string()));
    names
}

/// The columns of page times: seconds on each page of the session's layout, and the questions
/// each page showed, as lists joined by `|`.
pub const PAGE_COLUMNS: [&str; 2] = ["page_seconds", "page_questions"];

/// The columns a survey with logic adds to the wide layout: the ids of the questions the logic
/// did not show (joined by `|`), and the item or block whose `end_if` screened the session out.
pub const LOGIC_COLUMNS: [&str; 2] = ["not_shown", "screened_out_by"];

/// Whether the survey has any condition, so its exports say what was not shown.
pub fn has_logic(columns: &SurveyColumns) -> bool {
    columns.logic != FlowSource::default()
}

pub(super) fn seconds_between(from: &str, to: &str) -> Cell {
    match (parse_stamp(from), parse_stamp(to)) {
        (Some(from), Some(to)) => Cell::Float((to - from).num_milliseconds() as f64 / 1000.0),
        _ => Cell::Empty,
    }
}

pub(super) fn text(value: &str) -> Cell {
    Cell::Text(value.to_string())
}

pub(super) fn optional_text(value: Option<&str>) -> Cell {
    value.map_or(Cell::Empty, text)
}

/// The language a session was taken in: its own choice, or its survey's language.
pub(super) fn session_language<'a>(
    session: &'a SessionRecord,
    survey: Option<&'a SurveyRecord>,
) -> Option<&'a str> {
    session
        .language
        .as_deref()
        .or(survey.map(|s| s.columns.language.as_str()))
        .filter(|l| !l.is_empty())
}

/// What every layout needs about the exported surveys: their records by key and their
/// conditions, parsed once.
pub(super) struct Context {
    surveys: HashMap<i64, SurveyRecord>,
    flows: HashMap<i64, Flow>,
}

impl Context {
    fn of(surveys: Vec<SurveyRecord>) -> Context {
        Context {
            flows: surveys
                .iter()
                .map(|survey| (survey.key, Flow::from_source(&survey.columns.logic)))
                .collect(),
            surveys: surveys.into_iter().map(|s| (s.key, s)).collect(),
        }
    }
}

/// A layout: its columns, then the rows of each session in turn.
pub(super) trait SessionRows {
    fn header(&self) -> Vec<(String, ColumnType)>;
    /// Appends the rows of one session to `rows`.
    fn session_rows(&self, data: &SessionData, rows: &mut Vec<Vec<Cell>>);
}

/// Exports the store as asked into a table held in memory (for the formats written whole,
/// and for tests); `export_to` streams instead.
pub fn export(store: &Store, request: &ExportRequest<'_>) -> Result<Export, ExportError> {
    let mut table = Table {
        columns: Vec::new(),
        rows: Vec::new(),
    };
    let summary = export_to(store, request, &mut table)?;
    Ok(Export {
        table,
        sessions: summary.sessions,
        partial_left_out: summary.partial_left_out,
        surveys: summary.surveys,
    })
}

/// Exports the store as asked into `sink`: the header, then the rows a batch of sessions at a
/// time (read on this thread, made on a second, `export/stream.rs`), so that memory stays a
/// few batches' however large the store. Everything is read in one
/// read transaction, so the export is the store at one point in time even while sessions go
/// on writing to it. An error found before the first row (an unknown survey, a clash of column
/// names) leaves the sink untouched; a damaged record found later stops the export there.
pub fn export_to(
    store: &Store,
    request: &ExportRequest<'_>,
    sink: &mut dyn RowSink,
) -> Result<Summary, ExportError> {
    store.read_snapshot(|store| export_now(store, request, sink))
}

fn export_now(
    store: &Store,
    request: &ExportRequest<'_>,
    sink: &mut dyn RowSink,
) -> Result<Summary, ExportError> {
    let surveys = select_surveys(store, request.survey)?;
    let Some((first, others)) = surveys.split_first() else {
        return Err(ExportError::Empty {
            path: store.path().to_string(),
        });
    };
    // Records of one fingerprint share their items; checks and blocks are joined in order.
    let mut columns = first.columns.clone();
    for survey in others {
        for relation in &survey.columns.relations {
            if !columns.relations.iter().any(|r| r.id == relation.id) {
                columns.relations.push(relation.clone());
            }
        }
    }
    for survey in others {
        for check in &survey.columns.checks {
            if !columns.checks.iter().any(|c| c.id == check.id) {
                columns.checks.push(check.clone());
            }
        }
        for block in &survey.columns.blocks {
            if !columns.blocks.contains(block) {
                columns.blocks.push(block.clone());
            }
        }
    }
    if !has_logic(&columns)
        && let Some(survey) = others.iter().find(|s| has_logic(&s.columns))
    {
        columns.logic = survey.columns.logic.clone();
    }
    let sources = surveys
        .iter()
        .map(|s| (s.source.clone(), s.fingerprint.clone()))
        .collect();
    let keys: Vec<i64> = surveys.iter().map(|s| s.key).collect();
    let include_partial = request.include_partial;
    let keep = |status: Status| include_partial || status == Status::Complete;
    let context = Context::of(surveys);
    let layout: Box<dyn SessionRows + Sync + '_> = match request.layout {
        Layout::Wide => Box::new(wide::Wide::new(
            &columns,
            &context,
            store.param_names(&keys, keep)?,
        )?),
        Layout::Long => Box::new(long::Long::new(&context)),
        Layout::Edges => Box::new(edges::Edges::new(
            &columns,
            &context,
            request.relation,
            request.names,
        )?),
    };
    sink.header(&layout.header()).map_err(ExportError::Write)?;
    let (count, written) = stream::stream(store, &keys, keep, layout.as_ref(), sink)?;
    sink.finish().map_err(ExportError::Write)?;
    Ok(Summary {
        sessions: count.kept,
        rows: written,
        partial_left_out: count.sessions - count.kept,
        surveys: sources,
    })
}

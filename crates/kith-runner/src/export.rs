//! Exporting a store: wide (one row per session, the layout `kith score` reads) or long (one row
//! per answer with its timestamps), as a typed table that the binary writes as CSV, JSON Lines
//! or Parquet. The table and its CSV and JSON Lines writers are in `export/table.rs`.

mod edges;
mod long;
mod page_times;
mod shown;
mod table;

pub use table::{Cell, ColumnType, Table};

use crate::answer::Answer;
use crate::store::{
    AnswerRecord, PageViewRecord, SessionRecord, Status, Store, StoreError, SurveyColumns,
    SurveyRecord, parse_stamp,
};
use kith_instrument::flow::{Flow, FlowSource};
use shown::Shown;
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

fn describe_surveys(store: &Store, surveys: &[SurveyRecord]) -> Result<String, StoreError> {
    let keys: Vec<i64> = surveys.iter().map(|s| s.key).collect();
    let sessions = store.sessions(&keys)?;
    Ok(surveys
        .iter()
        .map(|s| {
            let n = sessions.iter().filter(|x| x.survey == s.key).count();
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
            let keys: Vec<i64> = all.iter().map(|s| s.key).collect();
            let used: BTreeSet<i64> = store.sessions(&keys)?.iter().map(|s| s.survey).collect();
            let with_sessions: Vec<SurveyRecord> = all
                .iter()
                .filter(|s| used.contains(&s.key))
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

/// Everything the export needs about the chosen surveys' sessions.
pub(super) struct Gathered {
    sessions: Vec<SessionRecord>,
    answers: HashMap<String, Vec<AnswerRecord>>,
    views: HashMap<String, Vec<PageViewRecord>>,
    surveys: HashMap<i64, SurveyRecord>,
    partial_left_out: usize,
}

fn gather(
    store: &Store,
    surveys: Vec<SurveyRecord>,
    include_partial: bool,
) -> Result<Gathered, StoreError> {
    let keys: Vec<i64> = surveys.iter().map(|s| s.key).collect();
    let all = store.sessions(&keys)?;
    let total = all.len();
    let sessions: Vec<SessionRecord> = all
        .into_iter()
        .filter(|s| include_partial || s.status == Status::Complete)
        .collect();
    let mut answers = HashMap::new();
    let mut views = HashMap::new();
    for session in &sessions {
        answers.insert(session.id.clone(), store.answers(&session.id)?);
        views.insert(session.id.clone(), store.page_views(&session.id)?);
    }
    Ok(Gathered {
        partial_left_out: total - sessions.len(),
        sessions,
        answers,
        views,
        surveys: surveys.into_iter().map(|s| (s.key, s)).collect(),
    })
}

/// Exports the store as asked: everything is read in one read transaction, so the export is
/// the store at one point in time even while sessions go on writing to it.
pub fn export(store: &Store, request: &ExportRequest<'_>) -> Result<Export, ExportError> {
    store.read_snapshot(|store| export_now(store, request))
}

fn export_now(store: &Store, request: &ExportRequest<'_>) -> Result<Export, ExportError> {
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
    let gathered = gather(store, surveys, request.include_partial)?;
    let table = match request.layout {
        Layout::Wide => wide(&columns, &gathered)?,
        Layout::Long => long::long(&gathered),
        Layout::Edges => edges::edges(&columns, &gathered, request.relation, request.names)?,
    };
    Ok(Export {
        table,
        sessions: gathered.sessions.len(),
        partial_left_out: gathered.partial_left_out,
        surveys: sources,
    })
}

fn session_cells(session: &SessionRecord, survey: Option<&SurveyRecord>) -> Vec<Cell> {
    let end = session
        .finished_at
        .as_deref()
        .unwrap_or(&session.updated_at);
    vec![
        text(&session.id),
        optional_text(session.participant.as_deref()),
        text(session.status.as_str()),
        session.consent.map_or(Cell::Empty, |c| Cell::Int(c as i64)),
        text(&session.started_at),
        optional_text(session.finished_at.as_deref()),
        seconds_between(&session.started_at, end),
        optional_text(survey.map(|s| s.survey_id.as_str())),
        optional_text(survey.map(|s| s.version.as_str())),
        optional_text(survey.map(|s| s.fingerprint.as_str())),
        optional_text(session_language(session, survey)),
    ]
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

fn wide(columns: &SurveyColumns, gathered: &Gathered) -> Result<Table, ExportError> {
    let params: BTreeSet<&str> = gathered
        .sessions
        .iter()
        .flat_map(|s| s.params.keys().map(String::as_str))
        .collect();
    let fixed = fixed_wide_columns(columns);
    let mut seen = BTreeSet::new();
    if let Some(name) = fixed.iter().find(|name| !seen.insert(name.as_str())) {
        return Err(ExportError::ColumnClash {
            name: name.to_string(),
        });
    }
    if let Some(name) = params.iter().find(|p| fixed.iter().any(|f| f == *p)) {
        return Err(ExportError::ColumnClash {
            name: name.to_string(),
        });
    }
    let mut header: Vec<(String, ColumnType)> = SESSION_COLUMNS
        .iter()
        .map(|name| {
            let kind = match *name {
                "consent" => ColumnType::Int,
                "duration_s" => ColumnType::Float,
                _ => ColumnType::Text,
            };
            (name.to_string(), kind)
        })
        .collect();
    header.extend(params.iter().map(|p| (p.to_string(), ColumnType::Text)));
    for item in &columns.items {
        match item.kind.as_str() {
            "multiple_choice" => header.extend(item.options.iter().map(|code| {
                (
                    format!(
                        "{}_{}",
                        item.id,
                        kith_instrument::codebook::option_suffix(*code)
                    ),
                    ColumnType::Int,
                )
            })),
            "likert" | "single_choice" => header.push((item.id.clone(), ColumnType::Int)),
            "numeric" if item.integer => header.push((item.id.clone(), ColumnType::Int)),
            "numeric" => header.push((item.id.clone(), ColumnType::Float)),
            _ => header.push((item.id.clone(), ColumnType::Text)),
        }
    }
    for check in &columns.checks {
        header.push((check.id.clone(), ColumnType::Int));
        header.push((format!("{}_passed", check.id), ColumnType::Int));
    }
    header.push(("attention_failed".to_string(), ColumnType::Int));
    header.push(("attention_unanswered".to_string(), ColumnType::Int));
    let logic = has_logic(columns);
    if logic {
        header.extend(
            LOGIC_COLUMNS
                .iter()
                .map(|n| (n.to_string(), ColumnType::Text)),
        );
    }
    header.push(("order_blocks".to_string(), ColumnType::Text));
    let flows = flows(gathered);
    for block in &columns.blocks {
        header.push((order_column(block), ColumnType::Text));
    }
    header.extend(
        PAGE_COLUMNS
            .iter()
            .map(|n| (n.to_string(), ColumnType::Text)),
    );

    let mut rows = Vec::with_capacity(gathered.sessions.len());
    for session in &gathered.sessions {
        let records = &gathered.answers[&session.id];
        let views = &gathered.views[&session.id];
        let walked = Shown::of(session, &flows[&session.survey], records, views);
        // An answer left on a question the logic then hid is in the store's history (and the
        // long layout), never in the wide one: scoring treats it as missing.
        let hidden = walked.hidden();
        let values: HashMap<&str, &Answer> = records
            .iter()
            .filter(|a| !hidden.contains(a.entry.as_str()))
            .filter_map(|a| a.value.as_ref().map(|v| (a.entry.as_str(), v)))
            .collect();
        let mut row = session_cells(session, gathered.surveys.get(&session.survey));
        row.extend(
            params
                .iter()
                .map(|p| optional_text(session.params.get(*p).map(String::as_str))),
        );
        for item in &columns.items {
            let answer = values.get(item.id.as_str());
            if item.kind == "multiple_choice" {
                for code in &item.options {
                    row.push(match answer {
                        Some(Answer::Choices(chosen)) => Cell::Int(chosen.contains(code) as i64),
                        _ => Cell::Empty,
                    });
                }
                continue;
            }
            row.push(match answer {
                None => Cell::Empty,
                Some(Answer::Code(code)) => Cell::Int(*code),
                Some(Answer::Number(number)) if item.integer => Cell::Int(*number as i64),
                Some(Answer::Number(number)) => Cell::Float(*number),
                Some(other) => Cell::Text(other.to_cell()),
            });
        }
        // Three states per check: passed (1), failed (0), not answered (empty). A check left
        // unanswered on a page that was shown is not a passed one: `attention_failed` counts it
        // with the wrong answers, as careless-responding screens do, and
        // `attention_unanswered` says how many of those were skipped.
        let mut shown = shown_checks(session, views);
        shown.retain(|id| !hidden.contains(id));
        let (mut failed, mut unanswered) = (0, 0);
        for check in &columns.checks {
            match values.get(check.id.as_str()) {
                Some(Answer::Code(code)) => {
                    row.push(Cell::Int(*code));
                    let passed = *code == check.expect;
                    failed += (!passed) as i64;
                    row.push(Cell::Int(passed as i64));
                }
                Some(_) => {
                    // Not a code, so not the expected answer (checks have coded scales).
                    row.push(Cell::Empty);
                    row.push(Cell::Int(0));
                    failed += 1;
                }
                None => {
                    row.push(Cell::Empty);
                    row.push(Cell::Empty);
                    if shown.contains(check.id.as_str()) {
                        failed += 1;
                        unanswered += 1;
                    }
                }
            }
        }
        row.push(Cell::Int(failed));
        row.push(Cell::Int(unanswered));
        if logic {
            // The wide file's `not_shown` names its own columns; a network question's pages
            // are the edge list's.
            let not_shown: Vec<&str> = walked
                .not_shown
                .iter()
                .map(String::as_str)
                .filter(|id| {
                    columns.items.iter().any(|i| i.id == *id)
                        || columns.checks.iter().any(|c| c.id == *id)
                })
                .collect();
            row.push(if not_shown.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(not_shown.join("|"))
            });
            row.push(optional_text(walked.screened_out_by.as_deref()));
        }
        row.push(Cell::Text(session.layout.blocks.join("|")));
        for block in &columns.blocks {
            let sequence: Vec<&str> = session
                .layout
                .block_sequence(block)
                .iter()
                .map(|entry| entry.id.as_str())
                .collect();
            row.push(if sequence.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(sequence.join("|"))
            });
        }
        row.extend(page_times::page_cells(session, views, &hidden));
        rows.push(row);
    }
    Ok(Table {
        columns: header,
        rows,
    })
}

/// The survey's conditions, parsed once per survey of the export.
pub(super) fn flows(gathered: &Gathered) -> HashMap<i64, Flow> {
    gathered
        .surveys
        .iter()
        .map(|(key, survey)| (*key, Flow::from_source(&survey.columns.logic)))
        .collect()
}

/// The attention checks a session was shown: those on pages it has a view of.
fn shown_checks<'a>(session: &'a SessionRecord, views: &[PageViewRecord]) -> BTreeSet<&'a str> {
    let viewed: BTreeSet<usize> = views.iter().map(|v| v.page).collect();
    session
        .layout
        .pages
        .iter()
        .enumerate()
        .filter(|(index, _)| viewed.contains(index))
        .flat_map(|(_, page)| page.entries.iter())
        .filter(|entry| entry.check)
        .map(|entry| entry.id.as_str())
        .collect()
}

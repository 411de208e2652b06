//! The wide layout: one row per session, its items as columns (the layout `kith score` reads),
//! with its attention checks scored, the questions the logic did not show, the order it saw
//! and its page times.

use super::shown::Shown;
use super::{
    Context, ExportError, LOGIC_COLUMNS, PAGE_COLUMNS, SESSION_COLUMNS, SessionRows,
    fixed_wide_columns, has_logic, optional_text, order_column, page_times, seconds_between, text,
};
use crate::answer::Answer;
use crate::export::{Cell, ColumnType};
use crate::store::{PageViewRecord, SessionData, SessionRecord, SurveyColumns, SurveyRecord};
use std::collections::{BTreeSet, HashMap};

/// The wide layout of one export: its columns, known before the first session.
pub(super) struct Wide<'a> {
    columns: &'a SurveyColumns,
    context: &'a Context,
    params: BTreeSet<String>,
    logic: bool,
}

impl<'a> Wide<'a> {
    /// The layout for these columns and session parameters, or the column name that would be
    /// given twice.
    pub fn new(
        columns: &'a SurveyColumns,
        context: &'a Context,
        params: BTreeSet<String>,
    ) -> Result<Wide<'a>, ExportError> {
        let fixed = fixed_wide_columns(columns);
        let mut seen = BTreeSet::new();
        if let Some(name) = fixed.iter().find(|name| !seen.insert(name.as_str())) {
            return Err(ExportError::ColumnClash {
                name: name.to_string(),
            });
        }
        if let Some(name) = params.iter().find(|p| fixed.contains(p)) {
            return Err(ExportError::ColumnClash {
                name: name.to_string(),
            });
        }
        Ok(Wide {
            columns,
            context,
            params,
            logic: has_logic(columns),
        })
    }
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
        optional_text(super::session_language(session, survey)),
    ]
}

impl SessionRows for Wide<'_> {
    fn header(&self) -> Vec<(String, ColumnType)> {
        let columns = self.columns;
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
        header.extend(self.params.iter().map(|p| (p.clone(), ColumnType::Text)));
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
        if self.logic {
            header.extend(
                LOGIC_COLUMNS
                    .iter()
                    .map(|n| (n.to_string(), ColumnType::Text)),
            );
        }
        header.push(("order_blocks".to_string(), ColumnType::Text));
        for block in &columns.blocks {
            header.push((order_column(block), ColumnType::Text));
        }
        header.extend(
            PAGE_COLUMNS
                .iter()
                .map(|n| (n.to_string(), ColumnType::Text)),
        );
        header
    }

    fn session_rows(&self, data: &SessionData, rows: &mut Vec<Vec<Cell>>) {
        let columns = self.columns;
        let (session, records, views) = (&data.session, &data.answers, &data.views);
        let walked = Shown::of(
            session,
            &self.context.flows[&session.survey],
            records,
            views,
        );
        // An answer left on a question the logic then hid is in the store's history (and the
        // long layout), never in the wide one: scoring treats it as missing.
        let hidden = walked.hidden();
        let values: HashMap<&str, &Answer> = records
            .iter()
            .filter(|a| !hidden.contains(a.entry.as_str()))
            .filter_map(|a| a.value.as_ref().map(|v| (a.entry.as_str(), v)))
            .collect();
        let mut row = session_cells(session, self.context.surveys.get(&session.survey));
        row.extend(
            self.params
                .iter()
                .map(|p| optional_text(session.params.get(p).map(String::as_str))),
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
        if self.logic {
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

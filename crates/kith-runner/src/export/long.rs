//! The long layout: one row per question and session, with its state (answered, not shown by
//! the logic, shown but not answered), its value and its timestamps.

use super::shown::Shown;
use super::{Context, SessionRows, optional_text, seconds_between, text};
use crate::engine::people::{FOLLOW_UPS, follow_up_entry, split_follow_up_id};
use crate::export::{Cell, ColumnType};
use crate::store::{AnswerRecord, PageViewRecord, SessionData};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The long layout of one export.
pub(super) struct Long<'a> {
    context: &'a Context,
    /// The ids of the network questions, whose rows have kind `relation`.
    relations: HashSet<&'a str>,
}

impl<'a> Long<'a> {
    pub fn new(context: &'a Context) -> Long<'a> {
        Long {
            context,
            relations: context
                .surveys
                .values()
                .flat_map(|s| s.columns.relations.iter().map(|r| r.id.as_str()))
                .collect(),
        }
    }
}

impl SessionRows for Long<'_> {
    fn header(&self) -> Vec<(String, ColumnType)> {
        [
            ("respondent_id", ColumnType::Text),
            ("participant_id", ColumnType::Text),
            ("status", ColumnType::Text),
            ("survey_id", ColumnType::Text),
            ("fingerprint", ColumnType::Text),
            ("language", ColumnType::Text),
            ("block", ColumnType::Text),
            ("page", ColumnType::Int),
            ("position", ColumnType::Int),
            ("entry", ColumnType::Text),
            ("kind", ColumnType::Text),
            ("state", ColumnType::Text),
            ("value", ColumnType::Text),
            ("shown_at", ColumnType::Text),
            ("first_answered_at", ColumnType::Text),
            ("answered_at", ColumnType::Text),
            ("response_time_s", ColumnType::Float),
            ("changes", ColumnType::Int),
        ]
        .iter()
        .map(|(name, kind)| (name.to_string(), *kind))
        .collect()
    }

    fn session_rows(&self, data: &SessionData, rows: &mut Vec<Vec<Cell>>) {
        let session = &data.session;
        let survey = self.context.surveys.get(&session.survey);
        let views: BTreeMap<usize, &PageViewRecord> =
            data.views.iter().map(|v| (v.page, v)).collect();
        // Where each entry was shown: page, block and position within its block.
        let mut place: HashMap<&str, (usize, &str, usize, bool)> = HashMap::new();
        let mut in_block: HashMap<&str, usize> = HashMap::new();
        for (page_index, page) in session.layout.pages.iter().enumerate() {
            for entry in &page.entries {
                let position = in_block.entry(page.block.as_str()).or_insert(0);
                *position += 1;
                place.insert(
                    entry.id.as_str(),
                    (page_index, page.block.as_str(), *position, entry.check),
                );
            }
        }
        let records = &data.answers;
        // A follow-up about one person is shown where its relation's follow-up page is.
        for record in records {
            if let Some((relation, _, _)) = split_follow_up_id(&record.entry)
                && let Some(page) = place.get(follow_up_entry(relation).as_str()).copied()
            {
                place.insert(record.entry.as_str(), page);
            }
        }
        let flow = &self.context.flows[&session.survey];
        let walked = Shown::of(session, flow, records, &data.views);
        let hidden = walked.hidden();
        let answered: HashMap<&str, &AnswerRecord> =
            records.iter().map(|a| (a.entry.as_str(), a)).collect();
        // Every answer the store holds, and every question of the layout the session reached
        // without one: hidden by the logic (`not_shown`) or shown and left (`unanswered`).
        let mut entries: Vec<&str> = records.iter().map(|a| a.entry.as_str()).collect();
        for (index, page) in session.layout.pages.iter().enumerate() {
            // A follow-up page is its questions, one per person chosen: those answered are
            // listed above.
            for entry in page.entries.iter().filter(|e| !e.id.ends_with(FOLLOW_UPS)) {
                let id = entry.id.as_str();
                let reached = views.contains_key(&index) || hidden.contains(id);
                if reached && !answered.contains_key(id) {
                    entries.push(id);
                }
            }
        }
        entries.sort_by_key(|id| {
            place
                .get(id)
                .map_or((usize::MAX, usize::MAX), |p| (p.0, p.2))
        });
        for id in entries {
            let answer = answered.get(id).copied();
            let where_shown = place.get(id);
            let shown_at = where_shown
                .and_then(|p| views.get(&p.0))
                .map(|v| v.first_shown_at.as_str());
            let not_shown = hidden.contains(id);
            let value = answer.and_then(|a| a.value.as_ref()).filter(|_| !not_shown);
            let state = match (not_shown, value) {
                (true, _) => "not_shown",
                (false, Some(_)) => "answered",
                (false, None) => "unanswered",
            };
            rows.push(vec![
                text(&session.id),
                optional_text(session.participant.as_deref()),
                text(session.status.as_str()),
                optional_text(survey.map(|s| s.survey_id.as_str())),
                optional_text(survey.map(|s| s.fingerprint.as_str())),
                optional_text(super::session_language(session, survey)),
                optional_text(where_shown.map(|p| p.1)),
                where_shown.map_or(Cell::Empty, |p| Cell::Int(p.0 as i64 + 1)),
                where_shown.map_or(Cell::Empty, |p| Cell::Int(p.2 as i64)),
                text(id),
                text(match where_shown {
                    Some(p) if p.3 => "attention_check",
                    _ if id.contains('/') => "follow_up",
                    _ if self.relations.contains(id) => "relation",
                    _ => "item",
                }),
                text(state),
                value.map_or(Cell::Empty, |v| Cell::Text(v.to_cell())),
                optional_text(shown_at.filter(|_| !not_shown)),
                optional_text(answer.map(|a| a.first_answered_at.as_str())),
                optional_text(answer.map(|a| a.answered_at.as_str())),
                match (shown_at, answer) {
                    (Some(shown), Some(answer)) if !not_shown => {
                        seconds_between(shown, &answer.first_answered_at)
                    }
                    _ => Cell::Empty,
                },
                answer.map_or(Cell::Empty, |a| Cell::Int(a.changes)),
            ]);
        }
    }
}

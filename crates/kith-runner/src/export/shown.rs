//! What the logic showed each exported session: the session's answers and parameters are
//! walked through its own layout with the survey's conditions (as the store keeps them), the
//! same walk the engine took, so the export says "not shown" exactly where the participant
//! was not shown a question.

use crate::answer::Answer;
use crate::engine::{entries_where, logic_walk};
use crate::store::{AnswerRecord, PageViewRecord, SessionRecord, Status};
use kith_instrument::flow::{EndedBy, Flow};
use std::collections::{BTreeMap, HashSet};

/// The questions of one session that the logic did not show, and the screen-out that ended it.
#[derive(Debug, Default)]
pub(super) struct Shown {
    /// Ids of the items and checks not shown, in the session's displayed order.
    pub not_shown: Vec<String>,
    pub screened_out_by: Option<String>,
}

impl Shown {
    /// The walk of one session. Pages it has not reached yet (in progress) or never reached
    /// (declined) are left out: the logic did not hide them, the participant did not get there.
    pub fn of(
        session: &SessionRecord,
        flow: &Flow,
        answers: &[AnswerRecord],
        views: &[PageViewRecord],
    ) -> Shown {
        if flow.is_empty() || session.status == Status::Declined {
            return Shown::default();
        }
        let values: BTreeMap<String, Answer> = answers
            .iter()
            .filter_map(|a| a.value.clone().map(|v| (a.entry.clone(), v)))
            .collect();
        let walk = logic_walk(flow, &session.layout, &values, &session.params);
        let reached = match session.status {
            Status::InProgress => views.iter().map(|v| v.page + 1).max().unwrap_or(0),
            _ => session.layout.pages.len(),
        };
        let not_shown = entries_where(&session.layout, &walk, false, reached)
            .map(str::to_string)
            .collect();
        let screened_out_by = match (session.status, walk.ended) {
            (Status::ScreenedOut, Some((_, EndedBy::Item(id) | EndedBy::Block(id)))) => Some(id),
            _ => None,
        };
        Shown {
            not_shown,
            screened_out_by,
        }
    }

    /// The ids not shown, as a set for lookups.
    pub fn hidden(&self) -> HashSet<&str> {
        self.not_shown.iter().map(String::as_str).collect()
    }
}

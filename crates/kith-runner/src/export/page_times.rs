//! The time a session spent on each page of its layout and how many questions each page
//! showed it: the wide export's `page_seconds` and `page_questions`, from which a screening
//! computes seconds per item page by page (Huang et al., 2012).

use super::{Cell, seconds_between};
use crate::store::{PageViewRecord, SessionRecord};
use std::collections::{BTreeMap, HashSet};

/// The two cells, each a list over the layout's pages joined by `|`. A page's time runs from
/// when it was first shown to when the next page the session saw was first shown (for the last
/// page, to the end of the session); a page never shown, or the last one of an unfinished
/// session, has an empty time. A question the logic hid is not counted on its page.
pub(super) fn page_cells(
    session: &SessionRecord,
    views: &[PageViewRecord],
    hidden: &HashSet<&str>,
) -> [Cell; 2] {
    let shown: BTreeMap<usize, &str> = views
        .iter()
        .map(|v| (v.page, v.first_shown_at.as_str()))
        .collect();
    let mut seconds = Vec::with_capacity(session.layout.pages.len());
    let mut questions = Vec::with_capacity(session.layout.pages.len());
    for (index, page) in session.layout.pages.iter().enumerate() {
        let end = shown
            .range(index + 1..)
            .next()
            .map(|(_, at)| *at)
            .or(session.finished_at.as_deref());
        let time = match (shown.get(&index), end) {
            (Some(start), Some(end)) => match seconds_between(start, end) {
                Cell::Float(s) if s >= 0.0 => s.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        seconds.push(time);
        let count = page
            .entries
            .iter()
            .filter(|e| !hidden.contains(e.id.as_str()))
            .count();
        questions.push(count.to_string());
    }
    let joined = |parts: Vec<String>| {
        if parts.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(parts.join("|"))
        }
    };
    [joined(seconds), joined(questions)]
}

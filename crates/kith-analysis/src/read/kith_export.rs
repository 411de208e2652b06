//! What a kith export (or simulated data) says beside the answers: a session's `status`, and
//! which questions the survey's logic did not show (`not_shown`). Sessions that did not
//! complete are left out as Qualtrics' unfinished rows are; questions not shown are missing
//! answers like unanswered ones, but counted apart so the user hears how many of each.

use super::DroppedRows;
use super::frame::column_text;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The statuses kith writes; a `status` column with any other value is the user's own and
/// left alone.
const STATUSES: [&str; 4] = ["complete", "in_progress", "declined", "screened_out"];

/// Which rows to keep: declined and screened-out sessions never, sessions in progress only
/// with `include_partial`.
pub(super) fn kith_status_mask(
    frame: &DataFrame,
    include_partial: bool,
) -> PolarsResult<(Vec<bool>, DroppedRows)> {
    let mut keep = vec![true; frame.height()];
    let mut dropped = DroppedRows::default();
    let Ok(column) = frame.column("status") else {
        return Ok((keep, dropped));
    };
    let cells = column_text(column)?;
    let ours = cells.iter().all(|cell| {
        cell.as_deref()
            .map(str::trim)
            .is_none_or(|c| c.is_empty() || STATUSES.contains(&c))
    });
    if !ours {
        return Ok((keep, dropped));
    }
    for (row, cell) in cells.iter().enumerate() {
        let count = match cell.as_deref().map(str::trim) {
            Some("declined") => &mut dropped.declined,
            Some("screened_out") => &mut dropped.screened_out,
            Some("in_progress") if !include_partial => &mut dropped.unfinished,
            _ => continue,
        };
        *count += 1;
        keep[row] = false;
    }
    Ok((keep, dropped))
}

/// How many kept rows did not show each question, from the `not_shown` column (ids joined
/// by `|`); `None` when the file has no such column.
pub(super) fn not_shown_counts(frame: &DataFrame) -> PolarsResult<Option<BTreeMap<String, usize>>> {
    let Ok(column) = frame.column("not_shown") else {
        return Ok(None);
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for cell in column_text(column)?.into_iter().flatten() {
        for id in cell.split('|').map(str::trim).filter(|id| !id.is_empty()) {
            *counts.entry(id.to_string()).or_default() += 1;
        }
    }
    Ok(Some(counts))
}

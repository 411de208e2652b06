//! Reading one response file with its survey, and what the reading has to tell the user:
//! shared by the study pipeline and by the commands that score a single file.

use super::Notice;
use crate::problem::DataErrors;
use crate::read::{ReadOptions, ResponseTable, read_responses};
use crate::score::unanswered_items;
use kith_instrument::form::Form;

/// A response file read with its survey: the table or every problem, and the notices.
#[derive(Debug)]
pub struct ResponseRead {
    pub table: Result<ResponseTable, DataErrors>,
    /// Dropped rows, missing answers told apart, and unanswered items, in that order.
    pub notices: Vec<Notice>,
}

/// Reads a response file for a form, noting the rows a Qualtrics export left out and the
/// scored items nobody answered.
pub fn read_with_notices(
    name: &str,
    bytes: Vec<u8>,
    form: &Form,
    options: &ReadOptions,
) -> ResponseRead {
    let mut notices = Vec::new();
    let table = read_responses(name, bytes, form, options);
    if let Ok(table) = &table {
        if table.dropped.total() > 0 {
            notices.push(Notice::Dropped {
                file: name.to_string(),
                kept: table.height(),
                dropped: table.dropped,
            });
        }
        if let Some(not_shown) = &table.not_shown {
            let (mut hidden, mut unanswered) = (0, 0);
            for (id, values) in &table.items {
                let missing = (0..values.len())
                    .filter(|&r| values.get(r).is_none())
                    .count();
                let not = not_shown.get(id).copied().unwrap_or(0).min(missing);
                hidden += not;
                unanswered += missing - not;
            }
            notices.push(Notice::Missing {
                file: name.to_string(),
                not_shown: hidden,
                unanswered,
            });
        }
        if let Some(labelled) = &table.labelled
            && labelled.user_missing_total() > 0
        {
            notices.push(Notice::UserMissing {
                file: name.to_string(),
                format: labelled.format.clone(),
                columns: labelled.user_missing.clone(),
            });
        }
        for item in unanswered_items(table, form) {
            notices.push(Notice::Unanswered {
                file: name.to_string(),
                item,
            });
        }
    }
    ResponseRead { table, notices }
}

//! What the codebook says about survey logic: for each column, when it is shown, whether it
//! can end the session and what its answer must meet; and, for a survey with logic, how an
//! export tells a question not shown from one left unanswered.

use crate::form::{Form, FormBlock};

/// The logic of one item or check, in sentences for the codebook's readers.
pub(super) fn column_logic(block: &FormBlock, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(show_if) = &block.show_if {
        out.push(format!(
            "shown only when `{show_if}` (its block's condition)"
        ));
    }
    if let Some(item) = block.items.iter().find(|i| i.item.id == id) {
        let item = &item.item;
        if let Some(show_if) = &item.show_if {
            out.push(format!("shown only when `{show_if}`"));
        }
        if let Some(end_if) = &item.end_if {
            out.push(format!(
                "ends the session (status `screened_out`) when `{}`",
                end_if.condition
            ));
        }
        if let Some(constraint) = &item.constraint {
            out.push(format!(
                "the answer must meet `{}` (tested when the item and the items it names are answered)",
                constraint.condition
            ));
        }
    }
    if let Some(check) = block.attention_checks.iter().find(|c| c.check.id == id)
        && let Some(show_if) = &check.check.show_if
    {
        out.push(format!("shown only when `{show_if}`"));
    }
    out
}

/// The note on missing answers of a survey with logic, or `None` when it has none.
pub fn missing_note(form: &Form) -> Option<String> {
    let has_logic = form.blocks.iter().any(|b| {
        b.show_if.is_some()
            || b.end_if.is_some()
            || b.items.iter().any(|i| {
                i.item.show_if.is_some() || i.item.end_if.is_some() || i.item.constraint.is_some()
            })
            || b.attention_checks.iter().any(|c| c.check.show_if.is_some())
    });
    let ends: Vec<String> = form
        .blocks
        .iter()
        .filter_map(|b| {
            b.end_if
                .as_ref()
                .map(|e| format!("block `{}`: `{}`", b.id, e.condition))
        })
        .chain(form.items().filter_map(|i| {
            i.item
                .end_if
                .as_ref()
                .map(|e| format!("`{}`: `{}`", i.item.id, e.condition))
        }))
        .collect();
    has_logic.then(|| {
        let mut note = "This survey has logic, so an empty answer cell means one of two things. \
             *Not shown*: the survey's conditions did not show the question; kith's export lists \
             it in the session's `not_shown` column (ids separated by `|`), and the long export \
             gives it the state `not_shown`. *Unanswered*: the question was shown and left \
             empty (state `unanswered`). Scores and models treat both as missing; `kith score` \
             and `kith analyze` say how many of each."
            .to_string();
        if !ends.is_empty() {
            note.push_str(&format!(
                " Screen-outs end a session with status `screened_out` and name their item or \
                 block in `screened_out_by`; such sessions are left out of scores and models. \
                 They are: {}.",
                ends.join("; ")
            ));
        }
        note
    })
}

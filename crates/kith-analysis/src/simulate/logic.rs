//! Simulated respondents follow the survey's logic as participants do: what its conditions hide
//! is missing, a screen-out (`end_if`) ends the respondent's answers where it holds, and an
//! answer that breaks its constraint is left unanswered (a participant who cannot meet it
//! leaves the question empty). The decisions are those of `kith_instrument::flow`, the walk the
//! runner takes, so simulated data have the missing pattern of real exports, with the same
//! `status`, `not_shown` and `screened_out_by` columns. Two differences, both documented in
//! docs/simulate.md: respondents have no session parameters (`param.*` is missing), and pages
//! are in the file's order (a screen-out inside a block that shuffles its items across pages
//! ends where the file's order puts it).

use super::SimulatedData;
use kith_instrument::codebook::option_suffix;
use kith_instrument::flow::{EndedBy, Flow, PageRef};
use kith_instrument::form::Form;
use kith_instrument::logic::{Answer, Answers};
use kith_instrument::model::ResponseScale;
use std::collections::{HashMap, HashSet};

/// One respondent's answers, read from the simulated columns, less those left empty for
/// breaking a constraint.
struct Row<'a> {
    form: &'a Form,
    columns: &'a HashMap<&'a str, &'a [f64]>,
    row: usize,
    blanked: &'a HashSet<String>,
}

impl Answers for Row<'_> {
    fn answer(&self, item: &str) -> Option<Answer> {
        if self.blanked.contains(item) {
            return None;
        }
        let value = |name: &str| {
            self.columns
                .get(name)
                .map(|c| c[self.row])
                .filter(|v| !v.is_nan())
        };
        match self.form.item(item).map(|i| &i.response) {
            Some(ResponseScale::MultipleChoice { options }) => {
                let mut chosen = Vec::new();
                let mut any = false;
                for option in options {
                    if let Some(v) = value(&format!("{item}_{}", option_suffix(option.value))) {
                        any = true;
                        if v == 1.0 {
                            chosen.push(option.value as f64);
                        }
                    }
                }
                any.then_some(Answer::Choices(chosen))
            }
            _ => value(item).map(Answer::Number),
        }
    }

    fn parameter(&self, _: &str) -> Option<String> {
        None
    }
}

/// The pages of a form in file order: each block cut by `items_per_page`, its attention checks
/// after their number of items, as the runner lays them out when nothing is shuffled.
fn pages(form: &Form) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    for block in &form.blocks {
        let per_page = block
            .items_per_page
            .filter(|&n| n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let items: Vec<&str> = block.items.iter().map(|i| i.item.id.as_str()).collect();
        let mut page: Vec<String> = Vec::new();
        for (shown, id) in items.iter().enumerate() {
            // A check after `shown` items ends the page of its item, as the runner places it.
            for check in &block.attention_checks {
                let after = check.check.after.map_or(items.len() / 2, |n| n as usize);
                if after.min(items.len()) == shown {
                    page.push(check.check.id.clone());
                }
            }
            if shown > 0 && shown % per_page == 0 {
                pages.push((block.id.clone(), std::mem::take(&mut page)));
            }
            page.push(id.to_string());
        }
        for check in &block.attention_checks {
            let after = check.check.after.map_or(items.len() / 2, |n| n as usize);
            if after.min(items.len()) == items.len() {
                page.push(check.check.id.clone());
            }
        }
        if !page.is_empty() {
            pages.push((block.id.clone(), page));
        }
    }
    pages
}

/// The columns an item or check fills: its own, or one per option.
fn columns_of(form: &Form, id: &str) -> Vec<String> {
    match form.item(id).map(|i| &i.response) {
        Some(ResponseScale::MultipleChoice { options }) => options
            .iter()
            .map(|o| format!("{id}_{}", option_suffix(o.value)))
            .collect(),
        _ => vec![id.to_string()],
    }
}

/// Applies the form's logic to simulated data, adding the export's logic columns when the
/// form has conditions.
pub(super) fn apply_logic(form: &Form, data: &mut SimulatedData) {
    let flow = Flow::new(form);
    if flow.is_empty() {
        return;
    }
    let pages = pages(form);
    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|(_, entries)| entries.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<PageRef<'_>> = pages
        .iter()
        .zip(&ids)
        .map(|((block, _), entries)| PageRef { block, entries })
        .collect();
    let n = data.ids.len();
    let mut status = Vec::with_capacity(n);
    let mut not_shown = Vec::with_capacity(n);
    let mut screened_out_by = Vec::with_capacity(n);
    let mut blank: Vec<(usize, String)> = Vec::new();
    {
        let columns: HashMap<&str, &[f64]> = data
            .columns
            .iter()
            .map(|(name, values)| (name.as_str(), values.as_slice()))
            .collect();
        for row in 0..n {
            // An answer that breaks its constraint is left empty, and the walk taken again
            // without it (a condition may read it), until no shown answer breaks one; each
            // pass leaves one more item empty, so this ends.
            let mut blanked: HashSet<String> = HashSet::new();
            let (walk, shown) = loop {
                let answers = Row {
                    form,
                    columns: &columns,
                    row,
                    blanked: &blanked,
                };
                let walk = flow.walk(&refs, &answers);
                let shown: HashSet<&str> = ids
                    .iter()
                    .zip(&walk.shown)
                    .flat_map(|(page, visible)| {
                        page.iter()
                            .zip(visible)
                            .filter(|(_, v)| **v)
                            .map(|(id, _)| *id)
                    })
                    .collect();
                let broken: Vec<String> = shown
                    .iter()
                    .filter(|id| flow.breaks_constraint(id, &answers, &shown))
                    .map(|id| id.to_string())
                    .collect();
                if broken.is_empty() {
                    break (walk, shown);
                }
                blanked.extend(broken);
            };
            let hidden: Vec<String> = ids
                .iter()
                .flatten()
                .filter(|id| !shown.contains(**id))
                .map(|id| id.to_string())
                .collect();
            for id in hidden.iter().chain(&blanked) {
                blank.extend(columns_of(form, id).into_iter().map(|c| (row, c)));
            }
            status.push(if walk.ended.is_some() {
                "screened_out"
            } else {
                "complete"
            });
            screened_out_by.push(walk.ended.map(|(_, by)| match by {
                EndedBy::Item(id) | EndedBy::Block(id) => id,
            }));
            not_shown.push((!hidden.is_empty()).then(|| hidden.join("|")));
        }
    }
    let index: HashMap<String, usize> = data
        .columns
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.clone(), i))
        .collect();
    for (row, column) in blank {
        if let Some(&i) = index.get(&column) {
            data.columns[i].1[row] = f64::NAN;
        }
    }
    data.texts = vec![
        (
            "status".to_string(),
            status.into_iter().map(|s| Some(s.to_string())).collect(),
        ),
        ("not_shown".to_string(), not_shown),
        ("screened_out_by".to_string(), screened_out_by),
    ];
}

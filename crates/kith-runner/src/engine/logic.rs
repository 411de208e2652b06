//! The engine's side of survey logic: the session's answers and parameters as conditions see
//! them, the walk over its layout, piped texts and broken constraints. The rules themselves
//! are `kith_instrument::flow`, shared with the export and the simulator.

use super::{Layout, Session};
use crate::answer::{Answer, option_label_in};
use kith_instrument::flow::{Flow, PageRef, Walk};
use kith_instrument::form::translated;
use kith_instrument::logic::piping::{fill, parse_template};
use kith_instrument::logic::{self, Answers};
use kith_instrument::model::ResponseScale;
use std::collections::{BTreeMap, HashSet};

/// A session's answers and parameters, as conditions read them.
pub struct SessionAnswers<'a> {
    pub answers: &'a BTreeMap<String, Answer>,
    pub params: &'a BTreeMap<String, String>,
}

impl Answers for SessionAnswers<'_> {
    fn answer(&self, item: &str) -> Option<logic::Answer> {
        Some(match self.answers.get(item)? {
            Answer::Code(code) => logic::Answer::Number(*code as f64),
            Answer::Number(number) => logic::Answer::Number(*number),
            Answer::Text(text) => logic::Answer::Text(text.clone()),
            Answer::Choices(codes) => {
                logic::Answer::Choices(codes.iter().map(|&c| c as f64).collect())
            }
            // Conditions cannot name a relation (the check refuses it), so its people never
            // reach one.
            Answer::People(_) => return None,
        })
    }

    fn parameter(&self, name: &str) -> Option<String> {
        self.params.get(name).cloned()
    }
}

/// The walk of a layout with these answers.
pub fn walk(
    flow: &Flow,
    layout: &Layout,
    answers: &BTreeMap<String, Answer>,
    params: &BTreeMap<String, String>,
) -> Walk {
    let ids: Vec<Vec<&str>> = layout
        .pages
        .iter()
        .map(|page| page.entries.iter().map(|e| e.id.as_str()).collect())
        .collect();
    let pages: Vec<PageRef<'_>> = layout
        .pages
        .iter()
        .zip(&ids)
        .map(|(page, entries)| PageRef {
            block: &page.block,
            entries,
        })
        .collect();
    let mut walk = flow.walk(&pages, &SessionAnswers { answers, params });
    // A relation's follow-up page is shown only when someone was chosen on the page before.
    for (page, shown) in layout.pages.iter().zip(walk.shown.iter_mut()) {
        for (entry, shown) in page.entries.iter().zip(shown.iter_mut()) {
            if let Some(relation) = entry.id.strip_suffix(super::people::FOLLOW_UPS) {
                *shown = *shown && !super::people::chosen(answers, relation).is_empty();
            }
        }
    }
    walk
}

/// The ids of the entries on the first `pages` pages of the layout that the walk shows (or,
/// with `shown` false, hides), in the displayed order.
pub(crate) fn entries_where<'l>(
    layout: &'l Layout,
    walk: &'l Walk,
    shown: bool,
    pages: usize,
) -> impl Iterator<Item = &'l str> {
    layout
        .pages
        .iter()
        .zip(&walk.shown)
        .take(pages)
        .flat_map(move |(page, visible)| {
            page.entries
                .iter()
                .zip(visible)
                .filter(move |(_, v)| **v == shown)
                .map(|(e, _)| e.id.as_str())
        })
}

/// The ids of the questions a walk shows.
fn shown_ids<'l>(layout: &'l Layout, walk: &'l Walk) -> HashSet<&'l str> {
    entries_where(layout, walk, true, layout.pages.len()).collect()
}

/// An answer as a piped text shows it: the label of a coded answer, the number, the text, or
/// the labels of the options chosen.
fn shown_answer(answer: &Answer, scale: &ResponseScale, language: &str) -> String {
    let label = |code: &i64| {
        option_label_in(scale, *code, language).map_or_else(|| code.to_string(), str::to_string)
    };
    match answer {
        Answer::Code(code) => label(code),
        Answer::Number(number) => number.to_string(),
        Answer::Text(text) => text.clone(),
        Answer::Choices(codes) => codes.iter().map(label).collect::<Vec<_>>().join(", "),
        Answer::People(people) => people.len().to_string(),
    }
}

/// The text with its placeholders filled from the answers of shown questions; a text whose
/// placeholders do not parse (only in a form that was not checked) is shown as written.
pub fn pipe(session: &Session, text: &str, walk: &Walk) -> String {
    if !text.contains(['{', '}']) {
        return text.to_string();
    }
    let Ok(segments) = parse_template(text) else {
        return text.to_string();
    };
    let shown = shown_ids(&session.layout, walk);
    let show = |id: &str| {
        if !shown.contains(id) {
            return None;
        }
        let answer = session.answers.get(id)?;
        let scale = session.form.item(id).map(|i| &i.response).or_else(|| {
            session
                .form
                .attention_checks()
                .find(|c| c.check.id == id)
                .map(|c| &c.response)
        })?;
        Some(shown_answer(answer, scale, &session.language))
    };
    let parameter = |name: &str| session.params.get(name).cloned();
    fill(&segments, &show, &parameter, session.strings().no_answer)
}

/// The shown questions of layout page `index` whose answers break their constraint, with the
/// survey's message for each.
pub fn broken_constraints(session: &Session, index: usize, walk: &Walk) -> Vec<(String, String)> {
    let Some(page) = session.layout.pages.get(index) else {
        return Vec::new();
    };
    let shown = shown_ids(&session.layout, walk);
    let answers = SessionAnswers {
        answers: &session.answers,
        params: &session.params,
    };
    page.entries
        .iter()
        .filter(|e| shown.contains(e.id.as_str()))
        .filter(|e| session.flow.breaks_constraint(&e.id, &answers, &shown))
        .filter_map(|e| {
            let constraint = session.form.item(&e.id)?.item.constraint.as_ref()?;
            let message = translated(
                &constraint.message,
                &constraint.translations,
                &session.language,
            );
            Some((e.id.clone(), pipe(session, message, walk)))
        })
        .collect()
}

//! The terminal's lines for a network question: the people chosen, and while it has the focus
//! the filter being typed with a window of the roster's matching people (or, for a name
//! generator, the line being typed).

use super::{Cursor, Line, Tone, cut, span};
use crate::engine::{PeopleChoice, Question, Session};
use crate::strings::fill;

/// How many matching people the window shows at once.
pub const WINDOW: usize = 8;

/// The roster's people a terminal choice lists for the filter typed so far, by id.
pub fn listed<'s>(choice: &PeopleChoice<'s>, filter: &str) -> Vec<&'s str> {
    choice.matching(filter).map(|p| p.id.as_str()).collect()
}

/// The lines under the question's text.
pub(super) fn lines(
    question: &Question<'_>,
    choice: &PeopleChoice<'_>,
    focused: bool,
    cursor: &Cursor,
    width: usize,
    indent: usize,
    session: &Session,
) -> Vec<Line> {
    let words = &session.strings().people;
    let pad = " ".repeat(indent);
    let room = width.saturating_sub(indent).max(10);
    let names: Vec<&str> = choice.chosen.iter().map(|id| choice.name_of(id)).collect();
    let mut lines = Vec::new();
    let heading = fill(words.chosen, &[("n", &names.len().to_string())]);
    let listed_names = if names.is_empty() {
        words.none_chosen.to_string()
    } else {
        names.join(", ")
    };
    for (index, line) in textwrap::wrap(&format!("{heading}: {listed_names}"), room)
        .iter()
        .enumerate()
    {
        let tone = if index == 0 && names.is_empty() {
            Tone::Faint
        } else {
            Tone::Chosen
        };
        lines.push(vec![
            span(pad.clone(), Tone::Plain),
            span(line.to_string(), tone),
        ]);
    }
    if !focused {
        return lines;
    }
    let draft = cursor.drafts.get(&*question.id).map_or("", String::as_str);
    if choice.roster.is_none() {
        let label = fill(words.name_field, &[("n", &(names.len() + 1).to_string())]);
        lines.push(vec![
            span(pad.clone(), Tone::Plain),
            span(format!("{label}: [{draft}_]"), Tone::Focus),
        ]);
        return lines;
    }
    lines.push(vec![
        span(pad.clone(), Tone::Plain),
        span(
            fill(words.filter, &[("query", &format!("{draft}_"))]),
            Tone::Focus,
        ),
    ]);
    let matching = listed(choice, draft);
    if matching.is_empty() {
        lines.push(vec![
            span(pad.clone(), Tone::Plain),
            span(fill(words.no_match, &[("query", draft)]), Tone::Faint),
        ]);
        return lines;
    }
    let highlight = cursor
        .highlight
        .get(&*question.id)
        .copied()
        .unwrap_or(0)
        .min(matching.len() - 1);
    let start = highlight.saturating_sub(WINDOW - 1);
    for (offset, id) in matching.iter().enumerate().skip(start).take(WINDOW) {
        let person = choice.roster.and_then(|r| r.person(id));
        let ticked = choice.chosen.contains(id);
        let unit = person
            .and_then(|p| p.unit.as_deref())
            .map(|u| format!(" · {u}"))
            .unwrap_or_default();
        let text = format!(
            "{} [{}] {}{unit}",
            if offset == highlight { ">" } else { " " },
            if ticked { "x" } else { " " },
            choice.name_of(id)
        );
        let tone = match (offset == highlight, ticked) {
            (true, _) => Tone::Focus,
            (false, true) => Tone::Chosen,
            (false, false) => Tone::Plain,
        };
        lines.push(vec![
            span(pad.clone(), Tone::Plain),
            span(cut(&text, room), tone),
        ]);
    }
    let rest = matching.len().saturating_sub(start + WINDOW);
    if rest > 0 || start > 0 {
        let shown = if draft.is_empty() {
            format!("{} ({})", words.search, matching.len())
        } else {
            fill(
                words.matches,
                &[("n", &matching.len().to_string()), ("query", draft)],
            )
        };
        lines.push(vec![span(pad, Tone::Plain), span(shown, Tone::Faint)]);
    }
    lines
}

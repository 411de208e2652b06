//! The web page of a network question, without JavaScript and for rosters of any size: the
//! people chosen so far first, then a search form the server answers (the page comes back with
//! the people who match), and the rest of the roster grouped by unit in `details` elements
//! that open natively, so that a 500-person roster is a short page on a phone. A name
//! generator is a column of text fields.

use crate::engine::{PeopleChoice, Question, Session};
use crate::strings::fill;
use kith_instrument::escape::escape_html;
use kith_instrument::form::Person;
use std::fmt::Write;

/// A roster is shown in one list up to this many people; larger ones are grouped by unit.
const FLAT_LIST: usize = 30;
/// The most people a page lists: a larger roster is searched, not browsed, and a search that
/// matches more asks for more of the name, so that no page grows with the organization.
const MOST_LISTED: usize = 600;

/// What the participant typed into the search field (already applied by the server).
pub struct Search<'a> {
    pub query: &'a str,
}

/// The inside of a choosing question's fieldset. `refused` holds the people of a choice that
/// was not accepted, so that the page comes back as the participant left it.
pub(super) fn choice_html(
    question: &Question<'_>,
    choice: &PeopleChoice<'_>,
    session: &Session,
    search: Option<&Search<'_>>,
    refused: Option<&str>,
) -> String {
    let words = &session.strings().people;
    let name = escape_html(&format!("a.{}", question.id));
    let id = escape_html(&question.id);
    let chosen: Vec<&str> = match refused {
        Some(typed) => typed.split('\n').filter(|p| !p.is_empty()).collect(),
        None => choice.chosen.clone(),
    };
    let mut out = String::new();
    if let Some(max) = choice.limit() {
        let _ = write!(
            out,
            "<p class=\"hint\">{}</p>",
            escape_html(&fill(words.at_most, &[("max", &max.to_string())]))
        );
    }
    if choice.roster.is_none() {
        // A name generator: the names written so far, then empty fields up to the limit.
        let limit = choice.limit().unwrap_or(chosen.len().max(1));
        out.push_str("<div class=\"names\">");
        for index in 0..limit {
            let value = chosen.get(index).copied().unwrap_or_default();
            let _ = write!(
                out,
                "<label for=\"in-{id}-{n}\">{}</label>\
                 <input type=\"text\" autocomplete=\"off\" id=\"in-{id}-{n}\" name=\"{name}\" value=\"{}\" maxlength=\"100\">",
                escape_html(&fill(words.name_field, &[("n", &(index + 1).to_string())])),
                escape_html(value),
                n = index + 1,
            );
        }
        out.push_str("</div>");
        return out;
    }
    let box_for = |out: &mut String, person: &Person, ticked: bool, with_unit: bool| {
        let unit = match (&person.unit, with_unit) {
            (Some(unit), true) => format!(" <span class=\"unit\">{}</span>", escape_html(unit)),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"{name}\" value=\"{}\"{}> <span>{}</span>{unit}</label>",
            escape_html(&person.id),
            if ticked { " checked" } else { "" },
            escape_html(&person.name),
        );
    };
    // The people chosen so far, always on the page, so that a search never hides a choice.
    let _ = write!(
        out,
        "<h3 id=\"chosen-{id}\">{}</h3>",
        escape_html(&fill(words.chosen, &[("n", &chosen.len().to_string())]))
    );
    if chosen.is_empty() {
        let _ = write!(
            out,
            "<p class=\"hint\">{}</p>",
            escape_html(words.none_chosen)
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"options\" role=\"group\" aria-labelledby=\"chosen-{id}\">"
        );
        for person in &chosen {
            let shown = choice
                .roster
                .and_then(|r| r.person(person))
                .cloned()
                .unwrap_or_else(|| Person {
                    id: person.to_string(),
                    name: person.to_string(),
                    unit: None,
                });
            box_for(&mut out, &shown, true, true);
        }
        out.push_str("</div>");
    }
    let query = search.map(|s| s.query.trim()).unwrap_or_default();
    let _ = write!(
        out,
        "<div class=\"search\" role=\"search\"><label for=\"find-{id}\">{}</label>\
         <input type=\"search\" id=\"find-{id}\" name=\"find\" value=\"{}\" autocomplete=\"off\">\
         <button name=\"_action\" value=\"find\">{}</button>{}</div>",
        escape_html(words.search),
        escape_html(query),
        escape_html(words.search_button),
        if query.is_empty() {
            String::new()
        } else {
            format!(
                "<button name=\"_action\" value=\"find_all\">{}</button>",
                escape_html(words.show_all)
            )
        }
    );
    let others: Vec<&Person> = choice
        .matching(query)
        .filter(|person| !chosen.contains(&person.id.as_str()))
        .take(MOST_LISTED + 1)
        .collect();
    if others.len() > MOST_LISTED {
        let _ = write!(
            out,
            "<p class=\"hint\" role=\"status\">{}</p>",
            escape_html(words.too_many_listed)
        );
        return out;
    }
    if !query.is_empty() {
        let status = if others.is_empty() {
            fill(words.no_match, &[("query", query)])
        } else {
            fill(
                words.matches,
                &[("n", &others.len().to_string()), ("query", query)],
            )
        };
        let _ = write!(
            out,
            "<p class=\"hint\" role=\"status\">{}</p>",
            escape_html(&status)
        );
    }
    let roster_has_units = choice.roster.is_some_and(|r| r.has_units());
    if !query.is_empty() || others.len() <= FLAT_LIST || !roster_has_units {
        out.push_str("<div class=\"options\">");
        for person in &others {
            box_for(&mut out, person, false, roster_has_units);
        }
        out.push_str("</div>");
        return out;
    }
    // Grouped by unit in the roster's order of first appearance; people without one last.
    let mut units: Vec<(Option<&str>, Vec<&Person>)> = Vec::new();
    for person in others {
        let unit = person.unit.as_deref();
        match units.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, people)) => people.push(person),
            None => units.push((unit, vec![person])),
        }
    }
    units.sort_by_key(|(unit, _)| unit.is_none());
    for (unit, people) in units {
        let _ = write!(
            out,
            "<details class=\"unit-group\"><summary>{} <span class=\"count\">({})</span></summary><div class=\"options\">",
            escape_html(unit.unwrap_or(words.others)),
            people.len()
        );
        for person in people {
            box_for(&mut out, person, false, false);
        }
        out.push_str("</div></details>");
    }
    out
}

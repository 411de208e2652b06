//! Network questions in a session: the page where a participant chooses people (from a roster,
//! without themselves, or by writing names) and the page of follow-up questions, one question
//! per person chosen and follow-up, each kept as an answer of its own.
//!
//! A follow-up's answer is stored under `relation/follow_up/person`, so that the store, the
//! review and both front-ends treat it as any other question; a person taken off the list
//! keeps their stored follow-ups, which are no longer shown or exported.

use crate::answer::{Answer, AnswerProblem};
use kith_instrument::form::{Form, FormRelation, FormRoster, PeopleSource, Person};
use kith_instrument::model::ResponseScale;
use std::collections::BTreeMap;

/// The suffix of the layout entry of a relation's follow-up page.
pub const FOLLOW_UPS: &str = "/follow_ups";
/// The most characters of a name written into a name generator.
pub const MAX_NAME_LENGTH: usize = 100;

/// What the choosing question has instead of a scale, for code that asks every question for one.
pub static PEOPLE_SCALE: ResponseScale = ResponseScale::Text { max_length: None };

/// The layout entry of a relation's follow-up page.
pub fn follow_up_entry(relation: &str) -> String {
    format!("{relation}{FOLLOW_UPS}")
}

/// The answer id of one follow-up about one person.
pub fn follow_up_id(relation: &str, follow_up: &str, person: &str) -> String {
    format!("{relation}/{follow_up}/{person}")
}

/// The relation, follow-up and person of a follow-up answer id. Relation and follow-up ids
/// have no `/`, so a person's id may.
pub fn split_follow_up_id(id: &str) -> Option<(&str, &str, &str)> {
    let mut parts = id.splitn(3, '/');
    Some((parts.next()?, parts.next()?, parts.next()?))
}

/// A choosing question as a front-end shows it.
#[derive(Debug, Clone)]
pub struct PeopleChoice<'s> {
    pub relation: &'s FormRelation,
    /// The roster to choose from; `None` for a name generator.
    pub roster: Option<&'s FormRoster>,
    /// The participant's own roster id, when the link carries it: never choosable.
    pub ego: Option<&'s str>,
    /// The people chosen so far (ids, or written names).
    pub chosen: Vec<&'s str>,
}

impl<'s> PeopleChoice<'s> {
    /// The roster's members a participant may choose, in the roster's order.
    pub fn choosable(&self) -> impl Iterator<Item = &'s Person> + '_ {
        self.roster
            .into_iter()
            .flat_map(|roster| roster.people.iter())
            .filter(move |person| Some(person.id.as_str()) != self.ego)
    }

    /// The choosable members whose name (or unit) contains every word of `query`, ignoring
    /// case; all of them for an empty query.
    pub fn matching<'q>(
        &self,
        query: &'q str,
    ) -> impl Iterator<Item = &'s Person> + use<'_, 'q, 's> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.choosable().filter(move |person| {
            let name = person.name.to_lowercase();
            let unit = person.unit.as_deref().unwrap_or_default().to_lowercase();
            words
                .iter()
                .all(|word| name.contains(word.as_str()) || unit.contains(word.as_str()))
        })
    }

    /// The name shown for a chosen person: the roster's name, or the name as written.
    pub fn name_of(&self, chosen: &'s str) -> &'s str {
        name_of(self.roster, chosen)
    }

    /// The most people that may be chosen, if there is a limit.
    pub fn limit(&self) -> Option<usize> {
        self.relation.limit()
    }
}

fn name_of<'s>(roster: Option<&'s FormRoster>, chosen: &'s str) -> &'s str {
    roster
        .and_then(|roster| roster.person(chosen))
        .map_or(chosen, |person| person.name.as_str())
}

/// The roster a relation chooses from, if any.
pub fn roster_of<'f>(form: &'f Form, relation: &FormRelation) -> Option<&'f FormRoster> {
    match &relation.source {
        PeopleSource::Roster(name) => form.rosters.get(name),
        PeopleSource::Names(_) => None,
    }
}

/// The participant's own id on a roster, from the session parameter the roster names.
pub fn ego_of<'p>(
    roster: Option<&FormRoster>,
    params: &'p BTreeMap<String, String>,
) -> Option<&'p str> {
    let parameter = roster?.participant.as_deref()?;
    params.get(parameter).map(String::as_str)
}

/// The people of a relation's answer, in the order chosen (none when unanswered).
pub fn chosen<'a>(answers: &'a BTreeMap<String, Answer>, relation: &str) -> Vec<&'a str> {
    match answers.get(relation) {
        Some(Answer::People(people)) => people.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Checks the people chosen: on the roster, not the participant, each once, no more than the
/// limit; written names not blank and not too long.
pub fn check_people(choice: &PeopleChoice<'_>, answer: &Answer) -> Result<(), AnswerProblem> {
    let Answer::People(people) = answer else {
        return Err(AnswerProblem::WrongKind {
            expected: "a list of people",
            given: "another kind of answer",
        });
    };
    if let Some(limit) = choice.limit()
        && people.len() > limit
    {
        return Err(AnswerProblem::TooManyPeople { max: limit });
    }
    let mut seen = std::collections::HashSet::new();
    for person in people {
        match choice.roster {
            Some(roster) => {
                if roster.person(person).is_none() {
                    return Err(AnswerProblem::NotOnRoster(person.clone()));
                }
                if choice.ego == Some(person.as_str()) {
                    return Err(AnswerProblem::SelfChosen);
                }
            }
            None => {
                if person.trim().is_empty() {
                    return Err(AnswerProblem::BlankName);
                }
                let length = person.chars().count();
                if length > MAX_NAME_LENGTH {
                    return Err(AnswerProblem::TooLong {
                        length,
                        max: MAX_NAME_LENGTH as u32,
                    });
                }
            }
        }
        if !seen.insert(person.as_str()) {
            return Err(AnswerProblem::PersonRepeated(
                name_of(choice.roster, person).to_string(),
            ));
        }
    }
    Ok(())
}

/// The people of a submitted choice: ids as ticked (a roster) or names as written (a name
/// generator, blank fields left out and names trimmed), each once, in the order given.
pub fn people_answer(values: &[&str]) -> Option<Answer> {
    let mut people: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for value in values {
        let value = value.trim();
        if !value.is_empty() && seen.insert(value) {
            people.push(value.to_string());
        }
    }
    (!people.is_empty()).then_some(Answer::People(people))
}

/// The question that chooses people for the relation block `id`, if `id` is one.
pub(super) fn choosing_question<'s>(
    session: &'s super::Session,
    id: &str,
    walk: &kith_instrument::flow::Walk,
) -> Option<super::Question<'s>> {
    let (block, relation) = session.form().relations().find(|(b, _)| b.id == id)?;
    let roster = roster_of(session.form(), relation);
    let text = kith_instrument::form::translated(
        &relation.text,
        &relation.translations,
        session.language(),
    );
    Some(super::Question {
        id: block.id.as_str().into(),
        text: session.pipe(text, walk),
        response: &PEOPLE_SCALE,
        required: false,
        attention_check: false,
        answer: session.answers().get(id),
        people: Some(PeopleChoice {
            relation,
            roster,
            ego: ego_of(roster, session.params()),
            chosen: chosen(session.answers(), id),
        }),
    })
}

/// The follow-up questions of a relation: for each person chosen, in the order chosen, each
/// follow-up with `{name}` in its text replaced by the person's name.
pub(super) fn follow_up_questions<'s>(
    session: &'s super::Session,
    relation_id: &str,
) -> Vec<super::Question<'s>> {
    let Some(relation) = session.form().relation(relation_id) else {
        return Vec::new();
    };
    let roster = roster_of(session.form(), relation);
    let mut questions = Vec::new();
    for person in chosen(session.answers(), relation_id) {
        let name = name_of(roster, person);
        for follow_up in &relation.follow_ups {
            let text = kith_instrument::form::translated(
                &follow_up.text,
                &follow_up.translations,
                session.language(),
            );
            let id = follow_up_id(relation_id, &follow_up.id, person);
            questions.push(super::Question {
                text: text.replace("{name}", name),
                response: &follow_up.response,
                required: follow_up.required,
                attention_check: false,
                answer: session.answers().get(&id),
                people: None,
                id: id.into(),
            });
        }
    }
    questions
}

//! The people of network questions as a resolved form carries them: each roster's members and
//! each relation block's question with its follow-ups resolved to their scales.

use crate::model::{RelationKind, ResponseScale};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One member of a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: String,
    /// The name participants see. Personal data: never in exports, reports or results.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A roster as read from its file, in the file's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormRoster {
    /// The roster's file, as the survey names it.
    pub file: String,
    /// The members. Left out of the serialized form, which must not carry names.
    #[serde(skip)]
    pub people: Vec<Person>,
    /// The session parameter that carries the participant's own roster id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// Each member's position by id, so that checking a long list of choices stays linear.
    #[serde(skip)]
    positions: HashMap<String, usize>,
}

impl FormRoster {
    /// A roster of `people`, whose ids are distinct (the check refuses repeated ones).
    pub fn new(file: String, people: Vec<Person>, participant: Option<String>) -> FormRoster {
        let positions = people
            .iter()
            .enumerate()
            .map(|(index, person)| (person.id.clone(), index))
            .collect();
        FormRoster {
            file,
            people,
            participant,
            positions,
        }
    }

    /// The member with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.positions.get(id).map(|&index| &self.people[index])
    }

    /// Whether any member has a unit, so that the roster is shown grouped by unit.
    pub fn has_units(&self) -> bool {
        self.people.iter().any(|p| p.unit.is_some())
    }
}

/// Where the people of a relation come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleSource {
    /// Chosen from the named roster of the form.
    Roster(String),
    /// Written in by the participant, up to this many names (a name generator).
    Names(u32),
}

/// A follow-up question with its scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormFollowUp {
    pub id: String,
    pub text: String,
    pub response: ResponseScale,
    pub required: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A relation block's network question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormRelation {
    pub kind: RelationKind,
    pub text: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    pub source: PeopleSource,
    /// The most people one participant may choose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    pub follow_ups: Vec<FormFollowUp>,
}

impl FormRelation {
    /// The most people one participant may name: the `max` of a roster question, the `names`
    /// of a name generator.
    pub fn limit(&self) -> Option<usize> {
        match self.source {
            PeopleSource::Names(n) => Some(n as usize),
            PeopleSource::Roster(_) => self.max.map(|m| m as usize),
        }
    }
}

//! A survey's relation blocks (network questions): the block takes no items, the relation
//! names a roster of the survey or a number of names, and its follow-ups are asked on scales
//! of the survey that a person can be rated on. A clean block becomes a `FormBlock` with its
//! `FormRelation`.

use crate::diagnostic::{DocPath, did_you_mean};
use crate::document::Parsed;
use crate::form::FormBlock;
use crate::model::{Block, Relation, ResponseScale, Survey};
use crate::people::{FormFollowUp, FormRelation, FormRoster, PeopleSource};
use std::collections::{BTreeMap, HashSet};

/// The most names a name generator may ask for, and the most follow-ups a relation may have:
/// a page of follow-ups has one question per person and follow-up.
pub const MAX_NAMES: u32 = 50;
const MAX_FOLLOW_UPS: usize = 10;

/// Checks the relation block at `at` and returns it resolved when it is clean.
pub fn relation_block(
    parsed: &Parsed<Survey>,
    block: &Block,
    relation: &Relation,
    at: &DocPath,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) -> Option<FormBlock> {
    let model = &parsed.model;
    let errors_before = out.len();
    let mut error = |code: &'static str, message: String, path: &DocPath, hint: String| {
        out.push(parsed.error(code, message, path, Some(hint)));
    };
    let Some(id) = &block.id else {
        error(
            "relation-id",
            "a relation block has no `id:`".to_string(),
            at,
            "the id names the relation in edge lists and plans, e.g. `id: advice`".to_string(),
        );
        return None;
    };
    let takes_no = [
        ("include", block.include.is_some()),
        ("items", block.items.is_some()),
        ("scores", !block.scores.is_empty()),
        ("attention_checks", !block.attention_checks.is_empty()),
        ("randomize_items", block.randomize_items),
        ("items_per_page", block.items_per_page.is_some()),
    ];
    for (key, present) in takes_no {
        if present {
            error(
                "block-source",
                format!("the relation block `{id}` also has `{key}:`"),
                &at.key(key),
                "a relation block is one network question; put items in a block of their own"
                    .to_string(),
            );
        }
    }
    let here = at.key("relation");
    let source = match (&relation.roster, relation.names) {
        (Some(roster), None) => {
            if !model.rosters.contains_key(roster) {
                let hint = match did_you_mean(roster, model.rosters.keys().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if model.rosters.is_empty() => {
                        "list the roster under `rosters:`, e.g. `staff: {file: staff.csv}`"
                            .to_string()
                    }
                    None => format!(
                        "the survey's rosters are: {}",
                        model.rosters.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                };
                error(
                    "unknown-roster",
                    format!(
                        "the relation `{id}` names the roster `{roster}`, which the survey does not list"
                    ),
                    &here.key("roster"),
                    hint,
                );
            }
            Some(PeopleSource::Roster(roster.clone()))
        }
        (None, Some(names)) => {
            if names == 0 || names > MAX_NAMES {
                error(
                    "relation-names",
                    format!("the relation `{id}` asks for {names} names"),
                    &here.key("names"),
                    format!("a name generator asks for 1 to {MAX_NAMES} names, e.g. `names: 5`"),
                );
            }
            if relation.max.is_some() {
                error(
                    "relation-max",
                    format!("the relation `{id}` has both `names:` and `max:`"),
                    &here.key("max"),
                    "`names:` is already the most names a participant can write; drop `max:`"
                        .to_string(),
                );
            }
            Some(PeopleSource::Names(names))
        }
        (Some(_), Some(_)) => {
            error(
                "relation-source",
                format!("the relation `{id}` has both `roster:` and `names:`"),
                &here,
                "choose from a roster (`roster: staff`) or ask for names (`names: 5`), not both"
                    .to_string(),
            );
            None
        }
        (None, None) => {
            error(
                "relation-source",
                format!("the relation `{id}` has neither `roster:` nor `names:`"),
                &here,
                "add `roster: staff` to choose from a roster, or `names: 5` for a name generator"
                    .to_string(),
            );
            None
        }
    };
    if relation.max == Some(0) {
        error(
            "relation-max",
            format!("the relation `{id}` lets participants choose at most 0 people"),
            &here.key("max"),
            "use 1 or more, or leave `max:` out for no limit".to_string(),
        );
    }
    if relation.follow_ups.len() > MAX_FOLLOW_UPS {
        error(
            "follow-up-count",
            format!(
                "the relation `{id}` has {} follow-ups",
                relation.follow_ups.len()
            ),
            &here.key("follow_ups"),
            format!("ask at most {MAX_FOLLOW_UPS} questions about each person"),
        );
    }
    let mut seen = HashSet::new();
    let mut follow_ups = Vec::new();
    for (index, follow_up) in relation.follow_ups.iter().enumerate() {
        let path = here.key("follow_ups").index(index);
        if !super::is_column_name(&follow_up.id) {
            error(
                "invalid-id",
                format!(
                    "follow-up id `{}` is not a usable column name",
                    follow_up.id
                ),
                &path.key("id"),
                "start with a letter; use letters, digits and `_`".to_string(),
            );
        }
        if !seen.insert(follow_up.id.as_str()) {
            error(
                "duplicate-follow-up",
                format!("the relation `{id}` has two follow-ups `{}`", follow_up.id),
                &path.key("id"),
                "each follow-up is a column of the edge list; give each its own id".to_string(),
            );
        }
        match model.scales.get(&follow_up.scale) {
            None => {
                let hint =
                    match did_you_mean(&follow_up.scale, model.scales.keys().map(String::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "follow-ups use the survey's own `scales:`".to_string(),
                    };
                error(
                    "unknown-scale",
                    format!(
                        "follow-up `{}` uses the scale `{}`, which the survey does not define",
                        follow_up.id, follow_up.scale
                    ),
                    &path.key("scale"),
                    hint,
                );
            }
            Some(ResponseScale::MultipleChoice { .. } | ResponseScale::Text { .. }) => error(
                "follow-up-scale",
                format!(
                    "follow-up `{}` uses the scale `{}`, which is not one a person can be rated on",
                    follow_up.id, follow_up.scale
                ),
                &path.key("scale"),
                "a follow-up takes one value per person: a likert, single_choice or numeric scale"
                    .to_string(),
            ),
            Some(scale) => follow_ups.push(FormFollowUp {
                id: follow_up.id.clone(),
                text: follow_up.text.clone(),
                response: scale.clone(),
                required: follow_up.required,
                translations: follow_up.translations.clone(),
            }),
        }
    }
    if out.len() > errors_before {
        return None;
    }
    Some(FormBlock {
        id: id.clone(),
        title: block.title.clone(),
        instructions: block.instructions.clone(),
        instrument: None,
        items: Vec::new(),
        scores: Vec::new(),
        attention_checks: Vec::new(),
        relation: Some(FormRelation {
            kind: relation.kind,
            text: relation.text.clone(),
            translations: relation.translations.clone(),
            source: source?,
            max: relation.max,
            follow_ups,
        }),
        randomize_items: false,
        items_per_page: None,
        show_if: block.show_if.clone(),
        end_if: block.end_if.clone(),
        translations: block.translations.clone(),
    })
}

/// Whether a roster the relation names could not be read (its own diagnostics say why), so
/// that the survey has no form but no further message is needed.
pub fn roster_unreadable(relation: &Relation, rosters: &BTreeMap<String, FormRoster>) -> bool {
    relation
        .roster
        .as_ref()
        .is_some_and(|name| !rosters.contains_key(name))
}

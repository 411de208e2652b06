//! Recording where a file's conditions and participant-facing texts stand, while its form is
//! built, so that the logic check (`validate::logic`) can put a caret under the offending
//! part of an expression even in an included file.

use crate::diagnostic::DocPath;
use crate::document::{Parsed, node_at};
use crate::form::{Field, Owner, Places, SourcePlace};
use crate::model::{AttentionCheck, Item};

/// The most source lines kept for one value; a longer text gets its caret at its start.
const MAX_LINES: usize = 64;

/// The place of the value at a model path, when the source has it.
pub fn place_of<T>(parsed: &Parsed<T>, path: &DocPath) -> Option<SourcePlace> {
    let source = parsed.left_out.source_path(path);
    let node = node_at(&parsed.root, &source)?;
    let height = node.as_text().map_or(1, |t| t.lines().count()) + 1;
    Some(SourcePlace {
        file: parsed.name.clone(),
        path: source.to_string(),
        line: node.span.line,
        column: node.span.column,
        lines: parsed
            .text
            .lines()
            .skip(node.span.line.saturating_sub(1))
            .take(height.min(MAX_LINES))
            .map(str::to_string)
            .collect(),
    })
}

/// Records the place of one value, when it is in the source.
pub fn record<T>(
    places: &mut Places,
    parsed: &Parsed<T>,
    owner: Owner,
    field: Field,
    path: DocPath,
) {
    if let Some(place) = place_of(parsed, &path) {
        places.0.insert((owner, field), place);
    }
}

/// Records the places of items' texts and conditions; `base` is the path of the list.
pub fn record_items<T>(places: &mut Places, parsed: &Parsed<T>, base: &DocPath, items: &[Item]) {
    for (index, item) in items.iter().enumerate() {
        let path = base.index(index);
        let owner = || Owner::Entry(item.id.clone());
        record(places, parsed, owner(), Field::Text, path.key("text"));
        record(places, parsed, owner(), Field::ShowIf, path.key("show_if"));
        let end = path.key("end_if");
        record(places, parsed, owner(), Field::EndIf, end.key("condition"));
        record(
            places,
            parsed,
            owner(),
            Field::EndMessage,
            end.key("message"),
        );
        let constraint = path.key("constraint");
        record(
            places,
            parsed,
            owner(),
            Field::Constraint,
            constraint.key("condition"),
        );
        record(
            places,
            parsed,
            owner(),
            Field::ConstraintMessage,
            constraint.key("message"),
        );
    }
}

/// Records the places of attention checks' texts and conditions.
pub fn record_checks<T>(
    places: &mut Places,
    parsed: &Parsed<T>,
    base: &DocPath,
    checks: &[AttentionCheck],
) {
    for (index, check) in checks.iter().enumerate() {
        let path = base.index(index);
        let owner = || Owner::Entry(check.id.clone());
        record(places, parsed, owner(), Field::Text, path.key("text"));
        record(places, parsed, owner(), Field::ShowIf, path.key("show_if"));
    }
}

/// Records the places of a survey block's own keys: title, instructions and conditions.
pub fn record_block<T>(places: &mut Places, parsed: &Parsed<T>, id: &str, path: &DocPath) {
    let owner = || Owner::Block(id.to_string());
    record(places, parsed, owner(), Field::Title, path.key("title"));
    record(
        places,
        parsed,
        owner(),
        Field::Instructions,
        path.key("instructions"),
    );
    record(places, parsed, owner(), Field::ShowIf, path.key("show_if"));
    let end = path.key("end_if");
    record(places, parsed, owner(), Field::EndIf, end.key("condition"));
    record(
        places,
        parsed,
        owner(),
        Field::EndMessage,
        end.key("message"),
    );
}

/// Moves the places of a block renamed by the survey that includes it.
pub fn rename_block(places: &mut Places, from: &str, to: &str) {
    if from == to {
        return;
    }
    let keys: Vec<(Owner, Field)> = places
        .0
        .keys()
        .filter(|(owner, _)| *owner == Owner::Block(from.to_string()))
        .cloned()
        .collect();
    for key in keys {
        if let Some(place) = places.0.remove(&key) {
            places
                .0
                .insert((Owner::Block(to.to_string()), key.1), place);
        }
    }
}

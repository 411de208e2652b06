//! The JSON Schema of analysis plans, generated from the plan's types: for editors (with the
//! instrument and survey schema, `kith schema`) and for the walk that checks a plan's keys and
//! types the way instruments are checked.

use super::Plan;
use schemars::generate::SchemaSettings;
use serde_json::{Value as Json, json};

/// The schema of an analysis plan, with its definitions.
pub fn plan_schema() -> Json {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let plan = generator.subschema_for::<Plan>();
    let definitions = generator.take_definitions(true);
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kith analysis plan",
        "description": "A kith analysis plan (`kind: plan`, or no kind and a `data` key). See docs/analysis.md.",
        "$defs": definitions,
    });
    if let (Some(object), Json::Object(plan)) = (schema.as_object_mut(), plan.to_value()) {
        object.extend(plan);
    }
    schema
}

/// The schema an editor uses for every kith file: an instrument, a survey or an analysis plan.
pub fn editor_schema() -> Json {
    let mut document = kith_instrument::schema::document_schema();
    let plan = plan_schema();
    let (Some(object), Some(plan_defs)) = (
        document.as_object_mut(),
        plan.get("$defs").and_then(Json::as_object),
    ) else {
        return document;
    };
    if let Some(Json::Object(defs)) = object.get_mut("$defs") {
        for (name, definition) in plan_defs {
            defs.entry(name.clone())
                .or_insert_with(|| definition.clone());
        }
    }
    if let Some(Json::Array(alternatives)) = object.get_mut("oneOf") {
        alternatives.push(json!({ "$ref": "#/$defs/Plan" }));
    }
    object.insert(
        "title".to_string(),
        json!("kith instrument, survey or analysis plan"),
    );
    object.insert(
        "description".to_string(),
        json!("A kith instrument (`kind: instrument`), survey (`kind: survey`) or analysis plan (`kind: plan`). See docs/format.md and docs/analysis.md."),
    );
    document
}

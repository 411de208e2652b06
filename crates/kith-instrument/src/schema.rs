//! The JSON Schema of kith documents, and the walk that checks a located YAML tree against it.
//!
//! The schema is generated from the model types (`crate::model`), so this walk, the serde
//! deserializer and the schema editors use all read one definition. The walk reports every
//! problem it finds (unknown keys with a suggestion, missing keys, wrong types, unknown enum
//! values) and returns a cleaned value in which each bad part is left out, so that the
//! semantic checks can still run on the rest and report their problems in the same run.

//!
//! The walk lives beside this file: the walker and its plain values (`walker.rs`), the choice
//! between alternatives such as the kinds of response scale (`alternatives.rs`), and maps and
//! lists (`containers.rs`).

mod alternatives;
mod containers;
mod walker;

use crate::diagnostic::{DocPath, PathSegment, Severity, Span};
use crate::located::Node;
use crate::model::{Instrument, Survey};
use schemars::generate::SchemaSettings;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::collections::{HashMap, HashSet};
use walker::Walker;

/// The JSON Schema (draft 2020-12) of an instrument or survey file, for editors.
pub fn document_schema() -> Json {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let instrument = generator.subschema_for::<Instrument>();
    let survey = generator.subschema_for::<Survey>();
    let definitions = generator.take_definitions(true);
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kith.invalid/schema/document.json",
        "title": "kith instrument or survey",
        "description": "A kith instrument (`kind: instrument`) or survey (`kind: survey`) file. See docs/format.md.",
        "oneOf": [instrument, survey],
        "$defs": definitions,
    })
}

/// A problem found by the walk, before the file name is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub path: DocPath,
    pub value: Option<String>,
    pub hint: Option<String>,
}

/// What the walk left out, so that later checks can map indices back to the source and not
/// report a reference to something that was left out as unknown.
#[derive(Debug, Clone, Default)]
pub struct LeftOut {
    /// For each list (by its path in the source) that lost elements: the source indices kept.
    pub kept_indices: HashMap<DocPath, Vec<usize>>,
    /// The `id` values of the elements left out.
    pub ids: HashSet<String>,
    /// Required keys that were missing or wrong, by source path. The cleaned value holds a
    /// placeholder there (empty text, `false`, an empty list), and later checks must not report
    /// problems of those placeholders: the problem is already reported.
    pub placeholders: Vec<DocPath>,
}

impl LeftOut {
    /// Whether a source path (as text, e.g. `items[2].text`) is at or under a placeholder.
    pub fn is_placeholder(&self, source_path: &str) -> bool {
        self.placeholders.iter().any(|placeholder| {
            let placeholder = placeholder.to_string();
            source_path == placeholder
                || source_path.starts_with(&format!("{placeholder}."))
                || source_path.starts_with(&format!("{placeholder}["))
        })
    }

    /// Maps a path in the cleaned value to the same place in the source.
    pub fn source_path(&self, cleaned: &DocPath) -> DocPath {
        let mut source = DocPath::root();
        for segment in &cleaned.0 {
            source = match segment {
                PathSegment::Key(key) => source.key(key),
                PathSegment::Index(index) => {
                    let original = self
                        .kept_indices
                        .get(&source)
                        .and_then(|kept| kept.get(*index).copied())
                        .unwrap_or(*index);
                    source.index(original)
                }
            };
        }
        source
    }
}

/// The result of the walk: the cleaned value (if the root survived), the problems, what was left out.
#[derive(Debug)]
pub struct Walked {
    pub value: Option<Yaml>,
    pub problems: Vec<Problem>,
    pub left_out: LeftOut,
}

/// Walks `node` against the document schema.
pub fn walk_document(node: &Node) -> Walked {
    walk_with(node, &document_schema())
}

/// Walks `node` against any schema whose definitions are in its `$defs` (an analysis plan's,
/// say), so that every kith file reports unknown keys, missing keys and wrong types alike.
pub fn walk_with(node: &Node, schema: &Json) -> Walked {
    let mut walker = Walker::new(schema.get("$defs").cloned().unwrap_or(Json::Null));
    let value = walker.walk(node, schema, &DocPath::root()).ok();
    Walked {
        value,
        problems: walker.problems,
        left_out: walker.left_out,
    }
}

//! The JSON Schema of kith documents, and the walk that checks a located YAML tree against it.
//!
//! The schema is generated from the model types (`crate::model`), so this walk, the serde
//! deserializer and the schema editors use all read one definition. The walk reports every
//! problem it finds (unknown keys with a suggestion, missing keys, wrong types, unknown enum
//! values) and returns a cleaned value in which each bad part is left out, so that the
//! semantic checks can still run on the rest and report their problems in the same run.

use crate::diagnostic::{DocPath, PathSegment, Severity, Span, did_you_mean};
use crate::located::{MapEntry, Node, NodeValue, Resolved};
use crate::model::{Instrument, Survey};
use schemars::generate::SchemaSettings;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;
use std::collections::{HashMap, HashSet};

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
    let schema = document_schema();
    let mut walker = Walker {
        definitions: schema.get("$defs").cloned().unwrap_or(Json::Null),
        problems: Vec::new(),
        left_out: LeftOut::default(),
    };
    let value = walker.walk(node, &schema, &DocPath::root()).ok();
    Walked {
        value,
        problems: walker.problems,
        left_out: walker.left_out,
    }
}

struct Walker {
    definitions: Json,
    problems: Vec<Problem>,
    left_out: LeftOut,
}

/// The walk failed at this node; its problems are already recorded.
struct Invalid;

fn field_name(path: &DocPath) -> String {
    match path.0.iter().rev().find_map(|segment| match segment {
        PathSegment::Key(key) => Some(key.as_str()),
        PathSegment::Index(_) => None,
    }) {
        Some(key) => format!("`{key}`"),
        None => "the document".to_string(),
    }
}

fn describe_type(name: &str) -> &'static str {
    match name {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "array" => "a list",
        "object" => "a map of `key: value` lines",
        "null" => "nothing",
        _ => "a value",
    }
}

impl Walker {
    fn resolve<'a>(&'a self, mut schema: &'a Json) -> &'a Json {
        // Follow `$ref` chains into `$defs`; sibling keywords of a `$ref` are descriptions only.
        for _ in 0..16 {
            match schema.get("$ref").and_then(Json::as_str) {
                Some(reference) => {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    match self.definitions.get(name) {
                        Some(target) => schema = target,
                        None => return schema,
                    }
                }
                None => return schema,
            }
        }
        schema
    }

    fn problem(
        &mut self,
        code: &'static str,
        message: String,
        span: Span,
        path: &DocPath,
        value: Option<String>,
        hint: Option<String>,
    ) {
        self.problems.push(Problem {
            severity: Severity::Error,
            code,
            message,
            span,
            path: path.clone(),
            value,
            hint,
        });
    }

    fn walk(&mut self, node: &Node, schema: &Json, path: &DocPath) -> Result<Yaml, Invalid> {
        let schema = self.resolve(schema).clone();
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Json::as_array)
        {
            return self.walk_alternatives(node, branches, path);
        }
        if let Some(constant) = schema.get("const") {
            return self.walk_enum(node, std::slice::from_ref(constant), path);
        }
        if let Some(values) = schema.get("enum").and_then(Json::as_array) {
            return self.walk_enum(node, values, path);
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Json::String(name)) => vec![name.as_str()],
            Some(Json::Array(names)) => names.iter().filter_map(Json::as_str).collect(),
            _ => return Ok(to_yaml(node)),
        };
        let is_null = matches!(&node.value, NodeValue::Scalar(s) if s.resolve() == Resolved::Null);
        if is_null && types.contains(&"null") {
            return Ok(Yaml::Null);
        }
        let expected = types
            .iter()
            .filter(|name| **name != "null")
            .copied()
            .next()
            .unwrap_or("null");
        match (expected, &node.value) {
            ("object", NodeValue::Map(entries)) => self.walk_object(node, entries, &schema, path),
            ("array", NodeValue::Sequence(elements)) => self.walk_array(elements, &schema, path),
            (_, NodeValue::Scalar(scalar)) if expected != "object" && expected != "array" => {
                let resolved = scalar.resolve();
                match (expected, resolved) {
                    ("string", Resolved::Null) => {
                        self.problem(
                            "missing-value",
                            format!("{} is empty", field_name(path)),
                            node.span,
                            path,
                            None,
                            Some(format!("write {} after the colon", describe_type("string"))),
                        );
                        Err(Invalid)
                    }
                    // Any scalar reads as text, as written: `version: 1.0` is the text "1.0".
                    ("string", _) => Ok(Yaml::String(scalar.text.clone())),
                    ("integer", Resolved::Integer(number)) => {
                        self.check_minimum(node, number as f64, &schema, path)?;
                        Ok(Yaml::Number(number.into()))
                    }
                    ("number", Resolved::Integer(number)) => Ok(Yaml::Number(number.into())),
                    ("number", Resolved::Float(number)) if number.is_finite() => {
                        Ok(Yaml::Number(number.into()))
                    }
                    ("boolean", Resolved::Bool(flag)) => Ok(Yaml::Bool(flag)),
                    (_, _) => {
                        let hint = match expected {
                            "boolean" => Some(format!(
                                "write {name}: true or {name}: false",
                                name = field_name(path).trim_matches('`')
                            )),
                            "integer" => Some("write a whole number without quotes, e.g. 3".into()),
                            "number" => Some("write a number without quotes, e.g. 2.5".into()),
                            _ => None,
                        };
                        self.wrong_type(node, path, expected, hint);
                        Err(Invalid)
                    }
                }
            }
            _ => {
                let hint = match expected {
                    "array" => Some(format!(
                        "write a list, one `- ` line per entry, or [a, b] on one line; {} is {}",
                        field_name(path),
                        node.describe()
                    )),
                    "object" => Some("write `key: value` lines indented under it".to_string()),
                    _ => Some("quote the value if it contains `:`, `[` or `{`".to_string()),
                };
                self.wrong_type(node, path, expected, hint);
                Err(Invalid)
            }
        }
    }

    /// Reports a value of the wrong type: a scalar quoted as written, a list or map by its shape.
    fn wrong_type(&mut self, node: &Node, path: &DocPath, expected: &str, hint: Option<String>) {
        let found = match &node.value {
            NodeValue::Scalar(_) => format!("`{}`", node.describe()),
            _ => node.describe(),
        };
        self.problem(
            "wrong-type",
            format!(
                "{} must be {}, found {found}",
                field_name(path),
                describe_type(expected)
            ),
            node.span,
            path,
            Some(node.describe()),
            hint,
        );
    }

    fn check_minimum(
        &mut self,
        node: &Node,
        number: f64,
        schema: &Json,
        path: &DocPath,
    ) -> Result<(), Invalid> {
        let minimum = schema.get("minimum").and_then(Json::as_f64);
        let too_large = schema.get("format").and_then(Json::as_str) == Some("uint32")
            && number > f64::from(u32::MAX);
        if minimum.is_some_and(|minimum| number < minimum) || too_large {
            self.problem(
                "out-of-range",
                format!(
                    "{} must be a whole number of 0 or more, found `{}`",
                    field_name(path),
                    node.describe()
                ),
                node.span,
                path,
                Some(node.describe()),
                None,
            );
            return Err(Invalid);
        }
        Ok(())
    }

    fn walk_enum(
        &mut self,
        node: &Node,
        allowed: &[Json],
        path: &DocPath,
    ) -> Result<Yaml, Invalid> {
        let names: Vec<&str> = allowed.iter().filter_map(Json::as_str).collect();
        if let Some(text) = node.as_text()
            && names.contains(&text)
        {
            return Ok(Yaml::String(text.to_string()));
        }
        let typed = node.describe();
        let hint = match did_you_mean(&typed, names.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.problem(
            "unknown-value",
            format!("{} cannot be `{typed}`", field_name(path)),
            node.span,
            path,
            Some(typed),
            Some(hint),
        );
        Err(Invalid)
    }

    /// The discriminating key and value of a branch, e.g. (`type`, `likert`).
    fn branch_tag(&self, branch: &Json) -> Option<(String, String)> {
        let branch = self.resolve(branch);
        let properties = branch.get("properties")?.as_object()?;
        properties.iter().find_map(|(key, property)| {
            let property = self.resolve(property);
            let value = property
                .get("const")
                .and_then(Json::as_str)
                .or_else(|| match property.get("enum").and_then(Json::as_array) {
                    Some(values) if values.len() == 1 => values[0].as_str(),
                    _ => None,
                })?;
            Some((key.clone(), value.to_string()))
        })
    }

    fn walk_alternatives(
        &mut self,
        node: &Node,
        branches: &[Json],
        path: &DocPath,
    ) -> Result<Yaml, Invalid> {
        let is_null = matches!(&node.value, NodeValue::Scalar(s) if s.resolve() == Resolved::Null);
        let (nulls, others): (Vec<&Json>, Vec<&Json>) = branches
            .iter()
            .partition(|branch| self.resolve(branch).get("type") == Some(&Json::from("null")));
        if is_null && !nulls.is_empty() {
            return Ok(Yaml::Null);
        }
        if others.len() == 1 {
            return self.walk(node, others[0], path);
        }
        // An enum whose variants carry descriptions is a list of `const` branches.
        let constants: Vec<Json> = others
            .iter()
            .filter_map(|branch| self.resolve(branch).get("const").cloned())
            .collect();
        if constants.len() == others.len() {
            return self.walk_enum(node, &constants, path);
        }
        let tags: Vec<Option<(String, String)>> = others
            .iter()
            .map(|branch| self.branch_tag(branch))
            .collect();
        let tag_key = tags.first().cloned().flatten().map(|(key, _)| key);
        if let Some(tag_key) = tag_key
            && tags
                .iter()
                .all(|tag| tag.as_ref().is_some_and(|(key, _)| *key == tag_key))
        {
            let values: Vec<String> = tags.iter().flatten().map(|(_, v)| v.clone()).collect();
            let NodeValue::Map(_) = &node.value else {
                self.problem(
                    "wrong-type",
                    format!(
                        "{} must be a map of `key: value` lines, found {}",
                        field_name(path),
                        node.describe()
                    ),
                    node.span,
                    path,
                    Some(node.describe()),
                    Some(format!("start it with `{tag_key}: {}`", values[0])),
                );
                return Err(Invalid);
            };
            let Some(tag_node) = node.get(&tag_key) else {
                let hint = if tag_key == "kind" {
                    "add `kind: instrument` or `kind: survey` as the first line".to_string()
                } else {
                    format!("add `{tag_key}:` with one of: {}", values.join(", "))
                };
                self.problem(
                    "missing-key",
                    format!("missing key `{tag_key}`"),
                    node.span,
                    path,
                    None,
                    Some(hint),
                );
                return Err(Invalid);
            };
            let typed = tag_node.describe();
            return match values.iter().position(|value| *value == typed) {
                Some(chosen) => self.walk(node, others[chosen], path),
                None => {
                    let hint = match did_you_mean(&typed, values.iter().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("use one of: {}", values.join(", ")),
                    };
                    self.problem(
                        "unknown-value",
                        format!("`{tag_key}` cannot be `{typed}`"),
                        tag_node.span,
                        &path.key(&tag_key),
                        Some(typed),
                        Some(hint),
                    );
                    Err(Invalid)
                }
            };
        }
        // Untagged alternatives: the first branch that fits without problems wins.
        let mut expected = Vec::new();
        for branch in &others {
            let mut trial = Walker {
                definitions: self.definitions.clone(),
                problems: Vec::new(),
                left_out: LeftOut::default(),
            };
            if let Ok(value) = trial.walk(node, branch, path)
                && trial.problems.is_empty()
            {
                return Ok(value);
            }
            let resolved = self.resolve(branch);
            expected.push(
                resolved
                    .get("description")
                    .and_then(Json::as_str)
                    .map(|d| d.trim_end_matches('.').to_lowercase())
                    .or_else(|| {
                        resolved
                            .get("type")
                            .and_then(Json::as_str)
                            .map(|t| describe_type(t).to_string())
                    })
                    .unwrap_or_else(|| "a value".to_string()),
            );
        }
        self.problem(
            "wrong-type",
            format!("{} cannot be `{}`", field_name(path), node.describe()),
            node.span,
            path,
            Some(node.describe()),
            Some(format!("write {}", expected.join(", or "))),
        );
        Err(Invalid)
    }

    /// A stand-in for a required value that is missing or wrong, so that the rest of its map
    /// can still be checked. Only plain types have one.
    fn placeholder(&self, schema: &Json) -> Option<Yaml> {
        let schema = self.resolve(schema);
        let name = match schema.get("type") {
            Some(Json::String(name)) => name.as_str(),
            _ => return None,
        };
        Some(match name {
            "string" => Yaml::String(String::new()),
            "boolean" => Yaml::Bool(false),
            "integer" | "number" => Yaml::Number(0.into()),
            "array" => Yaml::Sequence(Vec::new()),
            "object" if schema.get("properties").is_none() => Yaml::Mapping(Default::default()),
            _ => return None,
        })
    }

    fn walk_object(
        &mut self,
        node: &Node,
        entries: &[MapEntry],
        schema: &Json,
        path: &DocPath,
    ) -> Result<Yaml, Invalid> {
        let empty = serde_json::Map::new();
        let properties = schema
            .get("properties")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let additional = schema.get("additionalProperties");
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .map(|names| names.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let mut failed = false;
        let mut map = serde_yaml::Mapping::new();
        for entry in entries {
            let entry_path = path.key(&entry.key);
            let declared = properties.get(&entry.key);
            let property = declared.or(match additional {
                Some(Json::Bool(false)) | None => None,
                Some(Json::Bool(true)) => Some(&Json::Bool(true)),
                Some(other) => Some(other),
            });
            match property {
                Some(property) => match self.walk(&entry.value, property, &entry_path) {
                    Ok(value) => {
                        map.insert(Yaml::String(entry.key.clone()), value);
                    }
                    Err(Invalid) if required.contains(&entry.key.as_str()) => {
                        match self.placeholder(property) {
                            Some(value) => {
                                map.insert(Yaml::String(entry.key.clone()), value);
                                self.left_out.placeholders.push(entry_path.clone());
                            }
                            None => failed = true,
                        }
                    }
                    Err(Invalid) => {
                        // A named entry of a map (such as a response scale) that was left out
                        // must not make references to it look unknown.
                        if declared.is_none() {
                            self.left_out.ids.insert(entry.key.clone());
                        }
                    }
                },
                None => {
                    let unused = properties
                        .keys()
                        .filter(|key| entries.iter().all(|e| &e.key != *key))
                        .map(String::as_str);
                    let missing_required: Vec<&str> = required
                        .iter()
                        .copied()
                        .filter(|key| entries.iter().all(|e| e.key != *key))
                        .collect();
                    let hint = match did_you_mean(&entry.key, unused) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if missing_required.len() == 1 => format!(
                            "did you mean `{}`? It is required here and missing",
                            missing_required[0]
                        ),
                        None => format!(
                            "the keys allowed here are: {}",
                            properties
                                .keys()
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.problem(
                        "unknown-key",
                        format!("unknown key `{}`", entry.key),
                        entry.key_span,
                        &entry_path,
                        Some(entry.key.clone()),
                        Some(hint),
                    );
                }
            }
        }
        for key in &required {
            if entries.iter().all(|e| e.key != *key) {
                let description = properties
                    .get(*key)
                    .map(|p| self.resolve(p))
                    .and_then(|p| {
                        p.get("description")
                            .or_else(|| properties[*key].get("description"))
                    })
                    .and_then(Json::as_str)
                    .unwrap_or("");
                let mut hint = format!("add `{key}:`");
                let first_sentence = first_sentence(description);
                if !first_sentence.is_empty() {
                    hint.push_str(&format!(" ({})", lowercase_first(first_sentence)));
                }
                self.problem(
                    "missing-key",
                    format!("missing key `{key}`"),
                    node.span,
                    path,
                    None,
                    Some(hint),
                );
                match properties.get(*key).and_then(|p| self.placeholder(p)) {
                    Some(value) => {
                        map.insert(Yaml::String((*key).to_string()), value);
                        self.left_out.placeholders.push(path.key(key));
                    }
                    None => failed = true,
                }
            }
        }
        if failed {
            Err(Invalid)
        } else {
            Ok(Yaml::Mapping(map))
        }
    }

    fn walk_array(
        &mut self,
        elements: &[Node],
        schema: &Json,
        path: &DocPath,
    ) -> Result<Yaml, Invalid> {
        let element_schema = schema.get("items").cloned().unwrap_or(Json::Bool(true));
        let mut kept = Vec::new();
        let mut values = Vec::new();
        for (index, element) in elements.iter().enumerate() {
            match self.walk(element, &element_schema, &path.index(index)) {
                Ok(value) => {
                    kept.push(index);
                    values.push(value);
                }
                Err(Invalid) => {
                    if let Some(id) = element.get("id").and_then(Node::as_text) {
                        self.left_out.ids.insert(id.to_string());
                    }
                }
            }
        }
        if kept.len() < elements.len() {
            // A list of plain values with a bad element (such as likert codes) is reported once;
            // checks of its length or order would only repeat the problem.
            let element_is_object = self.resolve(&element_schema).get("properties").is_some();
            if !element_is_object {
                self.left_out.placeholders.push(path.clone());
            }
            self.left_out.kept_indices.insert(path.clone(), kept);
        }
        Ok(Yaml::Sequence(values))
    }
}

/// The first sentence of a description: up to a full stop followed by a capital letter.
fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (index, window) in bytes.windows(3).enumerate() {
        if window[0] == b'.' && window[1] == b' ' && window[2].is_ascii_uppercase() {
            return &text[..index];
        }
    }
    text.trim_end_matches('.')
}

/// Lowercases the first letter of a sentence, so that it reads inside another.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Converts a located node to a plain YAML value (used where the schema allows anything).
fn to_yaml(node: &Node) -> Yaml {
    match &node.value {
        NodeValue::Scalar(scalar) => match scalar.resolve() {
            Resolved::Null => Yaml::Null,
            Resolved::Bool(flag) => Yaml::Bool(flag),
            Resolved::Integer(number) => Yaml::Number(number.into()),
            Resolved::Float(number) => Yaml::Number(number.into()),
            Resolved::String => Yaml::String(scalar.text.clone()),
        },
        NodeValue::Sequence(elements) => Yaml::Sequence(elements.iter().map(to_yaml).collect()),
        NodeValue::Map(entries) => Yaml::Mapping(
            entries
                .iter()
                .map(|e| (Yaml::String(e.key.clone()), to_yaml(&e.value)))
                .collect(),
        ),
    }
}

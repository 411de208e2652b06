//! The walker: following `$ref`s, recording problems, and checking plain values (text,
//! numbers, flags, enum values) against their schema.

use super::{LeftOut, Problem};
use crate::diagnostic::{DocPath, PathSegment, Severity, Span, did_you_mean};
use crate::located::{Node, NodeValue, Resolved};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// The state of one walk: the schema's definitions, and what it found so far.
pub(super) struct Walker {
    pub(super) definitions: Json,
    pub(super) problems: Vec<Problem>,
    pub(super) left_out: LeftOut,
}

/// The walk failed at this node; its problems are already recorded.
pub(super) struct Invalid;

/// How a message names the value at `path`: its key in backticks, or the document.
pub(super) fn field_name(path: &DocPath) -> String {
    match path.0.iter().rev().find_map(|segment| match segment {
        PathSegment::Key(key) => Some(key.as_str()),
        PathSegment::Index(_) => None,
    }) {
        Some(key) => format!("`{key}`"),
        None => "the document".to_string(),
    }
}

/// How a message names a JSON Schema type.
pub(super) fn describe_type(name: &str) -> &'static str {
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
    /// A walk that has found nothing yet, with the schema's `$defs`.
    pub(super) fn new(definitions: Json) -> Walker {
        Walker {
            definitions,
            problems: Vec::new(),
            left_out: LeftOut::default(),
        }
    }

    /// The schema a `$ref` points to, followed through chains of them.
    pub(super) fn resolve<'a>(&'a self, mut schema: &'a Json) -> &'a Json {
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

    /// Records an error at `span`.
    pub(super) fn problem(
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

    /// Walks one node against its schema: the cleaned value, or `Invalid` with the problems
    /// recorded.
    pub(super) fn walk(
        &mut self,
        node: &Node,
        schema: &Json,
        path: &DocPath,
    ) -> Result<Yaml, Invalid> {
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
                    // Digits too many for i64 are a u64 (a seed) where the schema takes one
                    // and they fit; otherwise out of range. (`3.0` is not a whole number as
                    // written and gets the wrong-type message below.)
                    ("integer", Resolved::Float(number))
                        if number > 0.0
                            && scalar.text.trim().bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        let unsigned =
                            schema.get("format").and_then(Json::as_str) == Some("uint64");
                        match scalar.text.trim().parse::<u64>() {
                            Ok(number) if unsigned => {
                                self.check_minimum(node, number as f64, &schema, path)?;
                                Ok(Yaml::Number(number.into()))
                            }
                            _ => {
                                let largest = if unsigned {
                                    u64::MAX.to_string()
                                } else {
                                    i64::MAX.to_string()
                                };
                                self.problem(
                                    "out-of-range",
                                    format!(
                                        "{} must be a whole number of at most {largest}, found `{}`",
                                        field_name(path),
                                        node.describe()
                                    ),
                                    node.span,
                                    path,
                                    Some(node.describe()),
                                    None,
                                );
                                Err(Invalid)
                            }
                        }
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

    /// Refuses a whole number below the schema's minimum or above what a `uint32` holds.
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

    /// Checks a value against a list of allowed names, suggesting the closest.
    pub(super) fn walk_enum(
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

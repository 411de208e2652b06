//! The walk of maps and lists: unknown keys with a suggestion, missing keys with placeholders
//! so that the rest is still checked, and list elements left out one by one.

use super::walker::{Invalid, Walker};
use crate::diagnostic::{DocPath, did_you_mean};
use crate::located::{MapEntry, Node};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

impl Walker {
    /// A stand-in for a required value that is missing or wrong, so that the rest of its map
    /// can still be checked. Only plain types have one.
    pub(super) fn placeholder(&self, schema: &Json) -> Option<Yaml> {
        let schema = self.resolve(schema);
        // A wrong choice of a fixed set stands in as the set's first, which the model reads.
        if let Some(Json::String(first)) = schema
            .get("enum")
            .and_then(Json::as_array)
            .and_then(|values| values.first())
        {
            return Some(Yaml::String(first.clone()));
        }
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

    /// Walks a map against an object schema: each key, then the required keys not given.
    pub(super) fn walk_object(
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

    /// Walks a list: elements that fail are left out and the others kept.
    pub(super) fn walk_array(
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

//! The walk of alternatives (`oneOf`, `anyOf`): a value that may be null, enums whose
//! variants carry descriptions, tagged variants chosen by a key such as `type` or `kind`, and
//! untagged alternatives, of which the first that fits wins.

use super::walker::{Invalid, Walker, describe_type, field_name};
use crate::diagnostic::{DocPath, did_you_mean};
use crate::located::{Node, NodeValue, Resolved};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

impl Walker {
    /// The discriminating key and value of a branch, e.g. (`type`, `likert`).
    pub(super) fn branch_tag(&self, branch: &Json) -> Option<(String, String)> {
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

    /// Walks a node against several alternative schemas.
    pub(super) fn walk_alternatives(
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
            let mut trial = Walker::new(self.definitions.clone());
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
}

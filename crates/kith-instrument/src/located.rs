//! A YAML tree that remembers where each node stands in the source, so diagnostics can point at it.

use crate::diagnostic::Span;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A scalar as written: its text, and whether it was quoted (quoted scalars are always strings).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub quoted: bool,
}

/// The YAML 1.2 core-schema reading of a plain scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String,
}

impl Scalar {
    /// Reads the scalar as YAML 1.2's core schema does: quoted text is a string; plain text may
    /// be null, a boolean, an integer or a float.
    pub fn resolve(&self) -> Resolved {
        if self.quoted {
            return Resolved::String;
        }
        match yaml_rust2::Yaml::from_str(&self.text) {
            yaml_rust2::Yaml::Null => Resolved::Null,
            yaml_rust2::Yaml::Boolean(value) => Resolved::Bool(value),
            yaml_rust2::Yaml::Integer(value) => Resolved::Integer(value),
            yaml_rust2::Yaml::Real(text) => match text.parse::<f64>() {
                Ok(value) => Resolved::Float(value),
                // `.inf` and `.nan` spellings are floats to YAML but not to Rust's parser.
                Err(_) => match text.trim_start_matches(['+', '-']).to_lowercase().as_str() {
                    ".inf" if text.starts_with('-') => Resolved::Float(f64::NEG_INFINITY),
                    ".inf" => Resolved::Float(f64::INFINITY),
                    _ => Resolved::Float(f64::NAN),
                },
            },
            _ => Resolved::String,
        }
    }
}

/// A YAML node with the place it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

/// The content of a node. Maps keep their keys' places and their order.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Map(Vec<MapEntry>),
}

/// One key of a map, with the place of the key itself.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The value under `key`, if this node is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The text of a scalar node.
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar(scalar) => Some(&scalar.text),
            _ => None,
        }
    }

    /// A short, human description of the node for messages: the scalar's text, or its shape.
    pub fn describe(&self) -> String {
        match &self.value {
            NodeValue::Scalar(scalar) if scalar.text.is_empty() && !scalar.quoted => {
                "(empty)".to_string()
            }
            NodeValue::Scalar(scalar) => scalar.text.clone(),
            NodeValue::Sequence(_) => "(a list)".to_string(),
            NodeValue::Map(_) => "(a map)".to_string(),
        }
    }
}

/// A YAML syntax problem: the parser's message and where it stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    pub code: &'static str,
}

impl SyntaxError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self.code {
            "duplicate-key" => {
                "remove one of the two, or fix the indentation if one belongs to another map"
            }
            "complex-key" => "keys are names such as `id:` or `text:`",
            "unknown-alias" => "define the anchor (`&name`) before using it (`*name`)",
            "alias-limit" => {
                "write the repeated values out, or use fewer aliases of aliases; a file whose aliases multiply is refused before it is expanded"
            }
            "nesting-limit" => {
                "kith's files nest a few levels deep; check for runaway brackets or indentation"
            }
            "multiple-documents" => "remove the `---` line, or split the file in two",
            _ => {
                "check the indentation and quoting around this place; YAML indents with spaces, not tabs"
            }
        }
    }
}

/// How deeply lists and maps may nest. kith's files nest about six levels; the limit keeps a
/// hostile file from exhausting the stack when the tree is walked or dropped.
pub const NESTING_LIMIT: usize = 64;

fn span_of(marker: &Marker) -> Span {
    Span {
        line: marker.line(),
        column: marker.col() + 1,
    }
}

/// A container being built while events arrive.
enum Frame {
    Sequence {
        span: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        span: Span,
        anchor: usize,
        entries: Vec<MapEntry>,
        pending_key: Option<(String, Span)>,
    },
}

/// How many nodes aliases may add to a file's tree, in all. A legitimate file repeats a few
/// anchored values; a "billion laughs" file nests aliases of aliases so that a few hundred bytes
/// expand to billions of nodes. The budget refuses such a file after a bounded amount of work.
pub const ALIAS_NODE_BUDGET: usize = 100_000;

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    documents: Vec<Node>,
    /// Anchored nodes with the number of nodes in each.
    anchors: HashMap<usize, (Node, usize)>,
    errors: Vec<SyntaxError>,
    /// Nodes added by aliases so far.
    alias_nodes: usize,
    /// Set once the alias budget is spent: later events are ignored.
    refused: bool,
}

/// The number of nodes in a tree.
fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        NodeValue::Scalar(_) => 0,
        NodeValue::Sequence(items) => items.iter().map(node_count).sum(),
        NodeValue::Map(entries) => entries.iter().map(|e| 1 + node_count(&e.value)).sum(),
    }
}

impl Builder {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    // This node is a key. Keys must be scalars to name columns and fields.
                    match node.value {
                        NodeValue::Scalar(scalar) => *pending_key = Some((scalar.text, node.span)),
                        _ => {
                            self.errors.push(SyntaxError {
                                message: "a map key must be plain text, not a list or a map"
                                    .to_string(),
                                span: node.span,
                                code: "complex-key",
                            });
                            *pending_key = Some((String::new(), node.span));
                        }
                    }
                }
                Some((key, key_span)) => {
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        self.errors.push(SyntaxError {
                            message: format!(
                                "duplicate key `{key}` (first given at line {})",
                                first.key_span.line
                            ),
                            span: key_span,
                            code: "duplicate-key",
                        });
                    } else {
                        entries.push(MapEntry {
                            key,
                            key_span,
                            value: node,
                        });
                    }
                }
            },
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors
                .insert(anchor, (node.clone(), node_count(node)));
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        if self.refused {
            return;
        }
        let span = span_of(&marker);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node {
                    span,
                    value: NodeValue::Scalar(Scalar {
                        text,
                        quoted: style != TScalarStyle::Plain,
                    }),
                };
                self.remember(anchor, &node);
                self.push_node(node);
            }
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() >= NESTING_LIMIT =>
            {
                self.refused = true;
                self.errors.push(SyntaxError {
                    message: format!(
                        "lists and maps nest more than {NESTING_LIMIT} levels deep here"
                    ),
                    span,
                    code: "nesting-limit",
                });
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Sequence {
                span,
                anchor,
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map {
                span,
                anchor,
                entries: Vec::new(),
                pending_key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Sequence {
                        span,
                        anchor,
                        items,
                    }) => (
                        anchor,
                        Node {
                            span,
                            value: NodeValue::Sequence(items),
                        },
                    ),
                    Some(Frame::Map {
                        span,
                        anchor,
                        entries,
                        ..
                    }) => (
                        anchor,
                        Node {
                            // The parser marks a block map where its first value begins; the
                            // first key is where a reader looks for the map.
                            span: entries.first().map_or(span, |entry| entry.key_span),
                            value: NodeValue::Map(entries),
                        },
                    ),
                    None => return,
                };
                self.remember(node.0, &node.1);
                self.push_node(node.1);
            }
            Event::Alias(anchor) => match self.anchors.get(&anchor) {
                Some((_, count)) if self.alias_nodes + count > ALIAS_NODE_BUDGET => {
                    self.refused = true;
                    self.errors.push(SyntaxError {
                        message: format!(
                            "the file's aliases expand to more than {ALIAS_NODE_BUDGET} values; kith refuses YAML whose aliases multiply"
                        ),
                        span,
                        code: "alias-limit",
                    });
                }
                Some((node, count)) => {
                    self.alias_nodes += count;
                    let mut node = node.clone();
                    node.span = span;
                    self.push_node(node);
                }
                None => self.errors.push(SyntaxError {
                    message: "an alias refers to an anchor that is not defined before it"
                        .to_string(),
                    span,
                    code: "unknown-alias",
                }),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Parses YAML text into one located node. An empty file is an empty map's absence: `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, Vec<SyntaxError>> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let loaded = parser.load(&mut builder, true);
    if builder.refused {
        // The parser's own complaint (often its recursion limit) follows from the refusal.
        return Err(builder.errors);
    }
    if let Err(error) = loaded {
        let mut message = error.info().to_string();
        if message.contains("mapping values are not allowed") {
            message.push_str(" (a value containing `: ` must be quoted)");
        }
        let (message, code) = if message.contains("recursion limit") {
            (
                "lists and maps nest too deeply here".to_string(),
                "nesting-limit",
            )
        } else {
            (
                format!("the file is not valid YAML: {message}"),
                "yaml-syntax",
            )
        };
        builder.errors.push(SyntaxError {
            message,
            span: span_of(error.marker()),
            code,
        });
        return Err(builder.errors);
    }
    if builder.documents.len() > 1 {
        let span = builder.documents[1].span;
        builder.errors.push(SyntaxError {
            message: format!(
                "the file holds {} YAML documents; kith reads one per file",
                builder.documents.len()
            ),
            span,
            code: "multiple-documents",
        });
    }
    if !builder.errors.is_empty() {
        return Err(builder.errors);
    }
    Ok(builder.documents.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based_lines_and_columns() {
        let node = parse("id: x\nitems:\n  - id: a\n    text: hello\n")
            .expect("valid yaml")
            .expect("one document");
        let NodeValue::Map(entries) = &node.value else {
            panic!("expected a map")
        };
        assert_eq!(entries[0].key_span, Span { line: 1, column: 1 });
        assert_eq!(entries[0].value.span, Span { line: 1, column: 5 });
        let items = node.get("items").expect("items");
        let NodeValue::Sequence(list) = &items.value else {
            panic!("expected a list")
        };
        let text = list[0].get("text").expect("text");
        assert_eq!(
            text.span,
            Span {
                line: 4,
                column: 11
            }
        );
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_places() {
        let errors = parse("id: a\nid: b\n").expect_err("duplicate key");
        assert_eq!(errors[0].code, "duplicate-key");
        assert_eq!(errors[0].span.line, 2);
        assert!(errors[0].message.contains("line 1"));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let scalar = Scalar {
            text: "true".into(),
            quoted: true,
        };
        assert_eq!(scalar.resolve(), Resolved::String);
        let plain = Scalar {
            text: "4".into(),
            quoted: false,
        };
        assert_eq!(plain.resolve(), Resolved::Integer(4));
    }

    #[test]
    fn aliases_copy_the_anchored_node() {
        let node = parse("a: &x [1, 2]\nb: *x\n").expect("valid").expect("doc");
        assert_eq!(
            node.get("a").map(|n| &n.value),
            node.get("b").map(|n| &n.value)
        );
    }
}

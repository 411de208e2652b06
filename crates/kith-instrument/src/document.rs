//! Reading one instrument or survey file: YAML syntax, the schema walk, then the typed model.

use crate::diagnostic::{Diagnostic, DocPath, PathSegment, Severity, Span};
use crate::located::{self, Node, NodeValue};
use crate::model::{Instrument, Survey};
use crate::schema::{self, LeftOut, Problem};

/// A parsed file: its name and text, the located tree, and the typed model.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The file as the user or an include named it.
    pub name: String,
    pub text: String,
    pub root: Node,
    pub model: T,
    pub left_out: LeftOut,
}

/// An instrument or a survey, as the file's `kind` says.
#[derive(Debug, Clone)]
pub enum Document {
    Instrument(Parsed<Instrument>),
    Survey(Parsed<Survey>),
}

impl Document {
    pub fn name(&self) -> &str {
        match self {
            Document::Instrument(parsed) => &parsed.name,
            Document::Survey(parsed) => &parsed.name,
        }
    }
}

/// Parses a file's text. Returns the document when its structure could be read, and every
/// problem found on the way (a document may come back together with errors: the parts in error
/// are left out of it, so that later checks can still run on the rest).
pub fn parse_document(name: &str, text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root = match located::parse(stripped) {
        Ok(Some(root)) => root,
        Ok(None) => {
            let diagnostic = Diagnostic {
                severity: Severity::Error,
                code: "empty-file",
                message: "the file is empty".to_string(),
                file: name.to_string(),
                line: 1,
                column: 1,
                path: DocPath::root().to_string(),
                value: None,
                hint: Some(
                    "an instrument file starts with `kind: instrument`; see docs/format.md"
                        .to_string(),
                ),
            };
            return (None, vec![diagnostic]);
        }
        Err(errors) => {
            let diagnostics = errors
                .into_iter()
                .map(|error| Diagnostic {
                    severity: Severity::Error,
                    code: error.code,
                    hint: Some(error.hint().to_string()),
                    message: error.message,
                    file: name.to_string(),
                    line: error.span.line,
                    column: error.span.column,
                    path: DocPath::root().to_string(),
                    value: None,
                })
                .collect();
            return (None, diagnostics);
        }
    };
    let walked = schema::walk_document(&root);
    let mut diagnostics: Vec<Diagnostic> = walked
        .problems
        .into_iter()
        .map(|problem| problem_to_diagnostic(name, problem))
        .collect();
    let Some(value) = walked.value else {
        return (None, diagnostics);
    };
    let kind = root.get("kind").and_then(Node::as_text).unwrap_or_default();
    let document = match kind {
        "survey" => serde_yaml::from_value::<Survey>(value).map(|model| {
            Document::Survey(Parsed {
                name: name.to_string(),
                text: stripped.to_string(),
                root: root.clone(),
                model,
                left_out: walked.left_out.clone(),
            })
        }),
        _ => serde_yaml::from_value::<Instrument>(value).map(|model| {
            Document::Instrument(Parsed {
                name: name.to_string(),
                text: stripped.to_string(),
                root: root.clone(),
                model,
                left_out: walked.left_out.clone(),
            })
        }),
    };
    match document {
        Ok(document) => (Some(document), diagnostics),
        Err(error) => {
            // The schema walk accepted what serde refused: a disagreement between the two
            // readers of one definition, reported rather than hidden.
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code: "internal-schema-mismatch",
                message: format!("kith could not read the checked document: {error}"),
                file: name.to_string(),
                line: 1,
                column: 1,
                path: DocPath::root().to_string(),
                value: None,
                hint: Some("this is a bug in kith; please report it with the file".to_string()),
            });
            (None, diagnostics)
        }
    }
}

fn problem_to_diagnostic(file: &str, problem: Problem) -> Diagnostic {
    Diagnostic {
        severity: problem.severity,
        code: problem.code,
        message: problem.message,
        file: file.to_string(),
        line: problem.span.line,
        column: problem.span.column,
        path: problem.path.to_string(),
        value: problem.value,
        hint: problem.hint,
    }
}

/// Finds the node at a source path.
pub fn node_at<'a>(root: &'a Node, path: &DocPath) -> Option<&'a Node> {
    let mut node = root;
    for segment in &path.0 {
        node = match (segment, &node.value) {
            (PathSegment::Key(key), NodeValue::Map(_)) => node.get(key)?,
            (PathSegment::Index(index), NodeValue::Sequence(elements)) => elements.get(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The node at a source path or, when the source has none there (a key left out, an index
/// past the end), the nearest enclosing node that exists; with whether it is the node asked
/// for. Diagnostics of instruments, surveys and plans are all placed by this one rule.
pub fn nearest_node<'a>(root: &'a Node, path: &DocPath) -> (&'a Node, bool) {
    let mut probe = path.clone();
    loop {
        if let Some(node) = node_at(root, &probe) {
            return (node, probe == *path);
        }
        match probe.parent() {
            Some(parent) => probe = parent,
            None => return (root, false),
        }
    }
}

impl<T> Parsed<T> {
    /// The span and source text of the node at a path in the model, falling back to the
    /// nearest enclosing node that exists in the source.
    /// Returns the span, the scalar found there, and the source path asked for.
    pub fn locate(&self, model_path: &DocPath) -> (Span, Option<String>, DocPath) {
        let wanted = self.left_out.source_path(model_path);
        let (node, exact) = nearest_node(&self.root, &wanted);
        let value = match &node.value {
            NodeValue::Scalar(_) if exact => Some(node.describe()),
            _ => None,
        };
        (node.span, value, wanted)
    }

    /// Drops the diagnostics about this file, from `from` on, that concern a placeholder the
    /// schema walk put in for a value it already reported.
    pub fn drop_placeholder_diagnostics(&self, diagnostics: &mut Vec<Diagnostic>, from: usize) {
        let mut index = from;
        while index < diagnostics.len() {
            let diagnostic = &diagnostics[index];
            if diagnostic.file == self.name && self.left_out.is_placeholder(&diagnostic.path) {
                diagnostics.remove(index);
            } else {
                index += 1;
            }
        }
    }

    /// The span of the key that names a map entry (e.g. a scale's name) at a model path.
    pub fn locate_key(&self, model_path: &DocPath) -> Option<Span> {
        let path = self.left_out.source_path(model_path);
        let (last, parent) = (path.0.last()?, path.parent()?);
        let PathSegment::Key(key) = last else {
            return None;
        };
        match &node_at(&self.root, &parent)?.value {
            NodeValue::Map(entries) => entries.iter().find(|e| &e.key == key).map(|e| e.key_span),
            _ => None,
        }
    }

    /// A diagnostic at a model path, with the value found there in the source.
    pub fn diagnostic(
        &self,
        severity: Severity,
        code: &'static str,
        message: String,
        model_path: &DocPath,
        hint: Option<String>,
    ) -> Diagnostic {
        let (span, value, path) = self.locate(model_path);
        Diagnostic {
            severity,
            code,
            message,
            file: self.name.clone(),
            line: span.line,
            column: span.column,
            path: path.to_string(),
            value,
            hint,
        }
    }

    /// An error at a model path.
    pub fn error(
        &self,
        code: &'static str,
        message: String,
        model_path: &DocPath,
        hint: impl Into<Option<String>>,
    ) -> Diagnostic {
        self.diagnostic(Severity::Error, code, message, model_path, hint.into())
    }

    /// A warning at a model path.
    pub fn warning(
        &self,
        code: &'static str,
        message: String,
        model_path: &DocPath,
        hint: impl Into<Option<String>>,
    ) -> Diagnostic {
        self.diagnostic(Severity::Warning, code, message, model_path, hint.into())
    }
}

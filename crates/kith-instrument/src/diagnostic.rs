//! Diagnostics: what `kith check` reports about a file, with its place, the offending value and a hint.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. Errors make a file invalid; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word that starts a diagnostic of this severity, e.g. `error[code]`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// One problem found in one file.
///
/// Every diagnostic names the file and the place, the value that is wrong (when there is one)
/// and, where the fix is not obvious from the message, a hint that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem, e.g. `duplicate-item-id`.
    pub code: &'static str,
    pub message: String,
    /// The file as the user named it (or as an include resolved it).
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Where in the document the problem is, e.g. `items[3].reverse`.
    pub path: String,
    /// The offending value as written, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Whether this diagnostic makes its file invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostic's first two lines, its kind with the message and its place; the binary
/// renders it in full, with the source line and the hint (`kith-cli`'s `render::diagnostic`).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}\n  --> {}:{}:{}",
            self.severity.name(),
            self.code,
            self.message,
            self.file,
            self.line,
            self.column
        )
    }
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path into a document, such as `items[3].reverse`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DocPath(pub Vec<PathSegment>);

impl DocPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a map key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_string()));
        Self(segments)
    }

    /// This path extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Self(segments)
    }

    /// The path one step up, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            None
        } else {
            Some(Self(self.0[..self.0.len() - 1].to_vec()))
        }
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if position == 0 => write!(f, "{key}")?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Suggests the candidate closest to `typed`, if one is close enough to be a likely typo: a
/// Jaro-Winkler similarity of at least 0.8, or the only candidate one edit away.
pub fn did_you_mean<'a, I>(typed: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let typed_lower = typed.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let best = candidates
        .iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&typed_lower, &candidate.to_lowercase());
            (score, *candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate);
    if best.is_some() {
        return best;
    }
    let one_edit: Vec<&'a str> = candidates
        .iter()
        .copied()
        .filter(|candidate| strsim::levenshtein(&typed_lower, &candidate.to_lowercase()) == 1)
        .collect();
    match one_edit.as_slice() {
        [only] if typed.chars().count() >= 3 => Some(only),
        _ => None,
    }
}

//! Why a Qualtrics survey file cannot be converted: the file, the element or question, a stable
//! code, the message and the hint, all as data, so the binary renders it like any other error.

use std::fmt;

/// A .qsf file that cannot be converted at all. Problems with single questions are not errors:
/// those questions are left out and listed in `Conversion::left_out`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QsfError {
    /// The file as the caller named it.
    pub file: String,
    /// The survey element the problem is in: a question (`QID7`), a block (`BL_…`) or a flow
    /// element (`FL_3`), when the problem has one.
    pub element: Option<String>,
    /// A stable kebab-case name of the problem, e.g. `not-json`.
    pub code: &'static str,
    /// What is wrong, lowercase and without a final full stop.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl QsfError {
    pub(super) fn new(
        file: &str,
        element: Option<&str>,
        code: &'static str,
        message: String,
        hint: &str,
    ) -> Self {
        QsfError {
            file: file.to_string(),
            element: element.map(str::to_string),
            code,
            message,
            hint: hint.to_string(),
        }
    }

    /// What to do about the problem.
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

/// The file, the element when there is one, and the message; the hint is data, rendered by
/// the binary.
impl fmt::Display for QsfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.element {
            Some(element) => write!(f, "{}: {}: {}", self.file, element, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for QsfError {}

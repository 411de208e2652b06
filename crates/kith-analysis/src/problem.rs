//! Problems found in response files: each names the row, the respondent, the column, the value
//! and a hint, and a file's problems are all reported together.

use serde::Serialize;
use std::fmt;

/// One problem in a response file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataProblem {
    /// A stable kebab-case name for the kind of problem, e.g. `value-off-scale`.
    pub code: &'static str,
    pub message: String,
    /// The 1-based data row (the first row after the header rows is row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl DataProblem {
    /// A problem about the file as a whole.
    pub fn file(code: &'static str, message: String, hint: impl Into<Option<String>>) -> Self {
        DataProblem {
            code,
            message,
            row: None,
            respondent: None,
            column: None,
            value: None,
            hint: hint.into(),
        }
    }

    /// A problem with one cell.
    pub fn cell(
        code: &'static str,
        message: String,
        row: usize,
        respondent: Option<&str>,
        column: &str,
        value: &str,
        hint: impl Into<Option<String>>,
    ) -> Self {
        DataProblem {
            code,
            message,
            row: Some(row),
            respondent: respondent.map(str::to_string),
            column: Some(column.to_string()),
            value: Some(value.to_string()),
            hint: hint.into(),
        }
    }

    /// Where the problem is, e.g. `row 17 (respondent R_1), column gje_3`.
    pub fn place(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(row) = self.row {
            match &self.respondent {
                Some(id) => parts.push(format!("row {row} (respondent `{id}`)")),
                None => parts.push(format!("row {row}")),
            }
        }
        if let Some(column) = &self.column {
            parts.push(format!("column `{column}`"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: ", self.code)?;
        if let Some(place) = self.place() {
            write!(f, "{place}: ")?;
        }
        // The hint is data (`hint`); the binary shows it on its own line.
        write!(f, "{}", self.message)
    }
}

/// Everything wrong with one response file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{source_name}` has {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
pub struct DataErrors {
    /// The file, as the user named it.
    pub source_name: String,
    pub problems: Vec<DataProblem>,
}

//! What loading a study has to tell the user besides its result: diagnostics, dropped rows,
//! unanswered items and data problems, in the order they were found, and why a study could
//! not be loaded at all.

use crate::problem::DataErrors;
use crate::read::DroppedRows;
use crate::score::UnansweredItem;
use kith_instrument::diagnostic::Diagnostic;

/// One thing to tell the user while a study loads. The binary renders notices in order.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Diagnostics of the plan or its survey (warnings too), to show with their source lines.
    Diagnostics(Vec<Diagnostic>),
    /// The survey has errors (already shown), so the plan was not run.
    SurveyRefused {
        /// The survey as the user named it.
        file: String,
    },
    /// Rows that were left out of a response file: Qualtrics' unfinished, preview, test and
    /// spam rows, kith's unfinished, declined and screened-out sessions.
    Dropped {
        file: String,
        kept: usize,
        dropped: DroppedRows,
    },
    /// Missing answers of a kith export of a survey with logic, told apart: not shown by the
    /// logic, or shown and left unanswered. Both are missing to scores and models.
    Missing {
        file: String,
        not_shown: usize,
        unanswered: usize,
    },
    /// A scored item that no respondent of a file answered.
    Unanswered { file: String, item: UnansweredItem },
    /// Values an SPSS file declared user-missing (or a Stata file's extended missing values
    /// `.a`–`.z`), read as missing: how many in all, and in which columns.
    UserMissing {
        file: String,
        format: String,
        columns: Vec<(String, usize)>,
    },
    /// The problems of a response file read with the survey; nothing was computed.
    ResponseProblems(DataErrors),
    /// The problems of a data file read without a survey; the plan was not run.
    DataProblems(DataErrors),
    /// The plan has errors (already shown as diagnostics); nothing was computed.
    PlanRefused {
        /// The plan as the user named it.
        name: String,
        errors: usize,
    },
}

/// Why a study could not be loaded, with a hint as data.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    #[error("cannot read the plan `{name}`: {}", plan_reason(error))]
    ReadPlan { name: String, error: std::io::Error },
    #[error("the plan's survey `{path}` does not exist")]
    MissingSurvey { path: String },
    #[error("cannot tell the format of `{name}` from its extension")]
    UnknownFormat { name: String },
    #[error(
        "cannot read the data file `{name}` named by the plan: {}",
        io_reason(error)
    )]
    ReadData { name: String, error: std::io::Error },
}

impl StudyError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(
            match self {
                StudyError::ReadPlan { .. } => "check the path of the plan file",
                StudyError::MissingSurvey { .. } => {
                    "`survey:` is a path relative to the plan's folder"
                }
                StudyError::UnknownFormat { .. } => "name it .csv, .tsv, .parquet or .jsonl",
                StudyError::ReadData { .. } => "`data:` paths are relative to the plan's folder",
            }
            .to_string(),
        )
    }
}

/// Why the plan could not be read: a missing file in words, anything else as the system says.
fn plan_reason(error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        "the file does not exist".to_string()
    } else {
        error.to_string()
    }
}

/// A short reason for an I/O error, in the words of the rest of kith's messages.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

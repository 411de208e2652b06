//! Why the store could not do what was asked, mapped from SQLite's codes to messages, each with
//! the hint that says what to do (as data: the binary writes the hint line).

use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

/// Why the store could not do what was asked. Each message names the store; `hint` says what to
/// do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store `{path}` holds sessions of `{survey}` {version} with other survey logic (show_if, end_if or constraint) under the same version"
    )]
    LogicChanged {
        path: String,
        survey: String,
        version: String,
    },
    #[error("cannot write to the store `{path}`: the file or its folder is read-only")]
    ReadOnly { path: String },
    #[error("cannot write to the store `{path}`: the disk is full")]
    DiskFull { path: String },
    #[error("cannot open the store `{path}`: {reason}")]
    CannotOpen { path: String, reason: String },
    #[error("there is no store at `{path}`")]
    Missing { path: String },
    #[error("`{path}` is not a kith response store")]
    NotAStore { path: String },
    #[error(
        "the store `{path}` has schema version {found}, but this kith reads versions up to {supported}"
    )]
    NewerSchema {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("the store `{path}` has no session `{id}`")]
    UnknownSession { path: String, id: String },
    #[error("the store `{path}` holds a damaged record ({what})")]
    Damaged { path: String, what: String },
    #[error(
        "the store `{path}` was deleted or replaced while kith was writing to it, so nothing more is acknowledged as saved{}",
        rescued_note(.rescued)
    )]
    Replaced {
        path: String,
        /// Where what the open store held was copied, if that could be written.
        rescued: Option<String>,
        /// Whether this is the first time it was found (the server logs it once).
        just_found: bool,
    },
    #[error("cannot back up to `{path}`: {reason}")]
    BackupTarget { path: String, reason: String },
    #[error("cannot write the backup `{path}`: {source}")]
    Backup {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the store `{path}` cannot keep {what}: {reason}")]
    Unstorable {
        path: String,
        what: String,
        reason: String,
    },
    #[error("the store `{path}` failed while {action}: {source}")]
    Sqlite {
        path: String,
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// What to do about the error, when kith can say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            StoreError::LogicChanged { .. } => "bump the survey's `version:` when its logic changes, so that the sessions already collected are exported with the logic they were taken with".to_string(),
            StoreError::ReadOnly { .. } => {
                "put the store on a writable disk (--store PATH); no question was shown".to_string()
            }
            StoreError::DiskFull { .. } => "free some space or put the store on another disk (--store PATH); answers already saved are kept".to_string(),
            StoreError::CannotOpen { .. } => {
                "check that the folder exists and that you may write to it".to_string()
            }
            StoreError::Missing { .. } => "give the file that `kith run --store` wrote".to_string(),
            StoreError::NotAStore { .. } => "give the SQLite file that `kith run --store` wrote; kith does not write into other files".to_string(),
            StoreError::NewerSchema { .. } => "it was written by a newer kith; use that version (or newer) to run or export it".to_string(),
            StoreError::UnknownSession { path, .. } => format!(
                "the session id is shown on the participant's screen; `kith export --store {path} --include-partial` lists every session"
            ),
            StoreError::Damaged { .. } => {
                "the store may have been edited by hand; restore it from a backup".to_string()
            }
            StoreError::Replaced { .. } => "stop kith, put the store file back where it was (or give a new --store), and start again; participants' pages ask them to try again later".to_string(),
            StoreError::BackupTarget { .. } => {
                "give a new file name with -o, in a folder you may write to".to_string()
            }
            StoreError::Backup { .. } => "check the free space and permissions of its folder; the store itself is unchanged".to_string(),
            StoreError::Unstorable { .. } => {
                "nothing of it was saved; this is a bug in kith, please report it".to_string()
            }
            StoreError::Sqlite { .. } => return None,
        };
        Some(hint)
    }
}

/// The part of the `Replaced` message that says where the rescue copy is.
fn rescued_note(rescued: &Option<String>) -> String {
    match rescued {
        Some(path) => format!("; everything it held, the answers acknowledged before that included, is copied to `{path}`"),
        None => "; copying what it held beside it failed too, so before stopping kith, copy the deleted file it still has open (on Linux, `ls -l /proc/PID/fd` lists it as deleted, and `cp /proc/PID/fd/N rescued.sqlite` copies it)".to_string(),
    }
}

/// Turns SQLite's error codes into the errors researchers can act on.
pub(super) fn classify(path: &str, action: &'static str, error: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore { path },
        // SQLite reports some read-only and full disks only as "cannot open" (its WAL index)
        // or as an I/O error; writing a probe file beside the store tells which.
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied | ErrorCode::SystemIoFailure)
            if folder_problem(&path).is_some() =>
        {
            match folder_problem(&path) {
                Some(FolderProblem::Full) => StoreError::DiskFull { path },
                _ => StoreError::ReadOnly { path },
            }
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            let reason = match Path::new(&path).parent() {
                Some(parent) if !parent.as_os_str().is_empty() && !parent.exists() => {
                    format!("the folder `{}` does not exist", parent.display())
                }
                _ => "the file cannot be opened or created".to_string(),
            };
            StoreError::CannotOpen { path, reason }
        }
        _ => StoreError::Sqlite {
            path,
            action,
            source: error,
        },
    }
}

/// What keeps files from being written in a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FolderProblem {
    ReadOnly,
    Full,
}

/// Writes (and removes) a 64 KiB probe file beside the store to find out whether its folder is
/// read-only or its disk full.
fn folder_problem(path: &str) -> Option<FolderProblem> {
    use std::io::{ErrorKind, Write};
    let folder = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let probe = folder.join(".kith-write-probe");
    let result = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; 65536])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    match result {
        Ok(()) => None,
        Err(error) => match error.kind() {
            ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied => {
                Some(FolderProblem::ReadOnly)
            }
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(FolderProblem::Full),
            _ => None,
        },
    }
}

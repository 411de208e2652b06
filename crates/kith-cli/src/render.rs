//! The one place where kith's messages become text: errors, warnings and their hints.
//!
//! Library crates keep a message and its hint apart (a `hint()` method or a `hint` field);
//! the binary joins them here, so the `= hint:` line is written by exactly one function.

use std::error::Error;
use std::fmt;

/// An error of the binary's own (a path that cannot be read, a flag out of range) with the
/// hint that tells the user what to do.
#[derive(Debug)]
pub struct Hinted {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Hinted {}

/// An error with a message and a hint, for `return Err(fail(..))` and `.map_err(|e| fail(..))`.
pub fn fail(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        message: message.into(),
        hint: Some(hint.into()),
    })
}

/// The hint line that follows a message. Every hint kith shows is written by this function.
pub fn hint_line(hint: &str) -> String {
    format!("  = hint: {hint}")
}

/// A message followed by its hint line, when there is a hint.
pub fn with_hint(message: &str, hint: Option<&str>) -> String {
    match hint {
        Some(hint) => format!("{message}\n{}", hint_line(hint)),
        None => message.to_string(),
    }
}

/// The hint a library error carries as data, found by its type.
///
/// Every library error type that has a hint is named here; an error of another type has none.
pub fn hint_of(error: &(dyn Error + 'static)) -> Option<String> {
    if let Some(hinted) = error.downcast_ref::<Hinted>() {
        return hinted.hint.clone();
    }
    if let Some(error) = error.downcast_ref::<kith_analysis::simulate::ModelError>() {
        return Some(error.hint.clone());
    }
    None
}

/// The text of a failed command: `error: message`, its hint, then each distinct cause with its
/// own hint.
pub fn error_report(error: &anyhow::Error) -> String {
    let mut out = String::new();
    let mut previous: Option<String> = None;
    for cause in error.chain() {
        let text = cause.to_string();
        if previous.as_deref() == Some(text.as_str()) {
            continue;
        }
        if previous.is_none() {
            out.push_str(&format!("error: {text}\n"));
        } else {
            out.push_str(&format!("  caused by: {text}\n"));
        }
        if let Some(hint) = hint_of(cause) {
            out.push_str(&hint_line(&hint));
            out.push('\n');
        }
        previous = Some(text);
    }
    out
}

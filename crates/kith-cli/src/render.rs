//! The one place where kith's messages become text: errors, warnings and their hints.
//!
//! Library crates keep a message and its hint apart (a `hint()` method or a `hint` field);
//! the binary joins them here, so the `= hint:` line is written by exactly one function.

use crate::files::FsLoader;
use kith_analysis::problem::{DataErrors, DataProblem};
use kith_analysis::results::Results;
use kith_analysis::study::{Notice, StudyError};
use kith_instrument::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::error::Error;
use std::fmt;

/// An error of the binary's own (a path that cannot be read, a flag out of range) with the
/// hint that tells the user what to do.
#[derive(Debug)]
pub struct Hinted {
    pub message: String,
    pub hint: Option<String>,
    /// The error that caused it, shown as `caused by:`.
    pub cause: Option<Box<dyn Error + Send + Sync + 'static>>,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Hinted {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn Error + 'static))
    }
}

/// An error with a message and a hint, for `return Err(fail(..))` and `.map_err(|e| fail(..))`.
pub fn fail(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        message: message.into(),
        hint: Some(hint.into()),
        cause: None,
    })
}

/// An error with a message and a hint that names the error that caused it.
pub fn fail_because(
    message: impl Into<String>,
    hint: impl Into<String>,
    cause: impl Into<Box<dyn Error + Send + Sync + 'static>>,
) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        message: message.into(),
        hint: Some(hint.into()),
        cause: Some(cause.into()),
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

/// A diagnostic for a terminal: `error[code]: message`, its place, the offending source line
/// (when given) with a caret under the value, and its hint.
pub fn diagnostic(diagnostic: &Diagnostic, source_line: Option<&str>) -> String {
    let mut out = format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n",
        diagnostic.severity.name(),
        diagnostic.code,
        diagnostic.message,
        diagnostic.file,
        diagnostic.line,
        diagnostic.column
    );
    if let Some(line) = source_line {
        let number = diagnostic.line.to_string();
        let pad = " ".repeat(number.len());
        let (text, column) = excerpt(line, diagnostic.column);
        let text = text.as_str();
        let caret_at = column.saturating_sub(1).min(text.chars().count());
        let width = diagnostic
            .value
            .as_deref()
            .map(|v| v.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1)
            .clamp(1, text.chars().count().saturating_sub(caret_at).max(1));
        out.push_str(&format!("{pad} |\n{number} | {text}\n{pad} | "));
        out.push_str(&" ".repeat(caret_at));
        out.push_str(&"^".repeat(width));
        out.push('\n');
    }
    if let Some(hint) = &diagnostic.hint {
        out.push_str(&hint_line(hint));
        out.push('\n');
    }
    out
}

/// The widest source excerpt a diagnostic quotes, in characters.
const EXCERPT_WIDTH: usize = 200;

/// A window of at most [`EXCERPT_WIDTH`] characters of a source line around a 1-based column,
/// with the column inside the window. Long lines (a minified file, a runaway bracket) are cut
/// with `…` so that a message stays readable and bounded.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT_WIDTH {
        return (line.to_string(), column);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(EXCERPT_WIDTH / 2);
    let end = (start + EXCERPT_WIDTH).min(chars.len());
    let mut text = String::new();
    let mut column = at - start + 1;
    if start > 0 {
        text.push('…');
        column += 1;
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    (text, column)
}

/// A count with its noun, singular for one: `count(1, "model", "models")` is "1 model".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
    if let Some(error) = error.downcast_ref::<StudyError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_analysis::power::PowerError>() {
        return Some(error.hint().to_string());
    }
    if let Some(error) = error.downcast_ref::<kith_runner::store::StoreError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_labelled::LabelledError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_instrument::import::QsfError>() {
        return Some(error.hint().to_string());
    }
    if let Some(error) = error.downcast_ref::<kith_runner::conduct::RunError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_runner::export::ExportError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_runner::terminal::TerminalError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_runner::web::LimitError>() {
        return error.hint();
    }
    if let Some(error) = error.downcast_ref::<kith_runner::web::WeakToken>() {
        return error.hint();
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

/// Diagnostics for a terminal, each quoting its source line (read through `loader`).
pub fn diagnostics(diagnostics: &[Diagnostic], loader: &FsLoader) -> String {
    let mut out = String::new();
    for item in diagnostics {
        let line = (item.line > 0)
            .then(|| loader.line(&item.file, item.line))
            .flatten();
        let mut text = diagnostic(item, line.as_deref());
        if item.line == 0 {
            text = text.replace(&format!("{}:0:0", item.file), &item.file);
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// One problem of a data file: its code, its place, the message and the hint.
pub fn data_problem(problem: &DataProblem) -> String {
    let mut message = format!("error[{}]: ", problem.code);
    if let Some(place) = problem.place() {
        message.push_str(&format!("{place}: "));
    }
    message.push_str(&problem.message);
    with_hint(&message, problem.hint.as_deref())
}

/// How many problems of one kind in one column are printed before the rest is summarised.
const SHOWN_PER_GROUP: usize = 5;

/// The problems of a response file, at most [`SHOWN_PER_GROUP`] of a kind per column, then
/// the count of the rest.
fn response_problems(errors: &DataErrors) -> String {
    let mut out = String::new();
    let mut shown: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for problem in &errors.problems {
        let key = (problem.code, problem.column.as_deref());
        let count = shown.entry(key).or_insert(0);
        *count += 1;
        if *count <= SHOWN_PER_GROUP {
            out.push_str(&format!("{}\n\n", data_problem(problem)));
        }
    }
    let mut groups: Vec<(&(&str, Option<&str>), &usize)> = shown
        .iter()
        .filter(|(_, n)| **n > SHOWN_PER_GROUP)
        .collect();
    groups.sort();
    for ((code, column), count) in groups {
        out.push_str(&format!(
            "… and {} more `{code}` problems{} (--report-invalid FILE lists them all)\n",
            count - SHOWN_PER_GROUP,
            column
                .map(|c| format!(" in column `{c}`"))
                .unwrap_or_default()
        ));
    }
    out.push_str(&format!("error: {errors}; nothing was computed\n"));
    out
}

/// Who read the files that notices are about: a command, with what its refusal means ("no
/// codebook was written"), or an analysis plan. Hints name what the reader can change.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    Command { consequence: &'a str },
    Plan,
}

/// What loading a study or a response file has to tell the user, in order.
pub fn notices(notices: &[Notice], loader: &FsLoader, reader: Reader) -> String {
    let consequence = match reader {
        Reader::Command { consequence } => consequence,
        Reader::Plan => "the plan was not run",
    };
    let mut out = String::new();
    for notice in notices {
        match notice {
            Notice::Diagnostics(list) => out.push_str(&diagnostics(list, loader)),
            Notice::SurveyRefused { file } => {
                out.push_str(&with_hint(
                    &format!("error: `{file}` has errors; {consequence}"),
                    Some(&format!("fix them, then run `kith check {file}` again")),
                ));
                out.push('\n');
            }
            Notice::Dropped {
                file,
                kept,
                dropped,
            } => out.push_str(&format!(
                "note: kept {kept} responses of `{file}`; dropped {}\n",
                dropped.describe()
            )),
            Notice::Missing {
                file,
                not_shown,
                unanswered,
            } => out.push_str(&format!(
                "note: `{file}` has {} missing answers: {not_shown} not shown by the survey's logic and {unanswered} shown but not answered; both are missing to scores and models\n",
                not_shown + unanswered
            )),
            Notice::UserMissing {
                file,
                format,
                columns,
            } => {
                let total: usize = columns.iter().map(|(_, n)| n).sum();
                let listed: Vec<String> = columns
                    .iter()
                    .take(12)
                    .map(|(column, n)| format!("{column} {n}"))
                    .collect();
                let more = if columns.len() > 12 {
                    format!(" and {} more columns", columns.len() - 12)
                } else {
                    String::new()
                };
                let missing_kind = if format.starts_with("Stata") {
                    "extended missing values (.a to .z)"
                } else {
                    "values declared user-missing"
                };
                out.push_str(&format!(
                    "note: `{file}` ({format}) has {total} {missing_kind}, read as missing: {}{more}\n",
                    listed.join(", ")
                ));
            }
            Notice::Unanswered { file, item } => {
                let scores = match item.scores.as_slice() {
                    [one] => format!("score `{one}` is"),
                    many => format!(
                        "scores {} are",
                        many.iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push_str(&with_hint(
                    &format!(
                        "warning: no respondent of `{file}` answered item `{}`; {scores} computed from the other items",
                        item.item
                    ),
                    Some(match reader {
                        Reader::Command { .. } => "check the column's name (or --map) and the missing-value codes; an item nobody answered changes what the score measures",
                        Reader::Plan => "check the column's name and the plan's missing-value codes; an item nobody answered changes what the score measures",
                    }),
                ));
                out.push('\n');
            }
            Notice::ResponseProblems(errors) => out.push_str(&response_problems(errors)),
            Notice::DataProblems(errors) => {
                for problem in &errors.problems {
                    out.push_str(&format!("{}\n\n", data_problem(problem)));
                }
                out.push_str(&format!("error: {errors}; the plan was not run\n"));
            }
            Notice::PlanRefused { name, errors } => {
                out.push_str(&with_hint(
                    &format!(
                        "error: the plan `{name}` has {errors} error{}; nothing was computed",
                        if *errors == 1 { "" } else { "s" }
                    ),
                    Some(&format!("fix them, then run `kith check {name}` again")),
                ));
                out.push('\n');
            }
        }
    }
    out
}

/// The models' warnings and the analyses that could not be computed.
pub fn not_computed(results: &Results) -> String {
    let mut out = String::new();
    for model in &results.models {
        for warning in &model.warnings {
            out.push_str(&format!(
                "warning: model of `{}`: {warning}\n",
                model.outcome
            ));
        }
    }
    for problem in &results.not_computed {
        out.push_str(&with_hint(
            &format!(
                "error[{}]: the {} ({}) was not computed: {}",
                problem.code, problem.description, problem.analysis, problem.message
            ),
            Some(&problem.hint),
        ));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kith_instrument::diagnostic::Severity;

    fn unknown_key(column: usize, value: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: "unknown-key",
            message: format!("unknown key `{value}`"),
            file: "scale.yaml".to_string(),
            line: 7,
            column,
            path: "items[0]".to_string(),
            value: Some(value.to_string()),
            hint: Some("did you mean `reverse`?".to_string()),
        }
    }

    #[test]
    fn a_diagnostic_quotes_its_line_with_a_caret_under_the_value_then_its_hint() {
        let text = diagnostic(&unknown_key(5, "revers"), Some("    revers: true"));
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `revers`\n  --> scale.yaml:7:5\n  |\n7 |     revers: true\n  |     ^^^^^^\n  = hint: did you mean `reverse`?\n"
        );
    }

    #[test]
    fn a_diagnostic_without_a_source_line_has_its_place_and_hint() {
        let text = diagnostic(&unknown_key(5, "revers"), None);
        assert_eq!(
            text,
            "error[unknown-key]: unknown key `revers`\n  --> scale.yaml:7:5\n  = hint: did you mean `reverse`?\n"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_column_and_the_caret_stays_under_the_value() {
        let line = format!("{}revers: true{}", "x".repeat(500), "y".repeat(500));
        let text = diagnostic(&unknown_key(501, "revers"), Some(&line));
        let quoted = text.lines().nth(3).unwrap_or_default();
        let caret = text.lines().nth(4).unwrap_or_default();
        assert!(
            quoted.starts_with("7 | …") && quoted.ends_with('…'),
            "{quoted}"
        );
        assert!(quoted.chars().count() <= "7 | ".len() + EXCERPT_WIDTH + 2);
        let at = caret.chars().position(|c| c == '^').unwrap_or_default();
        let under: String = quoted.chars().skip(at).take("revers".len()).collect();
        assert_eq!(under, "revers", "{text}");
    }
}

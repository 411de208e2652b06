//! The rules for names: column names (item, check and score ids), identifiers of instruments,
//! surveys and blocks, language tags and DOIs, and the checks that report a name breaking them.

use crate::diagnostic::{Diagnostic, DocPath};
use crate::document::Parsed;

/// Column names that kith's own exports use; item and score ids must not take them.
pub const RESERVED_COLUMNS: &[&str] = &[
    "respondent_id",
    "participant_id",
    "session_id",
    "started_at",
    "finished_at",
    "duration_s",
    "status",
    "fingerprint",
    "consent",
    "survey_id",
    "survey_version",
    "attention_failed",
    "attention_unanswered",
    "order_blocks",
    "page_seconds",
    "page_questions",
    "not_shown",
    "language",
    "screened_out_by",
];

/// The longest id kith accepts: SPSS's variable names are limited to 64 bytes.
pub const MAX_ID_LENGTH: usize = 64;

/// Whether `id` can name a column in every tool a researcher may load the data into (R, SPSS,
/// Stata, pandas): a letter, then letters, digits or underscores, at most 64 characters.
pub fn is_column_name(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && id.len() <= MAX_ID_LENGTH
}

/// Whether `code` looks like a BCP 47 language tag such as `en`, `de-CH` or `zh-Hant`.
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `doi` has the shape of a DOI (`10.` registrant `/` suffix).
pub fn is_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    (4..=9).contains(&registrant.len())
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !suffix.chars().any(char::is_whitespace)
}

/// Whether `id` can identify an instrument, survey or block: a letter, then letters, digits,
/// `_` or `-`.
pub fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Reports an item, attention-check or score id that cannot be a column name or that kith
/// reserves for its own columns.
pub(super) fn id_problem<T>(
    doc: &Parsed<T>,
    what: &str,
    id: &str,
    path: &DocPath,
) -> Option<Diagnostic> {
    if is_column_name(id) {
        if RESERVED_COLUMNS.contains(&id) {
            return Some(doc.error(
                "reserved-id",
                format!("{what} id `{id}` is a column name kith reserves for its exports"),
                path,
                Some(format!(
                    "rename it, e.g. `{id}_{}`",
                    if what == "score" { "score" } else { "item" }
                )),
            ));
        }
        return None;
    }
    let suggestion: String = {
        let mut cleaned: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cleaned.insert_str(0, "x_");
        }
        cleaned.truncate(MAX_ID_LENGTH);
        cleaned
    };
    Some(doc.error(
        "invalid-id",
        format!("{what} id `{id}` cannot be a column name"),
        path,
        Some(format!(
            "ids start with a letter and use only letters, digits and `_` (at most {MAX_ID_LENGTH}), e.g. `{suggestion}`"
        )),
    ))
}

/// Checks the `id` and `language` of an instrument or survey (`what` names which).
pub fn check_identity<T>(
    doc: &Parsed<T>,
    what: &str,
    id: &str,
    language: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let root = DocPath::root();
    check_identifier(doc, what, id, &root.key("id"), out);
    if let Some(language) = language
        && !is_language_tag(language)
    {
        out.push(doc.error(
            "invalid-language",
            format!("`{language}` is not a language code"),
            &root.key("language"),
            Some("use a BCP 47 code such as `en`, `de` or `pt-BR`".to_string()),
        ));
    }
}

/// Checks an instrument, survey or block id.
pub fn check_identifier<T>(
    doc: &Parsed<T>,
    what: &str,
    id: &str,
    path: &DocPath,
    out: &mut Vec<Diagnostic>,
) {
    if !is_identifier(id) {
        out.push(doc.error(
            "invalid-id",
            format!("{what} id `{id}` is not a usable identifier"),
            path,
            Some("start with a letter; use letters, digits, `_` and `-`".to_string()),
        ));
    }
}

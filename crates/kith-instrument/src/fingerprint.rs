//! Fingerprints: a stable hash of what matters for scoring a form's responses.
//!
//! The hash covers, for every item: its id, its scale's type and accepted values (likert codes,
//! numeric bounds and integer flag, choice codes), its keying and its missing-value codes; and
//! for every score: its id, method, item ids and the number of answered items it requires.
//! It leaves out what does not change a score: texts, labels, translations, order of items and
//! keys, page layout, randomization, attention checks, comments and formatting. Response files
//! carry the fingerprint so that `kith score` can refuse data collected under other keys.

use crate::form::Form;
use crate::model::{ResponseScale, ScoreMethod};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The version of the canonical form below; part of every fingerprint so that a change of the
/// canonical form can never be mistaken for a change of the instrument.
pub const FINGERPRINT_VERSION: u32 = 1;

#[derive(Serialize)]
struct CanonicalForm<'a> {
    fingerprint_version: u32,
    items: Vec<CanonicalItem<'a>>,
    scores: Vec<CanonicalScore<'a>>,
}

#[derive(Serialize)]
struct CanonicalItem<'a> {
    id: &'a str,
    scale: CanonicalScale,
    reverse: bool,
    missing_codes: Vec<f64>,
}

#[derive(Serialize)]
struct CanonicalScale {
    kind: &'static str,
    values: Vec<i64>,
    min: Option<f64>,
    max: Option<f64>,
    integer: bool,
}

#[derive(Serialize)]
struct CanonicalScore<'a> {
    id: &'a str,
    method: &'static str,
    items: Vec<&'a str>,
    min_answered: usize,
}

fn canonical_scale(scale: &ResponseScale) -> CanonicalScale {
    let empty = CanonicalScale {
        kind: scale.type_name(),
        values: Vec::new(),
        min: None,
        max: None,
        integer: false,
    };
    match scale {
        ResponseScale::Likert { values, .. } => CanonicalScale {
            values: values.clone(),
            ..empty
        },
        ResponseScale::Numeric {
            min, max, integer, ..
        } => CanonicalScale {
            min: *min,
            max: *max,
            integer: *integer,
            ..empty
        },
        ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
            let mut values: Vec<i64> = options.iter().map(|o| o.value).collect();
            values.sort_unstable();
            CanonicalScale { values, ..empty }
        }
        ResponseScale::Text { .. } => empty,
    }
}

/// The canonical text that the fingerprint hashes (JSON with a fixed field order).
pub fn canonical_text(form: &Form) -> String {
    let mut items: Vec<CanonicalItem<'_>> = form
        .items()
        .map(|item| {
            let mut missing_codes = item.missing_codes.clone();
            missing_codes.sort_by(f64::total_cmp);
            missing_codes.dedup();
            CanonicalItem {
                id: &item.item.id,
                scale: canonical_scale(&item.response),
                reverse: item.item.reverse,
                missing_codes,
            }
        })
        .collect();
    items.sort_by(|a, b| a.id.cmp(b.id));
    let mut scores: Vec<CanonicalScore<'_>> = form
        .scores()
        .map(|score| {
            let mut ids: Vec<&str> = score.items.iter().map(String::as_str).collect();
            ids.sort_unstable();
            CanonicalScore {
                id: &score.id,
                method: match score.method {
                    ScoreMethod::Mean => "mean",
                    ScoreMethod::Sum => "sum",
                },
                min_answered: score
                    .min_answered
                    .map_or(1, |rule| rule.required_of(score.items.len())),
                items: ids,
            }
        })
        .collect();
    scores.sort_by(|a, b| a.id.cmp(b.id));
    let canonical = CanonicalForm {
        fingerprint_version: FINGERPRINT_VERSION,
        items,
        scores,
    };
    // Serializing plain structs of strings, numbers and vectors cannot fail.
    serde_json::to_string(&canonical).unwrap_or_default()
}

/// The fingerprint of a form: `kith1-` and the first 16 hex digits of the SHA-256 of its
/// canonical text.
pub fn fingerprint(form: &Form) -> String {
    let digest = Sha256::digest(canonical_text(form).as_bytes());
    let hex: String = digest
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("kith{FINGERPRINT_VERSION}-{hex}")
}

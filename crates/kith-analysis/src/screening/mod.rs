//! Careless-responding screening: the indices of R's careless package per respondent, the
//! flags of the default rules, and the reasons an index could not be computed.
//!
//! The engine takes the answers as values (an n × p matrix or the columns they are in, the
//! items in the survey's order, and the same answers keyed) and returns a table of indices;
//! reading files and writing the table are the binary's.

pub mod indices;
pub mod report;
pub mod source;

pub use indices::{Longstring, even_odd, irv, longstring, mahalanobis, synonym_pairs, synonyms};

use crate::distributions;
use nalgebra::DMatrix;
use serde::Serialize;
use source::{Columns, Source};

/// What the indices are computed over.
#[derive(Debug, Clone)]
pub struct Items {
    /// The items' ids, in the survey's order.
    pub names: Vec<String>,
    /// n × p answers as given (NaN for missing): longstring, IRV, Mahalanobis, synonyms.
    pub answers: DMatrix<f64>,
    /// The same answers with reverse-keyed items keyed: even-odd consistency.
    pub keyed: DMatrix<f64>,
    /// The scales (columns of `keyed`, in the score's order) for even-odd consistency.
    pub scales: Vec<(String, Vec<usize>)>,
}

/// The same as [`Items`], with the answers left in the columns they are in (a response
/// table's codes, a data set's numbers) and read a block of rows at a time.
#[derive(Debug, Clone)]
pub struct ItemColumns<'a> {
    pub names: Vec<String>,
    /// The answers as given.
    pub given: Columns<'a>,
    /// The same columns, reverse-keyed items keyed.
    pub keyed: Columns<'a>,
    pub scales: Vec<(String, Vec<usize>)>,
}

/// The thresholds of the indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Item pairs correlating beyond ± this are psychometric synonyms or antonyms (careless
    /// and Meade & Craig 2012: .60).
    pub synonym_critical: f64,
    /// Mahalanobis D² is flagged beyond this quantile of χ² with p degrees of freedom
    /// (careless::mahad: .99).
    pub mahalanobis_confidence: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            synonym_critical: 0.60,
            mahalanobis_confidence: 0.99,
        }
    }
}

/// Why an index has no values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub index: &'static str,
    pub reason: String,
    pub hint: String,
}

/// Every index per respondent (NaN where undefined for that respondent), with the indices
/// that could not be computed at all and why.
#[derive(Debug, Clone, Default)]
pub struct Indices {
    pub n: usize,
    /// How many items each respondent answered.
    pub answered: Vec<usize>,
    pub longstring: Vec<Longstring>,
    pub irv: Vec<f64>,
    pub mahalanobis: Option<Vec<f64>>,
    pub mahalanobis_cutoff: f64,
    pub even_odd: Option<Vec<(f64, usize)>>,
    pub synonym_pairs: Vec<(usize, usize)>,
    pub synonyms: Option<Vec<(f64, usize)>>,
    pub antonym_pairs: Vec<(usize, usize)>,
    pub antonyms: Option<Vec<(f64, usize)>>,
    pub skipped: Vec<Skipped>,
}

/// The most items screened at once: Mahalanobis D² and the synonyms cost p² per respondent.
pub const MAX_ITEMS: usize = 500;

/// The indices of every respondent. An index that cannot be computed is left out with its
/// reason in `skipped`; nothing here fails.
pub fn compute(items: &Items, options: &Options) -> Indices {
    compute_from(&items.answers, &items.keyed, &items.scales, options)
}

/// [`compute`] over answers left in their columns.
pub fn compute_columns(items: &ItemColumns, options: &Options) -> Indices {
    compute_from(&items.given, &items.keyed, &items.scales, options)
}

/// The indices; the passes over the rows that do not depend on one another run side by side.
fn compute_from<A: Source + Sync + ?Sized, K: Source + Sync + ?Sized>(
    answers: &A,
    keyed: &K,
    scales: &[(String, Vec<usize>)],
    options: &Options,
) -> Indices {
    let p = answers.items();
    if p > MAX_ITEMS {
        return Indices {
            n: answers.rows(),
            answered: indices::answered(answers),
            skipped: vec![Skipped {
                index: "all",
                reason: format!("{p} items are more than kith screens at once ({MAX_ITEMS})"),
                hint: "screen the instruments one at a time".into(),
            }],
            ..Indices::default()
        };
    }
    let mut skipped = Vec::new();
    let mut skip = |index: &'static str, reason: String, hint: &str| {
        skipped.push(Skipped {
            index,
            reason,
            hint: hint.to_string(),
        });
    };
    // One pass of cross-products serves Mahalanobis D² and the synonym pairs; the indices of
    // each row alone are computed meanwhile.
    let (moments, rows) = rayon::join(
        || indices::pairwise(answers),
        || indices::row_indices(answers),
    );
    let answering = rows.answered.iter().filter(|&&count| count > 0).count();
    let cannot_measure_distance = if p < 2 {
        Some((
            format!("{p} item(s): the distance needs at least two"),
            "screen a survey with more items",
        ))
    } else if answering <= p {
        Some((
            format!(
                "{answering} respondents answered for {p} items: the items' covariance matrix needs more respondents than items"
            ),
            "screen a larger sample, or fewer items at once",
        ))
    } else {
        None
    };
    let scales: Vec<Vec<usize>> = scales
        .iter()
        .filter(|(_, columns)| columns.len() >= 2)
        .map(|(_, columns)| columns.clone())
        .collect();
    // Mahalanobis D² and even-odd consistency read the rows once each, side by side.
    let (distances, even_odd) = rayon::join(
        || {
            cannot_measure_distance
                .is_none()
                .then(|| indices::mahalanobis_with(answers, &moments))
        },
        || (scales.len() >= 2).then(|| indices::even_odd(keyed, &scales)),
    );
    let mahalanobis = match (cannot_measure_distance, distances) {
        (Some((reason, hint)), _) => {
            skip("mahalanobis", reason, hint);
            None
        }
        (None, Some(None)) | (None, None) => {
            skip(
                "mahalanobis",
                "the items' covariance matrix cannot be inverted (an item without variance, a copy of another, or two items never answered together)".into(),
                "leave items without variance out of the screened set",
            );
            None
        }
        (None, Some(distances)) => distances,
    };
    if even_odd.is_none() {
        skip(
            "even_odd",
            format!(
                "{} scale(s) of two or more items: even-odd consistency correlates the halves across at least two (careless needs several)",
                scales.len()
            ),
            "even-odd consistency needs a survey with several multi-item scores",
        );
    }
    let mut pairs = |antonyms: bool, name: &'static str| {
        let pairs =
            indices::synonym_pairs_with(&moments.correlation, options.synonym_critical, antonyms);
        let values = if pairs.len() < 3 {
            skip(
                name,
                format!(
                    "{} item pair(s) correlate {} {:.2} in these data; a person's correlation needs at least three",
                    pairs.len(),
                    if antonyms { "below" } else { "above" },
                    if antonyms {
                        -options.synonym_critical.abs()
                    } else {
                        options.synonym_critical.abs()
                    },
                ),
                "lower the critical correlation (`--synonym-critical`, or `synonym_critical:` in a plan), or rely on the other indices",
            );
            None
        } else {
            Some(indices::synonyms(answers, &pairs))
        };
        (pairs, values)
    };
    let (synonym_pairs, synonyms) = pairs(false, "synonyms");
    let (antonym_pairs, antonyms) = pairs(true, "antonyms");
    Indices {
        n: answers.rows(),
        answered: rows.answered,
        longstring: rows.longstring,
        irv: rows.irv,
        mahalanobis,
        mahalanobis_cutoff: distributions::chi_squared_quantile(
            options.mahalanobis_confidence,
            p as f64,
        ),
        even_odd,
        synonym_pairs,
        synonyms,
        antonym_pairs,
        antonyms,
        skipped,
    }
}

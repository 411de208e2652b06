//! The report's APA-style tables, one file per kind of analysis; each writes Markdown text
//! with the table number the document gives it.

pub mod descriptives;
pub mod hierarchical;
pub mod mediation;
pub mod models;
pub mod quality;

use crate::format::and_list;
use crate::labels::label;
use kith_analysis::results::Results;
use std::collections::BTreeMap;

/// The note's sentence on the reference level of each factor (a model's or a mediation's
/// covariates): its dummies are differences from that level. Empty without factors.
pub fn reference_levels(results: &Results, levels: &BTreeMap<String, String>) -> String {
    if levels.is_empty() {
        return String::new();
    }
    let named: Vec<String> = levels
        .iter()
        .map(|(factor, level)| format!("{} ({level})", label(results, factor)))
        .collect();
    format!(
        ". Factors are dummy coded against their reference level: {}",
        and_list(&named)
    )
}

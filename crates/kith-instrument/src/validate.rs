//! Semantic checks of instruments and survey blocks: references, keys, scales, scores, ids.
//!
//! These run on the typed model after the schema walk, so every check here can assume the
//! shapes are right and only asks whether the content makes sense for a researcher's data.
//! The checks live beside this file by what they check: names and ids (`identifiers.rs`),
//! response scales (`scales.rs`), items and attention checks (`items.rs`) and scores
//! (`scores.rs`); this file holds the group they check and the instrument as a whole.

pub mod across;
mod identifiers;
mod items;
pub mod languages;
pub mod logic;
pub mod relations;
pub mod rosters;
mod scales;
mod scores;

pub use identifiers::{
    MAX_ID_LENGTH, RESERVED_COLUMNS, check_identifier, check_identity, is_column_name, is_doi,
    is_identifier, is_language_tag,
};
pub use items::check_group;
pub use scales::{check_scales, unused_scale};

use crate::diagnostic::{Diagnostic, DocPath};
use crate::document::Parsed;
use crate::model::{AttentionCheck, Instrument, Item, ResponseScale, Score};
use std::collections::BTreeMap;

/// Where the parts of one group of items live in a document, and which scales they may use.
///
/// An instrument is one group; a survey's inline block is another, using the survey's scales.
#[derive(Debug)]
pub struct ItemGroup<'a> {
    pub scales: &'a BTreeMap<String, ResponseScale>,
    /// Where `scales` is, for messages.
    pub scales_path: DocPath,
    pub items: &'a [Item],
    pub items_path: DocPath,
    pub scores: &'a [Score],
    pub scores_path: DocPath,
    pub attention_checks: &'a [AttentionCheck],
    pub attention_checks_path: DocPath,
    pub missing_codes: &'a [f64],
    pub missing_codes_path: DocPath,
    /// Whether to warn about scales that no item uses (not for a survey's shared scales, which
    /// several blocks draw on).
    pub warn_unused_scales: bool,
    /// How many items the block shows, for the `after` of attention checks.
    pub block_size: usize,
}

impl<'a> ItemGroup<'a> {
    /// A group with no items, scores or checks, whose parts would live under `base` and which
    /// draws on `scales` (at `scales_path`); fill in the parts with struct-update syntax.
    pub fn empty(
        base: &DocPath,
        scales: &'a BTreeMap<String, ResponseScale>,
        scales_path: DocPath,
    ) -> Self {
        ItemGroup {
            scales,
            scales_path,
            items: &[],
            items_path: base.key("items"),
            scores: &[],
            scores_path: base.key("scores"),
            attention_checks: &[],
            attention_checks_path: base.key("attention_checks"),
            missing_codes: &[],
            missing_codes_path: base.key("missing_codes"),
            warn_unused_scales: false,
            block_size: 0,
        }
    }
}

/// Checks an instrument file.
pub fn check_instrument(doc: &Parsed<Instrument>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let model = &doc.model;
    let root = DocPath::root();
    check_identity(
        doc,
        "instrument",
        &model.id,
        model.language.as_deref(),
        &mut out,
    );
    check_provenance(doc, model, &mut out);
    if model.items.is_empty() && !doc.left_out.kept_indices.contains_key(&root.key("items")) {
        out.push(doc.error(
            "no-items",
            "the instrument has no items".to_string(),
            &root.key("items"),
            Some("list at least one item under `items:`".to_string()),
        ));
    }
    let group = ItemGroup {
        items: &model.items,
        scores: &model.scores,
        attention_checks: &model.attention_checks,
        missing_codes: &model.missing_codes,
        warn_unused_scales: true,
        block_size: model.items.len(),
        ..ItemGroup::empty(&root, &model.scales, root.key("scales"))
    };
    check_group(doc, &group, &mut out);
    out
}

/// Checks what an instrument says about its source: its DOI, license and validation.
fn check_provenance(doc: &Parsed<Instrument>, model: &Instrument, out: &mut Vec<Diagnostic>) {
    let root = DocPath::root();
    if let Some(citation) = &model.citation
        && let Some(doi) = &citation.doi
        && !is_doi(doi)
    {
        let trimmed = doi
            .trim_start_matches("https://doi.org/")
            .trim_start_matches("http://dx.doi.org/")
            .trim_start_matches("doi:");
        let hint = if trimmed != doi && is_doi(trimmed) {
            format!("write the DOI alone: `{trimmed}`")
        } else {
            "a DOI looks like 10.1016/j.jvb.2023.103856".to_string()
        };
        out.push(doc.error(
            "invalid-doi",
            format!("`{doi}` is not a DOI"),
            &root.key("citation").key("doi"),
            Some(hint),
        ));
    }
    if model.license.trim().is_empty() {
        out.push(doc.error(
            "empty-text",
            "the license note is empty".to_string(),
            &root.key("license"),
            Some("say who may use the items and on what terms".to_string()),
        ));
    }
    if !model.validated
        && model
            .validation_note
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        out.push(doc.warning(
            "unvalidated-without-note",
            format!("instrument `{}` is not validated and says nothing about why", model.id),
            &root.key("validated"),
            Some("add `validation_note:` saying what is unverified, so readers of the codebook know".to_string()),
        ));
    }
}

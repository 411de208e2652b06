//! The resolved form of a survey or instrument: blocks of items, each item with its own scale.
//!
//! A `Form` is what later stages use (scoring, the codebook, the runner): includes are read,
//! scale names are replaced by the scales themselves, and a single instrument is a form of one
//! block. A form is only built from files without errors.

use crate::model::{
    AttentionCheck, BlockTexts, Citation, EndIf, InstrumentTranslation, Item, ResponseScale, Score,
    SurveyTexts,
};
pub use crate::people::{FormFollowUp, FormRelation, FormRoster, PeopleSource, Person};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether the checked file was an instrument or a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Instrument,
    Survey,
}

/// Where a block's items come from, for citations and license notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentInfo {
    pub id: String,
    pub version: String,
    pub title: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    pub license: String,
    pub validated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_note: Option<String>,
    /// The instrument's translations by language: whether each is validated, and its note.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, InstrumentTranslation>,
}

/// An item with the scale it is answered on and the codes that mean "missing" for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormItem {
    #[serde(flatten)]
    pub item: Item,
    pub response: ResponseScale,
    pub missing_codes: Vec<f64>,
}

/// An attention check with its scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormCheck {
    #[serde(flatten)]
    pub check: AttentionCheck,
    pub response: ResponseScale,
}

/// One block of a form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormBlock {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument: Option<InstrumentInfo>,
    pub items: Vec<FormItem>,
    pub scores: Vec<Score>,
    pub attention_checks: Vec<FormCheck>,
    /// A network question instead of items (the block's id names the relation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<FormRelation>,
    pub randomize_items: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_if: Option<EndIf>,
    /// The block's title and instructions in other languages.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BlockTexts>,
}

/// A checked survey, or an instrument as a survey of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Form {
    pub kind: DocumentKind,
    pub id: String,
    pub version: String,
    pub title: String,
    /// The language of the texts (BCP 47), `en` when the file does not say.
    pub language: String,
    /// Other languages participants may choose.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The survey's title, consent and closing in other languages.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, SurveyTexts>,
    /// The file the form was read from.
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    pub blocks: Vec<FormBlock>,
    pub randomize_blocks: Vec<String>,
    /// The rosters network questions choose from, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rosters: BTreeMap<String, FormRoster>,
    /// Where each condition and participant-facing text stands in its file, for the logic
    /// check's carets. Not part of the form's meaning, so neither serialized nor compared.
    #[serde(skip)]
    pub places: Places,
}

/// The places of a form's conditions and texts, by owner and field.
#[derive(Debug, Clone, Default)]
pub struct Places(pub std::collections::BTreeMap<(Owner, Field), SourcePlace>);

impl PartialEq for Places {
    /// Places say where a form was read from, not what it is: two forms that differ only in
    /// their places are the same form.
    fn eq(&self, _: &Places) -> bool {
        true
    }
}

/// What a condition or text belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    Survey,
    Block(String),
    /// An item or attention check, by id.
    Entry(String),
}

/// Which condition or text of its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    ShowIf,
    EndIf,
    EndMessage,
    Constraint,
    ConstraintMessage,
    Text,
    Title,
    Instructions,
    Consent,
    Closing,
}

/// Where a value stands in its source: the file, the document path, the 1-based line and
/// column of its node, and the source lines from there on (as many as the value has, plus
/// one), so a caret can be put under any part of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourcePlace {
    pub file: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub lines: Vec<String>,
}

impl Form {
    /// Every language participants may choose: the form's own first.
    pub fn offered_languages(&self) -> Vec<&str> {
        std::iter::once(self.language.as_str())
            .chain(self.languages.iter().map(String::as_str))
            .collect()
    }

    /// Every item, block by block, in the order the files give.
    pub fn items(&self) -> impl Iterator<Item = &FormItem> {
        self.blocks.iter().flat_map(|block| block.items.iter())
    }

    /// Every score, block by block.
    pub fn scores(&self) -> impl Iterator<Item = &Score> {
        self.blocks.iter().flat_map(|block| block.scores.iter())
    }

    /// Every attention check, block by block.
    pub fn attention_checks(&self) -> impl Iterator<Item = &FormCheck> {
        self.blocks
            .iter()
            .flat_map(|block| block.attention_checks.iter())
    }

    /// Every relation block (network question), in the order the files give.
    pub fn relations(&self) -> impl Iterator<Item = (&FormBlock, &FormRelation)> {
        self.blocks
            .iter()
            .filter_map(|block| Some((block, block.relation.as_ref()?)))
    }

    /// The network question of the relation block with this id.
    pub fn relation(&self, id: &str) -> Option<&FormRelation> {
        self.relations()
            .find(|(block, _)| block.id == id)
            .map(|(_, relation)| relation)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&FormItem> {
        self.items().find(|item| item.item.id == id)
    }

    /// The distinct instruments the form draws on, in order.
    pub fn instruments(&self) -> Vec<&InstrumentInfo> {
        let mut seen: Vec<&InstrumentInfo> = Vec::new();
        for info in self.blocks.iter().filter_map(|b| b.instrument.as_ref()) {
            if seen.iter().all(|s| s.file != info.file) {
                seen.push(info);
            }
        }
        seen
    }
}

/// `text` in `language` when `translations` gives it, else as written.
pub fn translated<'a>(
    text: &'a str,
    translations: &'a BTreeMap<String, String>,
    language: &str,
) -> &'a str {
    translations.get(language).map_or(text, String::as_str)
}

/// Reverse keying on an item's own scale: (min + max) − x. Applying it twice gives x back.
pub fn reverse_keyed(value: f64, min: f64, max: f64) -> f64 {
    min + max - value
}

/// The items of a group with their scales (an item whose scale is missing is left out: its
/// own diagnostic says why).
pub(crate) fn form_items(
    items: &[Item],
    scales: &BTreeMap<String, ResponseScale>,
    missing_codes: &[f64],
) -> Vec<FormItem> {
    items
        .iter()
        .filter_map(|item| {
            Some(FormItem {
                item: item.clone(),
                response: scales.get(&item.scale)?.clone(),
                missing_codes: missing_codes.to_vec(),
            })
        })
        .collect()
}

/// The attention checks of a group with their scales.
pub(crate) fn form_checks(
    checks: &[AttentionCheck],
    scales: &BTreeMap<String, ResponseScale>,
) -> Vec<FormCheck> {
    checks
        .iter()
        .filter_map(|check| {
            Some(FormCheck {
                check: check.clone(),
                response: scales.get(&check.scale)?.clone(),
            })
        })
        .collect()
}

//! The typed model of instrument and survey files, as serde reads them and schemars describes them.
//!
//! These types are the single source of the file format: `kith schema` is generated from them and
//! `kith check` walks that schema, so the documented format, the editor schema and the checker
//! cannot drift apart. Doc comments here become the descriptions editors show.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Marks a file as an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    Instrument,
}

/// Marks a file as a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    Survey,
}

/// A questionnaire scale as published: its items, response scales, scores and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Always `instrument`.
    pub kind: InstrumentKind,
    /// A short identifier, usable as a column-name prefix (letters, digits, `_`, `-`).
    pub id: String,
    /// The version of this file, e.g. `1.0.0`. Bump it when items or keys change.
    pub version: String,
    /// The name of the instrument as researchers cite it.
    pub title: String,
    /// What the instrument measures, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The source to cite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// Who may use the items and on what terms.
    pub license: String,
    /// Whether the items are the published, validated wording.
    pub validated: bool,
    /// Why the instrument is or is not validated, and what of its wording is unverified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_note: Option<String>,
    /// The language of the item texts, as a BCP 47 code such as `en` or `de-CH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Instructions shown to participants before the items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Other languages the instrument's texts are given in (BCP 47 codes), e.g. `[de, es]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Per language: the instructions, and whether the translation is validated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, InstrumentTranslation>,
    /// Values in a response file that mean "missing" for this instrument's items, e.g. `[-99]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_codes: Vec<f64>,
    /// The response scales, by name; items refer to them by that name.
    pub scales: BTreeMap<String, ResponseScale>,
    /// The items, in their published order.
    pub items: Vec<Item>,
    /// The scores computed from the items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<Score>,
    /// Items that check attention; recorded, never scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attention_checks: Vec<AttentionCheck>,
}

/// An instrument's texts in one other language, and the translation's standing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentTranslation {
    /// The instructions in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Whether this translation is a validated version of the instrument (default `false`).
    #[serde(default)]
    pub validated: bool,
    /// Who translated it and how, and what is unverified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A block's texts in one other language.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

/// A survey's own texts in one other language.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
}

/// A reference to the published source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The reference as it would appear in a reference list.
    pub text: String,
    /// The DOI, e.g. `10.1016/j.jvb.2023.103856` (without `https://doi.org/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
}

/// How participants answer an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ResponseScale {
    /// Ordered response options, each a whole-number code with a label.
    Likert {
        /// The codes, lowest first, e.g. `[1, 2, 3, 4, 5]`.
        values: Vec<i64>,
        /// One label per code, in the same order.
        labels: Vec<String>,
        /// The labels in other languages, keyed by BCP 47 code, e.g. `de: [..]`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        translations: BTreeMap<String, Vec<String>>,
    },
    /// A number, such as a count, an amount or an age.
    Numeric {
        /// The smallest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// The largest allowed value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whether only whole numbers are allowed.
        #[serde(default)]
        integer: bool,
        /// The unit, e.g. `years` or `USD`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        /// The unit in other languages, keyed by BCP 47 code, e.g. `de: Jahre`.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        translations: BTreeMap<String, String>,
    },
    /// One option out of several unordered ones.
    SingleChoice {
        /// The options, each a code and a label.
        options: Vec<ChoiceOption>,
    },
    /// Any number of options out of several; stored as one 0/1 column per option.
    MultipleChoice {
        /// The options, each a code and a label.
        options: Vec<ChoiceOption>,
    },
    /// Free text.
    Text {
        /// The most characters accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
}

/// One coded option of a choice scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// The code stored in the response file.
    pub value: i64,
    /// The text shown to participants.
    pub label: String,
    /// The label in other languages, keyed by BCP 47 code, e.g. `de: Ja`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The column name in response files: a letter, then letters, digits or `_`.
    pub id: String,
    /// The question or statement shown to participants.
    pub text: String,
    /// The name of the response scale, one of the instrument's `scales`.
    pub scale: String,
    /// Whether the item is reverse keyed: scored as (min + max) − answer.
    #[serde(default)]
    pub reverse: bool,
    /// Whether participants must answer it. Defaults to `false`, so participants may skip.
    #[serde(default)]
    pub required: bool,
    /// The text in other languages, keyed by BCP 47 code, e.g. `de: "..."`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    /// A condition on answers given on earlier pages; the item is shown only when it holds,
    /// e.g. `job_offers > 0`. See docs/format.md for the language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    /// Ends the session (status `screened_out`) after the item's page when the condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_if: Option<EndIf>,
    /// A condition the answer must meet, e.g. `tenure_years <= age - 14`, with the message
    /// participants see when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
}

/// A screen-out: when the condition holds, the session ends with the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndIf {
    /// The condition, e.g. `employed = 0`.
    pub condition: String,
    /// What participants read as the session ends (default: kith's own thank-you line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The message in other languages, keyed by BCP 47 code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A condition an answer must meet, checked when the participant leaves the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// The condition, e.g. `tenure_years <= age - 14`. It is checked only when the item and
    /// every item it names are answered.
    pub condition: String,
    /// What participants read when the answer does not meet it.
    pub message: String,
    /// The message in other languages, keyed by BCP 47 code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// How a score combines its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The mean of the answered (keyed) items.
    #[default]
    Mean,
    /// The sum of the answered (keyed) items.
    Sum,
}

/// How many items must be answered for a score to be computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MinAnswered {
    /// A number of items, e.g. `3`.
    Count(u32),
    /// A share of the score's items between 0 and 1, e.g. `0.75`.
    Proportion(f64),
}

impl MinAnswered {
    /// The number of items this rule requires out of `k`, rounding a proportion up.
    pub fn required_of(&self, k: usize) -> usize {
        match *self {
            MinAnswered::Count(count) => count as usize,
            MinAnswered::Proportion(share) => (share * k as f64 - 1e-9).ceil().max(0.0) as usize,
        }
    }
}

/// A score computed from items, e.g. a subscale mean or a total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The column name of the score in scored files.
    pub id: String,
    /// A readable name for tables and charts.
    pub label: String,
    /// The item ids it combines; reverse-keyed items are reversed first.
    pub items: Vec<String>,
    /// `mean` (default) or `sum`.
    #[serde(default)]
    pub method: ScoreMethod,
    /// The fewest answered items for which the score is computed (count or proportion).
    /// Defaults to 1: the score is missing only when no item is answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_answered: Option<MinAnswered>,
}

/// A question that checks attention, with the answer an attentive participant gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttentionCheck {
    /// The column name of the check in response files.
    pub id: String,
    /// The instruction shown, e.g. "Please select 'Agree' for this statement."
    pub text: String,
    /// The name of the response scale.
    pub scale: String,
    /// The code of the expected answer.
    pub expect: i64,
    /// Shown after this many of the block's displayed items (default: half of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u32>,
    /// A condition on answers of earlier blocks; the check is shown only when it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    /// The text in other languages, keyed by BCP 47 code, e.g. `de: "..."`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A questionnaire as administered: consent, blocks of instruments or items, closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// Always `survey`.
    pub kind: SurveyKind,
    /// A short identifier for the study.
    pub id: String,
    /// The version of this file. Bump it when blocks or items change.
    pub version: String,
    /// The title shown to participants.
    pub title: String,
    /// What the study is, for researchers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The language of the survey's texts, as a BCP 47 code (default `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Other languages participants may choose (BCP 47 codes), e.g. `[de, es]`; every text
    /// should then be given in each (`kith check` warns about those that are not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The survey's title, consent and closing texts in other languages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, SurveyTexts>,
    /// The consent text. Participants who decline end the survey at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
    /// Response scales for the survey's own items and attention checks.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scales: BTreeMap<String, ResponseScale>,
    /// Rosters of the study's members, by name: CSV files of the people network questions
    /// let participants choose from. `kith check` reads each and refuses repeated ids, missing
    /// names and columns the file does not have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rosters: BTreeMap<String, Roster>,
    /// The blocks in order; each starts on a new page.
    pub blocks: Vec<Block>,
    /// Ids of blocks that swap places among themselves at random; the others stay put.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub randomize_blocks: Vec<String>,
    /// The text shown when the survey is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
}

/// A roster: a CSV file with a row per member of the study (their id, the name participants
/// see, and optionally their unit). Names are personal data: exports and reports use ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// The CSV file, relative to the survey, e.g. `staff.csv`.
    pub file: String,
    /// The column of ids (default `id`): what links and edge lists use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The column of the names participants see (default `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A column of units (teams, departments) to group people by, e.g. `department`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The session parameter (a link's URL parameter, or `kith run --param`) that carries the
    /// participant's own id on this roster, e.g. `rid`: they are then left out of the people
    /// they can choose, and their answers are the ego's ties in edge lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
}

/// Whether a relation carries resources for work (advice, information) or affect (friendship,
/// support), the distinction of network research on careers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    Instrumental,
    Expressive,
}

impl RelationKind {
    /// The word in codebooks and edge lists.
    pub fn name(self) -> &'static str {
        match self {
            RelationKind::Instrumental => "instrumental",
            RelationKind::Expressive => "expressive",
        }
    }
}

/// A network question: participants choose the people they have a relation with, from a
/// roster or by writing their names, and answer follow-up questions about each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// `instrumental` (advice, information) or `expressive` (friendship, support).
    pub kind: RelationKind,
    /// The question, e.g. "Whom do you go to for work-related advice?"
    pub text: String,
    /// The roster (one of the survey's `rosters`) participants choose from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
    /// Instead of a roster, a name generator: participants write up to this many names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<u32>,
    /// The most people a participant may choose from the roster (default: any number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Questions asked about each person chosen, on the next page; `{name}` in their text is
    /// the person's name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
    /// The question in other languages, keyed by BCP 47 code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A question asked about each person chosen in a network question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The column of the edge list: a letter, then letters, digits or `_`.
    pub id: String,
    /// The question, with `{name}` for the person, e.g. "How often do you ask {name}?"
    pub text: String,
    /// The response scale, one of the survey's `scales` (Likert, single choice or numeric).
    pub scale: String,
    /// Whether it must be answered for every person chosen (default `false`).
    #[serde(default)]
    pub required: bool,
    /// The text in other languages, keyed by BCP 47 code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A part of a survey: an included instrument (or survey), or items written in the survey itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// A path, relative to this file, of an instrument or survey to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    /// The block's id (defaults to the included instrument's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A heading shown above the block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Instructions shown above the block's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Items written here instead of included; they use the survey's `scales`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// Scores of this block's own items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scores: Vec<Score>,
    /// Attention checks added to this block; they use the survey's `scales`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attention_checks: Vec<AttentionCheck>,
    /// A network question instead of items: the block's `id` names the relation in edge lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Shuffle the block's items for each participant.
    #[serde(default)]
    pub randomize_items: bool,
    /// Break the block into pages of this many items (default: one page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<u32>,
    /// A condition on answers of earlier blocks; the block (all its pages) is shown only when
    /// it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    /// Ends the session (status `screened_out`) after the block when the condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_if: Option<EndIf>,
    /// The block's title and instructions in other languages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BlockTexts>,
}

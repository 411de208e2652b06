//! The converted survey as kith's model: one instrument per kith block (its scales shared by
//! identical questions, its missing-value codes, a mean score per Likert matrix), and the
//! survey that includes them in flow order with their conditions and shuffling.

use super::choices::Ids;
use super::emit::Comments;
use super::layout::{Built, KBlock};
use super::logic::Cond;
use super::questions::Body;
use super::text::{column_id, shortened};
use crate::model::{
    Block, EndIf, Instrument, InstrumentKind, Item, ResponseScale, Score, ScoreMethod, Survey,
    SurveyKind,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the survey is called and where it comes from.
#[derive(Debug)]
pub(super) struct Source {
    pub file: String,
    pub name: String,
    pub survey_id: Option<String>,
    pub language: Option<String>,
}

/// One instrument with its comments and file path.
#[derive(Debug)]
pub(super) struct Part {
    pub path: String,
    pub instrument: Instrument,
    pub comments: Comments,
}

fn condition(conds: &[Cond], all: bool) -> Option<String> {
    let conds = conds.to_vec();
    let joined = if all {
        Cond::all(conds)
    } else {
        Cond::any(conds)
    };
    joined.map(|cond| cond.render())
}

/// The instruments of the survey's blocks, and notes on what was added.
pub(super) fn instruments(
    built: &Built<'_>,
    source: &Source,
    ids: &mut Ids,
    notes: &mut Vec<String>,
) -> Vec<Part> {
    built
        .blocks
        .iter()
        .map(|block| instrument(block, built, source, ids, notes))
        .collect()
}

fn instrument(
    block: &KBlock<'_>,
    built: &Built<'_>,
    source: &Source,
    ids: &mut Ids,
    notes: &mut Vec<String>,
) -> Part {
    let mut scales: BTreeMap<String, ResponseScale> = BTreeMap::new();
    let mut comments = Comments::default();
    let mut items = Vec::new();
    let mut missing: BTreeSet<i64> = BTreeSet::new();
    let renamed: BTreeMap<&str, &str> = ids
        .renamed
        .iter()
        .map(|(column, id, _)| (id.as_str(), column.as_str()))
        .collect();
    let mut scale_of_item: Vec<String> = Vec::new();
    let mut scale_names: HashMap<String, String> = HashMap::new();
    for entry in &block.entries {
        let name = scale_name(
            &mut scales,
            &mut scale_names,
            &entry.item.scale,
            &entry.item.scale_name,
        );
        scale_of_item.push(name.clone());
        missing.extend(entry.item.missing_codes.iter().copied());
        let question = &built.questions[entry.question].question;
        let mut lines = Vec::new();
        if let Some(column) = renamed.get(entry.item.id.as_str()) {
            lines.push(format!(
                "The Qualtrics export calls this column `{column}`."
            ));
        }
        let first_of_question = block
            .entries
            .iter()
            .find(|other| other.question == entry.question)
            .is_some_and(|first| first.item.id == entry.item.id);
        if question.reverse_recoded
            && first_of_question
            && let ResponseScale::Likert { values, labels, .. } = &entry.item.scale
        {
            let lowest = values.first().zip(labels.first());
            lines.push(format!(
                "{} recodes its scale in reverse{}: the export holds these codes, so its items are not `reverse: true`.",
                question.tag,
                lowest.map_or(String::new(), |(code, label)| format!(" ({code} = {label})"))
            ));
            comments.scales.entry(name.clone()).or_insert_with(|| {
                vec!["Codes as Qualtrics recodes them (in reverse), lowest first.".to_string()]
            });
        }
        if !lines.is_empty() {
            comments.items.insert(entry.item.id.clone(), lines);
        }
        items.push(Item {
            id: entry.item.id.clone(),
            text: entry.text.clone(),
            scale: name,
            reverse: false,
            required: entry.item.required,
            translations: BTreeMap::new(),
            show_if: condition(&entry.show_if, true),
            end_if: condition(&entry.end_if, false).map(|condition| EndIf {
                condition,
                message: None,
                translations: BTreeMap::new(),
            }),
            constraint: None,
        });
    }
    // A missing-value code that is an answer on another scale of the instrument would hide
    // real answers; such a code stays off the list.
    let clashing: Vec<i64> = missing
        .iter()
        .copied()
        .filter(|code| {
            scales.values().any(|scale| {
                scale.accepts(*code as f64)
                    && !matches!(
                        scale,
                        ResponseScale::Numeric { .. } | ResponseScale::Text { .. }
                    )
            })
        })
        .collect();
    for code in &clashing {
        missing.remove(code);
        notes.push(format!(
            "block `{}`: the code {code} means a missing answer in one question but is an answer in another, so kith reads it as an answer",
            block.title
        ));
    }
    let scores = scores(block, built, &scale_of_item, ids);
    if !scores.is_empty() {
        notes.push(format!(
            "block `{}` has {} (the mean of each Likert matrix's statements); Qualtrics has no scores, so check they are the scales you mean",
            block.title,
            match scores.len() {
                1 => format!("the score `{}`", scores[0].id),
                n => format!("{n} scores"),
            }
        ));
    }
    let survey_name = &source.name;
    let from = source
        .survey_id
        .as_deref()
        .map_or(String::new(), |id| format!(" ({id})"));
    comments.header = vec![
        format!("Block `{}` ({}) of the Qualtrics survey `{survey_name}`{from},", block.title, block.source),
        format!("converted from {} by `kith import qualtrics`.", source.file),
        "Codes are Qualtrics' recode values and item ids its export's column names; see docs/qualtrics.md.".to_string(),
    ];
    let instructions = (!block.instructions.is_empty()).then(|| block.instructions.join("\n\n"));
    Part {
        path: format!("instruments/{}.yaml", block.id),
        instrument: Instrument {
            kind: InstrumentKind::Instrument,
            id: block.id.clone(),
            version: "1.0.0".to_string(),
            title: super::address::Template::plain(&block.title).render(&|_| false),
            description: Some(format!(
                "Block `{}` of the Qualtrics survey `{survey_name}`.",
                block.title
            )),
            citation: None,
            license: "Unknown: converted from a Qualtrics survey. Say here who may use these questions and on what terms.".to_string(),
            validated: false,
            validation_note: Some("Converted from Qualtrics by kith; not checked against any published version of the items.".to_string()),
            language: source.language.clone(),
            instructions,
            languages: Vec::new(),
            translations: BTreeMap::new(),
            missing_codes: missing.into_iter().map(|code| code as f64).collect(),
            scales,
            items,
            scores,
            attention_checks: Vec::new(),
        },
        comments,
    }
}

/// The name of `scale` among `scales`: an identical scale's, else `wanted` (numbered when
/// another scale has it).
fn scale_name(
    scales: &mut BTreeMap<String, ResponseScale>,
    names: &mut HashMap<String, String>,
    scale: &ResponseScale,
    wanted: &str,
) -> String {
    // Scales are found by their serialized form, so a block of many questions stays linear.
    let key = serde_json::to_string(scale).unwrap_or_default();
    if let Some(name) = names.get(&key) {
        return name.clone();
    }
    let mut name = wanted.to_string();
    let mut number = 2;
    while scales.contains_key(&name) {
        name = format!("{wanted}_{number}");
        number += 1;
    }
    scales.insert(name.clone(), scale.clone());
    names.insert(key, name.clone());
    name
}

/// The values and sorted labels of a Likert scale, which decide whether two matrices measure
/// on the same scale whatever the order of their codes.
fn likert_key(scale: &ResponseScale) -> Option<(Vec<i64>, Vec<String>)> {
    match scale {
        ResponseScale::Likert { values, labels, .. } => {
            let mut labels = labels.clone();
            labels.sort();
            Some((values.clone(), labels))
        }
        _ => None,
    }
}

/// A mean score per single-answer Likert matrix of the block; a matrix right after another on
/// the same scale, with the same question text or none, continues its score (the reverse-worded
/// statements of a scale are often a matrix of their own, recoded in reverse).
fn scores(
    block: &KBlock<'_>,
    built: &Built<'_>,
    scale_of_item: &[String],
    ids: &mut Ids,
) -> Vec<Score> {
    struct Group {
        tag: String,
        prompt: String,
        key: (Vec<i64>, Vec<String>),
        items: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut last_question = None;
    for (entry, _scale) in block.entries.iter().zip(scale_of_item) {
        let question = &built.questions[entry.question].question;
        let Body::Items {
            prompt,
            matrix_scale: Some(matrix_scale),
            ..
        } = &question.body
        else {
            last_question = Some(entry.question);
            continue;
        };
        if entry.item.scale != *matrix_scale {
            continue;
        }
        let Some(key) = likert_key(matrix_scale) else {
            continue;
        };
        let prompt = prompt.clone().unwrap_or_default();
        let same_question = last_question == Some(entry.question);
        let continues = groups.last().is_some_and(|group| {
            group.key == key
                && (same_question
                    || prompt == group.prompt
                    || prompt.trim().is_empty()
                    || prompt == question.tag)
        });
        match groups.last_mut() {
            Some(group) if continues => group.items.push(entry.item.id.clone()),
            _ => groups.push(Group {
                tag: question.tag.clone(),
                prompt,
                key,
                items: vec![entry.item.id.clone()],
            }),
        }
        last_question = Some(entry.question);
    }
    let count = groups.iter().filter(|group| group.items.len() >= 2).count();
    groups
        .into_iter()
        .filter(|group| group.items.len() >= 2)
        .map(|group| {
            let base = column_id(&group.tag).0;
            Score {
                id: ids.reserve(&format!("{base}_mean")),
                label: if count == 1 {
                    block.title.clone()
                } else {
                    format!("{}: {}", block.title, shortened(&group.prompt, 60))
                },
                items: group.items,
                method: ScoreMethod::Mean,
                min_answered: None,
            }
        })
        .collect()
}

/// The survey: its blocks include the instruments, with the blocks' conditions and shuffling.
pub(super) fn survey(
    built: &Built<'_>,
    parts: &[Part],
    source: &Source,
    id: &str,
    closing: Option<String>,
) -> (Survey, Comments) {
    let blocks = built
        .blocks
        .iter()
        .zip(parts)
        .map(|(block, part)| Block {
            include: Some(part.path.clone()),
            randomize_items: block.randomize_items,
            items_per_page: block.items_per_page,
            show_if: condition(&block.show_if, true),
            end_if: condition(&block.end_if, false).map(|condition| EndIf {
                condition,
                message: None,
                translations: BTreeMap::new(),
            }),
            ..Block::default()
        })
        .collect();
    let from = source
        .survey_id
        .as_deref()
        .map_or(String::new(), |id| format!(" ({id})"));
    let comments = Comments {
        header: vec![
            format!("The Qualtrics survey `{}`{from}, converted from {} by `kith import qualtrics`.", source.name, source.file),
            "Check it with `kith check`; what could not be converted is listed by the import and in docs/qualtrics.md.".to_string(),
        ],
        ..Comments::default()
    };
    let survey = Survey {
        kind: SurveyKind::Survey,
        id: id.to_string(),
        version: "1.0.0".to_string(),
        title: super::address::Template::plain(&source.name).render(&|_| false),
        description: Some(format!(
            "Converted from the Qualtrics survey `{}`{from}.",
            source.name
        )),
        language: source.language.clone(),
        languages: Vec::new(),
        translations: BTreeMap::new(),
        consent: None,
        scales: BTreeMap::new(),
        rosters: BTreeMap::new(),
        blocks,
        randomize_blocks: built
            .blocks
            .iter()
            .filter(|block| block.randomized)
            .map(|block| block.id.clone())
            .collect(),
        closing,
    };
    (survey, comments)
}

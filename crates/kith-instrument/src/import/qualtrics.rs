//! Qualtrics survey files (.qsf) as kith files: one survey that includes one instrument per
//! block, in the order of the survey flow, with Qualtrics' recode values as codes and its
//! export's column names as item ids, so that a Qualtrics export scores against the survey.
//! See docs/qualtrics.md for what maps to what and what is left out.
//!
//! The steps: `read` (the JSON, bounded, refused with a hint when it is no survey), `flow`
//! (the blocks in order, branches, the randomizer), `questions` and `matrix` (each question as
//! items, run twice so that columns kith accepts keep their names), `layout` (kith blocks and
//! pages, and where each item stands), `apply` (logic and piping where kith can evaluate it),
//! `assemble` (the model) and `emit` (the YAML).

mod address;
mod apply;
mod assemble;
mod choices;
mod emit;
mod error;
mod flow;
mod layout;
mod logic;
mod matrix;
mod questions;
mod read;
mod text;

pub use error::QsfError;
pub use read::{MAX_BLOCKS, MAX_QSF_BYTES, MAX_QUESTIONS};

use super::{Conversion, ConvertedFile, LeftOut};
use address::Registry;
use choices::Ids;
use layout::{Built, add_placement};
use questions::{Damaged, Question};
use read::{BlockElement, Qsf};
use std::collections::HashSet;

/// The most items a converted survey may have.
pub const MAX_ITEMS: usize = 20_000;

/// Converts the text of a .qsf file into kith files. `source_name` is the file as the user
/// named it, for messages and the files' comments. Questions, logic and flow elements kith
/// has no equivalent of are listed in `left_out`; only a file that is not a readable Qualtrics
/// survey is an error.
pub fn convert_qsf(qsf_text: &str, source_name: &str) -> Result<Conversion, QsfError> {
    let root = read::parse(qsf_text, source_name)?;
    let qsf = Qsf::read(&root, source_name)?;
    let walked = flow::walk(&qsf, source_name)?;
    let mut left_out = walked.left_out.clone();
    let mut notes = walked.notes.clone();
    // The first run records every export column, so the second can keep genuine names.
    let mut recording = Ids::recording();
    convert_all(&qsf, &walked.placements, &mut recording, source_name)?;
    let mut ids = Ids::after(&recording);
    let converted = convert_all(&qsf, &walked.placements, &mut ids, source_name)?;
    let item_count: usize = converted
        .iter()
        .flatten()
        .map(|(_, question)| match &question.body {
            questions::Body::Items { items, .. } => items.len(),
            _ => 0,
        })
        .sum();
    if item_count > MAX_ITEMS {
        return Err(QsfError::new(
            source_name,
            None,
            "too-many-items",
            format!(
                "the survey would have {item_count} items, more than the {MAX_ITEMS} kith converts"
            ),
            "split the survey into several Qualtrics surveys and convert each",
        ));
    }
    let mut registry = Registry::new();
    for (_, question) in converted.iter().flatten() {
        registry.insert(question.id.clone(), question.columns.clone());
    }
    let mut built = Built::default();
    let mut taken = HashSet::new();
    let survey_name = qsf.name.clone().unwrap_or_else(|| file_stem(source_name));
    let survey_id = layout::unique(text::slug(&survey_name, "survey"), &mut taken);
    for (index, (placement, questions)) in walked.placements.iter().zip(converted).enumerate() {
        if let Some(block) = qsf.block(&placement.block) {
            add_placement(&mut built, index, placement, block, questions, &mut taken);
        }
    }
    for placed in &built.questions {
        for (what, reason) in &placed.question.partial {
            left_out.push(LeftOut {
                question_id: placed.question.id.clone(),
                export_tag: Some(placed.question.tag.clone()),
                what: what.clone(),
                reason: reason.clone(),
            });
        }
    }
    if built.blocks.is_empty() {
        let first = built.left_out.first().map_or(String::new(), |l| {
            format!(" ({}: {})", l.question_id, l.reason)
        });
        return Err(QsfError::new(
            source_name,
            None,
            "nothing-to-convert",
            format!("no question of the survey can be converted into a kith item{first}"),
            "kith converts multiple-choice, matrix, text-entry and slider questions; the list of what was left out says why each question was",
        ));
    }
    apply::apply(&mut built, &walked.placements, &registry, source_name)?;
    left_out.append(&mut built.left_out);
    notes.append(&mut built.notes);
    // What was left out, in the survey's order: the flow first, then question by question,
    // then the survey-wide elements.
    let question_order: std::collections::HashMap<&str, usize> = built
        .questions
        .iter()
        .enumerate()
        .map(|(index, placed)| (placed.question.id.as_str(), index))
        .collect();
    let mut ordered: Vec<(usize, usize, LeftOut)> = left_out
        .into_iter()
        .enumerate()
        .map(|(position, entry)| {
            let rank = question_order
                .get(entry.question_id.as_str())
                .map_or(0, |&i| i + 1);
            (rank, position, entry)
        })
        .collect();
    ordered.sort_by_key(|(rank, position, _)| (*rank, *position));
    let mut left_out: Vec<LeftOut> = ordered.into_iter().map(|(_, _, entry)| entry).collect();
    for (element, what) in &qsf.extras {
        left_out.push(LeftOut {
            question_id: element.clone(),
            export_tag: None,
            what: what.clone(),
            reason: "kith has no equivalent of it".to_string(),
        });
    }
    let source = assemble::Source {
        file: source_name.to_string(),
        name: survey_name,
        survey_id: qsf.survey_id.clone(),
        language: qsf.language.as_deref().and_then(language_tag),
    };
    if let Some(language) = &qsf.language
        && source.language.is_none()
    {
        notes.push(format!(
            "the survey's language `{language}` is not a BCP 47 code, so the files name none"
        ));
    }
    let parts = assemble::instruments(&built, &source, &mut ids, &mut notes);
    let closing = (!built.pending.is_empty()).then(|| {
        notes.push(
            "the descriptive text after the last block with questions is the survey's closing text"
                .to_string(),
        );
        address::Template::plain(&built.pending.join("\n\n")).render(&|_| false)
    });
    let (survey, survey_comments) = assemble::survey(&built, &parts, &source, &survey_id, closing);
    let survey_path = format!("{survey_id}.survey.yaml");
    let mut files = vec![ConvertedFile {
        path: survey_path.clone(),
        text: emit::survey(&survey, &survey_comments),
    }];
    for part in &parts {
        files.push(ConvertedFile {
            path: part.path.clone(),
            text: emit::instrument(&part.instrument, &part.comments),
        });
    }
    renamed_columns(&ids, &mut files, &mut notes);
    let mut languages = std::collections::BTreeSet::new();
    let mut translated = 0;
    for payload in qsf.questions.values() {
        if let Some(translations) = payload
            .get("Language")
            .and_then(serde_json::Value::as_object)
            && !translations.is_empty()
        {
            translated += 1;
            languages.extend(translations.keys().cloned());
        }
    }
    if translated > 0 {
        notes.push(format!(
            "the translations of {translated} question{} ({}) are not converted; kith's `translations:` can hold them",
            if translated == 1 { "" } else { "s" },
            languages.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if qsf.trashed > 0 {
        notes.push(format!(
            "{} in Qualtrics' trash {} not converted",
            if qsf.trashed == 1 {
                "1 question".to_string()
            } else {
                format!("{} questions", qsf.trashed)
            },
            if qsf.trashed == 1 { "is" } else { "are" }
        ));
    }
    notes.push(
        "the survey has no consent text; add `consent:` with the text your ethics board approved"
            .to_string(),
    );
    self_check(&files, &survey_path, &mut notes);
    Ok(Conversion {
        files,
        survey_path,
        left_out,
        notes,
    })
}

/// Every placed block's questions, converted with `ids`, each with its page in the block.
fn convert_all<'a>(
    qsf: &Qsf<'a>,
    placements: &[flow::Placement<'_>],
    ids: &mut Ids,
    file: &str,
) -> Result<Vec<Vec<(usize, Question<'a>)>>, QsfError> {
    let mut out = Vec::new();
    for placement in placements {
        let mut questions = Vec::new();
        let Some(block) = qsf.block(&placement.block) else {
            out.push(questions);
            continue;
        };
        let mut page = 0;
        for element in &block.elements {
            match element {
                BlockElement::PageBreak => page += 1,
                BlockElement::Question { id, skip_logic } => {
                    let Some(payload) = qsf.questions.get(id) else {
                        continue;
                    };
                    let question = questions::convert(id, payload, *skip_logic, ids)
                        .map_err(|Damaged(message)| {
                            QsfError::new(
                                file,
                                Some(id),
                                "missing-choice",
                                message,
                                "the file is damaged or was edited by hand; export the survey from Qualtrics again",
                            )
                        })?;
                    questions.push((page, question));
                }
            }
        }
        out.push(questions);
    }
    Ok(out)
}

/// A note and a `--map` file for the export's columns whose kith ids differ.
fn renamed_columns(ids: &Ids, files: &mut Vec<ConvertedFile>, notes: &mut Vec<String>) {
    if ids.renamed.is_empty() {
        return;
    }
    for (column, id, reason) in &ids.renamed {
        notes.push(format!(
            "the export's column `{column}` is `{id}` in kith: {reason}"
        ));
    }
    let header = vec![
        "The Qualtrics export's columns whose kith item ids differ, for `kith score --map`."
            .to_string(),
    ];
    let pairs: Vec<(String, String)> = ids
        .renamed
        .iter()
        .map(|(column, id, _)| (column.clone(), id.clone()))
        .collect();
    files.push(ConvertedFile {
        path: "qualtrics-columns.yaml".to_string(),
        text: emit::column_map(&header, &pairs),
    });
}

/// Checks the files as `kith check` would; a problem is a bug of the converter, reported as
/// a note so the researcher sees it rather than a file that silently does not load.
fn self_check(files: &[ConvertedFile], survey_path: &str, notes: &mut Vec<String>) {
    let mut loader = crate::survey::MemoryLoader::default();
    for file in files {
        loader = loader.with(&file.path, &file.text);
    }
    let checked = crate::survey::check_file(std::path::Path::new(survey_path), &loader);
    for diagnostic in checked.diagnostics.iter().filter(|d| d.is_error()) {
        notes.push(format!(
            "kith check finds a problem the converter should have avoided ({}:{}: {}); please report it",
            diagnostic.file, diagnostic.line, diagnostic.message
        ));
    }
}

/// A BCP 47 tag from Qualtrics' language code (`EN`, `DE`, `PT-BR`, `ZH-S`).
fn language_tag(code: &str) -> Option<String> {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next()?.to_ascii_lowercase();
    let rest: Vec<String> = parts
        .map(|part| {
            if part.len() == 2 {
                part.to_ascii_uppercase()
            } else {
                part.to_string()
            }
        })
        .collect();
    let tag = std::iter::once(primary)
        .chain(rest)
        .collect::<Vec<_>>()
        .join("-");
    crate::validate::is_language_tag(&tag).then_some(tag)
}

/// The file's name without folders and extension, for a survey without a name.
fn file_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_string()
}

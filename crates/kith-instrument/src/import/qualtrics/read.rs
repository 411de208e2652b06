//! Reading a .qsf file: the JSON, bounded, into the survey's name, its blocks (questions, page
//! breaks, skip logic and options), its flow and its questions; a file that is not a Qualtrics
//! survey, or that names questions or blocks it does not define, is refused with a hint.

use super::error::QsfError;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The largest .qsf file converted. Qualtrics' own exports of long surveys are a few megabytes.
pub const MAX_QSF_BYTES: usize = 50 * 1024 * 1024;
/// The most questions a converted survey may have.
pub const MAX_QUESTIONS: usize = 10_000;
/// The most blocks a converted survey may have.
pub const MAX_BLOCKS: usize = 2_000;

/// A Qualtrics survey as the converter reads it; the values borrow from the parsed JSON.
#[derive(Debug)]
pub(super) struct Qsf<'a> {
    pub name: Option<String>,
    pub survey_id: Option<String>,
    pub language: Option<String>,
    /// The blocks in the file's order, without the trash.
    pub blocks: Vec<QBlock<'a>>,
    /// How many questions sit in the trash block.
    pub trashed: usize,
    /// The survey flow's top-level elements, when the file has a flow.
    pub flow: Option<&'a Value>,
    /// Every question's payload, by question id.
    pub questions: HashMap<String, &'a Map<String, Value>>,
    /// Survey-wide elements kith has no place for: (element id, what it is).
    pub extras: Vec<(String, String)>,
    /// The index of each block in `blocks`, by id.
    index: HashMap<String, usize>,
}

/// One block of questions.
#[derive(Debug)]
pub(super) struct QBlock<'a> {
    pub id: String,
    pub description: String,
    pub elements: Vec<BlockElement<'a>>,
    pub options: Option<&'a Map<String, Value>>,
}

/// A question of a block, or a page break between questions.
#[derive(Debug)]
pub(super) enum BlockElement<'a> {
    /// A question, with the skip logic older files keep in the block.
    Question {
        id: String,
        skip_logic: Option<&'a Value>,
    },
    PageBreak,
}

/// A string, or a number written as one (Qualtrics writes codes both ways).
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The text under `key`, when there is one.
pub(super) fn field(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(text_of)
}

/// The key order Qualtrics means: numbered keys by number, then the others by name.
fn key_order(key: &str) -> (u64, String) {
    (key.parse::<u64>().unwrap_or(u64::MAX), key.to_string())
}

/// The entries of an object in Qualtrics' order, or of a list numbered from 1.
pub(super) fn entries(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Object(map) => {
            let mut out: Vec<(String, &Value)> = map
                .iter()
                .map(|(key, value)| (key.clone(), value))
                .collect();
            out.sort_by_key(|(key, _)| key_order(key));
            out
        }
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(index, value)| ((index + 1).to_string(), value))
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of a list, or of an object in Qualtrics' order.
pub(super) fn values(value: &Value) -> Vec<&Value> {
    entries(value).into_iter().map(|(_, value)| value).collect()
}

/// Parses the text of a .qsf file, refusing one that is too large or not JSON.
pub(super) fn parse(text: &str, file: &str) -> Result<Value, QsfError> {
    if text.len() > MAX_QSF_BYTES {
        return Err(QsfError::new(
            file,
            None,
            "too-large",
            format!(
                "the file is {} MB, more than the {} MB kith converts",
                text.len() / (1024 * 1024),
                MAX_QSF_BYTES / (1024 * 1024)
            ),
            "export the survey again from Qualtrics (Tools › Import/Export › Export Survey); a .qsf of a long survey is a few megabytes, so this is probably not one",
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|error| {
        QsfError::new(
            file,
            None,
            "not-json",
            format!(
                "the file is not JSON: {} at line {}, column {}",
                describe_json_error(&error),
                error.line(),
                error.column()
            ),
            "a .qsf file is the JSON Qualtrics writes with Tools › Import/Export › Export Survey; check that the file is complete and was not opened and saved by another program",
        )
    })
}

fn describe_json_error(error: &serde_json::Error) -> String {
    let text = error.to_string();
    // serde_json ends its message with the place, which the message gives separately.
    match text.find(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

impl<'a> Qsf<'a> {
    /// The survey in `root`, or why it is not a Qualtrics survey file.
    pub(super) fn read(root: &'a Value, file: &str) -> Result<Qsf<'a>, QsfError> {
        let not_qsf = |message: &str| {
            QsfError::new(
                file,
                None,
                "not-qsf",
                message.to_string(),
                "kith converts Qualtrics survey files (.qsf, Tools › Import/Export › Export Survey), not response exports or other JSON",
            )
        };
        let Some(top) = root.as_object() else {
            return Err(not_qsf(
                "the file is JSON but not a Qualtrics survey: its top level is not an object",
            ));
        };
        let Some(elements) = top.get("SurveyElements").and_then(Value::as_array) else {
            return Err(not_qsf(
                "the file is JSON but not a Qualtrics survey: it has no `SurveyElements` list",
            ));
        };
        let entry = top.get("SurveyEntry").and_then(Value::as_object);
        let from_entry = |key: &str| {
            entry
                .and_then(|entry| field(entry, key))
                .filter(|text| !text.trim().is_empty())
        };
        let mut qsf = Qsf {
            name: from_entry("SurveyName"),
            survey_id: from_entry("SurveyID"),
            language: from_entry("SurveyLanguage"),
            blocks: Vec::new(),
            trashed: 0,
            flow: None,
            questions: HashMap::new(),
            extras: Vec::new(),
            index: HashMap::new(),
        };
        let mut block_payloads = Vec::new();
        for (index, element) in elements.iter().enumerate() {
            let Some(element) = element.as_object() else {
                continue;
            };
            let kind = field(element, "Element").unwrap_or_default();
            let primary = field(element, "PrimaryAttribute").unwrap_or_default();
            let payload = element.get("Payload");
            match kind.as_str() {
                "SQ" => qsf.add_question(payload, &primary, index, file)?,
                "BL" => block_payloads.extend(payload.map(values).unwrap_or_default()),
                // A file has one flow; a second `FL` element would be a damaged file's.
                "FL" if qsf.flow.is_none() => qsf.flow = payload.and_then(|flow| flow.get("Flow")),
                "QO" => qsf.extras.push((primary, "a quota".to_string())),
                "TR" => qsf.extras.push((primary, "a trigger".to_string())),
                "SCO" => {
                    let categories = payload
                        .and_then(|p| p.get("ScoringCategories"))
                        .map_or(0, |c| values(c).len());
                    if categories > 0 {
                        qsf.extras.push((
                            "SCO".to_string(),
                            "Qualtrics scoring categories".to_string(),
                        ));
                    }
                }
                "SO" => {
                    let header = payload
                        .and_then(|p| p.get("Header"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if header.to_ascii_lowercase().contains("<script") {
                        qsf.extras.push((
                            "SO".to_string(),
                            "JavaScript in the survey header".to_string(),
                        ));
                    }
                }
                _ => {}
            }
        }
        if qsf.questions.len() > MAX_QUESTIONS {
            return Err(QsfError::new(
                file,
                None,
                "too-many-questions",
                format!(
                    "the survey has {} questions, more than the {MAX_QUESTIONS} kith converts",
                    qsf.questions.len()
                ),
                "split the survey into several Qualtrics surveys and convert each",
            ));
        }
        if block_payloads.len() > MAX_BLOCKS {
            return Err(QsfError::new(
                file,
                None,
                "too-many-blocks",
                format!(
                    "the survey has {} blocks, more than the {MAX_BLOCKS} kith converts",
                    block_payloads.len()
                ),
                "split the survey into several Qualtrics surveys and convert each",
            ));
        }
        for payload in block_payloads {
            qsf.add_block(payload, file)?;
        }
        if qsf.blocks.is_empty() {
            return Err(not_qsf(
                "the survey has no blocks of questions (no `BL` element with a block)",
            ));
        }
        Ok(qsf)
    }

    fn add_question(
        &mut self,
        payload: Option<&'a Value>,
        primary: &str,
        index: usize,
        file: &str,
    ) -> Result<(), QsfError> {
        let element = if primary.is_empty() {
            format!("survey element {}", index + 1)
        } else {
            primary.to_string()
        };
        let Some(payload) = payload.and_then(Value::as_object) else {
            return Err(QsfError::new(
                file,
                Some(&element),
                "bad-question",
                "the question has no payload".to_string(),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        };
        let Some(id) = field(payload, "QuestionID").filter(|id| !id.is_empty()) else {
            return Err(QsfError::new(
                file,
                Some(&element),
                "bad-question",
                "the question has no `QuestionID`".to_string(),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        };
        if self.questions.insert(id.clone(), payload).is_some() {
            return Err(QsfError::new(
                file,
                Some(&id),
                "duplicate-question",
                format!("the file defines question `{id}` twice"),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        }
        Ok(())
    }

    fn add_block(&mut self, payload: &'a Value, file: &str) -> Result<(), QsfError> {
        let Some(block) = payload.as_object() else {
            return Ok(());
        };
        let id = field(block, "ID").unwrap_or_default();
        let trash = field(block, "Type").is_some_and(|kind| kind == "Trash");
        let listed = block.get("BlockElements").map(values).unwrap_or_default();
        if trash {
            self.trashed += listed
                .iter()
                .filter(|element| element.get("Type").and_then(Value::as_str) == Some("Question"))
                .count();
            return Ok(());
        }
        if id.is_empty() {
            return Err(QsfError::new(
                file,
                None,
                "bad-block",
                "a block has no `ID`".to_string(),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        }
        if self.index.contains_key(&id) {
            return Err(QsfError::new(
                file,
                Some(&id),
                "duplicate-block",
                format!("the file defines block `{id}` twice"),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        }
        let mut elements = Vec::new();
        let mut seen = HashSet::new();
        for element in listed {
            match element.get("Type").and_then(Value::as_str) {
                Some("Question") => {
                    let question = element
                        .get("QuestionID")
                        .and_then(text_of)
                        .unwrap_or_default();
                    if !self.questions.contains_key(&question) {
                        return Err(QsfError::new(
                            file,
                            Some(&id),
                            "missing-question",
                            format!(
                                "block `{id}` lists question `{question}`, which the file does not define"
                            ),
                            "the file is damaged or was edited by hand; export the survey from Qualtrics again",
                        ));
                    }
                    // A question listed twice is shown once; the export has one column for it.
                    if seen.insert(question.clone()) {
                        elements.push(BlockElement::Question {
                            id: question,
                            skip_logic: element.get("SkipLogic"),
                        });
                    }
                }
                Some("Page Break") => elements.push(BlockElement::PageBreak),
                _ => {}
            }
        }
        self.index.insert(id.clone(), self.blocks.len());
        self.blocks.push(QBlock {
            description: field(block, "Description").unwrap_or_default(),
            id,
            elements,
            options: block.get("Options").and_then(Value::as_object),
        });
        Ok(())
    }

    /// The block with this id.
    pub(super) fn block(&self, id: &str) -> Option<&QBlock<'a>> {
        self.index.get(id).and_then(|&index| self.blocks.get(index))
    }
}

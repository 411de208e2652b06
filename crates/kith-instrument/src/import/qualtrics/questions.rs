//! One Qualtrics question as kith items: multiple choice, text entry, descriptive text and the
//! types kith has no equivalent of (left out with the reason); matrices and sliders are in
//! `matrix.rs`. Codes are Qualtrics' recode values, ids the export's column names.

use super::address::{Answer, AnswerKind, Columns};
use super::choices::{
    ChoiceError, Ids, choices, export_tag, forced, has_javascript, labels, randomization,
};
use super::matrix;
use super::read::{field, values};
use super::text::{one_line, plain_text};
use crate::model::{ChoiceOption, ResponseScale};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A converted question.
#[derive(Debug)]
pub(super) struct Question<'a> {
    pub id: String,
    pub tag: String,
    pub body: Body<'a>,
    pub columns: Columns,
    /// Parts of a converted question that are not converted: (what, why).
    pub partial: Vec<(String, String)>,
    pub display_logic: Option<&'a Value>,
    pub skip_logic: Vec<&'a Map<String, Value>>,
    /// Whether the question shuffles its statements.
    pub randomized_rows: bool,
    /// Whether its scale's codes fall in display order (a matrix recoded in reverse).
    pub reverse_recoded: bool,
}

/// What a question becomes.
#[derive(Debug)]
pub(super) enum Body<'a> {
    /// Items; `prompt` is the question text above a matrix's statements, a slider's bars or a
    /// form's fields, whose own texts are the items' texts.
    Items {
        items: Vec<NewItem<'a>>,
        prompt: Option<String>,
        /// The Likert scale of a single-answer matrix, whose statements make a score.
        matrix_scale: Option<ResponseScale>,
    },
    /// Descriptive text, for the block's instructions.
    Descriptive(String),
    /// Nothing: the reason.
    LeftOut(String),
}

/// One kith item of a question.
#[derive(Debug)]
pub(super) struct NewItem<'a> {
    pub id: String,
    /// The column of the Qualtrics export it reads.
    pub column: String,
    pub text: String,
    pub scale: ResponseScale,
    /// The name its scale would like, when it is the first of its kind.
    pub scale_name: String,
    pub required: bool,
    /// Codes the export holds for answers kith reads as missing.
    pub missing_codes: Vec<i64>,
    /// The display logic of the item's own statement, field or bar.
    pub row_logic: Option<&'a Value>,
}

/// A question that cannot be read because the file is damaged: the message.
#[derive(Debug)]
pub(super) struct Damaged(pub String);

/// Converts the question `id` with `payload`; `block_skip` is the skip logic older files keep
/// in the block.
pub(super) fn convert<'a>(
    id: &str,
    payload: &'a Map<String, Value>,
    block_skip: Option<&'a Value>,
    ids: &mut Ids,
) -> Result<Question<'a>, Damaged> {
    let tag = export_tag(payload, id);
    let kind = field(payload, "QuestionType").unwrap_or_default();
    let selector = field(payload, "Selector").unwrap_or_default();
    let mut question = Question {
        id: id.to_string(),
        tag: tag.clone(),
        body: Body::LeftOut(String::new()),
        columns: Columns::default(),
        partial: Vec::new(),
        display_logic: payload
            .get("DisplayLogic")
            .filter(|logic| logic.is_object()),
        skip_logic: Vec::new(),
        randomized_rows: false,
        reverse_recoded: false,
    };
    for source in [payload.get("SkipLogic"), block_skip].into_iter().flatten() {
        question
            .skip_logic
            .extend(values(source).into_iter().filter_map(Value::as_object));
    }
    let body = match kind.as_str() {
        "MC" => multiple_choice(&mut question, payload, &selector, ids),
        "TE" => text_entry(&mut question, payload, &selector, ids),
        "Matrix" => matrix::matrix(&mut question, payload, &selector, ids),
        "Slider" => matrix::slider(&mut question, payload, &selector, ids),
        "DB" => descriptive(payload, &selector),
        other => Ok(Body::LeftOut(unsupported(other))),
    };
    question.body = match body {
        Ok(body) => body,
        Err(ChoiceError::Missing(choice)) => {
            return Err(Damaged(format!(
                "question `{id}` lists choice `{choice}` in its order but does not define it"
            )));
        }
        Err(ChoiceError::TooMany(count)) => Body::LeftOut(format!(
            "it has {count} choices, more than the {} kith converts",
            super::choices::MAX_CHOICES
        )),
    };
    if matches!(question.body, Body::Items { .. }) {
        extras(&mut question, payload);
    }
    Ok(question)
}

/// The reason a question type is left out.
fn unsupported(kind: &str) -> String {
    match kind {
        "HeatMap" => "a heat map: kith has no question that records clicks on an image".to_string(),
        "HotSpot" => "a hot spot question: kith has no image regions to click".to_string(),
        "RO" => "a rank-order question: kith has no ranking question (each rank could be a single-choice item)".to_string(),
        "SBS" => "a side-by-side question: kith has no side-by-side layout (each column could be a matrix of its own)".to_string(),
        "CS" => "a constant-sum question: kith cannot require answers to add up to a total".to_string(),
        "Timing" => "a page timer: kith records the time of every page itself (`page_seconds`)".to_string(),
        "Meta" => "browser meta info: kith does not record the respondent's browser".to_string(),
        "FileUpload" => "a file upload: kith accepts no files".to_string(),
        "Draw" | "Signature" => "a signature or drawing box: kith records no drawings".to_string(),
        "Captcha" => "a captcha: kith has no captcha".to_string(),
        "DD" => "a drill-down question: kith has no linked lists of choices".to_string(),
        "PGR" => "a pick, group and rank question: kith has no sorting into groups".to_string(),
        "GAP" => "a gap-analysis question: kith has no paired scales of this kind".to_string(),
        "Highlight" => "a highlight question: kith records no marked words".to_string(),
        "" => "the question has no `QuestionType`".to_string(),
        other => format!("a `{other}` question, which kith has no equivalent of"),
    }
}

/// The parts of a converted question kith does not carry: its JavaScript, custom validation.
fn extras(question: &mut Question<'_>, payload: &Map<String, Value>) {
    if has_javascript(payload) {
        question.partial.push((
            "JavaScript".to_string(),
            "kith runs no JavaScript; the question is converted without it".to_string(),
        ));
    }
    let validation = payload
        .get("Validation")
        .and_then(|validation| validation.get("Settings"))
        .and_then(|settings| settings.get("Type"))
        .and_then(Value::as_str);
    if validation == Some("CustomValidation") {
        question.partial.push((
            "custom validation".to_string(),
            "not converted; a kith `constraint:` can test the answer if it matters".to_string(),
        ));
    }
}

/// The question's text on one line, or its export tag when it has none.
pub(super) fn question_text(payload: &Map<String, Value>, tag: &str) -> String {
    let text = one_line(&field(payload, "QuestionText").unwrap_or_default());
    if text.is_empty() {
        tag.to_string()
    } else {
        text
    }
}

/// The question's text with its paragraphs, or its export tag when it has none: the text
/// above a matrix's statements, shown as instructions.
pub(super) fn question_paragraphs(payload: &Map<String, Value>, tag: &str) -> String {
    let text = plain_text(&field(payload, "QuestionText").unwrap_or_default());
    if text.is_empty() {
        tag.to_string()
    } else {
        text
    }
}

fn descriptive(payload: &Map<String, Value>, selector: &str) -> Result<Body<'static>, ChoiceError> {
    if selector == "GRB" {
        return Ok(Body::LeftOut("a graphic: kith shows no images".to_string()));
    }
    let text = plain_text(&field(payload, "QuestionText").unwrap_or_default());
    Ok(if text.is_empty() {
        Body::LeftOut("descriptive text with no text (an image?): kith shows no images".to_string())
    } else {
        Body::Descriptive(text)
    })
}

/// Multiple choice: one answer (`SAVR`, `SAHR`, `SACOL`, `DL`, `SB`, `NPS`) or several
/// (`MAVR`, `MAHR`, `MACOL`, `MSB`).
fn multiple_choice<'a>(
    question: &mut Question<'a>,
    payload: &'a Map<String, Value>,
    selector: &str,
    ids: &mut Ids,
) -> Result<Body<'a>, ChoiceError> {
    let several = matches!(selector, "MAVR" | "MAHR" | "MACOL" | "MSB");
    if !several && !matches!(selector, "SAVR" | "SAHR" | "SACOL" | "DL" | "SB" | "NPS") {
        return Ok(Body::LeftOut(format!(
            "a multiple-choice question shown as `{selector}`, which kith has no equivalent of"
        )));
    }
    if let Some(dynamic) = payload.get("DynamicChoices").and_then(|d| d.get("Locator")) {
        return Ok(Body::LeftOut(format!(
            "its choices are carried forward ({}); kith has no carry-forward",
            super::read::text_of(dynamic).unwrap_or_default()
        )));
    }
    let list = choices(
        payload,
        "Choices",
        "ChoiceOrder",
        payload.get("RecodeValues"),
    )?;
    let mut coded = Vec::new();
    for choice in &list {
        match choice.code() {
            Ok(code) => coded.push((code, choice.label.clone())),
            Err(reason) => return Ok(Body::LeftOut(reason)),
        }
    }
    if let Some(code) = first_repeat(coded.iter().map(|(code, _)| *code)) {
        return Ok(Body::LeftOut(format!(
            "two of its choices have the code {code}; kith's codes name one option each"
        )));
    }
    if coded.is_empty() {
        return Ok(Body::LeftOut("it has no choices".to_string()));
    }
    let tag = question.tag.clone();
    let id = ids.claim(&tag);
    let base = super::text::column_id(&tag).0;
    let (scale, scale_name, kind) = if selector == "NPS" {
        let mut sorted = coded.clone();
        sorted.sort_by_key(|(code, _)| *code);
        let (mut names, _) = labels(&sorted, false);
        // Qualtrics labels the ends of a Net Promoter scale apart from its numbers.
        let anchors = payload.get("ColumnLabels").map(values).unwrap_or_default();
        let anchor = |index: usize| {
            anchors
                .get(index)
                .and_then(|a| a.get("Display"))
                .and_then(super::read::text_of)
                .map(|text| one_line(&text))
                .filter(|text| !text.is_empty())
        };
        for (position, anchor) in [(0, anchor(0)), (names.len().saturating_sub(1), anchor(1))] {
            if let (Some(anchor), Some(name)) = (anchor, names.get_mut(position)) {
                *name = format!("{name} ({anchor})");
            }
        }
        let values: Vec<i64> = sorted.iter().map(|(code, _)| *code).collect();
        let kind = AnswerKind::Coded(values.clone());
        let scale = ResponseScale::Likert {
            values,
            labels: names,
            translations: BTreeMap::new(),
        };
        (scale, format!("{base}_scale"), kind)
    } else {
        let (names, changed) = labels(&coded, true);
        if changed {
            question.partial.push((
                "option labels".to_string(),
                "an empty or repeated label is given its code, since kith tells options apart by label in choice-text exports".to_string(),
            ));
        }
        let options: Vec<ChoiceOption> = coded
            .iter()
            .zip(names)
            .map(|((value, _), label)| ChoiceOption {
                value: *value,
                label,
                translations: BTreeMap::new(),
            })
            .collect();
        let kind = if several {
            AnswerKind::Multiple
        } else {
            AnswerKind::Coded(coded.iter().map(|(code, _)| *code).collect())
        };
        let scale = if several {
            ResponseScale::MultipleChoice { options }
        } else {
            ResponseScale::SingleChoice { options }
        };
        (scale, format!("{base}_options"), kind)
    };
    question.columns.whole = Some(Answer {
        id: id.clone(),
        kind,
    });
    let mut items = vec![NewItem {
        id,
        column: tag.clone(),
        text: question_text(payload, &tag),
        scale,
        scale_name,
        required: forced(payload),
        missing_codes: Vec::new(),
        row_logic: None,
    }];
    let item_id = items[0].id.clone();
    for (choice, (code, label)) in list.iter().zip(&coded) {
        question
            .columns
            .choice_codes
            .insert(choice.id.clone(), *code);
        if several {
            ids.option_column(
                format!("{tag}_{code}"),
                format!("{item_id}_{}", crate::codebook::option_suffix(*code)),
                "kith names an option's column by its item and code, with `m` for a minus sign",
            );
            if choice
                .object
                .and_then(|o| o.get("ExclusiveAnswer"))
                .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"))
            {
                question.partial.push((
                    format!("the exclusive option `{label}`"),
                    "kith does not clear the other options when it is chosen".to_string(),
                ));
            }
        }
        if choice.display_logic().is_some() {
            question.partial.push((
                format!("display logic of the option `{label}`"),
                "kith shows every option of a question".to_string(),
            ));
        }
        if choice.text_entry {
            let column = format!("{tag}_{code}_TEXT");
            let text_id = ids.claim(&column);
            question
                .columns
                .texts
                .insert(choice.id.clone(), text_id.clone());
            items.push(NewItem {
                id: text_id,
                column,
                text: format!("{} (please specify)", label.trim_end_matches(':')),
                scale: ResponseScale::Text { max_length: None },
                scale_name: "text".to_string(),
                required: false,
                missing_codes: Vec::new(),
                row_logic: None,
            });
        }
    }
    if randomization(payload).is_some() {
        question.partial.push((
            "option order randomization".to_string(),
            "kith shows a question's options in one order".to_string(),
        ));
    }
    Ok(Body::Items {
        items,
        prompt: None,
        matrix_scale: None,
    })
}

/// The first value that comes twice.
pub(super) fn first_repeat(values: impl Iterator<Item = i64>) -> Option<i64> {
    let mut seen = std::collections::HashSet::new();
    values.into_iter().find(|value| !seen.insert(*value))
}

/// Text entry: one line, an essay box or a password (`SL`, `ML`, `ESTB`, `PW`) becomes a text
/// item, or a number item when Qualtrics validates it as a number; a form (`FORM`) becomes one
/// text item per field.
fn text_entry<'a>(
    question: &mut Question<'a>,
    payload: &'a Map<String, Value>,
    selector: &str,
    ids: &mut Ids,
) -> Result<Body<'a>, ChoiceError> {
    let tag = question.tag.clone();
    let required = forced(payload);
    if selector == "FORM" {
        let fields = choices(payload, "Choices", "ChoiceOrder", None)?;
        if fields.is_empty() {
            return Ok(Body::LeftOut("the form has no fields".to_string()));
        }
        let mut items = Vec::new();
        for form_field in fields {
            let column = format!("{tag}_{}", form_field.id);
            let id = ids.claim(&column);
            question.columns.rows.insert(
                form_field.id.clone(),
                Answer {
                    id: id.clone(),
                    kind: AnswerKind::Text,
                },
            );
            items.push(NewItem {
                text: form_field.label.clone(),
                id,
                column,
                scale: ResponseScale::Text { max_length: None },
                scale_name: "text".to_string(),
                required,
                missing_codes: Vec::new(),
                row_logic: form_field.display_logic(),
            });
        }
        return Ok(Body::Items {
            items,
            prompt: Some(question_paragraphs(payload, &tag)),
            matrix_scale: None,
        });
    }
    if !matches!(selector, "SL" | "ML" | "ESTB" | "PW" | "") {
        return Ok(Body::LeftOut(format!(
            "a text entry shown as `{selector}`, which kith has no equivalent of"
        )));
    }
    let base = super::text::column_id(&tag).0;
    let (scale, scale_name, kind) = match number_validation(payload) {
        Some(scale) => (scale, format!("{base}_range"), AnswerKind::Number),
        None => (
            ResponseScale::Text { max_length: None },
            "text".to_string(),
            AnswerKind::Text,
        ),
    };
    let id = ids.claim(&tag);
    question.columns.whole = Some(Answer {
        id: id.clone(),
        kind,
    });
    Ok(Body::Items {
        items: vec![NewItem {
            id,
            column: tag.clone(),
            text: question_text(payload, &tag),
            scale,
            scale_name,
            required,
            missing_codes: Vec::new(),
            row_logic: None,
        }],
        prompt: None,
        matrix_scale: None,
    })
}

/// A numeric scale from Qualtrics' "content type: number" validation (`ValidNumber`, with
/// optional `Min`, `Max` and `NumDecimals`).
fn number_validation(payload: &Map<String, Value>) -> Option<ResponseScale> {
    let settings = payload.get("Validation")?.get("Settings")?;
    let content = settings.get("ContentType").and_then(Value::as_str)?;
    if content != "ValidNumber" && content != "ValidNumericRange" {
        return None;
    }
    let bounds = settings.get("ValidNumber").and_then(Value::as_object);
    let bound = |key: &str| {
        bounds
            .and_then(|b| field(b, key))
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|value| value.is_finite())
    };
    let (mut min, mut max) = (bound("Min"), bound("Max"));
    if let (Some(low), Some(high)) = (min, max)
        && low >= high
    {
        (min, max) = (None, None);
    }
    let integer = bounds
        .and_then(|b| field(b, "NumDecimals"))
        .is_some_and(|decimals| decimals.trim() == "0")
        && min.is_none_or(|m| m.fract() == 0.0)
        && max.is_none_or(|m| m.fract() == 0.0);
    Some(ResponseScale::Numeric {
        min,
        max,
        integer,
        unit: None,
        translations: BTreeMap::new(),
    })
}

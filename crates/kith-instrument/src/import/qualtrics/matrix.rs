//! Matrices and sliders as kith items: one item per statement (`Tag_row`, or the statement's
//! own export tag) on a Likert scale whose codes are the scale points' recode values, or on a
//! multiple-choice scale for a matrix of several answers per statement; one number item per
//! slider bar.

use super::address::{Answer, AnswerKind};
use super::choices::{Choice, ChoiceError, Ids, choices, forced, randomization};
use super::questions::{Body, NewItem, Question, first_repeat, question_paragraphs};
use super::read::{field, text_of};
use crate::model::{ChoiceOption, ResponseScale};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The export column of a statement: the question's tag, `_`, and the statement's own export
/// tag (`ChoiceDataExportTags`) or else its choice id.
fn row_column(tag: &str, payload: &Map<String, Value>, row: &Choice<'_>) -> String {
    let own = payload
        .get("ChoiceDataExportTags")
        .and_then(|tags| tags.get(&row.id))
        .and_then(text_of)
        .filter(|own| !own.trim().is_empty());
    format!("{tag}_{}", own.unwrap_or_else(|| row.id.clone()))
}

/// A matrix table: single answer per statement (`Likert` with `SingleAnswer`, `DL` or `DND`,
/// and `Bipolar`) or several (`Likert` with `MultipleAnswer`).
pub(super) fn matrix<'a>(
    question: &mut Question<'a>,
    payload: &'a Map<String, Value>,
    selector: &str,
    ids: &mut Ids,
) -> Result<Body<'a>, ChoiceError> {
    let sub = field(payload, "SubSelector").unwrap_or_default();
    let several = selector == "Likert" && sub == "MultipleAnswer";
    let single = (selector == "Likert"
        && matches!(sub.as_str(), "SingleAnswer" | "DL" | "DND" | ""))
        || selector == "Bipolar";
    if !single && !several {
        return Ok(Body::LeftOut(match selector {
            "TE" => "a matrix of text boxes: kith has no grid of texts".to_string(),
            "CS" => "a constant-sum matrix: kith cannot require answers to add up to a total"
                .to_string(),
            "RO" => "a rank-order matrix: kith has no ranking question".to_string(),
            "MaxDiff" => "a MaxDiff matrix: kith has no best–worst choice tasks".to_string(),
            "Profile" => "a profile matrix: kith has no grid of this kind".to_string(),
            other => {
                format!("a matrix shown as `{other}`/`{sub}`, which kith has no equivalent of")
            }
        }));
    }
    let rows = choices(payload, "Choices", "ChoiceOrder", None)?;
    let points = choices(
        payload,
        "Answers",
        "AnswerOrder",
        payload.get("RecodeValues"),
    )?;
    if rows.is_empty() {
        return Ok(Body::LeftOut("the matrix has no statements".to_string()));
    }
    let mut coded = Vec::new();
    for point in &points {
        match point.code() {
            Ok(code) => coded.push((point.id.clone(), code, point.label.clone())),
            Err(reason) => return Ok(Body::LeftOut(reason)),
        }
    }
    let tag = question.tag.clone();
    let base = super::text::column_id(&tag).0;
    // A single-answer matrix is a Likert scale: its non-negative codes are the scale, and
    // negative ones ("Don't know" = -99) are answers kith reads as missing.
    let (scale, missing, matrix_scale, kind) = if several {
        if let Some(code) = first_repeat(coded.iter().map(|(_, code, _)| *code)) {
            return Ok(Body::LeftOut(format!(
                "two of its scale points have the code {code}; kith's codes name one option each"
            )));
        }
        let named: Vec<(i64, String)> = coded.iter().map(|(_, c, l)| (*c, l.clone())).collect();
        let (names, _) = super::choices::labels(&named, true);
        let options = named
            .iter()
            .zip(names)
            .map(|((value, _), label)| ChoiceOption {
                value: *value,
                label,
                translations: BTreeMap::new(),
            })
            .collect();
        (
            ResponseScale::MultipleChoice { options },
            Vec::new(),
            None,
            AnswerKind::Multiple,
        )
    } else {
        let mut scored: Vec<(i64, String)> = coded
            .iter()
            .filter(|(_, code, _)| *code >= 0)
            .map(|(_, code, label)| (*code, label.clone()))
            .collect();
        let missing: Vec<i64> = coded
            .iter()
            .filter(|(_, code, _)| *code < 0)
            .map(|(_, code, _)| *code)
            .collect();
        if let Some(code) = first_repeat(scored.iter().map(|(code, _)| *code)) {
            return Ok(Body::LeftOut(format!(
                "two of its scale points have the code {code}; a Likert scale names each code once"
            )));
        }
        if scored.len() < 2 {
            return Ok(Body::LeftOut(
                "it has fewer than two scale points with codes of 0 or more".to_string(),
            ));
        }
        question.reverse_recoded = scored.windows(2).all(|pair| pair[0].0 > pair[1].0);
        // kith lists a Likert scale lowest code first; a question whose codes fall in display
        // order (reverse-recoded) keeps its codes, so its labels are listed in code order.
        scored.sort_by_key(|(code, _)| *code);
        let (labels, _) = super::choices::labels(&scored, false);
        let values: Vec<i64> = scored.iter().map(|(code, _)| *code).collect();
        let scale = ResponseScale::Likert {
            values: values.clone(),
            labels,
            translations: BTreeMap::new(),
        };
        let mut missing = missing;
        missing.sort_unstable();
        missing.dedup();
        (
            scale.clone(),
            missing,
            Some(scale),
            AnswerKind::Coded(values),
        )
    };
    for (id, code, _) in &coded {
        if missing.contains(code) {
            question.columns.missing_answers.insert(id.clone());
        } else {
            question.columns.answer_codes.insert(id.clone(), *code);
        }
    }
    for (_, code, label) in &coded {
        if missing.contains(code) {
            question.partial.push((
                format!("the answer `{label}`"),
                format!("its code {code} is negative, so kith reads it as a missing answer (the instrument's `missing_codes`): the export's {code} scores as missing, and kith's own runs do not offer it"),
            ));
        }
    }
    for point in &points {
        if point.display_logic().is_some() {
            question.partial.push((
                format!("display logic of the scale point `{}`", point.label),
                "kith shows every point of a scale".to_string(),
            ));
        }
    }
    let required = forced(payload);
    let mut items = Vec::new();
    for row in &rows {
        let column = row_column(&tag, payload, row);
        let id = ids.claim(&column);
        question.columns.rows.insert(
            row.id.clone(),
            Answer {
                id: id.clone(),
                kind: kind.clone(),
            },
        );
        items.push(NewItem {
            text: row.label.clone(),
            id,
            column: column.clone(),
            scale: scale.clone(),
            scale_name: format!("{base}_scale"),
            required,
            missing_codes: missing.clone(),
            row_logic: row.display_logic(),
        });
        if row.text_entry {
            let text_column = format!("{column}_TEXT");
            let text_id = ids.claim(&text_column);
            question
                .columns
                .texts
                .insert(row.id.clone(), text_id.clone());
            items.push(NewItem {
                text: format!("{} (please specify)", row.label.trim_end_matches(':')),
                id: text_id,
                column: text_column,
                scale: ResponseScale::Text { max_length: None },
                scale_name: "text".to_string(),
                required: false,
                missing_codes: Vec::new(),
                row_logic: row.display_logic(),
            });
        }
    }
    match randomization(payload).as_deref() {
        Some("All") => question.randomized_rows = true,
        Some(other) => question.partial.push((
            format!("statement randomization `{other}`"),
            "kith shuffles all of a block's items or none".to_string(),
        )),
        None => {}
    }
    Ok(Body::Items {
        items,
        prompt: Some(question_paragraphs(payload, &tag)),
        matrix_scale,
    })
}

/// A slider (`HSLIDER`, `HBAR`): one number item per bar, `Tag_bar`, within the slider's
/// `CSSliderMin` and `CSSliderMax`.
pub(super) fn slider<'a>(
    question: &mut Question<'a>,
    payload: &'a Map<String, Value>,
    selector: &str,
    ids: &mut Ids,
) -> Result<Body<'a>, ChoiceError> {
    if !matches!(selector, "HSLIDER" | "HBAR") {
        return Ok(Body::LeftOut(match selector {
            "STAR" => "a star rating: kith has no stars (a Likert scale of 1 to 5 asks the same)"
                .to_string(),
            other => format!("a slider shown as `{other}`, which kith has no equivalent of"),
        }));
    }
    let configuration = payload.get("Configuration").and_then(Value::as_object);
    let setting = |key: &str| {
        configuration
            .and_then(|c| field(c, key))
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|value| value.is_finite())
    };
    let (mut min, mut max) = (setting("CSSliderMin"), setting("CSSliderMax"));
    if let (Some(low), Some(high)) = (min, max)
        && low >= high
    {
        question.partial.push((
            "the slider's range".to_string(),
            format!(
                "its minimum {low} is not below its maximum {high}, so kith's scale has no bounds"
            ),
        ));
        (min, max) = (None, None);
    }
    let integer = configuration
        .and_then(|c| field(c, "NumDecimals"))
        .is_some_and(|decimals| decimals.trim() == "0")
        && min.is_none_or(|m| m.fract() == 0.0)
        && max.is_none_or(|m| m.fract() == 0.0);
    let bars = choices(payload, "Choices", "ChoiceOrder", None)?;
    if bars.is_empty() {
        return Ok(Body::LeftOut("the slider has no bars".to_string()));
    }
    // The label of a slider's only bar is what it counts ("Years"): the scale's unit, and the
    // question's text is the item's.
    let single = bars.len() == 1;
    let unit = bars
        .first()
        .filter(|bar| single && !bar.label.is_empty())
        .map(|bar| bar.label.clone());
    let scale = ResponseScale::Numeric {
        min,
        max,
        integer,
        unit,
        translations: BTreeMap::new(),
    };
    let tag = question.tag.clone();
    let base = super::text::column_id(&tag).0;
    let required = forced(payload);
    let mut items = Vec::new();
    for bar in &bars {
        let column = format!("{tag}_{}", bar.id);
        let id = ids.claim(&column);
        question.columns.rows.insert(
            bar.id.clone(),
            Answer {
                id: id.clone(),
                kind: AnswerKind::Number,
            },
        );
        items.push(NewItem {
            text: if single {
                String::new()
            } else {
                bar.label.clone()
            },
            id,
            column,
            scale: scale.clone(),
            scale_name: format!("{base}_range"),
            required,
            missing_codes: Vec::new(),
            row_logic: bar.display_logic(),
        });
    }
    Ok(Body::Items {
        items,
        prompt: Some(question_paragraphs(payload, &tag)),
        matrix_scale: None,
    })
}

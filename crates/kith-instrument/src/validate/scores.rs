//! Checks of scores: ids, labels, the items they combine (known, listed once, never attention
//! checks, on ordered scales), mixed ranges, and `min_answered` against the number of items.

use super::ItemGroup;
use super::identifiers::id_problem;
use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::document::Parsed;
use crate::model::{Item, MinAnswered, ScoreMethod};
use std::collections::{HashMap, HashSet};

/// Checks the scores of a group; `columns` are its item and attention-check ids.
pub(super) fn check_scores<T>(
    doc: &Parsed<T>,
    group: &ItemGroup<'_>,
    columns: &HashMap<&str, DocPath>,
    out: &mut Vec<Diagnostic>,
) {
    let items: HashMap<&str, &Item> = group
        .items
        .iter()
        .map(|item| (item.id.as_str(), item))
        .collect();
    let checks: HashSet<&str> = group
        .attention_checks
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut score_ids: HashMap<&str, DocPath> = HashMap::new();
    for (index, score) in group.scores.iter().enumerate() {
        let path = group.scores_path.index(index);
        if let Some(problem) = id_problem(doc, "score", &score.id, &path.key("id")) {
            out.push(problem);
        }
        if let Some(first) = score_ids.insert(&score.id, path.key("id")) {
            let first_line = doc.locate(&first).0.line;
            out.push(doc.error(
                "duplicate-score-id",
                format!("duplicate score id `{}`", score.id),
                &path.key("id"),
                Some(format!(
                    "score ids name columns and must be unique; the first is at line {first_line}"
                )),
            ));
        } else if columns.contains_key(score.id.as_str()) {
            out.push(doc.error(
                "score-id-is-item",
                format!("score id `{}` is also an item id", score.id),
                &path.key("id"),
                Some("scored files hold both as columns; give the score another name".to_string()),
            ));
        }
        if score.label.trim().is_empty() {
            out.push(doc.error(
                "empty-text",
                format!("score `{}` has an empty label", score.id),
                &path.key("label"),
                Some("write the name readers see in tables".to_string()),
            ));
        }
        if score.items.is_empty() {
            out.push(doc.error(
                "empty-score",
                format!("score `{}` has no items", score.id),
                &path.key("items"),
                Some("list the item ids it combines".to_string()),
            ));
        }
        let mut listed: HashSet<&str> = HashSet::new();
        let mut ranges: Vec<(f64, f64)> = Vec::new();
        for (position, item_id) in score.items.iter().enumerate() {
            let item_path = path.key("items").index(position);
            if !listed.insert(item_id) {
                out.push(doc.error(
                    "duplicate-score-item",
                    format!("score `{}` lists item `{item_id}` twice", score.id),
                    &item_path,
                    Some("list each item once; a doubled item would count twice".to_string()),
                ));
                continue;
            }
            if checks.contains(item_id.as_str()) {
                out.push(
                    doc.error(
                        "scored-attention-check",
                        format!(
                            "score `{}` includes the attention check `{item_id}`",
                            score.id
                        ),
                        &item_path,
                        Some(
                            "attention checks are recorded, never scored; remove it from the score"
                                .to_string(),
                        ),
                    ),
                );
                continue;
            }
            let Some(item) = items.get(item_id.as_str()) else {
                if !doc.left_out.ids.contains(item_id) {
                    let hint = match did_you_mean(item_id, items.keys().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if group.items.len() <= 12 => {
                            let known: Vec<&str> =
                                group.items.iter().map(|i| i.id.as_str()).collect();
                            format!("the items defined here are: {}", known.join(", "))
                        }
                        None => {
                            "a score can only use items defined in the same instrument or block"
                                .to_string()
                        }
                    };
                    out.push(doc.error(
                        "unknown-item",
                        format!("score `{}` names the unknown item `{item_id}`", score.id),
                        &item_path,
                        Some(hint),
                    ));
                }
                continue;
            };
            if let Some(scale) = group.scales.get(&item.scale) {
                if !scale.is_ordinal() {
                    out.push(doc.error(
                        "score-non-numeric",
                        format!(
                            "score `{}` includes item `{item_id}`, whose scale `{}` is {} and cannot be averaged",
                            score.id,
                            item.scale,
                            scale.type_name()
                        ),
                        &item_path,
                        Some("scores combine likert or numeric items only".to_string()),
                    ));
                } else if let Some(bounds) = scale.bounds() {
                    ranges.push(bounds);
                }
            }
        }
        ranges.dedup();
        if ranges.len() > 1 && score.method == ScoreMethod::Mean {
            out.push(doc.warning(
                "mixed-ranges",
                format!("score `{}` averages items with different response ranges", score.id),
                &path.key("items"),
                Some("a mean of items on different ranges weights them unequally; consider separate scores".to_string()),
            ));
        }
        let k = score.items.len();
        match score.min_answered {
            Some(MinAnswered::Count(0)) => out.push(doc.error(
                "min-answered-range",
                format!("score `{}` requires 0 answered items", score.id),
                &path.key("min_answered"),
                Some("use at least 1: a score of no answers is missing".to_string()),
            )),
            Some(MinAnswered::Count(count)) if count as usize > k => out.push(doc.error(
                "min-answered-range",
                format!(
                    "score `{}` requires {count} answered items but has only {k}",
                    score.id
                ),
                &path.key("min_answered"),
                Some(format!("use a count from 1 to {k}, or a proportion such as 0.75")),
            )),
            Some(MinAnswered::Proportion(share)) if !(share > 0.0 && share <= 1.0) => {
                out.push(doc.error(
                    "min-answered-range",
                    format!("score `{}` requires a proportion of {share} answered items", score.id),
                    &path.key("min_answered"),
                    Some("a proportion lies above 0 and at most 1, e.g. 0.75; a whole number is a count".to_string()),
                ))
            }
            _ => {}
        }
        let required = score.min_answered.map_or(1, |rule| rule.required_of(k));
        if score.method == ScoreMethod::Sum && k > 1 && required < k {
            out.push(doc.warning(
                "partial-sum",
                format!(
                    "score `{}` is a sum but is computed with as few as {required} of its {k} items",
                    score.id
                ),
                &path.key("method"),
                Some(format!("sums over fewer items are not comparable; use `method: mean` or `min_answered: {k}`")),
            ));
        }
    }
}

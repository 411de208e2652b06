//! Semantic checks of instruments and survey blocks: references, keys, scales, scores, ids.
//!
//! These run on the typed model after the schema walk, so every check here can assume the
//! shapes are right and only asks whether the content makes sense for a researcher's data.

use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::document::Parsed;
use crate::model::{
    AttentionCheck, Instrument, Item, MinAnswered, ResponseScale, Score, ScoreMethod,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Column names that kith's own exports use; item and score ids must not take them.
pub const RESERVED_COLUMNS: &[&str] = &[
    "respondent_id",
    "participant_id",
    "session_id",
    "started_at",
    "finished_at",
    "duration_s",
    "status",
    "fingerprint",
    "consent",
    "survey_id",
    "survey_version",
    "attention_failed",
    "attention_unanswered",
    "order_blocks",
];

/// The longest id kith accepts: SPSS's variable names are limited to 64 bytes.
pub const MAX_ID_LENGTH: usize = 64;

/// Whether `id` can name a column in every tool a researcher may load the data into (R, SPSS,
/// Stata, pandas): a letter, then letters, digits or underscores, at most 64 characters.
pub fn is_column_name(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && id.len() <= MAX_ID_LENGTH
}

/// Whether `code` looks like a BCP 47 language tag such as `en`, `de-CH` or `zh-Hant`.
pub fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `doi` has the shape of a DOI (`10.` registrant `/` suffix).
pub fn is_doi(doi: &str) -> bool {
    let Some(rest) = doi.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    (4..=9).contains(&registrant.len())
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !suffix.chars().any(char::is_whitespace)
}

/// Whether items on this scale can be reverse keyed and averaged: it must be ordered and bounded.
pub fn is_ordinal(scale: &ResponseScale) -> bool {
    matches!(
        scale,
        ResponseScale::Likert { .. } | ResponseScale::Numeric { .. }
    )
}

/// The lowest and highest value of a scale, when it has both.
pub fn scale_bounds(scale: &ResponseScale) -> Option<(f64, f64)> {
    match scale {
        ResponseScale::Likert { values, .. } => {
            let min = values.iter().min()?;
            let max = values.iter().max()?;
            Some((*min as f64, *max as f64))
        }
        ResponseScale::Numeric {
            min: Some(min),
            max: Some(max),
            ..
        } => Some((*min, *max)),
        _ => None,
    }
}

/// Whether `value` is an answer the scale accepts.
pub fn scale_accepts(scale: &ResponseScale, value: f64) -> bool {
    match scale {
        ResponseScale::Likert { values, .. } => values.iter().any(|v| *v as f64 == value),
        ResponseScale::Numeric {
            min, max, integer, ..
        } => {
            min.is_none_or(|min| value >= min)
                && max.is_none_or(|max| value <= max)
                && (!integer || value.fract() == 0.0)
        }
        ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
            options.iter().any(|o| o.value as f64 == value)
        }
        ResponseScale::Text { .. } => false,
    }
}

/// A short description of a scale's accepted values for messages, e.g. `1, 2, 3, 4, 5`.
pub fn describe_values(scale: &ResponseScale) -> String {
    match scale {
        ResponseScale::Likert { values, .. } => values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ResponseScale::Numeric { min, max, .. } => match (min, max) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("{min} or more"),
            (None, Some(max)) => format!("{max} or less"),
            (None, None) => "any number".to_string(),
        },
        ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
            options
                .iter()
                .map(|o| o.value.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }
        ResponseScale::Text { .. } => "free text".to_string(),
    }
}

/// The name of a scale's type as written in files.
pub fn scale_type_name(scale: &ResponseScale) -> &'static str {
    match scale {
        ResponseScale::Likert { .. } => "likert",
        ResponseScale::Numeric { .. } => "numeric",
        ResponseScale::SingleChoice { .. } => "single_choice",
        ResponseScale::MultipleChoice { .. } => "multiple_choice",
        ResponseScale::Text { .. } => "text",
    }
}

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

fn id_problem<T>(doc: &Parsed<T>, what: &str, id: &str, path: &DocPath) -> Option<Diagnostic> {
    if is_column_name(id) {
        if RESERVED_COLUMNS.contains(&id) {
            return Some(doc.error(
                "reserved-id",
                format!("{what} id `{id}` is a column name kith reserves for its exports"),
                path,
                Some(format!(
                    "rename it, e.g. `{id}_{}`",
                    if what == "score" { "score" } else { "item" }
                )),
            ));
        }
        return None;
    }
    let suggestion: String = {
        let mut cleaned: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        if !cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cleaned.insert_str(0, "x_");
        }
        cleaned.truncate(MAX_ID_LENGTH);
        cleaned
    };
    Some(doc.error(
        "invalid-id",
        format!("{what} id `{id}` cannot be a column name"),
        path,
        Some(format!(
            "ids start with a letter and use only letters, digits and `_` (at most {MAX_ID_LENGTH}), e.g. `{suggestion}`"
        )),
    ))
}

/// Checks the response scales of a group.
pub fn check_scales<T>(doc: &Parsed<T>, group: &ItemGroup<'_>, out: &mut Vec<Diagnostic>) {
    for (name, scale) in group.scales {
        let path = group.scales_path.key(name);
        match scale {
            ResponseScale::Likert { values, labels } => {
                if values.is_empty() && doc.left_out.is_placeholder(&path.key("values").to_string())
                {
                    // The list had bad elements; that is already reported.
                } else if values.is_empty() {
                    out.push(doc.error(
                        "empty-scale",
                        format!("likert scale `{name}` has no values"),
                        &path.key("values"),
                        Some("list its codes, e.g. values: [1, 2, 3, 4, 5]".to_string()),
                    ));
                } else if values.len() == 1 {
                    out.push(doc.error(
                        "empty-scale",
                        format!("likert scale `{name}` has a single value"),
                        &path.key("values"),
                        Some("a likert scale needs at least two ordered values".to_string()),
                    ));
                }
                let broken_list = doc.left_out.is_placeholder(&path.key("values").to_string())
                    || doc.left_out.is_placeholder(&path.key("labels").to_string());
                if labels.len() != values.len() && !broken_list {
                    out.push(doc.error(
                        "labels-values-mismatch",
                        format!(
                            "likert scale `{name}` has {} values but {} labels",
                            values.len(),
                            labels.len()
                        ),
                        &path.key("labels"),
                        Some("give exactly one label per value, in the same order".to_string()),
                    ));
                }
                for (index, pair) in values.windows(2).enumerate() {
                    if pair[1] <= pair[0] {
                        let message = if pair[1] == pair[0] {
                            format!("likert scale `{name}` lists the value {} twice", pair[1])
                        } else {
                            format!(
                                "likert scale `{name}` lists {} after {}: values must increase",
                                pair[1], pair[0]
                            )
                        };
                        out.push(doc.error(
                            "unordered-values",
                            message,
                            &path.key("values").index(index + 1),
                            Some("list the codes from lowest to highest, each once".to_string()),
                        ));
                    }
                }
                for (index, label) in labels.iter().enumerate() {
                    if label.trim().is_empty() {
                        out.push(doc.error(
                            "empty-label",
                            format!("likert scale `{name}` has an empty label"),
                            &path.key("labels").index(index),
                            Some("every value needs the text participants see".to_string()),
                        ));
                    }
                }
            }
            ResponseScale::Numeric {
                min, max, integer, ..
            } => {
                if let (Some(low), Some(high)) = (min, max)
                    && low >= high
                {
                    out.push(doc.error(
                        "empty-scale",
                        format!(
                            "numeric scale `{name}` has min {low} and max {high}: no value fits"
                        ),
                        &path.key("max"),
                        Some("max must be larger than min".to_string()),
                    ));
                }
                for (bound, value) in [("min", min), ("max", max)] {
                    if let Some(value) = value
                        && *integer
                        && value.fract() != 0.0
                    {
                        out.push(doc.error(
                            "non-integer-bound",
                            format!("integer scale `{name}` has a {bound} of {value}"),
                            &path.key(bound),
                            Some("write a whole number, or set `integer: false`".to_string()),
                        ));
                    }
                }
            }
            ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
                if options.is_empty() {
                    out.push(doc.error(
                        "empty-scale",
                        format!("choice scale `{name}` has no options"),
                        &path.key("options"),
                        Some("list its options, each as `- {value: 1, label: ...}`".to_string()),
                    ));
                }
                let mut seen_values: HashMap<i64, usize> = HashMap::new();
                let mut seen_labels: HashMap<&str, usize> = HashMap::new();
                for (index, option) in options.iter().enumerate() {
                    if let Some(first) = seen_values.insert(option.value, index) {
                        out.push(doc.error(
                            "duplicate-option",
                            format!("choice scale `{name}` uses the code {} twice", option.value),
                            &path.key("options").index(index).key("value"),
                            Some(format!(
                                "option {} already has this code; give each option its own",
                                first + 1
                            )),
                        ));
                    }
                    if option.label.trim().is_empty() {
                        out.push(doc.error(
                            "empty-label",
                            format!("choice scale `{name}` has an option with an empty label"),
                            &path.key("options").index(index).key("label"),
                            Some("every option needs the text participants see".to_string()),
                        ));
                    } else if let Some(first) = seen_labels.insert(option.label.as_str(), index) {
                        out.push(doc.error(
                            "duplicate-option",
                            format!("choice scale `{name}` uses the label `{}` twice", option.label),
                            &path.key("options").index(index).key("label"),
                            Some(format!(
                                "option {} already has this label; exports in choice text could not tell them apart",
                                first + 1
                            )),
                        ));
                    }
                }
            }
            ResponseScale::Text { max_length } => {
                if *max_length == Some(0) {
                    out.push(doc.error(
                        "empty-scale",
                        format!("text scale `{name}` accepts no characters (max_length: 0)"),
                        &path.key("max_length"),
                        Some("remove max_length or set it above 0".to_string()),
                    ));
                }
            }
        }
        if group.warn_unused_scales
            && group.items.iter().all(|item| &item.scale != name)
            && group
                .attention_checks
                .iter()
                .all(|check| &check.scale != name)
        {
            out.push(unused_scale(doc, &path, name));
        }
        for code in group.missing_codes {
            if matches!(
                scale,
                ResponseScale::Likert { .. }
                    | ResponseScale::SingleChoice { .. }
                    | ResponseScale::MultipleChoice { .. }
            ) && scale_accepts(scale, *code)
            {
                out.push(doc.error(
                    "missing-code-is-answer",
                    format!("missing-value code {code} is also an answer on scale `{name}`"),
                    &group.missing_codes_path,
                    Some("real answers would be read as missing; choose a code off every scale, e.g. -99".to_string()),
                ));
            }
        }
    }
}

/// Finds the scale named by an item or check, reporting an unknown name.
fn lookup_scale<'s, T>(
    doc: &Parsed<T>,
    group: &ItemGroup<'s>,
    name: &str,
    path: &DocPath,
    out: &mut Vec<Diagnostic>,
) -> Option<&'s ResponseScale> {
    if let Some(scale) = group.scales.get(name) {
        return Some(scale);
    }
    if doc.left_out.ids.contains(name) {
        return None;
    }
    let hint = match did_you_mean(name, group.scales.keys().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None if group.scales.is_empty() => "define it under `scales:`".to_string(),
        None => format!(
            "the scales defined here are: {}",
            group
                .scales
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    out.push(doc.error(
        "unknown-scale",
        format!("unknown response scale `{name}`"),
        path,
        Some(hint),
    ));
    None
}

/// Checks the items, attention checks and scores of a group.
pub fn check_group<T>(doc: &Parsed<T>, group: &ItemGroup<'_>, out: &mut Vec<Diagnostic>) {
    check_scales(doc, group, out);
    // Item ids and attention-check ids share one namespace: both are columns.
    let mut columns: HashMap<&str, DocPath> = HashMap::new();
    for (index, item) in group.items.iter().enumerate() {
        let path = group.items_path.index(index);
        if let Some(problem) = id_problem(doc, "item", &item.id, &path.key("id")) {
            out.push(problem);
        }
        if let Some(first) = columns.insert(&item.id, path.key("id")) {
            let first_line = doc.locate(&first).0.line;
            out.push(doc.error(
                "duplicate-item-id",
                format!("duplicate item id `{}`", item.id),
                &path.key("id"),
                Some(format!("item ids name columns and must be unique; the first `{}` is at line {first_line}", item.id)),
            ));
        }
        if item.text.trim().is_empty() {
            out.push(doc.error(
                "empty-text",
                format!("item `{}` has no text", item.id),
                &path.key("text"),
                Some("write the question or statement participants see".to_string()),
            ));
        }
        for (language, text) in &item.translations {
            let language_path = path.key("translations").key(language);
            if !is_language_tag(language) {
                out.push(doc.error(
                    "invalid-language",
                    format!("`{language}` is not a language code"),
                    &language_path,
                    Some("use a BCP 47 code such as `de`, `fr` or `pt-BR`".to_string()),
                ));
            }
            if text.trim().is_empty() {
                out.push(doc.error(
                    "empty-text",
                    format!(
                        "the `{language}` translation of item `{}` is empty",
                        item.id
                    ),
                    &language_path,
                    Some("write the translated text, or remove the entry".to_string()),
                ));
            }
        }
        let scale_path = path.key("scale");
        if let Some(scale) = lookup_scale(doc, group, &item.scale, &scale_path, out)
            && item.reverse
        {
            if !is_ordinal(scale) {
                out.push(doc.error(
                    "reverse-non-ordinal",
                    format!(
                        "item `{}` is reverse keyed, but its scale `{}` is {} and has no order",
                        item.id,
                        item.scale,
                        scale_type_name(scale)
                    ),
                    &path.key("reverse"),
                    Some("only likert and bounded numeric items can be reversed; remove `reverse: true`".to_string()),
                ));
            } else if scale_bounds(scale).is_none() {
                out.push(doc.error(
                    "reverse-unbounded",
                    format!(
                        "item `{}` is reverse keyed, but its scale `{}` has no min and max to reverse within",
                        item.id, item.scale
                    ),
                    &path.key("reverse"),
                    Some("give the numeric scale both `min:` and `max:`".to_string()),
                ));
            }
        }
    }
    let block_size = group.block_size;
    for (index, check) in group.attention_checks.iter().enumerate() {
        let path = group.attention_checks_path.index(index);
        if let Some(problem) = id_problem(doc, "attention check", &check.id, &path.key("id")) {
            out.push(problem);
        }
        if let Some(first) = columns.insert(&check.id, path.key("id")) {
            let first_line = doc.locate(&first).0.line;
            out.push(doc.error(
                "duplicate-item-id",
                format!("attention check id `{}` is already used", check.id),
                &path.key("id"),
                Some(format!(
                    "ids name columns and must be unique; the first `{}` is at line {first_line}",
                    check.id
                )),
            ));
        }
        if let Some(scale) = lookup_scale(doc, group, &check.scale, &path.key("scale"), out) {
            match scale {
                ResponseScale::Likert { .. } | ResponseScale::Numeric { .. } | ResponseScale::SingleChoice { .. } => {
                    if !scale_accepts(scale, check.expect as f64) {
                        out.push(doc.error(
                            "expect-off-scale",
                            format!(
                                "attention check `{}` expects {}, which is not on its scale `{}`",
                                check.id, check.expect, check.scale
                            ),
                            &path.key("expect"),
                            Some(format!("the scale accepts {}", describe_values(scale))),
                        ));
                    }
                }
                _ => out.push(doc.error(
                    "check-scale-kind",
                    format!(
                        "attention check `{}` uses the {} scale `{}`, which has no single right answer",
                        check.id,
                        scale_type_name(scale),
                        check.scale
                    ),
                    &path.key("scale"),
                    Some("use a likert, numeric or single_choice scale".to_string()),
                )),
            }
        }
        if let Some(after) = check.after
            && after as usize > block_size
        {
            out.push(doc.error(
                "check-position",
                format!(
                    "attention check `{}` comes after item {after}, but the block has {block_size} items",
                    check.id
                ),
                &path.key("after"),
                Some(format!("use a number from 0 to {block_size}")),
            ));
        }
    }
    check_scores(doc, group, &columns, out);
}

fn check_scores<T>(
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
                if !is_ordinal(scale) {
                    out.push(doc.error(
                        "score-non-numeric",
                        format!(
                            "score `{}` includes item `{item_id}`, whose scale `{}` is {} and cannot be averaged",
                            score.id,
                            item.scale,
                            scale_type_name(scale)
                        ),
                        &item_path,
                        Some("scores combine likert or numeric items only".to_string()),
                    ));
                } else if let Some(bounds) = scale_bounds(scale) {
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

/// A warning that the scale at `path` (a map key such as `scales.agree5`) is never used,
/// pointing at the scale's name.
pub fn unused_scale<T>(doc: &Parsed<T>, path: &DocPath, name: &str) -> Diagnostic {
    let mut diagnostic = doc.warning(
        "unused-scale",
        format!("no item uses the scale `{name}`"),
        path,
        Some("remove it, or check the items' `scale:` names for a typo".to_string()),
    );
    if let Some(span) = doc.locate_key(path) {
        diagnostic.line = span.line;
        diagnostic.column = span.column;
        diagnostic.value = Some(name.to_string());
    }
    diagnostic
}

/// Checks the `id` and `language` of an instrument or survey (`what` names which).
pub fn check_identity<T>(
    doc: &Parsed<T>,
    what: &str,
    id: &str,
    language: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let root = DocPath::root();
    check_identifier(doc, what, id, &root.key("id"), out);
    if let Some(language) = language
        && !is_language_tag(language)
    {
        out.push(doc.error(
            "invalid-language",
            format!("`{language}` is not a language code"),
            &root.key("language"),
            Some("use a BCP 47 code such as `en`, `de` or `pt-BR`".to_string()),
        ));
    }
}

/// Checks an instrument, survey or block id.
pub fn check_identifier<T>(
    doc: &Parsed<T>,
    what: &str,
    id: &str,
    path: &DocPath,
    out: &mut Vec<Diagnostic>,
) {
    if !is_identifier(id) {
        out.push(doc.error(
            "invalid-id",
            format!("{what} id `{id}` is not a usable identifier"),
            path,
            Some("start with a letter; use letters, digits, `_` and `-`".to_string()),
        ));
    }
}

/// Whether `id` can identify an instrument, survey or block: a letter, then letters, digits,
/// `_` or `-`.
pub fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(first) if first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

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

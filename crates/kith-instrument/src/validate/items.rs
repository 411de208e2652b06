//! Checks of a group's items and attention checks: ids that are columns, texts, translations,
//! reverse keying, expected answers and positions; then its scores (`scores.rs`).

use super::ItemGroup;
use super::identifiers::{id_problem, is_language_tag};
use super::scales::{check_scales, lookup_scale};
use super::scores::check_scores;
use crate::diagnostic::{Diagnostic, DocPath};
use crate::document::Parsed;
use crate::model::ResponseScale;
use std::collections::HashMap;

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
            if !scale.is_ordinal() {
                out.push(doc.error(
                    "reverse-non-ordinal",
                    format!(
                        "item `{}` is reverse keyed, but its scale `{}` is {} and has no order",
                        item.id,
                        item.scale,
                        scale.type_name()
                    ),
                    &path.key("reverse"),
                    Some("only likert and bounded numeric items can be reversed; remove `reverse: true`".to_string()),
                ));
            } else if scale.bounds().is_none() {
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
                    if !scale.accepts(check.expect as f64) {
                        out.push(doc.error(
                            "expect-off-scale",
                            format!(
                                "attention check `{}` expects {}, which is not on its scale `{}`",
                                check.id, check.expect, check.scale
                            ),
                            &path.key("expect"),
                            Some(format!("the scale accepts {}", scale.describe_values())),
                        ));
                    }
                }
                _ => out.push(doc.error(
                    "check-scale-kind",
                    format!(
                        "attention check `{}` uses the {} scale `{}`, which has no single right answer",
                        check.id,
                        scale.type_name(),
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

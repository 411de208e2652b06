//! Checks of response scales: values, labels and options that make sense, missing-value codes
//! that are no answer, scales that no item uses, and names of scales that do not exist.

use super::ItemGroup;
use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::document::Parsed;
use crate::model::ResponseScale;
use std::collections::HashMap;

/// Checks the response scales of a group.
pub fn check_scales<T>(doc: &Parsed<T>, group: &ItemGroup<'_>, out: &mut Vec<Diagnostic>) {
    for (name, scale) in group.scales {
        let path = group.scales_path.key(name);
        match scale {
            ResponseScale::Likert { values, labels, .. } => {
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
            ) && scale.accepts(*code)
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

/// Finds the scale named by an item or check, reporting an unknown name.
pub(super) fn lookup_scale<'s, T>(
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

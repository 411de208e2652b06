//! Numeric codes made factors: a plan's `factors: condition: {levels: {0: control, 1: …}}`
//! turns the numeric column `condition` into a categorical one whose levels are the labels,
//! in the codes' order, before the plan's variables are checked. A value that is no code is
//! reported with its rows, never dropped.

use super::{Plan, PlanSource};
use crate::dataset::{Dataset, Values};
use crate::family::Family;
use kith_instrument::diagnostic::{Diagnostic, DocPath};

/// The most distinct unknown values an error lists.
const SHOWN: usize = 5;

/// Recodes every numeric column whose factor names `levels`; the problems found, as
/// diagnostics at the plan's `levels:` key.
pub fn code_levels(plan: &Plan, source: &PlanSource, dataset: &mut Dataset) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, factor) in &plan.factors {
        if factor.levels.is_empty() {
            continue;
        }
        let path = DocPath::root().key("factors").key(name).key("levels");
        let Some(variable) = dataset.variables.iter_mut().find(|v| v.name == *name) else {
            // check_variables reports a factor that names no variable.
            continue;
        };
        let values = match &variable.values {
            Values::Numeric(values) => values,
            Values::Categorical { levels, .. } => {
                out.push(source.error(
                    "levels-of-categorical",
                    format!(
                        "`{name}` is already categorical (its levels are: {}), so it has no codes to name",
                        levels.join(", ")
                    ),
                    &path,
                    "leave out `levels:`; `reference:` names one of its levels",
                ));
                continue;
            }
        };
        // The codes in numeric order (the map's keys are text, which would sort 10 before 2).
        let mut named: Vec<(i64, &String)> = Vec::with_capacity(factor.levels.len());
        let mut bad_keys = Vec::new();
        for (key, label) in &factor.levels {
            match key.trim().parse::<i64>() {
                Ok(code) => named.push((code, label)),
                Err(_) => bad_keys.push(key.as_str()),
            }
        }
        if !bad_keys.is_empty() {
            out.push(source.error(
                "bad-code",
                format!(
                    "the codes of `{name}`'s levels must be whole numbers, not {}",
                    bad_keys
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                &path.key(bad_keys[0]),
                "write each code as it is in the data, e.g. `levels: {0: control, 1: treatment}`",
            ));
            continue;
        }
        named.sort_by_key(|(code, _)| *code);
        let codes: Vec<i64> = named.iter().map(|(code, _)| *code).collect();
        // Two keys for one number ("1" and "01"), or two codes with one name, would make a
        // level that no row has or two levels that cannot be told apart.
        let mut numbers: Vec<i64> = named.iter().map(|(code, _)| *code).collect();
        numbers.dedup();
        let mut labels: Vec<&String> = named.iter().map(|(_, label)| *label).collect();
        labels.sort();
        let repeated_label = labels
            .windows(2)
            .find(|pair| pair[0] == pair[1])
            .map(|pair| pair[0]);
        if numbers.len() != named.len() || repeated_label.is_some() {
            out.push(source.error(
                "duplicate-level",
                match repeated_label {
                    Some(label) => format!("two codes of `{name}` are both named `{label}`"),
                    None => format!("two of `{name}`'s codes are the same number"),
                },
                &path,
                "give each code once, each with a name of its own",
            ));
            continue;
        }
        let mut unknown: Vec<(f64, usize, usize)> = Vec::new();
        let mut recoded = Vec::with_capacity(values.len());
        for (row, &value) in values.iter().enumerate() {
            if value.is_nan() {
                recoded.push(None);
                continue;
            }
            let code = (value.fract() == 0.0 && value.abs() < 9.0e15)
                .then_some(value as i64)
                .and_then(|code| codes.binary_search(&code).ok());
            match code {
                Some(index) => recoded.push(Some(index as u32)),
                None => {
                    recoded.push(None);
                    match unknown.iter_mut().find(|(v, _, _)| *v == value) {
                        Some((_, count, _)) => *count += 1,
                        None => unknown.push((value, 1, row)),
                    }
                }
            }
        }
        if !unknown.is_empty() {
            let listed: Vec<String> = unknown
                .iter()
                .take(SHOWN)
                .map(|(value, count, first)| {
                    let origin = dataset
                        .origins
                        .get(*first)
                        .cloned()
                        .unwrap_or_else(|| format!("row {}", first + 1));
                    format!(
                        "{value} ({count} row{}, the first {origin})",
                        if *count == 1 { "" } else { "s" }
                    )
                })
                .collect();
            out.push(source.error(
                "unknown-code",
                format!(
                    "`{name}` has values that are none of its levels' codes ({}): {}{}",
                    codes
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    listed.join(", "),
                    if unknown.len() > SHOWN { ", …" } else { "" }
                ),
                &path,
                "name every code under `levels:`, or list the codes that mean \"missing\" under the plan's `missing_codes:`",
            ));
            continue;
        }
        variable.values = Values::Categorical {
            codes: recoded,
            levels: named.iter().map(|(_, label)| (*label).clone()).collect(),
        };
        variable.family = Family::Gaussian;
    }
    out
}

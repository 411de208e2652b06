//! The checks of a plan's `screening:` section: every exclusion rule parses in the
//! survey-logic language and names only indices kith computes and columns the data have, and
//! the indices it names can be computed from these data.

use super::{Plan, PlanSource};
use crate::analyze::INDEX_NAMES;
use crate::dataset::Dataset;
use crate::screening::report::{DURATION_COLUMNS, PAGE_COLUMNS};
use kith_instrument::diagnostic::{Diagnostic, DocPath, did_you_mean};
use kith_instrument::logic;

/// The problems of the plan's exclusion rules against its data.
pub fn check_screening(
    plan: &Plan,
    source: &PlanSource,
    dataset: &Dataset,
    has_survey: bool,
) -> Vec<Diagnostic> {
    let Some(spec) = &plan.screening else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let section = DocPath::root().key("screening");
    if let Some(r) = spec.synonym_critical
        && !(r > 0.0 && r < 1.0)
    {
        out.push(source.error(
            "bad-synonym-critical",
            format!("`synonym_critical` is {r}, not a correlation between 0 and 1"),
            &section.key("synonym_critical"),
            "careless's default is 0.60",
        ));
    }
    let has_durations = DURATION_COLUMNS.iter().any(|c| dataset.get(c).is_some());
    for (index, rule) in spec.exclude.iter().enumerate() {
        let path = section.key("exclude").index(index);
        let expr = match logic::parse(rule) {
            Ok(expr) => expr,
            Err(error) => {
                out.push(source.error(
                    "bad-exclusion-rule",
                    format!(
                        "the exclusion rule `{rule}` does not parse: {}",
                        error.message
                    ),
                    &path,
                    &error.hint,
                ));
                continue;
            }
        };
        let names: Vec<String> = expr
            .items()
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        for name in names {
            let index_name = INDEX_NAMES.contains(&name.as_str());
            if index_name && !has_survey && dataset.get(&name).is_none() {
                out.push(source.error(
                    "screening-needs-survey",
                    format!("the exclusion rule `{rule}` uses `{name}`, which kith computes from a survey's items"),
                    &path,
                    "give the plan a `survey:`, or write the rule on the data's own columns",
                ));
            } else if (name == "seconds_per_item" || name == "duration_s") && !has_durations {
                out.push(source.error(
                    "no-durations",
                    format!("the exclusion rule `{rule}` uses `{name}`, but the data have no durations"),
                    &path,
                    "time-based rules need a `duration_s` column (kith's export) or `Duration (in seconds)` (Qualtrics)",
                ));
            } else if name == "fast_pages" && PAGE_COLUMNS.iter().any(|c| dataset.get(c).is_none())
            {
                out.push(source.error(
                    "no-page-times",
                    format!("the exclusion rule `{rule}` uses `{name}`, but the data have no page times"),
                    &path,
                    "page times are the `page_seconds` and `page_questions` columns of `kith export`; for other data, write the rule on `seconds_per_item`",
                ));
            } else if !index_name && dataset.get(&name).is_none() {
                let hint =
                    match did_you_mean(&name, INDEX_NAMES.iter().copied().chain(dataset.names())) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => format!(
                            "a rule may use the indices ({}) and the data's columns",
                            INDEX_NAMES.join(", ")
                        ),
                    };
                out.push(source.error(
                    "unknown-variable",
                    format!("the exclusion rule `{rule}` names `{name}`, which is neither an index nor a column"),
                    &path,
                    &hint,
                ));
            }
        }
    }
    out
}

/// A warning for each exclusion rule that names an index the screening could not compute
/// (too few items, no item pairs beyond the critical value, no attention checks): such a rule
/// holds for no one, which the plan's author should hear before reading the results.
pub fn uncomputed_index_warnings(
    source: &PlanSource,
    result: &crate::results::ScreeningResult,
) -> Vec<Diagnostic> {
    let section = DocPath::root().key("screening").key("exclude");
    result
        .rules
        .iter()
        .enumerate()
        .flat_map(|(index, rule)| {
            let path = section.index(index);
            rule.not_computed.iter().map(move |name| {
                let reason = result.not_computed.iter().find(|n| n.index == *name);
                source.warning(
                    "index-not-computed",
                    format!(
                        "the exclusion rule `{}` uses `{name}`, which could not be computed from these data{}, so the rule excludes no one",
                        rule.rule,
                        reason.map(|r| format!(" ({})", r.reason)).unwrap_or_default()
                    ),
                    &path,
                    reason.map_or(
                        "`kith screen` shows which indices the data allow",
                        |r| r.hint.as_str(),
                    ),
                )
            })
        })
        .collect()
}

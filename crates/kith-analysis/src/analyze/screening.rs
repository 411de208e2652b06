//! Applies a plan's screening: the indices of every respondent, the pre-registered exclusion
//! rules evaluated on them and on the data's columns, the respondents kept, and the
//! participant flow for the report.

use super::index_histograms::index_histograms;
use crate::dataset::{Dataset, Values};
use crate::plan::ScreeningSpec;
use crate::read::DroppedRows;
use crate::results::{
    ExcludedRespondent, ExclusionRule, FlowReason, FlowStep, IndexNotComputed, IndexSummary,
    ScreeningResult,
};
use crate::screening::Options;
use crate::screening::report::{Respondent, screen_dataset};
use kith_instrument::form::Form;
use kith_instrument::logic::{self, Answer, Answers};

/// The names a rule may use for the indices, beside the data's columns.
pub const INDEX_NAMES: [&str; 12] = [
    "attention_failed",
    "longstring_max",
    "longstring_average",
    "irv",
    "mahalanobis",
    "mahalanobis_cutoff",
    "even_odd",
    "synonyms",
    "antonyms",
    "duration_s",
    "seconds_per_item",
    "fast_pages",
];

/// The index values of one respondent by name.
fn index_value(respondent: &Respondent, cutoff: f64, name: &str) -> Option<f64> {
    match name {
        "attention_failed" => respondent.attention_failed,
        "longstring_max" => respondent.longstring_max,
        "longstring_average" => respondent.longstring_average,
        "irv" => respondent.irv,
        "mahalanobis" => respondent.mahalanobis,
        "mahalanobis_cutoff" => (!cutoff.is_nan()).then_some(cutoff),
        "even_odd" => respondent.even_odd,
        "synonyms" => respondent.synonyms,
        "antonyms" => respondent.antonyms,
        "duration_s" => respondent.duration_s,
        "seconds_per_item" => respondent.seconds_per_item,
        "fast_pages" => respondent.fast_pages,
        _ => None,
    }
}

/// What a rule sees of one respondent: the indices, then the data's columns.
struct Row<'a> {
    row: usize,
    respondent: Option<&'a Respondent>,
    cutoff: f64,
    dataset: &'a Dataset,
}

impl Answers for Row<'_> {
    fn answer(&self, name: &str) -> Option<Answer> {
        if INDEX_NAMES.contains(&name)
            && let Some(respondent) = self.respondent
        {
            return index_value(respondent, self.cutoff, name).map(Answer::Number);
        }
        match &self.dataset.get(name)?.values {
            Values::Numeric(values) => {
                let value = values[self.row];
                (!value.is_nan()).then_some(Answer::Number(value))
            }
            Values::Categorical { codes, levels } => {
                codes[self.row].map(|code| Answer::Text(levels[code as usize].clone()))
            }
        }
    }

    fn parameter(&self, _name: &str) -> Option<String> {
        None
    }
}

/// The screening's outcome: which rows to keep, and what results.json says of it.
#[derive(Debug)]
pub struct Applied {
    pub keep: Vec<bool>,
    pub result: ScreeningResult,
}

/// Screens the data set (indices need the survey), applies the rules (checked before: one
/// that does not parse holds for no one) and describes the flow from the file's rows.
pub fn apply_screening(
    spec: &ScreeningSpec,
    form: Option<&Form>,
    dataset: &Dataset,
    dropped: &DroppedRows,
    source: &str,
) -> Applied {
    let options = Options {
        synonym_critical: spec.synonym_critical.unwrap_or(0.60),
        ..Options::default()
    };
    let screening = form.map(|form| screen_dataset(dataset, form, &options, source));
    let cutoff = screening
        .as_ref()
        .map_or(f64::NAN, |s| s.mahalanobis_cutoff);
    let rules: Vec<Option<logic::Expr>> = spec
        .exclude
        .iter()
        .map(|text| logic::parse(text).ok())
        .collect();
    // An index no respondent has (too few items, no pairs beyond the critical value) makes
    // its rules hold for no one: results.json and the report say so.
    // With a survey a rule reads the computed index even where the data have a column of
    // that name (a file written by `kith export --screen`), as `Row::answer` does; without
    // one it reads the column.
    let uncomputed = |name: &str| {
        INDEX_NAMES.contains(&name)
            && match screening.as_ref() {
                Some(s) => s
                    .rows
                    .iter()
                    .all(|r| index_value(r, cutoff, name).is_none()),
                None => dataset.get(name).is_none(),
            }
    };
    let mut counts: Vec<ExclusionRule> = spec
        .exclude
        .iter()
        .zip(&rules)
        .map(|(rule, parsed)| {
            let mut not_computed: Vec<String> = parsed
                .iter()
                .flat_map(|expr| expr.items())
                .map(|(name, _)| name.to_string())
                .filter(|name| uncomputed(name))
                .collect();
            not_computed.sort();
            not_computed.dedup();
            ExclusionRule {
                rule: rule.clone(),
                holds_for: 0,
                excluded: 0,
                not_computed,
            }
        })
        .collect();
    let mut keep = vec![true; dataset.n];
    let mut excluded = Vec::new();
    for (row, kept) in keep.iter_mut().enumerate() {
        let answers = Row {
            row,
            respondent: screening.as_ref().map(|s| &s.rows[row]),
            cutoff,
            dataset,
        };
        let mut held = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule
                .as_ref()
                .is_some_and(|rule| logic::holds(rule, &answers))
            {
                counts[index].holds_for += 1;
                if held.is_empty() {
                    counts[index].excluded += 1;
                }
                held.push(spec.exclude[index].clone());
            }
        }
        if !held.is_empty() {
            *kept = false;
            excluded.push(ExcludedRespondent {
                respondent_id: dataset.ids.get(row).cloned().unwrap_or_default(),
                rules: held,
            });
        }
    }
    let n_analysed = keep.iter().filter(|&&k| k).count();
    let result = ScreeningResult {
        n_screened: dataset.n,
        n_analysed,
        flow: flow(dataset.n, dropped, &counts, n_analysed),
        rules: counts,
        excluded,
        indices: screening.as_ref().map(summaries).unwrap_or_default(),
        histograms: screening
            .as_ref()
            .map(|s| index_histograms(s, &spec.exclude, &|r, name| index_value(r, cutoff, name)))
            .unwrap_or_default(),
        mahalanobis_cutoff: (!cutoff.is_nan()).then_some(cutoff),
        not_computed: screening
            .map(|s| {
                s.skipped
                    .into_iter()
                    .map(|skipped| IndexNotComputed {
                        index: skipped.index.to_string(),
                        reason: skipped.reason,
                        hint: skipped.hint,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    Applied { keep, result }
}

/// The participant flow: rows of the files, participants who started, consented, completed,
/// passed screening.
fn flow(
    screened: usize,
    dropped: &DroppedRows,
    rules: &[ExclusionRule],
    analysed: usize,
) -> Vec<FlowStep> {
    let reasons = |pairs: &[(&str, usize)]| -> Vec<FlowReason> {
        pairs
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(reason, n)| FlowReason {
                reason: reason.to_string(),
                n: *n,
            })
            .collect()
    };
    let rows = screened + dropped.total();
    let started = rows - dropped.preview - dropped.test - dropped.spam;
    let consented = started - dropped.declined;
    vec![
        FlowStep {
            label: "Responses in the data".into(),
            n: rows,
            left: Vec::new(),
        },
        FlowStep {
            label: "Participants who started".into(),
            n: started,
            left: reasons(&[
                ("previews", dropped.preview),
                ("test responses", dropped.test),
                ("spam", dropped.spam),
            ]),
        },
        FlowStep {
            label: "Consented".into(),
            n: consented,
            left: reasons(&[("declined consent", dropped.declined)]),
        },
        FlowStep {
            label: "Completed and eligible".into(),
            n: screened,
            left: reasons(&[
                ("did not finish", dropped.unfinished),
                ("screened out by the survey", dropped.screened_out),
            ]),
        },
        FlowStep {
            label: "Analysed".into(),
            n: analysed,
            left: rules
                .iter()
                .filter(|rule| rule.excluded > 0)
                .map(|rule| FlowReason {
                    reason: rule.rule.clone(),
                    n: rule.excluded,
                })
                .collect(),
        },
    ]
}

/// The distribution of every index that has values, as psych's `describe` gives it (the
/// descriptives' own function, checked against R).
fn summaries(screening: &crate::screening::report::Screening) -> Vec<IndexSummary> {
    let cutoff = screening.mahalanobis_cutoff;
    INDEX_NAMES
        .iter()
        .filter(|name| **name != "mahalanobis_cutoff")
        .filter_map(|name| {
            let values: Vec<f64> = screening
                .rows
                .iter()
                .filter_map(|r| index_value(r, cutoff, name))
                .collect();
            let d = crate::describe::describe(&values)?;
            Some(IndexSummary {
                index: name.to_string(),
                n: d.n,
                mean: d.mean,
                sd: (d.n > 1).then_some(d.sd),
                min: d.min,
                median: d.median,
                max: d.max,
            })
        })
        .collect()
}

//! A screening of a response file: every index per respondent, beside the attention checks
//! and durations the file records, the default rules' flags, and a summary of how many each
//! rule flagged.

use super::source::{Column, Columns};
use super::{Indices, ItemColumns, Options, Skipped, compute_columns};
use crate::dataset::{self, Dataset, Values};
use crate::read::ResponseTable;
use kith_instrument::form::{Form, FormItem};
use kith_instrument::model::ResponseScale;
use rayon::prelude::*;
use serde::Serialize;

/// One respondent's indices (`None` where undefined) and the rules that flagged them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondent {
    pub respondent_id: String,
    /// The 1-based data row in the file.
    pub row: usize,
    pub items_answered: usize,
    pub longstring_max: Option<f64>,
    pub longstring_average: Option<f64>,
    pub irv: Option<f64>,
    pub mahalanobis: Option<f64>,
    pub even_odd: Option<f64>,
    pub synonyms: Option<f64>,
    pub antonyms: Option<f64>,
    pub attention_failed: Option<f64>,
    pub duration_s: Option<f64>,
    pub seconds_per_item: Option<f64>,
    /// The pages answered faster than two seconds per question, from kith's page times.
    pub fast_pages: Option<f64>,
    /// The rules (by name) that flag this respondent.
    pub flags: Vec<String>,
}

/// A rule of the default set, how it reads, and how many respondents it flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub description: String,
    pub flagged: usize,
}

/// The whole screening of a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    pub source: String,
    pub respondents: usize,
    pub items: Vec<String>,
    pub mahalanobis_cutoff: f64,
    pub synonym_pairs: Vec<[String; 2]>,
    pub antonym_pairs: Vec<[String; 2]>,
    pub rules: Vec<RuleCount>,
    pub flagged_by_any: usize,
    pub skipped: Vec<Skipped>,
    pub rows: Vec<Respondent>,
}

/// Huang et al. (2012): fewer than two seconds per item is too fast to have read the item.
pub const SECONDS_PER_ITEM: f64 = 2.0;

/// The longest run of one answer that flags a respondent: half the items, and at least ten.
pub fn longstring_cutoff(items: usize) -> f64 {
    (items as f64 / 2.0).ceil().max(10.0)
}

/// The rating-scale items of the form that the data hold, in the data set's own columns, and
/// the form's multi-item scores as the even-odd scales.
pub fn form_items<'a>(dataset: &'a Dataset, form: &Form) -> ItemColumns<'a> {
    let chosen = form
        .items()
        .filter(|item| matches!(item.response, ResponseScale::Likert { .. }))
        .filter_map(|item| match dataset.get(&item.item.id).map(|v| &v.values) {
            Some(Values::Numeric(values)) => Some((item, Column::Numbers(values))),
            _ => None,
        })
        .collect();
    item_columns(form, dataset.n, chosen)
}

/// The same, over a response table's columns as read (16-bit codes for rating scales).
pub fn table_items<'a>(table: &'a ResponseTable, form: &Form) -> ItemColumns<'a> {
    let chosen = form
        .items()
        .filter(|item| matches!(item.response, ResponseScale::Likert { .. }))
        .filter_map(|item| {
            let values = table.items.get(&item.item.id)?;
            Some((item, Column::Values(values)))
        })
        .collect();
    item_columns(form, table.height(), chosen)
}

/// The chosen items' columns as given and keyed: a reverse-keyed item is keyed as its score
/// keys it ((min + max) − answer, `keyed_answer`'s rule), as the columns are read.
fn item_columns<'a>(
    form: &Form,
    n: usize,
    chosen: Vec<(&FormItem, Column<'a>)>,
) -> ItemColumns<'a> {
    let names: Vec<String> = chosen
        .iter()
        .map(|(item, _)| item.item.id.clone())
        .collect();
    let columns: Vec<Column<'a>> = chosen.iter().map(|(_, column)| *column).collect();
    let reverse = chosen
        .iter()
        .map(|(item, _)| item.response.bounds().filter(|_| item.item.reverse))
        .collect();
    let scales = form
        .scores()
        .map(|score| {
            let columns = score
                .items
                .iter()
                .filter_map(|item| names.iter().position(|name| name == item))
                .collect();
            (score.id.clone(), columns)
        })
        .collect();
    ItemColumns {
        names,
        given: Columns {
            n,
            columns: columns.clone(),
            reverse: vec![None; columns.len()],
        },
        keyed: Columns {
            n,
            columns,
            reverse,
        },
        scales,
    }
}

/// A numeric column of the data by one of `names`.
fn numbers(dataset: &Dataset, names: &[&str]) -> Option<Vec<f64>> {
    names
        .iter()
        .find_map(|name| match dataset.get(name).map(|v| &v.values) {
            Some(Values::Numeric(values)) => Some(values.clone()),
            _ => None,
        })
}

/// Failed attention checks per respondent: kith's `attention_failed` column, or else the
/// form's checks in columns of their ids, an answer other than the expected one (or none)
/// counting as failed, as kith's export counts them. `None` when the data have neither.
pub fn attention_failed(dataset: &Dataset, form: &Form) -> Option<Vec<f64>> {
    if let Some(counts) = numbers(dataset, &["attention_failed"]) {
        return Some(counts);
    }
    let checks: Vec<(Vec<f64>, f64)> = form
        .attention_checks()
        .filter_map(|check| {
            let answers = numbers(dataset, &[check.check.id.as_str()])?;
            Some((answers, check.check.expect as f64))
        })
        .collect();
    if checks.is_empty() {
        return None;
    }
    Some(
        (0..dataset.n)
            .map(|row| {
                checks
                    .iter()
                    .filter(|(answers, expected)| answers[row] != *expected)
                    .count() as f64
            })
            .collect(),
    )
}

/// The columns that hold a respondent's total time, in kith's export and in Qualtrics's.
pub const DURATION_COLUMNS: [&str; 2] = ["duration_s", "Duration (in seconds)"];

/// Each respondent's total time in seconds, when the data have it.
pub fn durations(dataset: &Dataset) -> Option<Vec<f64>> {
    numbers(dataset, &DURATION_COLUMNS)
}

/// The columns of kith's export that hold each page's seconds and its number of questions, as
/// lists over the session's pages joined by `|`.
pub const PAGE_COLUMNS: [&str; 2] = ["page_seconds", "page_questions"];

/// One row of a page-time column: its list of numbers (an empty entry is missing). A survey
/// of one page has a plain number there, which the reader took for a numeric column.
fn page_lists(dataset: &Dataset, name: &str) -> Option<Vec<Vec<f64>>> {
    let parse = |text: &str| -> Vec<f64> {
        text.split('|')
            .map(|part| part.trim().parse().unwrap_or(f64::NAN))
            .collect()
    };
    match &dataset.get(name)?.values {
        Values::Numeric(values) => Some(values.iter().map(|v| vec![*v]).collect()),
        Values::Categorical { codes, levels } => {
            // Each distinct list is parsed once.
            let parsed: Vec<Vec<f64>> = levels.iter().map(|level| parse(level)).collect();
            Some(
                codes
                    .iter()
                    .map(|code| code.map_or_else(Vec::new, |c| parsed[c as usize].clone()))
                    .collect(),
            )
        }
    }
}

/// Each respondent's number of pages with questions that took less than two seconds per
/// question (Huang et al., 2012, page by page); missing for a respondent with no timed page.
/// `None` when the data have no page times.
pub fn fast_pages(dataset: &Dataset) -> Option<Vec<f64>> {
    let seconds = page_lists(dataset, PAGE_COLUMNS[0])?;
    let questions = page_lists(dataset, PAGE_COLUMNS[1])?;
    Some(
        seconds
            .iter()
            .zip(&questions)
            .map(|(seconds, questions)| {
                let timed: Vec<f64> = seconds
                    .iter()
                    .zip(questions)
                    .filter(|(s, q)| !s.is_nan() && **q >= 1.0)
                    .map(|(s, q)| s / q)
                    .collect();
                if timed.is_empty() {
                    f64::NAN
                } else {
                    timed.iter().filter(|&&per| per < SECONDS_PER_ITEM).count() as f64
                }
            })
            .collect(),
    )
}

fn present(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

/// Screens every respondent of `table` over the form's rating-scale items.
pub fn screen(table: &ResponseTable, form: &Form, options: &Options) -> Screening {
    // The answers are read from the table's own columns; the data set holds only the other
    // columns (checks, durations, page times), so no answer is copied.
    let dataset = dataset::passthrough_only(table, &[]);
    let items = table_items(table, form);
    let indices = compute_columns(&items, options);
    let mut screening = assemble(
        &dataset,
        &table.ids,
        &table.source,
        &items.names,
        &indices,
        form,
    );
    for (respondent, row) in screening.rows.iter_mut().zip(&table.rows) {
        respondent.row = *row;
    }
    screening
}

/// Screens every respondent of a data set (rows numbered from 1) over the form's rating-scale
/// items.
pub fn screen_dataset(
    dataset: &Dataset,
    form: &Form,
    options: &Options,
    source: &str,
) -> Screening {
    let items = form_items(dataset, form);
    let indices = compute_columns(&items, options);
    assemble(dataset, &dataset.ids, source, &items.names, &indices, form)
}

/// Whether a default rule flags a respondent.
type Test = Box<dyn Fn(&Respondent) -> bool + Sync>;

/// The indices with the data's attention checks, durations and page times, the default rules'
/// flags and their counts.
fn assemble(
    dataset: &Dataset,
    ids: &[String],
    source: &str,
    names: &[String],
    indices: &Indices,
    form: &Form,
) -> Screening {
    let (attention, durations, fast_pages) = (
        attention_failed(dataset, form),
        durations(dataset),
        fast_pages(dataset),
    );
    let p = names.len();
    let longstring_cut = longstring_cutoff(p);
    let mut rules: Vec<(RuleCount, Test)> = Vec::new();
    let mut rule = |name: String, description: String, test: Test| {
        rules.push((
            RuleCount {
                rule: name,
                description,
                flagged: 0,
            },
            test,
        ));
    };
    if attention.is_some() {
        rule(
            "attention_failed >= 1".into(),
            "failed or skipped an attention check".into(),
            Box::new(|r| r.attention_failed.is_some_and(|v| v >= 1.0)),
        );
    }
    if p > 0 {
        rule(
            format!("longstring_max >= {longstring_cut}"),
            format!(
                "gave one answer to {longstring_cut} or more items in a row (half the items, at least ten)"
            ),
            Box::new(move |r| r.longstring_max.is_some_and(|v| v >= longstring_cut)),
        );
    }
    if indices.mahalanobis.is_some() {
        let cut = indices.mahalanobis_cutoff;
        rule(
            format!("mahalanobis > {cut:.2}"),
            format!("Mahalanobis D² beyond the .99 quantile of χ²({p}), as careless::mahad flags"),
            Box::new(move |r| r.mahalanobis.is_some_and(|v| v > cut)),
        );
    }
    if durations.is_some() {
        rule(
            format!("seconds_per_item < {SECONDS_PER_ITEM}"),
            "answered faster than two seconds per item (Huang et al., 2012)".into(),
            Box::new(|r| r.seconds_per_item.is_some_and(|v| v < SECONDS_PER_ITEM)),
        );
    }
    // Each respondent on its own, on every core; the counts after.
    let rows: Vec<Respondent> = (0..dataset.n)
        .into_par_iter()
        .map(|i| {
            let answered = indices.answered.get(i).copied().unwrap_or(0);
            let duration = durations.as_ref().and_then(|d| present(d[i]));
            let mut respondent = Respondent {
                respondent_id: ids.get(i).cloned().unwrap_or_default(),
                row: i + 1,
                items_answered: answered,
                longstring_max: indices.longstring.get(i).and_then(|l| present(l.max)),
                longstring_average: indices.longstring.get(i).and_then(|l| present(l.average)),
                irv: indices.irv.get(i).copied().and_then(present),
                mahalanobis: indices.mahalanobis.as_ref().and_then(|m| present(m[i])),
                even_odd: indices.even_odd.as_ref().and_then(|e| present(e[i].0)),
                synonyms: indices.synonyms.as_ref().and_then(|s| present(s[i].0)),
                antonyms: indices.antonyms.as_ref().and_then(|s| present(s[i].0)),
                attention_failed: attention.as_ref().and_then(|a| present(a[i])),
                duration_s: duration,
                seconds_per_item: duration
                    .filter(|_| answered > 0)
                    .map(|d| d / answered as f64),
                fast_pages: fast_pages.as_ref().and_then(|f| present(f[i])),
                flags: Vec::new(),
            };
            for (count, test) in &rules {
                if test(&respondent) {
                    respondent.flags.push(count.rule.clone());
                }
            }
            respondent
        })
        .collect();
    let mut flagged_by_any = 0;
    for respondent in rows.iter().filter(|r| !r.flags.is_empty()) {
        flagged_by_any += 1;
        for (count, _) in rules.iter_mut() {
            count.flagged += usize::from(respondent.flags.contains(&count.rule));
        }
    }
    let pair_names = |pairs: &[(usize, usize)]| {
        pairs
            .iter()
            .map(|&(a, b)| [names[a].clone(), names[b].clone()])
            .collect()
    };
    Screening {
        source: source.to_string(),
        respondents: dataset.n,
        items: names.to_vec(),
        mahalanobis_cutoff: indices.mahalanobis_cutoff,
        synonym_pairs: pair_names(&indices.synonym_pairs),
        antonym_pairs: pair_names(&indices.antonym_pairs),
        rules: rules.into_iter().map(|(count, _)| count).collect(),
        flagged_by_any,
        skipped: indices.skipped.clone(),
        rows,
    }
}

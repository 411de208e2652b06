//! Person scores: reverse keying on each item's own scale, then the mean or sum of a score's
//! items, with a minimum number of answered items and optional imputation.

use crate::psychometrics::median;
use crate::read::{ItemValues, ResponseTable};
use kith_instrument::form::{Form, FormItem};
use kith_instrument::model::{MinAnswered, Score, ScoreMethod};
use rayon::prelude::*;
use std::borrow::Cow;

/// How missing answers are filled in before a score is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Imputation {
    /// No imputation: the score is the mean (or sum) of the answered items.
    #[default]
    None,
    /// A missing item takes the respondent's mean of the score's answered items.
    PersonMean,
    /// A missing item takes that item's mean over all respondents.
    ItemMean,
    /// A missing item takes that item's median over all respondents (psych::scoreItems' default).
    ItemMedian,
}

/// One computed score: a value per respondent (NaN when missing) and how many items each answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreColumn {
    pub id: String,
    pub label: String,
    pub values: Vec<f64>,
    pub n_answered: Vec<u32>,
}

/// An item's answers after keying: reverse-keyed items become (min + max) − answer, with the
/// bounds of the item's own response scale.
pub fn keyed_values(values: &ItemValues, item: &FormItem) -> ItemValues {
    keyed(values, item).into_owned()
}

/// The keyed answers of a score's items, in the score's order. Items that are not reversed
/// are borrowed, not copied.
pub fn score_items<'a>(
    table: &'a ResponseTable,
    form: &Form,
    score: &Score,
) -> Vec<Cow<'a, ItemValues>> {
    score
        .items
        .iter()
        .filter_map(|id| {
            let item = form.item(id)?;
            let values = table.items.get(id)?;
            Some(keyed(values, item))
        })
        .collect()
}

/// An item's keyed answers, borrowed when the item is not reversed.
pub fn keyed<'a>(values: &'a ItemValues, item: &FormItem) -> Cow<'a, ItemValues> {
    match item.response.bounds() {
        Some((min, max)) if item.item.reverse => Cow::Owned(values.reversed(min, max)),
        _ => Cow::Borrowed(values),
    }
}

/// One answer as its score counts it: a reverse-keyed item's answer reversed on the item's
/// own scale, (min + max) − answer. [`keyed`] applies the same rule to a whole column.
pub fn keyed_answer(item: &FormItem, answer: f64) -> f64 {
    match item.response.bounds() {
        Some((min, max)) if item.item.reverse => min + max - answer,
        _ => answer,
    }
}

/// Rows per block when a score is computed: each item's answers in a block are turned into
/// numbers in a small buffer, so no item is ever copied whole.
const BLOCK_ROWS: usize = 4096;

/// Computes one score for every respondent from the score's keyed items.
pub fn compute_score<T: std::borrow::Borrow<ItemValues>>(
    items: &[T],
    score: &Score,
    imputation: Imputation,
    height: usize,
) -> ScoreColumn {
    let k = items.len();
    let required = score
        .min_answered
        .unwrap_or(MinAnswered::Count(1))
        .required_of(k)
        .max(1);
    let fill: Vec<f64> = match imputation {
        Imputation::ItemMean => items
            .iter()
            .map(|column| crate::psychometrics::mean_sd(&column.borrow().to_f64()).0)
            .collect(),
        Imputation::ItemMedian => items
            .iter()
            .map(|column| {
                let mut present: Vec<f64> = column
                    .borrow()
                    .to_f64()
                    .into_iter()
                    .filter(|v| !v.is_nan())
                    .collect();
                median(&mut present)
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut values = Vec::with_capacity(height);
    let mut n_answered = Vec::with_capacity(height);
    let mut buffers = vec![vec![0.0f64; BLOCK_ROWS]; k];
    for start in (0..height).step_by(BLOCK_ROWS) {
        let end = (start + BLOCK_ROWS).min(height);
        for (buffer, column) in buffers.iter_mut().zip(items) {
            column
                .borrow()
                .fill_f64(start, end, &mut buffer[..end - start]);
        }
        for offset in 0..end - start {
            let (mut sum, mut answered, mut filled) = (0.0, 0usize, 0.0);
            for (index, buffer) in buffers.iter().enumerate() {
                let value = buffer[offset];
                if value.is_nan() {
                    if let Some(substitute) = fill.get(index) {
                        filled += substitute;
                    }
                } else {
                    sum += value;
                    answered += 1;
                }
            }
            n_answered.push(answered as u32);
            if answered < required {
                values.push(f64::NAN);
                continue;
            }
            let value = match (imputation, score.method) {
                (Imputation::None, ScoreMethod::Mean)
                | (Imputation::PersonMean, ScoreMethod::Mean) => sum / answered as f64,
                (Imputation::None, ScoreMethod::Sum) => sum,
                (Imputation::PersonMean, ScoreMethod::Sum) => sum / answered as f64 * k as f64,
                (_, ScoreMethod::Mean) => (sum + filled) / k as f64,
                (_, ScoreMethod::Sum) => sum + filled,
            };
            values.push(value);
        }
    }
    ScoreColumn {
        id: score.id.clone(),
        label: score.label.clone(),
        values,
        n_answered,
    }
}

/// Computes every score of the form, scores in parallel.
pub fn score_table(table: &ResponseTable, form: &Form, imputation: Imputation) -> Vec<ScoreColumn> {
    let scores: Vec<&Score> = form.scores().collect();
    scores
        .par_iter()
        .map(|score| {
            let items = score_items(table, form, score);
            compute_score(&items, score, imputation, table.height())
        })
        .collect()
}

/// A scored item that no respondent answered, with the scores that use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredItem {
    pub item: String,
    pub scores: Vec<String>,
}

/// The scored items without a single answer in the table. Their scores are computed from the
/// other items, which changes what the score means (and a sum's range), so the caller warns.
pub fn unanswered_items(table: &ResponseTable, form: &Form) -> Vec<UnansweredItem> {
    let mut out: Vec<UnansweredItem> = Vec::new();
    for score in form.scores() {
        for item in &score.items {
            let empty = table
                .items
                .get(item)
                .is_some_and(|values| (0..values.len()).all(|row| values.get(row).is_none()));
            if !empty {
                continue;
            }
            match out.iter_mut().find(|u| u.item == *item) {
                Some(found) => found.scores.push(score.id.clone()),
                None => out.push(UnansweredItem {
                    item: item.clone(),
                    scores: vec![score.id.clone()],
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(method: ScoreMethod, min_answered: Option<MinAnswered>) -> Score {
        Score {
            id: "s".into(),
            label: "S".into(),
            items: vec!["a".into(), "b".into(), "c".into()],
            method,
            min_answered,
        }
    }

    #[test]
    fn check_imputations() {
        let nan = f64::NAN;
        // Rows: complete; one missing; all missing.
        let items: Vec<ItemValues> = [
            vec![1.0, 2.0, nan],
            vec![2.0, nan, nan],
            vec![3.0, 4.0, nan],
        ]
        .into_iter()
        .map(ItemValues::Reals)
        .collect();
        let cases: &[(Imputation, ScoreMethod, [f64; 2])] = &[
            (Imputation::None, ScoreMethod::Mean, [2.0, 3.0]),
            (Imputation::None, ScoreMethod::Sum, [6.0, 6.0]),
            (Imputation::PersonMean, ScoreMethod::Mean, [2.0, 3.0]),
            (Imputation::PersonMean, ScoreMethod::Sum, [6.0, 9.0]),
            // Item b's mean and median over respondents is 2.
            (Imputation::ItemMean, ScoreMethod::Mean, [2.0, 8.0 / 3.0]),
            (Imputation::ItemMedian, ScoreMethod::Sum, [6.0, 8.0]),
        ];
        for (imputation, method, expected) in cases {
            let column = compute_score(&items, &score(*method, None), *imputation, 3);
            assert_eq!(&column.values[..2], expected, "{imputation:?} {method:?}");
            assert!(
                column.values[2].is_nan(),
                "a row with no answers has no score"
            );
            assert_eq!(column.n_answered, vec![3, 2, 0]);
        }
    }

    #[test]
    fn min_answered_makes_a_score_missing() {
        let nan = f64::NAN;
        let items: Vec<ItemValues> = [vec![1.0, 2.0], vec![2.0, nan], vec![3.0, nan]]
            .into_iter()
            .map(ItemValues::Reals)
            .collect();
        let column = compute_score(
            &items,
            &score(ScoreMethod::Mean, Some(MinAnswered::Count(2))),
            Imputation::None,
            2,
        );
        assert_eq!(column.values[0], 2.0);
        assert!(column.values[1].is_nan());
        let column = compute_score(
            &items,
            &score(ScoreMethod::Mean, Some(MinAnswered::Proportion(0.3))),
            Imputation::None,
            2,
        );
        assert_eq!(column.values[1], 2.0);
    }
}

//! Reliability of every score as R's psych reports it: alpha and its companions, item
//! statistics, omega total, lambda 2, and the correlations between scores.

use crate::psychometrics::{
    AlphaCore, PairwiseMoments, alpha_core, alpha_if_dropped, cov2cor, feldt_interval, item_total,
    lambda2, mean_sd, omega_total, pairwise_correlation, pairwise_moments, select,
};
use crate::read::ResponseTable;
use crate::score::keyed;
use crate::values::ItemValues;
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;
use serde::Serialize;
use std::borrow::Cow;

/// The share of answers given with one response value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frequency {
    pub value: f64,
    pub share: f64,
}

/// One item of a scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemReliability {
    pub id: String,
    pub reverse: bool,
    /// Answers given.
    pub n: usize,
    /// The share of respondents who did not answer.
    pub missing: f64,
    pub mean: f64,
    pub sd: f64,
    /// Correlation with the scale's total (psych `raw.r`).
    pub r: f64,
    /// Correlation with the standardized total (psych `std.r`).
    pub r_std: f64,
    /// Item–total correlation corrected for overlap and reliability (psych `r.cor`).
    pub r_cor: f64,
    /// Correlation with the total of the other items (psych `r.drop`).
    pub r_drop: f64,
    /// Raw alpha of the scale without this item (psych `raw_alpha` of `alpha.drop`).
    pub alpha_if_dropped: f64,
    /// Standardized alpha of the scale without this item.
    pub std_alpha_if_dropped: f64,
    /// Shares of answers per response value (ordered scales with at most 10 values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequencies: Option<Vec<Frequency>>,
}

/// One scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleReliability {
    pub id: String,
    pub label: String,
    /// Number of items.
    pub k: usize,
    /// Respondents (rows) in the data, as psych counts them.
    pub n: usize,
    pub alpha: f64,
    pub std_alpha: f64,
    pub g6: f64,
    pub average_r: f64,
    pub median_r: f64,
    pub signal_noise: f64,
    pub ase: f64,
    pub alpha_ci_feldt: [f64; 2],
    pub alpha_ci_duhachek: [f64; 2],
    /// McDonald's omega total (one-factor minres); absent for fewer than three items.
    pub omega_total: Option<f64>,
    pub lambda2: f64,
    /// Mean and SD of the mean of the answered items (psych's total).
    pub mean: f64,
    pub sd: f64,
    pub items: Vec<ItemReliability>,
}

/// Correlations between scores and the same corrected for attenuation, as psych's
/// `scoreItems` computes them: from the pairwise covariances of the keyed items (the
/// correlation of the scale sums those covariances imply). With complete data this is the
/// correlation of the scores; with missing answers it uses every available pair of answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreCorrelations {
    pub scores: Vec<String>,
    pub r: Vec<Vec<f64>>,
    /// r / √(α_x α_y); alpha on the diagonal; absent where a score has no alpha.
    pub disattenuated: Vec<Vec<Option<f64>>>,
}

/// A score whose reliability cannot be computed from these data, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotComputed {
    pub score: String,
    pub reason: String,
}

/// A likely problem worth a researcher's attention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityWarning {
    pub score: String,
    pub item: Option<String>,
    pub message: String,
}

/// The reliability report of a response file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityReport {
    pub source: String,
    pub n: usize,
    pub scores: Vec<ScaleReliability>,
    /// Scores with fewer than two items, which have no reliability.
    pub single_item_scores: Vec<String>,
    /// Scores whose reliability cannot be computed, with the reason (an item without variance,
    /// or two items never answered together).
    pub not_computed: Vec<NotComputed>,
    pub correlations: ScoreCorrelations,
    pub warnings: Vec<ReliabilityWarning>,
}

/// The shares of answers per response value, for ordered scales of at most ten values.
fn frequencies(values: &ItemValues, response: &ResponseScale) -> Option<Vec<Frequency>> {
    let codes: Vec<i64> = match response {
        ResponseScale::Likert { values, .. } => values.clone(),
        ResponseScale::Numeric {
            min: Some(min),
            max: Some(max),
            integer: true,
            ..
        } if max - min <= 10.0 => (min.ceil() as i64..=max.floor() as i64).collect(),
        _ => return None,
    };
    if codes.len() > 10 {
        return None;
    }
    let mut counts = vec![0usize; codes.len()];
    let mut answered = 0usize;
    let mut count = |value: f64, times: usize| {
        answered += times;
        if let Some(index) = codes.iter().position(|code| *code as f64 == value) {
            counts[index] += times;
        }
    };
    match values {
        ItemValues::Codes(column) => {
            // Tally the 16-bit codes first: a table of 65,536 counts, then ten look-ups.
            let mut tally = vec![0usize; 1 << 16];
            for &code in column.iter().filter(|c| **c != crate::values::MISSING_CODE) {
                tally[(i32::from(code) - i32::from(i16::MIN)) as usize] += 1;
            }
            for (slot, &times) in tally.iter().enumerate().filter(|(_, t)| **t > 0) {
                count(f64::from(slot as i32 + i32::from(i16::MIN)), times);
            }
        }
        ItemValues::Reals(column) => column
            .iter()
            .filter(|v| !v.is_nan())
            .for_each(|v| count(*v, 1)),
    }
    Some(
        codes
            .into_iter()
            .zip(counts)
            .map(|(value, count)| Frequency {
                value: value as f64,
                share: if answered == 0 {
                    f64::NAN
                } else {
                    count as f64 / answered as f64
                },
            })
            .collect(),
    )
}

/// The reliability of one scale from its keyed item columns and their pairwise moments.
pub fn scale_reliability(
    id: &str,
    label: &str,
    item_ids: &[String],
    reverse: &[bool],
    responses: &[&ResponseScale],
    keyed: &[&ItemValues],
    moments: &PairwiseMoments,
) -> ScaleReliability {
    let k = keyed.len();
    let columns: Vec<Vec<f64>> = keyed.iter().map(|c| c.to_f64()).collect();
    let rows = columns.first().map_or(0, Vec::len);
    let c = &moments.cov;
    let r = cov2cor(c, k);
    let core: AlphaCore = alpha_core(c, &r, k);
    let ase = (core.q / rows as f64).sqrt();
    // psych's total: the mean of each respondent's answered items.
    let total: Vec<f64> = (0..rows)
        .map(|row| {
            let (mut sum, mut count) = (0.0, 0usize);
            for column in &columns {
                if !column[row].is_nan() {
                    sum += column[row];
                    count += 1;
                }
            }
            if count == 0 {
                f64::NAN
            } else {
                sum / count as f64
            }
        })
        .collect();
    let (mean, sd, _) = mean_sd(&total);
    let dropped = alpha_if_dropped(c, &r, k);
    let (r_std, r_cor, r_drop) = item_total(c, &r, k);
    let items = (0..k)
        .map(|i| {
            let (item_mean, item_sd, n) = mean_sd(&columns[i]);
            ItemReliability {
                id: item_ids[i].clone(),
                reverse: reverse[i],
                n,
                missing: 1.0 - n as f64 / rows as f64,
                mean: item_mean,
                sd: item_sd,
                r: pairwise_correlation(&total, &columns[i]).0,
                r_std: r_std[i],
                r_cor: r_cor[i],
                r_drop: r_drop[i],
                alpha_if_dropped: dropped[i].raw,
                std_alpha_if_dropped: dropped[i].std,
                frequencies: frequencies(keyed[i], responses[i]),
            }
        })
        .collect();
    ScaleReliability {
        id: id.to_string(),
        label: label.to_string(),
        k,
        n: rows,
        alpha: core.raw,
        std_alpha: core.std,
        g6: core.g6,
        average_r: core.average_r,
        median_r: core.median_r,
        signal_noise: core.signal_noise,
        ase,
        alpha_ci_feldt: feldt_interval(core.raw, rows, k, 0.05),
        alpha_ci_duhachek: [core.raw - 1.96 * ase, core.raw + 1.96 * ase],
        // omega uses pairwise correlations computed directly, as psych's omega does.
        omega_total: (k >= 3).then(|| omega_total(&moments.cor, k)),
        lambda2: lambda2(&r, k),
        mean,
        sd,
        items,
    }
}

/// The reliability report of every score with at least two items.
///
/// The pairwise moments of all scored items are computed once; each scale, and the
/// correlations between scales, draw on them.
pub fn reliability(table: &ResponseTable, form: &Form) -> ReliabilityReport {
    // Every scored item once, keyed.
    let mut item_ids: Vec<&str> = Vec::new();
    for score in form.scores() {
        for id in &score.items {
            if !item_ids.contains(&id.as_str()) && table.items.contains_key(id) {
                item_ids.push(id);
            }
        }
    }
    let keyed: Vec<Cow<ItemValues>> = item_ids
        .iter()
        .filter_map(|id| Some(keyed(table.items.get(*id)?, form.item(id)?)))
        .collect();
    let keyed_refs: Vec<&ItemValues> = keyed.iter().map(|c| c.as_ref()).collect();
    let all = pairwise_moments(&keyed_refs);
    let total_k = item_ids.len();
    let position = |id: &str| item_ids.iter().position(|i| *i == id);
    let moments_of = |indices: &[usize]| PairwiseMoments {
        k: indices.len(),
        n: select(&all.n, total_k, indices),
        cov: select(&all.cov, total_k, indices),
        cor: select(&all.cor, total_k, indices),
    };

    let mut scores = Vec::new();
    let mut single_item_scores = Vec::new();
    let mut not_computed = Vec::new();
    let mut warnings = Vec::new();
    for score in form.scores() {
        if score.items.len() < 2 {
            single_item_scores.push(score.id.clone());
            continue;
        }
        let indices: Vec<usize> = score.items.iter().filter_map(|id| position(id)).collect();
        // psych drops an item without variance and goes on; kith says so and computes nothing,
        // so that no statistic silently describes fewer items than the score has.
        let unusable = indices.iter().find_map(|&i| {
            let variance = all.cov[i * total_k + i];
            (variance.is_nan() || variance <= 0.0).then(|| format!("item `{}` has no variance (every answer is the same, or there are fewer than two)", item_ids[i]))
        });
        let unpaired = || {
            indices.iter().enumerate().find_map(|(a, &i)| {
                indices[a + 1..].iter().find_map(|&j| {
                    (all.n[i * total_k + j] < 2).then(|| format!("items `{}` and `{}` are answered together by fewer than two respondents", item_ids[i], item_ids[j]))
                })
            })
        };
        if let Some(reason) = unusable.or_else(unpaired) {
            warnings.push(ReliabilityWarning {
                score: score.id.clone(),
                item: None,
                message: format!(
                    "the reliability of `{}` is not computed: {reason}",
                    score.id
                ),
            });
            not_computed.push(NotComputed {
                score: score.id.clone(),
                reason,
            });
            continue;
        }
        let items: Vec<_> = score.items.iter().filter_map(|id| form.item(id)).collect();
        let reverse: Vec<bool> = items.iter().map(|item| item.item.reverse).collect();
        let responses: Vec<&ResponseScale> = items.iter().map(|item| &item.response).collect();
        let columns: Vec<&ItemValues> = indices.iter().map(|&i| keyed[i].as_ref()).collect();
        let result = scale_reliability(
            &score.id,
            &score.label,
            &score.items,
            &reverse,
            &responses,
            &columns,
            &moments_of(&indices),
        );
        for item in &result.items {
            if item.r_drop < 0.0 {
                warnings.push(ReliabilityWarning {
                    score: score.id.clone(),
                    item: Some(item.id.clone()),
                    message: format!(
                        "item `{}` correlates negatively with the rest of `{}` (r.drop = {:.2}); is it keyed the wrong way?",
                        item.id, score.id, item.r_drop
                    ),
                });
            }
        }
        scores.push(result);
    }

    // Correlations between scores from the item covariances, as psych's scoreItems: the
    // covariance of two scales is the sum of their items' covariances (K'CK).
    let names: Vec<String> = form.scores().map(|s| s.id.clone()).collect();
    let members: Vec<Vec<usize>> = form
        .scores()
        .map(|s| s.items.iter().filter_map(|id| position(id)).collect())
        .collect();
    let count = names.len();
    let mut scale_cov = vec![0.0; count * count];
    for a in 0..count {
        for b in 0..count {
            scale_cov[a * count + b] = members[a]
                .iter()
                .flat_map(|&i| members[b].iter().map(move |&j| (i, j)))
                .map(|(i, j)| all.cov[i * total_k + j])
                .sum();
        }
    }
    let scale_cor = cov2cor(&scale_cov, count);
    let alpha_of = |id: &str| scores.iter().find(|s| s.id == id).map(|s| s.alpha);
    let mut r = vec![vec![f64::NAN; count]; count];
    let mut disattenuated = vec![vec![None; count]; count];
    for i in 0..count {
        for j in 0..count {
            r[i][j] = scale_cor[i * count + j];
            disattenuated[i][j] = match (alpha_of(&names[i]), alpha_of(&names[j])) {
                (Some(a), Some(_)) if i == j => Some(a),
                (Some(a), Some(b)) => Some(r[i][j] / (a * b).sqrt()),
                _ => None,
            };
        }
    }
    ReliabilityReport {
        source: table.source.clone(),
        n: table.height(),
        scores,
        single_item_scores,
        not_computed,
        correlations: ScoreCorrelations {
            scores: names,
            r,
            disattenuated,
        },
        warnings,
    }
}

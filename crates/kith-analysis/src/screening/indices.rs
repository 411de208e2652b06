//! The careless-responding indices of one respondent's answers, as R's careless 1.2.2 defines
//! them (longstring, irv, mahad, evenodd, psychsyn, psychant), with missing answers treated as
//! docs/screening.md says. Every function takes the answers as an n × p matrix (NaN for a
//! missing answer) and returns one value per respondent, NaN where the index is undefined.

use nalgebra::DMatrix;

/// The longest run of identical consecutive answers, and the average length of the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Longstring {
    pub max: f64,
    pub average: f64,
}

/// careless::longstring(avg = TRUE) per respondent. A missing answer ends a run and is not a
/// run of its own (careless counts it as a run of one, which lowers the average of a
/// respondent who skipped items); a respondent without answers has neither value.
pub fn longstring(answers: &DMatrix<f64>) -> Vec<Longstring> {
    answers
        .row_iter()
        .map(|row| {
            let (mut runs, mut total, mut longest) = (0usize, 0usize, 0usize);
            let mut current: Option<(f64, usize)> = None;
            let mut close = |run: usize, runs: &mut usize, total: &mut usize| {
                *runs += 1;
                *total += run;
                longest = longest.max(run);
            };
            for &value in row.iter() {
                current = match current {
                    _ if value.is_nan() => {
                        if let Some((_, run)) = current {
                            close(run, &mut runs, &mut total);
                        }
                        None
                    }
                    Some((previous, run)) if previous == value => Some((value, run + 1)),
                    Some((_, run)) => {
                        close(run, &mut runs, &mut total);
                        Some((value, 1))
                    }
                    None => Some((value, 1)),
                };
            }
            if let Some((_, run)) = current {
                close(run, &mut runs, &mut total);
            }
            if runs == 0 {
                Longstring {
                    max: f64::NAN,
                    average: f64::NAN,
                }
            } else {
                Longstring {
                    max: longest as f64,
                    average: total as f64 / runs as f64,
                }
            }
        })
        .collect()
}

/// careless::irv: the standard deviation (divisor n − 1) of a respondent's answers, over the
/// answers given (careless's `na.rm = TRUE`); undefined with fewer than two.
pub fn irv(answers: &DMatrix<f64>) -> Vec<f64> {
    answers
        .row_iter()
        .map(|row| {
            let present: Vec<f64> = row.iter().copied().filter(|v| !v.is_nan()).collect();
            standard_deviation(&present)
        })
        .collect()
}

fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// Pearson's correlation of the pairs where both values are present; NaN with fewer than two
/// such pairs or without variance (as R's `cor(use = "pairwise.complete.obs")`).
pub fn pairwise_correlation(x: impl Iterator<Item = f64>, y: impl Iterator<Item = f64>) -> f64 {
    let pairs: Vec<(f64, f64)> = x
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .collect();
    if pairs.len() < 2 {
        return f64::NAN;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// The covariance of every pair of items over the respondents who answered both (divisor
/// n − 1), as R's `cov(use = "pairwise")`.
fn pairwise_covariance(answers: &DMatrix<f64>) -> DMatrix<f64> {
    let p = answers.ncols();
    let mut covariance = DMatrix::from_element(p, p, f64::NAN);
    for a in 0..p {
        for b in 0..=a {
            let pairs: Vec<(f64, f64)> = answers
                .column(a)
                .iter()
                .zip(answers.column(b).iter())
                .filter(|(x, y)| !x.is_nan() && !y.is_nan())
                .map(|(x, y)| (*x, *y))
                .collect();
            if pairs.len() >= 2 {
                let n = pairs.len() as f64;
                let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
                let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
                let sum: f64 = pairs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
                covariance[(a, b)] = sum / (n - 1.0);
                covariance[(b, a)] = covariance[(a, b)];
            }
        }
    }
    covariance
}

/// careless::mahad (psych::outlier): each respondent's squared Mahalanobis distance from the
/// item means, with the pairwise covariances of the items. Missing answers drop out of the
/// sum (psych's `na.rm = TRUE`); a respondent without answers has none. `None` when the
/// covariance matrix cannot be inverted (an item without variance, or a copy of another) or
/// two items were never answered together.
pub fn mahalanobis(answers: &DMatrix<f64>) -> Option<Vec<f64>> {
    let covariance = pairwise_covariance(answers);
    if covariance.iter().any(|v| v.is_nan()) {
        return None;
    }
    // R's solve(): an inverse of any non-singular matrix; pairwise covariances need not be
    // positive definite.
    let inverse = covariance.try_inverse()?;
    let means: Vec<f64> = answers
        .column_iter()
        .map(|column| {
            let present: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            present.iter().sum::<f64>() / present.len().max(1) as f64
        })
        .collect();
    Some(
        answers
            .row_iter()
            .map(|row| {
                let centred: Vec<f64> = row.iter().zip(&means).map(|(v, m)| v - m).collect();
                if centred.iter().all(|v| v.is_nan()) {
                    return f64::NAN;
                }
                let mut sum = 0.0;
                for (j, x) in centred.iter().enumerate().filter(|(_, x)| !x.is_nan()) {
                    for (k, y) in centred.iter().enumerate().filter(|(_, y)| !y.is_nan()) {
                        sum += x * inverse[(j, k)] * y;
                    }
                }
                sum
            })
            .collect(),
    )
}

/// careless::evenodd: per respondent, the mean of the even-numbered and of the odd-numbered
/// items of each scale (`scales` lists each scale's columns in order, items keyed), the
/// correlation of the two across the scales that have both, Spearman–Brown corrected
/// (2r / (1 + r), at least −1) and negated, so that higher is more careless. Also the number
/// of scales that had both halves.
pub fn even_odd(answers: &DMatrix<f64>, scales: &[Vec<usize>]) -> Vec<(f64, usize)> {
    answers
        .row_iter()
        .map(|row| {
            let halves: Vec<(f64, f64)> = scales
                .iter()
                .map(|items| {
                    let half = |parity: usize| {
                        let present: Vec<f64> = items
                            .iter()
                            .enumerate()
                            .filter(|(position, _)| (position + 1) % 2 == parity)
                            .map(|(_, &item)| row[item])
                            .filter(|v| !v.is_nan())
                            .collect();
                        if present.is_empty() {
                            f64::NAN
                        } else {
                            present.iter().sum::<f64>() / present.len() as f64
                        }
                    };
                    (half(0), half(1))
                })
                .collect();
            let both = halves
                .iter()
                .filter(|(e, o)| !e.is_nan() && !o.is_nan())
                .count();
            let r = pairwise_correlation(halves.iter().map(|h| h.0), halves.iter().map(|h| h.1));
            let corrected = (2.0 * r / (1.0 + r)).max(-1.0);
            // NaN stays NaN through max; r = -1 gives -inf, floored at -1 as careless does.
            let corrected = if r.is_nan() { f64::NAN } else { corrected };
            // 0 − r as careless writes it, so that a correlation of 0 is 0, not −0.
            (0.0 - corrected, both)
        })
        .collect()
}

/// careless's psychometric synonyms (or, with `antonyms`, antonyms): the pairs of items whose
/// correlation over the respondents who answered both exceeds `critical` (or lies below
/// −`critical`), in careless's order (by the second item, then the first).
pub fn synonym_pairs(answers: &DMatrix<f64>, critical: f64, antonyms: bool) -> Vec<(usize, usize)> {
    let p = answers.ncols();
    let critical = critical.abs();
    let mut pairs = Vec::new();
    for b in 0..p {
        for a in b + 1..p {
            let r = pairwise_correlation(
                answers.column(a).iter().copied(),
                answers.column(b).iter().copied(),
            );
            let chosen = if antonyms {
                r < -critical
            } else {
                r > critical
            };
            if chosen {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// careless::psychsyn(resample_na = FALSE) per respondent: the correlation, across `pairs`,
/// of the first item's answers with the second's, over the pairs the respondent answered
/// both of; undefined with fewer than three such pairs or without variance. Also the number
/// of such pairs.
pub fn synonyms(answers: &DMatrix<f64>, pairs: &[(usize, usize)]) -> Vec<(f64, usize)> {
    answers
        .row_iter()
        .map(|row| {
            let answered = pairs
                .iter()
                .filter(|(a, b)| !row[*a].is_nan() && !row[*b].is_nan())
                .count();
            if answered <= 2 {
                return (f64::NAN, answered);
            }
            let r = pairwise_correlation(
                pairs.iter().map(|(a, _)| row[*a]),
                pairs.iter().map(|(_, b)| row[*b]),
            );
            (r, answered)
        })
        .collect()
}

//! The careless-responding indices of one respondent's answers, as R's careless 1.2.2 defines
//! them (longstring, irv, mahad, evenodd, psychsyn, psychant), with missing answers treated as
//! docs/screening.md says. Every function takes the answers as an n × p source read a block of
//! rows at a time (a matrix, or the columns the answers are in; NaN for a missing answer) and
//! returns one value per respondent, NaN where the index is undefined.

use super::source::{Source, for_each_block, for_each_row};
use crate::crossprod::add_crossprod;
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
pub fn longstring<S: Source + ?Sized>(answers: &S) -> Vec<Longstring> {
    let mut out = Vec::with_capacity(answers.rows());
    for_each_row(answers, |row| out.push(longstring_of(row)));
    out
}

/// One respondent's longstring.
fn longstring_of(row: &[f64]) -> Longstring {
    let (mut runs, mut total, mut longest) = (0usize, 0usize, 0usize);
    let mut current: Option<(f64, usize)> = None;
    let mut close = |run: usize| {
        runs += 1;
        total += run;
        longest = longest.max(run);
    };
    for &value in row {
        current = match current {
            _ if value.is_nan() => {
                if let Some((_, run)) = current {
                    close(run);
                }
                None
            }
            Some((previous, run)) if previous == value => Some((value, run + 1)),
            Some((_, run)) => {
                close(run);
                Some((value, 1))
            }
            None => Some((value, 1)),
        };
    }
    if let Some((_, run)) = current {
        close(run);
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
}

/// careless::irv: the standard deviation (divisor n − 1) of a respondent's answers, over the
/// answers given (careless's `na.rm = TRUE`); undefined with fewer than two.
pub fn irv<S: Source + ?Sized>(answers: &S) -> Vec<f64> {
    let mut out = Vec::with_capacity(answers.rows());
    for_each_row(answers, |row| out.push(irv_of(row)));
    out
}

fn irv_of(row: &[f64]) -> f64 {
    standard_deviation(row.iter().copied().filter(|v| !v.is_nan()))
}

/// What one pass over each respondent's answers gives: the answers given, longstring, IRV.
#[derive(Debug, Clone, Default)]
pub struct RowIndices {
    pub answered: Vec<usize>,
    pub longstring: Vec<Longstring>,
    pub irv: Vec<f64>,
}

/// [`answered`], [`longstring`] and [`irv`] in one pass over the rows.
pub fn row_indices<S: Source + ?Sized>(answers: &S) -> RowIndices {
    let n = answers.rows();
    let mut out = RowIndices {
        answered: Vec::with_capacity(n),
        longstring: Vec::with_capacity(n),
        irv: Vec::with_capacity(n),
    };
    for_each_row(answers, |row| {
        out.answered
            .push(row.iter().filter(|v| !v.is_nan()).count());
        out.longstring.push(longstring_of(row));
        out.irv.push(irv_of(row));
    });
    out
}

/// The standard deviation (n − 1) of values, in two passes as R's `sd`; NaN for fewer than two.
fn standard_deviation(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let (sum, count) = values
        .clone()
        .fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
    if count < 2 {
        return f64::NAN;
    }
    let mean = sum / count as f64;
    let squares: f64 = values.map(|v| (v - mean).powi(2)).sum();
    (squares / (count - 1) as f64).sqrt()
}

/// Pearson's correlation of the pairs where both values are present; NaN with fewer than two
/// such pairs or without variance (as R's `cor(use = "pairwise.complete.obs")`).
pub fn pairwise_correlation(
    x: impl Iterator<Item = f64> + Clone,
    y: impl Iterator<Item = f64> + Clone,
) -> f64 {
    let pairs = x.zip(y).filter(|(a, b)| !a.is_nan() && !b.is_nan());
    let (sx, sy, count) = pairs
        .clone()
        .fold((0.0, 0.0, 0usize), |(sx, sy, c), (a, b)| {
            (sx + a, sy + b, c + 1)
        });
    if count < 2 {
        return f64::NAN;
    }
    let (mx, my) = (sx / count as f64, sy / count as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// A block of answers, each item less its mean, 0 where missing.
fn centred_block(block: &DMatrix<f64>, means: &[f64]) -> DMatrix<f64> {
    let mut x = block.clone();
    for (mut column, mean) in x.column_iter_mut().zip(means) {
        for value in column.iter_mut() {
            *value = if value.is_nan() { 0.0 } else { *value - mean };
        }
    }
    x
}

/// [`centred_block`], and the block's missing cells as (row in the block, item), by row.
fn centred_with_missing(
    block: &DMatrix<f64>,
    means: &[f64],
) -> (DMatrix<f64>, Vec<(usize, usize)>) {
    let mut x = block.clone();
    let mut missing = Vec::new();
    for (j, (mut column, mean)) in x.column_iter_mut().zip(means).enumerate() {
        for (i, value) in column.iter_mut().enumerate() {
            if value.is_nan() {
                *value = 0.0;
                missing.push((i, j));
            } else {
                *value -= mean;
            }
        }
    }
    missing.sort_unstable();
    (x, missing)
}

/// The respondents who gave at least one answer, and how many answers each gave.
pub fn answered<S: Source + ?Sized>(answers: &S) -> Vec<usize> {
    let mut out = Vec::with_capacity(answers.rows());
    for_each_row(answers, |row| {
        out.push(row.iter().filter(|v| !v.is_nan()).count());
    });
    out
}

/// The moments of every pair of items over the respondents who answered both, as R's
/// `cov(use = "pairwise")` and `cor(use = "pairwise.complete.obs")` give them (divisor n − 1,
/// each pair's own means and standard deviations); NaN for a pair answered together fewer
/// than twice, and a correlation of NaN where either item has no variance in the pair.
#[derive(Debug, Clone)]
pub struct Pairwise {
    pub covariance: DMatrix<f64>,
    pub correlation: DMatrix<f64>,
    /// Each item's mean over its answers, around which the distances are taken.
    pub means: Vec<f64>,
}

/// The pairwise moments, from four cross-products accumulated over blocks of rows: with X the
/// answers shifted by their means (0 where missing) and M the answered indicator,
/// XᵀX, XᵀM, (X∘X)ᵀM and MᵀM give every pair's sums over the rows where both were answered.
/// Memory stays bounded by the block, and the work is matrix products.
pub fn pairwise<S: Source + ?Sized>(answers: &S) -> Pairwise {
    let p = answers.items();
    let mut sums = vec![(0.0, 0usize); p];
    for_each_block(answers, |_, block| {
        for (column, (sum, count)) in block.column_iter().zip(sums.iter_mut()) {
            for v in column.iter().filter(|v| !v.is_nan()) {
                *sum += v;
                *count += 1;
            }
        }
    });
    let means: Vec<f64> = sums
        .iter()
        .map(|&(sum, count)| if count == 0 { 0.0 } else { sum / count as f64 })
        .collect();
    let mut xy = DMatrix::zeros(p, p);
    let mut x_where = DMatrix::zeros(p, p);
    let mut xx_where = DMatrix::zeros(p, p);
    let mut both = DMatrix::zeros(p, p);
    for_each_block(answers, |_, block| {
        let rows = block.nrows();
        let (x, missing) = centred_with_missing(block, &means);
        add_crossprod(&mut xy, &x, &x);
        if missing.len() * SPARSE_SHARE < rows * p {
            let sums = Sums {
                x_where: &mut x_where,
                xx_where: &mut xx_where,
                both: &mut both,
            };
            add_sparse_complement(sums, &x, &missing);
        } else {
            let m = block.map(|v| if v.is_nan() { 0.0 } else { 1.0 });
            let squares = x.map(|v| v * v);
            add_crossprod(&mut x_where, &x, &m);
            add_crossprod(&mut xx_where, &squares, &m);
            add_crossprod(&mut both, &m, &m);
        }
    });
    let mut covariance = DMatrix::from_element(p, p, f64::NAN);
    let mut variance = DMatrix::from_element(p, p, f64::NAN);
    for a in 0..p {
        for b in 0..p {
            let count = both[(a, b)];
            if count >= 2.0 {
                // x_where[(a, b)]: the sum of a's (shifted) answers where b was answered too.
                covariance[(a, b)] =
                    (xy[(a, b)] - x_where[(a, b)] * x_where[(b, a)] / count) / (count - 1.0);
                variance[(a, b)] =
                    ((xx_where[(a, b)] - x_where[(a, b)].powi(2) / count) / (count - 1.0)).max(0.0);
            }
        }
    }
    let correlation = DMatrix::from_fn(p, p, |a, b| {
        let (va, vb) = (variance[(a, b)], variance[(b, a)]);
        // A variance that is zero but for rounding (a constant answer away from the mean)
        // counts as zero, as R's two-pass formula finds it.
        let tiny = |v: f64, item: usize| v <= 1e-12 * (1.0 + means[item].powi(2));
        if va.is_nan() || vb.is_nan() || tiny(va, a) || tiny(vb, b) {
            f64::NAN
        } else {
            (covariance[(a, b)] / (va * vb).sqrt()).clamp(-1.0, 1.0)
        }
    });
    Pairwise {
        covariance,
        correlation,
        means,
    }
}

/// A block whose missing cells are fewer than one in `SPARSE_SHARE` takes the answered
/// indicator as all ones less its missing cells: three of the four cross-products become
/// column sums and a correction per missing cell, which is most of the work saved on data
/// where few answers are missing. Denser blocks take the products.
const SPARSE_SHARE: usize = 8;

/// The totals a block adds to besides XᵀX.
struct Sums<'a> {
    x_where: &'a mut DMatrix<f64>,
    xx_where: &'a mut DMatrix<f64>,
    both: &'a mut DMatrix<f64>,
}

/// Adds XᵀM, (X∘X)ᵀM and MᵀM of a block with M = 1 − N (N the missing cells): XᵀM is X's
/// column sums less, for each missing cell (i, b), row i of X in column b; MᵀM is the rows
/// less each item's missing count, plus the pairs missing together. X is 0 where missing, so
/// the sums are exactly those over the rows where both items were answered.
fn add_sparse_complement(sums: Sums, x: &DMatrix<f64>, missing: &[(usize, usize)]) {
    let (rows, p) = x.shape();
    for a in 0..p {
        let column = x.column(a);
        let (total, squares) = column
            .iter()
            .fold((0.0, 0.0), |(t, q), v| (t + v, q + v * v));
        for b in 0..p {
            sums.x_where[(a, b)] += total;
            sums.xx_where[(a, b)] += squares;
        }
    }
    let mut missing_count = vec![0.0; p];
    let mut start = 0;
    while start < missing.len() {
        let row = missing[start].0;
        let end = start + missing[start..].partition_point(|(i, _)| *i == row);
        let items = &missing[start..end];
        let values: Vec<f64> = (0..p).map(|a| x[(row, a)]).collect();
        for &(_, b) in items {
            missing_count[b] += 1.0;
            for (a, value) in values.iter().enumerate() {
                sums.x_where[(a, b)] -= value;
                sums.xx_where[(a, b)] -= value * value;
            }
            for &(_, c) in items {
                sums.both[(b, c)] += 1.0;
            }
        }
        start = end;
    }
    for a in 0..p {
        for b in 0..p {
            sums.both[(a, b)] += rows as f64 - missing_count[a] - missing_count[b];
        }
    }
}

/// careless::mahad (psych::outlier): each respondent's squared Mahalanobis distance from the
/// item means, with the pairwise covariances of the items. Missing answers drop out of the
/// sum (psych's `na.rm = TRUE`); a respondent without answers has none. `None` when the
/// covariance matrix cannot be inverted (an item without variance, or a copy of another) or
/// two items were never answered together.
pub fn mahalanobis<S: Source + ?Sized>(answers: &S) -> Option<Vec<f64>> {
    mahalanobis_with(answers, &pairwise(answers))
}

/// Mahalanobis D² with moments already computed. Centred answers with 0 for a missing one
/// make x̃ᵀ S⁻¹ x̃ exactly psych's sum over the answered items, so a block of rows is one
/// matrix product.
pub fn mahalanobis_with<S: Source + ?Sized>(answers: &S, moments: &Pairwise) -> Option<Vec<f64>> {
    if moments.covariance.iter().any(|v| v.is_nan()) {
        return None;
    }
    // R's solve(): an inverse of any non-singular matrix; pairwise covariances need not be
    // positive definite.
    let inverse = moments.covariance.clone().try_inverse()?;
    let mut out = Vec::with_capacity(answers.rows());
    for_each_block(answers, |_, block| {
        let x = centred_block(block, &moments.means);
        let weighted = &x * &inverse;
        let mut answered = vec![false; block.nrows()];
        for column in block.column_iter() {
            for (seen, value) in answered.iter_mut().zip(column.iter()) {
                *seen |= !value.is_nan();
            }
        }
        for (i, answered) in answered.into_iter().enumerate() {
            out.push(if answered {
                x.row(i).dot(&weighted.row(i))
            } else {
                f64::NAN
            });
        }
    });
    Some(out)
}

/// careless::evenodd: per respondent, the mean of the even-numbered and of the odd-numbered
/// items of each scale (`scales` lists each scale's columns in order, items keyed), the
/// correlation of the two across the scales that have both, Spearman–Brown corrected
/// (2r / (1 + r), at least −1) and negated, so that higher is more careless. Also the number
/// of scales that had both halves.
pub fn even_odd<S: Source + ?Sized>(answers: &S, scales: &[Vec<usize>]) -> Vec<(f64, usize)> {
    let mut out = Vec::with_capacity(answers.rows());
    let mut halves: Vec<(f64, f64)> = Vec::with_capacity(scales.len());
    for_each_row(answers, |row| {
        halves.clear();
        for items in scales {
            // Positions 1, 3, 5… are odd, 2, 4, 6… even, as careless numbers them.
            let (mut even, mut odd) = ((0.0, 0usize), (0.0, 0usize));
            for (position, &item) in items.iter().enumerate() {
                let value = row[item];
                if value.is_nan() {
                    continue;
                }
                let half = if (position + 1) % 2 == 0 {
                    &mut even
                } else {
                    &mut odd
                };
                half.0 += value;
                half.1 += 1;
            }
            let mean = |(sum, count): (f64, usize)| {
                if count == 0 {
                    f64::NAN
                } else {
                    sum / count as f64
                }
            };
            halves.push((mean(even), mean(odd)));
        }
        let both = halves
            .iter()
            .filter(|(e, o)| !e.is_nan() && !o.is_nan())
            .count();
        let r = pairwise_correlation(halves.iter().map(|h| h.0), halves.iter().map(|h| h.1));
        // r = −1 gives −∞, floored at −1 as careless does; NaN stays NaN.
        let corrected = if r.is_nan() {
            f64::NAN
        } else {
            (2.0 * r / (1.0 + r)).max(-1.0)
        };
        // 0 − r as careless writes it, so that a correlation of 0 is 0, not −0.
        out.push((0.0 - corrected, both));
    });
    out
}

/// careless's psychometric synonyms (or, with `antonyms`, antonyms): the pairs of items whose
/// correlation over the respondents who answered both exceeds `critical` (or lies below
/// −`critical`), in careless's order (by the second item, then the first).
pub fn synonym_pairs<S: Source + ?Sized>(
    answers: &S,
    critical: f64,
    antonyms: bool,
) -> Vec<(usize, usize)> {
    synonym_pairs_with(&pairwise(answers).correlation, critical, antonyms)
}

/// The synonym (or antonym) pairs of a correlation matrix already computed.
pub fn synonym_pairs_with(
    correlation: &DMatrix<f64>,
    critical: f64,
    antonyms: bool,
) -> Vec<(usize, usize)> {
    let p = correlation.ncols();
    let critical = critical.abs();
    let mut pairs = Vec::new();
    for b in 0..p {
        for a in b + 1..p {
            let r = correlation[(a, b)];
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
pub fn synonyms<S: Source + ?Sized>(answers: &S, pairs: &[(usize, usize)]) -> Vec<(f64, usize)> {
    let mut out = Vec::with_capacity(answers.rows());
    for_each_row(answers, |row| {
        let answered = pairs
            .iter()
            .filter(|(a, b)| !row[*a].is_nan() && !row[*b].is_nan())
            .count();
        if answered <= 2 {
            out.push((f64::NAN, answered));
            return;
        }
        let r = pairwise_correlation(
            pairs.iter().map(|(a, _)| row[*a]),
            pairs.iter().map(|(_, b)| row[*b]),
        );
        out.push((r, answered));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::{pairwise, pairwise_correlation};
    use nalgebra::DMatrix;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// R's pairwise covariance of two columns, the slow way: over the rows where both are
    /// answered, with that pair's own means.
    fn naive_covariance(x: &[f64], y: &[f64]) -> f64 {
        let pairs: Vec<(f64, f64)> = x
            .iter()
            .zip(y)
            .filter(|(a, b)| !a.is_nan() && !b.is_nan())
            .map(|(a, b)| (*a, *b))
            .collect();
        let n = pairs.len() as f64;
        let (mx, my) = (
            pairs.iter().map(|p| p.0).sum::<f64>() / n,
            pairs.iter().map(|p| p.1).sum::<f64>() / n,
        );
        pairs.iter().map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (n - 1.0)
    }

    /// The moments from blocks with few missing answers (the sparse complement) and with many
    /// (the products) are both R's pairwise moments, across block edges.
    #[test]
    fn pairwise_moments_match_the_pair_by_pair_definition_at_any_share_missing() {
        for (share, seed) in [(0.0, 1), (0.01, 2), (0.05, 3), (0.3, 4)] {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let (n, p) = (9000, 7);
            let answers = DMatrix::from_fn(n, p, |i, j| {
                if rng.random::<f64>() < share {
                    f64::NAN
                } else {
                    ((i * (j + 3)) % 5) as f64 + rng.random_range(0..3) as f64
                }
            });
            let moments = pairwise(&answers);
            for a in 0..p {
                for b in 0..p {
                    let (x, y) = (answers.column(a), answers.column(b));
                    let (x, y) = (x.as_slice(), y.as_slice());
                    let expected = naive_covariance(x, y);
                    let found = moments.covariance[(a, b)];
                    assert!(
                        (found - expected).abs() < 1e-10 * expected.abs().max(1.0),
                        "share {share}, cov({a}, {b}): {found} against {expected}"
                    );
                    let r = pairwise_correlation(x.iter().copied(), y.iter().copied());
                    assert!(
                        (moments.correlation[(a, b)] - r).abs() < 1e-10,
                        "share {share}, r({a}, {b})"
                    );
                }
            }
        }
    }
}

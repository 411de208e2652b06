//! Reliability statistics defined as R's psych (2.2.9) defines them: alpha and its companions
//! from pairwise-complete covariances, smc, omega total from a one-factor minres solution, and
//! Guttman's lambda 2. Every function takes numbers and returns numbers.
//!
//! Matrices are row-major `k × k` vectors. Columns of answers are `ItemValues`; plain
//! vectors of numbers use NaN for missing.

use crate::distributions::f_quantile;
use crate::values::{ItemValues, MISSING_CODE};
use nalgebra::{DMatrix, SymmetricEigen};
use rayon::prelude::*;

/// Pairwise-complete second moments of `k` columns, as R's `cov(x, use = "pairwise")` and
/// `cor(x, use = "pairwise")` compute them: each pair uses the rows where both are present,
/// with that pair's own means.
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseMoments {
    pub k: usize,
    /// Complete pairs per cell (the diagonal: answers per column).
    pub n: Vec<usize>,
    /// Pairwise covariances (divisor n − 1).
    pub cov: Vec<f64>,
    /// Pairwise correlations, each from its own complete pairs.
    pub cor: Vec<f64>,
}

/// Exact sums over the rows where both of two code columns are present.
#[derive(Debug, Clone, Copy, Default)]
struct IntegerSums {
    n: i64,
    x: i64,
    y: i64,
    xx: i64,
    yy: i64,
    xy: i64,
}

/// Rows per chunk of the code path: a chunk of 60 columns of 16-bit codes stays in cache
/// while every pair is summed over it.
const CHUNK_ROWS: usize = 8192;

/// The largest code magnitude for which a chunk's sums of products fit 32-bit lanes:
/// CHUNK_ROWS/16 · 181² < 2³¹ per lane.
const SMALL_CODE: i16 = 181;

/// The dot product of two code vectors in which missing answers are 0. Sixteen 32-bit lanes
/// let the compiler vectorize it; only for codes of magnitude at most `SMALL_CODE`.
fn small_dot(a: &[i16], b: &[i16]) -> i64 {
    let mut lanes = [0i32; 16];
    let (chunks_a, chunks_b) = (a.chunks_exact(16), b.chunks_exact(16));
    let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (xs, ys) in chunks_a.zip(chunks_b) {
        for lane in 0..16 {
            lanes[lane] += i32::from(xs[lane]) * i32::from(ys[lane]);
        }
    }
    let mut total: i64 = lanes.iter().map(|&v| i64::from(v)).sum();
    for (x, y) in rest_a.iter().zip(rest_b) {
        total += i64::from(*x) * i64::from(*y);
    }
    total
}

/// The dot product in 64-bit arithmetic, for codes of any size.
fn wide_dot(a: &[i16], b: &[i16]) -> i64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| i64::from(*x) * i64::from(*y))
        .sum()
}

/// A code column's sums over its answers, and where its answers are missing.
struct ColumnSums {
    n: i64,
    sum: i64,
    squares: i64,
    missing: Vec<u32>,
}

fn column_sums(column: &[i16]) -> ColumnSums {
    let mut sums = ColumnSums {
        n: 0,
        sum: 0,
        squares: 0,
        missing: Vec::new(),
    };
    for (row, &value) in column.iter().enumerate() {
        if value == MISSING_CODE {
            sums.missing.push(row as u32);
        } else {
            let value = i64::from(value);
            sums.n += 1;
            sums.sum += value;
            sums.squares += value * value;
        }
    }
    sums
}

/// Pairwise moments of whole-number codes from exact integer sums.
///
/// Only the cross products need a pass over every row of every pair: with missing answers
/// set to 0, Σxy over the complete pairs is a plain dot product. The other sums over the
/// complete pairs are each column's own sums less the rows where the other column is missing,
/// which are few. Dot products run over row chunks in parallel; integer sums make the result
/// independent of the number of threads and at least as accurate as R's two-pass computation.
fn code_pair_sums(columns: &[&[i16]], pairs: &[(usize, usize)]) -> Vec<IntegerSums> {
    let rows = columns.first().map_or(0, |c| c.len());
    let small = columns.iter().all(|column| {
        column
            .iter()
            .all(|&v| v == MISSING_CODE || (-SMALL_CODE..=SMALL_CODE).contains(&v))
    });
    let dot = if small { small_dot } else { wide_dot };
    let sums: Vec<ColumnSums> = columns
        .par_iter()
        .map(|column| column_sums(column))
        .collect();
    let chunks: Vec<usize> = (0..rows).step_by(CHUNK_ROWS).collect();
    let cross: Vec<i64> = chunks
        .par_iter()
        .map(|&start| {
            let end = (start + CHUNK_ROWS).min(rows);
            let zeroed: Vec<Vec<i16>> = columns
                .iter()
                .map(|column| {
                    column[start..end]
                        .iter()
                        .map(|&v| if v == MISSING_CODE { 0 } else { v })
                        .collect()
                })
                .collect();
            pairs
                .iter()
                .map(|&(i, j)| dot(&zeroed[i], &zeroed[j]))
                .collect::<Vec<i64>>()
        })
        .reduce(
            || vec![0i64; pairs.len()],
            |mut total, part| {
                for (sum, more) in total.iter_mut().zip(&part) {
                    *sum += more;
                }
                total
            },
        );
    pairs
        .par_iter()
        .zip(cross)
        .map(|(&(i, j), xy)| {
            let (x, y) = (columns[i], columns[j]);
            let (mut n, mut sum_x, mut squares_x) = (sums[i].n, sums[i].sum, sums[i].squares);
            for &row in &sums[j].missing {
                let value = x[row as usize];
                if value != MISSING_CODE {
                    let value = i64::from(value);
                    n -= 1;
                    sum_x -= value;
                    squares_x -= value * value;
                }
            }
            let (mut sum_y, mut squares_y) = (sums[j].sum, sums[j].squares);
            for &row in &sums[i].missing {
                let value = y[row as usize];
                if value != MISSING_CODE {
                    let value = i64::from(value);
                    sum_y -= value;
                    squares_y -= value * value;
                }
            }
            IntegerSums {
                n,
                x: sum_x,
                y: sum_y,
                xx: squares_x,
                yy: squares_y,
                xy,
            }
        })
        .collect()
}

/// Covariance and correlation from exact integer sums.
fn moments_from_sums(sums: &IntegerSums) -> (f64, f64) {
    let n = i128::from(sums.n);
    if n < 2 {
        return (f64::NAN, f64::NAN);
    }
    let cross = n * i128::from(sums.xy) - i128::from(sums.x) * i128::from(sums.y);
    let var_x = n * i128::from(sums.xx) - i128::from(sums.x) * i128::from(sums.x);
    let var_y = n * i128::from(sums.yy) - i128::from(sums.y) * i128::from(sums.y);
    let covariance = cross as f64 / (n * (n - 1)) as f64;
    let correlation = cross as f64 / ((var_x as f64) * (var_y as f64)).sqrt();
    (covariance, correlation)
}

/// Two-pass pairwise moments of any numbers, as R computes them.
fn real_pair_moments(x: &[f64], y: &[f64]) -> (usize, f64, f64) {
    let (mut count, mut sum_x, mut sum_y) = (0usize, 0.0f64, 0.0f64);
    for (a, b) in x.iter().zip(y) {
        if !a.is_nan() && !b.is_nan() {
            count += 1;
            sum_x += a;
            sum_y += b;
        }
    }
    if count < 2 {
        return (count, f64::NAN, f64::NAN);
    }
    let (mean_x, mean_y) = (sum_x / count as f64, sum_y / count as f64);
    let (mut sxx, mut syy, mut sxy) = (0.0f64, 0.0f64, 0.0f64);
    for (a, b) in x.iter().zip(y) {
        if !a.is_nan() && !b.is_nan() {
            let (dx, dy) = (a - mean_x, b - mean_y);
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
    }
    (count, sxy / (count - 1) as f64, sxy / (sxx * syy).sqrt())
}

/// Computes pairwise-complete covariances and correlations of the columns.
pub fn pairwise_moments(columns: &[&ItemValues]) -> PairwiseMoments {
    let k = columns.len();
    let mut n = vec![0usize; k * k];
    let mut cov = vec![f64::NAN; k * k];
    let mut cor = vec![f64::NAN; k * k];
    let mut store = |i: usize, j: usize, count: usize, covariance: f64, correlation: f64| {
        let correlation = if i == j { 1.0 } else { correlation };
        for (a, b) in [(i, j), (j, i)] {
            n[a * k + b] = count;
            cov[a * k + b] = covariance;
            cor[a * k + b] = correlation;
        }
    };
    let pairs: Vec<(usize, usize)> = (0..k).flat_map(|i| (i..k).map(move |j| (i, j))).collect();
    let all_codes: Option<Vec<&[i16]>> = columns
        .iter()
        .map(|column| match column {
            ItemValues::Codes(values) => Some(values.as_slice()),
            ItemValues::Reals(_) => None,
        })
        .collect();
    match all_codes {
        Some(codes) => {
            for (&(i, j), sums) in pairs.iter().zip(code_pair_sums(&codes, &pairs)) {
                let (covariance, correlation) = moments_from_sums(&sums);
                store(i, j, sums.n as usize, covariance, correlation);
            }
        }
        None => {
            let reals: Vec<Vec<f64>> = columns.iter().map(|c| c.to_f64()).collect();
            let results: Vec<(usize, f64, f64)> = pairs
                .par_iter()
                .map(|&(i, j)| real_pair_moments(&reals[i], &reals[j]))
                .collect();
            for (&(i, j), (count, covariance, correlation)) in pairs.iter().zip(results) {
                store(i, j, count, covariance, correlation);
            }
        }
    }
    PairwiseMoments { k, n, cov, cor }
}

/// The rows and columns `keep` of a `k × k` matrix.
pub fn select<T: Copy>(matrix: &[T], k: usize, keep: &[usize]) -> Vec<T> {
    let mut out = Vec::with_capacity(keep.len() * keep.len());
    for &i in keep {
        for &j in keep {
            out.push(matrix[i * k + j]);
        }
    }
    out
}

/// R's `cov2cor`: a covariance matrix scaled to unit diagonal.
pub fn cov2cor(cov: &[f64], k: usize) -> Vec<f64> {
    let sd: Vec<f64> = (0..k).map(|i| cov[i * k + i].sqrt()).collect();
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            out[i * k + j] = if i == j {
                1.0
            } else {
                cov[i * k + j] / (sd[i] * sd[j])
            };
        }
    }
    out
}

/// A `k × k` matrix without row and column `drop`.
fn submatrix(matrix: &[f64], k: usize, drop: usize) -> Vec<f64> {
    let keep: Vec<usize> = (0..k).filter(|&i| i != drop).collect();
    select(matrix, k, &keep)
}

/// The median of some numbers, as R's `median` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// Squared multiple correlations, as psych's `smc`: 1 − 1/diag(R⁺) with the Moore–Penrose
/// inverse (tolerance √ε relative to the largest singular value), clamped to [0, 1].
pub fn smc(r: &[f64], k: usize) -> Vec<f64> {
    // An SVD of a matrix with NaN does not converge; there is nothing to compute.
    if r.iter().any(|v| !v.is_finite()) {
        return vec![f64::NAN; k];
    }
    let matrix = DMatrix::from_row_slice(k, k, r);
    let svd = matrix.svd(true, true);
    let largest = svd.singular_values.iter().cloned().fold(0.0f64, f64::max);
    let tolerance = f64::EPSILON.sqrt() * largest;
    let inverse = match svd.pseudo_inverse(tolerance) {
        Ok(inverse) => inverse,
        Err(_) => return vec![f64::NAN; k],
    };
    (0..k)
        .map(|i| (1.0 - 1.0 / inverse[(i, i)]).clamp(0.0, 1.0))
        .collect()
}

/// psych's `alpha.1`: the scale-level statistics of a covariance and a correlation matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlphaCore {
    pub raw: f64,
    pub std: f64,
    pub g6: f64,
    pub average_r: f64,
    pub signal_noise: f64,
    /// The numerator of the asymptotic variance of alpha (Duhachek & Iacobucci); ase = √(Q/N).
    pub q: f64,
    pub median_r: f64,
}

/// Computes psych's `alpha.1(C, R)`.
pub fn alpha_core(c: &[f64], r: &[f64], k: usize) -> AlphaCore {
    let n = k as f64;
    let trace_c: f64 = (0..k).map(|i| c[i * k + i]).sum();
    let sum_c: f64 = c.iter().sum();
    let sum_r: f64 = r.iter().sum();
    let raw = (1.0 - trace_c / sum_c) * (n / (n - 1.0));
    let std = (1.0 - n / sum_r) * (n / (n - 1.0));
    let smc_sum: f64 = smc(r, k).iter().sum();
    let g6 = 1.0 - (n - smc_sum) / sum_r;
    let average_r = (sum_r - n) / (n * (n - 1.0));
    let signal_noise = n * average_r / (1.0 - average_r);
    // tr(CC), and 1'CC1 = Σ_j (Σ_i C_ij)².
    let mut trace_cc = 0.0;
    for i in 0..k {
        for j in 0..k {
            trace_cc += c[i * k + j] * c[j * k + i];
        }
    }
    let sum_cc: f64 = (0..k)
        .map(|j| {
            let column: f64 = (0..k).map(|i| c[i * k + j]).sum();
            column * column
        })
        .sum();
    let q = (2.0 * n * n / ((n - 1.0) * (n - 1.0) * sum_c.powi(3)))
        * (sum_c * (trace_cc + trace_c * trace_c) - 2.0 * (trace_c * sum_cc));
    let mut lower: Vec<f64> = (0..k)
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .map(|(i, j)| r[i * k + j])
        .filter(|v| !v.is_nan())
        .collect();
    AlphaCore {
        raw,
        std,
        g6,
        average_r,
        signal_noise,
        q,
        median_r: median(&mut lower),
    }
}

/// Feldt's 95% (or `1 − p`) confidence interval of alpha, as psych's `alpha.ci`.
pub fn feldt_interval(alpha: f64, n_obs: usize, k: usize, p: f64) -> [f64; 2] {
    let df1 = n_obs as f64 - 1.0;
    let df2 = df1 * (k as f64 - 1.0);
    [
        1.0 - (1.0 - alpha) * f_quantile(1.0 - p / 2.0, df1, df2),
        1.0 - (1.0 - alpha) * f_quantile(p / 2.0, df1, df2),
    ]
}

/// A one-factor minres solution: loadings and uniquenesses.
#[derive(Debug, Clone, PartialEq)]
pub struct OneFactor {
    pub loadings: Vec<f64>,
    pub uniquenesses: Vec<f64>,
    pub iterations: usize,
}

/// The one-factor minres (unweighted least squares) solution of a correlation matrix, found by
/// iterated principal axes from smc communalities. The fixed point of the iteration is the
/// minimum of the off-diagonal residual sum of squares that psych's `fa(fm = "minres")` reaches
/// with `optim`; communalities are kept at or below 0.995, as psych's bound on uniquenesses
/// (≥ 0.005) keeps them.
pub fn one_factor_minres(r: &[f64], k: usize) -> OneFactor {
    if r.iter().any(|v| !v.is_finite()) {
        return OneFactor {
            loadings: vec![f64::NAN; k],
            uniquenesses: vec![f64::NAN; k],
            iterations: 0,
        };
    }
    let mut communalities = smc(r, k);
    let mut loadings = vec![0.0; k];
    let mut iterations = 0;
    for iteration in 0..20_000 {
        iterations = iteration + 1;
        let mut reduced = DMatrix::from_row_slice(k, k, r);
        for i in 0..k {
            reduced[(i, i)] = communalities[i];
        }
        let eigen = SymmetricEigen::new(reduced);
        let (largest, _) = eigen.eigenvalues.iter().enumerate().fold(
            (0usize, f64::NEG_INFINITY),
            |best, (index, &value)| {
                if value > best.1 { (index, value) } else { best }
            },
        );
        let value = eigen.eigenvalues[largest].max(0.0);
        let vector = eigen.eigenvectors.column(largest);
        let sign = if vector.iter().sum::<f64>() < 0.0 {
            -1.0
        } else {
            1.0
        };
        for i in 0..k {
            loadings[i] = sign * vector[i] * value.sqrt();
        }
        let next: Vec<f64> = loadings.iter().map(|l| (l * l).min(0.995)).collect();
        let change = next
            .iter()
            .zip(&communalities)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max);
        communalities = next;
        if change < 1e-13 {
            break;
        }
    }
    OneFactor {
        uniquenesses: communalities.iter().map(|h| 1.0 - h).collect(),
        loadings,
        iterations,
    }
}

/// McDonald's omega total from a one-factor minres solution of `r`, as psych's
/// `omega(x, nfactors = 1)`: items loading negatively are flipped first, then
/// ω_t = (1'R1 − Σu²)/1'R1.
pub fn omega_total(r: &[f64], k: usize) -> f64 {
    let solution = one_factor_minres(r, k);
    let signs: Vec<f64> = solution
        .loadings
        .iter()
        .map(|l| if *l < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let mut total = 0.0;
    for i in 0..k {
        for j in 0..k {
            total += signs[i] * signs[j] * r[i * k + j];
        }
    }
    let unique: f64 = solution.uniquenesses.iter().sum();
    (total - unique) / total
}

/// Guttman's lambda 2 of a correlation matrix, as psych's `splitHalf`.
pub fn lambda2(r: &[f64], k: usize) -> f64 {
    let n = k as f64;
    let total: f64 = r.iter().sum();
    let trace: f64 = (0..k).map(|i| r[i * k + i]).sum();
    let off = total - trace;
    let off_squares: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .filter(|(i, j)| i != j)
        .map(|(i, j)| r[i * k + j] * r[i * k + j])
        .sum();
    (off + (off_squares * n / (n - 1.0)).sqrt()) / total
}

/// Pearson's correlation of two columns over the rows where both are present.
pub fn pairwise_correlation(x: &[f64], y: &[f64]) -> (f64, usize) {
    let (count, _, correlation) = real_pair_moments(x, y);
    (correlation, count)
}

/// Mean and SD (divisor n − 1) of the present values, and their count.
pub fn mean_sd(values: &[f64]) -> (f64, f64, usize) {
    let (mut n, mut sum) = (0usize, 0.0f64);
    for value in values.iter().filter(|v| !v.is_nan()) {
        n += 1;
        sum += value;
    }
    if n == 0 {
        return (f64::NAN, f64::NAN, 0);
    }
    let mean = sum / n as f64;
    let variance = if n > 1 {
        values
            .iter()
            .filter(|v| !v.is_nan())
            .map(|v| (v - mean) * (v - mean))
            .sum::<f64>()
            / (n - 1) as f64
    } else {
        f64::NAN
    };
    (mean, variance.sqrt(), n)
}

/// The alpha statistics of one scale with each item left out, as psych's `alpha` reports them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DroppedAlpha {
    pub raw: f64,
    pub std: f64,
}

/// Alpha of the scale without each item in turn, from the full matrices (psych does not
/// recompute from the data). Two-item scales follow psych's special case.
pub fn alpha_if_dropped(c: &[f64], r: &[f64], k: usize) -> Vec<DroppedAlpha> {
    if k == 2 {
        return vec![
            DroppedAlpha {
                raw: c[1] / c[3],
                std: r[1],
            },
            DroppedAlpha {
                raw: c[1] / c[0],
                std: r[1],
            },
        ];
    }
    (0..k)
        .map(|drop| {
            let core = alpha_core(&submatrix(c, k, drop), &submatrix(r, k, drop), k - 1);
            DroppedAlpha {
                raw: core.raw,
                std: core.std,
            }
        })
        .collect()
}

/// Item–total statistics as psych's `alpha`: r with the standardized total (`std.r`), r
/// corrected for overlap with smc on the diagonal (`r.cor`), and r with the total of the other
/// items (`r.drop`).
pub fn item_total(c: &[f64], r: &[f64], k: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let total_r: f64 = r.iter().sum();
    let std_r: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|i| r[i * k + j]).sum::<f64>() / total_r.sqrt())
        .collect();
    let smc_values = smc(r, k);
    let mut corrected = r.to_vec();
    for i in 0..k {
        corrected[i * k + i] = smc_values[i];
    }
    let total_corrected: f64 = corrected.iter().sum();
    let r_cor: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|i| corrected[i * k + j]).sum::<f64>() / total_corrected.sqrt())
        .collect();
    let r_drop: Vec<f64> = (0..k)
        .map(|i| {
            let without: f64 = submatrix(c, k, i).iter().sum();
            let with_others: f64 = (0..k).map(|j| c[j * k + i]).sum::<f64>() - c[i * k + i];
            with_others / (c[i * k + i] * without).sqrt()
        })
        .collect();
    (std_r, r_cor, r_drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_matches_r_for_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn smc_of_two_items_is_their_squared_correlation() {
        assert_eq!(smc(&[1.0, 0.0, 0.0, 1.0], 2), vec![0.0, 0.0]);
        let smc_values = smc(&[1.0, 0.5, 0.5, 1.0], 2);
        assert!(smc_values.iter().all(|v| (*v - 0.25).abs() < 1e-12));
    }

    #[test]
    fn alpha_of_parallel_items_follows_spearman_brown() {
        // k items with common correlation ρ: α = kρ / (1 + (k − 1)ρ).
        let (k, rho) = (5usize, 0.3);
        let r: Vec<f64> = (0..k * k)
            .map(|i| if i / k == i % k { 1.0 } else { rho })
            .collect();
        let core = alpha_core(&r, &r, k);
        let expected = k as f64 * rho / (1.0 + (k as f64 - 1.0) * rho);
        assert!((core.raw - expected).abs() < 1e-12);
        assert!((core.std - expected).abs() < 1e-12);
        assert!(core.raw <= 1.0);
        assert!((core.average_r - rho).abs() < 1e-12);
        assert!((core.median_r - rho).abs() < 1e-12);
    }

    #[test]
    fn one_factor_recovers_known_loadings() {
        let loadings = [0.8, 0.7, 0.6, 0.5];
        let k = loadings.len();
        let r: Vec<f64> = (0..k * k)
            .map(|i| {
                let (a, b) = (i / k, i % k);
                if a == b {
                    1.0
                } else {
                    loadings[a] * loadings[b]
                }
            })
            .collect();
        let solution = one_factor_minres(&r, k);
        for (found, expected) in solution.loadings.iter().zip(loadings) {
            assert!((found - expected).abs() < 1e-6, "{found} vs {expected}");
        }
        let omega = omega_total(&r, k);
        let sum: f64 = loadings.iter().sum();
        let unique: f64 = loadings.iter().map(|l| 1.0 - l * l).sum();
        assert!((omega - (sum * sum) / (sum * sum + unique)).abs() < 1e-6);
    }
}

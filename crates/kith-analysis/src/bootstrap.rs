//! Nonparametric bootstrap: reproducible resamples that do not depend on the thread count,
//! weighted cross-product matrices from which every linear model of a resample is solved, and
//! percentile (PROCESS's rule) and BCa intervals.
//!
//! Resample `r` draws its rows from ChaCha8 seeded with the plan's seed on stream `r`, so the
//! draws of one resample never depend on which thread runs it or on what ran before it.

use crate::distributions::{normal_cdf, normal_quantile};
use nalgebra::DMatrix;
use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The random source of resample `index` under `seed`.
pub fn resample_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// Rows of complete cases, each with a leading 1 (the intercept), centered at the full
/// sample's means so that cross-products keep their precision.
#[derive(Debug, Clone)]
pub struct CrossProducts {
    /// Row-major n × d, column 0 all ones.
    rows: Vec<f64>,
    /// Row-major n × d(d+1)/2: each row's products z_a·z_c for c ≤ a, so that a resample only
    /// adds precomputed numbers (the bootstrap's inner loop).
    products: Vec<f64>,
    n: usize,
    d: usize,
}

impl CrossProducts {
    /// Builds the rows from complete columns of equal length.
    pub fn new(columns: &[&[f64]]) -> Self {
        let n = columns.first().map_or(0, |c| c.len());
        let d = columns.len() + 1;
        let means: Vec<f64> = columns
            .iter()
            .map(|c| c.iter().sum::<f64>() / n as f64)
            .collect();
        let mut rows = Vec::with_capacity(n * d);
        for i in 0..n {
            rows.push(1.0);
            for (column, mean) in columns.iter().zip(&means) {
                rows.push(column[i] - mean);
            }
        }
        let k = d * (d + 1) / 2;
        let mut products = Vec::with_capacity(n * k);
        for row in rows.chunks_exact(d) {
            for a in 0..d {
                for c in 0..=a {
                    products.push(row[a] * row[c]);
                }
            }
        }
        CrossProducts {
            rows,
            products,
            n,
            d,
        }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// The matrix index of data column `j` (column 0 is the intercept).
    pub fn column(j: usize) -> usize {
        j + 1
    }

    fn add_row(&self, sums: &mut [f64], i: usize) {
        let k = sums.len();
        for (sum, product) in sums.iter_mut().zip(&self.products[i * k..(i + 1) * k]) {
            *sum += product;
        }
    }

    /// The symmetric matrix from the packed lower triangle.
    fn symmetric(&self, sums: Vec<f64>) -> DMatrix<f64> {
        let packed = |a: usize, c: usize| a * (a + 1) / 2 + c;
        DMatrix::from_fn(self.d, self.d, |a, c| {
            if c <= a {
                sums[packed(a, c)]
            } else {
                sums[packed(c, a)]
            }
        })
    }

    /// Z'Z over all rows.
    pub fn full(&self) -> DMatrix<f64> {
        let mut sums = vec![0.0; self.d * (self.d + 1) / 2];
        for i in 0..self.n {
            self.add_row(&mut sums, i);
        }
        self.symmetric(sums)
    }

    /// Z'Z over n rows drawn with replacement.
    pub fn resample(&self, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
        let mut sums = vec![0.0; self.d * (self.d + 1) / 2];
        // Rows are drawn as 32-bit indices (data sets have fewer than 2^32 rows): half the
        // random bytes of 64-bit ones.
        let n = u32::try_from(self.n).unwrap_or(u32::MAX);
        for _ in 0..self.n {
            let i = rng.random_range(0..n) as usize;
            self.add_row(&mut sums, i);
        }
        self.symmetric(sums)
    }

    /// Z'Z without row `i` (for the jackknife), from the full matrix.
    pub fn without(&self, full: &DMatrix<f64>, i: usize) -> DMatrix<f64> {
        let d = self.d;
        let row = &self.rows[i * d..(i + 1) * d];
        DMatrix::from_fn(d, d, |a, c| full[(a, c)] - row[a] * row[c])
    }
}

/// The covariance matrix (divisor n − 1) of the data columns from a cross-product matrix whose
/// column 0 is the intercept.
pub fn covariance_from_cross(cross: &DMatrix<f64>) -> DMatrix<f64> {
    let d = cross.nrows() - 1;
    let n = cross[(0, 0)];
    DMatrix::from_fn(d, d, |a, c| {
        (cross[(a + 1, c + 1)] - cross[(0, a + 1)] * cross[(0, c + 1)] / n) / (n - 1.0)
    })
}

/// Runs `statistic` on `resamples` resamples in parallel; the result is in resample order and
/// the same for any number of threads. A resample whose statistic cannot be computed (a
/// singular matrix) yields None. `progress` is called with the number done so far.
pub fn run<F>(
    data: &CrossProducts,
    resamples: usize,
    seed: u64,
    statistic: F,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Option<Vec<f64>>>
where
    F: Fn(&DMatrix<f64>) -> Option<Vec<f64>> + Sync,
{
    let done = std::sync::atomic::AtomicUsize::new(0);
    (0..resamples)
        .into_par_iter()
        .map(|index| {
            let mut rng = resample_rng(seed, index as u64);
            let cross = data.resample(&mut rng);
            let value = statistic(&cross);
            let count = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if count % 256 == 0 || count == resamples {
                progress(count);
            }
            value
        })
        .collect()
}

/// The settings of a bootstrap of effects.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub resamples: usize,
    pub seed: u64,
    pub level: f64,
    pub method: IntervalMethod,
}

/// Bootstraps the statistics that `statistic` computes from a cross-product matrix, whose
/// values on the full sample are `point`: each statistic's estimate, bootstrap SE and
/// percentile or BCa interval (the acceleration from the leave-one-out values), and the count
/// of resamples that could not be computed. More than `MAX_FAILED_SHARE` of them failing is
/// refused as unstable.
pub fn effects<F>(
    data: &CrossProducts,
    statistic: F,
    point: &[f64],
    settings: Settings,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(Vec<crate::mediation::BootEffect>, usize), crate::linear::FitProblem>
where
    F: Fn(&DMatrix<f64>) -> Option<Vec<f64>> + Sync,
{
    let draws = run(
        data,
        settings.resamples,
        settings.seed,
        &statistic,
        progress,
    );
    let failed = draws.iter().filter(|d| d.is_none()).count();
    if too_many_failed(failed, settings.resamples) {
        return Err(crate::linear::FitProblem::UnstableBootstrap {
            failed,
            resamples: settings.resamples,
        });
    }
    let draws: Vec<Vec<f64>> = draws.into_iter().flatten().collect();
    let jackknife: Vec<Vec<f64>> = if settings.method == IntervalMethod::Bca {
        let full = data.full();
        (0..data.n())
            .into_par_iter()
            .map(|i| {
                statistic(&data.without(&full, i)).unwrap_or_else(|| vec![f64::NAN; point.len()])
            })
            .collect()
    } else {
        Vec::new()
    };
    let effect = |index: usize| {
        let estimates: Vec<f64> = draws.iter().map(|d| d[index]).collect();
        let ci = match settings.method {
            IntervalMethod::Percentile => percentile_interval(&estimates, settings.level),
            IntervalMethod::Bca => {
                let leave_one_out: Vec<f64> = jackknife
                    .iter()
                    .map(|d| d[index])
                    .filter(|v| v.is_finite())
                    .collect();
                bca_interval(&estimates, point[index], &leave_one_out, settings.level)
            }
        };
        crate::mediation::BootEffect {
            estimate: point[index],
            boot_se: standard_error(&estimates),
            ci,
        }
    };
    Ok(((0..point.len()).map(effect).collect(), failed))
}

/// The kind of bootstrap interval.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Percentiles of the resampled estimates (PROCESS's default).
    #[default]
    Percentile,
    /// Bias-corrected and accelerated (Efron 1987), acceleration from the jackknife.
    Bca,
}

/// At most this share of resamples may fail (a singular resample, e.g. one that drew no case of
/// a rare category) before a bootstrap is refused as unstable.
pub const MAX_FAILED_SHARE: f64 = 0.1;

/// Whether so many resamples failed that the remaining ones would give a biased interval.
pub fn too_many_failed(failed: usize, resamples: usize) -> bool {
    failed as f64 > MAX_FAILED_SHARE * resamples as f64
}

/// The standard deviation (divisor n − 1) of the estimates: the bootstrap SE.
pub fn standard_error(estimates: &[f64]) -> f64 {
    let n = estimates.len() as f64;
    let mean = estimates.iter().sum::<f64>() / n;
    (estimates.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The order statistics PROCESS reports for an interval with tail shares `lower` and
/// `upper`: the ⌊B·lower⌋-th and (⌊B·upper⌋ + 1)-th smallest (1-based), clamped to the range.
fn order_statistics(sorted: &[f64], lower: f64, upper: f64) -> [f64; 2] {
    let b = sorted.len();
    if b == 0 {
        return [f64::NAN; 2];
    }
    // A share computed through Φ(Φ⁻¹(α)) can land a hair below B·α; the tolerance keeps such
    // round-off from moving the limit by one order statistic.
    let position = |share: f64| (b as f64 * share + 1e-6).floor() as usize;
    let low = position(lower).clamp(1, b);
    let high = (position(upper) + 1).clamp(1, b);
    [sorted[low - 1], sorted[high - 1]]
}

/// The percentile interval at `level`.
pub fn percentile_interval(estimates: &[f64], level: f64) -> [f64; 2] {
    let mut sorted = estimates.to_vec();
    sorted.sort_by(f64::total_cmp);
    order_statistics(&sorted, (1.0 - level) / 2.0, (1.0 + level) / 2.0)
}

/// The BCa interval at `level` from the estimates, the full-sample estimate and the
/// leave-one-out (jackknife) estimates.
pub fn bca_interval(estimates: &[f64], point: f64, jackknife: &[f64], level: f64) -> [f64; 2] {
    if estimates.is_empty() {
        return [f64::NAN; 2];
    }
    let mut sorted = estimates.to_vec();
    sorted.sort_by(f64::total_cmp);
    let below = sorted.iter().filter(|&&v| v < point).count() as f64;
    let z0 = normal_quantile(below / sorted.len() as f64);
    let mean = jackknife.iter().sum::<f64>() / jackknife.len() as f64;
    let (mut cubes, mut squares) = (0.0, 0.0);
    for value in jackknife {
        let d = mean - value;
        cubes += d * d * d;
        squares += d * d;
    }
    let acceleration = if squares > 0.0 {
        cubes / (6.0 * squares.powf(1.5))
    } else {
        0.0
    };
    let adjusted = |alpha: f64| {
        let z = normal_quantile(alpha);
        normal_cdf(z0 + (z0 + z) / (1.0 - acceleration * (z0 + z)))
    };
    if !z0.is_finite() {
        // Every estimate lies on one side of the point estimate: no correction is possible.
        return percentile_interval(estimates, level);
    }
    order_statistics(
        &sorted,
        adjusted((1.0 - level) / 2.0),
        adjusted((1.0 + level) / 2.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resamples_are_reproducible_and_distinct() {
        let data = CrossProducts::new(&[&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]);
        let first = data.resample(&mut resample_rng(7, 3));
        let again = data.resample(&mut resample_rng(7, 3));
        let other = data.resample(&mut resample_rng(7, 4));
        assert_eq!(first, again);
        assert_ne!(first, other);
    }

    #[test]
    fn no_estimates_give_no_interval_and_no_panic() {
        assert!(percentile_interval(&[], 0.95).iter().all(|v| v.is_nan()));
        assert!(bca_interval(&[], 0.0, &[], 0.95).iter().all(|v| v.is_nan()));
        assert!(too_many_failed(101, 1000) && !too_many_failed(100, 1000));
    }

    #[test]
    fn process_order_statistics_for_5000_resamples() {
        let estimates: Vec<f64> = (1..=5000).map(f64::from).collect();
        assert_eq!(percentile_interval(&estimates, 0.95), [125.0, 4876.0]);
    }

    #[test]
    fn bca_without_bias_or_skew_is_the_percentile_interval() {
        // Symmetric estimates around the point and a symmetric jackknife: z0 = 0 and a = 0.
        let estimates: Vec<f64> = (0..1000).map(|i| f64::from(i) - 499.5).collect();
        let jackknife = [-1.0, 1.0, -2.0, 2.0];
        assert_eq!(
            bca_interval(&estimates, 0.0, &jackknife, 0.95),
            percentile_interval(&estimates, 0.95)
        );
    }

    #[test]
    fn covariance_from_cross_products_matches_the_direct_formula() {
        let x = [1.0, 2.0, 4.0, 7.0];
        let y = [2.0, 1.0, 5.0, 3.0];
        let cov = covariance_from_cross(&CrossProducts::new(&[&x, &y]).full());
        // var(x) = 7, cov(x, y) = 6.5 / 3 (R: var(c(1,2,4,7)); cov(c(1,2,4,7), c(2,1,5,3)))
        assert!((cov[(0, 0)] - 7.0).abs() < 1e-12);
        assert!((cov[(0, 1)] - 6.5 / 3.0).abs() < 1e-12);
    }
}

//! Relative importance of correlated predictors: dominance analysis' general weights (Azen &
//! Budescu 2003) and Johnson's (2000) relative weights, both from the correlation matrix, with
//! percentile bootstrap intervals. Each set of weights sums to the model's R².

use crate::bootstrap::{self, CrossProducts};
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// The most predictors dominance analysis takes: it fits all 2^p subsets.
pub const MAX_DOMINANCE_PREDICTORS: usize = 15;

/// Which importance measure.
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
pub enum ImportanceMethod {
    #[default]
    Dominance,
    RelativeWeights,
}

/// The weights of the predictors (in order), from a correlation matrix whose last row and
/// column are the outcome's. None when the predictors' correlations are singular.
pub fn weights(correlation: &DMatrix<f64>, method: ImportanceMethod) -> Option<Vec<f64>> {
    match method {
        ImportanceMethod::Dominance => dominance(correlation),
        ImportanceMethod::RelativeWeights => relative_weights(correlation),
    }
}

/// R² of the outcome (last column) on a subset of the predictors.
fn subset_r2(correlation: &DMatrix<f64>, subset: &[usize]) -> Option<f64> {
    if subset.is_empty() {
        return Some(0.0);
    }
    let y = correlation.nrows() - 1;
    let k = subset.len();
    let block = DMatrix::from_fn(k, k, |a, c| correlation[(subset[a], subset[c])]);
    let r = DVector::from_fn(k, |a, _| correlation[(subset[a], y)]);
    let solved = block.cholesky()?.solve(&r);
    Some(r.dot(&solved))
}

fn dominance(correlation: &DMatrix<f64>) -> Option<Vec<f64>> {
    let p = correlation.nrows() - 1;
    let subsets = 1usize << p;
    let mut r2 = vec![0.0; subsets];
    for (mask, slot) in r2.iter_mut().enumerate() {
        let members: Vec<usize> = (0..p).filter(|j| mask & (1 << j) != 0).collect();
        *slot = subset_r2(correlation, &members)?;
    }
    // General dominance: the mean over subset sizes of the mean increment at that size.
    let mut general = vec![0.0; p];
    for (j, weight) in general.iter_mut().enumerate() {
        let mut by_size = vec![(0.0, 0usize); p];
        for mask in 0..subsets {
            if mask & (1 << j) != 0 {
                continue;
            }
            let size = mask.count_ones() as usize;
            let increment = r2[mask | (1 << j)] - r2[mask];
            by_size[size].0 += increment;
            by_size[size].1 += 1;
        }
        *weight = by_size
            .iter()
            .map(|(sum, count)| sum / *count as f64)
            .sum::<f64>()
            / p as f64;
    }
    Some(general)
}

fn relative_weights(correlation: &DMatrix<f64>) -> Option<Vec<f64>> {
    let p = correlation.nrows() - 1;
    let rxx = correlation.view((0, 0), (p, p)).into_owned();
    let rxy = DVector::from_fn(p, |a, _| correlation[(a, p)]);
    let eigen = SymmetricEigen::new(rxx);
    if eigen.eigenvalues.iter().any(|&v| v <= 1e-12) {
        return None;
    }
    let root = &eigen.eigenvectors
        * DMatrix::from_diagonal(&eigen.eigenvalues.map(f64::sqrt))
        * eigen.eigenvectors.transpose();
    let beta = root.clone().cholesky()?.solve(&rxy);
    Some(
        (0..p)
            .map(|j| (0..p).map(|k| root[(j, k)].powi(2) * beta[k].powi(2)).sum())
            .collect(),
    )
}

/// The correlation matrix from a covariance matrix.
pub fn correlation_from_covariance(covariance: &DMatrix<f64>) -> DMatrix<f64> {
    let d = covariance.nrows();
    DMatrix::from_fn(d, d, |a, c| {
        covariance[(a, c)] / (covariance[(a, a)] * covariance[(c, c)]).sqrt()
    })
}

/// Weights with bootstrap intervals.
#[derive(Debug, Clone)]
pub struct ImportanceFit {
    pub n: usize,
    pub r2: f64,
    pub weights: Vec<f64>,
    pub ci: Vec<[f64; 2]>,
    pub boot_se: Vec<f64>,
    pub failed_resamples: usize,
}

/// Weights of complete predictor columns for a complete outcome, with percentile intervals.
pub fn importance(
    predictors: &[&[f64]],
    outcome: &[f64],
    method: ImportanceMethod,
    resamples: usize,
    seed: u64,
    level: f64,
    progress: &(dyn Fn(usize) + Sync),
) -> Option<ImportanceFit> {
    let mut columns: Vec<&[f64]> = predictors.to_vec();
    columns.push(outcome);
    let data = CrossProducts::new(&columns);
    let statistic = |cross: &DMatrix<f64>| {
        let correlation = correlation_from_covariance(&bootstrap::covariance_from_cross(cross));
        weights(&correlation, method)
    };
    let point = statistic(&data.full())?;
    let draws = bootstrap::run(&data, resamples, seed, statistic, progress);
    let failed_resamples = draws.iter().filter(|d| d.is_none()).count();
    let draws: Vec<Vec<f64>> = draws.into_iter().flatten().collect();
    let per_predictor = |j: usize| draws.iter().map(|d| d[j]).collect::<Vec<f64>>();
    Some(ImportanceFit {
        n: outcome.len(),
        r2: point.iter().sum(),
        ci: (0..predictors.len())
            .map(|j| bootstrap::percentile_interval(&per_predictor(j), level))
            .collect(),
        boot_se: (0..predictors.len())
            .map(|j| bootstrap::standard_error(&per_predictor(j)))
            .collect(),
        weights: point,
        failed_resamples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> DMatrix<f64> {
        DMatrix::from_row_slice(
            4,
            4,
            &[
                1.0, 0.5, 0.3, 0.4, //
                0.5, 1.0, 0.2, 0.35, //
                0.3, 0.2, 1.0, 0.25, //
                0.4, 0.35, 0.25, 1.0,
            ],
        )
    }

    #[test]
    fn both_measures_sum_to_r_squared() {
        let correlation = example();
        let full = subset_r2(&correlation, &[0, 1, 2]).expect("positive definite");
        for method in [
            ImportanceMethod::Dominance,
            ImportanceMethod::RelativeWeights,
        ] {
            let sum: f64 = weights(&correlation, method)
                .expect("positive definite")
                .iter()
                .sum();
            assert!((sum - full).abs() < 1e-12, "{method:?}: {sum} vs {full}");
        }
    }

    #[test]
    fn uncorrelated_predictors_get_their_squared_validities() {
        let correlation =
            DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 0.3, 0.0, 1.0, -0.4, 0.3, -0.4, 1.0]);
        for method in [
            ImportanceMethod::Dominance,
            ImportanceMethod::RelativeWeights,
        ] {
            let w = weights(&correlation, method).expect("positive definite");
            assert!((w[0] - 0.09).abs() < 1e-12 && (w[1] - 0.16).abs() < 1e-12);
        }
    }
}

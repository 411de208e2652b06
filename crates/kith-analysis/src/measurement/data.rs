//! The data a measurement model is fitted to, per group: the cases (missing values as NaN)
//! and their missing-data patterns with each pattern's means and covariances (divisor n), the
//! sufficient statistics of the normal likelihood.

use nalgebra::{DMatrix, DVector};
use std::collections::BTreeMap;

/// The cases of one group whose answers share one pattern of missing values.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The observed variables, in order.
    pub observed: Vec<usize>,
    pub n: usize,
    /// Means and covariances (divisor n) of the observed variables over these cases.
    pub mean: DVector<f64>,
    pub covariance: DMatrix<f64>,
    /// The indices (rows of the group) of these cases.
    pub cases: Vec<usize>,
}

/// One group's cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// n × p, NaN for a missing value.
    pub rows: DMatrix<f64>,
    pub patterns: Vec<Pattern>,
}

impl Group {
    /// Groups the rows by their pattern of missing values; a row with nothing observed is
    /// left out, as lavaan leaves it out.
    pub fn new(rows: DMatrix<f64>) -> Group {
        let p = rows.ncols();
        let mut by_pattern: BTreeMap<Vec<usize>, Vec<usize>> = BTreeMap::new();
        for (index, row) in rows.row_iter().enumerate() {
            let observed: Vec<usize> = (0..p).filter(|&j| !row[j].is_nan()).collect();
            if !observed.is_empty() {
                by_pattern.entry(observed).or_default().push(index);
            }
        }
        // The complete pattern first, then by size, for a stable order.
        let mut patterns: Vec<Pattern> = by_pattern
            .into_iter()
            .map(|(observed, cases)| pattern(&rows, observed, cases))
            .collect();
        patterns.sort_by_key(|pattern| std::cmp::Reverse(pattern.observed.len()));
        Group { rows, patterns }
    }

    pub fn n(&self) -> usize {
        self.patterns.iter().map(|pattern| pattern.n).sum()
    }

    pub fn p(&self) -> usize {
        self.rows.ncols()
    }

    pub fn complete(&self) -> bool {
        self.patterns.len() == 1 && self.patterns[0].observed.len() == self.p()
    }

    /// The complete cases only (listwise deletion).
    pub fn listwise(&self) -> Group {
        let keep: Vec<usize> = self
            .patterns
            .iter()
            .filter(|pattern| pattern.observed.len() == self.p())
            .flat_map(|pattern| pattern.cases.iter().copied())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        Group::new(self.rows.select_rows(keep.iter()))
    }

    /// The means and covariances of the complete data (the single complete pattern).
    pub fn moments(&self) -> Option<(&DVector<f64>, &DMatrix<f64>)> {
        self.complete()
            .then(|| (&self.patterns[0].mean, &self.patterns[0].covariance))
    }

    /// Each variable's mean and variance (divisor n) over the cases that answered it, and the
    /// covariances over the cases that answered both: starting values for the saturated model.
    pub fn available_moments(&self) -> (DVector<f64>, DMatrix<f64>) {
        let p = self.p();
        let mut mean = DVector::zeros(p);
        let mut covariance = DMatrix::zeros(p, p);
        for a in 0..p {
            let values: Vec<f64> = self
                .rows
                .column(a)
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            mean[a] = values.iter().sum::<f64>() / values.len().max(1) as f64;
        }
        for a in 0..p {
            for b in 0..=a {
                let (mut sum, mut count) = (0.0, 0usize);
                for row in self.rows.row_iter() {
                    if !row[a].is_nan() && !row[b].is_nan() {
                        sum += (row[a] - mean[a]) * (row[b] - mean[b]);
                        count += 1;
                    }
                }
                covariance[(a, b)] = sum / count.max(1) as f64;
                covariance[(b, a)] = covariance[(a, b)];
            }
        }
        (mean, covariance)
    }
}

fn pattern(rows: &DMatrix<f64>, observed: Vec<usize>, cases: Vec<usize>) -> Pattern {
    let q = observed.len();
    let n = cases.len();
    let mut mean = DVector::zeros(q);
    for &case in &cases {
        for (i, &j) in observed.iter().enumerate() {
            mean[i] += rows[(case, j)];
        }
    }
    mean /= n as f64;
    let mut covariance = DMatrix::zeros(q, q);
    for &case in &cases {
        let centred = DVector::from_iterator(
            q,
            observed
                .iter()
                .enumerate()
                .map(|(i, &j)| rows[(case, j)] - mean[i]),
        );
        covariance.syger(1.0, &centred, &centred, 1.0);
    }
    covariance /= n as f64;
    covariance.fill_upper_triangle_with_lower_triangle();
    Pattern {
        observed,
        n,
        mean,
        covariance,
        cases,
    }
}

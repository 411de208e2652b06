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
        let (n, p) = rows.shape();
        // Each row's pattern as a bit set, built column by column: the matrix is stored by
        // columns, and a bit set is a cheaper key than a list of indices.
        let words = p.div_ceil(64).max(1);
        let mut masks = vec![0u64; n * words];
        for (j, column) in rows.column_iter().enumerate() {
            for (i, value) in column.iter().enumerate() {
                if !value.is_nan() {
                    masks[i * words + j / 64] |= 1 << (j % 64);
                }
            }
        }
        let mut by_pattern: BTreeMap<&[u64], Vec<usize>> = BTreeMap::new();
        for (index, mask) in masks.chunks_exact(words).enumerate() {
            if mask.iter().any(|&word| word != 0) {
                by_pattern.entry(mask).or_default().push(index);
            }
        }
        let mut grouped: Vec<(Vec<usize>, Vec<usize>)> = by_pattern
            .into_iter()
            .map(|(mask, cases)| {
                let observed = (0..p)
                    .filter(|&j| mask[j / 64] & (1 << (j % 64)) != 0)
                    .collect();
                (observed, cases)
            })
            .collect();
        // The complete pattern first, then by size, ties in the order of their variables,
        // for a stable order.
        grouped.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let patterns = grouped
            .into_iter()
            .map(|(observed, cases)| pattern(&rows, observed, cases))
            .collect();
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

    /// The complete cases only (listwise deletion). Their pattern's moments are those of
    /// the complete pattern here, so they are taken over rather than computed again.
    pub fn listwise(&self) -> Group {
        let p = self.p();
        let Some(complete) = self
            .patterns
            .iter()
            .find(|pattern| pattern.observed.len() == p)
        else {
            return Group {
                rows: DMatrix::zeros(0, p),
                patterns: Vec::new(),
            };
        };
        Group {
            rows: self.rows.select_rows(complete.cases.iter()),
            patterns: vec![Pattern {
                cases: (0..complete.n).collect(),
                ..complete.clone()
            }],
        }
    }

    /// The means and covariances of the complete data (the single complete pattern).
    pub fn moments(&self) -> Option<(&DVector<f64>, &DMatrix<f64>)> {
        self.complete()
            .then(|| (&self.patterns[0].mean, &self.patterns[0].covariance))
    }

    /// Each variable's mean and variance (divisor n) over the cases that answered it, and the
    /// covariances over the cases that answered both: starting values for the saturated model.
    pub fn available_moments(&self) -> (DVector<f64>, DMatrix<f64>) {
        if let Some((mean, covariance)) = self.moments() {
            return (mean.clone(), covariance.clone());
        }
        let p = self.p();
        let mut mean = DVector::zeros(p);
        for (a, column) in self.rows.column_iter().enumerate() {
            let (sum, count) = column
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
            mean[a] = sum / count.max(1) as f64;
        }
        let mut covariance = DMatrix::zeros(p, p);
        for a in 0..p {
            for b in 0..=a {
                let (mut sum, mut count) = (0.0, 0usize);
                for (x, y) in self.rows.column(a).iter().zip(self.rows.column(b).iter()) {
                    if !x.is_nan() && !y.is_nan() {
                        sum += (x - mean[a]) * (y - mean[b]);
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

/// A pattern's means and covariances (divisor n): the cases' observed values, centred, in one
/// matrix product.
fn pattern(rows: &DMatrix<f64>, observed: Vec<usize>, cases: Vec<usize>) -> Pattern {
    let q = observed.len();
    let n = cases.len();
    let mut centred = DMatrix::from_fn(n, q, |i, k| rows[(cases[i], observed[k])]);
    let mean = DVector::from_iterator(
        q,
        centred.column_iter().map(|column| column.sum() / n as f64),
    );
    for (mut column, m) in centred.column_iter_mut().zip(mean.iter()) {
        column.add_scalar_mut(-m);
    }
    let mut covariance = centred.tr_mul(&centred) / n as f64;
    // The product is symmetric up to rounding; make it exactly so.
    covariance.fill_upper_triangle_with_lower_triangle();
    Pattern {
        observed,
        n,
        mean,
        covariance,
        cases,
    }
}

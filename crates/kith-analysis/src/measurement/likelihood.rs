//! The normal likelihood of a measurement model in one group: the implied means and
//! covariances, their derivatives with respect to the free parameters (Δ), and the log-likelihood
//! with its gradient, expected information and casewise scores in terms of the saturated
//! model's moments (means, then the lower triangle of Σ), pattern by pattern so that one code
//! serves complete data and FIML alike.

use super::data::{Group, Pattern};
use super::spec::{Entry, Kind, Spec};
use nalgebra::{DMatrix, DVector};

/// The position of σ_ab (a ≥ b) in the lower triangle, row by row.
pub fn vech(a: usize, b: usize) -> usize {
    let (a, b) = (a.max(b), a.min(b));
    a * (a + 1) / 2 + b
}

/// The number of saturated-model moments of a group: p(p+1)/2 covariances, and p means with a
/// mean structure.
pub fn moments(p: usize, means: bool) -> usize {
    p * (p + 1) / 2 + if means { p } else { 0 }
}

/// The model matrices of one group at θ and the moments they imply.
#[derive(Debug, Clone)]
pub struct Implied {
    pub lambda: DMatrix<f64>,
    pub psi: DMatrix<f64>,
    pub theta: DMatrix<f64>,
    pub nu: DVector<f64>,
    pub alpha: DVector<f64>,
    pub sigma: DMatrix<f64>,
    pub mu: DVector<f64>,
}

pub fn implied(spec: &Spec, group: usize, parameters: &[f64]) -> Implied {
    let (p, k) = (spec.p, spec.k);
    let mut lambda = DMatrix::zeros(p, k);
    let mut psi = DMatrix::zeros(k, k);
    let mut theta = DMatrix::zeros(p, p);
    let mut nu = DVector::zeros(p);
    let mut alpha = DVector::zeros(k);
    for &(kind, entry) in &spec.elements[group] {
        let value = match entry {
            Entry::Fixed(value) => value,
            Entry::Free(index) => parameters[index],
        };
        match kind {
            Kind::Loading { factor, item } => lambda[(item, factor)] = value,
            Kind::Residual { a, b } => {
                theta[(a, b)] = value;
                theta[(b, a)] = value;
            }
            Kind::FactorCovariance { a, b } => {
                psi[(a, b)] = value;
                psi[(b, a)] = value;
            }
            Kind::Intercept { item } => nu[item] = value,
            Kind::FactorMean { factor } => alpha[factor] = value,
        }
    }
    let sigma = &lambda * &psi * lambda.transpose() + &theta;
    let mu = &nu + &lambda * &alpha;
    Implied {
        lambda,
        psi,
        theta,
        nu,
        alpha,
        sigma,
        mu,
    }
}

/// Δ: the derivatives of the group's moments (rows: means with a mean structure, then the
/// lower triangle of Σ) with respect to every free parameter (columns).
pub fn delta(spec: &Spec, group: usize, implied: &Implied) -> DMatrix<f64> {
    let p = spec.p;
    let offset = if spec.means { p } else { 0 };
    let mut delta = DMatrix::zeros(moments(p, spec.means), spec.npar());
    let lambda_psi = &implied.lambda * &implied.psi;
    let lambda = &implied.lambda;
    for &(kind, entry) in &spec.elements[group] {
        let Entry::Free(column) = entry else { continue };
        let mut column = delta.column_mut(column);
        match kind {
            Kind::Loading { factor, item } => {
                for b in 0..p {
                    let factor_of = if b == item { 2.0 } else { 1.0 };
                    column[offset + vech(item, b)] += factor_of * lambda_psi[(b, factor)];
                }
                if spec.means {
                    column[item] += implied.alpha[factor];
                }
            }
            Kind::Residual { a, b } => column[offset + vech(a, b)] += 1.0,
            Kind::FactorCovariance { a, b } => {
                for c in 0..p {
                    for d in 0..=c {
                        column[offset + vech(c, d)] += if a == b {
                            lambda[(c, a)] * lambda[(d, a)]
                        } else {
                            lambda[(c, a)] * lambda[(d, b)] + lambda[(c, b)] * lambda[(d, a)]
                        };
                    }
                }
            }
            Kind::Intercept { item } => column[item] += 1.0,
            Kind::FactorMean { factor } => {
                for c in 0..p {
                    column[c] += lambda[(c, factor)];
                }
            }
        }
    }
    delta
}

/// The log-likelihood of a group and its derivatives with respect to the saturated moments.
#[derive(Debug, Clone)]
pub struct Terms {
    pub logl: f64,
    pub gradient: DVector<f64>,
    /// The expected information (of all the group's cases); empty when not asked for.
    pub information: DMatrix<f64>,
}

/// Σ restricted to a pattern's observed variables, its inverse and log-determinant; `None`
/// when it is not positive definite.
fn inverse_on(sigma: &DMatrix<f64>, observed: &[usize]) -> Option<(DMatrix<f64>, f64)> {
    let sub = sigma.select_rows(observed).select_columns(observed);
    let cholesky = sub.cholesky()?;
    let log_det = 2.0 * cholesky.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    Some((cholesky.inverse(), log_det))
}

/// What the means contribute: the pattern's mean minus the implied one, or nothing without a
/// mean structure (the implied means are then the sample means).
fn mean_residual(pattern: &Pattern, mu: &DVector<f64>, means: bool) -> DVector<f64> {
    DVector::from_iterator(
        pattern.observed.len(),
        pattern
            .observed
            .iter()
            .enumerate()
            .map(|(i, &j)| if means { pattern.mean[i] - mu[j] } else { 0.0 }),
    )
}

/// The log-likelihood, gradient and (when `information`) expected information of a group at
/// the implied moments; `None` when an implied covariance matrix is not positive definite.
pub fn terms(group: &Group, implied: &Implied, means: bool, information: bool) -> Option<Terms> {
    let p = group.p();
    let offset = if means { p } else { 0 };
    let dimension = moments(p, means);
    let mut gradient = DVector::zeros(dimension);
    let mut info = if information {
        DMatrix::zeros(dimension, dimension)
    } else {
        DMatrix::zeros(0, 0)
    };
    let log_two_pi = (2.0 * std::f64::consts::PI).ln();
    let mut logl = 0.0;
    for pattern in &group.patterns {
        let (w, log_det) = inverse_on(&implied.sigma, &pattern.observed)?;
        let n = pattern.n as f64;
        let q = pattern.observed.len();
        let d = mean_residual(pattern, &implied.mu, means);
        let wd = &w * &d;
        logl -= n / 2.0
            * (q as f64 * log_two_pi + log_det + (&pattern.covariance * &w).trace() + d.dot(&wd));
        let m = &w * (&pattern.covariance + &d * d.transpose()) * &w - &w;
        let o = &pattern.observed;
        if means {
            for (i, &a) in o.iter().enumerate() {
                gradient[a] += n * wd[i];
            }
        }
        for (i, &a) in o.iter().enumerate() {
            for (j, &b) in o.iter().enumerate().take(i + 1) {
                let weight = if i == j { 0.5 } else { 1.0 };
                gradient[offset + vech(a, b)] += n * weight * m[(i, j)];
            }
        }
        if !information {
            continue;
        }
        if means {
            for (i, &a) in o.iter().enumerate() {
                for (j, &b) in o.iter().enumerate() {
                    info[(a, b)] += n * w[(i, j)];
                }
            }
        }
        let pairs: Vec<(usize, usize, usize)> = (0..q)
            .flat_map(|i| (0..=i).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, offset + vech(o[i], o[j])))
            .collect();
        for &(i, j, row) in &pairs {
            let s_ij = if i == j { 1.0 } else { 2.0 };
            for &(k, l, column) in &pairs {
                let s_kl = if k == l { 1.0 } else { 2.0 };
                info[(row, column)] +=
                    n * s_ij * s_kl / 4.0 * (w[(i, l)] * w[(j, k)] + w[(i, k)] * w[(j, l)]);
            }
        }
    }
    Some(Terms {
        logl,
        gradient,
        information: info,
    })
}

/// Σ_i s_i s_i' over the group's cases, where s_i is case i's score with respect to the
/// saturated moments (the first-order information that Huber–White and Yuan–Bentler need).
/// Cases are taken in blocks so that memory stays bounded by the block, not the sample.
pub fn first_order(group: &Group, implied: &Implied, means: bool) -> Option<DMatrix<f64>> {
    let p = group.p();
    let offset = if means { p } else { 0 };
    let dimension = moments(p, means);
    // Blocks of about two million scores (16 MB): large enough for an efficient matrix
    // product, small enough that 60 items under FIML stay within a few tens of megabytes.
    let block = (2_000_000 / dimension).clamp(64, 4096);
    let mut total = DMatrix::zeros(dimension, dimension);
    for pattern in &group.patterns {
        let (w, _) = inverse_on(&implied.sigma, &pattern.observed)?;
        let o = &pattern.observed;
        let centre: Vec<f64> = o
            .iter()
            .enumerate()
            .map(|(i, &j)| {
                if means {
                    implied.mu[j]
                } else {
                    pattern.mean[i]
                }
            })
            .collect();
        for cases in pattern.cases.chunks(block) {
            // The block's centred values (cases × observed), then U = D W: row r of U is
            // W d_r. The scores are filled column by column from U, which keeps every
            // operation on contiguous memory.
            let d = DMatrix::from_fn(cases.len(), o.len(), |r, i| {
                group.rows[(cases[r], o[i])] - centre[i]
            });
            let u = &d * &w;
            let mut scores = DMatrix::zeros(cases.len(), dimension);
            if means {
                for (i, &a) in o.iter().enumerate() {
                    scores.set_column(a, &u.column(i));
                }
            }
            for (i, &a) in o.iter().enumerate() {
                for (j, &b) in o.iter().enumerate().take(i + 1) {
                    let weight = if i == j { 0.5 } else { 1.0 };
                    let w_ij = w[(i, j)];
                    let (ui, uj) = (u.column(i), u.column(j));
                    let mut column = scores.column_mut(offset + vech(a, b));
                    for ((s, x), y) in column.iter_mut().zip(ui.iter()).zip(uj.iter()) {
                        *s = weight * (x * y - w_ij);
                    }
                }
            }
            crate::crossprod::add_crossprod(&mut total, &scores, &scores);
        }
    }
    Some(total)
}

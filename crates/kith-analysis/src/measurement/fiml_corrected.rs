//! The ingredients of the robust RMSEA and CFI after FIML, as lavaan 0.6.14 computes them
//! (Zhang & Savalei, 2022, "FIML-corrected"): the complete-data χ² of the FIML estimates
//! against the saturated model's FIML moments, and a scaling factor from the saturated model's
//! observed (Wm), complete-data (Wc) and first-order (Jm) information — version V3 under MLR,
//! V6 under ML.

use super::data::{Group, Pattern};
use super::estimate::{self, Estimates};
use super::fit::Saturated;
use super::likelihood::{self, Implied};
use super::spec::Spec;
use nalgebra::DMatrix;

/// What the robust fit measures are computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustInputs {
    pub chisq: f64,
    pub df: f64,
    pub c: f64,
    pub baseline_chisq: f64,
    pub baseline_df: f64,
    pub c_baseline: f64,
}

/// Block-diagonal matrix of the blocks.
fn block_diagonal(blocks: &[DMatrix<f64>]) -> DMatrix<f64> {
    let size: usize = blocks.iter().map(|b| b.nrows()).sum();
    let mut out = DMatrix::zeros(size, size);
    let mut at = 0;
    for block in blocks {
        let n = block.nrows();
        out.view_mut((at, at), (n, n)).copy_from(block);
        at += n;
    }
    out
}

/// Data that are complete and have exactly the saturated model's moments.
fn as_complete(data: &[Group], saturated: &[Implied]) -> Vec<Group> {
    data.iter()
        .zip(saturated)
        .map(|(group, moments)| Group {
            rows: DMatrix::zeros(0, group.p()),
            patterns: vec![Pattern {
                observed: (0..group.p()).collect(),
                n: group.n(),
                mean: moments.mu.clone(),
                covariance: moments.sigma.clone(),
                cases: Vec::new(),
            }],
        })
        .collect()
}

/// Δ of every group stacked.
fn stacked_delta(spec: &Spec, implied: &[Implied]) -> DMatrix<f64> {
    let deltas: Vec<DMatrix<f64>> = (0..spec.groups())
        .map(|g| likelihood::delta(spec, g, &implied[g]))
        .collect();
    let rows: usize = deltas.iter().map(|d| d.nrows()).sum();
    let mut out = DMatrix::zeros(rows, spec.npar());
    let mut at = 0;
    for d in &deltas {
        out.view_mut((at, 0), (d.nrows(), d.ncols())).copy_from(d);
        at += d.nrows();
    }
    out
}

/// The complete-data χ² of `values` against the saturated moments, and the trace k.
struct Part {
    chisq: f64,
    k: f64,
}

/// What the model and the baseline share: the saturated moments as complete data, their
/// complete-data log-likelihood, and the saturated model's information matrices.
struct Saturation {
    complete: Vec<Group>,
    logl: f64,
    wm: DMatrix<f64>,
    wm_inverse: DMatrix<f64>,
    wc: DMatrix<f64>,
    /// Wm⁻¹ Jm Wm⁻¹, for V3 only.
    gamma: Option<DMatrix<f64>>,
}

fn part(spec: &Spec, estimates: &Estimates, shared: &Saturation) -> Option<Part> {
    let Saturation {
        complete,
        logl: saturated_logl,
        wm,
        wm_inverse,
        wc,
        gamma,
    } = shared;
    let (logl, _, _) = estimate::evaluate(spec, complete, &estimates.values, false)?;
    let delta = stacked_delta(spec, &estimates.implied);
    let e = delta.transpose() * wm * &delta;
    let e_inverse = e.cholesky()?.inverse();
    let u = wm - wm * &delta * e_inverse * delta.transpose() * wm;
    let k = match gamma {
        Some(gamma) => (&u * wm_inverse * wc * wm_inverse * &u * gamma).trace(),
        None => (wc * wm_inverse * &u * wm_inverse).trace(),
    };
    Some(Part {
        chisq: 2.0 * (saturated_logl - logl),
        k,
    })
}

/// The FIML-corrected ingredients of the model and the baseline; `scaled` chooses V3 (MLR)
/// over V6 (ML).
pub fn corrected(
    spec: &Spec,
    estimates: &Estimates,
    baseline_spec: &Spec,
    baseline: &Estimates,
    data: &[Group],
    saturated: &Saturated,
    scaled: bool,
) -> Option<RobustInputs> {
    let values = saturated.values.as_ref()?;
    let sat = &saturated.spec;
    // The saturated model's observed information in the moments' order (its Δ is a
    // permutation).
    let sat_delta = stacked_delta(sat, &saturated.implied);
    let observed = estimate::observed_information(sat, data, values)?;
    let wm = &sat_delta * observed * sat_delta.transpose();
    let wm_inverse = wm.clone().cholesky()?.inverse();
    let complete = as_complete(data, &saturated.implied);
    let mut wc_blocks = Vec::new();
    let mut jm_blocks = Vec::new();
    let log_two_pi = (2.0 * std::f64::consts::PI).ln();
    let mut complete_logl = 0.0;
    for (g, group) in complete.iter().enumerate() {
        let moments = &saturated.implied[g];
        wc_blocks.push(likelihood::terms(group, moments, spec.means, true)?.information);
        jm_blocks.push(likelihood::first_order(&data[g], moments, spec.means)?);
        let p = group.p() as f64;
        let log_det = moments.sigma.determinant().ln();
        complete_logl -= group.n() as f64 / 2.0 * (p * log_two_pi + log_det + p);
    }
    let jm = block_diagonal(&jm_blocks);
    let shared = Saturation {
        gamma: scaled.then(|| &wm_inverse * &jm * &wm_inverse),
        wc: block_diagonal(&wc_blocks),
        complete,
        logl: complete_logl,
        wm,
        wm_inverse,
    };
    let model = part(spec, estimates, &shared)?;
    let base = part(baseline_spec, baseline, &shared)?;
    let statistics = (data.len() * likelihood::moments(spec.p, spec.means)) as f64;
    let df = statistics - spec.npar() as f64;
    let baseline_df = statistics - baseline_spec.npar() as f64;
    Some(RobustInputs {
        chisq: model.chisq,
        df,
        c: model.k / df,
        baseline_chisq: base.chisq,
        baseline_df,
        c_baseline: base.k / baseline_df,
    })
}

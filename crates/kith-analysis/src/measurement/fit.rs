//! lavaan's fit measures: the χ² test against the saturated model, the baseline (independence)
//! model, CFI, TLI, RMSEA with its interval and tests of close fit, SRMR, the information
//! criteria, and under MLR their scaled and robust versions.

use super::MeasurementError;
use super::data::Group;
use super::estimate::{self, Estimates};
use super::fiml_corrected::RobustInputs;
use super::likelihood::{Implied, moments};
use super::spec::Spec;
use crate::distributions::{chi_squared_upper, noncentral_chi_squared_cdf};
use crate::roots::falling_root;
use nalgebra::{DMatrix, DVector};

/// The saturated model (lavaan's h1): its log-likelihood and per group its moments.
#[derive(Debug, Clone)]
pub struct Saturated {
    pub logl: f64,
    pub implied: Vec<Implied>,
    pub spec: Spec,
    /// The saturated model's free parameters, when it was estimated (FIML).
    pub values: Option<Vec<f64>>,
}

fn moments_as_implied(mean: DVector<f64>, covariance: DMatrix<f64>) -> Implied {
    let p = mean.len();
    Implied {
        lambda: DMatrix::zeros(p, 0),
        psi: DMatrix::zeros(0, 0),
        theta: covariance.clone(),
        nu: mean.clone(),
        alpha: DVector::zeros(0),
        sigma: covariance,
        mu: mean,
    }
}

/// The saturated model: the sample moments for complete data, their FIML estimates otherwise.
pub fn saturated(data: &[Group], means: bool) -> Result<Saturated, MeasurementError> {
    let p = data.first().map_or(0, Group::p);
    let spec = Spec::saturated(p, data.len(), means);
    if data.iter().all(Group::complete) {
        let log_two_pi = (2.0 * std::f64::consts::PI).ln();
        let mut logl = 0.0;
        let mut implied = Vec::new();
        for (index, group) in data.iter().enumerate() {
            let (mean, covariance) = group.moments().ok_or(MeasurementError::NoCases)?;
            let cholesky = covariance
                .clone()
                .cholesky()
                .ok_or(MeasurementError::SampleNotPositiveDefinite { group: index })?;
            let log_det = 2.0 * cholesky.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
            logl -= group.n() as f64 / 2.0 * (p as f64 * log_two_pi + log_det + p as f64);
            implied.push(moments_as_implied(mean.clone(), covariance.clone()));
        }
        return Ok(Saturated {
            logl,
            implied,
            spec,
            values: None,
        });
    }
    // Start from the available-case moments, or their diagonal when those are not positive
    // definite.
    let mut start = Vec::with_capacity(spec.npar());
    for group in data {
        let (mean, mut covariance) = group.available_moments();
        if covariance.clone().cholesky().is_none() {
            covariance = DMatrix::from_diagonal(&covariance.diagonal());
        }
        for a in 0..p {
            for b in 0..=a {
                start.push(covariance[(a, b)]);
            }
        }
        if means {
            start.extend(mean.iter().copied());
        }
    }
    let estimates = estimate::fit(&spec, data, start)?;
    Ok(Saturated {
        logl: estimates.logl,
        implied: estimates.implied,
        spec,
        values: Some(estimates.values),
    })
}

/// lavaan's fit measures of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    pub npar: usize,
    pub n: usize,
    pub groups: usize,
    pub chisq: f64,
    pub df: usize,
    pub baseline_chisq: f64,
    pub baseline_df: usize,
    pub logl: f64,
    pub unrestricted_logl: f64,
    pub srmr: f64,
    /// Under MLR, the Yuan–Bentler scaling factors of the model and the baseline.
    pub scaling: Option<(f64, f64)>,
    /// What the robust CFI, TLI and RMSEA are computed from: under MLR the scaling factors,
    /// after FIML the FIML-corrected statistics.
    pub robust: Option<RobustInputs>,
}

/// The fit measures of `estimates` against the saturated and baseline models.
pub fn measures(
    spec: &Spec,
    data: &[Group],
    estimates: &Estimates,
    saturated: &Saturated,
    baseline: &Estimates,
    baseline_npar: usize,
) -> Measures {
    let p = spec.p;
    let statistics = data.len() * moments(p, spec.means);
    let n: usize = data.iter().map(Group::n).sum();
    let srmr = data
        .iter()
        .enumerate()
        .map(|(g, group)| {
            group.n() as f64 / n as f64
                * srmr(&saturated.implied[g], &estimates.implied[g], spec.means)
        })
        .sum();
    Measures {
        npar: spec.npar(),
        n,
        groups: data.len(),
        chisq: (2.0 * (saturated.logl - estimates.logl)).max(0.0),
        df: statistics - spec.npar(),
        baseline_chisq: 2.0 * (saturated.logl - baseline.logl),
        baseline_df: statistics - baseline_npar,
        logl: estimates.logl,
        unrestricted_logl: saturated.logl,
        srmr,
        scaling: None,
        robust: None,
    }
}

/// Bentler's SRMR of one group: residual covariances over the observed standard deviations,
/// and with a mean structure the residual means over them too, as lavaan's `srmr` has it.
pub fn srmr(observed: &Implied, implied: &Implied, means: bool) -> f64 {
    let (s, sigma) = (&observed.sigma, &implied.sigma);
    let p = s.nrows();
    let mut sum = 0.0;
    for i in 0..p {
        for j in 0..=i {
            let scale = (s[(i, i)] * s[(j, j)]).sqrt();
            sum += ((s[(i, j)] - sigma[(i, j)]) / scale).powi(2);
        }
    }
    let mut count = p * (p + 1) / 2;
    if means {
        for i in 0..p {
            sum += ((observed.mu[i] - implied.mu[i]) / s[(i, i)].sqrt()).powi(2);
        }
        count += p;
    }
    (sum / count as f64).sqrt()
}

/// CFI from a model's and the baseline's χ² and df.
fn cfi(chisq: f64, df: f64, baseline: f64, baseline_df: f64) -> f64 {
    let model = (chisq - df).max(0.0);
    let base = (baseline - baseline_df).max(model);
    if base == 0.0 { 1.0 } else { 1.0 - model / base }
}

/// TLI from a model's and the baseline's χ² and df.
fn tli(chisq: f64, df: f64, baseline: f64, baseline_df: f64) -> f64 {
    let base = baseline / baseline_df;
    (base - chisq / df) / (base - 1.0)
}

/// An RMSEA and its 90% interval for a statistic `x` on `df`, with N and G groups as lavaan
/// has them: √G · √(max(0, (x − df)/(N·df))), the interval from the noncentral χ².
fn rmsea_with_interval(x: f64, df: f64, n: f64, groups: f64) -> (f64, f64, f64) {
    let scale = |ncp: f64| (ncp / (n * df)).max(0.0).sqrt() * groups.sqrt();
    let point = scale(x - df);
    let cdf = |ncp: f64| noncentral_chi_squared_cdf(x, df, ncp);
    let lower = if cdf(0.0) < 0.95 {
        0.0
    } else {
        scale(falling_root(|ncp| cdf(ncp) - 0.95, 0.0, x))
    };
    let top = n.max(4.0 * x);
    let upper = if cdf(top) > 0.05 {
        scale(top)
    } else if cdf(0.0) < 0.05 {
        0.0
    } else {
        scale(falling_root(|ncp| cdf(ncp) - 0.05, 0.0, top))
    };
    (point, lower, upper)
}

impl Measures {
    /// Records the Yuan–Bentler scaling factors of the model and the baseline; with complete
    /// data they are also what the robust indices use.
    pub fn scale(&mut self, model: f64, baseline: f64) {
        self.scaling = Some((model, baseline));
        self.robust = Some(RobustInputs {
            chisq: self.chisq,
            df: self.df as f64,
            c: model,
            baseline_chisq: self.baseline_chisq,
            baseline_df: self.baseline_df as f64,
            c_baseline: baseline,
        });
    }

    fn df_f(&self) -> f64 {
        self.df as f64
    }

    pub fn pvalue(&self) -> f64 {
        chi_squared_upper(self.chisq, self.df_f())
    }

    pub fn baseline_pvalue(&self) -> f64 {
        chi_squared_upper(self.baseline_chisq, self.baseline_df as f64)
    }

    pub fn cfi(&self) -> f64 {
        cfi(
            self.chisq,
            self.df_f(),
            self.baseline_chisq,
            self.baseline_df as f64,
        )
    }

    pub fn tli(&self) -> f64 {
        tli(
            self.chisq,
            self.df_f(),
            self.baseline_chisq,
            self.baseline_df as f64,
        )
    }

    /// RMSEA with its 90% interval.
    pub fn rmsea(&self) -> (f64, f64, f64) {
        rmsea_with_interval(self.chisq, self.df_f(), self.n as f64, self.groups as f64)
    }

    fn close_fit(&self, bound: f64) -> f64 {
        let ncp = self.n as f64 * self.df_f() * bound * bound / self.groups as f64;
        noncentral_chi_squared_cdf(self.chisq, self.df_f(), ncp)
    }

    /// The p-value of the test of close fit (H0: RMSEA ≤ .05).
    pub fn rmsea_close(&self) -> f64 {
        1.0 - self.close_fit(0.05)
    }

    /// The p-value of the test of not-close fit (H0: RMSEA ≥ .08).
    pub fn rmsea_not_close(&self) -> f64 {
        self.close_fit(0.08)
    }

    pub fn aic(&self) -> f64 {
        -2.0 * self.logl + 2.0 * self.npar as f64
    }

    pub fn bic(&self) -> f64 {
        -2.0 * self.logl + self.npar as f64 * (self.n as f64).ln()
    }

    /// The sample-size adjusted BIC (lavaan's `bic2`).
    pub fn sabic(&self) -> f64 {
        -2.0 * self.logl + self.npar as f64 * ((self.n as f64 + 2.0) / 24.0).ln()
    }

    /// The Yuan–Bentler scaled χ² (lavaan's `chisq.scaled`) and its p-value.
    pub fn chisq_scaled(&self) -> Option<(f64, f64)> {
        let (c, _) = self.scaling?;
        let x = self.chisq / c;
        Some((x, chi_squared_upper(x, self.df_f())))
    }

    pub fn baseline_chisq_scaled(&self) -> Option<f64> {
        let (_, c) = self.scaling?;
        Some(self.baseline_chisq / c)
    }

    pub fn cfi_scaled(&self) -> Option<f64> {
        let (x, _) = self.chisq_scaled()?;
        Some(cfi(
            x,
            self.df_f(),
            self.baseline_chisq_scaled()?,
            self.baseline_df as f64,
        ))
    }

    pub fn tli_scaled(&self) -> Option<f64> {
        let (x, _) = self.chisq_scaled()?;
        Some(tli(
            x,
            self.df_f(),
            self.baseline_chisq_scaled()?,
            self.baseline_df as f64,
        ))
    }

    /// The scaled RMSEA with its interval as lavaan computes them: the unscaled χ² on
    /// c·df degrees of freedom (the trace of UΓ).
    pub fn rmsea_scaled(&self) -> Option<(f64, f64, f64)> {
        let (c, _) = self.scaling?;
        Some(rmsea_with_interval(
            self.chisq,
            c * self.df_f(),
            self.n as f64,
            self.groups as f64,
        ))
    }

    /// The robust CFI of Brosseau-Liard & Savalei (2014): the noncentralities with the
    /// scaling factors.
    pub fn cfi_robust(&self) -> Option<f64> {
        let r = self.robust?;
        let model = (r.chisq - r.c * r.df).max(0.0);
        let base = (r.baseline_chisq - r.c_baseline * r.baseline_df).max(model);
        Some(if base == 0.0 { 1.0 } else { 1.0 - model / base })
    }

    /// The robust TLI, likewise, in lavaan's form 1 − (χ² − c·df)·df₀ / ((χ²₀ − c₀·df₀)·df).
    pub fn tli_robust(&self) -> Option<f64> {
        let r = self.robust?;
        let model = (r.chisq - r.c * r.df) * r.baseline_df;
        let base = (r.baseline_chisq - r.c_baseline * r.baseline_df) * r.df;
        Some(1.0 - model / base)
    }

    /// The robust RMSEA of Brosseau-Liard, Savalei & Li (2012) with its interval: the scaled
    /// statistic's interval times √c.
    pub fn rmsea_robust(&self) -> Option<(f64, f64, f64)> {
        let r = self.robust?;
        let (n, groups) = (self.n as f64, self.groups as f64);
        let (_, lower, upper) = rmsea_with_interval(r.chisq / r.c, r.df, n, groups);
        let point = ((r.chisq - r.c * r.df) / (n * r.df)).max(0.0).sqrt() * groups.sqrt();
        Some((point, lower * r.c.sqrt(), upper * r.c.sqrt()))
    }
}

//! Multi-group measurement invariance as researchers test it with lavaan: the configural,
//! metric (equal loadings), scalar (and intercepts) and strict (and residual variances) models,
//! each compared with the one before by the χ² difference test — under MLR the scaled
//! difference of Satorra & Bentler (2001), lavaan's default for robust tests — and by ΔCFI and
//! ΔRMSEA. Partial invariance frees named parameters in every step.

use super::data::Group;
use super::spec::{Equal, Model, Release};
use super::{Estimator, MeasurementError, Options, Solution, fit};
use crate::distributions::chi_squared_upper;

/// The steps, from the least to the most constrained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Configural,
    Metric,
    Scalar,
    Strict,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Configural, Step::Metric, Step::Scalar, Step::Strict];

    pub fn name(self) -> &'static str {
        match self {
            Step::Configural => "configural",
            Step::Metric => "metric",
            Step::Scalar => "scalar",
            Step::Strict => "strict",
        }
    }

    /// What the groups share at this step.
    pub fn equal(self) -> Equal {
        Equal {
            loadings: self != Step::Configural,
            intercepts: matches!(self, Step::Scalar | Step::Strict),
            residuals: self == Step::Strict,
        }
    }
}

/// The comparison of a step with the one before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub from: Step,
    pub to: Step,
    /// The χ² difference (scaled under MLR), its df and p.
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    pub delta_cfi: f64,
    pub delta_rmsea: f64,
}

/// The fitted steps and their comparisons.
#[derive(Debug, Clone)]
pub struct Invariance {
    pub steps: Vec<(Step, Solution)>,
    pub differences: Vec<Difference>,
}

/// Fits every step to the groups' cases.
pub fn invariance(
    model: &Model,
    groups: &[Group],
    options: &Options,
    released: &[Release],
) -> Result<Invariance, MeasurementError> {
    let mut steps = Vec::new();
    for step in Step::ALL {
        let options = Options {
            equal: step.equal(),
            released: released.to_vec(),
            ..options.clone()
        };
        steps.push((step, fit(model, groups.to_vec(), &options)?));
    }
    let differences = steps
        .windows(2)
        .map(|pair| difference(&pair[0], &pair[1], options.estimator))
        .collect();
    Ok(Invariance { steps, differences })
}

/// The χ² difference test of a nested pair, as lavaan's `lavTestLRT` computes it.
fn difference(
    (from, looser): &(Step, Solution),
    (to, stricter): &(Step, Solution),
    estimator: Estimator,
) -> Difference {
    let (m0, m1) = (&stricter.measures, &looser.measures);
    let df = m0.df - m1.df;
    let raw = m0.chisq - m1.chisq;
    let chisq = match (estimator, m0.scaling, m1.scaling) {
        (Estimator::Mlr, Some((c0, _)), Some((c1, _))) => {
            let scale = (m0.df as f64 * c0 - m1.df as f64 * c1) / df as f64;
            raw / scale
        }
        _ => raw,
    };
    Difference {
        from: *from,
        to: *to,
        chisq,
        df,
        p: chi_squared_upper(chisq, df as f64),
        delta_cfi: m0.cfi() - m1.cfi(),
        delta_rmsea: m0.rmsea().0 - m1.rmsea().0,
    }
}

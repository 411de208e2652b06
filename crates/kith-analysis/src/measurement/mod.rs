//! Measurement models as lavaan 0.6 `cfa()` and semTools estimate and judge them:
//! confirmatory factor analysis by ML (complete data or FIML, optionally with robust MLR
//! corrections), in one group or several with equality constraints for invariance.
//!
//! `spec` parametrizes a model, `data` holds the cases by missing-data pattern, `likelihood`
//! and `estimate` fit it, `fit` turns the fit into lavaan's fit measures, `robust` adds the
//! Huber–White and Yuan–Bentler corrections, and `table` reports the parameters.

pub mod data;
pub mod estimate;
pub mod fiml_corrected;
pub mod fit;
pub mod invariance;
pub mod likelihood;
pub mod modification;
pub mod problems;
pub mod robust;
pub mod spec;
pub mod table;
pub mod validity;

pub use data::Group;
pub use estimate::EstimateError;
pub use fit::Measures;
pub use problems::Warning;
pub use spec::{Equal, Kind, Layout, Model, Release, Spec};

use nalgebra::DMatrix;

/// The most observed variables of a model. The saturated model's information matrix has
/// (p(p+3)/2)² elements: 60 items make 3.6 million (28 MB), 200 items would make 400 million.
pub const MAX_ITEMS: usize = 60;

/// The most groups of a multi-group model: each adds its own saturated model, baseline and
/// parameters, and invariance fits four models of all of them.
pub const MAX_GROUPS: usize = 20;

/// How missing answers are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Missing {
    /// Only complete cases (lavaan's default).
    #[default]
    Listwise,
    /// Full-information ML over every case (lavaan's `missing = "ml"`), means in the model.
    Fiml,
}

/// The estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Estimator {
    #[default]
    Ml,
    /// ML estimates with Huber–White standard errors and the Yuan–Bentler scaled test
    /// (lavaan's `estimator = "MLR"`).
    Mlr,
}

/// Everything but the model that decides a fit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    pub missing: Missing,
    pub estimator: Estimator,
    pub equal: Equal,
    pub released: Vec<Release>,
}

/// A fitted model with what lavaan reports of it.
#[derive(Debug, Clone)]
pub struct Solution {
    pub spec: Spec,
    pub estimates: estimate::Estimates,
    /// The covariance matrix of the estimates (inverse information, or the sandwich).
    pub covariance: DMatrix<f64>,
    pub measures: Measures,
    /// Per group, the cases the model was fitted to.
    pub n: Vec<usize>,
    /// Per group, the saturated model's means and covariances (the sample moments, or their
    /// FIML estimates), against which residuals are taken.
    pub observed: Vec<likelihood::Implied>,
    /// Per group, the cases the model was fitted to (complete cases under listwise deletion).
    pub data: Vec<Group>,
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasurementError {
    #[error("{0}")]
    Estimate(#[from] EstimateError),
    #[error("the sample covariance matrix of group {} is not positive definite", group + 1)]
    SampleNotPositiveDefinite { group: usize },
    #[error("the standard errors could not be computed: the information matrix is singular")]
    SingularInformation,
    #[error("no case has an answer to every item of the model")]
    NoCases,
    #[error(
        "the model has {npar} free parameters but the data only {moments} variances, covariances and means"
    )]
    TooFewMoments { npar: usize, moments: usize },
    #[error("the model has {items} items; kith fits measurement models of at most {MAX_ITEMS}")]
    TooManyItems { items: usize },
    #[error("the model has {groups} groups; kith compares at most {MAX_GROUPS}")]
    TooManyGroups { groups: usize },
    #[error("factor `{factor}` has {items} indicator(s); a factor needs at least two")]
    TooFewIndicators { factor: String, items: usize },
}

/// Fits `model` to the groups' cases (n × p each, NaN for a missing answer).
pub fn fit(
    model: &Model,
    groups: Vec<Group>,
    options: &Options,
) -> Result<Solution, MeasurementError> {
    let p = groups.first().map_or(0, Group::p);
    if p > MAX_ITEMS {
        return Err(MeasurementError::TooManyItems { items: p });
    }
    if groups.len() > MAX_GROUPS {
        return Err(MeasurementError::TooManyGroups {
            groups: groups.len(),
        });
    }
    // One indicator leaves the factor's variance and the item's residual variance with one
    // moment between them; the estimation would fail with a less helpful message.
    if let Some((factor, items)) = model.factors.iter().find(|(_, items)| items.len() < 2) {
        return Err(MeasurementError::TooFewIndicators {
            factor: factor.clone(),
            items: items.len(),
        });
    }
    let data: Vec<Group> = match options.missing {
        Missing::Listwise => groups.iter().map(Group::listwise).collect(),
        Missing::Fiml => groups,
    };
    if data.is_empty() || data.iter().any(|group| group.n() == 0) {
        return Err(MeasurementError::NoCases);
    }
    let means = options.missing == Missing::Fiml || data.len() > 1;
    let layout = Layout {
        groups: data.len(),
        means,
        equal: options.equal,
        released: options.released.clone(),
    };
    let spec = Spec::cfa(model, p, &layout);
    let moments = data.len() * likelihood::moments(p, means);
    if spec.npar() > moments {
        return Err(MeasurementError::TooFewMoments {
            npar: spec.npar(),
            moments,
        });
    }
    // The saturated model first: a sample covariance matrix that is not positive definite is
    // named as such, not as a model that failed to converge.
    let saturated = fit::saturated(&data, means)?;
    let estimates = estimate::fit(&spec, &data, estimate::start(&spec, &data))?;
    let baseline_spec = Spec::baseline(p, data.len(), means);
    let baseline = estimate::fit(
        &baseline_spec,
        &data,
        estimate::start(&baseline_spec, &data),
    )?;
    let observed_information =
        options.missing == Missing::Fiml || options.estimator == Estimator::Mlr;
    let information = if observed_information {
        estimate::observed_information(&spec, &data, &estimates.values)
    } else {
        estimate::expected_information(&spec, &data, &estimates.values)
    }
    .ok_or(MeasurementError::SingularInformation)?;
    let inverse = information
        .clone()
        .try_inverse()
        .ok_or(MeasurementError::SingularInformation)?;
    let mut measures = fit::measures(
        &spec,
        &data,
        &estimates,
        &saturated,
        &baseline,
        baseline_spec.npar(),
    );
    let covariance = match options.estimator {
        Estimator::Ml => inverse,
        // A saturated model (df 0) has no test to scale: lavaan reports no scaled statistics.
        Estimator::Mlr if measures.df == 0 => {
            robust::sandwich(&spec, &data, &estimates.implied, &inverse)
                .ok_or(MeasurementError::SingularInformation)?
                .0
        }
        Estimator::Mlr => {
            let singular = MeasurementError::SingularInformation;
            let h1 = robust::saturated_trace(&saturated, &data).ok_or(singular.clone())?;
            let (covariance, h0) = robust::sandwich(&spec, &data, &estimates.implied, &inverse)
                .ok_or(singular.clone())?;
            let baseline_inverse =
                estimate::observed_information(&baseline_spec, &data, &baseline.values)
                    .and_then(|info| info.try_inverse())
                    .ok_or(singular.clone())?;
            let (_, baseline_h0) =
                robust::sandwich(&baseline_spec, &data, &baseline.implied, &baseline_inverse)
                    .ok_or(singular)?;
            measures.scale(
                (h1 - h0) / measures.df as f64,
                (h1 - baseline_h0) / measures.baseline_df as f64,
            );
            covariance
        }
    };
    if options.missing == Missing::Fiml {
        measures.robust = fiml_corrected::corrected(
            &spec,
            &estimates,
            &baseline_spec,
            &baseline,
            &data,
            &saturated,
            options.estimator == Estimator::Mlr,
        );
    }
    Ok(Solution {
        n: data.iter().map(Group::n).collect(),
        observed: saturated.implied,
        data,
        spec,
        estimates,
        covariance,
        measures,
    })
}

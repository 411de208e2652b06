//! Measurement models that cannot be fitted, or fit badly, say so: each problem with its
//! message and hint, never a panic or a silent number.

use kith_analysis::measurement::{
    self, EstimateError, Group, MeasurementError, Model, Options, Warning, spec::Kind,
};
use nalgebra::DMatrix;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};

/// `n` cases of one factor measured by items with these loadings (residual variance
/// 1 − λ², so that a loading near 1 leaves almost no residual).
fn one_factor(n: usize, loadings: &[f64], seed: u64) -> DMatrix<f64> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0, 1.0).expect("a normal");
    let mut rows = DMatrix::zeros(n, loadings.len());
    for i in 0..n {
        let eta: f64 = normal.sample(&mut rng);
        for (j, l) in loadings.iter().enumerate() {
            let residual = (1.0 - l * l).max(0.0).sqrt();
            rows[(i, j)] = l * eta + residual * normal.sample(&mut rng);
        }
    }
    rows
}

fn model(factors: &[&[usize]]) -> Model {
    Model {
        factors: factors
            .iter()
            .enumerate()
            .map(|(i, items)| (format!("f{i}"), items.to_vec()))
            .collect(),
        ..Model::default()
    }
}

fn fit(model: &Model, rows: DMatrix<f64>) -> Result<measurement::Solution, MeasurementError> {
    measurement::fit(model, vec![Group::new(rows)], &Options::default())
}

#[test]
fn more_parameters_than_moments_is_refused_with_a_hint() {
    let error = fit(&model(&[&[0, 1]]), one_factor(200, &[0.7, 0.7], 1)).expect_err("refused");
    assert_eq!(
        error,
        MeasurementError::TooFewMoments {
            npar: 4,
            moments: 3
        }
    );
    assert_eq!(
        error.to_string(),
        "the model has 4 free parameters but the data only 3 variances, covariances and means"
    );
    assert!(error.hint().contains("fewer factors"), "{}", error.hint());
}

#[test]
fn a_factor_with_one_indicator_is_refused_by_name() {
    let rows = one_factor(300, &[0.7, 0.7, 0.7, 0.6], 2);
    let error = fit(&model(&[&[0, 1, 2], &[3]]), rows).expect_err("not identified");
    assert_eq!(
        error,
        MeasurementError::TooFewIndicators {
            factor: "f1".into(),
            items: 1
        }
    );
    assert_eq!(
        error.to_string(),
        "factor `f1` has 1 indicator(s); a factor needs at least two"
    );
    assert!(
        error.hint().contains("two or more items"),
        "{}",
        error.hint()
    );
}

#[test]
fn two_item_factors_that_do_not_correlate_are_not_identified() {
    // Eight parameters for ten moments, yet each two-item factor stands alone: its loading,
    // variance and residuals share one covariance. The information matrix is singular.
    let mut rows = one_factor(300, &[0.7, 0.7], 2);
    let other = one_factor(300, &[0.6, 0.6], 3);
    rows = rows.insert_columns(2, 2, 0.0);
    rows.set_column(2, &other.column(0));
    rows.set_column(3, &other.column(1));
    let model = Model {
        orthogonal: true,
        ..model(&[&[0, 1], &[2, 3]])
    };
    let error = fit(&model, rows).expect_err("not identified");
    assert!(
        matches!(
            error,
            MeasurementError::Estimate(EstimateError::NotIdentified)
                | MeasurementError::SingularInformation
        ),
        "{error:?}"
    );
    assert!(
        error.hint().contains("at least three items"),
        "{}",
        error.hint()
    );
}

#[test]
fn more_groups_than_kith_compares_are_refused() {
    let groups: Vec<Group> = (0..=measurement::MAX_GROUPS as u64)
        .map(|seed| Group::new(one_factor(50, &[0.7, 0.7, 0.7], seed)))
        .collect();
    let error =
        measurement::fit(&model(&[&[0, 1, 2]]), groups, &Options::default()).expect_err("refused");
    assert_eq!(error, MeasurementError::TooManyGroups { groups: 21 });
    assert!(error.hint().contains("levels:"), "{}", error.hint());
}

#[test]
fn a_copied_item_makes_the_sample_covariance_singular() {
    let mut rows = one_factor(200, &[0.7, 0.7, 0.7], 3);
    let copy = rows.column(0).into_owned();
    rows = rows.insert_column(3, 0.0);
    rows.set_column(3, &copy);
    let error = fit(&model(&[&[0, 1, 2, 3]]), rows).expect_err("singular");
    assert_eq!(
        error,
        MeasurementError::SampleNotPositiveDefinite { group: 0 }
    );
    assert!(
        error.hint().contains("linear combinations"),
        "{}",
        error.hint()
    );
}

#[test]
fn a_heywood_case_is_named() {
    // Correlations .8, .6 and .4 imply a loading of √(.8 · .6 / .4) > 1 for the first item of
    // one factor: its residual variance must go below zero.
    let correlation = DMatrix::from_row_slice(3, 3, &[1.0, 0.8, 0.6, 0.8, 1.0, 0.4, 0.6, 0.4, 1.0]);
    let l = correlation.cholesky().expect("positive definite").l();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let normal = Normal::new(0.0, 1.0).expect("a normal");
    let z = DMatrix::from_fn(500, 3, |_, _| normal.sample(&mut rng));
    let rows = z * l.transpose();
    let solution = fit(&model(&[&[0, 1, 2]]), rows).expect("fits");
    let warnings = solution.warnings();
    assert!(
        warnings.iter().any(|w| matches!(
            w,
            Warning::NegativeVariance { kind: Kind::Residual { a: 0, b: 0 }, value, .. } if *value < 0.0
        )),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| matches!(
            w,
            Warning::StandardizedBeyondOne {
                kind: Kind::Loading { factor: 0, item: 0 },
                ..
            }
        )),
        "{warnings:?}"
    );
}

#[test]
fn too_few_cases_per_parameter_is_a_warning() {
    let rows = one_factor(30, &[0.7, 0.7, 0.7, 0.7], 5);
    let solution = fit(&model(&[&[0, 1, 2, 3]]), rows).expect("fits");
    assert!(
        solution
            .warnings()
            .contains(&Warning::FewCases { n: 30, npar: 8 })
    );
}

#[test]
fn no_complete_case_is_refused_with_a_hint_to_use_fiml() {
    let mut rows = one_factor(50, &[0.7, 0.7, 0.7], 6);
    for i in 0..50 {
        rows[(i, i % 3)] = f64::NAN;
    }
    let error = fit(&model(&[&[0, 1, 2]]), rows.clone()).expect_err("no complete case");
    assert_eq!(error, MeasurementError::NoCases);
    assert!(error.hint().contains("missing: fiml"));
    let options = Options {
        missing: measurement::Missing::Fiml,
        ..Options::default()
    };
    // Every pair of items is observed together in a third of the cases: FIML fits.
    measurement::fit(&model(&[&[0, 1, 2]]), vec![Group::new(rows)], &options).expect("FIML fits");
}

#[test]
fn a_model_of_too_many_items_is_refused_before_any_allocation() {
    let rows = DMatrix::zeros(10, measurement::MAX_ITEMS + 1);
    let items: Vec<usize> = (0..=measurement::MAX_ITEMS).collect();
    let error = fit(&model(&[&items]), rows).expect_err("too many");
    assert_eq!(error, MeasurementError::TooManyItems { items: 61 });
    assert!(error.hint().contains("smaller models"));
}

#[test]
fn a_saturated_model_under_mlr_has_no_scaled_test_and_no_groups_is_no_cases() {
    let rows = one_factor(200, &[0.7, 0.6, 0.5], 8);
    let options = Options {
        estimator: measurement::Estimator::Mlr,
        ..Options::default()
    };
    let solution =
        measurement::fit(&model(&[&[0, 1, 2]]), vec![Group::new(rows)], &options).expect("fits");
    assert_eq!(solution.measures.df, 0);
    assert_eq!(solution.measures.scaling, None);
    assert!(
        solution
            .table()
            .iter()
            .all(|row| row.standard_error.is_finite())
    );
    let error = measurement::fit(&model(&[&[0, 1, 2]]), Vec::new(), &options).expect_err("no data");
    assert_eq!(error, MeasurementError::NoCases);
}

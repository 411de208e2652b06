//! What a plan's variables are: columns outside a survey get the types their values have, as
//! they do without a survey; suspicious categorical predictors draw warnings; logistic models
//! under quasi-complete separation say so; an item nobody answered is named; a column map
//! cannot give two columns one name.

mod common;

use common::INSTRUMENT;
use kith_analysis::dataset::{Values, from_table, read_plain};
use kith_analysis::glm::{GlmFamily, glm};
use kith_analysis::linear::Design;
use kith_analysis::plan::{check_variables, parse_plan};
use kith_analysis::read::{FileFormat, ReadOptions, read_responses};
use kith_analysis::score::{Imputation, score_table, unanswered_items};
use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use nalgebra::DMatrix;
use std::path::Path;

fn form() -> Form {
    let loader = MemoryLoader::default().with("pair.yaml", INSTRUMENT);
    let checked = check_file(Path::new("pair.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
}

/// A response file with columns of every kind besides the items: whole numbers with a missing
/// code, decimals with `NA`, text, numbers with a decimal comma, and a column of ids.
fn responses() -> String {
    let mut text = String::from("respondent_id,q1,q2,weight,height,dept,grade,badge\n");
    for row in 0..60 {
        let weight = if row == 7 {
            "-99".to_string()
        } else {
            format!("{}", 50 + row)
        };
        let height = if row == 3 {
            "NA".to_string()
        } else {
            format!("{}.5", 150 + row % 40)
        };
        let dept = ["Sales", "IT", "HR"][row % 3];
        let grade = format!("\"{},{}\"", 1 + row % 4, row % 10);
        text.push_str(&format!(
            "R{row},{},{},{weight},{height},{dept},{grade},B{row}\n",
            1 + row % 5,
            1 + (row / 2) % 5
        ));
    }
    text
}

#[test]
fn columns_outside_the_survey_get_the_types_their_values_have() {
    let form = form();
    let bytes = responses().into_bytes();
    let missing = [-99.0];
    let table = read_responses(
        "r.csv",
        bytes.clone(),
        &form,
        &ReadOptions::new(FileFormat::Csv),
    )
    .expect("a valid file");
    let scores = score_table(&table, &form, Imputation::None);
    let with_survey = from_table(&table, &form, scores, &missing);
    let without = read_plain("r.csv", bytes, FileFormat::Csv, &missing).expect("a valid file");
    for name in ["weight", "height", "dept", "grade", "badge"] {
        let a = &with_survey.get(name).expect("with a survey").values;
        let b = &without.get(name).expect("without a survey").values;
        match (a, b) {
            (Values::Numeric(x), Values::Numeric(y)) => {
                assert_eq!(x.len(), y.len());
                for (i, (u, v)) in x.iter().zip(y).enumerate() {
                    assert!(
                        u == v || (u.is_nan() && v.is_nan()),
                        "{name} row {i}: {u} vs {v}"
                    );
                }
            }
            (
                Values::Categorical {
                    levels: l1,
                    codes: c1,
                },
                Values::Categorical {
                    levels: l2,
                    codes: c2,
                },
            ) => {
                assert_eq!((l1, c1), (l2, c2), "{name}");
            }
            _ => panic!("{name} is {a:?} with a survey and {b:?} without"),
        }
    }
    let Values::Numeric(weight) = &with_survey.get("weight").expect("weight").values else {
        panic!("weight must be numeric")
    };
    assert!(weight[7].is_nan(), "the plan's missing code -99 is missing");
    assert_eq!(weight[8], 58.0);
    assert!(matches!(
        with_survey.get("dept").expect("dept").values,
        Values::Categorical { .. }
    ));
}

fn warnings_for(predictors: &str) -> Vec<&'static str> {
    let form = form();
    let table = read_responses(
        "r.csv",
        responses().into_bytes(),
        &form,
        &ReadOptions::new(FileFormat::Csv),
    )
    .expect("a valid file");
    let scores = score_table(&table, &form, Imputation::None);
    let dataset = from_table(&table, &form, scores, &[]);
    let text = format!(
        "kind: plan\ndata: r.csv\nmodels:\n  - outcome: total\n    predictors: [{predictors}]\n"
    );
    let (plan, source) = parse_plan("plan.yaml", &text).expect("a plan");
    check_variables(&plan, &source, &dataset)
        .into_iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn suspicious_categorical_predictors_draw_warnings() {
    let cases: &[(&str, &[&str])] = &[
        ("weight, dept", &[]),
        ("grade", &["numeric-levels"]),
        ("badge", &["many-levels"]),
        ("weight, grade, badge", &["numeric-levels", "many-levels"]),
    ];
    for (predictors, expected) in cases {
        assert_eq!(
            warnings_for(predictors),
            *expected,
            "predictors: {predictors}"
        );
    }
}

#[test]
fn quasi_complete_separation_is_reported_with_the_model() {
    // Every case with x = 1 has y = 1; the cases with x = 0 have both outcomes. The estimate of
    // x runs off until the deviance stops changing, as in R, whose glm reports it without a word.
    let x = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let z = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5];
    let y = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let mut matrix = DMatrix::from_element(12, 3, 1.0);
    for i in 0..12 {
        matrix[(i, 1)] = x[i];
        matrix[(i, 2)] = z[i];
    }
    let design = Design {
        names: vec!["(Intercept)".into(), "x".into(), "z".into()],
        x: matrix,
        intercept: true,
    };
    let fit = glm(&design, &y, GlmFamily::Binomial, 0.95).expect("the fit converges");
    assert_eq!(fit.quasi_separation, vec!["x".to_string()]);
    let warning = fit.separation_warning().expect("a warning");
    assert!(
        warning.contains("fitted probabilities numerically 0 or 1"),
        "{warning}"
    );
    assert!(warning.contains("`x`"), "{warning}");
    assert!(fit.coefficients[1].se > 100.0, "{:?}", fit.coefficients[1]);

    // A negative control: outcomes mixed at every value of x give no warning.
    let y_mixed = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let fit = glm(&design, &y_mixed, GlmFamily::Binomial, 0.95).expect("a fit");
    assert_eq!(fit.separation_warning(), None);
}

#[test]
fn an_item_nobody_answered_is_named() {
    let form = form();
    let text = "respondent_id,q1,q2\nA,1,\nB,2,\nC,3,NA\n";
    let table = read_responses(
        "r.csv",
        text.as_bytes().to_vec(),
        &form,
        &ReadOptions::new(FileFormat::Csv),
    )
    .expect("a valid file");
    let unanswered = unanswered_items(&table, &form);
    assert_eq!(unanswered.len(), 1);
    assert_eq!(unanswered[0].item, "q2");
    assert_eq!(unanswered[0].scores, vec!["total".to_string()]);
}

#[test]
fn a_column_map_that_gives_two_columns_one_name_is_refused() {
    let form = form();
    let text = "respondent_id,Q1,q1,q2\nA,1,2,3\n";
    let mut options = ReadOptions::new(FileFormat::Csv);
    options
        .column_map
        .insert("Q1".to_string(), "q1".to_string());
    let errors = read_responses("r.csv", text.as_bytes().to_vec(), &form, &options)
        .expect_err("two columns named q1");
    let codes: Vec<&str> = errors.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["duplicate-column"]);
}

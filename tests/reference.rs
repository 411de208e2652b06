//! Scoring and reliability: kith's scores and reliability statistics against R's psych, from the fixtures that
//! `tests/r/reference.R` wrote (psych 2.2.9). No R is needed to run these tests.

mod common;
mod tolerance;

use common::root;
use kith_analysis::read::{FileFormat, ReadOptions, ResponseTable, read_responses};
use kith_analysis::reliability::{ReliabilityReport, reliability};
use kith_analysis::score::{Imputation, score_table};
use kith_instrument::form::Form;
use kith_instrument::survey::{SourceLoader, check_file};
use serde_json::Value;
use std::path::Path;
use tolerance::{CLOSED_FORM, Mismatches, OMEGA};

struct Files;

impl SourceLoader for Files {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

fn load(instrument: &str, data: &str) -> (Form, ResponseTable) {
    let checked = check_file(&root().join(instrument), &Files);
    let form = checked
        .form
        .unwrap_or_else(|| panic!("{instrument}: {:#?}", checked.diagnostics));
    let bytes = std::fs::read(root().join(data)).expect("data file");
    let table = read_responses(data, bytes, &form, &ReadOptions::new(FileFormat::Csv))
        .unwrap_or_else(|errors| panic!("{data}: {:#?}", errors.problems));
    (form, table)
}

fn fixture(name: &str) -> Value {
    let path = root()
        .join("tests/data/reference")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn compare_reliability(report: &ReliabilityReport, expected: &Value, mismatches: &mut Mismatches) {
    let scales = expected["scales"].as_object().expect("scales");
    assert_eq!(report.scores.len(), scales.len());
    for (id, reference) in scales {
        let scale = report.scores.iter().find(|s| &s.id == id).expect("scale");
        let m = |field: &str| format!("{id}.{field}");
        assert_eq!(scale.k as u64, reference["k"].as_u64().expect("k"));
        assert_eq!(scale.n as u64, reference["n"].as_u64().expect("n"));
        for (field, found) in [
            ("alpha", scale.alpha),
            ("std_alpha", scale.std_alpha),
            ("g6", scale.g6),
            ("average_r", scale.average_r),
            ("median_r", scale.median_r),
            ("signal_noise", scale.signal_noise),
            ("ase", scale.ase),
            ("lambda2", scale.lambda2),
            ("mean", scale.mean),
            ("sd", scale.sd),
        ] {
            mismatches.check(&m(field), found, &reference[field], CLOSED_FORM);
        }
        for bound in 0..2 {
            mismatches.check(
                &m(&format!("alpha_ci_feldt[{bound}]")),
                scale.alpha_ci_feldt[bound],
                &reference["alpha_ci_feldt"][bound],
                CLOSED_FORM,
            );
            mismatches.check(
                &m(&format!("alpha_ci_duhachek[{bound}]")),
                scale.alpha_ci_duhachek[bound],
                &reference["alpha_ci_duhachek"][bound],
                CLOSED_FORM,
            );
        }
        mismatches.check(
            &m("omega_total"),
            scale.omega_total.unwrap_or(f64::NAN),
            &reference["omega_total"],
            OMEGA,
        );
        for (index, item_reference) in reference["items"]
            .as_array()
            .expect("items")
            .iter()
            .enumerate()
        {
            let item = &scale.items[index];
            assert_eq!(item.id, item_reference["id"].as_str().expect("id"));
            let m = |field: &str| format!("{id}.{}.{field}", item.id);
            mismatches.check(&m("n"), item.n as f64, &item_reference["n"], 0.0);
            for (field, found) in [
                ("mean", item.mean),
                ("sd", item.sd),
                ("r", item.r),
                ("r_std", item.r_std),
                ("r_cor", item.r_cor),
                ("r_drop", item.r_drop),
                ("alpha_if_dropped", item.alpha_if_dropped),
                ("std_alpha_if_dropped", item.std_alpha_if_dropped),
            ] {
                mismatches.check(&m(field), found, &item_reference[field], CLOSED_FORM);
            }
            if !item_reference["missing"].is_null() {
                mismatches.check(
                    &m("missing"),
                    item.missing,
                    &item_reference["missing"],
                    CLOSED_FORM,
                );
            }
            if let Some(frequencies) = item_reference["frequencies"].as_array() {
                let found = item
                    .frequencies
                    .as_ref()
                    .expect("kith reports frequencies where psych does");
                for frequency in frequencies {
                    let value = frequency["value"].as_f64().expect("value");
                    let share = found
                        .iter()
                        .find(|f| f.value == value)
                        .map_or(f64::NAN, |f| f.share);
                    mismatches.check(
                        &m(&format!("frequency[{value}]")),
                        share,
                        &frequency["share"],
                        CLOSED_FORM,
                    );
                }
            }
        }
    }
}

fn compare_scores(
    form: &Form,
    table: &ResponseTable,
    expected: &Value,
    mismatches: &mut Mismatches,
) {
    for (impute, imputation) in [
        ("none", Imputation::None),
        ("median", Imputation::ItemMedian),
    ] {
        let scores = score_table(table, form, imputation);
        let reference = &expected["scoring"][impute];
        for score in &scores {
            let values = reference["scores"][&score.id].as_array().expect("scores");
            assert_eq!(values.len(), score.values.len());
            for (row, value) in values.iter().enumerate() {
                if impute == "median" && score.n_answered[row] == 0 {
                    // Deliberate difference: psych imputes a score for a respondent who
                    // answered none of its items; kith reports it missing (min_answered ≥ 1).
                    assert!(score.values[row].is_nan());
                    continue;
                }
                mismatches.check(
                    &format!("{impute}.{}[{row}]", score.id),
                    score.values[row],
                    value,
                    CLOSED_FORM,
                );
            }
        }
    }
    // Correlations of the scores (impute none) and the same corrected for attenuation.
    let report = reliability(table, form);
    let names = &report.correlations.scores;
    let reference = &expected["scoring"]["none"];
    for i in 0..names.len() {
        for j in 0..names.len() {
            if i == j {
                continue;
            }
            mismatches.check(
                &format!("cor[{}, {}]", names[i], names[j]),
                report.correlations.r[i][j],
                &reference["cor"][i][j],
                CLOSED_FORM,
            );
            if j > i {
                mismatches.check(
                    &format!("corrected[{}, {}]", names[i], names[j]),
                    report.correlations.disattenuated[i][j].unwrap_or(f64::NAN),
                    &reference["corrected"][i][j],
                    CLOSED_FORM,
                );
            }
        }
    }
}

fn check_against_psych(name: &str, instrument: &str, data: &str) {
    let expected = fixture(name);
    assert_eq!(
        expected["versions"]["psych"], "2.2.9",
        "the fixtures document the psych version"
    );
    let (form, table) = load(instrument, data);
    assert_eq!(table.height() as u64, expected["n"].as_u64().expect("n"));
    let report = reliability(&table, &form);
    let mut mismatches = Mismatches::default();
    compare_reliability(&report, &expected, &mut mismatches);
    compare_scores(&form, &table, &expected, &mut mismatches);
    mismatches.assert_none(name);
}

#[test]
fn bfi_matches_psych() {
    check_against_psych("bfi", "instruments/bfi.yaml", "tests/data/bfi.csv");
}

#[test]
fn heavy_missingness_matches_psych() {
    check_against_psych(
        "generated-missing",
        "tests/data/generated-missing.yaml",
        "tests/data/generated-missing.csv",
    );
}

#[test]
fn numeric_items_match_psych() {
    check_against_psych(
        "generated-numeric",
        "tests/data/generated-numeric.yaml",
        "tests/data/generated-numeric.csv",
    );
}

#[test]
fn reliability_invariants_hold() {
    let (form, table) = load("instruments/bfi.yaml", "tests/data/bfi.csv");
    let report = reliability(&table, &form);
    for scale in &report.scores {
        assert!(scale.alpha <= 1.0 && scale.std_alpha <= 1.0 && scale.g6 <= 1.0);
        assert!(scale.alpha_ci_feldt[0] < scale.alpha && scale.alpha < scale.alpha_ci_feldt[1]);
        assert!(
            scale
                .omega_total
                .is_some_and(|omega| omega <= 1.0 && omega >= scale.alpha - 0.05)
        );
        for item in &scale.items {
            assert!(
                item.r_drop < item.r,
                "{}: an item correlates less with the rest than with a total containing it",
                item.id
            );
            let share: f64 = item
                .frequencies
                .as_ref()
                .expect("frequencies")
                .iter()
                .map(|f| f.share)
                .sum();
            assert!((share - 1.0).abs() < 1e-12);
        }
    }
    // Reversing an item twice gives its original answers back: scoring the keyed copy of a
    // reverse-keyed item reverses it back.
    let a1 = table.items.get("A1").expect("A1").to_f64();
    let keyed = kith_analysis::score::keyed_values(
        table.items.get("A1").expect("A1"),
        form.item("A1").expect("item"),
    );
    assert!(
        matches!(keyed, kith_analysis::values::ItemValues::Codes(_)),
        "likert codes stay compact after reversing"
    );
    for (raw, keyed) in a1.iter().zip(&keyed.to_f64()) {
        if !raw.is_nan() {
            assert_eq!(7.0 - keyed, *raw);
        }
    }
}

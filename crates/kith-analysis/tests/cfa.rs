//! Confirmatory factor analysis by ML against lavaan 0.6.14 (`tests/r/measurement.R`): bfi's
//! five factors, marker and std.lv identification, every estimate and standard error (to 1e-4,
//! lavaan's convergence) and every fit index (to 1e-6).

use kith_analysis::cfa::{Fit, Model, Parameter, fit_ml, srmr};
use nalgebra::DMatrix;
use serde_json::Value;
use std::path::Path;

const ITEMS: [&str; 25] = [
    "A1", "A2", "A3", "A4", "A5", "C1", "C2", "C3", "C4", "C5", "E1", "E2", "E3", "E4", "E5", "N1",
    "N2", "N3", "N4", "N5", "O1", "O2", "O3", "O4", "O5",
];
const FACTORS: [&str; 5] = [
    "agreeableness",
    "conscientiousness",
    "extraversion",
    "neuroticism",
    "openness",
];
const REVERSED: [&str; 7] = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"];

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The complete rows of `items` in a CSV file (only completed sessions when it has a `status`
/// column), reverse-keyed items keyed on a 1–6 scale, and their covariance matrix (divisor N).
fn covariance(file: &str, items: &[&str], reversed: &[&str]) -> (DMatrix<f64>, usize) {
    let mut reader = csv::Reader::from_path(root().join(file)).expect("the data");
    let headers = reader.headers().expect("a header").clone();
    let at: Vec<usize> = items
        .iter()
        .map(|item| headers.iter().position(|h| h == *item).expect(item))
        .collect();
    let status = headers.iter().position(|h| h == "status");
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for record in reader.records() {
        let record = record.expect("a row");
        if status.is_some_and(|i| &record[i] != "complete") {
            continue;
        }
        let values: Option<Vec<f64>> = at
            .iter()
            .zip(items)
            .map(|(&i, item)| {
                let value: f64 = record[i].parse().ok()?;
                Some(if reversed.contains(item) {
                    7.0 - value
                } else {
                    value
                })
            })
            .collect();
        rows.extend(values);
    }
    let n = rows.len();
    let p = items.len();
    let means: Vec<f64> = (0..p)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n as f64)
        .collect();
    let mut s = DMatrix::zeros(p, p);
    for r in &rows {
        for i in 0..p {
            for j in 0..p {
                s[(i, j)] += (r[i] - means[i]) * (r[j] - means[j]) / n as f64;
            }
        }
    }
    (s, n)
}

fn bfi() -> (DMatrix<f64>, usize) {
    covariance("tests/data/bfi.csv", &ITEMS, &REVERSED)
}

fn model(std_lv: bool) -> Model {
    five_by_five(&FACTORS, 5, std_lv)
}

/// Factors of `per` consecutive indicators each.
fn five_by_five(factors: &[&str], per: usize, std_lv: bool) -> Model {
    Model {
        factors: factors
            .iter()
            .enumerate()
            .map(|(f, name)| (name.to_string(), (per * f..per * (f + 1)).collect()))
            .collect(),
        std_lv,
    }
}

/// lavaan's (lhs, op, rhs) of a parameter.
fn name(parameter: Parameter) -> (String, &'static str, String) {
    match parameter {
        Parameter::Loading { factor, item } => (FACTORS[factor].into(), "=~", ITEMS[item].into()),
        Parameter::Residual { item } => (ITEMS[item].into(), "~~", ITEMS[item].into()),
        Parameter::FactorCovariance { a, b } => (FACTORS[b].into(), "~~", FACTORS[a].into()),
    }
}

fn close(what: &str, kith: f64, r: &Value) {
    close_to(what, kith, r, 1e-6);
}

fn close_to(what: &str, kith: f64, r: &Value, relative: f64) {
    let r = r
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no number in the fixture"));
    let tolerance = relative * r.abs().max(1.0);
    assert!(
        (kith - r).abs() <= tolerance,
        "{what}: kith {kith} vs lavaan {r} (diff {:e})",
        kith - r
    );
}

fn check(fixture: &Value, std_lv: bool) {
    let (sample, n) = bfi();
    assert_eq!(n as u64, fixture_n());
    let fit = fit_ml(&model(std_lv), &sample, n).expect("converges");
    let table = fixture["parameters"].as_array().expect("parameters");
    for (parameter, (estimate, se)) in fit
        .parameters
        .iter()
        .zip(fit.estimates.iter().zip(&fit.standard_errors))
    {
        let (lhs, op, rhs) = name(*parameter);
        let row = table
            .iter()
            .find(|r| r["lhs"] == lhs && r["op"] == op && r["rhs"] == rhs)
            .unwrap_or_else(|| panic!("{lhs} {op} {rhs} in lavaan's table"));
        close_to(
            &format!("{lhs} {op} {rhs} est"),
            *estimate,
            &row["est"],
            1e-4,
        );
        close_to(&format!("{lhs} {op} {rhs} se"), *se, &row["se"], 1e-4);
    }
    // The whole table, fixed parameters and standardized solutions included.
    let rows = fit.table(&model(std_lv));
    assert_eq!(rows.len(), table.len(), "as many rows as lavaan's table");
    for row in &rows {
        let (lhs, op, rhs) = name(row.parameter);
        let r = table
            .iter()
            .find(|r| r["lhs"] == lhs && r["op"] == op && r["rhs"] == rhs)
            .unwrap_or_else(|| panic!("{lhs} {op} {rhs} in lavaan's table"));
        let what = |field: &str| format!("{lhs} {op} {rhs} {field}");
        close_to(&what("est"), row.estimate, &r["est"], 1e-4);
        close_to(&what("se"), row.standard_error, &r["se"], 1e-4);
        close_to(&what("std.lv"), row.std_lv, &r["std.lv"], 1e-4);
        close_to(&what("std.all"), row.std_all, &r["std.all"], 1e-4);
        match row.test {
            Some((z, p, lower, upper)) => {
                close_to(&what("z"), z, &r["z"], 1e-4);
                close_to(&what("pvalue"), p, &r["pvalue"], 1e-4);
                close_to(&what("ci.lower"), lower, &r["ci.lower"], 1e-4);
                close_to(&what("ci.upper"), upper, &r["ci.upper"], 1e-4);
            }
            None => assert!(r["z"].is_null(), "{lhs} {op} {rhs} is fixed in lavaan too"),
        }
    }
    let measures = &fixture["fit"];
    // lavaan's optimizer (nlminb) stops a little short of the minimum: its χ² is 4165.467436385
    // here, kith's 4165.467435940. So estimates and standard errors agree to 1e-4 (lavaan's own
    // convergence), and kith's discrepancy is never above lavaan's; the fit indices, flat at
    // the minimum, agree to 1e-6.
    assert!(fit.chisq <= measures["chisq"].as_f64().expect("chisq") + 1e-9);
    fit_measures(&fit, &sample, measures);
}

/// Every fit index kith computes against lavaan's `fitMeasures`, to 1e-6.
fn fit_measures(fit: &Fit, sample: &DMatrix<f64>, measures: &Value) {
    let (lower, upper) = fit.rmsea_ci();
    let cases = [
        ("npar", fit.npar() as f64),
        ("chisq", fit.chisq),
        ("df", fit.df as f64),
        ("baseline.chisq", fit.baseline_chisq),
        ("cfi", fit.cfi()),
        ("tli", fit.tli()),
        ("rmsea", fit.rmsea()),
        ("rmsea.ci.lower", lower),
        ("rmsea.ci.upper", upper),
        ("rmsea.pvalue", fit.rmsea_close()),
        ("rmsea.notclose.pvalue", fit.rmsea_not_close()),
        ("srmr", srmr(sample, &fit.implied)),
        ("logl", fit.logl),
        ("unrestricted.logl", fit.unrestricted_logl),
        ("aic", fit.aic()),
        ("bic", fit.bic()),
        ("bic2", fit.sabic()),
    ];
    for (name, kith) in cases {
        close(name, kith, &measures[name]);
    }
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/measurement.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

fn fixture_n() -> u64 {
    reference()["bfi"]["n_listwise"].as_u64().expect("n")
}

#[test]
fn ml_cfa_of_bfi_matches_lavaan_with_marker_variables() {
    check(&reference()["bfi"]["ml"], false);
}

#[test]
fn ml_cfa_of_bfi_matches_lavaan_with_standardized_factors() {
    check(&reference()["bfi"]["ml_std_lv"], true);
}

/// The bundled five motives on the example data (simulated, completed sessions, listwise):
/// a model that fits, so the tests of close and not-close fit are not at 0 or 1.
#[test]
fn ml_cfa_of_the_bundled_motives_matches_lavaan() {
    let prefixes = ["help", "enjoy", "strat", "oblig", "status"];
    let items: Vec<String> = prefixes
        .iter()
        .flat_map(|p| (1..=4).map(move |i| format!("{p}_{i}")))
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let (sample, n) = covariance("analysis/example/responses.csv", &items, &[]);
    let fixture = &reference()["motives"];
    assert_eq!(n as u64, fixture["n_listwise"].as_u64().expect("n"));
    let factors = [
        "helping_motive",
        "enjoyment_motive",
        "strategic_motive",
        "obligation_motive",
        "status_motive",
    ];
    let fit = fit_ml(&five_by_five(&factors, 4, false), &sample, n).expect("converges");
    fit_measures(&fit, &sample, &fixture["ml"]["fit"]);
}

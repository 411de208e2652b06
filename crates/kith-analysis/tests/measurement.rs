//! Measurement models against lavaan 0.6.14 and semTools 0.5.6 (`tests/r/measurement.R`):
//! bfi's five factors and the bundled five motives by ML, FIML and MLR, every parameter of
//! lavaan's table and every fit measure it reports.

use kith_analysis::measurement::{
    self, Estimator, Group, Kind, Missing, Model, Options, Release, Solution, invariance,
};
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
const MOTIVES: [&str; 5] = [
    "helping_motive",
    "enjoyment_motive",
    "strategic_motive",
    "obligation_motive",
    "status_motive",
];

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/measurement.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// The rows of `items` in a CSV file (only completed sessions when it has a `status` column),
/// missing answers as NaN, reverse-keyed items keyed on a 1–6 scale, split by the values of
/// `group` when given (in the order of `levels`).
fn cases(
    file: &str,
    items: &[&str],
    reversed: &[&str],
    group: Option<(&str, &[&str])>,
) -> Vec<Group> {
    let mut reader = csv::Reader::from_path(root().join(file)).expect("the data");
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let at: Vec<usize> = items.iter().map(|item| column(item)).collect();
    let status = headers.iter().position(|h| h == "status");
    let levels = group.map_or(1, |(_, levels)| levels.len());
    let group_at = group.map(|(name, _)| column(name));
    let mut rows: Vec<Vec<Vec<f64>>> = vec![Vec::new(); levels];
    for record in reader.records() {
        let record = record.expect("a row");
        if status.is_some_and(|i| &record[i] != "complete") {
            continue;
        }
        let index = match (group_at, group) {
            (Some(g), Some((_, names))) => match names.iter().position(|l| *l == &record[g]) {
                Some(index) => index,
                None => continue,
            },
            _ => 0,
        };
        let values = at
            .iter()
            .zip(items)
            .map(|(&i, item)| match record[i].parse::<f64>() {
                Ok(value) if reversed.contains(item) => 7.0 - value,
                Ok(value) => value,
                Err(_) => f64::NAN,
            });
        rows[index].push(values.collect());
    }
    rows.into_iter()
        .map(|rows| {
            let n = rows.len();
            Group::new(DMatrix::from_row_iterator(
                n,
                items.len(),
                rows.into_iter().flatten(),
            ))
        })
        .collect()
}

fn bfi(group: bool) -> Vec<Group> {
    let levels: &[&str] = &["1", "2"];
    cases(
        "tests/data/bfi.csv",
        &ITEMS,
        &REVERSED,
        group.then_some(("gender", levels)),
    )
}

fn motive_items() -> Vec<String> {
    ["help", "enjoy", "strat", "oblig", "status"]
        .iter()
        .flat_map(|p| (1..=4).map(move |i| format!("{p}_{i}")))
        .collect()
}

fn motives() -> Vec<Group> {
    let items = motive_items();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    cases("analysis/example/responses.csv", &items, &[], None)
}

/// Factors of `per` consecutive indicators each.
fn consecutive(factors: &[&str], per: usize, std_lv: bool) -> Model {
    Model {
        factors: factors
            .iter()
            .enumerate()
            .map(|(f, name)| (name.to_string(), (per * f..per * (f + 1)).collect()))
            .collect(),
        std_lv,
        ..Model::default()
    }
}

/// lavaan's (lhs, op, rhs) of an element.
fn name(kind: Kind, items: &[String], factors: &[&str]) -> (String, &'static str, String) {
    kind.lavaan(items, factors)
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

/// Every row of kith's table against lavaan's, matched by lhs, op, rhs and group.
fn check_table(
    solution: &Solution,
    fixture: &Value,
    items: &[String],
    factors: &[&str],
    tolerance: f64,
) {
    let table = fixture["parameters"].as_array().expect("parameters");
    let rows = solution.table();
    assert_eq!(rows.len(), table.len(), "as many rows as lavaan's table");
    let groups = solution.spec.groups();
    for row in &rows {
        let (lhs, op, rhs) = name(row.kind, items, factors);
        let r = table
            .iter()
            .find(|r| {
                r["lhs"] == lhs
                    && r["op"] == op
                    && r["rhs"] == rhs
                    && (groups == 1 || r["group"].as_u64() == Some(row.group as u64 + 1))
            })
            .unwrap_or_else(|| {
                panic!(
                    "{lhs} {op} {rhs} (group {}) in lavaan's table",
                    row.group + 1
                )
            });
        let what = |field: &str| format!("{lhs} {op} {rhs} group {} {field}", row.group + 1);
        close_to(&what("est"), row.estimate, &r["est"], tolerance);
        close_to(&what("se"), row.standard_error, &r["se"], tolerance);
        close_to(&what("std.lv"), row.std_lv, &r["std.lv"], tolerance);
        close_to(&what("std.all"), row.std_all, &r["std.all"], tolerance);
        match row.test {
            Some((z, p, lower, upper)) => {
                // z divides the estimate by its standard error, so lavaan's convergence error
                // in a small estimate is magnified by 1/se.
                let est = row.estimate.abs().max(1.0);
                let z_tolerance = tolerance * (est / row.standard_error + z.abs());
                close_to(&what("z"), z, &r["z"], z_tolerance / z.abs().max(1.0));
                close_to(&what("pvalue"), p, &r["pvalue"], tolerance);
                close_to(&what("ci.lower"), lower, &r["ci.lower"], tolerance);
                close_to(&what("ci.upper"), upper, &r["ci.upper"], tolerance);
            }
            None => assert!(r["z"].is_null(), "{lhs} {op} {rhs} is fixed in lavaan too"),
        }
    }
}

/// Every fit measure kith computes that lavaan's `fitMeasures` has, to `tolerance`.
fn check_measures(solution: &Solution, fixture: &Value, tolerance: f64) {
    let m = &solution.measures;
    let (rmsea, lower, upper) = m.rmsea();
    let mut cases = vec![
        ("npar", m.npar as f64),
        ("ntotal", m.n as f64),
        ("chisq", m.chisq),
        ("df", m.df as f64),
        ("pvalue", m.pvalue()),
        ("baseline.chisq", m.baseline_chisq),
        ("baseline.df", m.baseline_df as f64),
        ("baseline.pvalue", m.baseline_pvalue()),
        ("cfi", m.cfi()),
        ("tli", m.tli()),
        ("rmsea", rmsea),
        ("rmsea.ci.lower", lower),
        ("rmsea.ci.upper", upper),
        ("rmsea.pvalue", m.rmsea_close()),
        ("rmsea.notclose.pvalue", m.rmsea_not_close()),
        ("srmr", m.srmr),
        ("logl", m.logl),
        ("unrestricted.logl", m.unrestricted_logl),
        ("aic", m.aic()),
        ("bic", m.bic()),
        ("bic2", m.sabic()),
    ];
    if let Some((c, _)) = m.scaling {
        let (x, p) = m.chisq_scaled().expect("scaled");
        let (rs, rs_lower, rs_upper) = m.rmsea_scaled().expect("scaled");
        cases.extend([
            ("chisq.scaled", x),
            ("pvalue.scaled", p),
            ("chisq.scaling.factor", c),
            (
                "baseline.chisq.scaled",
                m.baseline_chisq_scaled().expect("scaled"),
            ),
            ("cfi.scaled", m.cfi_scaled().expect("scaled")),
            ("tli.scaled", m.tli_scaled().expect("scaled")),
            ("rmsea.scaled", rs),
            ("rmsea.ci.lower.scaled", rs_lower),
            ("rmsea.ci.upper.scaled", rs_upper),
        ]);
    }
    if let Some((rr, rr_lower, rr_upper)) = m.rmsea_robust() {
        cases.extend([
            ("cfi.robust", m.cfi_robust().expect("robust")),
            ("tli.robust", m.tli_robust().expect("robust")),
            ("rmsea.robust", rr),
            ("rmsea.ci.lower.robust", rr_lower),
            ("rmsea.ci.upper.robust", rr_upper),
        ]);
    }
    let mut failures = Vec::new();
    for (name, kith) in cases {
        let Some(r) = fixture["fit"][name].as_f64() else {
            continue;
        };
        if (kith - r).abs() > tolerance * r.abs().max(1.0) {
            failures.push(format!(
                "{name}: kith {kith} vs lavaan {r} (diff {:e})",
                kith - r
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fit measures differ:\n{}",
        failures.join("\n")
    );
}

fn items_of(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn fit(model: &Model, groups: Vec<Group>, missing: Missing, estimator: Estimator) -> Solution {
    let options = Options {
        missing,
        estimator,
        ..Options::default()
    };
    measurement::fit(model, groups, &options).expect("converges")
}

/// bfi's five factors fitted as the fixture `name` was, against it.
fn check_bfi(name: &str, std_lv: bool, missing: Missing, estimator: Estimator) {
    let fixture = &reference()["bfi"][name];
    let model = consecutive(&FACTORS, 5, std_lv);
    let solution = fit(&model, bfi(false), missing, estimator);
    check_measures(&solution, fixture, 1e-6);
    check_table(&solution, fixture, &items_of(&ITEMS), &FACTORS, 1e-4);
}

#[test]
fn ml_of_bfi_matches_lavaan_with_marker_variables() {
    check_bfi("ml", false, Missing::Listwise, Estimator::Ml);
}

#[test]
fn ml_of_bfi_matches_lavaan_with_standardized_factors() {
    check_bfi("ml_std_lv", true, Missing::Listwise, Estimator::Ml);
}

#[test]
fn fiml_of_bfi_matches_lavaan() {
    check_bfi("fiml", false, Missing::Fiml, Estimator::Ml);
}

#[test]
fn mlr_of_bfi_matches_lavaan() {
    check_bfi("mlr", false, Missing::Listwise, Estimator::Mlr);
}

#[test]
fn motives_match_lavaan_by_ml_fiml_and_mlr() {
    let reference = reference();
    let items = motive_items();
    let model = consecutive(&MOTIVES, 4, false);
    for (name, missing, estimator) in [
        ("ml", Missing::Listwise, Estimator::Ml),
        ("fiml", Missing::Fiml, Estimator::Ml),
        ("mlr", Missing::Listwise, Estimator::Mlr),
        ("fiml_mlr", Missing::Fiml, Estimator::Mlr),
    ] {
        let fixture = &reference["motives"][name];
        let solution = fit(&model, motives(), missing, estimator);
        check_measures(&solution, fixture, 1e-6);
        check_table(&solution, fixture, &items, &MOTIVES, 1e-4);
    }
}

/// Every step of an invariance analysis of bfi across gender, and the differences between
/// them, against the fixture `name`.
fn check_invariance(name: &str, estimator: Estimator, released: &[Release]) {
    let reference = reference();
    let model = consecutive(&FACTORS, 5, false);
    let fixture = &reference["bfi"][name];
    let options = Options {
        estimator,
        ..Options::default()
    };
    let result = invariance::invariance(&model, &bfi(true), &options, released).expect("converges");
    for (step, solution) in &result.steps {
        let fixture = &fixture["fits"][step.name()];
        check_measures(solution, fixture, 1e-6);
        check_table(solution, fixture, &items_of(&ITEMS), &FACTORS, 1e-4);
    }
    let differences = fixture["differences"].as_array().expect("differences");
    assert_eq!(differences.len(), result.differences.len());
    for (kith, r) in result.differences.iter().zip(differences) {
        let what =
            |field: &str| format!("{name} {} to {} {field}", kith.from.name(), kith.to.name());
        assert_eq!(r["to"], kith.to.name());
        // The scaled difference divides by (d0·c0 − d1·c1)/(d0 − d1), which multiplies the
        // scaling factors' convergence error (1e-7 here) by d0/(d0 − d1), about 20.
        let tolerance = if estimator == Estimator::Mlr {
            1e-5
        } else {
            1e-6
        };
        close_to(&what("chisq_diff"), kith.chisq, &r["chisq_diff"], tolerance);
        close_to(&what("df_diff"), kith.df as f64, &r["df_diff"], 0.0);
        close_to(&what("p"), kith.p, &r["p"], tolerance);
        close_to(&what("delta_cfi"), kith.delta_cfi, &r["delta_cfi"], 1e-6);
        close_to(
            &what("delta_rmsea"),
            kith.delta_rmsea,
            &r["delta_rmsea"],
            1e-6,
        );
    }
}

#[test]
fn invariance_of_bfi_across_gender_matches_lavaan_by_ml_and_mlr() {
    check_invariance("invariance_ml", Estimator::Ml, &[]);
    check_invariance("invariance_mlr", Estimator::Mlr, &[]);
}

/// lavaan's `group.partial`: the released loading, intercept and residual variance are free
/// in every group at every step.
#[test]
fn partial_invariance_matches_lavaans_group_partial() {
    let item = |name: &str| ITEMS.iter().position(|i| *i == name).expect("an item");
    let conscientiousness = FACTORS
        .iter()
        .position(|f| *f == "conscientiousness")
        .expect("a factor");
    check_invariance(
        "invariance_partial",
        Estimator::Ml,
        &[
            Release::Loading {
                factor: conscientiousness,
                item: item("C4"),
            },
            Release::Intercept { item: item("O2") },
            Release::Residual { item: item("N3") },
        ],
    );
}

/// The largest modification indices and the residual correlations, for ML and FIML.
#[test]
fn modification_indices_and_residual_correlations_match_lavaan() {
    let reference = reference();
    let model = consecutive(&FACTORS, 5, false);
    let items = items_of(&ITEMS);
    for (fixture_name, missing, estimator) in [
        ("ml", Missing::Listwise, Estimator::Ml),
        ("fiml", Missing::Fiml, Estimator::Ml),
        ("mlr", Missing::Listwise, Estimator::Mlr),
    ] {
        let fixture = &reference["bfi"][fixture_name];
        let solution = fit(&model, bfi(false), missing, estimator);
        let kith = solution.modification_indices().expect("one group");
        let top = fixture["modification_indices"].as_array().expect("indices");
        for (rank, (k, r)) in kith.iter().zip(top).enumerate() {
            let (lhs, op, rhs) = name(k.kind, &items, &FACTORS);
            assert_eq!(
                (r["lhs"].as_str(), r["op"].as_str(), r["rhs"].as_str()),
                (Some(&*lhs), Some(op), Some(&*rhs)),
                "{fixture_name} rank {rank}"
            );
            let what = |field: &str| format!("{fixture_name} {lhs} {op} {rhs} {field}");
            close_to(&what("mi"), k.mi, &r["mi"], 1e-4);
            close_to(&what("epc"), k.epc, &r["epc"], 1e-4);
            close_to(&what("sepc.all"), k.sepc_all, &r["sepc.all"], 1e-4);
        }
        let residuals = solution.residual_correlations(0);
        let r = fixture["residual_correlations"]
            .as_array()
            .expect("residuals");
        for i in 0..ITEMS.len() {
            for j in 0..ITEMS.len() {
                close_to(
                    &format!("{fixture_name} residual {i},{j}"),
                    residuals[(i, j)],
                    &r[i][j],
                    1e-5,
                );
            }
        }
    }
}

/// Composite reliability, AVE, HTMT2 and the factor correlations with their intervals, for
/// bfi and the motives.
#[test]
fn reliability_and_discriminant_validity_match_semtools() {
    let reference = reference();
    for (data, groups, model, factors) in [
        ("bfi", bfi(false), consecutive(&FACTORS, 5, false), &FACTORS),
        (
            "motives",
            motives(),
            consecutive(&MOTIVES, 4, false),
            &MOTIVES,
        ),
    ] {
        let fixture = &reference[data]["reliability"];
        let solution = fit(&model, groups, Missing::Listwise, Estimator::Ml);
        for row in solution.reliability(0) {
            let factor = factors[row.factor];
            close_to(
                &format!("{data} {factor} CR"),
                row.composite_reliability,
                &fixture["composite_reliability"][factor],
                1e-5,
            );
            close_to(
                &format!("{data} {factor} AVE"),
                row.ave.expect("simple structure"),
                &fixture["ave"][factor],
                1e-5,
            );
        }
        let htmt = solution.htmt().expect("complete cases");
        for a in 0..factors.len() {
            for b in 0..factors.len() {
                close_to(
                    &format!("{data} htmt {a},{b}"),
                    htmt[(a, b)],
                    &fixture["htmt"][a][b],
                    1e-9,
                );
            }
        }
        let table = fixture["factor_correlations_ci"]
            .as_array()
            .expect("correlations");
        let correlations = solution.factor_correlations(0);
        assert_eq!(correlations.len(), table.len());
        for c in &correlations {
            let r = table
                .iter()
                .find(|r| r["lhs"] == factors[c.a] && r["rhs"] == factors[c.b])
                .expect("the pair");
            let what = |field: &str| format!("{data} {} ~~ {} {field}", factors[c.a], factors[c.b]);
            close_to(&what("r"), c.r, &r["est.std"], 1e-5);
            close_to(&what("se"), c.standard_error, &r["se"], 1e-4);
            close_to(&what("lower"), c.lower, &r["ci.lower"], 1e-4);
            close_to(&what("upper"), c.upper, &r["ci.upper"], 1e-4);
        }
    }
}

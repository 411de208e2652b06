//! Group comparisons against R (`tests/r/comparisons.R`): t.test (Welch's and Student's),
//! aov and oneway.test, chisq.test, and the effect sizes from their definitions, on R's
//! ToothGrowth and on bfi's age, gender and education; and the inputs they refuse.

use kith_analysis::compare::{
    CompareError, PostHocMethod, chi_square, fisher_exact, kruskal_wallis, mann_whitney, one_way,
    post_hoc, t_test,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Closed-form statistics agree with R to rounding: 1e-9, relative beyond 1 (F and df run
/// into the thousands), well inside the sixth decimal researchers check.
const TOLERANCE: f64 = 1e-9;

/// Values found by inverting a distribution (an interval of d, a studentized-range
/// quantile, an exact odds-ratio limit) agree to 1e-7 relative: both sides solve to 1e-13,
/// and the distributions themselves (noncentral t by series, the studentized range by
/// quadrature) are good to about 1e-10.
const INVERTED: f64 = 1e-7;

/// The studentized range's p-values agree to 1e-9 absolute, the accuracy of R's `ptukey`.
const PTUKEY: f64 = 1e-9;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/comparisons.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// A data file's columns as text, by name.
fn columns(data: &str) -> BTreeMap<String, Vec<String>> {
    let file = match data {
        "toothgrowth" => "tests/data/toothgrowth.csv",
        _ => "tests/data/bfi.csv",
    };
    let mut reader = csv::Reader::from_path(root().join(file)).expect("the data");
    let headers: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut out: BTreeMap<String, Vec<String>> =
        headers.iter().map(|h| (h.clone(), Vec::new())).collect();
    for record in reader.records() {
        let record = record.expect("a row");
        for (name, cell) in headers.iter().zip(record.iter()) {
            out.get_mut(name).expect("a column").push(cell.to_string());
        }
    }
    // bfi's age split as the R script splits it.
    if let Some(age) = out.get("age").cloned() {
        let older = age
            .iter()
            .map(|a| match a.parse::<f64>() {
                Ok(a) if a > 30.0 => "over 30".to_string(),
                Ok(_) => "30 or under".to_string(),
                Err(_) => String::new(),
            })
            .collect();
        out.insert("older".into(), older);
    }
    out
}

/// The outcome's values in each level (levels as R's fixture lists them), empty cells left out.
fn by_group(data: &str, outcome: &str, group: &str, levels: &[String]) -> Vec<Vec<f64>> {
    let columns = columns(data);
    levels
        .iter()
        .map(|level| {
            columns[outcome]
                .iter()
                .zip(&columns[group])
                .filter(|(_, g)| *g == level)
                .filter_map(|(y, _)| y.parse().ok())
                .collect()
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn check(what: &str, found: f64, expected: &Value) {
    check_within(what, found, expected, TOLERANCE);
}

/// `found` against R's `expected`, within `tolerance` (relative beyond 1).
fn check_within(what: &str, found: f64, expected: &Value, tolerance: f64) {
    let expected = expected
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {expected}"));
    assert!(
        (found - expected).abs() <= tolerance * expected.abs().max(1.0),
        "{what}: kith {found}, R {expected}"
    );
}

#[test]
fn t_tests_match_r() {
    let reference = reference();
    for (name, r) in reference["t_tests"].as_object().expect("t tests") {
        let groups = by_group(
            r["data"].as_str().expect("data"),
            r["outcome"].as_str().expect("outcome"),
            r["group"].as_str().expect("group"),
            &strings(&r["groups"]),
        );
        let equal = r["equal_variances"].as_bool().expect("a flag");
        let test = t_test(&groups[0], &groups[1], equal, 0.95).expect("a test");
        assert_eq!(
            test.n.to_vec(),
            r["n"]
                .as_array()
                .expect("n")
                .iter()
                .map(|n| n.as_u64().expect("n") as usize)
                .collect::<Vec<_>>(),
            "{name}"
        );
        for k in 0..2 {
            check(&format!("{name} mean {k}"), test.mean[k], &r["mean"][k]);
            check(&format!("{name} sd {k}"), test.sd[k], &r["sd"][k]);
            check(&format!("{name} ci {k}"), test.ci[k], &r["ci"][k]);
        }
        check(&format!("{name} t"), test.t, &r["t"]);
        check(&format!("{name} df"), test.df, &r["df"]);
        check(&format!("{name} p"), test.p, &r["p"]);
        check(
            &format!("{name} difference"),
            test.difference,
            &r["difference"],
        );
        check(&format!("{name} d"), test.cohens_d, &r["cohens_d"]);
        check(&format!("{name} g"), test.hedges_g, &r["hedges_g"]);
        for k in 0..2 {
            let (d, g) = (test.cohens_d_ci[k], test.hedges_g_ci[k]);
            check_within(
                &format!("{name} d ci {k}"),
                d,
                &r["cohens_d_ci"][k],
                INVERTED,
            );
            check_within(
                &format!("{name} g ci {k}"),
                g,
                &r["hedges_g_ci"][k],
                INVERTED,
            );
        }
    }
}

/// The groups of a post-hoc reference.
fn post_hoc_groups(r: &Value) -> Vec<Vec<f64>> {
    by_group(
        r["data"].as_str().expect("data"),
        r["outcome"].as_str().expect("outcome"),
        r["group"].as_str().expect("group"),
        &strings(&r["levels"]),
    )
}

#[test]
fn tukey_hsd_matches_r() {
    let reference = reference();
    for (name, r) in reference["tukey"].as_object().expect("Tukey") {
        let groups = post_hoc_groups(r);
        let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let pairs = post_hoc(&slices, PostHocMethod::Tukey, 0.95).expect("comparisons");
        let expected = r["pairs"].as_array().expect("pairs");
        assert_eq!(pairs.len(), expected.len(), "{name}");
        for (pair, e) in pairs.iter().zip(expected) {
            let what = format!("{name} {}-{}", pair.second, pair.first);
            assert_eq!(
                (pair.first as u64, pair.second as u64),
                (
                    e["first"].as_u64().expect("i"),
                    e["second"].as_u64().expect("j")
                ),
                "{what}"
            );
            check(&format!("{what} diff"), pair.difference, &e["difference"]);
            check(&format!("{what} df"), pair.df, &r["df"]);
            check_within(
                &format!("{what} p"),
                pair.p_adjusted,
                &e["p_adjusted"],
                PTUKEY,
            );
            for k in 0..2 {
                check_within(&format!("{what} ci {k}"), pair.ci[k], &e["ci"][k], INVERTED);
                // TukeyHSD's own interval, from qtukey's coarser quantile, is within 1e-6.
                check_within(&format!("{what} R ci {k}"), pair.ci[k], &e["r_ci"][k], 1e-6);
            }
        }
    }
}

#[test]
fn games_howell_matches_its_definition_in_r() {
    let reference = reference();
    for (name, r) in reference["games_howell"].as_object().expect("Games-Howell") {
        let groups = post_hoc_groups(r);
        let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let pairs = post_hoc(&slices, PostHocMethod::GamesHowell, 0.95).expect("comparisons");
        let expected = r["pairs"].as_array().expect("pairs");
        assert_eq!(pairs.len(), expected.len(), "{name}");
        for (pair, e) in pairs.iter().zip(expected) {
            let what = format!("{name} {}-{}", pair.second, pair.first);
            check(&format!("{what} diff"), pair.difference, &e["difference"]);
            check(&format!("{what} se"), pair.se, &e["se"]);
            check(&format!("{what} df"), pair.df, &e["df"]);
            check_within(
                &format!("{what} p"),
                pair.p_adjusted,
                &e["p_adjusted"],
                PTUKEY,
            );
            for k in 0..2 {
                check_within(&format!("{what} ci {k}"), pair.ci[k], &e["ci"][k], INVERTED);
            }
        }
    }
}

#[test]
fn fishers_exact_test_matches_fisher_test() {
    let reference = reference();
    for (name, r) in reference["fisher"].as_object().expect("Fisher") {
        let cell = |i: usize, j: usize| r["counts"][i][j].as_f64().expect("a count");
        let table = [[cell(0, 0), cell(0, 1)], [cell(1, 0), cell(1, 1)]];
        let test = fisher_exact(table, 0.95).expect("a test");
        check(&format!("{name} p"), test.p, &r["p"]);
        check_within(
            &format!("{name} odds ratio"),
            test.odds_ratio,
            &r["odds_ratio"],
            INVERTED,
        );
        for k in 0..2 {
            let limit = test.ci[k];
            if r["ci"][k].as_str() == Some("Inf") || r["ci"][k].is_string() {
                assert!(limit.is_infinite(), "{name} ci {k}: {limit}");
            } else {
                check_within(&format!("{name} ci {k}"), limit, &r["ci"][k], INVERTED);
            }
        }
    }
    // Counts that are not whole numbers of zero or more, and an empty margin, are refused.
    assert_eq!(
        fisher_exact([[1.0, -2.0], [3.0, 4.0]], 0.95),
        Err(CompareError::BadCount { row: 0, column: 1 })
    );
    assert_eq!(
        fisher_exact([[0.0, 0.0], [3.0, 4.0]], 0.95),
        Err(CompareError::EmptyMargin {
            row: true,
            index: 0
        })
    );
}

#[test]
fn one_way_anovas_and_welchs_match_r() {
    let reference = reference();
    for (name, r) in reference["anovas"].as_object().expect("anovas") {
        let groups = by_group(
            r["data"].as_str().expect("data"),
            r["outcome"].as_str().expect("outcome"),
            r["group"].as_str().expect("group"),
            &strings(&r["levels"]),
        );
        let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let test = one_way(&slices).expect("an ANOVA");
        for (k, n) in test.n.iter().enumerate() {
            check(&format!("{name} n {k}"), *n as f64, &r["n"][k]);
        }
        check(&format!("{name} F"), test.f, &r["f"]);
        check(&format!("{name} df1"), test.df[0], &r["df"][0]);
        check(&format!("{name} df2"), test.df[1], &r["df"][1]);
        check(&format!("{name} p"), test.p, &r["p"]);
        check(
            &format!("{name} SS between"),
            test.ss_between,
            &r["ss_between"],
        );
        check(
            &format!("{name} SS within"),
            test.ss_within,
            &r["ss_within"],
        );
        check(&format!("{name} eta2"), test.eta_squared, &r["eta_squared"]);
        check(
            &format!("{name} omega2"),
            test.omega_squared,
            &r["omega_squared"],
        );
        check(&format!("{name} Welch F"), test.welch_f, &r["welch_f"]);
        check(
            &format!("{name} Welch df1"),
            test.welch_df[0],
            &r["welch_df"][0],
        );
        check(
            &format!("{name} Welch df2"),
            test.welch_df[1],
            &r["welch_df"][1],
        );
        check(&format!("{name} Welch p"), test.welch_p, &r["welch_p"]);
    }
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

#[test]
fn mann_whitney_tests_match_wilcox_test_exact_and_approximate() {
    let reference = reference();
    let mut exact = 0;
    for (name, r) in reference["mann_whitney"].as_object().expect("tests") {
        let test = mann_whitney(&numbers(&r["a"]), &numbers(&r["b"])).expect("a test");
        assert_eq!(Some(test.exact), r["exact"].as_bool(), "{name}");
        exact += usize::from(test.exact);
        check(&format!("{name} W"), test.w, &r["w"]);
        check(&format!("{name} p"), test.p, &r["p"]);
        check(
            &format!("{name} r"),
            test.rank_biserial,
            &r["rank_biserial"],
        );
    }
    assert_eq!(exact, 1, "one fixture takes the exact distribution");
}

#[test]
fn kruskal_wallis_tests_match_r() {
    let reference = reference();
    for (name, r) in reference["kruskal_wallis"].as_object().expect("tests") {
        let groups = by_group(
            r["data"].as_str().expect("data"),
            r["outcome"].as_str().expect("outcome"),
            r["group"].as_str().expect("group"),
            &strings(&r["levels"]),
        );
        let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
        let test = kruskal_wallis(&slices).expect("a test");
        check(&format!("{name} H"), test.h, &r["h"]);
        check(&format!("{name} df"), test.df, &r["df"]);
        check(&format!("{name} p"), test.p, &r["p"]);
    }
}

#[test]
fn chi_squared_tests_of_independence_match_r() {
    let reference = reference();
    for (name, r) in reference["chi_squared"].as_object().expect("tables") {
        let columns = columns(r["data"].as_str().expect("data"));
        let (rows, cols) = (strings(&r["rows"]), strings(&r["columns"]));
        let row_var = &columns[name_of(r, "rows")];
        let column_var = &columns[name_of(r, "columns")];
        let counts: Vec<Vec<f64>> = rows
            .iter()
            .map(|row| {
                cols.iter()
                    .map(|col| {
                        row_var
                            .iter()
                            .zip(column_var)
                            .filter(|(a, b)| *a == row && *b == col)
                            .count() as f64
                    })
                    .collect()
            })
            .collect();
        for (i, row) in counts.iter().enumerate() {
            for (j, count) in row.iter().enumerate() {
                check(&format!("{name} count {i},{j}"), *count, &r["counts"][i][j]);
            }
        }
        let test = chi_square(&counts).expect("a test");
        assert_eq!(Some(test.corrected), r["corrected"].as_bool(), "{name}");
        check(&format!("{name} X2"), test.chi_squared, &r["chi_squared"]);
        check(&format!("{name} df"), test.df, &r["df"]);
        check(&format!("{name} p"), test.p, &r["p"]);
        check(
            &format!("{name} uncorrected"),
            test.uncorrected_chi_squared,
            &r["uncorrected_chi_squared"],
        );
        check(&format!("{name} V"), test.cramers_v, &r["cramers_v"]);
        for (i, row) in test.expected.iter().enumerate() {
            for (j, e) in row.iter().enumerate() {
                check(
                    &format!("{name} expected {i},{j}"),
                    *e,
                    &r["expected"][i][j],
                );
            }
        }
    }
}

/// The variable on a side of the table (`rows` or `columns`); the fixture's `rows` and
/// `columns` are the levels.
fn name_of<'a>(r: &'a Value, side: &str) -> &'a str {
    r[format!("{side}_variable")].as_str().expect("a variable")
}

#[test]
fn comparisons_refuse_what_they_cannot_test() {
    assert_eq!(
        t_test(&[1.0], &[1.0, 2.0, f64::NAN], false, 0.95),
        Err(CompareError::TooFewValues {
            group: 0,
            n: 1,
            needed: 2
        })
    );
    assert_eq!(
        t_test(&[3.0, 3.0], &[3.0, 3.0, 3.0], true, 0.95),
        Err(CompareError::NoVariance)
    );
    assert_eq!(
        one_way(&[&[1.0, 2.0]]),
        Err(CompareError::Groups { found: 1 })
    );
    assert_eq!(
        one_way(&[&[1.0, 2.0], &[f64::NAN, 4.0]]),
        Err(CompareError::TooFewValues {
            group: 1,
            n: 1,
            needed: 2
        })
    );
    assert_eq!(
        chi_square(&[vec![1.0, 2.0], vec![0.0, 0.0]]),
        Err(CompareError::EmptyMargin {
            row: true,
            index: 1
        })
    );
    assert_eq!(
        chi_square(&[vec![1.0, -2.0], vec![3.0, 4.0]]),
        Err(CompareError::BadCount { row: 0, column: 1 })
    );
    assert_eq!(
        chi_square(&[vec![1.0, 2.0], vec![3.0]]),
        Err(CompareError::BadCount { row: 1, column: 1 })
    );
    assert_eq!(
        mann_whitney(&[f64::NAN], &[1.0]),
        Err(CompareError::TooFewValues {
            group: 0,
            n: 0,
            needed: 1
        })
    );
    assert_eq!(
        mann_whitney(&[2.0; 60], &[2.0; 60]),
        Err(CompareError::NoVariance)
    );
    assert_eq!(
        kruskal_wallis(&[&[1.0, 1.0], &[1.0]]),
        Err(CompareError::NoVariance)
    );
    let error = chi_square(&[vec![1.0, 2.0, 3.0]]).expect_err("one row");
    assert_eq!(error, CompareError::Groups { found: 1 });
    assert!(error.to_string().contains("between 2 and"));
    assert!(!error.hint().is_empty());
}

//! A plan's `comparisons:` through `kith analyze`, against R (tests/r/comparisons.R) on
//! ToothGrowth: results.json carries the engine's numbers for a t test, a Mann–Whitney test,
//! an ANOVA with Tukey's HSD or Games–Howell, Kruskal–Wallis and χ², and the report shows them.

use crate::common::root;
use crate::tolerance::{CLOSED_FORM, Mismatches};
use serde_json::Value;

/// Every closed-form statistic to the sixth decimal; the studentized range's p-values and
/// intervals found by inversion agree more closely than this too (crates' own tests).
const TOLERANCE: f64 = CLOSED_FORM;

fn fixture() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/comparisons.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn group_comparisons_in_a_plan_match_r() {
    let (out, results) = crate::analyze_plan("tests/data/analysis/comparisons.yaml", "comparisons");
    let r = fixture();
    let c = &results["comparisons"];
    let mut m = Mismatches::default();
    // len by supp: Welch's t with d and g and their intervals, and Mann–Whitney.
    let t = &c[0]["means"]["t_test"];
    let rt = &r["t_tests"]["toothgrowth_welch"];
    for key in ["t", "df", "p", "difference", "cohens_d", "hedges_g"] {
        m.check(
            &format!("t {key}"),
            t[key].as_f64().unwrap_or(f64::NAN),
            &rt[key],
            TOLERANCE,
        );
    }
    for key in ["ci", "cohens_d_ci", "hedges_g_ci"] {
        for k in 0..2 {
            m.check(
                &format!("t {key}[{k}]"),
                t[key][k].as_f64().unwrap_or(f64::NAN),
                &rt[key][k],
                TOLERANCE,
            );
        }
    }
    for (k, group) in c[0]["means"]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .enumerate()
    {
        m.check(
            &format!("mean {k}"),
            group["mean"].as_f64().unwrap_or(f64::NAN),
            &rt["mean"][k],
            TOLERANCE,
        );
        m.check(
            &format!("sd {k}"),
            group["sd"].as_f64().unwrap_or(f64::NAN),
            &rt["sd"][k],
            TOLERANCE,
        );
    }
    let w = &c[0]["means"]["rank_test"];
    let rw = &r["mann_whitney"]["toothgrowth_supp_ties"];
    m.check(
        "W",
        w["statistic"].as_f64().unwrap_or(f64::NAN),
        &rw["w"],
        TOLERANCE,
    );
    m.check(
        "W p",
        w["p"].as_f64().unwrap_or(f64::NAN),
        &rw["p"],
        TOLERANCE,
    );
    // len by dose: the ANOVA, Tukey's HSD and Kruskal–Wallis; then Games–Howell.
    let a = &c[1]["means"]["anova"];
    let ra = &r["anovas"]["toothgrowth_dose"];
    for key in [
        "f",
        "p",
        "eta_squared",
        "omega_squared",
        "welch_f",
        "welch_p",
    ] {
        m.check(
            &format!("anova {key}"),
            a[key].as_f64().unwrap_or(f64::NAN),
            &ra[key],
            TOLERANCE,
        );
    }
    assert_eq!(c[1]["means"]["post_hoc_method"], "tukey");
    assert_eq!(c[2]["means"]["post_hoc_method"], "games-howell");
    for (index, name) in [(1, "tukey"), (2, "games_howell")] {
        let pairs = c[index]["means"]["post_hoc"].as_array().expect("pairs");
        let expected = r[name]["toothgrowth_dose"]["pairs"]
            .as_array()
            .expect("R pairs");
        assert_eq!(pairs.len(), expected.len(), "{name}");
        for (p, e) in pairs.iter().zip(expected) {
            let what = format!("{name} {}-{}", p["second"], p["first"]);
            assert_eq!(
                (&p["first"], &p["second"]),
                (&e["first"], &e["second"]),
                "{what}"
            );
            for key in ["difference", "p_adjusted"] {
                m.check(
                    &format!("{what} {key}"),
                    p[key].as_f64().unwrap_or(f64::NAN),
                    &e[key],
                    TOLERANCE,
                );
            }
            for k in 0..2 {
                m.check(
                    &format!("{what} ci[{k}]"),
                    p["ci"][k].as_f64().unwrap_or(f64::NAN),
                    &e["ci"][k],
                    TOLERANCE,
                );
            }
        }
    }
    let h = &c[1]["means"]["rank_test"];
    let rh = &r["kruskal_wallis"]["toothgrowth_dose"];
    m.check(
        "H",
        h["statistic"].as_f64().unwrap_or(f64::NAN),
        &rh["h"],
        TOLERANCE,
    );
    m.check(
        "H p",
        h["p"].as_f64().unwrap_or(f64::NAN),
        &rh["p"],
        TOLERANCE,
    );
    // supp by dose: the table and χ².
    let x = &c[3]["counts"];
    let rx = &r["chi_squared"]["toothgrowth_supp_by_dose"];
    for key in ["chi_squared", "df", "p", "cramers_v"] {
        m.check(
            &format!("chi {key}"),
            x[key].as_f64().unwrap_or(f64::NAN),
            &rx[key],
            TOLERANCE,
        );
    }
    m.assert_none("comparisons");
    // The report: one table per comparison with the tests in APA style, and a figure of the
    // means for each numeric outcome.
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let section = report
        .split("## Group comparisons")
        .nth(1)
        .expect("the section");
    for expected in [
        "| OJ | 30 | 20.66 | 6.61 |",
        "Welch's t(55.31) = 1.92, p = .061, d = 0.49 [−0.02, 1.01], g = 0.49 [−0.02, 0.99]",
        "Mann–Whitney W = 575.5, p = .064, rank-biserial r = .28.",
        "Pairwise comparisons (Tukey's HSD; p and intervals adjusted for 3 pairs).",
        "| 2 − 0.5 | 15.49 |",
        "Pairwise comparisons (Games–Howell;",
        "Kruskal–Wallis H(2) = 40.67, p < .001.",
        "χ²(2, N = 60) = 0.00, p = 1.000, Cramér's V = .00.",
    ] {
        assert!(section.contains(expected), "{expected}\n{section}");
    }
    assert_eq!(section.matches("*Figure ").count(), 3, "{section}");
    // The findings say which way each comparison came out, with the test that decides it:
    // Welch's unless equal variances were assumed, and the pairs after an omnibus F.
    let findings = report
        .split("## Findings")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("findings");
    for expected in [
        "len did not differ detectably between OJ (M = 20.66) and VC (M = 16.96) (Welch's t(55.31) = 1.92, p = .061",
        "len differed across dose (F(2, 57) = 67.42, p < .001",
        "len differed across dose (Welch's F(2, 37.74) = 68.40, p < .001",
        "pairwise, 1 above 0.5 (difference = 9.13, adjusted p < .001), 2 above 0.5 (difference = 15.49, adjusted p < .001), and 2 above 1 (difference = 6.36, adjusted p < .001)",
        "supp was not detectably associated with dose (χ²(2, N = 60) = 0.00, p = 1.000",
    ] {
        assert!(findings.contains(expected), "{expected}\n{findings}");
    }
}

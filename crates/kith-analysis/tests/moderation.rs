//! Moderation (PROCESS model 1) against R (`tests/r/moderation.R`) on mtcars: the model's
//! coefficients with classical or HC3 errors, the test of the interaction, the conditional
//! effects at the probe values, the Johnson–Neyman points and table, for a continuous, a
//! two-valued and a factor moderator, with mean-centring and a covariate.

use kith_analysis::linear::Errors;
use kith_analysis::moderation::{ModerationInput, Moderator, Probe, moderation, type6_percentile};
use serde_json::Value;
use std::path::Path;

/// Closed-form statistics to rounding (relative beyond 1).
const TOLERANCE: f64 = 1e-9;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn mtcars() -> Vec<csv::StringRecord> {
    let mut reader =
        csv::Reader::from_path(root().join("tests/data/analysis/mtcars.csv")).expect("mtcars");
    reader.records().map(|r| r.expect("a row")).collect()
}

fn column(rows: &[csv::StringRecord], index: usize) -> Vec<f64> {
    rows.iter()
        .map(|r| r[index].parse().expect("a number"))
        .collect()
}

fn check(what: &str, found: f64, expected: &Value) {
    let expected = expected
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {expected}"));
    assert!(
        (found - expected).abs() <= TOLERANCE * expected.abs().max(1.0),
        "{what}: kith {found}, R {expected}"
    );
}

#[test]
fn moderation_matches_lm_and_processs_definitions() {
    let text = std::fs::read_to_string(root().join("tests/data/reference/moderation.json"))
        .expect("the fixture");
    let reference: Value = serde_json::from_str(&text).expect("JSON");
    let rows = mtcars();
    // car,mpg,cyl,disp,hp,drat,wt,qsec,vs,am,...
    let (mpg, cyl, hp, wt, qsec, am) = (
        column(&rows, 1),
        column(&rows, 2),
        column(&rows, 4),
        column(&rows, 6),
        column(&rows, 7),
        column(&rows, 9),
    );
    let dummies = vec![
        (
            "cyl=6".to_string(),
            cyl.iter().map(|c| f64::from(*c == 6.0)).collect(),
        ),
        (
            "cyl=8".to_string(),
            cyl.iter().map(|c| f64::from(*c == 8.0)).collect(),
        ),
    ];
    type Case<'a> = (
        &'a str,
        &'a str,
        Moderator<'a>,
        Vec<(String, Vec<f64>)>,
        bool,
        Errors,
    );
    let cases: Vec<Case> = vec![
        (
            "hp_by_wt",
            "wt",
            Moderator::Numeric(&wt),
            vec![],
            false,
            Errors::Classical,
        ),
        (
            "hp_by_wt_centred_hc3_with_qsec",
            "wt",
            Moderator::Numeric(&wt),
            vec![("qsec".to_string(), qsec.clone())],
            true,
            Errors::Hc3,
        ),
        (
            "hp_by_am",
            "am",
            Moderator::Numeric(&am),
            vec![],
            false,
            Errors::Classical,
        ),
        (
            "hp_by_cylinders",
            "cyl",
            Moderator::Factor {
                reference: "4".to_string(),
                dummies,
            },
            vec![],
            false,
            Errors::Classical,
        ),
    ];
    for (name, w_name, w, covariates, center, errors) in cases {
        let r = &reference["models"][name];
        let fit = moderation(&ModerationInput {
            x_name: "hp",
            x: &hp,
            w_name,
            w,
            y: &mpg,
            covariates,
            center,
            errors,
            level: 0.95,
            probe: Probe::Percentiles,
        })
        .expect("a fit");
        // R orders main effects before interactions; kith keeps X, W, X × W, covariates.
        // Terms match by name: kith's `hp×cyl=6` is R's `hp:cyl6`.
        let r_terms: Vec<&str> = r["terms"]
            .as_array()
            .expect("terms")
            .iter()
            .map(|t| t.as_str().expect("a term"))
            .collect();
        assert_eq!(fit.fit.coefficients.len(), r_terms.len(), "{name}");
        for c in &fit.fit.coefficients {
            let r_name = c.term.replace('×', ":").replace('=', "");
            let k = r_terms
                .iter()
                .position(|t| *t == r_name)
                .unwrap_or_else(|| panic!("{name}: no R term {r_name} in {r_terms:?}"));
            let what = format!("{name} {}", c.term);
            check(&format!("{what} b"), c.estimate, &r["b"][k]);
            check(&format!("{what} se"), c.se, &r["se"][k]);
            check(&format!("{what} p"), c.p, &r["p"][k]);
            check(&format!("{what} ci low"), c.ci[0], &r["ci_low"][k]);
        }
        check(&format!("{name} R²"), fit.fit.r2, &r["r2"]);
        check(
            &format!("{name} ΔR²"),
            fit.interaction.delta_r2,
            &r["delta_r2"],
        );
        check(&format!("{name} F"), fit.interaction.f, &r["interaction_f"]);
        check(&format!("{name} p"), fit.interaction.p, &r["interaction_p"]);
        let probes = r["probes"].as_array().expect("probes");
        assert_eq!(fit.probe_values.len(), probes.len(), "{name}");
        for (effect, e) in fit.probe_values.iter().zip(probes) {
            let what = format!("{name} at {:?} {:?}", effect.w, effect.level);
            if let Some(level) = e["level"].as_str() {
                assert_eq!(effect.level.as_deref(), Some(level), "{what}");
            } else {
                check(&format!("{what} w"), effect.w, &e["w"]);
            }
            check(&format!("{what} effect"), effect.effect, &e["effect"]);
            check(&format!("{what} se"), effect.se, &e["se"]);
            check(&format!("{what} p"), effect.p, &e["p"]);
            check(&format!("{what} ci high"), effect.ci[1], &e["ci"][1]);
        }
        match (&fit.johnson_neyman, r.get("jn")) {
            (Some((points, table)), Some(expected)) => {
                let expected = expected.as_array().expect("points");
                assert_eq!(points.len(), expected.len(), "{name} JN");
                for (p, e) in points.iter().zip(expected) {
                    check(&format!("{name} JN w"), p.w, &e["w"]);
                    check(&format!("{name} JN below"), p.below, &e["below"]);
                    check(&format!("{name} JN above"), p.above, &e["above"]);
                }
                let rows = r["jn_table"].as_array().expect("table");
                assert_eq!(table.len(), rows.len(), "{name} JN table");
                for (row, e) in table.iter().zip(rows) {
                    check(&format!("{name} JN table w"), row.w, &e["w"]);
                    check(&format!("{name} JN table effect"), row.effect, &e["effect"]);
                    check(&format!("{name} JN table p"), row.p, &e["p"]);
                }
            }
            (None, None) => {}
            (found, expected) => panic!("{name}: JN {found:?} against R {expected:?}"),
        }
    }
}

#[test]
fn probe_values_are_processs_percentiles_or_both_values() {
    // quantile(1:10, c(.16, .5, .84), type = 6) = 1.76, 5.5, 9.24; with five values the
    // outer positions fall beyond the data and take its ends: 1, 3, 10.
    let ten: Vec<f64> = (1..=10).rev().map(f64::from).collect();
    let five = [4.0, 1.0, 10.0, 2.0, 3.0];
    for (values, expected) in [(&ten[..], [1.76, 5.5, 9.24]), (&five[..], [1.0, 3.0, 10.0])] {
        let found: Vec<f64> = [0.16, 0.5, 0.84]
            .iter()
            .map(|q| type6_percentile(values, *q))
            .collect();
        for (f, e) in found.iter().zip(expected) {
            assert!((f - e).abs() < 1e-12, "{found:?}");
        }
    }
    assert_eq!(Probe::Percentiles.values(&[0.0, 1.0, 1.0, 0.0]), [0.0, 1.0]);
    assert_eq!(Probe::Values(vec![2.5]).values(&[0.0, 1.0]), [2.5]);
    let sd = Probe::MeanSd.values(&[1.0, 2.0, 3.0]);
    assert_eq!(sd, [1.0, 2.0, 3.0]);
}

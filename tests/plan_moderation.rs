//! A plan's `moderation:` through `kith analyze`, against R (tests/r/moderation.R) on mtcars:
//! results.json carries the model, the test of the interaction, the conditional effects and
//! the Johnson–Neyman points, and the report shows them in tables, sentences and figures.

use crate::common::root;
use crate::tolerance::{CLOSED_FORM, Mismatches};
use serde_json::Value;

#[test]
fn moderation_in_a_plan_matches_r() {
    let (out, results) = crate::analyze_plan("tests/data/analysis/moderation.yaml", "moderation");
    let text = std::fs::read_to_string(root().join("tests/data/reference/moderation.json"))
        .expect("the fixture");
    let reference: Value = serde_json::from_str(&text).expect("JSON");
    let mut m = Mismatches::default();
    let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    for (index, name) in [
        (0, "hp_by_wt"),
        (1, "hp_by_wt_centred_hc3_with_qsec"),
        (2, "hp_by_am"),
    ] {
        let found = &results["moderation"][index];
        let r = &reference["models"][name];
        let terms: Vec<&str> = r["terms"]
            .as_array()
            .expect("terms")
            .iter()
            .map(|t| t.as_str().expect("a term"))
            .collect();
        for c in found["coefficients"].as_array().expect("coefficients") {
            let term = c["term"].as_str().expect("a term").replace('×', ":");
            let k = terms
                .iter()
                .position(|t| *t == term)
                .expect("the term in R");
            for (key, r_key) in [("b", "b"), ("se", "se"), ("p", "p")] {
                m.check(
                    &format!("{name} {term} {key}"),
                    number(&c[key]),
                    &r[r_key][k],
                    CLOSED_FORM,
                );
            }
        }
        let i = &found["interaction"];
        m.check(
            &format!("{name} ΔR²"),
            number(&i["delta_r2"]),
            &r["delta_r2"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{name} F"),
            number(&i["f"]),
            &r["interaction_f"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{name} p"),
            number(&i["p"]),
            &r["interaction_p"],
            CLOSED_FORM,
        );
        for (e, re) in found["conditional_effects"]
            .as_array()
            .expect("effects")
            .iter()
            .zip(r["probes"].as_array().expect("probes"))
        {
            for key in ["w", "effect", "se", "p"] {
                m.check(
                    &format!("{name} probe {key}"),
                    number(&e[key]),
                    &re[key],
                    CLOSED_FORM,
                );
            }
        }
        // The interaction plot's bands at X's mean − 1 SD, its mean and its mean + 1 SD: the
        // first, middle and last of each line's 11 points.
        for (line, band) in found["predicted"]
            .as_array()
            .expect("predicted")
            .iter()
            .zip(r["bands"].as_array().expect("bands"))
        {
            let points = line.as_array().expect("points");
            assert_eq!(points.len(), 11, "{name}");
            for (k, point) in [&points[0], &points[5], &points[10]]
                .into_iter()
                .enumerate()
            {
                for key in ["x", "fit", "lower", "upper"] {
                    m.check(
                        &format!("{name} band {key} at w = {}", band["w"]),
                        number(&point[key]),
                        &band[key][k],
                        CLOSED_FORM,
                    );
                }
            }
        }
        match r.get("jn").and_then(Value::as_array) {
            Some(points) => {
                let found_points = found["johnson_neyman"]["points"]
                    .as_array()
                    .expect("points");
                assert_eq!(found_points.len(), points.len(), "{name}");
                for (p, rp) in found_points.iter().zip(points) {
                    for key in ["w", "below", "above"] {
                        m.check(
                            &format!("{name} JN {key}"),
                            number(&p[key]),
                            &rp[key],
                            CLOSED_FORM,
                        );
                    }
                }
            }
            None => assert!(
                found.get("johnson_neyman").is_none(),
                "{name}: no JN for two values"
            ),
        }
    }
    m.assert_none("moderation");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let section = report.split("## Moderation").nth(1).expect("the section");
    for expected in [
        "Table 1. Moderation of the effect of hp on mpg by wt (PROCESS model 1).",
        "| hp × wt | 0.028 | 0.007 | 3.75 | < .001 | [0.013, 0.043] |",
        "Table 2. Conditional effects of hp on mpg at the 16th, 50th and 84th percentiles of the moderator.",
        "Johnson–Neyman: for the 95% interval of the effect of hp, below wt = 3.69 (75.0% of the sample) the interval excludes zero, above it (25.0%) it includes zero.",
        "HC3 standard errors; the interaction's F is the Wald test with them.",
        "Conditional effects of hp on mpg at both values of the moderator.",
    ] {
        assert!(section.contains(expected), "{expected}\n{section}");
    }
    // An interaction plot for each model and a Johnson–Neyman plot for each continuous one.
    assert_eq!(section.matches("*Figure ").count(), 5, "{section}");
    let findings = report.split("## Findings").nth(1).expect("findings");
    assert!(
        findings.contains("the association of hp with mpg depended on wt (ΔR² = "),
        "{findings}"
    );
    assert!(
        findings.contains(
            "; the effect was not different from zero above wt = 3.69, where 25% of the sample lies"
        ),
        "{findings}"
    );
}

/// PROCESS models 7 and 14 on mtcars, by the library: the index of moderated mediation and
/// the conditional indirect effects at W's percentiles against a 20,000-resample R bootstrap
/// (`tests/r/conditional_process.R`): point estimates to rounding, bootstrap SEs and
/// percentile limits within four Monte-Carlo standard errors of both bootstraps combined.
#[test]
fn conditional_indirect_effects_match_a_large_r_bootstrap() {
    use crate::tolerance::{MONTE_CARLO_SDS, boot_se_mc_se, percentile_mc_se};
    use kith_analysis::bootstrap::IntervalMethod;
    use kith_analysis::moderation::{
        ConditionalProcessInput, Named, ProcessModel, conditional_process,
    };
    let text =
        std::fs::read_to_string(root().join("tests/data/reference/conditional_process.json"))
            .expect("the fixture");
    let reference: Value = serde_json::from_str(&text).expect("JSON");
    let mut reader =
        csv::Reader::from_path(root().join("tests/data/analysis/mtcars.csv")).expect("mtcars");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let column = |i: usize| -> Vec<f64> {
        rows.iter()
            .map(|r| r[i].parse().expect("a number"))
            .collect()
    };
    // car,mpg,cyl,disp,hp,drat,wt,qsec,...
    let (mpg, hp, wt, qsec) = (column(1), column(4), column(6), column(7));
    let resamples = 20_000;
    let mut m = Mismatches::default();
    for (name, model) in [
        ("model_7", ProcessModel::Seven),
        ("model_14", ProcessModel::Fourteen),
    ] {
        let r = &reference[name];
        let probes: Vec<f64> = r["probes"]
            .as_array()
            .expect("probes")
            .iter()
            .map(|v| v.as_f64().expect("a value"))
            .collect();
        let fit = conditional_process(
            &ConditionalProcessInput {
                model,
                x: Named {
                    name: "hp",
                    values: &hp,
                },
                mediators: vec![Named {
                    name: "qsec",
                    values: &qsec,
                }],
                w: Named {
                    name: "wt",
                    values: &wt,
                },
                y: Named {
                    name: "mpg",
                    values: &mpg,
                },
                covariates: Vec::new(),
                probe_values: probes,
                resamples,
                seed: 18,
                level: 0.95,
                method: IntervalMethod::Percentile,
            },
            &|_| {},
        )
        .expect("a fit");
        let mut effects = vec![&fit.index[0]];
        effects.extend(fit.conditional[0].iter());
        for (k, e) in effects.iter().enumerate() {
            let what = format!("{name} effect {k}");
            m.check(
                &format!("{what} estimate"),
                e.estimate,
                &r["estimate"][k],
                CLOSED_FORM,
            );
            let se = r["boot_se"][k].as_f64().expect("an SE");
            let combined = |one: f64| (2.0_f64).sqrt() * one;
            m.check(
                &format!("{what} boot SE"),
                e.boot_se,
                &r["boot_se"][k],
                MONTE_CARLO_SDS * combined(boot_se_mc_se(se, resamples as f64)),
            );
            for (side, key) in [(0, "ci_low"), (1, "ci_high")] {
                m.check(
                    &format!("{what} {key}"),
                    e.ci[side],
                    &r[key][k],
                    MONTE_CARLO_SDS * combined(percentile_mc_se(se, resamples as f64)),
                );
            }
        }
    }
    m.assert_none("conditional process");
}

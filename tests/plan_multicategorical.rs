//! A multicategorical X (mtcars' cylinders: four, six, eight) in mediation and moderation,
//! against R (`tests/r/multicategorical.R`): the library's engines first, then a plan through
//! `kith analyze` with its results and report.

use crate::common::root;
use crate::tolerance::{CLOSED_FORM, MONTE_CARLO_SDS, Mismatches, boot_se_mc_se, percentile_mc_se};
use kith_analysis::bootstrap::IntervalMethod;
use kith_analysis::linear::{Coefficient, Errors};
use kith_analysis::mediation::{Column, OmnibusTest, RelativeMediationInput, relative_mediation};
use kith_analysis::moderation::{FactorModerationInput, Probe, factor_moderation};
use serde_json::Value;

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/multicategorical.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// mtcars' columns by name, and the indicators of six and eight cylinders.
struct Cars {
    rows: Vec<csv::StringRecord>,
    header: csv::StringRecord,
}

impl Cars {
    fn read() -> Cars {
        let mut reader =
            csv::Reader::from_path(root().join("tests/data/analysis/mtcars.csv")).expect("mtcars");
        let header = reader.headers().expect("a header").clone();
        let rows = reader.records().map(|r| r.expect("a row")).collect();
        Cars { rows, header }
    }

    fn column(&self, name: &str) -> Vec<f64> {
        let index = self.header.iter().position(|h| h == name).expect(name);
        self.rows
            .iter()
            .map(|r| r[index].parse().expect("a number"))
            .collect()
    }

    fn indicators(&self) -> Vec<(String, Vec<f64>)> {
        let index = self
            .header
            .iter()
            .position(|h| h == "cylinders")
            .expect("cylinders");
        ["six", "eight"]
            .iter()
            .map(|level| {
                (
                    format!("cylinders={level}"),
                    self.rows
                        .iter()
                        .map(|r| f64::from(&r[index] == *level))
                        .collect(),
                )
            })
            .collect()
    }
}

fn check_path(m: &mut Mismatches, what: &str, found: &Coefficient, r: &Value) {
    m.check(&format!("{what} b"), found.estimate, &r["b"], CLOSED_FORM);
    m.check(&format!("{what} se"), found.se, &r["se"], CLOSED_FORM);
    m.check(&format!("{what} t"), found.statistic, &r["t"], CLOSED_FORM);
    m.check(&format!("{what} p"), found.p, &r["p"], CLOSED_FORM);
    for side in 0..2 {
        m.check(
            &format!("{what} ci[{side}]"),
            found.ci[side],
            &r["ci"][side],
            CLOSED_FORM,
        );
    }
}

fn check_omnibus(m: &mut Mismatches, what: &str, found: &OmnibusTest, r: &Value) {
    m.check(
        &format!("{what} ΔR²"),
        found.r2_change,
        &r["r2_change"],
        CLOSED_FORM,
    );
    m.check(&format!("{what} F"), found.f, &r["f"], CLOSED_FORM);
    m.check(&format!("{what} df1"), found.df1 as f64, &r["df1"], 0.0);
    m.check(&format!("{what} df2"), found.df2 as f64, &r["df2"], 0.0);
    m.check(&format!("{what} p"), found.p, &r["p"], CLOSED_FORM);
}

/// Relative indirect effects against a 20,000-resample R bootstrap: point estimates to
/// rounding, bootstrap SEs and percentile limits within four Monte-Carlo standard errors of
/// both bootstraps combined; the paths and omnibus tests to rounding.
#[test]
fn relative_mediation_matches_lm_and_a_large_r_bootstrap() {
    let reference = reference();
    let cars = Cars::read();
    let indicators = cars.indicators();
    let mpg = cars.column("mpg");
    let mut m = Mismatches::default();
    for name in ["through_weight", "through_weight_and_qsec_with_am"] {
        let r = &reference["mediation"][name];
        let names = |key: &str| -> Vec<String> {
            r[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_str().expect("a name").to_string())
                        .collect()
                })
                .unwrap_or_else(|| vec![r[key].as_str().expect("a name").to_string()])
        };
        let (mediator_names, covariate_names) = (names("m"), names("covariates"));
        let mediators: Vec<Vec<f64>> = mediator_names.iter().map(|n| cars.column(n)).collect();
        let covariates: Vec<Vec<f64>> = covariate_names.iter().map(|n| cars.column(n)).collect();
        let resamples = 20_000;
        let fit = relative_mediation(
            &RelativeMediationInput {
                indicators: indicators
                    .iter()
                    .map(|(name, values)| Column { name, values })
                    .collect(),
                mediators: mediator_names
                    .iter()
                    .zip(&mediators)
                    .map(|(name, values)| Column { name, values })
                    .collect(),
                y: Column {
                    name: "mpg",
                    values: &mpg,
                },
                covariates: covariate_names
                    .iter()
                    .zip(&covariates)
                    .map(|(name, values)| Column { name, values })
                    .collect(),
                resamples,
                seed: 6,
                level: 0.95,
                method: IntervalMethod::Percentile,
            },
            &|_| {},
        )
        .expect("a fit");
        let k = mediator_names.len();
        for j in 0..k {
            for i in 0..2 {
                check_path(
                    &mut m,
                    &format!("{name} a[{j}][{i}]"),
                    &fit.a[j][i],
                    &r["a"][j][i],
                );
            }
            check_omnibus(
                &mut m,
                &format!("{name} a omnibus[{j}]"),
                &fit.a_omnibus[j],
                &r["a_omnibus"][j],
            );
            check_path(&mut m, &format!("{name} b[{j}]"), &fit.b[j], &r["b"][j]);
        }
        for i in 0..2 {
            check_path(
                &mut m,
                &format!("{name} direct[{i}]"),
                &fit.direct[i],
                &r["direct"][i],
            );
            check_path(
                &mut m,
                &format!("{name} total[{i}]"),
                &fit.total[i],
                &r["total"][i],
            );
        }
        check_omnibus(
            &mut m,
            &format!("{name} direct omnibus"),
            &fit.direct_omnibus,
            &r["direct_omnibus"],
        );
        check_omnibus(
            &mut m,
            &format!("{name} total omnibus"),
            &fit.total_omnibus,
            &r["total_omnibus"],
        );
        // R's layout: each level's effect through each mediator, each level's total, then the
        // same divided by SD(Y).
        let mut effects = Vec::new();
        for (each, totals) in [
            (&fit.indirect, &fit.total_indirect),
            (
                &fit.partially_standardized,
                &fit.partially_standardized_total,
            ),
        ] {
            effects.extend(each.iter().flatten());
            effects.extend(totals.iter());
        }
        assert_eq!(
            effects.len(),
            r["estimate"].as_array().map_or(0, Vec::len),
            "{name}"
        );
        let combined = |one: f64| 2.0_f64.sqrt() * one;
        for (index, e) in effects.iter().enumerate() {
            let what = format!("{name} effect {index}");
            m.check(
                &format!("{what} estimate"),
                e.estimate,
                &r["estimate"][index],
                CLOSED_FORM,
            );
            let se = r["boot_se"][index].as_f64().expect("an SE");
            m.check(
                &format!("{what} boot SE"),
                e.boot_se,
                &r["boot_se"][index],
                MONTE_CARLO_SDS * combined(boot_se_mc_se(se, resamples as f64)),
            );
            for (side, key) in [(0, "ci_low"), (1, "ci_high")] {
                m.check(
                    &format!("{what} {key}"),
                    e.ci[side],
                    &r[key][index],
                    MONTE_CARLO_SDS * combined(percentile_mc_se(se, resamples as f64)),
                );
            }
        }
        // A resample without six-cylinder cars cannot estimate their effects; R's bootstrap
        // left out a few such resamples, and kith leaves them out too.
        assert!(
            fit.failed_resamples < 50,
            "{name}: {}",
            fit.failed_resamples
        );
    }
    m.assert_none("relative mediation");
}

/// The relative conditional effects and the omnibus test of X at each probe value of W, the
/// model and the test of the interaction, with classical and HC3 errors and a two-valued W.
#[test]
fn factor_moderation_matches_lm_and_processs_definitions() {
    let reference = reference();
    let cars = Cars::read();
    let mpg = cars.column("mpg");
    let mut m = Mismatches::default();
    for (name, w_name, covariate, errors, center) in [
        ("by_weight", "wt", None, Errors::Classical, false),
        (
            "by_weight_hc3_with_qsec",
            "wt",
            Some("qsec"),
            Errors::Hc3,
            false,
        ),
        ("by_transmission", "am", None, Errors::Classical, false),
        ("by_weight_centred", "wt", None, Errors::Classical, true),
    ] {
        let r = &reference["moderation"][name];
        let w = cars.column(w_name);
        let fit = factor_moderation(&FactorModerationInput {
            x_name: "cylinders",
            indicators: cars.indicators(),
            w_name,
            w: &w,
            y: &mpg,
            covariates: covariate
                .map(|c| vec![(c.to_string(), cars.column(c))])
                .unwrap_or_default(),
            center,
            errors,
            level: 0.95,
            probe: Probe::Percentiles,
        })
        .expect("a fit");
        // R orders the terms as cylinders six and eight, W, covariates, then the products.
        let terms: Vec<String> = r["terms"]
            .as_array()
            .expect("terms")
            .iter()
            .map(|t| t.as_str().expect("a term").to_string())
            .collect();
        for c in &fit.fit.coefficients {
            let term = c.term.replace("cylinders=", "cylinders").replace('×', ":");
            let k = terms
                .iter()
                .position(|t| *t == term)
                .unwrap_or_else(|| panic!("{term} in R"));
            m.check(
                &format!("{name} {term} b"),
                c.estimate,
                &r["b"][k],
                CLOSED_FORM,
            );
            m.check(&format!("{name} {term} se"), c.se, &r["se"][k], CLOSED_FORM);
            m.check(&format!("{name} {term} p"), c.p, &r["p"][k], CLOSED_FORM);
        }
        m.check(&format!("{name} R²"), fit.fit.r2, &r["r2"], CLOSED_FORM);
        m.check(
            &format!("{name} ΔR²"),
            fit.interaction.delta_r2,
            &r["delta_r2"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{name} F"),
            fit.interaction.f,
            &r["interaction_f"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{name} p"),
            fit.interaction.p,
            &r["interaction_p"],
            CLOSED_FORM,
        );
        let probes = r["probes"].as_array().expect("probes");
        assert_eq!(fit.probes.len(), probes.len(), "{name}");
        for (found, expected) in fit.probes.iter().zip(probes) {
            let what = format!("{name} at w = {}", expected["w"]);
            m.check(&format!("{what} w"), found.w, &expected["w"], CLOSED_FORM);
            m.check(
                &format!("{what} omnibus F"),
                found.omnibus.f,
                &expected["omnibus_f"],
                CLOSED_FORM,
            );
            m.check(
                &format!("{what} omnibus p"),
                found.omnibus.p,
                &expected["omnibus_p"],
                CLOSED_FORM,
            );
            for (i, e) in found.effects.iter().enumerate() {
                let re = &expected["effects"][i];
                m.check(
                    &format!("{what} effect[{i}]"),
                    e.effect,
                    &re["effect"],
                    CLOSED_FORM,
                );
                m.check(&format!("{what} se[{i}]"), e.se, &re["se"], CLOSED_FORM);
                m.check(&format!("{what} p[{i}]"), e.p, &re["p"], CLOSED_FORM);
                for side in 0..2 {
                    m.check(
                        &format!("{what} ci[{i}][{side}]"),
                        e.ci[side],
                        &re["ci"][side],
                        CLOSED_FORM,
                    );
                }
            }
            let levels: Vec<Option<&str>> =
                found.effects.iter().map(|e| e.level.as_deref()).collect();
            assert_eq!(levels, [Some("six"), Some("eight")], "{what}");
        }
    }
    m.assert_none("factor moderation");
}

/// The number at `key` of a results value.
fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

/// R's index of a level of cylinders among its indicators (six, eight).
fn r_level(level: &str) -> usize {
    ["six", "eight"]
        .iter()
        .position(|l| *l == level)
        .unwrap_or_else(|| panic!("a level of cylinders: {level}"))
}

/// The plan `tests/data/analysis/multicategorical.yaml` through `kith analyze`: results.json
/// carries each level's relative paths and indirect effects, the omnibus tests and, for the
/// moderations, the relative conditional effects and the test of equality at each probe value,
/// all as R computes them; the report shows them in tables, a figure and sentences.
#[test]
fn a_multicategorical_x_in_a_plan_matches_r_and_is_reported() {
    let (out, results) = crate::analyze_plan(
        "tests/data/analysis/multicategorical.yaml",
        "multicategorical",
    );
    let reference = reference();
    let mut m = Mismatches::default();
    assert_eq!(results["mediation"].as_array().map(Vec::len), Some(0));
    for (index, name) in ["through_weight", "through_weight_and_qsec_with_am"]
        .iter()
        .enumerate()
    {
        let found = &results["multicategorical_mediation"][index];
        let r = &reference["mediation"][name];
        assert_eq!(found["reference_level"], "four", "{name}");
        let levels: Vec<&str> = found["levels"]
            .as_array()
            .expect("levels")
            .iter()
            .map(|l| l.as_str().expect("a level"))
            .collect();
        let k = found["m"].as_array().map_or(0, Vec::len);
        for (i, level) in levels.iter().enumerate() {
            let ri = r_level(level);
            for (key, r_key) in [("total", "total"), ("direct", "direct")] {
                m.check(
                    &format!("{name} {key} {level}"),
                    number(&found[key][i]["b"]),
                    &r[r_key][ri]["b"],
                    CLOSED_FORM,
                );
            }
            for j in 0..k {
                m.check(
                    &format!("{name} a {level} [{j}]"),
                    number(&found["a"][j][i]["p"]),
                    &r["a"][j][ri]["p"],
                    CLOSED_FORM,
                );
                // R's layout: level-major, each level's effect through each mediator.
                let e = &found["indirect"][i][j];
                let position = ri * k + j;
                m.check(
                    &format!("{name} indirect {level} [{j}]"),
                    number(&e["estimate"]),
                    &r["estimate"][position],
                    CLOSED_FORM,
                );
                let se = number(&r["boot_se"][position]);
                let allowed = MONTE_CARLO_SDS
                    * 2.0_f64.sqrt()
                    * percentile_mc_se(se, number(&r["resamples"]));
                m.check(
                    &format!("{name} indirect {level} [{j}] lower"),
                    number(&e["ci"][0]),
                    &r["ci_low"][position],
                    allowed,
                );
            }
        }
        for key in ["total_omnibus", "direct_omnibus"] {
            for field in ["f", "p", "r2_change"] {
                let r_field = if field == "r2_change" {
                    "r2_change"
                } else {
                    field
                };
                m.check(
                    &format!("{name} {key} {field}"),
                    number(&found[key][field]),
                    &r[key][r_field],
                    CLOSED_FORM,
                );
            }
        }
    }
    for (index, name) in [
        "by_weight",
        "by_weight_hc3_with_qsec",
        "by_transmission",
        "by_weight_centred",
    ]
    .iter()
    .enumerate()
    {
        let found = &results["multicategorical_moderation"][index];
        let r = &reference["moderation"][name];
        for (key, r_key) in [
            ("delta_r2", "delta_r2"),
            ("f", "interaction_f"),
            ("p", "interaction_p"),
        ] {
            m.check(
                &format!("{name} interaction {key}"),
                number(&found["interaction"][key]),
                &r[r_key],
                CLOSED_FORM,
            );
        }
        let probes = found["probes"].as_array().expect("probes");
        assert_eq!(
            probes.len(),
            r["probes"].as_array().map_or(0, Vec::len),
            "{name}"
        );
        for (probe, expected) in probes.iter().zip(r["probes"].as_array().expect("probes")) {
            m.check(
                &format!("{name} w"),
                number(&probe["w"]),
                &expected["w"],
                CLOSED_FORM,
            );
            m.check(
                &format!("{name} omnibus F"),
                number(&probe["omnibus"]["f"]),
                &expected["omnibus_f"],
                CLOSED_FORM,
            );
            m.check(
                &format!("{name} omnibus ΔR²"),
                number(&probe["omnibus"]["r2_change"]),
                &expected["r2_change"],
                CLOSED_FORM,
            );
            for e in probe["effects"].as_array().expect("effects") {
                let level = e["level"].as_str().expect("a level");
                let re = &expected["effects"][r_level(level)];
                for key in ["effect", "se", "p"] {
                    m.check(
                        &format!("{name} {level} {key}"),
                        number(&e[key]),
                        &re[key],
                        CLOSED_FORM,
                    );
                }
            }
        }
        // Each level's line runs across W, the reference level's first, then kith's levels;
        // its first, middle and last points are R's predictions with their intervals.
        let lines = found["predicted"].as_array().expect("lines");
        assert_eq!(lines.len(), 3, "{name}: a line per level of X");
        let mut line_levels = vec![found["reference_level"].as_str().expect("reference")];
        line_levels.extend(
            found["levels"]
                .as_array()
                .expect("levels")
                .iter()
                .map(|l| l.as_str().expect("a level")),
        );
        for (line, level) in lines.iter().zip(line_levels) {
            let band = r["bands"]
                .as_array()
                .expect("bands")
                .iter()
                .find(|b| b["level"] == level)
                .expect("R's band of the level");
            let points = line.as_array().expect("points");
            assert_eq!(points.len(), 11, "{name}");
            for (k, point) in [&points[0], &points[5], &points[10]]
                .into_iter()
                .enumerate()
            {
                for (key, r_key) in [
                    ("x", "w"),
                    ("fit", "fit"),
                    ("lower", "lower"),
                    ("upper", "upper"),
                ] {
                    m.check(
                        &format!("{name} {level} band {key} [{k}]"),
                        number(&point[key]),
                        &band[r_key][k],
                        CLOSED_FORM,
                    );
                }
            }
        }
    }
    m.assert_none("multicategorical X in a plan");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    for expected in [
        "Table 1. Paths of the mediation model with cylinders as a multicategorical X (PROCESS model 4; each level against four).",
        "| a: cylinders: eight → wt | 1.713 | 0.254 | 6.75 | < .001 | [1.194, 2.232] |",
        "Omnibus tests of cylinders: on wt F(2, 29) = 22.91, p < .001, ΔR² = .612; total effect F(2, 29) = 39.70, p < .001, ΔR² = .732; direct effect F(2, 28) = 7.29, p = .003, ΔR² = .085.",
        "Table 2. Relative indirect effects of cylinders on mpg (each level against four).",
        "Table 7. Test of equality of the conditional means of mpg across the levels of cylinders at values of wt.",
        "| 2.16 | 9.95 | 2 | 26 | < .001 | .106 |",
        "*Figure 1.* Predicted mpg for each level of cylinders across wt, with 95% confidence bands (n = 32).",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    let findings = report.split("## Findings").nth(1).expect("findings");
    for expected in [
        "relative to four, the indirect effects through wt were −5.49 for eight (95% bootstrap CI [−8.43, −2.94]) and −2.665 for six (95% bootstrap CI [−4.808, −1.011])",
        "the levels' conditional means differed at wt = 2.16 (F(2, 26) = 9.95, p < .001, ΔR² = .106)",
    ] {
        assert!(findings.contains(expected), "{expected}\n{findings}");
    }
}

//! The study pipeline against R (lm, glm, sandwich HC3, cor.test, p.adjust, psych::describe,
//! a 50,000-resample bootstrap of PROCESS model 4, all-subsets dominance and relative weights),
//! from the fixtures `tests/r/analysis.R` wrote. No R is needed to run these tests.
//!
//! The comparisons with R call the library (`kith_analysis::study::Study`) directly; the
//! binary's tests check that `kith analyze` writes what the study computes, the example plan,
//! the refusals and the documented fields.

mod common;
mod plan_comparisons;
mod plan_moderation;
mod plan_multicategorical;
mod plan_networks;
mod tolerance;

use common::{assert_no_panic, kith, root};
use kith_analysis::study::{Study, StudyFiles};
use kith_instrument::survey::SourceLoader;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tolerance::{CLOSED_FORM, MONTE_CARLO_SDS, Mismatches, boot_se_mc_se, percentile_mc_se};

fn output_dir(name: &str) -> PathBuf {
    let directory = root()
        .join("target")
        .join("kith-test-output")
        .join("analysis")
        .join(name);
    let _ = std::fs::remove_dir_all(&directory);
    directory
}

/// Runs `kith analyze PLAN` into a fresh output folder `name`, expects it to succeed, and
/// returns the folder with its results.json.
fn analyze_plan(plan: &str, name: &str) -> (PathBuf, Value) {
    let out = output_dir(name);
    let run = kith(
        &["analyze", plan, "-o", &out.display().to_string()],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results = serde_json::from_str(
        &std::fs::read_to_string(out.join("results.json")).expect("results.json"),
    )
    .expect("JSON");
    (out, results)
}

/// Runs a plan and returns its results.json.
fn analyze(plan: &str, name: &str) -> Value {
    let directory = output_dir(name);
    let run = kith(
        &["analyze", plan, "-o", &directory.display().to_string()],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "kith analyze {plan} failed:\n{}", run.stderr);
    // Where the files went is a status line on stderr, as with every command; stdout is for data.
    assert_eq!(run.stdout, "", "kith analyze writes no data to stdout");
    assert!(run.stderr.contains("wrote "), "{}", run.stderr);
    let text = std::fs::read_to_string(directory.join("results.json")).expect("results.json");
    let report = std::fs::read_to_string(directory.join("report.md")).expect("report.md");
    assert!(report.starts_with("# "), "report.md has a title");
    serde_json::from_str(&text).expect("results.json is JSON")
}

/// The files of a study, read from disk as they are (the binary adds size limits and caching).
struct Disk;

impl SourceLoader for Disk {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

impl StudyFiles for Disk {
    fn read_data(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
}

/// Loads and runs a plan through the library, without the binary, and returns its results as
/// results.json holds them.
fn study_results(plan: &str) -> Value {
    let path = root().join(plan);
    let loading = Study::load(&path, &Disk, &|_| {});
    let study = match loading.study {
        Ok(Some(study)) => study,
        other => panic!(
            "the study {plan} did not load: {other:?}\n{:#?}",
            loading.notices
        ),
    };
    let results = study.run(&|_, _, _| {});
    assert!(
        results.not_computed.is_empty(),
        "{plan}: {:#?}",
        results.not_computed
    );
    serde_json::to_value(&results).expect("results serialize")
}

fn fixture() -> Value {
    let path = root().join("tests/data/reference/analysis.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn f(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

fn coefficient<'a>(model: &'a Value, term: &str) -> &'a Value {
    model["coefficients"]
        .as_array()
        .expect("coefficients")
        .iter()
        .find(|c| c["term"] == term)
        .unwrap_or_else(|| panic!("kith has no term `{term}`: {model:#}"))
}

/// Every coefficient field R has, by term, and the terms are the same set.
fn compare_coefficients(m: &mut Mismatches, what: &str, kith: &Value, r: &Value, statistic: &str) {
    let r_terms = r["coefficients"].as_array().expect("R coefficients");
    assert_eq!(
        kith["coefficients"].as_array().expect("coefficients").len(),
        r_terms.len(),
        "{what}: the same terms"
    );
    for expected in r_terms {
        let term = expected["term"].as_str().expect("term");
        let found = coefficient(kith, term);
        for field in ["b", "se", statistic, "p"] {
            m.check(
                &format!("{what} {term} {field}"),
                f(&found[field]),
                &expected[field],
                CLOSED_FORM,
            );
        }
        for side in 0..2 {
            m.check(
                &format!("{what} {term} ci[{side}]"),
                f(&found["ci"][side]),
                &expected["ci"][side],
                CLOSED_FORM,
            );
        }
        if expected.get("beta").is_some() {
            m.check(
                &format!("{what} {term} beta"),
                f(&found["beta"]),
                &expected["beta"],
                CLOSED_FORM,
            );
        }
    }
}

/// The omnibus tests of the model's factors, when R has them (drop1, or the HC3 Wald F).
fn compare_factor_tests(m: &mut Mismatches, what: &str, kith: &Value, r: &Value) {
    let Some(expected) = r.get("factor_tests").and_then(Value::as_array) else {
        return;
    };
    let found = kith["factor_tests"].as_array().cloned().unwrap_or_default();
    assert_eq!(found.len(), expected.len(), "{what}: the factors tested");
    for (test, reference) in found.iter().zip(expected) {
        assert_eq!(test["factor"], reference["factor"], "{what}: the factor");
        for field in ["f", "chi_square", "df1", "df2", "p"] {
            if reference.get(field).is_some() {
                m.check(
                    &format!("{what} factor {} {field}", reference["factor"]),
                    f(&test[field]),
                    &reference[field],
                    CLOSED_FORM,
                );
            }
        }
    }
}

/// Each term's variance inflation factor, when R has them (none for the intercept).
fn compare_vif(m: &mut Mismatches, what: &str, kith: &Value, r: &Value) {
    let Some(vif) = r.get("vif").and_then(Value::as_object) else {
        return;
    };
    for (term, expected) in vif {
        m.check(
            &format!("{what} {term} vif"),
            f(&coefficient(kith, term)["vif"]),
            expected,
            CLOSED_FORM,
        );
    }
    assert!(
        coefficient(kith, "(Intercept)").get("vif").is_none(),
        "{what}: no VIF for the intercept"
    );
}

/// Model 1 of a hierarchical regression (the controls alone), when R has it.
fn compare_controls(m: &mut Mismatches, what: &str, kith: &Value, r: &Value, statistic: &str) {
    if let Some(controls) = r.get("controls") {
        let model_1 = serde_json::json!({ "coefficients": kith["control_coefficients"] });
        compare_coefficients(m, &format!("{what} model 1"), &model_1, controls, statistic);
    }
}

fn compare_ols(m: &mut Mismatches, what: &str, kith: &Value, r: &Value) {
    compare_coefficients(m, what, kith, r, "t");
    compare_controls(m, what, kith, r, "t");
    compare_factor_tests(m, what, kith, r);
    compare_vif(m, what, kith, r);
    for field in ["r2", "adj_r2", "f", "df1", "df2", "p", "sigma", "n"] {
        m.check(
            &format!("{what} {field}"),
            f(&kith[field]),
            &r[field],
            CLOSED_FORM,
        );
    }
    if let Some(blocks) = r.get("blocks") {
        let first = &kith["blocks"][0];
        let second = &kith["blocks"][1];
        m.check(
            &format!("{what} block 1 r2"),
            f(&first["r2"]),
            &blocks["r2_first"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{what} delta_r2"),
            f(&second["delta_r2"]),
            &blocks["delta_r2"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{what} f_change"),
            f(&second["f_change"]),
            &blocks["f_change"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{what} f_change df1"),
            f(&second["df1"]),
            &blocks["df1"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{what} f_change df2"),
            f(&second["df2"]),
            &blocks["df2"],
            CLOSED_FORM,
        );
        m.check(
            &format!("{what} f_change p"),
            f(&second["p"]),
            &blocks["p"],
            CLOSED_FORM,
        );
    }
}

fn compare_glm(m: &mut Mismatches, what: &str, kith: &Value, r: &Value, binomial: bool) {
    compare_coefficients(m, what, kith, r, "z");
    compare_controls(m, what, kith, r, "z");
    compare_factor_tests(m, what, kith, r);
    compare_vif(m, what, kith, r);
    let mut fields = vec![
        "deviance",
        "null_deviance",
        "df_residual",
        "aic",
        "log_likelihood",
        "n",
    ];
    if binomial {
        fields.extend(["mcfadden_r2", "nagelkerke_r2"]);
    } else {
        fields.push("dispersion");
    }
    for field in fields {
        m.check(
            &format!("{what} {field}"),
            f(&kith[field]),
            &r[field],
            CLOSED_FORM,
        );
    }
    m.check(
        &format!("{what} overall p"),
        f(&kith["p"]),
        &r["lr_p"],
        CLOSED_FORM,
    );
    for c in kith["coefficients"].as_array().expect("coefficients") {
        let ratio = if binomial {
            &c["odds_ratio"]
        } else {
            &c["irr"]
        };
        let expected = f(&c["b"]).exp();
        assert!(
            (f(ratio) - expected).abs() < 1e-9,
            "{what}: the ratio is exp(b)"
        );
    }
}

fn path_fields(m: &mut Mismatches, what: &str, kith: &Value, r: &Value) {
    for field in ["b", "se", "t", "p"] {
        m.check(
            &format!("{what} {field}"),
            f(&kith[field]),
            &r[field],
            CLOSED_FORM,
        );
    }
    for side in 0..2 {
        m.check(
            &format!("{what} ci[{side}]"),
            f(&kith["ci"][side]),
            &r["ci"][side],
            CLOSED_FORM,
        );
    }
}

/// Point estimates exactly; bootstrap SEs and percentile limits within Monte-Carlo error.
fn compare_mediation(m: &mut Mismatches, what: &str, kith: &Value, r: &Value) {
    assert_eq!(kith["n"], r["n"], "{what}: n");
    let mediators = r["m"].as_array().map_or(1, Vec::len);
    let r_resamples = f(&r["resamples"]);
    let kith_resamples = f(&kith["resamples"]);
    for j in 0..mediators {
        let effect = &kith["indirect_effects"][j];
        path_fields(m, &format!("{what} a[{j}]"), &effect["a"], &r["a"][j]);
        path_fields(m, &format!("{what} b[{j}]"), &effect["b"], &r["b"][j]);
    }
    path_fields(m, &format!("{what} c"), &kith["c_path"], &r["c"]);
    path_fields(
        m,
        &format!("{what} c'"),
        &kith["c_prime_path"],
        &r["c_prime"],
    );
    // R's effects: each indirect, the total, then the same standardized.
    let mut found: Vec<(String, f64, f64, [f64; 2])> = Vec::new();
    for j in 0..mediators {
        let e = &kith["indirect_effects"][j];
        found.push((
            format!("indirect[{j}]"),
            f(&e["effect"]),
            f(&e["boot_se"]),
            [f(&e["ci"][0]), f(&e["ci"][1])],
        ));
    }
    found.push((
        "total".into(),
        f(&kith["indirect"]),
        f(&kith["boot_se"]),
        [f(&kith["ci"][0]), f(&kith["ci"][1])],
    ));
    for j in 0..mediators {
        let e = &kith["indirect_effects"][j];
        found.push((
            format!("standardized[{j}]"),
            f(&e["standardized"]),
            f(&e["standardized_boot_se"]),
            [f(&e["standardized_ci"][0]), f(&e["standardized_ci"][1])],
        ));
    }
    found.push((
        "standardized total".into(),
        f(&kith["standardized"]),
        f(&kith["standardized_boot_se"]),
        [
            f(&kith["standardized_ci"][0]),
            f(&kith["standardized_ci"][1]),
        ],
    ));
    // The partially standardized effects, a·b/SD(y), each mediator's then the total.
    let partial = |e: &Value| {
        (
            f(&e["estimate"]),
            f(&e["boot_se"]),
            [f(&e["ci"][0]), f(&e["ci"][1])],
        )
    };
    for j in 0..mediators {
        let (estimate, boot_se, ci) =
            partial(&kith["indirect_effects"][j]["partially_standardized"]);
        found.push((
            format!("partially standardized[{j}]"),
            estimate,
            boot_se,
            ci,
        ));
    }
    let (estimate, boot_se, ci) = partial(&kith["partially_standardized"]);
    found.push(("partially standardized total".into(), estimate, boot_se, ci));
    assert_eq!(
        r["effects"].as_array().map(Vec::len),
        Some(found.len()),
        "{what}: R's effects and kith's, one for one"
    );
    for (k, (name, estimate, boot_se, ci)) in found.iter().enumerate() {
        let expected = &r["effects"][k];
        m.check(
            &format!("{what} {name} estimate"),
            *estimate,
            &expected["estimate"],
            CLOSED_FORM,
        );
        let se_tolerance = MONTE_CARLO_SDS
            * (boot_se_mc_se(*boot_se, kith_resamples).powi(2)
                + boot_se_mc_se(*boot_se, r_resamples).powi(2))
            .sqrt();
        m.check(
            &format!("{what} {name} boot_se"),
            *boot_se,
            &expected["boot_se"],
            se_tolerance,
        );
        let ci_tolerance = MONTE_CARLO_SDS
            * (percentile_mc_se(*boot_se, kith_resamples).powi(2)
                + percentile_mc_se(*boot_se, r_resamples).powi(2))
            .sqrt();
        for side in 0..2 {
            m.check(
                &format!("{what} {name} ci[{side}]"),
                ci[side],
                &expected["ci"][side],
                ci_tolerance,
            );
        }
    }
}

#[test]
fn mtcars_matches_lm_glm_sandwich_cor_test_and_describe() {
    let results = study_results("tests/data/analysis/mtcars.yaml");
    let r = &fixture()["mtcars"];
    let mut m = Mismatches::default();
    compare_ols(&mut m, "ols", &results["models"][0], &r["ols"]);
    compare_ols(&mut m, "hc3", &results["models"][1], &r["hc3"]);
    assert_eq!(
        results["models"][2]["family"], "binomial",
        "a 0/1 outcome is logistic"
    );
    compare_glm(
        &mut m,
        "logistic",
        &results["models"][2],
        &r["logistic"],
        true,
    );
    for (index, name) in [(0, "pearson"), (1, "spearman")] {
        let table = &results["correlations"][index];
        for (found, expected) in table["pairs"]
            .as_array()
            .expect("pairs")
            .iter()
            .zip(r[name].as_array().expect("pairs"))
        {
            assert_eq!(found["x"], expected["x"]);
            assert_eq!(found["y"], expected["y"]);
            let what = format!("{name} {}-{}", expected["x"], expected["y"]);
            for field in ["r", "n", "p", "p_adjusted"] {
                m.check(
                    &format!("{what} {field}"),
                    f(&found[field]),
                    &expected[field],
                    CLOSED_FORM,
                );
            }
            for side in 0..2 {
                m.check(
                    &format!("{what} ci[{side}]"),
                    f(&found["ci"][side]),
                    &expected["ci"][side],
                    CLOSED_FORM,
                );
            }
        }
    }
    for (found, expected) in results["descriptives"]
        .as_array()
        .expect("rows")
        .iter()
        .zip(r["describe"].as_array().expect("rows"))
    {
        for field in [
            "n", "mean", "sd", "median", "min", "max", "skew", "kurtosis", "se",
        ] {
            m.check(
                &format!("describe {} {field}", expected["variable"]),
                f(&found[field]),
                &expected[field],
                CLOSED_FORM,
            );
        }
    }
    for (index, method) in [(0, "dominance"), (1, "relative_weights")] {
        let found = &results["importance"][index];
        m.check(
            &format!("{method} r2"),
            f(&found["r2"]),
            &r["importance"]["r2"],
            CLOSED_FORM,
        );
        for (j, weight) in found["weights"]
            .as_array()
            .expect("weights")
            .iter()
            .enumerate()
        {
            assert_eq!(weight["predictor"], r["importance"]["predictors"][j]);
            m.check(
                &format!("{method} weight {j}"),
                f(&weight["weight"]),
                &r["importance"][method][j],
                CLOSED_FORM,
            );
            let (lo, hi) = (f(&weight["ci"][0]), f(&weight["ci"][1]));
            assert!(
                lo <= f(&weight["weight"]) + 0.05 && lo < hi,
                "{method} weight {j}: a sensible interval"
            );
        }
    }
    compare_mediation(
        &mut m,
        "mediation",
        &results["mediation"][0],
        &r["mediation"],
    );
    m.assert_none("mtcars");
}

/// A numeric code made a factor (mtcars' cyl 4/6/8 named four/six/eight, reference 4): its
/// dummies and the factor's omnibus test match R's lm and drop1, with HC3 the Wald F.
#[test]
fn a_numeric_code_made_a_factor_matches_r_with_its_omnibus_test() {
    let results = study_results("tests/data/analysis/condition.yaml");
    let r = &fixture()["condition"];
    let mut m = Mismatches::default();
    compare_ols(&mut m, "coded", &results["models"][0], &r["ols"]);
    compare_ols(&mut m, "coded hc3", &results["models"][1], &r["hc3"]);
    m.assert_none("a numeric code made a factor");
    assert_eq!(
        results["models"][0]["reference_levels"]["cyl"], "four",
        "the reference level is the code 4's label"
    );
}

/// A two-valued x (am: automatic 0, manual 1): its paths, indirect effect and partially
/// standardized indirect effect a·b/SD(y) match R; results.json says that x has two values.
#[test]
fn mediation_with_a_two_valued_x_matches_r_with_its_partially_standardized_effect() {
    let results = study_results("tests/data/analysis/two-valued.yaml");
    let mediation = &results["mediation"][0];
    assert_eq!(mediation["x_two_valued"], true, "am takes two values");
    let mut m = Mismatches::default();
    compare_mediation(
        &mut m,
        "two-valued",
        mediation,
        &fixture()["mtcars"]["two_valued"],
    );
    m.assert_none("two-valued x");
    let hp = &study_results("tests/data/analysis/mtcars.yaml")["mediation"][0];
    assert_eq!(hp["x_two_valued"], false, "hp takes many values");
}

/// BCa against `boot::boot.ci(type = "bca")` with the jackknife's influence values (the same
/// acceleration kith uses), 50,000 resamples in R and 10,000 in kith: within Monte-Carlo error.
#[test]
fn bca_interval_matches_boot_ci() {
    let results = study_results("tests/data/analysis/mtcars.yaml");
    let r = &fixture()["mtcars"]["bca"];
    let bca = &results["mediation"][1];
    assert_eq!(bca["ci_method"], "bca");
    let mut m = Mismatches::default();
    m.check(
        "bca estimate",
        f(&bca["indirect"]),
        &r["estimate"],
        CLOSED_FORM,
    );
    let boot_se = f(&bca["boot_se"]);
    let tolerance = MONTE_CARLO_SDS
        * (percentile_mc_se(boot_se, f(&bca["resamples"])).powi(2)
            + percentile_mc_se(boot_se, f(&r["resamples"])).powi(2))
        .sqrt();
    for side in 0..2 {
        m.check(
            &format!("bca ci[{side}]"),
            f(&bca["ci"][side]),
            &r["ci"][side],
            tolerance,
        );
    }
    m.assert_none("BCa");
    // Here the BCa interval is shifted from the percentile one, as R's is.
    let percentile = &results["mediation"][0];
    assert!(
        f(&bca["ci"][1]) > f(&percentile["ci"][1]),
        "{bca:#} vs {percentile:#}"
    );
}

#[test]
fn warpbreaks_poisson_with_named_reference_levels_matches_glm() {
    let results = study_results("tests/data/analysis/warpbreaks.yaml");
    let r = &fixture()["warpbreaks"]["poisson"];
    let model = &results["models"][0];
    let mut m = Mismatches::default();
    compare_glm(&mut m, "poisson", model, r, false);
    let block = &model["blocks"][1];
    m.check(
        "block chi-square",
        f(&block["chi_square"]),
        &r["block_chi_square"],
        CLOSED_FORM,
    );
    m.check("block p", f(&block["p"]), &r["block_p"], CLOSED_FORM);
    m.assert_none("warpbreaks");
    let warnings = model["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("overdispersion"))),
        "warpbreaks is overdispersed (Pearson χ²/df 4.3) and kith says so: {warnings:?}"
    );
}

#[test]
fn parallel_mediation_with_a_covariate_matches_a_large_r_bootstrap() {
    let results = study_results("tests/data/analysis/mediation.yaml");
    let r = &fixture()["generated"]["parallel"];
    let mut m = Mismatches::default();
    compare_mediation(&mut m, "parallel", &results["mediation"][0], r);
    m.assert_none("parallel mediation");
}

#[test]
fn the_example_plan_matches_r_on_the_bundled_example() {
    let results = analyze("analysis/networking-careers.yaml", "example");
    let r = &fixture()["example"];
    let mut m = Mismatches::default();
    for model in results["models"].as_array().expect("models") {
        let outcome = model["outcome"].as_str().expect("outcome");
        // Turnover intentions has two models: on the motives, and on network positions.
        let network = model["predictors"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p == "advice_indegree"));
        let outcome = if network { "turnover_network" } else { outcome };
        let expected = &r[outcome];
        assert!(!expected.is_null(), "{outcome}: a reference");
        match model["family"].as_str() {
            Some("gaussian") => compare_ols(&mut m, outcome, model, expected),
            Some("binomial") => compare_glm(&mut m, outcome, model, expected, true),
            Some("poisson") => compare_glm(&mut m, outcome, model, expected, false),
            other => panic!("{outcome}: unexpected family {other:?}"),
        }
    }
    assert_eq!(
        results["models"].as_array().map(Vec::len),
        Some(8),
        "every model of the plan was computed: {:#}",
        results["not_computed"]
    );
    for (index, expected) in r["mediation"]
        .as_array()
        .expect("mediations")
        .iter()
        .enumerate()
    {
        compare_mediation(
            &mut m,
            &format!("mediation[{index}]"),
            &results["mediation"][index],
            expected,
        );
    }
    let describe = results["descriptives"].as_array().expect("descriptives");
    for expected in r["describe"].as_array().expect("rows") {
        let found = describe
            .iter()
            .find(|d| d["variable"] == expected["variable"])
            .expect("described");
        for field in ["n", "mean", "sd", "skew", "kurtosis"] {
            m.check(
                &format!("describe {} {field}", expected["variable"]),
                f(&found[field]),
                &expected[field],
                CLOSED_FORM,
            );
        }
    }
    m.assert_none("example plan");
}

/// Every bad plan and bad data set is refused with a clear message (place, value, hint) and
/// exit code 1, never a panic or a table with NaN; the messages are snapshots.
#[test]
fn bad_plans_are_refused_with_a_clear_error() {
    let directory = root().join("tests/data/bad-plans");
    let mut plans: Vec<PathBuf> = std::fs::read_dir(&directory)
        .expect("bad plans")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    plans.sort();
    assert!(plans.len() >= 16, "every class of bad plan has a file");
    for plan in plans {
        let name = plan
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let relative = format!("tests/data/bad-plans/{name}.yaml");
        let out = output_dir(&format!("bad-{name}"));
        let run = kith(
            &["analyze", &relative, "-o", &out.display().to_string()],
            &root(),
        );
        assert_no_panic(&run);
        assert_eq!(run.code, 1, "{name}: exit code 1\n{}", run.stderr);
        assert!(
            run.stderr.contains("hint:"),
            "{name}: a hint\n{}",
            run.stderr
        );
        if out.join("results.json").exists() {
            // Data problems found while fitting: the results say which analysis and why.
            let results: Value = serde_json::from_str(
                &std::fs::read_to_string(out.join("results.json")).expect("results"),
            )
            .expect("JSON");
            assert!(
                !results["not_computed"].as_array().expect("list").is_empty(),
                "{name}"
            );
        }
        let check = kith(&["check", &relative], &root());
        assert_eq!(
            check.code, 1,
            "{name}: kith check fails too\n{}",
            check.stderr
        );
        common::settings().bind(|| {
            insta::assert_snapshot!(format!("bad-plan-{name}"), run.stderr);
        });
    }
}

/// The summary line counts in words: one model, not "1 models".
#[test]
fn check_counts_a_plans_analyses_in_the_singular_and_plural() {
    let run = kith(&["check", "tests/data/analysis/warpbreaks.yaml"], &root());
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "plan: 54 rows, 0 descriptives, 0 correlation tables, 1 model, 0 mediations, 0 importance analyses"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn check_accepts_the_example_plan() {
    let run = kith(&["check", "analysis/networking-careers.yaml"], &root());
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("ok    analysis/networking-careers.yaml  plan: 563 rows (539 after exclusions), 2 networks, 17 descriptives"),
        "{}",
        run.stdout
    );
}

/// `kith analyze` writes to results.json exactly what the study computes through the library.
#[test]
fn kith_analyze_writes_the_results_the_study_computes() {
    let plan = "tests/data/analysis/warpbreaks.yaml";
    let mut written = analyze(plan, "binary-and-library");
    let mut computed = study_results(plan);
    // The plan is named as it was given: a path relative to the working folder here, an
    // absolute one for the library.
    written["plan"] = Value::Null;
    computed["plan"] = Value::Null;
    assert_eq!(written, computed);
}

/// The field names the issue makes part of the interface are in results.json.
#[test]
fn results_json_has_the_documented_fields() {
    let results = analyze("tests/data/analysis/mediation.yaml", "fields");
    let mediation = &results["mediation"][0];
    for field in [
        "x",
        "m",
        "y",
        "n",
        "a",
        "b",
        "c",
        "c_prime",
        "indirect",
        "boot_se",
        "ci",
        "ci_method",
        "resamples",
        "seed",
    ] {
        assert!(mediation.get(field).is_some(), "mediation.{field}");
    }
    let results = analyze("tests/data/analysis/mtcars.yaml", "fields-models");
    for model in results["models"].as_array().expect("models") {
        for field in ["outcome", "family", "n", "coefficients"] {
            assert!(model.get(field).is_some(), "model.{field}");
        }
        let gaussian = model["family"] == "gaussian";
        if gaussian {
            for field in ["r2", "adj_r2", "f", "df1", "df2"] {
                assert!(model.get(field).is_some(), "model.{field}");
            }
        }
        for c in model["coefficients"].as_array().expect("coefficients") {
            for field in ["term", "b", "se", "p", "ci", "beta"] {
                assert!(c.get(field).is_some(), "coefficient.{field}");
            }
            assert!(c.get(if gaussian { "t" } else { "z" }).is_some());
        }
    }
}

/// The committed example data are exactly what `kith simulate` makes from the default model
/// with the documented seed, so anyone can regenerate them.
#[test]
fn simulate_regenerates_the_example_data_byte_for_byte() {
    let out = output_dir("simulate");
    std::fs::create_dir_all(&out).expect("output directory");
    let file = out.join("responses.csv");
    let run = kith(
        &[
            "simulate",
            "instruments/networking-careers.survey.yaml",
            "--n",
            "600",
            "--seed",
            "2016",
            "-o",
            &file.display().to_string(),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made = std::fs::read_to_string(&file).expect("simulated file");
    let committed =
        std::fs::read_to_string(root().join("analysis/example/responses.csv")).expect("example");
    assert!(
        made == committed,
        "analysis/example/responses.csv differs from a fresh simulation"
    );
    // The default model's organization: its roster and the two networks' edge lists.
    for part in ["roster", "advice-edges", "friendship-edges"] {
        let made = std::fs::read_to_string(out.join(format!("responses-{part}.csv")))
            .unwrap_or_else(|_| panic!("kith simulate wrote responses-{part}.csv"));
        let committed =
            std::fs::read_to_string(root().join(format!("analysis/example/responses-{part}.csv")))
                .expect("example");
        assert!(
            made == committed,
            "analysis/example/responses-{part}.csv differs from a fresh simulation"
        );
    }
    assert!(
        run.stderr
            .contains("wrote the organization of the first 150 respondents"),
        "{}",
        run.stderr
    );
    // The simulated file scores with the survey it was made for.
    let score = kith(
        &[
            "score",
            "instruments/networking-careers.survey.yaml",
            &file.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(score.code, 0, "{}", score.stderr);
}

#[test]
fn simulate_refuses_a_bad_model_with_a_hint() {
    let out = output_dir("simulate-bad");
    std::fs::create_dir_all(&out).expect("output directory");
    let model = out.join("model.yaml");
    std::fs::write(
        &model,
        "kind: population-model\nconstructs:\n  - {id: helping, score: helping_motiv}\n",
    )
    .expect("model");
    let run = kith(
        &[
            "simulate",
            "instruments/networking-motives.yaml",
            "--n",
            "10",
            "--seed",
            "1",
            "--model",
            &model.display().to_string(),
            "-o",
            &out.join("x.csv").display().to_string(),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("helping_motiv")
            && run
                .stderr
                .contains("hint: the survey's scores are: helping_motive"),
        "{}",
        run.stderr
    );
}

/// An output kith simulate cannot write is refused before any respondent is drawn: five
/// million respondents of the survey take minutes and gigabytes to draw, the refusal none.
#[test]
fn simulate_refuses_an_output_it_cannot_write_before_drawing() {
    let out = output_dir("simulate-jsonl");
    std::fs::create_dir_all(&out).expect("output directory");
    let target = out.join("x.jsonl");
    let started = std::time::Instant::now();
    let run = kith(
        &[
            "simulate",
            "instruments/networking-careers.survey.yaml",
            "--n",
            "5000000",
            "--seed",
            "1",
            "-o",
            &target.display().to_string(),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("kith simulate writes CSV, TSV, Parquet, SPSS or Stata files, not `")
            && run
                .stderr
                .contains("hint: name the output .csv, .tsv, .parquet, .sav or .dta"),
        "{}",
        run.stderr
    );
    assert!(!target.exists());
    // Generous: the refusal takes well under a second; drawing first took minutes.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "refused only after {:?}",
        started.elapsed()
    );
}

/// A plan's exclusions: the respondents `kith screen` flags by the same rules are the ones
/// excluded, the flow adds up, every analysis uses the others, and the sensitivity run uses
/// everyone.
#[test]
fn pre_registered_exclusions_apply_before_every_analysis() {
    let results = analyze("tests/data/analysis/screening.yaml", "screening");
    let screening = &results["screening"];
    let rules = screening["rules"].as_array().expect("rules");
    assert_eq!(rules[0]["rule"], "mahalanobis > mahalanobis_cutoff");
    // `kith screen`'s default rules are these two: the same respondents.
    let run = kith(
        &[
            "screen",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let screened: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let counts: Vec<u64> = screened["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["flagged"].as_u64().expect("a count"))
        .collect();
    assert_eq!(
        rules[1]["holds_for"].as_u64(),
        Some(counts[0]),
        "longstring"
    );
    assert_eq!(
        rules[0]["holds_for"].as_u64(),
        Some(counts[1]),
        "mahalanobis"
    );
    let flagged: Vec<&str> = screened["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|row| !row["flags"].as_array().expect("flags").is_empty())
        .map(|row| row["respondent_id"].as_str().expect("an id"))
        .collect();
    let excluded: Vec<&str> = screening["excluded"]
        .as_array()
        .expect("excluded")
        .iter()
        .map(|e| e["respondent_id"].as_str().expect("an id"))
        .collect();
    assert_eq!(excluded, flagged);
    // The flow adds up, box by box.
    let flow = screening["flow"].as_array().expect("flow");
    for pair in flow.windows(2) {
        let left: u64 = pair[1]["left"]
            .as_array()
            .expect("left")
            .iter()
            .map(|r| r["n"].as_u64().expect("n"))
            .sum();
        assert_eq!(
            pair[0]["n"].as_u64().expect("n") - left,
            pair[1]["n"].as_u64().expect("n")
        );
    }
    let analysed = screening["n_analysed"].as_u64().expect("n");
    assert_eq!(analysed, 2800 - excluded.len() as u64);
    assert_eq!(results["n_rows"].as_u64(), Some(analysed));
    // bfi's scores have no missing values once scored from 4 of 5 items, so the model's n is
    // every respondent analysed, and everyone in the sensitivity run.
    let n = |r: &Value| r["models"][0]["n"].as_u64().expect("n");
    let sensitivity = &results["sensitivity"];
    assert_eq!(sensitivity["n_rows"].as_u64(), Some(2800));
    assert!(
        n(&results) < n(sensitivity),
        "{} {}",
        n(&results),
        n(sensitivity)
    );
    assert!(n(&results) <= analysed);
    // The report's histograms: each simple rule's cut-off flags as many as the rule holds for.
    let histograms = screening["histograms"].as_array().expect("histograms");
    let cutoff = |index: &str| {
        histograms
            .iter()
            .find(|h| h["index"] == index)
            .map(|h| h["cutoff"].clone())
            .unwrap_or_else(|| panic!("no histogram of {index}"))
    };
    let mahalanobis = cutoff("mahalanobis");
    assert_eq!(mahalanobis["source"], "mahalanobis > mahalanobis_cutoff");
    assert_eq!(mahalanobis["value"], screening["mahalanobis_cutoff"]);
    assert_eq!(mahalanobis["flagged"], rules[0]["holds_for"]);
    let longstring = cutoff("longstring_max");
    assert_eq!(longstring["value"].as_f64(), Some(13.0));
    assert_eq!(longstring["flags"], ">=");
    assert_eq!(longstring["flagged"], rules[1]["holds_for"]);
    assert_eq!(
        cutoff("irv"),
        Value::Null,
        "no rule and no default flag on irv"
    );
    let counted: u64 = histograms[0]["distribution"]["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c.as_u64().expect("a count"))
        .sum();
    assert_eq!(counted, 2800, "every respondent screened is in a bin");
}

#[test]
fn a_rule_on_an_index_the_data_cannot_give_warns_and_excludes_no_one() {
    let plan = "tests/data/analysis/screening-uncomputed.yaml";
    let directory = output_dir("screening-uncomputed");
    let run = kith(
        &["analyze", plan, "-o", &directory.display().to_string()],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "index-not-computed",
        "the exclusion rule `synonyms < 0.2` uses `synonyms`, which could not be computed from these data (1 item pair(s) correlate above 0.60",
        "hint: lower the critical correlation",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    let text = std::fs::read_to_string(directory.join("results.json")).expect("results.json");
    let results: Value = serde_json::from_str(&text).expect("JSON");
    let rule = &results["screening"]["rules"][0];
    assert_eq!(rule["not_computed"], serde_json::json!(["synonyms"]));
    assert_eq!(rule["holds_for"].as_u64(), Some(0));
    assert_eq!(results["screening"]["n_analysed"].as_u64(), Some(2800));
}

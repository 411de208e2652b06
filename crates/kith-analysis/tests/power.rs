//! Power analysis by simulation checked against what is known: analytic power where a formula
//! exists (pwr's `pwr.f2.test` and `pwr.r.test`), Schoemann, Boulton & Short's (2017) Monte
//! Carlo method for one mediator (reimplemented in R, tests/r/schoemann_method.R), the type I
//! error of a zero effect, the same results for any number of threads, a stopped run, the
//! target sample size against R's `glm`, and every refused setting with its hint.
//!
//! Reference values: `tests/data/power/reference.json`, written by `tests/r/power.R`.

use kith_analysis::power::{self, Control, PowerError, PowerSettings, target_size};
use kith_analysis::results::power::{PowerInterval, PowerPoint, PowerResults};
use kith_analysis::simulate::{PopulationModel, parse_model};
use kith_analysis::study::{Prepared, StudyFiles};
use kith_instrument::survey::SourceLoader;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The repository's test data, read from disk.
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

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name)
}

fn prepared(plan: &str) -> Prepared {
    let mut notices = Vec::new();
    match Prepared::new(&data(plan), &Disk, &mut notices) {
        Ok(prepared) => prepared,
        Err(_) => panic!("the plan {plan} is refused: {notices:?}"),
    }
}

fn model(name: &str) -> PopulationModel {
    parse_model(&std::fs::read_to_string(data(name)).expect("model")).expect("valid model")
}

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(data("power/reference.json")).expect("reference"))
        .expect("json")
}

fn settings(sizes: &[usize], replications: usize, seed: u64) -> PowerSettings {
    PowerSettings {
        sizes: sizes.to_vec(),
        replications,
        seed,
        interval: PowerInterval::MonteCarlo,
        draws: power::DEFAULT_DRAWS,
        target: None,
        only: Vec::new(),
        measurement: false,
        model_name: "test".to_string(),
        threads: None,
    }
}

fn run(plan: &str, model_file: &str, settings: &PowerSettings) -> Result<PowerResults, PowerError> {
    let stop = AtomicBool::new(false);
    power::run(
        &prepared(plan),
        &model(model_file),
        settings,
        Control {
            progress: &|_, _| {},
            stop: &stop,
        },
    )
}

/// The power of effect `key` at each size.
fn powers(results: &PowerResults, key: &str) -> Vec<PowerPoint> {
    results
        .effects
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| {
            panic!(
                "no effect {key} in {:?}",
                results.effects.iter().map(|e| &e.key).collect::<Vec<_>>()
            )
        })
        .points
        .clone()
}

/// Four Monte Carlo standard errors: a false alarm about once in 16,000 comparisons.
const MC_SES: f64 = 4.0;

fn assert_within(what: &str, simulated: &PowerPoint, expected: f64, reference_reps: Option<f64>) {
    let power = simulated.power.expect("computed");
    let r = simulated.computed as f64;
    let variance = expected * (1.0 - expected);
    let se = (variance / r + reference_reps.map_or(0.0, |reps| variance / reps)).sqrt();
    assert!(
        (power - expected).abs() <= MC_SES * se,
        "{what} at n = {}: simulated {power:.4} (of {r} replications) vs {expected:.4}, tolerance {:.4}",
        simulated.n,
        MC_SES * se
    );
}

#[test]
fn simulated_power_matches_analytic_power_of_coefficients_r_squared_and_correlations() {
    // 2,000 replications per size: a Monte Carlo SE of at most .011.
    let results = run(
        "power/regression.plan.yaml",
        "power/regression.model.yaml",
        &settings(&[60, 120, 200], 2_000, 20_161),
    )
    .expect("power");
    let reference = reference();
    let analytic = reference["regression"]["analytic"]
        .as_array()
        .expect("rows");
    for (effect, field) in [
        ("models[0]: x1", "x1_coefficient"),
        ("models[0]: overall", "overall_f"),
        ("correlations: x1 with y", "cor_x1_y"),
        ("correlations: x2 with y", "cor_x2_y"),
    ] {
        for (point, row) in powers(&results, effect).iter().zip(analytic) {
            assert_eq!(point.n as u64, row["n"].as_u64().expect("n"));
            assert_within(effect, point, row[field].as_f64().expect("value"), None);
        }
    }
}

#[test]
fn a_zero_effect_is_rejected_at_the_rate_alpha() {
    let results = run(
        "power/regression.plan.yaml",
        "power/regression.model.yaml",
        &settings(&[60, 120, 200], 2_000, 7),
    )
    .expect("power");
    let points = powers(&results, "models[0]: x2");
    let (rejected, computed) = points
        .iter()
        .fold((0, 0), |(s, c), p| (s + p.significant, c + p.computed));
    let pooled = PowerPoint {
        n: 0,
        replications: computed,
        computed,
        significant: rejected,
        power: Some(rejected as f64 / computed as f64),
        mc_se: None,
        ci: None,
        mean_estimate: None,
    };
    assert_within("type I error of x2", &pooled, 0.05, None);
}

#[test]
fn monte_carlo_power_of_an_indirect_effect_matches_schoemann_boulton_and_short() {
    let results = run(
        "power/mediation.plan.yaml",
        "power/mediation.model.yaml",
        &settings(&[50, 100, 150, 200], 2_000, 2017),
    )
    .expect("power");
    let reference = reference();
    let mediation = &reference["mediation"];
    let reps = mediation["reps"].as_f64().expect("reps");
    let rows = mediation["power"].as_array().expect("rows");
    for (point, row) in powers(&results, "mediation[0]: indirect through m")
        .iter()
        .zip(rows)
    {
        assert_eq!(point.n as u64, row["n"].as_u64().expect("n"));
        assert_within(
            "indirect effect",
            point,
            row["indirect"].as_f64().expect("power"),
            Some(reps),
        );
    }
    // With b = 0 the indirect effect is zero: its rejection rate is R's, near alpha.
    let null = run(
        "power/mediation.plan.yaml",
        "power/mediation-null.model.yaml",
        &settings(&[100, 200], 2_000, 2017),
    )
    .expect("power");
    let rows = mediation["null_b"]["results"].as_array().expect("rows");
    for (point, row) in powers(&null, "mediation[0]: indirect through m")
        .iter()
        .zip(rows)
    {
        assert_within(
            "indirect effect with b = 0",
            point,
            row["indirect"].as_f64().expect("rate"),
            Some(reps),
        );
    }
}

#[test]
fn the_bootstrap_and_the_monte_carlo_interval_give_the_same_power() {
    let mut monte_carlo = settings(&[100], 300, 11);
    monte_carlo.draws = 5_000;
    let mut bootstrap = monte_carlo.clone();
    bootstrap.interval = PowerInterval::Bootstrap;
    let plan = "power/mediation.plan.yaml";
    let a = run(plan, "power/mediation.model.yaml", &monte_carlo).expect("power");
    let b = run(plan, "power/mediation.model.yaml", &bootstrap).expect("power");
    let key = "mediation[0]: indirect through m";
    let (pa, pb) = (&powers(&a, key)[0], &powers(&b, key)[0]);
    // The same data sets: the two intervals disagree on few of them.
    let difference = (pa.significant as f64 - pb.significant as f64).abs() / 300.0;
    assert!(
        difference <= 0.03,
        "Monte Carlo {} vs bootstrap {} of 300",
        pa.significant,
        pb.significant
    );
    assert_eq!(b.draws, None);
    assert_eq!(a.draws, Some(5_000));
}

#[test]
fn results_are_the_same_for_any_number_of_threads() {
    // 170 replications at each of two sizes: 340 jobs, more than one block of 256 counted.
    let mut one = settings(&[60, 120], 170, 99);
    one.threads = Some(1);
    let mut two = one.clone();
    two.threads = Some(2);
    let plan = "power/mediation.plan.yaml";
    let a = run(plan, "power/mediation.model.yaml", &one).expect("power");
    let b = run(plan, "power/mediation.model.yaml", &two).expect("power");
    assert_eq!(
        serde_json::to_string(&a).expect("json"),
        serde_json::to_string(&b).expect("json")
    );
    let mut other_seed = one.clone();
    other_seed.seed = 100;
    let c = run(plan, "power/mediation.model.yaml", &other_seed).expect("power");
    assert_ne!(
        serde_json::to_string(&a.effects).expect("json"),
        serde_json::to_string(&c.effects).expect("json"),
        "another seed draws other data sets"
    );
}

#[test]
fn a_stopped_run_reports_the_replications_done() {
    let stop = AtomicBool::new(false);
    let results = power::run(
        &prepared("power/regression.plan.yaml"),
        &model("power/regression.model.yaml"),
        &{
            let mut s = settings(&[60, 120], 500, 3);
            s.threads = Some(1);
            s
        },
        Control {
            progress: &|done, _| {
                if done == 25 {
                    stop.store(true, Ordering::Relaxed);
                }
            },
            stop: &stop,
        },
    )
    .expect("power");
    assert!(results.stopped);
    let points = powers(&results, "models[0]: x1");
    let done: usize = points.iter().map(|p| p.replications).sum();
    assert_eq!(
        done, 25,
        "one thread stops right after the 25th replication"
    );
    assert_eq!(points[0].replications, 25);
    assert_eq!(points[1].replications, 0);
    assert_eq!(points[1].power, None);
}

#[test]
fn the_target_sample_size_is_where_rs_logistic_fit_reaches_it() {
    // R: d <- data.frame(n = rep(c(50, 100, 150, 200), each = 500),
    //   y = c(rep(1:0, c(143, 357)), rep(1:0, c(360, 140)), rep(1:0, c(457, 43)), rep(1:0, c(490, 10))))
    // f <- glm(y ~ n, binomial, d); (qlogis(.8) - coef(f)[1]) / coef(f)[2]   # 117.351229
    // and where (b0 + b1 n − qlogis(.8))² = z²·Var(b0 + b1 n), with uniroot: 113.04, 122.15.
    let point = |n: usize, significant: usize| PowerPoint {
        n,
        replications: 500,
        computed: 500,
        significant,
        power: Some(significant as f64 / 500.0),
        mc_se: None,
        ci: None,
        mean_estimate: None,
    };
    let points = [
        point(50, 143),
        point(100, 360),
        point(150, 457),
        point(200, 490),
    ];
    let target = target_size(&points, 0.8);
    assert_eq!(target.n, Some(118));
    assert_eq!(target.ci, Some([114, 123]));
    assert!(!target.extrapolated);
    // Every replication significant: no fit, and a note that says what to do.
    let all = [point(50, 500), point(100, 500)];
    let none = target_size(&all, 0.8);
    assert_eq!(none.n, None);
    assert!(none.note.expect("note").contains("smaller sizes"));
}

#[test]
fn settings_out_of_bounds_are_refused_with_a_hint() {
    let cases: Vec<(PowerSettings, &str)> = vec![
        (settings(&[], 10, 1), "0 sample sizes were given"),
        (
            settings(&[5], 10, 1),
            "the sample size 5 is outside 10 to 1000000",
        ),
        (settings(&[50], 0, 1), "0 replications were asked for"),
        (
            PowerSettings {
                target: Some(1.5),
                ..settings(&[50], 10, 1)
            },
            "the target power 1.5 is not between 0 and 1",
        ),
        (
            PowerSettings {
                draws: 10,
                ..settings(&[50], 10, 1)
            },
            "10 Monte Carlo draws were asked for",
        ),
        (
            PowerSettings {
                only: vec!["models[3]".to_string()],
                ..settings(&[50], 10, 1)
            },
            "the plan has no analysis `models[3]`",
        ),
        (
            PowerSettings {
                only: vec!["importance[0]".to_string()],
                ..settings(&[50], 10, 1)
            },
            "the plan has no analysis `importance[0]`",
        ),
    ];
    for (settings, message) in cases {
        match run(
            "power/regression.plan.yaml",
            "power/regression.model.yaml",
            &settings,
        ) {
            Err(error @ PowerError::Invalid { .. }) => {
                assert_eq!(error.to_string(), message);
                assert!(!error.hint().is_empty());
            }
            other => panic!(
                "{message}: expected a refusal, got {:?}",
                other.map(|r| r.effects.len())
            ),
        }
    }
}

#[test]
fn a_network_the_model_does_not_simulate_is_refused_before_the_run() {
    // The bundled plan's networks under a model without an organization.
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../analysis/networking-careers.yaml");
    let mut notices = Vec::new();
    let prepared = Prepared::new(&plan, &Disk, &mut notices).expect("the bundled plan");
    let mut model = parse_model(kith_analysis::simulate::DEFAULT_MODEL).expect("default");
    model.organization = None;
    let stop = AtomicBool::new(false);
    let mut only = settings(&[150], 2, 1);
    only.only = vec!["models[7]".to_string()];
    let error = power::run(
        &prepared,
        &model,
        &only,
        Control {
            progress: &|_, _| {},
            stop: &stop,
        },
    )
    .expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("the plan's network `advice` reads `"),
        "{error}"
    );
    assert!(
        error.hint().contains("give the model an organization"),
        "{}",
        error.hint()
    );
}

#[test]
fn effects_the_model_does_not_define_are_named_per_analysis() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../analysis/networking-careers.yaml");
    let mut notices = Vec::new();
    let prepared = Prepared::new(&plan, &Disk, &mut notices).expect("the bundled plan");
    let model = parse_model(kith_analysis::simulate::DEFAULT_MODEL).expect("default");
    let undefined: Vec<String> = power::undefined_effects(&prepared.plan, &model, &[])
        .iter()
        .map(|u| format!("{}: {}", u.path, u.message))
        .collect();
    let paths: Vec<&str> = undefined
        .iter()
        .map(|u| u.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        paths,
        [
            "models[1]",
            "models[2]",
            "models[3]",
            "models[4]",
            "models[5]",
            "mediation[2]",
            "moderated_mediation[0]",
            "comparisons[0]",
            "comparisons[1]"
        ]
    );
    assert!(
        undefined[6].contains("`external_networking:tenure_years` in `job_offers`"),
        "{}",
        undefined[6]
    );
    let only = power::undefined_effects(&prepared.plan, &model, &["mediation".to_string()]);
    assert_eq!(only.len(), 1);
}

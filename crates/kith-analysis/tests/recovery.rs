//! Recovery and coverage. Data simulated with known paths must give estimates whose
//! intervals hold the true values at large n, and 95% intervals must cover the true value
//! about 95% of the time over repeated simulations. Every seed is fixed, so each run is the
//! same; the bounds allow the binomial spread of the coverage count.

use kith_analysis::bootstrap::IntervalMethod;
use kith_analysis::glm::{GlmFamily, glm};
use kith_analysis::linear::{Coefficient, Design, Errors, ols};
use kith_analysis::mediation::{Column, MediationInput, mediation};
use kith_analysis::simulate::{PopulationModel, SimulatedData, parse_model, simulate};
use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use nalgebra::DMatrix;
use std::path::Path;

const INSTRUMENT: &str = r#"
kind: instrument
id: recovery
version: 1.0.0
title: Variables with known relations
license: test data
validated: false
language: en
scales:
  real: {type: numeric}
  count: {type: numeric, min: 0, max: 1000, integer: true}
  yes_no:
    type: single_choice
    options: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]
items:
  - {id: x1, scale: real, text: x1}
  - {id: x2, scale: real, text: x2}
  - {id: m, scale: real, text: m}
  - {id: y, scale: real, text: y}
  - {id: offers, scale: count, text: offers}
  - {id: event, scale: yes_no, text: event}
"#;

/// The true values: y = 1 + 0.4 m + 0.2 x1 − 0.3 x2 + ε; m = 0.2 + 0.5 x1 + ε;
/// log E(offers) = 0.3 + 0.25 x1 − 0.2 x2; logit P(event) = −0.5 + 0.8 x1 − 0.4 x2.
const MODEL: &str = r#"
kind: population-model
outcomes:
  - {item: x1, family: normal, sd: 1}
  - {item: x2, family: normal, sd: 1, paths: {x1: 0.4}}
  - {item: m, family: normal, intercept: 0.2, sd: 1, paths: {x1: 0.5}}
  - {item: y, family: normal, intercept: 1.0, sd: 1, paths: {m: 0.4, x1: 0.2, x2: -0.3}}
  - {item: offers, family: poisson, intercept: 0.3, paths: {x1: 0.25, x2: -0.2}}
  - {item: event, family: binomial, intercept: -0.5, paths: {x1: 0.8, x2: -0.4}}
"#;

fn form() -> Form {
    let loader = MemoryLoader::default().with("recovery.yaml", INSTRUMENT);
    let checked = check_file(Path::new("recovery.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics))
}

fn model() -> PopulationModel {
    parse_model(MODEL).expect("the model parses")
}

fn column<'a>(data: &'a SimulatedData, name: &str) -> &'a [f64] {
    &data
        .columns
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

fn design(data: &SimulatedData, names: &[&str]) -> Design {
    let n = data.ids.len();
    let mut all = vec!["(Intercept)".to_string()];
    all.extend(names.iter().map(|s| s.to_string()));
    Design {
        names: all,
        x: DMatrix::from_fn(n, names.len() + 1, |i, j| {
            if j == 0 {
                1.0
            } else {
                column(data, names[j - 1])[i]
            }
        }),
        intercept: true,
    }
}

/// The mediation x1 → m → y (with x2 as a covariate when asked) of simulated data.
fn indirect(
    data: &SimulatedData,
    with_covariate: bool,
    resamples: usize,
    seed: u64,
    method: IntervalMethod,
) -> kith_analysis::mediation::MediationFit {
    let covariates = if with_covariate {
        vec![Column {
            name: "x2",
            values: column(data, "x2"),
        }]
    } else {
        Vec::new()
    };
    mediation(
        &MediationInput {
            x: Column {
                name: "x1",
                values: column(data, "x1"),
            },
            mediators: vec![Column {
                name: "m",
                values: column(data, "m"),
            }],
            y: Column {
                name: "y",
                values: column(data, "y"),
            },
            covariates,
            resamples,
            seed,
            level: 0.95,
            method,
            monte_carlo: None,
        },
        &|_| {},
    )
    .expect("mediation")
}

fn covers(c: &Coefficient, truth: f64) -> bool {
    c.ci[0] <= truth && truth <= c.ci[1]
}

fn fits(data: &SimulatedData) -> (Vec<Coefficient>, Vec<Coefficient>, Vec<Coefficient>) {
    let linear = ols(
        &design(data, &["m", "x1", "x2"]),
        column(data, "y"),
        Errors::Classical,
        0.95,
    )
    .expect("OLS");
    let poisson = glm(
        &design(data, &["x1", "x2"]),
        column(data, "offers"),
        GlmFamily::Poisson,
        0.95,
    )
    .expect("Poisson");
    let logistic = glm(
        &design(data, &["x1", "x2"]),
        column(data, "event"),
        GlmFamily::Binomial,
        0.95,
    )
    .expect("logistic");
    (
        linear.coefficients,
        poisson.coefficients,
        logistic.coefficients,
    )
}

const LINEAR_TRUTH: [f64; 4] = [1.0, 0.4, 0.2, -0.3];
const POISSON_TRUTH: [f64; 3] = [0.3, 0.25, -0.2];
const LOGISTIC_TRUTH: [f64; 3] = [-0.5, 0.8, -0.4];

#[test]
fn large_samples_recover_the_true_paths() {
    let data = simulate(&form(), &model(), 20_000, 7).expect("simulates");
    let (linear, poisson, logistic) = fits(&data);
    for (coefficients, truth, name) in [
        (&linear, &LINEAR_TRUTH[..], "linear"),
        (&poisson, &POISSON_TRUTH[..], "poisson"),
        (&logistic, &LOGISTIC_TRUTH[..], "logistic"),
    ] {
        for (c, t) in coefficients.iter().zip(truth) {
            assert!(
                covers(c, *t),
                "{name} {}: {} [{}, {}] vs true {t}",
                c.term,
                c.estimate,
                c.ci[0],
                c.ci[1]
            );
            assert!(
                (c.estimate - t).abs() < 0.05,
                "{name} {}: {} vs {t}",
                c.term,
                c.estimate
            );
        }
    }
    let fit = indirect(&data, true, 1000, 3, IntervalMethod::Percentile);
    let truth = 0.5 * 0.4;
    let ci = fit.total_indirect.ci;
    assert!(
        ci[0] <= truth && truth <= ci[1],
        "indirect {:?} vs {truth}",
        fit.total_indirect
    );
    assert!(covers(&fit.a[0], 0.5) && covers(&fit.b[0], 0.4) && covers(&fit.c_prime, 0.2));
}

/// Coverage of 95% intervals over 400 data sets of n = 250: the count of covering intervals is
/// binomial(400, .95) if the intervals are right (SD 4.4), so 366..=394 (±3.3 SD) passes.
#[test]
fn ninety_five_percent_intervals_cover_about_95_percent_of_the_time() {
    let form = form();
    let model = model();
    let replications = 400;
    let mut covered = [0usize; 3];
    for seed in 0..replications {
        let data = simulate(&form, &model, 250, 1000 + seed).expect("simulates");
        let (linear, poisson, logistic) = fits(&data);
        covered[0] += usize::from(covers(&linear[2], LINEAR_TRUTH[2]));
        covered[1] += usize::from(covers(&poisson[1], POISSON_TRUTH[1]));
        covered[2] += usize::from(covers(&logistic[1], LOGISTIC_TRUTH[1]));
    }
    for (count, name) in covered.iter().zip(["OLS", "Poisson", "logistic"]) {
        assert!(
            (366..=394).contains(count),
            "{name}: {count} of {replications} intervals cover"
        );
    }
}

/// Percentile bootstrap intervals of an indirect effect over 200 data sets of n = 200, 1000
/// resamples each: binomial(200, .95) has SD 3.1; 180..=199 passes. (The percentile interval of
/// a product is known to run a little narrow in small samples; it is PROCESS's default.)
#[test]
fn bootstrap_intervals_of_the_indirect_effect_cover_about_95_percent() {
    let form = form();
    let model = model();
    let replications = 200;
    let mut covered = 0;
    for seed in 0..replications {
        let data = simulate(&form, &model, 200, 5000 + seed).expect("simulates");
        let fit = indirect(&data, true, 1000, seed, IntervalMethod::Percentile);
        let ci = fit.total_indirect.ci;
        covered += usize::from(ci[0] <= 0.2 && 0.2 <= ci[1]);
    }
    assert!(
        (180..=199).contains(&covered),
        "{covered} of {replications} intervals cover"
    );
}

#[test]
fn bootstraps_do_not_depend_on_the_thread_count() {
    let data = simulate(&form(), &model(), 300, 11).expect("simulates");
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| indirect(&data, false, 2000, 42, IntervalMethod::Bca))
    };
    let one = run(1);
    let four = run(4);
    assert_eq!(one.total_indirect, four.total_indirect);
    assert_eq!(one.standardized_total, four.standardized_total);
    let other_seed = simulate(&form(), &model(), 300, 12).expect("simulates");
    assert_ne!(column(&data, "y"), column(&other_seed, "y"), "seeds matter");
}

const LIKERT: &str = r#"
kind: instrument
id: keyed
version: 1.0.0
title: A scale with a reverse-keyed item
license: test data
validated: false
validation_note: Test data only.
language: en
scales:
  agree5:
    type: likert
    values: [1, 2, 3, 4, 5]
    labels: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
items:
  - {id: a1, scale: agree5, text: a1}
  - {id: a2, scale: agree5, text: a2}
  - {id: a3, scale: agree5, text: a3, reverse: true}
scores:
  - {id: attitude, label: Attitude, items: [a1, a2, a3]}
"#;

#[test]
fn simulation_is_reproducible_and_reverse_keys_items() {
    let first = simulate(&form(), &model(), 50, 9).expect("simulates");
    let again = simulate(&form(), &model(), 50, 9).expect("simulates");
    assert_eq!(
        first.columns, again.columns,
        "the same seed gives the same data"
    );

    let loader = MemoryLoader::default().with("keyed.yaml", LIKERT);
    let checked = check_file(Path::new("keyed.yaml"), &loader);
    let form = checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    let model = parse_model(
        "kind: population-model\nconstructs:\n  - {id: attitude, score: attitude, loading: 0.8}\n",
    )
    .expect("model");
    let data = simulate(&form, &model, 2000, 3).expect("simulates");
    let r = |a: &str, b: &str| kith_analysis::describe::pearson(column(&data, a), column(&data, b));
    assert!(
        r("a1", "a2") > 0.4,
        "forward items correlate positively: {}",
        r("a1", "a2")
    );
    assert!(
        r("a1", "a3") < -0.4,
        "the reverse-keyed item correlates negatively: {}",
        r("a1", "a3")
    );
    for (name, values) in &data.columns {
        assert!(
            values.iter().all(|v| [1.0, 2.0, 3.0, 4.0, 5.0].contains(v)),
            "{name}: on the scale"
        );
    }
}

#[test]
fn careless_respondents_and_missing_answers_come_in_the_shares_asked_for() {
    let loader = MemoryLoader::default().with("keyed.yaml", LIKERT);
    let checked = check_file(Path::new("keyed.yaml"), &loader);
    let form = checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    let model = parse_model(
        "kind: population-model\nconstructs:\n  - {id: attitude, score: attitude}\nmissing: 0.1\ncareless: {straight_liners: 0.05, random: 0.05}\n",
    )
    .expect("model");
    let n = 4000;
    let data = simulate(&form, &model, n, 5).expect("simulates");
    let missing: usize = data
        .columns
        .iter()
        .map(|(_, v)| v.iter().filter(|x| x.is_nan()).count())
        .sum();
    let share = missing as f64 / (3 * n) as f64;
    assert!((0.09..0.11).contains(&share), "missing share {share}");
    let straight = data.careless.iter().filter(|&&c| c == 1).count() as f64 / n as f64;
    let random = data.careless.iter().filter(|&&c| c == 2).count() as f64 / n as f64;
    assert!(
        (0.04..0.06).contains(&straight) && (0.04..0.06).contains(&random),
        "{straight} {random}"
    );
    for row in (0..n).filter(|&row| data.careless[row] == 1) {
        let answers: Vec<f64> = data
            .columns
            .iter()
            .map(|(_, v)| v[row])
            .filter(|x| !x.is_nan())
            .collect();
        assert!(
            answers.windows(2).all(|w| w[0] == w[1]),
            "a straight-liner gives one answer: {answers:?}"
        );
    }
}

#[test]
fn a_bad_model_is_refused_with_a_reason() {
    let cases = [
        (
            "kind: population-model\nconstructs:\n  - {id: a, paths: {b: 0.3}}\n  - {id: b, paths: {a: 0.3}}\n",
            "cycle",
        ),
        (
            "kind: population-model\nconstructs:\n  - {id: a, paths: {nothing: 0.3}}\n",
            "unknown construct",
        ),
        (
            "kind: population-model\nconstructs:\n  - {id: a, score: absent}\n",
            "does not have",
        ),
        (
            "kind: population-model\nconstructs:\n  - {id: a}\n  - {id: b}\n  - {id: c}\ncorrelations:\n  a: {b: 0.9, c: 0.9}\n  b: {c: -0.9}\n",
            "positive definite",
        ),
        (
            "kind: population-model\nconstructs:\n  - {id: a, loading: 1.2}\n",
            "loading",
        ),
        ("kind: population-model\nmissing: 1.5\n", "share"),
    ];
    for (text, expected) in cases {
        let error = parse_model(text)
            .and_then(|model| simulate(&form(), &model, 10, 1).map(|_| ()))
            .expect_err(expected);
        assert!(
            error.message.contains(expected),
            "{expected}: {}",
            error.message
        );
        assert!(!error.hint.is_empty(), "{expected}: a hint");
    }
}

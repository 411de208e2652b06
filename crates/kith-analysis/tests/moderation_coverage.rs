//! Recovery and coverage for moderated mediation. Data simulated with a product path (W
//! moderating X → M, PROCESS model 7) must give back the path at large n, and the bootstrap
//! interval of the index of moderated mediation must cover the true index about 95% of the
//! time over repeated simulations. Every seed is fixed, so each run is the same.

use kith_analysis::bootstrap::IntervalMethod;
use kith_analysis::linear::{Design, Errors, ols};
use kith_analysis::moderation::{
    ConditionalProcessInput, Named, ProcessModel, conditional_process,
};
use kith_analysis::simulate::{SimulatedData, parse_model, simulate};
use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use nalgebra::DMatrix;
use std::path::Path;

const INSTRUMENT: &str = r#"
kind: instrument
id: moderated
version: 1.0.0
title: Variables with a known interaction
license: test data
validated: false
language: en
scales:
  real: {type: numeric}
items:
  - {id: x, scale: real, text: x}
  - {id: w, scale: real, text: w}
  - {id: m, scale: real, text: m}
  - {id: y, scale: real, text: y}
"#;

/// The true values: m = 0.4 x + 0.2 w + 0.3 x·w + ε; y = 0.4 m + 0.1 x + ε, with x and w
/// independent standard normals. The index of moderated mediation is a₃·b = 0.3 · 0.4.
const MODEL: &str = r#"
kind: population-model
outcomes:
  - {item: x, family: normal, sd: 1}
  - {item: w, family: normal, sd: 1}
  - {item: m, family: normal, sd: 1, paths: {x: 0.4, w: 0.2, "x:w": 0.3}}
  - {item: y, family: normal, sd: 1, paths: {m: 0.4, x: 0.1}}
"#;

const INDEX: f64 = 0.3 * 0.4;

fn form() -> Form {
    let loader = MemoryLoader::default().with("moderated.yaml", INSTRUMENT);
    let checked = check_file(Path::new("moderated.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics))
}

fn column<'a>(data: &'a SimulatedData, name: &str) -> &'a [f64] {
    &data
        .columns
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

fn model_7(data: &SimulatedData, resamples: usize, seed: u64) -> [f64; 2] {
    let fit = conditional_process(
        &ConditionalProcessInput {
            model: ProcessModel::Seven,
            x: Named {
                name: "x",
                values: column(data, "x"),
            },
            mediators: vec![Named {
                name: "m",
                values: column(data, "m"),
            }],
            w: Named {
                name: "w",
                values: column(data, "w"),
            },
            y: Named {
                name: "y",
                values: column(data, "y"),
            },
            covariates: Vec::new(),
            probe_values: vec![-1.0, 0.0, 1.0],
            resamples,
            seed,
            level: 0.95,
            method: IntervalMethod::Percentile,
        },
        &|_| {},
    )
    .expect("model 7 fits");
    fit.index[0].ci
}

/// A product path `x:w` in a population model is drawn as the product of the values, so that
/// the regression of m on x, w and x·w gives back its size at large n.
#[test]
fn product_paths_are_simulated_and_recovered() {
    let data =
        simulate(&form(), &parse_model(MODEL).expect("parses"), 20_000, 3).expect("simulates");
    let (x, w, m) = (column(&data, "x"), column(&data, "w"), column(&data, "m"));
    let n = x.len();
    let design = Design {
        names: ["(Intercept)", "x", "w", "x:w"].map(String::from).to_vec(),
        x: DMatrix::from_fn(n, 4, |i, j| match j {
            0 => 1.0,
            1 => x[i],
            2 => w[i],
            _ => x[i] * w[i],
        }),
        intercept: true,
    };
    let fit = ols(&design, m, Errors::Classical, 0.95).expect("OLS");
    for (c, truth) in fit.coefficients.iter().zip([0.0, 0.4, 0.2, 0.3]) {
        assert!(
            c.ci[0] <= truth && truth <= c.ci[1] && (c.estimate - truth).abs() < 0.03,
            "{}: {} [{}, {}] vs true {truth}",
            c.term,
            c.estimate,
            c.ci[0],
            c.ci[1]
        );
    }
}

/// Percentile bootstrap intervals of the index of moderated mediation (model 7) over 2,000
/// data sets of n = 250, 1,000 resamples each: a right 95% interval covers binomial(2000, .95)
/// times (SD 9.7), and the band of 94% to 96% is 1,880..=1,920 (1,905 cover, 95.25%, on
/// 2026-12-03).
#[test]
fn the_interval_of_the_index_of_moderated_mediation_covers_about_95_percent() {
    let form = form();
    let model = parse_model(MODEL).expect("parses");
    let replications = 2000;
    let mut covered = 0;
    for seed in 0..replications {
        let data = simulate(&form, &model, 250, 70_000 + seed).expect("simulates");
        let ci = model_7(&data, 1000, seed);
        covered += usize::from(ci[0] <= INDEX && INDEX <= ci[1]);
    }
    assert!(
        (1880..=1920).contains(&covered),
        "{covered} of {replications} intervals cover the index {INDEX}"
    );
}

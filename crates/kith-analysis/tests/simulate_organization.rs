//! The simulated organization of `kith simulate`: ties follow the model (more within a unit,
//! more to those with a high receiver value), turnover can depend on the in-degree, every draw
//! is reproducible, adding a relation changes no other draw, and a bad organization is refused
//! with a hint.

use kith_analysis::simulate::{PopulationModel, SimulatedData, parse_model, simulate};
use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use std::path::Path;

const INSTRUMENT: &str = r#"
kind: instrument
id: organization
version: 1.0.0
title: Variables of an organization
license: test data
validated: false
language: en
scales:
  real: {type: numeric}
items:
  - {id: helping, scale: real, text: helping}
  - {id: turnover, scale: real, text: turnover}
"#;

fn form() -> Form {
    let loader = MemoryLoader::default().with("organization.yaml", INSTRUMENT);
    let checked = check_file(Path::new("organization.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics))
}

/// Helping (standard normal) makes people sought for advice; turnover falls with advice
/// in-degree.
fn model(extra_relation: bool, turnover_path: f64) -> PopulationModel {
    let friendship = if extra_relation {
        "    - {name: friendship, density: 0.02, same_unit: 1.0}\n"
    } else {
        ""
    };
    parse_model(&format!(
        r#"
kind: population-model
outcomes:
  - {{item: helping, family: normal, sd: 1}}
  - {{item: turnover, family: normal, sd: 1, paths: {{advice_indegree: {turnover_path}}}}}
organization:
  size: 300
  units: [A, B, C, D]
  relations:
    - name: advice
      density: 0.01
      same_unit: 2.0
      receiver: {{helping: 0.8}}
{friendship}"#
    ))
    .expect("a model")
}

fn column<'a>(data: &'a SimulatedData, name: &str) -> &'a [f64] {
    &data
        .columns
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("a column {name}"))
        .1
}

fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

#[test]
fn ties_follow_units_and_the_receivers_values_and_turnover_follows_the_in_degree() {
    let data = simulate(&form(), &model(false, -0.5), 500, 11).expect("simulated");
    let organization = data.organization.as_ref().expect("an organization");
    assert_eq!(organization.members, 300, "the first 300 of 500");
    assert_eq!(organization.units[0], "A");
    assert_eq!(
        organization.units[5], "B",
        "members go to the units in turn"
    );
    let (name, ties) = &organization.networks[0];
    assert_eq!(name, "advice");
    assert!(ties.iter().all(|[e, a]| e != a && *e < 300 && *a < 300));
    // Within a unit the odds are e² ≈ 7.4 times those between units: with 74 others in one's
    // unit and 225 outside, about 0.069·74 ≈ 5.1 ties within and 0.01·225 ≈ 2.3 between per
    // person at average helping (more with the receiver effect).
    let within = ties
        .iter()
        .filter(|[e, a]| organization.units[*e] == organization.units[*a])
        .count() as f64;
    let share = within / ties.len() as f64;
    assert!((0.55..0.80).contains(&share), "share within units {share}");
    let mut indegree = vec![0.0; 300];
    for [_, a] in ties {
        indegree[*a] += 1.0;
    }
    let helping = &column(&data, "helping")[..300];
    let r = correlation(helping, &indegree);
    assert!(r > 0.4, "helpful people are asked more: r = {r}");
    let turnover = &column(&data, "turnover")[..300];
    let r = correlation(&indegree, turnover);
    assert!(r < -0.25, "turnover falls with in-degree: r = {r}");
}

#[test]
fn a_simulated_organization_is_reproducible_and_a_new_relation_changes_no_other_draw() {
    let one = simulate(&form(), &model(false, 0.0), 400, 5).expect("simulated");
    let again = simulate(&form(), &model(false, 0.0), 400, 5).expect("simulated");
    assert_eq!(one.organization, again.organization);
    assert_eq!(one.columns, again.columns);
    let two = simulate(&form(), &model(true, 0.0), 400, 5).expect("simulated");
    let (a, b) = (
        one.organization.as_ref().expect("organization"),
        two.organization.as_ref().expect("organization"),
    );
    assert_eq!(
        a.networks[0], b.networks[0],
        "the advice ties are unchanged"
    );
    assert_eq!(b.networks.len(), 2);
    assert_eq!(one.columns, two.columns, "the answers are unchanged");
}

/// A bad organization is refused before anything is drawn, with a hint.
#[test]
fn a_bad_organization_is_refused_with_a_hint() {
    let cases = [
        (
            "size: 1\n  units: [A]\n  relations: []",
            "organization.size",
        ),
        ("units: []\n  relations: []", "list the units"),
        (
            "units: [A]\n  relations: [{name: advice, density: 1.5}]",
            "share of possible ties",
        ),
        (
            "units: [A]\n  relations: [{name: advice, density: 0.1}, {name: advice, density: 0.1}]",
            "one entry",
        ),
        (
            "units: [A]\n  relations: [{name: advice ties, density: 0.1}]",
            "letters, digits and underscores",
        ),
        (
            "units: [A]\n  relations: [{name: advice, density: 0.1, sender: {zeal: 1}}]",
            "the model has",
        ),
    ];
    for (organization, hint) in cases {
        let text = format!(
            "kind: population-model\noutcomes:\n  - {{item: helping, family: normal}}\norganization:\n  {organization}\n"
        );
        let model = parse_model(&text).unwrap_or_else(|e| panic!("{text}: {}", e.message));
        let error = simulate(&form(), &model, 50, 1).expect_err(organization);
        assert!(
            error.hint.contains(hint),
            "{organization}: {} / {}",
            error.message,
            error.hint
        );
    }
    // More members than kith draws ties for.
    let model = parse_model(
        "kind: population-model\norganization:\n  units: [A]\n  relations: [{name: advice, density: 0.1}]\n",
    )
    .expect("a model");
    let error = simulate(&form(), &model, 5_001, 1).expect_err("too large");
    assert!(error.hint.contains("5000"), "{}", error.hint);
}

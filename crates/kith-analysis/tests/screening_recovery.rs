//! How well the screening finds the careless respondents kith's simulator makes: bfi's 25
//! items answered from five factors by 2,000 simulated respondents, 5% straight-liners and 5%
//! random responders, 2% of answers missing. Per rule and for the default set, the share of
//! each kind caught and the share of attentive respondents flagged (docs/screening.md quotes
//! the figures this test prints).

// The test prints the figures docs/screening.md quotes (run with --nocapture to see them).
#![allow(clippy::print_stderr)]

use kith_analysis::output::{OutputFormat, write_frame};
use kith_analysis::read::{FileFormat, ReadOptions, read_responses};
use kith_analysis::screening::Options;
use kith_analysis::screening::report::{Respondent, Screening, screen};
use kith_analysis::simulate::{parse_model, simulate, to_frame};
use kith_instrument::survey::{MemoryLoader, check_file};
use std::path::Path;

const BFI: &str = include_str!("../../../instruments/bfi.yaml");

const MODEL: &str = "kind: population-model
constructs:
  - {id: agreeableness, score: agreeableness}
  - {id: conscientiousness, score: conscientiousness}
  - {id: extraversion, score: extraversion}
  - {id: neuroticism, score: neuroticism}
  - {id: openness, score: openness}
missing: 0.02
careless: {straight_liners: 0.05, random: 0.05}
";

/// The simulated respondents' kinds (0 attentive, 1 straight-liner, 2 random) and their
/// screening.
fn screened() -> (Vec<u8>, Screening) {
    let loader = MemoryLoader::default().with("bfi.yaml", BFI);
    let checked = check_file(Path::new("bfi.yaml"), &loader);
    let form = checked
        .form
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    let model = parse_model(MODEL).expect("the model parses");
    let data = simulate(&form, &model, 2000, 17).expect("simulates");
    let mut frame = to_frame(&data).expect("a frame");
    let mut bytes = Vec::new();
    write_frame(&mut frame, OutputFormat::Csv, &mut bytes).expect("CSV");
    let table = read_responses(
        "simulated.csv",
        bytes,
        &form,
        &ReadOptions::new(FileFormat::Csv),
    )
    .expect("reads");
    let screening = screen(&table, &form, &Options::default());
    (data.careless, screening)
}

/// (share of straight-liners, of random responders, of attentive respondents) flagged by
/// `flagged`.
fn shares(kinds: &[u8], screening: &Screening, flagged: impl Fn(usize) -> bool) -> [f64; 3] {
    let mut caught = [0usize; 3];
    let mut total = [0usize; 3];
    for (row, &kind) in kinds.iter().enumerate() {
        let slot = match kind {
            1 => 0,
            2 => 1,
            _ => 2,
        };
        total[slot] += 1;
        caught[slot] += usize::from(flagged(row));
    }
    assert_eq!(kinds.len(), screening.rows.len());
    [0, 1, 2].map(|k| caught[k] as f64 / total[k].max(1) as f64)
}

#[test]
fn the_default_rules_catch_most_careless_respondents_and_few_attentive_ones() {
    let (kinds, screening) = screened();
    for rule in &screening.rules {
        let [straight, random, attentive] = shares(&kinds, &screening, |row| {
            screening.rows[row].flags.contains(&rule.rule)
        });
        eprintln!(
            "{:<26} straight-liners {straight:.3}  random {random:.3}  attentive {attentive:.3}",
            rule.rule
        );
    }
    let [straight, random, attentive] = shares(&kinds, &screening, |row| {
        !screening.rows[row].flags.is_empty()
    });
    eprintln!(
        "{:<26} straight-liners {straight:.3}  random {random:.3}  attentive {attentive:.3}",
        "any default rule"
    );
    // The indices outside the default rules, at the cut-offs docs/screening.md discusses.
    let index = |name: &str, value: fn(&Respondent) -> Option<f64>, flagged: fn(f64) -> bool| {
        let [s, r, a] = shares(&kinds, &screening, |row| {
            value(&screening.rows[row]).is_some_and(flagged)
        });
        eprintln!("{name:<26} straight-liners {s:.3}  random {r:.3}  attentive {a:.3}");
    };
    index("irv < 0.5", |r| r.irv, |v| v < 0.5);
    index("even_odd > -0.30", |r| r.even_odd, |v| v > -0.30);
    index("synonyms < 0", |r| r.synonyms, |v| v < 0.0);
    // Measured: 0.950, 0.652 and 0.002 (seed 17). The bounds leave room for another seed's
    // luck, not for a rule that stopped working: random answers on six points are caught by
    // Mahalanobis D² alone, about two in three.
    assert!(straight > 0.90, "straight-liners caught: {straight}");
    assert!(random > 0.55, "random responders caught: {random}");
    assert!(
        attentive < 0.01,
        "attentive respondents flagged: {attentive}"
    );
}

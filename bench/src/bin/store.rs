//! Writes the export benchmark's store: N participants who complete a survey through the
//! session engine (`Conduct`, as `kith run` and `kith serve` do), each answering every question
//! with a random code, committed in groups of sessions so that the store fills in seconds.
//!
//! Usage: kith-bench-store SESSIONS SURVEY.yaml STORE.sqlite

// A benchmark tool, like the kith binary, talks to its user on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use chrono::{Duration, TimeZone, Utc};
use kith_instrument::survey::{MemoryLoader, check_file};
use kith_runner::answer::Answer;
use kith_runner::conduct::{Conduct, PageStep};
use kith_runner::engine::Position;
use kith_runner::store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Sessions committed together: large enough that the fsyncs do not dominate.
const SESSIONS_PER_GROUP: usize = 500;

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let arguments: Vec<String> = std::env::args().collect();
    let (Some(sessions), Some(survey), Some(out)) = (
        arguments.get(1).and_then(|n| n.parse::<usize>().ok()),
        arguments.get(2),
        arguments.get(3),
    ) else {
        eprintln!("usage: kith-bench-store SESSIONS SURVEY.yaml STORE.sqlite");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(survey)?;
    let loader = MemoryLoader::default().with(survey, &text);
    let checked = check_file(Path::new(survey), &loader);
    let Some(form) = checked.form else {
        return Err(format!(
            "`{survey}` is not a valid survey: {:?}",
            checked.diagnostics
        )
        .into());
    };
    let form = Arc::new(form);
    let _ = std::fs::remove_file(out);
    let store = Store::open(Path::new(out))?;
    // Fixed clock and seed: the same store, answer for answer, on every run.
    let start = Utc
        .with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
        .single()
        .ok_or("a date")?;
    let record = store.register_survey(&form, survey, start)?;
    let mut random = StdRng::seed_from_u64(20261204);
    let mut answers = 0usize;
    for group in 0..sessions.div_ceil(SESSIONS_PER_GROUP) {
        store.begin_group()?;
        let first = group * SESSIONS_PER_GROUP;
        for index in first..sessions.min(first + SESSIONS_PER_GROUP) {
            let mut now = start + Duration::seconds(index as i64);
            let participant = format!("p{index:07}");
            let mut conduct = Conduct::start(
                &store,
                form.clone(),
                &record,
                Some(&participant),
                &BTreeMap::new(),
                index as u64,
                now,
            )?;
            loop {
                now += Duration::milliseconds(random.random_range(800..6000));
                let position = conduct.session().position();
                match position {
                    Position::Consent => {
                        conduct.consent(true, now)?;
                    }
                    Position::Page(page) => {
                        let page_answers: Vec<(String, Option<Answer>)> =
                            conduct.session().layout().pages[page]
                                .entries
                                .iter()
                                .map(|entry| {
                                    (
                                        entry.id.clone(),
                                        Some(Answer::Code(random.random_range(1..=5))),
                                    )
                                })
                                .collect();
                        answers += page_answers.len();
                        conduct.submit_page(page_answers, PageStep::Forward, now)?;
                    }
                    Position::Review => {
                        conduct.submit(now)?;
                    }
                    _ => break,
                }
            }
        }
        store.commit_group()?;
    }
    store.checkpoint(true)?;
    println!("{out}: {sessions} sessions, {answers} answers");
    Ok(())
}

//! The study pipeline as a library: a plan, its survey and its data loaded from memory through
//! `StudyFiles`, checked, run and fitted once as `kith check` does, and every refusal returned
//! as notices or a typed error with a hint, never printed.

mod common;

use common::INSTRUMENT;
use kith_analysis::plan::MIN_RESAMPLES;
use kith_analysis::results::{FigureWidth, ReportOptions};
use kith_analysis::study::{Notice, Study, StudyError, StudyFiles};
use kith_instrument::survey::{MemoryLoader, SourceLoader};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The plan's files, held in memory.
#[derive(Default)]
struct Files {
    texts: MemoryLoader,
    data: HashMap<PathBuf, Vec<u8>>,
}

impl Files {
    fn with_text(mut self, path: &str, text: &str) -> Self {
        self.texts = self.texts.with(path, text);
        self
    }

    fn with_data(mut self, path: &str, text: &str) -> Self {
        self.data
            .insert(PathBuf::from(path), text.as_bytes().to_vec());
        self
    }
}

impl SourceLoader for Files {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        self.texts.load(path)
    }
}

impl StudyFiles for Files {
    fn read_data(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.data
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }

    fn exists(&self, path: &Path) -> bool {
        self.data.contains_key(path) || self.texts.load(path).is_ok()
    }
}

/// Answers of 40 respondents, with an outcome that rises with the score.
fn responses() -> String {
    let mut text = String::from("respondent_id,q1,q2,salary\n");
    for row in 0..40 {
        let (q1, q2) = (1 + row % 5, 1 + (row / 3) % 5);
        text.push_str(&format!(
            "R{row},{q1},{q2},{}\n",
            30 + 2 * (q1 + q2) + row % 3
        ));
    }
    text
}

const PLAN: &str = "kind: plan
title: A small study
survey: pair.yaml
data: responses.csv
descriptives: [total, salary]
models:
  - {outcome: salary, predictors: [total]}
mediation:
  - {x: q1, m: q2, y: salary, bootstrap: 1000}
";

fn files() -> Files {
    Files::default()
        .with_text("study/plan.yaml", PLAN)
        .with_text("study/pair.yaml", INSTRUMENT)
        .with_data("study/responses.csv", &responses())
}

fn load(files: &Files) -> (Vec<Notice>, Result<Option<Study>, StudyError>) {
    let loading = Study::load(Path::new("study/plan.yaml"), files, &|_| {});
    (loading.notices, loading.study)
}

/// The results of the study in `files`, which must load without a problem.
fn run(files: &Files) -> kith_analysis::results::Results {
    let (notices, study) = load(files);
    study
        .expect("no error")
        .unwrap_or_else(|| panic!("every check passes: {notices:?}"))
        .run(&|_, _, _| {})
}

#[test]
fn a_plan_with_its_survey_and_data_loads_and_runs_into_complete_results() {
    let (notices, study) = load(&files());
    let study = study.expect("no error").expect("every check passes");
    let diagnostics: usize = notices
        .iter()
        .map(|n| match n {
            Notice::Diagnostics(list) => list.len(),
            other => panic!("an unexpected notice: {other:?}"),
        })
        .sum();
    assert_eq!(diagnostics, 0);
    assert_eq!(study.dataset.n, 40);
    let results = study.run(&|_, _, _| {});
    assert!(
        results.not_computed.is_empty(),
        "{:?}",
        results.not_computed
    );
    // The score is the mean of the two items, computed here by hand.
    let mean = (0..40)
        .map(|row| f64::from(1 + row % 5 + 1 + (row / 3) % 5) / 2.0)
        .sum::<f64>()
        / 40.0;
    let total = &results.descriptives[0];
    assert_eq!(total.variable, "total");
    assert!((total.statistics.mean - mean).abs() < 1e-12);
    // What the binary used to patch in after the analyses is part of the results.
    let survey = results.survey.expect("the survey's identity");
    assert_eq!(survey.id, "pair");
    assert!(survey.fingerprint.starts_with("kith1-"));
    assert_eq!(results.figures.reliability.len(), 1);
    assert_eq!(results.mediation[0].resamples, 1000);
}

#[test]
fn the_plans_report_options_reach_the_results() {
    let plan = format!("{PLAN}report: {{figure_titles: false, dpi: 300}}\n");
    let files = files().with_text("study/plan.yaml", &plan);
    let results = run(&files);
    assert!(!results.figures.report.figure_titles);
    assert_eq!(results.figures.report.dpi, 300);
    // Without the key, figures have their titles.
    let results = run(&self::files());
    assert!(results.figures.report.figure_titles);
}

#[test]
fn the_plans_figure_width_reaches_the_results_and_defaults_to_a_page() {
    let plan = format!("{PLAN}report: {{figure_width: column}}\n");
    let files = files().with_text("study/plan.yaml", &plan);
    let results = run(&files);
    assert_eq!(results.figures.report.figure_width, FigureWidth::Column);
    // Without the key, figures are a page wide.
    let results = run(&self::files());
    assert_eq!(results.figures.report.figure_width, FigureWidth::Page);
    // A results file written before the option reads as a page's width.
    let older: ReportOptions =
        serde_json::from_str(r#"{"sections": [], "dpi": 150, "figure_titles": true}"#)
            .expect("older report options");
    assert_eq!(older.figure_width, FigureWidth::Page);
}

#[test]
fn a_figure_width_other_than_page_or_column_is_refused() {
    let plan = format!("{PLAN}report: {{figure_width: poster}}\n");
    let files = files().with_text("study/plan.yaml", &plan);
    let (notices, study) = load(&files);
    let refused = match study {
        Err(_) => true,
        Ok(None) => true,
        Ok(Some(_)) => false,
    };
    assert!(
        refused,
        "a plan with figure_width: poster was accepted: {notices:?}"
    );
}

#[test]
fn the_trial_fit_bootstraps_with_the_fewest_resamples_and_draws_no_figures() {
    let (_, study) = load(&files());
    let study = study.expect("no error").expect("every check passes");
    let trial = study.trial();
    assert_eq!(trial.mediation[0].resamples, MIN_RESAMPLES);
    assert!(trial.figures.reliability.is_empty());
    assert!(trial.survey.is_none());
}

#[test]
fn a_bad_cell_in_a_plans_data_names_the_plans_keys_in_its_hint() {
    let data = responses().replacen("R0,1,", "R0,9,", 1);
    let files = files().with_data("study/responses.csv", &data);
    let (notices, study) = load(&files);
    assert!(matches!(study, Ok(None)), "{study:?}");
    let Some(Notice::ResponseProblems(errors)) = notices.last() else {
        panic!("the last notice is the data's problems: {notices:?}");
    };
    let problem = &errors.problems[0];
    assert_eq!(problem.code, "value-off-scale");
    let hint = problem.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("the plan's `missing_codes:` key"), "{hint}");
    assert!(!hint.contains("--"), "a plan has no flags: {hint}");
}

#[test]
fn a_plans_data_without_its_id_column_names_the_plans_id_key() {
    let data = responses().replacen("respondent_id,", "person,", 1);
    let files = files().with_data("study/responses.csv", &data);
    let (notices, _) = load(&files);
    let Some(Notice::ResponseProblems(errors)) = notices.last() else {
        panic!("the last notice is the data's problems: {notices:?}");
    };
    let hint = errors.problems[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.starts_with("name the column that identifies respondents with the plan's `id:` key (or write `row_ids: true` to identify each respondent by their row in the file)"),
        "{hint}"
    );
}

/// `row_ids: true` is for data without ids: a file with its own id column (found by name)
/// is refused rather than have its ids replaced by row numbers.
#[test]
fn row_ids_are_refused_for_data_that_have_an_id_column() {
    let plan = PLAN.replace(
        "data: responses.csv\n",
        "data: responses.csv\nrow_ids: true\n",
    );
    let files = files().with_text("study/plan.yaml", &plan);
    let (notices, study) = load(&files);
    assert!(matches!(study, Ok(None)), "refused: {study:?}");
    let Some(Notice::ResponseProblems(errors)) = notices.last() else {
        panic!("the last notice is the data's problems: {notices:?}");
    };
    assert_eq!(errors.problems[0].code, "row-ids-with-id-column");
    assert!(
        errors.problems[0].message.contains("`respondent_id`"),
        "{:?}",
        errors.problems[0]
    );
}

/// Data without an id column are analysed when the plan asks, in so many words, for row
/// numbers as ids (`row_ids: true`): each respondent is the row's number in the file, from 1.
#[test]
fn a_plan_with_row_ids_reads_data_without_an_id_column() {
    let data: String = responses()
        .lines()
        .map(|line| {
            line.split_once(',')
                .map_or(line, |(_, rest)| rest)
                .to_string()
                + "\n"
        })
        .collect();
    assert!(data.starts_with("q1,q2,salary\n"), "{data}");
    let plan = PLAN.replace(
        "data: responses.csv\n",
        "data: responses.csv\nrow_ids: true\n",
    );
    let files = files()
        .with_text("study/plan.yaml", &plan)
        .with_data("study/responses.csv", &data);
    let results = run(&files);
    assert_eq!(results.n_rows, 40);
    assert_eq!(results.models[0].n, 40);
    // The same numbers as with the id column: the ids only name the rows.
    let with_ids = run(&self::files());
    assert_eq!(
        results.models[0].coefficients[1].b,
        with_ids.models[0].coefficients[1].b
    );
}

#[test]
fn a_missing_survey_is_a_typed_error_with_a_hint() {
    let files = Files::default()
        .with_text("study/plan.yaml", PLAN)
        .with_data("study/responses.csv", &responses());
    let (_, study) = load(&files);
    let error = study.expect_err("the survey is missing");
    assert!(
        matches!(error, StudyError::MissingSurvey { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the plan's survey `study/pair.yaml` does not exist"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("`survey:` is a path relative to the plan's folder")
    );
}

#[test]
fn a_plan_that_names_an_unknown_variable_is_refused_with_its_diagnostics() {
    let plan = PLAN.replace("descriptives: [total, salary]", "descriptives: [totl]");
    let files = files().with_text("study/plan.yaml", &plan);
    let (notices, study) = load(&files);
    assert!(matches!(study, Ok(None)), "{study:?}");
    let [
        ..,
        Notice::Diagnostics(diagnostics),
        Notice::PlanRefused { errors, .. },
    ] = notices.as_slice()
    else {
        panic!("the plan's diagnostics, then its refusal: {notices:?}");
    };
    assert_eq!(*errors, 1);
    assert_eq!(diagnostics[0].code, "unknown-variable");
    assert_eq!(diagnostics[0].value.as_deref(), Some("totl"));
}

#[test]
fn a_survey_with_errors_stops_the_study_before_any_data_is_read() {
    let broken = INSTRUMENT.replace("scale: agree}\nscores", "scale: agre}\nscores");
    let files = files().with_text("study/pair.yaml", &broken);
    let (notices, study) = load(&files);
    assert!(matches!(study, Ok(None)), "{study:?}");
    assert!(
        matches!(notices.last(), Some(Notice::SurveyRefused { file }) if file == "study/pair.yaml"),
        "{notices:?}"
    );
}

#[test]
fn a_plans_keys_and_types_are_checked_as_an_instruments_are() {
    // A misspelt key is named with the key meant.
    let plan = PLAN.replace("descriptives:", "descriptive:");
    let (notices, _) = load(&files().with_text("study/plan.yaml", &plan));
    let Some(Notice::Diagnostics(diagnostics)) = notices.first() else {
        panic!("diagnostics first: {notices:?}");
    };
    assert_eq!(diagnostics[0].code, "unknown-key");
    assert_eq!(
        diagnostics[0].hint.as_deref(),
        Some("did you mean `descriptives`?")
    );
    // The largest seed a plan can give is u64's largest; one more is out of range.
    let plan = format!("{PLAN}seed: 18446744073709551615\n");
    let (_, study) = load(&files().with_text("study/plan.yaml", &plan));
    assert_eq!(
        study.expect("no error").expect("loads").plan.seed(),
        u64::MAX
    );
    let plan = format!("{PLAN}seed: 18446744073709551616\n");
    let (notices, _) = load(&files().with_text("study/plan.yaml", &plan));
    let Some(Notice::Diagnostics(diagnostics)) = notices.first() else {
        panic!("diagnostics first: {notices:?}");
    };
    assert_eq!(diagnostics[0].code, "out-of-range");
    // A whole number written with a decimal point is a wrong type, not out of range.
    let plan = PLAN.replace("bootstrap: 1000", "bootstrap: 1000.0");
    let (notices, _) = load(&files().with_text("study/plan.yaml", &plan));
    let Some(Notice::Diagnostics(diagnostics)) = notices.first() else {
        panic!("diagnostics first: {notices:?}");
    };
    assert_eq!(diagnostics[0].code, "wrong-type", "{diagnostics:?}");
}

/// A measurement model the data cannot carry is not computed, with its reason and a hint, in
/// the run and in the trial fit that `kith check` makes; the rest of the plan still runs.
#[test]
fn a_measurement_model_that_cannot_be_fitted_is_not_computed_with_a_hint() {
    for (measurement, code, hint) in [
        (
            "  - {scores: [nonexistent]}",
            "unknown-score",
            "`kith codebook` lists them",
        ),
        (
            "  - {factors: {f: [q1, q2]}}",
            "measurement-not-fitted",
            "fewer factors",
        ),
        (
            "  - {factors: {f: [q1, q2, salary]}, groups: salary}",
            "groups-not-categorical",
            "choice question",
        ),
        (
            "  - {factors: {f: [q1, q2, salary]}, correlated_residuals: [[q1, q1]]}",
            "bad-correlated-residual",
            "two different items",
        ),
    ] {
        let plan = format!("{PLAN}measurement:\n{measurement}\n");
        let files = files().with_text("study/plan.yaml", &plan);
        let results = run(&files);
        assert_eq!(results.models.len(), 1, "the rest of the plan runs");
        let problem = results
            .not_computed
            .iter()
            .find(|n| n.analysis == "measurement[0]")
            .unwrap_or_else(|| panic!("{measurement}: not computed"));
        assert_eq!(problem.code, code, "{measurement}: {}", problem.message);
        assert!(
            problem.hint.contains(hint),
            "{measurement}: {}",
            problem.hint
        );
        let (_, study) = load(&files);
        let trial = study.expect("no error").expect("loads").trial();
        assert!(
            trial
                .not_computed
                .iter()
                .any(|n| n.analysis == "measurement[0]"),
            "the trial finds it too"
        );
    }
}

//! `kith import qualtrics` end to end: each fixture survey converts into files that pass
//! `kith check`, what could not be converted is listed by question id, nothing is overwritten
//! without `--force`, a bad file is refused with a hint, and the Qualtrics export of the
//! converted survey scores with it to the means computed by hand.

mod common;

use common::{kith, root};
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kith-qualtrics-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/data/qualtrics")
        .join(name)
        .display()
        .to_string()
}

/// Imports a fixture into `dir` and returns the survey file written.
fn import(name: &str, dir: &Path) -> (PathBuf, String) {
    let run = kith(
        &["import", "qualtrics", &fixture(name), "-o", text(dir)],
        &root(),
    );
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    let survey = std::fs::read_dir(dir)
        .expect("the folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.to_string_lossy().ends_with(".survey.yaml"))
        .expect("a survey file");
    (survey, run.stderr)
}

#[test]
fn every_fixture_converts_into_files_that_pass_kith_check() {
    for (name, left_out) in [
        ("networking-motives.qsf", 1),
        ("logic-and-randomization.qsf", 5),
        ("unconvertible.qsf", 12),
    ] {
        let dir = scratch(name.trim_end_matches(".qsf"));
        let (survey, stderr) = import(name, &dir);
        assert!(
            stderr.contains(&format!("{left_out} left out"))
                || stderr.contains(&format!("{left_out} parts left out"))
                || stderr.contains(&format!("{left_out} part left out")),
            "{name}: {stderr}"
        );
        assert_eq!(
            stderr.matches("left out: ").count(),
            left_out,
            "{name}: {stderr}"
        );
        let check = kith(&["check", text(&survey)], &root());
        assert_eq!(check.code, 0, "{name}: {}", check.stderr);
    }
}

#[test]
fn unconvertible_questions_are_named_with_their_id_and_reason() {
    let dir = scratch("named");
    let (_, stderr) = import("unconvertible.qsf", &dir);
    for kind in [
        "heat map",
        "JavaScript",
        "rank-order",
        "side-by-side",
        "quota",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("left out: Q")
                    && l.to_lowercase().contains(&kind.to_lowercase())),
            "{kind}: {stderr}"
        );
    }
}

#[test]
fn an_import_does_not_overwrite_without_force() {
    let dir = scratch("force");
    import("networking-motives.qsf", &dir);
    let again = kith(
        &[
            "import",
            "qualtrics",
            &fixture("networking-motives.qsf"),
            "-o",
            text(&dir),
        ],
        &root(),
    );
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("already exist"), "{}", again.stderr);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    let forced = kith(
        &[
            "import",
            "qualtrics",
            &fixture("networking-motives.qsf"),
            "-o",
            text(&dir),
            "--force",
        ],
        &root(),
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
}

#[test]
fn a_file_that_is_not_a_qsf_is_refused_with_a_hint() {
    let dir = scratch("bad");
    for (name, body, expected) in [
        ("broken.qsf", "{\"SurveyEntry\": ", "JSON"),
        ("other.qsf", "{\"hello\": 1}", "SurveyElements"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write");
        let run = kith(
            &[
                "import",
                "qualtrics",
                text(&path),
                "-o",
                text(&dir.join("out")),
            ],
            &root(),
        );
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(run.stderr.contains("hint:"), "{name}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    }
}

#[test]
fn the_qualtrics_export_scores_with_the_converted_survey() {
    let dir = scratch("scores");
    let (survey, _) = import("networking-motives.qsf", &dir);
    let run = kith(
        &[
            "score",
            text(&survey),
            &fixture("networking-motives-export.csv"),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("kept 10 responses"), "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let id = headers
        .iter()
        .position(|h| h == "ResponseId")
        .expect("ResponseId");
    let mean = headers
        .iter()
        .position(|h| h == "NM_mean")
        .expect("NM_mean");
    let scores: Vec<(String, f64)> = reader
        .records()
        .map(|r| r.expect("record"))
        .map(|r| (r[id].to_string(), r[mean].parse().expect("a mean")))
        .collect();
    // The means of the ten statements as stored, from tests/data/qualtrics/README.md.
    let expected = [
        ("R_3PnK8sLq2Ww1aXy", 5.6),
        ("R_1dGh7TzQm0Vb4Ke", 2.8),
        ("R_2xLp9RcWe6Nt3Ju", 4.8),
        ("R_0aQs4FvYh8Kp2Lm", 1.7),
        ("R_6kTr1NbXq3Gz7Pd", 6.9),
        ("R_5mWc2JeUn9Ha0Qs", 4.1),
        ("R_9hEd3KgVt5Bs1Rw", 5.2),
        ("R_8pYa6LdCx2Mf4Tn", 1.3),
        ("R_7cUz0SwPk4Dj9Vb", 5.9),
        ("R_4bNq5HxRm7Ce3Yt", 4.4),
    ];
    assert_eq!(scores.len(), expected.len());
    for ((id, mean), (want_id, want)) in scores.iter().zip(expected) {
        assert_eq!(id, want_id);
        assert!((mean - want).abs() < 1e-9, "{id}: {mean} != {want}");
    }
}

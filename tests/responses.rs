//! Response files end to end: `kith score` and `kith reliability` on real, Qualtrics and broken
//! response files, run through the real binary.

mod common;

use common::{assert_no_panic, kith, root, settings};
use polars::prelude::*;
use std::path::{Path, PathBuf};

const GJE: &str = "instruments/global-job-embeddedness.yaml";

fn output_dir() -> PathBuf {
    let directory = root()
        .join("target")
        .join("kith-test-output")
        .join("responses");
    std::fs::create_dir_all(&directory).expect("output directory");
    directory
}

/// The scores column of a CSV written by `kith score`, by respondent.
fn scores_by_id(csv: &str, score: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let column = headers
        .iter()
        .position(|h| h == score)
        .expect("score column");
    reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            (record[0].to_string(), record[column].to_string())
        })
        .collect()
}

fn approx(text: &str, expected: f64) -> bool {
    text.parse::<f64>()
        .is_ok_and(|value| (value - expected).abs() < 1e-12)
}

#[test]
fn bad_response_files_fail_with_clear_messages() {
    let directory = root().join("tests/data/bad-responses");
    let files: Vec<String> = common::file_names(&directory)
        .into_iter()
        .filter(|name| !name.ends_with(".yaml"))
        .collect();
    assert!(
        files.len() >= 15,
        "the corpus needs at least 15 kinds of bad file, has {}",
        files.len()
    );
    for file in &files {
        let data = format!("tests/data/bad-responses/{file}");
        let run = kith(&["score", GJE, &data], &root());
        assert_eq!(run.code, 1, "{file} should fail:\n{}", run.stderr);
        assert_no_panic(&run);
        assert!(
            run.stdout.is_empty(),
            "{file}: nothing is written when data are bad"
        );
        assert!(
            run.stderr.contains("hint:"),
            "{file}: no hint in\n{}",
            run.stderr
        );
        let name = format!("bad_response_{}", file.replace('.', "_"));
        settings().bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

#[test]
fn bad_options_fail_with_clear_messages() {
    let cases: &[(&str, &[&str])] = &[
        (
            "unknown_id_column",
            &[
                "score",
                GJE,
                "tests/data/responses/messy.csv",
                "--id",
                "pid",
            ],
        ),
        (
            "map_not_a_map",
            &[
                "score",
                GJE,
                "tests/data/responses/renamed.csv",
                "--map",
                "tests/data/bad-responses/bad-map.yaml",
            ],
        ),
        (
            "missing_data_file",
            &["score", GJE, "tests/data/responses/no-such-file.csv"],
        ),
        (
            "invalid_survey",
            &[
                "score",
                "tests/data/broken/duplicate-item-id.yaml",
                "tests/data/responses/messy.csv",
            ],
        ),
        (
            "parquet_to_terminal",
            &[
                "score",
                GJE,
                "tests/data/responses/messy.csv",
                "--format",
                "parquet",
            ],
        ),
    ];
    for (name, args) in cases {
        let run = kith(args, &root());
        assert_eq!(run.code, 1, "{name}:\n{}", run.stderr);
        assert_no_panic(&run);
        settings().bind(|| insta::assert_snapshot!(format!("bad_option_{name}"), run.stderr));
    }
}

#[test]
fn qualtrics_exports_score_correctly() {
    // R_1a answered 4,4,3,5,2,2,4 (item 6 reversed: 4): 26/7. R_2b: 2,3,2,2,1,5→1,2: 13/7.
    // R_3c skipped item 4: 5,5,4,4,1→5,5: 28/6. Preview, test, spam and unfinished rows go.
    for file in [
        "qualtrics-numeric.csv",
        "qualtrics-choice-text.csv",
        "qualtrics-legacy.csv",
    ] {
        let run = kith(
            &["score", GJE, &format!("tests/data/responses/{file}")],
            &root(),
        );
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("dropped 1 unfinished, 1 preview, 1 test and 1 spam rows"),
            "{file}: {}",
            run.stderr
        );
        let scores = scores_by_id(&run.stdout, "embeddedness");
        let ids: Vec<&str> = scores.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["R_1a", "R_2b", "R_3c"], "{file}");
        for ((_, score), expected) in scores.iter().zip([26.0 / 7.0, 13.0 / 7.0, 28.0 / 6.0]) {
            assert!(approx(score, expected), "{file}: {score} vs {expected}");
        }
    }
    // With --include-partial the unfinished response stays; one answer of seven is below the
    // instrument's min_answered (0.7), so its score is empty.
    let run = kith(
        &[
            "score",
            GJE,
            "tests/data/responses/qualtrics-numeric.csv",
            "--include-partial",
        ],
        &root(),
    );
    let scores = scores_by_id(&run.stdout, "embeddedness");
    assert_eq!(scores.len(), 4);
    assert_eq!(scores[2], ("R_part".to_string(), String::new()));
    // Text answers pass through, commas and line breaks intact.
    assert!(run.stdout.contains("\"Fine, thanks,\nsee you\""));
}

#[test]
fn messy_csv_mapped_columns_and_missing_codes() {
    let run = kith(
        &[
            "score",
            GJE,
            "tests/data/responses/messy.csv",
            "--missing-codes",
            "-99,-999",
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let scores = scores_by_id(&run.stdout, "embeddedness");
    let expected = [26.0 / 7.0, 11.0 / 6.0, 28.0 / 6.0];
    for ((_, score), expected) in scores.iter().zip(expected) {
        assert!(approx(score, expected), "{score} vs {expected}");
    }
    // Unknown columns pass through, quoted as needed.
    assert!(
        run.stdout
            .starts_with("respondent_id,note,department,embeddedness,embeddedness_n_answered\n")
    );
    assert!(run.stdout.contains("\"R&D, \"\"Labs\"\"\""));
    // Without the missing code, -99 is off the scale and nothing is scored.
    let run = kith(&["score", GJE, "tests/data/responses/messy.csv"], &root());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("`-99` is not on the item's scale"));

    let run = kith(
        &[
            "score",
            GJE,
            "tests/data/responses/renamed.csv",
            "--id",
            "pid",
            "--map",
            "tests/data/responses/renamed-map.yaml",
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(scores_by_id(&run.stdout, "embeddedness").len(), 2);
}

fn bfi_frame() -> DataFrame {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(root().join("tests/data/bfi.csv")))
        .expect("reader")
        .finish()
        .expect("bfi.csv")
}

#[test]
fn every_input_and_output_format_gives_the_same_scores() {
    let directory = output_dir();
    let mut frame = bfi_frame();
    let tsv = directory.join("bfi.tsv");
    CsvWriter::new(std::fs::File::create(&tsv).expect("tsv"))
        .with_separator(b'\t')
        .finish(&mut frame)
        .expect("write tsv");
    let parquet = directory.join("bfi.parquet");
    ParquetWriter::new(std::fs::File::create(&parquet).expect("parquet"))
        .finish(&mut frame)
        .expect("write parquet");
    let jsonl = directory.join("bfi.jsonl");
    JsonWriter::new(std::fs::File::create(&jsonl).expect("jsonl"))
        .with_json_format(JsonFormat::JsonLines)
        .finish(&mut frame)
        .expect("write jsonl");

    let reference = kith(
        &["score", "instruments/bfi.yaml", "tests/data/bfi.csv"],
        &root(),
    );
    assert_eq!(reference.code, 0, "{}", reference.stderr);
    for input in [&tsv, &parquet, &jsonl] {
        let run = kith(
            &[
                "score",
                "instruments/bfi.yaml",
                &input.display().to_string(),
            ],
            &root(),
        );
        assert_eq!(run.code, 0, "{}: {}", input.display(), run.stderr);
        for score in [
            "agreeableness",
            "conscientiousness",
            "extraversion",
            "neuroticism",
            "openness",
        ] {
            assert_eq!(
                scores_by_id(&run.stdout, score),
                scores_by_id(&reference.stdout, score),
                "{} {score}",
                input.display()
            );
        }
    }
    // Respondent 1: A1 = 2 reversed to 5, then 4, 3, 4, 4: agreeableness 4.
    assert_eq!(
        scores_by_id(&reference.stdout, "agreeableness")[0],
        ("1".to_string(), "4.0".to_string())
    );

    // Output formats: JSON parses; Parquet reads back with the same scores.
    let json = kith(
        &[
            "score",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "json",
        ],
        &root(),
    );
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(rows.as_array().expect("array").len(), 2800);
    assert_eq!(rows[0]["agreeableness"], 4.0);
    assert_eq!(rows[0]["agreeableness_n_answered"], 5);
    let out = directory.join("scores.parquet");
    let run = kith(
        &[
            "score",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "parquet",
            "-o",
            &out.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let back = ParquetReader::new(std::fs::File::open(&out).expect("open"))
        .finish()
        .expect("read back");
    assert_eq!(back.height(), 2800);
    let tsv_out = kith(
        &[
            "score",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "tsv",
        ],
        &root(),
    );
    assert!(
        tsv_out
            .stdout
            .starts_with("id\tgender\teducation\tage\tagreeableness")
    );
}

#[test]
fn report_invalid_lists_every_bad_cell() {
    let report = output_dir().join("invalid.csv");
    let run = kith(
        &[
            "score",
            GJE,
            "tests/data/bad-responses/many-off-scale.csv",
            "--report-invalid",
            &report.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("… and"),
        "the terminal shows five per column, then a count:\n{}",
        run.stderr
    );
    let text = std::fs::read_to_string(&report).expect("report written");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    // Values 0 and 6, 7, 8 of n mod 9 for n = 1..40 are off a 1-5 scale.
    let expected = (1..=40)
        .filter(|n| ![1, 2, 3, 4, 5].contains(&(n % 9)))
        .count();
    assert_eq!(rows.len(), expected);
    assert_eq!(&rows[0][2], "gje_1");
    assert_eq!(&rows[0][4], "value-off-scale");
}

#[test]
fn reliability_reports_match_their_snapshots() {
    let text = kith(
        &["reliability", "instruments/bfi.yaml", "tests/data/bfi.csv"],
        &root(),
    );
    assert_eq!(text.code, 0, "{}", text.stderr);
    settings().bind(|| insta::assert_snapshot!("reliability_bfi_text", text.stdout));
    let markdown = kith(
        &[
            "reliability",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "markdown",
        ],
        &root(),
    );
    settings().bind(|| insta::assert_snapshot!("reliability_bfi_markdown", markdown.stdout));
    let json = kith(
        &[
            "reliability",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--format",
            "json",
        ],
        &root(),
    );
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let score = &report["scores"][0];
    for field in [
        "id",
        "k",
        "n",
        "alpha",
        "std_alpha",
        "g6",
        "average_r",
        "median_r",
        "signal_noise",
        "ase",
        "alpha_ci_feldt",
        "alpha_ci_duhachek",
        "omega_total",
        "lambda2",
        "mean",
        "sd",
        "items",
    ] {
        assert!(
            !score[field].is_null(),
            "the documented field `{field}` is missing"
        );
    }
    for field in [
        "id",
        "n",
        "mean",
        "sd",
        "r",
        "r_cor",
        "r_drop",
        "alpha_if_dropped",
    ] {
        assert!(
            !score["items"][0][field].is_null(),
            "the documented item field `{field}` is missing"
        );
    }
    assert_eq!(score["alpha_ci_feldt"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_miskeyed_item_draws_a_warning() {
    // gje_6 is reverse keyed; a copy of the instrument that forgets it keys it the wrong way.
    let text = std::fs::read_to_string(root().join(GJE)).expect("instrument");
    let miskeyed = text.replace("\n    reverse: true", "");
    assert_ne!(miskeyed, text, "the copy forgets the reverse keying");
    let path = output_dir().join("gje-miskeyed.yaml");
    std::fs::write(&path, miskeyed).expect("write");
    let data = generated_gje(&output_dir());
    let run = kith(
        &[
            "reliability",
            &path.display().to_string(),
            &data.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: item `gje_6` correlates negatively with the rest of `embeddedness`"
        ),
        "{}",
        run.stderr
    );
}

/// Responses to the embeddedness items in which gje_6 runs against the others, as it should.
fn generated_gje(directory: &Path) -> PathBuf {
    let mut lines = vec!["respondent_id,gje_1,gje_2,gje_3,gje_4,gje_5,gje_6,gje_7".to_string()];
    for n in 0..60 {
        let level = 1 + (n % 5);
        let near = |shift: usize| (level + (n + shift) % 2).min(5);
        lines.push(format!(
            "P{n},{},{},{},{},{},{},{}",
            near(0),
            near(1),
            level,
            near(1),
            near(0),
            6 - level,
            level
        ));
    }
    let path = directory.join("gje-generated.csv");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    path
}

#[test]
fn a_scale_without_variance_is_reported_not_computed() {
    // gje_1 is 3 for everyone and gje_3 is never answered: no statistic can describe the
    // scale. kith must say so promptly (an SVD of NaN never converges) and exit 0, since the
    // data themselves are valid.
    let mut child = std::process::Command::new(common::kith_binary())
        .args([
            "reliability",
            GJE,
            "tests/data/responses/constant-item.csv",
            "--format",
            "json",
        ])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kith runs");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kith reliability did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["scores"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["not_computed"][0]["score"], "embeddedness");
    assert!(
        report["not_computed"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("`gje_1` has no variance"))
    );
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("warning: the reliability of `embeddedness` is not computed")
    );
}

/// `kith score` leaves out screened-out sessions and tells a question the survey's logic did
/// not show from one left unanswered, counting both (both are missing to scores).
#[test]
fn scoring_counts_answers_not_shown_apart_from_unanswered_ones() {
    let survey = "tests/data/languages/screening.survey.yaml";
    let data = output_dir().join("screening-simulated.csv");
    let run = kith(
        &[
            "simulate",
            survey,
            "--n",
            "300",
            "--seed",
            "4",
            "-o",
            &data.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What the file says, counted here.
    let mut reader = csv::Reader::from_path(&data).expect("the simulated file");
    let headers = reader.headers().expect("a header").clone();
    let at = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (mut screened, mut not_shown, mut unanswered) = (0, 0, 0);
    for record in reader.records() {
        let record = record.expect("a row");
        if &record[at("status")] == "screened_out" {
            screened += 1;
            continue;
        }
        let hidden: Vec<&str> = record[at("not_shown")].split('|').collect();
        for item in ["employed", "job_offers", "accepted"] {
            if record[at(item)].is_empty() {
                if hidden.contains(&item) {
                    not_shown += 1;
                } else {
                    unanswered += 1;
                }
            }
        }
    }
    assert!(screened > 0 && not_shown > 0, "the seed exercises both");
    let run = kith(&["score", survey, &data.display().to_string()], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "kept {} responses of `{}`; dropped {screened} screened out rows",
            300 - screened,
            data.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{} missing answers: {not_shown} not shown by the survey's logic and {unanswered} shown but not answered",
            not_shown + unanswered
        )),
        "{}",
        run.stderr
    );
}

/// The column `name` of a CSV written by `kith screen`.
fn screen_column(csv: &str, name: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let column = headers.iter().position(|h| h == name).expect("a column");
    reader
        .records()
        .map(|record| record.expect("record")[column].to_string())
        .collect()
}

#[test]
fn screen_of_bfi_gives_careless_values_and_a_summary() {
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
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let screening: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/reference/careless.json"))
            .expect("the fixture"),
    )
    .expect("JSON");
    let rows = screening["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2800);
    // Through the binary, the survey's items in its order and keyed by it: careless's values.
    for (index, field) in [
        ("mahalanobis", "mahalanobis"),
        ("irv", "irv"),
        ("even_odd", "even_odd"),
        ("longstring_max", "longstring_max"),
    ] {
        for (i, row) in rows.iter().enumerate().take(200) {
            let r = &reference["bfi"][index][i];
            match r.as_f64() {
                None => assert!(row[field].is_null(), "{field}[{i}]"),
                Some(r) => {
                    let kith = row[field].as_f64().expect("a number");
                    assert!((kith - r).abs() < 1e-8 * r.abs().max(1.0), "{field}[{i}]");
                }
            }
        }
    }
    settings().bind(|| insta::assert_snapshot!("screen_bfi_summary", run.stderr));
}

#[test]
fn screen_reads_kith_exports_and_qualtrics_files() {
    // The bundled example has kith's export columns: `attention_failed` counts per respondent.
    let run = kith(
        &[
            "screen",
            "instruments/networking-careers.survey.yaml",
            "analysis/example/responses.csv",
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let failed = screen_column(&run.stdout, "attention_failed");
    let flagged = failed
        .iter()
        .filter(|v| v.parse::<f64>().is_ok_and(|v| v >= 1.0))
        .count();
    assert!(flagged > 0, "the example has careless respondents");
    assert!(
        run.stderr
            .contains(&format!("{flagged:>8}  attention_failed >= 1")),
        "{}",
        run.stderr
    );
    // A Qualtrics export: its duration gives seconds per item (480 s over 7 answers).
    let run = kith(
        &["screen", GJE, "tests/data/responses/qualtrics-numeric.csv"],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seconds = screen_column(&run.stdout, "seconds_per_item");
    assert!(approx(&seconds[0], 480.0 / 7.0), "{seconds:?}");
    assert!(
        run.stderr.contains("seconds_per_item < 2"),
        "{}",
        run.stderr
    );
    settings().bind(|| insta::assert_snapshot!("screen_qualtrics", run.stdout));
}

#[test]
fn screen_explains_what_it_cannot_compute() {
    let directory = output_dir();
    // One row without any answer, one item without variance: no panic, every index that
    // can be computed is, and the others say why.
    let file = directory.join("screen-holes.csv");
    std::fs::write(
        &file,
        "respondent_id,gje_1,gje_2,gje_3,gje_4,gje_5,gje_6,gje_7\n\
         a,3,3,2,4,5,1,2\n\
         b,,,,,,,\n\
         c,3,4,2,2,5,2,3\n\
         d,3,5,1,3,4,2,4\n",
    )
    .expect("written");
    let run = kith(&["screen", GJE, file.to_str().expect("UTF-8")], &root());
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let irv = screen_column(&run.stdout, "irv");
    assert_eq!(irv[1], "", "no answers, no IRV");
    assert!(!irv[0].is_empty());
    settings().bind(|| insta::assert_snapshot!("screen_holes", run.stderr));
    let run = kith(
        &[
            "screen",
            GJE,
            file.to_str().expect("UTF-8"),
            "--synonym-critical",
            "1.5",
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--synonym-critical 1.5"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn score_with_screen_adds_the_indices_as_columns() {
    let run = kith(
        &[
            "score",
            "instruments/bfi.yaml",
            "tests/data/bfi.csv",
            "--screen",
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let screened = kith(
        &["screen", "instruments/bfi.yaml", "tests/data/bfi.csv"],
        &root(),
    );
    assert_eq!(screened.code, 0, "{}", screened.stderr);
    // The same values as `kith screen`'s, beside the scores (polars writes `3.0` for 3).
    let numbers = |csv: &str, column: &str| -> Vec<Option<f64>> {
        screen_column(csv, column)
            .iter()
            .map(|cell| cell.parse::<f64>().ok())
            .collect()
    };
    for column in ["longstring_max", "irv", "mahalanobis", "even_odd"] {
        assert_eq!(
            numbers(&run.stdout, column),
            numbers(&screened.stdout, column),
            "{column}"
        );
    }
    assert_eq!(
        screen_column(&run.stdout, "flags"),
        screen_column(&screened.stdout, "flags")
    );
    assert_eq!(screen_column(&run.stdout, "agreeableness").len(), 2800);
}

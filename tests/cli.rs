//! Instrument files end to end: the real `kith` binary on the bundled instruments and on a
//! corpus of broken files, with messages compared against insta snapshots.

mod common;

use common::{assert_no_panic, kith, root, settings};
use std::path::Path;

fn bundled_files() -> Vec<String> {
    common::file_names(&root().join("instruments"))
        .into_iter()
        .filter(|name| name.ends_with(".yaml"))
        .map(|name| format!("instruments/{name}"))
        .collect()
}

#[test]
fn bundled_instruments_pass_check_without_warnings() {
    let files = bundled_files();
    assert!(
        files.len() >= 10,
        "expected the ten bundled files, found {files:?}"
    );
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let run = kith(&args, &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len()
    );
    assert!(
        run.stderr.contains(&format!(
            "checked {} files: {} valid, 0 invalid; 0 errors, 0 warnings",
            files.len(),
            files.len()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn codebook_renders_every_bundled_file_in_every_format() {
    for file in bundled_files() {
        for format in ["markdown", "html", "csv", "json"] {
            let run = kith(&["codebook", &file, "--format", format], &root());
            assert_eq!(run.code, 0, "{file} as {format}: {}", run.stderr);
            assert_no_panic(&run);
            let text = &run.stdout;
            match format {
                "markdown" => assert!(
                    text.starts_with("# Codebook: ") && text.contains("| `respondent_id` |")
                ),
                "html" => {
                    assert!(
                        text.starts_with("<!DOCTYPE html>") && text.contains("<html lang=\"en\">")
                    );
                    assert!(!text.contains("<script"), "the codebook needs no script");
                    assert_eq!(
                        text.matches("<table>").count(),
                        text.matches("</table>").count()
                    );
                }
                "csv" => {
                    let mut lines = text.lines();
                    assert!(
                        lines
                            .next()
                            .is_some_and(|h| h.starts_with("column,role,block"))
                    );
                    assert!(
                        lines
                            .next()
                            .is_some_and(|l| l.starts_with("respondent_id,id,"))
                    );
                }
                _ => {
                    let json: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
                    let columns = json["columns"].as_array().expect("columns");
                    assert!(columns.len() > 1);
                    assert!(
                        json["fingerprint"]
                            .as_str()
                            .is_some_and(|f| f.starts_with("kith1-"))
                    );
                }
            }
        }
    }
}

#[test]
fn codebook_of_the_survey_matches_its_snapshot() {
    let run = kith(
        &["codebook", "instruments/networking-careers.survey.yaml"],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    settings().bind(|| insta::assert_snapshot!("codebook_networking_careers_markdown", run.stdout));
    let run = kith(
        &["codebook", "instruments/bfi.yaml", "--format", "csv"],
        &root(),
    );
    settings().bind(|| insta::assert_snapshot!("codebook_bfi_csv", run.stdout));
}

#[test]
fn codebook_writes_to_a_file_with_output() {
    let directory = root().join("target").join("kith-test-output");
    std::fs::create_dir_all(&directory).expect("create output dir");
    let out = directory.join("bfi-codebook.html");
    let _ = std::fs::remove_file(&out);
    let run = kith(
        &[
            "codebook",
            "instruments/bfi.yaml",
            "--format",
            "html",
            "-o",
            &out.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("codebook written");
    assert!(written.contains("<code>A1</code>"));
}

#[test]
fn the_codebook_lists_every_column_of_the_survey() {
    let run = kith(
        &[
            "codebook",
            "instruments/networking-careers.survey.yaml",
            "--format",
            "json",
        ],
        &root(),
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let names: Vec<&str> = json["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    // respondent_id, 67 one-column items, the 4 option columns of the multiple-choice
    // job-offer follow-up and 1 attention check.
    assert_eq!(names.len(), 73, "{names:?}");
    let gje_6 = json["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == "gje_6")
        .expect("gje_6");
    assert_eq!(gje_6["keying"], "reverse");
    assert_eq!(gje_6["scores"], serde_json::json!(["embeddedness"]));
    let check = json["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == "attn_motives")
        .expect("attention check");
    assert_eq!(check["role"], "attention_check");
    assert_eq!(check["expected_answer"], 4);
    let motives = json["instruments"]
        .as_array()
        .expect("instruments")
        .iter()
        .find(|i| i["id"] == "networking-motives")
        .expect("motives");
    assert_eq!(motives["validated"], false);
    assert!(
        motives["validation_note"]
            .as_str()
            .is_some_and(|n| n.contains("Not the published items"))
    );
}

#[test]
fn check_and_codebook_show_the_same_fingerprint() {
    let check = kith(&["check", "instruments/bfi.yaml"], &root());
    let codebook = kith(
        &["codebook", "instruments/bfi.yaml", "--format", "json"],
        &root(),
    );
    let json: serde_json::Value = serde_json::from_str(&codebook.stdout).expect("valid JSON");
    let fingerprint = json["fingerprint"].as_str().expect("fingerprint");
    assert!(
        check.stdout.contains(fingerprint),
        "{} vs {fingerprint}",
        check.stdout
    );
}

/// The broken files: each must fail with its snapshotted messages, exit 1, and never panic.
#[test]
fn broken_files_fail_with_clear_messages() {
    let directory = root().join("tests").join("data").join("broken");
    let mut files: Vec<String> = std::fs::read_dir(&directory)
        .expect("tests/data/broken exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "the corpus needs at least 20 broken files, has {}",
        files.len()
    );
    for file in &files {
        let run = kith(&["check", file], &directory);
        assert_eq!(
            run.code, 1,
            "{file} should fail with exit 1:\n{}",
            run.stderr
        );
        assert_no_panic(&run);
        assert!(run.stdout.starts_with("FAIL "), "{file}: {}", run.stdout);
        // Every diagnostic names its file, line and column, and gives a hint.
        let diagnostics: Vec<&str> = run
            .stderr
            .split("\n\n")
            .filter(|block| block.starts_with("error[") || block.starts_with("warning["))
            .collect();
        assert!(
            !diagnostics.is_empty(),
            "{file}: no diagnostics in\n{}",
            run.stderr
        );
        for diagnostic in diagnostics {
            let place = diagnostic.lines().nth(1).unwrap_or_default();
            let has_place = place.trim_start().starts_with("--> ")
                && place
                    .rsplit(':')
                    .take(2)
                    .all(|n| n.trim().parse::<usize>().is_ok_and(|n| n > 0));
            assert!(has_place, "{file}: no file:line:column in\n{diagnostic}");
            assert!(
                diagnostic.contains("= hint: "),
                "{file}: no hint in\n{diagnostic}"
            );
        }
        let name = format!(
            "broken_{}",
            file.trim_end_matches(".yaml").replace('.', "_")
        );
        settings().bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

#[test]
fn json_report_names_every_field() {
    let directory = root().join("tests").join("data").join("broken");
    let run = kith(
        &["check", "--format", "json", "unknown-key-typo.yaml"],
        &directory,
    );
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    settings().bind(|| insta::assert_json_snapshot!("check_json_unknown_key_typo", json));
}

#[test]
fn unreadable_files_exit_1_with_a_clear_message() {
    let run = kith(&["check", "no-such-file.yaml"], &root());
    assert_eq!(run.code, 1);
    assert_no_panic(&run);
    settings().bind(|| insta::assert_snapshot!("check_missing_file", run.stderr));
    let run = kith(
        &["codebook", "tests/data/broken/duplicate-item-id.yaml"],
        &root(),
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains(
        "error: `tests/data/broken/duplicate-item-id.yaml` has errors; no codebook was written"
    ));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["check"],
        vec!["frobnicate"],
        vec!["codebook", "instruments/bfi.yaml", "--format", "pdf"],
        vec!["check", "--format", "yaml", "instruments/bfi.yaml"],
    ] {
        let run = kith(&args, &root());
        assert_eq!(
            run.code, 2,
            "kith {args:?} should be a usage error:\n{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "usage errors go to stderr");
        assert!(
            run.stderr.contains("Usage:") || run.stderr.starts_with("error: invalid value"),
            "{}",
            run.stderr
        );
    }
    let help = kith(&["--help"], &root());
    assert_eq!(help.code, 0);
    for command in ["check", "codebook", "schema"] {
        assert!(help.stdout.contains(command), "--help lists {command}");
    }
    let version = kith(&["--version"], &root());
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout.trim(),
        format!("kith {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn schema_accepts_the_bundled_files_and_rejects_broken_ones() {
    let run = kith(&["schema"], &root());
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for file in bundled_files() {
        let text = std::fs::read_to_string(root().join(&file)).expect("read");
        let document: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{file} does not match the schema: {errors:?}"
        );
    }
    // Analysis plans are kith files too: the bundled plan and the test plans match, a plan
    // with a misspelt key does not.
    let mut plans = vec!["analysis/networking-careers.yaml".to_string()];
    for entry in std::fs::read_dir(root().join("tests/data/analysis")).expect("plans") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            plans.push(path.display().to_string());
        }
    }
    for plan in &plans {
        let text = std::fs::read_to_string(root().join(plan)).expect("read");
        let document: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{plan} does not match the schema: {errors:?}"
        );
    }
    let text = std::fs::read_to_string(root().join("tests/data/bad-plans/unknown-key.yaml"))
        .expect("read");
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    assert!(
        !validator.is_valid(&document),
        "the schema accepts a misspelt plan key"
    );
    // The plan's definitions join the instrument's without replacing any.
    let instrument = kith_instrument::schema::document_schema();
    let plan = kith_analysis::plan::plan_schema();
    let defs =
        |schema: &serde_json::Value| schema["$defs"].as_object().cloned().unwrap_or_default();
    let (joined, instrument_defs, plan_defs) = (defs(&schema), defs(&instrument), defs(&plan));
    // A definition both have (the relation kinds, one type) is the same in both.
    for (name, definition) in &plan_defs {
        if let Some(own) = instrument_defs.get(name) {
            assert_eq!(own, definition, "`{name}` means one thing in both");
        }
    }
    let mut names: Vec<&String> = instrument_defs.keys().chain(plan_defs.keys()).collect();
    names.sort();
    names.dedup();
    assert_eq!(joined.len(), names.len());
    for broken in [
        "unknown-key-typo.yaml",
        "unknown-scale-type.yaml",
        "wrong-types.yaml",
        "missing-kind.yaml",
        "missing-required-keys.yaml",
    ] {
        let text =
            std::fs::read_to_string(root().join("tests/data/broken").join(broken)).expect("read");
        let document: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        assert!(
            !validator.is_valid(&document),
            "the schema accepts {broken}"
        );
    }
}

/// The annotated examples in docs/format.md are real files: they must pass `kith check`.
#[test]
fn the_documented_examples_pass_check() {
    let format =
        std::fs::read_to_string(root().join("docs").join("format.md")).expect("docs/format.md");
    let blocks: Vec<&str> = format
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.starts_with("kind: "))
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "docs/format.md should hold an annotated instrument and survey"
    );
    let directory = root()
        .join("target")
        .join("kith-test-output")
        .join("docs-examples");
    std::fs::create_dir_all(&directory).expect("create dir");
    for file in bundled_files() {
        std::fs::copy(
            root().join(&file),
            directory.join(Path::new(&file).file_name().expect("name")),
        )
        .expect("copy");
    }
    std::fs::write(directory.join("example.yaml"), blocks[0]).expect("write");
    std::fs::write(directory.join("example.survey.yaml"), blocks[1]).expect("write");
    let run = kith(
        &["check", "example.yaml", "example.survey.yaml"],
        &directory,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

/// Every crate the `kith` binary's own build uses, with its features, as `cargo tree` lists it.
fn tree_features(args: &[&str]) -> std::collections::BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = std::process::Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--offline",
            "--prefix",
            "none",
            "--no-dedupe",
        ])
        .args(["-f", "{p} {f}"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| !line.contains("(/"))
        .map(|line| line.replace(" (*)", "").replace(" (proc-macro)", ""))
        .collect()
}

#[test]
fn the_binary_and_the_tests_share_one_build() {
    // `cargo run -p kith-cli` (the README's main command) and `cargo test --workspace` (its
    // test command) compile a dependency once only when it has the same features in both;
    // crates/kith-workspace-hack makes them so. A new dev-dependency that turns on more
    // features of a shared crate shows up here, with the crate to add to that list.
    let binary = tree_features(&["-p", "kith-cli", "-e", "normal,build"]);
    let tests = tree_features(&["--workspace", "-e", "normal,build,dev"]);
    let differ: Vec<&String> = binary.difference(&tests).collect();
    assert!(
        differ.is_empty(),
        "these crates are built with other features for the binary than for the tests; add the tests' features to crates/kith-workspace-hack/Cargo.toml:\n{differ:#?}"
    );
}

/// `kith --help` says what the tool is for and shows a study from questionnaire to report.
#[test]
fn help_shows_a_study_from_questionnaire_to_report() {
    let run = kith(&["--help"], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for step in [
        "one tool from the questionnaire to the finished report",
        "kith check survey.yaml",
        "kith serve survey.yaml --store study.db",
        "kith export --store study.db -o answers.csv",
        "kith reliability survey.yaml answers.csv",
        "kith analyze plan.yaml",
    ] {
        assert!(run.stdout.contains(step), "`{step}` in:\n{}", run.stdout);
    }
    let run = kith(&["analyze", "--help"], &root());
    assert!(run.stdout.contains("report.html"), "{}", run.stdout);
}

/// A condition that the items' scales make impossible is a warning, not an error: the survey
/// is valid, and kith says what never happens.
#[test]
fn conditions_that_can_never_be_true_are_warnings() {
    let run = kith(
        &["check", "tests/data/logic/never-true.survey.yaml"],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[never-true]").count(), 3);
    settings().bind(|| insta::assert_snapshot!("logic_never_true", run.stderr));
    // What a condition may read where it is tested: an item's own constraint and screen-out
    // read the item even in a block that shuffles it across pages.
    let run = kith(
        &["check", "tests/data/logic/shuffled-pages.survey.yaml"],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
}

/// A language the survey offers but does not give every text in is a warning that names the
/// missing texts; a complete language says nothing.
#[test]
fn a_language_that_lacks_texts_is_a_warning() {
    let run = kith(
        &[
            "check",
            "tests/data/languages/partly-translated.survey.yaml",
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("warning[missing-translation]").count(),
        1
    );
    assert!(!run.stderr.contains("offered in `de`"), "{}", run.stderr);
    settings().bind(|| insta::assert_snapshot!("languages_missing_translation", run.stderr));
    // The bundled survey is complete in German and Spanish.
    let run = kith(
        &["check", "instruments/networking-careers.survey.yaml"],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("missing-translation"),
        "{}",
        run.stderr
    );
}

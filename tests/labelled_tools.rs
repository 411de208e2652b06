//! SPSS and Stata files written by kith, opened by the tools researchers use: R's haven and
//! foreign (`tests/r/labelled_read.R`) and Python's pyreadstat (`tests/python/labelled_read.py`)
//! must see every item's text, its scale's labels, its missing-value codes as user-missing,
//! its measurement level and the scores' labels, with the values kith wrote. Each tool that
//! is installed is run (`.ci/run` installs both); one that is not is named on stderr.

mod common;

use common::{kith, root};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const SURVEY: &str = "instruments/networking-careers.survey.yaml";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kith-labelled-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Runs a reader script on a file and parses what it printed; `None` when the tool is not
/// installed, which is said loudly on stderr (the skip must be seen, never silent).
#[allow(clippy::print_stderr)]
fn tool(program: &str, script: &str, file: &Path) -> Option<Value> {
    let probe = match program {
        "Rscript" => Command::new("Rscript")
            .args(["-e", "library(haven); library(foreign); library(jsonlite)"])
            .output(),
        _ => Command::new("python3")
            .args(["-c", "import pyreadstat"])
            .output(),
    };
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "SKIPPED: {program} with its packages is not installed; {script} not run on {}",
            file.display()
        );
        return None;
    }
    let output = Command::new(program)
        .arg(root().join(script))
        .arg(file)
        .output()
        .expect("the tool runs");
    assert!(
        output.status.success(),
        "{script} could not read {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

/// What the codebook says a column should carry: its label, value labels and missing codes.
struct Expected {
    label: String,
    value_labels: Vec<(f64, String)>,
    missing: Vec<f64>,
    measure: &'static str,
}

fn expected_columns() -> BTreeMap<String, Expected> {
    let run = kith(&["codebook", SURVEY, "--format", "json"], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book: Value = serde_json::from_str(&run.stdout).expect("codebook JSON");
    let mut columns = BTreeMap::new();
    for column in book["columns"].as_array().expect("columns") {
        let kind = column["response_type"].as_str().unwrap_or_default();
        if kind == "id" || kind == "multiple_choice" || column["role"] != "item" {
            continue;
        }
        columns.insert(
            column["name"].as_str().expect("name").to_string(),
            Expected {
                label: column["text"].as_str().expect("text").to_string(),
                value_labels: column["values"]
                    .as_array()
                    .expect("values")
                    .iter()
                    .map(|v| {
                        (
                            v["value"].as_f64().expect("code"),
                            v["label"].as_str().expect("label").to_string(),
                        )
                    })
                    .collect(),
                missing: column["missing_codes"]
                    .as_array()
                    .expect("codes")
                    .iter()
                    .filter_map(Value::as_f64)
                    .collect(),
                measure: match kind {
                    "likert" => "ordinal",
                    "numeric" => "scale",
                    _ => "nominal",
                },
            },
        );
    }
    for score in book["scores"].as_array().expect("scores") {
        columns.insert(
            score["id"].as_str().expect("id").to_string(),
            Expected {
                label: score["label"].as_str().expect("label").to_string(),
                value_labels: Vec::new(),
                missing: Vec::new(),
                measure: "scale",
            },
        );
    }
    columns
}

/// The scored file kith wrote, in every labelled format, from simulated respondents.
fn written(dir: &Path) -> Vec<PathBuf> {
    let data = dir.join("simulated.csv");
    let run = kith(
        &[
            "simulate",
            SURVEY,
            "--n",
            "60",
            "--seed",
            "11",
            "-o",
            text(&data),
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut files = Vec::new();
    for extension in ["csv", "sav", "zsav", "dta"] {
        let out = dir.join(format!("scored.{extension}"));
        let run = kith(
            &["score", SURVEY, text(&data), "--items", "-o", text(&out)],
            &root(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        files.push(out);
    }
    files
}

/// kith's own CSV of the same scores, as numbers by column (empty cells as `None`).
fn csv_numbers(path: &Path) -> BTreeMap<String, Vec<Option<f64>>> {
    let mut reader = csv::Reader::from_path(path).expect("CSV");
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut columns: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("record");
        for (name, cell) in headers.iter().zip(record.iter()) {
            columns
                .entry(name.clone())
                .or_default()
                .push(cell.parse().ok());
        }
    }
    columns
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        // kith's CSV writes scores in their shortest exact form; the files hold the doubles.
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
        _ => false,
    }
}

/// Value labels by code: the files keep them in code order, the codebook in the scale's.
fn sorted(mut labels: Vec<(f64, String)>) -> Vec<(f64, String)> {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    labels
}

fn numbers(values: &Value) -> Vec<Option<f64>> {
    values
        .as_array()
        .expect("values")
        .iter()
        .map(Value::as_f64)
        .collect()
}

#[test]
fn haven_and_foreign_read_what_kith_writes() {
    let dir = scratch("haven");
    let files = written(&dir);
    let expected = expected_columns();
    let csv = csv_numbers(&files[0]);
    for file in &files[1..] {
        let Some(seen) = tool("Rscript", "tests/r/labelled_read.R", file) else {
            return;
        };
        let columns = seen["haven"]["columns"].as_array().expect("haven columns");
        let rows = csv.values().next().map_or(0, Vec::len);
        assert_eq!(seen["haven"]["n_rows"], rows, "{}", file.display());
        let stata = file.extension().is_some_and(|e| e == "dta");
        let mut checked = 0;
        for column in columns {
            let name = column["name"].as_str().expect("name");
            if let Some(want) = expected.get(name) {
                checked += 1;
                assert_eq!(
                    column["label"].as_str(),
                    Some(want.label.as_str()),
                    "{} {name}",
                    file.display()
                );
                let labels: Vec<(f64, String)> = column["labels"]
                    .as_array()
                    .expect("labels")
                    .iter()
                    .filter_map(|pair| Some((pair[0].as_f64()?, pair[1].as_str()?.to_string())))
                    .collect();
                assert_eq!(
                    sorted(labels),
                    sorted(want.value_labels.clone()),
                    "{} {name}",
                    file.display()
                );
                if !stata {
                    let declared: Vec<f64> = numbers(&column["na_values"])
                        .into_iter()
                        .flatten()
                        .collect();
                    let mut want_missing = want.missing.clone();
                    want_missing.sort_by(f64::total_cmp);
                    if want_missing.len() <= 3 {
                        assert_eq!(declared, want_missing, "{} {name}", file.display());
                    }
                }
            }
            if let Some(values) = csv.get(name)
                && column["type"] == "numeric"
            {
                let seen = numbers(&column["values"]);
                assert!(
                    seen.iter().zip(values).all(|(a, b)| close(*a, *b)),
                    "{} {name}: haven {seen:?}, kith's CSV {values:?}",
                    file.display()
                );
            }
        }
        assert_eq!(
            checked,
            expected.len(),
            "{}: every item and score is in the file",
            file.display()
        );
        if file.extension().is_some_and(|e| e == "sav") {
            assert_eq!(seen["foreign"]["status"], "ok", "{}", seen["foreign"]);
            let foreign = seen["foreign"]["columns"]
                .as_array()
                .expect("foreign columns");
            let raises = foreign
                .iter()
                .find(|c| c["name"] == "raises")
                .expect("raises");
            assert_eq!(
                raises["variable_label"].as_str(),
                Some(expected["raises"].label.as_str())
            );
            let codes: Vec<f64> = numbers(&raises["missings"]["value"])
                .into_iter()
                .flatten()
                .collect();
            assert_eq!(
                codes, expected["raises"].missing,
                "foreign's missings of raises"
            );
        }
    }
}

#[test]
fn pyreadstat_reads_what_kith_writes() {
    let dir = scratch("pyreadstat");
    let files = written(&dir);
    let expected = expected_columns();
    for file in &files[1..] {
        let Some(seen) = tool("python3", "tests/python/labelled_read.py", file) else {
            return;
        };
        let view = &seen["user_missing_true"];
        let names: Vec<&str> = view["column_names"]
            .as_array()
            .expect("names")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let stata = file.extension().is_some_and(|e| e == "dta");
        for (name, want) in &expected {
            let index = names
                .iter()
                .position(|n| n == name)
                .unwrap_or_else(|| panic!("{name} in {}", file.display()));
            assert_eq!(
                view["column_labels"][index].as_str(),
                Some(want.label.as_str()),
                "{} {name}",
                file.display()
            );
            let labels: Vec<(f64, String)> = view["variable_value_labels"][name.as_str()]
                .as_array()
                .map(|pairs| {
                    pairs
                        .iter()
                        .filter_map(|p| Some((p[0].as_f64()?, p[1].as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(
                sorted(labels),
                sorted(want.value_labels.clone()),
                "{} {name}",
                file.display()
            );
            if !stata {
                assert_eq!(
                    view["variable_measure"][name.as_str()],
                    want.measure,
                    "{} {name}",
                    file.display()
                );
                if !want.missing.is_empty() && want.missing.len() <= 3 {
                    let ranges = view["missing_ranges"][name.as_str()]
                        .as_array()
                        .expect("missing ranges");
                    let declared: Vec<f64> =
                        ranges.iter().filter_map(|r| r["lo"].as_f64()).collect();
                    let mut want_missing = want.missing.clone();
                    want_missing.sort_by(f64::total_cmp);
                    assert_eq!(declared, want_missing, "{} {name}", file.display());
                }
            } else {
                // Stata: each missing-value code is an extended missing value (.a, .b, …)
                // whose label names the code.
                let pairs = view["variable_value_labels"][name.as_str()]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for code in &want.missing {
                    let named = pairs.iter().any(|p| {
                        p[0].is_string()
                            && p[1]
                                .as_str()
                                .is_some_and(|l| l.contains(&format!("code {code}")))
                    });
                    assert!(
                        named,
                        "{} {name}: no extended missing value for {code} in {pairs:?}",
                        file.display()
                    );
                }
            }
        }
    }
}

//! Files written by the tools researchers use — R's haven and Python's pyreadstat, and a
//! Windows-1252 SPSS file built to the format's description — read by kith with the values,
//! labels and user-missing declarations haven reads (`tests/data/labelled/expected.json`,
//! written by `tests/python/labelled.py` from `tests/r/labelled_read.R`).

use kith_labelled::{Column, ReadFile, Values};
use serde_json::Value;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/labelled")
}

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
    let parsed: Value = serde_json::from_str(&text).expect("JSON");
    parsed["files"].as_array().expect("files").clone()
}

fn read(name: &str) -> ReadFile {
    let bytes = std::fs::read(fixtures().join(name)).expect("fixture");
    kith_labelled::read(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// haven's values of a column: numbers (missing as NaN) or texts. kith drops trailing blanks
/// of every string (SPSS pads with them, and haven trims those of SPSS and of Stata's `str#`
/// but not of `strL`) and reads an empty string as missing.
fn expected_values(column: &Value) -> Values {
    let values = column["values"].as_array().expect("values");
    if column["type"] == "string" {
        Values::Text(
            values
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(|t| t.trim_end().to_string())
                        .filter(|t| !t.is_empty())
                })
                .collect(),
        )
    } else {
        Values::Numbers(
            values
                .iter()
                .map(|v| v.as_f64().unwrap_or(f64::NAN))
                .collect(),
        )
    }
}

fn same_values(file: &str, column: &Column, expected: &Values) {
    match (&column.values, expected) {
        (Values::Numbers(found), Values::Numbers(wanted)) => {
            assert_eq!(found.len(), wanted.len(), "{file} {}", column.name);
            for (row, (a, b)) in found.iter().zip(wanted).enumerate() {
                assert!(
                    (a.is_nan() && b.is_nan()) || a == b,
                    "{file} {} row {}: kith {a}, haven {b}",
                    column.name,
                    row + 1
                );
            }
        }
        (Values::Text(found), Values::Text(wanted)) => {
            assert_eq!(found, wanted, "{file} {}", column.name);
        }
        (found, _) => panic!("{file} {}: kith read {found:?}", column.name),
    }
}

#[test]
fn every_fixture_reads_as_haven_reads_it() {
    let files = expected();
    assert!(files.len() >= 12, "{} fixtures", files.len());
    for file in &files {
        let name = file["file"].as_str().expect("file");
        let read = read(name);
        let columns = file["columns"].as_array().expect("columns");
        assert_eq!(read.dataset.columns.len(), columns.len(), "{name}");
        assert_eq!(
            read.dataset.rows() as u64,
            file["n_rows"].as_u64().expect("n_rows"),
            "{name}"
        );
        for (column, wanted) in read.dataset.columns.iter().zip(columns) {
            assert_eq!(
                column.name,
                wanted["name"].as_str().expect("name"),
                "{name}"
            );
            assert_eq!(
                column.meta.label.as_deref(),
                wanted["label"].as_str().filter(|l| !l.is_empty()),
                "{name} {}",
                column.name
            );
            same_values(name, column, &expected_values(wanted));
            // Labels of numbers; a Stata label of an extended missing value (".a") labels no
            // number, and kith leaves it out.
            let mut labels: Vec<(f64, String)> = wanted["value_labels"]
                .as_array()
                .expect("labels")
                .iter()
                .filter_map(|pair| Some((pair[0].as_f64()?, pair[1].as_str()?.to_string())))
                .collect();
            labels.sort_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(column.meta.value_labels, labels, "{name} {}", column.name);
            let declared: Vec<f64> = wanted["na_values"]
                .as_array()
                .expect("na_values")
                .iter()
                .filter_map(Value::as_f64)
                .collect();
            assert_eq!(
                column.meta.missing.values, declared,
                "{name} {}",
                column.name
            );
            let range = wanted["na_range"].as_array().map(|r| {
                (
                    r[0].as_f64().unwrap_or(f64::NAN),
                    r[1].as_f64().unwrap_or(f64::NAN),
                )
            });
            assert_eq!(column.meta.missing.range, range, "{name} {}", column.name);
            let counted = read
                .user_missing
                .iter()
                .find(|(c, _)| *c == column.name)
                .map_or(0, |(_, n)| *n);
            assert_eq!(
                counted as u64,
                wanted["n_user_missing"].as_u64().expect("n_user_missing"),
                "{name} {}",
                column.name
            );
        }
    }
}

#[test]
fn legacy_code_pages_are_decoded() {
    for name in ["bfi-cp1252.sav", "bfi-cp1252-no-encoding-record.sav"] {
        let read = read(name);
        assert!(
            read.encoding.eq_ignore_ascii_case("windows-1252"),
            "{name}: {}",
            read.encoding
        );
        assert!(
            read.dataset.columns.iter().any(|c| c.name == "größe"),
            "{name}"
        );
    }
    let stata = read("bfi-latin1-117.dta");
    assert_eq!(stata.encoding, "windows-1252");
    let names: Vec<&str> = stata
        .dataset
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert!(names.contains(&"name"), "{names:?}");
}

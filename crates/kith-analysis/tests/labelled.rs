//! SPSS and Stata response files through the reader: the items of haven's and pyreadstat's
//! files have the values haven reads, user-missing values are missing and counted, the same
//! answers read the same from `.sav`, `.zsav` and `.dta`, a value label off the item's scale
//! refuses the file, and a data file read without a survey takes its columns' types.

use kith_analysis::read::{FileFormat, ReadOptions, ResponseTable, read_responses};
use kith_analysis::values::ItemValues;
use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use kith_labelled::{Column, ColumnMeta, Dataset, Values, WriteFormat};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bfi() -> Form {
    let text = std::fs::read_to_string(root().join("instruments/bfi.yaml")).expect("bfi.yaml");
    let loader = MemoryLoader::default().with("bfi.yaml", &text);
    let checked = check_file(Path::new("bfi.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
}

fn read(name: &str, format: FileFormat) -> ResponseTable {
    let bytes = std::fs::read(root().join("tests/data/labelled").join(name)).expect("fixture");
    read_responses(name, bytes, &bfi(), &ReadOptions::new(format))
        .unwrap_or_else(|e| panic!("{name}: {:?}", e.problems))
}

/// haven's values of a fixture's column, from `expected.json`.
fn haven_values(file: &str, column: &str) -> Vec<Option<f64>> {
    let text =
        std::fs::read_to_string(root().join("tests/data/labelled/expected.json")).expect("json");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let entry = parsed["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == file)
        .expect("the file");
    let column = entry["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == column)
        .expect("the column");
    column["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_f64())
        .collect()
}

fn answers(table: &ResponseTable, item: &str) -> Vec<Option<f64>> {
    let values = &table.items[item];
    (0..values.len()).map(|row| values.get(row)).collect()
}

#[test]
fn haven_files_read_with_the_values_haven_reads() {
    for (file, format) in [
        ("bfi-haven.sav", FileFormat::Spss),
        ("bfi-haven.zsav", FileFormat::Spss),
        ("bfi-haven-uncompressed.sav", FileFormat::Spss),
        ("bfi-haven-117.dta", FileFormat::Stata),
        ("bfi-haven-118.dta", FileFormat::Stata),
        ("bfi-haven-119.dta", FileFormat::Stata),
        ("bfi-pyreadstat.sav", FileFormat::Spss),
        ("bfi-pyreadstat.zsav", FileFormat::Spss),
        ("bfi-pyreadstat.dta", FileFormat::Stata),
    ] {
        let table = read(file, format);
        assert_eq!(table.height(), 300, "{file}");
        for item in ["A1", "A2", "C1", "E1", "N1", "O1", "O5"] {
            assert_eq!(
                answers(&table, item),
                haven_values(file, item),
                "{file} {item}"
            );
            // Codes on a 1–6 scale are held as 16-bit codes, whatever the file stores.
            assert!(
                matches!(table.items[item], ItemValues::Codes(_)),
                "{file} {item}"
            );
        }
        let labelled = table.labelled.as_ref().expect("a labelled summary");
        assert!(labelled.user_missing_total() > 0, "{file}");
    }
    let haven = read("bfi-haven.sav", FileFormat::Spss);
    let counts = &haven.labelled.as_ref().expect("summary").user_missing;
    let expected: Vec<(String, usize)> = ["A1", "A2", "C1", "E1", "N1", "O1"]
        .iter()
        .map(|c| (c.to_string(), 5))
        .collect();
    assert_eq!(counts, &expected);
}

#[test]
fn the_same_answers_read_alike_from_every_labelled_format() {
    let sav = read("bfi-haven.sav", FileFormat::Spss);
    for (file, format) in [
        ("bfi-haven.zsav", FileFormat::Spss),
        ("bfi-haven-118.dta", FileFormat::Stata),
    ] {
        let other = read(file, format);
        assert_eq!(sav.ids, other.ids, "{file}");
        for item in sav.items.keys() {
            assert_eq!(answers(&sav, item), answers(&other, item), "{file} {item}");
        }
    }
}

/// A labelled file of one item whose value labels are `labels`.
fn one_item(labels: Vec<(f64, String)>, format: WriteFormat) -> Vec<u8> {
    let dataset = Dataset {
        label: None,
        columns: vec![
            Column {
                name: "id".to_string(),
                values: Values::Numbers(vec![1.0, 2.0]),
                meta: ColumnMeta::default(),
            },
            Column {
                name: "A1".to_string(),
                values: Values::Numbers(vec![2.0, 6.0]),
                meta: ColumnMeta {
                    value_labels: labels,
                    ..ColumnMeta::default()
                },
            },
        ],
    };
    kith_labelled::write("one.sav", dataset, format).expect("written")
}

fn one_item_form() -> Form {
    let text = "kind: instrument\nid: one\nversion: 1.0.0\ntitle: One item\nlicense: test\nvalidated: false\nscales:\n  six:\n    type: likert\n    values: [1, 2, 3, 4, 5, 6]\n    labels: [a, b, c, d, e, f]\nitems:\n  - {id: A1, text: An item., scale: six}\n";
    let loader = MemoryLoader::default().with("one.yaml", text);
    let checked = check_file(Path::new("one.yaml"), &loader);
    checked
        .form
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
}

#[test]
fn a_value_label_off_the_scale_refuses_the_file_naming_the_codes_and_the_offset() {
    for (format, reader) in [
        (WriteFormat::Sav, FileFormat::Spss),
        (WriteFormat::Dta, FileFormat::Stata),
    ] {
        let labels = vec![(1.0, "Never".to_string()), (7.0, "Always".to_string())];
        let bytes = one_item(labels, format);
        let error = read_responses(
            "one.sav",
            bytes,
            &one_item_form(),
            &ReadOptions::new(reader),
        )
        .expect_err("a label off the scale");
        let problem = &error.problems[0];
        assert_eq!(problem.code, "value-label-off-scale", "{format:?}");
        assert_eq!(problem.column.as_deref(), Some("A1"));
        assert!(
            problem.message.contains("7 \"Always\""),
            "{}",
            problem.message
        );
        assert!(
            problem.message.contains("value labels at byte"),
            "{}",
            problem.message
        );
        assert!(
            problem
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("user-missing"))
        );
    }
    // Labels of missing-value codes given on the command line are not off the scale.
    let labels = vec![(1.0, "Never".to_string()), (-9.0, "Refused".to_string())];
    let mut options = ReadOptions::new(FileFormat::Spss);
    options.missing_codes = vec![-9.0];
    let table = read_responses(
        "one.sav",
        one_item(labels, WriteFormat::Sav),
        &one_item_form(),
        &options,
    )
    .expect("declared missing");
    assert_eq!(answers(&table, "A1"), vec![Some(2.0), Some(6.0)]);
}

#[test]
fn a_labelled_file_read_without_a_survey_keeps_its_columns_types() {
    let bytes =
        std::fs::read(root().join("tests/data/labelled/bfi-pyreadstat.sav")).expect("fixture");
    let data =
        kith_analysis::dataset::read_plain("bfi-pyreadstat.sav", bytes, FileFormat::Spss, &[])
            .expect("read");
    match &data.get("age").expect("age").values {
        kith_analysis::dataset::Values::Numeric(ages) => assert_eq!(ages.len(), 300),
        other => panic!("age: {other:?}"),
    }
    assert!(data.get("country").is_some());
}

//! Datasets written as `.sav`, `.zsav` and `.dta` and read back by kith: every value, label and
//! user-missing declaration survives, and user-missing values come back missing and counted.

mod common;

use common::survey;
use kith_labelled::{Dataset, Measure, UserMissing, Values, WriteFormat};

fn numbers(dataset: &Dataset, name: &str) -> Vec<Option<f64>> {
    match &dataset
        .columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| &c.values)
    {
        Some(Values::Numbers(numbers)) => numbers
            .iter()
            .map(|v| (!v.is_nan()).then_some(*v))
            .collect(),
        other => panic!("{name}: {other:?}"),
    }
}

fn texts(dataset: &Dataset, name: &str) -> Vec<Option<String>> {
    match &dataset
        .columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| &c.values)
    {
        Some(Values::Text(texts)) => texts.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

fn round_trip(format: WriteFormat) {
    let written = survey();
    let bytes = kith_labelled::write("survey", written.clone(), format).expect("written");
    let read = kith_labelled::read("survey", &bytes).expect("read back");
    let data = &read.dataset;
    assert_eq!(
        data.label.as_deref(),
        Some("Networking survey"),
        "{format:?}"
    );
    assert_eq!(
        numbers(data, "help1"),
        vec![Some(1.0), Some(5.0), None, None],
        "{format:?}"
    );
    assert_eq!(
        numbers(data, "age"),
        vec![Some(34.0), None, Some(51.0), None],
        "{format:?}"
    );
    assert_eq!(
        numbers(data, "helping"),
        vec![Some(2.25), Some(4.5), None, Some(3.125)],
        "{format:?}"
    );
    assert_eq!(
        texts(data, "comment"),
        texts(&written, "comment"),
        "{format:?}"
    );
    assert_eq!(
        texts(data, "respondent_id"),
        texts(&written, "respondent_id"),
        "{format:?}"
    );
    assert_eq!(
        read.user_missing,
        vec![("help1".to_string(), 1), ("age".to_string(), 2)],
        "{format:?}"
    );
    let help = &data.columns[1].meta;
    assert_eq!(
        help.label.as_deref(),
        Some("I network to help others."),
        "{format:?}"
    );
    let labels: Vec<(f64, &str)> = help
        .value_labels
        .iter()
        .map(|(c, l)| (*c, l.as_str()))
        .collect();
    match format {
        WriteFormat::Dta => {
            // Stata labels the extended missing value `.a`, which stands for -9, not -9 itself.
            assert_eq!(
                labels,
                vec![(1.0, "Strongly disagree"), (5.0, "Strongly agree")]
            );
        }
        _ => {
            assert_eq!(
                labels,
                vec![
                    (-9.0, "Refused"),
                    (1.0, "Strongly disagree"),
                    (5.0, "Strongly agree")
                ]
            );
            assert_eq!(
                help.missing,
                UserMissing {
                    values: vec![-9.0],
                    range: None
                }
            );
            assert_eq!(help.measure, Some(Measure::Ordinal));
            assert_eq!(data.columns[2].meta.missing.range, Some((97.0, 99.0)));
            assert_eq!(data.columns[2].meta.measure, Some(Measure::Scale));
        }
    }
    assert!(read.label_offset("help1").is_some(), "{format:?}");
}

#[test]
fn sav_round_trip_keeps_values_labels_and_user_missing() {
    round_trip(WriteFormat::Sav);
}

#[test]
fn zsav_round_trip_keeps_values_labels_and_user_missing() {
    round_trip(WriteFormat::Zsav);
}

#[test]
fn dta_round_trip_keeps_values_labels_and_extended_missing() {
    round_trip(WriteFormat::Dta);
}

/// Writes the survey dataset in every format into `dir`, for the round trips through R and
/// Python in `tests/labelled.rs` at the workspace root.
#[test]
fn written_files_for_other_tools() {
    let Some(dir) = std::env::var_os("KITH_LABELLED_OUT") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    for (format, name) in [
        (WriteFormat::Sav, "survey.sav"),
        (WriteFormat::Zsav, "survey.zsav"),
        (WriteFormat::Dta, "survey.dta"),
    ] {
        let bytes = kith_labelled::write("survey", survey(), format).expect("written");
        std::fs::write(dir.join(name), bytes).expect("saved");
    }
}

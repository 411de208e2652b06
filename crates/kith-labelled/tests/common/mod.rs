//! The dataset the labelled-file tests write and read.

use kith_labelled::{Column, ColumnMeta, Dataset, Measure, UserMissing, Values};

/// A survey-shaped dataset: an id, a Likert item with labels and two user-missing codes, a
/// numeric item with a missing range, a score with decimals, and texts long and short.
pub fn survey() -> Dataset {
    // SPSS pads strings with blanks, so trailing blanks cannot survive it; none are written.
    let long = "Müller — ✓ ".repeat(40).trim_end().to_string();
    Dataset {
        label: Some("Networking survey".to_string()),
        columns: vec![
            Column {
                name: "respondent_id".to_string(),
                values: Values::Text(vec![
                    Some("r1".into()),
                    Some("r2".into()),
                    Some("r3".into()),
                    Some("r4".into()),
                ]),
                meta: ColumnMeta {
                    label: Some("The respondent's id".into()),
                    ..ColumnMeta::default()
                },
            },
            Column {
                name: "help1".to_string(),
                values: Values::Numbers(vec![1.0, 5.0, -9.0, f64::NAN]),
                meta: ColumnMeta {
                    label: Some("I network to help others.".into()),
                    value_labels: vec![
                        (-9.0, "Refused".into()),
                        (1.0, "Strongly disagree".into()),
                        (5.0, "Strongly agree".into()),
                    ],
                    missing: UserMissing {
                        values: vec![-9.0],
                        range: None,
                    },
                    measure: Some(Measure::Ordinal),
                    display_width: Some(8),
                    decimals: Some(0),
                },
            },
            Column {
                name: "age".to_string(),
                values: Values::Numbers(vec![34.0, 98.0, 51.0, 99.0]),
                meta: ColumnMeta {
                    label: Some("Age in years".into()),
                    missing: UserMissing {
                        values: vec![],
                        range: Some((97.0, 99.0)),
                    },
                    measure: Some(Measure::Scale),
                    ..ColumnMeta::default()
                },
            },
            Column {
                name: "helping".to_string(),
                values: Values::Numbers(vec![2.25, 4.5, f64::NAN, 3.125]),
                meta: ColumnMeta {
                    label: Some("Helping motive".into()),
                    decimals: Some(2),
                    measure: Some(Measure::Scale),
                    ..ColumnMeta::default()
                },
            },
            Column {
                name: "comment".to_string(),
                values: Values::Text(vec![
                    Some(long.clone()),
                    None,
                    Some("José".into()),
                    Some("Ærø, ".repeat(700).trim_end().to_string()),
                ]),
                meta: ColumnMeta::default(),
            },
        ],
    }
}

//! The careless-responding indices against R's careless 1.2.2 and stats::mahalanobis
//! (`tests/r/careless.R`) on two real data sets: bfi (25 items, missing answers) and
//! Holzinger & Swineford's nine ability tests (continuous, complete); and the rules kith
//! adds where careless leaves missing answers undefined.

use kith_analysis::screening::{self, Items, Options};
use nalgebra::DMatrix;
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("tests/data/reference/careless.json"))
        .expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// The columns `names` of a CSV file as an n × p matrix, empty cells as NaN.
fn read(file: &str, names: &[String]) -> DMatrix<f64> {
    let mut reader = csv::Reader::from_path(root().join(file)).expect("the data");
    let headers = reader.headers().expect("a header").clone();
    let at: Vec<usize> = names
        .iter()
        .map(|name| headers.iter().position(|h| h == name).expect("a column"))
        .collect();
    let rows: Vec<Vec<f64>> = reader
        .records()
        .map(|record| {
            let record = record.expect("a row");
            at.iter()
                .map(|&j| record[j].parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    DMatrix::from_fn(rows.len(), names.len(), |i, j| rows[i][j])
}

/// The fixture's items, read from `file`, keyed where `reversed` says (on a 1–6 scale), in
/// consecutive scales of `per` items.
fn items(fixture: &Value, file: &str, reversed: &[&str], per: usize) -> Items {
    let names: Vec<String> = fixture["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v.as_str().expect("a name").to_string())
        .collect();
    let answers = read(file, &names);
    let mut keyed = answers.clone();
    for (j, name) in names.iter().enumerate() {
        if reversed.contains(&name.as_str()) {
            keyed.column_mut(j).apply(|v| *v = 7.0 - *v);
        }
    }
    let scales = (0..names.len() / per)
        .map(|s| (format!("scale{s}"), (s * per..(s + 1) * per).collect()))
        .collect();
    Items {
        names,
        answers,
        keyed,
        scales,
    }
}

/// kith's value against R's: both missing, or equal within `tolerance` (relative beyond 1).
fn check(what: &str, row: usize, kith: f64, r: &Value, tolerance: f64) {
    match r.as_f64() {
        None => assert!(kith.is_nan(), "{what}[{row}]: kith {kith}, R NA"),
        Some(r) => assert!(
            (kith - r).abs() <= tolerance * r.abs().max(1.0),
            "{what}[{row}]: kith {kith}, R {r}"
        ),
    }
}

fn column<'a>(fixture: &'a Value, name: &str) -> &'a [Value] {
    fixture[name].as_array().expect(name)
}

fn pair_names(names: &[String], pairs: &[(usize, usize)]) -> Vec<[String; 2]> {
    pairs
        .iter()
        .map(|&(a, b)| [names[a].clone(), names[b].clone()])
        .collect()
}

fn fixture_pairs(fixture: &Value, name: &str) -> Vec<[String; 2]> {
    column(fixture, name)
        .iter()
        .map(|pair| {
            [
                pair[0].as_str().expect("a name").to_string(),
                pair[1].as_str().expect("a name").to_string(),
            ]
        })
        .collect()
}

fn check_against_careless(name: &str, file: &str, reversed: &[&str], per: usize) {
    let reference = reference();
    let fixture = &reference[name];
    let items = items(fixture, file, reversed, per);
    let options = Options {
        synonym_critical: fixture["critval"].as_f64().expect("critval"),
        ..Options::default()
    };
    let indices = screening::compute(&items, &options);
    assert_eq!(indices.n, fixture["n"].as_u64().expect("n") as usize);
    let complete: Vec<bool> = items
        .answers
        .row_iter()
        .map(|row| row.iter().all(|v| !v.is_nan()))
        .collect();
    for (i, value) in column(fixture, "longstring_max").iter().enumerate() {
        check("longstring_max", i, indices.longstring[i].max, value, 0.0);
    }
    // careless counts a missing answer as a run of one; kith does not (docs/screening.md), so
    // the averages agree on the respondents who answered every item.
    for (i, value) in column(fixture, "longstring_average").iter().enumerate() {
        if complete[i] {
            check(
                "longstring_average",
                i,
                indices.longstring[i].average,
                value,
                1e-12,
            );
        }
    }
    for (i, value) in column(fixture, "irv").iter().enumerate() {
        check("irv", i, indices.irv[i], value, 1e-10);
    }
    let distances = indices.mahalanobis.as_ref().expect("distances");
    for (i, value) in column(fixture, "mahalanobis").iter().enumerate() {
        check("mahalanobis", i, distances[i], value, 1e-8);
        let flagged = fixture["mahalanobis_flagged"][i].as_bool();
        assert_eq!(
            flagged,
            Some(distances[i] > indices.mahalanobis_cutoff),
            "flag {i}"
        );
    }
    check(
        "mahalanobis_cutoff",
        0,
        indices.mahalanobis_cutoff,
        &fixture["mahalanobis_cutoff"],
        1e-8,
    );
    let even_odd = indices.even_odd.as_ref().expect("even-odd");
    for (i, value) in column(fixture, "even_odd").iter().enumerate() {
        check("even_odd", i, even_odd[i].0, value, 1e-10);
    }
    assert_eq!(
        pair_names(&items.names, &indices.synonym_pairs),
        fixture_pairs(fixture, "synonym_pairs")
    );
    assert_eq!(
        pair_names(&items.names, &indices.antonym_pairs),
        fixture_pairs(fixture, "antonym_pairs")
    );
    for (values, index, answered) in [
        (&indices.synonyms, "synonyms", "synonyms_pairs_answered"),
        (&indices.antonyms, "antonyms", "antonyms_pairs_answered"),
    ] {
        let Some(values) = values else {
            // kith leaves an index out with fewer than three pairs; careless then gives NA
            // to everyone (or stops when there is no pair at all).
            if let Some(r) = fixture[index].as_array() {
                assert!(r.iter().all(Value::is_null), "{name} {index}");
            }
            assert!(indices.skipped.iter().any(|s| s.index == index));
            continue;
        };
        for (i, value) in column(fixture, index).iter().enumerate() {
            check(index, i, values[i].0, value, 1e-10);
            assert_eq!(
                Some(values[i].1 as u64),
                fixture[answered][i].as_u64(),
                "{index} pairs {i}"
            );
        }
    }
}

const BFI_REVERSED: [&str; 7] = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"];

#[test]
fn indices_of_bfi_match_careless() {
    check_against_careless("bfi", "tests/data/bfi.csv", &BFI_REVERSED, 5);
}

#[test]
fn synonyms_and_antonyms_of_bfi_at_040_match_careless() {
    check_against_careless("bfi_critval_040", "tests/data/bfi.csv", &BFI_REVERSED, 5);
}

#[test]
fn indices_of_holzinger_swineford_match_careless() {
    check_against_careless("holzinger", "tests/data/holzinger.csv", &[], 3);
}

#[test]
fn mahalanobis_of_complete_rows_matches_stats_mahalanobis() {
    let reference = reference();
    for (name, file) in [
        ("bfi", "tests/data/bfi.csv"),
        ("holzinger", "tests/data/holzinger.csv"),
    ] {
        let fixture = &reference[name];
        let all = items(fixture, file, &[], 5);
        let complete: Vec<usize> = (0..all.answers.nrows())
            .filter(|&i| all.answers.row(i).iter().all(|v| !v.is_nan()))
            .collect();
        let answers = all.answers.select_rows(complete.iter());
        let distances = screening::mahalanobis(&answers).expect("invertible");
        let r = column(fixture, "mahalanobis_complete_cases");
        for (k, &i) in complete.iter().enumerate() {
            check("stats::mahalanobis", i, distances[k], &r[i], 1e-8);
        }
    }
}

fn matrix(rows: &[&[f64]]) -> DMatrix<f64> {
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

const NA: f64 = f64::NAN;

/// One respondent's longstring: (answers, longest run, average run).
#[test]
fn a_missing_answer_ends_a_run_and_is_not_a_run() {
    let check = |row: &[f64], max: f64, average: f64| {
        let result = screening::longstring(&matrix(&[row]))[0];
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-12;
        assert!(
            same(result.max, max) && same(result.average, average),
            "{row:?}: {result:?}"
        );
    };
    check(&[3.0, 3.0, 3.0, 3.0], 4.0, 4.0);
    check(&[1.0, 2.0, 3.0, 4.0], 1.0, 1.0);
    check(&[3.0, 3.0, NA, 3.0], 2.0, 1.5);
    check(&[NA, 3.0, 3.0, NA], 2.0, 2.0);
    check(&[NA, NA, NA, NA], NA, NA);
    check(&[5.0, 5.0, 1.0, 1.0, 1.0], 3.0, 2.5);
}

/// Why Mahalanobis D² was left out of three items' screening.
fn mahalanobis_skipped(rows: &[&[f64]]) -> screening::Skipped {
    let answers = matrix(rows);
    let items = Items {
        names: vec!["a".into(), "b".into(), "c".into()],
        keyed: answers.clone(),
        answers,
        scales: Vec::new(),
    };
    let indices = screening::compute(&items, &Options::default());
    assert!(indices.mahalanobis.is_none());
    let skipped = indices
        .skipped
        .into_iter()
        .find(|s| s.index == "mahalanobis")
        .expect("skipped");
    assert!(!skipped.hint.is_empty());
    skipped
}

#[test]
fn mahalanobis_needs_more_respondents_than_items() {
    let skipped = mahalanobis_skipped(&[&[1.0, 3.0, 2.0], &[2.0, 1.0, 4.0], &[3.0, 2.0, 1.0]]);
    assert_eq!(
        skipped.reason,
        "3 respondents answered for 3 items: the items' covariance matrix needs more respondents than items"
    );
}

#[test]
fn an_item_without_variance_leaves_mahalanobis_out() {
    let skipped = mahalanobis_skipped(&[
        &[1.0, 3.0, 2.0],
        &[2.0, 3.0, 4.0],
        &[3.0, 3.0, 1.0],
        &[4.0, 3.0, 3.0],
        &[5.0, 3.0, 5.0],
    ]);
    assert!(skipped.reason.contains("cannot be inverted"), "{skipped:?}");
}

#[test]
fn indices_of_too_few_items_or_scales_are_skipped_with_their_reason() {
    let answers = matrix(&[&[1.0, 2.0], &[2.0, 2.0], &[3.0, 1.0], &[4.0, 5.0]]);
    let items = Items {
        names: vec!["a".into(), "b".into()],
        keyed: answers.clone(),
        answers,
        scales: vec![("one".into(), vec![0, 1])],
    };
    let indices = screening::compute(&items, &Options::default());
    let reasons: Vec<(&str, &str)> = indices
        .skipped
        .iter()
        .map(|s| (s.index, s.reason.as_str()))
        .collect();
    assert!(
        reasons.iter().any(|(index, reason)| *index == "even_odd"
            && reason.contains("1 scale(s) of two or more items")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(index, reason)| *index == "synonyms" && reason.contains("at least three")),
        "{reasons:?}"
    );
    assert!(indices.even_odd.is_none() && indices.synonyms.is_none());
    // The row indices still come out, one per respondent.
    assert_eq!(indices.irv.len(), 4);
    assert!(indices.mahalanobis.is_some());
}

/// Page by page (Huang et al., 2012): a page counts as fast when its seconds per question are
/// under two; pages without questions or without a time do not count; a respondent with no
/// timed page has no value. One page is a plain number, which the reader takes for numeric.
#[test]
fn fast_pages_count_pages_under_two_seconds_per_question() {
    fn check(seconds: &str, questions: &str, expected: Option<f64>) {
        let csv = format!(
            "page_seconds,page_questions\n\"{seconds}\",\"{questions}\"\n\"1|1\",\"1|1\"\n"
        );
        let dataset = kith_analysis::dataset::read_plain(
            "pages.csv",
            csv.into_bytes(),
            kith_analysis::read::FileFormat::Csv,
            &[],
        )
        .expect("a data set");
        let found = screening::report::fast_pages(&dataset).expect("page times")[0];
        match expected {
            Some(value) => assert_eq!(found, value, "{seconds} over {questions}"),
            None => assert!(found.is_nan(), "{seconds} over {questions}: {found}"),
        }
    }
    check("30|5|12", "10|5|4", Some(1.0));
    check("30|19.9|12", "10|10|4", Some(1.0));
    check("8|20|", "2|10|10", Some(0.0));
    check("1|40", "0|10", Some(0.0));
    check("|", "10|10", None);
    check("3|3|3", "1|2|3", Some(2.0));
}

#[test]
fn without_page_columns_there_are_no_page_times() {
    let dataset = kith_analysis::dataset::read_plain(
        "plain.csv",
        b"page_seconds,x\n12,1\n4,2\n".to_vec(),
        kith_analysis::read::FileFormat::Csv,
        &[],
    )
    .expect("a data set");
    assert!(screening::report::fast_pages(&dataset).is_none());
}

//! A results file edited by hand can hold figure data no analysis writes (a distribution without
//! bins, answer counts that do not fit the scale); the charts refuse it with a reason instead of
//! panicking.

use kith_analysis::results::{Distribution, ItemResponses, ScaleResponses};
use kith_report::charts::{self, Chart};
use kith_report::labels::Labels;

fn distribution(edges: Vec<f64>, counts: Vec<usize>) -> Distribution {
    Distribution {
        variable: "embeddedness".to_string(),
        label: "Embeddedness".to_string(),
        group: None,
        n: 10,
        mean: 3.0,
        sd: 1.0,
        edges,
        counts,
        five_numbers: [1.0, 2.0, 3.0, 4.0, 5.0],
        density: Vec::new(),
    }
}

#[test]
fn a_distribution_without_bins_is_refused_not_drawn() {
    let empty = [distribution(Vec::new(), Vec::new())];
    let labels = Labels(Default::default());
    let refused = charts::svg(&Chart::Distribution(&empty), &labels, Default::default());
    assert_eq!(
        refused,
        Err("the distribution of `embeddedness` has no bins".to_string())
    );
    // The same chart with its bins is drawn.
    let binned = [distribution(vec![1.0, 3.0, 5.0], vec![4, 6])];
    let drawn =
        charts::svg(&Chart::Distribution(&binned), &labels, Default::default()).expect("drawn");
    assert!(drawn.starts_with("<svg"), "{}", &drawn[..40]);
}

#[test]
fn no_distribution_at_all_is_refused() {
    let labels = Labels(Default::default());
    assert_eq!(
        charts::svg(&Chart::Distribution(&[]), &labels, Default::default()),
        Err("no distribution".to_string())
    );
}

#[test]
fn answer_counts_that_do_not_match_the_scale_are_refused() {
    let scale = ScaleResponses {
        score: "embeddedness".to_string(),
        label: "Embeddedness".to_string(),
        values: vec![1, 2, 3, 4, 5],
        labels: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
        items: vec![ItemResponses {
            item: "q1".to_string(),
            text: "One".to_string(),
            reverse: false,
            counts: vec![3],
        }],
    };
    let labels = Labels(Default::default());
    assert_eq!(
        charts::svg(&Chart::Likert(&scale), &labels, Default::default()),
        Err("item `q1` has 1 answer counts for a scale of 5 values".to_string())
    );
}

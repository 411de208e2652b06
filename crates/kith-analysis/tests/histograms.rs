//! Histogram bins follow the values a score can take: means of k items are multiples of 1/k
//! and sums are whole numbers, so their bins are centred on those values (no false gaps or
//! spikes); other values get twenty bins of equal width.

use kith_analysis::figures::{HISTOGRAM_BINS, histogram_edges};

fn edges_of(values: &[f64]) -> Vec<f64> {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    histogram_edges(values, low, high)
}

/// Every value lies strictly inside a bin, at the bin's centre.
fn centred(values: &[f64], edges: &[f64]) -> bool {
    values.iter().all(|v| {
        edges.windows(2).any(|bin| {
            let centre = (bin[0] + bin[1]) / 2.0;
            bin[0] < *v && *v < bin[1] && (v - centre).abs() < 1e-9
        })
    })
}

#[test]
fn means_of_three_items_get_a_bin_for_each_value_a_mean_can_take() {
    // Means of three 1–5 items: 1, 4/3, 5/3, …, 5.
    let values: Vec<f64> = (3..=15).map(|sum| f64::from(sum) / 3.0).collect();
    let edges = edges_of(&values);
    assert_eq!(edges.len() - 1, values.len(), "{edges:?}");
    assert!(centred(&values, &edges), "{edges:?}");
}

#[test]
fn sums_get_a_bin_for_each_whole_number() {
    let values: Vec<f64> = [3.0, 4.0, 7.0, 15.0].to_vec();
    let edges = edges_of(&values);
    assert_eq!(edges.len() - 1, 13, "3 to 15: {edges:?}");
    assert!(centred(&values, &edges));
}

#[test]
fn means_over_different_numbers_of_answered_items_share_one_grid() {
    // Half the respondents answered all four items, half three of them: no coarser grid
    // holds three quarters of the values, multiples of 1/12 hold them all.
    let values = [1.25, 1.75, 2.25, 4.0 / 3.0, 5.0 / 3.0, 7.0 / 3.0];
    let edges = edges_of(&values);
    assert!(centred(&values, &edges), "{edges:?}");
    let width = edges[1] - edges[0];
    assert!((width - 1.0 / 12.0).abs() < 1e-9, "{width}");
}

#[test]
fn a_few_means_of_fewer_items_do_not_split_the_grid_of_the_rest() {
    // Means of five items (multiples of .2) for 98 respondents, of four items (multiples of
    // .25) for two who skipped one: the bins follow the grid of fifths.
    let mut values: Vec<f64> = (0..98).map(|i| 1.0 + 0.2 * f64::from(i % 21)).collect();
    values.extend([3.25, 4.75]);
    let edges = edges_of(&values);
    let width = edges[1] - edges[0];
    assert!((width - 0.2).abs() < 1e-9, "{width}");
    assert!(centred(&values[..98], &edges), "{edges:?}");
}

#[test]
fn a_fine_grid_puts_neighbouring_values_together_in_at_most_forty_bins() {
    // Sums of twenty 0–5 items: 101 possible values.
    let values: Vec<f64> = (0..=100).map(f64::from).collect();
    let edges = edges_of(&values);
    assert!(edges.len() - 1 <= 40, "{} bins", edges.len() - 1);
    // Each bin holds whole values, and none sits on an edge.
    let width = edges[1] - edges[0];
    assert!((width - width.round()).abs() < 1e-9, "{width}");
    for v in &values {
        assert!(
            edges.windows(2).any(|bin| bin[0] < *v && *v < bin[1]),
            "{v} on an edge of {edges:?}"
        );
    }
}

#[test]
fn continuous_values_and_wide_ranges_get_equal_bins() {
    let values: Vec<f64> = (0..50).map(|i| (f64::from(i) * 0.731).sin()).collect();
    assert_eq!(edges_of(&values).len() - 1, HISTOGRAM_BINS);
    // Salaries in whole dollars are on a grid of one, but far too fine a grid to draw.
    let salaries: Vec<f64> = (0..50).map(|i| 30_000.0 + 2_417.0 * f64::from(i)).collect();
    assert_eq!(edges_of(&salaries).len() - 1, HISTOGRAM_BINS);
}

#[test]
fn one_value_gets_one_bin_around_it() {
    let edges = edges_of(&[3.0, 3.0, 3.0]);
    assert_eq!(edges.len(), 2);
    assert!(edges[0] < 3.0 && 3.0 < edges[1]);
}

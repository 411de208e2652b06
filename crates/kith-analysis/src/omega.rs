//! A percentile bootstrap interval of omega total, for the report's reliability figure (psych
//! gives omega no interval; kith resamples respondents as `boot` would).

use crate::dataset::{Dataset, Values, complete_rows};
use crate::score::keyed_answer;
use kith_instrument::form::Form;

/// Resamples for the interval of omega total.
pub const OMEGA_RESAMPLES: usize = 1000;

/// A percentile bootstrap interval of a score's omega total, from the respondents who
/// answered all of its items (keyed: reverse-keyed items reversed on their scale).
pub fn interval(
    dataset: &Dataset,
    form: &Form,
    score: &str,
    seed: u64,
    level: f64,
) -> Option<[f64; 2]> {
    let score = form.scores().find(|s| s.id == score)?;
    let items: Vec<&str> = score.items.iter().map(String::as_str).collect();
    let k = items.len();
    if k < 3 {
        return None;
    }
    let rows = complete_rows(dataset, &items);
    if rows.len() <= k {
        return None;
    }
    let mut columns = Vec::with_capacity(k);
    for id in &items {
        let item = form.item(id)?;
        let Values::Numeric(values) = &dataset.get(id)?.values else {
            return None;
        };
        columns.push(
            rows.iter()
                .map(|&r| keyed_answer(item, values[r]))
                .collect::<Vec<f64>>(),
        );
    }
    let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let data = crate::bootstrap::CrossProducts::new(&slices);
    let draws = crate::bootstrap::run(
        &data,
        OMEGA_RESAMPLES,
        seed,
        |cross| {
            let covariance = crate::bootstrap::covariance_from_cross(cross);
            let correlation = crate::importance::correlation_from_covariance(&covariance);
            let flat: Vec<f64> = (0..k)
                .flat_map(|a| (0..k).map(move |c| (a, c)))
                .map(|(a, c)| correlation[(a, c)])
                .collect();
            let omega = crate::psychometrics::omega_total(&flat, k);
            omega.is_finite().then_some(vec![omega])
        },
        &|_| {},
    );
    let estimates: Vec<f64> = draws.into_iter().flatten().map(|d| d[0]).collect();
    (estimates.len() * 10 >= OMEGA_RESAMPLES * 9)
        .then(|| crate::bootstrap::percentile_interval(&estimates, level))
}

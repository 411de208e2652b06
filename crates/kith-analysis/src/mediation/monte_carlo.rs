//! The Monte Carlo interval of indirect effects (MacKinnon, Lockwood & Williams 2004; Preacher
//! & Selig 2012), as Schoemann, Boulton & Short's (2017) power app computes it: the paths are
//! drawn from the normal sampling distributions of their estimates and the interval is the
//! percentiles of the products. A power analysis uses it because it costs a few thousand
//! multiplications where a bootstrap refits every model thousands of times.

use super::BootEffect;
use crate::bootstrap::resample_rng;
use crate::linear::{Coefficient, OlsFit};
use nalgebra::{DMatrix, DVector};
use rand_distr::{Distribution, StandardNormal};

/// The fewest and the most draws an interval may use.
pub const MIN_DRAWS: usize = 1_000;
pub const MAX_DRAWS: usize = 1_000_000;

/// What the draws need: each mediator's a path (from its own equation) and the b paths with
/// their joint covariance (from Y's equation, positions `b_positions` of its coefficients).
pub(super) struct Paths<'a> {
    pub a: &'a [Coefficient],
    pub y_fit: &'a OlsFit,
    pub b_positions: Vec<usize>,
    /// SD(X)/SD(Y) and 1/SD(Y): the completely and partially standardized effects are the
    /// raw ones times these sample constants.
    pub scale: f64,
    pub per_sd_of_y: f64,
}

/// The Monte Carlo effects in the order [`super::indirect_effects`] gives them: each indirect
/// effect, their total, then the same completely and partially standardized. The a paths of
/// different mediators come from separately estimated equations and are drawn independently,
/// as Schoemann et al. draw a and b; the b paths are drawn jointly from Y's equation.
pub(super) fn effects(paths: &Paths, draws: usize, seed: u64, level: f64) -> Vec<BootEffect> {
    let k = paths.a.len();
    let covariance = DMatrix::from_fn(k, k, |i, j| {
        paths.y_fit.covariance[(paths.b_positions[i], paths.b_positions[j])]
    });
    // A b covariance that is not positive definite (a mediator nearly collinear with the
    // others) leaves every interval missing rather than drawing from a wrong distribution.
    let Some(cholesky) = covariance.cholesky() else {
        return vec![
            BootEffect {
                estimate: f64::NAN,
                boot_se: f64::NAN,
                ci: [f64::NAN; 2],
            };
            3 * k + 3
        ];
    };
    let lower = cholesky.l();
    let b_hat = DVector::from_iterator(
        k,
        paths
            .b_positions
            .iter()
            .map(|&p| paths.y_fit.coefficients[p].estimate),
    );
    let mut rng = resample_rng(seed, 0);
    let mut normal = move || -> f64 { StandardNormal.sample(&mut rng) };
    let mut products = vec![Vec::with_capacity(draws); k + 1];
    // Buffers reused across draws: a power analysis makes millions of them.
    let mut z = vec![0.0; k];
    let mut b = vec![0.0; k];
    for _ in 0..draws {
        for value in z.iter_mut() {
            *value = normal();
        }
        for (i, value) in b.iter_mut().enumerate() {
            *value = b_hat[i] + (0..=i).map(|j| lower[(i, j)] * z[j]).sum::<f64>();
        }
        let mut total = 0.0;
        for (j, path) in paths.a.iter().enumerate() {
            let product = (path.estimate + path.se * normal()) * b[j];
            products[j].push(product);
            total += product;
        }
        products[k].push(total);
    }
    let point: Vec<f64> = (0..k)
        .map(|j| paths.a[j].estimate * b_hat[j])
        .chain(std::iter::once(
            (0..k).map(|j| paths.a[j].estimate * b_hat[j]).sum(),
        ))
        .collect();
    // The standardized effects are the raw ones times positive sample constants, so their
    // SEs and quantiles are the raw ones scaled: each effect's draws are summarized once.
    // With one mediator the total is the indirect effect itself: summarized once.
    if k == 1 {
        products.pop();
    }
    let mut raw: Vec<(f64, f64, [f64; 2])> = products
        .into_iter()
        .zip(&point)
        .map(|(values, &estimate)| {
            let se = crate::bootstrap::standard_error(&values);
            (estimate, se, quantile_interval(values, level))
        })
        .collect();
    if k == 1 {
        raw.push(raw[0]);
    }
    let summarize = |factor: f64| {
        raw.iter().map(move |&(estimate, se, ci)| {
            let scaled = [ci[0] * factor, ci[1] * factor];
            BootEffect {
                estimate: estimate * factor,
                boot_se: se * factor.abs(),
                ci: if factor < 0.0 {
                    [scaled[1], scaled[0]]
                } else {
                    scaled
                },
            }
        })
    };
    summarize(1.0)
        .chain(summarize(paths.scale))
        .chain(summarize(paths.per_sd_of_y))
        .collect()
}

/// The interval between R's type-7 quantiles (`quantile()`'s default, which Schoemann et
/// al.'s app calls) at (1 − level)/2 and (1 + level)/2.
pub fn quantile_interval(mut values: Vec<f64>, level: f64) -> [f64; 2] {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return [f64::NAN; 2];
    }
    // Two selections instead of a sort: a power analysis computes thousands of intervals.
    let mut quantile = |p: f64| {
        let h = (values.len() - 1) as f64 * p;
        let low = h.floor() as usize;
        let (_, &mut at, above) = values.select_nth_unstable_by(low, f64::total_cmp);
        let next = above.iter().copied().min_by(f64::total_cmp).unwrap_or(at);
        at + (h - low as f64) * (next - at)
    };
    [quantile((1.0 - level) / 2.0), quantile((1.0 + level) / 2.0)]
}

#[cfg(test)]
mod tests {
    use super::quantile_interval;

    #[test]
    fn quantiles_are_r_type_seven() {
        // R: quantile(1:10, c(.025, .975)) is 1.225 and 9.775.
        let [low, high] = quantile_interval((1..=10).map(f64::from).collect(), 0.95);
        assert!((low - 1.225).abs() < 1e-12, "{low}");
        assert!((high - 9.775).abs() < 1e-12, "{high}");
    }
}

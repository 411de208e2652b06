//! Shared helpers of the benchmark tools: reproducible random draws for generated data.

use rand::RngExt;
use rand::rngs::StdRng;

/// A standard-normal draw by Box–Muller (the second variate is not needed).
pub fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

//! The MLR corrections as lavaan computes them: Huber–White standard errors (the inverse
//! information around the casewise scores' cross-products) and the Yuan–Bentler scaling factor
//! in its Mplus variant, tr(A1⁻¹B1) − tr(E⁻¹B0) over df, with A1 and B1 the saturated model's
//! information and first-order information at its own estimates ("unstructured").

use super::data::Group;
use super::estimate;
use super::fit::Saturated;
use super::likelihood::Implied;
use super::spec::Spec;
use nalgebra::DMatrix;

/// The saturated model's free parameters, in its spec's order, from its moments.
fn saturated_values(saturated: &Saturated) -> Vec<f64> {
    if let Some(values) = &saturated.values {
        return values.clone();
    }
    let mut values = Vec::with_capacity(saturated.spec.npar());
    for implied in &saturated.implied {
        let p = implied.sigma.nrows();
        for a in 0..p {
            for b in 0..=a {
                values.push(implied.sigma[(a, b)]);
            }
        }
        if saturated.spec.means {
            values.extend(implied.mu.iter().copied());
        }
    }
    values
}

/// tr(A1⁻¹B1) summed over groups: the saturated model's part of the Yuan–Bentler trace. With
/// complete data the observed and expected information of the saturated model agree at its
/// estimates, so the exact expected one is used; with missing data the observed one.
pub fn saturated_trace(saturated: &Saturated, data: &[Group]) -> Option<f64> {
    let values = saturated_values(saturated);
    let spec = &saturated.spec;
    let information = if data.iter().all(Group::complete) {
        estimate::expected_information(spec, data, &values)?
    } else {
        estimate::observed_information(spec, data, &values)?
    };
    let first_order = estimate::first_order_information(spec, data, &saturated.implied)?;
    let inverse = information.cholesky()?.inverse();
    Some((inverse * first_order).trace())
}

/// The sandwich E⁻¹ B0 E⁻¹ and tr(E⁻¹B0), with E the information the standard errors use
/// (given inverted) and B0 the casewise scores' cross-products at the estimates.
pub fn sandwich(
    spec: &Spec,
    data: &[Group],
    implied: &[Implied],
    inverse: &DMatrix<f64>,
) -> Option<(DMatrix<f64>, f64)> {
    let first_order = estimate::first_order_information(spec, data, implied)?;
    let inner = inverse * &first_order;
    let trace = inner.trace();
    Some((&inner * inverse, trace))
}

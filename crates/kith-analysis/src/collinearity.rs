//! Variance inflation factors: how much the variance of each slope is inflated by that
//! predictor's overlap with the others, 1/(1 − R²ⱼ) with R²ⱼ from regressing column j on the
//! other columns (OLS), or the same from the estimates' covariance (logistic and Poisson, as
//! `car::vif` weights them). `car::vif` for one-df terms; SPSS's VIF for every design column.

use nalgebra::DMatrix;

/// The VIF of each column (all complete, of equal length): the diagonal of the inverse of
/// their correlation matrix, which equals 1/(1 − R²ⱼ). None when a column is constant or the
/// columns are perfectly collinear (the model is refused before this is asked).
pub fn variance_inflation(columns: &[&[f64]]) -> Option<Vec<f64>> {
    let k = columns.len();
    if k == 0 {
        return Some(Vec::new());
    }
    if k == 1 {
        return Some(vec![1.0]);
    }
    let n = columns[0].len();
    if n < 2 || columns.iter().any(|c| c.len() != n) {
        return None;
    }
    let centred: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            let mean = c.iter().sum::<f64>() / n as f64;
            c.iter().map(|v| v - mean).collect()
        })
        .collect();
    let norms: Vec<f64> = centred
        .iter()
        .map(|c| c.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    if norms.iter().any(|&s| s.is_nan() || s <= 0.0) {
        return None;
    }
    let correlation = DMatrix::from_fn(k, k, |i, j| {
        let cross: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
        cross / (norms[i] * norms[j])
    });
    let inverse = correlation.cholesky()?.inverse();
    Some((0..k).map(|j| inverse[(j, j)]).collect())
}

/// The VIF of each slope from the covariance matrix of a model's estimates (the intercept
/// first, left out), as `car::vif` computes it for one-df terms: the diagonal of the inverse
/// of their correlation matrix. For OLS this equals `variance_inflation` of the columns; for
/// logistic and Poisson models it carries the fit's weights, as car's does. None when a
/// variance is not positive or the matrix is singular.
pub fn variance_inflation_of_estimates(covariance: &DMatrix<f64>) -> Option<Vec<f64>> {
    let k = covariance.nrows().checked_sub(1)?;
    if covariance.ncols() != k + 1 {
        return None;
    }
    if k == 1 {
        return Some(vec![1.0]);
    }
    let sd: Vec<f64> = (1..=k).map(|j| covariance[(j, j)].sqrt()).collect();
    if sd.iter().any(|&s| s.is_nan() || s <= 0.0) {
        return None;
    }
    let correlation = DMatrix::from_fn(k, k, |i, j| covariance[(i + 1, j + 1)] / (sd[i] * sd[j]));
    let inverse = correlation.cholesky()?.inverse();
    Some((0..k).map(|j| inverse[(j, j)]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn uncorrelated_columns_have_a_vif_of_one() {
        let a = [1.0, -1.0, 1.0, -1.0];
        let b = [1.0, 1.0, -1.0, -1.0];
        let vif = variance_inflation(&[&a, &b]).expect("a VIF");
        assert!(vif.iter().all(|&v| close(v, 1.0)), "{vif:?}");
    }

    #[test]
    fn two_columns_share_one_over_one_minus_r_squared() {
        // With two columns, R²ⱼ is their squared correlation.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 1.0, 4.0, 3.0, 6.0];
        // cor(a, b) by hand: cross-products 10, sums of squares 10 and 14.8.
        let r = 10.0 / (10.0_f64 * 14.8).sqrt();
        let vif = variance_inflation(&[&a, &b]).expect("a VIF");
        assert!(close(vif[0], 1.0 / (1.0 - r * r)), "{vif:?}");
        assert!(close(vif[1], vif[0]), "{vif:?}");
    }

    #[test]
    fn from_the_estimates_covariance_an_ols_model_has_its_columns_vif() {
        // For OLS the slopes' covariance is proportional to the inverse of the centred
        // cross-products, so both routes give the same VIFs.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 1.0, 4.0, 3.0, 6.0];
        let design = DMatrix::from_fn(5, 3, |i, j| match j {
            0 => 1.0,
            1 => a[i],
            _ => b[i],
        });
        let inverse = (design.transpose() * &design)
            .try_inverse()
            .expect("invertible");
        let from_estimates = variance_inflation_of_estimates(&(inverse * 2.5)).expect("a VIF");
        let from_columns = variance_inflation(&[&a, &b]).expect("a VIF");
        for (x, y) in from_estimates.iter().zip(&from_columns) {
            assert!(close(*x, *y), "{from_estimates:?} vs {from_columns:?}");
        }
    }

    #[test]
    fn constant_or_collinear_columns_have_none() {
        let a = [1.0, 2.0, 3.0];
        let constant = [2.0, 2.0, 2.0];
        assert_eq!(variance_inflation(&[&a, &constant]), None);
        let twice: Vec<f64> = a.iter().map(|v| 2.0 * v).collect();
        assert_eq!(variance_inflation(&[&a, &twice]), None);
    }
}

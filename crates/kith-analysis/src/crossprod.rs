//! Cross-products Aᵀ B of tall matrices, added into a total: the one place that hands a
//! transposed operand to matrixmultiply's kernel without copying it (casewise scores, pairwise
//! item moments).

use nalgebra::{DMatrix, Dyn, MatrixView};

/// `total += aᵀ b`, for `a` and `b` with the same rows.
pub fn add_crossprod(total: &mut DMatrix<f64>, a: &DMatrix<f64>, b: &DMatrix<f64>) {
    let rows = a.nrows();
    // A view of A's storage with its strides swapped is Aᵀ without a copy. nalgebra hands a
    // product to matrixmultiply only when every side exceeds five; its own loop for smaller
    // ones misreads such a view (a debug build's bounds check says so), so small products
    // take the plain way.
    if rows > 5 && a.ncols() > 5 && b.ncols() > 5 {
        let transposed = MatrixView::<f64, Dyn, Dyn, Dyn, Dyn>::from_slice_with_strides_generic(
            a.as_slice(),
            Dyn(a.ncols()),
            Dyn(rows),
            Dyn(rows),
            Dyn(1),
        );
        total.gemm(1.0, &transposed, b, 1.0);
    } else {
        *total += a.tr_mul(b);
    }
}

//! Where the screened answers come from, a block of rows at a time: a matrix in memory (the
//! tests' fixtures), or the columns the answers already live in — the response table's 16-bit
//! codes, a data set's numbers — so that screening a million respondents never copies every
//! answer into a matrix of 64-bit numbers, let alone twice (as given and keyed).

use crate::values::ItemValues;
use nalgebra::DMatrix;

/// Rows taken at a time: a block of a few thousand rows of a few dozen items stays in cache.
pub const BLOCK: usize = 1024;

/// Answers that can be read a block of rows at a time.
pub trait Source {
    /// The respondents.
    fn rows(&self) -> usize;
    /// The items.
    fn items(&self) -> usize;
    /// Rows `start..start + out.nrows()` into `out` (one column per item), NaN where missing.
    fn fill(&self, start: usize, out: &mut DMatrix<f64>);
}

impl Source for DMatrix<f64> {
    fn rows(&self) -> usize {
        self.nrows()
    }

    fn items(&self) -> usize {
        self.ncols()
    }

    fn fill(&self, start: usize, out: &mut DMatrix<f64>) {
        let shape = (out.nrows(), self.ncols());
        out.copy_from(&self.view((start, 0), shape));
    }
}

/// One item's answers where they already are.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// A response table's column (codes or numbers).
    Values(&'a ItemValues),
    /// A data set's column, NaN for missing.
    Numbers(&'a [f64]),
}

/// Items in columns, each read as given or, where `reverse` has its scale's bounds, keyed:
/// (min + max) − answer, the scores' rule.
#[derive(Debug, Clone)]
pub struct Columns<'a> {
    pub n: usize,
    pub columns: Vec<Column<'a>>,
    pub reverse: Vec<Option<(f64, f64)>>,
}

impl Source for Columns<'_> {
    fn rows(&self) -> usize {
        self.n
    }

    fn items(&self) -> usize {
        self.columns.len()
    }

    fn fill(&self, start: usize, out: &mut DMatrix<f64>) {
        let rows = out.nrows();
        let slice = out.as_mut_slice();
        for (j, column) in self.columns.iter().enumerate() {
            let target = &mut slice[j * rows..(j + 1) * rows];
            match column {
                Column::Values(values) => values.fill_f64(start, start + rows, target),
                Column::Numbers(numbers) => target.copy_from_slice(&numbers[start..start + rows]),
            }
            if let Some(Some((min, max))) = self.reverse.get(j) {
                for value in target.iter_mut() {
                    *value = min + max - *value;
                }
            }
        }
    }
}

/// Rows taken at a time by [`for_each_row`]: fewer, so that the block and its row-major copy
/// both stay in the fastest cache.
const ROW_BLOCK: usize = 128;

/// Calls `f` with each block of rows (first row, the block), in order. One buffer serves
/// every block but a shorter last one.
pub fn for_each_block<S: Source + ?Sized>(source: &S, f: impl FnMut(usize, &DMatrix<f64>)) {
    blocks_of(source, BLOCK, f);
}

fn blocks_of<S: Source + ?Sized>(source: &S, size: usize, mut f: impl FnMut(usize, &DMatrix<f64>)) {
    let (n, p) = (source.rows(), source.items());
    let mut buffer = DMatrix::zeros(size.min(n), p);
    let mut start = 0;
    while start < n {
        let rows = size.min(n - start);
        if buffer.nrows() != rows {
            buffer = DMatrix::zeros(rows, p);
        }
        source.fill(start, &mut buffer);
        f(start, &buffer);
        start += rows;
    }
}

/// Calls `f` with each row's answers, in order: each block copied into a row-major buffer, so
/// that a row's answers are adjacent in memory.
pub fn for_each_row<S: Source + ?Sized>(source: &S, mut f: impl FnMut(&[f64])) {
    let p = source.items();
    let mut buffer = vec![0.0; ROW_BLOCK * p];
    blocks_of(source, ROW_BLOCK, |_, block| {
        let rows = block.nrows();
        for (j, column) in block.column_iter().enumerate() {
            for (i, value) in column.iter().enumerate() {
                buffer[i * p + j] = *value;
            }
        }
        for i in 0..rows {
            f(&buffer[i * p..(i + 1) * p]);
        }
    });
}

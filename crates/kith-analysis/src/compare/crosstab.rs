//! Two categorical variables: Pearson's χ² test of independence of their table (R's
//! `chisq.test`, with Yates's continuity correction on a 2 × 2 table as R applies it by
//! default), and Cramér's V from the uncorrected χ².

use super::{CompareError, MAX_GROUPS};
use crate::distributions::chi_squared_upper;

/// The test of a table of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    /// The statistic R reports: corrected on a 2 × 2 table.
    pub chi_squared: f64,
    pub df: f64,
    pub p: f64,
    /// Whether Yates's correction was applied (2 × 2 tables).
    pub corrected: bool,
    /// Pearson's χ² without correction, which V is computed from.
    pub uncorrected_chi_squared: f64,
    /// √(χ² / (n (min(rows, columns) − 1))).
    pub cramers_v: f64,
    /// The expected counts under independence, by row.
    pub expected: Vec<Vec<f64>>,
}

/// Tests the table `counts` (rows of equal length).
pub fn chi_square(counts: &[Vec<f64>]) -> Result<ChiSquare, CompareError> {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    for found in [rows, columns] {
        if !(2..=MAX_GROUPS).contains(&found) {
            return Err(CompareError::Groups { found });
        }
    }
    for (i, row) in counts.iter().enumerate() {
        for j in 0..columns {
            match row.get(j) {
                Some(count) if count.is_finite() && *count >= 0.0 => {}
                _ => return Err(CompareError::BadCount { row: i, column: j }),
            }
        }
        if row.len() != columns {
            return Err(CompareError::BadCount {
                row: i,
                column: row.len().min(columns),
            });
        }
    }
    let row_sums: Vec<f64> = counts.iter().map(|r| r.iter().sum()).collect();
    let column_sums: Vec<f64> = (0..columns)
        .map(|j| counts.iter().map(|r| r[j]).sum())
        .collect();
    if let Some(index) = row_sums.iter().position(|s| *s == 0.0) {
        return Err(CompareError::EmptyMargin { row: true, index });
    }
    if let Some(index) = column_sums.iter().position(|s| *s == 0.0) {
        return Err(CompareError::EmptyMargin { row: false, index });
    }
    let n: f64 = row_sums.iter().sum();
    let expected: Vec<Vec<f64>> = row_sums
        .iter()
        .map(|r| column_sums.iter().map(|c| r * c / n).collect())
        .collect();
    let cells = || {
        counts
            .iter()
            .zip(&expected)
            .flat_map(|(observed, expected)| observed.iter().zip(expected))
    };
    let uncorrected: f64 = cells().map(|(o, e)| (o - e).powi(2) / e).sum();
    let corrected = rows == 2 && columns == 2;
    // R: YATES <- min(0.5, abs(x - E)), the smallest over every cell.
    let statistic = if corrected {
        let yates = cells().map(|(o, e)| (o - e).abs()).fold(0.5, f64::min);
        cells()
            .map(|(o, e)| ((o - e).abs() - yates).powi(2) / e)
            .sum()
    } else {
        uncorrected
    };
    let df = ((rows - 1) * (columns - 1)) as f64;
    Ok(ChiSquare {
        chi_squared: statistic,
        df,
        p: chi_squared_upper(statistic, df),
        corrected,
        uncorrected_chi_squared: uncorrected,
        cramers_v: (uncorrected / (n * (rows.min(columns) - 1) as f64)).sqrt(),
        expected,
    })
}

//! Group comparisons, the first analysis of every experiment and demographic question: Welch's
//! and Student's t tests with Cohen's d and Hedges' g, the one-way ANOVA with η², ω² and
//! Welch's ANOVA, Tukey's HSD and Games–Howell post-hoc comparisons, the χ² test of
//! independence with Cramér's V and Fisher's exact test, and the Mann–Whitney and
//! Kruskal–Wallis rank tests — as R's `t.test`, `aov`, `oneway.test`, `TukeyHSD`,
//! `chisq.test`, `fisher.test`, `wilcox.test` and `kruskal.test` compute them
//! (`tests/r/comparisons.R`). Engines take values
//! and return values; missing values (NaN) are left out of each group.

mod anova;
mod crosstab;
mod fisher;
mod post_hoc;
mod ranks;
mod studentized_range;
mod ttest;

pub use anova::{OneWay, one_way};
pub use crosstab::{ChiSquare, chi_square};
pub use fisher::{FisherExact, MAX_FISHER_N, fisher_exact};
pub use post_hoc::{MAX_POST_HOC_GROUPS, PairComparison, PostHocMethod, post_hoc};
pub use ranks::{KruskalWallis, MannWhitney, kruskal_wallis, mann_whitney};
pub use studentized_range::StudentizedRange;
pub use ttest::{TTest, t_test};

/// Why a comparison cannot be computed: each names what is wrong and says what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareError {
    /// A group has fewer values than the test needs.
    TooFewValues {
        group: usize,
        n: usize,
        needed: usize,
    },
    /// Fewer than two groups (or more than `MAX_GROUPS`).
    Groups { found: usize },
    /// No variation to test against: every value the same within the groups.
    NoVariance,
    /// A row or column of a table without any count: its expected counts are zero.
    EmptyMargin { row: bool, index: usize },
    /// A count that is negative or not a number.
    BadCount { row: usize, column: usize },
    /// A table too large for an exact test.
    TooLargeForExact { n: f64 },
}

/// The most groups a one-way ANOVA or table side compares.
pub const MAX_GROUPS: usize = 100;

impl std::fmt::Display for CompareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompareError::TooFewValues { group, n, needed } => write!(
                f,
                "group {} has {n} value(s); the test needs at least {needed}",
                group + 1
            ),
            CompareError::Groups { found } => write!(
                f,
                "{found} group(s): a comparison needs between 2 and {MAX_GROUPS}"
            ),
            CompareError::NoVariance => {
                write!(f, "the values do not vary within the groups")
            }
            CompareError::EmptyMargin { row, index } => write!(
                f,
                "{} {} of the table has no counts",
                if *row { "row" } else { "column" },
                index + 1
            ),
            CompareError::BadCount { row, column } => write!(
                f,
                "the count in row {}, column {} is negative or not a number",
                row + 1,
                column + 1
            ),
            CompareError::TooLargeForExact { n } => write!(
                f,
                "the table holds {n} respondents; the exact test takes at most {}",
                fisher::MAX_FISHER_N
            ),
        }
    }
}

impl CompareError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            CompareError::TooFewValues { .. } => {
                "merge small groups, or leave the group out of the comparison"
            }
            CompareError::Groups { .. } => "compare a variable with two or more levels",
            CompareError::NoVariance => "a variable that takes one value cannot be compared",
            CompareError::EmptyMargin { .. } => "leave out the levels no one has",
            CompareError::BadCount { .. } => "counts are whole numbers of zero or more",
            CompareError::TooLargeForExact { .. } => {
                "with counts this large the χ² test is accurate: use it"
            }
        }
    }
}

/// The values of a group that are not missing.
fn present(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|v| !v.is_nan()).collect()
}

/// The groups' present values with each group's n, mean and variance, for the tests that
/// need every group's variance (Welch's ANOVA, the post-hoc pairs): between 2 and `most`
/// groups, each with at least two values.
type GroupStats = (Vec<Vec<f64>>, Vec<(f64, f64, f64)>);

fn group_stats(groups: &[&[f64]], most: usize) -> Result<GroupStats, CompareError> {
    if !(2..=most).contains(&groups.len()) {
        return Err(CompareError::Groups {
            found: groups.len(),
        });
    }
    let groups: Vec<Vec<f64>> = groups.iter().map(|g| present(g)).collect();
    for (group, values) in groups.iter().enumerate() {
        if values.len() < 2 {
            return Err(CompareError::TooFewValues {
                group,
                n: values.len(),
                needed: 2,
            });
        }
    }
    let stats = groups
        .iter()
        .map(|g| {
            let (mean, variance) = mean_variance(g);
            (g.len() as f64, mean, variance)
        })
        .collect();
    Ok((groups, stats))
}

/// The mean and the variance (n − 1) of values.
fn mean_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

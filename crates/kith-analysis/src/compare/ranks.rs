//! Rank tests, for outcomes that are ordinal or far from normal: the Mann–Whitney U test (R's
//! `wilcox.test` of two samples: exact below 50 per group without ties, else the normal
//! approximation with the tie and continuity corrections) and the Kruskal–Wallis test
//! (`kruskal.test`).

use super::{CompareError, MAX_GROUPS, present};
use crate::distributions::{chi_squared_upper, normal_cdf};

/// The Mann–Whitney test of the first group against the second.
#[derive(Debug, Clone, PartialEq)]
pub struct MannWhitney {
    pub n: [usize; 2],
    /// R's W: the first group's rank sum less n₁(n₁ + 1)/2.
    pub w: f64,
    pub p: f64,
    /// Whether the p-value is exact (no ties, both groups under 50).
    pub exact: bool,
    /// The rank-biserial correlation 2W/(n₁n₂) − 1: from −1 (every value of the first group
    /// below the second's) to 1.
    pub rank_biserial: f64,
}

/// The Kruskal–Wallis test of several groups.
#[derive(Debug, Clone, PartialEq)]
pub struct KruskalWallis {
    pub n: Vec<usize>,
    /// H, corrected for ties.
    pub h: f64,
    pub df: f64,
    pub p: f64,
}

/// Average ranks (1-based) of values, ties sharing the mean of their ranks; and the sizes of
/// the groups of ties.
fn ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| values[i] == values[order[start]])
                .count();
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        ties.push(end - start);
        start = end;
    }
    (ranks, ties)
}

/// Groups both smaller than this, without ties, get the exact distribution, as in R.
const EXACT_BELOW: usize = 50;

/// P(W ≤ q) for W the Mann–Whitney statistic of groups of m and n without ties (R's
/// `pwilcox`): the counts of W by the recursion c(u; m, n) = c(u − n; m − 1, n) + c(u; m, n − 1).
fn wilcox_cdf(q: f64, m: usize, n: usize) -> f64 {
    let q = q.floor();
    if q < 0.0 {
        return 0.0;
    }
    // counts[j] holds c(·; i, j) for the current i, each of length i·j + 1.
    let mut counts: Vec<Vec<f64>> = (0..=n).map(|_| vec![1.0]).collect();
    for i in 1..=m {
        let mut next: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
        next.push(vec![1.0]);
        for j in 1..=n {
            let mut c = vec![0.0; i * j + 1];
            for (u, value) in counts[j].iter().enumerate() {
                c[u + j] += value;
            }
            for (u, value) in next[j - 1].iter().enumerate() {
                c[u] += value;
            }
            next.push(c);
        }
        counts = next;
    }
    let all = &counts[n];
    let total: f64 = all.iter().sum();
    let upto = (q as usize).min(all.len() - 1);
    all[..=upto].iter().sum::<f64>() / total
}

/// Compares the first group with the second by ranks (NaN left out).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> Result<MannWhitney, CompareError> {
    let (a, b) = (present(a), present(b));
    for (group, values) in [&a, &b].into_iter().enumerate() {
        if values.is_empty() {
            return Err(CompareError::TooFewValues {
                group,
                n: 0,
                needed: 1,
            });
        }
    }
    let (m, n) = (a.len(), b.len());
    let all: Vec<f64> = a.iter().chain(&b).copied().collect();
    let (rank, ties) = ranks(&all);
    let (mf, nf) = (m as f64, n as f64);
    let w = rank[..m].iter().sum::<f64>() - mf * (mf + 1.0) / 2.0;
    let tied = ties.iter().any(|&t| t > 1);
    let exact = m < EXACT_BELOW && n < EXACT_BELOW && !tied;
    let p = if exact {
        let one_side = if w > mf * nf / 2.0 {
            1.0 - wilcox_cdf(w - 1.0, m, n)
        } else {
            wilcox_cdf(w, m, n)
        };
        (2.0 * one_side).min(1.0)
    } else {
        let total = mf + nf;
        let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
        let sigma = ((mf * nf / 12.0) * ((total + 1.0) - tie_sum / (total * (total - 1.0)))).sqrt();
        if sigma == 0.0 {
            return Err(CompareError::NoVariance);
        }
        let z = w - mf * nf / 2.0;
        // R's sign(): 0 at 0 (Rust's signum gives 1 there).
        let correction = if z == 0.0 { 0.0 } else { 0.5 * z.signum() };
        let z = (z - correction) / sigma;
        (2.0 * normal_cdf(z).min(normal_cdf(-z))).min(1.0)
    };
    Ok(MannWhitney {
        n: [m, n],
        w,
        p,
        exact,
        rank_biserial: 2.0 * w / (mf * nf) - 1.0,
    })
}

/// Compares several groups by ranks (NaN left out).
pub fn kruskal_wallis(groups: &[&[f64]]) -> Result<KruskalWallis, CompareError> {
    if !(2..=MAX_GROUPS).contains(&groups.len()) {
        return Err(CompareError::Groups {
            found: groups.len(),
        });
    }
    let groups: Vec<Vec<f64>> = groups.iter().map(|g| present(g)).collect();
    if let Some(group) = groups.iter().position(Vec::is_empty) {
        return Err(CompareError::TooFewValues {
            group,
            n: 0,
            needed: 1,
        });
    }
    let all: Vec<f64> = groups.iter().flatten().copied().collect();
    let total = all.len() as f64;
    let (rank, ties) = ranks(&all);
    let mut start = 0;
    let mut sum = 0.0;
    for g in &groups {
        let r: f64 = rank[start..start + g.len()].iter().sum();
        sum += r * r / g.len() as f64;
        start += g.len();
    }
    let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let correction = 1.0 - tie_sum / (total * total * total - total);
    if correction <= 0.0 {
        return Err(CompareError::NoVariance);
    }
    let h = (12.0 / (total * (total + 1.0)) * sum - 3.0 * (total + 1.0)) / correction;
    let df = (groups.len() - 1) as f64;
    Ok(KruskalWallis {
        n: groups.iter().map(Vec::len).collect(),
        h,
        df,
        p: chi_squared_upper(h, df),
    })
}

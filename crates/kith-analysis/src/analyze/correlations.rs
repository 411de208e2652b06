//! Correlation tables: r, its test and Fisher-z interval for every pair, with adjusted p-values.

use super::numeric_rows;
use crate::dataset::{Dataset, complete_rows};
use crate::describe::{self, Deletion};
use crate::results::{CorrelationPair, CorrelationTable};

/// One correlation table of the plan.
pub(super) fn correlation_table(
    spec: &crate::plan::CorrelationSpec,
    dataset: &Dataset,
    level: f64,
) -> CorrelationTable {
    let names: Vec<&str> = spec.variables.iter().map(String::as_str).collect();
    let listwise = spec.missing == Deletion::Listwise;
    let rows = if listwise {
        complete_rows(dataset, &names)
    } else {
        (0..dataset.n).collect()
    };
    let columns: Vec<Vec<f64>> = names
        .iter()
        .map(|n| numeric_rows(dataset, n, &rows))
        .collect();
    let method = spec.method;
    let mut pairs = Vec::new();
    for i in 0..names.len() {
        for j in (i + 1)..names.len() {
            let (x, y): (Vec<f64>, Vec<f64>) = columns[i]
                .iter()
                .zip(&columns[j])
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .map(|(a, b)| (*a, *b))
                .unzip();
            let test = describe::correlation_test(&x, &y, method, level);
            pairs.push(match test {
                Some(t) => CorrelationPair {
                    x: names[i].to_string(),
                    y: names[j].to_string(),
                    r: t.r,
                    n: t.n,
                    t: t.t,
                    df: t.df,
                    p: t.p,
                    p_adjusted: t.p,
                    ci: t.ci,
                },
                None => CorrelationPair {
                    x: names[i].to_string(),
                    y: names[j].to_string(),
                    r: f64::NAN,
                    n: x.len(),
                    t: f64::NAN,
                    df: x.len().saturating_sub(2),
                    p: f64::NAN,
                    p_adjusted: f64::NAN,
                    ci: [f64::NAN; 2],
                },
            });
        }
    }
    let adjustment = spec.adjust;
    let raw: Vec<f64> = pairs.iter().map(|p| p.p).collect();
    for (pair, adjusted) in pairs.iter_mut().zip(describe::adjust(&raw, adjustment)) {
        pair.p_adjusted = adjusted;
    }
    CorrelationTable {
        name: spec.name.clone(),
        method,
        adjust: adjustment,
        missing: spec.missing,
        variables: spec.variables.clone(),
        n: if listwise {
            rows.len()
        } else {
            pairs.iter().map(|p| p.n).min().unwrap_or(0)
        },
        pairs,
    }
}

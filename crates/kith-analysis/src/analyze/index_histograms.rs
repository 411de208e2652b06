//! The histograms of the main screening indices for the report, each with the cut-off that
//! flags on it: the plan's own rule on that index when it has one, else the default flag of
//! `kith screen`.

use crate::figures::distribution_of;
use crate::results::{IndexCutoff, IndexHistogram};
use crate::screening::report::{Respondent, Screening};
use kith_instrument::logic::{self, ExprKind, Literal};

/// The indices the report draws, with the label of each axis.
pub const HISTOGRAM_INDICES: [(&str, &str); 6] = [
    ("longstring_max", "Longest run of identical answers"),
    ("irv", "Response variability (IRV)"),
    ("mahalanobis", "Mahalanobis D²"),
    ("even_odd", "Even-odd consistency (negated)"),
    ("synonyms", "Psychometric synonyms (r)"),
    ("seconds_per_item", "Seconds per item"),
];

/// A cut-off read from a rule of the form `index OP number` (or `mahalanobis >
/// mahalanobis_cutoff`): the comparison and the value. Any other rule has none.
pub fn rule_cutoff(rule: &str, index: &str, mahalanobis_cutoff: f64) -> Option<(String, f64)> {
    let expr = logic::parse(rule).ok()?;
    let ExprKind::Binary(op, left, right) = &expr.kind else {
        return None;
    };
    if !matches!(*op, ">=" | ">" | "<=" | "<") {
        return None;
    }
    let ExprKind::Item(name) = &left.kind else {
        return None;
    };
    if name != index {
        return None;
    }
    let value = match &right.kind {
        ExprKind::Literal(Literal::Number(value)) => *value,
        ExprKind::Negate(inner) => match &inner.kind {
            ExprKind::Literal(Literal::Number(value)) => -*value,
            _ => return None,
        },
        ExprKind::Item(name) if name == "mahalanobis_cutoff" && !mahalanobis_cutoff.is_nan() => {
            mahalanobis_cutoff
        }
        _ => return None,
    };
    Some((op.to_string(), value))
}

/// Whether `value` is flagged by the comparison `op` with `cutoff`.
fn flags(op: &str, value: f64, cutoff: f64) -> bool {
    match op {
        ">=" => value >= cutoff,
        ">" => value > cutoff,
        "<=" => value <= cutoff,
        _ => value < cutoff,
    }
}

/// The histogram of every main index that has values for at least two respondents. `rules`
/// are the plan's exclusion rules; `value` reads one index of one respondent.
pub fn index_histograms(
    screening: &Screening,
    rules: &[String],
    value: &dyn Fn(&Respondent, &str) -> Option<f64>,
) -> Vec<IndexHistogram> {
    let cut = screening.mahalanobis_cutoff;
    HISTOGRAM_INDICES
        .iter()
        .filter_map(|(index, label)| {
            let values: Vec<f64> = screening
                .rows
                .iter()
                .map(|r| value(r, index).unwrap_or(f64::NAN))
                .collect();
            let distribution = distribution_of(&values, index, label)?;
            let planned = rules
                .iter()
                .find_map(|rule| Some((rule_cutoff(rule, index, cut)?, rule.clone())));
            // The default flag's rule text rounds the Mahalanobis cut-off to two decimals; the
            // histogram counts with the unrounded value the flag itself used.
            let default = || {
                screening.rules.iter().find_map(|rule| {
                    let (op, value) = rule_cutoff(&rule.rule, index, cut)?;
                    let value = if *index == "mahalanobis" && !cut.is_nan() {
                        cut
                    } else {
                        value
                    };
                    Some(((op, value), "default flag".into()))
                })
            };
            let cutoff = planned.or_else(default).map(|((op, value), source)| {
                let flagged = values
                    .iter()
                    .filter(|v| !v.is_nan() && flags(&op, **v, value))
                    .count();
                IndexCutoff {
                    value,
                    flags: op,
                    source,
                    flagged,
                }
            });
            Some(IndexHistogram {
                index: index.to_string(),
                distribution,
                cutoff,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::rule_cutoff;

    fn check(rule: &str, index: &str, expected: Option<(&str, f64)>) {
        let found = rule_cutoff(rule, index, 88.38);
        assert_eq!(
            found,
            expected.map(|(op, v)| (op.to_string(), v)),
            "rule `{rule}` on `{index}`"
        );
    }

    #[test]
    fn a_cutoff_is_read_from_a_simple_comparison_only() {
        check("longstring_max >= 12", "longstring_max", Some((">=", 12.0)));
        check("seconds_per_item < 2", "seconds_per_item", Some(("<", 2.0)));
        check(
            "mahalanobis > mahalanobis_cutoff",
            "mahalanobis",
            Some((">", 88.38)),
        );
        check("even_odd > -0.3", "even_odd", Some((">", -0.3)));
        check("irv < -item", "irv", None);
        check("longstring_max >= 12", "irv", None);
        check("irv == 0", "irv", None);
        check("irv < 0.5 and longstring_max > 8", "irv", None);
        check("not valid (", "irv", None);
    }
}

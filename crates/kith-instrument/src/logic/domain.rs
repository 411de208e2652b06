//! Whether a condition can never be true given the values its items can take (their scales),
//! for `kith check`'s warning. The reasoning is deliberately simple and errs towards "may be
//! true": it looks at comparisons of an item with a number, `in [..]`, `and`, `or` and the
//! literal `false`, and assumes anything else may hold.

use super::{Expr, ExprKind, Literal};

/// The values an item's answer can take.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// One of these codes.
    Codes(Vec<f64>),
    /// A number between the bounds (either may be open), whole when `integer`.
    Range {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
}

impl Domain {
    /// Whether some value `v` of the domain makes `v op n` true.
    fn admits(&self, op: &str, n: f64) -> bool {
        match self {
            Domain::Codes(codes) => codes.iter().any(|&c| compare(op, c, n)),
            Domain::Range { min, max, integer } => {
                let (lo, hi) = (
                    min.unwrap_or(f64::NEG_INFINITY),
                    max.unwrap_or(f64::INFINITY),
                );
                match op {
                    "=" => lo <= n && n <= hi && (!integer || n.fract() == 0.0),
                    "!=" => !(lo == hi && lo == n),
                    "<" => lo < n,
                    "<=" => lo <= n,
                    ">" => hi > n,
                    ">=" => hi >= n,
                    _ => true,
                }
            }
        }
    }
}

fn compare(op: &str, a: f64, b: f64) -> bool {
    match op {
        "=" => a == b,
        "!=" => a != b,
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        ">=" => a >= b,
        _ => true,
    }
}

/// The comparison `n op x` written the other way round, as `x op' n`.
fn flipped(op: &str) -> &str {
    match op {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        other => other,
    }
}

/// Whether `expr` is false for every combination of answers the items' scales allow.
pub fn never_true(expr: &Expr, domain: &dyn Fn(&str) -> Option<Domain>) -> bool {
    match &expr.kind {
        ExprKind::Literal(Literal::Bool(false)) => true,
        ExprKind::Binary("and", left, right) => {
            never_true(left, domain) || never_true(right, domain)
        }
        ExprKind::Binary("or", left, right) => {
            never_true(left, domain) && never_true(right, domain)
        }
        ExprKind::Binary(op, left, right) => match (&left.kind, &right.kind) {
            (ExprKind::Item(id), ExprKind::Literal(Literal::Number(n))) => {
                domain(id).is_some_and(|d| !d.admits(op, *n))
            }
            (ExprKind::Literal(Literal::Number(n)), ExprKind::Item(id)) => {
                domain(id).is_some_and(|d| !d.admits(flipped(op), *n))
            }
            _ => false,
        },
        ExprKind::In(inner, list) => match &inner.kind {
            // A text that reads as a number compares as one; any other literal may match.
            ExprKind::Item(id) => domain(id).is_some_and(|d| {
                !list.iter().any(|l| match l {
                    Literal::Number(n) => d.admits("=", *n),
                    Literal::Text(t) => t.trim().parse::<f64>().map_or(true, |n| d.admits("=", n)),
                    Literal::Bool(_) => true,
                })
            }),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::parse;

    fn domain(id: &str) -> Option<Domain> {
        match id {
            "offers" => Some(Domain::Range {
                min: Some(0.0),
                max: Some(50.0),
                integer: true,
            }),
            "employed" => Some(Domain::Codes(vec![0.0, 1.0])),
            _ => None,
        }
    }

    #[test]
    fn conditions_outside_every_scale_are_never_true_and_others_may_be() {
        let never = [
            "offers > 50",
            "offers < 0",
            "60 <= offers",
            "offers = 2.5",
            "employed > 1",
            "employed in [2, 3]",
            "offers > 0 and offers > 50",
            "offers > 50 or employed = 5",
            "false",
        ];
        for text in never {
            let expr = parse(text).expect(text);
            assert!(never_true(&expr, &domain), "`{text}` is never true");
        }
        let possible = [
            "offers > 49",
            "offers = 50",
            "0 < offers",
            "employed = 1",
            "employed in [1, 3]",
            "employed in [\"1\"]",
            "offers > 50 or employed = 1",
            "not (offers > 50)",
            "unknown > 1000",
            "offers + 1 > 100",
        ];
        for text in possible {
            let expr = parse(text).expect(text);
            assert!(!never_true(&expr, &domain), "`{text}` may be true");
        }
    }
}

//! Evaluating a condition on the answers so far: a value for every expression, with a missing
//! answer carried through arithmetic and making comparisons false, so that no condition can
//! fail at run time.

use super::{Expr, ExprKind, Literal};

/// An answer as a condition sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Number(f64),
    Text(String),
    /// The codes chosen on a multiple-choice item.
    Choices(Vec<f64>),
}

/// What a condition may read: the answers given so far and the session's parameters, nothing
/// else.
pub trait Answers {
    fn answer(&self, item: &str) -> Option<Answer>;
    fn parameter(&self, name: &str) -> Option<String>;
}

/// The value of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    Choices(Vec<f64>),
    /// No answer (or a number that has none: division by zero).
    Missing,
}

impl From<&Literal> for Value {
    fn from(literal: &Literal) -> Self {
        match literal {
            Literal::Number(n) => Value::Number(*n),
            Literal::Text(t) => Value::Text(t.clone()),
            Literal::Bool(b) => Value::Bool(*b),
        }
    }
}

/// Whether a condition holds: a missing or non-boolean value does not.
pub fn holds(expr: &Expr, answers: &dyn Answers) -> bool {
    evaluate(expr, answers) == Value::Bool(true)
}

/// The value of `expr` on `answers`.
pub fn evaluate(expr: &Expr, answers: &dyn Answers) -> Value {
    match &expr.kind {
        ExprKind::Literal(literal) => literal.into(),
        ExprKind::Item(id) => match answers.answer(id) {
            Some(Answer::Number(n)) => Value::Number(n),
            Some(Answer::Text(t)) => Value::Text(t),
            Some(Answer::Choices(c)) => Value::Choices(c),
            None => Value::Missing,
        },
        // A parameter is text; one that looks like a number compares as a number too.
        ExprKind::Param(name) => match answers.parameter(name) {
            Some(text) => Value::Text(text),
            None => Value::Missing,
        },
        ExprKind::Not(inner) => match evaluate(inner, answers) {
            Value::Bool(b) => Value::Bool(!b),
            // `not` of a condition that cannot be decided yet is true: the condition does not
            // hold, so its negation does.
            _ => Value::Bool(true),
        },
        ExprKind::Negate(inner) => match evaluate(inner, answers) {
            Value::Number(n) => Value::Number(-n),
            _ => Value::Missing,
        },
        ExprKind::Binary(op, left, right) => binary(op, left, right, answers),
        ExprKind::In(inner, list) => {
            let value = evaluate(inner, answers);
            if value == Value::Missing {
                return Value::Bool(false);
            }
            Value::Bool(
                list.iter()
                    .any(|item| equal(&value, &item.into()) == Some(true)),
            )
        }
        ExprKind::Answered(id, _) => Value::Bool(match answers.answer(id) {
            None => false,
            Some(Answer::Choices(c)) => !c.is_empty(),
            Some(_) => true,
        }),
        ExprKind::Selected(id, _, code) => {
            let code = number_of(&code.into());
            Value::Bool(match (answers.answer(id), code) {
                (Some(Answer::Choices(chosen)), Some(code)) => chosen.contains(&code),
                _ => false,
            })
        }
    }
}

fn binary(op: &str, left: &Expr, right: &Expr, answers: &dyn Answers) -> Value {
    match op {
        // Both sides are evaluated: evaluation has no side effects, and this keeps it simple.
        "and" => Value::Bool(holds(left, answers) && holds(right, answers)),
        "or" => Value::Bool(holds(left, answers) || holds(right, answers)),
        _ => {
            let (a, b) = (evaluate(left, answers), evaluate(right, answers));
            match op {
                "+" | "-" | "*" | "/" => arithmetic(op, &a, &b),
                _ => compare(op, &a, &b),
            }
        }
    }
}

/// A number, or a text that reads as one (a URL parameter `?wave=2`).
fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::Text(t) => t.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

fn arithmetic(op: &str, a: &Value, b: &Value) -> Value {
    let (Some(x), Some(y)) = (number_of(a), number_of(b)) else {
        return Value::Missing;
    };
    let result = match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        _ if y == 0.0 => return Value::Missing,
        _ => x / y,
    };
    if result.is_finite() {
        Value::Number(result)
    } else {
        Value::Missing
    }
}

/// Equality of two present values: numbers as numbers (a numeric text too), texts as texts,
/// truth values as truth values; None when one is missing or they cannot be compared.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Missing, _) | (_, Value::Missing) => None,
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Text(x), Value::Text(y)) => Some(x == y),
        _ => match (number_of(a), number_of(b)) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
    }
}

fn compare(op: &str, a: &Value, b: &Value) -> Value {
    let result = match op {
        "=" => equal(a, b),
        "!=" => equal(a, b).map(|e| !e),
        _ => match (number_of(a), number_of(b)) {
            (Some(x), Some(y)) => Some(match op {
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                _ => x >= y,
            }),
            _ => None,
        },
    };
    // A comparison with a missing answer is false, whichever the operator.
    Value::Bool(result.unwrap_or(false))
}

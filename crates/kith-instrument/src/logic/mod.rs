//! Survey logic: the small expression language of display and skip conditions (`show_if:`,
//! `end_if:`, `constraint:`), parsed with spans for carets, checked against the items a
//! condition may see, and evaluated on the answers so far; and piped text (`piping`).
//!
//! The language: item ids (the answer given so far), numbers, "texts" (or 'texts'), `true`,
//! `false`, `param.name` (a URL or session parameter), `=` (also `==`), `!=`, `<`, `<=`, `>`,
//! `>=`, `+ - * /`, `and`, `or`, `not`, brackets, `x in [1, 2]`, `answered(q)` and
//! `selected(q, code)` for a multiple-choice item. A missing answer is defined, never an
//! error: arithmetic with it is missing, every comparison with it is false (`!=` too), and a
//! condition that is missing is false, so `q = 1` and `q != 1` are both false until `q` is
//! answered; `answered(q)` tests for an answer. Division by zero is missing too.
//!
//! Every input is bounded: an expression is at most `MAX_LENGTH` bytes and `MAX_DEPTH` levels
//! deep, numbers at most 1e15; evaluation visits each node once and cannot loop or allocate
//! beyond the expression's size, and it sees nothing but the answers and parameters it is
//! given (the `Answers` trait). A hand-written parser rather than a crate (evalexpr, cel):
//! the language must have this missing-value rule, report every problem with its span, and
//! have no assignments, functions or loops a survey file could use.

mod check;
pub mod domain;
mod eval;
mod lexer;
mod parser;
pub mod piping;

pub use check::{ItemKind, Problem, Scope, check};
pub use eval::{Answer, Answers, Value, evaluate, holds};

/// The longest expression kith reads, in bytes.
pub const MAX_LENGTH: usize = 2000;
/// The deepest nesting of brackets, `not`, `or` and minus signs.
pub const MAX_DEPTH: usize = 32;

/// A byte range of the expression, for a caret under the offending part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The span from this one's start to `other`'s end.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Why an expression cannot be read: the message, where, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct LogicError {
    pub message: String,
    pub span: Span,
    pub hint: String,
}

impl LogicError {
    pub fn new(message: impl Into<String>, span: Span, hint: &str) -> Self {
        LogicError {
            message: message.into(),
            span,
            hint: hint.to_string(),
        }
    }
}

/// A number, text or truth value written in the expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

/// A parsed expression and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// An item's answer.
    Item(String),
    /// A session parameter (`param.panel`).
    Param(String),
    Not(Box<Expr>),
    Negate(Box<Expr>),
    /// `and`, `or`, a comparison or an arithmetic operator, with its operands.
    Binary(&'static str, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Literal>),
    /// `answered(item)`, with the item's span.
    Answered(String, Span),
    /// `selected(item, code)`, with the item's span.
    Selected(String, Span, Literal),
}

/// Parses a condition.
pub fn parse(text: &str) -> Result<Expr, LogicError> {
    if text.len() > MAX_LENGTH {
        return Err(LogicError::new(
            format!(
                "the condition is {} bytes long, more than the {MAX_LENGTH} kith reads",
                text.len()
            ),
            Span::new(0, MAX_LENGTH),
            "split it: a condition on a page or block, and others on its items",
        ));
    }
    if text.trim().is_empty() {
        return Err(LogicError::new(
            "the condition is empty",
            Span::new(0, text.len()),
            "write a condition, e.g. `employed = 1`, or leave the key out",
        ));
    }
    let tokens = lexer::tokens(text)?;
    parser::Parser::new(tokens, text.len()).expression()
}

impl Expr {
    /// Every item the expression reads, with the span where it is named.
    pub fn items(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        self.visit(&mut |expr| match &expr.kind {
            ExprKind::Item(id) => out.push((id.as_str(), expr.span)),
            ExprKind::Answered(id, span) | ExprKind::Selected(id, span, _) => {
                out.push((id.as_str(), *span))
            }
            _ => {}
        });
        out
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Not(inner) | ExprKind::Negate(inner) | ExprKind::In(inner, _) => {
                inner.visit(f)
            }
            ExprKind::Binary(_, left, right) => {
                left.visit(f);
                right.visit(f);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;

//! Checking a condition against the items it may read: every item known (with a
//! did-you-mean) and asked before the condition, codes on their item's scale, texts not
//! compared with numbers, `selected` only on multiple choice, and a truth value as the result.

use super::{Expr, ExprKind, Literal, Span};
use crate::diagnostic::did_you_mean;

/// What an item's answer is, as conditions see it.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A typed number, a count, a slider.
    Number,
    /// Free text.
    Text,
    /// One code of a response scale.
    Coded(Vec<f64>),
    /// Several codes of a multiple-choice item.
    MultipleChoice(Vec<f64>),
}

/// The items a condition at one place of a survey may name.
pub trait Scope {
    /// The item's kind, and whether it is asked before the condition's place (a condition
    /// reads only answers already given).
    fn item(&self, id: &str) -> Option<(ItemKind, bool)>;
    /// Every item id, for a did-you-mean.
    fn ids(&self) -> Vec<String>;
}

/// A problem in a condition, with its stable code, span and hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub hint: String,
}

/// The type of an expression's value, as far as the check can tell.
#[derive(Debug, Clone, PartialEq)]
enum Type {
    Number,
    Text,
    Bool,
    Choices,
    /// A parameter (text that may read as a number), or an unknown item.
    Unknown,
}

/// Every problem of `expr` as a condition (its value must be true or false).
pub fn check(expr: &Expr, scope: &dyn Scope) -> Vec<Problem> {
    let mut checker = Checker {
        scope,
        problems: Vec::new(),
    };
    let kind = checker.type_of(expr);
    if !matches!(kind, Type::Bool | Type::Unknown) {
        checker.problem(
            "not-a-condition",
            "this is a value, not a condition that is true or false".to_string(),
            expr.span,
            "compare it, e.g. `job_offers > 0`, or test it with `answered(…)`",
        );
    }
    checker.problems
}

struct Checker<'a> {
    scope: &'a dyn Scope,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, code: &'static str, message: String, span: Span, hint: &str) {
        self.problems.push(Problem {
            code,
            message,
            span,
            hint: hint.to_string(),
        });
    }

    /// The item's kind, reporting an unknown item or one asked later.
    fn item(&mut self, id: &str, span: Span) -> Option<ItemKind> {
        match self.scope.item(id) {
            Some((kind, true)) => Some(kind),
            Some((_, false)) => {
                self.problem(
                    "later-item",
                    format!("`{id}` is asked here or later, so its answer is not known yet"),
                    span,
                    "a condition reads only the answers given before it; move it after that item",
                );
                None
            }
            None => {
                let ids = self.scope.ids();
                let hint = match did_you_mean(id, ids.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "name an item of the survey by its id".to_string(),
                };
                self.problem(
                    "unknown-item",
                    format!("no item is named `{id}`"),
                    span,
                    &hint,
                );
                None
            }
        }
    }

    fn expect(&mut self, expr: &Expr, wanted: Type, what: &str) {
        let found = self.type_of(expr);
        if found != wanted && found != Type::Unknown {
            self.problem(
                if wanted == Type::Bool {
                    "not-a-condition"
                } else {
                    "not-a-number"
                },
                format!("{what} needs {}", describe(&wanted)),
                expr.span,
                if wanted == Type::Bool {
                    "write a comparison here, e.g. `q1 = 2`"
                } else {
                    "use a number or a numeric item here"
                },
            );
        }
    }

    fn type_of(&mut self, expr: &Expr) -> Type {
        match &expr.kind {
            ExprKind::Literal(Literal::Number(_)) => Type::Number,
            ExprKind::Literal(Literal::Text(_)) => Type::Text,
            ExprKind::Literal(Literal::Bool(_)) => Type::Bool,
            ExprKind::Param(_) => Type::Unknown,
            ExprKind::Item(id) => match self.item(id, expr.span) {
                Some(ItemKind::Number | ItemKind::Coded(_)) => Type::Number,
                Some(ItemKind::Text) => Type::Text,
                Some(ItemKind::MultipleChoice(_)) => Type::Choices,
                None => Type::Unknown,
            },
            ExprKind::Not(inner) => {
                self.expect(inner, Type::Bool, "`not`");
                Type::Bool
            }
            ExprKind::Negate(inner) => {
                self.expect(inner, Type::Number, "a minus sign");
                Type::Number
            }
            ExprKind::Binary(op @ ("and" | "or"), left, right) => {
                self.expect(left, Type::Bool, &format!("`{op}`"));
                self.expect(right, Type::Bool, &format!("`{op}`"));
                Type::Bool
            }
            ExprKind::Binary(op @ ("+" | "-" | "*" | "/"), left, right) => {
                self.expect(left, Type::Number, &format!("`{op}`"));
                self.expect(right, Type::Number, &format!("`{op}`"));
                Type::Number
            }
            ExprKind::Binary(op, left, right) => {
                self.comparison(op, left, right);
                Type::Bool
            }
            ExprKind::In(inner, list) => {
                let kind = self.type_of(inner);
                for literal in list {
                    self.literal_against(inner, &kind, literal, expr.span);
                }
                Type::Bool
            }
            ExprKind::Answered(id, span) => {
                self.item(id, *span);
                Type::Bool
            }
            ExprKind::Selected(id, span, code) => {
                match self.item(id, *span) {
                    Some(ItemKind::MultipleChoice(codes)) => {
                        if let Literal::Number(n) = code
                            && !codes.contains(n)
                        {
                            self.not_on_scale(id, *n, &codes, expr.span);
                        }
                    }
                    Some(kind) => {
                        let example = match kind {
                            ItemKind::Coded(codes) => {
                                format!("{id} = {}", codes.first().copied().unwrap_or(1.0))
                            }
                            ItemKind::Text => format!("{id} = \"yes\""),
                            _ => format!("{id} > 0"),
                        };
                        self.problem(
                            "selected-not-multiple",
                            format!(
                                "`{id}` is not a multiple-choice item, so nothing is selected on it"
                            ),
                            *span,
                            &format!("compare its answer instead, e.g. `{example}`"),
                        )
                    }
                    None => {}
                }
                Type::Bool
            }
        }
    }

    /// `=`, `!=`, `<`, `<=`, `>`, `>=`: comparable sides, and codes on the item's scale.
    fn comparison(&mut self, op: &str, left: &Expr, right: &Expr) {
        let (a, b) = (self.type_of(left), self.type_of(right));
        if let ExprKind::Literal(literal) = &right.kind {
            self.literal_against(left, &a, literal, right.span);
        }
        if let ExprKind::Literal(literal) = &left.kind {
            self.literal_against(right, &b, literal, left.span);
        }
        let ordered = !matches!(op, "=" | "!=");
        let wrong = match (&a, &b) {
            (Type::Choices, _) | (_, Type::Choices) => Some(
                "a multiple-choice item holds several codes; test one with `selected(item, code)`",
            ),
            (Type::Bool, _) | (_, Type::Bool) if ordered => {
                Some("only numbers are ordered; compare numbers with < <= > >=")
            }
            (Type::Text, _) | (_, Type::Text) if ordered => {
                Some("only numbers are ordered; compare a text with = or !=")
            }
            _ => None,
        };
        if let Some(hint) = wrong {
            self.problem(
                "bad-comparison",
                format!("`{op}` cannot compare these values"),
                left.span.to(right.span),
                hint,
            );
        }
    }

    /// A literal compared with a side: a text against a number, or a code not on the scale.
    fn literal_against(&mut self, side: &Expr, kind: &Type, literal: &Literal, span: Span) {
        match (kind, literal) {
            (Type::Number, Literal::Text(text)) if text.trim().parse::<f64>().is_err() => {
                self.problem(
                    "text-vs-number",
                    format!("a number is compared with the text \"{text}\""),
                    span,
                    "compare it with a number (a coded answer is its code), or leave out the quotes",
                );
            }
            (Type::Text, Literal::Number(n)) => self.problem(
                "text-vs-number",
                format!("a text answer is compared with the number {n}"),
                span,
                "write the text in quotes, e.g. \"yes\"",
            ),
            (Type::Number, Literal::Number(n)) => {
                if let ExprKind::Item(id) = &side.kind
                    && let Some((ItemKind::Coded(codes), true)) = self.scope.item(id)
                    && !codes.contains(n)
                {
                    self.not_on_scale(id, *n, &codes, span);
                }
            }
            _ => {}
        }
    }

    fn not_on_scale(&mut self, id: &str, code: f64, codes: &[f64], span: Span) {
        self.problem(
            "code-not-on-scale",
            format!("{code} is not a code of `{id}`'s scale"),
            span,
            &format!(
                "its codes are: {}",
                codes
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

fn describe(kind: &Type) -> &'static str {
    match kind {
        Type::Bool => "a condition (true or false)",
        Type::Number => "a number",
        Type::Text => "a text",
        Type::Choices => "a multiple-choice answer",
        Type::Unknown => "a value",
    }
}

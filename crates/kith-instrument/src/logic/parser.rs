//! The grammar of a condition, by recursive descent with a depth limit:
//!
//! ```text
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" list)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | atom
//! atom    := number | "text" | true | false | item | param.name
//!          | answered(item) | selected(item, code) | "(" or ")"
//! list    := "[" literal ("," literal)* "]"
//! ```

use super::lexer::Token;
use super::{Expr, ExprKind, Literal, LogicError, MAX_DEPTH, Span};

pub struct Parser {
    tokens: Vec<(Token, Span)>,
    at: usize,
    depth: usize,
    end: usize,
}

impl Parser {
    pub fn new(tokens: Vec<(Token, Span)>, end: usize) -> Self {
        Parser {
            tokens,
            at: 0,
            depth: 0,
            end,
        }
    }

    /// The whole expression; anything left after it is an error.
    pub fn expression(mut self) -> Result<Expr, LogicError> {
        let expr = self.or()?;
        match self.tokens.get(self.at) {
            None => Ok(expr),
            Some((_, span)) => Err(LogicError::new(
                "the condition goes on after it is complete",
                *span,
                "join conditions with `and` or `or`",
            )),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn span_here(&self) -> Span {
        self.tokens
            .get(self.at)
            .map_or(Span::new(self.end, self.end), |(_, s)| *s)
    }

    fn next(&mut self) -> Option<(Token, Span)> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Token::Name(n)) if n == name)
    }

    /// Descends one level, refusing expressions nested deeper than `MAX_DEPTH`.
    fn deeper(&mut self) -> Result<(), LogicError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(LogicError::new(
                format!("the condition is nested more than {MAX_DEPTH} levels deep"),
                self.span_here(),
                "write it flatter: a condition of a survey needs few brackets",
            ));
        }
        Ok(())
    }

    fn binary(left: Expr, operator: &'static str, right: Expr) -> Expr {
        let span = left.span.to(right.span);
        Expr {
            kind: ExprKind::Binary(operator, Box::new(left), Box::new(right)),
            span,
        }
    }

    fn or(&mut self) -> Result<Expr, LogicError> {
        self.deeper()?;
        let mut left = self.and()?;
        while self.is_name("or") {
            self.at += 1;
            let right = self.and()?;
            left = Self::binary(left, "or", right);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, LogicError> {
        let mut left = self.not()?;
        while self.is_name("and") {
            self.at += 1;
            let right = self.not()?;
            left = Self::binary(left, "and", right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, LogicError> {
        if self.is_name("not") {
            let start = self.span_here();
            self.at += 1;
            self.deeper()?;
            let inner = self.not()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, LogicError> {
        let left = self.sum()?;
        if let Some(Token::Operator(op @ ("=" | "!=" | "<" | "<=" | ">" | ">="))) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.sum()?;
            return Ok(Self::binary(left, op, right));
        }
        if self.is_name("in") {
            self.at += 1;
            let (list, end) = self.list()?;
            let span = left.span.to(end);
            return Ok(Expr {
                kind: ExprKind::In(Box::new(left), list),
                span,
            });
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Expr, LogicError> {
        let mut left = self.product()?;
        while let Some(Token::Operator(op @ ("+" | "-"))) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.product()?;
            left = Self::binary(left, op, right);
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, LogicError> {
        let mut left = self.unary()?;
        while let Some(Token::Operator(op @ ("*" | "/"))) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.unary()?;
            left = Self::binary(left, op, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, LogicError> {
        if let Some(Token::Operator("-")) = self.peek() {
            let start = self.span_here();
            self.at += 1;
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Negate(Box::new(inner)),
                span,
            });
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, LogicError> {
        let here = self.span_here();
        let Some((token, span)) = self.next() else {
            return Err(LogicError::new(
                "the condition ends where a value is expected",
                here,
                "finish it with an item id, a number or a \"text\"",
            ));
        };
        let literal = |value| Expr {
            kind: ExprKind::Literal(value),
            span,
        };
        match token {
            Token::Number(n) => Ok(literal(Literal::Number(n))),
            Token::Text(t) => Ok(literal(Literal::Text(t))),
            Token::Open => {
                let inner = self.or()?;
                match self.next() {
                    Some((Token::Close, close)) => Ok(Expr {
                        kind: inner.kind,
                        span: span.to(close),
                    }),
                    _ => Err(LogicError::new(
                        "this bracket is never closed",
                        span,
                        "add the `)` that ends it",
                    )),
                }
            }
            Token::Name(name) => match name.as_str() {
                "true" => Ok(literal(Literal::Bool(true))),
                "false" => Ok(literal(Literal::Bool(false))),
                "and" | "or" | "not" | "in" => Err(LogicError::new(
                    format!("`{name}` needs a condition before it"),
                    span,
                    "write a comparison first, e.g. `q1 = 2`",
                )),
                "param" => {
                    let Some((Token::Dot, _)) = self.next() else {
                        return Err(LogicError::new(
                            "`param` is followed by `.` and the parameter's name",
                            span,
                            "write e.g. `param.panel`",
                        ));
                    };
                    match self.next() {
                        Some((Token::Name(parameter), end)) => Ok(Expr {
                            kind: ExprKind::Param(parameter),
                            span: span.to(end),
                        }),
                        _ => Err(LogicError::new(
                            "`param.` is followed by the parameter's name",
                            span,
                            "write e.g. `param.panel`",
                        )),
                    }
                }
                "answered" | "selected" if matches!(self.peek(), Some(Token::Open)) => {
                    self.call(&name, span)
                }
                _ => Ok(Expr {
                    kind: ExprKind::Item(name),
                    span,
                }),
            },
            other => Err(LogicError::new(
                format!("{} cannot start a value", describe(&other)),
                span,
                "a value is an item id, a number, a \"text\", or a condition in brackets",
            )),
        }
    }

    /// `answered(item)` or `selected(item, code)`.
    fn call(&mut self, name: &str, start: Span) -> Result<Expr, LogicError> {
        self.at += 1; // the `(`
        let item = match self.next() {
            Some((Token::Name(item), item_span)) => (item, item_span),
            _ => {
                return Err(LogicError::new(
                    format!("`{name}(…)` takes an item id"),
                    start,
                    &format!(
                        "write e.g. `{name}(job_offers{})`",
                        if name == "selected" { ", 2" } else { "" }
                    ),
                ));
            }
        };
        let code = if name == "selected" {
            match (self.next(), self.next()) {
                (Some((Token::Comma, _)), Some((Token::Number(n), _))) => Some(Literal::Number(n)),
                (Some((Token::Comma, _)), Some((Token::Text(t), _))) => Some(Literal::Text(t)),
                _ => {
                    return Err(LogicError::new(
                        "`selected(…)` takes an item id and one of its codes",
                        start,
                        "write e.g. `selected(offer_kinds, 2)`",
                    ));
                }
            }
        } else {
            None
        };
        match self.next() {
            Some((Token::Close, end)) => Ok(Expr {
                kind: match code {
                    Some(code) => ExprKind::Selected(item.0, item.1, code),
                    None => ExprKind::Answered(item.0, item.1),
                },
                span: start.to(end),
            }),
            _ => Err(LogicError::new(
                format!("`{name}(` is never closed"),
                start,
                "add the `)` that ends it",
            )),
        }
    }

    /// `[literal, …]`, and the span of its closing bracket.
    fn list(&mut self) -> Result<(Vec<Literal>, Span), LogicError> {
        let start = self.span_here();
        let Some((Token::OpenList, _)) = self.next() else {
            return Err(LogicError::new(
                "`in` is followed by a list in square brackets",
                start,
                "write e.g. `q1 in [1, 2, 3]`",
            ));
        };
        let mut values = Vec::new();
        loop {
            match self.next() {
                Some((Token::Number(n), _)) => values.push(Literal::Number(n)),
                Some((Token::Text(t), _)) => values.push(Literal::Text(t)),
                _ => {
                    return Err(LogicError::new(
                        "a list holds numbers or \"texts\", separated by commas",
                        start,
                        "write e.g. `q1 in [1, 2, 3]`",
                    ));
                }
            }
            match self.next() {
                Some((Token::Comma, _)) => continue,
                Some((Token::CloseList, end)) => return Ok((values, end)),
                _ => {
                    return Err(LogicError::new(
                        "this list is never closed",
                        start,
                        "end it with `]`",
                    ));
                }
            }
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Operator(op) => format!("`{op}`"),
        Token::Close => "`)`".to_string(),
        Token::OpenList => "`[`".to_string(),
        Token::CloseList => "`]`".to_string(),
        Token::Comma => "`,`".to_string(),
        Token::Dot => "`.`".to_string(),
        _ => "this".to_string(),
    }
}

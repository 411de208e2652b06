//! The tokens of a condition: numbers, quoted strings, names, operators and brackets, each with
//! its byte span in the expression so that a problem can be shown with a caret under it.

use super::{LogicError, Span};

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Number(f64),
    Text(String),
    Name(String),
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `/`.
    Operator(&'static str),
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Dot,
}

/// The tokens of `text`, or the first character that cannot start one.
pub fn tokens(text: &str) -> Result<Vec<(Token, Span)>, LogicError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let c = bytes[at];
        let start = at;
        let single = |token: Token| (token, Span::new(start, start + 1));
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            b'(' => out.push(single(Token::Open)),
            b')' => out.push(single(Token::Close)),
            b'[' => out.push(single(Token::OpenList)),
            b']' => out.push(single(Token::CloseList)),
            b',' => out.push(single(Token::Comma)),
            b'.' if !bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                out.push(single(Token::Dot))
            }
            b'+' => out.push(single(Token::Operator("+"))),
            b'-' => out.push(single(Token::Operator("-"))),
            b'*' => out.push(single(Token::Operator("*"))),
            b'/' => out.push(single(Token::Operator("/"))),
            b'=' => {
                // `==` is accepted as `=`, as people write both.
                let end = if bytes.get(at + 1) == Some(&b'=') {
                    at + 2
                } else {
                    at + 1
                };
                out.push((Token::Operator("="), Span::new(start, end)));
                at = end;
                continue;
            }
            b'!' | b'<' | b'>' => {
                let equals = bytes.get(at + 1) == Some(&b'=');
                let operator = match (c, equals) {
                    (b'!', true) => "!=",
                    (b'<', true) => "<=",
                    (b'>', true) => ">=",
                    (b'<', false) => "<",
                    (b'>', false) => ">",
                    _ => {
                        return Err(LogicError::new(
                            "`!` alone is not an operator",
                            Span::new(start, start + 1),
                            "write `!=` for \"not equal\", or `not` before a condition",
                        ));
                    }
                };
                let end = start + if equals { 2 } else { 1 };
                out.push((Token::Operator(operator), Span::new(start, end)));
                at = end;
                continue;
            }
            b'"' | b'\'' => {
                let quote = c;
                let Some(length) = bytes[at + 1..].iter().position(|&b| b == quote) else {
                    return Err(LogicError::new(
                        "this text has no closing quote",
                        Span::new(start, bytes.len()),
                        "end the text with the quote it starts with",
                    ));
                };
                let end = at + 1 + length;
                out.push((
                    Token::Text(text[at + 1..end].to_string()),
                    Span::new(start, end + 1),
                ));
                at = end + 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                let end = at
                    + bytes[at..]
                        .iter()
                        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
                        .unwrap_or(bytes.len() - at);
                // A letter right after the digits (`1e6`, `2x`) is not part of any number.
                if bytes
                    .get(end)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                {
                    let word_end = end
                        + bytes[end..]
                            .iter()
                            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                            .unwrap_or(bytes.len() - end);
                    return Err(LogicError::new(
                        format!("`{}` is not a number", &text[start..word_end]),
                        Span::new(start, word_end),
                        "write numbers in digits, without exponents or units, e.g. `1000000` (at most 1e15)",
                    ));
                }
                let span = Span::new(start, end);
                let number: f64 = text[start..end].parse().map_err(|_| {
                    LogicError::new(
                        format!("`{}` is not a number", &text[start..end]),
                        span,
                        "write a number with at most one decimal point, e.g. `2.5`",
                    )
                })?;
                if !number.is_finite() || number.abs() > 1e15 {
                    return Err(LogicError::new(
                        format!("`{}` is too large a number", &text[start..end]),
                        span,
                        "conditions compare answers; no answer needs more than 15 digits (1e15)",
                    ));
                }
                out.push((Token::Number(number), span));
                at = end;
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = at
                    + bytes[at..]
                        .iter()
                        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                        .unwrap_or(bytes.len() - at);
                out.push((
                    Token::Name(text[start..end].to_string()),
                    Span::new(start, end),
                ));
                at = end;
                continue;
            }
            _ => {
                let width = text[at..].chars().next().map_or(1, char::len_utf8);
                return Err(LogicError::new(
                    format!("`{}` cannot stand in a condition", &text[at..at + width]),
                    Span::new(start, start + width),
                    "conditions use item ids, numbers, \"texts\", = != < <= > >=, + - * /, and, or, not, in [..], answered(q) and selected(q, code)",
                ));
            }
        }
        at += 1;
    }
    Ok(out)
}

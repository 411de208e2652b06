//! Piped text: `{item_id}` in a participant-facing text shows an earlier answer and
//! `{param.name}` a session parameter; `{{` and `}}` are literal braces. Parsed into segments
//! with spans, checked against the items the text may read, and filled in from the answers.

use super::check::Scope;
use super::{LogicError, Span};
use crate::diagnostic::did_you_mean;

/// The most placeholders one text may hold.
pub const MAX_PLACEHOLDERS: usize = 50;

/// A piece of a piped text.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Text(String),
    /// An item's answer, with the span of its name.
    Item(String, Span),
    /// A session parameter, with the span of its name.
    Param(String, Span),
}

/// The segments of `text`; an unclosed or empty placeholder is an error with its span.
pub fn parse_template(text: &str) -> Result<Vec<Segment>, LogicError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    let mut placeholders = 0;
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|(_, next)| *next == '}') => {
                chars.next();
                literal.push('}');
            }
            '}' => {
                return Err(LogicError::new(
                    "this `}` closes no placeholder",
                    Span::new(at, at + 1),
                    "write `}}` for a brace in the text",
                ));
            }
            '{' => {
                let Some(length) = text[at + 1..].find('}') else {
                    return Err(LogicError::new(
                        "this placeholder is never closed",
                        Span::new(at, text.len()),
                        "end it with `}`, or write `{{` for a brace in the text",
                    ));
                };
                let name = &text[at + 1..at + 1 + length];
                let span = Span::new(at + 1, at + 1 + length);
                let valid = |s: &str| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                };
                let segment = match name.strip_prefix("param.") {
                    Some(parameter) if valid(parameter) => {
                        Segment::Param(parameter.to_string(), span)
                    }
                    None if valid(name) => Segment::Item(name.to_string(), span),
                    _ => {
                        return Err(LogicError::new(
                            format!("`{{{name}}}` names no item or parameter"),
                            Span::new(at, at + length + 2),
                            "write an item id, e.g. `{job_offers}`, or `{param.name}`; `{{` for a brace",
                        ));
                    }
                };
                placeholders += 1;
                if placeholders > MAX_PLACEHOLDERS {
                    return Err(LogicError::new(
                        format!("the text has more than {MAX_PLACEHOLDERS} placeholders"),
                        span,
                        "pipe fewer answers into one text",
                    ));
                }
                if !literal.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut literal)));
                }
                segments.push(segment);
                // Skip the placeholder's characters and its closing brace.
                while chars.peek().is_some_and(|(i, _)| *i <= at + 1 + length) {
                    chars.next();
                }
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Text(literal));
    }
    Ok(segments)
}

/// A problem of a piped text: its code, message, span and hint.
pub type PipingProblem = super::Problem;

/// Every item a text pipes that is unknown or not asked before it.
pub fn check_template(segments: &[Segment], scope: &dyn Scope) -> Vec<PipingProblem> {
    let mut problems = Vec::new();
    for segment in segments {
        let Segment::Item(id, span) = segment else {
            continue;
        };
        match scope.item(id) {
            Some((_, true)) => {}
            Some((_, false)) => problems.push(PipingProblem {
                code: "later-item",
                message: format!(
                    "`{id}` is asked here or later, so its answer cannot be shown yet"
                ),
                span: *span,
                hint: "pipe only answers given before this text".to_string(),
            }),
            None => {
                let ids = scope.ids();
                problems.push(PipingProblem {
                    code: "unknown-item",
                    message: format!("no item is named `{id}`"),
                    span: *span,
                    hint: match did_you_mean(id, ids.iter().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "name an item of the survey by its id".to_string(),
                    },
                });
            }
        }
    }
    problems
}

/// The text with each placeholder filled in by `show` (an item's answer as the participant
/// gave it: a label for a coded answer) or the parameter's value; an answer not given, or a
/// parameter not set, shows as `missing`. The caller escapes the result for HTML.
pub fn fill(
    segments: &[Segment],
    show: &dyn Fn(&str) -> Option<String>,
    parameter: &dyn Fn(&str) -> Option<String>,
    missing: &str,
) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Item(id, _) => out.push_str(&show(id).unwrap_or_else(|| missing.to_string())),
            Segment::Param(name, _) => {
                out.push_str(&parameter(name).unwrap_or_else(|| missing.to_string()))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::ItemKind;

    struct Before;

    impl Scope for Before {
        fn item(&self, id: &str) -> Option<(ItemKind, bool)> {
            match id {
                "job_offers" => Some((ItemKind::Number, true)),
                "later" => Some((ItemKind::Number, false)),
                _ => None,
            }
        }
        fn ids(&self) -> Vec<String> {
            vec!["job_offers".into(), "later".into()]
        }
    }

    #[test]
    fn placeholders_fill_in_answers_and_parameters_and_braces_stay_text() {
        let segments = parse_template("You had {job_offers} offers {{really}} in {param.wave}.")
            .expect("parses");
        let show = |id: &str| (id == "job_offers").then(|| "3".to_string());
        let parameter = |name: &str| (name == "wave").then(|| "2".to_string());
        assert_eq!(
            fill(&segments, &show, &parameter, "—"),
            "You had 3 offers {really} in 2."
        );
        let nothing = |_: &str| None;
        assert_eq!(
            fill(&segments, &nothing, &nothing, "—"),
            "You had — offers {really} in —."
        );
        assert!(check_template(&segments, &Before).is_empty());
    }

    #[test]
    fn bad_placeholders_are_errors_with_their_span() {
        let cases: &[(&str, &str, (usize, usize))] = &[
            ("Hello {name", "this placeholder is never closed", (6, 11)),
            ("a } b", "this `}` closes no placeholder", (2, 3)),
            ("x {} y", "`{}` names no item or parameter", (2, 4)),
            (
                "x {two words} y",
                "`{two words}` names no item or parameter",
                (2, 13),
            ),
            (
                "x {param.} y",
                "`{param.}` names no item or parameter",
                (2, 10),
            ),
        ];
        for (text, message, (start, end)) in cases {
            let error = parse_template(text).expect_err(text);
            assert_eq!(error.message, *message, "`{text}`");
            assert_eq!(
                (error.span.start, error.span.end),
                (*start, *end),
                "`{text}`"
            );
        }
        let many = "{a}".repeat(MAX_PLACEHOLDERS + 1);
        assert!(parse_template(&many).is_err());
    }

    #[test]
    fn piped_items_must_be_known_and_asked_before() {
        let segments = parse_template("{job_ofers} and {later}").expect("parses");
        let problems = check_template(&segments, &Before);
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["unknown-item", "later-item"]);
        assert_eq!(problems[0].hint, "did you mean `job_offers`?");
        assert_eq!((problems[0].span.start, problems[0].span.end), (1, 10));
    }
}

//! A plan's source: parsing its YAML into a `Plan` with the located tree that places its
//! diagnostics, and telling a plan from an instrument.

use super::Plan;
use super::schema::plan_schema;
use kith_instrument::diagnostic::{Diagnostic, DocPath, Severity, Span};
use kith_instrument::document::nearest_node;
use kith_instrument::located::{self, Node};
use kith_instrument::schema::walk_with;

/// The plan's text and its located tree, for placing diagnostics.
#[derive(Debug, Clone)]
pub struct PlanSource {
    pub name: String,
    root: Option<Node>,
}

impl PlanSource {
    /// A diagnostic at a path of the plan, placed at the nearest node that exists.
    pub fn diagnostic(
        &self,
        severity: Severity,
        code: &'static str,
        message: String,
        path: &DocPath,
        hint: Option<String>,
    ) -> Diagnostic {
        let (span, value) = match &self.root {
            Some(root) => {
                let (node, exact) = nearest_node(root, path);
                let value = exact.then(|| node.as_text().map(str::to_string)).flatten();
                (node.span, value)
            }
            None => (Span { line: 1, column: 1 }, None),
        };
        Diagnostic {
            severity,
            code,
            message,
            file: self.name.clone(),
            line: span.line,
            column: span.column,
            path: path.to_string(),
            value,
            hint,
        }
    }

    pub(super) fn error(
        &self,
        code: &'static str,
        message: String,
        path: &DocPath,
        hint: &str,
    ) -> Diagnostic {
        let hint = (!hint.is_empty()).then(|| hint.to_string());
        self.diagnostic(Severity::Error, code, message, path, hint)
    }

    pub(super) fn warning(
        &self,
        code: &'static str,
        message: String,
        path: &DocPath,
        hint: &str,
    ) -> Diagnostic {
        let hint = (!hint.is_empty()).then(|| hint.to_string());
        self.diagnostic(Severity::Warning, code, message, path, hint)
    }
}

/// Whether a YAML text is an analysis plan: `kind: plan`, or no kind and a `data` key.
///
/// The located tree decides, not serde: a value serde cannot read (a seed of 2^64) must not
/// turn a plan into an instrument with a misleading message.
pub fn looks_like_plan(text: &str) -> bool {
    let Ok(Some(root)) = located::parse(text) else {
        // A plan with a YAML error is still reported as a plan when it says so.
        return text.lines().any(|line| line.trim() == "kind: plan");
    };
    match root.get("kind").map(|kind| &kind.value) {
        Some(located::NodeValue::Scalar(kind)) => kind.text == "plan",
        Some(_) => false,
        None => root.get("data").is_some(),
    }
}

/// serde's wording of a type mismatch, in the words of kith's messages.
fn plain_words(message: &str) -> String {
    const TYPES: [(&str, &str); 7] = [
        (" as u128", ""),
        (
            "expected u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        ("expected usize", "expected a whole number of 0 or more"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected f64", "expected a number"),
        (
            "expected a sequence",
            "expected a list (`[a, b]` or lines starting with `- `)",
        ),
        ("expected a map", "expected a map (`key: value` lines)"),
    ];
    let mut out = message.to_string();
    for (serde, plain) in TYPES {
        out = out.replace(serde, plain);
    }
    out
}

/// Parses a plan; syntax and shape errors come back as diagnostics.
pub fn parse_plan(name: &str, text: &str) -> Result<(Plan, PlanSource), Vec<Diagnostic>> {
    let root = match located::parse(text) {
        Ok(root) => root,
        Err(errors) => {
            return Err(errors
                .into_iter()
                .map(|e| Diagnostic {
                    severity: Severity::Error,
                    code: if e.code == "alias-limit" || e.code == "nesting-limit" {
                        e.code
                    } else {
                        "yaml-syntax"
                    },
                    hint: Some(if e.code == "alias-limit" || e.code == "nesting-limit" {
                        e.hint().to_string()
                    } else {
                        "fix the YAML syntax; indentation must use spaces".to_string()
                    }),
                    message: e.message.clone(),
                    file: name.to_string(),
                    line: e.span.line,
                    column: e.span.column,
                    path: DocPath::root().to_string(),
                    value: None,
                })
                .collect());
        }
    };
    // The keys and types first, by the walk every kith file gets: an unknown key is named with
    // a "did you mean", a wrong type with what the key takes, all of them in one run.
    if let Some(tree) = &root {
        let walked = walk_with(tree, &plan_schema());
        let errors: Vec<Diagnostic> = walked
            .problems
            .into_iter()
            .filter(|problem| problem.severity == Severity::Error)
            .map(|problem| Diagnostic {
                severity: problem.severity,
                code: problem.code,
                message: problem.message,
                file: name.to_string(),
                line: problem.span.line,
                column: problem.span.column,
                path: problem.path.to_string(),
                value: problem.value,
                hint: problem.hint,
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    let source = PlanSource {
        name: name.to_string(),
        root,
    };
    match serde_yaml::from_str::<Plan>(text) {
        Ok(plan) => {
            if let Some(kind) = plan.kind.as_deref().filter(|k| *k != "plan") {
                return Err(vec![source.error(
                    "wrong-kind",
                    format!("`kind: {kind}` is not an analysis plan"),
                    &DocPath::root().key("kind"),
                    "an analysis plan has `kind: plan` (or no kind)",
                )]);
            }
            Ok((plan, source))
        }
        Err(error) => {
            let span = error
                .location()
                .map(|l| Span {
                    line: l.line(),
                    column: l.column(),
                })
                .unwrap_or(Span { line: 1, column: 1 });
            let message = error.to_string();
            let message = plain_words(message.split(" at line ").next().unwrap_or(&message));
            Err(vec![Diagnostic {
                severity: Severity::Error,
                code: "invalid-plan",
                message,
                file: name.to_string(),
                line: span.line,
                column: span.column,
                path: DocPath::root().to_string(),
                value: None,
                hint: Some(
                    "see docs/analysis.md for the keys of a plan and what each takes".to_string(),
                ),
            }])
        }
    }
}

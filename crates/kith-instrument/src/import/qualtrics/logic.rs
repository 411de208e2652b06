//! Qualtrics display, skip and branch logic as kith conditions: the numbered sets of
//! expressions (`And` binding tighter than `Or`, as Qualtrics' editor evaluates them) read into
//! a small tree, each expression on a question's answer turned into a test of its kith item,
//! and everything kith's language cannot say refused with the reason.

use super::address::{AnswerKind, Columns, Registry, is_plain_question, locator};
use super::read::{entries, field};
use super::text::number;
use serde_json::{Map, Value};

/// A condition in kith's language, kept as a tree until it is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cond {
    /// One test: its text, the items it reads, and whether it is a call (`selected(…)`,
    /// `answered(…)`) rather than a comparison, which `not` must bracket.
    Test {
        text: String,
        items: Vec<String>,
        call: bool,
    },
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

/// Why a Qualtrics condition is not converted.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Refusal {
    /// kith's language cannot say it; the reason, for the list of what was left out.
    Inexpressible(String),
    /// The file refers to something it does not have (a choice a question lacks).
    Broken(String),
}

type Converted = Result<Cond, Refusal>;

fn refuse(reason: impl Into<String>) -> Converted {
    Err(Refusal::Inexpressible(reason.into()))
}

/// The most expressions one Qualtrics condition may have.
const MAX_EXPRESSIONS: usize = 100;

impl Cond {
    fn test(text: String, item: &str, call: bool) -> Cond {
        Cond::Test {
            text,
            items: vec![item.to_string()],
            call,
        }
    }

    /// The negation, without a double `not`.
    pub(super) fn negated(self) -> Cond {
        match self {
            Cond::Not(inner) => *inner,
            other => Cond::Not(Box::new(other)),
        }
    }

    /// All of `parts` (one part alone stays itself); `None` for none.
    pub(super) fn all(parts: Vec<Cond>) -> Option<Cond> {
        Self::joined(parts, true)
    }

    /// Any of `parts` (one part alone stays itself); `None` for none.
    pub(super) fn any(parts: Vec<Cond>) -> Option<Cond> {
        Self::joined(parts, false)
    }

    fn joined(parts: Vec<Cond>, all: bool) -> Option<Cond> {
        let mut flat = Vec::new();
        for part in parts {
            match (part, all) {
                (Cond::All(inner), true) | (Cond::Any(inner), false) => flat.extend(inner),
                (other, _) => flat.push(other),
            }
        }
        match flat.len() {
            0 => None,
            1 => flat.pop(),
            _ if all => Some(Cond::All(flat)),
            _ => Some(Cond::Any(flat)),
        }
    }

    /// Every item the condition reads.
    pub(super) fn items(&self) -> Vec<&str> {
        match self {
            Cond::Test { items, .. } => items.iter().map(String::as_str).collect(),
            Cond::Not(inner) => inner.items(),
            Cond::All(parts) | Cond::Any(parts) => parts.iter().flat_map(Cond::items).collect(),
        }
    }

    /// The condition in kith's syntax, with brackets only where precedence needs them.
    pub(super) fn render(&self) -> String {
        self.render_in(Context::Top)
    }

    fn render_in(&self, context: Context) -> String {
        match self {
            Cond::Test { text, call, .. } => {
                if context == Context::Not && !call {
                    format!("({text})")
                } else {
                    text.clone()
                }
            }
            Cond::Not(inner) => format!("not {}", inner.render_in(Context::Not)),
            Cond::All(parts) => {
                let text = join(parts, " and ", Context::And);
                if context == Context::Not {
                    format!("({text})")
                } else {
                    text
                }
            }
            Cond::Any(parts) => {
                let text = join(parts, " or ", Context::Or);
                if matches!(context, Context::And | Context::Not) {
                    format!("({text})")
                } else {
                    text
                }
            }
        }
    }
}

fn join(parts: &[Cond], separator: &str, context: Context) -> String {
    parts
        .iter()
        .map(|part| part.render_in(context))
        .collect::<Vec<_>>()
        .join(separator)
}

/// What a condition is written inside of.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    Top,
    And,
    Or,
    Not,
}

/// A Qualtrics `BooleanExpression` (display logic, branch logic) as a kith condition.
pub(super) fn condition(logic: &Value, registry: &Registry) -> Converted {
    let Some(object) = logic.as_object() else {
        return refuse("the logic cannot be read");
    };
    let mut sets = Vec::new();
    let mut count = 0;
    for (key, set) in entries(logic) {
        if key.parse::<u64>().is_err() {
            continue;
        }
        let Some(set_object) = set.as_object() else {
            continue;
        };
        let mut parts = Vec::new();
        let mut set_conjunction = field(set_object, "Conjuction");
        for (index, (key, expression)) in entries(set).into_iter().enumerate() {
            if key.parse::<u64>().is_err() {
                continue;
            }
            count += 1;
            if count > MAX_EXPRESSIONS {
                return refuse(format!("it has more than {MAX_EXPRESSIONS} conditions"));
            }
            let Some(expression) = expression.as_object() else {
                return refuse("one of its conditions cannot be read");
            };
            // Qualtrics spells the key "Conjuction"; the first expression of a set may carry
            // the set's own conjunction.
            let conjunction = field(expression, "Conjuction");
            if index == 0 && set_conjunction.is_none() {
                set_conjunction = conjunction.clone();
            }
            parts.push((conjunction, expression_condition(expression, registry)?));
        }
        if let Some(joined) = and_or(parts) {
            sets.push((set_conjunction, joined));
        }
    }
    if object.is_empty() || sets.is_empty() {
        return refuse("the logic has no conditions");
    }
    and_or(sets).map_or_else(|| refuse("the logic has no conditions"), Ok)
}

/// Joins parts by their conjunctions (the first part's is ignored), `and` before `or`.
fn and_or(parts: Vec<(Option<String>, Cond)>) -> Option<Cond> {
    let mut groups: Vec<Vec<Cond>> = vec![Vec::new()];
    for (index, (conjunction, part)) in parts.into_iter().enumerate() {
        let or = conjunction.is_some_and(|c| c.eq_ignore_ascii_case("or"));
        if index > 0 && or {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push(part);
        }
    }
    Cond::any(groups.into_iter().filter_map(Cond::all).collect())
}

/// A skip-logic entry's condition (`Condition` on `ChoiceLocator`) as a kith condition.
pub(super) fn skip_condition(skip: &Map<String, Value>, registry: &Registry) -> Converted {
    let mut expression = Map::new();
    expression.insert("LogicType".to_string(), Value::from("Question"));
    let operator = field(skip, "Condition").unwrap_or_default();
    expression.insert("Operator".to_string(), Value::from(operator));
    let locator = field(skip, "ChoiceLocator")
        .or_else(|| field(skip, "Locator"))
        .unwrap_or_default();
    expression.insert("LeftOperand".to_string(), Value::from(locator.clone()));
    expression.insert("ChoiceLocator".to_string(), Value::from(locator));
    if let Some(right) = skip.get("RightOperand") {
        expression.insert("RightOperand".to_string(), right.clone());
    }
    expression_condition(&expression, registry)
}

fn expression_condition(expression: &Map<String, Value>, registry: &Registry) -> Converted {
    let kind = field(expression, "LogicType").unwrap_or_default();
    match kind.as_str() {
        "Question" => question_condition(expression, registry),
        "EmbeddedField" => {
            let name = field(expression, "LeftOperand").unwrap_or_default();
            let name = name.trim_start_matches("e://Field/");
            refuse(format!(
                "it tests the embedded data field `{name}`; kith keeps no embedded data (a value passed in the link is `param.{name}` in kith's conditions)"
            ))
        }
        "PanelData" | "Panel" | "ContactList" => {
            refuse("it tests contact-list data, which kith does not have")
        }
        "GeoIP" => refuse("it tests the respondent's location, which kith does not record"),
        "DeviceType" => refuse("it tests the respondent's device, which kith does not record"),
        "Quota" => refuse("it tests a quota; kith has no quotas"),
        "LoopAndMerge" | "LoopAndMergeField" => {
            refuse("it tests a loop & merge field; kith has no loops")
        }
        "ScoringCategory" | "Score" => {
            refuse("it tests a Qualtrics score, which kith does not compute while a survey runs")
        }
        "" => refuse("one of its conditions has no type"),
        other => refuse(format!(
            "it is a `{other}` condition, which kith has no equivalent of"
        )),
    }
}

fn question_condition(expression: &Map<String, Value>, registry: &Registry) -> Converted {
    if field(expression, "QuestionIsInLoop").is_some_and(|loop_| loop_ == "yes") {
        return refuse("it reads a question inside a loop; kith has no loops");
    }
    let operator = field(expression, "Operator").unwrap_or_default();
    // `LeftOperand` says what is tested (`ChoiceDisplayed` for "is displayed"), where
    // `ChoiceLocator` only names the choice.
    let place = field(expression, "LeftOperand")
        .filter(|left| left.starts_with("q://"))
        .or_else(|| field(expression, "ChoiceLocator"))
        .unwrap_or_default();
    let Some(found) = locator(&place) else {
        return refuse(format!("its reference `{place}` cannot be read"));
    };
    if operator == "Displayed"
        || operator == "NotDisplayed"
        || found.part.ends_with("Displayed")
        || found.part == "DisplayableQuestion"
    {
        return refuse(
            "it tests whether a question or an option was displayed, which kith's conditions cannot",
        );
    }
    if !is_plain_question(found.question) {
        return refuse("it reads a side-by-side or looped question, which is not converted");
    }
    let Some(columns) = registry.get(found.question) else {
        return refuse(format!(
            "it reads {}, which is not converted",
            found.question
        ));
    };
    let question = found.question;
    let right = field(expression, "RightOperand");
    let compared = |item: &super::address::Answer| compare(item, &operator, right.as_deref());
    match (found.part, found.first, found.second) {
        ("SelectableChoice", Some(row), Some(answer)) => {
            let item = row_item(columns, question, row)?;
            let code = answer_code(columns, question, answer)?;
            selection(item, code, &operator)
        }
        ("SelectableChoice", Some(choice), None) => {
            let Some(item) = &columns.whole else {
                return refuse(format!("{question} is not a choice question in kith"));
            };
            let Some(&code) = columns.choice_codes.get(choice) else {
                return Err(Refusal::Broken(format!(
                    "refers to choice `{choice}` of {question}, which {question} does not have"
                )));
            };
            selection(item, code, &operator)
        }
        ("SelectedChoicesRecode", None, None) => match &columns.whole {
            Some(item) if matches!(item.kind, AnswerKind::Coded(_)) => compared(item),
            _ => refuse(format!(
                "it compares the codes of several answers of {question}"
            )),
        },
        ("SelectedAnswerRecode", Some(row), None) => compared(row_item(columns, question, row)?),
        ("ChoiceTextEntryValue", None, None) => match &columns.whole {
            Some(item) => compared(item),
            None => refuse(format!("{question} has no single text answer in kith")),
        },
        ("ChoiceTextEntryValue", Some(choice), None) => match columns.texts.get(choice) {
            Some(id) => compared(&super::address::Answer {
                id: id.clone(),
                kind: AnswerKind::Text,
            }),
            None => compared(row_item(columns, question, choice)?),
        },
        ("ChoiceNumericEntryValue", Some(row), None) => compared(row_item(columns, question, row)?),
        (part, _, _) => refuse(format!(
            "it reads `{part}` of {question}, which kith's conditions cannot"
        )),
    }
}

fn row_item<'c>(
    columns: &'c Columns,
    question: &str,
    row: &str,
) -> Result<&'c super::address::Answer, Refusal> {
    columns.rows.get(row).ok_or_else(|| {
        Refusal::Broken(format!(
            "refers to row `{row}` of {question}, which {question} does not have"
        ))
    })
}

fn answer_code(columns: &Columns, question: &str, answer: &str) -> Result<i64, Refusal> {
    if let Some(&code) = columns.answer_codes.get(answer) {
        return Ok(code);
    }
    if columns.missing_answers.contains(answer) {
        return Err(Refusal::Inexpressible(format!(
            "it tests scale point `{answer}` of {question}, which kith reads as a missing answer"
        )));
    }
    Err(Refusal::Broken(format!(
        "refers to scale point `{answer}` of {question}, which {question} does not have"
    )))
}

/// "Selected" or "Not Selected" of one code of an item.
fn selection(item: &super::address::Answer, code: i64, operator: &str) -> Converted {
    let test = match item.kind {
        AnswerKind::Multiple => {
            Cond::test(format!("selected({}, {code})", item.id), &item.id, true)
        }
        AnswerKind::Coded(_) => Cond::test(format!("{} = {code}", item.id), &item.id, false),
        AnswerKind::Number | AnswerKind::Text => {
            return refuse(format!("`{}` has no choices in kith", item.id));
        }
    };
    match operator {
        "Selected" => Ok(test),
        // Qualtrics' "Not Selected" holds for an unanswered question too, as `not` does.
        "NotSelected" => Ok(test.negated()),
        other => refuse(format!("its operator `{other}` does not apply to a choice")),
    }
}

/// A comparison of an item's answer with Qualtrics' right operand.
fn compare(item: &super::address::Answer, operator: &str, right: Option<&str>) -> Converted {
    let id = &item.id;
    let answered = Cond::test(format!("answered({id})"), id, true);
    match operator {
        "Empty" => return Ok(answered.negated()),
        "NotEmpty" => return Ok(answered),
        _ => {}
    }
    let symbol = match operator {
        "EqualTo" | "NotEqualTo" => "=",
        "GreaterThan" => ">",
        "GreaterThanOrEqual" => ">=",
        "LessThan" => "<",
        "LessThanOrEqual" => "<=",
        other => return refuse(format!("its operator `{other}` has no kith equivalent")),
    };
    let right = right.map(str::trim).unwrap_or_default();
    if right.is_empty() {
        return refuse("it compares with an empty value");
    }
    let value = match (&item.kind, plain_number(right)) {
        (AnswerKind::Multiple, _) => {
            return refuse(format!(
                "it compares `{id}`, a multiple-choice answer, with a value"
            ));
        }
        (AnswerKind::Coded(codes), Some(value)) => {
            if symbol == "=" && !codes.iter().any(|&code| code as f64 == value) {
                return refuse(format!(
                    "it compares `{id}` with {right}, which is none of its codes"
                ));
            }
            number(value)
        }
        (AnswerKind::Number, Some(value)) => number(value),
        (AnswerKind::Text, _) if symbol == "=" => quoted(right).ok_or_else(|| {
            Refusal::Inexpressible("the text it compares with has both kinds of quotes".to_string())
        })?,
        (AnswerKind::Text, _) => {
            return refuse(format!(
                "it compares the text typed into `{id}` as a number; kith compares texts only for equality"
            ));
        }
        (_, None) => return refuse(format!("it compares the number `{id}` with `{right}`")),
    };
    let test = Cond::test(format!("{id} {symbol} {value}"), id, false);
    // "Not Equal To" holds for an unanswered question in Qualtrics; `!=` would not in kith.
    Ok(if operator == "NotEqualTo" {
        test.negated()
    } else {
        test
    })
}

/// A number as kith's conditions read it: digits with at most one decimal point, at most 1e15.
fn plain_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    let value: f64 = text.parse().ok()?;
    (valid && value.is_finite() && value.abs() <= 1e15).then_some(value)
}

fn quoted(text: &str) -> Option<String> {
    if !text.contains('"') {
        Some(format!("\"{text}\""))
    } else if !text.contains('\'') {
        Some(format!("'{text}'"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test(text: &str) -> Cond {
        Cond::test(text.to_string(), "q", !text.contains(' '))
    }

    #[test]
    fn conditions_render_with_the_brackets_precedence_needs() {
        let any = Cond::any(vec![test("a = 1"), test("b = 2")]);
        let all = Cond::all(vec![test("c = 3"), any.clone().unwrap_or(test("x"))]);
        assert_eq!(
            all.map(|c| c.render()).as_deref(),
            Some("c = 3 and (a = 1 or b = 2)")
        );
        assert_eq!(test("a = 1").negated().render(), "not (a = 1)");
        assert_eq!(test("answered(a)").negated().render(), "not answered(a)");
        assert_eq!(test("a = 1").negated().negated().render(), "a = 1");
        assert_eq!(
            any.map(|c| c.negated().render()).as_deref(),
            Some("not (a = 1 or b = 2)")
        );
    }
}

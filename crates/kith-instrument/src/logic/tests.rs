//! The expression language by example: what parses and what each expression is worth on
//! given answers, every checker problem, and hostile inputs refused or defined.

use super::*;
use std::collections::BTreeMap;

/// Answers and parameters held in maps.
#[derive(Default)]
struct Given {
    answers: BTreeMap<&'static str, Answer>,
    parameters: BTreeMap<&'static str, &'static str>,
}

impl Answers for Given {
    fn answer(&self, item: &str) -> Option<Answer> {
        self.answers.get(item).cloned()
    }
    fn parameter(&self, name: &str) -> Option<String> {
        self.parameters.get(name).map(|s| s.to_string())
    }
}

fn given() -> Given {
    let mut g = Given::default();
    g.answers.insert("employed", Answer::Number(1.0));
    g.answers.insert("age", Answer::Number(40.0));
    g.answers.insert("tenure", Answer::Number(12.0));
    g.answers.insert("job_offers", Answer::Number(0.0));
    g.answers.insert("name", Answer::Text("Ada".into()));
    g.answers.insert("kinds", Answer::Choices(vec![1.0, 3.0]));
    g.parameters.insert("panel", "b");
    g.parameters.insert("wave", "2");
    g
}

/// Each expression's value on `given()`.
fn check_values(cases: &[(&str, Value)]) {
    let answers = given();
    for (text, expected) in cases {
        let expr = parse(text).unwrap_or_else(|e| panic!("`{text}` parses: {e:?}"));
        assert_eq!(&evaluate(&expr, &answers), expected, "`{text}`");
    }
}

#[test]
fn expressions_evaluate_on_the_answers_so_far() {
    use Value::{Bool, Missing, Number};
    check_values(&[
        ("employed = 1", Bool(true)),
        ("employed == 1", Bool(true)),
        ("employed != 1", Bool(false)),
        ("tenure <= age - 14", Bool(true)),
        ("tenure > age - 14", Bool(false)),
        ("(age - tenure) * 2 / 4", Number(14.0)),
        ("-age + 50", Number(10.0)),
        ("name = \"Ada\" and not (job_offers > 0)", Bool(true)),
        ("job_offers > 0 or employed in [1, 2]", Bool(true)),
        ("selected(kinds, 3) and not selected(kinds, 2)", Bool(true)),
        ("answered(age) and answered(kinds)", Bool(true)),
        ("param.panel = 'b' and param.wave >= 2", Bool(true)),
        ("age / 0", Missing),
        ("true or false", Bool(true)),
    ]);
}

#[test]
fn a_missing_answer_makes_every_comparison_false_and_never_fails() {
    use Value::{Bool, Missing};
    check_values(&[
        ("salary = 1", Bool(false)),
        ("salary != 1", Bool(false)),
        ("salary > 0", Bool(false)),
        ("not (salary = 1)", Bool(true)),
        ("salary + 1", Missing),
        ("salary in [1, 2]", Bool(false)),
        ("answered(salary)", Bool(false)),
        ("selected(salary, 1)", Bool(false)),
        ("param.missing = 'x'", Bool(false)),
        ("answered(salary) or employed = 1", Bool(true)),
    ]);
    // A condition that is not true or false does not hold.
    let answers = given();
    assert!(!holds(
        &parse("salary + 1").unwrap_or_else(|e| panic!("{e:?}")),
        &answers
    ));
}

/// Each text and the message and span of its syntax error.
#[test]
fn syntax_errors_name_the_offending_part() {
    let cases: &[(&str, &str, (usize, usize))] = &[
        ("", "the condition is empty", (0, 0)),
        (
            "q1 =",
            "the condition ends where a value is expected",
            (4, 4),
        ),
        (
            "q1 = 2 q2",
            "the condition goes on after it is complete",
            (7, 9),
        ),
        ("(q1 = 2", "this bracket is never closed", (0, 1)),
        ("q1 = 'two", "this text has no closing quote", (5, 9)),
        ("q1 ! 2", "`!` alone is not an operator", (3, 4)),
        ("q1 = 2 & q2 = 1", "`&` cannot stand in a condition", (7, 8)),
        (
            "q1 in 1",
            "`in` is followed by a list in square brackets",
            (6, 7),
        ),
        ("and q1", "`and` needs a condition before it", (0, 3)),
        ("q1 = 1.2.3", "`1.2.3` is not a number", (5, 10)),
        ("q1 = 1e400", "`1e400` is not a number", (5, 10)),
        (
            "q1 = 99999999999999999",
            "`99999999999999999` is too large a number",
            (5, 22),
        ),
        (
            "param",
            "`param` is followed by `.` and the parameter's name",
            (0, 5),
        ),
        (
            "selected(kinds)",
            "`selected(…)` takes an item id and one of its codes",
            (0, 8),
        ),
        ("q1 = é", "`é` cannot stand in a condition", (5, 7)),
    ];
    for (text, message, (start, end)) in cases {
        let error = parse(text).expect_err(text);
        assert_eq!(error.message, *message, "`{text}`");
        assert_eq!(
            (error.span.start, error.span.end),
            (*start, *end),
            "`{text}`: span"
        );
        assert!(!error.hint.is_empty(), "`{text}`: a hint");
    }
}

#[test]
fn hostile_expressions_are_refused_not_run() {
    // Deep nesting, of brackets and of `not`s.
    let deep = format!("{}q1 = 1{}", "(".repeat(200), ")".repeat(200));
    assert!(
        parse(&deep)
            .expect_err("too deep")
            .message
            .contains("nested more than 32")
    );
    let nots = format!("{}q1 = 1", "not ".repeat(200));
    assert!(parse(&nots).is_err());
    let minus = format!("{}1 > 0", "-".repeat(200));
    assert!(parse(&minus).is_err());
    // A megabyte of condition.
    let long = "q1 = 1 or ".repeat(100_000) + "q1 = 2";
    assert!(
        parse(&long)
            .expect_err("too long")
            .message
            .contains("more than the 2000")
    );
    // Long flat chains within the limit parse and evaluate.
    let chain = (0..150)
        .map(|i| format!("q{i} = 1"))
        .collect::<Vec<_>>()
        .join(" or ");
    let expr = parse(&chain).expect("a flat chain");
    assert!(!holds(&expr, &given()));
    // A product beyond f64's range is missing, not infinite, and compares as false.
    let product = vec!["999999999999999"; 22].join(" * ");
    let huge = parse(&product).expect("parses");
    assert_eq!(evaluate(&huge, &given()), Value::Missing);
    assert!(!holds(
        &parse(&format!("{product} > 0")).expect("parses"),
        &given()
    ));
    let large = parse("999999999999999 * 999999999999999").expect("parses");
    assert_eq!(
        evaluate(&large, &given()),
        Value::Number(999999999999999.0 * 999999999999999.0)
    );
}

/// A survey's items before a condition on `tenure`: `employed` and `age` asked before it,
/// `tenure` itself and `later` after.
struct Survey;

impl Scope for Survey {
    fn item(&self, id: &str) -> Option<(ItemKind, bool)> {
        match id {
            "employed" => Some((ItemKind::Coded(vec![1.0, 2.0]), true)),
            "age" => Some((ItemKind::Number, true)),
            "name" => Some((ItemKind::Text, true)),
            "kinds" => Some((ItemKind::MultipleChoice(vec![1.0, 2.0, 3.0]), true)),
            "tenure" | "later" => Some((ItemKind::Number, false)),
            _ => None,
        }
    }
    fn ids(&self) -> Vec<String> {
        ["employed", "age", "name", "kinds", "tenure", "later"]
            .map(String::from)
            .to_vec()
    }
}

/// Each condition and the codes of its problems, in order.
#[test]
fn the_checker_finds_every_kind_of_problem() {
    let cases: &[(&str, &[&str])] = &[
        ("employed = 1 and age >= 18", &[]),
        (
            "selected(kinds, 2) or name != \"x\" or param.panel = 'b'",
            &[],
        ),
        ("employd = 1", &["unknown-item"]),
        ("tenure > 2", &["later-item"]),
        (
            "later = 1 or answered(later)",
            &["later-item", "later-item"],
        ),
        ("employed = 3", &["code-not-on-scale"]),
        ("employed in [1, 5]", &["code-not-on-scale"]),
        ("selected(kinds, 9)", &["code-not-on-scale"]),
        ("selected(age, 1)", &["selected-not-multiple"]),
        ("age = \"old\"", &["text-vs-number"]),
        ("name = 2", &["text-vs-number"]),
        ("name < \"b\"", &["bad-comparison"]),
        ("kinds = 1", &["bad-comparison"]),
        ("age", &["not-a-condition"]),
        ("age + 1", &["not-a-condition"]),
        ("age and employed = 1", &["not-a-condition"]),
        ("name + 1 > 2", &["not-a-number"]),
        ("not age", &["not-a-condition"]),
    ];
    for (text, expected) in cases {
        let expr = parse(text).unwrap_or_else(|e| panic!("`{text}` parses: {e:?}"));
        let problems = check(&expr, &Survey);
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(&codes, expected, "`{text}`: {problems:#?}");
        for problem in &problems {
            assert!(!problem.hint.is_empty(), "`{text}`: a hint");
            assert!(
                problem.span.end <= text.len(),
                "`{text}`: the span is in the text"
            );
        }
    }
    let expr = parse("employd = 1").expect("parses");
    let problems = check(&expr, &Survey);
    assert_eq!(problems[0].hint, "did you mean `employed`?");
    assert_eq!((problems[0].span.start, problems[0].span.end), (0, 7));
}

#[test]
fn an_expression_lists_the_items_it_reads() {
    let expr = parse("employed = 1 and (answered(age) or selected(kinds, 2))").expect("parses");
    let items: Vec<&str> = expr.items().into_iter().map(|(id, _)| id).collect();
    assert_eq!(items, ["employed", "age", "kinds"]);
}

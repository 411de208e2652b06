//! Survey logic in the engine and the export, without a terminal: which questions and pages a
//! participant is shown as answers change, screen-outs, constraints, piped texts, and what
//! happens to an answer on a question that becomes hidden.

mod common;

use common::scratch;
use kith_runner::answer::Answer;
use kith_runner::conduct::{Conduct, PageOutcome, PageStep, RunError};
use kith_runner::engine::{Layout, Position, Session, StepProblem};
use kith_runner::export::{ExportRequest, Layout as ExportLayout, export};
use kith_runner::store::Store;
use std::collections::BTreeMap;

const SURVEY: &str = r#"
kind: survey
id: flow
version: 1.0.0
title: Flow
scales:
  yes_no:
    type: single_choice
    options:
      - {value: 1, label: "Yes"}
      - {value: 0, label: "No"}
  count: {type: numeric, min: 0, max: 50, integer: true}
  years: {type: numeric, min: 0, max: 70}
  age: {type: numeric, min: 16, max: 100, integer: true}
  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [SD, D, N, A, SA]}
blocks:
  - id: screening
    items:
      - id: employed
        text: Are you employed?
        scale: yes_no
        end_if:
          condition: employed = 0
          message: "Thank you; this study is about employees ({param.panel} panel)."
  - id: offers
    items:
      - {id: job_offers, text: How many job offers?, scale: count}
      - {id: age, text: How old are you?, scale: age}
  - id: follow-up
    show_if: job_offers > 0
    title: "Your {job_offers} offers"
    items:
      - {id: offer_like, text: "You were employed: {employed}. Did you like the {job_offers} offers?", scale: agree5}
  - id: tenure
    items:
      - id: tenure_years
        text: How many years have you worked here?
        scale: years
        constraint:
          condition: tenure_years <= age - 14
          message: "That is more than {age} − 14 years."
      - {id: satisfied, text: Are you satisfied?, scale: agree5, show_if: "param.panel != \"short\""}
    end_if:
      condition: tenure_years > 40
      message: Thank you; long-serving employees answer another survey.
closing: "Thank you, {employed}!"
"#;

fn session(params: &[(&str, &str)]) -> Session {
    let form = common::form_of("flow.yaml", SURVEY);
    let layout = Layout::new(&form, 1);
    let params: BTreeMap<String, String> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Session::new(form, layout).with_params(params)
}

fn answer(session: &mut Session, id: &str, value: Answer) {
    session
        .set(id, Some(value))
        .expect("a valid answer on the page");
}

/// The ids of the questions on the current page.
fn shown(session: &Session) -> Vec<String> {
    session
        .current_page()
        .map(|p| p.questions.iter().map(|q| q.id.to_string()).collect())
        .unwrap_or_default()
}

/// A session of the flow survey started in `store`.
fn started(store: &Store) -> Conduct<'_> {
    let form = common::form_of("flow.yaml", SURVEY);
    let survey = store
        .register_survey(&form, "flow.yaml", chrono::Utc::now())
        .expect("registered");
    Conduct::start(
        store,
        form,
        &survey,
        None,
        &BTreeMap::new(),
        1,
        chrono::Utc::now(),
    )
    .expect("started")
}

/// Submits the current page with these answers and goes forward, as the web front-end does.
fn submit(c: &mut Conduct<'_>, answers: &[(&str, Answer)]) -> Result<PageOutcome, RunError> {
    let answers = answers
        .iter()
        .map(|(id, a)| (id.to_string(), Some(a.clone())))
        .collect();
    c.submit_page(answers, PageStep::Forward, chrono::Utc::now())
}

#[test]
fn a_block_shows_only_when_its_condition_holds_and_progress_counts_what_shows() {
    let mut s = session(&[("panel", "long")]);
    assert_eq!(s.position(), Position::Page(0));
    // Four layout pages; the follow-up is not counted while no offer is reported.
    assert_eq!(s.layout().pages.len(), 4);
    assert_eq!(s.progress(), (1, 3));
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    answer(&mut s, "job_offers", Answer::Number(0.0));
    answer(&mut s, "age", Answer::Number(30.0));
    assert_eq!(s.progress(), (2, 3));
    // No offers: the follow-up page is skipped.
    assert_eq!(s.forward(), Ok(Position::Page(3)));
    assert_eq!(s.progress(), (3, 3));
    assert_eq!(shown(&s), ["tenure_years", "satisfied"]);
    // Back skips it too; with two offers it shows, and "page k of n" says so.
    assert_eq!(s.back(), Ok(Position::Page(1)));
    answer(&mut s, "job_offers", Answer::Number(2.0));
    assert_eq!(s.progress(), (2, 4));
    assert_eq!(s.forward(), Ok(Position::Page(2)));
    let page = s.current_page().expect("the follow-up");
    assert_eq!((page.number, page.count), (3, 4));
    // Piping: the coded answer's label, the number.
    assert_eq!(page.title.as_deref(), Some("Your 2 offers"));
    assert_eq!(
        page.questions[0].text,
        "You were employed: Yes. Did you like the 2 offers?"
    );
}

#[test]
fn an_answer_on_a_question_that_becomes_hidden_stays_in_history_and_counts_as_missing() {
    let dir = scratch("logic-hidden-answer");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let now = chrono::Utc::now;
    let mut c = started(&store);
    let page = |c: &mut Conduct<'_>, answers: &[(&str, Answer)]| submit(c, answers).expect("saved");
    page(&mut c, &[("employed", Answer::Code(1))]);
    page(
        &mut c,
        &[
            ("job_offers", Answer::Number(3.0)),
            ("age", Answer::Number(40.0)),
        ],
    );
    page(&mut c, &[("offer_like", Answer::Code(4))]);
    assert_eq!(c.session().position(), Position::Page(3));
    // Back to the offers, now none: the follow-up's answer is no longer shown.
    c.back(now()).expect("back");
    c.back(now()).expect("back");
    assert_eq!(c.session().position(), Position::Page(1));
    page(
        &mut c,
        &[
            ("job_offers", Answer::Number(0.0)),
            ("age", Answer::Number(40.0)),
        ],
    );
    assert_eq!(
        c.session().position(),
        Position::Page(3),
        "the follow-up is skipped"
    );
    // (Without a `panel` parameter, `satisfied` is not shown.)
    page(&mut c, &[("tenure_years", Answer::Number(5.0))]);
    assert_eq!(c.session().position(), Position::Review);
    assert_eq!(
        c.session()
            .review()
            .iter()
            .map(|p| p.number)
            .collect::<Vec<_>>(),
        [1, 2, 3],
        "the summary lists the pages shown"
    );
    c.submit(now()).expect("submitted");
    assert_eq!(c.session().position(), Position::Complete);
    // The store's history keeps the answer ...
    assert_eq!(
        c.session().answers().get("offer_like"),
        Some(&Answer::Code(4))
    );
    let records = store.answers(&c.id).expect("answers");
    assert!(
        records
            .iter()
            .any(|a| a.entry == "offer_like" && a.value.is_some())
    );
    // ... the wide export shows it as not shown, with an empty cell ...
    let wide = export(
        &store,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Wide,
            include_partial: false,
            relation: None,
            names: false,
        },
    )
    .expect("exported");
    let column = |name: &str| {
        wide.table
            .columns
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let row = &wide.table.rows[0];
    assert_eq!(row[column("offer_like")], kith_runner::export::Cell::Empty);
    assert_eq!(
        row[column("not_shown")],
        kith_runner::export::Cell::Text("offer_like|satisfied".to_string())
    );
    assert_eq!(
        row[column("screened_out_by")],
        kith_runner::export::Cell::Empty
    );
    // ... and the long export gives it the state `not_shown`, without its value.
    let long = export(
        &store,
        &ExportRequest {
            survey: None,
            layout: ExportLayout::Long,
            include_partial: false,
            relation: None,
            names: false,
        },
    )
    .expect("exported");
    let at = |name: &str| {
        long.table
            .columns
            .iter()
            .position(|(n, _)| n == name)
            .expect(name)
    };
    let offer = long
        .table
        .rows
        .iter()
        .find(|r| r[at("entry")] == kith_runner::export::Cell::Text("offer_like".into()))
        .expect("a row for the hidden question");
    assert_eq!(
        offer[at("state")],
        kith_runner::export::Cell::Text("not_shown".into())
    );
    assert_eq!(offer[at("value")], kith_runner::export::Cell::Empty);
}

#[test]
fn a_screen_out_ends_the_session_after_its_page_with_its_own_message() {
    let mut s = session(&[("panel", "spring")]);
    answer(&mut s, "employed", Answer::Code(0));
    assert_eq!(s.forward(), Ok(Position::ScreenedOut));
    assert!(s.position().is_final());
    assert_eq!(
        s.end_message().as_deref(),
        Some("Thank you; this study is about employees (spring panel).")
    );
    assert_eq!(s.back(), Err(StepProblem::WrongStep(Position::ScreenedOut)));
    // A block's screen-out holds after the block's last page.
    let mut s = session(&[]);
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    answer(&mut s, "job_offers", Answer::Number(0.0));
    answer(&mut s, "age", Answer::Number(70.0));
    s.forward().expect("on");
    answer(&mut s, "tenure_years", Answer::Number(45.0));
    assert_eq!(s.forward(), Ok(Position::ScreenedOut));
    assert_eq!(
        s.end_message().as_deref(),
        Some("Thank you; long-serving employees answer another survey.")
    );
}

#[test]
fn a_constraint_holds_the_page_with_its_message_and_never_blocks_an_empty_answer() {
    let mut s = session(&[]);
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    answer(&mut s, "job_offers", Answer::Number(0.0));
    s.forward().expect("on");
    // Age not answered: the constraint cannot be tested, so it does not hold the page.
    answer(&mut s, "tenure_years", Answer::Number(30.0));
    assert!(s.broken_constraints().is_empty());
    s.back().expect("back");
    answer(&mut s, "age", Answer::Number(30.0));
    s.forward().expect("on");
    assert_eq!(
        s.forward(),
        Err(StepProblem::Constraint {
            id: "tenure_years".to_string(),
            message: "That is more than 30 − 14 years.".to_string()
        })
    );
    assert_eq!(s.position(), Position::Page(3));
    // Left empty, the question passes.
    s.set("tenure_years", None).expect("cleared");
    assert_eq!(s.forward(), Ok(Position::Review));
}

#[test]
fn the_web_page_step_saves_answers_that_break_a_constraint_and_holds_the_page() {
    let dir = scratch("logic-constraint-page");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let now = chrono::Utc::now;
    let mut c = started(&store);
    submit(&mut c, &[("employed", Answer::Code(1))]).expect("on");
    submit(
        &mut c,
        &[
            ("job_offers", Answer::Number(0.0)),
            ("age", Answer::Number(20.0)),
        ],
    )
    .expect("on");
    let held = submit(&mut c, &[("tenure_years", Answer::Number(12.0))]).expect("saved");
    assert_eq!(
        held,
        PageOutcome::ConstraintBroken(vec![(
            "tenure_years".to_string(),
            "That is more than 20 − 14 years.".to_string()
        )])
    );
    assert_eq!(c.session().position(), Position::Page(3));
    // No answer is lost: the one that broke the constraint is saved, for the participant to
    // correct.
    assert!(
        store
            .answers(&c.id)
            .expect("answers")
            .iter()
            .any(|a| a.entry == "tenure_years" && a.value == Some(Answer::Number(12.0)))
    );
    // A question the logic hides cannot be answered.
    assert!(matches!(
        c.answer("offer_like", Some(Answer::Code(3)), now()),
        Err(RunError::Step(StepProblem::NotOnPage(_)))
    ));
}

#[test]
fn parameters_show_and_hide_questions_and_pipe_into_texts() {
    let mut s = session(&[("panel", "short")]);
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    answer(&mut s, "job_offers", Answer::Number(0.0));
    s.forward().expect("on");
    assert_eq!(
        shown(&s),
        ["tenure_years"],
        "the short panel skips a question"
    );
    // Without the parameter, `!=` with a missing value is false: hidden too, by the rule.
    let mut s = session(&[]);
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    s.forward().expect("on");
    assert_eq!(shown(&s), ["tenure_years"]);
    let mut s = session(&[("panel", "long")]);
    answer(&mut s, "employed", Answer::Code(1));
    s.forward().expect("on");
    s.forward().expect("on");
    assert_eq!(shown(&s), ["tenure_years", "satisfied"]);
    s.forward().expect("the summary");
    s.submit().expect("complete");
    assert_eq!(s.closing().as_deref(), Some("Thank you, Yes!"));
}

const ARMS: &str = r#"
kind: survey
id: arms
version: 1.0.0
title: Arms
scales:
  yes_no:
    type: single_choice
    options:
      - {value: 1, label: "Yes"}
      - {value: 0, label: "No"}
blocks:
  - id: arm-b
    show_if: param.arm = "b"
    items:
      - {id: b_only, text: Only arm b sees this., scale: yes_no, required: true}
  - id: screening
    items_per_page: 1
    instructions: Two questions about your work.
    items:
      - {id: hidden_first, text: Shown to arm c only., scale: yes_no, show_if: "param.arm = \"c\""}
      - {id: employed, text: Are you employed?, scale: yes_no}
      - {id: why_not, text: Why not?, scale: yes_no, show_if: employed = 1}
    end_if:
      condition: employed = 0
  - id: rest
    items:
      - {id: last, text: The last question., scale: yes_no}
"#;

fn arms(params: &[(&str, &str)], position: Position, answers: &[(&str, Answer)]) -> Session {
    let form = common::form_of("arms.yaml", ARMS);
    let layout = Layout::new(&form, 1);
    let answers = answers
        .iter()
        .map(|(id, a)| (id.to_string(), a.clone()))
        .collect();
    let params = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Session::restore(form, layout, position, answers).with_params(params)
}

#[test]
fn a_page_shown_by_a_parameter_is_not_skipped_when_the_session_starts_or_resumes() {
    // Started (no consent): the first page is the parameter's.
    let form = common::form_of("arms.yaml", ARMS);
    let started = Session::new(form.clone(), Layout::new(&form, 1))
        .with_params([("arm".to_string(), "b".to_string())].into());
    assert_eq!(started.position(), Position::Page(0));
    // Resumed on it: it stays there; without the parameter, the next page shown.
    assert_eq!(
        arms(&[("arm", "b")], Position::Page(0), &[]).position(),
        Position::Page(0)
    );
    assert_eq!(
        arms(&[], Position::Page(0), &[]).position(),
        Position::Page(2)
    );
    // The block's instructions stand on its first page shown (its first page is hidden).
    let page = arms(&[], Position::Page(0), &[]);
    let view = page.current_page().expect("a page");
    assert_eq!(
        view.instructions.as_deref(),
        Some("Two questions about your work.")
    );
}

#[test]
fn a_blocks_screen_out_holds_when_its_last_page_is_hidden() {
    // `why_not`, the block's last page, is hidden by the answer that screens out.
    let mut s = arms(&[], Position::Page(2), &[]);
    s.set("employed", Some(Answer::Code(0))).expect("answered");
    assert_eq!(s.forward(), Ok(Position::ScreenedOut));
}

#[test]
fn a_submit_held_by_a_page_goes_to_that_page() {
    // A required question shown by a parameter, unanswered (a resumed session): submitting
    // goes to its page.
    let dir = scratch("logic-submit-held");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = common::form_of("arms.yaml", ARMS);
    let survey = store
        .register_survey(&form, "arms.yaml", chrono::Utc::now())
        .expect("registered");
    let params = [("arm".to_string(), "b".to_string())].into();
    let mut c = Conduct::start(&store, form, &survey, None, &params, 1, chrono::Utc::now())
        .expect("started");
    assert_eq!(c.session().position(), Position::Page(0));
    let outcome = submit(&mut c, &[]).expect("saved");
    assert_eq!(outcome, PageOutcome::RequiredMissing(vec![1]));
    // As if the session had reached the summary past that page (a changed layout, say).
    store
        .save_position(&c.id, Position::Review, chrono::Utc::now())
        .expect("moved");
    let form = common::form_of("arms.yaml", ARMS);
    let mut c = Conduct::load(&store, form, &survey, &c.id).expect("loaded");
    assert_eq!(c.session().position(), Position::Review);
    assert!(matches!(
        c.submit(chrono::Utc::now()),
        Err(RunError::Step(StepProblem::RequiredMissing(_)))
    ));
    assert_eq!(c.session().position(), Position::Page(0));
    let stored = store.session(&c.id).expect("stored");
    assert_eq!(stored.position, Position::Page(0), "the move is saved");
}

#[test]
fn changing_a_surveys_logic_under_the_same_version_is_refused_by_the_store() {
    let dir = scratch("logic-changed");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = common::form_of("flow.yaml", SURVEY);
    store
        .register_survey(&form, "flow.yaml", chrono::Utc::now())
        .expect("registered");
    let edited = common::form_of(
        "flow.yaml",
        &SURVEY.replace("job_offers > 0", "job_offers > 1"),
    );
    let refused = store.register_survey(&edited, "flow.yaml", chrono::Utc::now());
    match refused {
        Err(error @ kith_runner::store::StoreError::LogicChanged { .. }) => {
            assert!(
                error
                    .hint()
                    .is_some_and(|h| h.contains("bump the survey's `version:`"))
            );
        }
        other => panic!("refused, not {other:?}"),
    }
    let bumped = common::form_of(
        "flow.yaml",
        &SURVEY
            .replace("job_offers > 0", "job_offers > 1")
            .replace("version: 1.0.0", "version: 1.1.0"),
    );
    store
        .register_survey(&bumped, "flow.yaml", chrono::Utc::now())
        .expect("a new version is a new record");
}

//! Network questions in the session engine and the store: who can be chosen (never the
//! participant, only people on the roster, each once, up to the limit), the follow-up page
//! (one question per person chosen, shown only when someone is), a name generator, the link's
//! roster id, and the edge list the store exports.

mod common;

use common::scratch;
use kith_instrument::form::Form;
use kith_instrument::survey::MemoryLoader;
use kith_runner::answer::{Answer, AnswerProblem};
use kith_runner::conduct::{Conduct, RunError};
use kith_runner::engine::{Layout, Position, Session, StepProblem};
use kith_runner::export::{Cell, ExportRequest, Layout as ExportLayout, export};
use kith_runner::store::Store;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const SURVEY: &str = "
kind: survey
id: ties
version: 1.0.0
title: Ties
rosters:
  staff: {file: staff.csv, unit: unit, participant: rid}
scales:
  often: {type: likert, values: [1, 2, 3], labels: [rarely, sometimes, often]}
  years: {type: numeric, min: 0, max: 60, integer: true}
blocks:
  - id: advice
    relation:
      kind: instrumental
      roster: staff
      max: 2
      text: Whom do you ask?
      follow_ups:
        - {id: how_often, text: 'How often do you ask {name}?', scale: often, required: true}
  - id: confidants
    relation:
      kind: expressive
      names: 2
      text: Whom do you confide in?
      follow_ups:
        - {id: known_years, text: 'For how long have you known {name}?', scale: years}
";

const STAFF: &str =
    "id,name,unit\ne1,Ada Lovelace,Sales\ne2,Grace Hopper,Research\ne3,Alan Turing,Sales\n";

fn form() -> Arc<Form> {
    let loader = MemoryLoader::default()
        .with("ties.yaml", SURVEY)
        .with("staff.csv", STAFF);
    let checked = kith_instrument::survey::check_file(Path::new("ties.yaml"), &loader);
    Arc::new(checked.form.expect("the test survey is valid"))
}

fn session_as(rid: Option<&str>) -> Session {
    let form = form();
    let layout = Layout::new(&form, 1);
    let params: BTreeMap<String, String> = rid
        .map(|id| BTreeMap::from([("rid".to_string(), id.to_string())]))
        .unwrap_or_default();
    Session::new(form, layout).with_params(params)
}

fn people(ids: &[&str]) -> Option<Answer> {
    Some(Answer::People(ids.iter().map(|s| s.to_string()).collect()))
}

#[test]
fn the_participant_is_never_offered_or_accepted() {
    let mut session = session_as(Some("e2"));
    let page = session.current_page().expect("the first page");
    let choice = page.questions[0]
        .people
        .as_ref()
        .expect("a choosing question");
    let offered: Vec<&str> = choice.choosable().map(|p| p.id.as_str()).collect();
    assert_eq!(offered, ["e1", "e3"], "Grace (e2) is the participant");
    // A search matches every word, in names or units, ignoring case.
    let found: Vec<&str> = choice.matching("sales a").map(|p| p.id.as_str()).collect();
    assert_eq!(found, ["e1", "e3"]);
    let found: Vec<&str> = choice.matching("TUR").map(|p| p.id.as_str()).collect();
    assert_eq!(found, ["e3"]);
    let refused =
        |session: &mut Session, answer: Option<Answer>| match session.set("advice", answer) {
            Err(StepProblem::Answer(problem)) => problem,
            other => panic!("refused, not {other:?}"),
        };
    assert_eq!(
        refused(&mut session, people(&["e2"])),
        AnswerProblem::SelfChosen
    );
    assert_eq!(
        refused(&mut session, people(&["e9"])),
        AnswerProblem::NotOnRoster("e9".to_string())
    );
    assert_eq!(
        refused(&mut session, people(&["e1", "e3", "e1"])),
        AnswerProblem::TooManyPeople { max: 2 }
    );
    assert_eq!(
        refused(&mut session, people(&["e1", "e1"])),
        AnswerProblem::PersonRepeated("Ada Lovelace".to_string())
    );
    assert_eq!(
        refused(&mut session, Some(Answer::Code(1))),
        AnswerProblem::WrongKind {
            expected: "a list of people",
            given: "another kind of answer"
        }
    );
    assert!(session.answers().is_empty(), "nothing refused is kept");
}

#[test]
fn follow_ups_ask_about_each_person_chosen_and_only_then() {
    let mut session = session_as(None);
    // No one chosen: the follow-up page is skipped and not counted.
    assert_eq!(session.progress(), (1, 2));
    assert_eq!(session.forward(), Ok(Position::Page(2)));
    assert_eq!(session.back(), Ok(Position::Page(0)));
    session
        .set("advice", people(&["e3", "e1"]))
        .expect("two people");
    assert_eq!(
        session.progress(),
        (1, 3),
        "the name generator's follow-ups wait for names"
    );
    assert_eq!(session.forward(), Ok(Position::Page(1)));
    let page = session.current_page().expect("the follow-ups");
    let asked: Vec<(&str, &str)> = page
        .questions
        .iter()
        .map(|q| (&*q.id, q.text.as_str()))
        .collect();
    assert_eq!(
        asked,
        [
            ("advice/how_often/e3", "How often do you ask Alan Turing?"),
            ("advice/how_often/e1", "How often do you ask Ada Lovelace?"),
        ],
        "in the order chosen, with the person's name"
    );
    // Required, checked on its scale, and only for people chosen.
    assert_eq!(
        session.forward(),
        Err(StepProblem::RequiredMissing(vec![1, 2]))
    );
    assert!(matches!(
        session.set("advice/how_often/e3", Some(Answer::Code(7))),
        Err(StepProblem::Answer(AnswerProblem::OffScale { .. }))
    ));
    assert_eq!(
        session.set("advice/how_often/e2", Some(Answer::Code(1))),
        Err(StepProblem::NotOnPage("advice/how_often/e2".to_string()))
    );
    session
        .set("advice/how_often/e3", Some(Answer::Code(3)))
        .expect("valid");
    session
        .set("advice/how_often/e1", Some(Answer::Code(1)))
        .expect("valid");
    assert_eq!(session.forward(), Ok(Position::Page(2)));
    // Taking someone off the list takes their follow-up off the page; the answer stays.
    session.back().expect("back");
    session.back().expect("back");
    session.set("advice", people(&["e1"])).expect("one person");
    session.forward().expect("forward");
    let ids: Vec<String> = session
        .current_page()
        .expect("a page")
        .questions
        .iter()
        .map(|q| q.id.to_string())
        .collect();
    assert_eq!(ids, ["advice/how_often/e1"]);
    assert!(session.answers().contains_key("advice/how_often/e3"));
}

#[test]
fn a_name_generator_takes_written_names_up_to_its_limit() {
    let mut session = session_as(None);
    session.forward().expect("past the roster question");
    assert_eq!(session.position(), Position::Page(2));
    let page = session.current_page().expect("the name generator");
    let choice = page.questions[0]
        .people
        .as_ref()
        .expect("a choosing question");
    assert!(choice.roster.is_none());
    assert_eq!(choice.limit(), Some(2));
    assert_eq!(
        kith_runner::engine::people::people_answer(&[" Sam ", "", "Sam", "Kim"]),
        people(&["Sam", "Kim"]),
        "trimmed, blanks and repeats left out"
    );
    assert!(matches!(
        session.set("confidants", people(&["Sam", "Kim", "Lee"])),
        Err(StepProblem::Answer(AnswerProblem::TooManyPeople { max: 2 }))
    ));
    assert!(matches!(
        session.set("confidants", people(&[&"x".repeat(101)])),
        Err(StepProblem::Answer(AnswerProblem::TooLong { .. }))
    ));
    assert!(matches!(
        session.set("confidants", people(&["  "])),
        Err(StepProblem::Answer(AnswerProblem::BlankName))
    ));
    session
        .set("confidants", people(&["Sam", "Kim"]))
        .expect("two names");
    session.forward().expect("to the follow-ups");
    let texts: Vec<String> = session
        .current_page()
        .expect("a page")
        .questions
        .iter()
        .map(|q| q.text.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "For how long have you known Sam?",
            "For how long have you known Kim?"
        ]
    );
}

#[test]
fn a_link_with_an_id_not_on_the_roster_starts_no_session() {
    let dir = scratch("people-link");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = form();
    let survey = store
        .register_survey(&form, "ties.yaml", chrono::Utc::now())
        .expect("registered");
    let params = BTreeMap::from([("rid".to_string(), "e7".to_string())]);
    let error = Conduct::start(&store, form, &survey, None, &params, 1, chrono::Utc::now())
        .expect_err("refused");
    assert!(matches!(error, RunError::NotOnRoster { .. }), "{error}");
    assert!(error.to_string().contains("`e7`"), "{error}");
    assert!(error.hint().expect("a hint").contains("roster"));
    assert!(store.sessions(&[survey.key]).expect("sessions").is_empty());
}

#[test]
fn the_store_exports_each_tie_with_its_follow_ups_and_no_names() {
    let dir = scratch("people-edges");
    let store = Store::open(&dir.join("s.sqlite")).expect("a store");
    let form = form();
    let survey = store
        .register_survey(&form, "ties.yaml", chrono::Utc::now())
        .expect("registered");
    let params = BTreeMap::from([("rid".to_string(), "e2".to_string())]);
    let now = chrono::Utc::now();
    let mut conduct = Conduct::start(&store, form.clone(), &survey, Some("P1"), &params, 1, now)
        .expect("a session");
    conduct
        .answer("advice", people(&["e3", "e1"]), now)
        .expect("saved");
    conduct.next(now).expect("next");
    conduct
        .answer("advice/how_often/e3", Some(Answer::Code(2)), now)
        .expect("saved");
    conduct
        .answer("advice/how_often/e1", Some(Answer::Code(3)), now)
        .expect("saved");
    conduct.next(now).expect("next");
    conduct
        .answer("confidants", people(&["Sam"]), now)
        .expect("saved");
    conduct.next(now).expect("next");
    conduct
        .answer(
            "confidants/known_years/Sam",
            Some(Answer::Number(12.0)),
            now,
        )
        .expect("saved");
    conduct.next(now).expect("to the summary");
    conduct.submit(now).expect("submitted");
    let edges = |names: bool, relation: Option<&str>| {
        export(
            &store,
            &ExportRequest {
                survey: None,
                layout: ExportLayout::Edges,
                include_partial: false,
                relation,
                names,
            },
        )
    };
    let table = edges(false, None).expect("exported").table;
    let header: Vec<&str> = table.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        header,
        [
            "respondent_id",
            "participant_id",
            "status",
            "ego",
            "relation",
            "kind",
            "alter",
            "rank",
            "how_often",
            "known_years",
            "chosen_at"
        ]
    );
    let text = |cell: &Cell| match cell {
        Cell::Text(t) => t.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => f.to_string(),
        Cell::Empty => String::new(),
    };
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| row[3..10].iter().map(text).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["e2", "advice", "instrumental", "e3", "1", "2", ""],
            ["e2", "advice", "instrumental", "e1", "2", "3", ""],
            ["e2", "confidants", "expressive", "1", "1", "", "12"],
        ]
    );
    let mut csv = Vec::new();
    table.write_csv(&mut csv).expect("CSV");
    let csv = String::from_utf8(csv).expect("UTF-8");
    for name in ["Ada", "Alan", "Sam"] {
        assert!(!csv.contains(name), "no names without --names: {csv}");
    }
    // Asked for, the names written into the name generator are given; roster ties keep ids.
    let named = edges(true, Some("confidants")).expect("exported").table;
    let column = named
        .columns
        .iter()
        .position(|(n, _)| n == "alter_name")
        .expect("alter_name");
    assert_eq!(named.rows.len(), 1);
    assert_eq!(text(&named.rows[0][column]), "Sam");
    // A relation the survey does not have is named with those it has.
    let error = edges(false, Some("frendship")).expect_err("no such relation");
    assert!(error.to_string().contains("`frendship`"), "{error}");
    assert!(error.hint().expect("a hint").contains("advice, confidants"));
}

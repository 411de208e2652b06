//! The participant's page: showing the session where it is, and taking its form — every answer
//! checked, then the page's answers and its step committed in one transaction before the
//! redirect that acknowledges them.

use super::{
    App, SESSION_COOKIE, bad_request, cookie, csrf_matches, fields, is_form, message, not_a_form,
    page, plausible_token, run_failed, server_error, single, with_reader, with_store,
};
use crate::answer::{Answer, parse_answer};
use crate::conduct::{Conduct, PageOutcome, PageStep, RunError};
use crate::engine::{Position, StepProblem, people};
use crate::html::{self, PageContext};
use crate::store::Store;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kith_instrument::model::ResponseScale;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The page for a session, rendered from the store.
pub(super) fn render(
    store: &Store,
    app: &App,
    token: &str,
    session: &str,
    csrf: &str,
    mut context: PageContext,
    status: StatusCode,
) -> Response {
    let conduct = match Conduct::load(store, app.form.clone(), &app.survey, session) {
        Ok(conduct) => conduct,
        Err(error) => return run_failed(app, &error),
    };
    if conduct.session().position() == Position::Complete
        && let Some(url) = &app.options.completion_redirect
    {
        return redirect(&completion_url(
            url,
            session,
            conduct.participant.as_deref(),
        ));
    }
    context.csrf = csrf.to_string();
    context.resume_link = format!("/resume/{token}");
    page(status, html::session_page(conduct.session(), &context))
}

pub(super) fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The completion URL with `{session}` and `{participant}` filled in (URL-encoded).
fn completion_url(url: &str, session: &str, participant: Option<&str>) -> String {
    let encode =
        |text: &str| -> String { form_urlencoded::byte_serialize(text.as_bytes()).collect() };
    url.replace("{session}", &encode(session))
        .replace("{participant}", &encode(participant.unwrap_or_default()))
}

/// The session a cookie opens, if it belongs to this survey.
pub(super) fn session_of_cookie(
    store: &Store,
    headers: &HeaderMap,
) -> Option<(String, String, String)> {
    let token = cookie(headers, SESSION_COOKIE).filter(|t| plausible_token(t))?;
    let (session, csrf) = store.web_access(&token).ok()??;
    Some((token, session, csrf))
}

fn no_session(app: &App) -> Response {
    message(
        app,
        StatusCode::FORBIDDEN,
        "No survey session",
        "This browser has no survey session. Please open the link you were given (cookies must be allowed).",
    )
}

/// The most characters of a roster search that the server reads.
const MAX_SEARCH_CHARS: usize = 100;

pub(super) async fn take(
    State(app): State<Arc<App>>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let state = app.clone();
    // A roster search (`?find=…`) is answered by the page itself, from the roster.
    let search = query
        .get("find")
        .map(|find| find.chars().take(MAX_SEARCH_CHARS).collect::<String>())
        .filter(|find| !find.trim().is_empty());
    with_reader(&app, move |store, app| {
        match session_of_cookie(store, &headers) {
            Some((token, session, csrf)) => render(
                store,
                app,
                &token,
                &session,
                &csrf,
                PageContext {
                    search,
                    ..PageContext::default()
                },
                StatusCode::OK,
            ),
            None => no_session(app),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

pub(super) async fn submit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_form(&headers) {
        return not_a_form(&app);
    }
    let state = app.clone();
    with_store(&app, move |store, app| {
        let Some((token, session, csrf)) = session_of_cookie(store, &headers) else {
            return no_session(app);
        };
        let fields = fields(&body);
        // The CSRF secret: present once and equal to this session's.
        if !csrf_matches(&fields, &csrf) {
            return message(app, StatusCode::FORBIDDEN, "Not accepted", "The form was not sent from this survey's page (its security code is missing or wrong). Please reload the page and try again; nothing was saved.");
        }
        let action = match single(&fields, "_action") {
            Ok(Some(action)) => action.to_string(),
            Ok(None) => return bad_request(app, "The form did not say which button was pressed; nothing was saved."),
            Err(()) => return bad_request(app, "The form named two buttons at once; nothing was saved."),
        };
        let mut conduct = match Conduct::load(store, app.form.clone(), &app.survey, &session) {
            Ok(conduct) => conduct,
            Err(error) => return run_failed(app, &error),
        };
        let now = Utc::now();
        let position = conduct.session().position();
        let words = conduct.session().strings();
        // The language choice of the first page (consent, or page 1 without one).
        if let Some(language) = action.strip_prefix("language:") {
            let first = match position {
                Position::Consent => true,
                Position::Page(_) => {
                    conduct.session().form().consent.is_none()
                        && conduct.session().progress().0 == 1
                }
                _ => false,
            };
            // Anywhere else (a stale form), nothing changes.
            if !first {
                return redirect("/take");
            }
            return match conduct.set_language(language, now) {
                Ok(()) => redirect("/take"),
                Err(RunError::UnknownLanguage { .. }) => {
                    bad_request(app, "The form chose a language this survey is not offered in; nothing was saved.")
                }
                Err(error) => run_failed(app, &error),
            };
        }
        let outcome = match (position, action.as_str()) {
            (Position::Consent, "agree" | "decline") => {
                conduct.consent(action == "agree", now).map(|_| None)
            }
            (Position::Review, "submit") => conduct.submit(now).map(|_| None),
            (Position::Review, "back") => conduct.back(now).map(|_| None),
            (Position::Page(_), "next" | "back" | "save" | "find" | "find_all") => {
                let answers = match page_answers(conduct.session(), &fields) {
                    Ok(answers) => answers,
                    Err(problem) => return bad_request(app, &problem),
                };
                let step = match action.as_str() {
                    "next" => PageStep::Forward,
                    "back" => PageStep::Back,
                    _ => PageStep::Stay,
                };
                // A roster search saves the ticks so far, then shows the people who match.
                let found = match action.as_str() {
                    "find" => single(&fields, "find").ok().flatten().map(|find| {
                        let find: String = find.chars().take(MAX_SEARCH_CHARS).collect();
                        let query: String =
                            form_urlencoded::byte_serialize(find.as_bytes()).collect();
                        format!("/take?find={query}")
                    }),
                    _ => None,
                };
                if answers.iter().any(|a| a.parsed.is_err()) {
                    // Every refused answer is shown, with what was typed; nothing is saved.
                    let mut context = PageContext::default();
                    for answer in &answers {
                        if let Err(problem) = &answer.parsed {
                            context
                                .problems
                                .insert(answer.id.clone(), (problem.clone(), answer.typed.clone()));
                        }
                    }
                    context.message = Some(words.refused.to_string());
                    return render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY);
                }
                let parsed: Vec<(String, Option<Answer>)> = answers
                    .into_iter()
                    .filter_map(|a| a.parsed.ok().map(|answer| (a.id, answer)))
                    .collect();
                match conduct.submit_page(parsed, step, now) {
                    Ok(PageOutcome::Moved(_) | PageOutcome::RequiredMissing(_)) if step == PageStep::Stay => {
                        return redirect(found.as_deref().unwrap_or("/take"));
                    }
                    other => other.map(Some),
                }
            }
            _ => {
                // A stale form (the back button of the browser, a second tab): show where the
                // session really is.
                return redirect("/take");
            }
        };
        match outcome {
            Ok(None) | Ok(Some(PageOutcome::Moved(_))) => redirect("/take"),
            Ok(Some(PageOutcome::RequiredMissing(numbers))) => {
                let context = PageContext {
                    message: Some(words.required(&numbers)),
                    ..PageContext::default()
                };
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Ok(Some(PageOutcome::ConstraintBroken(broken))) => {
                let mut context = PageContext::default();
                for (id, message) in broken {
                    context.problems.insert(id, (message, String::new()));
                }
                context.message = Some(words.constraint_held.to_string());
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Ok(Some(PageOutcome::Refused(problems))) => {
                let mut context = PageContext::default();
                for (id, problem) in problems {
                    let text = match &problem {
                        StepProblem::Answer(answer) => words.problem(answer),
                        other => other.to_string(),
                    };
                    context.problems.insert(id, (text, String::new()));
                }
                context.message = Some(words.refused_nothing_saved.to_string());
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            // A submit held by a page (an answer changed later showed it): that page, and why.
            Err(RunError::Step(StepProblem::RequiredMissing(numbers))) => {
                let context = PageContext {
                    message: Some(words.required(&numbers)),
                    ..PageContext::default()
                };
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(RunError::Step(StepProblem::Constraint { id, message })) => {
                let mut context = PageContext::default();
                context.problems.insert(id, (message, String::new()));
                context.message = Some(words.constraint_held.to_string());
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(RunError::Step(_)) => redirect("/take"),
            Err(error) => run_failed(app, &error),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

/// One question's part of a submitted page.
#[derive(Debug)]
struct Submitted {
    id: String,
    /// The answer (none when left empty), or why it was refused.
    parsed: Result<Option<Answer>, String>,
    /// The text as sent, shown again with a refusal.
    typed: String,
}

/// The answers a page's form carries, one per question of the page, each parsed from its text.
/// A field for a question not on the page, a field sent twice for a single-answer question, or
/// an unknown field refuses the whole form (the message says which).
fn page_answers(
    session: &crate::engine::Session,
    fields: &[(String, String)],
) -> Result<Vec<Submitted>, String> {
    let page = session
        .current_page()
        .ok_or_else(|| "the session is not on a page".to_string())?;
    let mut by_question: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in fields {
        if name == "_csrf" || name == "_action" || name == "find" {
            continue;
        }
        let Some(id) = name.strip_prefix("a.") else {
            return Err(format!(
                "The form has a field `{name}` that this survey does not have; nothing was saved."
            ));
        };
        if !page.questions.iter().any(|q| q.id == id) {
            return Err(format!(
                "The form answers `{id}`, which is not on this page; nothing was saved."
            ));
        }
        by_question.entry(id).or_default().push(value);
    }
    let mut answers = Vec::new();
    for question in &page.questions {
        let values = by_question.remove(&*question.id).unwrap_or_default();
        if let Some(choice) = &question.people {
            let answer = people::people_answer(&values);
            let checked = match &answer {
                Some(answer) => people::check_people(choice, answer),
                None => Ok(()),
            };
            answers.push(Submitted {
                id: question.id.to_string(),
                parsed: checked
                    .map(|()| answer)
                    .map_err(|p| session.strings().problem(&p)),
                typed: values.join("\n"),
            });
            continue;
        }
        let multiple = matches!(question.response, ResponseScale::MultipleChoice { .. });
        if !multiple && values.len() > 1 {
            return Err(format!(
                "The form sends two answers to `{}`; nothing was saved.",
                question.id
            ));
        }
        let typed = values.join(",");
        // A question whose field is absent (no option chosen, every box unticked) is
        // unanswered, as a browser sends it.
        answers.push(Submitted {
            id: question.id.to_string(),
            parsed: parse_answer(question.response, &typed)
                .map_err(|p| session.strings().problem(&p)),
            typed,
        });
    }
    Ok(answers)
}

//! Starting a session: the open link `/start` and single-use links `/l/TOKEN`, and resume links.
//!
//! A GET (or HEAD) of a link only ever reads: it shows a landing page with a *Start* button,
//! or the session this browser already has. Mail scanners, chat link previews and crawlers
//! fetch links before people do; were a GET to start a session, they would use up single-use
//! links and fill the store with sessions no one takes. Only the POST of the *Start* button
//! starts a session (and uses up a link), in one transaction. Its CSRF secret is a
//! double-submit cookie, as there is no session yet to hold one; the link's URL parameters are
//! carried to the POST in the form's address.

use super::page::{redirect, render, session_of_cookie};
use super::{
    App, SESSION_COOKIE, cookie, csrf_matches, fields, is_form, message, not_a_form, page,
    plausible_token, set_cookie, set_cookie_for, store_failed, with_reader, with_store,
};
use crate::conduct::check_params;
use crate::engine::Position;
use crate::html::{self, PageContext};
use crate::store::{LinkState, NewSession, Store, StoreError, SurveyColumns, new_token};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The double-submit CSRF cookie of the landing page's *Start* form.
const START_COOKIE: &str = "kith_start";

/// The most URL parameters kept, and the longest value.
const MAX_PARAMS: usize = 20;
const MAX_PARAM_CHARS: usize = 200;

/// The URL parameter that chooses the participant's language, e.g. `?lang=de`.
const LANGUAGE_PARAM: &str = "lang";

/// The language a link asks for (`?lang=de`), when the survey offers it.
fn asked_language<'a>(app: &App, query: &'a BTreeMap<String, String>) -> Option<&'a str> {
    query
        .get(LANGUAGE_PARAM)
        .map(String::as_str)
        .filter(|language| app.form.offered_languages().contains(language))
}

/// URL parameters kept with a new session: plain names, short values, at most 20; the
/// participant parameter becomes the participant id, and `lang` chooses the language.
fn session_params(
    app: &App,
    query: &BTreeMap<String, String>,
) -> (Option<String>, BTreeMap<String, String>) {
    let columns = SurveyColumns::of(&app.form);
    let mut participant = None;
    let mut params = BTreeMap::new();
    for (name, value) in query.iter().take(MAX_PARAMS) {
        let value: String = value.chars().take(MAX_PARAM_CHARS).collect();
        if *name == app.options.participant_param {
            participant = Some(value);
            continue;
        }
        if name == LANGUAGE_PARAM {
            continue;
        }
        let mut one = BTreeMap::new();
        one.insert(name.clone(), value.clone());
        if check_params(&columns, &one).is_ok() {
            params.insert(name.clone(), value);
        }
    }
    (participant, params)
}

/// The URL parameters as the landing form carries them to its POST (`?a=1&b=2`, or nothing):
/// the same ones, cut the same way, that a session keeps.
fn carried_query(query: &BTreeMap<String, String>) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in query.iter().take(MAX_PARAMS) {
        let value: String = value.chars().take(MAX_PARAM_CHARS).collect();
        serializer.append_pair(name, &value);
    }
    let text = serializer.finish();
    if text.is_empty() {
        text
    } else {
        format!("?{text}")
    }
}

/// The page that refuses a link whose roster id (the parameter a roster names in
/// `participant:`) is no one's on the roster; nothing is written.
fn roster_refusal(app: &App, query: &BTreeMap<String, String>) -> Option<Response> {
    let (_, params) = session_params(app, query);
    match crate::conduct::check_roster_params(&app.form, &params) {
        Err(crate::conduct::RunError::NotOnRoster { value, .. }) => Some(super::message(
            app,
            StatusCode::BAD_REQUEST,
            "Link not recognised",
            &format!(
                "This link names the participant `{value}`, who is not on this study's list of people. Please open the link you were given; nothing was saved."
            ),
        )),
        Err(error) => Some(super::run_failed(app, &error)),
        Ok(()) => None,
    }
}

/// Starts a session and its web access in one transaction, with `link` used up if given;
/// returns (token, session id, csrf), or `None` when the link was used meanwhile.
fn start_session(
    store: &Store,
    app: &App,
    query: &BTreeMap<String, String>,
    link: Option<&str>,
) -> Result<Option<(String, String, String)>, StoreError> {
    let (participant, params) = session_params(app, query);
    let layout = crate::engine::Layout::new(&app.form, rand::random());
    let position = if app.form.consent.is_some() {
        Position::Consent
    } else {
        Position::Page(0)
    };
    let token = new_token();
    let csrf = new_token();
    let new = NewSession {
        survey: &app.survey,
        participant: participant.as_deref(),
        params: &params,
        layout: &layout,
        position,
        now: Utc::now(),
        language: asked_language(app, query),
    };
    Ok(store
        .start_web_session(&new, &token, &csrf, link)?
        .map(|id| (token, id, csrf)))
}

/// A response that opens an existing session in this browser: the page itself (not a
/// redirect, so that the SameSite=Strict cookie set here is sent with the page's own form
/// even when the link was opened from another site, a mail or a chat).
fn opened(store: &Store, app: &App, token: &str, session: &str, csrf: &str) -> Response {
    let mut response = render(
        store,
        app,
        token,
        session,
        csrf,
        PageContext::default(),
        StatusCode::OK,
    );
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token, "/"));
    response
}

/// The answer to a *Start* that started a session: the session's cookie, the start cookie
/// cleared, and on to the first page. The POST came from this site's own page, so the
/// redirect is same-site and the new SameSite=Strict cookie goes with it.
fn started(token: &str) -> Response {
    let mut response = redirect("/take");
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token, "/"));
    headers.append(header::SET_COOKIE, set_cookie_for(START_COOKIE, "", "/", 0));
    response
}

/// The session this browser's cookie opens, if it belongs to this survey.
fn own_session(store: &Store, app: &App, headers: &HeaderMap) -> Option<(String, String, String)> {
    session_of_cookie(store, headers).filter(|(_, session, _)| {
        store
            .session(session)
            .is_ok_and(|s| s.survey == app.survey.key)
    })
}

/// The landing page of a link: a *Start* button whose form posts to `action`. It writes
/// nothing; the CSRF cookie it sets is reused when the browser already has one, so that two
/// tabs of the landing page both work.
fn landing(
    app: &App,
    headers: &HeaderMap,
    query: &BTreeMap<String, String>,
    action: &str,
    personal: bool,
) -> Response {
    let csrf = cookie(headers, START_COOKIE)
        .filter(|t| plausible_token(t))
        .unwrap_or_else(new_token);
    let language = asked_language(app, query).unwrap_or(&app.form.language);
    let mut response = page(
        StatusCode::OK,
        html::landing_page(&app.form, language, action, &csrf, personal),
    );
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(START_COOKIE, &csrf, "/"));
    response
}

/// Whether a *Start* form is a form from this server's landing page.
fn start_form_ok(headers: &HeaderMap, body: &[u8]) -> bool {
    let expected = cookie(headers, START_COOKIE).unwrap_or_default();
    csrf_matches(&fields(body), &expected)
}

fn start_refused(app: &App) -> Response {
    message(
        app,
        StatusCode::FORBIDDEN,
        "Not accepted",
        "The start form was not sent from this survey's page, or this browser does not keep cookies. Please open the link again (cookies must be allowed); nothing was saved.",
    )
}

fn links_only(app: &App) -> Response {
    message(
        app,
        StatusCode::NOT_FOUND,
        "Not found",
        "This survey is taken with personal links only. Please use the link you were given.",
    )
}

fn link_unknown(app: &App) -> Response {
    message(
        app,
        StatusCode::NOT_FOUND,
        "Link not known",
        "This link is not valid. Please check that it was copied whole.",
    )
}

fn link_used(app: &App) -> Response {
    message(
        app,
        StatusCode::GONE,
        "Link already used",
        "This personal link has already been used. If you started the survey, use the resume link from its pages.",
    )
}

/// GET `/start`: the session this browser has, or the landing page.
pub(super) async fn open_landing(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if !app.options.open_link {
        return links_only(&app);
    }
    let state = app.clone();
    with_reader(&app, move |store, app| {
        // One session per browser: a browser that has one goes back to it.
        match own_session(store, app, &headers) {
            Some((token, session, csrf)) => opened(store, app, &token, &session, &csrf),
            None => landing(
                app,
                &headers,
                &query,
                &format!("/start{}", carried_query(&query)),
                false,
            ),
        }
    })
    .await
    .unwrap_or_else(|error| super::server_error(&state, error))
}

/// POST `/start`: the *Start* button of the open link starts a session.
pub(super) async fn open_start(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
    body: Bytes,
) -> Response {
    if !app.options.open_link {
        return links_only(&app);
    }
    if !is_form(&headers) {
        return not_a_form(&app);
    }
    if !start_form_ok(&headers, &body) {
        return start_refused(&app);
    }
    let state = app.clone();
    with_store(&app, move |store, app| {
        if own_session(store, app, &headers).is_some() {
            return redirect("/take");
        }
        if let Some(refused) = roster_refusal(app, &query) {
            return refused;
        }
        match start_session(store, app, &query, None) {
            Ok(Some((token, _, _))) => started(&token),
            Ok(None) => super::server_error(app, "a session could not be started"),
            Err(error) => store_failed(app, &error),
        }
    })
    .await
    .unwrap_or_else(|error| super::server_error(&state, error))
}

/// GET `/l/TOKEN`: the landing page of an unused link, this browser's session of a used one,
/// or why the link opens nothing. Nothing is written, so a link fetched by a scanner is still
/// unused when its participant opens it.
pub(super) async fn link_landing(
    State(app): State<Arc<App>>,
    Path(link): Path<String>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if !plausible_token(&link) {
        return link_unknown(&app);
    }
    let state = app.clone();
    with_reader(&app, move |store, app| {
        match store.link_state(&app.survey.survey_id, &link) {
            Ok(LinkState::Unknown) => link_unknown(app),
            Ok(LinkState::Used { session }) => match own_session(store, app, &headers) {
                // The browser that started with this link goes on; anyone else is told.
                Some((token, own, csrf)) if own == session => {
                    opened(store, app, &token, &own, &csrf)
                }
                _ => link_used(app),
            },
            Ok(LinkState::Unused) => landing(
                app,
                &headers,
                &query,
                &format!("/l/{link}{}", carried_query(&query)),
                true,
            ),
            Err(error) => store_failed(app, &error),
        }
    })
    .await
    .unwrap_or_else(|error| super::server_error(&state, error))
}

/// POST `/l/TOKEN`: the *Start* button of a single-use link starts its one session.
pub(super) async fn link_start(
    State(app): State<Arc<App>>,
    Path(link): Path<String>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
    body: Bytes,
) -> Response {
    if !plausible_token(&link) {
        return link_unknown(&app);
    }
    if !is_form(&headers) {
        return not_a_form(&app);
    }
    if !start_form_ok(&headers, &body) {
        return start_refused(&app);
    }
    let state = app.clone();
    with_store(&app, move |store, app| {
        match store.link_state(&app.survey.survey_id, &link) {
            Ok(LinkState::Unknown) => link_unknown(app),
            Ok(LinkState::Used { session }) => match own_session(store, app, &headers) {
                Some((_, own, _)) if own == session => redirect("/take"),
                _ => link_used(app),
            },
            Ok(LinkState::Unused) if roster_refusal(app, &query).is_some() => {
                roster_refusal(app, &query).unwrap_or_else(|| link_used(app))
            }
            Ok(LinkState::Unused) => match start_session(store, app, &query, Some(&link)) {
                Ok(Some((token, _, _))) => started(&token),
                // Another request used the link first; nothing was kept.
                Ok(None) => link_used(app),
                Err(error) => store_failed(app, &error),
            },
            Err(error) => store_failed(app, &error),
        }
    })
    .await
    .unwrap_or_else(|error| super::server_error(&state, error))
}

/// GET `/resume/TOKEN`: the session of a resume link, in this browser (or another device).
pub(super) async fn resume(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let state = app.clone();
    with_reader(&app, move |store, app| {
        let found = plausible_token(&token)
            .then(|| store.web_access(&token).ok().flatten())
            .flatten();
        match found {
            Some((session, csrf))
                if store
                    .session(&session)
                    .is_ok_and(|s| s.survey == app.survey.key) =>
            {
                opened(store, app, &token, &session, &csrf)
            }
            _ => message(
                app,
                StatusCode::NOT_FOUND,
                "Link not known",
                "This resume link is not valid. Please check that it was copied whole.",
            ),
        }
    })
    .await
    .unwrap_or_else(|error| super::server_error(&state, error))
}

//! The web front-end of `kith serve`: axum routes over the same engine and store as the
//! terminal. Participants get server-rendered forms; every submitted page is committed to the
//! store before the response is sent. Researchers get a status page and the export behind an
//! admin token.
//!
//! Security, in one place: every text is HTML-escaped; every POST carries a CSRF secret (per
//! session, or a double-submit cookie for the admin login); bodies are limited; responses carry
//! a strict Content-Security-Policy; nothing is served from the file system; tokens are 128-bit
//! random and kept in the store only as hashes; the admin token is compared in constant time;
//! cookies are HttpOnly and SameSite=Strict.

use crate::answer::{Answer, parse_answer};
use crate::conduct::{Conduct, PageOutcome, PageStep, RunError, check_params};
use crate::engine::Position;
use crate::export::{ExportRequest, Layout as ExportLayout, export};
use crate::html::{self, PageContext};
use crate::store::{LinkState, NewSession, Store, SurveyColumns, SurveyRecord, new_token};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq;

/// The largest request body accepted, in bytes: a page of answers is a few kilobytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The session cookie.
const SESSION_COOKIE: &str = "kith_session";
/// The admin cookie.
const ADMIN_COOKIE: &str = "kith_admin";
/// The admin login's double-submit CSRF cookie.
const LOGIN_COOKIE: &str = "kith_login";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The admin token (at least 16 characters).
    pub admin_token: String,
    /// Whether `/start` opens a session for anyone (one per browser); otherwise only links do.
    pub open_link: bool,
    /// Where participants go after submitting; `{session}` and `{participant}` are replaced.
    pub completion_redirect: Option<String>,
    /// The URL parameter that carries a participant id (e.g. a panel's), default `participant`.
    pub participant_param: String,
}

/// The shared state of the server.
#[derive(Debug)]
pub struct App {
    store: Mutex<Store>,
    /// A second connection for requests that only read (showing a page, the status, the
    /// export): in WAL mode they need not wait for the writer's commits.
    reader: Mutex<Store>,
    form: Arc<Form>,
    survey: SurveyRecord,
    options: ServeOptions,
    csp: String,
}

impl App {
    /// The state for serving `form` (already registered as `survey`) from `store`, with a
    /// second connection to the same file for reading.
    pub fn new(
        store: Store,
        reader: Store,
        form: Arc<Form>,
        survey: SurveyRecord,
        options: ServeOptions,
    ) -> App {
        // Form submissions may redirect to the completion URL's origin; nothing else leaves.
        let redirect_origin = options
            .completion_redirect
            .as_deref()
            .and_then(origin_of)
            .map(|origin| format!(" {origin}"))
            .unwrap_or_default();
        let csp = format!(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'{redirect_origin}; frame-ancestors 'none'; base-uri 'none'"
        );
        App {
            store: Mutex::new(store),
            reader: Mutex::new(reader),
            form,
            survey,
            options,
            csp,
        }
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The routes. Anything else is a 404 page; a wrong method a 405.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/style.css", get(style))
        .route("/start", get(start_open))
        .route("/l/{token}", get(start_link))
        .route("/resume/{token}", get(resume))
        .route("/take", get(take).post(submit))
        .route("/admin", get(admin))
        .route("/admin/login", post(admin_login))
        .route("/admin/export", get(admin_export))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(app.clone(), headers))
        .with_state(app)
}

/// Security headers on every response, and readable pages for the errors axum produces itself
/// (a wrong method, a body over the limit).
async fn headers(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/html"));
    if !is_html
        && (status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::PAYLOAD_TOO_LARGE)
    {
        let message = if status == StatusCode::METHOD_NOT_ALLOWED {
            "This address does not accept that kind of request."
        } else {
            "The request was too large and was not accepted; nothing was saved."
        };
        let allow = response.headers().get(header::ALLOW).cloned();
        response = page(
            status,
            html::message_page(&app.form.language, &app.form.title, "Not accepted", message),
        );
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&app.csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn page(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn message(app: &App, status: StatusCode, heading: &str, text: &str) -> Response {
    page(
        status,
        html::message_page(&app.form.language, &app.form.title, heading, text),
    )
}

fn server_error(app: &App, error: impl std::fmt::Display) -> Response {
    // The cause goes to the server's log, not to the participant.
    log_error(&error.to_string());
    message(
        app,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Your last page may not have been saved. Please go back and submit it again, or tell the research team.",
    )
}

/// Where server errors are reported: the library prints nothing, so the binary passes a
/// function (it writes to stderr).
static ERROR_LOG: std::sync::OnceLock<ErrorLog> = std::sync::OnceLock::new();

/// A function that reports a server error.
pub type ErrorLog = Box<dyn Fn(&str) + Send + Sync>;

/// Sets where server errors are reported (the binary passes a function that writes to stderr).
pub fn set_error_log(log: ErrorLog) {
    let _ = ERROR_LOG.set(log);
}

fn log_error(text: &str) {
    if let Some(log) = ERROR_LOG.get() {
        log(text);
    }
}

async fn home(State(app): State<Arc<App>>) -> Response {
    let text = if app.options.open_link {
        "To take part, open the survey's link: /start"
    } else {
        "To take part, open the personal link you were given."
    };
    message(&app, StatusCode::OK, &app.form.title, text)
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::STYLE,
    )
        .into_response()
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    message(
        &app,
        StatusCode::NOT_FOUND,
        "Not found",
        "There is nothing at this address. Please use the link you were given.",
    )
}

/// The value of a cookie in the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

fn set_cookie(name: &str, value: &str, path: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether a token has the shape kith gives its tokens (32 hex digits), before any lookup.
fn plausible_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Runs store work off the async threads (SQLite commits wait for the disk).
async fn with_store<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> T + Send + 'static,
) -> Result<T, String> {
    on_connection(app, false, work).await
}

/// Runs read-only store work on the reading connection.
async fn with_reader<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> T + Send + 'static,
) -> Result<T, String> {
    on_connection(app, true, work).await
}

async fn on_connection<T: Send + 'static>(
    app: &Arc<App>,
    read_only: bool,
    work: impl FnOnce(&Store, &App) -> T + Send + 'static,
) -> Result<T, String> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let lock = if read_only { &app.reader } else { &app.store };
        let store = lock
            .lock()
            .map_err(|_| "the store's lock was poisoned".to_string())?;
        Ok(work(&store, &app))
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The page for a session, rendered from the store.
fn render(
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
        Err(error) => return server_error(app, error),
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

fn redirect(location: &str) -> Response {
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

/// URL parameters kept with a new session: plain names, short values, at most 20; the
/// participant parameter becomes the participant id.
fn session_params(
    app: &App,
    query: &BTreeMap<String, String>,
) -> (Option<String>, BTreeMap<String, String>) {
    let columns = SurveyColumns::of(&app.form);
    let mut participant = None;
    let mut params = BTreeMap::new();
    for (name, value) in query.iter().take(20) {
        let value: String = value.chars().take(200).collect();
        if *name == app.options.participant_param {
            participant = Some(value);
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

/// Starts a session and its web access; returns (token, session id, csrf).
fn start_session(
    store: &Store,
    app: &App,
    query: &BTreeMap<String, String>,
) -> Result<(String, String, String), RunError> {
    let (participant, params) = session_params(app, query);
    let now = Utc::now();
    let layout = crate::engine::Layout::new(&app.form, rand::random());
    let position = if app.form.consent.is_some() {
        Position::Consent
    } else {
        Position::Page(0)
    };
    let id = store.create_session(&NewSession {
        survey: &app.survey,
        participant: participant.as_deref(),
        params: &params,
        layout: &layout,
        position,
        now,
    })?;
    let token = new_token();
    let csrf = new_token();
    store.grant_web_access(&id, &token, &csrf, now)?;
    Ok((token, id, csrf))
}

/// A response that opens the session in this browser: the page itself (not a redirect, so
/// that the SameSite=Strict cookie set here is sent with the page's own form).
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

/// The session a cookie opens, if it belongs to this survey.
fn session_of_cookie(store: &Store, headers: &HeaderMap) -> Option<(String, String, String)> {
    let token = cookie(headers, SESSION_COOKIE).filter(|t| plausible_token(t))?;
    let (session, csrf) = store.web_access(&token).ok()??;
    Some((token, session, csrf))
}

async fn start_open(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if !app.options.open_link {
        return message(
            &app,
            StatusCode::NOT_FOUND,
            "Not found",
            "This survey is taken with personal links only. Please use the link you were given.",
        );
    }
    let state = app.clone();
    with_store(&app, move |store, app| {
        // One session per browser: a browser that has one goes back to it.
        if let Some((token, session, csrf)) = session_of_cookie(store, &headers)
            && store
                .session(&session)
                .is_ok_and(|s| s.survey == app.survey.key)
        {
            return opened(store, app, &token, &session, &csrf);
        }
        match start_session(store, app, &query) {
            Ok((token, session, csrf)) => opened(store, app, &token, &session, &csrf),
            Err(error) => server_error(app, error),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

async fn start_link(
    State(app): State<Arc<App>>,
    Path(link): Path<String>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let state = app.clone();
    with_store(&app, move |store, app| {
        if !plausible_token(&link) {
            return message(app, StatusCode::NOT_FOUND, "Link not known", "This link is not valid. Please check that it was copied whole.");
        }
        match store.link_state(&app.survey.survey_id, &link) {
            Ok(LinkState::Unknown) => message(app, StatusCode::NOT_FOUND, "Link not known", "This link is not valid. Please check that it was copied whole."),
            Ok(LinkState::Used { session }) => {
                // The browser that started with this link goes on; anyone else is told.
                match session_of_cookie(store, &headers) {
                    Some((token, own, csrf)) if own == session => {
                        opened(store, app, &token, &own, &csrf)
                    }
                    _ => message(app, StatusCode::GONE, "Link already used", "This personal link has already been used. If you started the survey, use the resume link from its pages."),
                }
            }
            Ok(LinkState::Unused) => match start_session(store, app, &query) {
                Ok((token, session, csrf)) => match store.use_link(&link, &session) {
                    Ok(true) => opened(store, app, &token, &session, &csrf),
                    Ok(false) => message(app, StatusCode::GONE, "Link already used", "This personal link has already been used."),
                    Err(error) => server_error(app, error),
                },
                Err(error) => server_error(app, error),
            },
            Err(error) => server_error(app, error),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

async fn resume(State(app): State<Arc<App>>, Path(token): Path<String>) -> Response {
    let state = app.clone();
    with_store(&app, move |store, app| {
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
    .unwrap_or_else(|error| server_error(&state, error))
}

fn no_session(app: &App) -> Response {
    message(
        app,
        StatusCode::FORBIDDEN,
        "No survey session",
        "This browser has no survey session. Please open the link you were given (cookies must be allowed).",
    )
}

async fn take(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let state = app.clone();
    with_reader(&app, move |store, app| {
        match session_of_cookie(store, &headers) {
            Some((token, session, csrf)) => render(
                store,
                app,
                &token,
                &session,
                &csrf,
                PageContext::default(),
                StatusCode::OK,
            ),
            None => no_session(app),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

/// A submitted form: its fields in order, values kept as given.
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Why a submitted form was refused before any answer was looked at.
fn bad_request(app: &App, text: &str) -> Response {
    message(app, StatusCode::BAD_REQUEST, "Not accepted", text)
}

async fn submit(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return message(
            &app,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Not accepted",
            "Answers are sent by the survey's own form.",
        );
    }
    let state = app.clone();
    with_store(&app, move |store, app| {
        let Some((token, session, csrf)) = session_of_cookie(store, &headers) else {
            return no_session(app);
        };
        let fields = fields(&body);
        let single = |name: &str| -> Result<Option<&str>, ()> {
            let mut values = fields.iter().filter(|(k, _)| k == name);
            let first = values.next().map(|(_, v)| v.as_str());
            if values.next().is_some() { Err(()) } else { Ok(first) }
        };
        // The CSRF secret: present once and equal to this session's.
        match single("_csrf") {
            Ok(Some(given)) if bool::from(given.as_bytes().ct_eq(csrf.as_bytes())) => {}
            _ => {
                return message(app, StatusCode::FORBIDDEN, "Not accepted", "The form was not sent from this survey's page (its security code is missing or wrong). Please reload the page and try again; nothing was saved.");
            }
        }
        let action = match single("_action") {
            Ok(Some(action)) => action.to_string(),
            Ok(None) => return bad_request(app, "The form did not say which button was pressed; nothing was saved."),
            Err(()) => return bad_request(app, "The form named two buttons at once; nothing was saved."),
        };
        let mut conduct = match Conduct::load(store, app.form.clone(), &app.survey, &session) {
            Ok(conduct) => conduct,
            Err(error) => return server_error(app, error),
        };
        let now = Utc::now();
        let position = conduct.session().position();
        let outcome = match (position, action.as_str()) {
            (Position::Consent, "agree" | "decline") => {
                conduct.consent(action == "agree", now).map(|_| None)
            }
            (Position::Review, "submit") => conduct.submit(now).map(|_| None),
            (Position::Review, "back") => conduct.back(now).map(|_| None),
            (Position::Page(_), "next" | "back" | "save") => {
                let answers = match page_answers(conduct.session(), &fields) {
                    Ok(answers) => answers,
                    Err(problem) => return bad_request(app, &problem),
                };
                let step = match action.as_str() {
                    "next" => PageStep::Forward,
                    "back" => PageStep::Back,
                    _ => PageStep::Stay,
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
                    context.message = Some("Some answers were not accepted; nothing on this page was saved. Please correct them.".to_string());
                    return render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY);
                }
                let parsed: Vec<(String, Option<Answer>)> = answers
                    .into_iter()
                    .filter_map(|a| a.parsed.ok().map(|answer| (a.id, answer)))
                    .collect();
                conduct.submit_page(parsed, step, now).map(Some)
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
                let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
                let context = PageContext {
                    message: Some(format!(
                        "Your answers on this page are saved. Please answer question{} {} (required) before going on.",
                        if numbers.len() == 1 { "" } else { "s" },
                        list.join(", ")
                    )),
                    ..PageContext::default()
                };
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Ok(Some(PageOutcome::Refused(problems))) => {
                let mut context = PageContext::default();
                for (id, problem) in problems {
                    context.problems.insert(id, (problem.to_string(), String::new()));
                }
                context.message = Some("Some answers were not accepted; nothing on this page was saved.".to_string());
                render(store, app, &token, &session, &csrf, context, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(RunError::Step(_)) => redirect("/take"),
            Err(error) => server_error(app, error),
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
        if name == "_csrf" || name == "_action" {
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
        let values = by_question.remove(question.id).unwrap_or_default();
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
            parsed: parse_answer(question.response, &typed).map_err(|p| p.to_string()),
            typed,
        });
    }
    Ok(answers)
}

/// Whether the request carries the admin token, in the Authorization header or the cookie.
fn is_admin(app: &App, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
        .or_else(|| cookie(headers, ADMIN_COOKIE));
    given
        .is_some_and(|given| bool::from(given.as_bytes().ct_eq(app.options.admin_token.as_bytes())))
}

fn login_page(app: &App) -> Response {
    let csrf = new_token();
    let body = format!(
        "<h1>Researchers</h1><p>The status page and the export need the admin token that <code>kith serve</code> printed when it started.</p>\
         <form method=\"post\" action=\"/admin/login\"><input type=\"hidden\" name=\"_csrf\" value=\"{csrf}\">\
         <p><label for=\"token\">Admin token</label><br><input type=\"text\" id=\"token\" name=\"token\" autocomplete=\"off\"></p>\
         <div class=\"nav\"><button class=\"primary\">Sign in</button></div></form>"
    );
    let mut response = page(
        StatusCode::UNAUTHORIZED,
        html::document(&app.form.language, &app.form.title, &body),
    );
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &csrf, "/admin"),
    );
    response
}

async fn admin_login(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let fields = fields(&body);
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let expected = cookie(&headers, LOGIN_COOKIE);
    let csrf_ok = match (value("_csrf"), expected) {
        (Some(given), Some(expected)) => {
            plausible_token(&expected) && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        }
        _ => false,
    };
    if !csrf_ok {
        return message(
            &app,
            StatusCode::FORBIDDEN,
            "Not accepted",
            "The sign-in form was not sent from this server's page. Please open /admin and try again.",
        );
    }
    let token = value("token").unwrap_or_default();
    if !bool::from(
        token
            .trim()
            .as_bytes()
            .ct_eq(app.options.admin_token.as_bytes()),
    ) {
        return login_page(&app);
    }
    let mut response = redirect("/admin");
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(ADMIN_COOKIE, token.trim(), "/admin"),
    );
    response
}

/// The counts of the status page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    pub started: usize,
    pub completed: usize,
    pub in_progress: usize,
    /// In progress without any change for an hour.
    pub abandoned: usize,
    pub declined: usize,
    pub median_duration_s: Option<f64>,
}

pub fn overview(
    store: &Store,
    survey: &SurveyRecord,
) -> Result<Overview, crate::store::StoreError> {
    let sessions = store.sessions(&[survey.key])?;
    let now = Utc::now();
    let mut status = Overview {
        started: sessions.len(),
        ..Default::default()
    };
    let mut durations = Vec::new();
    for session in &sessions {
        match session.status {
            crate::store::Status::Complete => {
                status.completed += 1;
                if let (Some(start), Some(end)) = (
                    crate::store::parse_stamp(&session.started_at),
                    session
                        .finished_at
                        .as_deref()
                        .and_then(crate::store::parse_stamp),
                ) {
                    durations.push((end - start).num_milliseconds() as f64 / 1000.0);
                }
            }
            crate::store::Status::Declined => status.declined += 1,
            crate::store::Status::InProgress => {
                status.in_progress += 1;
                let idle = crate::store::parse_stamp(&session.updated_at)
                    .is_some_and(|t| (now - t).num_minutes() >= 60);
                status.abandoned += idle as usize;
            }
        }
    }
    durations.sort_by(f64::total_cmp);
    status.median_duration_s = match durations.len() {
        0 => None,
        n if n % 2 == 1 => Some(durations[n / 2]),
        n => Some((durations[n / 2 - 1] + durations[n / 2]) / 2.0),
    };
    Ok(status)
}

async fn admin(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if !is_admin(&app, &headers) {
        return login_page(&app);
    }
    let state = app.clone();
    with_reader(&app, move |store, app| match overview(store, &app.survey) {
        Ok(status) => {
            let median = status
                .median_duration_s
                .map(|s| format!("{:.1} minutes", s / 60.0))
                .unwrap_or_else(|| "none completed yet".to_string());
            let body = format!(
                "<h1>{}</h1><p>Survey <code>{}</code> {}, fingerprint <code>{}</code></p>\
                 <table><tbody>\
                 <tr><th>Sessions started</th><td id=\"started\">{}</td></tr>\
                 <tr><th>Completed</th><td id=\"completed\">{}</td></tr>\
                 <tr><th>In progress</th><td id=\"in-progress\">{}</td></tr>\
                 <tr><th>Abandoned (no change for an hour)</th><td id=\"abandoned\">{}</td></tr>\
                 <tr><th>Declined consent</th><td id=\"declined\">{}</td></tr>\
                 <tr><th>Median duration of completed sessions</th><td id=\"median\">{}</td></tr>\
                 </tbody></table>\
                 <h2>Export</h2><ul>\
                 <li><a href=\"/admin/export\">Completed sessions, one row each (CSV, what kith score reads)</a></li>\
                 <li><a href=\"/admin/export?partial=1\">All sessions, with their status (CSV)</a></li>\
                 <li><a href=\"/admin/export?layout=long&amp;partial=1\">Every answer with its timestamps (CSV)</a></li></ul>",
                kith_instrument::codebook::escape_html(&app.form.title),
                kith_instrument::codebook::escape_html(&app.survey.survey_id),
                kith_instrument::codebook::escape_html(&app.survey.version),
                kith_instrument::codebook::escape_html(&app.survey.fingerprint),
                status.started,
                status.completed,
                status.in_progress,
                status.abandoned,
                status.declined,
                median
            );
            page(StatusCode::OK, html::document(&app.form.language, &app.form.title, &body))
        }
        Err(error) => server_error(app, error),
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

async fn admin_export(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    if !is_admin(&app, &headers) {
        return login_page(&app);
    }
    let layout = match query.get("layout").map(String::as_str) {
        None | Some("wide") => ExportLayout::Wide,
        Some("long") => ExportLayout::Long,
        Some(_) => return bad_request(&app, "layout is wide or long"),
    };
    let include_partial = query.get("partial").is_some_and(|v| v == "1");
    let state = app.clone();
    with_reader(&app, move |store, app| {
        let request = ExportRequest {
            survey: Some(&app.survey.fingerprint),
            layout,
            include_partial,
        };
        match export(store, &request) {
            Ok(exported) => {
                let mut bytes = Vec::new();
                if let Err(error) = exported.table.write_csv(&mut bytes) {
                    return server_error(app, error);
                }
                let name = format!(
                    "{}-{}.csv",
                    app.survey.survey_id,
                    if layout == ExportLayout::Long {
                        "long"
                    } else {
                        "wide"
                    }
                );
                (
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                        (
                            header::CONTENT_DISPOSITION,
                            format!("attachment; filename=\"{name}\""),
                        ),
                    ],
                    bytes,
                )
                    .into_response()
            }
            Err(error) => server_error(app, error),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

/// Serves until `shutdown` resolves, then lets requests in flight finish (SIGTERM drains).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

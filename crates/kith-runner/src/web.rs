//! The web front-end of `kith serve`: axum routes over the same engine and store as the
//! terminal. Participants get server-rendered forms; every submitted page is committed to the
//! store before the response is sent. Researchers get a status page and the export behind an
//! admin sign-in.
//!
//! Security, in one place: every text is HTML-escaped; every POST carries a CSRF secret (per
//! session, or a double-submit cookie where there is no session yet: the start of a survey and
//! the admin sign-in); nothing is written by a GET or HEAD (a link preview or mail scanner
//! that fetches a link first starts no session and uses up no link); bodies are limited and
//! must arrive in time; responses carry a strict Content-Security-Policy; nothing is served
//! from the file system; tokens are 128-bit random and kept in the store only as hashes; the
//! admin token is compared in constant time, its failures throttled and logged, and the admin
//! cookie holds an expiring session, never the token; cookies are HttpOnly and SameSite=Strict.
//!
//! The parts: the participant's page and its form (`page.rs`), starting a session through the
//! open link or a single-use link (`start.rs`), the researchers' pages (`admin.rs`) and what
//! guards them (`guard.rs`), and the accept loop with its connection cap and timeouts
//! (`serve.rs`).

mod admin;
mod group_commit;
mod guard;
mod page;
mod serve;
mod start;

pub use admin::{Overview, overview};
pub use guard::{
    ADMIN_SESSION_LIFETIME, AdminSessions, MIN_GUESSES_LOG10, Refusal, SignInThrottle, WeakToken,
    check_admin_token,
};
pub use serve::{
    DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT, LimitError, Limits, RESERVED_FILES,
    limits_for, raise_open_file_limit, serve,
};

use crate::conduct::RunError;
use crate::html;
use crate::store::{Store, StoreError, SurveyRecord};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kith_instrument::form::Form;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// The largest request body accepted, in bytes: a page of answers is a few kilobytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The session cookie.
const SESSION_COOKIE: &str = "kith_session";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The admin token (checked by `check_admin_token` when it is not generated).
    pub admin_token: String,
    /// Whether `/start` opens a session for anyone (one per browser); otherwise only links do.
    pub open_link: bool,
    /// Where participants go after submitting; `{session}` and `{participant}` are replaced.
    pub completion_redirect: Option<String>,
    /// The URL parameter that carries a participant id (e.g. a panel's), default `participant`.
    pub participant_param: String,
    /// The connection cap and the request timeout.
    pub limits: Limits,
    /// Where the server's log lines go.
    pub log: Log,
}

/// The shared state of the server.
#[derive(Debug)]
pub struct App {
    store: Arc<Mutex<Store>>,
    /// The writer thread that runs changing requests in group commits (`group_commit.rs`).
    writer: std::sync::mpsc::Sender<group_commit::Job>,
    /// A second connection for requests that only read (showing a page, the status, the
    /// export): in WAL mode they need not wait for the writer's commits.
    reader: Mutex<Store>,
    form: Arc<Form>,
    survey: SurveyRecord,
    options: ServeOptions,
    csp: String,
    /// Signed-in researchers and the throttle of failed sign-ins; in memory only, so a restart
    /// signs everyone out.
    admin: admin::AdminState,
}

/// The address a request came from (the proxy's, behind a reverse proxy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub IpAddr);

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
        let store = Arc::new(Mutex::new(store));
        App {
            writer: group_commit::start(store.clone()),
            store,
            reader: Mutex::new(reader),
            form,
            survey,
            options,
            csp,
            admin: admin::AdminState::default(),
        }
    }
}

impl App {
    /// Writes a line to the server's log.
    fn log(&self, level: LogLevel, message: String, hint: Option<String>) {
        (self.options.log.0)(&LogLine {
            level,
            message,
            hint,
        });
    }

    /// Moves what the `-wal` file holds into the store file, waiting for readers (on exit).
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        match self.store.lock() {
            Ok(store) => store.checkpoint(true),
            // A poisoned lock means a request panicked; its connection is still usable.
            Err(poisoned) => poisoned.into_inner().checkpoint(true),
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

/// The routes. Anything else is a 404 page; a wrong method a 405. GET (and with it HEAD) only
/// ever reads; everything that writes is a POST with a CSRF secret.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/style.css", get(style))
        .route("/start", get(start::open_landing).post(start::open_start))
        .route(
            "/l/{token}",
            get(start::link_landing).post(start::link_start),
        )
        .route("/resume/{token}", get(start::resume))
        .route("/take", get(page::take).post(page::submit))
        .route("/admin", get(admin::status))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/export", get(admin::export_csv))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(app.clone(), read_body))
        .layer(axum::middleware::from_fn_with_state(app.clone(), headers))
        .with_state(app)
}

/// Reads each request's body whole before any handler runs, within the body limit and the
/// request timeout: a client that sends its body slowly is cut off like one that sends its
/// headers slowly (hyper's header timeout), instead of holding its connection open for good.
async fn read_body(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(
        app.options.limits.request_timeout,
        axum::body::to_bytes(body, BODY_LIMIT),
    )
    .await;
    match read {
        Ok(Ok(bytes)) => {
            let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
            next.run(request).await
        }
        // Over the limit (or a connection that broke off, where no one reads the reply).
        Ok(Err(_)) => message(
            &app,
            StatusCode::PAYLOAD_TOO_LARGE,
            "Not accepted",
            "The request was too large and was not accepted; nothing was saved.",
        ),
        Err(_) => {
            let mut response = message(
                &app,
                StatusCode::REQUEST_TIMEOUT,
                "Not accepted",
                "The request took too long to arrive and was not accepted; nothing was saved. Please try again.",
            );
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
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

/// A failure that the server logs: its message and, when it has one, its hint.
trait Failure: std::fmt::Display {
    fn hint(&self) -> Option<String> {
        None
    }
}

impl Failure for str {}
impl Failure for String {}
impl Failure for csv::Error {}

impl Failure for StoreError {
    fn hint(&self) -> Option<String> {
        StoreError::hint(self)
    }
}

impl Failure for RunError {
    fn hint(&self) -> Option<String> {
        RunError::hint(self)
    }
}

impl Failure for crate::export::ExportError {
    fn hint(&self) -> Option<String> {
        crate::export::ExportError::hint(self)
    }
}

impl<T: Failure + ?Sized> Failure for &T {
    fn hint(&self) -> Option<String> {
        T::hint(self)
    }
}

fn server_error(app: &App, error: impl Failure) -> Response {
    // The cause goes to the server's log, not to the participant.
    app.log(LogLevel::Error, error.to_string(), error.hint());
    message(
        app,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Your last page may not have been saved. Please go back and submit it again, or tell the research team.",
    )
}

/// A failed store step as the participant sees it: when the store's files were deleted or
/// replaced, a 503 that claims nothing was saved and asks to try later; otherwise a 500.
fn store_failed(app: &App, error: &StoreError) -> Response {
    if !matches!(error, StoreError::Replaced { .. }) {
        return server_error(app, error);
    }
    report_store_error(app, error);
    let mut response = message(
        app,
        StatusCode::SERVICE_UNAVAILABLE,
        "Not saved",
        "Your answers on this page could not be saved just now, so nothing on this page was saved. Please keep this page open and try again in a few minutes, or tell the research team.",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("300"));
    response
}

/// `store_failed` for a failed session step.
fn run_failed(app: &App, error: &RunError) -> Response {
    match error {
        RunError::Store(error) => store_failed(app, error),
        other => server_error(app, other),
    }
}

/// Logs that the store's files are gone, once: the first time it is found.
fn report_store_error(app: &App, error: &StoreError) {
    if let StoreError::Replaced {
        just_found: true, ..
    } = error
    {
        app.log(LogLevel::Error, error.to_string(), error.hint());
    }
}

/// How serious a line of the server's log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    /// Something failed: a page not saved, a store gone.
    Error,
    /// Something a researcher should know: failed admin sign-ins, a full connection table.
    Warning,
}

/// One line of the server's log: how serious it is, what happened, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub level: LogLevel,
    pub message: String,
    pub hint: Option<String>,
}

/// Where the server's log lines go. The library prints nothing, so the binary passes a
/// function that writes them (to stderr, with the hint on its own line).
#[derive(Clone)]
pub struct Log(Arc<dyn Fn(&LogLine) + Send + Sync>);

impl Log {
    /// A log that hands every line to `write`.
    pub fn new(write: impl Fn(&LogLine) + Send + Sync + 'static) -> Log {
        Log(Arc::new(write))
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Log(..)")
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

/// A cookie that ends when the browser closes or after `max_age` seconds.
fn set_cookie_for(name: &str, value: &str, path: &str, max_age: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether a form was sent as a form (`application/x-www-form-urlencoded`).
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn not_a_form(app: &App) -> Response {
    message(
        app,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Not accepted",
        "Answers are sent by the survey's own form.",
    )
}

/// A submitted form: its fields in order, values kept as given.
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The one value of a field; `Err` when the form sends it twice.
fn single<'f>(fields: &'f [(String, String)], name: &str) -> Result<Option<&'f str>, ()> {
    let mut values = fields.iter().filter(|(k, _)| k == name);
    let first = values.next().map(|(_, v)| v.as_str());
    if values.next().is_some() {
        Err(())
    } else {
        Ok(first)
    }
}

/// Whether a form's CSRF field is present once and equal to `expected` (constant time).
fn csrf_matches(fields: &[(String, String)], expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    match single(fields, "_csrf") {
        Ok(Some(given)) => {
            plausible_token(expected) && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        }
        _ => false,
    }
}

/// Why a submitted form was refused before any answer was looked at.
fn bad_request(app: &App, text: &str) -> Response {
    message(app, StatusCode::BAD_REQUEST, "Not accepted", text)
}

/// Whether a token has the shape kith gives its tokens (32 hex digits), before any lookup.
fn plausible_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Runs store work off the async threads (SQLite commits wait for the disk).
/// Runs work that changes the store on the writer, in a group commit: the response is sent
/// only once the group's commit is durable.
async fn with_store(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> Response + Send + 'static,
) -> Result<Response, String> {
    group_commit::run(app, work).await
}

/// Runs read-only store work on the reading connection.
async fn with_reader<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> T + Send + 'static,
) -> Result<T, String> {
    on_connection(app, work).await
}

async fn on_connection<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store, &App) -> T + Send + 'static,
) -> Result<T, String> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let store = app
            .reader
            .lock()
            .map_err(|_| "the store's lock was poisoned".to_string())?;
        Ok(work(&store, &app))
    })
    .await
    .map_err(|e| e.to_string())?
}

//! The researchers' pages: the status page, the export and the sign-in. A request is let in
//! by a Bearer token equal to the admin token (scripts) or by the cookie of a signed-in
//! session (browsers): the sign-in form checks the token once and sets a cookie holding a
//! random, expiring session token instead. Every wrong token, by form or Bearer, spends one of
//! the attempts the throttle allows and is logged; an address over its allowance is refused
//! unchecked (429) until its attempts refill.

use super::guard::{ADMIN_SESSION_LIFETIME, AdminSessions, Refusal, SignInThrottle};
use super::page::redirect;
use super::{
    App, LogLevel, Peer, bad_request, cookie, csrf_matches, fields, is_form, message, not_a_form,
    page, plausible_token, server_error, set_cookie, set_cookie_for, store_failed, with_reader,
};
use crate::export::{ExportError, ExportRequest, Layout as ExportLayout, export};
use crate::html;
use crate::store::{Store, SurveyRecord, new_token};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kith_instrument::escape::escape_html;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use subtle::ConstantTimeEq;

/// The admin cookie: a signed-in session's random token.
const ADMIN_COOKIE: &str = "kith_admin";
/// The admin sign-in's double-submit CSRF cookie.
const LOGIN_COOKIE: &str = "kith_login";

/// Signed-in researchers and the throttle of failed sign-ins.
#[derive(Debug, Default)]
pub(super) struct AdminState {
    sessions: Mutex<AdminSessions>,
    throttle: Mutex<SignInThrottle>,
}

/// Who is asking, as far as the researchers' pages go.
enum Access {
    /// Let in; signed in by cookie with this sign-out CSRF secret, or by a Bearer token.
    Admin { sign_out: Option<String> },
    /// No token and no signed-in cookie.
    Anonymous,
    /// A wrong token (already counted and logged).
    Wrong,
    /// Too many wrong tokens from this address (or from everywhere): not checked.
    Throttled(Refusal),
}

/// The address of a request; unknown outside the server's own accept loop.
fn peer_of(peer: Option<Extension<Peer>>) -> IpAddr {
    peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(Peer(ip))| ip)
}

/// Checks a token someone gave against the admin token, through the throttle.
fn check_token(app: &App, peer: IpAddr, given: &str, how: &str) -> Access {
    let now = Instant::now();
    let Ok(mut throttle) = app.admin.throttle.lock() else {
        return Access::Wrong;
    };
    if let Err(refusal) = throttle.check(peer, now) {
        if refusal.first {
            app.log(
                LogLevel::Warning,
                format!(
                    "admin sign-in refused from {peer} for {} s after repeated wrong admin tokens",
                    refusal.retry_after.as_secs().max(1)
                ),
                None,
            );
        }
        return Access::Throttled(refusal);
    }
    if bool::from(
        given
            .trim()
            .as_bytes()
            .ct_eq(app.options.admin_token.as_bytes()),
    ) {
        return Access::Admin { sign_out: None };
    }
    throttle.failed(peer, now);
    app.log(
        LogLevel::Warning,
        format!("admin sign-in failed from {peer}: a wrong admin token ({how})"),
        None,
    );
    Access::Wrong
}

/// Whether the request may see the researchers' pages.
fn access(app: &App, headers: &HeaderMap, peer: IpAddr) -> Access {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(given) = bearer {
        return check_token(app, peer, given, "Bearer");
    }
    let signed_in = cookie(headers, ADMIN_COOKIE)
        .filter(|token| plausible_token(token))
        .and_then(|token| {
            let mut sessions = app.admin.sessions.lock().ok()?;
            sessions.get(&token, Instant::now())
        });
    match signed_in {
        Some(csrf) => Access::Admin {
            sign_out: Some(csrf),
        },
        None => Access::Anonymous,
    }
}

/// The reply to a request that is not let in: the sign-in page, or a 429 when throttled.
fn refused(app: &App, access: &Access) -> Response {
    match access {
        Access::Throttled(refusal) => throttled(app, refusal),
        Access::Wrong => login_page(app, Some("That is not the admin token.")),
        _ => login_page(app, None),
    }
}

fn throttled(app: &App, refusal: &Refusal) -> Response {
    let seconds = refusal.retry_after.as_secs_f64().ceil().max(1.0) as u64;
    let mut response = message(
        app,
        StatusCode::TOO_MANY_REQUESTS,
        "Too many attempts",
        &format!(
            "Too many wrong admin tokens were tried. Please wait {seconds} seconds and try again."
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn login_page(app: &App, problem: Option<&str>) -> Response {
    let csrf = new_token();
    let problem = problem
        .map(|text| format!("<p class=\"error\">{}</p>", escape_html(text)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Researchers</h1><p>The status page and the export need the admin token that <code>kith serve</code> printed when it started.</p>{problem}\
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

/// POST `/admin/login`: the sign-in form. A right token signs in for eight hours.
pub(super) async fn login(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = fields(&body);
    if !csrf_matches(&fields, &cookie(&headers, LOGIN_COOKIE).unwrap_or_default()) {
        return message(
            &app,
            StatusCode::FORBIDDEN,
            "Not accepted",
            "The sign-in form was not sent from this server's page. Please open /admin and try again.",
        );
    }
    let token = fields
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let checked = check_token(&app, peer_of(peer), token, "sign-in form");
    if !matches!(checked, Access::Admin { .. }) {
        return refused(&app, &checked);
    }
    let Ok(mut sessions) = app.admin.sessions.lock() else {
        return server_error(&app, "the admin sessions' lock was poisoned");
    };
    let (session, _) = sessions.create(Instant::now());
    let mut response = redirect("/admin");
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie_for(
            ADMIN_COOKIE,
            &session,
            "/admin",
            ADMIN_SESSION_LIFETIME.as_secs(),
        ),
    );
    response
}

/// POST `/admin/logout`: signs this browser's session out (its CSRF secret is on the status
/// page's sign-out form).
pub(super) async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_form(&headers) {
        return not_a_form(&app);
    }
    let token = cookie(&headers, ADMIN_COOKIE).filter(|t| plausible_token(t));
    if let Some(token) = token
        && let Ok(mut sessions) = app.admin.sessions.lock()
    {
        match sessions.get(&token, Instant::now()) {
            Some(csrf) if csrf_matches(&fields(&body), &csrf) => sessions.end(&token),
            Some(_) => {
                return message(
                    &app,
                    StatusCode::FORBIDDEN,
                    "Not accepted",
                    "The sign-out form was not sent from this server's page. Please open /admin and try again.",
                );
            }
            None => {}
        }
    }
    let mut response = redirect("/admin");
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie_for(ADMIN_COOKIE, "", "/admin", 0),
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
    /// Ended by a screen-out (`end_if`).
    pub screened_out: usize,
    pub median_duration_s: Option<f64>,
}

/// The counts of the status page, from the store.
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
            crate::store::Status::ScreenedOut => status.screened_out += 1,
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

/// GET `/admin`: the status page.
pub(super) async fn status(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
) -> Response {
    let sign_out = match access(&app, &headers, peer_of(peer)) {
        Access::Admin { sign_out } => sign_out,
        other => return refused(&app, &other),
    };
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
                 <tr><th>Screened out</th><td id=\"screened-out\">{}</td></tr>\
                 <tr><th>Median duration of completed sessions</th><td id=\"median\">{}</td></tr>\
                 </tbody></table>\
                 <h2>Export</h2><ul>\
                 <li><a href=\"/admin/export\">Completed sessions, one row each (CSV, what kith score reads)</a></li>\
                 <li><a href=\"/admin/export?partial=1\">All sessions, with their status (CSV)</a></li>\
                 <li><a href=\"/admin/export?layout=long&amp;partial=1\">Every answer with its timestamps (CSV)</a></li></ul>{}",
                escape_html(&app.form.title),
                escape_html(&app.survey.survey_id),
                escape_html(&app.survey.version),
                escape_html(&app.survey.fingerprint),
                status.started,
                status.completed,
                status.in_progress,
                status.abandoned,
                status.declined,
                status.screened_out,
                median,
                sign_out_form(sign_out.as_deref())
            );
            page(StatusCode::OK, html::document(&app.form.language, &app.form.title, &body))
        }
        Err(error) => store_failed(app, &error),
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

/// The sign-out button of a session signed in by cookie.
fn sign_out_form(csrf: Option<&str>) -> String {
    csrf.map(|csrf| {
        format!(
            "<form method=\"post\" action=\"/admin/logout\"><input type=\"hidden\" name=\"_csrf\" value=\"{}\">\
             <div class=\"nav\"><button>Sign out</button></div></form>",
            escape_html(csrf)
        )
    })
    .unwrap_or_default()
}

/// GET `/admin/export`: the export as CSV.
pub(super) async fn export_csv(
    State(app): State<Arc<App>>,
    peer: Option<Extension<Peer>>,
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let checked = access(&app, &headers, peer_of(peer));
    if !matches!(checked, Access::Admin { .. }) {
        return refused(&app, &checked);
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
            relation: None,
            names: false,
        };
        match export(store, &request) {
            Ok(exported) => {
                let mut bytes = Vec::new();
                if let Err(error) = exported.table.write_csv(&mut bytes) {
                    return server_error(app, ExportError::Write(error));
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
            Err(crate::export::ExportError::Store(error)) => store_failed(app, &error),
            Err(error) => server_error(app, error),
        }
    })
    .await
    .unwrap_or_else(|error| server_error(&state, error))
}

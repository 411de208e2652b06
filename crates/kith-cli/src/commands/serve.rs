//! `kith serve`: a survey served to participants' browsers, every page saved before it is
//! acknowledged.

use super::Outcome;
use crate::input::form_for;
use crate::render::fail;
use anyhow::{Context, Result};
use kith_analysis::study::io_reason;
use kith_runner::store::Store;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// The options of `kith serve`.
#[derive(Debug)]
pub struct ServeArgs {
    pub survey: PathBuf,
    pub store: PathBuf,
    pub addr: String,
    pub links_only: bool,
    pub redirect: Option<String>,
    pub participant_param: String,
    pub max_connections: Option<u64>,
    pub request_timeout: Option<u64>,
}

/// The admin token: KITH_ADMIN_TOKEN when set (and hard to guess), else a new random one.
fn admin_token() -> Result<(String, bool)> {
    match std::env::var("KITH_ADMIN_TOKEN") {
        Ok(token) => {
            let token = token.trim().to_string();
            kith_runner::web::check_admin_token(&token)?;
            Ok((token, true))
        }
        Err(_) => Ok((kith_runner::store::new_token(), false)),
    }
}

/// `kith serve SURVEY --store FILE`.
pub fn run(args: ServeArgs) -> Result<Outcome> {
    let Some(form) = form_for(&args.survey, "the server was not started")? else {
        return Ok(Outcome::Failed);
    };
    if let Some(url) = &args.redirect
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(fail(
            format!("the completion redirect `{url}` is not an http(s) address"),
            "give a full address such as https://panel.example/complete?code=ABC",
        ));
    }
    let (token, from_env) = admin_token()?;
    // Every connection is a file descriptor: the cap stays below what the process may open.
    let files = kith_runner::web::raise_open_file_limit();
    let limits = kith_runner::web::limits_for(args.max_connections, args.request_timeout, files)?;
    let store = Store::open(&args.store)?;
    let source = std::fs::canonicalize(&args.survey)
        .unwrap_or_else(|_| args.survey.clone())
        .display()
        .to_string();
    let survey = store.register_survey(&form, &source, chrono_now())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    let store_shown = args.store.display().to_string();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr).await.map_err(|e| {
            fail(format!("cannot listen on `{}`: {}", args.addr, io_reason(&e)), "choose another address with --addr, e.g. 127.0.0.1:8081")
        })?;
        let address = listener.local_addr()?;
        let log = kith_runner::web::Log::new(|line| {
            let prefix = match line.level {
                kith_runner::web::LogLevel::Error => "error",
                kith_runner::web::LogLevel::Warning => "warning",
            };
            let text = crate::render::with_hint(&line.message, line.hint.as_deref());
            let _ = writeln!(std::io::stderr(), "{prefix}: {text}");
        });
        let reader = Store::open_existing(&args.store)?;
        let app = Arc::new(kith_runner::web::App::new(
            store,
            reader,
            Arc::new(form),
            survey.clone(),
            kith_runner::web::ServeOptions {
                admin_token: token.clone(),
                open_link: !args.links_only,
                completion_redirect: args.redirect.clone(),
                participant_param: args.participant_param.clone(),
                limits,
                log,
            },
        ));
        {
            let mut stderr = std::io::stderr().lock();
            writeln!(
                stderr,
                "serving `{}` {} (fingerprint {}) on http://{address}",
                survey.survey_id, survey.version, survey.fingerprint
            )?;
            if args.links_only {
                writeln!(stderr, "  participants: personal links only (kith links create --store {store_shown} --n N)")?;
            } else {
                writeln!(stderr, "  participants: http://{address}/start (one session per browser)")?;
            }
            writeln!(stderr, "  researchers:  http://{address}/admin")?;
            if from_env {
                writeln!(stderr, "  admin token:  from KITH_ADMIN_TOKEN")?;
            } else {
                writeln!(stderr, "  admin token:  {token}")?;
            }
            writeln!(
                stderr,
                "  limits:       {} connections at once, {} s to send a request",
                limits.max_connections,
                limits.request_timeout.as_secs()
            )?;
            writeln!(stderr, "  every submitted page is saved to {store_shown}; Ctrl-C or SIGTERM stops after the requests in flight")?;
        }
        kith_runner::web::serve(listener, app.clone(), shutdown_signal()).await?;
        // The store file itself is brought up to date on the way out (see `run_survey`).
        let _ = app.checkpoint();
        writeln!(std::io::stderr(), "stopped; every acknowledged page is in {store_shown}")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(Outcome::Success)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

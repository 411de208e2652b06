//! `kith run`: administer a survey in the terminal, and `kith export`: write a store's sessions
//! as a response file.

use crate::check::form_for;
use crate::{ExportFormat, ExportLayout, Outcome};
use anyhow::{Context, Result, anyhow, bail};
use kith_runner::engine::Position;
use kith_runner::export::{Cell, ColumnType, ExportRequest, Table, export};
use kith_runner::store::Store;
use kith_runner::terminal::{self, Running, Start, TerminalOptions};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The options of `kith run`.
#[derive(Debug)]
pub struct RunArgs {
    pub survey: Option<PathBuf>,
    pub store: PathBuf,
    pub participant: Option<String>,
    pub kiosk: bool,
    pub resume: Option<String>,
    pub force: bool,
    pub params: Vec<String>,
}

fn parse_params(params: &[String]) -> Result<BTreeMap<String, String>> {
    params
        .iter()
        .map(|param| {
            param
                .split_once('=')
                .map(|(name, value)| (name.trim().to_string(), value.to_string()))
                .ok_or_else(|| {
                    anyhow!("`--param {param}` has no `=`\n  = hint: write it as NAME=VALUE, e.g. --param lab_room=3")
                })
        })
        .collect()
}

/// Whether colour may be used: not under NO_COLOR (any non-empty value) or a dumb terminal.
fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

pub fn run_survey(args: RunArgs) -> Result<Outcome> {
    // Nothing is written when there is no terminal to ask the questions in.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "kith run asks its questions in an interactive terminal, but standard input or output is not one\n  = hint: run it in a terminal window (over SSH, use ssh -t)"
        );
    }
    let params = parse_params(&args.params)?;
    let store_shown = args.store.display().to_string();
    // The survey file: given, or (when resuming) the one the session began with.
    let survey_path = match (&args.survey, &args.resume) {
        (Some(path), _) => path.clone(),
        (None, Some(id)) => {
            let store = Store::open(&args.store)?;
            let session = store.session(id)?;
            let survey = store
                .surveys()?
                .into_iter()
                .find(|s| s.key == session.survey)
                .ok_or_else(|| {
                    anyhow!("the store `{store_shown}` has lost the survey of session `{id}`")
                })?;
            let path = PathBuf::from(&survey.source);
            if !path.exists() {
                bail!(
                    "session `{id}` began with `{}`, which no longer exists\n  = hint: give the survey file: kith run SURVEY --resume {id} --store {store_shown}",
                    survey.source
                );
            }
            path
        }
        (None, None) => bail!("give the survey file to run"),
    };
    let Some(form) = form_for(&survey_path, "no session was started")? else {
        return Ok(Outcome::Failed);
    };
    let source = std::fs::canonicalize(&survey_path)
        .unwrap_or_else(|_| survey_path.clone())
        .display()
        .to_string();
    // Opening proves that the store can be written: a read-only or full disk fails here.
    let store = Store::open(&args.store)?;
    let running = Running {
        form: Arc::new(form),
        source,
    };
    let start = match args.resume {
        Some(id) => Start::Resume {
            id,
            force: args.force,
        },
        None => Start::New {
            participant: args.participant.clone(),
            params,
        },
    };
    let first = if args.kiosk
        && matches!(
            &start,
            Start::New {
                participant: None,
                ..
            }
        ) {
        // Kiosk mode asks each participant's id on screen, the first one too.
        None
    } else {
        Some(terminal::begin(&store, &running, &start)?)
    };
    let options = TerminalOptions {
        color: color_allowed(),
        kiosk: args.kiosk,
    };
    let mut stdout = std::io::stdout();
    let outcome = terminal::run(&store, &running, first, &options, &mut stdout);
    // On every way out, the store file itself is brought up to date, so that it holds every
    // answer without its `-wal` file (a copy of it alone, a backup of the folder). Nothing is
    // lost if this fails: the answers are committed in the `-wal` file.
    let _ = store.checkpoint(true);
    let outcome = outcome?;
    let mut stderr = std::io::stderr().lock();
    for ended in &outcome.ended {
        match ended.position {
            Position::Declined => writeln!(
                stderr,
                "session {} declined: only the decision was saved to {store_shown}",
                ended.session
            )?,
            _ => writeln!(
                stderr,
                "session {} complete: {} answer{} saved to {store_shown}",
                ended.session,
                ended.answers,
                if ended.answers == 1 { "" } else { "s" }
            )?,
        }
    }
    if let Some(id) = &outcome.paused {
        writeln!(
            stderr,
            "session {id} paused; every answer given so far is saved in {store_shown}\n  resume with: kith run --resume {id} --store {store_shown}"
        )?;
    }
    Ok(Outcome::Success)
}

/// The options of `kith export`.
#[derive(Debug)]
pub struct ExportArgs {
    pub store: PathBuf,
    pub survey: Option<String>,
    pub format: Option<ExportFormat>,
    pub layout: ExportLayout,
    pub include_partial: bool,
    pub output: Option<PathBuf>,
}

fn format_of(args: &ExportArgs) -> Result<ExportFormat> {
    if let Some(format) = args.format {
        return Ok(format);
    }
    let Some(output) = &args.output else {
        return Ok(ExportFormat::Csv);
    };
    let name = output.display().to_string().to_lowercase();
    Ok(if name.ends_with(".parquet") || name.ends_with(".pq") {
        ExportFormat::Parquet
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        ExportFormat::Jsonl
    } else if name.ends_with(".csv") {
        ExportFormat::Csv
    } else {
        bail!(
            "cannot tell the format of `{}` from its extension\n  = hint: name it .csv, .parquet or .jsonl, or pass --format",
            output.display()
        )
    })
}

/// The table as a polars frame, for Parquet.
fn frame_of(table: &Table) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, (name, kind))| {
            let cells = table.rows.iter().map(|row| &row[index]);
            let name = PlSmallStr::from(name.as_str());
            match kind {
                ColumnType::Int => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Int(v) => Some(*v),
                            _ => None,
                        })
                        .collect::<Vec<Option<i64>>>(),
                ),
                ColumnType::Float => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Float(v) => Some(*v),
                            Cell::Int(v) => Some(*v as f64),
                            _ => None,
                        })
                        .collect::<Vec<Option<f64>>>(),
                ),
                ColumnType::Text => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Text(t) => Some(t.clone()),
                            Cell::Int(v) => Some(v.to_string()),
                            Cell::Float(v) => Some(v.to_string()),
                            Cell::Empty => None,
                        })
                        .collect::<Vec<Option<String>>>(),
                ),
            }
        })
        .collect();
    DataFrame::new(table.rows.len(), columns)
}

fn write_table(table: &Table, format: ExportFormat, writer: &mut dyn Write) -> Result<()> {
    match format {
        ExportFormat::Csv => table.write_csv(writer)?,
        ExportFormat::Jsonl => table.write_jsonl(writer)?,
        ExportFormat::Parquet => {
            let mut frame = frame_of(table)?;
            ParquetWriter::new(writer).finish(&mut frame)?;
        }
    }
    Ok(())
}

pub fn run_export(args: ExportArgs) -> Result<Outcome> {
    let format = format_of(&args)?;
    if format == ExportFormat::Parquet && args.output.is_none() {
        bail!(
            "Parquet is binary and is not written to the terminal\n  = hint: add -o responses.parquet"
        );
    }
    let store = Store::open_existing(&args.store)?;
    let exported = export(
        &store,
        &ExportRequest {
            survey: args.survey.as_deref(),
            layout: match args.layout {
                ExportLayout::Wide => kith_runner::export::Layout::Wide,
                ExportLayout::Long => kith_runner::export::Layout::Long,
            },
            include_partial: args.include_partial,
        },
    )?;
    match &args.output {
        Some(path) => {
            crate::atomic::write_file(path, |writer| write_table(&exported.table, format, writer))?
        }
        None => {
            let mut writer = std::io::BufWriter::new(std::io::stdout().lock());
            write_table(&exported.table, format, &mut writer)?;
            writer.flush()?;
        }
    }
    let mut note = format!(
        "exported {} session{} ({} row{})",
        exported.sessions,
        if exported.sessions == 1 { "" } else { "s" },
        exported.table.rows.len(),
        if exported.table.rows.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if exported.partial_left_out > 0 {
        note.push_str(&format!(
            "; {} unfinished or declined session{} left out (add --include-partial)",
            exported.partial_left_out,
            if exported.partial_left_out == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    writeln!(std::io::stderr(), "{note}")?;
    Ok(Outcome::Success)
}

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

pub fn run_serve(args: ServeArgs) -> Result<Outcome> {
    let Some(form) = form_for(&args.survey, "the server was not started")? else {
        return Ok(Outcome::Failed);
    };
    if let Some(url) = &args.redirect
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        bail!(
            "the completion redirect `{url}` is not an http(s) address\n  = hint: give a full address such as https://panel.example/complete?code=ABC"
        );
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
            anyhow!(
                "cannot listen on `{}`: {}\n  = hint: choose another address with --addr, e.g. 127.0.0.1:8081",
                args.addr,
                crate::data::io_reason(&e)
            )
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

/// `kith links create`: single-use participant links.
pub fn run_links_create(store: &Path, survey: &str, n: usize, base_url: &str) -> Result<Outcome> {
    if n == 0 || n > 100_000 {
        bail!("--n {n} is out of range\n  = hint: create between 1 and 100000 links at a time");
    }
    let store_handle = Store::open_existing(store)?;
    let known = store_handle.surveys()?;
    if !known.iter().any(|s| s.survey_id == survey) {
        let ids: Vec<String> = known.iter().map(|s| format!("`{}`", s.survey_id)).collect();
        bail!(
            "the store `{}` has no survey `{survey}`\n  = hint: start `kith serve SURVEY --store {}` once to register it{}",
            store.display(),
            store.display(),
            if ids.is_empty() {
                String::new()
            } else {
                format!("; it holds {}", ids.join(", "))
            }
        );
    }
    let tokens = store_handle.create_links(survey, n, chrono_now())?;
    let base = base_url.trim_end_matches('/');
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for token in tokens {
        writeln!(stdout, "{base}/l/{token}")?;
    }
    stdout.flush()?;
    writeln!(
        std::io::stderr(),
        "created {n} single-use link{} for `{survey}`; they are shown only now (the store keeps their hashes)",
        if n == 1 { "" } else { "s" }
    )?;
    Ok(Outcome::Success)
}

/// `kith store backup`: a consistent copy of a store, while sessions may be running.
pub fn run_store_backup(store: &Path, output: &Path) -> Result<Outcome> {
    let source = Store::open_existing(store)?;
    let report = source.backup_to(output)?;
    writeln!(
        std::io::stderr(),
        "backed up `{}` to `{}`: {} session{}, {} KiB, one file (no -wal needed)",
        store.display(),
        report.path,
        report.sessions,
        if report.sessions == 1 { "" } else { "s" },
        report.bytes.div_ceil(1024)
    )?;
    Ok(Outcome::Success)
}

//! `kith run`: administer a survey in the terminal, every answer saved as it is given.

use super::Outcome;
use crate::input::form_for;
use crate::render::fail;
use anyhow::{Result, anyhow, bail};
use kith_runner::engine::Position;
use kith_runner::store::Store;
use kith_runner::terminal::{self, Running, Start, TerminalOptions};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
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
    pub lang: Option<String>,
}

fn parse_params(params: &[String]) -> Result<BTreeMap<String, String>> {
    params
        .iter()
        .map(|param| {
            param
                .split_once('=')
                .map(|(name, value)| (name.trim().to_string(), value.to_string()))
                .ok_or_else(|| {
                    fail(
                        format!("`--param {param}` has no `=`"),
                        "write it as NAME=VALUE, e.g. --param lab_room=3",
                    )
                })
        })
        .collect()
}

/// Whether colour may be used: not under NO_COLOR (any non-empty value) or a dumb terminal.
fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// `kith run SURVEY --store FILE`.
pub fn run(args: RunArgs) -> Result<Outcome> {
    // Nothing is written when there is no terminal to ask the questions in.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(fail(
            "kith run asks its questions in an interactive terminal, but standard input or output is not one",
            "run it in a terminal window (over SSH, use ssh -t)",
        ));
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
                return Err(fail(
                    format!(
                        "session `{id}` began with `{}`, which no longer exists",
                        survey.source
                    ),
                    format!(
                        "give the survey file: kith run SURVEY --resume {id} --store {store_shown}"
                    ),
                ));
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
            language: args.lang.clone(),
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
        language: args.lang.clone(),
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
            Position::ScreenedOut => writeln!(
                stderr,
                "session {} screened out: {} answer{} saved to {store_shown}",
                ended.session,
                ended.answers,
                if ended.answers == 1 { "" } else { "s" }
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

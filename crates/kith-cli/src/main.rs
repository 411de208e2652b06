//! The `kith` binary: parses the command line, runs a command, maps the outcome to an exit code.
//!
//! This is the only crate that prints or exits. Data goes to stdout, diagnostics to stderr.
//! Exit codes, decided here and nowhere else: 0 success, 1 invalid input or a failed check,
//! 2 a usage error.

mod atomic;
mod cli;
mod commands;
mod files;
mod input;
mod output;
mod progress;
mod render;
mod screened_export;

use clap::Parser;
use cli::{Cli, Command, ImportCommand, LinksCommand, StoreCommand};
use commands::Outcome;
use commands::*;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout and usage errors to stderr.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Check {
            files,
            model,
            format,
        } => check::run(&files, model.as_deref(), format),
        Command::Codebook {
            file,
            format,
            output,
        } => codebook::run(&file, format, output.as_deref()),
        Command::Schema { output } => schema::run(output.as_deref()),
        Command::Score {
            data,
            impute,
            format,
            output,
            screen,
            items,
        } => score::run(&score::ScoreArgs {
            data: &data,
            impute,
            format,
            output: output.as_deref(),
            screen,
            items,
        }),
        Command::Reliability { data, format } => reliability::run(&data, format),
        Command::Screen {
            data,
            format,
            output,
            synonym_critical,
        } => screen::run(&data, format, output.as_deref(), synonym_critical),
        Command::Analyze { plan, output } => analyze::run(&plan, output.as_deref()),
        Command::Power {
            plan,
            model,
            effect,
            n,
            replications,
            target,
            seed,
            interval,
            draws,
            only,
            measurement,
            output,
            format,
        } => power::run(power::PowerArgs {
            plan,
            model,
            effects: effect,
            sizes: n,
            replications,
            target,
            seed,
            interval,
            draws,
            only,
            measurement,
            output,
            format,
        }),
        Command::Chart {
            kind,
            results,
            index,
            variable,
            dpi,
            no_title,
            width,
            output,
        } => chart::run(
            kind,
            &results,
            chart::Choices {
                index,
                variable: variable.as_deref(),
                dpi,
                titles: !no_title,
                width,
            },
            &output,
        ),
        Command::Run {
            survey,
            store,
            participant,
            kiosk,
            resume,
            force,
            params,
            lang,
        } => run::run(run::RunArgs {
            survey,
            store,
            participant,
            kiosk,
            resume,
            force,
            params,
            lang,
        }),
        Command::Export {
            store,
            survey,
            format,
            labels,
            layout,
            include_partial,
            relation,
            names,
            screen,
            output,
        } => export::run(export::ExportArgs {
            store,
            survey,
            format,
            labels,
            layout,
            include_partial,
            relation,
            names,
            screen,
            output,
        }),
        Command::Serve {
            survey,
            store,
            addr,
            links_only,
            redirect,
            participant_param,
            max_connections,
            request_timeout,
        } => serve::run(serve::ServeArgs {
            survey,
            store,
            addr,
            links_only,
            redirect,
            participant_param,
            max_connections,
            request_timeout,
        }),
        Command::Import {
            command: ImportCommand::Qualtrics { qsf, output, force },
        } => import::qualtrics(&qsf, &output, force),
        Command::Store {
            command: StoreCommand::Backup { store, output },
        } => store::backup(&store, &output),
        Command::Links {
            command:
                LinksCommand::Create {
                    store,
                    survey,
                    n,
                    base_url,
                },
        } => links::create(&store, &survey, n as usize, &base_url),
        Command::Simulate {
            survey,
            n,
            seed,
            model,
            output,
        } => simulate::run(&survey, n as usize, seed, model.as_deref(), &output),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(error) => {
            // A reader that stops early (`kith score ... | head`) is not an error.
            let broken_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
                    || cause.to_string().contains("Broken pipe")
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            let _ = write!(std::io::stderr().lock(), "{}", render::error_report(&error));
            ExitCode::from(1)
        }
    }
}

/// Replaces Rust's panic message and backtrace with a short report, so that a bug never
/// greets a researcher with a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            render::with_hint(
                &format!("error: kith stopped on an internal error{location}: {message}"),
                Some("this is a bug in kith; please report it with the command and files you used"),
            )
        );
    }));
}

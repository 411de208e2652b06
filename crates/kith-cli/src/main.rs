//! The `kith` binary: parses the command line, runs a command, maps the outcome to an exit code.
//!
//! This is the only crate that prints or exits. Data goes to stdout, diagnostics to stderr.
//! Exit codes, decided here and nowhere else: 0 success, 1 invalid input or a failed check,
//! 2 a usage error.

mod analyze;
mod atomic;
mod chart;
mod check;
mod codebook;
mod data;
mod files;
mod render;
mod report;
mod run;
mod score;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The most respondents `kith simulate` draws in one file (about 500 MB of values for a
/// 60-item survey).
const MAX_SIMULATED: u64 = 5_000_000;
/// The most single-use links `kith links create` makes at once.
const MAX_LINKS: u64 = 100_000;

/// kith: define, check and document questionnaires for research on networking and careers.
#[derive(Debug, Parser)]
#[command(name = "kith", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check instrument, survey and analysis-plan files; report every problem with its place and a hint.
    ///
    /// A plan is checked with its survey and data: every variable it names must exist.
    ///
    /// Exits 0 when every file is valid (warnings allowed), 1 when any has an error.
    Check {
        /// The files to check (instruments, surveys and analysis plans, YAML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// How to report: readable text, or JSON for editors and scripts.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Write the codebook of an instrument or survey: one entry per response-file column.
    Codebook {
        /// The instrument or survey file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum, default_value_t = CodebookFormat::Markdown)]
        format: CodebookFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Score a response file: each score per respondent, with how many items they answered.
    ///
    /// Reverse-keyed items are reversed on their own scale ((min + max) − answer). Every bad
    /// cell is reported (row, respondent, column, value) and nothing is written if there is one.
    Score {
        #[command(flatten)]
        data: data::DataArgs,
        /// How missing answers are filled in before scores are computed.
        #[arg(long, value_enum, default_value_t = data::ImputeArg::None)]
        impute: data::ImputeArg,
        /// The output format.
        #[arg(long, value_enum, default_value_t = ScoreFormat::Csv)]
        format: ScoreFormat,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Report the reliability of every score as R's psych computes it (alpha, omega, item statistics).
    Reliability {
        #[command(flatten)]
        data: data::DataArgs,
        /// How to report: a readable table, JSON with stable field names, or Markdown tables.
        #[arg(long, value_enum, default_value_t = ReliabilityFormat::Text)]
        format: ReliabilityFormat,
    },
    /// Run an analysis plan: descriptives, correlations, regression models, mediation and
    /// relative importance; write results.json and report.md.
    ///
    /// Exits 1 when the plan has errors or an analysis could not be computed (the others are
    /// still written).
    Analyze {
        /// The analysis plan (YAML).
        #[arg(value_name = "PLAN")]
        plan: PathBuf,
        /// The folder for results.json and report.md [default: PLAN-NAME-results].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Simulate respondents of a survey from a population model (by default, kith's documented
    /// model of networking motives and careers).
    Simulate {
        /// The survey or instrument file.
        #[arg(value_name = "SURVEY")]
        survey: PathBuf,
        /// How many respondents.
        #[arg(long, value_name = "N")]
        #[arg(value_parser = clap::value_parser!(u64).range(1..=MAX_SIMULATED))]
        n: u64,
        /// The random seed: the same seed gives the same data.
        #[arg(long, value_name = "SEED")]
        seed: u64,
        /// A population model (YAML) instead of the default one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// The file to write: .csv, .tsv or .parquet.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Administer a survey (or one instrument) in the terminal; every answer is saved to the
    /// store the moment it is given.
    ///
    /// Keys: digits answer, arrows choose and move, Enter confirms, PgDn/PgUp change pages,
    /// Ctrl-C pauses (resume later with --resume ID).
    Run {
        /// The survey or instrument file (with --resume it may be left out: the store knows it).
        #[arg(value_name = "SURVEY", required_unless_present = "resume")]
        survey: Option<PathBuf>,
        /// The SQLite response store (created if it does not exist).
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// An external participant id to record with the session (e.g. from a panel).
        #[arg(long, value_name = "ID")]
        participant: Option<String>,
        /// Lab mode: after each participant, start over for the next one (Ctrl-C ends).
        #[arg(long)]
        kiosk: bool,
        /// Resume the unfinished session with this id where it stopped.
        #[arg(long, value_name = "ID", conflicts_with_all = ["participant", "params"])]
        resume: Option<String>,
        /// Resume even though the survey changed since the session began.
        #[arg(long, requires = "resume")]
        force: bool,
        /// Record a named value with the session (a column of the export), e.g. lab_room=3.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Write the sessions in a store as a response file that `kith score` reads.
    Export {
        /// The SQLite response store written by `kith run`.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The survey to export (its id or fingerprint), when the store holds several.
        #[arg(long, value_name = "ID")]
        survey: Option<String>,
        /// The file format (default: from the output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// One row per session (wide) or one row per answer (long).
        #[arg(long, value_enum, default_value_t = ExportLayout::Wide)]
        layout: ExportLayout,
        /// Include unfinished and declined sessions (with their status).
        #[arg(long)]
        include_partial: bool,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Serve a survey to participants' browsers (phones and laptops), every submitted page saved
    /// to the store before the answer is acknowledged.
    Serve {
        /// The survey or instrument file.
        #[arg(value_name = "SURVEY")]
        survey: PathBuf,
        /// The SQLite response store (created if it does not exist).
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The address to listen on.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Accept participants only through personal links (`kith links create`), no open link.
        #[arg(long)]
        links_only: bool,
        /// Where participants go after submitting; `{session}` and `{participant}` are filled in.
        #[arg(long, value_name = "URL")]
        redirect: Option<String>,
        /// The URL parameter that carries a participant id (e.g. a panel's).
        #[arg(long, value_name = "NAME", default_value = "participant")]
        participant_param: String,
        /// The most connections served at once; more wait until one closes [default: 4096,
        /// or fewer to stay below the open-file limit].
        #[arg(long, value_name = "N")]
        max_connections: Option<u64>,
        /// Seconds a client has to send a request's headers (from when its connection opens
        /// or its last response ends; so also how long an idle connection stays open) and
        /// then its body [default: 10].
        #[arg(long, value_name = "SECONDS")]
        request_timeout: Option<u64>,
    },
    /// Work with a response store's files.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Manage single-use participant links for `kith serve`.
    Links {
        #[command(subcommand)]
        command: LinksCommand,
    },
    /// Draw one chart from a results.json written by `kith analyze`, as SVG or PNG (by the
    /// output's extension).
    Chart {
        /// What to draw.
        #[arg(value_enum, value_name = "KIND")]
        kind: chart::ChartKind,
        /// The results.json to draw from.
        #[arg(long, value_name = "FILE")]
        results: PathBuf,
        /// Which one, when the results hold several (0 = the first); for `distribution`, a
        /// variable name may be given instead with --variable.
        #[arg(long, value_name = "N", default_value_t = 0)]
        index: usize,
        /// The variable of a `distribution` chart.
        #[arg(long, value_name = "NAME")]
        variable: Option<String>,
        /// The resolution of a PNG (96 = one pixel per CSS pixel; 300 for print).
        #[arg(long, value_name = "DPI", default_value_t = 150,
              value_parser = clap::value_parser!(u32).range(48..=1200))]
        dpi: u32,
        /// The file to write: .svg or .png.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Print the JSON Schema of instrument and survey files, for editors.
    ///
    /// For example, with the YAML language server, put this first line in a file:
    /// `# yaml-language-server: $schema=kith.schema.json`
    Schema {
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

/// What `kith links` does.
#[derive(Debug, Subcommand)]
enum LinksCommand {
    /// Create single-use links and print them, one per line (shown only once).
    Create {
        /// The store `kith serve` uses.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The survey id the links open.
        #[arg(long, value_name = "ID")]
        survey: String,
        /// How many links.
        #[arg(long, value_name = "N")]
        #[arg(value_parser = clap::value_parser!(u64).range(1..=MAX_LINKS))]
        n: u64,
        /// The server's public address, put in front of each link.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
}

/// What `kith store` does.
#[derive(Debug, Subcommand)]
enum StoreCommand {
    /// Write a consistent copy of a store, also while `kith run` or `kith serve` write to it;
    /// the copy is one file that `kith export` reads.
    Backup {
        /// The store to copy.
        #[arg(long, value_name = "FILE")]
        store: PathBuf,
        /// The copy to write (written whole or not at all).
        #[arg(short, long, value_name = "COPY")]
        output: PathBuf,
    },
}

/// The formats `kith export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row (the default, and what `kith score` reads).
    Csv,
    /// Apache Parquet, typed columns (needs -o).
    Parquet,
    /// JSON Lines: one object per row.
    Jsonl,
}

/// The shapes of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportLayout {
    /// One row per session: session columns, every item column, attention checks, display order.
    Wide,
    /// One row per answer, with when its page was shown and when it was answered.
    Long,
}

/// The format of `kith check`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Readable diagnostics on stderr, one summary line per file on stdout.
    Text,
    /// One JSON document on stdout with every file and diagnostic.
    Json,
}

/// The format of a codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodebookFormat {
    /// Markdown tables.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// One CSV row per column.
    Csv,
    /// JSON, with every field.
    Json,
}

/// The format of scored tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// Apache Parquet (needs -o).
    Parquet,
    /// A JSON array of one object per respondent.
    Json,
}

/// The format of reliability reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReliabilityFormat {
    /// Aligned tables for the terminal.
    Text,
    /// JSON with the documented, stable field names.
    Json,
    /// Markdown tables for papers and reports.
    Markdown,
}

/// What a command reports back for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The input was invalid or a check failed; the details are already printed.
    Failed,
}

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
        Command::Check { files, format } => check::run(&files, format),
        Command::Codebook {
            file,
            format,
            output,
        } => codebook::run(&file, format, output.as_deref()),
        Command::Schema { output } => codebook::write_schema(output.as_deref()),
        Command::Score {
            data,
            impute,
            format,
            output,
        } => score::run_score(&data, impute, format, output.as_deref()),
        Command::Reliability { data, format } => score::run_reliability(&data, format),
        Command::Analyze { plan, output } => analyze::run_analyze(&plan, output.as_deref()),
        Command::Chart {
            kind,
            results,
            index,
            variable,
            dpi,
            output,
        } => chart::run(kind, &results, index, variable.as_deref(), dpi, &output),
        Command::Run {
            survey,
            store,
            participant,
            kiosk,
            resume,
            force,
            params,
        } => run::run_survey(run::RunArgs {
            survey,
            store,
            participant,
            kiosk,
            resume,
            force,
            params,
        }),
        Command::Export {
            store,
            survey,
            format,
            layout,
            include_partial,
            output,
        } => run::run_export(run::ExportArgs {
            store,
            survey,
            format,
            layout,
            include_partial,
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
        } => run::run_serve(run::ServeArgs {
            survey,
            store,
            addr,
            links_only,
            redirect,
            participant_param,
            max_connections,
            request_timeout,
        }),
        Command::Store {
            command: StoreCommand::Backup { store, output },
        } => run::run_store_backup(&store, &output),
        Command::Links {
            command:
                LinksCommand::Create {
                    store,
                    survey,
                    n,
                    base_url,
                },
        } => run::run_links_create(&store, &survey, n as usize, &base_url),
        Command::Simulate {
            survey,
            n,
            seed,
            model,
            output,
        } => analyze::run_simulate(&survey, n as usize, seed, model.as_deref(), &output),
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

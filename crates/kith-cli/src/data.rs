//! Options and steps shared by the commands that read response files (`score`, `reliability`):
//! checking the survey, reading the data file, and reporting data problems.

use crate::check::form_for;
use anyhow::{Result, anyhow, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kith_analysis::problem::{DataErrors, DataProblem};
use kith_analysis::read::{FileFormat, ReadOptions, ResponseTable, read_responses};
use kith_analysis::score::Imputation;
use kith_instrument::form::Form;
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The arguments of commands that read a survey and a response file.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The survey or instrument file whose items the data hold.
    #[arg(value_name = "SURVEY")]
    pub survey: PathBuf,
    /// The response file: CSV, TSV, Parquet or JSON Lines (by extension), or a Qualtrics export.
    #[arg(value_name = "DATA")]
    pub data: PathBuf,
    /// The column that identifies respondents [default: respondent_id, else id, else ResponseId].
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// A YAML file of `file_column: item_id` lines renaming the file's columns to item ids.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Values that mean "missing" in every item column, e.g. `-99,-999`.
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub missing_codes: Vec<f64>,
    /// Keep Qualtrics responses that were not finished.
    #[arg(long)]
    pub include_partial: bool,
    /// The data file's format, when its extension does not say.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Write every invalid cell to this CSV file (row, respondent, column, value, problem).
    #[arg(long, value_name = "FILE")]
    pub report_invalid: Option<PathBuf>,
}

/// The formats of response files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Tsv,
    Parquet,
    Jsonl,
}

/// Imputation of missing answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImputeArg {
    /// Score the answered items only.
    None,
    /// Fill a missing item with the respondent's mean of the score's answered items.
    PersonMean,
    /// Fill a missing item with the item's mean over respondents.
    ItemMean,
    /// Fill a missing item with the item's median over respondents (psych::scoreItems' default).
    ItemMedian,
}

impl From<ImputeArg> for Imputation {
    fn from(value: ImputeArg) -> Self {
        match value {
            ImputeArg::None => Imputation::None,
            ImputeArg::PersonMean => Imputation::PersonMean,
            ImputeArg::ItemMean => Imputation::ItemMean,
            ImputeArg::ItemMedian => Imputation::ItemMedian,
        }
    }
}

/// A spinner on stderr for long steps, shown only when stderr is a terminal. With the
/// environment variable `KITH_TIMINGS` set, each step's duration is printed to stderr instead
/// (for benchmarks).
pub struct Progress(
    Option<ProgressBar>,
    Option<std::cell::RefCell<(String, std::time::Instant)>>,
);

impl Progress {
    pub fn start(message: &str) -> Self {
        if std::env::var_os("KITH_TIMINGS").is_some() {
            let step = (message.to_string(), std::time::Instant::now());
            return Progress(None, Some(std::cell::RefCell::new(step)));
        }
        if !std::io::stderr().is_terminal() {
            return Progress(None, None);
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar), None)
    }

    fn report_step(&self, next: &str) {
        if let Some(step) = &self.1 {
            let mut step = step.borrow_mut();
            eprintln_timing(&step.0, step.1.elapsed());
            *step = (next.to_string(), std::time::Instant::now());
        }
    }

    pub fn set(&self, message: &str) {
        self.report_step(message);
        if let Some(bar) = &self.0 {
            bar.set_message(message.to_string());
        }
    }

    pub fn finish(self) {
        self.report_step("");
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

fn eprintln_timing(step: &str, elapsed: Duration) {
    let _ = writeln!(
        std::io::stderr(),
        "timing: {step}: {:.3} s",
        elapsed.as_secs_f64()
    );
}

/// The checked survey and the validated response file of a command that reads data, with the
/// progress display that is still running; `None` when either had errors (already printed).
pub fn load_inputs(args: &DataArgs) -> Result<Option<(Form, ResponseTable, Progress)>> {
    let Some(form) = form_for(&args.survey, "nothing was computed")? else {
        return Ok(None);
    };
    let progress = Progress::start("starting");
    match load_table(args, &form, &progress)? {
        Some(table) => Ok(Some((form, table, progress))),
        None => {
            progress.finish();
            Ok(None)
        }
    }
}

fn read_map(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = crate::files::read_text(path).map_err(|error| {
        anyhow!(
            "cannot read the column map `{}`: {}\n  = hint: check the path given to --map",
            path.display(),
            io_reason(&error)
        )
    })?;
    serde_yaml::from_str(&text).map_err(|error| {
        anyhow!(
            "the column map `{}` is not a YAML map of `file_column: item_id` lines: {error}\n  = hint: write one line per renamed column, e.g. `Q1_1: gje_1`",
            path.display()
        )
    })
}

/// Reads the data file named in `args` for `form`. Prints data problems (and writes
/// `--report-invalid`) and returns `None` when there are any.
pub fn load_table(
    args: &DataArgs,
    form: &Form,
    progress: &Progress,
) -> Result<Option<ResponseTable>> {
    let name = args.data.display().to_string();
    let format = match args.input_format {
        Some(InputFormat::Csv) => FileFormat::Csv,
        Some(InputFormat::Tsv) => FileFormat::Tsv,
        Some(InputFormat::Parquet) => FileFormat::Parquet,
        Some(InputFormat::Jsonl) => FileFormat::JsonLines,
        None => match FileFormat::from_name(&name) {
            Some(format) => format,
            None => bail!(
                "cannot tell the format of `{name}` from its extension\n  = hint: name it .csv, .tsv, .parquet or .jsonl, or pass --input-format"
            ),
        },
    };
    progress.set(&format!("loading {name}"));
    let bytes =
        crate::files::read_file(&args.data, None).map_err(|error| {
            anyhow!(
                "cannot read the data file `{name}`: {}\n  = hint: check the path; kith reads CSV, TSV, Parquet and JSON Lines files",
                io_reason(&error)
            )
        })?;
    let mut options = ReadOptions::new(format);
    options.id_column = args.id.clone();
    options.missing_codes = args.missing_codes.clone();
    options.include_partial = args.include_partial;
    if let Some(map) = &args.map {
        options.column_map = read_map(map)?;
    }
    progress.set(&format!("reading {name}"));
    match read_responses(&name, bytes, form, &options) {
        Ok(table) => {
            let dropped = table.dropped;
            if dropped.total() > 0 {
                writeln!(
                    std::io::stderr(),
                    "note: kept {} responses of `{name}`; dropped {} unfinished, {} preview, {} test and {} spam rows",
                    table.height(),
                    dropped.unfinished,
                    dropped.preview,
                    dropped.test,
                    dropped.spam
                )?;
            }
            for unanswered in kith_analysis::score::unanswered_items(&table, form) {
                writeln!(
                    std::io::stderr(),
                    "warning: no respondent of `{name}` answered item `{}`; {} computed from the other items\n  = hint: check the column's name (or --map) and the missing-value codes; an item nobody answered changes what the score measures",
                    unanswered.item,
                    match unanswered.scores.as_slice() {
                        [one] => format!("score `{one}` is"),
                        many => format!(
                            "scores {} are",
                            many.iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                )?;
            }
            Ok(Some(table))
        }
        Err(errors) => {
            report_problems(&errors)?;
            if let Some(path) = &args.report_invalid {
                write_invalid_report(&errors.problems, path)?;
                writeln!(
                    std::io::stderr(),
                    "wrote every problem to `{}`",
                    path.display()
                )?;
            }
            Ok(None)
        }
    }
}

/// A short reason for an I/O error, in the words of the rest of kith's messages.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// How many problems of one kind in one column are printed before the rest is summarised.
const SHOWN_PER_GROUP: usize = 5;

fn report_problems(errors: &DataErrors) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    let mut shown: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for problem in &errors.problems {
        let key = (problem.code, problem.column.as_deref());
        let count = shown.entry(key).or_insert(0);
        *count += 1;
        if *count <= SHOWN_PER_GROUP {
            writeln!(stderr, "{problem}\n")?;
        }
    }
    let mut groups: Vec<(&(&str, Option<&str>), &usize)> = shown
        .iter()
        .filter(|(_, n)| **n > SHOWN_PER_GROUP)
        .collect();
    groups.sort();
    for ((code, column), count) in groups {
        writeln!(
            stderr,
            "… and {} more `{code}` problems{} (--report-invalid FILE lists them all)",
            count - SHOWN_PER_GROUP,
            column
                .map(|c| format!(" in column `{c}`"))
                .unwrap_or_default()
        )?;
    }
    writeln!(stderr, "error: {}; nothing was computed", errors)?;
    Ok(())
}

fn write_invalid_report(problems: &[DataProblem], path: &Path) -> Result<()> {
    crate::atomic::write_file(path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "row",
            "respondent_id",
            "column",
            "value",
            "problem",
            "message",
            "hint",
        ])?;
        for problem in problems {
            writer.write_record([
                problem.row.map(|r| r.to_string()).unwrap_or_default(),
                problem.respondent.clone().unwrap_or_default(),
                problem.column.clone().unwrap_or_default(),
                problem.value.clone().unwrap_or_default(),
                problem.code.to_string(),
                problem.message.clone(),
                problem.hint.clone().unwrap_or_default(),
            ])?;
        }
        writer.flush()?;
        Ok(())
    })
}

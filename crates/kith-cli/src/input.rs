//! Inputs shared by the commands: the checked survey a command needs, and the response file
//! of the commands that read one (`score`, `reliability`), with its problems shown.

use crate::cli::{DataArgs, InputFormat};
use crate::files::FsLoader;
use crate::progress::Progress;
use crate::render::{self, Reader, fail};
use anyhow::Result;
use kith_analysis::problem::DataProblem;
use kith_analysis::read::{FileFormat, ReadOptions, ResponseTable, SettingNames};
use kith_analysis::study::{Notice, io_reason, read_with_notices};
use kith_instrument::form::Form;
use kith_instrument::survey::check_file;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// A command reading a response file: its notices name the command's flags.
const COMMAND: Reader = Reader::Command {
    consequence: "nothing was computed",
};

/// Checks a file for a command that needs its form: prints its diagnostics (warnings too) and,
/// when it has errors, that the command's work (`consequence`) was not done.
pub fn form_for(file: &Path, consequence: &str) -> Result<Option<Form>> {
    let loader = FsLoader::default();
    let checked = check_file(file, &loader);
    let mut notices = vec![Notice::Diagnostics(checked.diagnostics)];
    if checked.form.is_none() {
        notices.push(Notice::SurveyRefused {
            file: file.display().to_string(),
        });
    }
    write!(
        std::io::stderr().lock(),
        "{}",
        render::notices(&notices, &loader, Reader::Command { consequence })
    )?;
    Ok(checked.form)
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
        fail(
            format!(
                "cannot read the column map `{}`: {}",
                path.display(),
                io_reason(&error)
            ),
            "check the path given to --map",
        )
    })?;
    serde_yaml::from_str(&text).map_err(|error| {
        fail(
            format!(
                "the column map `{}` is not a YAML map of `file_column: item_id` lines: {error}",
                path.display()
            ),
            "write one line per renamed column, e.g. `Q1_1: gje_1`",
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
        Some(InputFormat::Sav) => FileFormat::Spss,
        Some(InputFormat::Dta) => FileFormat::Stata,
        None => match FileFormat::from_name(&name) {
            Some(format) => format,
            None => {
                return Err(fail(
                    format!("cannot tell the format of `{name}` from its extension"),
                    "name it .csv, .tsv, .parquet, .jsonl, .sav or .dta, or pass --input-format",
                ));
            }
        },
    };
    progress.set(&format!("loading {name}"));
    let bytes = crate::files::read_file(&args.data, None).map_err(|error| {
        fail(
            format!("cannot read the data file `{name}`: {}", io_reason(&error)),
            "check the path; kith reads CSV, TSV, Parquet, JSON Lines, SPSS and Stata files",
        )
    })?;
    let mut options = ReadOptions::new(format);
    options.id_column = args.id.clone();
    options.missing_codes = args.missing_codes.clone();
    options.include_partial = args.include_partial;
    options.settings = SettingNames {
        id: "--id".to_string(),
        column_map: Some("--map FILE (lines `file_column: item_id`)".to_string()),
        include_partial: Some("pass --include-partial".to_string()),
        missing_codes: "--missing-codes".to_string(),
    };
    if let Some(map) = &args.map {
        options.column_map = read_map(map)?;
    }
    progress.set(&format!("reading {name}"));
    let read = read_with_notices(&name, bytes, form, &options);
    let loader = FsLoader::default();
    let mut stderr = std::io::stderr().lock();
    write!(
        stderr,
        "{}",
        render::notices(&read.notices, &loader, COMMAND)
    )?;
    match read.table {
        Ok(table) => Ok(Some(table)),
        Err(errors) => {
            write!(
                stderr,
                "{}",
                render::notices(
                    &[Notice::ResponseProblems(errors.clone())],
                    &loader,
                    COMMAND
                )
            )?;
            if let Some(path) = &args.report_invalid {
                write_invalid_report(&errors.problems, path)?;
                writeln!(stderr, "wrote every problem to `{}`", path.display())?;
            }
            Ok(None)
        }
    }
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

/// The population model of `kith simulate` and `kith power`: the file given, or the default
/// model fitted to the survey; with the name results record it by.
pub fn population_model(
    path: Option<&Path>,
    form: &Form,
) -> Result<(kith_analysis::simulate::PopulationModel, String)> {
    use kith_analysis::simulate::{self, DEFAULT_MODEL};
    match path {
        Some(path) => {
            let text = crate::files::read_text(path).map_err(|error| {
                fail(
                    format!(
                        "cannot read the model `{}`: {}",
                        path.display(),
                        io_reason(&error)
                    ),
                    "check the path given to --model",
                )
            })?;
            let model = simulate::parse_model(&text).map_err(|e| {
                fail(
                    format!("the model `{}` is invalid: {}", path.display(), e.message),
                    e.hint,
                )
            })?;
            Ok((model, path.display().to_string()))
        }
        None => {
            let model = simulate::parse_model(DEFAULT_MODEL)
                .map_err(|e| anyhow::anyhow!("the default model is invalid: {}", e.message))?;
            Ok((
                simulate::fit_model_to_form(&model, form),
                "default".to_string(),
            ))
        }
    }
}

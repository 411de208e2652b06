//! `kith analyze`, `kith simulate` and the plan half of `kith check`: load a plan with its
//! survey and data, check it, run it, and write results.json and report.md.

use crate::Outcome;
use crate::check::{form_for, render_diagnostics};
use crate::data::{DataArgs, Progress, load_table};
use crate::files::FsLoader;
use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use kith_analysis::analyze::analyze;
use kith_analysis::dataset::{self, Dataset};
use kith_analysis::plan::{Plan, PlanSource, check_structure, check_variables, parse_plan};
use kith_analysis::read::FileFormat;
use kith_analysis::results::{Results, SurveyInfo};
use kith_analysis::score::{Imputation, score_table};
use kith_analysis::simulate::{self, DEFAULT_MODEL};
use kith_instrument::diagnostic::Diagnostic;
use kith_instrument::fingerprint::fingerprint;
use kith_instrument::form::Form;
use kith_instrument::survey::SourceLoader;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A plan that passed its checks, with its data.
pub struct LoadedPlan {
    pub plan: Plan,
    pub form: Option<Form>,
    pub dataset: Dataset,
    /// The reliability of the survey's scores, when the plan reads one data file with a survey.
    pub reliability: Option<kith_analysis::reliability::ReliabilityReport>,
    pub warnings: usize,
}

fn print_diagnostics(diagnostics: &[Diagnostic], loader: &FsLoader) -> Result<()> {
    write!(
        std::io::stderr().lock(),
        "{}",
        render_diagnostics(diagnostics, loader)
    )?;
    Ok(())
}

/// Says that a plan with errors was not run.
fn refuse(name: &str, diagnostics: &[Diagnostic]) -> Result<()> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    writeln!(
        std::io::stderr(),
        "error: the plan `{name}` has {errors} error{}; nothing was computed\n  = hint: fix them, then run `kith check {name}` again",
        if errors == 1 { "" } else { "s" }
    )?;
    Ok(())
}

/// Loads and checks a plan: its syntax and structure, its survey, its data and its variables.
/// Prints every diagnostic; None when any is an error.
pub fn load_plan(path: &Path) -> Result<Option<LoadedPlan>> {
    let loader = FsLoader::default();
    let name = path.display().to_string();
    let text = loader.load(path).map_err(|error| {
        anyhow!(
            "cannot read the plan `{name}`: {}\n  = hint: check the path of the plan file",
            if error.kind() == std::io::ErrorKind::NotFound {
                "the file does not exist".to_string()
            } else {
                error.to_string()
            }
        )
    })?;
    let (plan, source): (Plan, PlanSource) = match parse_plan(&name, &text) {
        Ok(parsed) => parsed,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &loader)?;
            refuse(&name, &diagnostics)?;
            return Ok(None);
        }
    };
    let mut diagnostics = check_structure(&plan, &source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&diagnostics, &loader)?;
        refuse(&name, &diagnostics)?;
        return Ok(None);
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let form = match &plan.survey {
        Some(survey) => {
            let survey_path = base.join(survey);
            if !survey_path.exists() {
                print_diagnostics(&diagnostics, &loader)?;
                bail!(
                    "the plan's survey `{}` does not exist\n  = hint: `survey:` is a path relative to the plan's folder",
                    survey_path.display()
                );
            }
            match form_for(&survey_path, "the plan was not run")? {
                Some(form) => Some(form),
                None => return Ok(None),
            }
        }
        None => None,
    };
    let progress = Progress::start("reading data");
    let mut data: Option<Dataset> = None;
    let mut reliability = None;
    let files = plan.data.to_vec();
    for file in &files {
        let data_path = base.join(file);
        let part = match &form {
            Some(form) => {
                let args = DataArgs {
                    survey: PathBuf::new(),
                    data: data_path,
                    id: plan.id.clone(),
                    map: None,
                    missing_codes: plan.missing_codes.clone(),
                    include_partial: false,
                    input_format: None,
                    report_invalid: None,
                };
                let Some(table) = load_table(&args, form, &progress)? else {
                    progress.finish();
                    return Ok(None);
                };
                let scores = score_table(&table, form, Imputation::None);
                if files.len() == 1 {
                    reliability = Some(kith_analysis::reliability::reliability(&table, form));
                }
                dataset::from_table(&table, form, scores, &plan.missing_codes)
            }
            None => {
                let shown = data_path.display().to_string();
                let format = FileFormat::from_name(&shown).ok_or_else(|| {
                    anyhow!("cannot tell the format of `{shown}` from its extension\n  = hint: name it .csv, .tsv, .parquet or .jsonl")
                })?;
                let bytes = crate::files::read_file(&data_path, None).map_err(|error| {
                    anyhow!(
                        "cannot read the data file `{shown}` named by the plan: {}\n  = hint: `data:` paths are relative to the plan's folder",
                        crate::data::io_reason(&error)
                    )
                })?;
                match dataset::read_plain(&shown, bytes, format, &plan.missing_codes) {
                    Ok(dataset) => dataset,
                    Err(errors) => {
                        progress.finish();
                        for problem in &errors.problems {
                            writeln!(std::io::stderr(), "{problem}\n")?;
                        }
                        writeln!(std::io::stderr(), "error: {errors}; the plan was not run")?;
                        return Ok(None);
                    }
                }
            }
        };
        match &mut data {
            Some(all) => all.append(part),
            None => data = Some(part),
        }
    }
    progress.finish();
    let Some(dataset) = data else {
        return Ok(None);
    };
    diagnostics.extend(check_variables(&plan, &source, &dataset));
    print_diagnostics(&diagnostics, &loader)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        refuse(&name, &diagnostics)?;
        return Ok(None);
    }
    Ok(Some(LoadedPlan {
        plan,
        form,
        dataset,
        reliability,
        warnings: diagnostics.len(),
    }))
}

/// `kith check PLAN`: the summary line of a plan.
///
/// Besides the plan's own checks, every analysis is fitted once (bootstraps with the fewest
/// resamples kith accepts), so that collinearity, separation and too few cases are found by
/// `check` too.
pub fn check_plan(path: &Path) -> Result<(bool, String)> {
    let Some(loaded) = load_plan(path)? else {
        return Ok((false, format!("FAIL  {}  plan", path.display())));
    };
    let mut trial = loaded.plan.clone();
    for spec in &mut trial.mediation {
        spec.bootstrap = Some(kith_analysis::plan::MIN_RESAMPLES);
    }
    for spec in &mut trial.importance {
        spec.bootstrap = Some(kith_analysis::plan::MIN_RESAMPLES);
    }
    let results = analyze(
        &trial,
        &path.display().to_string(),
        &loaded.dataset,
        &|_, _, _| {},
    );
    report_not_computed(&results)?;
    Ok(match results.not_computed.is_empty().then_some(loaded) {
        Some(loaded) => (
            true,
            format!(
                "ok    {}  plan: {} rows, {} descriptives, {} correlation tables, {} models, {} mediations, {} importance analyses{}",
                path.display(),
                loaded.dataset.n,
                loaded.plan.descriptives.len(),
                loaded.plan.correlation_specs().len(),
                loaded.plan.models.len(),
                loaded.plan.mediation.len(),
                loaded.plan.importance.len(),
                if loaded.warnings > 0 {
                    format!(" ({} warnings)", loaded.warnings)
                } else {
                    String::new()
                }
            ),
        ),
        None => (false, format!("FAIL  {}  plan", path.display())),
    })
}

/// A progress bar for bootstraps, on stderr when it is a terminal.
struct BootstrapProgress {
    bar: Option<ProgressBar>,
    current: Mutex<String>,
}

impl BootstrapProgress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} resamples ({eta})")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        BootstrapProgress {
            bar,
            current: Mutex::new(String::new()),
        }
    }

    fn update(&self, what: &str, done: usize, total: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        if let Ok(mut current) = self.current.lock()
            && *current != what
        {
            *current = what.to_string();
            bar.set_length(total as u64);
            bar.set_message(format!("bootstrapping {what}"));
        }
        bar.set_position(done as u64);
    }
}

/// `kith analyze PLAN -o DIR`.
pub fn run_analyze(path: &Path, output: Option<&Path>) -> Result<Outcome> {
    let Some(loaded) = load_plan(path)? else {
        return Ok(Outcome::Failed);
    };
    let directory = match output {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from(format!(
            "{}-results",
            path.file_stem().and_then(|s| s.to_str()).unwrap_or("plan")
        )),
    };
    let progress = BootstrapProgress::new();
    // On a terminal the bootstrap's bar shows progress; a spinner beside it would leave a
    // stale line behind. Elsewhere `Progress` only prints step timings (KITH_TIMINGS).
    let timing = progress.bar.is_none().then(|| Progress::start("analysing"));
    let mut results: Results = analyze(
        &loaded.plan,
        &path.display().to_string(),
        &loaded.dataset,
        &|what, done, total| progress.update(what, done, total),
    );
    if let Some(timing) = timing {
        timing.finish();
    }
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    results.survey = loaded.form.as_ref().map(|form| SurveyInfo {
        id: form.id.clone(),
        version: form.version.clone(),
        fingerprint: fingerprint(form),
    });
    std::fs::create_dir_all(&directory).with_context(|| {
        format!(
            "cannot create the output folder `{}`\n  = hint: check that its parent exists and is writable",
            directory.display()
        )
    })?;
    results.figures = kith_analysis::figures::collect(
        &loaded.plan,
        &loaded.dataset,
        loaded.form.as_ref(),
        loaded.reliability.as_ref(),
    );
    let json_path = directory.join("results.json");
    let report_path = directory.join("report.md");
    let html_path = directory.join("report.html");
    let json = serde_json::to_string_pretty(&results)?;
    write_file(&json_path, (json + "\n").as_bytes())?;
    write_file(
        &html_path,
        kith_report::html::report(&results)
            .map_err(|e| anyhow!("cannot draw the report's charts: {e}"))?
            .as_bytes(),
    )?;
    write_pngs(&results, &directory.join("charts"))?;
    write_file(
        &report_path,
        kith_report::markdown::report(&results, &|n| format!("charts/figure-{n}.png")).as_bytes(),
    )?;
    report_not_computed(&results)?;
    writeln!(
        std::io::stdout().lock(),
        "wrote {}, {} and {} (charts in {})",
        html_path.display(),
        report_path.display(),
        json_path.display(),
        directory.join("charts").display()
    )?;
    Ok(if results.not_computed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// Prints the models' warnings and the analyses that could not be computed.
fn report_not_computed(results: &Results) -> Result<()> {
    let mut stderr = std::io::stderr().lock();
    for model in &results.models {
        for warning in &model.warnings {
            writeln!(stderr, "warning: model of `{}`: {warning}", model.outcome)?;
        }
    }
    for problem in &results.not_computed {
        writeln!(
            stderr,
            "error[{}]: the {} ({}) was not computed: {}\n  = hint: {}",
            problem.code, problem.description, problem.analysis, problem.message, problem.hint
        )?;
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::atomic::write_bytes(path, bytes)
}

/// The report's figures as PNG files `figure-N.png` (numbered as in report.md).
fn write_pngs(results: &Results, directory: &Path) -> Result<()> {
    std::fs::create_dir_all(directory)
        .with_context(|| format!("cannot create `{}`", directory.display()))?;
    let labels = kith_report::labels::Labels::of(results);
    for figure in kith_report::document::figures(results) {
        let number = figure.number;
        let png =
            kith_report::charts::png(&figure.chart, &labels, results.figures.report.png_dpi())
                .map_err(|e| anyhow!("cannot draw figure {number}: {e}"))?;
        write_file(&directory.join(format!("figure-{number}.png")), &png)?;
    }
    Ok(())
}

/// `kith simulate SURVEY --n N --seed S [--model FILE] -o FILE`.
pub fn run_simulate(
    survey: &Path,
    n: usize,
    seed: u64,
    model_path: Option<&Path>,
    output: &Path,
) -> Result<Outcome> {
    let Some(form) = form_for(survey, "nothing was simulated")? else {
        return Ok(Outcome::Failed);
    };
    let model = match model_path {
        Some(path) => {
            let text = crate::files::read_text(path).map_err(|error| {
                anyhow!(
                    "cannot read the model `{}`: {}\n  = hint: check the path given to --model",
                    path.display(),
                    crate::data::io_reason(&error)
                )
            })?;
            simulate::parse_model(&text).map_err(|e| {
                anyhow!(
                    "the model `{}` is invalid: {}\n  = hint: {}",
                    path.display(),
                    e.message,
                    e.hint
                )
            })?
        }
        None => {
            let model = simulate::parse_model(DEFAULT_MODEL)
                .map_err(|e| anyhow!("the default model is invalid: {}", e.message))?;
            simulate::fit_model_to_form(&model, &form)
        }
    };
    let data = simulate::simulate(&form, &model, n, seed).map_err(|e| {
        anyhow!(
            "cannot simulate `{}`: {}\n  = hint: {}",
            survey.display(),
            e.message,
            e.hint
        )
    })?;
    if !data.independent_items.is_empty() {
        writeln!(
            std::io::stderr(),
            "note: {} item{} not in the model {} drawn independently of everything else: {}",
            data.independent_items.len(),
            if data.independent_items.len() == 1 {
                ""
            } else {
                "s"
            },
            if data.independent_items.len() == 1 {
                "was"
            } else {
                "were"
            },
            data.independent_items.join(", ")
        )?;
    }
    let name = output.display().to_string();
    let format = match FileFormat::from_name(&name) {
        Some(FileFormat::Csv) | None => kith_analysis::output::OutputFormat::Csv,
        Some(FileFormat::Tsv) => kith_analysis::output::OutputFormat::Tsv,
        Some(FileFormat::Parquet) => kith_analysis::output::OutputFormat::Parquet,
        Some(FileFormat::JsonLines) => bail!(
            "kith simulate writes CSV, TSV or Parquet, not `{name}`\n  = hint: name the output .csv, .tsv or .parquet"
        ),
    };
    let mut frame = simulate::to_frame(&data)?;
    crate::atomic::write_file(output, |writer| {
        kith_analysis::output::write_frame(&mut frame, format, writer)?;
        Ok(())
    })?;
    writeln!(
        std::io::stderr(),
        "wrote {n} simulated respondents of `{}` to `{name}` (seed {seed})",
        form.id
    )?;
    Ok(Outcome::Success)
}

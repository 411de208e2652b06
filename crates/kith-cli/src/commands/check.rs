//! `kith check`: validate instruments, surveys and analysis plans, and report every problem.

use super::Outcome;
use crate::cli::ReportFormat;
use crate::files::FsLoader;
use crate::progress::Steps;
use crate::render::{self, Reader};
use anyhow::Result;
use kith_analysis::study::{Loading, Notice, Prepared};
use kith_instrument::fingerprint::fingerprint;
use kith_instrument::survey::{Checked, check_file};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

fn summary(checked: &Checked) -> String {
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = checked.diagnostics.len() - errors;
    match &checked.form {
        Some(form) => {
            let items = form.items().count();
            let scores = form.scores().count();
            let relations = match form.relations().count() {
                0 => String::new(),
                1 => ", 1 network question".to_string(),
                n => format!(", {n} network questions"),
            };
            let mut line = format!(
                "ok    {}  {} {} {}: {} item{}, {} score{}{relations}, fingerprint {}",
                checked.file,
                match form.kind {
                    kith_instrument::form::DocumentKind::Instrument => "instrument",
                    kith_instrument::form::DocumentKind::Survey => "survey",
                },
                form.id,
                form.version,
                items,
                if items == 1 { "" } else { "s" },
                scores,
                if scores == 1 { "" } else { "s" },
                fingerprint(form)
            );
            if warnings > 0 {
                line.push_str(&format!(
                    " ({warnings} warning{})",
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            line
        }
        None => format!(
            "FAIL  {}  {errors} error{}, {warnings} warning{}",
            checked.file,
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}

/// `kith check FILE...`: plans with their survey and data, the other files as instruments and
/// surveys; one summary line per file.
pub fn run(files: &[PathBuf], model: Option<&Path>, format: ReportFormat) -> Result<Outcome> {
    // Analysis plans are checked against their survey and data; the rest as instruments and
    // surveys.
    let (plans, files): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|file| {
        crate::files::read_text(file).is_ok_and(|text| kith_analysis::plan::looks_like_plan(&text))
    });
    let mut plan_failed = false;
    let mut plan_entries = Vec::new();
    for plan in &plans {
        let (valid, line) = check_plan(plan, model)?;
        plan_failed |= !valid;
        match format {
            ReportFormat::Text => writeln!(std::io::stdout().lock(), "{line}")?,
            ReportFormat::Json => plan_entries.push(json!({
                "file": plan.display().to_string(),
                "kind": "plan",
                "valid": valid,
            })),
        }
    }
    if files.is_empty() && format == ReportFormat::Text {
        return Ok(if plan_failed {
            Outcome::Failed
        } else {
            Outcome::Success
        });
    }
    let loader = FsLoader::default();
    let mut results: Vec<Checked> = files.iter().map(|file| check_file(file, &loader)).collect();
    // A survey reports the problems of the instruments it includes; when those instruments are
    // checked in the same run, each problem is reported once, with the first file that has it.
    let mut seen = std::collections::HashSet::new();
    for checked in &mut results {
        checked
            .diagnostics
            .retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.code, d.message.clone())));
    }
    let failed = results.iter().filter(|c| c.has_errors()).count();
    let errors: usize = results
        .iter()
        .map(|c| c.diagnostics.iter().filter(|d| d.is_error()).count())
        .sum();
    let warnings: usize = results.iter().map(|c| c.diagnostics.len()).sum::<usize>() - errors;
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match format {
        ReportFormat::Text => {
            for checked in &results {
                write!(
                    stderr,
                    "{}",
                    render::diagnostics(&checked.diagnostics, &loader)
                )?;
                writeln!(stdout, "{}", summary(checked))?;
            }
            writeln!(
                stderr,
                "checked {} file{}: {} valid, {} invalid; {} error{}, {} warning{}",
                results.len(),
                if results.len() == 1 { "" } else { "s" },
                results.len() - failed,
                failed,
                errors,
                if errors == 1 { "" } else { "s" },
                warnings,
                if warnings == 1 { "" } else { "s" }
            )?;
        }
        ReportFormat::Json => {
            let report = json!({
                "plans": plan_entries,
                "files": results.iter().map(|checked| json!({
                    "file": checked.file,
                    "kind": checked.kind,
                    "valid": !checked.has_errors(),
                    "id": checked.form.as_ref().map(|f| f.id.clone()),
                    "version": checked.form.as_ref().map(|f| f.version.clone()),
                    "fingerprint": checked.form.as_ref().map(fingerprint),
                    "items": checked.form.as_ref().map(|f| f.items().count()),
                    "scores": checked.form.as_ref().map(|f| f.scores().count()),
                    "diagnostics": checked.diagnostics,
                })).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
            });
            writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?;
        }
    }
    Ok(if failed > 0 || plan_failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// The respondents of the data set `kith check PLAN --model` simulates.
const SIMULATED_CHECK_SIZE: usize = 500;

/// `kith check PLAN`: the plan's checks, then every analysis fitted once (the study's trial),
/// so that collinearity, separation and too few cases are found by `check` too. Returns
/// whether the plan is valid and its summary line.
fn check_plan(path: &Path, model: Option<&Path>) -> Result<(bool, String)> {
    let files = FsLoader::default();
    let steps = Steps::default();
    let mut notices = Vec::new();
    let mut model_warnings = Vec::new();
    let loading = match Prepared::new(path, &files, &mut notices) {
        Ok(prepared) => {
            // With a population model, the plan is checked on a data set simulated from it (the
            // data need not exist yet), and the effects `kith power` would count that the
            // model leaves at zero are warnings.
            match (model, prepared.form.as_ref()) {
                (Some(model_path), Some(form)) => {
                    let (model, model_name) =
                        crate::input::population_model(Some(model_path), form)?;
                    model_warnings =
                        kith_analysis::power::undefined_warnings(&prepared, &model, &[]);
                    let mut loading = kith_analysis::power::simulated_study(
                        &prepared,
                        &model,
                        &model_name,
                        SIMULATED_CHECK_SIZE,
                        prepared.plan.seed(),
                    )?;
                    notices.append(&mut loading.notices);
                    Loading {
                        notices,
                        study: loading.study,
                    }
                }
                _ => prepared.load_data(&files, &|step| steps.step(step), notices),
            }
        }
        Err(error) => Loading {
            notices,
            study: error.map_or(Ok(None), Err),
        },
    };
    steps.finish();
    let mut all = loading.notices;
    let model_warnings_count = model_warnings.len();
    if !model_warnings.is_empty() {
        all.push(Notice::Diagnostics(model_warnings));
    }
    write!(
        std::io::stderr().lock(),
        "{}",
        render::notices(&all, &files, Reader::Plan)
    )?;
    let failed = || format!("FAIL  {}  plan", path.display());
    let Some(study) = loading.study? else {
        return Ok((false, failed()));
    };
    let model_warnings = model_warnings_count;
    let results = study.trial();
    write!(
        std::io::stderr().lock(),
        "{}",
        render::not_computed(&results)
    )?;
    if !results.not_computed.is_empty() {
        return Ok((false, failed()));
    }
    let plan = &study.plan;
    Ok((
        true,
        format!(
            "ok    {}  plan: {}, {}{}, {}, {}, {}, {}{}",
            path.display(),
            match &study.screening {
                Some(screening) => format!(
                    "{} ({} after exclusions)",
                    render::count(screening.n_screened, "row", "rows"),
                    screening.n_analysed
                ),
                None => render::count(study.dataset.n, "row", "rows"),
            },
            // Networks are named only in plans that have them.
            if plan.networks.is_empty() {
                String::new()
            } else {
                format!(
                    "{}, ",
                    render::count(plan.networks.len(), "network", "networks")
                )
            },
            render::count(plan.descriptives.len(), "descriptive", "descriptives"),
            render::count(
                plan.correlation_specs().len(),
                "correlation table",
                "correlation tables"
            ),
            render::count(plan.models.len(), "model", "models"),
            render::count(plan.mediation.len(), "mediation", "mediations"),
            render::count(
                plan.importance.len(),
                "importance analysis",
                "importance analyses"
            ),
            if study.warnings + model_warnings > 0 {
                format!(
                    " ({})",
                    render::count(study.warnings + model_warnings, "warning", "warnings")
                )
            } else {
                String::new()
            }
        ),
    ))
}

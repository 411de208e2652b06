//! `kith check`: validate files and report every problem.

use crate::files::FsLoader;
use crate::{Outcome, ReportFormat};
use anyhow::Result;
use kith_instrument::diagnostic::Diagnostic;
use kith_instrument::fingerprint::fingerprint;
use kith_instrument::form::Form;
use kith_instrument::survey::{Checked, check_file};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Renders diagnostics for a terminal, quoting the source lines.
pub fn render_diagnostics(diagnostics: &[Diagnostic], loader: &FsLoader) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let line = (diagnostic.line > 0)
            .then(|| loader.line(&diagnostic.file, diagnostic.line))
            .flatten();
        let mut text = crate::render::diagnostic(diagnostic, line.as_deref());
        if diagnostic.line == 0 {
            text = text.replace(&format!("{}:0:0", diagnostic.file), &diagnostic.file);
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Checks a file for a command that needs its form: prints its diagnostics (warnings too) and,
/// when it has errors, that the command's work (`consequence`) was not done.
pub fn form_for(file: &Path, consequence: &str) -> Result<Option<Form>> {
    let loader = FsLoader::default();
    let checked = check_file(file, &loader);
    let mut stderr = std::io::stderr().lock();
    write!(
        stderr,
        "{}",
        render_diagnostics(&checked.diagnostics, &loader)
    )?;
    if checked.form.is_none() {
        writeln!(
            stderr,
            "error: `{}` has errors; {consequence}\n  = hint: fix them, then run `kith check {}` again",
            file.display(),
            file.display()
        )?;
    }
    Ok(checked.form)
}

fn summary(checked: &Checked) -> String {
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = checked.diagnostics.len() - errors;
    match &checked.form {
        Some(form) => {
            let items = form.items().count();
            let scores = form.scores().count();
            let mut line = format!(
                "ok    {}  {} {} {}: {} item{}, {} score{}, fingerprint {}",
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

pub fn run(files: &[PathBuf], format: ReportFormat) -> Result<Outcome> {
    // Analysis plans are checked against their survey and data; the rest as instruments and
    // surveys.
    let (plans, files): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|file| {
        crate::files::read_text(file).is_ok_and(|text| kith_analysis::plan::looks_like_plan(&text))
    });
    let mut plan_failed = false;
    let mut plan_entries = Vec::new();
    for plan in &plans {
        let (valid, line) = crate::analyze::check_plan(plan)?;
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
                    render_diagnostics(&checked.diagnostics, &loader)
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

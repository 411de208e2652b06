//! `kith analyze PLAN`: load the study, run it, and write results.json, the report (Markdown,
//! HTML and Word) and its charts.

use super::Outcome;
use crate::files::FsLoader;
use crate::progress::{BootstrapProgress, Progress, Steps};
use crate::render::{self, Reader, fail_because};
use anyhow::{Context, Result, anyhow};
use kith_analysis::results::Results;
use kith_analysis::study::Study;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `kith analyze PLAN -o DIR`.
pub fn run(path: &Path, output: Option<&Path>) -> Result<Outcome> {
    let files = FsLoader::default();
    let steps = Steps::default();
    let loading = Study::load(path, &files, &|step| steps.step(step));
    steps.finish();
    write!(
        std::io::stderr().lock(),
        "{}",
        render::notices(&loading.notices, &files, Reader::Plan)
    )?;
    let Some(study) = loading.study? else {
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
    let results = study.run(&|what, done, total| progress.update(what, done, total));
    if let Some(timing) = timing {
        timing.finish();
    }
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    std::fs::create_dir_all(&directory).map_err(|error| {
        fail_because(
            format!("cannot create the output folder `{}`", directory.display()),
            "check that its parent exists and is writable",
            error,
        )
    })?;
    let json_path = directory.join("results.json");
    let report_path = directory.join("report.md");
    let html_path = directory.join("report.html");
    let docx_path = directory.join("report.docx");
    let json = serde_json::to_string_pretty(&results)?;
    write_file(&json_path, (json + "\n").as_bytes())?;
    write_file(
        &html_path,
        kith_report::html::report(&results)
            .map_err(|e| anyhow!("cannot draw the report's charts: {e}"))?
            .as_bytes(),
    )?;
    write_file(
        &docx_path,
        &kith_report::docx::report(&results)
            .map_err(|e| anyhow!("cannot write the Word report: {e}"))?,
    )?;
    write_pngs(&results, &directory.join("charts"))?;
    write_file(
        &report_path,
        kith_report::markdown::report(&results, &|n| format!("charts/figure-{n}.png")).as_bytes(),
    )?;
    // A status line, like every other command's: stderr. `kith analyze` writes no data to
    // stdout.
    writeln!(
        std::io::stderr().lock(),
        "wrote {}, {}, {} and {} (charts in {})",
        html_path.display(),
        docx_path.display(),
        report_path.display(),
        json_path.display(),
        directory.join("charts").display()
    )?;
    // What could not be computed comes last, where a reader of the terminal looks.
    write!(
        std::io::stderr().lock(),
        "{}",
        render::not_computed(&results)
    )?;
    Ok(if results.not_computed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
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
        let png = kith_report::charts::png(
            &figure.chart,
            &labels,
            results.figures.report.png_dpi(),
            kith_report::charts::Options::of(results),
        )
        .map_err(|e| anyhow!("cannot draw figure {number}: {e}"))?;
        write_file(&directory.join(format!("figure-{number}.png")), &png)?;
    }
    Ok(())
}

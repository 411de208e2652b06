//! `kith power PLAN`: the plan's power at each sample size under a population model, with
//! power.json, the report (Markdown and HTML) and the power curves written to a folder and a
//! table on stdout.

use super::Outcome;
use crate::cli::{PowerIntervalArg, ReportFormat};
use crate::files::FsLoader;
use crate::progress::CountProgress;
use crate::render::{self, Reader, fail, fail_because};
use anyhow::{Result, anyhow};
use kith_analysis::power::{self, Control, PowerError, PowerSettings};
use kith_analysis::results::power::{PowerInterval, PowerResults};
use kith_analysis::study::{Notice, Prepared};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// The arguments of `kith power`.
#[derive(Debug)]
pub struct PowerArgs {
    pub plan: PathBuf,
    pub model: Option<PathBuf>,
    pub effects: Vec<String>,
    pub sizes: Vec<u64>,
    pub replications: u64,
    pub target: Option<f64>,
    pub seed: Option<u64>,
    pub interval: PowerIntervalArg,
    pub draws: u64,
    pub only: Vec<String>,
    pub measurement: bool,
    pub output: Option<PathBuf>,
    pub format: ReportFormat,
}

/// `kith power PLAN --n N,N [--model FILE] [-o DIR]`.
pub fn run(args: PowerArgs) -> Result<Outcome> {
    let files = FsLoader::default();
    let mut notices = Vec::new();
    let prepared = Prepared::new(&args.plan, &files, &mut notices);
    let mut stderr = std::io::stderr().lock();
    write!(
        stderr,
        "{}",
        render::notices(&notices, &files, Reader::Plan)
    )?;
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(None) => return Ok(Outcome::Failed),
        Err(Some(error)) => return Err(error.into()),
    };
    let Some(form) = prepared.form.as_ref() else {
        return Err(fail(
            format!("the plan `{}` names no survey", args.plan.display()),
            "a power analysis simulates the survey's answers: add `survey:` to the plan",
        ));
    };
    let (mut model, mut model_name) = crate::input::population_model(args.model.as_deref(), form)?;
    for effect in &args.effects {
        kith_analysis::simulate::effects::apply_effect(&mut model, effect)
            .map_err(|e| fail(format!("--effect: {}", e.message), e.hint))?;
    }
    if !args.effects.is_empty() {
        model_name = format!("{model_name}, with {}", args.effects.join("; "));
    }
    let warnings = power::undefined_warnings(&prepared, &model, &args.only);
    write!(
        stderr,
        "{}",
        render::notices(&[Notice::Diagnostics(warnings)], &files, Reader::Plan)
    )?;
    let asked = args.measurement || args.only.iter().any(|o| o.starts_with("measurement"));
    if !prepared.plan.measurement.is_empty() && !asked {
        writeln!(
            stderr,
            "note: the plan's {} left out: {} no effect and a fit takes seconds per data set; add --measurement to count how often {} converge{}",
            render::count(
                prepared.plan.measurement.len(),
                "measurement model is",
                "measurement models are"
            ),
            if prepared.plan.measurement.len() == 1 {
                "it tests"
            } else {
                "they test"
            },
            if prepared.plan.measurement.len() == 1 {
                "it"
            } else {
                "they"
            },
            if prepared.plan.measurement.len() == 1 {
                "s"
            } else {
                ""
            },
        )?;
    }
    drop(stderr);
    let settings = PowerSettings {
        sizes: args.sizes.iter().map(|&n| n as usize).collect(),
        replications: args.replications as usize,
        seed: args.seed.unwrap_or(prepared.plan.seed()),
        interval: match args.interval {
            PowerIntervalArg::MonteCarlo => PowerInterval::MonteCarlo,
            PowerIntervalArg::Bootstrap => PowerInterval::Bootstrap,
        },
        draws: args.draws as usize,
        target: args.target,
        only: args.only.clone(),
        measurement: args.measurement,
        model_name,
        threads: None,
    };
    // The first Ctrl-C stops the run at the next replication and keeps what was done; a
    // second one ends the process at once.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register_conditional_shutdown(
        signal_hook::consts::SIGINT,
        130,
        stop.clone(),
    )?;
    signal_hook::flag::register(signal_hook::consts::SIGINT, stop.clone())?;
    let bar = CountProgress::new("simulating", "replications");
    let results = power::run(
        &prepared,
        &model,
        &settings,
        Control {
            progress: &|done, total| bar.update(done, total),
            stop: &stop,
        },
    );
    bar.finish();
    let results = match results {
        Ok(results) => results,
        Err(PowerError::Refused { notices }) => {
            write!(
                std::io::stderr().lock(),
                "{}",
                render::notices(&notices, &files, Reader::Plan)
            )?;
            return Err(fail(
                "the plan refused the first simulated data set",
                "the simulated data have the survey's columns: check that the plan reads the survey's scores and items",
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let directory = args.output.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "{}-power",
            args.plan
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("plan")
        ))
    });
    let written = write_outputs(&results, &directory)?;
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&results)?)?,
        ReportFormat::Text => write!(stdout, "{}", table(&results))?,
    }
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "wrote {}", written.join(", "))?;
    for runs in &results.analyses {
        let failed: usize = runs.points.iter().map(|p| p.not_computed).sum();
        if failed > 0 {
            let done: usize = runs.points.iter().map(|p| p.replications).sum();
            writeln!(
                stderr,
                "warning: the {} was not computed in {failed} of {done} replications{}",
                runs.description,
                runs.main_problem
                    .as_deref()
                    .map(|p| format!(": {p}"))
                    .unwrap_or_default()
            )?;
        }
    }
    if results.stopped {
        let done: usize = results
            .effects
            .first()
            .map_or(0, |e| e.points.iter().map(|p| p.replications).sum());
        writeln!(
            stderr,
            "stopped: {done} of {} replications were done; the results count those",
            results.sizes.len() * results.replications
        )?;
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// power.json, power.md, power.html and each chart as SVG and PNG; the paths written.
fn write_outputs(results: &PowerResults, directory: &Path) -> Result<Vec<String>> {
    let charts_dir = directory.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|error| {
        fail_because(
            format!("cannot create the output folder `{}`", directory.display()),
            "check that its parent exists and is writable",
            error,
        )
    })?;
    let json_path = directory.join("power.json");
    let markdown_path = directory.join("power.md");
    let html_path = directory.join("power.html");
    let json = serde_json::to_string_pretty(results)?;
    crate::atomic::write_bytes(&json_path, (json + "\n").as_bytes())?;
    crate::atomic::write_bytes(
        &html_path,
        kith_report::power::html(results)
            .map_err(|e| anyhow!("cannot draw the power curves: {e}"))?
            .as_bytes(),
    )?;
    let labels = kith_report::labels::Labels::default();
    let options = kith_report::charts::Options::default();
    for (k, chart) in kith_report::power::charts(results).iter().enumerate() {
        let number = k + 1;
        let svg = kith_report::charts::svg(chart, &labels, options)
            .map_err(|e| anyhow!("cannot draw power curve {number}: {e}"))?;
        crate::atomic::write_bytes(
            &charts_dir.join(format!("power-{number}.svg")),
            svg.as_bytes(),
        )?;
        let png = kith_report::charts::png(chart, &labels, 300, options)
            .map_err(|e| anyhow!("cannot draw power curve {number}: {e}"))?;
        crate::atomic::write_bytes(&charts_dir.join(format!("power-{number}.png")), &png)?;
    }
    crate::atomic::write_bytes(
        &markdown_path,
        kith_report::power::markdown(results, &|k| format!("charts/power-{k}.png")).as_bytes(),
    )?;
    Ok(vec![
        html_path.display().to_string(),
        markdown_path.display().to_string(),
        json_path.display().to_string(),
        format!("the power curves in {}", charts_dir.display()),
    ])
}

/// The table on stdout: each effect's power at each size, and the n for the target.
fn table(results: &PowerResults) -> String {
    let mut header = vec!["effect".to_string()];
    header.extend(results.sizes.iter().map(|n| format!("n={n}")));
    if let Some(target) = results.target {
        header.push(format!("n for {:.0}%", target * 100.0));
    }
    let mut rows = vec![header];
    for effect in &results.effects {
        let mut row = vec![effect.key.clone()];
        row.extend(effect.points.iter().map(|p| match p.power {
            Some(power) => format!("{power:.3}"),
            None => "-".to_string(),
        }));
        if let Some(target) = &effect.target {
            row.push(match (target.n, target.ci) {
                (Some(n), Some([low, high])) => format!(
                    "{n} [{low}, {high}]{}",
                    if target.extrapolated {
                        " (extrapolated)"
                    } else {
                        ""
                    }
                ),
                (Some(n), None) => format!(
                    "{n}{}",
                    if target.extrapolated {
                        " (extrapolated)"
                    } else {
                        ""
                    }
                ),
                (None, _) => "-".to_string(),
            });
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, width))| {
                if c == 0 {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

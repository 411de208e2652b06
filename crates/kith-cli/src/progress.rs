//! Progress on stderr: a spinner for long steps and a bar for bootstraps, shown only when
//! stderr is a terminal; step timings for benchmarks with `KITH_TIMINGS`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

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

/// The steps of loading a study, shown by one spinner that starts at the first step.
#[derive(Default)]
pub struct Steps(std::cell::RefCell<Option<Progress>>);

impl Steps {
    /// Shows that `step` is being done.
    pub fn step(&self, step: &str) {
        let mut progress = self.0.borrow_mut();
        match progress.as_ref() {
            Some(progress) => progress.set(step),
            None => *progress = Some(Progress::start(step)),
        }
    }

    /// Clears the spinner, if one started.
    pub fn finish(self) {
        if let Some(progress) = self.0.into_inner() {
            progress.finish();
        }
    }
}

/// A progress bar for bootstraps, on stderr when it is a terminal.
pub struct BootstrapProgress {
    pub bar: Option<ProgressBar>,
    current: Mutex<String>,
}

impl BootstrapProgress {
    pub fn new() -> Self {
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

    pub fn update(&self, what: &str, done: usize, total: usize) {
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

/// A bar of replications with the time remaining, on stderr when it is a terminal.
pub struct CountProgress(Option<ProgressBar>);

impl CountProgress {
    pub fn new(what: &str, unit: &str) -> Self {
        CountProgress(std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            let template = format!("{{msg}} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{eta}} left)");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            bar
        }))
    }

    pub fn update(&self, done: usize, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

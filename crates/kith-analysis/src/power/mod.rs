//! Power analysis by simulation of the plan itself: data sets drawn from a population model
//! at each sample size, the plan's own analyses run on each (its screening, its measurement
//! models and its networks included), and for every effect it tests the share of data sets
//! in which it was significant. Replications are independent given their seeds, so they run
//! in parallel and give the same results for any number of threads.

mod coverage;
mod effects;
mod files;
mod selection;
mod summary;
mod target;

pub use coverage::{UNDEFINED_HINT, Undefined, undefined_effects};
pub use summary::wilson_interval;
pub use target::target_size;

use crate::analyze::{analyze, fit_measurements};
use crate::bootstrap::resample_rng;
use crate::results::power::{PowerInterval, PowerResults};
use crate::simulate::{PopulationModel, simulate};
use crate::study::{Notice, Prepared};
use effects::outcomes;
use files::SimulatedFiles;
use rand::Rng;
use selection::reduced_plan;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use summary::Replication;

/// The most sample sizes one run may simulate.
pub const MAX_SIZES: usize = 50;
/// The most replications per size.
pub const MAX_REPLICATIONS: usize = 100_000;
/// The largest sample size (the simulator's own limit on respondents).
pub const MAX_N: usize = 1_000_000;
/// Replications run between two countings of their results.
const BLOCK: usize = 256;
/// The replications per size when none are asked for.
pub const DEFAULT_REPLICATIONS: usize = 1_000;
/// Monte Carlo draws per interval: Schoemann, Boulton & Short's default.
pub const DEFAULT_DRAWS: usize = 20_000;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerSettings {
    pub sizes: Vec<usize>,
    pub replications: usize,
    pub seed: u64,
    pub interval: PowerInterval,
    /// Monte Carlo draws per indirect effect's interval.
    pub draws: usize,
    pub target: Option<f64>,
    /// The plan's analyses to run (keys such as `mediation[0]` or `models`); all when empty.
    pub only: Vec<String>,
    /// Whether to fit the plan's measurement models too (they test no effect, and a robust
    /// multi-group fit takes seconds per data set): their convergence rate is then reported.
    pub measurement: bool,
    /// The population model's name, as the results record it.
    pub model_name: String,
    /// Threads to run replications on; all cores (rayon's count) when `None`.
    pub threads: Option<usize>,
}

/// Why a power analysis cannot run.
#[derive(Debug, thiserror::Error)]
pub enum PowerError {
    #[error("{message}")]
    Invalid { message: String, hint: String },
    /// The plan refused the first simulated data set; the notices say why.
    #[error("the plan refused the simulated data")]
    Refused { notices: Vec<Notice> },
}

impl PowerError {
    pub fn hint(&self) -> &str {
        match self {
            PowerError::Invalid { hint, .. } => hint,
            PowerError::Refused { .. } => {
                "the simulated data have the survey's columns: check that the plan reads the survey's scores and items"
            }
        }
    }
}

/// A model the survey contradicts, named as the user gave it.
fn cannot_simulate(model_name: &str, error: crate::simulate::ModelError) -> PowerError {
    invalid(
        format!(
            "cannot simulate from the model `{model_name}`: {}",
            error.message
        ),
        &error.hint,
    )
}

pub(crate) fn invalid(message: String, hint: &str) -> PowerError {
    PowerError::Invalid {
        message,
        hint: hint.to_string(),
    }
}

/// How far the run has got, and whether to stop.
#[allow(missing_debug_implementations)]
pub struct Control<'a> {
    /// Told (replications done, replications in all) after each replication.
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Set (by Ctrl-C) to stop: replications not yet begun are skipped and the results
    /// count the ones done.
    pub stop: &'a AtomicBool,
}

/// The seed of replication `rep` at size `n`: independent of the other sizes simulated and
/// of the order replications run in.
fn replication_seed(seed: u64, n: usize, rep: usize) -> u64 {
    resample_rng(seed, ((n as u64) << 32) | rep as u64).next_u64()
}

impl PowerSettings {
    fn check(&self) -> Result<(), PowerError> {
        if self.sizes.is_empty() || self.sizes.len() > MAX_SIZES {
            return Err(invalid(
                format!("{} sample sizes were given", self.sizes.len()),
                &format!("give between 1 and {MAX_SIZES} sizes, e.g. --n 100,200,400"),
            ));
        }
        if let Some(&n) = self.sizes.iter().find(|&&n| !(10..=MAX_N).contains(&n)) {
            return Err(invalid(
                format!("the sample size {n} is outside 10 to {MAX_N}"),
                "a power analysis needs at least 10 respondents per data set",
            ));
        }
        if !(1..=MAX_REPLICATIONS).contains(&self.replications) {
            return Err(invalid(
                format!("{} replications were asked for", self.replications),
                &format!("ask for 1 to {MAX_REPLICATIONS}; 1,000 give power within ±0.03"),
            ));
        }
        let draws =
            crate::mediation::monte_carlo::MIN_DRAWS..=crate::mediation::monte_carlo::MAX_DRAWS;
        if !draws.contains(&self.draws) {
            return Err(invalid(
                format!("{} Monte Carlo draws were asked for", self.draws),
                &format!("ask for {} to {}", draws.start(), draws.end()),
            ));
        }
        if let Some(target) = self.target
            && !(target > 0.0 && target < 1.0)
        {
            return Err(invalid(
                format!("the target power {target} is not between 0 and 1"),
                "write the target as a proportion, e.g. --target 0.8",
            ));
        }
        Ok(())
    }
}

/// Runs the power analysis of a prepared plan under a population model.
pub fn run(
    prepared: &Prepared,
    model: &PopulationModel,
    settings: &PowerSettings,
    control: Control,
) -> Result<PowerResults, PowerError> {
    settings.check()?;
    let Some(form) = prepared.form.as_ref() else {
        return Err(invalid(
            format!("the plan `{}` names no survey", prepared.name),
            "a power analysis simulates the survey's answers: add `survey:` to the plan",
        ));
    };
    let selection::Reduced {
        mut plan,
        origins,
        analyses,
    } = reduced_plan(&prepared.plan, settings)?;
    selection::drop_unused_networks(&mut plan);
    // Each data set is read, checked and screened for the analyses run alone: the plan's
    // other analyses and the networks they alone use are not needed.
    let mut quiet = prepared.clone();
    quiet.reliability = false;
    quiet.plan = plan.clone();
    let served = files::Served::new(&quiet, model)?;
    // The first data set is simulated and read before the parallel run, so that a model the
    // survey contradicts, or data the plan refuses, is one clear error rather than a
    // thousand not-computed replications.
    let first = simulate(form, model, settings.sizes[0], settings.seed)
        .map_err(|e| cannot_simulate(&settings.model_name, e))?;
    let loading = quiet.load_data(&served.files(&first)?, &|_| {}, Vec::new());
    if !matches!(loading.study, Ok(Some(_))) {
        return Err(PowerError::Refused {
            notices: loading.notices,
        });
    }
    let replications = settings.replications;
    let total = settings.sizes.len() * replications;
    let finished = AtomicUsize::new(0);
    let replicate = |&(i, rep): &(usize, usize)| -> Option<Replication> {
        if control.stop.load(Ordering::Relaxed) {
            return None;
        }
        let n = settings.sizes[i];
        let seed = replication_seed(settings.seed, n, rep);
        let replication = one_replication(&quiet, form, &served, model, &plan, &origins, n, seed);
        let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
        (control.progress)(done, total);
        Some(replication)
    };
    // The jobs run a block at a time and each block is counted in the jobs' order before the
    // next starts: memory stays bounded however many replications are asked for, and the
    // sums do not depend on which thread finished first.
    let mut accumulator = summary::Accumulator::new(&settings.sizes, &analyses);
    let mut stopped = false;
    for start in (0..total).step_by(BLOCK) {
        // Job j is replication j mod R at size j / R.
        let block: Vec<(usize, usize)> = (start..(start + BLOCK).min(total))
            .map(|j| (j / replications, j % replications))
            .collect();
        let results = run_jobs(&block, settings.threads, &replicate);
        for ((i, _), replication) in block.iter().zip(results) {
            match replication {
                Some(replication) => accumulator.add(*i, replication),
                None => stopped = true,
            }
        }
        let more = start + BLOCK < total;
        if stopped || (more && control.stop.load(Ordering::Relaxed)) {
            stopped = true;
            break;
        }
    }
    let (mut effects, runs) = accumulator.finish();
    if let Some(goal) = settings.target {
        for effect in &mut effects {
            effect.target = Some(target_size(&effect.points, goal));
        }
    }
    Ok(PowerResults {
        kith_version: env!("CARGO_PKG_VERSION").to_string(),
        plan: prepared.name.clone(),
        title: prepared.plan.title.clone(),
        model: settings.model_name.clone(),
        sizes: settings.sizes.clone(),
        replications: settings.replications,
        seed: settings.seed,
        level: prepared.plan.level(),
        interval: settings.interval,
        draws: (settings.interval == PowerInterval::MonteCarlo).then_some(settings.draws),
        target: settings.target,
        stopped,
        analyses: runs,
        effects,
    })
}

/// The effects of the prepared plan (or of the analyses `only` names) that `model` leaves at
/// zero, as warnings placed at the plan's analyses (`power-effect-undefined`).
pub fn undefined_warnings(
    prepared: &Prepared,
    model: &PopulationModel,
    only: &[String],
) -> Vec<kith_instrument::diagnostic::Diagnostic> {
    undefined_effects(&prepared.plan, model, only)
        .into_iter()
        .map(|undefined| {
            prepared.warning(
                "power-effect-undefined",
                undefined.message,
                &undefined.path,
                UNDEFINED_HINT,
            )
        })
        .collect()
}

/// The study of one data set of `n` simulated from `model`, loaded as the plan loads its data
/// (what `kith check PLAN --model` checks before any data exist).
pub fn simulated_study(
    prepared: &Prepared,
    model: &PopulationModel,
    model_name: &str,
    n: usize,
    seed: u64,
) -> Result<crate::study::Loading, PowerError> {
    let Some(form) = prepared.form.as_ref() else {
        return Err(invalid(
            format!("the plan `{}` names no survey", prepared.name),
            "a simulation draws the survey's answers: add `survey:` to the plan",
        ));
    };
    let served = files::Served::new(prepared, model)?;
    let data = simulate(form, model, n, seed).map_err(|e| cannot_simulate(model_name, e))?;
    Ok(prepared.load_data(&served.files(&data)?, &|_| {}, Vec::new()))
}

/// Runs `work` on every job on threads of their own, each pulling the next job from a shared
/// counter; the results come back in the jobs' order. Not on rayon's pool: the analyses use
/// rayon (bootstraps) and polars' pool inside, and a rayon worker waiting for those steals
/// further replications onto its own stack, deeper with every one, until it overflows.
fn run_jobs<T: Send>(
    jobs: &[(usize, usize)],
    threads: Option<usize>,
    work: &(dyn Fn(&(usize, usize)) -> Option<T> + Sync),
) -> Vec<Option<T>> {
    let threads = threads
        .unwrap_or_else(rayon::current_num_threads)
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<T>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let worker = || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else {
                        break;
                    };
                    let result = work(job);
                    if let Ok(mut slot) = slots[index].lock() {
                        *slot = result;
                    }
                }
            };
            // Debug builds keep large frames; the analyses' recursion is shallow, but polars'
            // readers are not, so each thread gets a roomy stack.
            if std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn_scoped(scope, worker)
                .is_err()
            {
                // A thread that cannot start leaves its share to the others.
                continue;
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

/// One simulated data set at size `n`, read and analysed as the plan reads and analyses its
/// data. A data set the simulator or the plan refuses counts every analysis as not computed.
#[allow(clippy::too_many_arguments)]
fn one_replication(
    prepared: &Prepared,
    form: &kith_instrument::form::Form,
    served: &files::Served,
    model: &PopulationModel,
    plan: &crate::plan::Plan,
    origins: &effects::Origins,
    n: usize,
    seed: u64,
) -> Replication {
    let refused = |reason: String| Replication {
        outcomes: Vec::new(),
        not_computed: origins
            .keys()
            .into_iter()
            .map(|key| (key, String::new(), reason.clone()))
            .collect(),
    };
    let data = match simulate(form, model, n, seed) {
        Ok(data) => data,
        Err(error) => return refused(error.message),
    };
    let files: SimulatedFiles = match served.files(&data) {
        Ok(files) => files,
        Err(error) => return refused(error.to_string()),
    };
    let loading = prepared.load_data(&files, &|_| {}, Vec::new());
    let Ok(Some(study)) = loading.study else {
        return refused("the plan refused the simulated data set".to_string());
    };
    let mut plan = plan.clone();
    plan.seed = Some(seed);
    let mut results = analyze(&plan, &prepared.name, &study.dataset, &|_, _, _| {});
    fit_measurements(&plan, study.form.as_ref(), &study.dataset, &mut results);
    let not_computed = results
        .not_computed
        .iter()
        .map(|problem| {
            (
                origins.original(&problem.analysis),
                problem.description.clone(),
                problem.message.clone(),
            )
        })
        .collect();
    Replication {
        outcomes: outcomes(&results, &plan, &study.dataset, origins),
        not_computed,
    }
}

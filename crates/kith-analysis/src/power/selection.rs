//! Which of the plan's analyses a power analysis runs: every analysis that tests an effect,
//! or those `--only` names, as a reduced plan whose entries remember their place in the
//! plan. Descriptives and importance test nothing and are left out.

use super::effects::Origins;
use super::{PowerError, PowerSettings, invalid};
use crate::plan::{Plan, describe};
use crate::results::power::PowerInterval;

/// The analyses of a plan a power analysis can run, with their descriptions, in the plan's
/// order of kinds.
fn candidates(plan: &Plan) -> Vec<(String, String)> {
    let mut all = Vec::new();
    if plan.correlations.is_some() {
        all.push(("correlations".to_string(), "the correlations".to_string()));
    }
    let kinds: [(&str, Vec<String>); 6] = [
        (
            "comparisons",
            plan.comparisons.iter().map(describe::comparison).collect(),
        ),
        ("models", plan.models.iter().map(describe::model).collect()),
        (
            "mediation",
            plan.mediation.iter().map(describe::mediation).collect(),
        ),
        (
            "moderation",
            plan.moderation.iter().map(describe::moderation).collect(),
        ),
        (
            "moderated_mediation",
            plan.moderated_mediation
                .iter()
                .map(describe::moderated_mediation)
                .collect(),
        ),
        (
            "measurement",
            plan.measurement.iter().map(describe::measurement).collect(),
        ),
    ];
    for (kind, descriptions) in kinds {
        for (i, description) in descriptions.into_iter().enumerate() {
            all.push((format!("{kind}[{i}]"), description));
        }
    }
    all
}

/// Whether `--only` entry `only` names the analysis `key`: the key itself, or its kind.
pub(super) fn names(only: &str, key: &str) -> bool {
    only == key || key.split('[').next() == Some(only)
}

/// Keeps the entries of `specs` whose key is selected, and their plan indices.
fn keep<T: Clone>(kind: &str, specs: &[T], selected: &[String]) -> (Vec<T>, Vec<usize>) {
    specs
        .iter()
        .enumerate()
        .filter(|(i, _)| selected.contains(&format!("{kind}[{i}]")))
        .map(|(i, spec)| (spec.clone(), i))
        .unzip()
}

/// The plan a power analysis runs on every data set.
pub struct Reduced {
    pub plan: Plan,
    /// Where each of its entries came from.
    pub origins: Origins,
    /// The analyses it runs: (key, description).
    pub analyses: Vec<(String, String)>,
}

/// The plan a power analysis runs on every data set, where each entry came from, and the
/// analyses it runs.
pub fn reduced_plan(plan: &Plan, settings: &PowerSettings) -> Result<Reduced, PowerError> {
    let all = candidates(plan);
    for only in &settings.only {
        if !all.iter().any(|(key, _)| names(only, key)) {
            let known: Vec<&str> = all.iter().map(|(key, _)| key.as_str()).collect();
            let hint = if only.starts_with("importance") || only.starts_with("descriptives") {
                "descriptives and importance test no effect, so a power analysis leaves them out"
                    .to_string()
            } else {
                format!("the plan's analyses are: {}", known.join(", "))
            };
            return Err(invalid(format!("the plan has no analysis `{only}`"), &hint));
        }
    }
    let selected: Vec<(String, String)> = all
        .into_iter()
        .filter(|(key, _)| {
            let named = settings.only.iter().any(|o| names(o, key));
            // Measurement models run when asked for by name or with `measurement`.
            if key.starts_with("measurement[") {
                return named || settings.measurement;
            }
            settings.only.is_empty() || named
        })
        .collect();
    if selected.is_empty() {
        return Err(invalid(
            format!(
                "the plan `{}` tests no effect",
                plan.title.as_deref().unwrap_or("")
            ),
            "a power analysis needs correlations, comparisons, models, mediation or moderation in the plan",
        ));
    }
    let keys: Vec<String> = selected.iter().map(|(key, _)| key.clone()).collect();
    let mut reduced = plan.clone();
    reduced.descriptives.clear();
    reduced.importance.clear();
    // The report's figures are not drawn.
    reduced.report = Default::default();
    if !keys.iter().any(|k| k == "correlations") {
        reduced.correlations = None;
    }
    let mut origins = Origins {
        correlations: reduced.correlations.is_some(),
        ..Origins::default()
    };
    (reduced.comparisons, origins.comparisons) = keep("comparisons", &plan.comparisons, &keys);
    (reduced.models, origins.models) = keep("models", &plan.models, &keys);
    (reduced.mediation, origins.mediation) = keep("mediation", &plan.mediation, &keys);
    (reduced.moderation, origins.moderation) = keep("moderation", &plan.moderation, &keys);
    (reduced.moderated_mediation, origins.moderated_mediation) =
        keep("moderated_mediation", &plan.moderated_mediation, &keys);
    (reduced.measurement, origins.measurement) = keep("measurement", &plan.measurement, &keys);
    if settings.interval == PowerInterval::MonteCarlo {
        for spec in &mut reduced.mediation {
            spec.monte_carlo = Some(settings.draws);
        }
    }
    Ok(Reduced {
        plan: reduced,
        origins,
        analyses: selected,
    })
}

impl Origins {
    /// The plan's key of the reduced plan's analysis `key` (e.g. `models[1]` → `models[4]`).
    pub fn original(&self, key: &str) -> String {
        let Some((kind, rest)) = key.split_once('[') else {
            return key.to_string();
        };
        let index: Option<usize> = rest.trim_end_matches(']').parse().ok();
        let list = match kind {
            "comparisons" => &self.comparisons,
            "models" => &self.models,
            "mediation" => &self.mediation,
            "moderation" => &self.moderation,
            "moderated_mediation" => &self.moderated_mediation,
            "measurement" => &self.measurement,
            _ => return key.to_string(),
        };
        match index.and_then(|i| list.get(i)) {
            Some(origin) => format!("{kind}[{origin}]"),
            None => key.to_string(),
        }
    }

    /// The plan's keys of every analysis run.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if self.correlations {
            keys.push("correlations".to_string());
        }
        for (kind, list) in [
            ("comparisons", &self.comparisons),
            ("models", &self.models),
            ("mediation", &self.mediation),
            ("moderation", &self.moderation),
            ("moderated_mediation", &self.moderated_mediation),
            ("measurement", &self.measurement),
        ] {
            keys.extend(list.iter().map(|i| format!("{kind}[{i}]")));
        }
        keys
    }
}

/// Every variable the analyses of `plan` name (its screening's rules as text).
fn referenced(plan: &Plan) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for spec in plan.correlation_specs() {
        names.extend(spec.variables);
    }
    for spec in &plan.comparisons {
        names.extend([spec.outcome.clone(), spec.group.clone()]);
    }
    for spec in &plan.models {
        names.push(spec.outcome.clone());
        names.extend(spec.predictors.iter().chain(&spec.controls).cloned());
    }
    for spec in &plan.mediation {
        names.extend([spec.x.clone(), spec.y.clone()]);
        names.extend(spec.m.to_vec());
        names.extend(spec.covariates.iter().cloned());
    }
    for spec in &plan.moderation {
        names.extend([spec.x.clone(), spec.w.clone(), spec.y.clone()]);
        names.extend(spec.covariates.iter().cloned());
    }
    for spec in &plan.moderated_mediation {
        names.extend([spec.x.clone(), spec.w.clone(), spec.y.clone()]);
        names.extend(spec.m.to_vec());
        names.extend(spec.covariates.iter().cloned());
    }
    if let Some(screening) = &plan.screening {
        names.extend(screening.exclude.iter().cloned());
    }
    names
}

/// Leaves out the networks no analysis of the (reduced) plan uses: building a network and its
/// measures is most of the cost of a data set when the analyses run do not need it.
pub fn drop_unused_networks(plan: &mut Plan) {
    let names = referenced(plan);
    let mut dropped = Vec::new();
    plan.networks.retain(|network| {
        let prefix = format!("{}_", network.name);
        let used = names.iter().any(|name| name.contains(&prefix));
        if !used {
            dropped.push(prefix);
        }
        used
    });
    // Labels and factors of the dropped networks' measures would name missing variables.
    let kept = |name: &String| !dropped.iter().any(|prefix| name.starts_with(prefix));
    plan.labels.retain(|name, _| kept(name));
    plan.factors.retain(|name, _| kept(name));
}

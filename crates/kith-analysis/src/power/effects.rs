//! The effects a plan tests, read from the results of one simulated data set: each
//! coefficient, correlation, comparison, indirect effect, interaction and index of moderated
//! mediation, and whether it was significant.

use crate::dataset::{Dataset, Values};
use crate::plan::Plan;
use crate::results::power::EffectKind;
use crate::results::{CoefficientResult, Results};
use std::collections::BTreeSet;

/// Where an effect sits in the plan, so that effects sort in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EffectId {
    /// The kind of analysis in the order the report shows them, then the analysis's index in
    /// the plan, then the effect's position in it.
    pub order: (u8, usize, usize),
    pub key: String,
}

/// One effect in one replication.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: EffectId,
    pub analysis: String,
    pub kind: EffectKind,
    /// A control's coefficient.
    pub control: bool,
    pub label: String,
    pub question: Option<String>,
    pub significant: bool,
    pub estimate: f64,
}

/// Which plan entry each analysis of the reduced plan came from (its index in the plan).
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub correlations: bool,
    pub comparisons: Vec<usize>,
    pub models: Vec<usize>,
    pub mediation: Vec<usize>,
    pub moderation: Vec<usize>,
    pub moderated_mediation: Vec<usize>,
    pub measurement: Vec<usize>,
}

fn excludes_zero(ci: [f64; 2]) -> bool {
    ci[0] > 0.0 || ci[1] < 0.0
}

/// The reduced plan's indices of `kind` that were computed, in order, with their plan index.
fn computed<'a>(
    kind: &'a str,
    origins: &'a [usize],
    failed: &'a BTreeSet<String>,
) -> impl Iterator<Item = usize> + 'a {
    origins
        .iter()
        .enumerate()
        .filter(move |(index, _)| !failed.contains(&format!("{kind}[{index}]")))
        .map(|(_, &origin)| origin)
}

/// Every tested effect of `results`, fitted on `dataset` by the reduced plan of `origins`.
pub fn outcomes(
    results: &Results,
    plan: &Plan,
    dataset: &Dataset,
    origins: &Origins,
) -> Vec<Outcome> {
    let alpha = 1.0 - results.level;
    let failed: BTreeSet<String> = results
        .not_computed
        .iter()
        .map(|n| n.analysis.clone())
        .collect();
    // Labels as they read inside the effects' sentences ("career satisfaction").
    let label = |name: &str| {
        results.labels.get(name).map_or(name.to_string(), |label| {
            crate::results::mid_sentence(label)
        })
    };
    let mut out = Vec::new();
    // Whether each coefficient pushed is a control's, in order; set on the outcomes at the end.
    let mut controls = Vec::new();
    let mut push = |order: (u8, usize, usize),
                    analysis: String,
                    key: String,
                    kind: EffectKind,
                    label: String,
                    question: &Option<String>,
                    significant: bool,
                    estimate: f64| {
        out.push(Outcome {
            id: EffectId { order, key },
            analysis,
            kind,
            control: false,
            label,
            question: question.clone(),
            significant,
            estimate,
        })
    };
    if origins.correlations {
        let mut position = 0;
        for (t, table) in results.correlations.iter().enumerate() {
            for pair in &table.pairs {
                let analysis = if results.correlations.len() == 1 {
                    "correlations".to_string()
                } else {
                    format!("correlations[{t}]")
                };
                push(
                    (0, t, position),
                    analysis.clone(),
                    format!("{analysis}: {} with {}", pair.x, pair.y),
                    EffectKind::Correlation,
                    format!(
                        "the correlation of {} with {}",
                        label(&pair.x),
                        label(&pair.y)
                    ),
                    &None,
                    pair.p_adjusted < alpha,
                    pair.r,
                );
                position += 1;
            }
        }
    }
    for (result, origin) in
        results
            .comparisons
            .iter()
            .zip(computed("comparisons", &origins.comparisons, &failed))
    {
        let p = result
            .means
            .as_ref()
            .and_then(|m| {
                m.t_test
                    .as_ref()
                    .map(|t| t.p)
                    .or(m.anova.as_ref().map(|a| a.p))
            })
            .or(result.counts.as_ref().map(|c| c.p));
        if let Some(p) = p {
            let analysis = format!("comparisons[{origin}]");
            push(
                (1, origin, 0),
                analysis.clone(),
                format!("{analysis}: {} by {}", result.outcome, result.group),
                EffectKind::Comparison,
                format!(
                    "the difference in {} between levels of {}",
                    label(&result.outcome),
                    label(&result.group)
                ),
                &result.question,
                p < alpha,
                f64::NAN,
            );
        }
    }
    for (result, origin) in results
        .models
        .iter()
        .zip(computed("models", &origins.models, &failed))
    {
        let analysis = format!("models[{origin}]");
        if let Some(p) = result.p {
            push(
                (2, origin, 0),
                analysis.clone(),
                format!("{analysis}: overall"),
                EffectKind::ModelTest,
                format!(
                    "the overall test of the model of {}",
                    label(&result.outcome)
                ),
                &result.question,
                p < alpha,
                result.r2.unwrap_or(f64::NAN),
            );
        }
        let terms = result
            .coefficients
            .iter()
            .filter(|c| c.term != "(Intercept)");
        for (position, coefficient) in terms.enumerate() {
            let control = result
                .controls
                .iter()
                .any(|c| coefficient.term == *c || coefficient.term.starts_with(&format!("{c}=")));
            controls.push(control);
            push(
                (2, origin, position + 1),
                analysis.clone(),
                format!("{analysis}: {}", coefficient.term),
                EffectKind::Coefficient,
                format!(
                    "the coefficient of {} on {}",
                    label(&coefficient.term),
                    label(&result.outcome)
                ),
                &result.question,
                significant(coefficient, alpha),
                coefficient.b,
            );
        }
    }
    // A multicategorical X's mediation and moderation are reported apart; their relative
    // effects are not counted here (docs/power.md).
    let numeric_x = |x: &str| {
        !matches!(
            dataset.get(x).map(|v| &v.values),
            Some(Values::Categorical { .. })
        )
    };
    // The results of numeric X's, in the reduced plan's order, with their plan index.
    let numeric = |kind: &'static str, origins: &[usize], xs: Vec<&str>| -> Vec<usize> {
        origins
            .iter()
            .zip(xs)
            .enumerate()
            .filter(|(index, (_, x))| !failed.contains(&format!("{kind}[{index}]")) && numeric_x(x))
            .map(|(_, (&origin, _))| origin)
            .collect()
    };
    let mediation_origins = numeric(
        "mediation",
        &origins.mediation,
        plan.mediation.iter().map(|s| s.x.as_str()).collect(),
    );
    for (result, &origin) in results.mediation.iter().zip(&mediation_origins) {
        let analysis = format!("mediation[{origin}]");
        for (position, indirect) in result.indirect_effects.iter().enumerate() {
            push(
                (3, origin, position),
                analysis.clone(),
                format!("{analysis}: indirect through {}", indirect.mediator),
                EffectKind::Indirect,
                format!(
                    "the indirect effect of {} through {} on {}{}",
                    label(&result.x),
                    label(&indirect.mediator),
                    label(&result.y),
                    beside(&result.m, &indirect.mediator, &result.covariates)
                ),
                &result.question,
                excludes_zero(indirect.ci),
                indirect.effect,
            );
        }
        if result.indirect_effects.len() > 1 {
            push(
                (3, origin, result.indirect_effects.len()),
                analysis.clone(),
                format!("{analysis}: total indirect"),
                EffectKind::TotalIndirect,
                format!(
                    "the total indirect effect of {} on {}",
                    label(&result.x),
                    label(&result.y)
                ),
                &result.question,
                excludes_zero(result.ci),
                result.indirect,
            );
        }
    }
    let moderation_origins = numeric(
        "moderation",
        &origins.moderation,
        plan.moderation.iter().map(|s| s.x.as_str()).collect(),
    );
    for (result, &origin) in results.moderation.iter().zip(&moderation_origins) {
        let analysis = format!("moderation[{origin}]");
        push(
            (4, origin, 0),
            analysis.clone(),
            format!("{analysis}: {} × {}", result.x, result.w),
            EffectKind::Interaction,
            format!(
                "the interaction of {} and {} on {}",
                label(&result.x),
                label(&result.w),
                label(&result.y)
            ),
            &result.question,
            result.interaction.p < alpha,
            result.interaction.delta_r2,
        );
    }
    for (result, origin) in results.moderated_mediation.iter().zip(computed(
        "moderated_mediation",
        &origins.moderated_mediation,
        &failed,
    )) {
        let analysis = format!("moderated_mediation[{origin}]");
        for (position, path) in result.mediators.iter().enumerate() {
            push(
                (5, origin, position),
                analysis.clone(),
                format!("{analysis}: index through {}", path.mediator),
                EffectKind::IndexOfModeratedMediation,
                format!(
                    "the index of moderated mediation of {} through {} on {} by {}",
                    label(&result.x),
                    label(&path.mediator),
                    label(&result.y),
                    label(&result.w)
                ),
                &result.question,
                excludes_zero(path.index.ci),
                path.index.estimate,
            );
        }
    }
    let mut controls = controls.into_iter();
    for outcome in &mut out {
        if outcome.kind == EffectKind::Coefficient {
            outcome.control = controls.next().unwrap_or(false);
        }
    }
    out
}

/// What else a mediation model holds, for telling apart the same path in two models:
/// ` (beside A, controlling B)`.
fn beside(mediators: &[String], this: &str, covariates: &[String]) -> String {
    let others: Vec<&str> = mediators
        .iter()
        .map(String::as_str)
        .filter(|m| *m != this)
        .collect();
    let mut parts = Vec::new();
    if !others.is_empty() {
        parts.push(format!("beside {}", others.join(" and ")));
    }
    if !covariates.is_empty() {
        parts.push(format!("controlling {}", covariates.join(" and ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn significant(coefficient: &CoefficientResult, alpha: f64) -> bool {
    coefficient.p < alpha
}

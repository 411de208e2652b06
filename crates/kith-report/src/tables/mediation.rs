//! The tables of mediation models (PROCESS model 4) and of relative importance.

use crate::format::{and_list, bounded, grouped, interval, number, p_value, percent};
use crate::labels::label;
use kith_analysis::results::{
    BootSummary, ImportanceMethod, ImportanceResult, IntervalMethod, MediationResult, PathResult,
    Results,
};
use std::fmt::Write;

fn path_row(out: &mut String, name: &str, path: &PathResult) {
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} | {} |",
        number(path.b, 3),
        number(path.se, 3),
        number(path.t, 2),
        p_value(path.p),
        interval(path.ci, 3)
    );
}

/// Table `number_`: a mediation model's paths, then its indirect effects.
pub fn mediation_table(out: &mut String, results: &Results, m: &MediationResult, number_: usize) {
    let x = label(results, &m.x);
    let y = label(results, &m.y);
    let _ = writeln!(
        out,
        "### {}\n",
        m.name.clone().unwrap_or_else(|| format!(
            "{x} → {} → {y}",
            m.m.iter()
                .map(|v| label(results, v).to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        ))
    );
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let level = percent(m.level);
    let _ = writeln!(
        out,
        "Table {number_}. Paths of the mediation model (PROCESS model 4).\n"
    );
    let _ = writeln!(out, "| Path | b | SE | t | p | {level} CI |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for effect in &m.indirect_effects {
        let mediator = label(results, &effect.mediator);
        path_row(out, &format!("a: {x} → {mediator}"), &effect.a);
        path_row(out, &format!("b: {mediator} → {y}"), &effect.b);
    }
    path_row(out, &format!("c: {x} → {y} (total)"), &m.c_path);
    path_row(out, &format!("c′: {x} → {y} (direct)"), &m.c_prime_path);
    // With a two-valued X (a condition, a yes/no) X's SD is no unit of anything, so the table
    // gives the partially standardized effect a·b/SD(y), as Hayes (2022) advises; otherwise
    // the completely standardized a·b·SD(x)/SD(y).
    let partial = m.x_two_valued && m.partially_standardized.is_some();
    let standardized_name = if partial {
        "Partially standardized effect"
    } else {
        "Standardized effect"
    };
    let _ = writeln!(
        out,
        "\n| Indirect effect | Effect | Boot SE | {level} CI | {standardized_name} | {level} CI of the standardized effect |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---:|---|");
    let standardized_of =
        |complete: f64, complete_ci: [f64; 2], partially: Option<BootSummary>| match partially {
            Some(p) if partial => (p.estimate, p.ci),
            _ => (complete, complete_ci),
        };
    for effect in &m.indirect_effects {
        let (estimate, ci) = standardized_of(
            effect.standardized,
            effect.standardized_ci,
            effect.partially_standardized,
        );
        let _ = writeln!(
            out,
            "| via {} | {} | {} | {} | {} | {} |",
            label(results, &effect.mediator),
            number(effect.effect, 3),
            number(effect.boot_se, 3),
            interval(effect.ci, 3),
            number(estimate, 3),
            interval(ci, 3)
        );
    }
    if m.indirect_effects.len() > 1 {
        let (estimate, ci) =
            standardized_of(m.standardized, m.standardized_ci, m.partially_standardized);
        let _ = writeln!(
            out,
            "| total | {} | {} | {} | {} | {} |",
            number(m.indirect, 3),
            number(m.boot_se, 3),
            interval(m.ci, 3),
            number(estimate, 3),
            interval(ci, 3)
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* n = {}{}. {} bootstrap intervals from {} resamples (seed {}){}. {}{}.\n",
        m.n,
        if m.covariates.is_empty() {
            String::new()
        } else {
            format!(
                "; covariates: {}",
                and_list(
                    &m.covariates
                        .iter()
                        .map(|c| label(results, c).to_string())
                        .collect::<Vec<_>>()
                )
            )
        },
        if m.ci_method == IntervalMethod::Bca {
            "Bias-corrected and accelerated"
        } else {
            "Percentile"
        },
        grouped(m.resamples as f64, 0),
        m.seed,
        if m.failed_resamples > 0 {
            format!("; {} singular resamples were left out", m.failed_resamples)
        } else {
            String::new()
        },
        if partial {
            "Partially standardized: the indirect effect in SDs of y, a·b/SD(y), since x has two values"
        } else {
            "Standardized: completely standardized indirect effect a·b·SD(x)/SD(y)"
        },
        super::reference_levels(results, &m.reference_levels)
    );
}

/// Table `number_`: each predictor's importance weight, share of R² and interval.
pub fn importance_table(out: &mut String, results: &Results, r: &ImportanceResult, number_: usize) {
    let _ = writeln!(
        out,
        "### {}\n",
        r.name
            .clone()
            .unwrap_or_else(|| format!("Predictors of {}", label(results, &r.outcome)))
    );
    if let Some(question) = &r.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let level = percent(results.level);
    let _ = writeln!(
        out,
        "Table {number_}. {} of the predictors of {}.\n",
        if r.method == ImportanceMethod::Dominance {
            "General dominance weights"
        } else {
            "Relative weights (Johnson, 2000)"
        },
        label(results, &r.outcome)
    );
    let _ = writeln!(out, "| Predictor | Weight | % of R² | {level} CI |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for w in &r.weights {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            label(results, &w.predictor),
            number(w.weight, 3),
            number(w.share * 100.0, 1),
            interval(w.ci, 3)
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* n = {}, R² = {}. Percentile bootstrap intervals from {} resamples (seed {}).\n",
        r.n,
        bounded(r.r2, 3),
        grouped(r.resamples as f64, 0),
        r.seed
    );
}

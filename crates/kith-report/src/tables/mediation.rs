//! The tables of mediation models (PROCESS model 4) and of relative importance.

use crate::format::{bounded, grouped, interval, number, p_value, percent};
use crate::labels::label;
use kith_analysis::results::{
    ImportanceMethod, ImportanceResult, IntervalMethod, MediationResult, PathResult, Results,
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
    let _ = writeln!(
        out,
        "\n| Indirect effect | Effect | Boot SE | {level} CI | Standardized effect | {level} CI of the standardized effect |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---:|---|");
    for effect in &m.indirect_effects {
        let _ = writeln!(
            out,
            "| via {} | {} | {} | {} | {} | {} |",
            label(results, &effect.mediator),
            number(effect.effect, 3),
            number(effect.boot_se, 3),
            interval(effect.ci, 3),
            number(effect.standardized, 3),
            interval(effect.standardized_ci, 3)
        );
    }
    if m.indirect_effects.len() > 1 {
        let _ = writeln!(
            out,
            "| total | {} | {} | {} | {} | {} |",
            number(m.indirect, 3),
            number(m.boot_se, 3),
            interval(m.ci, 3),
            number(m.standardized, 3),
            interval(m.standardized_ci, 3)
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* n = {}{}. {} bootstrap intervals from {} resamples (seed {}){}. Standardized: completely standardized indirect effect a·b·SD(x)/SD(y).\n",
        m.n,
        if m.covariates.is_empty() {
            String::new()
        } else {
            format!(
                "; covariates: {}",
                m.covariates
                    .iter()
                    .map(|c| label(results, c).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
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
        }
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

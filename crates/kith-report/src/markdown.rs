//! The Markdown report of an analysis plan: what was found, in sentences that answer the plan's
//! questions, then APA-style tables for descriptives, correlations, models, mediation and
//! relative importance, and every analysis that could not be computed with the reason.

use crate::format::{bounded, interval, number, p_value, stars};
use kith_analysis::analyze::{
    CorrelationTable, ImportanceResult, MediationResult, ModelResult, PathResult, Results,
};
use std::fmt::Write;

/// A variable's readable name: its label when it has one; a dummy term `variable=level` reads
/// `Label: level`.
fn label(results: &Results, name: &str) -> String {
    if let Some(label) = results.labels.get(name) {
        return label.clone();
    }
    match name.split_once('=') {
        Some((variable, level)) => format!(
            "{}: {level}",
            results
                .labels
                .get(variable)
                .map_or(variable, String::as_str)
        ),
        None => name.to_string(),
    }
}

fn percent(level: f64) -> String {
    format!("{}%", number(level * 100.0, 0))
}

fn model_title(model: &ModelResult, results: &Results) -> String {
    model.name.clone().unwrap_or_else(|| {
        format!(
            "{} ({})",
            label(results, &model.outcome),
            match model.family {
                "binomial" => "logistic regression",
                "poisson" => "Poisson regression",
                _ => "linear regression",
            }
        )
    })
}

/// Renders the whole report.
pub fn report(results: &Results) -> String {
    let mut out = String::new();
    let title = results.title.as_deref().unwrap_or("Analysis report");
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "Plan `{}`; data {}; {} rows{}. Intervals are {} intervals. Made by kith {}.\n",
        results.plan,
        results
            .data
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", "),
        results.n_rows,
        results
            .survey
            .as_ref()
            .map(|s| format!(
                "; survey `{}` {} (fingerprint `{}`)",
                s.id, s.version, s.fingerprint
            ))
            .unwrap_or_default(),
        percent(results.level),
        results.kith_version
    );
    findings(&mut out, results);
    if !results.not_computed.is_empty() {
        let _ = writeln!(out, "## Not computed\n");
        for problem in &results.not_computed {
            let _ = writeln!(
                out,
                "- **The {}** (`{}`, {}): {}. Hint: {}.",
                problem.description, problem.analysis, problem.code, problem.message, problem.hint
            );
        }
        out.push('\n');
    }
    let mut table_number = 0;
    if !results.descriptives.is_empty() {
        table_number += 1;
        descriptives(&mut out, results, table_number);
    }
    for table in &results.correlations {
        table_number += 1;
        correlations(&mut out, results, table, table_number);
    }
    if !results.models.is_empty() {
        let _ = writeln!(out, "## Regression models\n");
        for model in &results.models {
            table_number += 1;
            model_table(&mut out, results, model, table_number);
        }
    }
    if !results.mediation.is_empty() {
        let _ = writeln!(out, "## Mediation\n");
        for mediation in &results.mediation {
            table_number += 1;
            mediation_table(&mut out, results, mediation, table_number);
        }
    }
    if !results.importance.is_empty() {
        let _ = writeln!(out, "## Relative importance\n");
        for importance in &results.importance {
            table_number += 1;
            importance_table(&mut out, results, importance, table_number);
        }
    }
    out
}

fn findings(out: &mut String, results: &Results) {
    if results.models.is_empty() && results.mediation.is_empty() && results.importance.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Findings\n");
    let alpha = 1.0 - results.level;
    for model in &results.models {
        let _ = write!(out, "- **{}**", model_title(model, results));
        if let Some(question) = &model.question {
            let _ = write!(out, " — *{question}*");
        }
        let _ = write!(out, " (n = {}", model.n);
        match model.family {
            "gaussian" => {
                let _ = write!(out, ", R² = {}", bounded(model.r2.unwrap_or(f64::NAN), 2));
            }
            "binomial" => {
                let _ = write!(
                    out,
                    ", Nagelkerke R² = {}",
                    bounded(model.nagelkerke_r2.unwrap_or(f64::NAN), 2)
                );
            }
            _ => {}
        }
        let _ = write!(out, "): ");
        let predictor_terms: Vec<_> = model
            .coefficients
            .iter()
            .filter(|c| {
                model
                    .predictors
                    .iter()
                    .any(|p| c.term == *p || c.term.starts_with(&format!("{p}=")))
            })
            .collect();
        let effect = |c: &kith_analysis::analyze::CoefficientResult| match model.family {
            "binomial" => format!("OR = {}", number(c.odds_ratio.unwrap_or(f64::NAN), 2)),
            "poisson" => format!("IRR = {}", number(c.irr.unwrap_or(f64::NAN), 2)),
            _ => format!("β = {}", bounded(c.beta.unwrap_or(f64::NAN), 2)),
        };
        let (significant, not): (
            Vec<&kith_analysis::analyze::CoefficientResult>,
            Vec<&kith_analysis::analyze::CoefficientResult>,
        ) = predictor_terms.iter().copied().partition(|c| c.p < alpha);
        let mut parts = Vec::new();
        let more = significant.iter().filter(|c| c.b > 0.0);
        let positive: Vec<String> = more
            .map(|c| {
                format!(
                    "{} ({}, p {})",
                    label(results, &c.term),
                    effect(c),
                    p_text(c.p)
                )
            })
            .collect();
        let negative: Vec<String> = significant
            .iter()
            .filter(|c| c.b < 0.0)
            .map(|c| {
                format!(
                    "{} ({}, p {})",
                    label(results, &c.term),
                    effect(c),
                    p_text(c.p)
                )
            })
            .collect();
        let outcome = label(results, &model.outcome);
        let direction = |up: bool| match model.family {
            "binomial" => {
                if up {
                    "higher odds of"
                } else {
                    "lower odds of"
                }
            }
            _ => {
                if up {
                    "higher"
                } else {
                    "lower"
                }
            }
        };
        if !positive.is_empty() {
            parts.push(format!(
                "{} went with {} {outcome}",
                positive.join(", "),
                direction(true)
            ));
        }
        if !negative.is_empty() {
            parts.push(format!(
                "{} went with {} {outcome}",
                negative.join(", "),
                direction(false)
            ));
        }
        if !not.is_empty() {
            parts.push(format!(
                "{} did not reach significance",
                not.iter()
                    .map(|c| label(results, &c.term).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !model.controls.is_empty() {
            parts.push(format!(
                "controlling for {}",
                model
                    .controls
                    .iter()
                    .map(|c| label(results, c).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let _ = writeln!(out, "{}.", parts.join("; "));
        for warning in &model.warnings {
            let _ = writeln!(out, "  - ⚠ {warning}");
        }
    }
    for mediation in &results.mediation {
        let x = label(results, &mediation.x);
        let y = label(results, &mediation.y);
        let _ = write!(
            out,
            "- **Mediation: {x} → {} → {y}**",
            mediation
                .m
                .iter()
                .map(|m| label(results, m).to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        );
        if let Some(question) = &mediation.question {
            let _ = write!(out, " — *{question}*");
        }
        let _ = write!(out, " (n = {}): ", mediation.n);
        let mut parts = Vec::new();
        for effect in &mediation.indirect_effects {
            let excludes_zero = effect.ci[0] > 0.0 || effect.ci[1] < 0.0;
            parts.push(format!(
                "the indirect effect through {} was {} ({} CI {}; standardized {}), so {}",
                label(results, &effect.mediator),
                number(effect.effect, 3),
                percent(mediation.level),
                interval(effect.ci, 3),
                number(effect.standardized, 3),
                if excludes_zero {
                    format!(
                        "{} carries part of the effect of {x} on {y}",
                        label(results, &effect.mediator)
                    )
                } else {
                    "the interval includes zero: no evidence of mediation".to_string()
                }
            ));
        }
        parts.push(format!(
            "the direct effect was c′ = {} (p {}), the total effect c = {} (p {})",
            number(mediation.c_prime, 3),
            p_text(mediation.c_prime_path.p),
            number(mediation.c, 3),
            p_text(mediation.c_path.p)
        ));
        let _ = writeln!(out, "{}.", parts.join("; "));
    }
    for importance in &results.importance {
        let mut ranked: Vec<_> = importance.weights.iter().collect();
        ranked.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let _ = write!(
            out,
            "- **Relative importance for {}**",
            label(results, &importance.outcome)
        );
        if let Some(question) = &importance.question {
            let _ = write!(out, " — *{question}*");
        }
        let _ = writeln!(
            out,
            " (n = {}, R² = {}): {}.",
            importance.n,
            bounded(importance.r2, 2),
            ranked
                .iter()
                .map(|w| format!(
                    "{} {}%",
                    label(results, &w.predictor),
                    number(w.share * 100.0, 0)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push('\n');
}

fn p_text(p: f64) -> String {
    let text = p_value(p);
    if text.starts_with('<') {
        text
    } else {
        format!("= {text}")
    }
}

fn descriptives(out: &mut String, results: &Results, number_: usize) {
    let _ = writeln!(out, "## Descriptive statistics\n");
    let _ = writeln!(out, "Table {number_}. Descriptive statistics.\n");
    let _ = writeln!(
        out,
        "| Variable | n | M | SD | Mdn | Min | Max | Skew | Kurtosis |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &results.descriptives {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            label(results, &row.variable),
            row.statistics.n,
            number(row.statistics.mean, 2),
            number(row.statistics.sd, 2),
            number(row.statistics.median, 2),
            number(row.statistics.min, 2),
            number(row.statistics.max, 2),
            number(row.statistics.skew, 2),
            number(row.statistics.kurtosis, 2)
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* Each variable's present values; skew and kurtosis as psych::describe (type 3).\n"
    );
}

fn correlations(out: &mut String, results: &Results, table: &CorrelationTable, number_: usize) {
    let _ = writeln!(
        out,
        "## {}\n",
        table.name.as_deref().unwrap_or("Correlations")
    );
    let _ = writeln!(
        out,
        "Table {number_}. {} correlations.\n",
        if table.method == "spearman" {
            "Spearman"
        } else {
            "Pearson"
        }
    );
    let k = table.variables.len();
    let _ = write!(out, "| Variable |");
    for j in 1..k {
        let _ = write!(out, " {j} |");
    }
    let _ = writeln!(out);
    let _ = write!(out, "|---|");
    for _ in 1..k {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out);
    for (i, name) in table.variables.iter().enumerate() {
        let _ = write!(out, "| {}. {} |", i + 1, label(results, name));
        for j in 0..k.saturating_sub(1) {
            if j < i {
                let pair = table
                    .pairs
                    .iter()
                    .find(|p| p.x == table.variables[j] && p.y == *name);
                match pair {
                    Some(pair) => {
                        let _ = write!(out, " {}{} |", bounded(pair.r, 2), stars(pair.p_adjusted));
                    }
                    None => {
                        let _ = write!(out, " |");
                    }
                }
            } else {
                let _ = write!(out, " |");
            }
        }
        let _ = writeln!(out);
    }
    let adjust = match table.adjust {
        "holm" => ", Holm-adjusted",
        "bh" => ", Benjamini–Hochberg-adjusted",
        _ => "",
    };
    let _ = writeln!(
        out,
        "\n*Note.* {} (n = {}). * p < .05, ** p < .01, *** p < .001{adjust}. Each r's {} Fisher-z interval is in results.json.\n",
        if table.missing == "listwise" {
            "Listwise deletion"
        } else {
            "Pairwise deletion; the smallest pair"
        },
        table.n,
        percent(results.level)
    );
}

fn model_table(out: &mut String, results: &Results, model: &ModelResult, number_: usize) {
    let _ = writeln!(out, "### {}\n", model_title(model, results));
    if let Some(question) = &model.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let level = percent(results.level);
    let _ = writeln!(
        out,
        "Table {number_}. {} of {} on {}.\n",
        match model.family {
            "binomial" => "Logistic regression",
            "poisson" => "Poisson regression",
            _ => "Linear regression",
        },
        label(results, &model.outcome),
        model
            .predictors
            .iter()
            .map(|p| label(results, p).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    match model.family {
        "gaussian" => {
            let _ = writeln!(out, "| Term | b | SE | t | p | {level} CI | β |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---:|");
        }
        "binomial" => {
            let _ = writeln!(out, "| Term | b | SE | z | p | OR | {level} CI (OR) |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|");
        }
        _ => {
            let _ = writeln!(out, "| Term | b | SE | z | p | IRR | {level} CI (IRR) |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|");
        }
    }
    for c in &model.coefficients {
        let term = if c.term == "(Intercept)" {
            "(Intercept)".to_string()
        } else {
            label(results, &c.term).to_string()
        };
        match model.family {
            "gaussian" => {
                let _ = writeln!(
                    out,
                    "| {term} | {} | {} | {} | {} | {} | {} |",
                    number(c.b, 3),
                    number(c.se, 3),
                    number(c.t.unwrap_or(f64::NAN), 2),
                    p_value(c.p),
                    interval(c.ci, 3),
                    c.beta.map(|b| bounded(b, 2)).unwrap_or_default()
                );
            }
            family => {
                let (ratio, ratio_ci) = if family == "binomial" {
                    (c.odds_ratio, c.odds_ratio_ci)
                } else {
                    (c.irr, c.irr_ci)
                };
                let _ = writeln!(
                    out,
                    "| {term} | {} | {} | {} | {} | {} | {} |",
                    number(c.b, 3),
                    number(c.se, 3),
                    number(c.z.unwrap_or(f64::NAN), 2),
                    p_value(c.p),
                    number(ratio.unwrap_or(f64::NAN), 2),
                    interval(ratio_ci.unwrap_or([f64::NAN; 2]), 2)
                );
            }
        }
    }
    let mut note = format!("\n*Note.* n = {}", model.n);
    if model.n_missing > 0 {
        let _ = write!(
            note,
            " ({} rows with a missing value left out)",
            model.n_missing
        );
    }
    match model.family {
        "gaussian" => {
            let _ = write!(
                note,
                ". R² = {}, adjusted R² = {}, F({}, {}) = {}, p {}",
                bounded(model.r2.unwrap_or(f64::NAN), 3),
                bounded(model.adj_r2.unwrap_or(f64::NAN), 3),
                model.df1.unwrap_or(0),
                model.df2.unwrap_or(0),
                number(model.f.unwrap_or(f64::NAN), 2),
                p_text(model.p.unwrap_or(f64::NAN))
            );
            if model.robust {
                note.push_str(". Standard errors are HC3 (heteroscedasticity-consistent)");
            }
            if let Some(block) = model.blocks.iter().find(|b| b.block == 2) {
                let _ = write!(
                    note,
                    ". Block 1 (controls: {}) R² = {}; adding the predictors: ΔR² = {}, F({}, {}) = {}, p {}",
                    model
                        .controls
                        .iter()
                        .map(|c| label(results, c).to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    bounded(model.blocks[0].r2.unwrap_or(f64::NAN), 3),
                    bounded(block.delta_r2.unwrap_or(f64::NAN), 3),
                    block.df1.unwrap_or(0),
                    block.df2.unwrap_or(0),
                    number(block.f_change.unwrap_or(f64::NAN), 2),
                    p_text(block.p)
                );
            }
        }
        family => {
            let _ = write!(
                note,
                ". Deviance = {} on {} df (null {}), AIC = {}",
                number(model.deviance.unwrap_or(f64::NAN), 2),
                model.df_residual.unwrap_or(0),
                number(model.null_deviance.unwrap_or(f64::NAN), 2),
                number(model.aic.unwrap_or(f64::NAN), 2)
            );
            if family == "binomial" {
                let _ = write!(
                    note,
                    ", McFadden R² = {}, Nagelkerke R² = {}",
                    bounded(model.mcfadden_r2.unwrap_or(f64::NAN), 3),
                    bounded(model.nagelkerke_r2.unwrap_or(f64::NAN), 3)
                );
            } else {
                let _ = write!(
                    note,
                    ", dispersion (Pearson χ²/df) = {}",
                    number(model.dispersion.unwrap_or(f64::NAN), 2)
                );
            }
            if let Some(block) = model.blocks.last() {
                let _ = write!(
                    note,
                    ". {}: χ²({}) = {}, p {}",
                    if model.controls.is_empty() {
                        "Likelihood-ratio test of the predictors"
                    } else {
                        "Adding the predictors to the controls"
                    },
                    block.df.unwrap_or(0),
                    number(block.chi_square.unwrap_or(f64::NAN), 2),
                    p_text(block.p)
                );
            }
            note.push_str(". Intervals are Wald intervals");
        }
    }
    let _ = writeln!(out, "{note}.\n");
    for warning in &model.warnings {
        let _ = writeln!(out, "> **Warning:** {warning}\n");
    }
}

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

fn mediation_table(out: &mut String, results: &Results, m: &MediationResult, number_: usize) {
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
        "\n| Indirect effect | Effect | Boot SE | {level} CI | Standardized | {level} CI |"
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
        if m.ci_method == "bca" {
            "Bias-corrected and accelerated"
        } else {
            "Percentile"
        },
        m.resamples,
        m.seed,
        if m.failed_resamples > 0 {
            format!("; {} singular resamples were left out", m.failed_resamples)
        } else {
            String::new()
        }
    );
}

fn importance_table(out: &mut String, results: &Results, r: &ImportanceResult, number_: usize) {
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
        if r.method == "dominance" {
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
        r.resamples,
        r.seed
    );
}

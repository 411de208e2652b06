//! The report's *Findings*: one sentence per model, comparison, mediation and importance analysis, saying
//! in words what the tables show, with the effects and p-values that back each statement.

use crate::format::{
    and_list, bounded, estimate_decimals, grouped, interval, mid_sentence, number, p_text, percent,
};
use crate::labels::label;
use crate::tables::models::model_title;
use crate::tables::standardized;
use kith_analysis::results::{CoefficientResult, Family, MeasurementResult, Results};
use std::fmt::Write;

/// The findings section; nothing when the plan has no model, mediation or importance analysis.
pub fn findings(out: &mut String, results: &Results) {
    if results.models.is_empty()
        && results.mediation.is_empty()
        && results.moderation.is_empty()
        && results.moderated_mediation.is_empty()
        && results.multicategorical_mediation.is_empty()
        && results.multicategorical_moderation.is_empty()
        && results.importance.is_empty()
        && results.measurement.is_empty()
        && results.comparisons.is_empty()
        && results.networks.is_empty()
    {
        return;
    }
    let _ = writeln!(out, "## Findings\n");
    for network in &results.networks {
        crate::tables::networks::network_finding(out, network);
    }
    for m in &results.measurement {
        measurement_finding(out, results, m);
    }
    let alpha = 1.0 - results.level;
    for model in &results.models {
        let _ = write!(out, "- **{}**", model_title(model, results));
        if let Some(question) = &model.question {
            let _ = write!(out, " — *{question}*");
        }
        let _ = write!(out, " (n = {}", model.n);
        match model.family {
            Family::Gaussian => {
                let _ = write!(out, ", R² = {}", bounded(model.r2.unwrap_or(f64::NAN), 2));
            }
            Family::Binomial => {
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
        let effect = |c: &CoefficientResult| match model.family {
            Family::Binomial => format!("OR = {}", number(c.odds_ratio.unwrap_or(f64::NAN), 2)),
            Family::Poisson => format!("IRR = {}", number(c.irr.unwrap_or(f64::NAN), 2)),
            // A level of a factor has no β: its b is the difference from the reference level.
            _ => match standardized(c) {
                Some(beta) => format!("β = {}", bounded(beta, 2)),
                None => format!("b = {}", grouped(c.b, estimate_decimals(c.se))),
            },
        };
        let (significant, not): (Vec<&CoefficientResult>, Vec<&CoefficientResult>) =
            predictor_terms.iter().copied().partition(|c| c.p < alpha);
        let mut parts = Vec::new();
        let more = significant.iter().filter(|c| c.b > 0.0);
        let positive: Vec<String> = more
            .map(|c| {
                format!(
                    "{} ({}, p {})",
                    mid_sentence(&label(results, &c.term)),
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
                    mid_sentence(&label(results, &c.term)),
                    effect(c),
                    p_text(c.p)
                )
            })
            .collect();
        let outcome = mid_sentence(&label(results, &model.outcome));
        let direction = |up: bool| match model.family {
            Family::Binomial => {
                if up {
                    "higher odds of"
                } else {
                    "lower odds of"
                }
            }
            // Counts: more or fewer raises, not "higher raises".
            Family::Poisson => {
                if up {
                    "more"
                } else {
                    "fewer"
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
        // Cross-sectional data: associations, not effects ("was associated with").
        let verb = |n: usize| if n == 1 { "was" } else { "were" };
        if !positive.is_empty() {
            parts.push(format!(
                "{} {} associated with {} {outcome}",
                and_list(&positive),
                verb(positive.len()),
                direction(true)
            ));
        }
        if !negative.is_empty() {
            parts.push(format!(
                "{} {} associated with {} {outcome}",
                and_list(&negative),
                verb(negative.len()),
                direction(false)
            ));
        }
        if !not.is_empty() {
            let names: Vec<String> = not
                .iter()
                .map(|c| mid_sentence(&label(results, &c.term)))
                .collect();
            parts.push(format!("{} did not reach significance", and_list(&names)));
        }
        // A factor of three or more levels among the predictors: its levels as a whole.
        for test in &model.factor_tests {
            if model.predictors.contains(&test.factor) {
                parts.push(format!(
                    "{} as a whole: {}",
                    mid_sentence(&label(results, &test.factor)),
                    crate::tables::factor_test_text(test)
                ));
            }
        }
        if !model.controls.is_empty() {
            let controls: Vec<String> = model
                .controls
                .iter()
                .map(|c| mid_sentence(&label(results, c)))
                .collect();
            parts.push(format!("controlling for {}", and_list(&controls)));
            // The hypothesis is about the predictors: what they add over the controls.
            if let Some(block) = model.blocks.last().filter(|_| model.blocks.len() > 1) {
                match (block.delta_r2, block.f_change, block.df1, block.df2) {
                    (Some(delta), Some(f), Some(df1), Some(df2)) => parts.push(format!(
                        "over the controls, the predictors added ΔR² = {} (F({df1}, {df2}) = {}, p {})",
                        bounded(delta, 3),
                        number(f, 2),
                        p_text(block.p)
                    )),
                    _ => {
                        if let (Some(chi), Some(df)) = (block.chi_square, block.df) {
                            parts.push(format!(
                                "over the controls, the predictors improved the fit by χ²({df}) = {} (p {})",
                                number(chi, 2),
                                p_text(block.p)
                            ));
                        }
                    }
                }
            }
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
        // Hayes: the verdict is the indirect effect and its interval, not the significance of
        // c′, and the words stay those of association for data that are not an experiment.
        let (x_mid, y_mid) = (mid_sentence(&x), mid_sentence(&y));
        for effect in &mediation.indirect_effects {
            let excludes_zero = effect.ci[0] > 0.0 || effect.ci[1] < 0.0;
            let mediator = mid_sentence(&label(results, &effect.mediator));
            // A two-valued X (a condition) has no meaningful SD: its effect is given in SDs
            // of Y per unit of X, the partially standardized effect Hayes recommends.
            let standardized = match effect.partially_standardized {
                Some(partial) if mediation.x_two_valued => {
                    format!("partially standardized {}", number(partial.estimate, 3))
                }
                _ => format!("completely standardized {}", number(effect.standardized, 3)),
            };
            parts.push(format!(
                "the indirect effect through {mediator} was ab = {} ({} bootstrap CI {}; {standardized}), {}",
                number(effect.effect, 3),
                percent(mediation.level),
                interval(effect.ci, 3),
                if excludes_zero {
                    format!("so {x_mid} was indirectly associated with {y_mid} through {mediator}")
                } else {
                    "an interval that includes zero, so the data show no indirect effect through it"
                        .to_string()
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
    for mediation in &results.multicategorical_mediation {
        let _ = writeln!(
            out,
            "{}",
            crate::tables::multicategorical::mediation_finding(results, mediation)
        );
    }
    for comparison in &results.comparisons {
        let _ = writeln!(
            out,
            "{}",
            crate::tables::comparisons::finding(results, comparison)
        );
    }
    for moderation in &results.moderation {
        let _ = writeln!(
            out,
            "{}",
            crate::tables::moderation::finding(results, moderation)
        );
    }
    for moderation in &results.multicategorical_moderation {
        let _ = writeln!(
            out,
            "{}",
            crate::tables::multicategorical::moderation_finding(results, moderation)
        );
    }
    for moderated in &results.moderated_mediation {
        let _ = writeln!(
            out,
            "{}",
            crate::tables::moderation::moderated_mediation_finding(results, moderated)
        );
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
                    mid_sentence(&label(results, &w.predictor)),
                    number(w.share * 100.0, 0)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push('\n');
}

/// One measurement model in a sentence, as a reviewer wants it: fit, reliability, discriminant
/// validity and invariance.
fn measurement_finding(out: &mut String, results: &Results, m: &MeasurementResult) {
    use crate::tables::measurement::{fit_phrase, title};
    let _ = write!(out, "- **{}**", title(m));
    if let Some(question) = &m.question {
        let _ = write!(out, " — *{question}*");
    }
    let cfi = m.fit.robust.as_ref().map_or(m.fit.cfi, |r| r.cfi);
    let rmsea = m.fit.robust.as_ref().map_or(m.fit.rmsea, |r| r.rmsea);
    // Hu & Bentler's (1999) cut-offs, as reviewers read them.
    let verdict = if cfi >= 0.95 && rmsea <= 0.06 {
        "fit well"
    } else if cfi >= 0.90 && rmsea <= 0.08 {
        "fit acceptably"
    } else {
        "fit poorly"
    };
    let _ = write!(
        out,
        " (n = {}): the {}-factor model {verdict}, {}.",
        m.n,
        m.factors.len(),
        fit_phrase(&m.fit)
    );
    let cr: Vec<f64> = m.factors.iter().map(|f| f.composite_reliability).collect();
    if let (Some(low), Some(high)) = (
        cr.iter().copied().reduce(f64::min),
        cr.iter().copied().reduce(f64::max),
    ) {
        let _ = write!(
            out,
            " Composite reliability ranged from {} to {}",
            bounded(low, 2),
            bounded(high, 2)
        );
        let weak: Vec<String> = m
            .factors
            .iter()
            .filter(|f| f.ave.is_some_and(|a| a < 0.5))
            .map(|f| mid_sentence(&label(results, &f.id)))
            .collect();
        if weak.is_empty() {
            let _ = write!(out, ", and every factor's AVE reached .50.");
        } else {
            let _ = write!(out, "; the AVE stayed below .50 for {}.", and_list(&weak));
        }
    }
    let questionable: Vec<String> = m
        .factor_correlations
        .iter()
        .filter(|c| c.discriminant != "established")
        .map(|c| {
            format!(
                "{} and {}",
                mid_sentence(&label(results, &c.a)),
                mid_sentence(&label(results, &c.b))
            )
        })
        .collect();
    let highest = m
        .factor_correlations
        .iter()
        .map(|c| c.htmt)
        .fold(f64::NAN, f64::max);
    if questionable.is_empty() && !m.factor_correlations.is_empty() {
        let _ = write!(
            out,
            " The factors were distinct: every HTMT was below .85 (highest {}) and no factor correlation's interval reached 1.",
            number(highest, 2)
        );
    } else if !questionable.is_empty() {
        let _ = write!(
            out,
            " Discriminant validity is in doubt for {} (HTMT of .85 or more, or an interval reaching 1).",
            and_list(&questionable)
        );
    }
    if let Some(inv) = &m.invariance {
        let held: Vec<&str> = inv
            .steps
            .iter()
            .skip(1)
            .take_while(|s| {
                s.difference
                    .as_ref()
                    .is_some_and(|d| d.delta_cfi >= -0.01 && d.delta_rmsea <= 0.015)
            })
            .map(|s| s.step.as_str())
            .collect();
        let reached = held.last().copied().unwrap_or("configural");
        let _ = write!(
            out,
            " Across {} ({}), invariance held up to the {reached} model (ΔCFI ≥ −.01 and ΔRMSEA ≤ .015 at each step, Chen 2007).",
            mid_sentence(&label(results, &inv.groups)),
            inv.levels.join(" and ")
        );
    }
    if !m.warnings.is_empty() {
        let _ = write!(out, " Warnings: {}.", m.warnings.join("; "));
    }
    let _ = writeln!(out);
}

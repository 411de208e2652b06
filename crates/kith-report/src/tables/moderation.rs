//! The report's moderation models (PROCESS model 1): the model in an APA table with the test
//! of the interaction, the conditional effects of X at the moderator's probe values, and for
//! a continuous moderator the Johnson–Neyman points in a sentence.

use crate::format::{
    and_list, bounded, estimate_decimals, interval, markdown_row, mid_sentence, number, p_text,
    p_value, percent,
};
use crate::labels::label;
use kith_analysis::results::{
    CoefficientResult, ConditionalEffectResult, JohnsonNeymanResult, ModerationResult, Results,
};
use std::fmt::Write;

/// The model's heading: its name, or "X × W → Y".
pub fn moderation_title(results: &Results, m: &ModerationResult) -> String {
    m.name.clone().unwrap_or_else(|| {
        format!(
            "{} × {} → {}",
            label(results, &m.x),
            label(results, &m.w),
            label(results, &m.y)
        )
    })
}

/// A term's readable name: X, W, their product, a factor's level, a covariate.
pub(super) fn term(results: &Results, name: &str) -> String {
    if let Some((left, right)) = name.split_once('×') {
        return format!("{} × {}", term(results, left), term(results, right));
    }
    match name.split_once('=') {
        Some((factor, level)) => format!("{}: {level}", label(results, factor)),
        None => label(results, name),
    }
}

/// A model's coefficients as an APA table: term, b, SE, t, p and the interval.
pub(super) fn coefficient_table(
    out: &mut String,
    results: &Results,
    coefficients: &[CoefficientResult],
    level: &str,
) {
    let _ = writeln!(out, "| Term | b | SE | t | p | {level} CI |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for c in coefficients {
        let d = estimate_decimals(c.se);
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                if c.term == "(Intercept)" {
                    "Intercept".to_string()
                } else {
                    term(results, &c.term)
                },
                number(c.b, d),
                number(c.se, d),
                number(c.t.unwrap_or(f64::NAN), 2),
                p_value(c.p),
                interval(c.ci, d),
            ])
        );
    }
}

/// Where a conditional effect is taken: the moderator's value, or its level.
pub fn probe_label(results: &Results, m: &ModerationResult, e: &ConditionalEffectResult) -> String {
    match (&e.level, e.w) {
        (Some(level), _) => level.clone(),
        (None, Some(w)) => format!("{} = {}", label(results, &m.w), number(w, 2)),
        _ => String::new(),
    }
}

/// The interaction's test in APA form: "ΔR² = .031, F(1, 28) = 15.15, p < .001".
pub fn interaction_test(m: &ModerationResult) -> String {
    interaction_text(&m.interaction)
}

/// The test of product terms in APA form.
pub(super) fn interaction_text(i: &kith_analysis::results::InteractionResult) -> String {
    format!(
        "ΔR² = {}, F({}, {}) = {}, p {}",
        bounded(i.delta_r2, 3),
        i.df1,
        i.df2,
        number(i.f, 2),
        p_text(i.p)
    )
}

/// Whether the effect is significant just above the Johnson–Neyman point `w` (else it is
/// just below it), read from the table of conditional effects.
fn significant_above(jn: &JohnsonNeymanResult, w: f64, alpha: f64) -> bool {
    jn.table
        .iter()
        .find(|e| e.w.is_some_and(|v| v > w))
        .is_some_and(|e| e.p < alpha)
}

/// The Johnson–Neyman sentence, or none for a moderator without them.
pub fn johnson_neyman_sentence(results: &Results, m: &ModerationResult) -> Option<String> {
    let jn = m.johnson_neyman.as_ref()?;
    let w = label(results, &m.w);
    let x = mid_sentence(&label(results, &m.x));
    let level = percent(results.level);
    let alpha = 1.0 - results.level;
    Some(if jn.points.is_empty() {
        format!(
            "Johnson–Neyman: within the observed range of {w} the {level} interval of the effect of {x} never changes between including and excluding zero."
        )
    } else {
        let points: Vec<String> = jn
            .points
            .iter()
            .map(|p| {
                let (significant, other) = if significant_above(jn, p.w, alpha) {
                    (("above", p.above), ("below", p.below))
                } else {
                    (("below", p.below), ("above", p.above))
                };
                format!(
                    "{} {w} = {} ({}% of the sample) the interval excludes zero, {} it ({}%) it includes zero",
                    significant.0,
                    number(p.w, 2),
                    number(significant.1, 1),
                    other.0,
                    number(other.1, 1)
                )
            })
            .collect();
        format!(
            "Johnson–Neyman: for the {level} interval of the effect of {x}, {}.",
            points.join("; ")
        )
    })
}

/// One moderation model's tables; returns the next table number.
pub fn moderation_tables(
    out: &mut String,
    results: &Results,
    m: &ModerationResult,
    first: usize,
) -> usize {
    let level = percent(results.level);
    let _ = writeln!(out, "### {}\n", moderation_title(results, m));
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let _ = writeln!(
        out,
        "Table {first}. Moderation of the effect of {} on {} by {} (PROCESS model 1).\n",
        label(results, &m.x),
        label(results, &m.y),
        label(results, &m.w)
    );
    coefficient_table(out, results, &m.coefficients, &level);
    let mut note = format!(
        "\n*Note.* n = {}; R² = {}, F({}, {}) = {}, p {}. The interaction: {}.",
        m.n,
        bounded(m.r2, 3),
        m.df1,
        m.df2,
        number(m.f, 2),
        p_text(m.p),
        interaction_test(m)
    );
    if m.robust {
        note.push_str(" HC3 standard errors; the interaction's F is the Wald test with them.");
    }
    if m.centered {
        note.push_str(" X and the moderator were mean-centred before forming their product; the conditional effects are at the moderator's own values.");
    }
    if let Some(reference) = &m.reference_level {
        let _ = write!(
            note,
            " {} is dummy coded against {reference}.",
            label(results, &m.w)
        );
    }
    let _ = writeln!(out, "{note}\n");
    let second = first + 1;
    let rule = match m.probe.as_str() {
        "percentiles" => "at the 16th, 50th and 84th percentiles of the moderator",
        "mean-sd" => "at the moderator's mean and one SD either side",
        "both-values" => "at both values of the moderator",
        "levels" => "in each level of the moderator",
        _ => "at the values the plan gives",
    };
    let _ = writeln!(
        out,
        "Table {second}. Conditional effects of {} on {} {rule}.\n",
        label(results, &m.x),
        label(results, &m.y)
    );
    let _ = writeln!(
        out,
        "| {} | Effect | SE | t | p | {level} CI |",
        label(results, &m.w)
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for e in &m.conditional_effects {
        let d = estimate_decimals(e.se);
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                e.level
                    .clone()
                    .unwrap_or_else(|| number(e.w.unwrap_or(f64::NAN), 2)),
                number(e.effect, d),
                number(e.se, d),
                number(e.t, 2),
                p_value(e.p),
                interval(e.ci, d),
            ])
        );
    }
    if let Some(sentence) = johnson_neyman_sentence(results, m) {
        let _ = writeln!(out, "\n{sentence}");
    }
    let _ = writeln!(out);
    second + 1
}

/// The *Findings* bullet of a moderation model, e.g. "the effect of Strategic motive on
/// Career satisfaction depended on Embeddedness (ΔR² = .031, …): it was negative for people
/// low in Embeddedness (b = −0.21 at Embeddedness = 2.40, p = .002) and not different from zero
/// above Embeddedness = 3.41, where 38% of the sample lies".
pub fn finding(results: &Results, m: &ModerationResult) -> String {
    let (x, y, w) = (
        mid_sentence(&label(results, &m.x)),
        mid_sentence(&label(results, &m.y)),
        mid_sentence(&label(results, &m.w)),
    );
    let alpha = 1.0 - results.level;
    let mut text = format!("- **Moderation: {}**", moderation_title(results, m));
    if let Some(question) = &m.question {
        let _ = write!(text, " — *{question}*");
    }
    let depends = m.interaction.p < alpha;
    let _ = write!(
        text,
        " (n = {}): the association of {x} with {y} {} {w} ({})",
        m.n,
        if depends {
            "depended on"
        } else {
            "did not differ detectably across"
        },
        interaction_test(m)
    );
    let effects: Vec<String> = m
        .conditional_effects
        .iter()
        .map(|e| {
            let direction = if e.p >= alpha {
                "not different from zero"
            } else if e.effect > 0.0 {
                "positive"
            } else {
                "negative"
            };
            format!(
                "{direction} at {} (b = {}, p {})",
                match (&e.level, e.w) {
                    (None, Some(value)) => format!("{w} = {}", number(value, 2)),
                    _ => probe_label(results, m, e),
                },
                number(e.effect, estimate_decimals(e.se)),
                p_text(e.p)
            )
        })
        .collect();
    let _ = write!(text, "; it was {}", and_list(&effects));
    if let Some(jn) = &m.johnson_neyman {
        for point in &jn.points {
            let above_significant = significant_above(jn, point.w, alpha);
            let (side, share) = if above_significant {
                ("below", point.below)
            } else {
                ("above", point.above)
            };
            let _ = write!(
                text,
                "; the effect was not different from zero {side} {w} = {}, where {}% of the sample lies",
                number(point.w, 2),
                number(share, 0)
            );
        }
    }
    text.push('.');
    text
}

/// A moderated mediation's table: each mediator's conditional indirect effects at the probe
/// values and its index of moderated mediation, with bootstrap SEs and intervals.
pub fn moderated_mediation_table(
    out: &mut String,
    results: &Results,
    m: &kith_analysis::results::ModeratedMediationResult,
    number_: usize,
) {
    let level = percent(m.level);
    let (x, w, y) = (
        label(results, &m.x),
        label(results, &m.w),
        label(results, &m.y),
    );
    let mediators: Vec<String> = m.m.iter().map(|name| label(results, name)).collect();
    let _ = writeln!(
        out,
        "### {}\n",
        m.name
            .clone()
            .unwrap_or_else(|| format!("{x} → {} → {y}, moderated by {w}", mediators.join(" + ")))
    );
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let path = if m.model == 7 {
        format!("{x} → mediator")
    } else {
        format!("mediator → {y}")
    };
    let _ = writeln!(
        out,
        "Table {number_}. Conditional indirect effects of {x} on {y} (PROCESS model {}: {w} moderates {path}).\n",
        m.model
    );
    let _ = writeln!(out, "| Mediator | {w} | Effect | Boot SE | {level} CI |");
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for (path, name) in m.mediators.iter().zip(&mediators) {
        for (value, e) in m.probe_values.iter().zip(&path.conditional) {
            let d = estimate_decimals(e.boot_se);
            let _ = write!(
                out,
                "{}",
                markdown_row(&[
                    name.clone(),
                    number(*value, 2),
                    number(e.estimate, d),
                    number(e.boot_se, d),
                    interval(e.ci, d),
                ])
            );
        }
        let d = estimate_decimals(path.index.boot_se);
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                format!("{name}: index of moderated mediation"),
                String::new(),
                number(path.index.estimate, d),
                number(path.index.boot_se, d),
                interval(path.index.ci, d),
            ])
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* n = {}. {} bootstrap intervals from {} resamples (seed {}). The index is {} (Hayes 2015); an interval that excludes zero says the indirect effect depends on {w}.\n",
        m.n,
        if m.ci_method == kith_analysis::results::IntervalMethod::Bca {
            "BCa"
        } else {
            "Percentile"
        },
        crate::format::grouped(m.resamples as f64, 0),
        m.seed,
        if m.model == 7 { "a₃·b" } else { "a·b₃" }
    );
}

/// The *Findings* bullet of a moderated mediation.
pub fn moderated_mediation_finding(
    results: &Results,
    m: &kith_analysis::results::ModeratedMediationResult,
) -> String {
    let w = mid_sentence(&label(results, &m.w));
    let parts: Vec<String> = m
        .mediators
        .iter()
        .map(|path| {
            let excludes = path.index.ci[0] > 0.0 || path.index.ci[1] < 0.0;
            format!(
                "through {} the index of moderated mediation was {} ({} bootstrap CI {}), so the indirect effect {} {w}",
                mid_sentence(&label(results, &path.mediator)),
                number(path.index.estimate, 3),
                percent(m.level),
                interval(path.index.ci, 3),
                if excludes { "depended on" } else { "did not detectably depend on" }
            )
        })
        .collect();
    let mut text = format!(
        "- **Moderated mediation (PROCESS model {}): {} → {} → {}**",
        m.model,
        label(results, &m.x),
        m.m.iter()
            .map(|n| label(results, n))
            .collect::<Vec<_>>()
            .join(" + "),
        label(results, &m.y)
    );
    if let Some(question) = &m.question {
        let _ = write!(text, " — *{question}*");
    }
    let _ = write!(text, " (n = {}): {}.", m.n, parts.join("; "));
    text
}

//! The report's analyses with a multicategorical X (PROCESS's `mcx`): a mediation's relative
//! paths and relative indirect effects, a moderation's model with the relative conditional
//! effects and the test of equality of the conditional means at each value of the moderator,
//! and their findings in sentences. Every effect of X is a level's difference from the
//! reference level.

use super::moderation::{coefficient_table, interaction_text};
use crate::format::{
    and_list, bounded, estimate_decimals, grouped, interval, markdown_row, mid_sentence, number,
    p_text, p_value, percent,
};
use crate::labels::label;
use kith_analysis::results::{
    BootSummary, IntervalMethod, MulticategoricalMediationResult, MulticategoricalModerationResult,
    OmnibusResult, PathResult, Results,
};
use std::fmt::Write;

/// An omnibus test in APA form: "F(2, 29) = 39.70, p < .001" (with the R² change when known).
pub fn omnibus_text(test: &OmnibusResult) -> String {
    let mut text = format!(
        "F({}, {}) = {}, p {}",
        test.df1,
        test.df2,
        number(test.f, 2),
        p_text(test.p)
    );
    if let Some(change) = test.r2_change {
        let _ = write!(text, ", ΔR² = {}", bounded(change, 3));
    }
    text
}

fn path_row(out: &mut String, name: &str, path: &PathResult) {
    let d = estimate_decimals(path.se);
    let _ = write!(
        out,
        "{}",
        markdown_row(&[
            name.to_string(),
            number(path.b, d),
            number(path.se, d),
            number(path.t, 2),
            p_value(path.p),
            interval(path.ci, d),
        ])
    );
}

fn effect_row(out: &mut String, name: String, effect: &BootSummary, partially: &BootSummary) {
    let d = estimate_decimals(effect.boot_se);
    let _ = write!(
        out,
        "{}",
        markdown_row(&[
            name,
            number(effect.estimate, d),
            number(effect.boot_se, d),
            interval(effect.ci, d),
            number(partially.estimate, 3),
            interval(partially.ci, 3),
        ])
    );
}

/// The heading of a mediation with a multicategorical X: its name, or "X → M → Y".
pub fn mediation_title(results: &Results, m: &MulticategoricalMediationResult) -> String {
    m.name.clone().unwrap_or_else(|| {
        format!(
            "{} → {} → {}",
            label(results, &m.x),
            m.m.iter()
                .map(|v| label(results, v))
                .collect::<Vec<_>>()
                .join(" + "),
            label(results, &m.y)
        )
    })
}

/// Tables `first` and `first + 1`: the relative paths, then the relative indirect effects;
/// returns the next table number.
pub fn mediation_tables(
    out: &mut String,
    results: &Results,
    m: &MulticategoricalMediationResult,
    first: usize,
) -> usize {
    let (x, y) = (label(results, &m.x), label(results, &m.y));
    let reference = &m.reference_level;
    let level = percent(m.level);
    let _ = writeln!(out, "### {}\n", mediation_title(results, m));
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let _ = writeln!(
        out,
        "Table {first}. Paths of the mediation model with {x} as a multicategorical X (PROCESS model 4; each level against {reference}).\n"
    );
    let _ = writeln!(out, "| Path | b | SE | t | p | {level} CI |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for (j, mediator) in m.m.iter().enumerate() {
        let mediator = label(results, mediator);
        for (i, name) in m.levels.iter().enumerate() {
            path_row(out, &format!("a: {x}: {name} → {mediator}"), &m.a[j][i]);
        }
        path_row(out, &format!("b: {mediator} → {y}"), &m.b[j]);
    }
    for (i, name) in m.levels.iter().enumerate() {
        path_row(out, &format!("c: {x}: {name} → {y} (total)"), &m.total[i]);
    }
    for (i, name) in m.levels.iter().enumerate() {
        path_row(
            out,
            &format!("c′: {x}: {name} → {y} (direct)"),
            &m.direct[i],
        );
    }
    let mut omnibus: Vec<String> =
        m.m.iter()
            .zip(&m.a_omnibus)
            .map(|(mediator, test)| {
                format!(
                    "on {} {}",
                    mid_sentence(&label(results, mediator)),
                    omnibus_text(test)
                )
            })
            .collect();
    omnibus.push(format!("total effect {}", omnibus_text(&m.total_omnibus)));
    omnibus.push(format!("direct effect {}", omnibus_text(&m.direct_omnibus)));
    let _ = writeln!(
        out,
        "\n*Note.* n = {}. {x} is coded as indicators against {reference}: each path from a level is its difference from {reference}. Omnibus tests of {x}: {}{}.\n",
        m.n,
        omnibus.join("; "),
        super::reference_levels(results, &m.reference_levels)
    );
    let second = first + 1;
    let _ = writeln!(
        out,
        "Table {second}. Relative indirect effects of {x} on {y} (each level against {reference}).\n"
    );
    let _ = writeln!(
        out,
        "| Relative indirect effect | Effect | Boot SE | {level} CI | Partially standardized | {level} CI of the standardized effect |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---:|---|");
    for (i, name) in m.levels.iter().enumerate() {
        for (j, mediator) in m.m.iter().enumerate() {
            effect_row(
                out,
                format!("{name} via {}", label(results, mediator)),
                &m.indirect[i][j],
                &m.partially_standardized[i][j],
            );
        }
        if m.m.len() > 1 {
            effect_row(
                out,
                format!("{name}: total"),
                &m.total_indirect[i],
                &m.partially_standardized_total[i],
            );
        }
    }
    let _ = writeln!(
        out,
        "\n*Note.* {} bootstrap intervals from {} resamples (seed {}){}. Partially standardized: the effect in SDs of {y}, a·b/SD({y}); a multicategorical X has no completely standardized effect.\n",
        if m.ci_method == IntervalMethod::Bca {
            "Bias-corrected and accelerated"
        } else {
            "Percentile"
        },
        grouped(m.resamples as f64, 0),
        m.seed,
        if m.failed_resamples > 0 {
            format!(
                "; {} resamples that could not be solved (e.g. without a level) were left out",
                m.failed_resamples
            )
        } else {
            String::new()
        }
    );
    second + 1
}

/// The *Findings* bullet of a mediation with a multicategorical X.
pub fn mediation_finding(results: &Results, m: &MulticategoricalMediationResult) -> String {
    let (x, y) = (
        mid_sentence(&label(results, &m.x)),
        mid_sentence(&label(results, &m.y)),
    );
    let reference = &m.reference_level;
    let mut text = format!("- **Mediation: {}**", mediation_title(results, m));
    if let Some(question) = &m.question {
        let _ = write!(text, " — *{question}*");
    }
    let _ = write!(text, " (n = {}): ", m.n);
    let mut parts = Vec::new();
    for (j, mediator) in m.m.iter().enumerate() {
        let each: Vec<String> = m
            .levels
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let effect = &m.indirect[i][j];
                let d = estimate_decimals(effect.boot_se);
                let excludes_zero = effect.ci[0] > 0.0 || effect.ci[1] < 0.0;
                format!(
                    "{} for {name} ({} bootstrap CI {}{})",
                    number(effect.estimate, d),
                    percent(m.level),
                    interval(effect.ci, d),
                    if excludes_zero {
                        ""
                    } else {
                        ", which includes zero"
                    }
                )
            })
            .collect();
        parts.push(format!(
            "relative to {reference}, the indirect effects through {} were {}",
            mid_sentence(&label(results, mediator)),
            and_list(&each)
        ));
    }
    let alpha = 1.0 - m.level;
    let total = omnibus_text(&m.total_omnibus);
    let direct = omnibus_text(&m.direct_omnibus);
    let direct_found = m.direct_omnibus.p < alpha;
    parts.push(if m.total_omnibus.p < alpha {
        format!(
            "{x} as a whole went with {y} ({total}) and, controlling the mediators, {}",
            if direct_found {
                format!("still did ({direct})")
            } else {
                format!("showed no detectable direct effect ({direct})")
            }
        )
    } else {
        format!(
            "{x} as a whole showed no detectable total effect on {y} ({total}) and, controlling the mediators, {}",
            if direct_found {
                format!("a direct effect ({direct})")
            } else {
                format!("no detectable direct effect ({direct})")
            }
        )
    });
    let _ = write!(text, "{}.", parts.join("; "));
    text
}

/// The heading of a moderation with a multicategorical X: its name, or "X × W → Y".
pub fn moderation_title(results: &Results, m: &MulticategoricalModerationResult) -> String {
    m.name.clone().unwrap_or_else(|| {
        format!(
            "{} × {} → {}",
            label(results, &m.x),
            label(results, &m.w),
            label(results, &m.y)
        )
    })
}

/// Tables `first` to `first + 2`: the model, the relative conditional effects at the probe
/// values, and the test of equality of the conditional means there; returns the next number.
pub fn moderation_tables(
    out: &mut String,
    results: &Results,
    m: &MulticategoricalModerationResult,
    first: usize,
) -> usize {
    let level = percent(results.level);
    let (x, w, y) = (
        label(results, &m.x),
        label(results, &m.w),
        label(results, &m.y),
    );
    let reference = &m.reference_level;
    let _ = writeln!(out, "### {}\n", moderation_title(results, m));
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let _ = writeln!(
        out,
        "Table {first}. Moderation of the effect of {x} (a multicategorical X) on {y} by {w} (PROCESS model 1; each level against {reference}).\n"
    );
    coefficient_table(out, results, &m.coefficients, &level);
    let mut note = format!(
        "\n*Note.* n = {}; R² = {}, F({}, {}) = {}, p {}. The interaction ({}): {}.",
        m.n,
        bounded(m.r2, 3),
        m.df1,
        m.df2,
        number(m.f, 2),
        p_text(m.p),
        if m.levels.len() == 1 {
            "the product".to_string()
        } else {
            format!("the {} products together", m.levels.len())
        },
        interaction_text(&m.interaction)
    );
    if m.robust {
        note.push_str(" HC3 standard errors; the F tests of the interaction and of equality are Wald tests with them.");
    }
    if m.centered {
        note.push_str(" The moderator was mean-centred before forming the products (the indicators of X are not); the conditional effects are at its own values.");
    }
    let _ = writeln!(out, "{note}\n");
    let rule = match m.probe.as_str() {
        "percentiles" => "at the 16th, 50th and 84th percentiles of the moderator",
        "mean-sd" => "at the moderator's mean and one SD either side",
        "both-values" => "at both values of the moderator",
        _ => "at the values the plan gives",
    };
    let second = first + 1;
    let _ = writeln!(
        out,
        "Table {second}. Relative conditional effects of {x} on {y} {rule} (each level against {reference}).\n"
    );
    let _ = writeln!(out, "| {w} | Level | Effect | SE | t | p | {level} CI |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---|");
    for probe in &m.probes {
        for e in &probe.effects {
            let d = estimate_decimals(e.se);
            let _ = write!(
                out,
                "{}",
                markdown_row(&[
                    number(probe.w, 2),
                    e.level.clone().unwrap_or_default(),
                    number(e.effect, d),
                    number(e.se, d),
                    number(e.t, 2),
                    p_value(e.p),
                    interval(e.ci, d),
                ])
            );
        }
    }
    let third = second + 1;
    let _ = writeln!(
        out,
        "\nTable {third}. Test of equality of the conditional means of {y} across the levels of {x} at values of {w}.\n"
    );
    let _ = writeln!(out, "| {w} | F | df1 | df2 | p | ΔR² |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for probe in &m.probes {
        let test = &probe.omnibus;
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                number(probe.w, 2),
                number(test.f, 2),
                test.df1.to_string(),
                test.df2.to_string(),
                p_value(test.p),
                test.r2_change.map_or("—".to_string(), |c| bounded(c, 3)),
            ])
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* The F test at each value is the {} there{}. kith does not compute Johnson–Neyman points for a multicategorical X.\n",
        if m.levels.len() == 1 {
            "test of the relative conditional effect".to_string()
        } else {
            format!(
                "joint test of the {} relative conditional effects",
                m.levels.len()
            )
        },
        if m.robust {
            " (a Wald test with HC3 errors)"
        } else {
            "; ΔR² is the share of variance X's levels add at that value"
        }
    );
    third + 1
}

/// The *Findings* bullet of a moderation with a multicategorical X: whether the differences
/// between the levels depended on W, and where the levels' conditional means differed.
pub fn moderation_finding(results: &Results, m: &MulticategoricalModerationResult) -> String {
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
    let _ = write!(
        text,
        " (n = {}): the differences in {y} between the levels of {x} {} {w} ({})",
        m.n,
        if m.interaction.p < alpha {
            "depended on"
        } else {
            "did not differ detectably across"
        },
        interaction_text(&m.interaction)
    );
    let at: Vec<String> = m
        .probes
        .iter()
        .map(|probe| {
            format!(
                "{} at {w} = {} ({})",
                if probe.omnibus.p < alpha {
                    "differed"
                } else {
                    "did not differ detectably"
                },
                number(probe.w, 2),
                omnibus_text(&probe.omnibus)
            )
        })
        .collect();
    let _ = write!(text, "; the levels' conditional means {}.", and_list(&at));
    text
}

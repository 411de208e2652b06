//! The sensitivity check of a plan with `screening: {sensitivity: true}`: the main estimates
//! of the respondents analysed beside those of every respondent screened, exclusions
//! ignored, with the estimates whose significance the exclusions change marked.

use super::models::model_title;
use crate::format::{and_list, estimate_decimals, interval, markdown_row, number, percent};
use crate::labels::label;
use kith_analysis::results::{Results, ScreeningResult};
use std::fmt::Write;

/// One estimate in both runs: where it is from, what it is, and its value and interval in
/// each (absent where one run could not compute it).
struct Row {
    analysis: String,
    estimate: String,
    analysed: Option<(f64, f64, [f64; 2])>,
    everyone: Option<(f64, f64, [f64; 2])>,
}

/// Whether an interval leaves zero out.
fn excludes_zero(ci: [f64; 2]) -> bool {
    ci[0] > 0.0 || ci[1] < 0.0
}

/// The position in the plan of each analysis a run computed, in the run's order. A run leaves
/// out an analysis it could not compute (and lists it in `not_computed` as `section[i]`), so
/// the k-th computed analysis is the k-th plan entry not listed there.
fn plan_positions(failed: &[&str], section: &str, computed: usize) -> Vec<usize> {
    (0..computed + failed.len())
        .filter(|i| !failed.contains(&format!("{section}[{i}]").as_str()))
        .take(computed)
        .collect()
}

/// The entry of the other run that comes from the same plan entry as `index` of this run.
fn counterpart<'a, T>(
    this: &[usize],
    other: &[usize],
    others: &'a [T],
    index: usize,
) -> Option<&'a T> {
    let position = this.get(index)?;
    let k = other.iter().position(|p| p == position)?;
    others.get(k)
}

/// The rows of every model coefficient (the predictors') and every indirect effect, paired by
/// their place in the plan: both runs come from one plan, but either may have failed to
/// compute an analysis the other computed.
fn rows(results: &Results, everyone: &Results) -> Vec<Row> {
    let mut out = Vec::new();
    let failed = |r: &Results| -> Vec<String> {
        r.not_computed.iter().map(|n| n.analysis.clone()).collect()
    };
    let (failed_here, failed_there) = (failed(results), failed(everyone));
    let here: Vec<&str> = failed_here.iter().map(String::as_str).collect();
    let there: Vec<&str> = failed_there.iter().map(String::as_str).collect();
    let these = plan_positions(&here, "models", results.models.len());
    let those = plan_positions(&there, "models", everyone.models.len());
    for (index, model) in results.models.iter().enumerate() {
        let again = counterpart(&these, &those, &everyone.models, index);
        for c in &model.coefficients {
            if c.term == "(Intercept)" {
                continue;
            }
            let other = again.and_then(|m| m.coefficients.iter().find(|o| o.term == c.term));
            out.push(Row {
                analysis: model_title(model, results),
                estimate: format!("b, {}", label(results, &c.term)),
                analysed: Some((c.b, c.se, c.ci)),
                everyone: other.map(|o| (o.b, o.se, o.ci)),
            });
        }
    }
    // Mediations are paired by what they estimate, not by position: a mediation with a
    // categorical X is written to another list, so positions in `mediation` are not the plan's.
    // Two plan entries that agree on all of this are the same analysis.
    for m in &results.mediation {
        let again = everyone.mediation.iter().find(|o| {
            (
                &o.x,
                &o.m,
                &o.y,
                &o.covariates,
                o.ci_method,
                o.resamples,
                o.seed,
            ) == (
                &m.x,
                &m.m,
                &m.y,
                &m.covariates,
                m.ci_method,
                m.resamples,
                m.seed,
            )
        });
        let title = m
            .name
            .clone()
            .unwrap_or_else(|| format!("{} → {}", label(results, &m.x), label(results, &m.y)));
        for effect in &m.indirect_effects {
            let other = again.and_then(|a| {
                a.indirect_effects
                    .iter()
                    .find(|o| o.mediator == effect.mediator)
            });
            out.push(Row {
                analysis: title.clone(),
                estimate: format!("indirect through {}", label(results, &effect.mediator)),
                analysed: Some((effect.effect, effect.boot_se, effect.ci)),
                everyone: other.map(|o| (o.effect, o.boot_se, o.ci)),
            });
        }
        if m.indirect_effects.len() > 1 {
            out.push(Row {
                analysis: title.clone(),
                estimate: "total indirect".to_string(),
                analysed: Some((m.indirect, m.boot_se, m.ci)),
                everyone: again.map(|a| (a.indirect, a.boot_se, a.ci)),
            });
        }
    }
    for m in &results.multicategorical_mediation {
        let again = everyone.multicategorical_mediation.iter().find(|o| {
            (
                &o.x,
                &o.m,
                &o.y,
                &o.covariates,
                o.ci_method,
                o.resamples,
                o.seed,
            ) == (
                &m.x,
                &m.m,
                &m.y,
                &m.covariates,
                m.ci_method,
                m.resamples,
                m.seed,
            )
        });
        let title = crate::tables::multicategorical::mediation_title(results, m);
        for (i, level) in m.levels.iter().enumerate() {
            // The same level in the other run (its levels could differ if one lost a level).
            let other_level = again.and_then(|a| a.levels.iter().position(|l| l == level));
            for (j, mediator) in m.m.iter().enumerate() {
                let effect = &m.indirect[i][j];
                let other = again
                    .zip(other_level)
                    .and_then(|(a, k)| a.indirect.get(k).and_then(|e| e.get(j)));
                out.push(Row {
                    analysis: title.clone(),
                    estimate: format!(
                        "indirect of {level} (vs {}) through {}",
                        m.reference_level,
                        label(results, mediator)
                    ),
                    analysed: Some((effect.estimate, effect.boot_se, effect.ci)),
                    everyone: other.map(|o| (o.estimate, o.boot_se, o.ci)),
                });
            }
        }
    }
    out
}

/// An estimate and its interval, with the decimals its SE calls for.
fn cell(value: Option<(f64, f64, [f64; 2])>) -> String {
    match value {
        Some((estimate, se, ci)) => {
            let d = estimate_decimals(se);
            format!("{} {}", number(estimate, d), interval(ci, d))
        }
        None => "—".to_string(),
    }
}

/// The section, with table `number_`. Returns whether it wrote one (a plan without models or
/// mediation has nothing to set side by side, and says so in a sentence).
pub fn sensitivity(
    out: &mut String,
    results: &Results,
    everyone: &Results,
    screening: &ScreeningResult,
    number_: usize,
) -> bool {
    let _ = writeln!(out, "## Sensitivity to the exclusions\n");
    let excluded = screening.n_screened - screening.n_analysed;
    let _ = write!(
        out,
        "The plan asked for every analysis to be run again on all {} respondents screened, the {} exclusion{} ignored. ",
        screening.n_screened,
        excluded,
        if excluded == 1 { "" } else { "s" }
    );
    let rows = rows(results, everyone);
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "The plan has no model or mediation to compare; results.json's `sensitivity` holds every analysis of that run.\n"
        );
        return false;
    }
    let changed: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let (Some(a), Some(e)) = (row.analysed, row.everyone) else {
                return None;
            };
            (excludes_zero(a.2) != excludes_zero(e.2))
                .then(|| format!("{} ({})", row.estimate, row.analysis))
        })
        .collect();
    let level = percent(results.level);
    if changed.is_empty() {
        let _ = writeln!(
            out,
            "No estimate in Table {number_} changes whether its {level} interval excludes zero: the conclusions do not depend on the exclusions.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "Without the exclusions, whether the {level} interval excludes zero changes for {}: {} (marked †).\n",
            if changed.len() == 1 {
                "one estimate".to_string()
            } else {
                format!("{} estimates", changed.len())
            },
            and_list(&changed)
        );
    }
    let _ = writeln!(
        out,
        "Table {number_}. Estimates with and without the exclusions, with {level} intervals.\n"
    );
    let _ = writeln!(
        out,
        "| Analysis | Estimate | Analysed (n = {}) | Everyone (n = {}) |\n|---|---|---|---|",
        screening.n_analysed, screening.n_screened
    );
    for row in &rows {
        let mark = match (row.analysed, row.everyone) {
            (Some(a), Some(e)) if excludes_zero(a.2) != excludes_zero(e.2) => " †",
            _ => "",
        };
        out.push_str(&markdown_row(&[
            row.analysis.clone(),
            format!("{}{mark}", row.estimate),
            cell(row.analysed),
            cell(row.everyone),
        ]));
    }
    let _ = writeln!(
        out,
        "\n*Note.* Coefficients are unstandardized, with the interval each model reports; indirect effects have their bootstrap intervals. A dash marks an estimate the other run could not compute. Every analysis of the run without exclusions is in results.json under `sensitivity`.\n"
    );
    true
}

#[cfg(test)]
mod tests {
    use super::{counterpart, plan_positions};

    /// A model the analysed respondents could fit but everyone could not (or the reverse)
    /// must not shift the later models onto the wrong partners.
    #[test]
    fn analyses_pair_by_their_place_in_the_plan_when_one_run_lost_one() {
        let analysed = plan_positions(&[], "models", 3);
        let everyone = plan_positions(&["models[1]", "mediation[0]"], "models", 2);
        assert_eq!(analysed, [0, 1, 2]);
        assert_eq!(everyone, [0, 2]);
        let fits = ["first", "third"];
        assert_eq!(counterpart(&analysed, &everyone, &fits, 0), Some(&"first"));
        assert_eq!(counterpart(&analysed, &everyone, &fits, 1), None);
        assert_eq!(counterpart(&analysed, &everyone, &fits, 2), Some(&"third"));
        assert_eq!(
            plan_positions(&["mediation[0]"], "mediation", 1),
            [1],
            "the first mediation failed, so the one computed is the plan's second"
        );
    }
}

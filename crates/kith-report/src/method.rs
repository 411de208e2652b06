//! The report's *Method* paragraph: the sample, the measures with their reliability, and how the
//! analyses were run (software, version, the survey's fingerprint, missing data, standard
//! errors, bootstraps), written so that a researcher can adapt it for a manuscript.

use crate::format::{and_list, bounded, grouped, mid_sentence, percent};
use crate::labels::label;
use crate::tables::quality::data_files;
use kith_analysis::results::{ImportanceMethod, IntervalMethod, Results};
use std::fmt::Write;

/// The Method section.
pub fn method(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Method\n");
    let mut text = format!(
        "*Sample.* The analyses use {} rows of {}",
        grouped(results.n_rows as f64, 0),
        data_files(results)
    );
    match &results.survey {
        Some(survey) => {
            let _ = write!(
                text,
                ", answers to the survey `{}` {} (fingerprint `{}`).",
                survey.id, survey.version, survey.fingerprint
            );
        }
        None => text.push('.'),
    }
    if let Some(screening) = &results.screening {
        let rules: Vec<String> = screening
            .rules
            .iter()
            .filter(|rule| rule.excluded > 0)
            .map(|rule| format!("{} by `{}`", rule.excluded, rule.rule))
            .collect();
        let _ = write!(
            text,
            " Of the {} respondents read, {} were excluded before any analysis by the exclusion rules set in the analysis plan{}.",
            grouped(screening.n_screened as f64, 0),
            grouped((screening.n_screened - screening.n_analysed) as f64, 0),
            if rules.is_empty() {
                String::new()
            } else {
                format!(" ({})", and_list(&rules))
            }
        );
    }
    let scales: Vec<String> = results
        .figures
        .reliability
        .iter()
        .map(|s| {
            let omega = s
                .omega_total
                .map(|omega| format!(", ω = {}", bounded(omega, 2)))
                .unwrap_or_default();
            format!(
                "{} (α = {}{omega})",
                mid_sentence(&label(results, &s.score)),
                bounded(s.alpha, 2)
            )
        })
        .collect();
    if !scales.is_empty() {
        let _ = write!(
            text,
            "\n\n*Measures.* Reliability of the scales (alpha and omega total as R's psych computes them): {}.",
            and_list(&scales)
        );
    }
    let mut analysis = format!(
        "\n\n*Analysis.* The analyses were run with kith {} from the plan `{}`; each used the cases complete on its variables (listwise deletion), and every interval is a {} interval.",
        results.kith_version,
        results.plan,
        percent(results.level)
    );
    if results.models.iter().any(|m| m.robust) {
        analysis.push_str(
            " Standard errors of the linear models marked robust are HC3 (heteroscedasticity-consistent).",
        );
    }
    let first_mediation = results
        .mediation
        .first()
        .map(|m| (m.ci_method, m.resamples, m.seed))
        .or_else(|| {
            results
                .multicategorical_mediation
                .first()
                .map(|m| (m.ci_method, m.resamples, m.seed))
        });
    if let Some((method, resamples, seed)) = first_mediation {
        let _ = write!(
            analysis,
            " Indirect effects were estimated as in PROCESS model 4 and tested with {} bootstrap intervals ({} resamples, seed {}).",
            if method == IntervalMethod::Bca {
                "bias-corrected and accelerated"
            } else {
                "percentile"
            },
            grouped(resamples as f64, 0),
            seed
        );
    }
    if !results.multicategorical_mediation.is_empty()
        || !results.multicategorical_moderation.is_empty()
    {
        analysis.push_str(
            " A categorical X was coded as indicators against its reference level (Hayes & Preacher, 2014), so each of its effects is relative to that level, and tested as a whole by its omnibus F.",
        );
    }
    if let Some(first) = results.importance.first() {
        let _ = write!(
            analysis,
            " Relative importance is given as {} with bootstrap intervals ({} resamples).",
            if first.method == ImportanceMethod::Dominance {
                "general dominance weights"
            } else {
                "relative weights"
            },
            grouped(first.resamples as f64, 0)
        );
    }
    if !results.networks.is_empty() {
        let names: Vec<String> = results
            .networks
            .iter()
            .map(|n| format!("{} ({} people)", n.name.replace('_', " "), n.people))
            .collect();
        let _ = write!(
            analysis,
            " Network positions were computed on the whole network of each relation ({}): everyone on the roster is in it, including those who did not respond, who keep the nominations they received; betweenness and closeness use unweighted shortest paths, and every measure follows igraph's definition.",
            and_list(&names)
        );
    }
    text.push_str(&analysis);
    let _ = writeln!(out, "{text}\n");
}

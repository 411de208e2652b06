//! From the outcomes of every replication to the power of each effect at each size: counts,
//! the Monte Carlo standard error and Wilson's interval.

use super::effects::{EffectId, Outcome};
use crate::distributions::normal_quantile;
use crate::results::power::{AnalysisRuns, EffectKind, EffectPower, PowerPoint, RunsPoint};
use std::collections::BTreeMap;

/// What one replication at one size gave.
#[derive(Debug, Clone, Default)]
pub struct Replication {
    pub outcomes: Vec<Outcome>,
    /// The analyses not computed, with the reason (`analysis`, description, message).
    pub not_computed: Vec<(String, String, String)>,
}

/// One effect's counts at each size, in the order of `sizes`.
#[derive(Debug, Clone)]
struct Tally {
    analysis: String,
    kind: EffectKind,
    control: bool,
    label: String,
    question: Option<String>,
    computed: Vec<usize>,
    significant: Vec<usize>,
    estimates: Vec<f64>,
}

/// Wilson's score interval for `successes` of `trials` at 95%.
pub fn wilson_interval(successes: usize, trials: usize) -> [f64; 2] {
    let n = trials as f64;
    let p = successes as f64 / n;
    let z = normal_quantile(0.975);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

/// The most distinct reasons kept per analysis for not being computed; further ones are
/// still counted.
const MAX_REASONS: usize = 100;

/// The counts of a run so far, folded in one replication at a time in the jobs' order (so
/// that sums of estimates, and the results, do not depend on the threads), keeping nothing
/// of a replication once it is counted: memory grows with the effects, not the replications.
pub struct Accumulator {
    sizes: Vec<usize>,
    done: Vec<usize>,
    /// By key: a term's position can differ between data sets (a factor level no one in a
    /// data set has drops its dummy), so effects are matched by key and placed by the
    /// earliest position they had.
    tallies: BTreeMap<String, (EffectId, Tally)>,
    failures: Vec<Failures>,
}

/// One analysis's failures: not computed at each size, and the reasons with their counts.
struct Failures {
    analysis: String,
    description: String,
    counts: Vec<usize>,
    reasons: BTreeMap<String, usize>,
}

impl Accumulator {
    pub fn new(sizes: &[usize], analyses: &[(String, String)]) -> Accumulator {
        Accumulator {
            sizes: sizes.to_vec(),
            done: vec![0; sizes.len()],
            tallies: BTreeMap::new(),
            failures: analyses
                .iter()
                .map(|(key, description)| Failures {
                    analysis: key.clone(),
                    description: description.clone(),
                    counts: vec![0; sizes.len()],
                    reasons: BTreeMap::new(),
                })
                .collect(),
        }
    }

    /// Counts one replication at `sizes[i]`.
    pub fn add(&mut self, i: usize, replication: Replication) {
        let sizes = self.sizes.len();
        self.done[i] += 1;
        for outcome in replication.outcomes {
            let (id, tally) = self
                .tallies
                .entry(outcome.id.key.clone())
                .or_insert_with(|| {
                    (
                        outcome.id.clone(),
                        Tally {
                            analysis: outcome.analysis.clone(),
                            kind: outcome.kind,
                            control: outcome.control,
                            label: outcome.label.clone(),
                            question: outcome.question.clone(),
                            computed: vec![0; sizes],
                            significant: vec![0; sizes],
                            estimates: vec![0.0; sizes],
                        },
                    )
                });
            if outcome.id < *id {
                *id = outcome.id;
            }
            tally.computed[i] += 1;
            tally.significant[i] += usize::from(outcome.significant);
            tally.estimates[i] += outcome.estimate;
        }
        for (analysis, _, message) in replication.not_computed {
            if let Some(failures) = self.failures.iter_mut().find(|f| f.analysis == analysis) {
                failures.counts[i] += 1;
                let reasons = &mut failures.reasons;
                if reasons.len() < MAX_REASONS || reasons.contains_key(&message) {
                    *reasons.entry(message).or_default() += 1;
                }
            }
        }
    }

    /// The power of every effect, in the plan's order, and the runs of every analysis.
    pub fn finish(self) -> (Vec<EffectPower>, Vec<AnalysisRuns>) {
        let Accumulator {
            sizes,
            done,
            tallies,
            failures,
        } = self;
        let mut ordered: Vec<(EffectId, Tally)> = tallies.into_values().collect();
        ordered.sort_by(|a, b| a.0.cmp(&b.0));
        let effects = ordered
            .into_iter()
            .map(|(id, tally)| EffectPower {
                key: id.key,
                analysis: tally.analysis,
                kind: tally.kind,
                control: tally.control,
                label: tally.label,
                question: tally.question,
                points: (0..sizes.len())
                    .map(|i| {
                        point(
                            sizes[i],
                            done[i],
                            tally.computed[i],
                            tally.significant[i],
                            tally.estimates[i],
                        )
                    })
                    .collect(),
                target: None,
            })
            .collect();
        let runs = failures
            .into_iter()
            .map(
                |Failures {
                     analysis,
                     description,
                     counts,
                     reasons,
                 }| AnalysisRuns {
                    analysis,
                    description,
                    points: (0..sizes.len())
                        .map(|i| RunsPoint {
                            n: sizes[i],
                            replications: done[i],
                            not_computed: counts[i],
                        })
                        .collect(),
                    main_problem: reasons
                        .into_iter()
                        .max_by_key(|(_, count)| *count)
                        .map(|(message, count)| format!("{message} ({count}×)")),
                },
            )
            .collect();
        (effects, runs)
    }
}

fn point(
    n: usize,
    replications: usize,
    computed: usize,
    significant: usize,
    sum: f64,
) -> PowerPoint {
    let power = (computed > 0).then(|| significant as f64 / computed as f64);
    PowerPoint {
        n,
        replications,
        computed,
        significant,
        power,
        mc_se: power.map(|p| (p * (1.0 - p) / computed as f64).sqrt()),
        ci: (computed > 0).then(|| wilson_interval(significant, computed)),
        mean_estimate: (computed > 0)
            .then(|| sum / computed as f64)
            .filter(|m| m.is_finite()),
    }
}

#[cfg(test)]
mod tests {
    use super::wilson_interval;

    #[test]
    fn wilson_interval_matches_r_prop_test_without_correction() {
        // R: prop.test(80, 100, correct = FALSE)$conf.int is 0.7111708 0.8666331.
        let [low, high] = wilson_interval(80, 100);
        assert!((low - 0.7111708).abs() < 1e-6, "{low}");
        assert!((high - 0.8666331).abs() < 1e-6, "{high}");
    }
}

//! Runs a plan's group comparisons: splits the outcome by the group's levels (a category's
//! levels in their order, a number's values ascending) and applies the tests of `compare`.

use super::problem::AnalysisProblem;
use crate::compare::{
    self, CompareError, PostHocMethod, chi_square, fisher_exact, kruskal_wallis, mann_whitney,
    one_way, post_hoc, t_test,
};
use crate::dataset::{Dataset, Values};
use crate::distributions::t_quantile;
use crate::plan::ComparisonSpec;
use crate::results::{
    AnovaResult, ComparisonResult, CountsComparison, FisherResult, GroupSummary, MeansComparison,
    PairResult, RankTestResult, TTestResult,
};

/// A variable's value in each row as a level's label (None where missing), and the levels in
/// order.
fn levels_of(values: &Values) -> (Vec<Option<usize>>, Vec<String>) {
    match values {
        Values::Categorical { codes, levels } => (
            codes.iter().map(|c| c.map(|c| c as usize)).collect(),
            levels.clone(),
        ),
        Values::Numeric(numbers) => {
            let mut distinct: Vec<f64> = numbers.iter().copied().filter(|v| !v.is_nan()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let rows = numbers
                .iter()
                .map(|v| distinct.binary_search_by(|d| d.total_cmp(v)).ok())
                .collect();
            (rows, distinct.iter().map(|v| format!("{v}")).collect())
        }
    }
}

fn problem(error: CompareError) -> AnalysisProblem {
    AnalysisProblem {
        code: match error {
            CompareError::TooFewValues { .. } => "too-few-cases",
            CompareError::NoVariance => "no-variance",
            CompareError::EmptyMargin { .. } => "empty-level",
            _ => "not-comparable",
        },
        message: error.to_string(),
        hint: error.hint().to_string(),
    }
}

/// The summary of one group's values.
fn summary(level: &str, values: &[f64], level_ci: f64) -> GroupSummary {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = sd / n.sqrt();
    let half = t_quantile(0.5 + level_ci / 2.0, n - 1.0) * se;
    GroupSummary {
        level: level.to_string(),
        n: values.len(),
        mean,
        sd,
        se,
        ci: [mean - half, mean + half],
    }
}

/// Compares the groups of one spec.
pub(super) fn fit_comparison(
    spec: &ComparisonSpec,
    dataset: &Dataset,
    level: f64,
) -> Result<ComparisonResult, AnalysisProblem> {
    let unknown = |name: &str| AnalysisProblem {
        code: "unknown-variable",
        message: format!("no variable is named `{name}`"),
        hint: "check the plan with `kith check`".to_string(),
    };
    let outcome = dataset
        .get(&spec.outcome)
        .ok_or_else(|| unknown(&spec.outcome))?;
    let group = dataset
        .get(&spec.group)
        .ok_or_else(|| unknown(&spec.group))?;
    let (rows, all_levels) = levels_of(&group.values);
    if all_levels.len() > compare::MAX_GROUPS {
        return Err(problem(CompareError::Groups {
            found: all_levels.len(),
        }));
    }
    let mut result = ComparisonResult {
        name: spec.name.clone(),
        question: spec.question.clone(),
        outcome: spec.outcome.clone(),
        group: spec.group.clone(),
        levels: Vec::new(),
        n: 0,
        n_missing: 0,
        means: None,
        counts: None,
    };
    // A numeric outcome with two values (0/1, promoted or not) is a category: its groups
    // are compared by their proportions in a table, as researchers expect of a yes/no.
    let binary = match &outcome.values {
        Values::Numeric(values) => {
            let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            super::two_valued(&present)
        }
        Values::Categorical { .. } => false,
    };
    match &outcome.values {
        Values::Numeric(values) if !binary => {
            let mut groups = vec![Vec::new(); all_levels.len()];
            for (value, row) in values.iter().zip(&rows) {
                match row {
                    Some(g) if !value.is_nan() => groups[*g].push(*value),
                    _ => result.n_missing += 1,
                }
            }
            // A level no one with an outcome has is no group to compare.
            let (levels, groups): (Vec<String>, Vec<Vec<f64>>) = all_levels
                .into_iter()
                .zip(groups)
                .filter(|(_, g)| !g.is_empty())
                .unzip();
            result.n = groups.iter().map(Vec::len).sum();
            result.means = Some(compare_means(spec, &levels, &groups, level)?);
            result.levels = levels;
        }
        _ => {
            let (codes, categories) = levels_of(&outcome.values);
            let mut counts = vec![vec![0.0; categories.len()]; all_levels.len()];
            for (code, row) in codes.iter().zip(&rows) {
                match (code, row) {
                    (Some(c), Some(g)) => counts[*g][*c] += 1.0,
                    _ => result.n_missing += 1,
                }
            }
            let keep_rows: Vec<usize> = (0..counts.len())
                .filter(|r| counts[*r].iter().sum::<f64>() > 0.0)
                .collect();
            let keep_columns: Vec<usize> = (0..categories.len())
                .filter(|c| counts.iter().any(|row| row[*c] > 0.0))
                .collect();
            let table: Vec<Vec<f64>> = keep_rows
                .iter()
                .map(|r| keep_columns.iter().map(|c| counts[*r][*c]).collect())
                .collect();
            result.n = table.iter().flatten().sum::<f64>() as usize;
            result.levels = keep_rows.iter().map(|r| all_levels[*r].clone()).collect();
            let categories: Vec<String> = keep_columns
                .iter()
                .map(|c| categories[*c].clone())
                .collect();
            result.counts = Some(compare_counts(categories, table, level)?);
        }
    }
    Ok(result)
}

fn compare_means(
    spec: &ComparisonSpec,
    levels: &[String],
    groups: &[Vec<f64>],
    level: f64,
) -> Result<MeansComparison, AnalysisProblem> {
    if groups.len() < 2 {
        return Err(problem(CompareError::Groups {
            found: groups.len(),
        }));
    }
    if let Some((group, values)) = groups.iter().enumerate().find(|(_, g)| g.len() < 2) {
        return Err(AnalysisProblem {
            code: "too-few-cases",
            message: format!(
                "the group `{}` of `{}` has {} value(s) of `{}`; every group needs at least 2",
                levels[group],
                spec.group,
                values.len(),
                spec.outcome
            ),
            hint: CompareError::TooFewValues {
                group,
                n: values.len(),
                needed: 2,
            }
            .hint()
            .to_string(),
        });
    }
    let slices: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
    let mut out = MeansComparison {
        groups: levels
            .iter()
            .zip(groups)
            .map(|(name, values)| summary(name, values, level))
            .collect(),
        t_test: None,
        anova: None,
        post_hoc_method: None,
        post_hoc: Vec::new(),
        rank_test: None,
    };
    if groups.len() == 2 {
        let t = t_test(&groups[0], &groups[1], spec.equal_variances, level).map_err(problem)?;
        out.t_test = Some(TTestResult {
            test: if spec.equal_variances {
                "student"
            } else {
                "welch"
            }
            .to_string(),
            difference: t.difference,
            ci: t.ci,
            t: t.t,
            df: t.df,
            p: t.p,
            cohens_d: t.cohens_d,
            cohens_d_ci: t.cohens_d_ci,
            hedges_g: t.hedges_g,
            hedges_g_ci: t.hedges_g_ci,
        });
        if spec.ranks {
            let m = mann_whitney(&groups[0], &groups[1]).map_err(problem)?;
            out.rank_test = Some(RankTestResult {
                test: "mann-whitney".to_string(),
                statistic: m.w,
                df: None,
                p: m.p,
                exact: m.exact,
                rank_biserial: Some(m.rank_biserial),
            });
        }
    } else {
        let a = one_way(&slices).map_err(problem)?;
        out.anova = Some(AnovaResult {
            f: a.f,
            df: a.df,
            p: a.p,
            eta_squared: a.eta_squared,
            omega_squared: a.omega_squared,
            welch_f: a.welch_f,
            welch_df: a.welch_df,
            welch_p: a.welch_p,
            equal_variances: spec.equal_variances,
        });
        let method = spec.post_hoc.unwrap_or(if spec.equal_variances {
            PostHocMethod::Tukey
        } else {
            PostHocMethod::GamesHowell
        });
        if groups.len() <= compare::MAX_POST_HOC_GROUPS {
            out.post_hoc_method = Some(method);
            out.post_hoc = post_hoc(&slices, method, level)
                .map_err(problem)?
                .into_iter()
                .map(|p| PairResult {
                    first: p.first,
                    second: p.second,
                    difference: p.difference,
                    se: p.se,
                    df: p.df,
                    q: p.q,
                    p_adjusted: p.p_adjusted,
                    ci: p.ci,
                })
                .collect();
        }
        if spec.ranks {
            let k = kruskal_wallis(&slices).map_err(problem)?;
            out.rank_test = Some(RankTestResult {
                test: "kruskal-wallis".to_string(),
                statistic: k.h,
                df: Some(k.df),
                p: k.p,
                exact: false,
                rank_biserial: None,
            });
        }
    }
    Ok(out)
}

fn compare_counts(
    categories: Vec<String>,
    table: Vec<Vec<f64>>,
    level: f64,
) -> Result<CountsComparison, AnalysisProblem> {
    if table.len() < 2 || categories.len() < 2 {
        return Err(problem(CompareError::Groups {
            found: table.len().min(categories.len()),
        }));
    }
    let chi = chi_square(&table).map_err(problem)?;
    let fisher = if table.len() == 2 && categories.len() == 2 {
        let cells = [[table[0][0], table[0][1]], [table[1][0], table[1][1]]];
        fisher_exact(cells, level).ok().map(|f| FisherResult {
            p: f.p,
            odds_ratio: f.odds_ratio,
            ci: f.ci,
        })
    } else {
        None
    };
    Ok(CountsComparison {
        categories,
        min_expected: chi
            .expected
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min),
        counts: table,
        chi_squared: chi.chi_squared,
        df: chi.df,
        p: chi.p,
        corrected: chi.corrected,
        cramers_v: chi.cramers_v,
        fisher,
    })
}

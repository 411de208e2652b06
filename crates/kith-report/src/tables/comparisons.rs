//! The report's group comparisons: each group's n, mean, SD and interval with the test of
//! their means in APA style (t or F with the effect size and its interval), the post-hoc
//! pairs, and for a categorical outcome the table of counts with χ² (and Fisher's exact test).

use crate::format::{
    and_list, bounded, decimals_for, interval, markdown_row, mid_sentence, number, p_text, p_value,
    percent,
};
use crate::labels::label;
use kith_analysis::results::{
    ComparisonResult, CountsComparison, MeansComparison, PostHocMethod, Results,
};
use std::fmt::Write;

/// The comparison's heading: its name, or "outcome by group".
pub fn comparison_title(results: &Results, c: &ComparisonResult) -> String {
    c.name.clone().unwrap_or_else(|| {
        format!(
            "{} by {}",
            label(results, &c.outcome),
            label(results, &c.group)
        )
    })
}

/// The test of the means in a sentence's APA form, e.g. "Welch's t(55.31) = 1.92, p = .061,
/// d = 0.49 [−0.02, 1.01]".
pub fn means_test(m: &MeansComparison) -> String {
    if let Some(t) = &m.t_test {
        let name = if t.test == "student" {
            "Student's"
        } else {
            "Welch's"
        };
        return format!(
            "{name} t({}) = {}, p {}, d = {} {}, g = {} {}",
            number(t.df, if t.test == "student" { 0 } else { 2 }),
            number(t.t, 2),
            p_text(t.p),
            number(t.cohens_d, 2),
            interval(t.cohens_d_ci, 2),
            number(t.hedges_g, 2),
            interval(t.hedges_g_ci, 2)
        );
    }
    if let Some(a) = &m.anova {
        let classical = format!(
            "F({}, {}) = {}, p {}",
            number(a.df[0], 0),
            number(a.df[1], 0),
            number(a.f, 2),
            p_text(a.p)
        );
        let welch = format!(
            "Welch's F({}, {}) = {}, p {}",
            number(a.welch_df[0], 0),
            number(a.welch_df[1], 2),
            number(a.welch_f, 2),
            p_text(a.welch_p)
        );
        let sizes = format!(
            "η² = {}, ω² = {}",
            bounded(a.eta_squared, 3),
            bounded(a.omega_squared, 3)
        );
        return if a.equal_variances {
            format!("{classical}, {sizes} ({welch})")
        } else {
            format!("{welch}, {sizes} (classical {classical})")
        };
    }
    String::new()
}

fn means_table(
    out: &mut String,
    results: &Results,
    c: &ComparisonResult,
    m: &MeansComparison,
    number_: usize,
) {
    let level = percent(results.level);
    let spread = m.groups.iter().map(|g| g.sd).fold(0.0, f64::max);
    let d = decimals_for(spread);
    let _ = writeln!(
        out,
        "Table {number_}. {} by {}.\n",
        label(results, &c.outcome),
        label(results, &c.group)
    );
    let _ = writeln!(
        out,
        "| {} | n | M | SD | {level} CI |",
        label(results, &c.group)
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for g in &m.groups {
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                g.level.clone(),
                g.n.to_string(),
                number(g.mean, d),
                number(g.sd, d),
                interval(g.ci, d),
            ])
        );
    }
    let _ = write!(out, "\n*Note.* n = {}; {}.", c.n, means_test(m));
    if let Some(rank) = &m.rank_test {
        let _ = write!(
            out,
            " {}",
            if rank.test == "mann-whitney" {
                format!(
                    "Mann–Whitney W = {}, p {}{}, rank-biserial r = {}.",
                    number(rank.statistic, 1),
                    p_text(rank.p),
                    if rank.exact { " (exact)" } else { "" },
                    bounded(rank.rank_biserial.unwrap_or(f64::NAN), 2)
                )
            } else {
                format!(
                    "Kruskal–Wallis H({}) = {}, p {}.",
                    number(rank.df.unwrap_or(f64::NAN), 0),
                    number(rank.statistic, 2),
                    p_text(rank.p)
                )
            }
        );
    }
    if c.n_missing > 0 {
        let _ = write!(
            out,
            " {} case(s) without the outcome or the group left out.",
            c.n_missing
        );
    }
    let _ = writeln!(out, "\n");
    if !m.post_hoc.is_empty() {
        let method = match m.post_hoc_method {
            Some(PostHocMethod::Tukey) => "Tukey's HSD",
            _ => "Games–Howell",
        };
        let _ = writeln!(
            out,
            "Pairwise comparisons ({method}; p and intervals adjusted for {} pairs).\n",
            m.post_hoc.len()
        );
        let _ = writeln!(
            out,
            "| Comparison | Difference | {level} CI | p (adjusted) |"
        );
        let _ = writeln!(out, "|---|---:|---|---:|");
        for p in &m.post_hoc {
            let _ = write!(
                out,
                "{}",
                markdown_row(&[
                    format!("{} − {}", c.levels[p.second], c.levels[p.first]),
                    number(p.difference, d),
                    interval(p.ci, d),
                    p_value(p.p_adjusted),
                ])
            );
        }
        let _ = writeln!(out);
    }
}

/// The χ² sentence of a table, and Fisher's exact test for a 2 × 2 one.
pub fn counts_test(t: &CountsComparison, n: usize) -> String {
    let mut text = format!(
        "χ²({}, N = {n}) = {}, p {}, Cramér's V = {}{}",
        number(t.df, 0),
        number(t.chi_squared, 2),
        p_text(t.p),
        bounded(t.cramers_v, 2),
        if t.corrected {
            " (with Yates's correction)"
        } else {
            ""
        }
    );
    if let Some(f) = &t.fisher {
        let _ = write!(
            text,
            "; Fisher's exact test p {}, odds ratio = {} {}",
            p_text(f.p),
            number(f.odds_ratio, 2),
            interval(f.ci, 2)
        );
    }
    text
}

fn counts_table(
    out: &mut String,
    results: &Results,
    c: &ComparisonResult,
    t: &CountsComparison,
    number_: usize,
) {
    let _ = writeln!(
        out,
        "Table {number_}. {} by {}: counts (row percentages).\n",
        label(results, &c.outcome),
        label(results, &c.group)
    );
    let mut header = vec![label(results, &c.group)];
    header.extend(t.categories.iter().cloned());
    let _ = write!(out, "{}", markdown_row(&header));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(t.categories.len()));
    for (level, row) in c.levels.iter().zip(&t.counts) {
        let total: f64 = row.iter().sum();
        let mut cells = vec![level.clone()];
        cells.extend(row.iter().map(|count| {
            format!(
                "{} ({}%)",
                number(*count, 0),
                number(100.0 * count / total, 1)
            )
        }));
        let _ = write!(out, "{}", markdown_row(&cells));
    }
    let _ = write!(out, "\n*Note.* {}.", counts_test(t, c.n));
    if t.min_expected < 5.0 {
        let _ = write!(
            out,
            " The smallest expected count is {}: below 5, χ²'s p is approximate{}.",
            number(t.min_expected, 2),
            if t.fisher.is_some() {
                " and Fisher's exact test is the one to read"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(out, "\n");
}

/// One comparison's heading, question and table; `number_` numbers its table.
pub fn comparison(out: &mut String, results: &Results, c: &ComparisonResult, number_: usize) {
    let _ = writeln!(out, "### {}\n", comparison_title(results, c));
    if let Some(question) = &c.question {
        let _ = writeln!(out, "> {question}\n");
    }
    if let Some(m) = &c.means {
        means_table(out, results, c, m, number_);
    }
    if let Some(t) = &c.counts {
        counts_table(out, results, c, t, number_);
    }
}

/// The *Findings* bullet of a comparison: whether the groups' means (or the outcome's
/// categories) differed, with the test that decides it and, after an omnibus F, the pairs
/// that differed. The test read is the one the plan chose: Welch's unless equal variances
/// were assumed, Fisher's exact test where χ²'s expected counts are below 5.
pub fn finding(results: &Results, c: &ComparisonResult) -> String {
    let alpha = 1.0 - results.level;
    let outcome = mid_sentence(&label(results, &c.outcome));
    let group = mid_sentence(&label(results, &c.group));
    let mut text = format!("- **{}**", comparison_title(results, c));
    if let Some(question) = &c.question {
        let _ = write!(text, " — *{question}*");
    }
    let _ = write!(text, " (n = {}): ", c.n);
    if let Some(m) = &c.means {
        let d = decimals_for(m.groups.iter().map(|g| g.sd).fold(0.0, f64::max));
        let mean_of = |k: usize| {
            format!(
                "{} (M = {})",
                m.groups[k].level,
                number(m.groups[k].mean, d)
            )
        };
        let p = match (&m.t_test, &m.anova) {
            (Some(t), _) => t.p,
            (None, Some(a)) if a.equal_variances => a.p,
            (None, Some(a)) => a.welch_p,
            _ => f64::NAN,
        };
        if m.groups.len() == 2 && p < alpha {
            let (high, low) = if m.groups[0].mean >= m.groups[1].mean {
                (0, 1)
            } else {
                (1, 0)
            };
            let _ = write!(
                text,
                "{outcome} was higher for {} than for {} ({})",
                mean_of(high),
                mean_of(low),
                means_test(m)
            );
        } else if m.groups.len() == 2 {
            let _ = write!(
                text,
                "{outcome} did not differ detectably between {} and {} ({})",
                mean_of(0),
                mean_of(1),
                means_test(m)
            );
        } else if p < alpha {
            let _ = write!(
                text,
                "{outcome} differed across {group} ({})",
                means_test(m)
            );
            let pairs: Vec<String> = m
                .post_hoc
                .iter()
                .filter(|pair| pair.p_adjusted < alpha)
                .map(|pair| {
                    let (high, low) = if pair.difference > 0.0 {
                        (pair.second, pair.first)
                    } else {
                        (pair.first, pair.second)
                    };
                    format!(
                        "{} above {} (difference = {}, adjusted p {})",
                        c.levels[high],
                        c.levels[low],
                        number(pair.difference.abs(), d),
                        p_text(pair.p_adjusted)
                    )
                })
                .collect();
            if !pairs.is_empty() {
                let _ = write!(text, "; pairwise, {}", and_list(&pairs));
            }
        } else {
            let _ = write!(
                text,
                "{outcome} did not differ detectably across the {} groups of {group} ({})",
                m.groups.len(),
                means_test(m)
            );
        }
    }
    if let Some(t) = &c.counts {
        let p = match &t.fisher {
            Some(f) if t.min_expected < 5.0 => f.p,
            _ => t.p,
        };
        let verb = if p < alpha {
            "was associated with"
        } else {
            "was not detectably associated with"
        };
        let _ = write!(text, "{outcome} {verb} {group} ({})", counts_test(t, c.n));
    }
    text.push('.');
    text
}

//! The tables of descriptive statistics and of correlations.

use crate::format::{bounded, decimals_for, grouped, number, percent, stars};
use crate::labels::label;
use kith_analysis::results::{Adjustment, CorrelationMethod, CorrelationTable, Deletion, Results};
use std::fmt::Write;

/// Table `number_`: n, M, SD, median, range, skew and kurtosis of every described variable.
pub fn descriptives(out: &mut String, results: &Results, number_: usize) {
    let _ = writeln!(out, "## Descriptive statistics\n");
    let _ = writeln!(out, "Table {number_}. Descriptive statistics.\n");
    let _ = writeln!(
        out,
        "| Variable | n | M | SD | Mdn | Min | Max | Skew | Kurtosis |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &results.descriptives {
        let s = &row.statistics;
        // Each variable on its own scale: a salary in whole dollars, a rating-scale score to
        // two decimals.
        let places = decimals_for(s.sd);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            label(results, &row.variable),
            grouped(s.n as f64, 0),
            grouped(s.mean, places),
            grouped(s.sd, places),
            grouped(s.median, places),
            grouped(s.min, places),
            grouped(s.max, places),
            number(s.skew, 2),
            number(s.kurtosis, 2)
        );
    }
    let _ = writeln!(
        out,
        "\n*Note.* Each variable's present values, with decimals for its spread (none when its SD is 100 or more, one when it is 10 or more); skew and kurtosis as psych::describe (type 3).\n"
    );
}

/// Table `number_`: the lower triangle of a correlation table, with stars.
pub fn correlations(out: &mut String, results: &Results, table: &CorrelationTable, number_: usize) {
    let _ = writeln!(
        out,
        "## {}\n",
        table.name.as_deref().unwrap_or("Correlations")
    );
    let _ = writeln!(
        out,
        "Table {number_}. {} correlations.\n",
        if table.method == CorrelationMethod::Spearman {
            "Spearman"
        } else {
            "Pearson"
        }
    );
    let k = table.variables.len();
    // M, SD and alpha beside the correlations, as APA's correlation tables have them.
    let _ = write!(out, "| Variable | M | SD | α |");
    for j in 1..k {
        let _ = write!(out, " {j} |");
    }
    let _ = writeln!(out);
    let _ = write!(out, "|---|---:|---:|---:|");
    for _ in 1..k {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out);
    for (i, name) in table.variables.iter().enumerate() {
        let _ = write!(out, "| {}. {} |", i + 1, label(results, name));
        match results.descriptives.iter().find(|d| d.variable == *name) {
            Some(d) => {
                let places = decimals_for(d.statistics.sd);
                let _ = write!(
                    out,
                    " {} | {} |",
                    grouped(d.statistics.mean, places),
                    grouped(d.statistics.sd, places)
                );
            }
            None => {
                let _ = write!(out, " – | – |");
            }
        }
        let alpha = results
            .figures
            .reliability
            .iter()
            .find(|s| s.score == *name)
            .map_or("–".to_string(), |s| bounded(s.alpha, 2));
        let _ = write!(out, " {alpha} |");
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
        Adjustment::Holm => ", Holm-adjusted",
        Adjustment::BenjaminiHochberg => ", Benjamini–Hochberg-adjusted",
        _ => "",
    };
    let _ = writeln!(
        out,
        "\n*Note.* {} (n = {}). M and SD of each variable's present values (as in the descriptive statistics); α, Cronbach's alpha of a scale. * p < .05, ** p < .01, *** p < .001{adjust}. Each r's {} Fisher-z interval is in results.json.\n",
        if table.missing == Deletion::Listwise {
            "Listwise deletion"
        } else {
            "Pairwise deletion; the smallest pair"
        },
        table.n,
        percent(results.level)
    );
}

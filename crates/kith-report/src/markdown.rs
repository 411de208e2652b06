//! The Markdown report of an analysis plan: what was found, in sentences that answer the plan's
//! questions, then APA-style tables for descriptives, correlations, models, mediation and
//! relative importance, and every analysis that could not be computed with the reason.

use crate::format::{bounded, interval, number, p_value, stars};
use kith_analysis::results::{
    Adjustment, CorrelationMethod, CorrelationTable, Deletion, Family, ImportanceMethod,
    ImportanceResult, IntervalMethod, MediationResult, ModelResult, PathResult, Results, Section,
};
use std::fmt::Write;

/// A variable's readable name (see `Labels::get`).
fn label(results: &Results, name: &str) -> String {
    crate::charts::Labels::get_from(&results.labels, name)
}

/// The data files, as code spans.
fn data_files(results: &Results) -> String {
    results
        .data
        .iter()
        .map(|d| format!("`{d}`"))
        .collect::<Vec<_>>()
        .join(", ")
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
                Family::Binomial => "logistic regression",
                Family::Poisson => "Poisson regression",
                _ => "linear regression",
            }
        )
    })
}

/// A figure of the report, by what it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureRef {
    Reliability,
    Likert(usize),
    Distribution(String),
    Correlations(usize),
    Forest { ratio: bool },
    Scatter(usize),
    Mediation(usize),
    Importance(usize),
}

/// A piece of the report: Markdown text, or a figure with its caption (numbered when
/// rendered).
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(String),
    Figure { figure: FigureRef, caption: String },
}

/// Collects text and figures in order.
#[derive(Debug, Default)]
struct Builder {
    blocks: Vec<Block>,
    text: String,
}

impl Builder {
    fn figure(&mut self, figure: FigureRef, caption: String) {
        if !self.text.is_empty() {
            self.blocks
                .push(Block::Text(std::mem::take(&mut self.text)));
        }
        self.blocks.push(Block::Figure { figure, caption });
    }

    fn finish(mut self) -> Vec<Block> {
        if !self.text.is_empty() {
            self.blocks.push(Block::Text(self.text));
        }
        self.blocks
    }
}

/// The report as blocks, with the sections the plan chose, in its order.
pub fn blocks(results: &Results) -> Vec<Block> {
    let mut b = Builder::default();
    let out = &mut b.text;
    let title = results.title.as_deref().unwrap_or("Analysis report");
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "Plan `{}`; data {}; {} rows{}. Intervals are {} intervals. Made by kith {}.\n",
        results.plan,
        data_files(results),
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
    findings(out, results);
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
    let level = percent(results.level);
    for section in results.figures.report.sections() {
        match section {
            Section::Sample => sample(&mut b.text, results),
            Section::Quality => {
                if let Some(quality) = &results.figures.quality {
                    table_number += 1;
                    data_quality(&mut b.text, quality, table_number);
                }
            }
            Section::Reliability => {
                let scales = &results.figures.reliability;
                if !scales.is_empty() {
                    table_number += 1;
                    reliability_table(&mut b.text, scales, table_number);
                    let n = scales.iter().map(|s| s.n).max().unwrap_or(0);
                    b.figure(
                        FigureRef::Reliability,
                        format!("Reliability of each scale: alpha with its 95% Feldt interval, omega total with its 95% percentile bootstrap interval (1,000 resamples of the complete cases); the dashed line marks .70 (n = {n})."),
                    );
                }
                for (index, scale) in results.figures.item_responses.iter().enumerate() {
                    let n = scale
                        .items
                        .iter()
                        .map(|i| i.counts.iter().sum::<usize>())
                        .max()
                        .unwrap_or(0);
                    b.figure(
                        FigureRef::Likert(index),
                        format!("Answers to the items of {}, centred on the scale's middle; items sorted by agreement, (R) marks reverse-keyed items (n = {n}).", scale.label),
                    );
                }
            }
            Section::Descriptives => {
                if !results.descriptives.is_empty() {
                    table_number += 1;
                    descriptives(&mut b.text, results, table_number);
                }
                let mut shown: Vec<&str> = Vec::new();
                for d in &results.figures.distributions {
                    if shown.contains(&d.variable.as_str()) {
                        continue;
                    }
                    shown.push(&d.variable);
                    let caption = if d.group.is_some() {
                        format!(
                            "Distribution of {} by group: quartiles and median in the box, minimum and maximum at the whiskers.",
                            d.label
                        )
                    } else {
                        format!(
                            "Distribution of {}: histogram and kernel density (n = {}).",
                            d.label, d.n
                        )
                    };
                    b.figure(FigureRef::Distribution(d.variable.clone()), caption);
                }
            }
            Section::Correlations => {
                for (index, table) in results.correlations.iter().enumerate() {
                    table_number += 1;
                    correlations(&mut b.text, results, table, table_number);
                    b.figure(
                        FigureRef::Correlations(index),
                        format!("Correlations as a heat map, in the plan's order; stars mark significance (n = {}).", table.n),
                    );
                }
            }
            Section::Models if !results.models.is_empty() => {
                let _ = writeln!(b.text, "## Regression models\n");
                for model in &results.models {
                    table_number += 1;
                    model_table(&mut b.text, results, model, table_number);
                }
                if results.models.iter().any(|m| !m.family.is_generalized()) {
                    b.figure(
                            FigureRef::Forest { ratio: false },
                            format!("Standardized coefficients of the predictors with {level} confidence intervals, grouped by predictor; one colour per outcome (linear models)."),
                        );
                }
                if results.models.iter().any(|m| m.family.is_generalized()) {
                    b.figure(
                            FigureRef::Forest { ratio: true },
                            format!("Odds ratios (logistic) and incidence rate ratios (Poisson) of the predictors with {level} Wald intervals, on a log axis."),
                        );
                }
                for (index, s) in results.figures.scatter.iter().enumerate() {
                    b.figure(
                            FigureRef::Scatter(index),
                            format!("{} against {} with the least-squares line and the {level} interval of the fitted mean (n = {}).", s.y_label, s.x_label, s.n),
                        );
                }
            }
            Section::Mediation if !results.mediation.is_empty() => {
                let _ = writeln!(b.text, "## Mediation\n");
                for (index, mediation) in results.mediation.iter().enumerate() {
                    table_number += 1;
                    mediation_table(&mut b.text, results, mediation, table_number);
                    b.figure(
                            FigureRef::Mediation(index),
                            format!("Path diagram of the mediation model with the indirect effect and its {level} bootstrap interval ({} resamples, n = {}).", mediation.resamples, mediation.n),
                        );
                }
            }
            Section::Importance if !results.importance.is_empty() => {
                let _ = writeln!(b.text, "## Relative importance\n");
                for (index, importance) in results.importance.iter().enumerate() {
                    table_number += 1;
                    importance_table(&mut b.text, results, importance, table_number);
                    b.figure(
                        FigureRef::Importance(index),
                        format!(
                            "Relative importance with {level} bootstrap intervals (n = {}).",
                            importance.n
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    b.finish()
}

/// The report as Markdown, figures as images named by `image(figure number)`.
pub fn report(results: &Results, image: &dyn Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut figure_number = 0;
    for block in blocks(results) {
        match block {
            Block::Text(text) => out.push_str(&text),
            Block::Figure { caption, .. } => {
                figure_number += 1;
                let _ = writeln!(
                    out,
                    "![Figure {figure_number}]({})\n\n*Figure {figure_number}.* {caption}\n",
                    image(figure_number)
                );
            }
        }
    }
    out
}

fn sample(out: &mut String, results: &Results) {
    let _ = writeln!(out, "## Sample\n");
    let _ = writeln!(
        out,
        "{} respondents in {}{}. Each analysis uses the cases complete on its variables; its n is in its table.\n",
        results.n_rows,
        data_files(results),
        results
            .survey
            .as_ref()
            .map(|s| format!(", answering `{}` {}", s.id, s.version))
            .unwrap_or_default()
    );
}

fn data_quality(out: &mut String, quality: &kith_analysis::results::DataQuality, number_: usize) {
    let _ = writeln!(out, "## Data quality\n");
    let complete = quality.persons_by_missing.first().copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "{complete} of {} respondents ({}%) answered every item; the table lists the items with the most missing answers.\n",
        quality.respondents,
        number(
            100.0 * complete as f64 / quality.respondents.max(1) as f64,
            0
        )
    );
    let mut items: Vec<&(String, f64)> = quality.items.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let _ = writeln!(out, "Table {number_}. Missing answers.\n");
    let _ = writeln!(out, "| Item | Missing |");
    let _ = writeln!(out, "|---|---:|");
    for (item, share) in items.iter().take(10) {
        let _ = writeln!(out, "| {item} | {}% |", number(share * 100.0, 1));
    }
    let _ = writeln!(out, "\n| Items left unanswered | Respondents |");
    let _ = writeln!(out, "|---:|---:|");
    for (count, persons) in quality
        .persons_by_missing
        .iter()
        .enumerate()
        .filter(|(_, p)| **p > 0)
    {
        let _ = writeln!(out, "| {count} | {persons} |");
    }
    out.push('\n');
}

fn reliability_table(
    out: &mut String,
    scales: &[kith_analysis::results::ScaleReliabilitySummary],
    number_: usize,
) {
    let _ = writeln!(out, "## Reliability\n");
    let _ = writeln!(
        out,
        "Table {number_}. Reliability of the scales (alpha and omega as psych computes them; omega's interval from 1,000 bootstrap resamples of the respondents who answered every item).\n"
    );
    let _ = writeln!(
        out,
        "| Scale | n | Alpha | 95% CI (Feldt) | Omega total | 95% CI (bootstrap) |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---:|---|");
    for s in scales {
        let _ = writeln!(
            out,
            "| {} | {} | {} | [{}, {}] | {} | {} |",
            s.label,
            s.n,
            bounded(s.alpha, 2),
            bounded(s.alpha_ci[0], 2),
            bounded(s.alpha_ci[1], 2),
            s.omega_total
                .map(|o| bounded(o, 2))
                .unwrap_or_else(|| "–".to_string()),
            s.omega_ci
                .map(|ci| format!("[{}, {}]", bounded(ci[0], 2), bounded(ci[1], 2)))
                .unwrap_or_else(|| "–".to_string())
        );
    }
    out.push('\n');
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
        let effect = |c: &kith_analysis::results::CoefficientResult| match model.family {
            Family::Binomial => format!("OR = {}", number(c.odds_ratio.unwrap_or(f64::NAN), 2)),
            Family::Poisson => format!("IRR = {}", number(c.irr.unwrap_or(f64::NAN), 2)),
            _ => format!("β = {}", bounded(c.beta.unwrap_or(f64::NAN), 2)),
        };
        let (significant, not): (
            Vec<&kith_analysis::results::CoefficientResult>,
            Vec<&kith_analysis::results::CoefficientResult>,
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
            Family::Binomial => {
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
        if table.method == CorrelationMethod::Spearman {
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
        Adjustment::Holm => ", Holm-adjusted",
        Adjustment::BenjaminiHochberg => ", Benjamini–Hochberg-adjusted",
        _ => "",
    };
    let _ = writeln!(
        out,
        "\n*Note.* {} (n = {}). * p < .05, ** p < .01, *** p < .001{adjust}. Each r's {} Fisher-z interval is in results.json.\n",
        if table.missing == Deletion::Listwise {
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
            Family::Binomial => "Logistic regression",
            Family::Poisson => "Poisson regression",
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
        Family::Gaussian => {
            let _ = writeln!(out, "| Term | b | SE | t | p | {level} CI | β |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---:|");
        }
        Family::Binomial => {
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
            Family::Gaussian => {
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
                let (ratio, ratio_ci) = if family == Family::Binomial {
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
        Family::Gaussian => {
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
            if family == Family::Binomial {
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
        if m.ci_method == IntervalMethod::Bca {
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
        if r.method == ImportanceMethod::Dominance {
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

//! The measurement section: per model its fit (with the scaled and robust indices under MLR),
//! the standardized loadings (APA), the factor correlations beside HTMT and the
//! discriminant-validity verdict, reliability (alpha and omega beside composite reliability
//! and AVE), the invariance steps, and the model's problems.

use crate::format::{bounded, grouped, markdown_row, number, p_value};
use crate::labels::label;
use kith_analysis::results::{FitSummary, MeasurementResult, Results};
use std::fmt::Write;

/// "CFI = .95, RMSEA = .05 [.04, .06], SRMR = .04" with the robust indices when there are
/// some, as the findings and the fit table state fit.
pub fn fit_phrase(fit: &FitSummary) -> String {
    let (cfi, tli, rmsea, ci) = match &fit.robust {
        Some(r) => (r.cfi, r.tli, r.rmsea, r.rmsea_ci),
        None => (fit.cfi, fit.tli, fit.rmsea, fit.rmsea_ci),
    };
    let robust = if fit.robust.is_some() { "robust " } else { "" };
    format!(
        "{robust}CFI = {}, TLI = {}, RMSEA = {} {}, SRMR = {}",
        bounded(cfi, 3),
        bounded(tli.min(1.0), 3),
        bounded(rmsea, 3),
        crate::format::bracket(ci, |v| bounded(v, 3)),
        bounded(fit.srmr, 3)
    )
}

/// The heading of a model.
pub fn title(m: &MeasurementResult) -> String {
    m.name
        .clone()
        .unwrap_or_else(|| "Measurement model".to_string())
}

fn estimation(m: &MeasurementResult) -> String {
    let estimator = match m.estimator.as_str() {
        "mlr" => "ML with robust standard errors and the Yuan–Bentler scaled test (MLR)",
        _ => "maximum likelihood",
    };
    let missing = match m.missing.as_str() {
        "fiml" => "full-information ML over every case (FIML)",
        _ => "complete cases only",
    };
    format!("{estimator}, {missing}")
}

/// The tables of one model, numbered from `next`; returns the next free number.
pub fn measurement_tables(
    out: &mut String,
    results: &Results,
    m: &MeasurementResult,
    mut next: usize,
) -> usize {
    let _ = writeln!(out, "### {}\n", title(m));
    if let Some(question) = &m.question {
        let _ = writeln!(out, "> {question}\n");
    }
    let _ = writeln!(
        out,
        "A confirmatory factor analysis of {} factors by {} (n = {}), each factor's first loading fixed at 1.\n",
        m.factors.len(),
        estimation(m),
        m.n
    );
    for warning in &m.warnings {
        let _ = writeln!(out, "**Warning:** {warning}.\n");
    }
    fit_table(out, m, next);
    next += 1;
    loadings_table(out, results, m, next);
    next += 1;
    correlations_table(out, results, m, next);
    next += 1;
    reliability_table(out, results, m, next);
    next += 1;
    if m.invariance.is_some() {
        invariance_table(out, m, next);
        next += 1;
    }
    let mut notes = Vec::new();
    if let Some(r) = &m.largest_residual_correlation {
        notes.push(format!(
            "The largest residual correlation is {} between `{}` and `{}`.",
            bounded(r.value, 3),
            r.a,
            r.b
        ));
    }
    if let Some(mi) = m.modification_indices.first() {
        notes.push(format!(
            "The largest modification index is {} for `{} {} {}` (standardized expected change {}).",
            number(mi.mi, 1),
            mi.lhs,
            mi.op,
            mi.rhs,
            bounded(mi.sepc_all, 2)
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "{}\n", notes.join(" "));
    }
    next
}

fn fit_table(out: &mut String, m: &MeasurementResult, number_: usize) {
    let f = &m.fit;
    let _ = writeln!(out, "Table {number_}. Fit of the measurement model.\n");
    let _ = writeln!(
        out,
        "| Test | χ² | df | p | CFI | TLI | RMSEA [90% CI] | SRMR |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|---:|");
    let row = |name: &str, chisq: f64, p: f64, cfi: f64, tli: f64, rmsea: f64, ci: [f64; 2]| {
        markdown_row(&[
            name.to_string(),
            grouped(chisq, 2),
            f.df.to_string(),
            p_value(p),
            bounded(cfi, 3),
            bounded(tli, 3),
            format!(
                "{} {}",
                bounded(rmsea, 3),
                crate::format::bracket(ci, |v| bounded(v, 3))
            ),
            bounded(f.srmr, 3),
        ])
    };
    out.push_str(&row(
        "ML", f.chisq, f.pvalue, f.cfi, f.tli, f.rmsea, f.rmsea_ci,
    ));
    if let Some(s) = &f.scaled {
        out.push_str(&row(
            "Scaled (Yuan–Bentler)",
            s.chisq,
            s.pvalue,
            s.cfi,
            s.tli,
            s.rmsea,
            s.rmsea_ci,
        ));
    }
    if let Some(r) = &f.robust {
        let p = f.scaled.as_ref().map_or(f.pvalue, |s| s.pvalue);
        let chisq = f.scaled.as_ref().map_or(f.chisq, |s| s.chisq);
        out.push_str(&row("Robust", chisq, p, r.cfi, r.tli, r.rmsea, r.rmsea_ci));
    }
    let _ = writeln!(
        out,
        "\nAIC = {}, BIC = {}, sample-size adjusted BIC = {}; {} free parameters.\n",
        grouped(f.aic, 1),
        grouped(f.bic, 1),
        grouped(f.sabic, 1),
        f.npar
    );
}

fn loadings_table(out: &mut String, results: &Results, m: &MeasurementResult, number_: usize) {
    let _ = writeln!(
        out,
        "Table {number_}. Factor loadings (b unstandardized, β completely standardized).\n"
    );
    let _ = writeln!(out, "| Factor | Item | b | SE | p | β |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for row in m.parameters.iter().filter(|r| r.op == "=~") {
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                label(results, &row.lhs),
                format!("`{}`", row.rhs),
                number(row.estimate, 3),
                if row.z.is_some() {
                    number(row.se, 3)
                } else {
                    "–".into()
                },
                row.p.map_or("–".into(), p_value),
                bounded(row.std_all, 3),
            ])
        );
    }
    let _ = writeln!(out);
}

fn correlations_table(out: &mut String, results: &Results, m: &MeasurementResult, number_: usize) {
    if m.factor_correlations.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Table {number_}. Factor correlations with 95% intervals, HTMT and discriminant validity (HTMT below .85 and an interval excluding 1).\n"
    );
    let _ = writeln!(
        out,
        "| Factors | r | 95% CI | HTMT | Discriminant validity |"
    );
    let _ = writeln!(out, "|---|---:|---|---:|---|");
    for c in &m.factor_correlations {
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                format!("{} – {}", label(results, &c.a), label(results, &c.b)),
                bounded(c.r, 3),
                crate::format::bracket(c.ci, |v| bounded(v, 3)),
                number(c.htmt, 3),
                c.discriminant.clone(),
            ])
        );
    }
    let _ = writeln!(out);
}

fn reliability_table(out: &mut String, results: &Results, m: &MeasurementResult, number_: usize) {
    let _ = writeln!(
        out,
        "Table {number_}. Reliability of each factor: Cronbach's alpha and omega total (psych) beside composite reliability and average variance extracted (semTools).\n"
    );
    let _ = writeln!(
        out,
        "| Factor | Items | α | ω total | Composite reliability | AVE |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for f in &m.factors {
        let scale = results.figures.reliability.iter().find(|r| r.score == f.id);
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                label(results, &f.id),
                f.items.len().to_string(),
                scale.map_or("–".into(), |s| bounded(s.alpha, 3)),
                scale
                    .and_then(|s| s.omega_total)
                    .map_or("–".into(), |o| bounded(o, 3)),
                bounded(f.composite_reliability, 3),
                f.ave.map_or("–".into(), |a| bounded(a, 3)),
            ])
        );
    }
    let _ = writeln!(out);
}

fn invariance_table(out: &mut String, m: &MeasurementResult, number_: usize) {
    let Some(inv) = &m.invariance else { return };
    let groups: Vec<String> = inv
        .levels
        .iter()
        .zip(&inv.n)
        .map(|(l, n)| format!("{l} (n = {n})"))
        .collect();
    let scaled = m.estimator == "mlr";
    let _ = writeln!(
        out,
        "Table {number_}. Measurement invariance across `{}`: {}. Each step is compared with the one before{}.\n",
        inv.groups,
        groups.join(", "),
        if scaled {
            " by the scaled χ² difference (Satorra–Bentler 2001)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "| Model | χ² | df | CFI | RMSEA | Δχ² | Δdf | p | ΔCFI | ΔRMSEA |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for step in &inv.steps {
        let f = &step.fit;
        let (d_chisq, d_df, d_p, d_cfi, d_rmsea) = match &step.difference {
            Some(d) => (
                grouped(d.chisq, 2),
                d.df.to_string(),
                p_value(d.p),
                number(d.delta_cfi, 3),
                number(d.delta_rmsea, 3),
            ),
            None => ("–".into(), "–".into(), "–".into(), "–".into(), "–".into()),
        };
        let _ = write!(
            out,
            "{}",
            markdown_row(&[
                step.step.clone(),
                grouped(f.chisq, 2),
                f.df.to_string(),
                bounded(f.cfi, 3),
                bounded(f.rmsea, 3),
                d_chisq,
                d_df,
                d_p,
                d_cfi,
                d_rmsea,
            ])
        );
    }
    let _ = writeln!(out);
}

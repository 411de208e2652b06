//! The table of a regression model: its coefficients, fit and block comparison.

use super::{glm_fit, standardized, vif_note};
use crate::format::{
    bounded, bracket, estimate_decimals, grouped, interval, number, p_text, p_value, percent,
};
use crate::labels::label;
use kith_analysis::results::{Family, ModelResult, Results};
use std::fmt::Write;

/// A model's heading: its name, or its outcome and kind of regression.
pub fn model_title(model: &ModelResult, results: &Results) -> String {
    model.name.clone().unwrap_or_else(|| {
        format!(
            "{} ({})",
            label(results, &model.outcome),
            super::regression(model.family)
        )
    })
}

/// Table `number_`: one model's coefficients, with a note on its fit.
pub fn model_table(out: &mut String, results: &Results, model: &ModelResult, number_: usize) {
    let _ = writeln!(out, "### {}\n", model_title(model, results));
    if let Some(question) = &model.question {
        let _ = writeln!(out, "> {question}\n");
    }
    // With controls, Model 1 (the controls) and Model 2 (with the predictors) side by side.
    if !model.control_coefficients.is_empty() && model.blocks.len() == 2 {
        super::hierarchical::hierarchical_table(out, results, model, number_);
        warnings(out, model);
        return;
    }
    let level = percent(results.level);
    let vif = model.coefficients.iter().any(|c| c.vif.is_some());
    let (vif_header, vif_rule) = if vif { (" VIF |", "---:|") } else { ("", "") };
    let _ = writeln!(
        out,
        "Table {number_}. {} of {} on {}.\n",
        crate::format::sentence_start(super::regression(model.family)),
        label(results, &model.outcome),
        super::predictor_list(results, model)
    );
    match model.family {
        Family::Gaussian => {
            let _ = writeln!(
                out,
                "| Term | b | SE | t | p | {level} CI | β |{vif_header}"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---:|{vif_rule}");
        }
        Family::Binomial => {
            let _ = writeln!(
                out,
                "| Term | b | SE | z | p | OR | {level} CI (OR) |{vif_header}"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|{vif_rule}");
        }
        _ => {
            let _ = writeln!(
                out,
                "| Term | b | SE | z | p | IRR | {level} CI (IRR) |{vif_header}"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|{vif_rule}");
        }
    }
    for c in &model.coefficients {
        let term = if c.term == "(Intercept)" {
            "(Intercept)".to_string()
        } else {
            label(results, &c.term).to_string()
        };
        let vif_cell = if vif {
            format!(" {} |", c.vif.map(|v| number(v, 2)).unwrap_or_default())
        } else {
            String::new()
        };
        match model.family {
            Family::Gaussian => {
                // b and its interval to the precision its standard error allows: a model of
                // salary in dollars needs no decimals.
                let places = estimate_decimals(c.se);
                let _ = writeln!(
                    out,
                    "| {term} | {} | {} | {} | {} | {} | {} |{vif_cell}",
                    grouped(c.b, places),
                    grouped(c.se, places),
                    number(c.t.unwrap_or(f64::NAN), 2),
                    p_value(c.p),
                    bracket(c.ci, |v| grouped(v, places)),
                    standardized(c).map(|b| bounded(b, 2)).unwrap_or_default()
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
                    "| {term} | {} | {} | {} | {} | {} | {} |{vif_cell}",
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
                ". R² = {}, adjusted R² = {}, {}",
                bounded(model.r2.unwrap_or(f64::NAN), 3),
                bounded(model.adj_r2.unwrap_or(f64::NAN), 3),
                super::overall_f(model)
            );
            if model.robust {
                note.push_str(super::HC3_NOTE);
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
        _ => {
            note.push_str(&glm_fit(model));
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
    // Every factor's dummies are differences from its reference level: say which it is.
    note.push_str(&super::reference_levels(results, &model.reference_levels));
    note.push_str(&super::factor_tests_note(results, model));
    if vif {
        note.push_str(vif_note());
    }
    let _ = writeln!(out, "{note}.\n");
    warnings(out, model);
}

/// The model's warnings, each a block quote under its table.
fn warnings(out: &mut String, model: &ModelResult) {
    for warning in &model.warnings {
        let _ = writeln!(out, "> **Warning:** {warning}\n");
    }
}

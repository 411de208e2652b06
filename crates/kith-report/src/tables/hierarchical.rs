//! The table of a hierarchical regression as APA tables set it: Model 1 (the controls alone)
//! beside Model 2 (the controls and the predictors), with R², ΔR² and the F test of each
//! step for linear models, or the likelihood-ratio χ² of each step for logistic and Poisson
//! ones, and each factor's reference level in the note.

use super::{glm_fit, standardized, vif_note};
use crate::format::{
    and_list, bounded, bracket, estimate_decimals, grouped, interval, number, p_value,
};
use crate::labels::label;
use kith_analysis::results::{BlockResult, CoefficientResult, Family, ModelResult, Results};
use std::fmt::Write;

/// Table `number_`: Model 1 and Model 2 side by side. The model must have controls (and so
/// `control_coefficients`).
pub fn hierarchical_table(
    out: &mut String,
    results: &Results,
    model: &ModelResult,
    number_: usize,
) {
    let level = crate::format::percent(results.level);
    let gaussian = model.family == Family::Gaussian;
    let vif = model.coefficients.iter().any(|c| c.vif.is_some());
    let _ = writeln!(
        out,
        "Table {number_}. Hierarchical {} of {}: the controls (Model 1), then {} (Model 2).\n",
        super::regression(model.family),
        label(results, &model.outcome),
        super::predictor_list(results, model)
    );
    let mut header = vec![
        "Term".to_string(),
        "Model 1: b".into(),
        "Model 1: SE".into(),
        "Model 1: p".into(),
        "Model 2: b".into(),
        "Model 2: SE".into(),
    ];
    if gaussian {
        header.extend([
            format!("Model 2: {level} CI"),
            "Model 2: p".into(),
            "Model 2: β".into(),
        ]);
    } else {
        let ratio = if model.family == Family::Binomial {
            "OR"
        } else {
            "IRR"
        };
        header.extend([
            "Model 2: p".into(),
            format!("Model 2: {ratio}"),
            format!("Model 2: {level} CI ({ratio})"),
        ]);
    }
    if vif {
        header.push("VIF".into());
    }
    let columns = header.len();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(columns - 1));
    for c in &model.coefficients {
        let term = if c.term == "(Intercept)" {
            "(Intercept)".to_string()
        } else {
            label(results, &c.term).to_string()
        };
        let mut cells = vec![term];
        match model
            .control_coefficients
            .iter()
            .find(|m1| m1.term == c.term)
        {
            Some(first) => cells.extend(estimate_cells(first, gaussian)),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        let [b, se, p] = estimate_cells(c, gaussian);
        if gaussian {
            let places = estimate_decimals(c.se);
            cells.extend([
                b,
                se,
                bracket(c.ci, |v| grouped(v, places)),
                p,
                standardized(c)
                    .map(|beta| bounded(beta, 2))
                    .unwrap_or_default(),
            ]);
        } else {
            let (ratio, ratio_ci) = if model.family == Family::Binomial {
                (c.odds_ratio, c.odds_ratio_ci)
            } else {
                (c.irr, c.irr_ci)
            };
            cells.extend([
                b,
                se,
                p,
                number(ratio.unwrap_or(f64::NAN), 2),
                interval(ratio_ci.unwrap_or([f64::NAN; 2]), 2),
            ]);
        }
        if vif {
            cells.push(c.vif.map(|v| number(v, 2)).unwrap_or_default());
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    // The steps' statistics, under each model's b and p.
    let step_row =
        |name: &str, first: String, first_p: String, second: String, second_p: String| {
            let mut cells = vec![name.to_string(), first, String::new(), first_p, second];
            cells.resize(columns, String::new());
            let p_column = if gaussian { 7 } else { 6 };
            cells[p_column] = second_p;
            format!("| {} |\n", cells.join(" | "))
        };
    let (Some(first), Some(second)) = (block(model, 1), block(model, 2)) else {
        return;
    };
    if gaussian {
        out.push_str(&step_row(
            "R²",
            bounded(first.r2.unwrap_or(f64::NAN), 3),
            String::new(),
            bounded(second.r2.unwrap_or(f64::NAN), 3),
            String::new(),
        ));
        out.push_str(&step_row(
            "ΔR²",
            bounded(first.delta_r2.unwrap_or(f64::NAN), 3),
            String::new(),
            bounded(second.delta_r2.unwrap_or(f64::NAN), 3),
            String::new(),
        ));
        out.push_str(&step_row(
            "F for ΔR²",
            number(first.f_change.unwrap_or(f64::NAN), 2),
            p_value(first.p),
            number(second.f_change.unwrap_or(f64::NAN), 2),
            p_value(second.p),
        ));
        let df = |b: &BlockResult| format!("{}, {}", b.df1.unwrap_or(0), b.df2.unwrap_or(0));
        out.push_str(&step_row(
            "df of F",
            df(first),
            String::new(),
            df(second),
            String::new(),
        ));
    } else {
        out.push_str(&step_row(
            "χ² of the step",
            number(first.chi_square.unwrap_or(f64::NAN), 2),
            p_value(first.p),
            number(second.chi_square.unwrap_or(f64::NAN), 2),
            p_value(second.p),
        ));
        out.push_str(&step_row(
            "df of χ²",
            first.df.unwrap_or(0).to_string(),
            String::new(),
            second.df.unwrap_or(0).to_string(),
            String::new(),
        ));
    }
    let mut note = format!("\n*Note.* n = {}", model.n);
    if model.n_missing > 0 {
        let _ = write!(
            note,
            " ({} rows with a missing value left out)",
            model.n_missing
        );
    }
    let _ = write!(
        note,
        ". Model 1: the controls ({}); Model 2 adds the predictors",
        and_list(
            &model
                .controls
                .iter()
                .map(|c| label(results, c).to_string())
                .collect::<Vec<_>>()
        )
    );
    if gaussian {
        let _ = write!(
            note,
            ". Model 2: adjusted R² = {}, {}",
            bounded(model.adj_r2.unwrap_or(f64::NAN), 3),
            super::overall_f(model)
        );
        if model.robust {
            note.push_str(super::HC3_NOTE);
        }
    } else {
        let _ = write!(
            note,
            ". Model 2: {}. χ² of each step: the likelihood-ratio test of its terms (Model 1 against the intercept alone). Intervals are Wald intervals",
            glm_fit(model)
                .trim_start_matches(". ")
                .replacen("Deviance", "deviance", 1)
        );
    }
    note.push_str(&super::reference_levels(results, &model.reference_levels));
    note.push_str(&super::factor_tests_note(results, model));
    if vif {
        note.push_str(vif_note());
    }
    let _ = writeln!(out, "{note}.\n");
}

/// b, SE and p of a coefficient, b and SE to the precision the SE allows for linear models.
fn estimate_cells(c: &CoefficientResult, gaussian: bool) -> [String; 3] {
    if gaussian {
        let places = estimate_decimals(c.se);
        [grouped(c.b, places), grouped(c.se, places), p_value(c.p)]
    } else {
        [number(c.b, 3), number(c.se, 3), p_value(c.p)]
    }
}

fn block(model: &ModelResult, number: usize) -> Option<&BlockResult> {
    model.blocks.iter().find(|b| b.block == number)
}

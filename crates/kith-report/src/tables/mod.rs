//! The report's APA-style tables, one file per kind of analysis; each writes Markdown text
//! with the table number the document gives it.

pub mod comparisons;
pub mod descriptives;
pub mod hierarchical;
pub mod measurement;
pub mod mediation;
pub mod models;
pub mod moderation;
pub mod multicategorical;
pub mod networks;
pub mod quality;
pub mod screening;
pub mod sensitivity;

use crate::format::and_list;
use crate::format::{bounded, number};
use crate::labels::label;
use kith_analysis::results::{CoefficientResult, FactorTest, Family, ModelResult, Results};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The note's sentence on the reference level of each factor (a model's or a mediation's
/// covariates): its dummies are differences from that level. Empty without factors.
pub fn reference_levels(results: &Results, levels: &BTreeMap<String, String>) -> String {
    if levels.is_empty() {
        return String::new();
    }
    let named: Vec<String> = levels
        .iter()
        .map(|(factor, level)| format!("{} ({level})", label(results, factor)))
        .collect();
    format!(
        ". Factors are dummy coded against their reference level: {}",
        and_list(&named)
    )
}

/// A coefficient's β as the report shows it: none for the intercept, none for a level of a
/// factor (`gender=Man`) and none for any other two-valued term (a 0/1 condition), whose
/// standardized slope has no meaning; the dummy's b is the difference between its two groups.
pub fn standardized(c: &CoefficientResult) -> Option<f64> {
    if c.term.contains('=') || c.two_valued {
        None
    } else {
        c.beta
    }
}

/// The fit of a logistic or Poisson model for its note: deviance, AIC, and the pseudo-R²s or
/// the dispersion.
pub fn glm_fit(model: &ModelResult) -> String {
    let mut fit = format!(
        ". Deviance = {} on {} df (null {}), AIC = {}",
        number(model.deviance.unwrap_or(f64::NAN), 2),
        model.df_residual.unwrap_or(0),
        number(model.null_deviance.unwrap_or(f64::NAN), 2),
        number(model.aic.unwrap_or(f64::NAN), 2)
    );
    if model.family == Family::Binomial {
        let _ = write!(
            fit,
            ", McFadden R² = {}, Nagelkerke R² = {}",
            bounded(model.mcfadden_r2.unwrap_or(f64::NAN), 3),
            bounded(model.nagelkerke_r2.unwrap_or(f64::NAN), 3)
        );
    } else {
        let _ = write!(
            fit,
            ", dispersion (Pearson χ²/df) = {}",
            number(model.dispersion.unwrap_or(f64::NAN), 2)
        );
    }
    fit
}

/// The note's sentence on the VIF column.
pub fn vif_note() -> &'static str {
    ". VIF: variance inflation factor, 1/(1 − R²) of the term's column on the model's other columns (above 5 to 10, the term's estimate is unstable for its overlap with the others)"
}

/// A factor's omnibus test as the text gives it: `F(2, 28) = 7.29, p = .003` or
/// `χ²(2) = 70.94, p < .001`.
pub fn factor_test_text(test: &FactorTest) -> String {
    let statistic = match (test.f, test.chi_square) {
        (Some(f), _) => format!(
            "F({}, {}) = {}",
            test.df1,
            test.df2.unwrap_or(0),
            number(f, 2)
        ),
        (None, Some(chi)) => format!("χ²({}) = {}", test.df1, number(chi, 2)),
        (None, None) => "no test".to_string(),
    };
    format!("{statistic}, p {}", crate::format::p_text(test.p))
}

/// The note's sentence on the omnibus test of each factor of three or more levels. Empty
/// without such factors.
pub fn factor_tests_note(results: &Results, model: &ModelResult) -> String {
    if model.factor_tests.is_empty() {
        return String::new();
    }
    let tests: Vec<String> = model
        .factor_tests
        .iter()
        .map(|test| {
            format!(
                "{} {}",
                label(results, &test.factor),
                factor_test_text(test)
            )
        })
        .collect();
    format!(
        ". Each factor of three or more levels as a whole ({}): {}",
        if model.family == Family::Gaussian {
            if model.robust {
                "Wald F with HC3 errors"
            } else {
                "F test of dropping it"
            }
        } else {
            "likelihood-ratio χ² of dropping it"
        },
        tests.join("; ")
    )
}

/// The overall F test of a linear model, `F(10, 540) = 9.21, p < .001`, for its note.
pub fn overall_f(model: &ModelResult) -> String {
    format!(
        "F({}, {}) = {}, p {}",
        model.df1.unwrap_or(0),
        model.df2.unwrap_or(0),
        number(model.f.unwrap_or(f64::NAN), 2),
        crate::format::p_text(model.p.unwrap_or(f64::NAN))
    )
}

/// The note's sentence on HC3 standard errors (`robust: true`).
pub const HC3_NOTE: &str = ". Standard errors are HC3 (heteroscedasticity-consistent)";

/// The kind of a model's regression, as a title names it: "linear regression" and so on.
pub fn regression(family: Family) -> &'static str {
    match family {
        Family::Binomial => "logistic regression",
        Family::Poisson => "Poisson regression",
        _ => "linear regression",
    }
}

/// A model's predictors by their labels, as a list with "and".
pub fn predictor_list(results: &Results, model: &ModelResult) -> String {
    crate::format::and_list(
        &model
            .predictors
            .iter()
            .map(|p| label(results, p).to_string())
            .collect::<Vec<_>>(),
    )
}

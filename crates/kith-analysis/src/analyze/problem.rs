//! Why an analysis could not be computed, in the words results.json and the report use.

use crate::linear::FitProblem;
use crate::results::NotComputed;

/// Why one analysis could not be computed.
#[derive(Debug, Clone)]
pub(super) struct AnalysisProblem {
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) hint: String,
}

impl AnalysisProblem {
    pub(super) fn from_fit(problem: FitProblem) -> Self {
        match problem {
            FitProblem::TooFewCases { n, parameters } => AnalysisProblem {
                code: "too-few-cases",
                message: format!("{n} complete cases are too few for {parameters} parameters"),
                hint: "collect more data or use fewer predictors; check which variables are missing most".to_string(),
            },
            FitProblem::Collinear { term, with } => AnalysisProblem {
                code: "collinear",
                message: if with.iter().all(|w| w == "(Intercept)") {
                    format!("`{term}` has no variance in the complete cases")
                } else {
                    format!(
                        "`{term}` is a linear combination of {} (perfect collinearity)",
                        with.iter()
                            .filter(|w| *w != "(Intercept)")
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                hint: "remove one of the redundant variables (e.g. a total score together with all its parts, or every level of a category)".to_string(),
            },
            FitProblem::ConstantOutcome => AnalysisProblem {
                code: "no-variance",
                message: "the outcome has the same value for every complete case".to_string(),
                hint: "an outcome without variance cannot be predicted".to_string(),
            },
            FitProblem::NotConverged { iterations } => AnalysisProblem {
                code: "not-converged",
                message: format!("the model did not converge in {iterations} iterations"),
                hint: "check for extreme values and for predictors on very different scales".to_string(),
            },
            FitProblem::UnstableBootstrap { failed, resamples } => AnalysisProblem {
                code: "unstable-bootstrap",
                message: format!(
                    "{failed} of {resamples} bootstrap resamples could not be estimated: in them a rare value did not occur, which left a variable constant"
                ),
                hint: "merge rare categories or drop the covariate that is almost constant; more cases help too".to_string(),
            },
            FitProblem::NoPredictorTerms { variables } => AnalysisProblem {
                code: "no-variance",
                message: format!(
                    "{} {} only one value in the model's complete cases",
                    variables.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                    if variables.len() == 1 { "has" } else { "have" }
                ),
                hint: "a predictor needs at least two values among the cases with no missing answer; check which variables are missing most".to_string(),
            },
            FitProblem::Separation { terms } => AnalysisProblem {
                code: "separation",
                message: if terms.is_empty() {
                    "the predictors separate the outcome's 0s from its 1s completely: fitted probabilities of 0 or 1, estimates without limit".to_string()
                } else {
                    format!(
                        "{} alone separate{} the outcome's 0s from its 1s completely: estimates without limit",
                        terms.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
                        if terms.len() == 1 { "s" } else { "" }
                    )
                },
                hint: "remove the separating predictor, merge rare categories, or collect more data; a penalized (Firth) model is not in kith yet".to_string(),
            },
        }
    }

    pub(super) fn at(self, analysis: String, description: String) -> NotComputed {
        NotComputed {
            analysis,
            description,
            code: self.code.to_string(),
            message: self.message,
            hint: self.hint,
        }
    }
}

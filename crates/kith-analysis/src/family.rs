//! The model family of a regression: the one name that plans, data sets and results use.

use crate::glm::GlmFamily;
use serde::{Deserialize, Serialize};

/// The family of a regression model, as a plan names it and results.json records it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Ordinary least squares.
    #[default]
    Gaussian,
    /// Logistic regression.
    Binomial,
    /// Poisson regression.
    Poisson,
}

impl Family {
    /// The family's name in plans and in results.json.
    pub fn name(self) -> &'static str {
        match self {
            Family::Gaussian => "gaussian",
            Family::Binomial => "binomial",
            Family::Poisson => "poisson",
        }
    }

    /// The generalized linear model that fits this family; none for OLS.
    pub fn glm(self) -> Option<GlmFamily> {
        match self {
            Family::Gaussian => None,
            Family::Binomial => Some(GlmFamily::Binomial),
            Family::Poisson => Some(GlmFamily::Poisson),
        }
    }

    /// Whether the model's coefficients are reported as ratios (odds or rate ratios).
    pub fn is_generalized(self) -> bool {
        self != Family::Gaussian
    }
}

//! Each analysis of a plan in a few words (`model of `salary``), as a not-computed entry and
//! a power analysis's list of analyses name it.

use super::{
    ComparisonSpec, MeasurementSpec, MediationSpec, ModelSpec, ModeratedMediationSpec,
    ModerationSpec,
};

pub fn model(spec: &ModelSpec) -> String {
    format!("model of `{}`", spec.outcome)
}

pub fn mediation(spec: &MediationSpec) -> String {
    format!(
        "mediation `{}` → `{}` → `{}`",
        spec.x,
        spec.m.to_vec().join("` + `"),
        spec.y
    )
}

pub fn comparison(spec: &ComparisonSpec) -> String {
    format!("comparison of `{}` by `{}`", spec.outcome, spec.group)
}

pub fn moderation(spec: &ModerationSpec) -> String {
    format!("moderation of `{}` → `{}` by `{}`", spec.x, spec.y, spec.w)
}

pub fn moderated_mediation(spec: &ModeratedMediationSpec) -> String {
    format!(
        "moderated mediation `{}` → `{}` → `{}` by `{}`",
        spec.x,
        spec.m.to_vec().join("` + `"),
        spec.y,
        spec.w
    )
}

pub fn measurement(spec: &MeasurementSpec) -> String {
    format!(
        "measurement model {}",
        spec.name.as_deref().unwrap_or("of the scores")
    )
}

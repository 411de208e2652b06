//! The checks of a plan against its data: every variable named exists and has what its
//! analysis needs (numbers, two levels, counts), and levels that look wrong are warned about.

use super::*;
use crate::compare::MAX_GROUPS;
use crate::dataset::{Dataset, Values};
use kith_instrument::diagnostic::{Diagnostic, DocPath, did_you_mean};

/// What an analysis needs of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// A number (correlations, mediation, importance, gaussian outcomes).
    Numeric,
    /// A number or a category (model predictors and controls, covariates, and the X of a
    /// mediation or moderation, which may be multicategorical).
    AnyPredictor,

    /// An outcome of a model of this family.
    Outcome(Family),
}

/// The family a model uses: the plan's, else the outcome's hint.
pub fn model_family(spec: &ModelSpec, dataset: &Dataset) -> Family {
    spec.family
        .unwrap_or_else(|| match dataset.get(&spec.outcome) {
            Some(variable) => match &variable.values {
                Values::Categorical { levels, .. } if levels.len() == 2 => Family::Binomial,
                _ => variable.family,
            },
            None => Family::Gaussian,
        })
}

/// Checks of the plan's variables against the data.
pub fn check_variables(plan: &Plan, source: &PlanSource, dataset: &Dataset) -> Vec<Diagnostic> {
    let root = DocPath::root();
    let mut out = Vec::new();
    let use_variable = |name: &str, path: DocPath, need: Need, out: &mut Vec<Diagnostic>| {
        let Some(variable) = dataset.get(name) else {
            let hint = match did_you_mean(name, dataset.names()) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!(
                    "the variables are the survey's scores and items and the data's columns: {}",
                    abbreviated(dataset.names().collect())
                ),
            };
            out.push(source.error(
                "unknown-variable",
                format!("no variable is named `{name}`"),
                &path,
                &hint,
            ));
            return;
        };
        let distinct = distinct_values(&variable.values, 3);
        if distinct == 0 {
            out.push(source.error(
                "no-values",
                format!("`{name}` has no values in the data"),
                &path,
                "every value of this variable is missing; check the column and the missing codes",
            ));
            return;
        }
        if distinct == 1 {
            out.push(source.error(
                "no-variance",
                format!("`{name}` has the same value for every case"),
                &path,
                "a variable without variance cannot be related to anything; remove it",
            ));
            return;
        }
        let categorical = matches!(variable.values, Values::Categorical { .. });
        if need == Need::AnyPredictor
            && let Values::Categorical { levels, .. } = &variable.values
        {
            out.extend(suspicious_levels(source, name, levels, &path));
        }
        match need {
            Need::Numeric if categorical => out.push(source.error(
                "categorical-variable",
                format!("`{name}` is categorical, but this analysis needs a number"),
                &path,
                "use it as a model predictor or control (it is dummy coded), or use a numeric variable",
            )),
            Need::Outcome(Family::Gaussian) if categorical => out.push(source.error(
                "categorical-outcome",
                format!("the outcome `{name}` is categorical"),
                &path,
                "a two-level outcome takes `family: binomial`",
            )),
            Need::Outcome(Family::Binomial) => {
                let two_values = match &variable.values {
                    Values::Categorical { .. } => distinct == 2,
                    Values::Numeric(v) => {
                        v.iter().filter(|x| !x.is_nan()).all(|&x| x == 0.0 || x == 1.0)
                    }
                };
                if !two_values {
                    out.push(source.error(
                        "not-binary",
                        format!(
                            "the binomial outcome `{name}` is not coded 0/1: it has {}",
                            if distinct > 2 {
                                "more than two different values"
                            } else {
                                "values other than 0 and 1"
                            }
                        ),
                        &path,
                        "a logistic model needs a yes/no outcome coded 0 and 1, or a category with two levels",
                    ));
                }
            }
            Need::Outcome(Family::Poisson) => {
                let counts = match &variable.values {
                    Values::Numeric(v) => v
                        .iter()
                        .filter(|x| !x.is_nan())
                        .find(|&&x| x < 0.0 || x.fract() != 0.0)
                        .copied(),
                    Values::Categorical { .. } => Some(f64::NAN),
                };
                if let Some(bad) = counts {
                    out.push(source.error(
                        "not-a-count",
                        format!("the poisson outcome `{name}` is not a count (it has the value {bad})"),
                        &path,
                        "a Poisson model needs whole numbers of 0 or more; use `family: gaussian` for other outcomes",
                    ));
                }
            }
            _ => {}
        }
    };
    for (i, name) in plan.descriptives.iter().enumerate() {
        use_variable(
            name,
            root.key("descriptives").index(i),
            Need::Numeric,
            &mut out,
        );
    }
    let single = matches!(plan.correlations, Some(Correlations::One(_)));
    for (index, spec) in plan.correlation_specs().iter().enumerate() {
        let path = if single {
            root.key("correlations")
        } else {
            root.key("correlations").index(index)
        };
        for (i, name) in spec.variables.iter().enumerate() {
            use_variable(
                name,
                path.key("variables").index(i),
                Need::Numeric,
                &mut out,
            );
        }
    }
    for (index, spec) in plan.models.iter().enumerate() {
        let path = root.key("models").index(index);
        let family = model_family(spec, dataset);
        use_variable(
            &spec.outcome,
            path.key("outcome"),
            Need::Outcome(family),
            &mut out,
        );
        for (key, names) in [
            ("predictors", &spec.predictors),
            ("controls", &spec.controls),
        ] {
            for (i, name) in names.iter().enumerate() {
                use_variable(name, path.key(key).index(i), Need::AnyPredictor, &mut out);
            }
        }
    }
    for (index, spec) in plan.mediation.iter().enumerate() {
        let path = root.key("mediation").index(index);
        use_variable(&spec.x, path.key("x"), Need::AnyPredictor, &mut out);
        let mut names: Vec<&str> = vec![spec.x.as_str(), spec.y.as_str()];
        let mediators = spec.m.to_vec();
        names.extend(mediators.iter().map(String::as_str));
        names.extend(spec.covariates.iter().map(String::as_str));
        out.extend(empty_levels(
            source,
            dataset,
            &spec.x,
            &names,
            &path.key("x"),
        ));
        use_variable(&spec.y, path.key("y"), Need::Numeric, &mut out);
        for (i, m) in spec.m.to_vec().iter().enumerate() {
            let m_path = match spec.m {
                OneOrMany::One(_) => path.key("m"),
                OneOrMany::Many(_) => path.key("m").index(i),
            };
            use_variable(m, m_path, Need::Numeric, &mut out);
        }
        for (i, name) in spec.covariates.iter().enumerate() {
            use_variable(
                name,
                path.key("covariates").index(i),
                Need::AnyPredictor,
                &mut out,
            );
        }
    }
    for (index, spec) in plan.importance.iter().enumerate() {
        let path = root.key("importance").index(index);
        use_variable(&spec.outcome, path.key("outcome"), Need::Numeric, &mut out);
        for (i, name) in spec.predictors.iter().enumerate() {
            use_variable(
                name,
                path.key("predictors").index(i),
                Need::Numeric,
                &mut out,
            );
        }
    }
    for (index, spec) in plan.moderation.iter().enumerate() {
        let path = root.key("moderation").index(index);
        use_variable(&spec.x, path.key("x"), Need::AnyPredictor, &mut out);
        use_variable(&spec.w, path.key("w"), Need::AnyPredictor, &mut out);
        use_variable(&spec.y, path.key("y"), Need::Numeric, &mut out);
        for (i, name) in spec.covariates.iter().enumerate() {
            use_variable(
                name,
                path.key("covariates").index(i),
                Need::AnyPredictor,
                &mut out,
            );
        }
        let factor = |name: &str| {
            matches!(
                dataset.get(name).map(|v| &v.values),
                Some(Values::Categorical { .. })
            )
        };
        if factor(&spec.x) && factor(&spec.w) {
            out.push(source.error(
                "two-factors",
                format!(
                    "both `{}` and the moderator `{}` are categorical",
                    spec.x, spec.w
                ),
                &path.key("x"),
                "kith moderates a multicategorical X by a numeric moderator, or a numeric X by a factor; make one of the two numeric (e.g. a two-level factor as 0/1)",
            ));
        } else if factor(&spec.x) {
            let role = format!("`{}`", spec.x);
            out.extend(factor_levels(
                source,
                spec,
                dataset,
                (&spec.x, &spec.w),
                &role,
                &path.key("x"),
            ));
        } else {
            let role = format!("the moderator `{}`", spec.w);
            out.extend(factor_levels(
                source,
                spec,
                dataset,
                (&spec.w, &spec.x),
                &role,
                &path.key("w"),
            ));
        }
    }
    for (index, spec) in plan.moderated_mediation.iter().enumerate() {
        let path = root.key("moderated_mediation").index(index);
        if matches!(
            dataset.get(&spec.x).map(|v| &v.values),
            Some(Values::Categorical { .. })
        ) {
            out.push(source.error(
                "categorical-x",
                format!(
                    "`{}` is categorical, but models 7 and 14 take a numeric X",
                    spec.x
                ),
                &path.key("x"),
                "a multicategorical X works in `mediation:` (relative indirect effects) and `moderation:`; for models 7 and 14 use a numeric X, or a 0/1 variable for two groups",
            ));
        } else {
            use_variable(&spec.x, path.key("x"), Need::Numeric, &mut out);
        }
        for (i, name) in spec.m.to_vec().iter().enumerate() {
            use_variable(name, path.key("m").index(i), Need::Numeric, &mut out);
        }
        use_variable(&spec.w, path.key("w"), Need::Numeric, &mut out);
        use_variable(&spec.y, path.key("y"), Need::Numeric, &mut out);
        for (i, name) in spec.covariates.iter().enumerate() {
            use_variable(
                name,
                path.key("covariates").index(i),
                Need::AnyPredictor,
                &mut out,
            );
        }
    }
    for (index, spec) in plan.comparisons.iter().enumerate() {
        let path = root.key("comparisons").index(index);
        use_variable(
            &spec.outcome,
            path.key("outcome"),
            Need::AnyPredictor,
            &mut out,
        );
        use_variable(&spec.group, path.key("group"), Need::AnyPredictor, &mut out);
        if let Some(variable) = dataset.get(&spec.group)
            && distinct_values(&variable.values, MAX_GROUPS + 1) > MAX_GROUPS
        {
            out.push(source.error(
                "too-many-groups",
                format!(
                    "`{}` has more than {MAX_GROUPS} different values to compare groups by",
                    spec.group
                ),
                &path.key("group"),
                "group by a categorical variable, or a number with a few values (a condition or a code)",
            ));
        }
    }
    if let Some(group) = &plan.report.group {
        use_variable(
            group,
            root.key("report").key("group"),
            Need::AnyPredictor,
            &mut out,
        );
        if matches!(
            dataset.get(group).map(|v| &v.values),
            Some(Values::Numeric(_))
        ) {
            out.push(source.error(
                "not-categorical",
                format!("`{group}` is numeric; distributions are split by a categorical variable"),
                &root.key("report").key("group"),
                "name a text column or a single-choice item",
            ));
        }
    }
    for (i, name) in plan.report.distributions.iter().flatten().enumerate() {
        use_variable(
            name,
            root.key("report").key("distributions").index(i),
            Need::Numeric,
            &mut out,
        );
    }
    for (i, spec) in plan.report.scatter.iter().enumerate() {
        let path = root.key("report").key("scatter").index(i);
        use_variable(&spec.x, path.key("x"), Need::Numeric, &mut out);
        use_variable(&spec.y, path.key("y"), Need::Numeric, &mut out);
    }
    for name in plan.labels.keys() {
        if dataset.get(name).is_none() {
            let hint = did_you_mean(name, dataset.names())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "label a variable of the data".to_string());
            out.push(source.error(
                "unknown-variable",
                format!("no variable is named `{name}`"),
                &root.key("labels").key(name),
                &hint,
            ));
        }
    }
    for (name, factor) in &plan.factors {
        let path = root.key("factors").key(name);
        match dataset.get(name).map(|v| &v.values) {
            None => {
                let hint = did_you_mean(name, dataset.names())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "name a categorical variable of the data".to_string());
                out.push(source.error(
                    "unknown-variable",
                    format!("no variable is named `{name}`"),
                    &path,
                    &hint,
                ));
            }
            // Codes with `levels` that could not be made levels were reported already.
            Some(Values::Numeric(_)) if !factor.levels.is_empty() => {}
            Some(Values::Numeric(_)) => out.push(source.error(
                "not-categorical",
                format!("`{name}` is numeric, so it has no reference level"),
                &path,
                &format!("to treat its codes as levels, name them: `{name}: {{levels: {{0: control, 1: treatment}}, reference: 0}}`"),
            )),
            Some(Values::Categorical { levels, .. }) => {
                let Some(reference) = factor.reference_level() else {
                    continue;
                };
                if !levels.contains(&reference) {
                    let hint = match did_you_mean(&reference, levels.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the levels are: {}", levels.join(", ")),
                    };
                    out.push(source.error(
                        "unknown-level",
                        format!("`{reference}` is not a level of `{name}`"),
                        &path.key("reference"),
                        &hint,
                    ));
                }
            }
        }
    }
    out
}

/// A categorical predictor with more levels than this is probably a number read as text or an
/// id; it would enter a model as that many dummy variables less one.
pub const MANY_LEVELS: usize = 20;

/// Whether a level reads as a number, also with a decimal comma (`72,5`).
fn looks_numeric(level: &str) -> bool {
    let text = level.trim().replacen(',', ".", 1);
    text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Warnings for a categorical predictor whose levels look like numbers, or that has so many
/// levels that it is probably not meant as a category.
fn suspicious_levels(
    source: &PlanSource,
    name: &str,
    levels: &[String],
    path: &DocPath,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text: Vec<&str> = levels
        .iter()
        .map(String::as_str)
        .filter(|level| !looks_numeric(level))
        .collect();
    let numeric = levels.len() - text.len();
    if numeric >= 3 && text.len() <= 2 {
        let message = if text.is_empty() {
            format!("the categorical predictor `{name}` has levels that all look like numbers")
        } else {
            format!(
                "the categorical predictor `{name}` has {numeric} levels that look like numbers and the text {}",
                text.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        out.push(source.warning(
            "numeric-levels",
            message,
            path,
            "one cell that is not a number (a decimal comma, a marker such as `n/a`) makes the whole column text; write decimals with a point and leave missing answers empty or `NA`",
        ));
    } else if levels.len() > MANY_LEVELS {
        out.push(source.warning(
            "many-levels",
            format!(
                "the categorical predictor `{name}` has {} levels, so it enters the model as {} dummy variables",
                levels.len(),
                levels.len() - 1
            ),
            path,
            "if it is a number, correct the cells that are not numbers; if it is an id, leave it out of the model",
        ));
    }
    out
}

/// The number of distinct present values, counted up to `limit` (the checks only need to
/// know whether there are none, one, two or more; sorting a million values to count them all
/// would cost more than the analysis).
fn distinct_values(values: &Values, limit: usize) -> usize {
    let mut seen: Vec<f64> = Vec::with_capacity(limit);
    let present: Box<dyn Iterator<Item = f64>> = match values {
        Values::Numeric(v) => Box::new(v.iter().copied().filter(|x| !x.is_nan())),
        Values::Categorical { codes, .. } => {
            Box::new(codes.iter().flatten().map(|&c| f64::from(c)))
        }
    };
    for value in present {
        if !seen.contains(&value) {
            seen.push(value);
            if seen.len() >= limit {
                break;
            }
        }
    }
    seen.len()
}

fn abbreviated(names: Vec<&str>) -> String {
    if names.len() <= 12 {
        names.join(", ")
    } else {
        format!("{}, … ({} in all)", names[..12].join(", "), names.len())
    }
}

/// A multicategorical X's levels without complete cases among `names` (a mediation's
/// variables): the analysis would leave such a level out, but a plan that names it expects it.
fn empty_levels(
    source: &PlanSource,
    dataset: &Dataset,
    factor: &str,
    names: &[&str],
    path: &DocPath,
) -> Vec<Diagnostic> {
    let Some(Values::Categorical { codes, levels }) = dataset.get(factor).map(|v| &v.values) else {
        return Vec::new();
    };
    let rows = crate::dataset::complete_rows(dataset, names);
    levels
        .iter()
        .enumerate()
        .filter(|(code, _)| !rows.iter().any(|&r| codes[r] == Some(*code as u32)))
        .map(|(_, level)| {
            source.error(
                "empty-level",
                format!("the level `{level}` of `{factor}` has no complete cases"),
                path,
                &format!(
                    "a level without cases has no effect to estimate; leave the level out of `factors: {factor}: levels:`"
                ),
            )
        })
        .collect()
}

/// The levels of a factor in a moderation (the moderator W, or a multicategorical X) against
/// the other, numeric variable: a level without complete cases, or one whose cases share one
/// value of the other variable (its slope there cannot be estimated). `factor_role` names the
/// factor in messages ("the moderator `team`", "`condition`").
fn factor_levels(
    source: &PlanSource,
    spec: &ModerationSpec,
    dataset: &Dataset,
    (factor, numeric): (&str, &str),
    factor_role: &str,
    path: &DocPath,
) -> Vec<Diagnostic> {
    let Some(Values::Categorical { codes, levels }) = dataset.get(factor).map(|v| &v.values) else {
        return Vec::new();
    };
    let Some(Values::Numeric(other)) = dataset.get(numeric).map(|v| &v.values) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = vec![spec.x.as_str(), spec.w.as_str(), spec.y.as_str()];
    names.extend(spec.covariates.iter().map(String::as_str));
    let rows = crate::dataset::complete_rows(dataset, &names);
    let mut out = Vec::new();
    for (code, level) in levels.iter().enumerate() {
        let within: Vec<f64> = rows
            .iter()
            .filter(|&&r| codes[r] == Some(code as u32))
            .map(|&r| other[r])
            .collect();
        if within.is_empty() {
            out.push(source.error(
                "empty-level",
                format!("the level `{level}` of {factor_role} has no complete cases"),
                path,
                &if factor == spec.w {
                    format!(
                        "the effect of `{numeric}` cannot be estimated in a level without cases; leave the level out of `factors: {factor}: levels:` or choose another moderator"
                    )
                } else {
                    format!(
                        "a level without cases has no effect to estimate; leave the level out of `factors: {factor}: levels:`"
                    )
                },
            ));
        } else if within.iter().all(|v| *v == within[0]) {
            out.push(source.error(
                "level-without-slope",
                format!(
                    "`{numeric}` has the same value in the {} case(s) of the level `{level}` of {factor_role}",
                    within.len()
                ),
                path,
                &format!(
                    "the effect of `{numeric}` within a level needs two or more of its values there; merge the level with another"
                ),
            ));
        }
    }
    out
}

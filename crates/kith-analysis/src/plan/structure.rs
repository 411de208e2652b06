//! The structure checks of a plan, before any data is read: names, counts, levels and
//! bootstraps that no data set could make valid.

use super::*;
use crate::importance::MAX_DOMINANCE_PREDICTORS;
use crate::results::Section;
use kith_instrument::diagnostic::{Diagnostic, DocPath, did_you_mean};

fn duplicates(names: &[String]) -> Vec<(usize, &str)> {
    names
        .iter()
        .enumerate()
        .filter(|(i, n)| names[..*i].contains(n))
        .map(|(i, n)| (i, n.as_str()))
        .collect()
}

/// Checks of the plan on its own: no data needed.
pub fn check_structure(plan: &Plan, source: &PlanSource) -> Vec<Diagnostic> {
    let root = DocPath::root();
    let mut out = Vec::new();
    if plan.data.to_vec().is_empty() {
        out.push(source.error(
            "no-data",
            "the plan names no data file".to_string(),
            &root.key("data"),
            "name the response file, e.g. `data: example/responses.csv`",
        ));
    }
    if let (Some(id), true) = (&plan.id, plan.row_ids) {
        out.push(source.error(
            "id-and-row-ids",
            format!("the plan names the id column `{id}` and also asks for row numbers as ids"),
            &root.key("row_ids"),
            "keep `id:` when the data have an id column; use `row_ids: true` only for data without one",
        ));
    }
    if let Some(level) = plan.level
        && !(level > 0.0 && level < 1.0)
    {
        out.push(source.error(
            "bad-level",
            format!("the confidence level {level} is not between 0 and 1"),
            &root.key("level"),
            "write it as a proportion, e.g. `level: 0.95`",
        ));
    }
    let correlations_path = match plan.correlations {
        Some(Correlations::One(_)) => None,
        _ => Some(()),
    };
    for (index, spec) in plan.correlation_specs().iter().enumerate() {
        let path = match correlations_path {
            None => root.key("correlations"),
            Some(()) => root.key("correlations").index(index),
        };
        if spec.variables.len() < 2 {
            out.push(source.error(
                "too-few-variables",
                "a correlation table needs at least two variables".to_string(),
                &path.key("variables"),
                "list the variables to correlate",
            ));
        }
        for (i, name) in duplicates(&spec.variables) {
            out.push(source.error(
                "duplicate-variable",
                format!("`{name}` is listed twice"),
                &path.key("variables").index(i),
                "list each variable once",
            ));
        }
    }
    for (index, section) in plan.report.sections.iter().flatten().enumerate() {
        if Section::from_name(section).is_none() {
            let names = Section::ALL.map(Section::name);
            let hint = match did_you_mean(section, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the sections are: {}", names.join(", ")),
            };
            out.push(source.error(
                "unknown-section",
                format!("the report has no section `{section}`"),
                &root.key("report").key("sections").index(index),
                &hint,
            ));
        }
    }
    if plan
        .report
        .dpi
        .is_some_and(|dpi| !(48..=1200).contains(&dpi))
    {
        out.push(source.error(
            "bad-dpi",
            "the dpi must be between 48 and 1200".to_string(),
            &root.key("report").key("dpi"),
            "150 suits screens, 300 print",
        ));
    }
    for (index, model) in plan.models.iter().enumerate() {
        let path = root.key("models").index(index);
        if model.predictors.is_empty() {
            out.push(source.error(
                "no-predictors",
                format!("the model of `{}` has no predictors", model.outcome),
                &path.key("predictors"),
                "list the predictors whose effects the model tests",
            ));
        }
        for (key, names) in [
            ("predictors", &model.predictors),
            ("controls", &model.controls),
        ] {
            for (i, name) in names.iter().enumerate() {
                if *name == model.outcome {
                    out.push(source.error(
                        "outcome-as-predictor",
                        format!("the outcome `{name}` is also one of the {key}"),
                        &path.key(key).index(i),
                        "a variable cannot predict itself; remove it from the list",
                    ));
                }
            }
            for (i, name) in duplicates(names) {
                out.push(source.error(
                    "duplicate-variable",
                    format!("`{name}` is listed twice in {key}"),
                    &path.key(key).index(i),
                    "list each variable once",
                ));
            }
        }
        for (i, name) in model.controls.iter().enumerate() {
            if model.predictors.contains(name) {
                out.push(source.error(
                    "control-as-predictor",
                    format!("`{name}` is both a control and a predictor"),
                    &path.key("controls").index(i),
                    "controls enter in the first block and predictors in the second: keep it in one",
                ));
            }
        }
        if model.robust && model.family.is_some_and(|f| f != Family::Gaussian) {
            out.push(source.error(
                "robust-glm",
                "HC3 robust standard errors are for gaussian (OLS) models".to_string(),
                &path.key("robust"),
                "remove `robust: true` or use `family: gaussian`",
            ));
        }
    }
    for (index, spec) in plan.mediation.iter().enumerate() {
        let path = root.key("mediation").index(index);
        let mediators = spec.m.to_vec();
        if spec.x == spec.y {
            out.push(source.error(
                "x-equals-y",
                format!("x and y are the same variable `{}`", spec.x),
                &path.key("y"),
                "y is the outcome that x affects through m",
            ));
        }
        if mediators.is_empty() {
            out.push(source.error(
                "no-mediator",
                "the mediation names no mediator".to_string(),
                &path.key("m"),
                "name the mediator, or a list of parallel mediators",
            ));
        }
        for (i, m) in mediators.iter().enumerate() {
            let m_path = match spec.m {
                OneOrMany::One(_) => path.key("m"),
                OneOrMany::Many(_) => path.key("m").index(i),
            };
            if *m == spec.x || *m == spec.y {
                let role = if *m == spec.x { "x" } else { "y" };
                out.push(source.error(
                    "mediator-is-x-or-y",
                    format!("the mediator `{m}` is also {role}"),
                    &m_path,
                    "a mediator lies between x and y: it must be a third variable",
                ));
            }
        }
        for (i, m) in duplicates(&mediators) {
            out.push(source.error(
                "duplicate-variable",
                format!("the mediator `{m}` is listed twice"),
                &path.key("m").index(i),
                "list each mediator once",
            ));
        }
        for (i, c) in spec.covariates.iter().enumerate() {
            if *c == spec.x || *c == spec.y || mediators.contains(c) {
                out.push(source.error(
                    "covariate-in-model",
                    format!("the covariate `{c}` is already x, y or a mediator"),
                    &path.key("covariates").index(i),
                    "covariates are other variables held constant",
                ));
            }
        }
        check_resamples(source, &mut out, spec.bootstrap, &path);
    }
    for (index, spec) in plan.moderation.iter().enumerate() {
        let path = root.key("moderation").index(index);
        if spec.w == spec.x || spec.w == spec.y || spec.x == spec.y {
            out.push(source.error(
                "moderator-in-model",
                format!(
                    "`{}`, `{}` and `{}` must be three different variables",
                    spec.x, spec.w, spec.y
                ),
                &path.key("w"),
                "a moderator is a third variable: its product with x would repeat x itself",
            ));
        }
    }
    for (index, spec) in plan.moderated_mediation.iter().enumerate() {
        let path = root.key("moderated_mediation").index(index);
        if spec.process_model().is_none() {
            out.push(source.error(
                "unknown-process-model",
                format!("PROCESS model {} is not one kith fits", spec.model),
                &path.key("model"),
                "use 7 (w moderates x → m) or 14 (w moderates m → y); model 4 is `mediation`, model 1 `moderation`",
            ));
        }
        let mediators = spec.m.to_vec();
        if spec.w == spec.x || spec.w == spec.y || mediators.contains(&spec.w) {
            out.push(source.error(
                "moderator-in-model",
                format!("the moderator `{}` is already x, y or a mediator", spec.w),
                &path.key("w"),
                "a moderator is a variable of its own",
            ));
        }
        check_resamples(source, &mut out, spec.bootstrap, &path);
    }
    for (index, spec) in plan.importance.iter().enumerate() {
        let path = root.key("importance").index(index);
        if spec.predictors.len() < 2 {
            out.push(source.error(
                "too-few-predictors",
                "relative importance needs at least two predictors".to_string(),
                &path.key("predictors"),
                "list the correlated predictors to compare",
            ));
        }
        if spec.method == ImportanceMethod::Dominance
            && spec.predictors.len() > MAX_DOMINANCE_PREDICTORS
        {
            out.push(source.error(
                "too-many-predictors",
                format!(
                    "dominance analysis fits all 2^p subsets; {} predictors are more than {MAX_DOMINANCE_PREDICTORS}",
                    spec.predictors.len()
                ),
                &path.key("predictors"),
                "use `method: relative_weights`, which scales to many predictors",
            ));
        }
        for (i, name) in spec.predictors.iter().enumerate() {
            if *name == spec.outcome {
                out.push(source.error(
                    "outcome-as-predictor",
                    format!("the outcome `{name}` is also one of the predictors"),
                    &path.key("predictors").index(i),
                    "a variable cannot predict itself; remove it from the list",
                ));
            }
        }
        for (i, name) in duplicates(&spec.predictors) {
            out.push(source.error(
                "duplicate-variable",
                format!("`{name}` is listed twice"),
                &path.key("predictors").index(i),
                "list each variable once",
            ));
        }
        check_resamples(source, &mut out, spec.bootstrap, &path);
    }
    out
}

fn check_resamples(
    source: &PlanSource,
    out: &mut Vec<Diagnostic>,
    bootstrap: Option<usize>,
    path: &DocPath,
) {
    match bootstrap {
        Some(b) if b > MAX_RESAMPLES => out.push(source.error(
            "too-many-resamples",
            format!("{b} bootstrap resamples are more than kith runs (at most {MAX_RESAMPLES})"),
            &path.key("bootstrap"),
            "5000 give stable 95% limits (PROCESS's default); 10000 to 50000 for a stable third decimal",
        )),
        Some(b) if b < MIN_RESAMPLES => out.push(source.error(
            "too-few-resamples",
            format!("{b} bootstrap resamples are too few for an interval"),
            &path.key("bootstrap"),
            "use at least 1000 (PROCESS uses 5000)",
        )),
        Some(b) if b < 1000 => out.push(source.warning(
            "few-resamples",
            format!("{b} bootstrap resamples give unstable interval limits"),
            &path.key("bootstrap"),
            "use at least 1000 (PROCESS uses 5000)",
        )),
        _ => {}
    }
}

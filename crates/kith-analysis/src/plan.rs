//! Analysis plans: the YAML file in which a researcher pre-registers the analyses, its model,
//! and the checks that find a bad plan before any number is computed (each with its file,
//! line, column, offending value and a hint).

use crate::bootstrap::IntervalMethod;
use crate::dataset::{Dataset, Values};
use crate::describe::{Adjustment, CorrelationMethod, Deletion};
pub use crate::family::Family;
use crate::importance::ImportanceMethod;
use crate::importance::MAX_DOMINANCE_PREDICTORS;
use crate::results::Section;
use kith_instrument::diagnostic::{Diagnostic, DocPath, Severity, Span, did_you_mean};
use kith_instrument::document::node_at;
use kith_instrument::located::{self, Node};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The seed used when a plan names none, so that every run of a plan is reproducible.
pub const DEFAULT_SEED: u64 = 20160;
/// PROCESS's default number of bootstrap resamples.
pub const DEFAULT_RESAMPLES: usize = 5000;
/// Resamples for the intervals of importance weights.
pub const DEFAULT_IMPORTANCE_RESAMPLES: usize = 2000;
/// Fewer resamples than this cannot place a 95% percentile interval sensibly.
pub const MIN_RESAMPLES: usize = 200;
/// The most bootstrap resamples a plan may ask for: twenty times PROCESS's default, enough for
/// the third decimal of any interval limit, and a run of minutes rather than days.
pub const MAX_RESAMPLES: usize = 100_000;

/// One name or a list of names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }
}

/// How a categorical variable is dummy coded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// The level the others are compared with (default: the first level).
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrelationSpec {
    #[serde(default)]
    pub name: Option<String>,
    pub variables: Vec<String>,
    #[serde(default)]
    pub method: CorrelationMethod,
    #[serde(default)]
    pub adjust: Adjustment,
    #[serde(default)]
    pub missing: Deletion,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Correlations {
    One(CorrelationSpec),
    Many(Vec<CorrelationSpec>),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// A heading for the report.
    #[serde(default)]
    pub name: Option<String>,
    /// The research question this model answers, quoted in the report.
    #[serde(default)]
    pub question: Option<String>,
    pub outcome: String,
    pub predictors: Vec<String>,
    #[serde(default)]
    pub controls: Vec<String>,
    /// When absent, it follows from the outcome's response scale or data.
    #[serde(default)]
    pub family: Option<Family>,
    /// HC3 heteroscedasticity-consistent standard errors (OLS only).
    #[serde(default)]
    pub robust: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediationSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub x: String,
    pub m: OneOrMany,
    pub y: String,
    #[serde(default)]
    pub covariates: Vec<String>,
    #[serde(default)]
    pub bootstrap: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub ci: IntervalMethod,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportanceSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub question: Option<String>,
    pub outcome: String,
    pub predictors: Vec<String>,
    #[serde(default)]
    pub method: ImportanceMethod,
    #[serde(default)]
    pub bootstrap: Option<usize>,
    #[serde(default)]
    pub seed: Option<u64>,
}

/// A scatter plot the report should show.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScatterSpec {
    pub x: String,
    pub y: String,
}

/// What the report shows; every key optional.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    /// The sections, in the report's order (default: every `Section`, in its order).
    #[serde(default)]
    pub sections: Option<Vec<String>>,
    /// Split score distributions by this categorical variable (box plots per group).
    #[serde(default)]
    pub group: Option<String>,
    /// The variables whose distributions are drawn (default: the descriptives that are scores).
    #[serde(default)]
    pub distributions: Option<Vec<String>>,
    /// Scatter plots of a predictor against an outcome.
    #[serde(default)]
    pub scatter: Vec<ScatterSpec>,
    /// The resolution of the PNG charts beside report.md (default 150).
    #[serde(default)]
    pub dpi: Option<u32>,
}

/// An analysis plan.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// `plan`; optional, as a file with a `data` key is a plan.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The data file or files (stacked), relative to the plan.
    pub data: OneOrMany,
    /// A survey or instrument whose scores (and items) become variables.
    #[serde(default)]
    pub survey: Option<String>,
    /// The id column of the data.
    #[serde(default)]
    pub id: Option<String>,
    /// Values that mean "missing" in every column.
    #[serde(default)]
    pub missing_codes: Vec<f64>,
    /// The confidence level of every interval (default .95).
    #[serde(default)]
    pub level: Option<f64>,
    /// The seed of every bootstrap that names none.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub factors: BTreeMap<String, Factor>,
    /// Readable names for variables in the report (scores have their labels already).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub descriptives: Vec<String>,
    #[serde(default)]
    pub correlations: Option<Correlations>,
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    #[serde(default)]
    pub mediation: Vec<MediationSpec>,
    #[serde(default)]
    pub importance: Vec<ImportanceSpec>,
    /// What the report shows.
    #[serde(default)]
    pub report: ReportSpec,
}

impl Plan {
    pub fn level(&self) -> f64 {
        self.level.unwrap_or(0.95)
    }

    pub fn seed(&self) -> u64 {
        self.seed.unwrap_or(DEFAULT_SEED)
    }

    /// The plan as `kith check` fits it: every bootstrap draws the fewest resamples kith
    /// accepts. An analysis that bootstraps sets its count here, so that `check` stays quick.
    pub fn for_trial(&self) -> Plan {
        let mut trial = self.clone();
        for spec in &mut trial.mediation {
            spec.bootstrap = Some(MIN_RESAMPLES);
        }
        for spec in &mut trial.importance {
            spec.bootstrap = Some(MIN_RESAMPLES);
        }
        trial
    }

    pub fn correlation_specs(&self) -> Vec<CorrelationSpec> {
        match &self.correlations {
            None => Vec::new(),
            Some(Correlations::One(one)) => vec![one.clone()],
            Some(Correlations::Many(many)) => many.clone(),
        }
    }
}

/// The plan's text and its located tree, for placing diagnostics.
#[derive(Debug, Clone)]
pub struct PlanSource {
    pub name: String,
    root: Option<Node>,
}

impl PlanSource {
    /// A diagnostic at a path of the plan, placed at the nearest node that exists.
    pub fn diagnostic(
        &self,
        severity: Severity,
        code: &'static str,
        message: String,
        path: &DocPath,
        hint: Option<String>,
    ) -> Diagnostic {
        let (span, value) = match &self.root {
            Some(root) => {
                let mut probe = path.clone();
                loop {
                    if let Some(node) = node_at(root, &probe) {
                        let value = (probe == *path)
                            .then(|| node.as_text().map(str::to_string))
                            .flatten();
                        break (node.span, value);
                    }
                    match probe.parent() {
                        Some(parent) => probe = parent,
                        None => break (root.span, None),
                    }
                }
            }
            None => (Span { line: 1, column: 1 }, None),
        };
        Diagnostic {
            severity,
            code,
            message,
            file: self.name.clone(),
            line: span.line,
            column: span.column,
            path: path.to_string(),
            value,
            hint,
        }
    }

    fn error(&self, code: &'static str, message: String, path: &DocPath, hint: &str) -> Diagnostic {
        let hint = (!hint.is_empty()).then(|| hint.to_string());
        self.diagnostic(Severity::Error, code, message, path, hint)
    }

    fn warning(
        &self,
        code: &'static str,
        message: String,
        path: &DocPath,
        hint: &str,
    ) -> Diagnostic {
        let hint = (!hint.is_empty()).then(|| hint.to_string());
        self.diagnostic(Severity::Warning, code, message, path, hint)
    }
}

/// Whether a YAML text is an analysis plan: `kind: plan`, or no kind and a `data` key.
///
/// The located tree decides, not serde: a value serde cannot read (a seed of 2^64) must not
/// turn a plan into an instrument with a misleading message.
pub fn looks_like_plan(text: &str) -> bool {
    let Ok(Some(root)) = located::parse(text) else {
        // A plan with a YAML error is still reported as a plan when it says so.
        return text.lines().any(|line| line.trim() == "kind: plan");
    };
    match root.get("kind").map(|kind| &kind.value) {
        Some(located::NodeValue::Scalar(kind)) => kind.text == "plan",
        Some(_) => false,
        None => root.get("data").is_some(),
    }
}

/// serde's wording of a type mismatch, in the words of kith's messages.
fn plain_words(message: &str) -> String {
    const TYPES: [(&str, &str); 7] = [
        (" as u128", ""),
        (
            "expected u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        ("expected usize", "expected a whole number of 0 or more"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected f64", "expected a number"),
        (
            "expected a sequence",
            "expected a list (`[a, b]` or lines starting with `- `)",
        ),
        ("expected a map", "expected a map (`key: value` lines)"),
    ];
    let mut out = message.to_string();
    for (serde, plain) in TYPES {
        out = out.replace(serde, plain);
    }
    out
}

/// Parses a plan; syntax and shape errors come back as diagnostics.
pub fn parse_plan(name: &str, text: &str) -> Result<(Plan, PlanSource), Vec<Diagnostic>> {
    let root = match located::parse(text) {
        Ok(root) => root,
        Err(errors) => {
            return Err(errors
                .into_iter()
                .map(|e| Diagnostic {
                    severity: Severity::Error,
                    code: if e.code == "alias-limit" || e.code == "nesting-limit" {
                        e.code
                    } else {
                        "yaml-syntax"
                    },
                    hint: Some(if e.code == "alias-limit" || e.code == "nesting-limit" {
                        e.hint().to_string()
                    } else {
                        "fix the YAML syntax; indentation must use spaces".to_string()
                    }),
                    message: e.message.clone(),
                    file: name.to_string(),
                    line: e.span.line,
                    column: e.span.column,
                    path: DocPath::root().to_string(),
                    value: None,
                })
                .collect());
        }
    };
    let source = PlanSource {
        name: name.to_string(),
        root,
    };
    match serde_yaml::from_str::<Plan>(text) {
        Ok(plan) => {
            if let Some(kind) = plan.kind.as_deref().filter(|k| *k != "plan") {
                return Err(vec![source.error(
                    "wrong-kind",
                    format!("`kind: {kind}` is not an analysis plan"),
                    &DocPath::root().key("kind"),
                    "an analysis plan has `kind: plan` (or no kind)",
                )]);
            }
            Ok((plan, source))
        }
        Err(error) => {
            let span = error
                .location()
                .map(|l| Span {
                    line: l.line(),
                    column: l.column(),
                })
                .unwrap_or(Span { line: 1, column: 1 });
            let message = error.to_string();
            let message = plain_words(message.split(" at line ").next().unwrap_or(&message));
            Err(vec![Diagnostic {
                severity: Severity::Error,
                code: "invalid-plan",
                message,
                file: name.to_string(),
                line: span.line,
                column: span.column,
                path: DocPath::root().to_string(),
                value: None,
                hint: Some(
                    "see docs/analysis.md for the keys of a plan and what each takes".to_string(),
                ),
            }])
        }
    }
}

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

/// What an analysis needs of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// A number (correlations, mediation, importance, gaussian outcomes).
    Numeric,
    /// A number or a category (model predictors and controls, mediation covariates).
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
        use_variable(&spec.x, path.key("x"), Need::Numeric, &mut out);
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
            Some(Values::Numeric(_)) => out.push(source.error(
                "not-categorical",
                format!("`{name}` is numeric, so it has no reference level"),
                &path,
                "only categorical variables (text columns or single-choice items) are dummy coded",
            )),
            Some(Values::Categorical { levels, .. }) => {
                if !levels.contains(&factor.reference) {
                    let hint =
                        match did_you_mean(&factor.reference, levels.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the levels are: {}", levels.join(", ")),
                        };
                    out.push(source.error(
                        "unknown-level",
                        format!("`{}` is not a level of `{name}`", factor.reference),
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

//! Simulated respondents from a population model: correlated latent constructs, item answers
//! from loadings and thresholds on each item's own scale, outcomes from regression paths,
//! missing answers and careless respondents. The default model (default-model.yaml) encodes the
//! directions reported in the research on networking motives, as documented assumptions.

use crate::bootstrap::resample_rng;
use kith_instrument::form::{Form, FormItem};
use kith_instrument::model::ResponseScale;
use nalgebra::DMatrix;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The model behind `kith simulate` when no `--model` is given.
pub const DEFAULT_MODEL: &str = include_str!("default-model.yaml");

/// Answers of a latent-response item fall in category k when y* lies between the normal
/// quantiles of (k−1)/K and k/K stretched by this factor: middle answers come out more often
/// than extreme ones, as they do in most Likert data.
const THRESHOLD_STRETCH: f64 = 1.3;
/// The smallest residual variance an endogenous construct gets.
const MIN_RESIDUAL_VARIANCE: f64 = 0.1;

fn default_loading() -> f64 {
    0.7
}

/// A latent construct (standard normal unless it has paths).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Construct {
    pub id: String,
    /// The survey score whose items measure it.
    #[serde(default)]
    pub score: Option<String>,
    /// The loading of each of the score's items.
    #[serde(default = "default_loading")]
    pub loading: f64,
    /// Shifts every item's latent response: positive values move answers up the scale.
    #[serde(default)]
    pub shift: f64,
    /// Regression paths from other constructs or outcomes.
    #[serde(default)]
    pub paths: BTreeMap<String, f64>,
}

/// How an outcome item's values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeFamily {
    /// A count: Poisson with log-mean intercept + paths.
    Poisson,
    /// Yes/no: Bernoulli with logit intercept + paths.
    Binomial,
    /// exp(intercept + paths + sd·ε): amounts such as salaries.
    Lognormal,
    /// intercept + paths + sd·ε.
    Normal,
    /// A single rating item: a standardized latent response cut at the scale's thresholds.
    Ordinal,
    /// One of a single-choice item's options, with the given probabilities.
    Categorical,
}

/// A single item drawn from regression paths.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub item: String,
    pub family: OutcomeFamily,
    #[serde(default)]
    pub intercept: f64,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub paths: BTreeMap<String, f64>,
    /// For `categorical`: one probability per option, in the scale's order.
    #[serde(default)]
    pub probabilities: Vec<f64>,
}

/// Shares of careless respondents.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Careless {
    /// Give the same answer position to every rating item.
    #[serde(default)]
    pub straight_liners: f64,
    /// Answer every rating item at random.
    #[serde(default)]
    pub random: f64,
}

/// A population model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationModel {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub constructs: Vec<Construct>,
    /// Correlations among constructs without paths; unnamed pairs are uncorrelated.
    #[serde(default)]
    pub correlations: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
    /// The share of answers left empty, completely at random (required items excepted).
    #[serde(default)]
    pub missing: f64,
    #[serde(default)]
    pub careless: Careless,
}

/// Why a model cannot be simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ModelError {
    pub message: String,
    pub hint: String,
}

fn model_error(message: String, hint: &str) -> ModelError {
    ModelError {
        message,
        hint: hint.to_string(),
    }
}

/// Parses a model file.
pub fn parse_model(text: &str) -> Result<PopulationModel, ModelError> {
    // The located parse refuses alias bombs and runaway nesting in kith's own words before
    // serde_yaml expands anything.
    if let Err(errors) = kith_instrument::located::parse(text)
        && let Some(error) = errors.first()
    {
        return Err(model_error(
            format!("line {}: {}", error.span.line, error.message),
            error.hint(),
        ));
    }
    let model: PopulationModel = serde_yaml::from_str(text).map_err(|e| {
        model_error(
            e.to_string(),
            "see docs/simulate.md for the keys of a population model",
        )
    })?;
    if let Some(kind) = model.kind.as_deref().filter(|k| *k != "population-model") {
        return Err(model_error(
            format!("`kind: {kind}` is not a population model"),
            "a model file has `kind: population-model`",
        ));
    }
    Ok(model)
}

/// The simulated data: one row per respondent.
#[derive(Debug, Clone)]
pub struct SimulatedData {
    pub ids: Vec<String>,
    /// Columns in codebook order; NaN is a missing answer.
    pub columns: Vec<(String, Vec<f64>)>,
    /// Items the model did not cover, drawn independently of everything else.
    pub independent_items: Vec<String>,
    /// Which respondents were simulated as careless (0 attentive, 1 straight-liner, 2 random).
    pub careless: Vec<u8>,
}

/// A node of the model, drawn in dependency order.
#[derive(Debug, Clone)]
enum Node<'a> {
    Construct(&'a Construct),
    Outcome(&'a Outcome),
}

impl Node<'_> {
    fn id(&self) -> &str {
        match self {
            Node::Construct(c) => &c.id,
            Node::Outcome(o) => &o.item,
        }
    }

    fn paths(&self) -> &BTreeMap<String, f64> {
        match self {
            Node::Construct(c) => &c.paths,
            Node::Outcome(o) => &o.paths,
        }
    }
}

/// Drops, from the default model, what the survey does not have (a construct whose score is
/// absent, an outcome whose item is absent, and paths from them), so that the default model
/// runs with any survey.
pub fn fit_model_to_form(model: &PopulationModel, form: &Form) -> PopulationModel {
    let score_ids: Vec<&str> = form.scores().map(|s| s.id.as_str()).collect();
    let mut out = model.clone();
    out.constructs
        .retain(|c| c.score.as_deref().is_none_or(|s| score_ids.contains(&s)));
    out.outcomes.retain(|o| form.item(&o.item).is_some());
    let kept: Vec<String> = out
        .constructs
        .iter()
        .map(|c| c.id.clone())
        .chain(out.outcomes.iter().map(|o| o.item.clone()))
        .collect();
    for construct in &mut out.constructs {
        construct.paths.retain(|from, _| kept.contains(from));
    }
    for outcome in &mut out.outcomes {
        outcome.paths.retain(|from, _| kept.contains(from));
    }
    out.correlations.retain(|a, _| kept.contains(a));
    for row in out.correlations.values_mut() {
        row.retain(|b, _| kept.contains(b));
    }
    out
}

/// Orders the nodes so that every path's source comes first.
fn ordered<'a>(model: &'a PopulationModel) -> Result<Vec<Node<'a>>, ModelError> {
    let mut pending: Vec<Node> = model
        .constructs
        .iter()
        .map(Node::Construct)
        .chain(model.outcomes.iter().map(Node::Outcome))
        .collect();
    let ids: Vec<String> = pending.iter().map(|n| n.id().to_string()).collect();
    for (index, id) in ids.iter().enumerate() {
        if ids[..index].contains(id) {
            return Err(model_error(
                format!("`{id}` is defined twice in the model"),
                "give each construct and outcome one entry",
            ));
        }
    }
    for node in &pending {
        for from in node.paths().keys() {
            if !ids.contains(from) {
                return Err(model_error(
                    format!(
                        "the path {from} → {} starts at an unknown construct or outcome `{from}`",
                        node.id()
                    ),
                    &format!(
                        "paths start at a construct id or an outcome item; the model has: {}",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    let mut order: Vec<Node> = Vec::new();
    while !pending.is_empty() {
        let ready = pending.iter().position(|node| {
            node.paths()
                .keys()
                .all(|from| order.iter().any(|done| done.id() == from))
        });
        match ready {
            Some(index) => order.push(pending.remove(index)),
            None => {
                let stuck: Vec<&str> = pending.iter().map(|n| n.id()).collect();
                return Err(model_error(
                    format!("the paths among {} form a cycle", stuck.join(", ")),
                    "a population model is recursive: no variable may depend on itself",
                ));
            }
        }
    }
    Ok(order)
}

/// The answer codes of a rating scale in order, or None for other scales.
fn ordered_codes(scale: &ResponseScale) -> Option<Vec<f64>> {
    match scale {
        ResponseScale::Likert { values, .. } => Some(values.iter().map(|&v| v as f64).collect()),
        ResponseScale::SingleChoice { options } => {
            Some(options.iter().map(|o| o.value as f64).collect())
        }
        _ => None,
    }
}

fn categorize(latent: f64, codes: &[f64]) -> f64 {
    let k = codes.len();
    let mut category = 0;
    for cut in 1..k {
        let threshold =
            THRESHOLD_STRETCH * crate::distributions::normal_quantile(cut as f64 / k as f64);
        if latent > threshold {
            category = cut;
        }
    }
    codes[category]
}

fn numeric_bounds(scale: &ResponseScale) -> (f64, f64, bool) {
    match scale {
        ResponseScale::Numeric {
            min, max, integer, ..
        } => (
            min.unwrap_or(f64::NEG_INFINITY),
            max.unwrap_or(f64::INFINITY),
            *integer,
        ),
        _ => (f64::NEG_INFINITY, f64::INFINITY, false),
    }
}

fn fit_to_scale(value: f64, scale: &ResponseScale) -> f64 {
    let (min, max, integer) = numeric_bounds(scale);
    let value = if integer {
        value.round()
    } else {
        (value * 100.0).round() / 100.0
    };
    value.clamp(min, max)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

fn variance(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n
}

/// Simulates `n` respondents of a form under a model.
pub fn simulate(
    form: &Form,
    model: &PopulationModel,
    n: usize,
    seed: u64,
) -> Result<SimulatedData, ModelError> {
    for (name, share) in [
        ("missing", model.missing),
        ("careless.straight_liners", model.careless.straight_liners),
        ("careless.random", model.careless.random),
    ] {
        if !(0.0..1.0).contains(&share) {
            return Err(model_error(
                format!("`{name}: {share}` is not a share between 0 and 1"),
                "write shares as proportions, e.g. 0.05",
            ));
        }
    }
    let order = ordered(model)?;
    // Check references to the survey.
    for construct in &model.constructs {
        if !(construct.loading > 0.0 && construct.loading < 1.0) {
            return Err(model_error(
                format!(
                    "the loading {} of `{}` is not between 0 and 1",
                    construct.loading, construct.id
                ),
                "loadings are standardized: 0.7 is a typical value",
            ));
        }
        if let Some(score) = &construct.score
            && !form.scores().any(|s| s.id == *score)
        {
            let scores: Vec<&str> = form.scores().map(|s| s.id.as_str()).collect();
            return Err(model_error(
                format!(
                    "the construct `{}` names the score `{score}`, which `{}` does not have",
                    construct.id, form.id
                ),
                &format!("the survey's scores are: {}", scores.join(", ")),
            ));
        }
    }
    for outcome in &model.outcomes {
        let Some(item) = form.item(&outcome.item) else {
            return Err(model_error(
                format!(
                    "the outcome `{}` is not an item of `{}`",
                    outcome.item, form.id
                ),
                "outcomes name items of the survey",
            ));
        };
        let codes = ordered_codes(&item.response);
        let fits = match outcome.family {
            OutcomeFamily::Ordinal | OutcomeFamily::Categorical => codes.is_some(),
            OutcomeFamily::Binomial => codes.as_ref().is_some_and(|c| c.len() == 2),
            _ => matches!(item.response, ResponseScale::Numeric { .. }),
        };
        if !fits {
            return Err(model_error(
                format!(
                    "the outcome `{}` cannot be drawn as {:?}: its scale does not fit",
                    outcome.item, outcome.family
                ),
                "poisson, lognormal and normal outcomes need numeric items; binomial a two-option item; ordinal and categorical a rating or choice item",
            ));
        }
        if outcome.family == OutcomeFamily::Categorical
            && codes
                .as_ref()
                .is_some_and(|c| c.len() != outcome.probabilities.len())
        {
            return Err(model_error(
                format!(
                    "the categorical outcome `{}` needs one probability per option",
                    outcome.item
                ),
                "list the probabilities in the scale's order",
            ));
        }
    }

    let mut rng = resample_rng(seed, u64::MAX);
    // Exogenous constructs: multivariate normal with the given correlations.
    let exogenous: Vec<&Construct> = model
        .constructs
        .iter()
        .filter(|c| c.paths.is_empty())
        .collect();
    let k = exogenous.len();
    let mut correlation = DMatrix::<f64>::identity(k, k);
    for (a, row) in &model.correlations {
        for (b, r) in row {
            let ia = exogenous.iter().position(|c| c.id == *a);
            let ib = exogenous.iter().position(|c| c.id == *b);
            match (ia, ib) {
                (Some(i), Some(j)) if i != j => {
                    correlation[(i, j)] = *r;
                    correlation[(j, i)] = *r;
                }
                _ => {
                    return Err(model_error(
                        format!(
                            "the correlation {a} ~ {b} is not between two constructs without paths"
                        ),
                        "correlations are given among exogenous constructs; a construct with paths gets its correlations from them",
                    ));
                }
            }
        }
    }
    let cholesky = correlation.clone().cholesky().ok_or_else(|| {
        model_error(
            "the constructs' correlation matrix is not positive definite".to_string(),
            "some correlations contradict each other; make them smaller or consistent",
        )
    })?;
    let lower = cholesky.l();
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut draws = vec![vec![0.0; n]; k];
    for row in 0..n {
        let z: Vec<f64> = (0..k).map(|_| normal(&mut rng)).collect();
        for (i, draw) in draws.iter_mut().enumerate() {
            draw[row] = (0..=i).map(|j| lower[(i, j)] * z[j]).sum();
        }
    }
    for (construct, draw) in exogenous.iter().zip(draws) {
        values.insert(construct.id.clone(), draw);
    }
    let mut item_values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for node in &order {
        let linear: Vec<f64> = (0..n)
            .map(|row| {
                node.paths()
                    .iter()
                    .map(|(from, b)| b * values[from][row])
                    .sum()
            })
            .collect();
        match node {
            Node::Construct(construct) => {
                if !construct.paths.is_empty() {
                    let residual = (1.0 - variance(&linear)).max(MIN_RESIDUAL_VARIANCE).sqrt();
                    let latent = linear
                        .iter()
                        .map(|l| l + residual * normal(&mut rng))
                        .collect();
                    values.insert(construct.id.clone(), latent);
                }
            }
            Node::Outcome(outcome) => {
                let item = form.item(&outcome.item).expect("checked above");
                let sd = outcome.sd.unwrap_or(1.0);
                let (node_values, answers): (Vec<f64>, Vec<f64>) = linear
                    .iter()
                    .map(|l| {
                        let eta = outcome.intercept + l;
                        match outcome.family {
                            OutcomeFamily::Poisson => {
                                let mean = eta.exp().min(1e6);
                                let count: f64 = Poisson::new(mean)
                                    .map(|p| p.sample(&mut rng))
                                    .unwrap_or(0.0);
                                let count = fit_to_scale(count, &item.response);
                                (count, count)
                            }
                            OutcomeFamily::Binomial => {
                                let p = 1.0 / (1.0 + (-eta).exp());
                                let event = rng.random::<f64>() < p;
                                let codes = ordered_codes(&item.response).expect("checked");
                                // The event is code 1 when the codes are 0 and 1, else the second option.
                                let code = if codes.contains(&0.0) && codes.contains(&1.0) {
                                    if event { 1.0 } else { 0.0 }
                                } else if event {
                                    codes[1]
                                } else {
                                    codes[0]
                                };
                                (f64::from(u8::from(event)), code)
                            }
                            OutcomeFamily::Lognormal => {
                                let log_value = eta + sd * normal(&mut rng);
                                (log_value, fit_to_scale(log_value.exp(), &item.response))
                            }
                            OutcomeFamily::Normal => {
                                let value =
                                    fit_to_scale(eta + sd * normal(&mut rng), &item.response);
                                (value, value)
                            }
                            OutcomeFamily::Ordinal => {
                                let residual =
                                    (1.0 - variance(&linear)).max(MIN_RESIDUAL_VARIANCE).sqrt();
                                let latent = eta + residual * normal(&mut rng);
                                let codes = ordered_codes(&item.response).expect("checked");
                                (latent, categorize(latent, &codes))
                            }
                            OutcomeFamily::Categorical => {
                                let codes = ordered_codes(&item.response).expect("checked");
                                let total: f64 = outcome.probabilities.iter().sum();
                                let mut u = rng.random::<f64>() * total;
                                let mut chosen = codes[codes.len() - 1];
                                for (code, p) in codes.iter().zip(&outcome.probabilities) {
                                    if u < *p {
                                        chosen = *code;
                                        break;
                                    }
                                    u -= p;
                                }
                                (chosen, chosen)
                            }
                        }
                    })
                    .unzip();
                values.insert(outcome.item.clone(), node_values);
                item_values.insert(outcome.item.clone(), answers);
            }
        }
    }
    // Items of measured constructs.
    for construct in &model.constructs {
        let Some(score_id) = &construct.score else {
            continue;
        };
        let score = form.scores().find(|s| s.id == *score_id).expect("checked");
        let latent = &values[&construct.id];
        let unique = (1.0 - construct.loading * construct.loading).sqrt();
        for item_id in &score.items {
            let Some(item) = form.item(item_id) else {
                continue;
            };
            let Some(codes) = ordered_codes(&item.response) else {
                return Err(model_error(
                    format!("the item `{item_id}` of `{score_id}` is not a rating item"),
                    "only likert and choice items are drawn from a construct",
                ));
            };
            let sign = if item.item.reverse { -1.0 } else { 1.0 };
            let answers = latent
                .iter()
                .map(|eta| {
                    let response = sign * construct.loading * eta
                        + unique * normal(&mut rng)
                        + construct.shift;
                    categorize(response, &codes)
                })
                .collect();
            item_values.insert(item_id.clone(), answers);
        }
    }
    // Everything else, independently.
    let mut independent_items = Vec::new();
    for item in form.items() {
        if item_values.contains_key(&item.item.id) {
            continue;
        }
        independent_items.push(item.item.id.clone());
        let answers = (0..n).map(|_| independent_answer(item, &mut rng)).collect();
        item_values.insert(item.item.id.clone(), answers);
    }
    // Careless respondents and missing answers.
    let mut careless = vec![0u8; n];
    for kind in careless.iter_mut() {
        let u: f64 = rng.random();
        if u < model.careless.straight_liners {
            *kind = 1;
        } else if u < model.careless.straight_liners + model.careless.random {
            *kind = 2;
        }
    }
    let book = kith_instrument::codebook::codebook(form);
    let mut columns = Vec::new();
    let mut positions = vec![0usize; n];
    for (row, position) in positions.iter_mut().enumerate() {
        if careless[row] == 1 {
            *position = rng.random_range(0..7);
        }
    }
    for column in &book.columns {
        use kith_instrument::codebook::ColumnRole;
        let values: Vec<f64> = match column.role {
            ColumnRole::Id => continue,
            ColumnRole::Item => {
                let item = form.item(&column.name).expect("a codebook item");
                let codes = match &item.response {
                    ResponseScale::Likert { .. } => ordered_codes(&item.response),
                    _ => None,
                };
                let answers = &item_values[&column.name];
                (0..n)
                    .map(|row| {
                        let answer = match (&codes, careless[row]) {
                            (Some(codes), 1) => codes[positions[row].min(codes.len() - 1)],
                            (Some(codes), 2) => codes[rng.random_range(0..codes.len())],
                            _ => answers[row],
                        };
                        if !item.item.required && rng.random::<f64>() < model.missing {
                            f64::NAN
                        } else {
                            answer
                        }
                    })
                    .collect()
            }
            ColumnRole::Option => (0..n)
                .map(|_| f64::from(u8::from(rng.random::<f64>() < 0.3)))
                .collect(),
            ColumnRole::AttentionCheck => {
                let codes: Vec<f64> = column.values.iter().map(|v| v.value as f64).collect();
                let expected = column.expected_answer.map_or(f64::NAN, |e| e as f64);
                (0..n)
                    .map(|row| match careless[row] {
                        1 if !codes.is_empty() => codes[positions[row].min(codes.len() - 1)],
                        2 if !codes.is_empty() => codes[rng.random_range(0..codes.len())],
                        _ => expected,
                    })
                    .collect()
            }
        };
        columns.push((column.name.clone(), values));
    }
    let width = n.to_string().len().max(4);
    Ok(SimulatedData {
        ids: (1..=n).map(|i| format!("S{i:0width$}")).collect(),
        columns,
        independent_items,
        careless,
    })
}

fn independent_answer(item: &FormItem, rng: &mut ChaCha8Rng) -> f64 {
    match &item.response {
        ResponseScale::Likert { values, .. } => categorize(
            normal(rng),
            &values.iter().map(|&v| v as f64).collect::<Vec<_>>(),
        ),
        ResponseScale::SingleChoice { options } => {
            options[rng.random_range(0..options.len())].value as f64
        }
        ResponseScale::Numeric { .. } => {
            let (min, max, _) = numeric_bounds(&item.response);
            let (low, high) = (
                if min.is_finite() { min } else { 0.0 },
                if max.is_finite() {
                    max.min(100.0)
                } else {
                    100.0
                },
            );
            fit_to_scale(low + rng.random::<f64>() * (high - low), &item.response)
        }
        _ => f64::NAN,
    }
}

/// The simulated data as a polars frame: whole-number columns as integers.
pub fn to_frame(data: &SimulatedData) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let mut columns = vec![Column::new("respondent_id".into(), &data.ids)];
    for (name, values) in &data.columns {
        let whole = values.iter().all(|v| v.is_nan() || v.fract() == 0.0);
        let column = if whole {
            let ints: Vec<Option<i64>> = values
                .iter()
                .map(|v| (!v.is_nan()).then_some(*v as i64))
                .collect();
            Column::new(name.as_str().into(), ints)
        } else {
            let floats: Vec<Option<f64>> =
                values.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
            Column::new(name.as_str().into(), floats)
        };
        columns.push(column);
    }
    DataFrame::new(data.ids.len(), columns)
}

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

mod draw;
pub mod effects;
mod logic;
pub mod organization;

pub use draw::{simulate, to_frame};

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
    /// Regression paths from other constructs or outcomes; a key `a:b` is the product of a
    /// and b (R's notation for an interaction).
    #[serde(default)]
    pub paths: BTreeMap<String, f64>,
}

/// The separator of a product path's sources, as in R's `x:w`.
const PRODUCT: char = ':';

/// The sources of a path: one name, or the factors of a product `a:b`.
pub(crate) fn path_sources(key: &str) -> impl Iterator<Item = &str> {
    key.split(PRODUCT).map(str::trim)
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
    /// An organization whose members' ties are drawn, relation by relation.
    #[serde(default)]
    pub organization: Option<organization::Organization>,
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
    /// Text columns after the answers, as an export has them for a survey with logic:
    /// `status`, `not_shown` and `screened_out_by` (empty when the survey has no conditions).
    pub texts: Vec<(String, Vec<Option<String>>)>,
    /// The simulated organization, when the model has one.
    pub organization: Option<organization::SimulatedOrganization>,
}

/// A node of the model, drawn in dependency order.
#[derive(Debug, Clone)]
enum Node<'a> {
    Construct(&'a Construct),
    Outcome(&'a Outcome),
    /// A relation of the organization (its index among the relations), whose value is the
    /// standardized in-degree.
    Network(usize, &'a organization::RelationModel),
}

/// No paths: what a relation's node answers for `paths`.
static NO_PATHS: BTreeMap<String, f64> = BTreeMap::new();

impl Node<'_> {
    fn id(&self) -> String {
        match self {
            Node::Construct(c) => c.id.clone(),
            Node::Outcome(o) => o.item.clone(),
            Node::Network(_, r) => r.value_id(),
        }
    }

    /// The regression paths into the node (none for a relation, whose ties have their own
    /// model).
    fn paths(&self) -> &BTreeMap<String, f64> {
        match self {
            Node::Construct(c) => &c.paths,
            Node::Outcome(o) => &o.paths,
            Node::Network(..) => &NO_PATHS,
        }
    }

    /// The values the node is drawn from: its paths' sources, or a relation's sender and
    /// receiver terms.
    fn sources(&self) -> Vec<&str> {
        match self {
            Node::Network(_, r) => r
                .sender
                .keys()
                .chain(r.receiver.keys())
                .map(String::as_str)
                .collect(),
            _ => self
                .paths()
                .keys()
                .flat_map(|key| path_sources(key))
                .collect(),
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
        .chain(
            out.organization
                .iter()
                .flat_map(|o| o.relations.iter().map(|r| r.value_id())),
        )
        .collect();
    let known = |from: &String| path_sources(from).all(|s| kept.iter().any(|k| k == s));
    for construct in &mut out.constructs {
        construct.paths.retain(|from, _| known(from));
    }
    for outcome in &mut out.outcomes {
        outcome.paths.retain(|from, _| known(from));
    }
    if let Some(organization) = &mut out.organization {
        for relation in &mut organization.relations {
            relation.sender.retain(|from, _| known(from));
            relation.receiver.retain(|from, _| known(from));
        }
    }
    // An organization only matters to a survey with something that depends on its ties.
    let used = |id: &String| {
        out.constructs
            .iter()
            .map(|c| &c.paths)
            .chain(out.outcomes.iter().map(|o| &o.paths))
            .any(|paths| paths.keys().any(|k| path_sources(k).any(|s| s == id)))
    };
    if out
        .organization
        .as_ref()
        .is_some_and(|o| !o.relations.iter().any(|r| used(&r.value_id())))
    {
        out.organization = None;
    }
    out.correlations.retain(|a, _| kept.contains(a));
    for row in out.correlations.values_mut() {
        row.retain(|b, _| kept.contains(b));
    }
    out
}

/// Orders the nodes so that every path's source comes first.
fn ordered<'a>(model: &'a PopulationModel) -> Result<Vec<Node<'a>>, ModelError> {
    // Relations first: each is drawn as soon as its sources are, from its own random stream,
    // so the constructs and outcomes are drawn in the order they would be without it and take
    // the same numbers from the main stream.
    let mut pending: Vec<Node> = model
        .organization
        .iter()
        .flat_map(|o| {
            o.relations
                .iter()
                .enumerate()
                .map(|(i, r)| Node::Network(i, r))
        })
        .chain(model.constructs.iter().map(Node::Construct))
        .chain(model.outcomes.iter().map(Node::Outcome))
        .collect();
    let ids: Vec<String> = pending.iter().map(|n| n.id()).collect();
    for (index, id) in ids.iter().enumerate() {
        if ids[..index].contains(id) {
            return Err(model_error(
                format!("`{id}` is defined twice in the model"),
                "give each construct and outcome one entry",
            ));
        }
    }
    for node in &pending {
        for from in node.sources() {
            if !ids.iter().any(|id| id == from) {
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
            node.sources()
                .iter()
                .all(|from| order.iter().any(|done| done.id() == *from))
        });
        match ready {
            Some(index) => order.push(pending.remove(index)),
            None => {
                let stuck: Vec<String> = pending.iter().map(|n| n.id()).collect();
                return Err(model_error(
                    format!("the paths among {} form a cycle", stuck.join(", ")),
                    "a population model is recursive: no variable may depend on itself",
                ));
            }
        }
    }
    Ok(order)
}

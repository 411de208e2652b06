//! Results of a plan's networks: what was built from each edge list (people, respondents,
//! nominations left out or merged), the measures it added as variables, and the network-level
//! statistics. Names of people never appear here: only counts and the ids' variables.

use super::{RelationKind, SymmetrizeSpec};
use serde::{Deserialize, Serialize};

/// The network as a whole: size, ties, density, reciprocity, transitivity, in-degree
/// centralization and weak components (missing where a statistic is not defined).
pub use crate::network::NetworkSummary as NetworkLevelResult;

/// One network of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkResult {
    pub name: String,
    pub question: Option<String>,
    pub relation: Option<RelationKind>,
    pub directed: bool,
    pub symmetrize: Option<SymmetrizeSpec>,
    pub weighted: bool,
    /// The edge list, as the plan names it.
    pub edges: String,
    /// People in the network (the roster) and how many of them are respondents of the data.
    pub people: usize,
    pub respondents: usize,
    /// Rows of the edge list, and those left out or merged.
    pub nominations: usize,
    pub self_nominations: usize,
    pub not_on_roster: usize,
    pub duplicates: usize,
    /// The variables the network added.
    pub variables: Vec<String>,
    pub network: NetworkLevelResult,
    /// What the report's sociogram draws; None for a network too large to draw.
    pub sociogram: Option<Sociogram>,
}

/// The most people a sociogram is drawn for: beyond a few hundred, the ties of a whole
/// network cover the picture and tell the reader nothing (the table and the measures still do).
pub const SOCIOGRAM_MAX_PEOPLE: usize = 500;

/// The most colours a sociogram uses: the Okabe–Ito palette's eight, the last for "other".
pub const SOCIOGRAM_MAX_GROUPS: usize = 8;

/// A network as the sociogram draws it: people by their position on the roster, never by id
/// or name, with their in-degree (the size of their dot) and group (its colour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sociogram {
    /// The roster column or variable that colours the people, if any.
    pub colour: Option<String>,
    /// The groups' values in the legend's order (by size; the last is "other" when there were
    /// more than [`SOCIOGRAM_MAX_GROUPS`]).
    pub groups: Vec<String>,
    /// Each person's in-degree (degree, undirected).
    pub in_degree: Vec<f64>,
    /// Each person's group: an index into `groups`, None without a value.
    pub group: Vec<Option<usize>>,
    /// The ties between positions (each undirected tie once).
    pub ties: Vec<[usize; 2]>,
}

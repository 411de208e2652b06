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
}

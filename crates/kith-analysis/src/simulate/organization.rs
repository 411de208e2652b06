//! A simulated organization: the first respondents work in it, spread over its units, and in
//! each relation (advice, friendship) a tie from one member to another is drawn with a
//! probability that rises within a unit and with the sender's and receiver's constructs (a
//! dyad-independent logit model). Each relation's standardized in-degree then becomes a value
//! that later paths of the model can start from, so that turnover can depend on network
//! position.

use super::{ModelError, PopulationModel, model_error};
use crate::bootstrap::resample_rng;
use rand::RngExt;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The most members a simulated organization may have: ties are drawn for every ordered pair,
/// 25 million at this size.
pub const MAX_MEMBERS: usize = 5_000;
/// The most units an organization may have.
pub const MAX_UNITS: usize = 100;

/// The organization of a population model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// The first `size` respondents are members (all of them when there are fewer; default:
    /// all).
    #[serde(default)]
    pub size: Option<usize>,
    /// The units' names; members are assigned to them in turn (member i to unit i mod k).
    pub units: Vec<String>,
    /// The relations whose ties are drawn.
    pub relations: Vec<RelationModel>,
}

/// One relation's tie model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationModel {
    /// The relation's name: its in-degree is the model value `NAME_indegree`.
    pub name: String,
    /// The probability of a tie between two members of different units whose constructs are
    /// at the mean.
    pub density: f64,
    /// Log-odds added to a tie within a unit.
    #[serde(default)]
    pub same_unit: f64,
    /// Log-odds per unit of the sender's value, by construct or outcome.
    #[serde(default)]
    pub sender: BTreeMap<String, f64>,
    /// Log-odds per unit of the receiver's value, by construct or outcome.
    #[serde(default)]
    pub receiver: BTreeMap<String, f64>,
}

impl RelationModel {
    /// The model value the relation adds.
    pub fn value_id(&self) -> String {
        format!("{}_indegree", self.name)
    }
}

/// What the simulated organization is: its members, their units and each relation's ties.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedOrganization {
    /// The members are the first `members` respondents.
    pub members: usize,
    /// Each member's unit.
    pub units: Vec<String>,
    /// Each relation's name and ties (ego, alter) between members.
    pub networks: Vec<(String, Vec<[usize; 2]>)>,
}

/// The number of members among `n` respondents.
pub fn members(organization: &Organization, n: usize) -> usize {
    organization.size.unwrap_or(n).min(n)
}

/// Checks an organization against the number of respondents.
pub fn check(model: &PopulationModel, n: usize) -> Result<(), ModelError> {
    let Some(organization) = &model.organization else {
        return Ok(());
    };
    let size = members(organization, n);
    if size > MAX_MEMBERS || organization.size.is_some_and(|s| s < 2) {
        return Err(model_error(
            format!("an organization of {size} members is more than kith draws ties for"),
            &format!(
                "give `organization.size` between 2 and {MAX_MEMBERS}; the first that many respondents are its members"
            ),
        ));
    }
    if organization.units.is_empty() || organization.units.len() > MAX_UNITS {
        return Err(model_error(
            format!(
                "an organization needs 1 to {MAX_UNITS} units, not {}",
                organization.units.len()
            ),
            "list the units' names, e.g. `units: [Sales, Research, Operations]`",
        ));
    }
    // A repeated name is refused with the model's other repeated ids, before this check.
    for relation in &organization.relations {
        let valid = !relation.name.is_empty()
            && relation
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(model_error(
                format!(
                    "the relation name `{}` cannot begin a value's name",
                    relation.name
                ),
                "name each relation with letters, digits and underscores, e.g. `advice`",
            ));
        }
        if !(relation.density > 0.0 && relation.density < 1.0) {
            return Err(model_error(
                format!(
                    "the density {} of `{}` is not a probability between 0 and 1",
                    relation.density, relation.name
                ),
                "a density is the share of possible ties, e.g. 0.03",
            ));
        }
    }
    Ok(())
}

/// Draws the ties of `relation` (the `index`-th of the organization) among the first
/// `members` rows, from its own random stream so that adding a relation changes no other
/// draw, and returns them with every row's standardized in-degree (members' in-degrees as z
/// scores; 0, the members' mean, for respondents outside the organization).
pub fn draw_relation(
    relation: &RelationModel,
    index: usize,
    units: &[usize],
    values: &BTreeMap<String, Vec<f64>>,
    n: usize,
    seed: u64,
) -> (Vec<[usize; 2]>, Vec<f64>) {
    let members = units.len();
    let mut rng = resample_rng(seed, u64::MAX - 1 - index as u64);
    let lean = |weights: &BTreeMap<String, f64>, row: usize| -> f64 {
        weights
            .iter()
            .map(|(from, b)| b * values.get(from).map_or(0.0, |v| v[row]))
            .sum()
    };
    let sending: Vec<f64> = (0..members).map(|i| lean(&relation.sender, i)).collect();
    let receiving: Vec<f64> = (0..members).map(|j| lean(&relation.receiver, j)).collect();
    let base = (relation.density / (1.0 - relation.density)).ln();
    let mut ties = Vec::new();
    let mut indegree = vec![0.0; members];
    for ego in 0..members {
        for alter in 0..members {
            if ego == alter {
                continue;
            }
            let same = if units[ego] == units[alter] {
                relation.same_unit
            } else {
                0.0
            };
            let eta = base + same + sending[ego] + receiving[alter];
            let p = 1.0 / (1.0 + (-eta).exp());
            if rng.random::<f64>() < p {
                ties.push([ego, alter]);
                indegree[alter] += 1.0;
            }
        }
    }
    if members == 0 {
        return (ties, vec![0.0; n]);
    }
    let mean = indegree.iter().sum::<f64>() / members as f64;
    let sd = (indegree.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / members as f64).sqrt();
    let mut standardized = vec![0.0; n];
    for (row, d) in indegree.iter().enumerate() {
        standardized[row] = if sd > 0.0 { (d - mean) / sd } else { 0.0 };
    }
    (ties, standardized)
}

/// The roster of a simulated organization as CSV: each member's id and unit.
pub fn roster_csv(ids: &[String], organization: &SimulatedOrganization) -> String {
    let mut out = String::from("id,unit\n");
    for (id, unit) in ids.iter().zip(&organization.units) {
        out.push_str(&format!("{id},{}\n", csv_field(unit)));
    }
    out
}

/// A relation's ties as an edge list (ego, alter), by respondent id.
pub fn edges_csv(ids: &[String], ties: &[[usize; 2]]) -> String {
    let mut out = String::from("ego,alter\n");
    for [ego, alter] in ties {
        out.push_str(&format!("{},{}\n", ids[*ego], ids[*alter]));
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The files written beside a simulated response file `output`: `STEM-roster.csv` (each
/// member's id and unit) and `STEM-RELATION-edges.csv` (ego, alter) for each relation, in
/// that order, with their text. `kith simulate` writes them and `kith power` serves them to
/// the plan, so both name them by this one rule.
pub fn files_beside(
    output: &std::path::Path,
    ids: &[String],
    organization: &SimulatedOrganization,
) -> Vec<(std::path::PathBuf, String)> {
    let mut files = vec![(file_beside(output, "roster"), roster_csv(ids, organization))];
    for (relation, ties) in &organization.networks {
        files.push((
            file_beside(output, &format!("{relation}-edges")),
            edges_csv(ids, ties),
        ));
    }
    files
}

/// `STEM-SUFFIX.csv` beside `output`.
pub fn file_beside(output: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let stem = output
        .file_stem()
        .map_or("responses".into(), |s| s.to_string_lossy().into_owned());
    output.with_file_name(format!("{stem}-{suffix}.csv"))
}

//! Whole networks of a study's members (who nominated whom in a relation: advice, friendship):
//! built from an edge list over a roster, with the nominations kith cannot use counted rather
//! than silently dropped, and the measures computed on them — per person (`centrality`,
//! `structural_holes`, `cohesion`) and for the network as a whole. Engines take values and
//! return values; reading edge lists and rosters from files happens at the edges.

mod centrality;
mod cohesion;
mod structural_holes;

pub use centrality::{
    ShortestPathMeasures, betweenness, harmonic_closeness, pagerank, shortest_path_measures,
};
pub use cohesion::{NetworkSummary, local_clustering, person_reciprocity, summary};
pub use structural_holes::{constraint, effective_size};

use std::collections::HashMap;

/// The most people a network may have: a roster larger than any organization kith studies is
/// a mistake in the file, and every measure allocates per person.
pub const MAX_PEOPLE: usize = 100_000;
/// The most ties a network may have (two million: 20 per person in the largest network).
pub const MAX_TIES: usize = 2_000_000;

/// A nomination from `ego` to `alter`, with an optional strength (a follow-up's value).
#[derive(Debug, Clone, PartialEq)]
pub struct Nomination<'a> {
    pub ego: &'a str,
    pub alter: &'a str,
    pub weight: Option<f64>,
}

/// Why a network cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkError {
    /// The roster names the same person twice.
    DuplicatePerson { id: String },
    /// More people or ties than the limits.
    TooLarge {
        what: &'static str,
        count: usize,
        limit: usize,
    },
    /// A tie's strength is not a positive finite number.
    BadWeight {
        ego: String,
        alter: String,
        weight: f64,
    },
}

/// What building a network left out or merged, so that the report can say it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildNotes {
    /// Nominations of oneself, left out.
    pub self_nominations: usize,
    /// Nominations repeated for the same pair: merged into one tie with the largest strength.
    pub duplicates: usize,
    /// Nominations whose ego or alter is not on the roster, left out; the first few ids.
    pub not_on_roster: usize,
    pub unknown_ids: Vec<String>,
}

/// A network over a roster: person `i` is `people[i]`; ties have a strength (1 without
/// one). An undirected network keeps each tie in both directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub people: Vec<String>,
    pub directed: bool,
    /// Each person's outgoing ties (the alter's index and the strength), sorted by alter.
    out: Vec<Vec<(usize, f64)>>,
    /// Each person's incoming ties, sorted by ego.
    incoming: Vec<Vec<(usize, f64)>>,
}

/// How a directed network becomes undirected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symmetrize {
    /// A tie where either person nominated the other (strength: the larger of the two).
    Any,
    /// A tie only where both nominated each other (strength: the smaller of the two).
    Reciprocated,
}

impl Network {
    /// Builds the network of `nominations` over `people`. Self-nominations and nominations of
    /// people not on the roster are left out and counted; a repeated nomination is merged.
    pub fn from_nominations(
        people: &[String],
        nominations: &[Nomination],
        directed: bool,
    ) -> Result<(Network, BuildNotes), NetworkError> {
        if people.len() > MAX_PEOPLE {
            return Err(NetworkError::TooLarge {
                what: "people",
                count: people.len(),
                limit: MAX_PEOPLE,
            });
        }
        if nominations.len() > MAX_TIES {
            return Err(NetworkError::TooLarge {
                what: "nominations",
                count: nominations.len(),
                limit: MAX_TIES,
            });
        }
        let mut index = HashMap::with_capacity(people.len());
        for (i, id) in people.iter().enumerate() {
            if index.insert(id.as_str(), i).is_some() {
                return Err(NetworkError::DuplicatePerson { id: id.clone() });
            }
        }
        let mut notes = BuildNotes::default();
        let mut ties: HashMap<(usize, usize), f64> = HashMap::new();
        for n in nominations {
            let weight = n.weight.unwrap_or(1.0);
            if !(weight.is_finite() && weight > 0.0) {
                return Err(NetworkError::BadWeight {
                    ego: n.ego.to_string(),
                    alter: n.alter.to_string(),
                    weight,
                });
            }
            let (Some(&ego), Some(&alter)) = (index.get(n.ego), index.get(n.alter)) else {
                notes.not_on_roster += 1;
                for id in [n.ego, n.alter] {
                    if !index.contains_key(id)
                        && notes.unknown_ids.len() < 10
                        && !notes.unknown_ids.iter().any(|u| u == id)
                    {
                        notes.unknown_ids.push(id.to_string());
                    }
                }
                continue;
            };
            if ego == alter {
                notes.self_nominations += 1;
                continue;
            }
            let key = if directed {
                (ego, alter)
            } else {
                (ego.min(alter), ego.max(alter))
            };
            match ties.get_mut(&key) {
                Some(existing) => {
                    notes.duplicates += 1;
                    *existing = existing.max(weight);
                }
                None => {
                    ties.insert(key, weight);
                }
            }
        }
        let mut network = Network::empty(people.to_vec(), directed);
        for ((ego, alter), weight) in ties {
            network.out[ego].push((alter, weight));
            network.incoming[alter].push((ego, weight));
            if !directed {
                network.out[alter].push((ego, weight));
                network.incoming[ego].push((alter, weight));
            }
        }
        network.sort();
        Ok((network, notes))
    }

    fn empty(people: Vec<String>, directed: bool) -> Network {
        let n = people.len();
        Network {
            people,
            directed,
            out: vec![Vec::new(); n],
            incoming: vec![Vec::new(); n],
        }
    }

    fn sort(&mut self) {
        for list in self.out.iter_mut().chain(self.incoming.iter_mut()) {
            list.sort_by_key(|(j, _)| *j);
        }
    }

    /// The number of people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether the network has nobody in it.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The number of ties (each undirected tie once).
    pub fn ties(&self) -> usize {
        let directed: usize = self.out.iter().map(Vec::len).sum();
        if self.directed {
            directed
        } else {
            directed / 2
        }
    }

    /// Person `i`'s outgoing ties (all ties, undirected).
    pub fn out_ties(&self, i: usize) -> &[(usize, f64)] {
        &self.out[i]
    }

    /// Person `i`'s incoming ties (all ties, undirected).
    pub fn in_ties(&self, i: usize) -> &[(usize, f64)] {
        &self.incoming[i]
    }

    /// Whether `i` has a tie to `j`.
    pub fn has_tie(&self, i: usize, j: usize) -> bool {
        self.out[i].binary_search_by_key(&j, |(k, _)| *k).is_ok()
    }

    /// The undirected network of the same people.
    pub fn symmetrized(&self, how: Symmetrize) -> Network {
        if !self.directed {
            return self.clone();
        }
        let mut network = Network::empty(self.people.clone(), false);
        for (i, ties) in self.out.iter().enumerate() {
            for &(j, w) in ties {
                let back = self.out[j]
                    .binary_search_by_key(&i, |(k, _)| *k)
                    .ok()
                    .map(|k| self.out[j][k].1);
                let weight = match (how, back) {
                    (Symmetrize::Reciprocated, None) => continue,
                    (Symmetrize::Reciprocated, Some(b)) => w.min(b),
                    (Symmetrize::Any, Some(b)) => w.max(b),
                    (Symmetrize::Any, None) => w,
                };
                // Each pair once: from the smaller index, or from the only nominator.
                if back.is_some() && j < i {
                    continue;
                }
                network.out[i].push((j, weight));
                network.out[j].push((i, weight));
                network.incoming[j].push((i, weight));
                network.incoming[i].push((j, weight));
            }
        }
        network.sort();
        network
    }

    /// Each person's neighbours in either direction, without strengths, sorted.
    pub(crate) fn neighbours(&self, i: usize) -> Vec<usize> {
        let mut all: Vec<usize> = self.out[i]
            .iter()
            .chain(&self.incoming[i])
            .map(|(j, _)| *j)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Each person's in-degree (nominations received) or out-degree (made); in an undirected
/// network both are the degree.
pub fn in_degree(network: &Network) -> Vec<f64> {
    network.incoming.iter().map(|t| t.len() as f64).collect()
}

/// Each person's out-degree.
pub fn out_degree(network: &Network) -> Vec<f64> {
    network.out.iter().map(|t| t.len() as f64).collect()
}

/// A degree divided by the most it can be, n − 1 (None in a network of one person).
pub fn normalized_degree(degree: &[f64]) -> Vec<Option<f64>> {
    let n = degree.len();
    degree
        .iter()
        .map(|d| (n > 1).then(|| d / (n - 1) as f64))
        .collect()
}

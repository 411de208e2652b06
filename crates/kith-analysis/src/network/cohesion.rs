//! How closely knit a network is, per person (reciprocity, local clustering) and as a whole
//! (density, reciprocity, transitivity, in-degree centralization, weak components), as igraph
//! defines each: clustering and transitivity on the undirected network of any tie.

use super::{Network, in_degree};
use serde::{Deserialize, Serialize};

/// Each person's reciprocity: the share of their outgoing ties that the alter returns (1 in
/// an undirected network). None for someone who nominated nobody.
pub fn person_reciprocity(network: &Network) -> Vec<Option<f64>> {
    (0..network.len())
        .map(|i| {
            let out = network.out_ties(i);
            (!out.is_empty()).then(|| {
                let returned = out.iter().filter(|(j, _)| network.has_tie(*j, i)).count();
                returned as f64 / out.len() as f64
            })
        })
        .collect()
}

/// The number of ties among each person's contacts (either direction counts once) and the
/// number of contacts.
pub(super) fn triangles(network: &Network) -> Vec<(usize, usize)> {
    (0..network.len())
        .map(|i| {
            let contacts = network.neighbours(i);
            let mut among = 0;
            for (a, &x) in contacts.iter().enumerate() {
                for &y in &contacts[a + 1..] {
                    if network.has_tie(x, y) || network.has_tie(y, x) {
                        among += 1;
                    }
                }
            }
            (among, contacts.len())
        })
        .collect()
}

/// Each person's local clustering: the share of pairs of their contacts who are tied, igraph's
/// `transitivity(type = "local")`. None with fewer than two contacts.
pub fn local_clustering(network: &Network) -> Vec<Option<f64>> {
    triangles(network)
        .into_iter()
        .map(|(among, k)| (k >= 2).then(|| 2.0 * among as f64 / (k * (k - 1)) as f64))
        .collect()
}

/// The network as a whole (results.json's `networks[].network`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub size: usize,
    pub ties: usize,
    /// Ties over the possible ties: n(n − 1) directed, n(n − 1)/2 undirected.
    pub density: Option<f64>,
    /// The share of ties that are returned (1 undirected); None without ties.
    pub reciprocity: Option<f64>,
    /// Three times the triangles over the connected triples (global transitivity); None
    /// without a connected triple.
    pub transitivity: Option<f64>,
    /// Freeman's in-degree centralization, igraph's `centr_degree(mode = "in", loops = FALSE)`:
    /// Σ(max − dᵢ) over its largest possible value.
    pub centralization: Option<f64>,
    /// Weakly connected components (isolates count as components of one) and the largest.
    pub components: usize,
    pub largest_component: usize,
}

/// The network-level statistics.
pub fn summary(network: &Network) -> NetworkSummary {
    let n = network.len();
    let ties = network.ties();
    let possible = n.saturating_mul(n.saturating_sub(1));
    let density = (possible > 0).then(|| {
        let possible = if network.directed {
            possible as f64
        } else {
            possible as f64 / 2.0
        };
        ties as f64 / possible
    });
    let reciprocity = (ties > 0).then(|| {
        if !network.directed {
            return 1.0;
        }
        let returned: usize = (0..n)
            .map(|i| {
                network
                    .out_ties(i)
                    .iter()
                    .filter(|(j, _)| network.has_tie(*j, i))
                    .count()
            })
            .sum();
        returned as f64 / ties as f64
    });
    let (closed, triples) = triangles(network)
        .into_iter()
        .fold((0usize, 0usize), |(c, t), (among, k)| {
            (c + among, t + k * k.saturating_sub(1) / 2)
        });
    let transitivity = (triples > 0).then(|| closed as f64 / triples as f64);
    let degree = in_degree(network);
    let most = degree.iter().copied().fold(0.0, f64::max);
    // The star is the most centralized network: one person nominated by all n − 1 others.
    let largest = if network.directed {
        (n as f64 - 1.0).powi(2)
    } else {
        (n as f64 - 1.0) * (n as f64 - 2.0)
    };
    let centralization = (n > 2).then(|| degree.iter().map(|d| most - d).sum::<f64>() / largest);
    let (components, largest_component) = weak_components(network);
    NetworkSummary {
        size: n,
        ties,
        density,
        reciprocity,
        transitivity,
        centralization,
        components,
        largest_component,
    }
}

/// The number of weakly connected components and the size of the largest.
fn weak_components(network: &Network) -> (usize, usize) {
    let n = network.len();
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    let (mut count, mut largest) = (0, 0);
    for start in 0..n {
        if seen[start] {
            continue;
        }
        count += 1;
        seen[start] = true;
        stack.push(start);
        let mut size = 0;
        while let Some(i) = stack.pop() {
            size += 1;
            for &(j, _) in network.out_ties(i).iter().chain(network.in_ties(i)) {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        largest = largest.max(size);
    }
    (count, largest)
}

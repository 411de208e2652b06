//! Centrality as igraph computes it: betweenness (Brandes' algorithm from rustworkx-core, on
//! unweighted shortest paths), harmonic closeness (defined on disconnected networks) and
//! PageRank. Strengths enter PageRank only: igraph reads weights in path measures as distances,
//! which for a tie's strength (how often, how close) means the opposite of what it measures.

use super::Network;
use rustworkx_core::centrality::betweenness_centrality;
use rustworkx_core::petgraph::graph::{DiGraph, UnGraph};
use std::collections::VecDeque;

/// Each person's betweenness: raw (the number of shortest paths between others through them,
/// each pair of others counted once in an undirected network), and normalized as igraph does
/// (divided by (n − 1)(n − 2), or by (n − 1)(n − 2)/2 undirected; None below three people).
pub fn betweenness(network: &Network) -> (Vec<f64>, Vec<Option<f64>>) {
    let n = network.len();
    // A threshold above any network keeps the sums in one thread, so that the results do not
    // depend on the thread count.
    let sequential = usize::MAX;
    let raw: Vec<f64> = if network.directed {
        let mut graph = DiGraph::<(), ()>::with_capacity(n, network.ties());
        let nodes: Vec<_> = (0..n).map(|_| graph.add_node(())).collect();
        for i in 0..n {
            for &(j, _) in network.out_ties(i) {
                graph.add_edge(nodes[i], nodes[j], ());
            }
        }
        betweenness_centrality(&graph, false, false, sequential)
    } else {
        let mut graph = UnGraph::<(), ()>::with_capacity(n, network.ties());
        let nodes: Vec<_> = (0..n).map(|_| graph.add_node(())).collect();
        for i in 0..n {
            for &(j, _) in network.out_ties(i) {
                if i < j {
                    graph.add_edge(nodes[i], nodes[j], ());
                }
            }
        }
        betweenness_centrality(&graph, false, false, sequential)
    }
    .into_iter()
    .map(|b| b.unwrap_or(0.0))
    .collect();
    let pairs = if n > 2 {
        let ordered = ((n - 1) * (n - 2)) as f64;
        Some(if network.directed {
            ordered
        } else {
            ordered / 2.0
        })
    } else {
        None
    };
    let normalized = raw.iter().map(|b| pairs.map(|pairs| b / pairs)).collect();
    (raw, normalized)
}

/// Each person's harmonic closeness: the mean over everyone else of 1 / the length of the
/// shortest path to them along outgoing ties (any tie, undirected), 0 for those out of reach;
/// igraph's `harmonic_centrality(mode = "out", normalized = TRUE)`. None for a network of one.
pub fn harmonic_closeness(network: &Network) -> Vec<Option<f64>> {
    let n = network.len();
    let mut distance = vec![usize::MAX; n];
    let mut queue = VecDeque::with_capacity(n);
    (0..n)
        .map(|source| {
            if n < 2 {
                return None;
            }
            distance.iter_mut().for_each(|d| *d = usize::MAX);
            distance[source] = 0;
            queue.clear();
            queue.push_back(source);
            let mut sum = 0.0;
            while let Some(i) = queue.pop_front() {
                for &(j, _) in network.out_ties(i) {
                    if distance[j] == usize::MAX {
                        distance[j] = distance[i] + 1;
                        sum += 1.0 / distance[j] as f64;
                        queue.push_back(j);
                    }
                }
            }
            Some(sum / (n - 1) as f64)
        })
        .collect()
}

/// The iterations PageRank may take: the error shrinks by the damping factor each time, so
/// 0.85^400 ≈ 1e-28 is far past double precision; the loop stops much sooner when it settles.
const PAGERANK_ITERATIONS: usize = 400;

/// Each person's PageRank with damping `damping` (igraph's default 0.85): the share of time a
/// random walker spends with them who follows outgoing ties in proportion to their strength
/// (`weighted`) or evenly, and with probability 1 − damping (always, from someone without
/// outgoing ties) jumps to anyone at random. Sums to 1, as igraph's PRPACK solution does.
pub fn pagerank(network: &Network, damping: f64, weighted: bool) -> Vec<f64> {
    let n = network.len();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = (0..n)
        .map(|i| {
            network
                .out_ties(i)
                .iter()
                .map(|(_, w)| if weighted { *w } else { 1.0 })
                .sum()
        })
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..PAGERANK_ITERATIONS {
        let dangling: f64 = (0..n)
            .filter(|&i| strength[i] == 0.0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        next.iter_mut().for_each(|v| *v = base);
        for i in 0..n {
            if strength[i] == 0.0 {
                continue;
            }
            let share = damping * rank[i] / strength[i];
            for &(j, w) in network.out_ties(i) {
                next[j] += share * if weighted { w } else { 1.0 };
            }
        }
        let total: f64 = next.iter().sum();
        next.iter_mut().for_each(|v| *v /= total);
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-15 {
            break;
        }
    }
    rank
}

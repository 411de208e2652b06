//! Centrality as igraph computes it: betweenness (Brandes' algorithm on unweighted shortest
//! paths), harmonic closeness (defined on disconnected networks) and PageRank. Strengths
//! enter PageRank only: igraph reads weights in path measures as distances, which for a tie's
//! strength (how often, how close) means the opposite of what it measures.

use super::Network;
use rayon::prelude::*;

/// What one breadth-first search from every person yields: betweenness (Brandes' algorithm on
/// unweighted shortest paths) and harmonic closeness, computed in the same pass because both
/// need the distances from every person and that search is nearly all of the work.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortestPathMeasures {
    /// The number of shortest paths between others through each person (each pair of others
    /// once in an undirected network), igraph's `betweenness(normalized = FALSE)`.
    pub betweenness: Vec<f64>,
    /// Betweenness divided by the most it can be, as igraph normalizes it: (n − 1)(n − 2)
    /// ordered pairs, half that undirected; None below three people.
    pub betweenness_normalized: Vec<Option<f64>>,
    /// The mean over everyone else of 1 / the length of the shortest path to them along
    /// outgoing ties (any tie, undirected), 0 for those out of reach; igraph's
    /// `harmonic_centrality(mode = "out", normalized = TRUE)`. None for a network of one.
    pub harmonic_closeness: Vec<Option<f64>>,
}

/// The number of blocks the people are split into as sources of the searches. It is fixed,
/// not the thread count: each block sums its share of betweenness in person order and the
/// blocks' sums are added in block order, so the result is the same bit for bit on any number
/// of threads. Each block holds one value per person, which bounds the memory at
/// 32 × 8 bytes × MAX_PEOPLE (26 MB).
const SOURCE_BLOCKS: usize = 32;

/// Betweenness and harmonic closeness of every person in one pass, in parallel over blocks of
/// sources (see [`SOURCE_BLOCKS`]).
pub fn shortest_path_measures(network: &Network) -> ShortestPathMeasures {
    let n = network.len();
    let block_size = n.div_ceil(SOURCE_BLOCKS).max(1);
    let blocks: Vec<(Vec<f64>, Vec<f64>)> = (0..n.div_ceil(block_size))
        .into_par_iter()
        .map(|block| {
            let sources = block * block_size..((block + 1) * block_size).min(n);
            let mut search = Search::new(n);
            let mut dependency_sum = vec![0.0; n];
            let harmonic = sources
                .map(|source| search.from(network, source, &mut dependency_sum))
                .collect();
            (dependency_sum, harmonic)
        })
        .collect();
    let mut betweenness = vec![0.0; n];
    let mut harmonic = Vec::with_capacity(n);
    for (dependency_sum, block_harmonic) in blocks {
        for (total, d) in betweenness.iter_mut().zip(dependency_sum) {
            *total += d;
        }
        harmonic.extend(block_harmonic);
    }
    if !network.directed {
        // Each unordered pair was counted from both of its ends.
        betweenness.iter_mut().for_each(|b| *b /= 2.0);
    }
    let pairs = (n > 2).then(|| {
        let ordered = ((n - 1) * (n - 2)) as f64;
        if network.directed {
            ordered
        } else {
            ordered / 2.0
        }
    });
    ShortestPathMeasures {
        betweenness_normalized: betweenness
            .iter()
            .map(|b| pairs.map(|pairs| b / pairs))
            .collect(),
        betweenness,
        harmonic_closeness: harmonic
            .into_iter()
            .map(|sum| (n > 1).then(|| sum / (n - 1) as f64))
            .collect(),
    }
}

/// Each person's betweenness, raw and normalized (see [`ShortestPathMeasures`]).
pub fn betweenness(network: &Network) -> (Vec<f64>, Vec<Option<f64>>) {
    let measures = shortest_path_measures(network);
    (measures.betweenness, measures.betweenness_normalized)
}

/// Each person's harmonic closeness (see [`ShortestPathMeasures`]).
pub fn harmonic_closeness(network: &Network) -> Vec<Option<f64>> {
    shortest_path_measures(network).harmonic_closeness
}

/// The buffers of one breadth-first search, reused from source to source so that a search
/// allocates nothing.
struct Search {
    distance: Vec<u32>,
    /// The number of shortest paths from the source (a float, as in igraph: the count can
    /// pass any integer type in a dense network).
    paths: Vec<f64>,
    dependency: Vec<f64>,
    /// The people reached, in the order reached (the queue of the search).
    order: Vec<usize>,
}

const UNREACHED: u32 = u32::MAX;

impl Search {
    fn new(n: usize) -> Search {
        Search {
            distance: vec![UNREACHED; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Searches from `source`, adds each other person's dependency on it (Brandes 2001) to
    /// `dependency_sum`, and returns the sum of 1 / distance over those reached.
    fn from(&mut self, network: &Network, source: usize, dependency_sum: &mut [f64]) -> f64 {
        for &i in &self.order {
            self.distance[i] = UNREACHED;
            self.paths[i] = 0.0;
            self.dependency[i] = 0.0;
        }
        self.order.clear();
        self.distance[source] = 0;
        self.paths[source] = 1.0;
        self.order.push(source);
        let mut harmonic = 0.0;
        let mut head = 0;
        while head < self.order.len() {
            let i = self.order[head];
            head += 1;
            let next = self.distance[i] + 1;
            for &(j, _) in network.out_ties(i) {
                if self.distance[j] == UNREACHED {
                    self.distance[j] = next;
                    harmonic += 1.0 / f64::from(next);
                    self.order.push(j);
                }
                if self.distance[j] == next {
                    self.paths[j] += self.paths[i];
                }
            }
        }
        // Back from the farthest: a person's dependency gathers that of everyone one step
        // further along a shortest path, in proportion to the paths through them.
        for &i in self.order.iter().rev() {
            let next = self.distance[i] + 1;
            let mut dependency = 0.0;
            for &(j, _) in network.out_ties(i) {
                if self.distance[j] == next {
                    dependency += (1.0 + self.dependency[j]) / self.paths[j];
                }
            }
            self.dependency[i] = self.paths[i] * dependency;
            if i != source {
                dependency_sum[i] += self.dependency[i];
            }
        }
        harmonic
    }
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

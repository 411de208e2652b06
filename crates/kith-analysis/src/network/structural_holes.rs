//! Burt's (1992) structural holes: constraint (how much a person's contacts are tied to one
//! another, so that the person brokers nothing) and effective size (the contacts less their
//! redundancy). No graph crate has them; the definitions are igraph's and Burt's.

use super::Network;

/// Each person's constraint as igraph's `constraint` computes it: with z_ij = a_ij + a_ji
/// (ties in both directions, with their strengths) and p_ij = z_ij / Σ_k z_ik, the sum over
/// i's contacts j of (p_ij + Σ_q p_iq p_qj)². None for someone without ties.
pub fn constraint(network: &Network, weighted: bool) -> Vec<Option<f64>> {
    let n = network.len();
    // The proportional strengths p_ij of each person's contacts, sorted by contact.
    let proportions: Vec<Vec<(usize, f64)>> = (0..n)
        .map(|i| {
            let mut z: Vec<(usize, f64)> = Vec::new();
            for &(j, w) in network.out_ties(i).iter().chain(network.in_ties(i)) {
                let w = if weighted { w } else { 1.0 };
                match z.iter_mut().find(|(k, _)| *k == j) {
                    Some(entry) => entry.1 += w,
                    None => z.push((j, w)),
                }
            }
            // An undirected tie is stored both ways, so it was counted twice above; igraph's
            // A + Aᵀ of a symmetric A doubles it too, and the proportions are the same.
            let total: f64 = z.iter().map(|(_, w)| w).sum();
            z.iter_mut().for_each(|(_, w)| *w /= total);
            z.sort_by_key(|(j, _)| *j);
            z
        })
        .collect();
    let p = |i: usize, j: usize| -> f64 {
        proportions[i]
            .binary_search_by_key(&j, |(k, _)| *k)
            .map_or(0.0, |k| proportions[i][k].1)
    };
    (0..n)
        .map(|i| {
            if proportions[i].is_empty() {
                return None;
            }
            Some(
                proportions[i]
                    .iter()
                    .map(|&(j, p_ij)| {
                        let indirect: f64 = proportions[i]
                            .iter()
                            .filter(|(q, _)| *q != j)
                            .map(|&(q, p_iq)| p_iq * p(q, j))
                            .sum();
                        (p_ij + indirect).powi(2)
                    })
                    .sum(),
            )
        })
        .collect()
}

/// Each person's effective size in Burt's unweighted form on the undirected network of any
/// tie: the number of contacts n less 2t/n, where t is the number of ties among them. None for
/// someone without ties.
pub fn effective_size(network: &Network) -> Vec<Option<f64>> {
    super::cohesion::triangles(network)
        .into_iter()
        .map(|(among, contacts)| {
            (contacts > 0).then(|| {
                let k = contacts as f64;
                k - 2.0 * among as f64 / k
            })
        })
        .collect()
}

//! Network measures against igraph (`tests/r/networks.R`) at 1e-9 on the Florentine families'
//! marriages (undirected, with an isolate), Coleman's high-school friendships (directed) and a
//! generated directed, weighted network with an isolate, and the last two symmetrized by any
//! or by reciprocated tie; and the building of a network from nominations: self-nominations,
//! repeats and people not on the roster.

use kith_analysis::network::{
    self, Network, NetworkError, Nomination, Symmetrize, betweenness, constraint, effective_size,
    harmonic_closeness, local_clustering, pagerank, person_reciprocity,
};
use serde_json::Value;
use std::path::Path;

/// Measures in closed form or iterated to convergence: agreement to rounding.
const TOLERANCE: f64 = 1e-9;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// An edge list's rows: ego, alter and the strength, if the file has one.
type Edges = Vec<(String, String, Option<f64>)>;

/// The people and the edge list `tests/r/networks.R` wrote.
fn read(name: &str) -> (Vec<String>, Edges) {
    let folder = root().join("tests/data/networks");
    let people = std::fs::read_to_string(folder.join(format!("{name}-people.txt")))
        .expect("people")
        .lines()
        .map(str::to_string)
        .collect();
    let mut reader = csv::Reader::from_path(folder.join(format!("{name}.csv"))).expect("edges");
    let edges = reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            (
                r[0].to_string(),
                r[1].to_string(),
                r.get(2).map(|w| w.parse().expect("a weight")),
            )
        })
        .collect();
    (people, edges)
}

/// Compares each person's value (None against R's null, which is NA or NaN there).
fn check(mismatches: &mut Vec<String>, what: &str, found: &[Option<f64>], expected: &Value) {
    let expected = expected
        .as_array()
        .unwrap_or_else(|| panic!("{what}: {expected}"));
    assert_eq!(found.len(), expected.len(), "{what}: one value per person");
    for (i, (f, e)) in found.iter().zip(expected).enumerate() {
        let ok = match (f, e.as_f64()) {
            (None, None) => true,
            (Some(f), Some(e)) => (f - e).abs() <= TOLERANCE * e.abs().max(1.0),
            _ => false,
        };
        if !ok {
            mismatches.push(format!("{what}[{i}]: kith {f:?}, igraph {e}"));
        }
    }
}

fn some(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}

#[test]
fn network_measures_match_igraph() {
    let text = std::fs::read_to_string(root().join("tests/data/reference/networks.json"))
        .expect("the fixture");
    let reference: Value = serde_json::from_str(&text).expect("JSON");
    let mut m = Vec::new();
    for (key, file, symmetrize) in [
        ("florentine", "florentine", None),
        ("coleman_fall", "coleman-fall", None),
        ("generated", "generated", None),
        ("coleman_any", "coleman-fall", Some(Symmetrize::Any)),
        (
            "coleman_reciprocated",
            "coleman-fall",
            Some(Symmetrize::Reciprocated),
        ),
        ("generated_any", "generated", Some(Symmetrize::Any)),
        (
            "generated_reciprocated",
            "generated",
            Some(Symmetrize::Reciprocated),
        ),
    ] {
        let r = &reference["networks"][key];
        let (people, edges) = read(file);
        let nominations: Vec<Nomination> = edges
            .iter()
            .map(|(ego, alter, weight)| Nomination {
                ego,
                alter,
                weight: *weight,
            })
            .collect();
        let directed = r["directed"].as_bool().expect("directed");
        let weighted = r["weighted"].as_bool().expect("weighted");
        // A symmetrized network is built from the directed edge list, as a plan builds it.
        let (net, notes) =
            Network::from_nominations(&people, &nominations, directed || symmetrize.is_some())
                .expect("a network");
        let net = match symmetrize {
            Some(how) => net.symmetrized(how),
            None => net,
        };
        assert_eq!(net.directed, directed, "{key}");
        assert_eq!(
            notes,
            network::BuildNotes::default(),
            "{key}: nothing left out"
        );
        check(
            &mut m,
            &format!("{key} in-degree"),
            &some(&network::in_degree(&net)),
            &r["indegree"],
        );
        check(
            &mut m,
            &format!("{key} out-degree"),
            &some(&network::out_degree(&net)),
            &r["outdegree"],
        );
        check(
            &mut m,
            &format!("{key} in-degree normalized"),
            &network::normalized_degree(&network::in_degree(&net)),
            &r["indegree_normalized"],
        );
        check(
            &mut m,
            &format!("{key} out-degree normalized"),
            &network::normalized_degree(&network::out_degree(&net)),
            &r["outdegree_normalized"],
        );
        let (raw, normalized) = betweenness(&net);
        check(
            &mut m,
            &format!("{key} betweenness"),
            &some(&raw),
            &r["betweenness"],
        );
        check(
            &mut m,
            &format!("{key} betweenness normalized"),
            &normalized,
            &r["betweenness_normalized"],
        );
        check(
            &mut m,
            &format!("{key} harmonic closeness"),
            &harmonic_closeness(&net),
            &r["harmonic_closeness"],
        );
        check(
            &mut m,
            &format!("{key} PageRank"),
            &some(&pagerank(&net, 0.85, false)),
            &r["pagerank"],
        );
        if weighted {
            check(
                &mut m,
                &format!("{key} weighted PageRank"),
                &some(&pagerank(&net, 0.85, true)),
                &r["pagerank_weighted"],
            );
        }
        check(
            &mut m,
            &format!("{key} constraint"),
            &constraint(&net, weighted),
            &r["constraint"],
        );
        check(
            &mut m,
            &format!("{key} effective size"),
            &effective_size(&net),
            &r["effective_size"],
        );
        check(
            &mut m,
            &format!("{key} reciprocity"),
            &person_reciprocity(&net),
            &r["reciprocity"],
        );
        check(
            &mut m,
            &format!("{key} clustering"),
            &local_clustering(&net),
            &r["clustering"],
        );
        let s = network::summary(&net);
        let whole = &r["network"];
        assert_eq!(
            s.size as u64,
            whole["size"].as_u64().expect("size"),
            "{key}"
        );
        assert_eq!(
            s.ties as u64,
            whole["ties"].as_u64().expect("ties"),
            "{key}"
        );
        assert_eq!(
            s.components as u64,
            whole["components"].as_u64().expect("components"),
            "{key}"
        );
        assert_eq!(
            s.largest_component as u64,
            whole["largest_component"].as_u64().expect("largest"),
            "{key}"
        );
        for (what, found) in [
            ("density", s.density),
            ("reciprocity", s.reciprocity),
            ("transitivity", s.transitivity),
            ("centralization", s.centralization),
        ] {
            check(
                &mut m,
                &format!("{key} network {what}"),
                &[found],
                &Value::Array(vec![whole[what].clone()]),
            );
        }
    }
    assert!(
        m.is_empty(),
        "{} mismatches with igraph:\n{}",
        m.len(),
        m.join("\n")
    );
}

fn people(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn nomination<'a>(ego: &'a str, alter: &'a str) -> Nomination<'a> {
    Nomination {
        ego,
        alter,
        weight: None,
    }
}

/// Nominations kith cannot use are counted, not silently dropped; the network is what is left.
#[test]
fn self_nominations_repeats_and_strangers_are_counted_and_left_out() {
    let roster = people(&["a", "b", "c"]);
    let nominations = [
        nomination("a", "b"),
        nomination("a", "b"),
        nomination("b", "b"),
        nomination("c", "z"),
        nomination("y", "a"),
        Nomination {
            ego: "b",
            alter: "a",
            weight: Some(3.0),
        },
    ];
    let (net, notes) = Network::from_nominations(&roster, &nominations, true).expect("a network");
    assert_eq!(notes.self_nominations, 1);
    assert_eq!(notes.duplicates, 1);
    assert_eq!(notes.not_on_roster, 2);
    assert_eq!(notes.unknown_ids, ["z", "y"]);
    assert_eq!(net.ties(), 2);
    assert!(net.has_tie(0, 1) && net.has_tie(1, 0) && !net.has_tie(2, 0));
    assert_eq!(person_reciprocity(&net), [Some(1.0), Some(1.0), None]);
    let any = net.symmetrized(Symmetrize::Any);
    assert_eq!((any.directed, any.ties()), (false, 1));
    assert_eq!(
        any.out_ties(0),
        &[(1, 3.0)],
        "the larger strength of the two"
    );
    let mutual = net.symmetrized(Symmetrize::Reciprocated);
    assert_eq!(
        mutual.out_ties(1),
        &[(0, 1.0)],
        "the smaller strength of the two"
    );
}

/// A network of one, of two, and of isolates: every measure is defined or missing, never a
/// panic or a division by zero.
#[test]
fn tiny_networks_and_isolates_have_defined_or_missing_measures() {
    let (one, _) = Network::from_nominations(&people(&["a"]), &[], true).expect("one");
    assert_eq!(betweenness(&one).1, [None]);
    assert_eq!(harmonic_closeness(&one), [None]);
    assert_eq!(pagerank(&one, 0.85, false), [1.0]);
    assert_eq!(constraint(&one, false), [None]);
    assert_eq!(
        network::normalized_degree(&network::in_degree(&one)),
        [None]
    );
    let s = network::summary(&one);
    assert_eq!(
        (s.density, s.reciprocity, s.centralization),
        (None, None, None)
    );
    assert_eq!((s.components, s.largest_component), (1, 1));
    let (two, _) = Network::from_nominations(&people(&["a", "b"]), &[nomination("a", "b")], true)
        .expect("two");
    assert_eq!(betweenness(&two), (vec![0.0, 0.0], vec![None, None]));
    assert_eq!(harmonic_closeness(&two), [Some(1.0), Some(0.0)]);
    assert_eq!(constraint(&two, false), [Some(1.0), Some(1.0)]);
    let ranks = pagerank(&two, 0.85, false);
    assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-12 && ranks[1] > ranks[0]);
    let (none, _) = Network::from_nominations(&people(&[]), &[], false).expect("empty");
    assert!(pagerank(&none, 0.85, false).is_empty());
    assert_eq!(network::summary(&none).components, 0);
}

/// A roster that names someone twice, and a strength that is not a positive number, are errors.
#[test]
fn a_repeated_person_or_a_bad_strength_is_refused() {
    assert_eq!(
        Network::from_nominations(&people(&["a", "a"]), &[], true),
        Err(NetworkError::DuplicatePerson { id: "a".into() })
    );
    let bad = [Nomination {
        ego: "a",
        alter: "b",
        weight: Some(-1.0),
    }];
    assert!(matches!(
        Network::from_nominations(&people(&["a", "b"]), &bad, true),
        Err(NetworkError::BadWeight { .. })
    ));
}

/// A random network of `n` people in which each ordered pair has a tie with probability `p`.
fn random_network(n: usize, p: f64, directed: bool, seed: u64) -> Network {
    use rand::{RngExt, SeedableRng};
    let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i != j && rng.random::<f64>() < p {
                pairs.push((i, j));
            }
        }
    }
    let nominations: Vec<Nomination> = pairs
        .iter()
        .map(|&(i, j)| Nomination {
            ego: &ids[i],
            alter: &ids[j],
            weight: None,
        })
        .collect();
    Network::from_nominations(&ids, &nominations, directed)
        .expect("a network")
        .0
}

/// kith's betweenness is its own Brandes pass (shared with closeness); on generated networks,
/// sparse and dense, connected and not, directed and undirected, it agrees with rustworkx-core's
/// implementation of the same algorithm.
#[test]
fn betweenness_agrees_with_rustworkx_on_generated_networks() {
    use rustworkx_core::petgraph::graph::{DiGraph, UnGraph};
    for (case, &(n, p)) in [(3, 0.5), (12, 0.1), (40, 0.05), (90, 0.02), (150, 0.08)]
        .iter()
        .enumerate()
    {
        for directed in [true, false] {
            let net = random_network(n, p, directed, 100 + case as u64);
            let expected: Vec<f64> = if directed {
                let mut g = DiGraph::<(), ()>::new();
                let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
                for i in 0..n {
                    for &(j, _) in net.out_ties(i) {
                        g.add_edge(nodes[i], nodes[j], ());
                    }
                }
                rustworkx_core::centrality::betweenness_centrality(&g, false, false, usize::MAX)
            } else {
                let mut g = UnGraph::<(), ()>::new_undirected();
                let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
                for i in 0..n {
                    for &(j, _) in net.out_ties(i).iter().filter(|(j, _)| i < *j) {
                        g.add_edge(nodes[i], nodes[j], ());
                    }
                }
                rustworkx_core::centrality::betweenness_centrality(&g, false, false, usize::MAX)
            }
            .into_iter()
            .map(|b| b.unwrap_or(0.0))
            .collect();
            let (found, _) = betweenness(&net);
            for (i, (f, e)) in found.iter().zip(&expected).enumerate() {
                assert!(
                    (f - e).abs() <= 1e-9 * e.abs().max(1.0),
                    "n = {n}, p = {p}, directed = {directed}, person {i}: {f} against {e}"
                );
            }
        }
    }
}

/// The shortest-path measures are summed in a fixed order, so they are the same bit for bit
/// on one thread and on several.
#[test]
fn shortest_path_measures_do_not_depend_on_the_thread_count() {
    let net = random_network(700, 0.01, true, 7);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| network::shortest_path_measures(&net))
    };
    let one = on(1);
    assert!(one.betweenness.iter().any(|&b| b > 0.0));
    assert_eq!(one, on(2));
    assert_eq!(one, on(5));
}

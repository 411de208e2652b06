//! The report's table of the plan's networks: each network's size, ties and cohesion side by
//! side (statistics as rows, so that several networks still fit a phone's width), with what
//! building them left out in the note.

use crate::format::{and_list, bounded, markdown_row};
use kith_analysis::results::{NetworkResult, RelationKind, Results};
use std::fmt::Write;

fn share(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| bounded(v, 3))
}

/// Table `number_`: the networks' statistics.
pub fn networks_table(out: &mut String, results: &Results, number_: usize) {
    let networks = &results.networks;
    if networks.is_empty() {
        return;
    }
    let _ = writeln!(out, "Table {number_}. The networks.\n");
    let mut header = vec!["Statistic".to_string()];
    header.extend(networks.iter().map(|n| n.name.clone()));
    let _ = write!(out, "{}", markdown_row(&header));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(networks.len()));
    let row = |out: &mut String, name: &str, cell: &dyn Fn(&NetworkResult) -> String| {
        let mut cells = vec![name.to_string()];
        cells.extend(networks.iter().map(cell));
        let _ = write!(out, "{}", markdown_row(&cells));
    };
    row(out, "Relation", &|n| match n.relation {
        Some(RelationKind::Instrumental) => "instrumental".into(),
        Some(RelationKind::Expressive) => "expressive".into(),
        None => "—".into(),
    });
    row(out, "People", &|n| n.people.to_string());
    row(out, "Respondents", &|n| n.respondents.to_string());
    row(out, "Ties", &|n| n.network.ties.to_string());
    row(out, "Density", &|n| share(n.network.density));
    row(out, "Reciprocity", &|n| share(n.network.reciprocity));
    row(out, "Transitivity", &|n| share(n.network.transitivity));
    row(out, "In-degree centralization", &|n| {
        share(n.network.centralization)
    });
    row(out, "Components", &|n| n.network.components.to_string());
    row(out, "Largest component", &|n| {
        n.network.largest_component.to_string()
    });
    let left: Vec<String> = networks
        .iter()
        .filter(|n| n.self_nominations + n.not_on_roster + n.duplicates > 0)
        .map(|n| {
            format!(
                "{}: {} self-nomination(s) and {} of people not on the roster left out, {} repeat(s) merged",
                n.name, n.self_nominations, n.not_on_roster, n.duplicates
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "\n*Note.* Directed networks unless symmetrized; transitivity and clustering on the undirected network of any tie; people on the roster who did not respond stay in the network with the nominations they received.{}\n",
        if left.is_empty() {
            String::new()
        } else {
            format!(" {}.", and_list(&left))
        }
    );
}

/// The caption of a network's sociogram.
pub fn sociogram_caption(network: &NetworkResult) -> String {
    let colour = network
        .sociogram
        .as_ref()
        .and_then(|s| s.colour.as_deref())
        .map_or(String::new(), |c| format!(", coloured by {c}"));
    format!(
        "The {} network: each dot is a person on the roster, sized by the {} they received{colour}; a force-directed layout (Fruchterman–Reingold) places people with many ties between them close together.",
        network.name.replace('_', " "),
        if network.directed {
            "nominations"
        } else {
            "ties"
        }
    )
}

/// A network's finding in a sentence: its size, how dense and reciprocal it is, how unequal
/// the nominations received are, and whether it hangs together.
pub fn network_finding(out: &mut String, network: &NetworkResult) {
    let n = &network.network;
    let kind = match network.relation {
        Some(RelationKind::Instrumental) => "instrumental; ",
        Some(RelationKind::Expressive) => "expressive; ",
        None => "",
    };
    let mut parts = vec![format!(
        "{} ties, a density of {}",
        n.ties,
        share(n.density)
    )];
    if n.size > 0 {
        parts.push(format!(
            "{} {} per person on average",
            crate::format::number(
                n.ties as f64 * if network.directed { 1.0 } else { 2.0 } / n.size as f64,
                1
            ),
            if network.directed {
                "nominations received"
            } else {
                "ties"
            }
        ));
    }
    if network.directed
        && let Some(r) = n.reciprocity
    {
        parts.push(format!(
            "{} of the ties were returned",
            crate::format::percent(r)
        ));
    }
    if let Some(t) = n.transitivity {
        parts.push(format!("transitivity {}", share(Some(t))));
    }
    if let Some(c) = n.centralization {
        parts.push(format!(
            "in-degree centralization {} ({})",
            share(Some(c)),
            if c >= 0.5 {
                "a few people received most nominations"
            } else if c >= 0.2 {
                "nominations somewhat concentrated on a few people"
            } else {
                "nominations spread evenly"
            }
        ));
    }
    parts.push(if n.components <= 1 {
        "everyone is connected".to_string()
    } else {
        format!(
            "{} components, the largest with {} of the {} people",
            n.components, n.largest_component, n.size
        )
    });
    let _ = writeln!(
        out,
        "- **The {} network** ({kind}{} people, {} of them respondents): {}.",
        network.name.replace('_', " "),
        network.people,
        network.respondents,
        parts.join("; ")
    );
}

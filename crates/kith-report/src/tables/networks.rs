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

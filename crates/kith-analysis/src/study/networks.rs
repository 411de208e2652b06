//! A plan's `networks:`: each edge list (and roster) read through `StudyFiles`, checked with
//! the file, row and column named, built into a `Network`, and its measures added to the data
//! set as variables, one value per respondent. The network-level statistics and what building
//! left out become the results' `networks`.

use super::{StudyFiles, sociogram};
use crate::dataset::{Dataset, Values};
use crate::network::{self, MAX_TIES, Network, NetworkError, Nomination, Symmetrize};
use crate::plan::{NetworkSpec, PlanSource, SymmetrizeSpec};
use crate::results::{NetworkResult, SOCIOGRAM_MAX_PEOPLE};
use kith_instrument::diagnostic::{Diagnostic, DocPath, Severity};
use std::path::Path;

/// The measures each network adds, as `NAME_suffix`, with the label's words.
pub const MEASURES: [(&str, &str); 12] = [
    ("indegree", "in-degree"),
    ("outdegree", "out-degree"),
    ("indegree_normalized", "in-degree (normalized)"),
    ("outdegree_normalized", "out-degree (normalized)"),
    ("betweenness", "betweenness"),
    ("betweenness_normalized", "betweenness (normalized)"),
    ("closeness", "harmonic closeness"),
    ("pagerank", "PageRank"),
    ("constraint", "constraint"),
    ("effective_size", "effective size"),
    ("reciprocity", "reciprocity"),
    ("clustering", "local clustering"),
];

fn error(
    source: &PlanSource,
    code: &'static str,
    message: String,
    path: &DocPath,
    hint: String,
) -> Box<Diagnostic> {
    // Boxed: a diagnostic is large, and these travel in `Err`.
    Box::new(source.diagnostic(Severity::Error, code, message, path, Some(hint)))
}

/// The rows of a CSV file as text, or why they cannot be read.
fn read_csv(bytes: &[u8]) -> Result<(Vec<String>, Vec<csv::StringRecord>), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record.map_err(|e| e.to_string())?);
        if rows.len() > MAX_TIES {
            return Err(format!("it has more than {MAX_TIES} rows"));
        }
    }
    Ok((header, rows))
}

/// The index of `column` in `header`, or the error that names the file's columns.
fn column(
    source: &PlanSource,
    header: &[String],
    column: &str,
    file: &str,
    path: &DocPath,
) -> Result<usize, Box<Diagnostic>> {
    header.iter().position(|h| h == column).ok_or_else(|| {
        error(
            source,
            "network-column",
            format!("`{file}` has no column `{column}`"),
            path,
            format!(
                "name its columns in the plan (`ego:`, `alter:`, `weight:`, `roster_id:`); the file has: {}",
                header.join(", ")
            ),
        )
    })
}

/// Adds every network's measures to `dataset`; the networks' results, and the diagnostics
/// (errors stop the study).
pub fn add_networks(
    specs: &[NetworkSpec],
    id: Option<&str>,
    source: &PlanSource,
    base: &Path,
    files: &dyn StudyFiles,
    dataset: &mut Dataset,
) -> (Vec<NetworkResult>, Vec<Diagnostic>) {
    let mut results = Vec::new();
    let mut diagnostics = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let path = DocPath::root().key("networks").index(index);
        let Some(id) = id else {
            diagnostics.push(*error(
                source,
                "network-needs-id",
                format!(
                    "the network `{}` needs the data's id column to know who is who",
                    spec.name
                ),
                &path.key("name"),
                "name the column of the respondents' ids (those the edge list uses) with `id:`"
                    .to_string(),
            ));
            continue;
        };
        match add_network(spec, id, source, &path, base, files, dataset) {
            Ok((result, warnings)) => {
                results.push(result);
                diagnostics.extend(warnings);
            }
            Err(problem) => diagnostics.push(*problem),
        }
    }
    (results, diagnostics)
}

fn add_network(
    spec: &NetworkSpec,
    id: &str,
    source: &PlanSource,
    path: &DocPath,
    base: &Path,
    files: &dyn StudyFiles,
    dataset: &mut Dataset,
) -> Result<(NetworkResult, Vec<Diagnostic>), Box<Diagnostic>> {
    let valid_name = !spec.name.is_empty()
        && spec
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid_name {
        return Err(error(
            source,
            "network-name",
            format!(
                "the network name `{}` cannot begin variable names",
                spec.name
            ),
            &path.key("name"),
            "use letters, digits and underscores, e.g. `name: advice`".to_string(),
        ));
    }
    if let Some(taken) = MEASURES
        .iter()
        .map(|(suffix, _)| format!("{}_{suffix}", spec.name))
        .find(|name| dataset.get(name).is_some())
    {
        return Err(error(
            source,
            "network-name",
            format!(
                "the network `{}` would make the variable `{taken}`, which the data already have",
                spec.name
            ),
            &path.key("name"),
            "give the network another name".to_string(),
        ));
    }
    let read = |file: &str,
                key: &str|
     -> Result<(String, Vec<String>, Vec<csv::StringRecord>), Box<Diagnostic>> {
        let full = base.join(file);
        let shown = full.display().to_string();
        let bytes = files.read_data(&full).map_err(|e| {
            error(
                source,
                "network-file",
                format!("cannot read `{shown}`: {}", crate::study::io_reason(&e)),
                &path.key(key),
                "check the path; it is relative to the plan".to_string(),
            )
        })?;
        let (header, rows) = read_csv(&bytes).map_err(|reason| {
            error(
                source,
                "network-file",
                format!("`{shown}` is not a readable CSV file: {reason}"),
                &path.key(key),
                "an edge list has a header and a row per nomination, e.g. `ego,alter`".to_string(),
            )
        })?;
        Ok((shown, header, rows))
    };
    let (edges_file, header, rows) = read(&spec.edges, "edges")?;
    let ego_column = column(
        source,
        &header,
        spec.ego.as_deref().unwrap_or("ego"),
        &edges_file,
        &path.key("ego"),
    )?;
    let alter_column = column(
        source,
        &header,
        spec.alter.as_deref().unwrap_or("alter"),
        &edges_file,
        &path.key("alter"),
    )?;
    let weight_column = match &spec.weight {
        Some(name) => Some(column(
            source,
            &header,
            name,
            &edges_file,
            &path.key("weight"),
        )?),
        None => None,
    };
    let mut weights = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        // Row 1 is the header, so the first nomination is the file's row 2.
        let line = r + 2;
        for (column, what) in [(ego_column, "ego"), (alter_column, "alter")] {
            if row.get(column).is_none_or(|v| v.trim().is_empty()) {
                return Err(error(
                    source,
                    "network-row",
                    format!("row {line} of `{edges_file}` has no {what}"),
                    &path.key("edges"),
                    "every row of an edge list names who nominated (ego) and who was nominated (alter); remove the row or fill it in".to_string(),
                ));
            }
        }
        let weight = match weight_column {
            None => None,
            Some(c) => {
                let text = row.get(c).unwrap_or("").trim();
                match text.parse::<f64>() {
                    Ok(w) if w.is_finite() && w > 0.0 => Some(w),
                    _ => {
                        return Err(error(
                            source,
                            "network-weight",
                            format!("row {line} of `{edges_file}` has the strength `{text}` in `{}`, which is not a positive number", spec.weight.as_deref().unwrap_or("")),
                            &path.key("weight"),
                            "a tie's strength is a positive number (how often, how close); leave out the row or fix the value".to_string(),
                        ));
                    }
                }
            }
        };
        weights.push(weight);
    }
    let respondents = respondent_ids(dataset, id);
    let roster = match &spec.roster {
        Some(roster) => Some(read(roster, "roster")?),
        None => None,
    };
    let people: Vec<String> = match &roster {
        Some((roster_file, header, rows)) => {
            let id = column(
                source,
                header,
                spec.roster_id.as_deref().unwrap_or("id"),
                roster_file,
                &path.key(if spec.roster_id.is_some() {
                    "roster_id"
                } else {
                    "roster"
                }),
            )?;
            let mut ids = Vec::with_capacity(rows.len());
            for (r, row) in rows.iter().enumerate() {
                let value = row.get(id).unwrap_or("").trim();
                if value.is_empty() {
                    return Err(error(
                        source,
                        "network-row",
                        format!("row {} of `{roster_file}` has no id", r + 2),
                        &path.key("roster"),
                        "every row of a roster is one person with their id; remove the row or fill it in".to_string(),
                    ));
                }
                ids.push(value.to_string());
            }
            ids
        }
        None => {
            let mut unique = respondents.clone();
            unique.retain(|id| !id.is_empty());
            unique.sort();
            unique.dedup();
            unique
        }
    };
    let nominations: Vec<Nomination> = rows
        .iter()
        .zip(&weights)
        .map(|(row, weight)| Nomination {
            ego: row.get(ego_column).unwrap_or("").trim(),
            alter: row.get(alter_column).unwrap_or("").trim(),
            weight: *weight,
        })
        .collect();
    let (mut net, notes) = Network::from_nominations(&people, &nominations, true).map_err(|e| {
        let (message, hint) = match e {
            NetworkError::DuplicatePerson { id } => {
                // Row 1 is the header, so person i is on the file's row i + 2.
                let rows: Vec<String> = people
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| **p == id)
                    .take(5)
                    .map(|(i, _)| (i + 2).to_string())
                    .collect();
                let file = roster
                    .as_ref()
                    .map_or("the data".to_string(), |(f, _, _)| format!("`{f}`"));
                (
                    format!(
                        "the roster names `{id}` more than once: rows {} of {file}",
                        rows.join(", ")
                    ),
                    "each person is one row of the roster; remove the repeated rows or give each person their own id".to_string(),
                )
            }
            NetworkError::TooLarge { what, count, limit } => (
                format!("the network has {count} {what}, more than kith's limit of {limit}"),
                "split the file by relation or unit".to_string(),
            ),
            NetworkError::BadWeight { ego, alter, weight } => (
                format!("the tie from `{ego}` to `{alter}` has the strength {weight}"),
                "a tie's strength is a positive number".to_string(),
            ),
        };
        error(source, "network-roster", message, &path.key("roster"), hint)
    })?;
    if let Some(how) = spec.symmetrize {
        net = net.symmetrized(match how {
            SymmetrizeSpec::Any => Symmetrize::Any,
            SymmetrizeSpec::Reciprocated => Symmetrize::Reciprocated,
        });
    }
    let mut warnings = Vec::new();
    let left_out = notes.self_nominations + notes.not_on_roster;
    if left_out > 0 || notes.duplicates > 0 {
        warnings.push(source.diagnostic(
            Severity::Warning,
            "network-nominations",
            format!(
                "`{edges_file}`: {} self-nomination(s) and {} nomination(s) of people not on the roster{} were left out; {} repeated nomination(s) were merged",
                notes.self_nominations,
                notes.not_on_roster,
                if notes.unknown_ids.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.unknown_ids.join(", "))
                },
                notes.duplicates
            ),
            &path.key("edges"),
            Some("check the ids against the roster (or the data's ids); the network uses the rest".to_string()),
        ));
    }
    let weighted = spec.weight.is_some();
    let paths = network::shortest_path_measures(&net);
    let indegree = network::in_degree(&net);
    let outdegree = network::out_degree(&net);
    let values: Vec<Vec<Option<f64>>> = vec![
        indegree.iter().copied().map(Some).collect(),
        outdegree.iter().copied().map(Some).collect(),
        network::normalized_degree(&indegree),
        network::normalized_degree(&outdegree),
        paths.betweenness.into_iter().map(Some).collect(),
        paths.betweenness_normalized,
        paths.harmonic_closeness,
        network::pagerank(&net, 0.85, weighted)
            .into_iter()
            .map(Some)
            .collect(),
        network::constraint(&net, weighted),
        network::effective_size(&net),
        network::person_reciprocity(&net),
        network::local_clustering(&net),
    ];
    // Each respondent's row gets the measures of their place in the roster; a respondent not
    // on the roster gets none.
    let position: std::collections::HashMap<&str, usize> = net
        .people
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let rows_of: Vec<Option<usize>> = respondents
        .iter()
        .map(|id| position.get(id.as_str()).copied())
        .collect();
    let mut variables = Vec::new();
    for ((suffix, words), measure) in MEASURES.iter().zip(&values) {
        let name = format!("{}_{suffix}", spec.name);
        let column: Vec<f64> = rows_of
            .iter()
            .map(|i| i.and_then(|i| measure[i]).unwrap_or(f64::NAN))
            .collect();
        dataset.add_numeric(
            &name,
            Some(format!("{} {words}", capitalized(&spec.name))),
            column,
        );
        variables.push(name);
    }
    let summary = network::summary(&net);
    let colour = sociogram::colours(
        spec,
        roster.as_ref().map(|(_, header, rows)| (header.as_slice(), rows.as_slice())),
        &net.people,
        &respondents,
        dataset,
    )
    .map_err(|name| {
        error(
            source,
            "network-colour",
            format!(
                "the network `{}` is coloured by `{name}`, which is neither a column of the roster nor a variable of the data",
                spec.name
            ),
            &path.key("colour"),
            "name a roster column (such as `unit`) or a variable, or leave out `colour:`"
                .to_string(),
        )
    })?;
    let on_roster: std::collections::HashSet<&str> =
        net.people.iter().map(String::as_str).collect();
    let responding = respondents
        .iter()
        .filter(|id| on_roster.contains(id.as_str()))
        .count();
    Ok((
        NetworkResult {
            name: spec.name.clone(),
            question: spec.question.clone(),
            relation: spec.relation,
            directed: net.directed,
            symmetrize: spec.symmetrize,
            weighted,
            edges: spec.edges.clone(),
            people: net.len(),
            respondents: responding,
            nominations: rows.len(),
            self_nominations: notes.self_nominations,
            not_on_roster: notes.not_on_roster,
            duplicates: notes.duplicates,
            variables,
            network: summary,
            sociogram: (net.len() <= SOCIOGRAM_MAX_PEOPLE).then(|| {
                sociogram::of(
                    &net,
                    colour.as_ref().map(|(n, v)| (n.clone(), v.as_slice())),
                )
            }),
        },
        warnings,
    ))
}

/// Each row's respondent as the edge list names them: the value of the plan's id column.
fn respondent_ids(dataset: &Dataset, id: &str) -> Vec<String> {
    match dataset.get(id).map(|v| &v.values) {
        Some(Values::Categorical { codes, levels }) => codes
            .iter()
            .map(|c| {
                c.and_then(|c| levels.get(c as usize))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect(),
        Some(Values::Numeric(values)) => values
            .iter()
            .map(|v| {
                if v.is_nan() {
                    String::new()
                } else {
                    v.to_string()
                }
            })
            .collect(),
        None => dataset.ids.clone(),
    }
}

/// The name with its first letter in capitals, for a label: `advice` → `Advice`.
fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars)
            .collect::<String>()
            .replace('_', " "),
        None => String::new(),
    }
}

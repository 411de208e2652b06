//! The data of a network's sociogram: each person's in-degree and colour group by their place
//! on the roster (ids and names stay out of the results), and the ties between places. The
//! colour comes from a roster column or a variable of the data.

use crate::dataset::{Dataset, Values};
use crate::network::{self, Network};
use crate::plan::NetworkSpec;
use crate::results::{SOCIOGRAM_MAX_GROUPS, Sociogram};
use std::collections::HashMap;

/// The roster column a network is coloured by when the plan does not say.
const DEFAULT_COLOUR: &str = "unit";

/// What colours a network: the column or variable's name, and each person's value.
pub type Colours = (String, Vec<Option<String>>);

/// Each person's colour value: from the plan's `colour:` (a roster column, else a variable of
/// the data, which only respondents have), or the roster's `unit` column. Ok(None) when
/// nothing colours the network; Err(name) when the plan names a colour that is neither.
pub fn colours(
    spec: &NetworkSpec,
    roster: Option<(&[String], &[csv::StringRecord])>,
    people: &[String],
    respondents: &[String],
    dataset: &Dataset,
) -> Result<Option<Colours>, String> {
    let roster_column = |name: &str| {
        roster.and_then(|(header, rows)| {
            let column = header.iter().position(|h| h.trim() == name)?;
            Some(
                rows.iter()
                    .map(|row| {
                        let value = row.get(column).unwrap_or("").trim();
                        (!value.is_empty()).then(|| value.to_string())
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    let Some(name) = spec.colour.as_deref() else {
        return Ok(roster_column(DEFAULT_COLOUR).map(|v| (DEFAULT_COLOUR.to_string(), v)));
    };
    if let Some(values) = roster_column(name) {
        return Ok(Some((name.to_string(), values)));
    }
    let variable = dataset.get(name).ok_or_else(|| name.to_string())?;
    let row_of: HashMap<&str, usize> = respondents
        .iter()
        .enumerate()
        .map(|(row, id)| (id.as_str(), row))
        .collect();
    let value = |row: usize| match &variable.values {
        Values::Numeric(values) => values
            .get(row)
            .filter(|v| !v.is_nan())
            .map(|v| v.to_string()),
        Values::Categorical { codes, levels } => codes
            .get(row)
            .copied()
            .flatten()
            .and_then(|c| levels.get(c as usize).cloned()),
    };
    Ok(Some((
        name.to_string(),
        people
            .iter()
            .map(|id| row_of.get(id.as_str()).and_then(|&row| value(row)))
            .collect(),
    )))
}

/// The sociogram of `net`, with each person's colour value if `colour` gives them.
pub fn of(net: &Network, colour: Option<(String, &[Option<String>])>) -> Sociogram {
    let mut ties = Vec::with_capacity(net.ties());
    for i in 0..net.len() {
        for &(j, _) in net.out_ties(i) {
            if net.directed || i < j {
                ties.push([i, j]);
            }
        }
    }
    let (name, groups, group) = match colour {
        None => (None, Vec::new(), vec![None; net.len()]),
        Some((name, values)) => {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for value in values.iter().flatten() {
                *counts.entry(value.as_str()).or_default() += 1;
            }
            // The largest groups first (ties by value), so that the legend reads by size and
            // the groups beyond the palette are the smallest.
            let mut order: Vec<(&str, usize)> = counts.into_iter().collect();
            order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let overflow = order.len() > SOCIOGRAM_MAX_GROUPS;
            let kept = if overflow {
                SOCIOGRAM_MAX_GROUPS - 1
            } else {
                order.len()
            };
            let mut groups: Vec<String> =
                order[..kept].iter().map(|(v, _)| v.to_string()).collect();
            let index: HashMap<&str, usize> = order[..kept]
                .iter()
                .enumerate()
                .map(|(i, (v, _))| (*v, i))
                .collect();
            if overflow {
                groups.push("other".to_string());
            }
            let group = values
                .iter()
                .map(|value| {
                    value
                        .as_deref()
                        .map(|v| index.get(v).copied().unwrap_or(SOCIOGRAM_MAX_GROUPS - 1))
                })
                .collect();
            (Some(name), groups, group)
        }
    };
    Sociogram {
        colour: name,
        groups,
        in_degree: network::in_degree(net),
        group,
        ties,
    }
}

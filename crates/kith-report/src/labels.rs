//! Readable names of variables: the plan's labels, with dummy terms (`variable=level`) read as
//! `Label: level`. Tables, sentences and charts all name variables by this one rule.

use kith_analysis::results::Results;
use std::collections::BTreeMap;

/// Readable names of variables, with `variable=level` terms as `Label: level`.
#[derive(Debug, Clone, Default)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    /// The labels a results file records.
    pub fn of(results: &Results) -> Self {
        Labels(results.labels.clone())
    }

    /// A variable's readable name (see `get_from`).
    pub fn get(&self, name: &str) -> String {
        Self::get_from(&self.0, name)
    }

    /// A variable's label from a map of labels, or its name; a dummy term `variable=level`
    /// reads `Label: level`.
    pub fn get_from(labels: &BTreeMap<String, String>, name: &str) -> String {
        if let Some(label) = labels.get(name) {
            return label.clone();
        }
        match name.split_once('=') {
            Some((variable, level)) => format!(
                "{}: {level}",
                labels.get(variable).map_or(variable, String::as_str)
            ),
            None => name.to_string(),
        }
    }
}

/// A variable's readable name in a results file, without copying its labels.
pub fn label(results: &Results, name: &str) -> String {
    Labels::get_from(&results.labels, name)
}

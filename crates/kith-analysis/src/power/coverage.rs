//! Whether a population model defines the effects a plan tests: a predictor the model gives
//! no path to the outcome (directly or through others), an indirect path with a missing link,
//! an interaction the outcome has no product term for. Power for such an effect is the rate
//! of false positives, which a researcher should know before reading it as power.

use crate::plan::{OneOrMany, Plan};
use crate::simulate::PopulationModel;
use kith_instrument::diagnostic::DocPath;
use std::collections::{BTreeMap, BTreeSet};

/// The hint of an effect the model does not define.
pub const UNDEFINED_HINT: &str = "give the model a path for the effect (docs/simulate.md), or read its power as the test's false-positive rate";

/// An effect the model does not define: where the plan tests it and what is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Undefined {
    pub path: DocPath,
    pub message: String,
}

/// The model as a graph: each value's direct sources (products split into their factors),
/// the product terms of each value, and the correlations.
struct Graph {
    /// The model value each plan variable stands for.
    values: BTreeMap<String, String>,
    sources: BTreeMap<String, BTreeSet<String>>,
    products: BTreeMap<String, BTreeSet<BTreeSet<String>>>,
    correlated: Vec<(String, String)>,
}

impl Graph {
    fn new(model: &PopulationModel) -> Graph {
        let mut values = BTreeMap::new();
        let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut products: BTreeMap<String, BTreeSet<BTreeSet<String>>> = BTreeMap::new();
        let mut add = |id: &str, paths: &BTreeMap<String, f64>| {
            for (key, &value) in paths {
                if value == 0.0 {
                    continue;
                }
                let factors: BTreeSet<String> = crate::simulate::path_sources(key)
                    .map(str::to_string)
                    .collect();
                if factors.len() > 1 {
                    products
                        .entry(id.to_string())
                        .or_default()
                        .insert(factors.clone());
                }
                sources.entry(id.to_string()).or_default().extend(factors);
            }
        };
        for construct in &model.constructs {
            values.insert(construct.id.clone(), construct.id.clone());
            if let Some(score) = &construct.score {
                values.insert(score.clone(), construct.id.clone());
            }
            add(&construct.id, &construct.paths);
        }
        for outcome in &model.outcomes {
            values.insert(outcome.item.clone(), outcome.item.clone());
            add(&outcome.item, &outcome.paths);
        }
        for relation in model.organization.iter().flat_map(|o| &o.relations) {
            let id = relation.value_id();
            // Every measure of a relation's network is a function of its ties.
            values.insert(id.clone(), id.clone());
            let mut from: BTreeSet<String> = relation.sender.keys().cloned().collect();
            from.extend(relation.receiver.keys().cloned());
            sources.entry(id).or_default().extend(from);
        }
        let correlated = model
            .correlations
            .iter()
            .flat_map(|(a, row)| {
                row.iter()
                    .filter(|(_, r)| **r != 0.0)
                    .map(move |(b, _)| (a.clone(), b.clone()))
            })
            .collect();
        Graph {
            values,
            sources,
            products,
            correlated,
        }
    }

    /// The model value of a plan variable: a construct's score, an outcome's item, or a
    /// network measure (`advice_betweenness` stands for the advice relation).
    fn value(&self, plan: &Plan, variable: &str) -> Option<String> {
        if let Some(value) = self.values.get(variable) {
            return Some(value.clone());
        }
        plan.networks.iter().find_map(|network| {
            let id = format!("{}_indegree", network.name);
            (variable.starts_with(&format!("{}_", network.name)) && self.values.contains_key(&id))
                .then_some(id)
        })
    }

    /// Every value `value` depends on, itself excluded; bounded by the number of values.
    fn ancestors(&self, value: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![value.to_string()];
        while let Some(current) = stack.pop() {
            for source in self.sources.get(&current).into_iter().flatten() {
                if seen.insert(source.clone()) {
                    stack.push(source.clone());
                }
            }
        }
        seen
    }

    /// Whether two values are connected at all (a path or a correlation, in any direction).
    fn connected(&self, a: &str, b: &str) -> bool {
        let mut links: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (to, from) in &self.sources {
            for source in from {
                links.entry(to).or_default().push(source);
                links.entry(source).or_default().push(to);
            }
        }
        for (x, y) in &self.correlated {
            links.entry(x).or_default().push(y);
            links.entry(y).or_default().push(x);
        }
        let mut seen = BTreeSet::from([a]);
        let mut stack = vec![a];
        while let Some(current) = stack.pop() {
            if current == b {
                return true;
            }
            for &next in links.get(current).into_iter().flatten() {
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
        false
    }

    fn depends(&self, plan: &Plan, outcome: &str, on: &str) -> bool {
        match (self.value(plan, outcome), self.value(plan, on)) {
            (Some(y), Some(x)) => self.ancestors(&y).contains(&x),
            _ => false,
        }
    }

    fn has_product(&self, plan: &Plan, outcome: &str, a: &str, b: &str) -> bool {
        let (Some(y), Some(a), Some(b)) = (
            self.value(plan, outcome),
            self.value(plan, a),
            self.value(plan, b),
        ) else {
            return false;
        };
        self.products
            .get(&y)
            .is_some_and(|set| set.contains(&BTreeSet::from([a, b])))
    }
}

fn mediators(m: &OneOrMany) -> Vec<String> {
    m.to_vec()
}

/// The effects of `plan` that `model` does not define, one per analysis; with `only`, of the
/// analyses it names (as `kith power --only` does).
pub fn undefined_effects(plan: &Plan, model: &PopulationModel, only: &[String]) -> Vec<Undefined> {
    let mut all = all_undefined(plan, model);
    if !only.is_empty() {
        all.retain(|u| {
            let key = u.path.to_string();
            only.iter().any(|o| super::selection::names(o, &key))
        });
    }
    all
}

fn all_undefined(plan: &Plan, model: &PopulationModel) -> Vec<Undefined> {
    let graph = Graph::new(model);
    let root = DocPath::root();
    let mut out = Vec::new();
    let mut report = |path: DocPath, what: &str, missing: Vec<String>| {
        if !missing.is_empty() {
            out.push(Undefined {
                path,
                message: format!(
                    "the population model does not define {what}: {}; its power is the rate of false positives",
                    missing.join(", ")
                ),
            });
        }
    };
    for (i, spec) in plan.models.iter().enumerate() {
        let missing = spec
            .predictors
            .iter()
            .filter(|p| !graph.depends(plan, &spec.outcome, p))
            .map(|p| format!("`{p}` → `{}`", spec.outcome))
            .collect();
        report(
            root.key("models").index(i),
            "every effect this model tests",
            missing,
        );
    }
    for (i, spec) in plan.mediation.iter().enumerate() {
        let mut missing = Vec::new();
        for m in mediators(&spec.m) {
            if !graph.depends(plan, &m, &spec.x) {
                missing.push(format!("`{}` → `{m}`", spec.x));
            }
            if !graph.depends(plan, &spec.y, &m) {
                missing.push(format!("`{m}` → `{}`", spec.y));
            }
        }
        report(
            root.key("mediation").index(i),
            "every path of this mediation",
            missing,
        );
    }
    for (i, spec) in plan.moderation.iter().enumerate() {
        let missing = (!graph.has_product(plan, &spec.y, &spec.x, &spec.w))
            .then(|| format!("`{}:{}` in `{}`", spec.x, spec.w, spec.y))
            .into_iter()
            .collect();
        report(root.key("moderation").index(i), "this interaction", missing);
    }
    for (i, spec) in plan.moderated_mediation.iter().enumerate() {
        let missing = mediators(&spec.m)
            .into_iter()
            .filter_map(|m| {
                let (outcome, a, b) = match spec.model {
                    14 => (spec.y.clone(), m.clone(), spec.w.clone()),
                    _ => (m.clone(), spec.x.clone(), spec.w.clone()),
                };
                (!graph.has_product(plan, &outcome, &a, &b))
                    .then(|| format!("`{a}:{b}` in `{outcome}`"))
            })
            .collect();
        report(
            root.key("moderated_mediation").index(i),
            "the moderation this index tests",
            missing,
        );
    }
    for (i, spec) in plan.comparisons.iter().enumerate() {
        let missing = (!graph.depends(plan, &spec.outcome, &spec.group))
            .then(|| format!("`{}` → `{}`", spec.group, spec.outcome))
            .into_iter()
            .collect();
        report(
            root.key("comparisons").index(i),
            "the difference this comparison tests",
            missing,
        );
    }
    for spec in plan.correlation_specs() {
        let mut missing = Vec::new();
        for (a, x) in spec.variables.iter().enumerate() {
            for y in &spec.variables[a + 1..] {
                let linked = match (graph.value(plan, x), graph.value(plan, y)) {
                    (Some(vx), Some(vy)) => graph.connected(&vx, &vy),
                    _ => false,
                };
                if !linked {
                    missing.push(format!("`{x}` with `{y}`"));
                }
            }
        }
        report(root.key("correlations"), "these correlations", missing);
    }
    out
}

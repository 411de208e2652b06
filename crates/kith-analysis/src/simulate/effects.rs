//! Effect sizes written on the command line (`kith power --effect`), applied to a population
//! model: `y ~ x = 0.3` sets the path from x to y, `y ~ x:w = 0.1` an interaction, and
//! `a ~~ b = 0.2` the correlation of two constructs without paths. Names are the plan's: a
//! score stands for the construct it measures, an item for its outcome.

use super::{ModelError, PopulationModel, model_error};
use kith_instrument::diagnostic::did_you_mean;

/// The longest effect a command line may give, in bytes.
pub const MAX_EFFECT_LENGTH: usize = 200;

const SYNTAX_HINT: &str = "write `outcome ~ predictor = 0.3` for a path, `outcome ~ x:w = 0.1` for an interaction, or `a ~~ b = 0.2` for a correlation";

/// The model value a plan variable names: a construct (by its id or its score) or an outcome
/// (by its item), or an organization's in-degree.
fn value_of(model: &PopulationModel, name: &str) -> Result<String, ModelError> {
    let construct = model
        .constructs
        .iter()
        .find(|c| c.id == name || c.score.as_deref() == Some(name));
    if let Some(construct) = construct {
        return Ok(construct.id.clone());
    }
    let known_value = model.outcomes.iter().any(|o| o.item == name)
        || model
            .organization
            .iter()
            .flat_map(|o| &o.relations)
            .any(|r| r.value_id() == name);
    if known_value {
        return Ok(name.to_string());
    }
    let names: Vec<String> = model
        .constructs
        .iter()
        .flat_map(|c| std::iter::once(c.id.clone()).chain(c.score.clone()))
        .chain(model.outcomes.iter().map(|o| o.item.clone()))
        .collect();
    let suggestion = did_you_mean(name, names.iter().map(String::as_str))
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Err(model_error(
        format!("the population model has no construct or outcome `{name}`"),
        &format!(
            "{suggestion}name a construct's id or score, or an outcome's item, of the model (docs/simulate.md)"
        ),
    ))
}

/// Applies one effect to the model.
pub fn apply_effect(model: &mut PopulationModel, effect: &str) -> Result<(), ModelError> {
    if effect.len() > MAX_EFFECT_LENGTH {
        return Err(model_error(
            format!("the effect is {} bytes long", effect.len()),
            &format!("an effect has at most {MAX_EFFECT_LENGTH} bytes; {SYNTAX_HINT}"),
        ));
    }
    let malformed = || model_error(format!("`{effect}` is not an effect"), SYNTAX_HINT);
    let (relation, value) = effect.rsplit_once('=').ok_or_else(malformed)?;
    let value: f64 = value.trim().parse().map_err(|_| malformed())?;
    if !value.is_finite() {
        return Err(malformed());
    }
    if let Some((a, b)) = relation.split_once("~~") {
        if !(-1.0 < value && value < 1.0) {
            return Err(model_error(
                format!("the correlation {value} of `{effect}` is not between −1 and 1"),
                "a correlation is written as a number between −1 and 1, e.g. 0.2",
            ));
        }
        let (a, b) = (value_of(model, a.trim())?, value_of(model, b.trim())?);
        for id in [&a, &b] {
            if !model
                .constructs
                .iter()
                .any(|c| c.id == *id && c.paths.is_empty())
            {
                return Err(model_error(
                    format!("`{id}` of `{effect}` is not a construct without paths"),
                    "correlations are among constructs without paths; an outcome or a construct with paths is correlated with others through its paths",
                ));
            }
        }
        if a == b {
            return Err(model_error(
                format!("`{effect}` correlates `{a}` with itself"),
                "name two different constructs",
            ));
        }
        // One entry per pair: the other order is dropped.
        if let Some(row) = model.correlations.get_mut(&b) {
            row.remove(&a);
        }
        model.correlations.entry(a).or_default().insert(b, value);
        return Ok(());
    }
    let (outcome, predictor) = relation.split_once('~').ok_or_else(malformed)?;
    let outcome = value_of(model, outcome.trim())?;
    let mut sources = Vec::new();
    for source in predictor.split(':') {
        let source = source.trim();
        if source.is_empty() {
            return Err(malformed());
        }
        sources.push(value_of(model, source)?);
    }
    if sources.contains(&outcome) {
        return Err(model_error(
            format!("`{effect}` makes `{outcome}` depend on itself"),
            "a path goes from a predictor to another outcome",
        ));
    }
    let key = sources.join(":");
    let paths = match model.constructs.iter_mut().find(|c| c.id == outcome) {
        Some(construct) => &mut construct.paths,
        None => match model.outcomes.iter_mut().find(|o| o.item == outcome) {
            Some(item) => &mut item.paths,
            None => {
                return Err(model_error(
                    format!("`{outcome}` is drawn from its own tie model, not from paths"),
                    "set a path into a construct or an outcome",
                ));
            }
        },
    };
    paths.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::apply_effect;
    use crate::simulate::{DEFAULT_MODEL, parse_model};

    #[track_caller]
    fn check(effect: &str, expected: Result<(&str, &str, f64), &str>) {
        let mut model = parse_model(DEFAULT_MODEL).expect("default model");
        match (apply_effect(&mut model, effect), expected) {
            (Ok(()), Ok((into, key, value))) => {
                let paths = model
                    .constructs
                    .iter()
                    .find(|c| c.id == into)
                    .map(|c| &c.paths)
                    .or_else(|| {
                        model
                            .outcomes
                            .iter()
                            .find(|o| o.item == into)
                            .map(|o| &o.paths)
                    });
                let found = paths
                    .and_then(|p| p.get(key))
                    .or_else(|| model.correlations.get(into).and_then(|row| row.get(key)));
                assert_eq!(found, Some(&value), "{effect}");
            }
            (Err(error), Err(message)) => {
                assert!(
                    error.message.contains(message),
                    "{effect}: {}",
                    error.message
                );
                assert!(!error.hint.is_empty());
            }
            (got, want) => panic!("{effect}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn effects_set_paths_interactions_and_correlations_by_the_plans_names() {
        check(
            "embeddedness ~ internal_networking = 0.5",
            Ok(("embeddedness", "internal_networking", 0.5)),
        );
        // A score names its construct: `wami_total` is `meaningful_work`.
        check(
            "wami_total ~ status_motive = -0.1",
            Ok(("meaningful_work", "status_motive", -0.1)),
        );
        check(
            "job_offers ~ external_networking = 0.1",
            Ok(("job_offers", "external_networking", 0.1)),
        );
        check(
            "career_satisfaction ~ enjoyment_motive:embeddedness = 0.15",
            Ok(("career_satisfaction", "enjoyment_motive:embeddedness", 0.15)),
        );
        check(
            "status_motive ~~ helping_motive = 0.3",
            Ok(("status_motive", "helping_motive", 0.3)),
        );
        check("embeddedness = 0.5", Err("is not an effect"));
        check(
            "embeddedness ~ internal_networking = big",
            Err("is not an effect"),
        );
        check(
            "embeddedness ~ internal_networkin = 0.5",
            Err("has no construct or outcome `internal_networkin`"),
        );
        check(
            "helping_motive ~~ enjoyment_motive = 1.2",
            Err("is not between −1 and 1"),
        );
        check(
            "embeddedness ~~ helping_motive = 0.2",
            Err("is not a construct without paths"),
        );
        check("embeddedness ~ embeddedness = 0.2", Err("depend on itself"));
        check(&format!("{} ~ a = 1", "x".repeat(300)), Err("bytes long"));
    }
}

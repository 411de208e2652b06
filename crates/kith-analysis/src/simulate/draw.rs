//! Drawing respondents: latent constructs, outcomes and items from a population model, then
//! careless answering and missingness, as a data frame.

use super::*;

/// The answer codes of a rating scale in order, or None for other scales.
pub(super) fn ordered_codes(scale: &ResponseScale) -> Option<Vec<f64>> {
    match scale {
        ResponseScale::Likert { values, .. } => Some(values.iter().map(|&v| v as f64).collect()),
        ResponseScale::SingleChoice { options } => {
            Some(options.iter().map(|o| o.value as f64).collect())
        }
        _ => None,
    }
}

pub(super) fn categorize(latent: f64, codes: &[f64]) -> f64 {
    let k = codes.len();
    let mut category = 0;
    for cut in 1..k {
        let threshold =
            THRESHOLD_STRETCH * crate::distributions::normal_quantile(cut as f64 / k as f64);
        if latent > threshold {
            category = cut;
        }
    }
    codes[category]
}

pub(super) fn numeric_bounds(scale: &ResponseScale) -> (f64, f64, bool) {
    match scale {
        ResponseScale::Numeric {
            min, max, integer, ..
        } => (
            min.unwrap_or(f64::NEG_INFINITY),
            max.unwrap_or(f64::INFINITY),
            *integer,
        ),
        _ => (f64::NEG_INFINITY, f64::INFINITY, false),
    }
}

pub(super) fn fit_to_scale(value: f64, scale: &ResponseScale) -> f64 {
    let (min, max, integer) = numeric_bounds(scale);
    let value = if integer {
        value.round()
    } else {
        (value * 100.0).round() / 100.0
    };
    value.clamp(min, max)
}

pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

pub(super) fn variance(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n
}

/// Simulates `n` respondents of a form under a model.
pub fn simulate(
    form: &Form,
    model: &PopulationModel,
    n: usize,
    seed: u64,
) -> Result<SimulatedData, ModelError> {
    for (name, share) in [
        ("missing", model.missing),
        ("careless.straight_liners", model.careless.straight_liners),
        ("careless.random", model.careless.random),
    ] {
        if !(0.0..1.0).contains(&share) {
            return Err(model_error(
                format!("`{name}: {share}` is not a share between 0 and 1"),
                "write shares as proportions, e.g. 0.05",
            ));
        }
    }
    let order = ordered(model)?;
    super::organization::check(model, n)?;
    let organization = model.organization.as_ref().map(|o| {
        let members = super::organization::members(o, n);
        let units: Vec<usize> = (0..members).map(|i| i % o.units.len()).collect();
        (o, units)
    });
    let mut networks = Vec::new();
    // Check references to the survey.
    for construct in &model.constructs {
        if !(construct.loading > 0.0 && construct.loading < 1.0) {
            return Err(model_error(
                format!(
                    "the loading {} of `{}` is not between 0 and 1",
                    construct.loading, construct.id
                ),
                "loadings are standardized: 0.7 is a typical value",
            ));
        }
        if let Some(score) = &construct.score
            && !form.scores().any(|s| s.id == *score)
        {
            let scores: Vec<&str> = form.scores().map(|s| s.id.as_str()).collect();
            return Err(model_error(
                format!(
                    "the construct `{}` names the score `{score}`, which `{}` does not have",
                    construct.id, form.id
                ),
                &format!("the survey's scores are: {}", scores.join(", ")),
            ));
        }
    }
    for outcome in &model.outcomes {
        let Some(item) = form.item(&outcome.item) else {
            return Err(model_error(
                format!(
                    "the outcome `{}` is not an item of `{}`",
                    outcome.item, form.id
                ),
                "outcomes name items of the survey",
            ));
        };
        let codes = ordered_codes(&item.response);
        let fits = match outcome.family {
            OutcomeFamily::Ordinal | OutcomeFamily::Categorical => codes.is_some(),
            OutcomeFamily::Binomial => codes.as_ref().is_some_and(|c| c.len() == 2),
            _ => matches!(item.response, ResponseScale::Numeric { .. }),
        };
        if !fits {
            return Err(model_error(
                format!(
                    "the outcome `{}` cannot be drawn as {:?}: its scale does not fit",
                    outcome.item, outcome.family
                ),
                "poisson, lognormal and normal outcomes need numeric items; binomial a two-option item; ordinal and categorical a rating or choice item",
            ));
        }
        if outcome.family == OutcomeFamily::Categorical
            && codes
                .as_ref()
                .is_some_and(|c| c.len() != outcome.probabilities.len())
        {
            return Err(model_error(
                format!(
                    "the categorical outcome `{}` needs one probability per option",
                    outcome.item
                ),
                "list the probabilities in the scale's order",
            ));
        }
    }

    let mut rng = resample_rng(seed, u64::MAX);
    // Exogenous constructs: multivariate normal with the given correlations.
    let exogenous: Vec<&Construct> = model
        .constructs
        .iter()
        .filter(|c| c.paths.is_empty())
        .collect();
    let k = exogenous.len();
    let mut correlation = DMatrix::<f64>::identity(k, k);
    for (a, row) in &model.correlations {
        for (b, r) in row {
            let ia = exogenous.iter().position(|c| c.id == *a);
            let ib = exogenous.iter().position(|c| c.id == *b);
            match (ia, ib) {
                (Some(i), Some(j)) if i != j => {
                    correlation[(i, j)] = *r;
                    correlation[(j, i)] = *r;
                }
                _ => {
                    return Err(model_error(
                        format!(
                            "the correlation {a} ~ {b} is not between two constructs without paths"
                        ),
                        "correlations are given among exogenous constructs; a construct with paths gets its correlations from them",
                    ));
                }
            }
        }
    }
    let cholesky = correlation.clone().cholesky().ok_or_else(|| {
        model_error(
            "the constructs' correlation matrix is not positive definite".to_string(),
            "some correlations contradict each other; make them smaller or consistent",
        )
    })?;
    let lower = cholesky.l();
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut draws = vec![vec![0.0; n]; k];
    for row in 0..n {
        let z: Vec<f64> = (0..k).map(|_| normal(&mut rng)).collect();
        for (i, draw) in draws.iter_mut().enumerate() {
            draw[row] = (0..=i).map(|j| lower[(i, j)] * z[j]).sum();
        }
    }
    for (construct, draw) in exogenous.iter().zip(draws) {
        values.insert(construct.id.clone(), draw);
    }
    let mut item_values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for node in &order {
        if let (Node::Network(index, relation), Some((_, units))) = (node, &organization) {
            let (ties, indegree) =
                super::organization::draw_relation(relation, *index, units, &values, n, seed);
            values.insert(relation.value_id(), indegree);
            networks.push((*index, relation.name.clone(), ties));
            continue;
        }
        let linear: Vec<f64> = (0..n)
            .map(|row| {
                node.paths()
                    .iter()
                    .map(|(from, b)| {
                        b * path_sources(from).map(|s| values[s][row]).product::<f64>()
                    })
                    .sum()
            })
            .collect();
        match node {
            Node::Construct(construct) => {
                if !construct.paths.is_empty() {
                    let residual = (1.0 - variance(&linear)).max(MIN_RESIDUAL_VARIANCE).sqrt();
                    let latent = linear
                        .iter()
                        .map(|l| l + residual * normal(&mut rng))
                        .collect();
                    values.insert(construct.id.clone(), latent);
                }
            }
            Node::Outcome(outcome) => {
                let Some(item) = form.item(&outcome.item) else {
                    return Err(model_error(
                        format!("the survey has no item `{}`", outcome.item),
                        "an outcome names an item of the survey",
                    ));
                };
                let codes = match outcome.family {
                    OutcomeFamily::Binomial
                    | OutcomeFamily::Ordinal
                    | OutcomeFamily::Categorical => {
                        let Some(codes) = ordered_codes(&item.response) else {
                            return Err(model_error(
                                format!(
                                    "the outcome `{}` is not a rating or choice item",
                                    outcome.item
                                ),
                                "binomial, ordinal and categorical outcomes are drawn for likert and choice items",
                            ));
                        };
                        codes
                    }
                    _ => Vec::new(),
                };
                let sd = outcome.sd.unwrap_or(1.0);
                let (node_values, answers): (Vec<f64>, Vec<f64>) = linear
                    .iter()
                    .map(|l| {
                        let eta = outcome.intercept + l;
                        match outcome.family {
                            OutcomeFamily::Poisson => {
                                let mean = eta.exp().min(1e6);
                                let count: f64 = Poisson::new(mean)
                                    .map(|p| p.sample(&mut rng))
                                    .unwrap_or(0.0);
                                let count = fit_to_scale(count, &item.response);
                                (count, count)
                            }
                            OutcomeFamily::Binomial => {
                                let p = 1.0 / (1.0 + (-eta).exp());
                                let event = rng.random::<f64>() < p;
                                // The event is code 1 when the codes are 0 and 1, else the second option.
                                let code = if codes.contains(&0.0) && codes.contains(&1.0) {
                                    if event { 1.0 } else { 0.0 }
                                } else if event {
                                    codes[1]
                                } else {
                                    codes[0]
                                };
                                (f64::from(u8::from(event)), code)
                            }
                            OutcomeFamily::Lognormal => {
                                let log_value = eta + sd * normal(&mut rng);
                                (log_value, fit_to_scale(log_value.exp(), &item.response))
                            }
                            OutcomeFamily::Normal => {
                                let value =
                                    fit_to_scale(eta + sd * normal(&mut rng), &item.response);
                                (value, value)
                            }
                            OutcomeFamily::Ordinal => {
                                let residual =
                                    (1.0 - variance(&linear)).max(MIN_RESIDUAL_VARIANCE).sqrt();
                                let latent = eta + residual * normal(&mut rng);
                                (latent, categorize(latent, &codes))
                            }
                            OutcomeFamily::Categorical => {
                                let total: f64 = outcome.probabilities.iter().sum();
                                let mut u = rng.random::<f64>() * total;
                                let mut chosen = codes[codes.len() - 1];
                                for (code, p) in codes.iter().zip(&outcome.probabilities) {
                                    if u < *p {
                                        chosen = *code;
                                        break;
                                    }
                                    u -= p;
                                }
                                (chosen, chosen)
                            }
                        }
                    })
                    .unzip();
                values.insert(outcome.item.clone(), node_values);
                item_values.insert(outcome.item.clone(), answers);
            }
            // Drawn above, before the paths.
            Node::Network(..) => {}
        }
    }
    // Items of measured constructs.
    for construct in &model.constructs {
        let Some(score_id) = &construct.score else {
            continue;
        };
        let Some(score) = form.scores().find(|s| s.id == *score_id) else {
            return Err(model_error(
                format!("the survey has no score `{score_id}`"),
                "a construct's `score` names a score of the survey",
            ));
        };
        let latent = &values[&construct.id];
        let unique = (1.0 - construct.loading * construct.loading).sqrt();
        for item_id in &score.items {
            let Some(item) = form.item(item_id) else {
                continue;
            };
            let Some(codes) = ordered_codes(&item.response) else {
                return Err(model_error(
                    format!("the item `{item_id}` of `{score_id}` is not a rating item"),
                    "only likert and choice items are drawn from a construct",
                ));
            };
            let sign = if item.item.reverse { -1.0 } else { 1.0 };
            let answers = latent
                .iter()
                .map(|eta| {
                    let response = sign * construct.loading * eta
                        + unique * normal(&mut rng)
                        + construct.shift;
                    categorize(response, &codes)
                })
                .collect();
            item_values.insert(item_id.clone(), answers);
        }
    }
    // Everything else, independently.
    let mut independent_items = Vec::new();
    for item in form.items() {
        if item_values.contains_key(&item.item.id) {
            continue;
        }
        independent_items.push(item.item.id.clone());
        let answers = (0..n).map(|_| independent_answer(item, &mut rng)).collect();
        item_values.insert(item.item.id.clone(), answers);
    }
    // Careless respondents and missing answers.
    let mut careless = vec![0u8; n];
    for kind in careless.iter_mut() {
        let u: f64 = rng.random();
        if u < model.careless.straight_liners {
            *kind = 1;
        } else if u < model.careless.straight_liners + model.careless.random {
            *kind = 2;
        }
    }
    let book = kith_instrument::codebook::codebook(form);
    let mut columns = Vec::new();
    let mut positions = vec![0usize; n];
    for (row, position) in positions.iter_mut().enumerate() {
        if careless[row] == 1 {
            *position = rng.random_range(0..7);
        }
    }
    for column in &book.columns {
        use kith_instrument::codebook::ColumnRole;
        let values: Vec<f64> = match column.role {
            ColumnRole::Id => continue,
            ColumnRole::Item => {
                // The codebook's item columns are the form's items.
                let Some(item) = form.item(&column.name) else {
                    continue;
                };
                let codes = match &item.response {
                    ResponseScale::Likert { .. } => ordered_codes(&item.response),
                    _ => None,
                };
                let answers = &item_values[&column.name];
                (0..n)
                    .map(|row| {
                        let answer = match (&codes, careless[row]) {
                            (Some(codes), 1) => codes[positions[row].min(codes.len() - 1)],
                            (Some(codes), 2) => codes[rng.random_range(0..codes.len())],
                            _ => answers[row],
                        };
                        if !item.item.required && rng.random::<f64>() < model.missing {
                            f64::NAN
                        } else {
                            answer
                        }
                    })
                    .collect()
            }
            ColumnRole::Option => (0..n)
                .map(|_| f64::from(u8::from(rng.random::<f64>() < 0.3)))
                .collect(),
            ColumnRole::AttentionCheck => {
                let codes: Vec<f64> = column.values.iter().map(|v| v.value as f64).collect();
                let expected = column.expected_answer.map_or(f64::NAN, |e| e as f64);
                (0..n)
                    .map(|row| match careless[row] {
                        1 if !codes.is_empty() => codes[positions[row].min(codes.len() - 1)],
                        2 if !codes.is_empty() => codes[rng.random_range(0..codes.len())],
                        _ => expected,
                    })
                    .collect()
            }
        };
        columns.push((column.name.clone(), values));
    }
    let width = n.to_string().len().max(4);
    let mut data = SimulatedData {
        ids: (1..=n).map(|i| format!("S{i:0width$}")).collect(),
        columns,
        independent_items,
        careless,
        texts: Vec::new(),
        organization: organization.map(|(o, units)| super::organization::SimulatedOrganization {
            members: units.len(),
            units: units.iter().map(|&u| o.units[u].clone()).collect(),
            // In the model's order, not the order they were drawn in.
            networks: {
                networks.sort_by_key(|(index, _, _)| *index);
                networks
                    .into_iter()
                    .map(|(_, name, ties)| (name, ties))
                    .collect()
            },
        }),
    };
    super::logic::apply_logic(form, &mut data);
    Ok(data)
}

pub(super) fn independent_answer(item: &FormItem, rng: &mut ChaCha8Rng) -> f64 {
    match &item.response {
        ResponseScale::Likert { values, .. } => categorize(
            normal(rng),
            &values.iter().map(|&v| v as f64).collect::<Vec<_>>(),
        ),
        ResponseScale::SingleChoice { options } => {
            options[rng.random_range(0..options.len())].value as f64
        }
        ResponseScale::Numeric { .. } => {
            let (min, max, _) = numeric_bounds(&item.response);
            let (low, high) = (
                if min.is_finite() { min } else { 0.0 },
                if max.is_finite() {
                    max.min(100.0)
                } else {
                    100.0
                },
            );
            fit_to_scale(low + rng.random::<f64>() * (high - low), &item.response)
        }
        _ => f64::NAN,
    }
}

/// The simulated data as a polars frame: whole-number columns as integers.
pub fn to_frame(data: &SimulatedData) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let mut columns = vec![Column::new("respondent_id".into(), &data.ids)];
    for (name, values) in &data.columns {
        let whole = values.iter().all(|v| v.is_nan() || v.fract() == 0.0);
        let column = if whole {
            let ints: Vec<Option<i64>> = values
                .iter()
                .map(|v| (!v.is_nan()).then_some(*v as i64))
                .collect();
            Column::new(name.as_str().into(), ints)
        } else {
            let floats: Vec<Option<f64>> =
                values.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
            Column::new(name.as_str().into(), floats)
        };
        columns.push(column);
    }
    for (name, values) in &data.texts {
        columns.push(Column::new(name.as_str().into(), values));
    }
    DataFrame::new(data.ids.len(), columns)
}

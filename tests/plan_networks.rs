//! A plan's `networks:` through `kith analyze`: an edge list over a roster becomes each
//! respondent's network measures, which enter a model like any score; results.json carries the
//! network-level statistics, and the report's table shows them. Against igraph and `lm`
//! (`tests/r/networks.R`).

use crate::common::root;
use crate::tolerance::{CLOSED_FORM, Mismatches};
use serde_json::Value;

#[test]
fn network_measures_from_an_edge_list_enter_a_model_and_match_r() {
    let (out, results) = crate::analyze_plan("tests/data/analysis/networks.yaml", "networks");
    let text = std::fs::read_to_string(root().join("tests/data/reference/networks.json"))
        .expect("the fixture");
    let reference: Value = serde_json::from_str(&text).expect("JSON");
    let mut m = Mismatches::default();
    let number = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let network = &results["networks"][0];
    assert_eq!(network["name"], "advice");
    assert_eq!(
        network["people"], 30,
        "the roster keeps the two who did not respond"
    );
    assert_eq!(network["respondents"], 28);
    let whole = &reference["networks"]["generated"]["network"];
    for key in ["density", "reciprocity", "transitivity", "centralization"] {
        m.check(
            &format!("network {key}"),
            number(&network["network"][key]),
            &whole[key],
            CLOSED_FORM,
        );
    }
    assert_eq!(network["network"]["ties"], whole["ties"]);
    // The model of turnover on tenure, advice in-degree and betweenness, as R fits it.
    let model = &results["models"][0];
    let study = &reference["study"];
    let r_terms = ["(Intercept)", "tenure", "indegree", "between"];
    for (k, term) in [
        "(Intercept)",
        "tenure",
        "advice_indegree",
        "advice_betweenness",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(study["terms"][k], r_terms[k]);
        let c = model["coefficients"]
            .as_array()
            .expect("coefficients")
            .iter()
            .find(|c| c["term"] == *term)
            .unwrap_or_else(|| panic!("the term {term}"));
        m.check(
            &format!("{term} b"),
            number(&c["b"]),
            &study["b"][k],
            CLOSED_FORM,
        );
        m.check(
            &format!("{term} se"),
            number(&c["se"]),
            &study["se"][k],
            CLOSED_FORM,
        );
    }
    m.check("R²", number(&model["r2"]), &study["r2"], CLOSED_FORM);
    m.assert_none("networks in a plan");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    for expected in [
        "Table 2. The networks.",
        "| Statistic | advice |",
        "| Relation | instrumental |",
        "| People | 30 |",
        "| Respondents | 28 |",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    // Roster ids are personal data: results.json carries counts and variable names only.
    let written = std::fs::read_to_string(out.join("results.json")).expect("results.json");
    assert!(!written.contains("\"p05\""), "no roster id in results.json");
}

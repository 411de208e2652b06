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
    // The sociogram's data: people by position, coloured by the roster's units (ten of
    // each), sized by in-degree as igraph counts it, and every tie once.
    let sociogram = &network["sociogram"];
    assert_eq!(sociogram["colour"], "unit");
    assert_eq!(
        sociogram["groups"],
        serde_json::json!(["Operations", "Research", "Sales"]),
        "equal groups in the order of their names"
    );
    let numbers = |v: &Value| -> Vec<f64> {
        v.as_array()
            .expect("a list")
            .iter()
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    assert_eq!(
        numbers(&sociogram["in_degree"]),
        numbers(&reference["networks"]["generated"]["indegree"])
    );
    assert_eq!(
        sociogram["ties"].as_array().map(Vec::len),
        whole["ties"].as_u64().map(|t| t as usize)
    );
    // p01 is in Sales (the roster's units repeat Sales, Research, Operations).
    assert_eq!(sociogram["group"][0], 2);
    assert!(
        report.contains("*Figure 1.* The advice network: each dot is a person on the roster"),
        "the sociogram's caption\n{report}"
    );
    assert!(
        report.contains("- **The advice network** (instrumental; 30 people, 28 of them respondents): 56 ties, a density of .064;"),
        "the network's finding\n{report}"
    );
    // Roster ids are personal data: results.json carries counts and variable names only.
    let written = std::fs::read_to_string(out.join("results.json")).expect("results.json");
    assert!(!written.contains("\"p05\""), "no roster id in results.json");
    assert!(!written.contains("\"p01\""), "no roster id in results.json");
}

/// A sociogram coloured by a variable of the data: only respondents have a value, so the two
/// who did not respond have none (grey in the picture); with more values than colours, the
/// smallest groups become "other".
#[test]
fn a_sociogram_can_be_coloured_by_a_variable_of_the_data() {
    let (_, results) = crate::analyze_plan(
        "tests/data/analysis/networks-coloured.yaml",
        "networks-coloured",
    );
    let sociogram = &results["networks"][0]["sociogram"];
    assert_eq!(sociogram["colour"], "tenure");
    let groups = sociogram["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 8, "seven values and other: {groups:?}");
    assert_eq!(groups[7], "other");
    assert_eq!(
        groups[0], "2.3",
        "the one tenure two respondents share, first"
    );
    let group = sociogram["group"].as_array().expect("groups");
    // p05 and p17 (positions 4 and 16) did not respond.
    assert!(group[4].is_null() && group[16].is_null(), "{group:?}");
    assert_eq!(group.iter().filter(|g| g.is_null()).count(), 2);
    assert_eq!(
        group.iter().filter(|g| **g == 7).count(),
        28 - 2 - 6,
        "the rest are other: {group:?}"
    );
}

/// A network of more people than a sociogram can show (501, a ring with a chord) still gets
/// its measures and table, but no sociogram in results.json and no figure in the report.
#[test]
fn a_network_too_large_to_draw_has_no_sociogram() {
    let folder = root().join("target/kith-test-output/analysis/network-large-input");
    std::fs::create_dir_all(&folder).expect("folder");
    let people: Vec<String> = (0..501).map(|i| format!("e{i}")).collect();
    std::fs::write(
        folder.join("people.csv"),
        format!(
            "id,score\n{}\n",
            people
                .iter()
                .map(|p| format!("{p},1"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    )
    .expect("people");
    let ring: Vec<String> = (0..501)
        .map(|i| format!("{},{}", people[i], people[(i + 1) % 501]))
        .collect();
    // One chord, so that the in-degrees vary.
    std::fs::write(
        folder.join("edges.csv"),
        format!("ego,alter\n{}\ne0,e2\n", ring.join("\n")),
    )
    .expect("edges");
    std::fs::write(
        folder.join("plan.yaml"),
        "data: people.csv\nid: id\nnetworks:\n  - {name: ring, edges: edges.csv}\ndescriptives: [ring_indegree]\n",
    )
    .expect("plan");
    let plan = folder.join("plan.yaml").display().to_string();
    let (out, results) = crate::analyze_plan(&plan, "network-large");
    let network = &results["networks"][0];
    assert_eq!(network["people"], 501);
    assert!(network["sociogram"].is_null(), "{}", network["sociogram"]);
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(report.contains("| People | 501 |"));
    assert!(!report.contains("network: each dot"), "no sociogram figure");
}

/// A roster whose ids are in a column of another name (`roster_id:`) gives the same network.
#[test]
fn a_roster_can_name_its_id_column() {
    let folder = root().join("target/kith-test-output/analysis/network-roster-id-input");
    std::fs::create_dir_all(&folder).expect("folder");
    let roster = std::fs::read_to_string(root().join("tests/data/networks/generated-roster.csv"))
        .expect("roster");
    let renamed = roster.replacen("id,unit", "employee_id,unit", 1);
    assert_ne!(roster, renamed, "the roster's header was renamed");
    std::fs::write(folder.join("roster.csv"), renamed).expect("roster");
    let networks = root().join("tests/data/networks");
    std::fs::write(
        folder.join("plan.yaml"),
        format!(
            "data: {}\nid: id\nnetworks:\n  - {{name: advice, edges: {}, roster: roster.csv, roster_id: employee_id}}\ndescriptives: [advice_indegree]\n",
            networks.join("generated-respondents.csv").display(),
            networks.join("generated.csv").display()
        ),
    )
    .expect("plan");
    let plan = folder.join("plan.yaml").display().to_string();
    let (_, results) = crate::analyze_plan(&plan, "network-roster-id");
    let network = &results["networks"][0];
    assert_eq!(network["people"], 30);
    assert_eq!(network["network"]["ties"], 56);
    assert_eq!(network["sociogram"]["colour"], "unit");
}

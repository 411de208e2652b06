//! Converting Qualtrics survey files (.qsf) into kith files: the fixtures of
//! `tests/data/qualtrics/` convert, pass `kith check`, and match their golden files
//! (`KITH_UPDATE_GOLDEN=1` rewrites them); reverse recodes, logic, what is left out and every
//! refused input, data-driven.

use kith_instrument::import::{Conversion, MAX_QSF_BYTES, MAX_QUESTIONS, convert_qsf};
use kith_instrument::model::{Instrument, Item, ResponseScale, Survey};
use kith_instrument::survey::{MemoryLoader, check_file};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/qualtrics")
}

/// The conversion of a fixture, named as a user would name it.
fn convert(fixture: &str) -> Conversion {
    let path = data().join(format!("{fixture}.qsf"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    convert_qsf(&text, &format!("{fixture}.qsf")).expect("converts")
}

fn file<'c>(conversion: &'c Conversion, path: &str) -> &'c str {
    conversion
        .files
        .iter()
        .find(|file| file.path == path)
        .map(|file| file.text.as_str())
        .unwrap_or_else(|| panic!("no file {path} in {:?}", paths(conversion)))
}

fn paths(conversion: &Conversion) -> Vec<&str> {
    conversion
        .files
        .iter()
        .map(|file| file.path.as_str())
        .collect()
}

fn instrument(conversion: &Conversion, id: &str) -> Instrument {
    serde_yaml::from_str(file(conversion, &format!("instruments/{id}.yaml"))).expect("instrument")
}

fn survey(conversion: &Conversion) -> Survey {
    serde_yaml::from_str(file(conversion, &conversion.survey_path)).expect("survey")
}

/// Checks the converted survey as `kith check` does, from memory: no errors.
#[track_caller]
fn assert_checks(conversion: &Conversion) -> kith_instrument::survey::Checked {
    let mut loader = MemoryLoader::default();
    for file in &conversion.files {
        loader = loader.with(&file.path, &file.text);
    }
    let checked = check_file(Path::new(&conversion.survey_path), &loader);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "{errors:#?}\n{}",
        conversion
            .files
            .iter()
            .map(|f| format!("--- {}\n{}", f.path, f.text))
            .collect::<String>()
    );
    assert!(checked.form.is_some());
    checked
}

/// The first lines where two texts differ.
fn differences(expected: &str, found: &str) -> String {
    let mut out = String::new();
    for (index, (a, b)) in expected.lines().zip(found.lines()).enumerate() {
        if a != b {
            out.push_str(&format!(
                "line {}:\n  expected: {a}\n  found:    {b}\n",
                index + 1
            ));
        }
    }
    if expected.lines().count() != found.lines().count() {
        out.push_str(&format!(
            "{} lines expected, {} found\n",
            expected.lines().count(),
            found.lines().count()
        ));
    }
    out
}

/// Compares every file of a conversion (and its left-out list and notes) with the golden files
/// of `expected/<fixture>/`; `KITH_UPDATE_GOLDEN=1` rewrites them.
fn assert_golden(fixture: &str, conversion: &Conversion) {
    let folder = data().join("expected").join(fixture);
    let update = std::env::var_os("KITH_UPDATE_GOLDEN").is_some();
    let mut outputs: Vec<(String, String)> = conversion
        .files
        .iter()
        .map(|file| (file.path.clone(), file.text.clone()))
        .collect();
    let report: String = conversion
        .left_out
        .iter()
        .map(|l| {
            format!(
                "{} [{}] {}: {}\n",
                l.question_id,
                l.export_tag.as_deref().unwrap_or("-"),
                l.what,
                l.reason
            )
        })
        .chain(
            conversion
                .notes
                .iter()
                .map(|note| format!("note: {note}\n")),
        )
        .collect();
    outputs.push(("conversion.txt".to_string(), report));
    if update {
        let _ = std::fs::remove_dir_all(&folder);
    }
    let mut failures = Vec::new();
    for (path, text) in &outputs {
        let target = folder.join(path);
        if update {
            std::fs::create_dir_all(target.parent().expect("folder")).expect("golden folder");
            std::fs::write(&target, text).expect("golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&target).unwrap_or_default();
        if &expected != text {
            failures.push(format!(
                "{fixture}/{path} differs from {} (KITH_UPDATE_GOLDEN=1 cargo test -p kith-instrument --test qualtrics_import rewrites it):\n{}",
                target.display(),
                differences(&expected, text)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const FIXTURES: &[&str] = &[
    "networking-motives",
    "logic-and-randomization",
    "unconvertible",
];

#[test]
fn every_fixture_converts_checks_and_matches_its_golden_files() {
    for fixture in FIXTURES {
        let conversion = convert(fixture);
        assert_checks(&conversion);
        assert_golden(fixture, &conversion);
    }
}

/// Every instrument of a conversion.
fn instruments(conversion: &Conversion) -> Vec<Instrument> {
    conversion
        .files
        .iter()
        .filter(|file| file.path.starts_with("instruments/"))
        .map(|file| serde_yaml::from_str(&file.text).expect("instrument"))
        .collect()
}

/// The item `id`, wherever the conversion put it.
fn item(conversion: &Conversion, id: &str) -> Option<Item> {
    instruments(conversion)
        .into_iter()
        .flat_map(|instrument| instrument.items)
        .find(|item| item.id == id)
}

fn scale_of(conversion: &Conversion, id: &str) -> ResponseScale {
    instruments(conversion)
        .into_iter()
        .find_map(|instrument| {
            let item = instrument.items.iter().find(|item| item.id == id)?;
            instrument.scales.get(&item.scale).cloned()
        })
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn reverse_recoded_statements_keep_qualtrics_codes_and_are_not_reverse_keyed() {
    let conversion = convert("networking-motives");
    let motives = instrument(&conversion, "networking-motives");
    let forward = scale_of(&conversion, "NM_1");
    let reversed = scale_of(&conversion, "NM_rev_1");
    let ResponseScale::Likert { values, labels, .. } = &forward else {
        panic!("NM_1 is on a Likert scale: {forward:?}");
    };
    assert_eq!(values, &[1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(
        (labels[0].as_str(), labels[6].as_str()),
        ("Strongly disagree", "Strongly agree")
    );
    // Qualtrics stores 7 for "Strongly disagree" with a reverse-worded statement; kith keeps the
    // code, so the label of 7 says so and kith does not reverse it a second time.
    let ResponseScale::Likert { values, labels, .. } = &reversed else {
        panic!("NM_rev_1 is on a Likert scale: {reversed:?}");
    };
    assert_eq!(values, &[1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(
        (labels[0].as_str(), labels[6].as_str()),
        ("Strongly agree", "Strongly disagree")
    );
    assert!(
        motives.items.iter().all(|item| !item.reverse),
        "no item is reverse keyed"
    );
    let score = &motives.scores[0];
    assert_eq!(score.id, "NM_mean");
    let expected: Vec<String> = (1..=7)
        .map(|i| format!("NM_{i}"))
        .chain((1..=3).map(|i| format!("NM_rev_{i}")))
        .collect();
    assert_eq!(score.items, expected);
    assert!(file(&conversion, "instruments/networking-motives.yaml").contains(
        "NM_rev recodes its scale in reverse (1 = Strongly agree): the export holds these codes, so its items are not `reverse: true`."
    ));
}

/// The export's columns and its rows of finished, real responses (Qualtrics' three header rows
/// skipped, previews and unfinished responses left out as kith leaves them out).
fn export_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(data().join("networking-motives-export.csv"))
        .expect("export");
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.expect("row").iter().map(str::to_string).collect())
        .collect();
    let header = records[0].clone();
    assert!(
        records[2][0].starts_with("{\"ImportId\""),
        "three header rows"
    );
    let column = |name: &str| header.iter().position(|c| c == name).expect("column");
    let (status, finished) = (column("Status"), column("Finished"));
    let rows = records[3..]
        .iter()
        .filter(|row| row[status] == "0" && row[finished] == "1")
        .cloned()
        .collect();
    (header, rows)
}

#[test]
fn the_qualtrics_export_has_a_column_for_every_item_and_its_codes_fit_the_scales() {
    let conversion = convert("networking-motives");
    let (header, rows) = export_rows();
    assert_eq!(rows.len(), 10);
    for instrument in instruments(&conversion) {
        for item in &instrument.items {
            let position = header
                .iter()
                .position(|column| *column == item.id)
                .unwrap_or_else(|| panic!("the export has no column `{}`", item.id));
            let scale = &instrument.scales[&item.scale];
            if matches!(scale, ResponseScale::Text { .. }) {
                continue;
            }
            for row in &rows {
                let cell = &row[position];
                if cell.is_empty() {
                    continue;
                }
                let value: f64 = cell.parse().expect("a number");
                let missing = instrument.missing_codes.contains(&value);
                assert!(
                    missing || scale.accepts(value),
                    "{} = {cell} is not on its scale",
                    item.id
                );
            }
        }
    }
    // The score is the mean of the codes as Qualtrics stored them (reverse statements recoded).
    let motives = instrument(&conversion, "networking-motives");
    let score = &motives.scores[0];
    let expected = [
        ("R_3PnK8sLq2Ww1aXy", 5.6),
        ("R_1dGh7TzQm0Vb4Ke", 2.8),
        ("R_2xLp9RcWe6Nt3Ju", 4.8),
        ("R_0aQs4FvYh8Kp2Lm", 1.7),
        ("R_6kTr1NbXq3Gz7Pd", 6.9),
        ("R_5mWc2JeUn9Ha0Qs", 4.1),
        ("R_9hEd3KgVt5Bs1Rw", 5.2),
        ("R_8pYa6LdCx2Mf4Tn", 1.3),
        ("R_7cUz0SwPk4Dj9Vb", 5.9),
        ("R_4bNq5HxRm7Ce3Yt", 4.4),
    ];
    let id = header.iter().position(|c| c == "ResponseId").expect("id");
    for (row, (respondent, mean)) in rows.iter().zip(expected) {
        assert_eq!(row[id], respondent);
        let values: Vec<f64> = score
            .items
            .iter()
            .map(|item| {
                let position = header.iter().position(|c| c == item).expect("column");
                row[position].parse::<f64>().expect("code")
            })
            .collect();
        let found = values.iter().sum::<f64>() / values.len() as f64;
        assert!(
            (found - mean).abs() < 1e-9,
            "{respondent}: {found} != {mean}"
        );
    }
}

#[test]
fn ids_are_the_exports_column_names_and_renamed_ones_are_mapped() {
    let climate = convert("logic-and-randomization");
    // A matrix's statements with export tags of their own: `Tag_tag`.
    for id in [
        "climate_trust",
        "climate_buddy_help",
        "climate_voice",
        "workload_1",
        "workload_3",
    ] {
        assert!(item(&climate, id).is_some(), "{id}");
    }
    let unconvertible = convert("unconvertible");
    assert_eq!(
        file(&unconvertible, "qualtrics-columns.yaml"),
        "# The Qualtrics export's columns whose kith item ids differ, for `kith score --map`.\nchannels_-1: channels_m1\nQ8.why: Q8_why\nstatus: status_item\n"
    );
    assert!(item(&unconvertible, "Q8_why").is_some());
    assert!(item(&unconvertible, "status_item").is_some());
    // A multiple-choice item's columns are `channels_CODE`, as Qualtrics' `Tag_RECODE` are.
    let ResponseScale::MultipleChoice { options } = scale_of(&unconvertible, "channels") else {
        panic!("channels is multiple choice");
    };
    let codes: Vec<i64> = options.iter().map(|option| option.value).collect();
    assert_eq!(codes, [1, 2, 3, 4, -1]);
    assert!(
        item(&unconvertible, "channels_4_TEXT").is_some(),
        "the text box of `Other:`"
    );
}

#[test]
fn what_cannot_be_converted_is_listed_exactly() {
    let conversion = convert("unconvertible");
    let found: Vec<(&str, Option<&str>, &str)> = conversion
        .left_out
        .iter()
        .map(|l| {
            (
                l.question_id.as_str(),
                l.export_tag.as_deref(),
                l.what.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("FL_3", None, "embedded data `first_name`"),
            ("FL_4", None, "a web service call"),
            ("QID1", Some("heat"), "the question"),
            ("QID2", Some("satisfaction"), "JavaScript"),
            ("QID3", Some("rank"), "the question"),
            ("QID4", Some("sbs"), "the question"),
            (
                "QID5",
                Some("channels"),
                "the exclusive option `I never contact support`"
            ),
            ("QID5", Some("channels"), "option order randomization"),
            ("QID6", Some("timer"), "the question"),
            ("QID7", Some("browser"), "the question"),
            (
                "QID8",
                Some("Q8.why"),
                "piped text `${e://Field/first_name}`"
            ),
            ("QO_6hJkQuotaCmp2Ns", None, "a quota"),
        ]
    );
    let reasons: Vec<&str> = conversion
        .left_out
        .iter()
        .map(|l| l.reason.as_str())
        .collect();
    for (index, words) in [
        (2, "heat map"),
        (3, "runs no JavaScript"),
        (4, "rank-order"),
        (5, "side-by-side"),
        (8, "page timer"),
        (10, "embedded data"),
    ] {
        assert!(
            reasons[index].contains(words),
            "{index}: `{}`",
            reasons[index]
        );
    }
    // The piped answer of an earlier page is kept; the embedded data stays as text.
    let why = item(&conversion, "Q8_why").expect("Q8_why");
    assert_eq!(
        why.text,
        "Hi ${{e://Field/first_name}}, why did you choose \"{satisfaction}\"?"
    );
}

#[test]
fn skip_logic_branches_and_the_randomizer_become_kiths_logic() {
    let conversion = convert("logic-and-randomization");
    let survey = survey(&conversion);
    assert_eq!(
        survey.randomize_blocks,
        ["team-climate", "workload", "your-manager"]
    );
    let employed = item(&conversion, "employed").expect("employed");
    assert_eq!(
        employed.end_if.map(|e| e.condition).as_deref(),
        Some("employed = 0")
    );
    let buddy = item(&conversion, "buddy").expect("buddy");
    assert_eq!(buddy.show_if.as_deref(), Some("not (tenure_band = 3)"));
    let new_joiners = survey
        .blocks
        .iter()
        .find(|block| block.include.as_deref() == Some("instruments/new-joiners.yaml"))
        .expect("new joiners");
    assert_eq!(new_joiners.show_if.as_deref(), Some("tenure_band = 1"));
    assert_eq!(
        new_joiners.end_if.as_ref().map(|e| e.condition.as_str()),
        Some("tenure_band = 1")
    );
    let climate = survey
        .blocks
        .iter()
        .find(|block| block.include.as_deref() == Some("instruments/team-climate.yaml"))
        .expect("climate");
    assert!(
        climate.randomize_items,
        "the matrix shuffles its statements"
    );
    assert_eq!(
        item(&conversion, "climate_buddy_help")
            .and_then(|i| i.show_if)
            .as_deref(),
        Some("buddy = 1")
    );
    assert_eq!(
        item(&conversion, "mgr_support")
            .and_then(|i| i.show_if)
            .as_deref(),
        Some("employed = 1 and (tenure_band = 2 or tenure_band = 3)")
    );
    // The screening block's pages differ in size, so each is a block of its own.
    let included: Vec<&str> = survey
        .blocks
        .iter()
        .filter_map(|b| b.include.as_deref())
        .collect();
    assert_eq!(
        &included[..3],
        [
            "instruments/screening.yaml",
            "instruments/screening-page-2.yaml",
            "instruments/screening-page-3.yaml"
        ]
    );
    let instrument = instrument(&conversion, "team-climate");
    assert_eq!(instrument.missing_codes, [-99.0]);
}

/// One Qualtrics expression on a question's answer.
fn expression(
    locator: &str,
    operator: &str,
    right: Option<&str>,
    conjunction: Option<&str>,
) -> Value {
    let question = locator
        .trim_start_matches("q://")
        .split('/')
        .next()
        .unwrap_or("");
    let mut expression = json!({
        "LogicType": "Question", "QuestionID": question, "QuestionIsInLoop": "no",
        "ChoiceLocator": locator, "Operator": operator, "QuestionIDFromLocator": question,
        "LeftOperand": locator, "Type": "Expression", "Description": "…"
    });
    if let Some(right) = right {
        expression["RightOperand"] = json!(right);
    }
    if let Some(conjunction) = conjunction {
        expression["Conjuction"] = json!(conjunction);
    }
    expression
}

/// A display-logic `BooleanExpression` of sets of expressions, each set with its conjunction.
fn logic(sets: Vec<(Option<&str>, Vec<Value>)>) -> Value {
    let mut out = serde_json::Map::new();
    for (index, (conjunction, expressions)) in sets.into_iter().enumerate() {
        let mut set = serde_json::Map::new();
        for (position, expression) in expressions.into_iter().enumerate() {
            set.insert(position.to_string(), expression);
        }
        set.insert("Type".to_string(), json!("If"));
        if let Some(conjunction) = conjunction {
            set.insert("Conjuction".to_string(), json!(conjunction));
        }
        out.insert(index.to_string(), Value::Object(set));
    }
    out.insert("Type".to_string(), json!("BooleanExpression"));
    out.insert("inPage".to_string(), json!(false));
    Value::Object(out)
}

fn one(expression: Value) -> Value {
    logic(vec![(None, vec![expression])])
}

fn sq(id: &str, tag: &str, kind: &str, selector: &str, sub: Option<&str>, extra: Value) -> Value {
    let mut payload = json!({
        "QuestionText": format!("Question {tag}"), "DataExportTag": tag, "QuestionType": kind,
        "Selector": selector, "QuestionID": id, "Configuration": {"QuestionDescriptionOption": "UseText"},
        "Validation": {"Settings": {"ForceResponse": "OFF", "Type": "None"}}, "Language": []
    });
    if let Some(sub) = sub {
        payload["SubSelector"] = json!(sub);
    }
    if let (Some(payload), Some(extra)) = (payload.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            payload.insert(key.clone(), value.clone());
        }
    }
    json!({"SurveyID": "SV_test", "Element": "SQ", "PrimaryAttribute": id, "Payload": payload})
}

/// A survey whose question `target` (on the block's third page) shows under `display`: the
/// questions it may read are on the first page; `later_same_page` is on the target's page and
/// `after` on a later one.
fn logic_survey(display: &Value) -> String {
    let choices = |labels: &[&str]| {
        let mut map = serde_json::Map::new();
        for (index, label) in labels.iter().enumerate() {
            map.insert((index + 1).to_string(), json!({"Display": label}));
        }
        Value::Object(map)
    };
    let number = json!({"Validation": {"Settings": {"Type": "ContentType", "ContentType": "ValidNumber",
        "ValidNumber": {"Min": "0", "Max": "120", "NumDecimals": "0"}}}});
    let elements = vec![
        json!({"SurveyID": "SV_test", "Element": "BL", "PrimaryAttribute": "Survey Blocks", "Payload": [
            {"Type": "Default", "Description": "Logic", "ID": "BL_logic", "BlockElements": [
                {"Type": "Question", "QuestionID": "QID1"}, {"Type": "Question", "QuestionID": "QID2"},
                {"Type": "Question", "QuestionID": "QID3"}, {"Type": "Question", "QuestionID": "QID4"},
                {"Type": "Question", "QuestionID": "QID5"}, {"Type": "Question", "QuestionID": "QID6"},
                {"Type": "Page Break"}, {"Type": "Question", "QuestionID": "QID7"},
                {"Type": "Question", "QuestionID": "QID9"},
                {"Type": "Page Break"}, {"Type": "Question", "QuestionID": "QID8"}
            ]}
        ]}),
        json!({"SurveyID": "SV_test", "Element": "FL", "PrimaryAttribute": "Survey Flow", "Payload": {
            "Type": "Root", "FlowID": "FL_1", "Flow": [{"Type": "Block", "ID": "BL_logic", "FlowID": "FL_2"}]}}),
        sq(
            "QID1",
            "dept",
            "MC",
            "SAVR",
            Some("TX"),
            json!({"Choices": choices(&["Sales", "HR", "IT"]),
            "ChoiceOrder": ["1", "2", "3"], "RecodeValues": {"1": "1", "2": "2", "3": "7"}}),
        ),
        sq(
            "QID2",
            "tools",
            "MC",
            "MAVR",
            Some("TX"),
            json!({"Choices": choices(&["Mail", "Chat", "Wiki"]),
            "ChoiceOrder": ["1", "2", "3"]}),
        ),
        sq(
            "QID3",
            "sat",
            "Matrix",
            "Likert",
            Some("SingleAnswer"),
            json!({
            "Choices": choices(&["Pay", "Hours"]), "ChoiceOrder": ["1", "2"],
            "Answers": choices(&["1", "2", "3", "4", "5", "N/A"]), "AnswerOrder": ["1", "2", "3", "4", "5", "6"],
            "RecodeValues": {"6": "-99"}, "ChoiceDataExportTags": {"1": "pay"}}),
        ),
        sq("QID4", "age", "TE", "SL", None, number),
        sq("QID5", "name", "TE", "SL", None, json!({})),
        sq(
            "QID6",
            "effort",
            "Slider",
            "HSLIDER",
            None,
            json!({"Choices": choices(&["Effort"]),
            "ChoiceOrder": ["1"], "Configuration": {"CSSliderMin": 0, "CSSliderMax": 100, "NumDecimals": "0"}}),
        ),
        sq("QID7", "later_same_page", "TE", "SL", None, json!({})),
        sq("QID8", "after", "TE", "SL", None, json!({})),
        sq(
            "QID9",
            "target",
            "TE",
            "SL",
            None,
            json!({"DisplayLogic": display}),
        ),
    ];
    json!({"SurveyEntry": {"SurveyID": "SV_test", "SurveyName": "Logic", "SurveyLanguage": "EN"},
           "SurveyElements": elements})
    .to_string()
}

/// A display condition and what kith makes of it: its condition, or (with `Err`) words of the
/// reason it is left out.
#[track_caller]
fn check_logic(display: Value, expected: Result<&str, &str>) {
    let conversion = convert_qsf(&logic_survey(&display), "logic.qsf").expect("converts");
    assert_checks(&conversion);
    let target = item(&conversion, "target").expect("target");
    let refusal = conversion
        .left_out
        .iter()
        .find(|l| l.question_id == "QID9" && l.what == "display logic");
    match expected {
        Ok(condition) => {
            assert_eq!(target.show_if.as_deref(), Some(condition), "{refusal:?}");
            assert!(refusal.is_none());
        }
        Err(words) => {
            assert_eq!(target.show_if, None);
            let reason = refusal
                .map(|l| l.reason.as_str())
                .unwrap_or("(not left out)");
            assert!(reason.contains(words), "`{words}` in `{reason}`");
        }
    }
}

#[test]
fn qualtrics_logic_becomes_kith_conditions_or_is_left_out_with_the_reason() {
    let e = expression;
    let cases: Vec<(Value, Result<&str, &str>)> = vec![
        (
            one(e("q://QID1/SelectableChoice/2", "Selected", None, None)),
            Ok("dept = 2"),
        ),
        // Logic names the choice; kith's condition its recode value.
        (
            one(e("q://QID1/SelectableChoice/3", "Selected", None, None)),
            Ok("dept = 7"),
        ),
        (
            one(e("q://QID1/SelectableChoice/1", "NotSelected", None, None)),
            Ok("not (dept = 1)"),
        ),
        (
            one(e("q://QID2/SelectableChoice/2", "Selected", None, None)),
            Ok("selected(tools, 2)"),
        ),
        (
            one(e("q://QID2/SelectableChoice/2", "NotSelected", None, None)),
            Ok("not selected(tools, 2)"),
        ),
        (
            one(e("q://QID3/SelectableChoice/1/4", "Selected", None, None)),
            Ok("sat_pay = 4"),
        ),
        (
            one(e(
                "q://QID3/SelectableChoice/2/5",
                "NotSelected",
                None,
                None,
            )),
            Ok("not (sat_2 = 5)"),
        ),
        (
            one(e("q://QID3/SelectableChoice/1/6", "Selected", None, None)),
            Err("missing answer"),
        ),
        (
            one(e(
                "q://QID1/SelectedChoicesRecode",
                "GreaterThan",
                Some("1"),
                None,
            )),
            Ok("dept > 1"),
        ),
        (
            one(e(
                "q://QID3/SelectedAnswerRecode/2",
                "LessThanOrEqual",
                Some("2"),
                None,
            )),
            Ok("sat_2 <= 2"),
        ),
        (
            one(e(
                "q://QID4/ChoiceTextEntryValue",
                "GreaterThanOrEqual",
                Some("30"),
                None,
            )),
            Ok("age >= 30"),
        ),
        (
            one(e(
                "q://QID4/ChoiceTextEntryValue",
                "NotEqualTo",
                Some("30"),
                None,
            )),
            Ok("not (age = 30)"),
        ),
        (
            one(e(
                "q://QID4/ChoiceTextEntryValue",
                "EqualTo",
                Some("2.5"),
                None,
            )),
            Ok("age = 2.5"),
        ),
        (
            one(e(
                "q://QID5/ChoiceTextEntryValue",
                "EqualTo",
                Some("Ann"),
                None,
            )),
            Ok("name = \"Ann\""),
        ),
        (
            one(e("q://QID5/ChoiceTextEntryValue", "NotEmpty", None, None)),
            Ok("answered(name)"),
        ),
        (
            one(e("q://QID5/ChoiceTextEntryValue", "Empty", None, None)),
            Ok("not answered(name)"),
        ),
        (
            one(e(
                "q://QID6/ChoiceNumericEntryValue/1",
                "LessThan",
                Some("50"),
                None,
            )),
            Ok("effort_1 < 50"),
        ),
        (
            one(e(
                "q://QID6/ChoiceNumericEntryValue/1",
                "LessThan",
                Some("1e3"),
                None,
            )),
            Err("compares the number"),
        ),
        (
            logic(vec![(
                None,
                vec![
                    e("q://QID1/SelectableChoice/1", "Selected", None, None),
                    e("q://QID2/SelectableChoice/3", "Selected", None, Some("And")),
                ],
            )]),
            Ok("dept = 1 and selected(tools, 3)"),
        ),
        // `And` binds tighter than `Or`, within a set and between sets.
        (
            logic(vec![(
                None,
                vec![
                    e("q://QID1/SelectableChoice/1", "Selected", None, None),
                    e(
                        "q://QID4/ChoiceTextEntryValue",
                        "GreaterThan",
                        Some("40"),
                        Some("And"),
                    ),
                    e("q://QID1/SelectableChoice/2", "Selected", None, Some("Or")),
                ],
            )]),
            Ok("dept = 1 and age > 40 or dept = 2"),
        ),
        (
            logic(vec![
                (
                    None,
                    vec![
                        e("q://QID1/SelectableChoice/1", "Selected", None, None),
                        e("q://QID1/SelectableChoice/2", "Selected", None, Some("Or")),
                    ],
                ),
                (
                    Some("And"),
                    vec![e(
                        "q://QID4/ChoiceTextEntryValue",
                        "GreaterThan",
                        Some("40"),
                        None,
                    )],
                ),
            ]),
            Ok("(dept = 1 or dept = 2) and age > 40"),
        ),
        (
            one(e(
                "q://QID5/ChoiceTextEntryValue",
                "GreaterThan",
                Some("3"),
                None,
            )),
            Err("texts only for equality"),
        ),
        (
            one(e(
                "q://QID5/ChoiceTextEntryValue",
                "Contains",
                Some("a"),
                None,
            )),
            Err("operator `Contains`"),
        ),
        (
            one(e(
                "q://QID1/SelectedChoicesRecode",
                "EqualTo",
                Some("5"),
                None,
            )),
            Err("none of its codes"),
        ),
        (
            one(
                json!({"LogicType": "Question", "Operator": "Displayed", "Type": "Expression",
                       "ChoiceLocator": "q://QID1/SelectableChoice/1", "LeftOperand": "q://QID1/ChoiceDisplayed/1"}),
            ),
            Err("was displayed"),
        ),
        (
            one(
                json!({"LogicType": "EmbeddedField", "LeftOperand": "wave", "Operator": "EqualTo",
                       "RightOperand": "2", "Type": "Expression"}),
            ),
            Err("`param.wave`"),
        ),
        (
            one(
                json!({"LogicType": "DeviceType", "LeftOperand": "mobile", "Operator": "Is", "Type": "Expression"}),
            ),
            Err("device"),
        ),
        (
            logic(vec![(
                None,
                vec![
                    e("q://QID1/SelectableChoice/1", "Selected", None, None),
                    json!({"LogicType": "GeoIP", "LeftOperand": "loc://PostalCode", "Operator": "EqualTo",
                       "RightOperand": "02155", "Type": "Expression", "Conjuction": "Or"}),
                ],
            )]),
            Err("location"),
        ),
        (
            one(e("q://QID7/ChoiceTextEntryValue", "NotEmpty", None, None)),
            Err("same page"),
        ),
        (
            one(e("q://QID8/ChoiceTextEntryValue", "NotEmpty", None, None)),
            Err("later"),
        ),
        (
            one(e("q://QID99/SelectableChoice/1", "Selected", None, None)),
            Err("not converted"),
        ),
        (
            one(e("q://QID1%231/SelectableChoice/1", "Selected", None, None)),
            Err("side-by-side"),
        ),
        (json!({"Type": "BooleanExpression"}), Err("no conditions")),
    ];
    for (display, expected) in cases {
        check_logic(display, expected);
    }
}

/// A minimal valid survey with one question, for the refusals below.
fn minimal(question: Value, block_elements: Value, flow: Value) -> String {
    json!({
        "SurveyEntry": {"SurveyID": "SV_min", "SurveyName": "Minimal"},
        "SurveyElements": [
            {"Element": "BL", "Payload": [{"Type": "Default", "Description": "B", "ID": "BL_1",
                                            "BlockElements": block_elements}]},
            {"Element": "FL", "Payload": {"Type": "Root", "Flow": flow}},
            {"Element": "SQ", "PrimaryAttribute": "QID1", "Payload": question}
        ]
    })
    .to_string()
}

fn mc(extra: Value) -> Value {
    let mut payload = json!({"QuestionID": "QID1", "DataExportTag": "Q1", "QuestionType": "MC",
        "Selector": "SAVR", "QuestionText": "Pick one",
        "Choices": {"1": {"Display": "A"}, "2": {"Display": "B"}}, "ChoiceOrder": ["1", "2"]});
    if let (Some(payload), Some(extra)) = (payload.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            payload.insert(key.clone(), value.clone());
        }
    }
    payload
}

#[test]
fn bad_inputs_are_refused_with_the_file_the_element_and_a_hint() {
    let block = json!([{"Type": "Question", "QuestionID": "QID1"}]);
    let flow = json!([{"Type": "Block", "ID": "BL_1", "FlowID": "FL_2"}]);
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let mut nested = json!({"Type": "Block", "ID": "BL_1", "FlowID": "FL_x"});
    for level in 0..40 {
        nested = json!({"Type": "Group", "FlowID": format!("FL_{level}"), "Flow": [nested]});
    }
    let many: Vec<Value> = (0..=MAX_QUESTIONS)
        .map(|i| json!({"Element": "SQ", "Payload": {"QuestionID": format!("QID{i}"), "QuestionType": "DB"}}))
        .collect();
    let cases: Vec<(String, &str, Option<&str>, &str)> = vec![
        (
            "{\"SurveyEntry\": {".to_string(),
            "not-json",
            None,
            "line 1",
        ),
        ("".to_string(), "not-json", None, "not JSON"),
        (deep, "not-json", None, "not JSON"),
        ("[1, 2]".to_string(), "not-qsf", None, "top level"),
        (
            "{\"responses\": []}".to_string(),
            "not-qsf",
            None,
            "`SurveyElements`",
        ),
        (
            json!({"SurveyElements": []}).to_string(),
            "not-qsf",
            None,
            "no blocks",
        ),
        (
            minimal(
                mc(json!({"ChoiceOrder": ["1", "2", "3"]})),
                block.clone(),
                flow.clone(),
            ),
            "missing-choice",
            Some("QID1"),
            "choice `3`",
        ),
        (
            minimal(
                mc(
                    json!({"DisplayLogic": {"0": {"0": {"LogicType": "Question", "Operator": "Selected",
                    "LeftOperand": "q://QID1/SelectableChoice/9", "Type": "Expression"}, "Type": "If"},
                    "Type": "BooleanExpression"}}),
                ),
                block.clone(),
                flow.clone(),
            ),
            "missing-choice",
            Some("QID1"),
            "choice `9` of QID1",
        ),
        (
            minimal(
                mc(json!({})),
                json!([{"Type": "Question", "QuestionID": "QID7"}]),
                flow.clone(),
            ),
            "missing-question",
            Some("BL_1"),
            "`QID7`",
        ),
        (
            minimal(
                mc(json!({})),
                block.clone(),
                json!([{"Type": "Block", "ID": "BL_9", "FlowID": "FL_2"}]),
            ),
            "missing-block",
            Some("FL_2"),
            "`BL_9`",
        ),
        (
            minimal(mc(json!({})), block.clone(), json!([nested])),
            "flow-too-deep",
            None,
            "32 levels",
        ),
        (
            minimal(json!({"DataExportTag": "Q1"}), block.clone(), flow.clone()),
            "bad-question",
            Some("QID1"),
            "no `QuestionID`",
        ),
        (
            minimal(
                json!({"QuestionID": "QID1", "QuestionType": "HeatMap", "Selector": "Simple"}),
                block.clone(),
                flow.clone(),
            ),
            "nothing-to-convert",
            None,
            "no question",
        ),
        (
            json!({"SurveyEntry": {}, "SurveyElements": many}).to_string(),
            "too-many-questions",
            None,
            "10001 questions",
        ),
        (
            format!(
                "{{\"SurveyElements\": [], \"padding\": \"{}\"}}",
                "x".repeat(MAX_QSF_BYTES)
            ),
            "too-large",
            None,
            "more than the 50 MB",
        ),
    ];
    for (text, code, element, words) in cases {
        let error = convert_qsf(&text, "survey.qsf").expect_err(code);
        assert_eq!(error.code, code, "{error}");
        assert_eq!(error.file, "survey.qsf");
        assert_eq!(error.element.as_deref(), element, "{error}");
        assert!(
            error.message.contains(words),
            "`{words}` in `{}`",
            error.message
        );
        assert!(!error.hint().is_empty());
        assert!(
            !error.to_string().contains("hint"),
            "the hint is data: {error}"
        );
        assert!(error.to_string().starts_with("survey.qsf: "), "{error}");
    }
}

#[test]
fn odd_but_readable_input_converts_without_a_panic() {
    let block = json!([{"Type": "Question", "QuestionID": "QID1"}]);
    let flow = json!([{"Type": "Block", "ID": "BL_1", "FlowID": "FL_2"}]);
    let odd = [
        mc(json!({"Choices": "not a map"})),
        mc(json!({"ChoiceOrder": "1,2"})),
        mc(json!({"RecodeValues": {"1": "one"}})),
        mc(json!({"RecodeValues": {"1": 2, "2": 2}})),
        mc(json!({"Choices": {"1": {"Display": ""}, "2": {"Display": "<b></b>"}}})),
        mc(json!({"QuestionText": null, "DataExportTag": 7})),
        mc(json!({"Selector": "Unheard", "QuestionType": "MC"})),
        mc(
            json!({"QuestionType": "Matrix", "Selector": "Likert", "SubSelector": "SingleAnswer", "Answers": []}),
        ),
        mc(
            json!({"QuestionType": "Slider", "Selector": "HSLIDER", "Configuration": {"CSSliderMin": 9, "CSSliderMax": 1}}),
        ),
        mc(
            json!({"SkipLogic": [{"Condition": "Selected", "ChoiceLocator": 5, "SkipToDestination": "QID404"}]}),
        ),
        mc(json!({"DisplayLogic": {"0": "nonsense", "Type": "BooleanExpression"}})),
        mc(
            json!({"QuestionText": "A {brace} and ${q://QID1/ChoiceGroup/SelectedChoices} and ${unclosed"}),
        ),
        mc(
            json!({"DataExportTag": "ünïcödé tag with spaces and a very long name that goes on and on and on"}),
        ),
        mc(json!({"Randomization": {"Type": "Advanced"}, "QuestionJS": 42})),
    ];
    for question in odd {
        let text = minimal(question.clone(), block.clone(), flow.clone());
        match convert_qsf(&text, "odd.qsf") {
            Ok(conversion) => {
                assert_checks(&conversion);
            }
            Err(error) => assert!(!error.hint().is_empty(), "{question}: {error}"),
        }
    }
    // Truncated files are refused as not JSON, wherever they are cut.
    let text =
        std::fs::read_to_string(data().join("logic-and-randomization.qsf")).expect("fixture");
    for cut in (1..text.len()).step_by(997) {
        if let Some(prefix) = text.get(..cut) {
            let error = convert_qsf(prefix, "cut.qsf").expect_err("truncated");
            assert_eq!(error.code, "not-json");
        }
    }
}

/// A survey of blocks `BL_a`, `BL_b`, … with one single-choice question each (`QID_a` with
/// the tag `q_a`, …), the blocks' options and the flow given.
fn blocks_survey(blocks: &[(&str, Value)], flow: Value) -> String {
    let mut elements = vec![
        json!({"Element": "BL", "Payload": blocks.iter().map(|(name, options)| json!({
        "Type": "Standard", "Description": format!("Block {name}"), "ID": format!("BL_{name}"),
        "BlockElements": [{"Type": "Question", "QuestionID": format!("QID_{name}")}], "Options": options
    })).collect::<Vec<_>>()}),
    ];
    elements.push(
        json!({"Element": "FL", "Payload": {"Type": "Root", "FlowID": "FL_1", "Flow": flow}}),
    );
    for (name, _) in blocks {
        let mut question = mc(json!({"DataExportTag": format!("q_{name}")}));
        question["QuestionID"] = json!(format!("QID_{name}"));
        elements.push(json!({"Element": "SQ", "Payload": question}));
    }
    json!({"SurveyEntry": {"SurveyName": "Flow"}, "SurveyElements": elements}).to_string()
}

fn flow_block(name: &str) -> Value {
    json!({"Type": "Standard", "ID": format!("BL_{name}"), "FlowID": format!("FL_{name}")})
}

#[test]
fn flow_elements_kith_cannot_express_are_left_out_and_their_blocks_kept_in_order() {
    let plain = json!({});
    let looped = json!({"Looping": "Static", "LoopingOptions": {"Static": {"1": {"1": "Red"}}}});
    let blocks = [
        ("a", plain.clone()),
        ("b", plain.clone()),
        ("c", plain.clone()),
        ("d", looped),
        ("e", plain.clone()),
        ("f", plain.clone()),
        ("g", plain.clone()),
    ];
    let flow = json!([
        {"Type": "BlockRandomizer", "FlowID": "FL_r1", "SubSet": "1", "Flow": [flow_block("a"), flow_block("b")]},
        {"Type": "BlockRandomizer", "FlowID": "FL_r2", "SubSet": 2, "Flow": [flow_block("c"), flow_block("e")]},
        flow_block("d"),
        flow_block("a"),
        {"Type": "Group", "FlowID": "FL_g", "Flow": [flow_block("f")]},
        {"Type": "EndSurvey", "FlowID": "FL_end"},
        flow_block("g"),
    ]);
    let conversion = convert_qsf(&blocks_survey(&blocks, flow), "flow.qsf").expect("converts");
    assert_checks(&conversion);
    let found: Vec<(&str, &str, &str)> = conversion
        .left_out
        .iter()
        .map(|l| (l.question_id.as_str(), l.what.as_str(), l.reason.as_str()))
        .collect();
    let expected = [
        ("FL_r1", "a randomizer", "shows 1 of its 2"),
        ("BL_d", "the block", "loop & merge"),
        ("FL_a", "block `BL_a` shown a second time", "once"),
        ("BL_g", "the block", "after an End of Survey"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((id, what, reason), (want_id, want_what, words)) in found.iter().zip(expected) {
        assert_eq!((*id, *what), (want_id, want_what));
        assert!(reason.contains(words), "`{words}` in `{reason}`");
    }
    let survey = survey(&conversion);
    let included: Vec<&str> = survey
        .blocks
        .iter()
        .filter_map(|b| b.include.as_deref())
        .collect();
    assert_eq!(
        included,
        [
            "instruments/block-a.yaml",
            "instruments/block-b.yaml",
            "instruments/block-c.yaml",
            "instruments/block-e.yaml",
            "instruments/block-f.yaml"
        ]
    );
    // The first randomizer shows only one block, so the second is kith's one group.
    assert_eq!(survey.randomize_blocks, ["block-c", "block-e"]);
}

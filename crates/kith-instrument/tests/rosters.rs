//! A survey's rosters under `kith check`: each case is a roster file (and its column names)
//! and the problems it must report, with the file, row and value in the message and a hint.

mod common;

use common::{assert_problems, check_text};

const DEMO: &str = "kind: instrument\nid: demo\nversion: 1.0.0\ntitle: Demo\nlicense: Test fixture.\nvalidated: true\nscales:\n  agree5: {type: likert, values: [1, 2, 3, 4, 5], labels: [a, b, c, d, e]}\nitems:\n  - {id: q1, text: Hi, scale: agree5}\n";

/// Checks a survey whose roster `staff` is `roster` (`columns` adds the roster's column
/// names), and compares the codes and the words of its problems with `expected`.
#[track_caller]
fn check(roster: Option<&str>, columns: &str, expected: &[(&str, &str)]) {
    let survey = format!(
        "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\nrosters:\n  staff: {{file: staff.csv{columns}}}\nblocks:\n  - include: demo.yaml\n"
    );
    let mut others = vec![("demo.yaml", DEMO)];
    if let Some(roster) = roster {
        others.push(("staff.csv", roster));
    }
    let checked = check_text(&survey, &others);
    assert_problems(&checked, expected);
}

#[test]
fn a_roster_with_ids_names_and_units_passes() {
    check(
        Some("id,name,unit\ne1,Ada,Sales\ne2,Grace,Research\n"),
        ", unit: unit",
        &[],
    );
    // Columns under other names.
    check(
        Some("employee,display,team\ne1,Ada,Sales\n"),
        ", id: employee, name: display, unit: team",
        &[],
    );
}

#[test]
fn roster_problems_name_the_file_row_and_value() {
    check(
        Some("id,name\ne1,Ada\ne2,Grace\ne1,Alan\n"),
        "",
        &[("roster-row", "names the id `e1` on rows 2 and 4")],
    );
    check(
        Some("id,name\ne1,Ada\ne2,\n"),
        "",
        &[(
            "roster-row",
            "row 3 of the roster `staff.csv` has no name (id `e2`)",
        )],
    );
    check(
        Some("id,name\n,Ada\n"),
        "",
        &[("roster-row", "row 2 of the roster `staff.csv` has no id")],
    );
    check(
        Some("id,name\ne1,Ada\n"),
        ", unit: department",
        &[("roster-column", "has no column `department` (its `unit`)")],
    );
    check(
        Some("employee,name\ne1,Ada\n"),
        "",
        &[("roster-column", "has no column `id` (its `id`)")],
    );
    check(
        None,
        "",
        &[("roster-file", "cannot read the roster `staff.csv`")],
    );
    check(
        Some("id,name\n"),
        "",
        &[("roster-empty", "the roster `staff.csv` has no people")],
    );
}

/// Many bad rows: the first ten are reported, the rest counted, so a wrong file cannot flood
/// the terminal.
#[test]
fn many_bad_rows_are_reported_ten_at_a_time() {
    let mut roster = String::from("id,name\n");
    for i in 0..25 {
        roster.push_str(&format!("e{i},\n"));
    }
    let survey = "kind: survey\nid: s\nversion: 1.0.0\ntitle: S\nconsent: ok\nrosters:\n  staff: {file: staff.csv}\nblocks:\n  - include: demo.yaml\n";
    let checked = check_text(survey, &[("demo.yaml", DEMO), ("staff.csv", &roster)]);
    assert_eq!(checked.diagnostics.len(), 11, "{:#?}", checked.diagnostics);
    assert!(
        checked.diagnostics[10]
            .message
            .contains("has 15 more problem rows"),
        "{}",
        checked.diagnostics[10].message
    );
}

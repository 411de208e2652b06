//! A survey's rosters: each file read through the survey's loader and checked row by row —
//! its columns exist, every person has an id and a name, and no id is repeated — with the
//! file, row and value named. Roster files are bounded in people, so that a wrong file cannot
//! make the check (or a roster question) allocate without limit.

use crate::diagnostic::{Diagnostic, DocPath};
use crate::document::Parsed;
use crate::model::{Roster, Survey};
use crate::people::{FormRoster, Person};
use crate::survey::{SourceLoader, normalize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The most people a roster may have: larger than any organization kith studies.
pub const MAX_ROSTER_PEOPLE: usize = 100_000;
/// The most row problems reported per roster; the rest are counted.
const MAX_ROW_PROBLEMS: usize = 10;

/// Checks every roster of the survey at `path`, and returns those without problems, read.
pub fn check_rosters(
    parsed: &Parsed<Survey>,
    path: &Path,
    loader: &dyn SourceLoader,
    out: &mut Vec<Diagnostic>,
) -> BTreeMap<String, FormRoster> {
    let directory = path.parent().unwrap_or(Path::new(""));
    let mut read = BTreeMap::new();
    for (name, roster) in &parsed.model.rosters {
        let at = DocPath::root().key("rosters").key(name);
        super::check_identifier(parsed, "roster", name, &at, out);
        if let Some(parameter) = &roster.participant
            && !super::is_identifier(parameter)
        {
            out.push(parsed.error(
                "roster-participant",
                format!("`{parameter}` cannot name a link parameter"),
                &at.key("participant"),
                Some("use letters, digits and `_`, e.g. `participant: rid`".to_string()),
            ));
        }
        let people = check_roster(
            parsed,
            roster,
            &directory.join(&roster.file),
            &at,
            loader,
            out,
        );
        if let Some(people) = people {
            read.insert(
                name.clone(),
                FormRoster::new(roster.file.clone(), people, roster.participant.clone()),
            );
        }
    }
    read
}

fn check_roster(
    parsed: &Parsed<Survey>,
    roster: &Roster,
    file: &Path,
    at: &DocPath,
    loader: &dyn SourceLoader,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Person>> {
    let shown = normalize(file).display().to_string();
    let text = match loader.load(file) {
        Ok(text) => text,
        Err(error) => {
            out.push(parsed.error(
                "roster-file",
                format!("cannot read the roster `{shown}`: {error}"),
                &at.key("file"),
                Some("the path is relative to the survey file".to_string()),
            ));
            return None;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(error) => {
            out.push(parsed.error(
                "roster-file",
                format!("the roster `{shown}` is not a readable CSV file: {error}"),
                &at.key("file"),
                Some("a roster has a header and a row per person, e.g. `id,name,unit`".to_string()),
            ));
            return None;
        }
    };
    let mut column = |key: &str, given: &Option<String>, default: Option<&str>| {
        let wanted = given.as_deref().or(default)?;
        let found = header.iter().position(|h| h == wanted);
        if found.is_none() {
            out.push(parsed.error(
                "roster-column",
                format!("the roster `{shown}` has no column `{wanted}` (its `{key}`)"),
                &at.key(if given.is_some() { key } else { "file" }),
                Some(format!(
                    "name the roster's columns with `id:`, `name:` and `unit:`; the file has: {}",
                    header.join(", ")
                )),
            ));
        }
        found
    };
    let id = column("id", &roster.id, Some("id"));
    let name = column("name", &roster.name, Some("name"));
    let unit = column("unit", &roster.unit, None);
    let unit_missing = roster.unit.is_some() && unit.is_none();
    let (Some(id), Some(name)) = (id, name) else {
        return None;
    };
    let mut people = Vec::new();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut more = 0usize;
    let mut note = |problems: &mut Vec<(String, String)>, message: String, hint: &str| {
        if problems.len() < MAX_ROW_PROBLEMS {
            problems.push((message, hint.to_string()));
        } else {
            more += 1;
        }
    };
    for (index, record) in reader.records().enumerate() {
        // Row 1 is the header, so the first person is the file's row 2.
        let row = index + 2;
        if index == MAX_ROSTER_PEOPLE {
            out.push(
                parsed.error(
                    "roster-size",
                    format!("the roster `{shown}` has more than {MAX_ROSTER_PEOPLE} people"),
                    &at.key("file"),
                    Some(
                        "a roster lists the members of one study; split the file by study or unit"
                            .to_string(),
                    ),
                ),
            );
            return None;
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                note(
                    &mut problems,
                    format!("row {row} of the roster `{shown}` cannot be read: {error}"),
                    "fix the row's quoting, or save the file again as UTF-8 CSV",
                );
                continue;
            }
        };
        let value = |c: usize| record.get(c).unwrap_or("").trim();
        let person = value(id);
        if person.is_empty() {
            note(
                &mut problems,
                format!("row {row} of the roster `{shown}` has no id"),
                "every person needs an id: links and edge lists use it",
            );
        } else if let Some(earlier) = first_row.get(person) {
            note(
                &mut problems,
                format!("the roster `{shown}` names the id `{person}` on rows {earlier} and {row}"),
                "each person is one row with their own id; remove the repeated row",
            );
        } else {
            first_row.insert(person.to_string(), row);
            people.push(Person {
                id: person.to_string(),
                name: value(name).to_string(),
                unit: unit.map(|c| value(c).to_string()).filter(|u| !u.is_empty()),
            });
        }
        if value(name).is_empty() {
            note(
                &mut problems,
                format!(
                    "row {row} of the roster `{shown}` has no name{}",
                    if person.is_empty() {
                        String::new()
                    } else {
                        format!(" (id `{person}`)")
                    }
                ),
                "participants choose people by their name; fill it in or remove the row",
            );
        }
    }
    if first_row.is_empty() && problems.is_empty() {
        out.push(parsed.error(
            "roster-empty",
            format!("the roster `{shown}` has no people"),
            &at.key("file"),
            Some("add a row per member of the study under the header".to_string()),
        ));
    }
    let problems_total = problems.len() + more;
    for (message, hint) in problems {
        out.push(parsed.error("roster-row", message, &at.key("file"), Some(hint)));
    }
    if more > 0 {
        out.push(parsed.error(
            "roster-row",
            format!("the roster `{shown}` has {more} more problem rows"),
            &at.key("file"),
            Some("fix the rows above first; kith lists the first ten".to_string()),
        ));
    }
    (problems_total == 0 && !unit_missing && !people.is_empty()).then_some(people)
}

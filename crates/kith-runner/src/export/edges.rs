//! The edge-list layout: one row per tie a participant named in a network question — ego,
//! alter, relation, the follow-up answers about that person and when the choice was saved —
//! for network analysis (`networks:` in a plan, igraph, UCINET). Roster ties are given by ids;
//! the names written into a name generator are personal data and are exported only when asked.

use super::shown::Shown;
use super::{Context, ExportError, SessionRows, optional_text, text};
use crate::answer::Answer;
use crate::engine::people::follow_up_id;
use crate::export::{Cell, ColumnType};
use crate::store::{RelationColumns, SessionData, SurveyColumns};
use std::collections::HashMap;

/// The edge list of one export: the relations asked (one, or all), with the names of a name
/// generator's people when `names`.
pub(super) struct Edges<'a> {
    context: &'a Context,
    relations: Vec<&'a RelationColumns>,
    /// Follow-ups of the same id in several relations share one column.
    follow_ups: Vec<(&'a str, ColumnType)>,
    names: bool,
}

impl<'a> Edges<'a> {
    pub fn new(
        columns: &'a SurveyColumns,
        context: &'a Context,
        relation: Option<&str>,
        names: bool,
    ) -> Result<Edges<'a>, ExportError> {
        let relations: Vec<&RelationColumns> = match relation {
            Some(wanted) => {
                let found = columns.relations.iter().find(|r| r.id == wanted);
                vec![found.ok_or_else(|| {
                    ExportError::UnknownRelation {
                        given: wanted.to_string(),
                        relations: columns
                            .relations
                            .iter()
                            .map(|r| r.id.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                })?]
            }
            None => columns.relations.iter().collect(),
        };
        if relations.is_empty() {
            return Err(ExportError::NoRelations);
        }
        // Follow-ups of the same id in several relations share one column.
        let mut follow_ups: Vec<(&str, ColumnType)> = Vec::new();
        for relation in &relations {
            for follow_up in &relation.follow_ups {
                if !follow_ups.iter().any(|(id, _)| *id == follow_up.id) {
                    let kind = match follow_up.kind.as_str() {
                        "numeric" if !follow_up.integer => ColumnType::Float,
                        _ => ColumnType::Int,
                    };
                    follow_ups.push((&follow_up.id, kind));
                }
            }
        }
        Ok(Edges {
            context,
            relations,
            follow_ups,
            names,
        })
    }
}

impl SessionRows for Edges<'_> {
    fn header(&self) -> Vec<(String, ColumnType)> {
        let mut header: Vec<(String, ColumnType)> = [
            "respondent_id",
            "participant_id",
            "status",
            "ego",
            "relation",
            "kind",
            "alter",
        ]
        .iter()
        .map(|name| (name.to_string(), ColumnType::Text))
        .collect();
        if self.names {
            header.push(("alter_name".to_string(), ColumnType::Text));
        }
        header.push(("rank".to_string(), ColumnType::Int));
        header.extend(
            self.follow_ups
                .iter()
                .map(|(id, kind)| (id.to_string(), *kind)),
        );
        header.push(("chosen_at".to_string(), ColumnType::Text));
        header
    }

    fn session_rows(&self, data: &SessionData, rows: &mut Vec<Vec<Cell>>) {
        let session = &data.session;
        let records = &data.answers;
        let walked = Shown::of(
            session,
            &self.context.flows[&session.survey],
            records,
            &data.views,
        );
        let hidden = walked.hidden();
        let values: HashMap<&str, (&Answer, &str)> = records
            .iter()
            .filter(|a| !hidden.contains(a.entry.as_str()))
            .filter_map(|a| {
                Some((
                    a.entry.as_str(),
                    (a.value.as_ref()?, a.answered_at.as_str()),
                ))
            })
            .collect();
        for relation in &self.relations {
            let Some((Answer::People(people), chosen_at)) = values.get(relation.id.as_str()) else {
                continue;
            };
            let ego = relation
                .ego_param
                .as_ref()
                .and_then(|p| session.params.get(p));
            for (rank, person) in people.iter().enumerate() {
                // A name generator's people are numbered; their names only when asked.
                let alter = if relation.names {
                    (rank + 1).to_string()
                } else {
                    person.clone()
                };
                let mut row = vec![
                    text(&session.id),
                    optional_text(session.participant.as_deref()),
                    text(session.status.as_str()),
                    optional_text(ego.map(String::as_str)),
                    text(&relation.id),
                    text(&relation.kind),
                    text(&alter),
                ];
                if self.names {
                    row.push(optional_text(relation.names.then_some(person.as_str())));
                }
                row.push(Cell::Int(rank as i64 + 1));
                for (id, _) in &self.follow_ups {
                    let asked = relation.follow_ups.iter().any(|f| f.id == *id);
                    let answer = asked
                        .then(|| values.get(follow_up_id(&relation.id, id, person).as_str()))
                        .flatten();
                    row.push(match answer {
                        Some((Answer::Code(code), _)) => Cell::Int(*code),
                        Some((Answer::Number(number), _)) => Cell::Float(*number),
                        _ => Cell::Empty,
                    });
                }
                row.push(text(chosen_at));
                rows.push(row);
            }
        }
    }
}

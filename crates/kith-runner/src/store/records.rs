//! The records the store reads and writes: surveys and their export columns, sessions,
//! answers and page views.

use crate::answer::Answer;
use crate::engine::{Layout, Position};
use chrono::{DateTime, Utc};
use kith_instrument::flow::FlowSource;
use kith_instrument::form::{Form, PeopleSource};
use kith_instrument::model::ResponseScale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The columns a survey's sessions export to, kept in the store so that exporting needs no
/// survey file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyColumns {
    pub items: Vec<ItemColumn>,
    pub checks: Vec<CheckColumn>,
    /// Block ids in the file's order.
    pub blocks: Vec<String>,
    /// The survey's conditions, so that an export can tell what the logic did not show.
    #[serde(default, skip_serializing_if = "is_default")]
    pub logic: FlowSource,
    /// The survey's own language, exported for sessions that did not choose another.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// The network questions, for the edge-list export.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<RelationColumns>,
}

/// A network question's edge-list columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationColumns {
    /// The relation block's id.
    pub id: String,
    /// `instrumental` or `expressive`.
    pub kind: String,
    /// Whether the people are names written in (a name generator) rather than roster ids.
    #[serde(default)]
    pub names: bool,
    /// The session parameter with the participant's own roster id (the ego of every tie).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ego_param: Option<String>,
    pub follow_ups: Vec<ItemColumn>,
}

fn is_default(source: &FlowSource) -> bool {
    *source == FlowSource::default()
}

/// An item's export column(s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemColumn {
    pub id: String,
    /// `likert`, `numeric`, `single_choice`, `multiple_choice` or `text`.
    pub kind: String,
    /// Whether a numeric item takes whole numbers only.
    #[serde(default)]
    pub integer: bool,
    /// The option codes of a multiple-choice item (one 0/1 column each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<i64>,
}

/// An attention check's export columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckColumn {
    pub id: String,
    pub expect: i64,
}

impl SurveyColumns {
    pub fn of(form: &Form) -> SurveyColumns {
        SurveyColumns {
            items: form
                .items()
                .map(|item| ItemColumn {
                    id: item.item.id.clone(),
                    kind: item.response.type_name().to_string(),
                    integer: matches!(item.response, ResponseScale::Numeric { integer: true, .. }),
                    options: match &item.response {
                        ResponseScale::MultipleChoice { options } => {
                            options.iter().map(|o| o.value).collect()
                        }
                        _ => Vec::new(),
                    },
                })
                .collect(),
            checks: form
                .attention_checks()
                .map(|c| CheckColumn {
                    id: c.check.id.clone(),
                    expect: c.check.expect,
                })
                .collect(),
            blocks: form.blocks.iter().map(|b| b.id.clone()).collect(),
            logic: FlowSource::of(form),
            language: form.language.clone(),
            relations: form
                .relations()
                .map(|(block, relation)| {
                    // A name generator's ego is the participant's id on the survey's roster,
                    // when a link carries one.
                    let roster = match &relation.source {
                        PeopleSource::Roster(name) => form.rosters.get(name),
                        PeopleSource::Names(_) => {
                            form.rosters.values().find(|r| r.participant.is_some())
                        }
                    };
                    RelationColumns {
                        id: block.id.clone(),
                        kind: relation.kind.name().to_string(),
                        names: matches!(relation.source, PeopleSource::Names(_)),
                        ego_param: roster.and_then(|r| r.participant.clone()),
                        follow_ups: relation
                            .follow_ups
                            .iter()
                            .map(|f| ItemColumn {
                                id: f.id.clone(),
                                kind: f.response.type_name().to_string(),
                                integer: matches!(
                                    f.response,
                                    ResponseScale::Numeric { integer: true, .. }
                                ),
                                options: Vec::new(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

/// A survey registered in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    pub key: i64,
    pub survey_id: String,
    pub version: String,
    pub fingerprint: String,
    pub title: String,
    /// The survey file as it was run (an absolute path), so that `--resume` can find it.
    pub source: String,
    pub columns: SurveyColumns,
}

/// How a session ended, or that it has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Complete,
    Declined,
    /// Ended early by a screen-out (`end_if`).
    ScreenedOut,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::Complete => "complete",
            Status::Declined => "declined",
            Status::ScreenedOut => "screened_out",
        }
    }

    pub(super) fn from_str(text: &str) -> Option<Status> {
        Some(match text {
            "in_progress" => Status::InProgress,
            "complete" => Status::Complete,
            "declined" => Status::Declined,
            "screened_out" => Status::ScreenedOut,
            _ => return None,
        })
    }
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: String,
    pub survey: i64,
    pub participant: Option<String>,
    pub layout: Layout,
    pub status: Status,
    pub consent: Option<bool>,
    pub position: Position,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
    pub params: BTreeMap<String, String>,
    /// The language the session is taken in; `None` for the survey's own (and for sessions
    /// stored before kith recorded languages).
    pub language: Option<String>,
}

/// An answer as stored; `value` is `None` when the participant cleared it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRecord {
    pub entry: String,
    pub value: Option<Answer>,
    pub first_answered_at: String,
    pub answered_at: String,
    pub changes: i64,
}

/// When a page was shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PageViewRecord {
    /// 0-based.
    pub page: usize,
    pub first_shown_at: String,
    pub last_shown_at: String,
    pub views: i64,
}

/// The details of a new session.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub survey: &'a SurveyRecord,
    pub participant: Option<&'a str>,
    pub params: &'a BTreeMap<String, String>,
    pub layout: &'a Layout,
    pub position: Position,
    pub now: DateTime<Utc>,
    /// The language chosen at the start (`?lang=`, `--lang`), if any.
    pub language: Option<&'a str>,
}

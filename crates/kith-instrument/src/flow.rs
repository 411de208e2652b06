//! The flow of a survey with logic: which questions a participant is shown, given the answers,
//! and where a screen-out (`end_if`) ends the session. One walk decides it for the runner's
//! engine, the export and the simulator, so the three can never disagree.
//!
//! The walk goes page by page in the displayed order. A block is shown when its `show_if`
//! holds (or it has none); a question when its block is shown and its own `show_if` holds. A
//! condition reads only the answers of questions that were shown: an answer left on a
//! question that became hidden counts as missing, for conditions as for scoring. After each
//! page, the `end_if` of its shown items is tested, and after a block's last page the block's
//! own; the first that holds ends the session there, and nothing after it is shown.

use crate::form::Form;
use crate::logic::{self, Answer, Answers, Expr, ExprKind, Literal, Span};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The parsed conditions of a form, by the block or question they belong to.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    blocks: HashMap<String, Rules>,
    entries: HashMap<String, Rules>,
}

/// The conditions of one block or question.
#[derive(Debug, Clone, Default)]
struct Rules {
    show_if: Option<Expr>,
    end_if: Option<Expr>,
    constraint: Option<Expr>,
}

/// One page of the displayed order: its block and its questions' ids.
#[derive(Debug, Clone, Copy)]
pub struct PageRef<'a> {
    pub block: &'a str,
    pub entries: &'a [&'a str],
}

/// What ended a session early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndedBy {
    Item(String),
    Block(String),
}

impl EndedBy {
    /// The id of the item or block whose `end_if` held.
    pub fn id(&self) -> &str {
        match self {
            EndedBy::Item(id) | EndedBy::Block(id) => id,
        }
    }
}

/// The outcome of a walk: which questions are shown, page by page, and where the session ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    /// For every page, whether each of its entries is shown.
    pub shown: Vec<Vec<bool>>,
    /// The page after which a screen-out ends the session, and whose `end_if` it was.
    pub ended: Option<(usize, EndedBy)>,
}

impl Walk {
    /// Whether any question of the page is shown.
    pub fn page_shown(&self, page: usize) -> bool {
        self.shown.get(page).is_some_and(|s| s.iter().any(|&v| v))
    }
}

/// The answers as conditions see them: only those of questions shown so far.
struct ShownAnswers<'a> {
    answers: &'a dyn Answers,
    shown: &'a HashSet<&'a str>,
}

impl Answers for ShownAnswers<'_> {
    fn answer(&self, item: &str) -> Option<Answer> {
        if self.shown.contains(item) {
            self.answers.answer(item)
        } else {
            None
        }
    }

    fn parameter(&self, name: &str) -> Option<String> {
        self.answers.parameter(name)
    }
}

/// A condition parsed; one that does not parse (only possible in a form that was not
/// checked, as `kith check` refuses it) is `false`, so what it guards is hidden or never fires.
fn parse(text: Option<&str>) -> Option<Expr> {
    text.map(|text| {
        logic::parse(text).unwrap_or(Expr {
            kind: ExprKind::Literal(Literal::Bool(false)),
            span: Span::new(0, text.len()),
        })
    })
}

/// The conditions of a form as written, by block and question: what the store keeps so that
/// an export can walk a session without the survey file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FlowSource {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<RulesSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<RulesSource>,
}

/// The conditions of one block or question, as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesSource {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_if: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
}

impl RulesSource {
    fn is_empty(&self) -> bool {
        self.show_if.is_none() && self.end_if.is_none() && self.constraint.is_none()
    }
}

impl FlowSource {
    /// The conditions of a form.
    pub fn of(form: &Form) -> FlowSource {
        let mut source = FlowSource::default();
        for block in &form.blocks {
            source.blocks.push(RulesSource {
                id: block.id.clone(),
                show_if: block.show_if.clone(),
                end_if: block.end_if.as_ref().map(|e| e.condition.clone()),
                constraint: None,
            });
            for item in &block.items {
                let item = &item.item;
                source.entries.push(RulesSource {
                    id: item.id.clone(),
                    show_if: item.show_if.clone(),
                    end_if: item.end_if.as_ref().map(|e| e.condition.clone()),
                    constraint: item.constraint.as_ref().map(|c| c.condition.clone()),
                });
            }
            for check in &block.attention_checks {
                source.entries.push(RulesSource {
                    id: check.check.id.clone(),
                    show_if: check.check.show_if.clone(),
                    ..RulesSource::default()
                });
            }
        }
        source.blocks.retain(|r| !r.is_empty());
        source.entries.retain(|r| !r.is_empty());
        source
    }
}

fn rules(source: &RulesSource) -> Rules {
    Rules {
        show_if: parse(source.show_if.as_deref()),
        end_if: parse(source.end_if.as_deref()),
        constraint: source
            .constraint
            .as_deref()
            .and_then(|c| logic::parse(c).ok()),
    }
}

impl Flow {
    /// The conditions of a form, parsed once. A broken constraint (in a form not checked) is
    /// left out rather than refusing every answer.
    pub fn new(form: &Form) -> Flow {
        Flow::from_source(&FlowSource::of(form))
    }

    /// The conditions as the store keeps them, parsed.
    pub fn from_source(source: &FlowSource) -> Flow {
        Flow {
            blocks: source
                .blocks
                .iter()
                .map(|r| (r.id.clone(), rules(r)))
                .collect(),
            entries: source
                .entries
                .iter()
                .map(|r| (r.id.clone(), rules(r)))
                .collect(),
        }
    }

    /// Whether the form has no conditions at all, so every question is always shown.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.entries.is_empty()
    }

    /// Which questions are shown and where the session ends, given the answers as they stand.
    pub fn walk(&self, pages: &[PageRef<'_>], answers: &dyn Answers) -> Walk {
        let mut walk = Walk::default();
        let mut shown: HashSet<&str> = HashSet::new();
        let mut block_shown: HashMap<&str, bool> = HashMap::new();
        for (index, page) in pages.iter().enumerate() {
            if walk.ended.is_some() {
                walk.shown.push(vec![false; page.entries.len()]);
                continue;
            }
            let view = ShownAnswers {
                answers,
                shown: &shown,
            };
            // A block's condition reads earlier blocks only, so it is decided at its first page.
            let block_visible = *block_shown.entry(page.block).or_insert_with(|| {
                self.blocks
                    .get(page.block)
                    .and_then(|r| r.show_if.as_ref())
                    .is_none_or(|e| logic::holds(e, &view))
            });
            let on_page: Vec<bool> = page
                .entries
                .iter()
                .map(|id| {
                    block_visible
                        && self
                            .entries
                            .get(*id)
                            .and_then(|r| r.show_if.as_ref())
                            .is_none_or(|e| logic::holds(e, &view))
                })
                .collect();
            for (id, visible) in page.entries.iter().zip(&on_page) {
                if *visible {
                    shown.insert(*id);
                }
            }
            let view = ShownAnswers {
                answers,
                shown: &shown,
            };
            let item_end = page.entries.iter().zip(&on_page).find(|(id, visible)| {
                **visible
                    && self
                        .entries
                        .get(**id)
                        .and_then(|r| r.end_if.as_ref())
                        .is_some_and(|e| logic::holds(e, &view))
            });
            let last_of_block = pages.get(index + 1).is_none_or(|p| p.block != page.block);
            if let Some((id, _)) = item_end {
                walk.ended = Some((index, EndedBy::Item(id.to_string())));
            } else if last_of_block
                && block_visible
                && self
                    .blocks
                    .get(page.block)
                    .and_then(|r| r.end_if.as_ref())
                    .is_some_and(|e| logic::holds(e, &view))
            {
                walk.ended = Some((index, EndedBy::Block(page.block.to_string())));
            }
            walk.shown.push(on_page);
        }
        walk
    }

    /// Whether the question's constraint is broken by the answers of the `shown` questions. A
    /// constraint is tested only when the question and every item it names have an answer, so
    /// an unanswered question never breaks one.
    pub fn breaks_constraint(
        &self,
        id: &str,
        answers: &dyn Answers,
        shown: &HashSet<&str>,
    ) -> bool {
        let Some(constraint) = self.entries.get(id).and_then(|r| r.constraint.as_ref()) else {
            return false;
        };
        let answers = &ShownAnswers { answers, shown };
        let decided = answers.answer(id).is_some()
            && constraint
                .items()
                .iter()
                .all(|(item, _)| answers.answer(item).is_some());
        decided && !logic::holds(constraint, answers)
    }
}

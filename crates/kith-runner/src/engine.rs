//! The session engine: the order a participant sees, the page to show next, which answers are
//! valid, and when a session is complete. No terminal, no HTTP, no store: it takes values and
//! returns values, so the terminal and web front-ends and the tests drive the same code.

use crate::answer::{Answer, AnswerProblem, check_answer};
use kith_instrument::form::{Form, FormBlock};
use kith_instrument::model::ResponseScale;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One question in the displayed order: an item or an attention check, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// Whether the entry is an attention check (recorded, never scored).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub check: bool,
}

/// One page: entries of one block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLayout {
    pub block: String,
    pub entries: Vec<Entry>,
}

/// The order one participant sees: blocks, pages and the entries on each page.
///
/// It is computed once from the form and the participant's seed and stored with the session,
/// so that the displayed order is on record and a resumed session shows the same pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub seed: u64,
    /// Block ids in the displayed order.
    pub blocks: Vec<String>,
    pub pages: Vec<PageLayout>,
}

impl Layout {
    /// The layout for a participant's seed: blocks named in `randomize_blocks` swap places among
    /// themselves, a block's items are shuffled when it says so, attention checks go after the
    /// given number of displayed items, and blocks are cut into pages of `items_per_page` items
    /// (attention checks do not count towards a page's size).
    pub fn new(form: &Form, seed: u64) -> Layout {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut order: Vec<&FormBlock> = form.blocks.iter().collect();
        let movable: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|(_, block)| form.randomize_blocks.contains(&block.id))
            .map(|(index, _)| index)
            .collect();
        let mut shuffled: Vec<&FormBlock> = movable.iter().map(|&i| order[i]).collect();
        shuffled.shuffle(&mut rng);
        for (slot, block) in movable.iter().zip(shuffled) {
            order[*slot] = block;
        }
        let mut pages = Vec::new();
        for block in &order {
            let mut items: Vec<&str> = block.items.iter().map(|i| i.item.id.as_str()).collect();
            if block.randomize_items {
                items.shuffle(&mut rng);
            }
            // Each check goes after `after` displayed items (default: half of them).
            let mut checks: Vec<(usize, &str)> = block
                .attention_checks
                .iter()
                .map(|c| {
                    let after = c.check.after.map_or(items.len() / 2, |n| n as usize);
                    (after.min(items.len()), c.check.id.as_str())
                })
                .collect();
            checks.sort_by_key(|(after, _)| *after);
            let per_page = block
                .items_per_page
                .filter(|&n| n > 0)
                .map_or(usize::MAX, |n| n as usize);
            let mut page: Vec<Entry> = Vec::new();
            let mut on_page = 0;
            let mut next_check = checks.iter().peekable();
            // Checks placed before any item open the block.
            while let Some((0, id)) = next_check.peek() {
                page.push(Entry {
                    id: id.to_string(),
                    check: true,
                });
                next_check.next();
            }
            for (shown, id) in items.iter().enumerate() {
                if on_page == per_page {
                    pages.push(PageLayout {
                        block: block.id.clone(),
                        entries: std::mem::take(&mut page),
                    });
                    on_page = 0;
                }
                page.push(Entry {
                    id: id.to_string(),
                    check: false,
                });
                on_page += 1;
                while let Some((after, id)) = next_check.peek() {
                    if *after != shown + 1 {
                        break;
                    }
                    page.push(Entry {
                        id: id.to_string(),
                        check: true,
                    });
                    next_check.next();
                }
            }
            if !page.is_empty() {
                pages.push(PageLayout {
                    block: block.id.clone(),
                    entries: page,
                });
            }
        }
        Layout {
            seed,
            blocks: order.iter().map(|b| b.id.clone()).collect(),
            pages,
        }
    }

    /// The entries of one block in displayed order, attention checks included.
    pub fn block_sequence(&self, block: &str) -> Vec<&Entry> {
        self.pages
            .iter()
            .filter(|page| page.block == block)
            .flat_map(|page| page.entries.iter())
            .collect()
    }

    /// The page (0-based) that shows an entry.
    pub fn page_of(&self, id: &str) -> Option<usize> {
        self.pages
            .iter()
            .position(|page| page.entries.iter().any(|entry| entry.id == id))
    }

    /// Whether every entry of the layout is a question of the form and every question of the
    /// form is in the layout, so that the layout can administer the form.
    pub fn fits(&self, form: &Form) -> bool {
        let mut expected: Vec<&str> = form
            .items()
            .map(|i| i.item.id.as_str())
            .chain(form.attention_checks().map(|c| c.check.id.as_str()))
            .collect();
        let mut found: Vec<&str> = self
            .pages
            .iter()
            .flat_map(|page| page.entries.iter().map(|e| e.id.as_str()))
            .collect();
        expected.sort_unstable();
        found.sort_unstable();
        expected == found
    }
}

/// A question as the participant sees it.
#[derive(Debug, Clone, Copy)]
pub struct Question<'s> {
    pub id: &'s str,
    pub text: &'s str,
    pub response: &'s ResponseScale,
    pub required: bool,
    pub attention_check: bool,
    pub answer: Option<&'s Answer>,
}

/// A page of questions.
#[derive(Debug, Clone)]
pub struct PageView<'s> {
    /// 0-based.
    pub index: usize,
    pub count: usize,
    /// The block's title, when the survey gives one (instrument titles are for researchers).
    pub title: Option<&'s str>,
    /// The block's instructions, on the block's first page.
    pub instructions: Option<&'s str>,
    pub questions: Vec<Question<'s>>,
}

/// One page's line in the summary before submitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPage {
    /// 0-based.
    pub index: usize,
    pub answered: usize,
    pub total: usize,
    /// The 1-based numbers (on their page) of the questions left unanswered.
    pub unanswered: Vec<usize>,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Consent,
    /// A page, 0-based.
    Page(usize),
    /// The summary before submitting.
    Review,
    Complete,
    Declined,
}

impl Position {
    /// The form kept in the store: `consent`, `page:3`, `review`, `complete`, `declined`.
    pub fn to_text(self) -> String {
        match self {
            Position::Consent => "consent".to_string(),
            Position::Page(index) => format!("page:{index}"),
            Position::Review => "review".to_string(),
            Position::Complete => "complete".to_string(),
            Position::Declined => "declined".to_string(),
        }
    }

    pub fn from_text(text: &str) -> Option<Position> {
        Some(match text {
            "consent" => Position::Consent,
            "review" => Position::Review,
            "complete" => Position::Complete,
            "declined" => Position::Declined,
            other => Position::Page(other.strip_prefix("page:")?.parse().ok()?),
        })
    }

    /// Whether the session has ended (completed or declined).
    pub fn is_final(self) -> bool {
        matches!(self, Position::Complete | Position::Declined)
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StepProblem {
    #[error(transparent)]
    Answer(#[from] AnswerProblem),
    #[error("question `{0}` is not on the page being shown")]
    NotOnPage(String),
    /// Required questions on the page (1-based numbers) are unanswered.
    #[error("{} required question{} not answered", .0.len(), if .0.len() == 1 { " is" } else { "s are" })]
    RequiredMissing(Vec<usize>),
    #[error("the session is not at that step (it is at `{}`)", .0.to_text())]
    WrongStep(Position),
}

/// One participant's session: the layout, the answers so far and the current position.
#[derive(Debug, Clone)]
pub struct Session {
    form: Arc<Form>,
    layout: Layout,
    position: Position,
    answers: BTreeMap<String, Answer>,
}

impl Session {
    /// A new session: it starts at the consent page when the form has one.
    pub fn new(form: Arc<Form>, layout: Layout) -> Session {
        let position = if form.consent.is_some() {
            Position::Consent
        } else {
            Position::Page(0)
        };
        Session {
            form,
            layout,
            position,
            answers: BTreeMap::new(),
        }
    }

    /// A session rebuilt from what the store holds. Answers to questions the layout no longer
    /// shows are kept but never displayed.
    pub fn restore(
        form: Arc<Form>,
        layout: Layout,
        position: Position,
        answers: BTreeMap<String, Answer>,
    ) -> Session {
        let position = match position {
            Position::Page(index) if index >= layout.pages.len() => Position::Review,
            other => other,
        };
        Session {
            form,
            layout,
            position,
            answers,
        }
    }

    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn position(&self) -> Position {
        self.position
    }

    pub fn answers(&self) -> &BTreeMap<String, Answer> {
        &self.answers
    }

    /// Page k of n (1-based k) while on a page, n of n at the summary.
    pub fn progress(&self) -> (usize, usize) {
        let count = self.layout.pages.len();
        match self.position {
            Position::Consent => (0, count),
            Position::Page(index) => (index + 1, count),
            _ => (count, count),
        }
    }

    /// A question of the form by id, item or attention check.
    pub fn question(&self, id: &str) -> Option<Question<'_>> {
        let answer = self.answers.get(id);
        if let Some(item) = self.form.item(id) {
            return Some(Question {
                id: &item.item.id,
                text: &item.item.text,
                response: &item.response,
                required: item.item.required,
                attention_check: false,
                answer,
            });
        }
        self.form
            .attention_checks()
            .find(|c| c.check.id == id)
            .map(|c| Question {
                id: &c.check.id,
                text: &c.check.text,
                response: &c.response,
                required: false,
                attention_check: true,
                answer,
            })
    }

    /// The page at `index`, with the current answers.
    pub fn page(&self, index: usize) -> Option<PageView<'_>> {
        let layout = self.layout.pages.get(index)?;
        let block = self.form.blocks.iter().find(|b| b.id == layout.block)?;
        let first_of_block = index == 0 || self.layout.pages[index - 1].block != layout.block;
        let title = block.title.as_deref().filter(|title| {
            block
                .instrument
                .as_ref()
                .is_none_or(|info| info.title != *title)
        });
        Some(PageView {
            index,
            count: self.layout.pages.len(),
            title,
            instructions: if first_of_block {
                block.instructions.as_deref()
            } else {
                None
            },
            questions: layout
                .entries
                .iter()
                .filter_map(|entry| self.question(&entry.id))
                .collect(),
        })
    }

    /// The page being shown, if the session is on one.
    pub fn current_page(&self) -> Option<PageView<'_>> {
        match self.position {
            Position::Page(index) => self.page(index),
            _ => None,
        }
    }

    /// The summary before submitting: answered and unanswered questions page by page.
    pub fn review(&self) -> Vec<ReviewPage> {
        (0..self.layout.pages.len())
            .filter_map(|index| self.page(index))
            .map(|page| ReviewPage {
                index: page.index,
                answered: page.questions.iter().filter(|q| q.answer.is_some()).count(),
                total: page.questions.len(),
                unanswered: page
                    .questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.answer.is_none())
                    .map(|(number, _)| number + 1)
                    .collect(),
            })
            .collect()
    }

    /// Records the consent decision: agreeing opens the first page, declining ends the session.
    pub fn consent(&mut self, agree: bool) -> Result<Position, StepProblem> {
        if self.position != Position::Consent {
            return Err(StepProblem::WrongStep(self.position));
        }
        self.position = if agree {
            Position::Page(0)
        } else {
            Position::Declined
        };
        Ok(self.position)
    }

    /// Checks an answer to a question on the current page without recording it.
    pub fn check(&self, id: &str, answer: Option<&Answer>) -> Result<(), StepProblem> {
        let Position::Page(index) = self.position else {
            return Err(StepProblem::WrongStep(self.position));
        };
        if !self.layout.pages[index].entries.iter().any(|e| e.id == id) {
            return Err(StepProblem::NotOnPage(id.to_string()));
        }
        let question = self
            .question(id)
            .ok_or_else(|| StepProblem::NotOnPage(id.to_string()))?;
        if let Some(answer) = answer {
            check_answer(question.response, answer)?;
        }
        Ok(())
    }

    /// Records (or, with `None`, clears) an answer to a question on the current page.
    pub fn set(&mut self, id: &str, answer: Option<Answer>) -> Result<(), StepProblem> {
        self.check(id, answer.as_ref())?;
        match answer {
            Some(answer) => self.answers.insert(id.to_string(), answer),
            None => self.answers.remove(id),
        };
        Ok(())
    }

    /// The required questions of the current page left unanswered (1-based numbers).
    pub fn required_missing(&self) -> Vec<usize> {
        self.current_page()
            .map(|page| {
                page.questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.required && q.answer.is_none())
                    .map(|(number, _)| number + 1)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Goes to the next page, or to the summary after the last one. Refused while a required
    /// question on the page is unanswered.
    pub fn forward(&mut self) -> Result<Position, StepProblem> {
        let Position::Page(index) = self.position else {
            return Err(StepProblem::WrongStep(self.position));
        };
        let missing = self.required_missing();
        if !missing.is_empty() {
            return Err(StepProblem::RequiredMissing(missing));
        }
        self.position = if index + 1 < self.layout.pages.len() {
            Position::Page(index + 1)
        } else {
            Position::Review
        };
        Ok(self.position)
    }

    /// Goes back a page (from the summary, to the last page), to change answers.
    pub fn back(&mut self) -> Result<Position, StepProblem> {
        self.position = match self.position {
            Position::Page(index) if index > 0 => Position::Page(index - 1),
            Position::Review if !self.layout.pages.is_empty() => {
                Position::Page(self.layout.pages.len() - 1)
            }
            other => return Err(StepProblem::WrongStep(other)),
        };
        Ok(self.position)
    }

    /// Submits the session from the summary.
    pub fn submit(&mut self) -> Result<Position, StepProblem> {
        if self.position != Position::Review {
            return Err(StepProblem::WrongStep(self.position));
        }
        // Required questions were enforced page by page; a page skipped over by a resumed
        // layout is caught here.
        for index in 0..self.layout.pages.len() {
            if let Some(page) = self.page(index) {
                let missing: Vec<usize> = page
                    .questions
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| q.required && q.answer.is_none())
                    .map(|(n, _)| n + 1)
                    .collect();
                if !missing.is_empty() {
                    self.position = Position::Page(index);
                    return Err(StepProblem::RequiredMissing(missing));
                }
            }
        }
        self.position = Position::Complete;
        Ok(self.position)
    }
}

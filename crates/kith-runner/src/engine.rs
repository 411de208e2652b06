//! The session engine: the order a participant sees, the page to show next, which answers are
//! valid, and when a session is complete. No terminal, no HTTP, no store: it takes values and
//! returns values, so the terminal and web front-ends and the tests drive the same code.

mod layout;
mod logic;
pub mod people;

pub use layout::{Entry, Layout, PageLayout};
pub(crate) use logic::entries_where;
pub use logic::walk as logic_walk;
pub use people::PeopleChoice;

use crate::answer::{Answer, AnswerProblem, check_answer};
use crate::strings::{Strings, strings};
use kith_instrument::flow::{EndedBy, Flow, Walk};
use kith_instrument::form::{Form, translated};
use kith_instrument::model::ResponseScale;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A question as the participant sees it, its text with earlier answers piped in.
#[derive(Debug, Clone)]
pub struct Question<'s> {
    /// The answer's id: an item's or check's, a relation's, or a follow-up's about one person.
    pub id: std::borrow::Cow<'s, str>,
    pub text: String,
    pub response: &'s ResponseScale,
    pub required: bool,
    pub attention_check: bool,
    pub answer: Option<&'s Answer>,
    /// For the question of a network question that chooses people: whom it chooses from.
    pub people: Option<PeopleChoice<'s>>,
}

/// A page of questions: those of its layout page that the logic shows.
#[derive(Debug, Clone)]
pub struct PageView<'s> {
    /// The page of the layout, 0-based.
    pub index: usize,
    /// Its number among the pages shown, 1-based, and how many pages are shown.
    pub number: usize,
    pub count: usize,
    /// The block's title, when the survey gives one (instrument titles are for researchers).
    pub title: Option<String>,
    /// The block's instructions, on the block's first page.
    pub instructions: Option<String>,
    pub questions: Vec<Question<'s>>,
}

/// One page's line in the summary before submitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPage {
    /// The page of the layout, 0-based, and its number among the pages shown, 1-based.
    pub index: usize,
    pub number: usize,
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
    /// Ended early by an `end_if` (a screen-out).
    ScreenedOut,
}

impl Position {
    /// The form kept in the store: `consent`, `page:3`, `review`, `complete`, `declined`,
    /// `screened_out`.
    pub fn to_text(self) -> String {
        match self {
            Position::Consent => "consent".to_string(),
            Position::Page(index) => format!("page:{index}"),
            Position::Review => "review".to_string(),
            Position::Complete => "complete".to_string(),
            Position::Declined => "declined".to_string(),
            Position::ScreenedOut => "screened_out".to_string(),
        }
    }

    pub fn from_text(text: &str) -> Option<Position> {
        Some(match text {
            "consent" => Position::Consent,
            "review" => Position::Review,
            "complete" => Position::Complete,
            "declined" => Position::Declined,
            "screened_out" => Position::ScreenedOut,
            other => Position::Page(other.strip_prefix("page:")?.parse().ok()?),
        })
    }

    /// Whether the session has ended (completed, declined or screened out).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Position::Complete | Position::Declined | Position::ScreenedOut
        )
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
    /// An answer does not meet its question's constraint; the message is the survey's.
    #[error("{message}")]
    Constraint { id: String, message: String },
    #[error("the session is not at that step (it is at `{}`)", .0.to_text())]
    WrongStep(Position),
}

/// One participant's session: the layout, the answers so far, the session's parameters and
/// the current position.
#[derive(Debug, Clone)]
pub struct Session {
    form: Arc<Form>,
    flow: Arc<Flow>,
    layout: Layout,
    position: Position,
    answers: BTreeMap<String, Answer>,
    params: BTreeMap<String, String>,
    /// The language the participant reads the survey in.
    language: String,
    /// The position as stored or started, before hidden pages were skipped: the parameters
    /// (`with_params`) may show a page the answers alone do not.
    stored: Position,
}

impl Session {
    /// A new session: it starts at the consent page when the form has one.
    pub fn new(form: Arc<Form>, layout: Layout) -> Session {
        let position = if form.consent.is_some() {
            Position::Consent
        } else {
            Position::Page(0)
        };
        let mut session = Session {
            flow: Arc::new(Flow::new(&form)),
            language: form.language.clone(),
            form,
            layout,
            position,
            answers: BTreeMap::new(),
            params: BTreeMap::new(),
            stored: position,
        };
        session.position = session.resolved(position);
        session
    }

    /// A session rebuilt from what the store holds. Answers to questions the layout no longer
    /// shows are kept but never displayed.
    pub fn restore(
        form: Arc<Form>,
        layout: Layout,
        position: Position,
        answers: BTreeMap<String, Answer>,
    ) -> Session {
        let mut session = Session {
            flow: Arc::new(Flow::new(&form)),
            language: form.language.clone(),
            form,
            layout,
            position,
            answers,
            params: BTreeMap::new(),
            stored: position,
        };
        session.position = session.resolved(position);
        session
    }

    /// A stored page the logic now hides gives way to the next page shown.
    fn resolved(&self, position: Position) -> Position {
        match position {
            Position::Page(index) => self.first_shown_from(index),
            other => other,
        }
    }

    /// The session with its parameters (`param.name` in conditions and piped texts), given
    /// right after `new` or `restore`: the position is placed again with them.
    pub fn with_params(mut self, params: BTreeMap<String, String>) -> Session {
        self.params = params;
        self.position = self.resolved(self.stored);
        self
    }

    /// The session in `language` (one the form offers; any other gets the form's own).
    pub fn with_language(mut self, language: &str) -> Session {
        if self.form.offered_languages().contains(&language) {
            self.language = language.to_string();
        }
        self
    }

    /// The language the participant reads the survey in.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// kith's own words to the participant, in the session's language.
    pub fn strings(&self) -> &'static Strings {
        strings(&self.language)
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

    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }

    /// Which questions the logic shows and where it ends the session, from the answers as
    /// they stand.
    pub fn walk(&self) -> Walk {
        logic::walk(&self.flow, &self.layout, &self.answers, &self.params)
    }

    /// The layout pages shown, in order, up to the page a screen-out ends on.
    fn shown_pages(&self, walk: &Walk) -> Vec<usize> {
        (0..self.layout.pages.len())
            .filter(|&index| walk.page_shown(index))
            .collect()
    }

    /// The first shown page at or after `index`; the summary when none is left; the end when
    /// a screen-out holds before any further page is shown (its own page may be hidden).
    fn first_shown_from(&self, index: usize) -> Position {
        let walk = self.walk();
        let next = (index..self.layout.pages.len()).find(|&i| walk.page_shown(i));
        match (next, &walk.ended) {
            (Some(page), Some((end, _))) if page > *end => Position::ScreenedOut,
            (None, Some(_)) => Position::ScreenedOut,
            (Some(page), _) => Position::Page(page),
            (None, None) => Position::Review,
        }
    }

    /// Page k of n (1-based k) while on a page, n of n at the summary. Pages the logic hides,
    /// given the answers so far, are not counted.
    pub fn progress(&self) -> (usize, usize) {
        let shown = self.shown_pages(&self.walk());
        let count = shown.len();
        match self.position {
            Position::Consent => (0, count),
            Position::Page(index) => (
                shown.iter().filter(|&&i| i < index).count() + 1,
                count.max(1),
            ),
            _ => (count, count),
        }
    }

    /// A question of the form by id, item or attention check, with its text piped.
    pub fn question(&self, id: &str) -> Option<Question<'_>> {
        let walk = self.walk();
        self.question_in(id, &walk)
    }

    fn question_in(&self, id: &str, walk: &Walk) -> Option<Question<'_>> {
        let answer = self.answers.get(id);
        let language = self.language.as_str();
        let (id, text, response, required, attention_check) = if let Some(item) = self.form.item(id)
        {
            let item_ = &item.item;
            let text = translated(&item_.text, &item_.translations, language);
            (&item_.id, text, &item.response, item_.required, false)
        } else if let Some(question) = people::choosing_question(self, id, walk) {
            return Some(question);
        } else {
            let check = self.form.attention_checks().find(|c| c.check.id == id)?;
            let text = translated(&check.check.text, &check.check.translations, language);
            (&check.check.id, text, &check.response, false, true)
        };
        Some(Question {
            id: id.into(),
            text: self.pipe(text, walk),
            response,
            required,
            attention_check,
            answer,
            people: None,
        })
    }

    /// The questions of one layout entry: the entry's question, or for a relation's follow-up
    /// page one question per person chosen and follow-up.
    fn entry_questions(&self, id: &str, walk: &Walk) -> Vec<Question<'_>> {
        match id.strip_suffix(people::FOLLOW_UPS) {
            Some(relation) => people::follow_up_questions(self, relation),
            None => self.question_in(id, walk).into_iter().collect(),
        }
    }

    /// A participant-facing text with `{item}` and `{param.name}` filled in from the shown
    /// answers and the session's parameters.
    pub fn pipe(&self, text: &str, walk: &Walk) -> String {
        logic::pipe(self, text, walk)
    }

    /// The page at `index`, with the current answers; `None` when the logic hides all of it.
    pub fn page(&self, index: usize) -> Option<PageView<'_>> {
        let walk = self.walk();
        self.page_in(index, &walk)
    }

    fn page_in(&self, index: usize, walk: &Walk) -> Option<PageView<'_>> {
        let layout = self.layout.pages.get(index)?;
        let block = self.form.blocks.iter().find(|b| b.id == layout.block)?;
        let shown = walk.shown.get(index)?;
        let shown_pages = self.shown_pages(walk);
        let number = shown_pages.iter().position(|&i| i == index)? + 1;
        // Instructions go on the block's first page shown (its first pages may be hidden).
        let first_of_block =
            !(0..index).any(|i| self.layout.pages[i].block == layout.block && walk.page_shown(i));
        let texts = block.translations.get(&self.language);
        let title = block
            .title
            .as_deref()
            .filter(|title| {
                block
                    .instrument
                    .as_ref()
                    .is_none_or(|info| info.title != *title)
            })
            .map(|title| texts.and_then(|t| t.title.as_deref()).unwrap_or(title));
        let instructions = block.instructions.as_deref().map(|text| {
            texts
                .and_then(|t| t.instructions.as_deref())
                .unwrap_or(text)
        });
        Some(PageView {
            index,
            number,
            count: shown_pages.len(),
            title: title.map(|t| self.pipe(t, walk)),
            instructions: instructions
                .filter(|_| first_of_block)
                .map(|t| self.pipe(t, walk)),
            questions: layout
                .entries
                .iter()
                .zip(shown)
                .filter(|(_, shown)| **shown)
                .flat_map(|(entry, _)| self.entry_questions(&entry.id, walk))
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

    /// The summary before submitting: answered and unanswered questions page by page, for the
    /// pages shown.
    pub fn review(&self) -> Vec<ReviewPage> {
        let walk = self.walk();
        (0..self.layout.pages.len())
            .filter_map(|index| self.page_in(index, &walk))
            .map(|page| ReviewPage {
                index: page.index,
                number: page.number,
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

    /// The message of the screen-out that ended the session (piped), or that would end it.
    pub fn end_message(&self) -> Option<String> {
        let walk = self.walk();
        let (_, by) = walk.ended.as_ref()?;
        let end_if = match by {
            EndedBy::Item(id) => self.form.item(id)?.item.end_if.as_ref(),
            EndedBy::Block(id) => self
                .form
                .blocks
                .iter()
                .find(|b| b.id == *id)?
                .end_if
                .as_ref(),
        }?;
        let message = end_if.message.as_deref()?;
        Some(self.pipe(
            translated(message, &end_if.translations, &self.language),
            &walk,
        ))
    }

    /// The survey's title, in the session's language.
    pub fn title(&self) -> &str {
        self.form
            .translations
            .get(&self.language)
            .and_then(|t| t.title.as_deref())
            .unwrap_or(&self.form.title)
    }

    /// The survey's closing text, in the session's language, piped.
    pub fn closing(&self) -> Option<String> {
        let walk = self.walk();
        let own = self.form.translations.get(&self.language);
        let text = own.and_then(|t| t.closing.as_deref());
        text.or(self.form.closing.as_deref())
            .map(|t| self.pipe(t, &walk))
    }

    /// The consent text, in the session's language, piped (it can show session parameters
    /// only).
    pub fn consent_text(&self) -> Option<String> {
        let walk = self.walk();
        let own = self.form.translations.get(&self.language);
        let text = own.and_then(|t| t.consent.as_deref());
        text.or(self.form.consent.as_deref())
            .map(|t| self.pipe(t, &walk))
    }

    /// Records the consent decision: agreeing opens the first page shown, declining ends the
    /// session.
    pub fn consent(&mut self, agree: bool) -> Result<Position, StepProblem> {
        if self.position != Position::Consent {
            return Err(StepProblem::WrongStep(self.position));
        }
        self.position = if agree {
            self.first_shown_from(0)
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
        let walk = self.walk();
        let page = self.page_in(index, &walk);
        let question = page
            .iter()
            .flat_map(|page| &page.questions)
            .find(|question| question.id == id)
            .ok_or_else(|| StepProblem::NotOnPage(id.to_string()))?;
        match (answer, &question.people) {
            (Some(answer), Some(choice)) => people::check_people(choice, answer)?,
            (Some(answer), None) => check_answer(question.response, answer)?,
            (None, _) => {}
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
            .map(|page| required_missing_on(&page))
            .unwrap_or_default()
    }

    /// The answers on the current page that break their question's constraint, with the
    /// survey's message for each (piped).
    pub fn broken_constraints(&self) -> Vec<(String, String)> {
        let Position::Page(index) = self.position else {
            return Vec::new();
        };
        logic::broken_constraints(self, index, &self.walk())
    }

    /// Goes to the next page shown, or to the summary after the last one, or ends the session
    /// when a screen-out holds. Refused while a required question on the page is unanswered or
    /// an answer breaks its constraint.
    pub fn forward(&mut self) -> Result<Position, StepProblem> {
        let Position::Page(index) = self.position else {
            return Err(StepProblem::WrongStep(self.position));
        };
        let missing = self.required_missing();
        if !missing.is_empty() {
            return Err(StepProblem::RequiredMissing(missing));
        }
        if let Some((id, message)) = self.broken_constraints().into_iter().next() {
            return Err(StepProblem::Constraint { id, message });
        }
        let walk = self.walk();
        self.position = match walk.ended {
            Some((page, _)) if page <= index => Position::ScreenedOut,
            _ => self.first_shown_from(index + 1),
        };
        Ok(self.position)
    }

    /// Goes back to the previous page shown (from the summary, to the last one), to change
    /// answers.
    pub fn back(&mut self) -> Result<Position, StepProblem> {
        let walk = self.walk();
        let before = match self.position {
            Position::Page(index) => index,
            Position::Review => self.layout.pages.len(),
            other => return Err(StepProblem::WrongStep(other)),
        };
        match (0..before).rev().find(|&i| walk.page_shown(i)) {
            Some(page) => {
                self.position = Position::Page(page);
                Ok(self.position)
            }
            None => Err(StepProblem::WrongStep(self.position)),
        }
    }

    /// Submits the session from the summary.
    pub fn submit(&mut self) -> Result<Position, StepProblem> {
        if self.position != Position::Review {
            return Err(StepProblem::WrongStep(self.position));
        }
        // Required questions were enforced page by page; a page skipped over by a resumed
        // layout, or shown by an answer changed later, is caught here.
        let walk = self.walk();
        for index in 0..self.layout.pages.len() {
            if let Some(page) = self.page_in(index, &walk) {
                let missing = required_missing_on(&page);
                if !missing.is_empty() {
                    self.position = Position::Page(index);
                    return Err(StepProblem::RequiredMissing(missing));
                }
                if let Some((id, message)) = logic::broken_constraints(self, index, &walk)
                    .into_iter()
                    .next()
                {
                    self.position = Position::Page(index);
                    return Err(StepProblem::Constraint { id, message });
                }
            }
        }
        self.position = if walk.ended.is_some() {
            Position::ScreenedOut
        } else {
            Position::Complete
        };
        Ok(self.position)
    }
}

/// The 1-based numbers of a page's required questions that are unanswered.
fn required_missing_on(page: &PageView<'_>) -> Vec<usize> {
    page.questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.required && q.answer.is_none())
        .map(|(number, _)| number + 1)
        .collect()
}

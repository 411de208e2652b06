//! The terminal front-end of `kith run`: one page per screen, answers by digit or arrow keys,
//! typed numbers and text checked as they are entered, every answer saved as it is given.
//!
//! This is an edge: it reads keys from the terminal and paints through the writer it is given.
//! It works in any terminal that understands ANSI sequences, over SSH too, and redraws when the
//! window changes size. Colour is used only when the caller allows it (NO_COLOR). Raw mode and
//! painting are in `terminal/paint.rs`.

mod paint;
mod people;

use crate::answer::{Answer, options, parse_answer};
use crate::conduct::{Conduct, RunError};
use crate::engine::{Position, StepProblem};
use crate::screen::{self, Cursor};
use crate::store::{Store, SurveyColumns};
use crate::strings::fill;
use chrono::Utc;
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use kith_instrument::form::Form;
use kith_instrument::model::ResponseScale;
use paint::{RawTerminal, paint};
use rand::RngExt;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

/// How to run.
#[derive(Debug, Clone)]
pub struct TerminalOptions {
    /// Whether colours may be used (false under NO_COLOR).
    pub color: bool,
    /// Loop to a new participant after each session (lab sessions).
    pub kiosk: bool,
    /// The language of every new session (`--lang`).
    pub language: Option<String>,
}

/// How the first session begins.
#[derive(Debug, Clone)]
pub enum Start {
    New {
        participant: Option<String>,
        params: BTreeMap<String, String>,
        /// The language to take the survey in (`--lang`); the survey's own when `None`.
        language: Option<String>,
    },
    Resume {
        id: String,
        force: bool,
    },
}

/// The survey being run: its form and the file it was read from (an absolute path, kept in
/// the store so that `--resume` finds it).
#[derive(Debug, Clone)]
pub struct Running {
    pub form: Arc<Form>,
    pub source: String,
}

/// A session that ended while the terminal ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub session: String,
    pub position: Position,
    pub answers: usize,
}

/// What happened, for the binary to report after the terminal is restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub ended: Vec<Ended>,
    /// The session left unfinished with Ctrl-C, if any.
    pub paused: Option<String>,
}

/// Why the terminal front-end stopped with an error; `hint` says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(
        "kith run needs an interactive terminal, and this one cannot be switched to raw mode: {0}"
    )]
    NotATerminal(std::io::Error),
    #[error("the terminal stopped working: {0}")]
    Io(#[from] std::io::Error),
}

impl TerminalError {
    /// What to do about the error, when kith can say.
    pub fn hint(&self) -> Option<String> {
        match self {
            TerminalError::Run(error) => error.hint(),
            TerminalError::NotATerminal(_) => {
                Some("run it in a terminal window or over ssh -t".to_string())
            }
            TerminalError::Io(_) => None,
        }
    }
}

fn is_press(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
}

fn is_interrupt(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('d'))
}

/// The key-driven state of one session on screen.
struct Front<'s> {
    conduct: Conduct<'s>,
    cursor: Cursor,
    /// The page the cursor belongs to, so that a new page starts with a fresh cursor.
    cursor_page: Option<usize>,
    review_message: Option<String>,
}

enum Step {
    Stay,
    Pause,
    Ended,
}

impl<'s> Front<'s> {
    fn new(conduct: Conduct<'s>) -> Self {
        let mut front = Front {
            conduct,
            cursor: Cursor::default(),
            cursor_page: None,
            review_message: None,
        };
        front.sync_page();
        front
    }

    /// On a new page: focus the first unanswered question and fill the typing fields with the
    /// answers already given.
    fn sync_page(&mut self) {
        let Position::Page(index) = self.conduct.session().position() else {
            self.cursor_page = None;
            return;
        };
        if self.cursor_page == Some(index) {
            return;
        }
        self.cursor_page = Some(index);
        self.cursor = Cursor::default();
        if let Some(page) = self.conduct.session().current_page() {
            self.cursor.focus = page
                .questions
                .iter()
                .position(|q| q.answer.is_none())
                .unwrap_or(page.questions.len());
            for question in page.questions.iter().filter(|q| q.people.is_none()) {
                if matches!(
                    question.response,
                    ResponseScale::Numeric { .. } | ResponseScale::Text { .. }
                ) {
                    self.cursor.drafts.insert(
                        question.id.to_string(),
                        question.answer.map(Answer::to_cell).unwrap_or_default(),
                    );
                }
            }
        }
    }

    fn screen(&self, kiosk: bool, width: usize) -> screen::Screen {
        let session = self.conduct.session();
        let id = &self.conduct.id;
        match session.position() {
            Position::Consent => screen::consent_screen(session, id, width),
            Position::Page(_) => {
                screen::page_screen(session, id, &self.cursor, width).unwrap_or_default()
            }
            Position::Review => {
                screen::review_screen(session, id, self.review_message.as_deref(), width)
            }
            Position::Complete | Position::Declined | Position::ScreenedOut => {
                screen::end_screen(session, kiosk, width)
            }
        }
    }

    /// The focused question's id and scale.
    fn focused(&self) -> Option<(String, ResponseScale, Option<Answer>)> {
        let page = self.conduct.session().current_page()?;
        let question = page.questions.get(self.cursor.focus)?;
        Some((
            question.id.to_string(),
            question.response.clone(),
            question.answer.cloned(),
        ))
    }

    fn question_count(&self) -> usize {
        self.conduct
            .session()
            .current_page()
            .map_or(0, |p| p.questions.len())
    }

    /// Saves an answer; a refused answer becomes the question's message.
    fn answer(&mut self, id: &str, answer: Option<Answer>) -> Result<bool, RunError> {
        match self.conduct.answer(id, answer, Utc::now()) {
            Ok(()) => {
                self.cursor.message = None;
                Ok(true)
            }
            Err(RunError::Step(problem)) => {
                let text = match &problem {
                    StepProblem::Answer(answer) => self.conduct.session().strings().problem(answer),
                    other => other.to_string(),
                };
                self.cursor.message = Some((Some(id.to_string()), text));
                Ok(false)
            }
            Err(other) => Err(other),
        }
    }

    /// Saves what was typed into the focused question, if anything changed. False when the
    /// typed text is not a valid answer (the message says why, and the focus stays).
    fn commit_draft(&mut self) -> Result<bool, RunError> {
        // A choosing question's typing is its filter, never an answer.
        if self.focused_choice().is_some() {
            return Ok(true);
        }
        let Some((id, scale, current)) = self.focused() else {
            return Ok(true);
        };
        let Some(draft) = self.cursor.drafts.get(&id).cloned() else {
            return Ok(true);
        };
        match parse_answer(&scale, &draft) {
            Ok(answer) => {
                if answer == current {
                    return Ok(true);
                }
                self.answer(&id, answer)
            }
            Err(problem) => {
                let text = self.conduct.session().strings().problem(&problem);
                self.cursor.message = Some((Some(id), text));
                Ok(false)
            }
        }
    }

    fn move_focus(&mut self, forward: bool) -> Result<(), RunError> {
        if !self.commit_draft()? {
            return Ok(());
        }
        let count = self.question_count();
        self.cursor.focus = if forward {
            (self.cursor.focus + 1).min(count)
        } else {
            self.cursor.focus.saturating_sub(1)
        };
        Ok(())
    }

    fn next_page(&mut self) -> Result<(), RunError> {
        if !self.commit_draft()? {
            return Ok(());
        }
        match self.conduct.next(Utc::now()) {
            Ok(_) => {
                self.review_message = None;
                self.sync_page();
                Ok(())
            }
            Err(RunError::Step(problem)) => {
                self.held(problem);
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    /// Shows why the page holds the session: its unanswered required questions, or the
    /// answer that breaks its constraint, with the focus on it.
    fn held(&mut self, problem: StepProblem) {
        let session = self.conduct.session();
        let words = session.strings();
        match problem {
            StepProblem::RequiredMissing(numbers) => {
                self.cursor.message = Some((None, words.required_terminal(&numbers)));
                if let Some(first) = numbers.first() {
                    self.cursor.focus = first - 1;
                }
            }
            StepProblem::Constraint { id, message } => {
                if let Some(number) = session
                    .current_page()
                    .and_then(|page| page.questions.iter().position(|q| q.id == id))
                {
                    self.cursor.focus = number;
                }
                self.cursor.message = Some((Some(id), message));
            }
            other => self.cursor.message = Some((None, other.to_string())),
        }
    }

    fn previous_page(&mut self) -> Result<(), RunError> {
        if self.conduct.session().position() != Position::Review && !self.commit_draft()? {
            return Ok(());
        }
        match self.conduct.back(Utc::now()) {
            Ok(_) => {
                self.sync_page();
                Ok(())
            }
            Err(RunError::Step(StepProblem::WrongStep(_))) => {
                let words = self.conduct.session().strings();
                self.cursor.message = Some((None, words.first_page.to_string()));
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    fn handle(&mut self, key: KeyEvent) -> Result<Step, RunError> {
        if is_interrupt(&key) {
            return Ok(Step::Pause);
        }
        match self.conduct.session().position() {
            Position::Consent => match key.code {
                KeyCode::Char(c)
                    if c.eq_ignore_ascii_case(&'y')
                        || c.eq_ignore_ascii_case(&self.conduct.session().strings().yes_key) =>
                {
                    self.conduct.consent(true, Utc::now())?;
                    self.sync_page();
                }
                KeyCode::Char('n') | KeyCode::Char('N') => {
                    self.conduct.consent(false, Utc::now())?;
                }
                _ => {}
            },
            Position::Review => match key.code {
                KeyCode::Enter => match self.conduct.submit(Utc::now()) {
                    Ok(_) => {}
                    // The session went to the page that holds it; say why there.
                    Err(RunError::Step(problem)) => {
                        self.sync_page();
                        self.held(problem);
                    }
                    Err(other) => return Err(other),
                },
                KeyCode::PageUp | KeyCode::Left | KeyCode::Backspace => self.previous_page()?,
                _ => {}
            },
            Position::Complete | Position::Declined | Position::ScreenedOut => {
                if matches!(key.code, KeyCode::Enter | KeyCode::Char(' ')) {
                    return Ok(Step::Ended);
                }
            }
            Position::Page(_) => self.handle_page_key(key)?,
        }
        Ok(Step::Stay)
    }

    fn handle_page_key(&mut self, key: KeyEvent) -> Result<(), RunError> {
        if let Some(choice) = self.focused_choice()
            && !matches!(
                key.code,
                KeyCode::PageDown | KeyCode::PageUp | KeyCode::Tab | KeyCode::BackTab
            )
        {
            return self.handle_people_key(key, choice);
        }
        match key.code {
            KeyCode::PageDown => return self.next_page(),
            KeyCode::PageUp => return self.previous_page(),
            KeyCode::Down | KeyCode::Tab => return self.move_focus(true),
            KeyCode::Up | KeyCode::BackTab => return self.move_focus(false),
            _ => {}
        }
        let Some((id, scale, current)) = self.focused() else {
            // The focus is on the button.
            if matches!(key.code, KeyCode::Enter | KeyCode::Char(' ')) {
                self.next_page()?;
            }
            return Ok(());
        };
        match &scale {
            ResponseScale::Likert { .. }
            | ResponseScale::SingleChoice { .. }
            | ResponseScale::MultipleChoice { .. } => {
                let codes: Vec<i64> = options(&scale).iter().map(|(code, _)| *code).collect();
                let multiple = matches!(scale, ResponseScale::MultipleChoice { .. });
                let highlight = self.cursor.highlight.get(&id).copied();
                let chosen_position = match &current {
                    Some(Answer::Code(code)) => codes.iter().position(|c| c == code),
                    _ => None,
                };
                let pick = |position: usize| -> Option<Answer> {
                    let code = codes[position];
                    if multiple {
                        let mut chosen = match &current {
                            Some(Answer::Choices(c)) => c.clone(),
                            _ => Vec::new(),
                        };
                        if let Some(at) = chosen.iter().position(|c| *c == code) {
                            chosen.remove(at);
                        } else {
                            chosen.push(code);
                            chosen.sort_by_key(|c| codes.iter().position(|x| x == c));
                        }
                        (!chosen.is_empty()).then_some(Answer::Choices(chosen))
                    } else {
                        Some(Answer::Code(code))
                    }
                };
                match key.code {
                    KeyCode::Char(digit @ '1'..='9') if codes.len() <= 9 => {
                        let position = digit as usize - '1' as usize;
                        if position < codes.len() {
                            self.cursor.highlight.insert(id.clone(), position);
                            if self.answer(&id, pick(position))? && !multiple {
                                self.cursor.focus += 1;
                            }
                        } else {
                            let words = self.conduct.session().strings();
                            self.cursor.message = Some((
                                Some(id),
                                fill(words.press_number, &[("n", &codes.len().to_string())]),
                            ));
                        }
                    }
                    KeyCode::Left | KeyCode::Right => {
                        let start = highlight.or(chosen_position);
                        let next = match (key.code, start) {
                            (KeyCode::Right, None) => 0,
                            (_, None) => codes.len() - 1,
                            (KeyCode::Right, Some(p)) => (p + 1).min(codes.len() - 1),
                            (_, Some(p)) => p.saturating_sub(1),
                        };
                        self.cursor.highlight.insert(id, next);
                    }
                    KeyCode::Char(' ') if multiple => {
                        if let Some(position) = highlight {
                            self.answer(&id, pick(position))?;
                        }
                    }
                    KeyCode::Enter | KeyCode::Char(' ') => match highlight {
                        Some(position) if !multiple && chosen_position != Some(position) => {
                            if self.answer(&id, pick(position))? {
                                self.cursor.focus += 1;
                            }
                        }
                        _ => self.cursor.focus += 1,
                    },
                    KeyCode::Backspace | KeyCode::Delete => {
                        self.answer(&id, None)?;
                    }
                    _ => {}
                }
            }
            ResponseScale::Numeric { .. } | ResponseScale::Text { .. } => match key.code {
                KeyCode::Enter if self.commit_draft()? => self.cursor.focus += 1,
                KeyCode::Backspace => {
                    self.cursor.drafts.entry(id).or_default().pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.cursor.drafts.entry(id).or_default().push(c);
                    self.cursor.message = None;
                }
                _ => {}
            },
        }
        Ok(())
    }
}

fn new_seed() -> u64 {
    rand::rng().random()
}

/// Starts the first session before the terminal is taken over, so that a store that cannot
/// be written fails with an ordinary error message and no question on screen.
pub fn begin<'s>(
    store: &'s Store,
    running: &Running,
    start: &Start,
) -> Result<Conduct<'s>, RunError> {
    match start {
        Start::New {
            participant,
            params,
            language,
        } => {
            // Checked before the survey is registered, so a refused start leaves no trace.
            crate::conduct::check_params(&SurveyColumns::of(&running.form), params)?;
            if let Some(language) = language
                && !running
                    .form
                    .offered_languages()
                    .contains(&language.as_str())
            {
                return Err(RunError::UnknownLanguage {
                    given: language.clone(),
                    offered: running.form.offered_languages().join(", "),
                });
            }
            Conduct::start_in(
                store,
                running.form.clone(),
                // Registering is idempotent: the survey's record is found or added.
                &store.register_survey(&running.form, &running.source, Utc::now())?,
                participant.as_deref(),
                params,
                new_seed(),
                language.as_deref(),
                Utc::now(),
            )
        }
        Start::Resume { id, force } => Conduct::resume(
            store,
            running.form.clone(),
            &running.source,
            id,
            *force,
            Utc::now(),
        ),
    }
}

/// Runs sessions in the terminal until the participant finishes (or, in kiosk mode, until
/// Ctrl-C). `first` is the session `begin` started, or `None` in kiosk mode to ask for the first
/// participant's id.
pub fn run<W: Write>(
    store: &Store,
    running: &Running,
    first: Option<Conduct<'_>>,
    options: &TerminalOptions,
    out: &mut W,
) -> Result<Outcome, TerminalError> {
    let raw = RawTerminal::enter(out)?;
    let mut outcome = Outcome {
        ended: Vec::new(),
        paused: None,
    };
    let mut front = first.map(Front::new);
    let mut kiosk_draft = String::new();
    let mut painted_size = None;
    let mut dirty = true;
    loop {
        let size = terminal::size()?;
        if dirty || painted_size != Some(size) {
            let (width, height) = (size.0.max(20) as usize, size.1.max(5) as usize);
            let screen = match &front {
                Some(front) => front.screen(options.kiosk, width),
                None => screen::kiosk_screen(&running.form.title, &kiosk_draft, width),
            };
            paint(raw.out, &screen.fit(height), width, options.color)?;
            painted_size = Some(size);
            dirty = false;
        }
        // The size is also checked twice a second, so that a window change whose signal was
        // lost (some terminals and SSH clients) is still followed.
        if !event::poll(std::time::Duration::from_millis(500))? {
            continue;
        }
        dirty = true;
        let key = match event::read()? {
            Event::Key(key) if is_press(&key) => key,
            // A resize, a focus change or a paste: draw again at the new size.
            _ => continue,
        };
        match front.as_mut() {
            None => {
                if is_interrupt(&key) {
                    return Ok(outcome);
                }
                match key.code {
                    KeyCode::Enter => {
                        let participant = kiosk_draft.trim().to_string();
                        kiosk_draft.clear();
                        let start = Start::New {
                            participant: (!participant.is_empty()).then_some(participant),
                            params: BTreeMap::new(),
                            language: options.language.clone(),
                        };
                        front = Some(Front::new(begin(store, running, &start)?));
                    }
                    KeyCode::Backspace => {
                        kiosk_draft.pop();
                    }
                    KeyCode::Char(c) => kiosk_draft.push(c),
                    _ => {}
                }
            }
            Some(current) => match current.handle(key)? {
                Step::Stay => {}
                Step::Pause => {
                    let position = current.conduct.session().position();
                    if position.is_final() {
                        outcome.ended.push(Ended {
                            session: current.conduct.id.clone(),
                            position,
                            answers: current.conduct.session().answers().len(),
                        });
                    } else {
                        outcome.paused = Some(current.conduct.id.clone());
                    }
                    return Ok(outcome);
                }
                Step::Ended => {
                    outcome.ended.push(Ended {
                        session: current.conduct.id.clone(),
                        position: current.conduct.session().position(),
                        answers: current.conduct.session().answers().len(),
                    });
                    if !options.kiosk {
                        return Ok(outcome);
                    }
                    front = None;
                }
            },
        }
    }
}

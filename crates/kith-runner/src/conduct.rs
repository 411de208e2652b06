//! Conducting a session: the engine's steps, each saved to the store before it takes effect.
//!
//! Both front-ends go through here, so the rule "an answer is acknowledged only after it is
//! committed" lives in one place: every method validates with the engine, commits to the store,
//! and only then changes the engine's state. A failed commit leaves the session as it was.

use crate::answer::Answer;
use crate::engine::{Layout, Position, Session, StepProblem};
use crate::store::{
    NewSession, SessionRecord, Status, Store, StoreError, SurveyColumns, SurveyRecord,
};
use chrono::{DateTime, Utc};
use kith_instrument::form::Form;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Why a session could not start, resume or take a step; `hint` says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Step(#[from] StepProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "session `{id}` began with `{file}` at fingerprint `{stored}`, but the file now has fingerprint `{current}`: its items, keys or scores changed"
    )]
    SurveyChanged {
        id: String,
        file: String,
        stored: String,
        current: String,
    },
    #[error("session `{id}` is {status}; there is nothing to resume")]
    Finished { id: String, status: &'static str },
    #[error("the session parameter `{name}` is not a valid column name")]
    BadParam { name: String },
    #[error("`{name}` names two columns of the export: an item or attention check, and {other}")]
    ColumnClash { name: String, other: &'static str },
    #[error("the session parameter `{name}` has the name of a column the export already has")]
    ParamClash { name: String },
    #[error("the survey is not offered in `{given}`")]
    UnknownLanguage { given: String, offered: String },
    #[error(
        "the session parameter `{parameter}` is `{value}`, which is no one's id on the roster `{file}`"
    )]
    NotOnRoster {
        parameter: String,
        value: String,
        file: String,
    },
}

impl RunError {
    /// What to do about the error, when kith can say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            RunError::Step(_) => return None,
            RunError::Store(error) => return error.hint(),
            RunError::SurveyChanged { .. } => {
                "resume with the survey file the session began with, or pass --force to continue with the changed survey (answers to items it no longer asks stay in the store and the long export)"
            }
            RunError::Finished { .. } => "start a new session without --resume",
            RunError::BadParam { .. } => {
                "use letters, digits and `_`, starting with a letter, e.g. --param lab_room=3"
            }
            RunError::ColumnClash { .. } => {
                "rename the item or check; the export's columns are listed in docs/runner.md"
            }
            RunError::ParamClash { .. } => {
                "choose another name; the export's columns are listed in docs/runner.md"
            }
            RunError::NotOnRoster { .. } => {
                "the parameter carries the participant's own roster id, so that they cannot choose themselves; use an id from the roster's id column"
            }
            RunError::UnknownLanguage { offered, .. } => {
                return Some(format!(
                    "it is offered in: {offered}; add a language to the survey's `languages:` to offer it"
                ));
            }
        };
        Some(hint.to_string())
    }
}

/// Where a submitted page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    /// Save the answers and stay on the page.
    Stay,
    Forward,
    Back,
}

/// What became of a submitted page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageOutcome {
    /// Saved; the session is now at this position.
    Moved(Position),
    /// Saved, but these required questions (1-based numbers) hold the page.
    RequiredMissing(Vec<usize>),
    /// Nothing saved: these answers were refused.
    Refused(Vec<(String, StepProblem)>),
    /// Saved, but these answers (by question id) break their constraint, with the survey's
    /// message for each; the page is held.
    ConstraintBroken(Vec<(String, String)>),
}

/// A session being conducted: its id, its survey record and the engine's state.
#[derive(Debug)]
pub struct Conduct<'s> {
    store: &'s Store,
    pub id: String,
    pub survey: SurveyRecord,
    pub participant: Option<String>,
    session: Session,
}

/// Whether a parameter name is a plain column name.
fn valid_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks that the export's columns of this survey are distinct, and that session parameter
/// names are column names the export does not already have.
pub fn check_params(
    columns: &SurveyColumns,
    params: &BTreeMap<String, String>,
) -> Result<(), RunError> {
    let fixed = crate::export::fixed_wide_columns(columns);
    let mut taken: HashSet<String> = HashSet::new();
    for name in fixed {
        if !taken.insert(name.clone()) {
            let other = if crate::export::SESSION_COLUMNS.contains(&name.as_str()) {
                "a session column kith adds"
            } else {
                "another column kith adds"
            };
            return Err(RunError::ColumnClash { name, other });
        }
    }
    for name in params.keys() {
        if !valid_param_name(name) {
            return Err(RunError::BadParam { name: name.clone() });
        }
        if taken.contains(name) {
            return Err(RunError::ParamClash { name: name.clone() });
        }
    }
    Ok(())
}

/// Checks that a parameter carrying the participant's roster id names someone on the roster.
pub fn check_roster_params(form: &Form, params: &BTreeMap<String, String>) -> Result<(), RunError> {
    for roster in form.rosters.values() {
        let Some(parameter) = &roster.participant else {
            continue;
        };
        if let Some(value) = params.get(parameter)
            && roster.person(value).is_none()
        {
            return Err(RunError::NotOnRoster {
                parameter: parameter.clone(),
                value: value.clone(),
                file: roster.file.clone(),
            });
        }
    }
    Ok(())
}

impl<'s> Conduct<'s> {
    /// Starts a new session with a layout from `seed`; it is in the store when this returns.
    pub fn start(
        store: &'s Store,
        form: Arc<Form>,
        survey: &SurveyRecord,
        participant: Option<&str>,
        params: &BTreeMap<String, String>,
        seed: u64,
        now: DateTime<Utc>,
    ) -> Result<Conduct<'s>, RunError> {
        Conduct::start_in(store, form, survey, participant, params, seed, None, now)
    }

    /// Starts a new session as `start` does, in `language` (one the survey offers; `None` for
    /// its own).
    #[allow(clippy::too_many_arguments)]
    pub fn start_in(
        store: &'s Store,
        form: Arc<Form>,
        survey: &SurveyRecord,
        participant: Option<&str>,
        params: &BTreeMap<String, String>,
        seed: u64,
        language: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Conduct<'s>, RunError> {
        check_params(&survey.columns, params)?;
        check_roster_params(&form, params)?;
        if let Some(language) = language
            && !form.offered_languages().contains(&language)
        {
            return Err(RunError::UnknownLanguage {
                given: language.to_string(),
                offered: form.offered_languages().join(", "),
            });
        }
        let layout = Layout::new(&form, seed);
        let session = Session::new(form, layout)
            .with_params(params.clone())
            .with_language(language.unwrap_or_default());
        let id = store.create_session(&NewSession {
            survey,
            participant,
            params,
            layout: session.layout(),
            position: session.position(),
            now,
            language,
        })?;
        Ok(Conduct {
            store,
            id,
            survey: survey.clone(),
            participant: participant.map(str::to_string),
            session,
        })
    }

    /// Resumes a stored session with `form`, read from `source`. A session whose survey has
    /// changed since it began (another fingerprint) is refused unless `force`; only then is the
    /// changed survey registered in the store.
    pub fn resume(
        store: &'s Store,
        form: Arc<Form>,
        source: &str,
        id: &str,
        force: bool,
        now: DateTime<Utc>,
    ) -> Result<Conduct<'s>, RunError> {
        let record: SessionRecord = store.session(id)?;
        if record.status != Status::InProgress {
            return Err(RunError::Finished {
                id: id.to_string(),
                status: record.status.as_str(),
            });
        }
        let began_with = store
            .surveys()?
            .into_iter()
            .find(|s| s.key == record.survey)
            .ok_or_else(|| StoreError::Damaged {
                path: store.path().to_string(),
                what: format!("the survey of session `{id}`"),
            })?;
        let mut survey_of_session = began_with.clone();
        let mut layout = record.layout.clone();
        let fingerprint = kith_instrument::fingerprint::fingerprint(&form);
        if began_with.fingerprint != fingerprint {
            if !force {
                return Err(RunError::SurveyChanged {
                    id: id.to_string(),
                    file: began_with.source.clone(),
                    stored: began_with.fingerprint,
                    current: fingerprint,
                });
            }
            let survey = store.register_survey(&form, source, now)?;
            if !layout.fits(&form) {
                layout = Layout::new(&form, layout.seed);
            }
            store.move_session(id, survey.key, &layout, now)?;
            survey_of_session = survey;
        } else if !layout.fits(&form) {
            // Same scoring, different pages (e.g. an attention check added): the participant
            // gets the new pages in their own seed's order.
            layout = Layout::new(&form, layout.seed);
            store.move_session(id, record.survey, &layout, now)?;
        }
        let answers: BTreeMap<String, Answer> = store
            .answers(id)?
            .into_iter()
            .filter_map(|a| a.value.map(|value| (a.entry, value)))
            .collect();
        let session = Session::restore(form, layout, record.position, answers)
            .with_params(record.params)
            .with_language(record.language.as_deref().unwrap_or_default());
        // The page shown again is recorded as a new view.
        store.save_position(id, session.position(), now)?;
        Ok(Conduct {
            store,
            id: id.to_string(),
            survey: survey_of_session,
            participant: record.participant,
            session,
        })
    }

    /// Loads a stored session to take one step (the web front-end, one request at a time).
    /// Unlike `resume`, it records nothing; the session must belong to `survey`.
    pub fn load(
        store: &'s Store,
        form: Arc<Form>,
        survey: &SurveyRecord,
        id: &str,
    ) -> Result<Conduct<'s>, RunError> {
        let record: SessionRecord = store.session(id)?;
        if record.survey != survey.key {
            return Err(StoreError::UnknownSession {
                path: store.path().to_string(),
                id: id.to_string(),
            }
            .into());
        }
        let answers: BTreeMap<String, Answer> = store
            .answers(id)?
            .into_iter()
            .filter_map(|a| a.value.map(|value| (a.entry, value)))
            .collect();
        let session = Session::restore(form, record.layout, record.position, answers)
            .with_params(record.params)
            .with_language(record.language.as_deref().unwrap_or_default());
        Ok(Conduct {
            store,
            id: id.to_string(),
            survey: survey.clone(),
            participant: record.participant,
            session,
        })
    }

    /// Takes a whole page at once (the web front-end): every answer is checked first, and when
    /// one is refused nothing is saved and the problems are returned by question. Otherwise the
    /// answers and the step they lead to are committed in one transaction, then applied. A step
    /// held back by unanswered required questions still saves the page's answers.
    pub fn submit_page(
        &mut self,
        answers: Vec<(String, Option<Answer>)>,
        step: PageStep,
        now: DateTime<Utc>,
    ) -> Result<PageOutcome, RunError> {
        let mut problems = Vec::new();
        for (entry, answer) in &answers {
            if let Err(problem) = self.session.check(entry, answer.as_ref()) {
                problems.push((entry.clone(), problem));
            }
        }
        if !problems.is_empty() {
            return Ok(PageOutcome::Refused(problems));
        }
        let mut next = self.session.clone();
        for (entry, answer) in &answers {
            next.set(entry, answer.clone())?;
        }
        if step == PageStep::Forward {
            let broken = next.broken_constraints();
            if !broken.is_empty() {
                self.store
                    .save_page(&self.id, &answers, next.position(), now)?;
                self.session = next;
                return Ok(PageOutcome::ConstraintBroken(broken));
            }
        }
        let moved = match step {
            PageStep::Stay => Ok(next.position()),
            PageStep::Forward => next.forward(),
            PageStep::Back => next.back(),
        };
        let (position, held) = match moved {
            Ok(position) => (position, None),
            Err(StepProblem::RequiredMissing(numbers)) => (next.position(), Some(numbers)),
            // Back from the first page stays.
            Err(StepProblem::WrongStep(position)) => (position, None),
            Err(other) => return Err(other.into()),
        };
        self.store.save_page(&self.id, &answers, position, now)?;
        self.session = next;
        self.checkpoint_if_ended(position);
        Ok(match held {
            Some(numbers) => PageOutcome::RequiredMissing(numbers),
            None => PageOutcome::Moved(position),
        })
    }

    /// The engine's state, to render.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Changes the language the session is taken in (one the survey offers).
    pub fn set_language(&mut self, language: &str, now: DateTime<Utc>) -> Result<(), RunError> {
        if !self.session.form().offered_languages().contains(&language) {
            return Err(RunError::UnknownLanguage {
                given: language.to_string(),
                offered: self.session.form().offered_languages().join(", "),
            });
        }
        self.store.save_language(&self.id, language, now)?;
        self.session = self.session.clone().with_language(language);
        Ok(())
    }

    /// Records the consent decision.
    pub fn consent(&mut self, agree: bool, now: DateTime<Utc>) -> Result<Position, RunError> {
        let mut next = self.session.clone();
        let position = next.consent(agree)?;
        self.store.save_consent(&self.id, agree, position, now)?;
        self.session = next;
        self.checkpoint_if_ended(position);
        Ok(position)
    }

    /// Records (or clears) an answer to a question on the current page.
    pub fn answer(
        &mut self,
        entry: &str,
        answer: Option<Answer>,
        now: DateTime<Utc>,
    ) -> Result<(), RunError> {
        self.session.check(entry, answer.as_ref())?;
        if self.session.answers().get(entry) == answer.as_ref() {
            return Ok(());
        }
        self.store
            .save_answer(&self.id, entry, answer.as_ref(), now)?;
        self.session.set(entry, answer)?;
        Ok(())
    }

    fn step(
        &mut self,
        now: DateTime<Utc>,
        step: impl FnOnce(&mut Session) -> Result<Position, StepProblem>,
    ) -> Result<Position, RunError> {
        let mut next = self.session.clone();
        let position = step(&mut next)?;
        self.store.save_position(&self.id, position, now)?;
        self.session = next;
        self.checkpoint_if_ended(position);
        Ok(position)
    }

    /// When a session has ended, its answers are moved from the `-wal` file into the store file
    /// itself, so that the store file alone holds every finished session (a terminal closed on
    /// the closing screen leaves the `-wal` file behind; a copy of the store file alone would
    /// miss them). A failed checkpoint loses nothing: the answers stay committed in the `-wal`
    /// file, and the next session's end, or the program's exit, checkpoints again.
    fn checkpoint_if_ended(&self, position: Position) {
        if position.is_final() {
            let _ = self.store.checkpoint(false);
        }
    }

    /// Goes to the next page (or the summary).
    pub fn next(&mut self, now: DateTime<Utc>) -> Result<Position, RunError> {
        self.step(now, Session::forward)
    }

    /// Goes back a page.
    pub fn back(&mut self, now: DateTime<Utc>) -> Result<Position, RunError> {
        self.step(now, Session::back)
    }

    /// Submits the session from the summary. When a page still holds an unanswered required
    /// question or a broken constraint (an answer changed later may show it), the session goes
    /// to that page, and the problem is returned.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<Position, RunError> {
        let mut next = self.session.clone();
        match next.submit() {
            Ok(position) => {
                self.store.save_position(&self.id, position, now)?;
                self.session = next;
                self.checkpoint_if_ended(position);
                Ok(position)
            }
            Err(problem @ (StepProblem::RequiredMissing(_) | StepProblem::Constraint { .. })) => {
                self.store.save_position(&self.id, next.position(), now)?;
                self.session = next;
                Err(problem.into())
            }
            Err(other) => Err(other.into()),
        }
    }
}

//! The terminal's keys for a network question: typing filters the roster, the arrows move
//! through the people who match, Enter ticks (or unticks) the highlighted person and clears
//! the filter for the next name, and with nothing typed Space ticks while browsing and Enter
//! moves on. A name generator takes a name per line.

use super::Front;
use crate::conduct::RunError;
use crate::engine::people::people_answer;
use crate::screen::people::listed;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The focused choosing question, as the keys need it.
pub(super) struct FocusedChoice {
    id: String,
    roster: bool,
    /// The people the filter lists (roster ids).
    listed: Vec<String>,
    chosen: Vec<String>,
}

impl Front<'_> {
    /// The focused question, when it chooses people.
    pub(super) fn focused_choice(&self) -> Option<FocusedChoice> {
        let page = self.conduct.session().current_page()?;
        let question = page.questions.get(self.cursor.focus)?;
        let choice = question.people.as_ref()?;
        let filter = self
            .cursor
            .drafts
            .get(&*question.id)
            .map_or("", String::as_str);
        Some(FocusedChoice {
            id: question.id.to_string(),
            roster: choice.roster.is_some(),
            listed: listed(choice, filter)
                .into_iter()
                .map(str::to_string)
                .collect(),
            chosen: choice.chosen.iter().map(|p| p.to_string()).collect(),
        })
    }

    /// Saves the people chosen after one is added or taken away.
    fn save_people(&mut self, id: &str, people: &[String]) -> Result<bool, RunError> {
        let refs: Vec<&str> = people.iter().map(String::as_str).collect();
        self.answer(id, people_answer(&refs))
    }

    pub(super) fn handle_people_key(
        &mut self,
        key: KeyEvent,
        focused: FocusedChoice,
    ) -> Result<(), RunError> {
        let FocusedChoice {
            id,
            roster,
            listed,
            mut chosen,
        } = focused;
        let draft = self.cursor.drafts.get(&id).cloned().unwrap_or_default();
        let highlight = self
            .cursor
            .highlight
            .get(&id)
            .copied()
            .unwrap_or(0)
            .min(listed.len().saturating_sub(1));
        match key.code {
            // A space ticks while browsing the whole list, and is part of a name being typed.
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL)
                    && (c != ' ' || !roster || !draft.is_empty()) =>
            {
                self.cursor.drafts.entry(id.clone()).or_default().push(c);
                self.cursor.highlight.insert(id, 0);
                self.cursor.message = None;
            }
            KeyCode::Backspace if draft.is_empty() && !roster && chosen.pop().is_some() => {
                self.save_people(&id, &chosen)?;
            }
            KeyCode::Backspace if draft.is_empty() && !roster => {}
            KeyCode::Backspace => {
                self.cursor.drafts.entry(id.clone()).or_default().pop();
                self.cursor.highlight.insert(id, 0);
            }
            KeyCode::Down if roster => {
                let last = listed.len().saturating_sub(1);
                self.cursor.highlight.insert(id, (highlight + 1).min(last));
            }
            KeyCode::Up if roster => {
                self.cursor
                    .highlight
                    .insert(id, highlight.saturating_sub(1));
            }
            KeyCode::Down => self.cursor.focus += 1,
            KeyCode::Up => self.cursor.focus = self.cursor.focus.saturating_sub(1),
            KeyCode::Char(' ') | KeyCode::Enter if roster => {
                let Some(person) = listed.get(highlight) else {
                    if key.code == KeyCode::Enter && draft.is_empty() {
                        self.cursor.focus += 1;
                    }
                    return Ok(());
                };
                if key.code == KeyCode::Enter && draft.is_empty() {
                    self.cursor.focus += 1;
                    return Ok(());
                }
                match chosen.iter().position(|p| p == person) {
                    Some(at) => {
                        chosen.remove(at);
                    }
                    None => chosen.push(person.clone()),
                }
                if self.save_people(&id, &chosen)? && key.code == KeyCode::Enter {
                    self.cursor.drafts.remove(&id);
                    self.cursor.highlight.insert(id, 0);
                }
            }
            KeyCode::Enter if draft.trim().is_empty() => self.cursor.focus += 1,
            KeyCode::Enter => {
                chosen.push(draft.trim().to_string());
                if self.save_people(&id, &chosen)? {
                    self.cursor.drafts.remove(&id);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

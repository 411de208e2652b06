//! Survey logic and piped texts on the kith blocks: display logic as `show_if`, skip logic as
//! `show_if` on the items it skips or `end_if` for a skip to the end, branches as block
//! `show_if`, a branch's End of Survey as block `end_if`; each kept only where kith can
//! evaluate it (it reads answers of earlier pages), else left out with the reason.

use super::address::{Registry, template};
use super::error::QsfError;
use super::flow::Placement;
use super::layout::{At, Built, Positions};
use super::logic::{Cond, Refusal, condition, skip_condition};
use super::read::field;
use crate::import::LeftOut;
use serde_json::Value;
use std::collections::HashMap;

/// Where one item is: its block and its index there.
type Spot = (usize, usize);

/// The most skip rules of one question that are converted.
const MAX_SKIPS: usize = 50;
/// How many questions the conversion of all skip logic may look at; a hostile file of many
/// skips over many questions is cut off here rather than running for hours.
const SKIP_BUDGET: usize = 2_000_000;

struct Applier<'b, 'a> {
    built: &'b mut Built<'a>,
    registry: &'b Registry,
    positions: Positions,
    file: &'b str,
    /// The items of each question, in order.
    spots: HashMap<usize, Vec<Spot>>,
    /// What is left of `SKIP_BUDGET`.
    budget: usize,
}

/// Applies every condition and piped text of the survey to `built`.
pub(super) fn apply(
    built: &mut Built<'_>,
    placements: &[Placement<'_>],
    registry: &Registry,
    file: &str,
) -> Result<(), QsfError> {
    let positions = Positions::new(&built.blocks);
    let mut spots: HashMap<usize, Vec<Spot>> = HashMap::new();
    for (block_index, block) in built.blocks.iter().enumerate() {
        for (entry_index, entry) in block.entries.iter().enumerate() {
            spots
                .entry(entry.question)
                .or_default()
                .push((block_index, entry_index));
        }
    }
    let mut applier = Applier {
        built,
        registry,
        positions,
        file,
        spots,
        budget: SKIP_BUDGET,
    };
    applier.display_logic()?;
    applier.skip_logic()?;
    applier.branches(placements)?;
    applier.piping();
    applier.finish();
    Ok(())
}

impl Applier<'_, '_> {
    /// A Qualtrics condition as kith's, or the reason it is not one; a reference to a choice
    /// the file does not have is an error.
    fn convert(
        &self,
        element: &str,
        result: Result<Cond, Refusal>,
    ) -> Result<Result<Cond, String>, QsfError> {
        match result {
            Ok(cond) => {
                let text = cond.render();
                if text.len() > crate::logic::MAX_LENGTH {
                    return Ok(Err(format!(
                        "as a kith condition it would be {} bytes long, more than the {} kith reads",
                        text.len(),
                        crate::logic::MAX_LENGTH
                    )));
                }
                if let Err(error) = crate::logic::parse(&text) {
                    return Ok(Err(format!(
                        "kith cannot read it as `{text}`: {}",
                        error.message
                    )));
                }
                Ok(Ok(cond))
            }
            Err(Refusal::Inexpressible(reason)) => Ok(Err(reason)),
            Err(Refusal::Broken(message)) => Err(QsfError::new(
                self.file,
                Some(element),
                "missing-choice",
                format!("the logic of {element} {message}"),
                "the file is damaged or was edited by hand; open the survey in Qualtrics, fix or remove the logic, and export it again",
            )),
        }
    }

    fn left_out(&mut self, question: usize, what: impl Into<String>, reason: impl Into<String>) {
        let placed = &self.built.questions[question].question;
        self.built.left_out.push(LeftOut {
            question_id: placed.id.clone(),
            export_tag: Some(placed.tag.clone()),
            what: what.into(),
            reason: reason.into(),
        });
    }

    fn at_shown(&self, (block, entry): Spot) -> At {
        let id = &self.built.blocks[block].entries[entry].item.id;
        let page = self.positions.of(id).and_then(|(_, page)| page);
        At::PageShown { block, page }
    }

    fn display_logic(&mut self) -> Result<(), QsfError> {
        for index in 0..self.built.questions.len() {
            let spots = self.spots.get(&index).cloned().unwrap_or_default();
            if spots.is_empty() {
                continue;
            }
            let question = &self.built.questions[index].question;
            let qid = question.id.clone();
            if let Some(logic) = question.display_logic {
                let converted = self.convert(&qid, condition(logic, self.registry))?;
                let checked = converted.and_then(|cond| {
                    for &spot in &spots {
                        self.positions.all_known(&cond, self.at_shown(spot), None)?;
                    }
                    Ok(cond)
                });
                match checked {
                    Ok(cond) => {
                        for &(block, entry) in &spots {
                            self.built.blocks[block].entries[entry]
                                .show_if
                                .push(cond.clone());
                        }
                    }
                    Err(reason) => self.left_out(index, "display logic", reason),
                }
            }
            for &spot in &spots {
                let (block, entry) = spot;
                let Some(logic) = self.built.blocks[block].entries[entry].item.row_logic else {
                    continue;
                };
                let item = self.built.blocks[block].entries[entry].item.id.clone();
                let converted = self.convert(&qid, condition(logic, self.registry))?;
                let checked = converted.and_then(|cond| {
                    self.positions.all_known(&cond, self.at_shown(spot), None)?;
                    Ok(cond)
                });
                match checked {
                    Ok(cond) => self.built.blocks[block].entries[entry].show_if.push(cond),
                    Err(reason) => {
                        self.left_out(index, format!("display logic of `{item}`"), reason)
                    }
                }
            }
        }
        Ok(())
    }

    fn skip_logic(&mut self) -> Result<(), QsfError> {
        for index in 0..self.built.questions.len() {
            let spots = self.spots.get(&index).cloned().unwrap_or_default();
            let Some(&last) = spots.last() else {
                continue;
            };
            let skips = self.built.questions[index].question.skip_logic.clone();
            let qid = self.built.questions[index].question.id.clone();
            for (number, skip) in skips.into_iter().enumerate() {
                if number == MAX_SKIPS {
                    self.left_out(
                        index,
                        "skip logic",
                        format!(
                            "the question has more than {MAX_SKIPS} skip rules; the rest are not converted"
                        ),
                    );
                    break;
                }
                let destination = field(skip, "SkipToDestination").unwrap_or_default();
                let converted = self.convert(&qid, skip_condition(skip, self.registry))?;
                let what = match destination.as_str() {
                    "ENDOFSURVEY" => "skip logic to the end of the survey".to_string(),
                    "ENDOFBLOCK" => "skip logic to the end of the block".to_string(),
                    other => format!("skip logic to {other}"),
                };
                let cond = match converted {
                    Ok(cond) => cond,
                    Err(reason) => {
                        self.left_out(index, what, reason);
                        continue;
                    }
                };
                if destination == "ENDOFSURVEY" {
                    let (block, entry) = last;
                    let id = self.built.blocks[block].entries[entry].item.id.clone();
                    let page = self.positions.of(&id).and_then(|(_, page)| page);
                    match self
                        .positions
                        .all_known(&cond, At::PageLeft { block, page }, Some(&id))
                    {
                        Ok(()) => self.built.blocks[block].entries[entry].end_if.push(cond),
                        Err(reason) => self.left_out(index, what, reason),
                    }
                    continue;
                }
                match self.skipped(index, &destination) {
                    Ok(targets) => {
                        let negated = cond.negated();
                        let unknown = targets.iter().find_map(|&spot| {
                            self.positions
                                .all_known(&negated, self.at_shown(spot), None)
                                .err()
                        });
                        match unknown {
                            Some(reason) => self.left_out(index, what, reason),
                            None => {
                                for (block, entry) in targets {
                                    self.built.blocks[block].entries[entry]
                                        .show_if
                                        .push(negated.clone());
                                }
                            }
                        }
                    }
                    Err(reason) => self.left_out(index, what, reason),
                }
            }
        }
        Ok(())
    }

    /// The items a skip from question `index` to `destination` passes over: the questions
    /// after it in its Qualtrics block, on later pages (a skip acts when its page is left),
    /// up to the destination.
    fn skipped(&mut self, index: usize, destination: &str) -> Result<Vec<Spot>, String> {
        let scan = self.built.questions.len() - index;
        if scan > self.budget {
            return Err("the survey has more skip logic than kith converts in one run".to_string());
        }
        self.budget -= scan;
        let placed = &self.built.questions[index];
        let end = if destination == "ENDOFBLOCK" {
            None
        } else {
            let found = (index + 1..self.built.questions.len()).find(|&other| {
                let candidate = &self.built.questions[other];
                candidate.placement == placed.placement && candidate.question.id == destination
            });
            match found {
                Some(found) => Some(found),
                None => {
                    return Err(format!(
                        "it skips to {destination}, which is not after the question in its block"
                    ));
                }
            }
        };
        let mut targets = Vec::new();
        for other in index + 1..end.unwrap_or(self.built.questions.len()) {
            let candidate = &self.built.questions[other];
            // A block's questions are next to each other.
            if candidate.placement != placed.placement {
                break;
            }
            if candidate.source_page <= placed.source_page {
                continue;
            }
            targets.extend(self.spots.get(&other).cloned().unwrap_or_default());
        }
        Ok(targets)
    }

    /// Branch conditions as block `show_if`, and a branch's End of Survey as `end_if`.
    fn branches(&mut self, placements: &[Placement<'_>]) -> Result<(), QsfError> {
        let mut cache: HashMap<String, Result<Cond, String>> = HashMap::new();
        let mut reported = std::collections::HashSet::new();
        for (index, placement) in placements.iter().enumerate() {
            let blocks: Vec<usize> = (0..self.built.blocks.len())
                .filter(|&b| self.built.blocks[b].placement == index)
                .collect();
            let (Some(&first), Some(&last)) = (blocks.first(), blocks.last()) else {
                continue;
            };
            for (flow_id, logic) in &placement.branches {
                let result = self.branch(flow_id, logic, &mut cache)?;
                let checked = result.and_then(|cond| {
                    self.positions
                        .all_known(&cond, At::BlockStart(first), None)?;
                    Ok(cond)
                });
                match checked {
                    Ok(cond) => {
                        for &block in &blocks {
                            self.built.blocks[block].show_if.push(cond.clone());
                        }
                    }
                    Err(reason) => {
                        if reported.insert(flow_id.clone()) {
                            self.built.left_out.push(LeftOut {
                                question_id: flow_id.clone(),
                                export_tag: None,
                                what: "a branch condition".to_string(),
                                reason: format!(
                                    "{reason}; the blocks in the branch are shown to everyone"
                                ),
                            });
                        }
                    }
                }
            }
            for (flow_id, branches) in &placement.ends {
                let mut parts = Vec::new();
                let mut refused = None;
                for (branch_id, logic) in branches {
                    match self.branch(branch_id, logic, &mut cache)? {
                        Ok(cond) => parts.push(cond),
                        Err(reason) => refused = refused.or(Some(reason)),
                    }
                }
                let checked = match (refused, Cond::all(parts)) {
                    (Some(reason), _) => Err(reason),
                    (None, None) => {
                        Err("it ends the survey for everyone in a randomizer".to_string())
                    }
                    (None, Some(cond)) => self
                        .positions
                        .all_known(&cond, At::BlockEnd(last), None)
                        .map(|()| cond),
                };
                match checked {
                    Ok(cond) => self.built.blocks[last].end_if.push(cond),
                    Err(reason) => self.built.left_out.push(LeftOut {
                        question_id: flow_id.clone(),
                        export_tag: None,
                        what: "an End of Survey in a branch".to_string(),
                        reason,
                    }),
                }
            }
        }
        Ok(())
    }

    fn branch(
        &self,
        flow_id: &str,
        logic: &Value,
        cache: &mut HashMap<String, Result<Cond, String>>,
    ) -> Result<Result<Cond, String>, QsfError> {
        if let Some(known) = cache.get(flow_id) {
            return Ok(known.clone());
        }
        let result = self.convert(flow_id, condition(logic, self.registry))?;
        cache.insert(flow_id.to_string(), result.clone());
        Ok(result)
    }

    /// Drops a combination of conditions that kith could not read (too long together).
    fn finish(&mut self) {
        for block in 0..self.built.blocks.len() {
            for entry in 0..self.built.blocks[block].entries.len() {
                let current = &self.built.blocks[block].entries[entry];
                let question = current.question;
                let (show, end) = (
                    readable(&current.show_if, true),
                    readable(&current.end_if, false),
                );
                if let Err(reason) = show {
                    self.built.blocks[block].entries[entry].show_if.clear();
                    self.left_out(question, "display and skip logic", reason);
                }
                if let Err(reason) = end {
                    self.built.blocks[block].entries[entry].end_if.clear();
                    self.left_out(question, "skip logic to the end of the survey", reason);
                }
            }
            let current = &self.built.blocks[block];
            let (show, end) = (
                readable(&current.show_if, true),
                readable(&current.end_if, false),
            );
            let source = current.source.clone();
            for (what, result) in [("branch conditions", show), ("ends of the survey", end)] {
                if let Err(reason) = result {
                    if what == "branch conditions" {
                        self.built.blocks[block].show_if.clear();
                    } else {
                        self.built.blocks[block].end_if.clear();
                    }
                    self.built.left_out.push(LeftOut {
                        question_id: source.clone(),
                        export_tag: None,
                        what: what.to_string(),
                        reason,
                    });
                }
            }
        }
    }

    /// Piped answers in item texts and instructions, kept where kith can show them.
    fn piping(&mut self) {
        for block_index in 0..self.built.blocks.len() {
            for entry_index in 0..self.built.blocks[block_index].entries.len() {
                let spot = (block_index, entry_index);
                let at = self.at_shown(spot);
                let entry = &self.built.blocks[block_index].entries[entry_index];
                let question = entry.question;
                let (text, problems) = self.piped(&entry.text.clone(), at);
                for (what, reason) in problems {
                    self.left_out(question, what, reason);
                }
                let entry = &mut self.built.blocks[block_index].entries[entry_index];
                entry.text = if text.trim().is_empty() {
                    entry.item.column.clone()
                } else {
                    text
                };
            }
            let instructions = std::mem::take(&mut self.built.blocks[block_index].instructions);
            let mut rendered = Vec::new();
            for paragraph in instructions {
                let (text, problems) = self.piped(&paragraph, At::BlockStart(block_index));
                let source = self.built.blocks[block_index].source.clone();
                for (what, reason) in problems {
                    self.built.left_out.push(LeftOut {
                        question_id: source.clone(),
                        export_tag: None,
                        what,
                        reason,
                    });
                }
                rendered.push(text);
            }
            self.built.blocks[block_index].instructions = rendered;
        }
    }

    /// A text in kith's form: braces doubled, each placeholder kept when its answer is known
    /// at `at`, else left as Qualtrics wrote it; with what was left out and why.
    fn piped(&self, text: &str, at: At) -> (String, Vec<(String, String)>) {
        let (template, unpiped) = template(text, self.registry);
        let mut problems: Vec<(String, String)> = unpiped
            .into_iter()
            .map(|u| (format!("piped text `{}`", u.original), u.reason))
            .collect();
        for (item, original) in template.pipes() {
            if let Err(reason) = self.positions.known(item, at, None) {
                problems.push((format!("piped text `{original}`"), reason));
            }
        }
        let rendered = template.render(&|item| self.positions.known(item, at, None).is_ok());
        (rendered, problems)
    }
}

/// Whether kith reads the conditions joined (all of them, or any), or why not.
fn readable(conds: &[Cond], all: bool) -> Result<(), String> {
    let joined = if all {
        Cond::all(conds.to_vec())
    } else {
        Cond::any(conds.to_vec())
    };
    let Some(text) = joined.map(|cond| cond.render()) else {
        return Ok(());
    };
    if text.len() > crate::logic::MAX_LENGTH {
        return Err(format!(
            "together they would be {} bytes long, more than the {} kith reads",
            text.len(),
            crate::logic::MAX_LENGTH
        ));
    }
    crate::logic::parse(&text)
        .map(|_| ())
        .map_err(|error| error.message)
}

//! The kith blocks of a converted survey: each Qualtrics block in flow order, its questions'
//! items on its pages (kept with `items_per_page` when the pages are equal, as blocks of their
//! own when not), its descriptive texts as instructions, its shuffling; and where every item
//! stands, which decides what a condition or piped text may read, by kith's own rules.

use super::flow::Placement;
use super::logic::Cond;
use super::questions::{Body, NewItem, Question};
use super::read::{QBlock, field, text_of};
use super::text::slug;
use crate::import::LeftOut;
use std::collections::{HashMap, HashSet};

/// One item of a kith block.
#[derive(Debug)]
pub(super) struct Entry<'a> {
    pub item: NewItem<'a>,
    /// The index of its question in `Built::questions`.
    pub question: usize,
    /// Its page in the Qualtrics block (before the block is split).
    pub source_page: usize,
    /// The text shown, before piping.
    pub text: String,
    pub show_if: Vec<Cond>,
    pub end_if: Vec<Cond>,
}

/// One kith block, written as one instrument file.
#[derive(Debug)]
pub(super) struct KBlock<'a> {
    pub id: String,
    pub title: String,
    /// The Qualtrics block and its placement in the flow.
    pub source: String,
    pub placement: usize,
    pub entries: Vec<Entry<'a>>,
    /// Paragraphs shown above the items: descriptive texts and a matrix's question.
    pub instructions: Vec<String>,
    pub randomize_items: bool,
    pub items_per_page: Option<u32>,
    /// Whether the block randomizer shuffles it.
    pub randomized: bool,
    pub show_if: Vec<Cond>,
    pub end_if: Vec<Cond>,
}

/// A question with the Qualtrics block it is in.
#[derive(Debug)]
pub(super) struct Placed<'a> {
    pub question: Question<'a>,
    pub placement: usize,
    pub source_page: usize,
}

/// The survey's blocks, its questions, and what was left out or noted on the way.
#[derive(Debug, Default)]
pub(super) struct Built<'a> {
    pub blocks: Vec<KBlock<'a>>,
    pub questions: Vec<Placed<'a>>,
    pub left_out: Vec<LeftOut>,
    pub notes: Vec<String>,
    /// Descriptive texts of blocks without items, waiting for the next block (or the closing).
    pub pending: Vec<String>,
}

/// Builds the blocks of one placement from its converted questions (with their pages).
pub(super) fn add_placement<'a>(
    built: &mut Built<'a>,
    placement_index: usize,
    placement: &Placement<'_>,
    source: &QBlock<'_>,
    questions: Vec<(usize, Question<'a>)>,
    taken: &mut HashSet<String>,
) {
    let mut texts: Vec<(usize, usize, String)> = Vec::new();
    let mut entries: Vec<Entry<'a>> = Vec::new();
    for (page, question) in questions {
        let index = built.questions.len();
        match &question.body {
            Body::Descriptive(text) => texts.push((page, entries.len(), text.clone())),
            Body::LeftOut(reason) => built.left_out.push(LeftOut {
                question_id: question.id.clone(),
                export_tag: Some(question.tag.clone()),
                what: "the question".to_string(),
                reason: reason.clone(),
            }),
            Body::Items { .. } => {}
        }
        built.questions.push(Placed {
            question,
            placement: placement_index,
            source_page: page,
        });
        if let Some(Placed {
            question:
                Question {
                    body: Body::Items { items, .. },
                    ..
                },
            ..
        }) = built.questions.last_mut()
        {
            for item in std::mem::take(items) {
                entries.push(Entry {
                    text: item.text.clone(),
                    item,
                    question: index,
                    source_page: page,
                    show_if: Vec::new(),
                    end_if: Vec::new(),
                });
            }
        }
    }
    let title = if source.description.trim().is_empty() {
        source.id.clone()
    } else {
        super::text::one_line(&source.description)
    };
    if entries.is_empty() {
        if !texts.is_empty() {
            built.notes.push(format!(
                "block `{title}` has only descriptive text, which kith shows above the next block's items (or as the closing text)"
            ));
        }
        built
            .pending
            .extend(texts.into_iter().map(|(_, _, text)| text));
        return;
    }
    let (randomize_items, per_page_setting) = question_order(built, source, &entries);
    // The pages as Qualtrics has them, without empty ones: the items come in page order, so
    // each page is a run of them.
    let mut pages: Vec<(usize, Vec<Entry<'a>>)> = Vec::new();
    for entry in entries {
        match pages.last_mut() {
            Some((page, run)) if *page == entry.source_page => run.push(entry),
            _ => pages.push((entry.source_page, vec![entry])),
        }
    }
    let sizes: Vec<usize> = pages.iter().map(|(_, run)| run.len()).collect();
    let equal = sizes.windows(2).all(|pair| pair[0] == pair[1]);
    let split = pages.len() > 1 && !equal && !randomize_items && !placement.randomized;
    if pages.len() > 1 && !equal && !split {
        built.notes.push(format!(
            "the page breaks of block `{title}` are not kept: kith pages a shuffled block by a number of items"
        ));
    }
    let items_per_page = if split {
        None
    } else if randomize_items && per_page_setting.is_some() {
        per_page_setting
    } else if pages.len() > 1 && equal {
        sizes.first().map(|&size| size as u32)
    } else {
        None
    };
    let base = unique(slug(&title, "block"), taken);
    // The parts: one block per page when the block is split, else one block.
    let mut parts: Vec<(usize, Vec<Entry<'a>>)> = Vec::new();
    for (page, run) in pages {
        match parts.last_mut() {
            Some((_, all)) if !split => all.extend(run),
            _ => parts.push((page, run)),
        }
    }
    // Each descriptive text goes to the part showing its page, or the next part with items.
    let first_pages: Vec<usize> = parts.iter().map(|(page, _)| *page).collect();
    let part_of = |page: usize| {
        let next = first_pages.partition_point(|&first| first < page);
        if split {
            next.min(first_pages.len().saturating_sub(1))
        } else {
            0
        }
    };
    let mut offsets = Vec::new();
    let mut offset = 0;
    for (_, run) in &parts {
        offsets.push(offset);
        offset += run.len();
    }
    let mut moved = false;
    let mut part_texts: Vec<Vec<String>> = vec![Vec::new(); parts.len()];
    for (page, position, text) in texts {
        let part = part_of(page);
        moved |= position > offsets[part];
        part_texts[part].push(text);
    }
    if moved {
        built.notes.push(format!(
            "a descriptive text inside block `{title}` is shown above the block's items, where kith shows instructions"
        ));
    }
    for (part, ((_, mine), texts)) in parts.into_iter().zip(part_texts).enumerate() {
        let id = if part == 0 {
            base.clone()
        } else {
            unique(format!("{base}-page-{}", part + 1), taken)
        };
        let mut instructions = Vec::new();
        if part == 0 {
            instructions.append(&mut built.pending);
        }
        instructions.extend(texts);
        let mut mine = mine;
        settle_prompts(&mut mine, &mut instructions, &built.questions);
        built.blocks.push(KBlock {
            id,
            title: if part == 0 {
                title.clone()
            } else {
                format!("{title} (page {})", part + 1)
            },
            source: source.id.clone(),
            placement: placement_index,
            entries: mine,
            instructions,
            randomize_items,
            items_per_page,
            randomized: placement.randomized,
            show_if: Vec::new(),
            end_if: Vec::new(),
        });
    }
}

/// The texts of statements, bars and fields: the question above them goes to the block's
/// instructions when it is the block's first question (or repeats it), and is put before
/// each statement otherwise, so every item reads as the respondent saw it.
fn settle_prompts(
    entries: &mut [Entry<'_>],
    instructions: &mut Vec<String>,
    questions: &[Placed<'_>],
) {
    let prompt_of = |question: usize| match &questions[question].question.body {
        Body::Items { prompt, .. } => prompt.clone(),
        _ => None,
    };
    let mut shown: Option<String> = None;
    if let Some(first) = entries.first()
        && let Some(prompt) = prompt_of(first.question)
    {
        instructions.push(prompt.clone());
        shown = Some(prompt);
    }
    for entry in entries.iter_mut() {
        let Some(prompt) = prompt_of(entry.question) else {
            continue;
        };
        let row = entry.text.trim();
        let prompt = if shown.as_deref() == Some(prompt.as_str()) {
            prompt
        } else {
            prompt
                .split('\n')
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        entry.text = if shown.as_deref() == Some(prompt.as_str()) {
            if row.is_empty() {
                prompt
            } else {
                row.to_string()
            }
        } else if row.is_empty() {
            prompt
        } else {
            format!("{prompt} — {row}")
        };
    }
}

/// An id not yet taken: `id`, else `id-2`, `id-3`…
pub(super) fn unique(id: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = id.clone();
    let mut number = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}-{number}");
        number += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Whether the block shuffles its items, and the items per page of a shuffled block: from the
/// block's question randomization, or a matrix that shuffles its statements and is all the
/// block holds. What kith cannot shuffle is left out.
fn question_order(
    built: &mut Built<'_>,
    source: &QBlock<'_>,
    entries: &[Entry<'_>],
) -> (bool, Option<u32>) {
    let options = source.options;
    let mode = options
        .and_then(|o| field(o, "RandomizeQuestions"))
        .unwrap_or_default();
    let block_left_out = |what: &str, reason: String| LeftOut {
        question_id: source.id.clone(),
        export_tag: None,
        what: what.to_string(),
        reason,
    };
    let mut randomize = false;
    let mut per_page = None;
    match mode.as_str() {
        "" | "false" | "None" => {}
        "RandomWithXPerPage" => {
            randomize = true;
            let randomization = options.and_then(|o| o.get("Randomization"));
            let count = [
                randomization.and_then(|r| r.get("Advanced")).and_then(|a| a.get("QuestionsPerPage")),
                randomization.and_then(|r| r.get("QuestionsPerPage")),
                options.and_then(|o| o.get("QuestionsPerPage")),
            ]
            .into_iter()
            .flatten()
            .filter_map(text_of)
            .find_map(|text| text.trim().parse::<u32>().ok().filter(|&n| n > 0));
            let questions: HashSet<usize> = entries.iter().map(|entry| entry.question).collect();
            let one_item_each = questions.len() == entries.len();
            if let Some(count) = count {
                if one_item_each {
                    per_page = Some(count);
                } else {
                    built.notes.push(format!(
                        "block `{}` shows {count} questions per page in Qualtrics; kith pages by items, so its shuffled items are on one page",
                        source.description
                    ));
                }
            }
        }
        "RandomWithOnlyX" => built.left_out.push(block_left_out(
            "a random subset of its questions",
            "Qualtrics shows only some of the block's questions at random; kith shows all of them, in their order".to_string(),
        )),
        other => built.left_out.push(block_left_out(
            "question randomization",
            format!("the block's `{other}` randomization has no kith equivalent; its questions keep their order"),
        )),
    }
    // A matrix that shuffles its statements: kith can shuffle them when they are the block.
    let questions: HashSet<usize> = entries.iter().map(|entry| entry.question).collect();
    for &index in &questions {
        let question = &built.questions[index].question;
        if !question.randomized_rows {
            continue;
        }
        if questions.len() == 1 {
            randomize = true;
        } else if !randomize {
            let (id, tag) = (question.id.clone(), question.tag.clone());
            built.left_out.push(LeftOut {
                question_id: id,
                export_tag: Some(tag),
                what: "statement order randomization".to_string(),
                reason: "kith shuffles all the items of a block; this block has other questions too, so the statements keep their order".to_string(),
            });
        }
    }
    (randomize, per_page)
}

/// Where a condition or piped text is evaluated, as kith's logic check has it.
#[derive(Debug, Clone, Copy)]
pub(super) enum At {
    /// When an item's page is shown.
    PageShown { block: usize, page: Option<usize> },
    /// When an item's page is left (a screen-out on the item).
    PageLeft { block: usize, page: Option<usize> },
    /// Before a block's first page.
    BlockStart(usize),
    /// After a block's last page.
    BlockEnd(usize),
}

/// Where every item stands: its block, and its page when every participant has it there.
#[derive(Debug)]
pub(super) struct Positions {
    slots: Vec<(usize, usize)>,
    single_page: Vec<bool>,
    items: HashMap<String, (usize, Option<usize>)>,
}

impl Positions {
    pub(super) fn new(blocks: &[KBlock<'_>]) -> Positions {
        let shuffled: Vec<usize> = (0..blocks.len())
            .filter(|&i| blocks[i].randomized)
            .collect();
        let range = (
            shuffled.iter().copied().min().unwrap_or(0),
            shuffled.iter().copied().max().unwrap_or(0),
        );
        let mut positions = Positions {
            slots: Vec::new(),
            single_page: Vec::new(),
            items: HashMap::new(),
        };
        for (index, block) in blocks.iter().enumerate() {
            positions.slots.push(if block.randomized {
                range
            } else {
                (index, index)
            });
            let per_page = block
                .items_per_page
                .filter(|&n| n > 0)
                .map_or(usize::MAX, |n| n as usize);
            let single = per_page >= block.entries.len();
            positions.single_page.push(single);
            for (position, entry) in block.entries.iter().enumerate() {
                let page = if single {
                    Some(0)
                } else if block.randomize_items {
                    None
                } else {
                    Some(position / per_page)
                };
                positions.items.insert(entry.item.id.clone(), (index, page));
            }
        }
        positions
    }

    /// The page of an item, as `At` needs it.
    pub(super) fn of(&self, item: &str) -> Option<(usize, Option<usize>)> {
        self.items.get(item).copied()
    }

    fn surely_before(&self, a: usize, b: usize) -> bool {
        a != b && self.slots[a].1 < self.slots[b].0
    }

    /// Whether the answer to `item` is known at `at`, or why not; `own` is the item a
    /// screen-out belongs to, which may read itself.
    pub(super) fn known(&self, item: &str, at: At, own: Option<&str>) -> Result<(), String> {
        let Some(&(block, page)) = self.items.get(item) else {
            return Err(format!("it reads `{item}`, which kith does not ask"));
        };
        if matches!(at, At::PageLeft { .. }) && own == Some(item) {
            return Ok(());
        }
        let known = match at {
            At::BlockStart(b) => self.surely_before(block, b),
            At::BlockEnd(b) => block == b || self.surely_before(block, b),
            At::PageShown { block: b, page: p } => {
                self.surely_before(block, b)
                    || (block == b && matches!((page, p), (Some(a), Some(p)) if a < p))
            }
            At::PageLeft { block: b, page: p } => {
                self.surely_before(block, b)
                    || (block == b
                        && (self.single_page[b]
                            || matches!((page, p), (Some(a), Some(p)) if a <= p)))
            }
        };
        if known {
            return Ok(());
        }
        let here = match at {
            At::PageShown { block, .. }
            | At::PageLeft { block, .. }
            | At::BlockStart(block)
            | At::BlockEnd(block) => block,
        };
        Err(if block == here && page.is_none() {
            format!(
                "it reads `{item}` in a block that shuffles its items, so kith cannot tell that `{item}` comes first"
            )
        } else if block == here {
            format!(
                "it reads `{item}`, which kith asks on the same page or later; kith's conditions read answers of earlier pages"
            )
        } else if self.slots[block] == self.slots[here] && block != here {
            format!("it reads `{item}`, in a block that swaps places with this one at random")
        } else {
            format!("it reads `{item}`, which kith asks later")
        })
    }

    /// Whether every item of `cond` is known at `at`, or the first reason one is not.
    pub(super) fn all_known(&self, cond: &Cond, at: At, own: Option<&str>) -> Result<(), String> {
        for item in cond.items() {
            self.known(item, at, own)?;
        }
        Ok(())
    }
}

//! The order one participant sees: blocks, pages and the entries on each page, drawn once
//! from the form and the participant's seed.

use kith_instrument::form::{Form, FormBlock};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

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
            // A network question: the page that chooses people, then the page of follow-ups.
            if let Some(relation) = &block.relation {
                let page = |id: String| PageLayout {
                    block: block.id.clone(),
                    entries: vec![Entry { id, check: false }],
                };
                pages.push(page(block.id.clone()));
                if !relation.follow_ups.is_empty() {
                    pages.push(page(super::people::follow_up_entry(&block.id)));
                }
                continue;
            }
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
        let follow_ups: Vec<String> = form
            .relations()
            .filter(|(_, relation)| !relation.follow_ups.is_empty())
            .map(|(block, _)| super::people::follow_up_entry(&block.id))
            .collect();
        let mut expected: Vec<&str> = form
            .items()
            .map(|i| i.item.id.as_str())
            .chain(form.attention_checks().map(|c| c.check.id.as_str()))
            .chain(form.relations().map(|(block, _)| block.id.as_str()))
            .chain(follow_ups.iter().map(String::as_str))
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

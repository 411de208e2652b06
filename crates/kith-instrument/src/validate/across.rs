//! Checks across the blocks of a resolved survey: ids that must be unique in the whole survey
//! (blocks, columns, scores) and the blocks `randomize_blocks` names.

use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::document::Parsed;
use crate::form::FormBlock;
use crate::model::Survey;
use std::collections::HashMap;

/// Where each block of the resolved survey came from, for messages about clashes between blocks.
#[derive(Debug)]
pub struct BlockOrigin {
    /// The model path of the block in the top survey (`blocks[i]`).
    pub path: DocPath,
    /// The file its items are in.
    pub file: String,
}

/// Ids that must be unique across a whole survey: block ids, columns, score ids.
pub fn check_across_blocks(
    parsed: &Parsed<Survey>,
    blocks: &[FormBlock],
    origins: &[BlockOrigin],
    out: &mut Vec<Diagnostic>,
) {
    let mut block_ids: HashMap<&str, usize> = HashMap::new();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut scores: HashMap<&str, usize> = HashMap::new();
    for (index, block) in blocks.iter().enumerate() {
        let origin = &origins[index];
        if let Some(first) = block_ids.insert(&block.id, index) {
            out.push(parsed.error(
                "duplicate-block-id",
                format!("two blocks have the id `{}`", block.id),
                &origin.path,
                Some(format!(
                    "the first is from `{}`; give this block its own `id:`",
                    origins[first].file
                )),
            ));
        }
        // A relation's answers are kept under its block's id, so it shares the items' names.
        let ids = block
            .items
            .iter()
            .map(|i| i.item.id.as_str())
            .chain(block.attention_checks.iter().map(|c| c.check.id.as_str()))
            .chain(block.relation.as_ref().map(|_| block.id.as_str()));
        for id in ids {
            if let Some(first) = columns.insert(id, index)
                && first != index
            {
                out.push(parsed.error(
                    "duplicate-item-id",
                    format!(
                        "item id `{id}` is in two blocks: `{}` ({}) and `{}` ({})",
                        blocks[first].id, origins[first].file, block.id, origin.file
                    ),
                    &origin.path,
                    Some("a survey's item ids name its columns and must be unique; rename the item in one of the files".to_string()),
                ));
            }
        }
        for score in &block.scores {
            if let Some(first) = scores.insert(&score.id, index)
                && first != index
            {
                out.push(parsed.error(
                    "duplicate-score-id",
                    format!(
                        "score id `{}` is in two blocks: `{}` and `{}`",
                        score.id, blocks[first].id, block.id
                    ),
                    &origin.path,
                    Some("a survey's score ids name its columns and must be unique".to_string()),
                ));
            }
        }
    }
    for block in blocks {
        for score in &block.scores {
            if columns.contains_key(score.id.as_str()) {
                out.push(parsed.error(
                    "score-id-is-item",
                    format!("score id `{}` is also an item id in this survey", score.id),
                    &DocPath::root().key("blocks"),
                    Some("scored files hold both as columns; rename one of them".to_string()),
                ));
            }
        }
    }
    let mut listed: HashMap<&str, usize> = HashMap::new();
    for (index, id) in parsed.model.randomize_blocks.iter().enumerate() {
        let path = DocPath::root().key("randomize_blocks").index(index);
        if listed.insert(id, index).is_some() {
            out.push(parsed.error(
                "duplicate-block-id",
                format!("`randomize_blocks` lists `{id}` twice"),
                &path,
                Some("list each block once".to_string()),
            ));
        } else if !block_ids.contains_key(id.as_str()) {
            let hint = match did_you_mean(id, block_ids.keys().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    let mut known: Vec<&str> = block_ids.keys().copied().collect();
                    known.sort_unstable();
                    format!("the blocks are: {}", known.join(", "))
                }
            };
            out.push(parsed.error(
                "unknown-block",
                format!("`randomize_blocks` names the unknown block `{id}`"),
                &path,
                Some(hint),
            ));
        }
    }
}

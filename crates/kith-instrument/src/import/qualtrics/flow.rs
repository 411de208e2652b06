//! The survey flow: which blocks are shown, in what order, under which branch conditions,
//! which ones a block randomizer shuffles, and where a branch ends the survey. Flow elements
//! kith has no place for (embedded data, web services, quotas) are left out with the reason.

use super::error::QsfError;
use super::read::{Qsf, field, values};
use crate::import::LeftOut;
use serde_json::Value;
use std::collections::HashSet;

/// How deeply flow elements may nest (branches in groups in randomizers…).
const MAX_DEPTH: usize = 32;

/// A branch condition the flow puts around a block: its flow id and its `BranchLogic`.
pub(super) type Branch<'a> = (String, &'a Value);

/// A block where the flow shows it.
#[derive(Debug)]
pub(super) struct Placement<'a> {
    /// The Qualtrics block.
    pub block: String,
    /// The branch conditions the block is shown under, outermost first.
    pub branches: Vec<Branch<'a>>,
    /// Whether the block randomizer shuffles it with the other blocks it holds.
    pub randomized: bool,
    /// The End of Survey elements right after the block, each with its branches.
    pub ends: Vec<(String, Vec<Branch<'a>>)>,
}

/// The blocks in flow order and what of the flow is left out.
#[derive(Debug, Default)]
pub(super) struct Walked<'a> {
    pub placements: Vec<Placement<'a>>,
    pub left_out: Vec<LeftOut>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct Context<'a> {
    branches: Vec<Branch<'a>>,
    randomized: bool,
    depth: usize,
}

struct Walker<'q, 'a> {
    qsf: &'q Qsf<'a>,
    file: &'q str,
    out: Walked<'a>,
    placed: HashSet<String>,
    randomizer_used: bool,
    /// Set by an End of Survey every respondent reaches: nothing after it is shown.
    ended: bool,
}

fn flow_left_out(id: &str, what: impl Into<String>, reason: impl Into<String>) -> LeftOut {
    LeftOut {
        question_id: id.to_string(),
        export_tag: None,
        what: what.into(),
        reason: reason.into(),
    }
}

/// The blocks of `qsf` as its flow shows them.
pub(super) fn walk<'a>(qsf: &Qsf<'a>, file: &str) -> Result<Walked<'a>, QsfError> {
    let mut walker = Walker {
        qsf,
        file,
        out: Walked::default(),
        placed: HashSet::new(),
        randomizer_used: false,
        ended: false,
    };
    match qsf.flow {
        Some(flow) => walker.elements(&values(flow), &Context::default())?,
        None => {
            walker.out.notes.push(
                "the file has no survey flow, so its blocks are shown in the order the file lists them"
                    .to_string(),
            );
            for block in &qsf.blocks {
                walker.place(&block.id, &Context::default());
            }
        }
    }
    for block in &qsf.blocks {
        if !walker.placed.contains(&block.id) {
            walker.out.left_out.push(flow_left_out(
                &block.id,
                format!("the block `{}`", block.description),
                "it is not in the survey flow, so Qualtrics never shows it",
            ));
        }
    }
    Ok(walker.out)
}

impl<'a> Walker<'_, 'a> {
    fn place(&mut self, block: &str, context: &Context<'a>) {
        self.placed.insert(block.to_string());
        self.out.placements.push(Placement {
            block: block.to_string(),
            branches: context.branches.clone(),
            randomized: context.randomized,
            ends: Vec::new(),
        });
    }

    fn elements(&mut self, elements: &[&'a Value], context: &Context<'a>) -> Result<(), QsfError> {
        if context.depth > MAX_DEPTH {
            return Err(QsfError::new(
                self.file,
                None,
                "flow-too-deep",
                format!("the survey flow nests more than {MAX_DEPTH} levels deep"),
                "the file is damaged; export the survey from Qualtrics again",
            ));
        }
        for element in elements {
            self.element(element, context)?;
        }
        Ok(())
    }

    fn element(&mut self, element: &'a Value, context: &Context<'a>) -> Result<(), QsfError> {
        let Some(object) = element.as_object() else {
            return Ok(());
        };
        let kind = field(object, "Type").unwrap_or_default();
        let flow_id = field(object, "FlowID").unwrap_or_default();
        let children: Vec<&'a Value> = object.get("Flow").map(values).unwrap_or_default();
        let inner = Context {
            depth: context.depth + 1,
            ..context.clone()
        };
        if self.ended {
            return self.unreachable(element);
        }
        match kind.as_str() {
            "Block" | "Standard" | "Default" => {
                let id = field(object, "ID").unwrap_or_default();
                if self.qsf.block(&id).is_none() {
                    return Err(QsfError::new(
                        self.file,
                        Some(&flow_id),
                        "missing-block",
                        format!(
                            "the survey flow shows block `{id}`, which the file does not define"
                        ),
                        "the file is damaged or was edited by hand; export the survey from Qualtrics again",
                    ));
                }
                let looping = self
                    .qsf
                    .block(&id)
                    .and_then(|block| block.options)
                    .and_then(|options| field(options, "Looping"))
                    .filter(|looping| !looping.is_empty() && looping != "None");
                if let Some(looping) = looping {
                    if self.placed.insert(id.clone()) {
                        self.out.left_out.push(flow_left_out(
                            &id,
                            "the block",
                            format!("it loops (loop & merge, `{looping}`): Qualtrics asks its questions once per loop, in columns `1_Tag`, `2_Tag`, …, and kith has no loops"),
                        ));
                    }
                } else if self.placed.contains(&id) {
                    self.out.left_out.push(flow_left_out(
                        &flow_id,
                        format!("block `{id}` shown a second time"),
                        "kith shows each block once, where the flow first shows it",
                    ));
                } else {
                    self.place(&id, context);
                }
            }
            "Branch" => {
                let mut inner = inner;
                match object.get("BranchLogic") {
                    Some(logic) => inner.branches.push((flow_id, logic)),
                    None => self.out.notes.push(format!(
                        "branch `{flow_id}` has no condition, so its blocks are shown to everyone"
                    )),
                }
                self.elements(&children, &inner)?;
            }
            "BlockRandomizer" | "Randomizer" => {
                self.randomizer(object, &flow_id, children, inner)?
            }
            "Group" | "Root" => self.elements(&children, &inner)?,
            "EndSurvey" => self.end(&flow_id, context),
            "EmbeddedData" => {
                let names: Vec<String> = object
                    .get("EmbeddedData")
                    .map(values)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|field_| field_.get("Field").and_then(Value::as_str))
                    .map(|name| format!("`{name}`"))
                    .collect();
                self.out.left_out.push(flow_left_out(
                    &flow_id,
                    format!("embedded data {}", names.join(", ")),
                    "kith keeps no embedded data; values passed in the link are session parameters (`param.NAME` in conditions and texts)",
                ));
            }
            other => {
                let (what, reason) = match other {
                    "WebService" => ("a web service call", "kith calls no web services"),
                    "Authenticator" => (
                        "an authenticator",
                        "kith identifies participants by their links; the blocks inside are shown to everyone",
                    ),
                    "Quota" => ("a quota", "kith has no quotas"),
                    "TableOfContents" => {
                        ("a table of contents", "kith shows blocks one after another")
                    }
                    "EndOfSurvey" => ("an end of survey", "the element cannot be read"),
                    _ => ("a flow element", "kith has no equivalent of it"),
                };
                let what = if what == "a flow element" {
                    format!("a `{other}` flow element")
                } else {
                    what.to_string()
                };
                self.out
                    .left_out
                    .push(flow_left_out(&flow_id, what, reason));
                self.elements(&children, &inner)?;
            }
        }
        Ok(())
    }

    /// A block randomizer: when it shows all of its blocks and is the first, kith's
    /// `randomize_blocks`; otherwise its blocks keep the flow's order.
    fn randomizer(
        &mut self,
        object: &'a serde_json::Map<String, Value>,
        flow_id: &str,
        children: Vec<&'a Value>,
        mut inner: Context<'a>,
    ) -> Result<(), QsfError> {
        let total = children.len();
        let shown = field(object, "SubSet")
            .and_then(|subset| subset.trim().parse::<usize>().ok())
            .filter(|&subset| subset > 0)
            .unwrap_or(total);
        let only_blocks = children.iter().all(|child| {
            matches!(
                child.get("Type").and_then(Value::as_str),
                Some("Block" | "Standard" | "Default")
            )
        });
        let reason = if shown < total {
            Some(format!(
                "it shows {shown} of its {total} elements at random; kith shows all of them, in the order of the flow"
            ))
        } else if !only_blocks {
            Some(
                "it holds other elements than blocks; its blocks keep the order of the flow"
                    .to_string(),
            )
        } else if self.randomizer_used || inner.randomized {
            Some("kith shuffles one group of blocks per survey; this group keeps the order of the flow".to_string())
        } else {
            None
        };
        match reason {
            Some(reason) => self
                .out
                .left_out
                .push(flow_left_out(flow_id, "a randomizer", reason)),
            None => {
                self.randomizer_used = true;
                inner.randomized = true;
            }
        }
        self.elements(&children, &inner)
    }

    /// An End of Survey: every respondent's end when no branch is around it, else a
    /// screen-out after the block before it, when that block is shown whenever the branch is.
    fn end(&mut self, flow_id: &str, context: &Context<'a>) {
        if context.branches.is_empty() && !context.randomized {
            self.ended = true;
            return;
        }
        let usable = self.out.placements.last_mut().filter(|last| {
            !last.randomized
                && !context.randomized
                && last.branches.len() <= context.branches.len()
                && last
                    .branches
                    .iter()
                    .zip(&context.branches)
                    .all(|(a, b)| a.0 == b.0)
        });
        match usable {
            Some(last) => last.ends.push((flow_id.to_string(), context.branches.clone())),
            None => self.out.left_out.push(flow_left_out(
                flow_id,
                "an End of Survey in a branch",
                "kith ends a session after a block that every respondent in the branch has seen; the flow has none right before this one",
            )),
        }
    }

    /// Reports the blocks of an element after an End of Survey every respondent reaches.
    fn unreachable(&mut self, element: &'a Value) -> Result<(), QsfError> {
        let Some(object) = element.as_object() else {
            return Ok(());
        };
        let kind = field(object, "Type").unwrap_or_default();
        if matches!(kind.as_str(), "Block" | "Standard" | "Default") {
            let id = field(object, "ID").unwrap_or_default();
            if self.placed.insert(id.clone()) {
                self.out.left_out.push(flow_left_out(
                    &id,
                    "the block",
                    "it comes after an End of Survey that every respondent reaches, so Qualtrics never shows it",
                ));
            }
        }
        for child in object.get("Flow").map(values).unwrap_or_default() {
            self.unreachable(child)?;
        }
        Ok(())
    }
}

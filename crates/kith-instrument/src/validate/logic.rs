//! Checking a form's logic: every `show_if`, `end_if` and `constraint` parses, names only items
//! whose answers are known where it is evaluated, and can be true; every piped text names such
//! items too. Diagnostics point into the file the expression is written in, with a caret
//! under the offending part.
//!
//! Where a condition is evaluated decides what it may read. A question's `show_if` and piped
//! text read answers of earlier pages; a block's `show_if` (and an attention check's, since
//! checks move with their block's shuffling) read earlier blocks; an item's `end_if` and
//! `constraint` are tested when its page is left, so they read its own page too; a block's
//! `end_if` reads the block itself. "Earlier" must hold for every participant: blocks that
//! `randomize_blocks` shuffles are never earlier than one another, and items of a block that
//! shuffles its items are on no known page.

use crate::diagnostic::{Diagnostic, Severity};
use crate::form::{Field, Form, Owner, SourcePlace};
use crate::logic::domain::{Domain, never_true};
use crate::logic::piping::{check_template, parse_template};
use crate::logic::{ItemKind, LogicError, Problem, Scope, Span, check, parse};
use crate::model::ResponseScale;
use std::collections::HashMap;

/// Where an expression is evaluated.
#[derive(Debug, Clone, Copy)]
enum At {
    /// When a page of block `block` is shown (its page within the block, when known).
    PageShown { block: usize, page: Option<usize> },
    /// When that page is left.
    PageLeft { block: usize, page: Option<usize> },
    /// Before a block's first page.
    BlockStart(usize),
    /// After a block's last page.
    BlockEnd(usize),
    /// Before anything is asked (the consent text).
    Start,
    /// After everything (the closing text).
    End,
}

/// Where every question of the form stands, and what its answers can be.
struct Order<'f> {
    /// The slots each block can occupy: its own, or the range of the shuffled blocks' slots.
    slots: Vec<(usize, usize)>,
    /// Whether the block is shown on one page.
    single_page: Vec<bool>,
    entries: HashMap<&'f str, (usize, Option<usize>, &'f ResponseScale)>,
    ids: Vec<String>,
}

impl<'f> Order<'f> {
    fn new(form: &'f Form) -> Order<'f> {
        let shuffled: Vec<usize> = (0..form.blocks.len())
            .filter(|&i| form.randomize_blocks.contains(&form.blocks[i].id))
            .collect();
        let range = (
            shuffled.iter().copied().min().unwrap_or(0),
            shuffled.iter().copied().max().unwrap_or(0),
        );
        let mut order = Order {
            slots: Vec::new(),
            single_page: Vec::new(),
            entries: HashMap::new(),
            ids: Vec::new(),
        };
        for (index, block) in form.blocks.iter().enumerate() {
            order.slots.push(if shuffled.contains(&index) {
                range
            } else {
                (index, index)
            });
            let per_page = block
                .items_per_page
                .filter(|&n| n > 0)
                .map_or(usize::MAX, |n| n as usize);
            let single = per_page >= block.items.len();
            order.single_page.push(single);
            for (position, item) in block.items.iter().enumerate() {
                let page = if single {
                    Some(0)
                } else if block.randomize_items {
                    None
                } else {
                    Some(position / per_page)
                };
                order
                    .entries
                    .insert(&item.item.id, (index, page, &item.response));
                order.ids.push(item.item.id.clone());
            }
            for check in &block.attention_checks {
                let page = single.then_some(0);
                order
                    .entries
                    .insert(&check.check.id, (index, page, &check.response));
                order.ids.push(check.check.id.clone());
            }
        }
        order
    }

    fn surely_before(&self, a: usize, b: usize) -> bool {
        a != b && self.slots[a].1 < self.slots[b].0
    }

    /// Whether the answer to `id` (in block `block`, on `page`) is known at `at`.
    fn known(&self, block: usize, page: Option<usize>, at: At) -> bool {
        match at {
            At::Start => false,
            At::End => true,
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
        }
    }
}

fn kind_of(scale: &ResponseScale) -> ItemKind {
    match scale {
        ResponseScale::Likert { values, .. } => {
            ItemKind::Coded(values.iter().map(|&v| v as f64).collect())
        }
        ResponseScale::SingleChoice { options } => {
            ItemKind::Coded(options.iter().map(|o| o.value as f64).collect())
        }
        ResponseScale::MultipleChoice { options } => {
            ItemKind::MultipleChoice(options.iter().map(|o| o.value as f64).collect())
        }
        ResponseScale::Numeric { .. } => ItemKind::Number,
        ResponseScale::Text { .. } => ItemKind::Text,
    }
}

fn domain_of(scale: &ResponseScale) -> Option<Domain> {
    match kind_of(scale) {
        ItemKind::Coded(codes) => Some(Domain::Codes(codes)),
        _ => match scale {
            ResponseScale::Numeric {
                min, max, integer, ..
            } => Some(Domain::Range {
                min: *min,
                max: *max,
                integer: *integer,
            }),
            _ => None,
        },
    }
}

struct OrderScope<'o, 'f> {
    order: &'o Order<'f>,
    at: At,
    /// The item a screen-out or constraint belongs to: tested when its page is left, it may
    /// always read its own answer, whatever page the item lands on.
    own: Option<&'o str>,
}

impl<'o, 'f> OrderScope<'o, 'f> {
    fn new(order: &'o Order<'f>, at: At, owner: &'o Owner) -> Self {
        let own = match owner {
            Owner::Entry(id) => Some(id.as_str()),
            _ => None,
        };
        OrderScope { order, at, own }
    }
}

impl Scope for OrderScope<'_, '_> {
    fn item(&self, id: &str) -> Option<(ItemKind, bool)> {
        let (block, page, scale) = self.order.entries.get(id)?;
        let own = matches!(self.at, At::PageLeft { .. }) && self.own == Some(id);
        Some((
            kind_of(scale),
            own || self.order.known(*block, *page, self.at),
        ))
    }

    fn ids(&self) -> Vec<String> {
        self.order.ids.clone()
    }
}

/// The line and column of byte `offset` of `text`, a value standing at `place`: the value's
/// line is looked for in the source lines kept, so quoting and block scalars are allowed for.
fn locate(place: &SourcePlace, text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let row = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let within = text[line_start..offset].chars().count();
    if !line.trim().is_empty() {
        for (index, source) in place.lines.iter().enumerate().skip(row.min(1)) {
            let from = if index == 0 {
                source
                    .char_indices()
                    .nth(place.column.saturating_sub(1))
                    .map_or(source.len(), |(i, _)| i)
            } else {
                0
            };
            if let Some(found) = source[from..].find(line) {
                let column = source[..from + found].chars().count() + within + 1;
                return (place.line + index, column);
            }
        }
    }
    (place.line, place.column)
}

/// A diagnostic about the part `span` of the value `text` at `place`.
fn diagnostic(
    place: &SourcePlace,
    text: &str,
    severity: Severity,
    code: &'static str,
    message: String,
    span: Span,
    hint: String,
) -> Diagnostic {
    let (line, column) = locate(place, text, span.start);
    let end = span.end.min(text.len()).max(span.start.min(text.len()));
    Diagnostic {
        severity,
        code,
        message,
        file: place.file.clone(),
        line,
        column,
        path: place.path.clone(),
        value: text.get(span.start.min(end)..end).map(str::to_string),
        hint: Some(hint),
    }
}

struct Checker<'a, 'f> {
    form: &'f Form,
    order: &'a Order<'f>,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn place(&self, owner: &Owner, field: Field) -> SourcePlace {
        self.form
            .places
            .0
            .get(&(owner.clone(), field))
            .cloned()
            .unwrap_or_else(|| SourcePlace {
                file: self.form.file.clone(),
                ..SourcePlace::default()
            })
    }

    fn syntax(&mut self, place: &SourcePlace, text: &str, code: &'static str, error: LogicError) {
        self.out.push(diagnostic(
            place,
            text,
            Severity::Error,
            code,
            error.message,
            error.span,
            error.hint,
        ));
    }

    fn problems(&mut self, place: &SourcePlace, text: &str, problems: Vec<Problem>) -> bool {
        let clean = problems.is_empty();
        for problem in problems {
            self.out.push(diagnostic(
                place,
                text,
                Severity::Error,
                problem.code,
                problem.message,
                problem.span,
                problem.hint,
            ));
        }
        clean
    }

    /// Checks one condition; `effect` says what "never true" would mean, for the warning.
    fn condition(&mut self, owner: Owner, field: Field, text: &str, at: At, effect: &str) {
        let place = self.place(&owner, field);
        let expr = match parse(text) {
            Ok(expr) => expr,
            Err(error) => return self.syntax(&place, text, "condition-syntax", error),
        };
        let scope = OrderScope::new(self.order, at, &owner);
        if !self.problems(&place, text, check(&expr, &scope)) {
            return;
        }
        let domain = |id: &str| {
            self.order
                .entries
                .get(id)
                .and_then(|(_, _, scale)| domain_of(scale))
        };
        if never_true(&expr, &domain) {
            self.out.push(diagnostic(
                &place,
                text,
                Severity::Warning,
                "never-true",
                format!("this condition can never be true given the items' scales, so {effect}"),
                expr.span,
                "compare the numbers and codes with the scales of the items it names".to_string(),
            ));
        }
    }

    /// Checks the placeholders of one participant-facing text.
    fn text(&mut self, owner: Owner, field: Field, text: &str, at: At) {
        let place = self.place(&owner, field);
        match parse_template(text) {
            Ok(segments) => {
                let scope = OrderScope::new(self.order, at, &owner);
                self.problems(&place, text, check_template(&segments, &scope));
            }
            Err(error) => self.syntax(&place, text, "piping-syntax", error),
        }
    }
}

/// Checks every condition and piped text of a form, appending diagnostics to `out`.
pub fn check_form(form: &Form, out: &mut Vec<Diagnostic>) {
    let order = Order::new(form);
    let mut checker = Checker {
        form,
        order: &order,
        out,
    };
    if let Some(consent) = &form.consent {
        checker.text(Owner::Survey, Field::Consent, consent, At::Start);
    }
    if let Some(closing) = &form.closing {
        checker.text(Owner::Survey, Field::Closing, closing, At::End);
    }
    // Translated texts pipe what their original may (their carets fall on the original).
    for texts in form.translations.values() {
        if let Some(consent) = &texts.consent {
            checker.text(Owner::Survey, Field::Consent, consent, At::Start);
        }
        if let Some(closing) = &texts.closing {
            checker.text(Owner::Survey, Field::Closing, closing, At::End);
        }
    }
    for (index, block) in form.blocks.iter().enumerate() {
        let owner = || Owner::Block(block.id.clone());
        let start = At::BlockStart(index);
        if let Some(title) = &block.title {
            checker.text(owner(), Field::Title, title, start);
        }
        if let Some(instructions) = &block.instructions {
            checker.text(owner(), Field::Instructions, instructions, start);
        }
        for texts in block.translations.values() {
            if let Some(title) = &texts.title {
                checker.text(owner(), Field::Title, title, start);
            }
            if let Some(instructions) = &texts.instructions {
                checker.text(owner(), Field::Instructions, instructions, start);
            }
        }
        if let Some(show_if) = &block.show_if {
            let effect = "the block is never shown";
            checker.condition(owner(), Field::ShowIf, show_if, start, effect);
        }
        if let Some(end_if) = &block.end_if {
            let end = At::BlockEnd(index);
            let effect = "no one is screened out here";
            checker.condition(owner(), Field::EndIf, &end_if.condition, end, effect);
            if let Some(message) = &end_if.message {
                checker.text(owner(), Field::EndMessage, message, end);
            }
            for message in end_if.translations.values() {
                checker.text(owner(), Field::EndMessage, message, end);
            }
        }
        for item in &block.items {
            let item = &item.item;
            let owner = || Owner::Entry(item.id.clone());
            let Some(&(_, page, _)) = order.entries.get(item.id.as_str()) else {
                continue;
            };
            let shown = At::PageShown { block: index, page };
            let left = At::PageLeft { block: index, page };
            checker.text(owner(), Field::Text, &item.text, shown);
            for text in item.translations.values() {
                checker.text(owner(), Field::Text, text, shown);
            }
            if let Some(show_if) = &item.show_if {
                let effect = "the item is never shown";
                checker.condition(owner(), Field::ShowIf, show_if, shown, effect);
            }
            if let Some(end_if) = &item.end_if {
                let effect = "no one is screened out here";
                checker.condition(owner(), Field::EndIf, &end_if.condition, left, effect);
                if let Some(message) = &end_if.message {
                    checker.text(owner(), Field::EndMessage, message, left);
                }
                for message in end_if.translations.values() {
                    checker.text(owner(), Field::EndMessage, message, left);
                }
            }
            if let Some(constraint) = &item.constraint {
                let effect = "every answer to the item is refused";
                let condition = &constraint.condition;
                checker.condition(owner(), Field::Constraint, condition, left, effect);
                let message = &constraint.message;
                checker.text(owner(), Field::ConstraintMessage, message, left);
                for message in constraint.translations.values() {
                    checker.text(owner(), Field::ConstraintMessage, message, left);
                }
            }
        }
        for check in &block.attention_checks {
            let owner = || Owner::Entry(check.check.id.clone());
            checker.text(owner(), Field::Text, &check.check.text, start);
            for text in check.check.translations.values() {
                checker.text(owner(), Field::Text, text, start);
            }
            if let Some(show_if) = &check.check.show_if {
                let effect = "the check is never shown";
                checker.condition(owner(), Field::ShowIf, show_if, start, effect);
            }
        }
    }
}

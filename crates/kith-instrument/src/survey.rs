//! Checking a file end to end: reading includes through a loader, survey-level checks, and
//! building the resolved `Form`.
//!
//! The crate reads no files itself: the caller passes a `SourceLoader`, so tests can check
//! surveys held in memory and the binary decides how files are read.

use crate::diagnostic::{Diagnostic, DocPath, Severity};
use crate::document::{Document, Parsed, parse_document};
use crate::form::{
    DocumentKind, Field, Form, FormBlock, InstrumentInfo, Owner, Places, form_checks, form_items,
};
use crate::include::Walk;
use crate::model::{BlockTexts, Instrument, Survey};
use crate::places;
use crate::validate::across::BlockOrigin;
use crate::validate::{self, ItemGroup};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

/// Reads the text of a file that a check needs: the file named, and the files it includes.
pub trait SourceLoader {
    /// The text of the file at `path`.
    fn load(&self, path: &Path) -> std::io::Result<String>;
}

/// A loader over files held in memory, for tests and for tools that embed kith.
#[derive(Debug, Default, Clone)]
pub struct MemoryLoader {
    pub files: HashMap<PathBuf, String>,
}

impl MemoryLoader {
    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files
            .insert(normalize(Path::new(path)), text.to_string());
        self
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&self, path: &Path) -> std::io::Result<String> {
        self.files.get(&normalize(path)).cloned().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory")
        })
    }
}

/// Joins `.` and `..` away without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file as named.
    pub file: String,
    pub kind: Option<DocumentKind>,
    /// Every problem, in this file and in the files it includes.
    pub diagnostics: Vec<Diagnostic>,
    /// The resolved form, when there are no errors.
    pub form: Option<Form>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks the file at `path`, reading it and its includes through `loader`.
pub fn check_file(path: &Path, loader: &dyn SourceLoader) -> Checked {
    let mut diagnostics = Vec::new();
    let mut walk = Walk::default();
    let outcome = load_checked(path, loader, &mut walk, &mut diagnostics);
    let kind = outcome.as_ref().map(|(kind, _)| *kind);
    let form = outcome.and_then(|(_, form)| form);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    dedup(&mut diagnostics);
    // Report file by file, in the order the files were first met, and by place within a file.
    let mut file_order: Vec<String> = Vec::new();
    for diagnostic in &diagnostics {
        if !file_order.contains(&diagnostic.file) {
            file_order.push(diagnostic.file.clone());
        }
    }
    diagnostics.sort_by_key(|d| {
        (
            file_order.iter().position(|f| *f == d.file),
            d.line,
            d.column,
        )
    });
    Checked {
        file: path.display().to_string(),
        kind,
        diagnostics,
        form: if has_errors { None } else { form },
    }
}

fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .retain(|d| seen.insert((d.file.clone(), d.line, d.column, d.code, d.message.clone())));
}

/// A diagnostic about a whole file that could not be read.
fn unreadable(file: &str, error: &std::io::Error) -> Diagnostic {
    let reason = match error.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".to_string(),
        _ => error.to_string(),
    };
    Diagnostic {
        severity: Severity::Error,
        code: "unreadable-file",
        message: format!("cannot read `{file}`: {reason}"),
        file: file.to_string(),
        line: 0,
        column: 0,
        path: DocPath::root().to_string(),
        value: None,
        hint: Some("check the path; kith reads YAML instrument and survey files".to_string()),
    }
}

/// Loads, parses and checks one file. Returns its kind and, when it has no errors, its form.
fn load_checked(
    path: &Path,
    loader: &dyn SourceLoader,
    walk: &mut Walk,
    out: &mut Vec<Diagnostic>,
) -> Option<(DocumentKind, Option<Form>)> {
    let name = path.display().to_string();
    let text = match loader.load(path) {
        Ok(text) => text,
        Err(error) => {
            out.push(unreadable(&name, &error));
            return None;
        }
    };
    let (document, diagnostics) = parse_document(&name, &text);
    let structurally_clean = !diagnostics.iter().any(Diagnostic::is_error);
    out.extend(diagnostics);
    let document = document?;
    walk.stack.push(normalize(path));
    let errors_before = out.iter().filter(|d| d.is_error()).count();
    let result = match &document {
        Document::Instrument(parsed) => {
            let from = out.len();
            out.extend(validate::check_instrument(parsed));
            parsed.drop_placeholder_diagnostics(out, from);
            (DocumentKind::Instrument, Some(instrument_form(parsed)))
        }
        Document::Survey(parsed) => {
            let from = out.len();
            let form = check_survey(parsed, path, loader, walk, out);
            parsed.drop_placeholder_diagnostics(out, from);
            (DocumentKind::Survey, form)
        }
    };
    // Conditions and piped texts are checked once, in the context of the file named: the same
    // instrument orders its items differently when a survey shuffles or pages them.
    if walk.stack.len() == 1
        && let Some(form) = &result.1
    {
        validate::logic::check_form(form, out);
        validate::languages::check_form(form, out);
    }
    walk.stack.pop();
    let clean = structurally_clean && out.iter().filter(|d| d.is_error()).count() == errors_before;
    Some((result.0, if clean { result.1 } else { None }))
}

fn instrument_info(parsed: &Parsed<Instrument>) -> InstrumentInfo {
    let model = &parsed.model;
    InstrumentInfo {
        id: model.id.clone(),
        version: model.version.clone(),
        title: model.title.clone(),
        file: parsed.name.clone(),
        description: model.description.clone(),
        citation: model.citation.clone(),
        license: model.license.clone(),
        validated: model.validated,
        validation_note: model.validation_note.clone(),
        translations: model.translations.clone(),
    }
}

fn instrument_block(parsed: &Parsed<Instrument>) -> FormBlock {
    let model = &parsed.model;
    FormBlock {
        id: model.id.clone(),
        title: Some(model.title.clone()),
        instructions: model.instructions.clone(),
        instrument: Some(instrument_info(parsed)),
        items: form_items(&model.items, &model.scales, &model.missing_codes),
        scores: model.scores.clone(),
        attention_checks: form_checks(&model.attention_checks, &model.scales),
        relation: None,
        randomize_items: false,
        items_per_page: None,
        show_if: None,
        end_if: None,
        translations: model
            .translations
            .iter()
            .filter_map(|(language, t)| {
                let instructions = t.instructions.clone()?;
                Some((
                    language.clone(),
                    BlockTexts {
                        title: None,
                        instructions: Some(instructions),
                    },
                ))
            })
            .collect(),
    }
}

fn instrument_form(parsed: &Parsed<Instrument>) -> Form {
    let model = &parsed.model;
    let root = DocPath::root();
    let mut places = Places::default();
    places::record_items(&mut places, parsed, &root.key("items"), &model.items);
    places::record_checks(
        &mut places,
        parsed,
        &root.key("attention_checks"),
        &model.attention_checks,
    );
    places::record(
        &mut places,
        parsed,
        Owner::Block(model.id.clone()),
        Field::Instructions,
        root.key("instructions"),
    );
    Form {
        kind: DocumentKind::Instrument,
        id: model.id.clone(),
        version: model.version.clone(),
        title: model.title.clone(),
        language: model.language.clone().unwrap_or_else(|| "en".to_string()),
        languages: model.languages.clone(),
        translations: BTreeMap::new(),
        file: parsed.name.clone(),
        consent: None,
        closing: None,
        blocks: vec![instrument_block(parsed)],
        randomize_blocks: Vec::new(),
        rosters: BTreeMap::new(),
        places,
    }
}

fn check_survey(
    parsed: &Parsed<Survey>,
    path: &Path,
    loader: &dyn SourceLoader,
    walk: &mut Walk,
    out: &mut Vec<Diagnostic>,
) -> Option<Form> {
    let model = &parsed.model;
    let root = DocPath::root();
    validate::check_identity(parsed, "survey", &model.id, model.language.as_deref(), out);
    if model.consent.as_deref().is_none_or(|c| c.trim().is_empty()) && walk.stack.len() == 1 {
        out.push(parsed.warning(
            "no-consent",
            format!("survey `{}` has no consent text", model.id),
            &root,
            Some("add `consent: |` with the text your ethics board approved".to_string()),
        ));
    }
    if model.blocks.is_empty()
        && !parsed
            .left_out
            .kept_indices
            .contains_key(&root.key("blocks"))
    {
        out.push(parsed.error(
            "no-blocks",
            "the survey has no blocks".to_string(),
            &root.key("blocks"),
            Some("list blocks, e.g. `- include: my-scale.yaml`".to_string()),
        ));
    }
    let shared_scales = ItemGroup::empty(&root, &model.scales, root.key("scales"));
    validate::check_scales(parsed, &shared_scales, out);
    let mut rosters = validate::rosters::check_rosters(parsed, path, loader, out);
    let directory = path.parent().unwrap_or(Path::new(""));
    let mut blocks: Vec<FormBlock> = Vec::new();
    let mut origins: Vec<BlockOrigin> = Vec::new();
    let mut complete = true;
    let mut places = Places::default();
    places::record(
        &mut places,
        parsed,
        Owner::Survey,
        Field::Consent,
        root.key("consent"),
    );
    places::record(
        &mut places,
        parsed,
        Owner::Survey,
        Field::Closing,
        root.key("closing"),
    );
    for (index, block) in model.blocks.iter().enumerate() {
        let block_path = root.key("blocks").index(index);
        if block.items_per_page == Some(0) {
            out.push(parsed.error(
                "items-per-page",
                "`items_per_page` is 0".to_string(),
                &block_path.key("items_per_page"),
                Some("use 1 or more, or leave it out to show the block on one page".to_string()),
            ));
        }
        if let Some(id) = &block.id {
            validate::check_identifier(parsed, "block", id, &block_path.key("id"), out);
        }
        if let Some(relation) = &block.relation {
            let resolved =
                validate::relations::relation_block(parsed, block, relation, &block_path, out);
            match resolved {
                Some(form_block) if !validate::relations::roster_unreadable(relation, &rosters) => {
                    places::record_block(&mut places, parsed, &form_block.id, &block_path);
                    origins.push(BlockOrigin {
                        path: block_path.clone(),
                        file: parsed.name.clone(),
                    });
                    blocks.push(form_block);
                }
                _ => complete = false,
            }
            continue;
        }
        match (&block.include, &block.items) {
            (Some(_), Some(_)) => {
                out.push(parsed.error(
                    "block-source",
                    "a block has both `include:` and `items:`".to_string(),
                    &block_path.key("items"),
                    Some("a block either includes a file or lists its own items; split it into two blocks".to_string()),
                ));
                complete = false;
            }
            (None, None) => {
                out.push(
                    parsed.error(
                        "block-source",
                        "a block has neither `include:` nor `items:`".to_string(),
                        &block_path,
                        Some(
                            "add `include: some-instrument.yaml`, list the block's `items:`, or ask a network question with `relation:`"
                                .to_string(),
                        ),
                    ),
                );
                complete = false;
            }
            (Some(include), None) => {
                let target = normalize(&directory.join(include));
                if let Some(position) = walk.stack.iter().position(|p| *p == target) {
                    let chain: Vec<String> = walk.stack[position..]
                        .iter()
                        .chain(std::iter::once(&target))
                        .map(|p| p.display().to_string())
                        .collect();
                    out.push(
                        parsed.error(
                            "circular-include",
                            format!("circular include: {}", chain.join(" -> ")),
                            &block_path.key("include"),
                            Some(
                                "a survey cannot include itself, directly or through other files"
                                    .to_string(),
                            ),
                        ),
                    );
                    complete = false;
                    continue;
                }
                if let Some((code, message, hint)) = walk.refuse(&target, include, path) {
                    out.push(parsed.error(code, message, &block_path.key("include"), Some(hint)));
                    complete = false;
                    continue;
                }
                if let Err(error) = loader.load(&target) {
                    let hint = if error.kind() == std::io::ErrorKind::NotFound {
                        format!(
                            "paths are relative to the survey file, so this looks for `{}`",
                            target.display()
                        )
                    } else {
                        error.to_string()
                    };
                    out.push(parsed.error(
                        "missing-include",
                        format!("the included file `{include}` cannot be read"),
                        &block_path.key("include"),
                        Some(hint),
                    ));
                    complete = false;
                    continue;
                }
                let mut included_out = Vec::new();
                let outcome = load_checked(&target, loader, walk, &mut included_out);
                out.append(&mut included_out);
                match outcome {
                    Some((DocumentKind::Instrument, Some(form))) => {
                        places.0.extend(form.places.0);
                        let mut included = form.blocks.into_iter().next()?;
                        if let Some(id) = &block.id {
                            places::rename_block(&mut places, &included.id, id);
                            included.id = id.clone();
                        }
                        places::record_block(&mut places, parsed, &included.id, &block_path);
                        places::record_checks(
                            &mut places,
                            parsed,
                            &block_path.key("attention_checks"),
                            &block.attention_checks,
                        );
                        included.show_if = block.show_if.clone();
                        included.end_if = block.end_if.clone();
                        for (language, texts) in &block.translations {
                            let entry = included.translations.entry(language.clone()).or_default();
                            if texts.title.is_some() {
                                entry.title = texts.title.clone();
                            }
                            if texts.instructions.is_some() {
                                entry.instructions = texts.instructions.clone();
                            }
                        }
                        if block.title.is_some() {
                            included.title = block.title.clone();
                        }
                        if block.instructions.is_some() {
                            included.instructions = block.instructions.clone();
                        }
                        included.randomize_items = block.randomize_items;
                        included.items_per_page = block.items_per_page;
                        if !block.scores.is_empty() {
                            out.push(parsed.error(
                                "scores-on-include",
                                "a block that includes an instrument cannot add scores".to_string(),
                                &block_path.key("scores"),
                                Some("scores belong in the instrument file; put new items and their scores in a block of their own".to_string()),
                            ));
                        }
                        let group = ItemGroup {
                            attention_checks: &block.attention_checks,
                            block_size: included.items.len(),
                            ..ItemGroup::empty(&block_path, &model.scales, root.key("scales"))
                        };
                        validate::check_group(parsed, &group, out);
                        included
                            .attention_checks
                            .extend(form_checks(&block.attention_checks, &model.scales));
                        origins.push(BlockOrigin {
                            path: block_path.clone(),
                            file: target.display().to_string(),
                        });
                        blocks.push(included);
                    }
                    Some((DocumentKind::Survey, Some(form))) => {
                        let has_options = block.id.is_some()
                            || block.title.is_some()
                            || block.instructions.is_some()
                            || !block.scores.is_empty()
                            || !block.attention_checks.is_empty()
                            || block.randomize_items
                            || block.items_per_page.is_some()
                            || block.show_if.is_some()
                            || block.end_if.is_some();
                        if has_options {
                            out.push(parsed.error(
                                "options-on-survey-include",
                                format!("`{include}` is a survey; a block that includes a survey takes no other keys"),
                                &block_path.key("include"),
                                Some("set block options in the included survey's own blocks".to_string()),
                            ));
                        }
                        places.0.extend(form.places.0);
                        rosters.extend(form.rosters);
                        for sub_block in form.blocks {
                            origins.push(BlockOrigin {
                                path: block_path.clone(),
                                file: sub_block.instrument.as_ref().map_or_else(
                                    || target.display().to_string(),
                                    |i| i.file.clone(),
                                ),
                            });
                            blocks.push(sub_block);
                        }
                    }
                    _ => complete = false,
                }
            }
            (None, Some(items)) => {
                let group = ItemGroup {
                    items,
                    scores: &block.scores,
                    attention_checks: &block.attention_checks,
                    block_size: items.len(),
                    ..ItemGroup::empty(&block_path, &model.scales, root.key("scales"))
                };
                validate::check_group(parsed, &group, out);
                if items.is_empty() {
                    out.push(parsed.error(
                        "no-items",
                        "the block lists no items".to_string(),
                        &block_path.key("items"),
                        Some("list at least one item, or remove the block".to_string()),
                    ));
                }
                origins.push(BlockOrigin {
                    path: block_path.clone(),
                    file: parsed.name.clone(),
                });
                let id = block
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("block_{}", index + 1));
                places::record_items(&mut places, parsed, &block_path.key("items"), items);
                places::record_checks(
                    &mut places,
                    parsed,
                    &block_path.key("attention_checks"),
                    &block.attention_checks,
                );
                places::record_block(&mut places, parsed, &id, &block_path);
                blocks.push(FormBlock {
                    id,
                    title: block.title.clone(),
                    instructions: block.instructions.clone(),
                    instrument: None,
                    items: form_items(items, &model.scales, &[]),
                    scores: block.scores.clone(),
                    attention_checks: form_checks(&block.attention_checks, &model.scales),
                    relation: None,
                    randomize_items: block.randomize_items,
                    items_per_page: block.items_per_page,
                    show_if: block.show_if.clone(),
                    end_if: block.end_if.clone(),
                    translations: block.translations.clone(),
                });
            }
        }
    }
    validate::across::check_across_blocks(parsed, &blocks, &origins, out);
    for name in model.scales.keys() {
        let used = model.blocks.iter().any(|block| {
            block.items.iter().flatten().any(|item| &item.scale == name)
                || block
                    .attention_checks
                    .iter()
                    .any(|check| &check.scale == name)
                || block
                    .relation
                    .iter()
                    .flat_map(|relation| &relation.follow_ups)
                    .any(|follow_up| &follow_up.scale == name)
        });
        if !used {
            out.push(validate::unused_scale(
                parsed,
                &root.key("scales").key(name),
                name,
            ));
        }
    }
    if !complete {
        return None;
    }
    Some(Form {
        kind: DocumentKind::Survey,
        id: model.id.clone(),
        version: model.version.clone(),
        title: model.title.clone(),
        language: model.language.clone().unwrap_or_else(|| "en".to_string()),
        languages: model.languages.clone(),
        translations: model.translations.clone(),
        file: parsed.name.clone(),
        consent: model.consent.clone(),
        closing: model.closing.clone(),
        blocks,
        randomize_blocks: model.randomize_blocks.clone(),
        rosters,
        places,
    })
}

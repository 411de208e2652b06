//! Checking a form's languages: every language it offers is a language code, and every text a
//! participant reads is given in each (a warning names what is missing), so that a participant
//! who chooses German does not meet English halfway through.

use crate::diagnostic::{Diagnostic, Severity};
use crate::form::{DocumentKind, Field, Form, FormItem, Owner, SourcePlace};
use crate::model::ResponseScale;
use crate::validate::is_language_tag;
use std::collections::BTreeMap;

/// How many missing texts a warning names; the rest are counted.
const NAMED: usize = 5;

/// Whether a scale's labels (or unit) are given in `language`.
fn scale_translated(scale: &ResponseScale, language: &str) -> bool {
    match scale {
        ResponseScale::Likert {
            labels,
            translations,
            ..
        } => translations
            .get(language)
            .is_some_and(|t| t.len() == labels.len()),
        ResponseScale::SingleChoice { options } | ResponseScale::MultipleChoice { options } => {
            options
                .iter()
                .all(|o| o.translations.contains_key(language))
        }
        ResponseScale::Numeric {
            unit, translations, ..
        } => unit.is_none() || translations.contains_key(language),
        ResponseScale::Text { .. } => true,
    }
}

/// The texts of one item that `language` lacks, as (what, owner) pairs.
fn missing_of_item(item: &FormItem, language: &str, out: &mut Vec<(String, Owner)>) {
    let id = &item.item.id;
    let owner = || Owner::Entry(id.clone());
    if !item.item.translations.contains_key(language) {
        out.push((format!("the text of `{id}`"), owner()));
    }
    if let Some(end_if) = &item.item.end_if
        && end_if.message.is_some()
        && !end_if.translations.contains_key(language)
    {
        out.push((format!("the screen-out message of `{id}`"), owner()));
    }
    if let Some(constraint) = &item.item.constraint
        && !constraint.translations.contains_key(language)
    {
        out.push((format!("the constraint message of `{id}`"), owner()));
    }
}

/// Every text of the form that `language` lacks, in the form's order; a scale shared by many
/// items is named once.
fn missing_texts(form: &Form, language: &str) -> Vec<(String, Owner)> {
    let mut out = Vec::new();
    let own = form.translations.get(language);
    for (present, what, given) in [
        (
            form.kind == DocumentKind::Survey,
            "the survey's title",
            own.and_then(|t| t.title.as_ref()),
        ),
        (
            form.consent.is_some(),
            "the consent text",
            own.and_then(|t| t.consent.as_ref()),
        ),
        (
            form.closing.is_some(),
            "the closing text",
            own.and_then(|t| t.closing.as_ref()),
        ),
    ] {
        if present && given.is_none() {
            out.push((what.to_string(), Owner::Survey));
        }
    }
    let mut scales_seen: Vec<&ResponseScale> = Vec::new();
    for block in &form.blocks {
        let texts = block.translations.get(language);
        let shown_title = block.title.as_ref().filter(|title| {
            block
                .instrument
                .as_ref()
                .is_none_or(|info| info.title != **title)
        });
        if shown_title.is_some() && texts.and_then(|t| t.title.as_ref()).is_none() {
            out.push((
                format!("the title of block `{}`", block.id),
                Owner::Block(block.id.clone()),
            ));
        }
        if block.instructions.is_some() && texts.and_then(|t| t.instructions.as_ref()).is_none() {
            out.push((
                format!("the instructions of block `{}`", block.id),
                Owner::Block(block.id.clone()),
            ));
        }
        if let Some(end_if) = &block.end_if
            && end_if.message.is_some()
            && !end_if.translations.contains_key(language)
        {
            out.push((
                format!("the screen-out message of block `{}`", block.id),
                Owner::Block(block.id.clone()),
            ));
        }
        // A network question: its text, each follow-up's, and the follow-ups' answer labels.
        if let Some(relation) = &block.relation {
            let owner = || Owner::Block(block.id.clone());
            if !relation.translations.contains_key(language) {
                out.push((
                    format!("the network question of block `{}`", block.id),
                    owner(),
                ));
            }
            for follow_up in &relation.follow_ups {
                if !follow_up.translations.contains_key(language) {
                    out.push((
                        format!("the follow-up `{}` of block `{}`", follow_up.id, block.id),
                        owner(),
                    ));
                }
                if !scale_translated(&follow_up.response, language)
                    && !scales_seen.contains(&&follow_up.response)
                {
                    scales_seen.push(&follow_up.response);
                    out.push((
                        format!("the answer labels of follow-up `{}`", follow_up.id),
                        owner(),
                    ));
                }
            }
        }
        for item in &block.items {
            missing_of_item(item, language, &mut out);
            if !scale_translated(&item.response, language) && !scales_seen.contains(&&item.response)
            {
                scales_seen.push(&item.response);
                out.push((
                    format!("the answer labels of `{}`", item.item.id),
                    Owner::Entry(item.item.id.clone()),
                ));
            }
        }
        for check in &block.attention_checks {
            if !check.check.translations.contains_key(language) {
                out.push((
                    format!("the text of `{}`", check.check.id),
                    Owner::Entry(check.check.id.clone()),
                ));
            }
            if !scale_translated(&check.response, language)
                && !scales_seen.contains(&&check.response)
            {
                scales_seen.push(&check.response);
                out.push((
                    format!("the answer labels of `{}`", check.check.id),
                    Owner::Entry(check.check.id.clone()),
                ));
            }
        }
    }
    out
}

/// Checks the languages a form offers and warns, once per language, about the texts it lacks.
pub fn check_form(form: &Form, out: &mut Vec<Diagnostic>) {
    let place = |owner: &Owner, field: Field| -> SourcePlace {
        form.places
            .0
            .get(&(owner.clone(), field))
            .cloned()
            .unwrap_or_else(|| SourcePlace {
                file: form.file.clone(),
                line: 1,
                column: 1,
                ..SourcePlace::default()
            })
    };
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for language in &form.languages {
        if seen.insert(language, ()).is_some() || *language == form.language {
            continue;
        }
        let survey = place(&Owner::Survey, Field::Consent);
        if !is_language_tag(language) {
            out.push(Diagnostic {
                severity: Severity::Error,
                code: "invalid-language",
                message: format!("`{language}` in `languages` is not a language code"),
                file: survey.file.clone(),
                line: survey.line.max(1),
                column: survey.column.max(1),
                path: "languages".to_string(),
                value: Some(language.clone()),
                hint: Some("use a BCP 47 code such as `de`, `es` or `pt-BR`".to_string()),
            });
            continue;
        }
        let missing = missing_texts(form, language);
        let Some((_, first)) = missing.first() else {
            continue;
        };
        let at = match first {
            Owner::Survey => survey,
            Owner::Block(_) => place(first, Field::Instructions),
            Owner::Entry(_) => place(first, Field::Text),
        };
        let named: Vec<&str> = missing
            .iter()
            .take(NAMED)
            .map(|(w, _)| w.as_str())
            .collect();
        let more = missing.len().saturating_sub(NAMED);
        out.push(Diagnostic {
            severity: Severity::Warning,
            code: "missing-translation",
            message: format!(
                "the survey is offered in `{language}`, but {} text{} {} not given in it: {}{}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                if missing.len() == 1 { "is" } else { "are" },
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
            file: at.file.clone(),
            line: at.line.max(1),
            column: at.column.max(1),
            path: at.path.clone(),
            value: None,
            hint: Some(format!(
                "participants who choose `{language}` read these in `{}`; add them under `translations: {language}:`, or take `{language}` out of `languages`",
                form.language
            )),
        });
    }
}

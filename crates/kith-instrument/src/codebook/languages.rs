//! What the codebook says about languages: each instrument's translations and whether they are
//! validated, and every column's text in each language the form offers.

use super::{Codebook, markdown_cell};
use crate::form::InstrumentInfo;

/// The provenance line on an instrument's translations: `de — not validated: …`.
pub(super) fn translations_line(info: &InstrumentInfo) -> Option<String> {
    (!info.translations.is_empty()).then(|| {
        info.translations
            .iter()
            .map(|(language, t)| {
                let standing = if t.validated {
                    "validated"
                } else {
                    "not validated"
                };
                match &t.note {
                    Some(note) => format!("{language} — {standing}: {}", note.trim()),
                    None => format!("{language} — {standing}"),
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    })
}

/// The Markdown section listing each column's text in every other language offered.
pub(super) fn markdown_section(book: &Codebook) -> String {
    if book.languages.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n## Translations\n\nOffered in {} (the file's own) and {}. kith's export records each \
         session's language in its `language` column.\n\n| Column | {} |\n|---|{}\n",
        book.language,
        book.languages.join(", "),
        book.languages.join(" | "),
        "---|".repeat(book.languages.len())
    );
    for column in book.columns.iter().filter(|c| !c.translations.is_empty()) {
        let cells: Vec<String> = book
            .languages
            .iter()
            .map(|l| {
                column
                    .translations
                    .get(l)
                    .map(|t| markdown_cell(t))
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&format!("| `{}` | {} |\n", column.name, cells.join(" | ")));
    }
    out
}

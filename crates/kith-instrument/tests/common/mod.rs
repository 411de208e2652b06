//! Helpers shared by the library's tests: checking YAML held in memory.

use kith_instrument::survey::{Checked, MemoryLoader, check_file};
use std::path::Path;

/// Checks one in-memory file named `main.yaml`, with optional other files it may include.
pub fn check_text(text: &str, others: &[(&str, &str)]) -> Checked {
    let mut loader = MemoryLoader::default().with("main.yaml", text);
    for (name, other) in others {
        loader = loader.with(name, other);
    }
    check_file(Path::new("main.yaml"), &loader)
}

/// Asserts that `checked` reports exactly the problems `expected` (codes, and words of each
/// message, in order), each with a hint and a place, and has a form exactly when it has no
/// errors.
#[allow(dead_code)]
#[track_caller]
pub fn assert_problems(checked: &Checked, expected: &[(&str, &str)]) {
    let found: Vec<(&str, &str)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(found.len(), expected.len(), "{:#?}", checked.diagnostics);
    for ((code, message), (want_code, want_words)) in found.iter().zip(expected) {
        assert_eq!(code, want_code, "{message}");
        assert!(
            message.contains(want_words),
            "`{want_words}` in `{message}`"
        );
    }
    for d in &checked.diagnostics {
        assert!(d.hint.is_some(), "{d:?} has no hint");
        assert!(d.line > 0, "{d:?} has no place");
    }
    assert_eq!(checked.form.is_some(), !checked.has_errors());
}

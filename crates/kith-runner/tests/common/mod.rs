//! Helpers shared by the runner's test files: a checked form from YAML text, a scratch folder.
#![allow(dead_code)]

use kith_instrument::form::Form;
use kith_instrument::survey::{MemoryLoader, check_file};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The form of a survey or instrument held in memory under the name `name`; the test's own
/// YAML must be valid.
pub fn form_of(name: &str, text: &str) -> Arc<Form> {
    let loader = MemoryLoader::default().with(name, text);
    let checked = check_file(Path::new(name), &loader);
    match checked.form {
        Some(form) => Arc::new(form),
        None => panic!(
            "the test survey `{name}` is invalid: {:?}",
            checked.diagnostics
        ),
    }
}

/// A fresh, empty folder for one test under cargo's temporary folder for tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

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

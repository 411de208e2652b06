//! No code: this crate exists for its `Cargo.toml`, which unifies dependency features between
//! the `kith` binary's build and the test build (see the comment there).

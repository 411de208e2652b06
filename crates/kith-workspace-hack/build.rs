//! An empty build script: cargo resolves `[build-dependencies]` only for a package that has
//! one, and the host-side feature unification needs them resolved.

fn main() {}

//! The rules of ARCHITECTURE.md that a program can check, read from the source tree: file sizes
//! and `//!` lines, import circles between modules, which crate may import what, and the one
//! place that writes hints.

mod common;

use common::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines of code a source file may have (blank lines, comments and tests aside).
const MAX_CODE_LINES: usize = 600;

/// Every Rust source file of the library crates and the binary, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("crates")];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                // Integration tests are tests; only the crates' own sources are held to this.
                if path
                    .file_name()
                    .is_some_and(|n| n != "tests" && n != "target")
                {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// The part of a file before its unit tests.
fn without_tests(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_source_file_says_what_it_is_for_and_stays_small() {
    let mut problems = Vec::new();
    for (path, text) in sources() {
        if !text.starts_with("//!") {
            problems.push(format!("{} does not start with a `//!` line", shown(&path)));
        }
        let code = without_tests(&text)
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .count();
        if code > MAX_CODE_LINES {
            problems.push(format!(
                "{} has {code} lines of code (at most {MAX_CODE_LINES}); split it along its seams",
                shown(&path)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The module a source file is, as a path below its crate's root (`commands::check`).
fn module_name(source_root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(source_root).unwrap_or(path);
    let mut parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["main"] || parts == ["lib"] {
        return "crate".to_string();
    }
    parts.join("::")
}

/// The modules of a crate and the modules each one uses (`crate::a::b`, `super::x`, and the
/// names in `use crate::{a, b}`), resolved to the longest module name they start with.
fn module_graph(source_root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<(String, String)> = sources()
        .into_iter()
        .filter(|(path, _)| path.starts_with(source_root))
        .map(|(path, text)| (module_name(source_root, &path), text))
        .collect();
    let names: BTreeSet<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let resolve = |reference: &str| -> Option<String> {
        let parts: Vec<&str> = reference.split("::").collect();
        (1..=parts.len())
            .rev()
            .map(|k| parts[..k].join("::"))
            .find(|candidate| names.contains(candidate))
    };
    let mut graph = BTreeMap::new();
    for (name, text) in &files {
        let text = without_tests(text);
        let mut references = Vec::new();
        for (prefix, base) in [("crate::", String::new()), ("super::", parent(name))] {
            let mut rest = text;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                    .collect();
                let path = path.trim_end_matches(':');
                if path.is_empty() {
                    // `use crate::{a, b::c}`: every name in the braces.
                    if let Some(group) = rest.strip_prefix('{') {
                        let group = group.split('}').next().unwrap_or("");
                        for item in group.split(',') {
                            references.push(join(&base, item.trim()));
                        }
                    }
                    continue;
                }
                references.push(join(&base, path));
            }
        }
        let uses: BTreeSet<String> = references
            .iter()
            .filter_map(|r| resolve(r))
            .filter(|target| {
                target != name
                    && !name.starts_with(&format!("{target}::"))
                    && !target.starts_with(&format!("{name}::"))
            })
            .collect();
        graph.insert(name.clone(), uses);
    }
    graph
}

fn parent(module: &str) -> String {
    match module.rsplit_once("::") {
        Some((parent, _)) => parent.to_string(),
        None => String::new(),
    }
}

fn join(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_string()
    } else {
        format!("{base}::{path}")
    }
}

/// A circle of modules that use each other, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_of_the_binary_and_of_the_report_use_each_other_in_one_direction() {
    for krate in ["kith-cli", "kith-report"] {
        let graph = module_graph(&root().join("crates").join(krate).join("src"));
        assert!(graph.len() > 3, "{krate}: the source tree was not found");
        if let Some(found) = circle(&graph) {
            panic!(
                "{krate}: the modules {} use each other in a circle",
                found.join(" → ")
            );
        }
    }
}

#[test]
fn no_command_uses_another_command() {
    let graph = module_graph(&root().join("crates/kith-cli/src"));
    let commands: Vec<&String> = graph
        .keys()
        .filter(|name| name.starts_with("commands::"))
        .collect();
    assert!(
        commands.len() >= 10,
        "the commands were not found: {commands:?}"
    );
    for command in commands {
        let others: Vec<&String> = graph[command]
            .iter()
            .filter(|used| used.starts_with("commands::"))
            .collect();
        assert!(others.is_empty(), "{command} uses {others:?}");
    }
}

/// Detects the circle the test above looks for, so that it cannot pass by finding nothing.
#[test]
fn a_circle_of_modules_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(n, uses)| (n.to_string(), uses.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        circle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}

#[test]
fn the_report_reads_only_the_results_contract_of_the_analysis() {
    let allowed = ["kith_analysis::results", "kith_instrument::escape"];
    let mut problems = Vec::new();
    for (path, text) in sources() {
        if !path.starts_with(root().join("crates/kith-report/src")) {
            continue;
        }
        for krate in ["kith_analysis::", "kith_instrument::"] {
            let mut rest = without_tests(&text);
            while let Some(at) = rest.find(krate) {
                let tail = &rest[at..];
                let module: String = tail
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                    .collect();
                let module = module.trim_end_matches(':');
                if !allowed
                    .iter()
                    .any(|a| module == *a || module.starts_with(&format!("{a}::")))
                {
                    problems.push(format!("{} uses `{module}`", shown(&path)));
                }
                rest = &tail[krate.len()..];
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hints_are_written_by_the_binarys_renderer_alone() {
    let renderer = root().join("crates/kith-cli/src/render.rs");
    let mut writers = Vec::new();
    for (path, text) in sources() {
        if path != renderer && without_tests(&text).contains("= hint:") {
            writers.push(shown(&path));
        }
    }
    assert!(writers.is_empty(), "`= hint:` is written in {writers:?}");
    let text = std::fs::read_to_string(&renderer).unwrap_or_default();
    assert!(text.contains("= hint:"), "render.rs writes the hints");
}

//! Helpers shared by the end-to-end tests: building and running the real `kith` binary, and
//! snapshot settings that hide the checkout's path.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (this package lives in `tests/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The `kith` binary, built once per test run so that the tests never run a stale one.
/// `KITH_BINARY` names another build instead (bench/web.sh measures the release build).
pub fn kith_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(binary) = std::env::var_os("KITH_BINARY") {
            return PathBuf::from(binary);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "kith-cli", "--bin", "kith"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building kith failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"));
        target
            .join("debug")
            .join(format!("kith{}", std::env::consts::EXE_SUFFIX))
    })
}

/// What one run of kith printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn kith(args: &[&str], cwd: &Path) -> Run {
    let output = Command::new(kith_binary())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("kith runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Snapshot settings: snapshots beside this file, and the checkout's path replaced.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests").join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(&regex_escape(&root().display().to_string()), "[ROOT]");
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// Fails when kith panicked or printed a backtrace hint.
pub fn assert_no_panic(run: &Run) {
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains("panicked"), "kith panicked:\n{text}");
        assert!(
            !text.contains("RUST_BACKTRACE"),
            "kith printed a backtrace hint:\n{text}"
        );
    }
}

/// The names of the files in a folder (hidden ones included), sorted.
pub fn file_names(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", directory.display()))
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// A fresh, empty folder for one test's files under target/kith-test-output.
pub fn scratch(name: &str) -> PathBuf {
    let directory = root().join("target").join("kith-test-output").join(name);
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("the scratch folder can be created");
    directory
}

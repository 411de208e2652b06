//! The hostile-input corpus: YAML bombs, include tricks, huge counts, wide headers, truncated
//! and changing files. Every case runs the real binary with its address space capped and a
//! time limit, and must be refused with a clear message (exit 1, or 2 for a bad option), never
//! by running out of memory, hanging or panicking.

mod common;

use common::{root, scratch, settings};
use polars::prelude::SerReader;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The address space each case may use. kith's real work on the bundled example stays under a
/// gigabyte; the YAML bomb of the issue reached 20 GB.
const MEMORY_CAP_KB: u64 = 2_000_000;
/// The time each case may take: every refusal here is a matter of milliseconds.
const TIME_LIMIT: Duration = Duration::from_secs(20);

const GJE: &str = "instruments/global-job-embeddedness.yaml";

/// What a capped run printed and how it ended.
#[derive(Debug)]
struct Capped {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

/// Runs kith under `ulimit -v` and a deadline; a run past the deadline is killed and fails the
/// test.
fn capped(args: &[&str], cwd: &Path) -> Capped {
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_CAP_KB} && exec \"$0\" \"$@\""))
        .arg(common::kith_binary())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                std::io::Read::read_to_string(&mut pipe, &mut stderr).expect("stderr");
            }
            return Capped {
                code: status.code(),
                stderr,
                elapsed: start.elapsed(),
            };
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kith {args:?} ran past {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts a refusal: the exit code, a message containing `expected`, a hint, no panic.
fn assert_refused(case: &str, run: &Capped, code: i32, expected: &str) {
    assert_eq!(
        run.code,
        Some(code),
        "{case}: exit {:?} after {:?}\n{}",
        run.code,
        run.elapsed,
        run.stderr
    );
    assert!(
        run.stderr.contains(expected),
        "{case}: expected `{expected}` in\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint:") || code == 2,
        "{case}: no hint in\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("internal error"),
        "{case}: {}",
        run.stderr
    );
}

fn survey_including(id: &str, includes: &[&str]) -> String {
    let blocks: String = includes
        .iter()
        .map(|file| format!("  - include: {file}\n"))
        .collect();
    format!(
        "kind: survey\nid: {id}\nversion: 1.0.0\ntitle: Includes\nconsent: I agree.\nblocks:\n{blocks}"
    )
}

#[test]
fn hostile_yaml_files_are_refused_quickly_in_bounded_memory() {
    let directory = root().join("tests/data/hostile");
    let files: Vec<String> = common::file_names(&directory)
        .into_iter()
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    assert!(files.len() >= 8, "the corpus has {} files", files.len());
    for file in &files {
        let path = format!("tests/data/hostile/{file}");
        let run = if file.ends_with(".model.yaml") {
            let output = scratch("hostile-model").join("out.csv");
            capped(
                &[
                    "simulate",
                    GJE,
                    "--n",
                    "10",
                    "--seed",
                    "1",
                    "--model",
                    &path,
                    "-o",
                    &output.display().to_string(),
                ],
                &root(),
            )
        } else {
            capped(&["check", &path], &root())
        };
        assert_eq!(run.code, Some(1), "{file}:\n{}", run.stderr);
        assert!(
            run.stderr.contains("hint:"),
            "{file}: no hint in\n{}",
            run.stderr
        );
        assert!(
            run.elapsed < Duration::from_secs(5),
            "{file} took {:?}",
            run.elapsed
        );
        assert!(
            !run.stderr.contains("root:x:0:0"),
            "{file}: a system file was quoted back"
        );
        let name = format!("hostile_{}", file.replace('.', "_"));
        settings().bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

#[test]
fn includes_read_only_regular_yaml_files_of_bounded_size() {
    let dir = scratch("hostile-includes");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).expect("a symlink");
    let fifo = Command::new("mkfifo")
        .arg(dir.join("fifo.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    // A file over the size limit: comments, so that only its size is wrong.
    let mut big = std::fs::File::create(dir.join("big.yaml")).expect("big.yaml");
    let line = format!("# {}\n", "x".repeat(1022));
    for _ in 0..(17 * 1024) {
        big.write_all(line.as_bytes()).expect("write");
    }
    drop(big);
    let cases = [
        ("zero.yaml", "not a regular file"),
        ("fifo.yaml", "not a regular file"),
        ("big.yaml", "more than the 16777216"),
        ("/etc/passwd", "is not a YAML file"),
    ];
    for (target, expected) in cases {
        let survey = dir.join(format!("survey-{}.yaml", target.replace('/', "_")));
        std::fs::write(&survey, survey_including("tricks", &[target])).expect("survey");
        let run = capped(&["check", &survey.display().to_string()], &dir);
        assert_refused(target, &run, 1, expected);
        assert!(!run.stderr.contains("root:x:0:0"), "{target}: quoted back");
    }
}

#[test]
fn a_chain_of_double_includes_is_read_once_per_file() {
    // Each of 25 surveys includes the next one twice: 2^25 paths if files were re-read on
    // every path (17 hours in the issue), 25 reads when each file is read once.
    let dir = scratch("hostile-chain");
    let gje = std::fs::read_to_string(root().join(GJE)).expect("the instrument");
    std::fs::write(dir.join("s25.yaml"), gje).expect("s25");
    for k in 1..25 {
        let next = format!("s{}.yaml", k + 1);
        std::fs::write(
            dir.join(format!("s{k}.yaml")),
            survey_including(&format!("s{k}"), &[&next, &next]),
        )
        .expect("survey");
    }
    let run = capped(&["check", "s1.yaml"], &dir);
    assert_refused("chain", &run, 1, "is included a second time");
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}",
        run.elapsed
    );
}

#[test]
fn wide_headers_and_unreadable_data_files_are_refused_in_bounded_memory() {
    let dir = scratch("hostile-data");
    // A 20 MB header of ten million columns.
    let mut wide = std::fs::File::create(dir.join("wide.csv")).expect("wide.csv");
    let chunk = "a,".repeat(1_000_000);
    for _ in 0..10 {
        wide.write_all(chunk.as_bytes()).expect("write");
    }
    wide.write_all(b"a\n1\n").expect("write");
    drop(wide);
    // Two million columns in 4 MB: short enough a line, too many columns.
    let mut many = "a,".repeat(2_000_000);
    many.push_str("a\n1\n");
    std::fs::write(dir.join("many.csv"), many).expect("many.csv");
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.csv")).expect("a symlink");
    let fifo = Command::new("mkfifo")
        .arg(dir.join("fifo.csv"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    let survey = root().join(GJE).display().to_string();
    for (file, expected) in [
        ("wide.csv", "the header line is 20000001 bytes long"),
        ("many.csv", "more than the 20000 kith reads"),
        ("zero.csv", "not a regular file"),
        ("fifo.csv", "not a regular file"),
    ] {
        let run = capped(&["score", &survey, file], &dir);
        assert_refused(file, &run, 1, expected);
    }
}

#[test]
fn huge_counts_on_the_command_line_are_usage_errors() {
    let dir = scratch("hostile-counts");
    let survey = root().join(GJE).display().to_string();
    let run = capped(
        &[
            "simulate",
            &survey,
            "--n",
            "1000000000000",
            "--seed",
            "1",
            "-o",
            "out.csv",
        ],
        &dir,
    );
    assert_refused("simulate --n", &run, 2, "1000000000000");
    let run = capped(
        &[
            "links",
            "create",
            "--store",
            "s.sqlite",
            "--survey",
            "x",
            "--n",
            "1000000000000",
        ],
        &dir,
    );
    assert_refused("links create --n", &run, 2, "1000000000000");
    assert!(
        !dir.join("s.sqlite").exists(),
        "no store for a refused count"
    );
}

#[test]
fn a_truncated_parquet_file_is_refused() {
    let dir = scratch("hostile-parquet");
    let csv = root().join("tests/data/responses/constant-item.csv");
    let mut frame = polars::prelude::CsvReadOptions::default()
        .try_into_reader_with_file_path(Some(csv))
        .expect("a reader")
        .finish()
        .expect("the CSV");
    let mut bytes = Vec::new();
    polars::prelude::ParquetWriter::new(&mut bytes)
        .finish(&mut frame)
        .expect("Parquet");
    std::fs::write(dir.join("cut.parquet"), &bytes[..bytes.len() / 2]).expect("write");
    let survey = root().join(GJE).display().to_string();
    let run = capped(&["score", &survey, "cut.parquet"], &dir);
    assert_refused("cut.parquet", &run, 1, "incomplete");
}

/// Writes `value` as a little-endian i32 at `at`.
fn put_i32(bytes: &mut [u8], at: usize, value: i32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

#[test]
fn lying_spss_and_stata_files_are_refused_in_bounded_memory() {
    let dir = scratch("hostile-labelled");
    let fixtures = root().join("tests/data/labelled");
    let survey = root().join("instruments/bfi.yaml").display().to_string();
    // A .zsav whose first block claims to inflate to 2 GiB, and whose block size says so too.
    let mut zsav = std::fs::read(fixtures.join("bfi-haven.zsav")).expect("fixture");
    // The block table ends the file: 24 bytes, then 24 a block, the count at byte 20.
    let table = (1..1000)
        .map(|blocks| zsav.len() - 24 - 24 * blocks)
        .find(|at| {
            let count = i32::from_le_bytes(zsav[at + 20..at + 24].try_into().expect("4 bytes"));
            24 + 24 * count as usize == zsav.len() - at
        })
        .expect("the block table");
    put_i32(&mut zsav, table + 16, i32::MAX);
    put_i32(&mut zsav, table + 24 + 16, i32::MAX);
    std::fs::write(dir.join("lying.zsav"), &zsav).expect("write");
    let run = capped(&["score", &survey, "lying.zsav"], &dir);
    assert_refused("lying.zsav", &run, 1, "zlib block size");
    // A Stata file whose observation count claims 2^63 rows.
    let mut dta = std::fs::read(fixtures.join("bfi-haven-118.dta")).expect("fixture");
    let n = dta.windows(3).position(|w| w == b"<N>").expect("<N>") + 3;
    dta[n..n + 8].copy_from_slice(&(1u64 << 63).to_le_bytes());
    std::fs::write(dir.join("lying.dta"), &dta).expect("write");
    let run = capped(&["score", &survey, "lying.dta"], &dir);
    assert_refused("lying.dta", &run, 1, "more than the file holds");
    // A file named .sav that is not one.
    std::fs::write(dir.join("text.sav"), "id,A1\n1,2\n").expect("write");
    let run = capped(&["score", &survey, "text.sav"], &dir);
    assert_refused(
        "text.sav",
        &run,
        1,
        "neither an SPSS system file nor a Stata",
    );
}

#[test]
fn a_data_file_that_changes_while_it_is_read_is_refused() {
    // Another program appends to the file for as long as kith runs: kith must refuse it, not
    // score the part it happened to read.
    let dir = scratch("hostile-growing");
    let path = dir.join("growing.csv");
    let mut text = String::from("respondent_id,gje_1,gje_2,gje_3,gje_4,gje_5,gje_6,gje_7\n");
    for row in 0..400_000 {
        text.push_str(&format!("P{row},4,4,3,5,2,2,4\n"));
    }
    std::fs::write(&path, text).expect("write");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .expect("open for appending");
            let mut row = 400_000u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                file.write_all(format!("P{row},4,4,3,5,2,2,4\n").as_bytes())
                    .expect("append");
                row += 1;
                std::thread::sleep(Duration::from_micros(200));
            }
        })
    };
    let survey = root().join(GJE).display().to_string();
    let run = capped(&["score", &survey, "growing.csv"], &dir);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().expect("the writer");
    assert_refused("growing.csv", &run, 1, "changed while it was read");
}

/// A survey whose second block's `show_if` (or its item's text) is `condition` (`text`).
fn survey_with_logic(condition: &str, text: &str) -> String {
    format!(
        "kind: survey\nid: hostile-logic\nversion: 1.0.0\ntitle: Logic\nconsent: I agree.\n\
         scales:\n  count: {{type: numeric, min: 0, max: 50, integer: true}}\n\
         blocks:\n  - id: first\n    items:\n      - {{id: offers, text: How many?, scale: count}}\n\
         \x20 - id: second\n    show_if: '{condition}'\n    items:\n      - id: more\n        scale: count\n        text: '{text}'\n"
    )
}

#[test]
fn hostile_conditions_and_piped_texts_are_refused_or_defined_never_a_hang() {
    let directory = scratch("hostile-logic");
    let nested = format!("{}offers > 0{}", "(".repeat(40), ")".repeat(40));
    let long = "offers > 0 or ".repeat(75_000) + "offers > 0";
    let placeholders = "{offers}".repeat(120_000);
    let refused: [(&str, String, String, &str); 5] = [
        (
            "deep nesting",
            nested,
            "Tell us.".into(),
            "nested more than 32 levels deep",
        ),
        (
            "a 1 MB condition",
            long,
            "Tell us.".into(),
            "more than the 2000 kith reads",
        ),
        (
            "a huge number",
            "offers > 1e300".into(),
            "Tell us.".into(),
            "1e15",
        ),
        (
            "a huge integer",
            "offers > 99999999999999999999999".into(),
            "Tell us.".into(),
            "1e15",
        ),
        (
            "a 1 MB text of placeholders",
            "offers > 0".into(),
            placeholders,
            "placeholders",
        ),
    ];
    for (case, condition, text, expected) in &refused {
        let file = directory.join("refused.survey.yaml");
        std::fs::write(&file, survey_with_logic(condition, text)).expect("written");
        let run = capped(&["check", &file.display().to_string()], &root());
        assert_refused(case, &run, 1, expected);
        assert!(
            run.elapsed < Duration::from_secs(5),
            "{case}: {:?}",
            run.elapsed
        );
    }
    // Division by zero and products beyond f64 have a defined value (missing, so the condition
    // is false): the survey is valid.
    let big = "1000000000000000";
    let product = format!("offers * {big} * {big} * {big} * {big} * {big} * {big} > 1");
    for condition in ["offers / 0 > 1", product.as_str()] {
        let file = directory.join("defined.survey.yaml");
        std::fs::write(&file, survey_with_logic(condition, "Tell us.")).expect("written");
        let run = capped(&["check", &file.display().to_string()], &root());
        assert_eq!(run.code, Some(0), "{condition}:\n{}", run.stderr);
    }
}

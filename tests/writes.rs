//! Every file kith writes is written whole or not at all: a killed run or a full disk leaves
//! the previous file as it was and no temporary file behind.

mod common;

use common::{kith, kith_binary, root, scratch};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const GJE: &str = "instruments/global-job-embeddedness.yaml";
const OLD: &str = "the previous, good file\n";

/// bfi's 2,800 rows repeated into a file big enough that writing its scores takes a while.
fn big_bfi(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(root().join("tests/data/bfi.csv")).expect("bfi.csv");
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let rows: Vec<&str> = lines.collect();
    let id_at = header
        .split(',')
        .position(|c| c.trim_matches('"') == "respondent_id" || c.trim_matches('"') == "id")
        .unwrap_or(0);
    let mut out = String::from(header);
    out.push('\n');
    for copy in 0..40 {
        for row in &rows {
            let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
            cells[id_at] = format!("{}-{copy}", cells[id_at].trim_matches('"'));
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    let path = dir.join("big.csv");
    std::fs::write(&path, out).expect("big.csv");
    path
}

#[test]
fn a_killed_score_leaves_the_previous_file_and_no_temporary_file() {
    let dir = scratch("writes-killed");
    let input = big_bfi(&dir);
    let bfi = root().join("instruments/bfi.yaml");
    let complete = kith(
        &[
            "score",
            &bfi.display().to_string(),
            &input.display().to_string(),
        ],
        &dir,
    );
    assert_eq!(complete.code, 0, "{}", complete.stderr);
    let out = dir.join("out.csv");
    let mut seen_old = 0;
    let mut seen_new = 0;
    for attempt in 0..12u64 {
        std::fs::write(&out, OLD).expect("the previous file");
        let mut child = Command::new(kith_binary())
            .args([
                "score",
                &bfi.display().to_string(),
                "big.csv",
                "-o",
                "out.csv",
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("kith runs");
        // Kill at a time that moves with the attempt, or at once when the output changes: a
        // writer that truncates the destination first is caught in the act.
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_millis(40 * attempt) {
            let changed = std::fs::metadata(&out).map_or(true, |m| m.len() != OLD.len() as u64);
            if changed || child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&out).expect("out.csv is there");
        if text == OLD {
            seen_old += 1;
        } else {
            assert_eq!(text, complete.stdout, "attempt {attempt}: a partial file");
            seen_new += 1;
        }
        assert_eq!(
            common::file_names(&dir),
            ["big.csv", "out.csv"],
            "attempt {attempt}"
        );
    }
    assert!(
        seen_old > 0,
        "no kill landed before the rename ({seen_new} complete)"
    );
}

/// Runs a script in a private mount namespace with `full/` a nearly full 256 KB file system
/// holding `full/out` (the previous file); returns the exit code of the command, the previous
/// file's text afterwards and the names in `full/`.
fn on_a_full_disk(dir: &Path, command: &str, output: &str) -> (i32, String, String) {
    let script = format!(
        "mkdir -p full && mount -t tmpfs -o size=256k tmpfs full && printf '{}' > full/{output} \
         && (dd if=/dev/zero of=full/filler bs=4k 2>/dev/null; true); \
         {command} >/dev/null 2>err.txt; echo $? > code.txt; cat full/{output} > after.txt; ls -a full > names.txt",
        OLD.trim_end().to_string() + "\\n"
    );
    let status = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .current_dir(dir)
        .status()
        .expect("unshare runs");
    assert!(status.success(), "the namespace script failed");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect(name);
    let code: i32 = read("code.txt").trim().parse().expect("an exit code");
    (
        code,
        read("after.txt"),
        read("names.txt") + &read("err.txt"),
    )
}

#[test]
fn a_full_disk_leaves_every_previous_output_as_it_was() {
    let dir = scratch("writes-full");
    let kith = kith_binary().display().to_string();
    let root_text = root().display().to_string();
    let big = big_bfi(&dir).display().to_string();
    let results = dir.join("results");
    let analyzed = common::kith(
        &[
            "analyze",
            &format!("{root_text}/analysis/networking-careers.yaml"),
            "-o",
            &results.display().to_string(),
        ],
        &dir,
    );
    assert_eq!(analyzed.code, 0, "{}", analyzed.stderr);
    let cases = [
        (
            "score",
            format!("{kith} score {root_text}/instruments/bfi.yaml {big} -o full/out.csv"),
            "out.csv",
        ),
        (
            "codebook",
            format!(
                "{kith} codebook {root_text}/instruments/bfi.yaml --format html -o full/book.html"
            ),
            "book.html",
        ),
        (
            "schema",
            format!("{kith} schema -o full/schema.json"),
            "schema.json",
        ),
        (
            "simulate",
            format!("{kith} simulate {root_text}/{GJE} --n 20000 --seed 1 -o full/sim.csv"),
            "sim.csv",
        ),
        (
            "chart",
            format!(
                "{kith} chart likert --results {} --dpi 300 -o full/chart.png",
                results.join("results.json").display()
            ),
            "chart.png",
        ),
        (
            "analyze",
            format!("{kith} analyze {root_text}/analysis/networking-careers.yaml -o full"),
            "report.md",
        ),
    ];
    for (case, command, output) in cases {
        let (code, after, names) = on_a_full_disk(&dir, &command, output);
        assert_eq!(code, 1, "{case}: {names}");
        assert_eq!(after, OLD, "{case}: the previous file changed");
        let stray: Vec<&str> = names
            .lines()
            .take_while(|l| !l.starts_with("error"))
            .filter(|n| n.starts_with(".") && *n != "." && *n != "..")
            .collect();
        assert!(stray.is_empty(), "{case}: left behind {stray:?}");
        assert!(names.contains("hint:"), "{case}: {names}");
    }
}

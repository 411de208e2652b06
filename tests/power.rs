//! `kith power` end to end: the files it writes and the table it prints, the bundled plan's
//! mediation, Ctrl-C keeping what was done, `kith check PLAN --model`, and every bad argument
//! refused with its hint and the right exit code.

mod common;

use common::{assert_no_panic, kith, root, scratch, settings};
use kith_analysis::results::power::PowerResults;
use std::process::{Command, Stdio};

fn read_results(directory: &std::path::Path) -> PowerResults {
    let text = std::fs::read_to_string(directory.join("power.json")).expect("power.json");
    serde_json::from_str(&text).expect("power.json is a power analysis")
}

#[test]
fn kith_power_writes_the_report_the_curves_and_the_table() {
    let out = scratch("power-regression");
    let run = kith(
        &[
            "power",
            "tests/data/power/regression.plan.yaml",
            "--model",
            "tests/data/power/regression.model.yaml",
            "--n",
            "60,120,200",
            "--replications",
            "200",
            "--target",
            "0.8",
            "--seed",
            "5",
            "-o",
            out.to_str().expect("path"),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    settings().bind(|| insta::assert_snapshot!("power_regression_table", run.stdout));
    let results = read_results(&out);
    assert_eq!(results.sizes, [60, 120, 200]);
    assert_eq!(results.replications, 200);
    assert!(!results.stopped);
    let x1 = results
        .effects
        .iter()
        .find(|e| e.key == "models[0]: x1")
        .expect("x1's coefficient");
    assert!(
        x1.points
            .iter()
            .all(|p| p.replications == 200 && p.computed == 200)
    );
    let target = x1.target.as_ref().expect("a target");
    assert!(
        target.n.is_some_and(|n| (100..=200).contains(&n)),
        "{target:?}"
    );
    let markdown = std::fs::read_to_string(out.join("power.md")).expect("power.md");
    assert!(
        markdown.contains("To detect the coefficient of x1 on y with 80% power, about"),
        "{markdown}"
    );
    assert!(
        markdown.contains("![Power of models[0]](charts/power-2.png)"),
        "{markdown}"
    );
    let html = std::fs::read_to_string(out.join("power.html")).expect("power.html");
    assert_eq!(html.matches("<svg").count(), 2, "one chart per analysis");
    for file in ["power-1.svg", "power-1.png", "power-2.svg", "power-2.png"] {
        assert!(out.join("charts").join(file).is_file(), "{file}");
    }
    // The undefined effect of x2 is named before the run.
    assert!(
        run.stderr.contains("warning[power-effect-undefined]"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_bundled_plans_indirect_effects_get_a_sample_size() {
    let out = scratch("power-bundled");
    let run = kith(
        &[
            "power",
            "analysis/networking-careers.yaml",
            "--n",
            "60,120",
            "--replications",
            "30",
            "--only",
            "mediation[0]",
            "--target",
            "0.8",
            "-o",
            out.to_str().expect("path"),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let results = read_results(&out);
    let keys: Vec<&str> = results.effects.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["mediation[0]: indirect through embeddedness"]);
    assert_eq!(results.draws, Some(20_000));
    let markdown = std::fs::read_to_string(out.join("power.md")).expect("power.md");
    assert!(
        markdown.contains(
            "To detect the indirect effect of internal networking through global job embeddedness on turnover intentions with 80% power, about"
        ),
        "{markdown}"
    );
    // The measurement model is left out, and the note says how to include it.
    assert!(run.stderr.contains("add --measurement"), "{}", run.stderr);
}

#[test]
fn effect_sizes_on_the_command_line_change_the_model() {
    let out = scratch("power-effect");
    let run = kith(
        &[
            "power",
            "tests/data/power/regression.plan.yaml",
            "--model",
            "tests/data/power/regression.model.yaml",
            "--effect",
            "y ~ x2 = 0.4",
            "--n",
            "100",
            "--replications",
            "100",
            "-o",
            out.to_str().expect("path"),
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // x2 now has a path to y: no warning, and its coefficient is found nearly always.
    assert!(
        !run.stderr.contains("power-effect-undefined"),
        "{}",
        run.stderr
    );
    let results = read_results(&out);
    assert_eq!(
        results.model,
        "tests/data/power/regression.model.yaml, with y ~ x2 = 0.4"
    );
    let x2 = results
        .effects
        .iter()
        .find(|e| e.key == "models[0]: x2")
        .expect("x2");
    assert!(x2.points[0].power.expect("power") > 0.9, "{:?}", x2.points);
    for (name, effect) in [
        ("power_error_effect_syntax", "y = 0.4"),
        ("power_error_effect_unknown", "y ~ x3 = 0.4"),
        ("power_error_effect_correlation", "x1 ~~ x2 = 1.5"),
    ] {
        let run = kith(
            &[
                "power",
                "tests/data/power/regression.plan.yaml",
                "--model",
                "tests/data/power/regression.model.yaml",
                "--effect",
                effect,
                "--n",
                "100",
                "-o",
                out.to_str().expect("path"),
            ],
            &root(),
        );
        assert_no_panic(&run);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        settings().bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

#[test]
fn ctrl_c_stops_the_run_and_keeps_what_was_done() {
    let out = scratch("power-interrupted");
    let child = Command::new(common::kith_binary())
        .args([
            "power",
            "tests/data/power/mediation.plan.yaml",
            "--model",
            "tests/data/power/mediation.model.yaml",
            "--n",
            "100",
            "--replications",
            "100000",
            "-o",
            out.to_str().expect("path"),
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kith starts");
    std::thread::sleep(std::time::Duration::from_secs(3));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = child.wait_with_output().expect("kith ends");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopped: "), "{stderr}");
    let results = read_results(&out);
    assert!(results.stopped);
    let done = results.effects[0].points[0].replications;
    assert!(done > 0 && done < 100_000, "{done}");
    assert_eq!(results.effects[0].points[0].computed, done);
}

#[test]
fn kith_check_with_a_model_checks_the_plan_on_simulated_data() {
    let run = kith(
        &[
            "check",
            "tests/data/power/regression.plan.yaml",
            "--model",
            "tests/data/power/regression.model.yaml",
        ],
        &root(),
    );
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    settings().bind(|| {
        insta::assert_snapshot!(
            "power_check_with_model",
            format!("{}\n--- stderr\n{}", run.stdout, run.stderr)
        )
    });
}

#[test]
fn bad_power_arguments_are_refused_with_a_hint() {
    let plan = "tests/data/power/regression.plan.yaml";
    let model = "tests/data/power/regression.model.yaml";
    let cases: [(&str, Vec<&str>, i32); 7] = [
        ("power_error_small_n", vec!["--n", "5"], 2),
        ("power_error_n_not_a_number", vec!["--n", "100,many"], 2),
        (
            "power_error_target",
            vec!["--n", "100", "--target", "1.5"],
            1,
        ),
        (
            "power_error_unknown_analysis",
            vec!["--n", "100", "--only", "models[4]"],
            1,
        ),
        (
            "power_error_missing_model",
            vec![
                "--n",
                "100",
                "--model",
                "tests/data/power/no-such-model.yaml",
            ],
            1,
        ),
        ("power_error_no_sizes", vec!["--replications", "10"], 2),
        (
            "power_error_circular_model",
            vec![
                "--n",
                "100",
                "--model",
                "tests/data/power/circular.model.yaml",
            ],
            1,
        ),
    ];
    for (name, extra, code) in cases {
        let mut args = vec!["power", plan];
        if !extra.contains(&"--model") {
            args.extend(["--model", model]);
        }
        args.extend(extra);
        args.extend(["-o", "target/kith-test-output/power-refused"]);
        let run = kith(&args, &root());
        assert_no_panic(&run);
        assert_eq!(run.code, code, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: nothing on stdout");
        settings().bind(|| insta::assert_snapshot!(name, run.stderr));
    }
}

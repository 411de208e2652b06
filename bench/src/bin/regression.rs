//! Writes the analysis benchmark's data: N rows of ten standard-normal predictors and an
//! outcome y = Σ bⱼ xⱼ + ε (for OLS), or N rows of x, m, y for a simple mediation, as CSV,
//! with the plan that analyses them.
//!
//! Usage: kith-bench-regression ols|mediation ROWS OUT_DIR

// A benchmark tool, like the kith binary, talks to its user on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use kith_bench::normal;
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::io::Write;

fn main() -> std::io::Result<()> {
    let arguments: Vec<String> = std::env::args().collect();
    let (Some(kind), Some(rows), Some(directory)) = (
        arguments.get(1),
        arguments.get(2).and_then(|r| r.parse::<usize>().ok()),
        arguments.get(3),
    ) else {
        eprintln!("usage: kith-bench-regression ols|mediation ROWS OUT_DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(directory)?;
    let mut rng = StdRng::seed_from_u64(2016);
    let path = format!("{directory}/{kind}.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    match kind.as_str() {
        "ols" => {
            let names: Vec<String> = (1..=10).map(|j| format!("x{j}")).collect();
            writeln!(out, "{},y", names.join(","))?;
            for _ in 0..rows {
                let x: Vec<f64> = (0..10).map(|_| normal(&mut rng)).collect();
                let y: f64 = x
                    .iter()
                    .enumerate()
                    .map(|(j, v)| 0.1 * j as f64 * v)
                    .sum::<f64>()
                    + normal(&mut rng);
                let cells: Vec<String> = x.iter().map(|v| format!("{v:.5}")).collect();
                writeln!(out, "{},{y:.5}", cells.join(","))?;
            }
            std::fs::write(
                format!("{directory}/ols.yaml"),
                format!(
                    "kind: plan\ndata: ols.csv\nmodels:\n  - {{outcome: y, predictors: [{}]}}\n",
                    names.join(", ")
                ),
            )?;
        }
        "mediation" => {
            writeln!(out, "x,m,y")?;
            for _ in 0..rows {
                let x = normal(&mut rng);
                let m = 0.4 * x + normal(&mut rng);
                let y = 0.3 * m + 0.1 * x + normal(&mut rng);
                writeln!(out, "{x:.6},{m:.6},{y:.6}")?;
            }
            std::fs::write(
                format!("{directory}/mediation.yaml"),
                "kind: plan\ndata: mediation.csv\nmediation:\n  - {x: x, m: m, y: y, bootstrap: 10000, seed: 1}\n",
            )?;
        }
        other => {
            eprintln!("unknown kind `{other}`: use ols or mediation");
            std::process::exit(2);
        }
    }
    out.flush()?;
    println!("wrote {path}");
    Ok(())
}

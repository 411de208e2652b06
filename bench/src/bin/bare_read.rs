//! The floor: polars reading the benchmark CSV into a data frame and nothing else.
//!
//! Usage: kith-bench-bare-read FILE.csv [--typed]
//!
//! Without `--typed`: what a polars user writes (read from the path, types inferred).
//! With `--typed`: what kith's reader does before validating (the file's bytes in memory, 16-bit
//! item codes, a text id).

// A benchmark tool, like the kith binary, talks to its user on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: kith-bench-bare-read FILE.csv [--typed]");
        std::process::exit(2);
    };
    if std::env::args().nth(2).as_deref() != Some("--typed") {
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(path.into()))?
            .finish()?;
        println!("{} rows × {} columns", frame.height(), frame.width());
        return Ok(());
    }
    let bytes = std::fs::read(&path)?;
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let schema: Schema = String::from_utf8_lossy(header)
        .trim_end()
        .split(',')
        .map(|name| {
            let dtype = if name == "respondent_id" {
                DataType::String
            } else {
                DataType::Int16
            };
            Field::new(name.into(), dtype)
        })
        .collect();
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes.as_slice()))
        .finish()?;
    println!("{} rows × {} columns", frame.height(), frame.width());
    Ok(())
}

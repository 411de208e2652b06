//! `kith export --screen SURVEY`: the careless-responding indices of every exported session,
//! added to the wide table as columns. The export is read back exactly as `kith screen`
//! reads a kith export, so that both give the same numbers.

use crate::input::form_for;
use crate::render::{self, Reader, fail};
use anyhow::Result;
use kith_analysis::output::screening_columns;
use kith_analysis::read::{FileFormat, ReadOptions};
use kith_analysis::screening::report::{Screening, screen};
use kith_analysis::study::{Notice, read_with_notices};
use kith_instrument::fingerprint::fingerprint;
use kith_runner::export::{Cell, ColumnType, Table};
use polars::prelude::*;
use std::io::Write;
use std::path::Path;

const CONSEQUENCE: &str = "nothing was exported";

/// Adds the indices of `kith screen` to `table`; `false` when the survey or the export read
/// back had problems (already printed).
pub fn add_screening(table: &mut Table, survey: &Path, include_partial: bool) -> Result<bool> {
    let Some(form) = form_for(survey, CONSEQUENCE)? else {
        return Ok(false);
    };
    // The indices are defined over the items the sessions answered: a survey file that is
    // not the one they answered would screen other items, or none.
    let print = fingerprint(&form);
    let column = table
        .columns
        .iter()
        .position(|(name, _)| name == "fingerprint");
    let answered =
        |row: &Vec<Cell>| column.is_some_and(|c| matches!(&row[c], Cell::Text(t) if *t == print));
    if !table.rows.is_empty() && !table.rows.iter().any(answered) {
        return Err(fail(
            format!(
                "no exported session answered `{}` as it is now (fingerprint {print})",
                survey.display()
            ),
            "give --screen the survey file the sessions answered; `kith export` without --screen shows their fingerprints",
        ));
    }
    // An export with no sessions yet still gets the indices' columns, empty, so that a
    // script reading it finds the same header before the first session as after it.
    let screening = if table.rows.is_empty() {
        Screening {
            source: "the export".to_string(),
            respondents: 0,
            items: Vec::new(),
            mahalanobis_cutoff: f64::NAN,
            synonym_pairs: Vec::new(),
            antonym_pairs: Vec::new(),
            rules: Vec::new(),
            flagged_by_any: 0,
            skipped: Vec::new(),
            rows: Vec::new(),
        }
    } else {
        match screen_export(table, &form, include_partial)? {
            Some(screening) => screening,
            None => return Ok(false),
        }
    };
    append_columns(table, &screening)?;
    Ok(true)
}

/// Reads the export back as `kith screen` reads a kith export and screens it; `None` when
/// the reader found problems (already printed).
fn screen_export(
    table: &Table,
    form: &kith_instrument::form::Form,
    include_partial: bool,
) -> Result<Option<Screening>> {
    let mut csv = Vec::new();
    table.write_csv(&mut csv)?;
    let mut options = ReadOptions::new(FileFormat::Csv);
    options.include_partial = include_partial;
    let read = read_with_notices("the export", csv, form, &options);
    let reader = Reader::Command {
        consequence: CONSEQUENCE,
    };
    let loader = crate::files::FsLoader::default();
    let responses = match read.table {
        Ok(responses) => responses,
        Err(errors) => {
            write!(
                std::io::stderr().lock(),
                "{}",
                render::notices(&[Notice::ResponseProblems(errors)], &loader, reader)
            )?;
            return Ok(None);
        }
    };
    Ok(Some(screen(&responses, form, &Default::default())))
}

/// Appends the screening's columns to the table, each respondent's values in its own row.
fn append_columns(table: &mut Table, screening: &Screening) -> Result<()> {
    // The export's own columns (`attention_failed`, `duration_s`) are not added twice.
    let existing = DataFrame::new(
        0,
        table
            .columns
            .iter()
            .map(|(name, _)| Column::new(name.as_str().into(), Vec::<i32>::new()))
            .collect(),
    )?;
    let columns = screening_columns(screening, &existing);
    // Each screened respondent's row of the table: the reader numbers data rows from 1 and
    // may leave some out (a session without answers), whose cells stay empty.
    let rows: Vec<usize> = screening.rows.iter().map(|r| r.row - 1).collect();
    for column in &columns {
        let kind = match column.dtype() {
            DataType::Float64 => ColumnType::Float,
            _ => ColumnType::Text,
        };
        let mut cells = vec![Cell::Empty; table.rows.len()];
        for (position, value) in rows.iter().zip(column.as_materialized_series().iter()) {
            if let Some(cell) = cells.get_mut(*position) {
                *cell = match value {
                    AnyValue::Float64(v) => Cell::Float(v),
                    AnyValue::Boolean(v) => Cell::Text(v.to_string()),
                    AnyValue::String(v) => Cell::Text(v.to_string()),
                    AnyValue::StringOwned(v) => Cell::Text(v.to_string()),
                    _ => Cell::Empty,
                };
            }
        }
        table.columns.push((column.name().to_string(), kind));
        for (row, cell) in table.rows.iter_mut().zip(cells) {
            row.push(cell);
        }
    }
    Ok(())
}

//! Writing Stata `.dta` format 118 (Stata 14 and later, UTF-8): integer codes in the smallest
//! integer type that holds them, other numbers as doubles, text as `str#` or, beyond 2,045
//! bytes, as strL; value labels as label sets named after their variables; user-missing
//! codes as the extended missing values `.a`, `.b`, … labelled with the code they stood for.

use super::read::Storage;
use crate::dataset::{Column, Dataset, Values};
use crate::error::LabelledError;

const NAME_WIDTH: usize = 129;
const FORMAT_WIDTH: usize = 57;
const LABEL_WIDTH: usize = 321;

/// Stata's names: a letter or underscore, then letters, digits and underscores, at most 32.
fn check_name(source: &str, name: &str) -> Result<(), LabelledError> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || name.len() > 32 || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(LabelledError::variable(
            source,
            name,
            None,
            "Stata names are 1 to 32 letters, digits and underscores, starting with a letter or underscore",
            "rename the column (in the instrument, or with --map when scoring), or write SPSS or CSV",
        ));
    }
    Ok(())
}

/// A fixed-width field: the text's bytes, cut at a character boundary, then NULs.
fn field(out: &mut Vec<u8>, text: &str, width: usize) {
    let mut end = text.len().min(width - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&text.as_bytes()[..end]);
    out.resize(out.len() + width - end, 0);
}

/// How a column is stored, and the extended missing value of each user-missing code.
struct Plan {
    storage: Storage,
    /// Discrete user-missing codes, in the order of `.a`, `.b`, …; a range is `.z`.
    missing: Vec<f64>,
}

fn plan(column: &Column) -> Plan {
    match &column.values {
        Values::Text(texts) => {
            let widest = texts.iter().flatten().map(String::len).max().unwrap_or(0);
            let storage = if widest > 2045 {
                Storage::StrL
            } else {
                Storage::Str(widest.max(1) as u16)
            };
            Plan {
                storage,
                missing: Vec::new(),
            }
        }
        values @ (Values::Numbers(_) | Values::Codes(_)) => {
            let missing = &column.meta.missing;
            let mut codes = missing.values.clone();
            codes.truncate(25);
            let (mut low, mut high, mut whole) = (0f64, 0f64, true);
            for row in 0..values.len() {
                let value = values.number(row);
                if value.is_nan() || missing.contains(value) {
                    continue;
                }
                low = low.min(value);
                high = high.max(value);
                whole &= value.fract() == 0.0;
            }
            let storage = if !whole {
                Storage::Double
            } else if low >= -127.0 && high <= 100.0 {
                Storage::Byte
            } else if low >= -32_767.0 && high <= 32_740.0 {
                Storage::Int
            } else if low >= -2_147_483_647.0 && high <= 2_147_483_620.0 {
                Storage::Long
            } else {
                Storage::Double
            };
            Plan {
                storage,
                missing: codes,
            }
        }
    }
}

/// The extended missing value a user-missing number becomes: 1 for `.a`, …, 26 for `.z`.
fn extended(plan: &Plan, column: &Column, value: f64) -> Option<u8> {
    if let Some(index) = plan.missing.iter().position(|code| *code == value) {
        return Some(index as u8 + 1);
    }
    column
        .meta
        .missing
        .range
        .filter(|(lo, hi)| value >= *lo && value <= *hi)
        .map(|_| 26)
}

fn numeric_cell(out: &mut Vec<u8>, storage: Storage, value: f64, missing: Option<u8>) {
    match (storage, missing) {
        (Storage::Byte, None) if !value.is_nan() => out.push(value as i8 as u8),
        (Storage::Byte, kind) => out.push(101 + kind.unwrap_or(0)),
        (Storage::Int, None) if !value.is_nan() => {
            out.extend_from_slice(&(value as i16).to_le_bytes())
        }
        (Storage::Int, kind) => {
            out.extend_from_slice(&(32_741 + kind.unwrap_or(0) as i16).to_le_bytes())
        }
        (Storage::Long, None) if !value.is_nan() => {
            out.extend_from_slice(&(value as i32).to_le_bytes())
        }
        (Storage::Long, kind) => {
            out.extend_from_slice(&(2_147_483_621 + kind.unwrap_or(0) as i32).to_le_bytes())
        }
        (_, None) if !value.is_nan() => out.extend_from_slice(&value.to_le_bytes()),
        (_, kind) => {
            let bits = 0x7fe0_0000_0000_0000u64 + ((kind.unwrap_or(0) as u64) << 40);
            out.extend_from_slice(&bits.to_le_bytes());
        }
    }
}

fn type_code(storage: Storage) -> u16 {
    match storage {
        Storage::Str(width) => width,
        Storage::StrL => 32768,
        Storage::Double => 65526,
        Storage::Float => 65527,
        Storage::Long => 65528,
        Storage::Int => 65529,
        Storage::Byte => 65530,
    }
}

fn display_format(column: &Column, storage: Storage) -> String {
    match storage {
        Storage::Str(width) => format!("%-{}s", width.min(2045)),
        Storage::StrL => "%9s".to_string(),
        Storage::Double | Storage::Float => match column.meta.decimals {
            Some(decimals) => format!(
                "%{}.{decimals}f",
                column
                    .meta
                    .display_width
                    .unwrap_or(9)
                    .clamp(decimals as u32 + 2, 40)
            ),
            None => "%10.0g".to_string(),
        },
        _ => "%8.0g".to_string(),
    }
}

/// The value-label table of a column: its labelled codes that are whole numbers, and one label
/// for each extended missing value saying which code it stood for.
fn label_table(column: &Column, plan: &Plan) -> Option<Vec<u8>> {
    let mut entries: Vec<(i32, String)> = column
        .meta
        .value_labels
        .iter()
        .filter(|(code, _)| code.fract() == 0.0 && code.abs() <= 2_147_483_620.0)
        .filter(|(code, _)| !column.meta.missing.contains(*code))
        .map(|(code, label)| (*code as i32, label.clone()))
        .collect();
    let labelled = |code: f64| {
        column
            .meta
            .value_labels
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, label)| label.clone())
    };
    for (index, code) in plan.missing.iter().enumerate() {
        let label = match labelled(*code) {
            Some(label) => format!("{label} (code {code})"),
            None => format!("missing (code {code})"),
        };
        entries.push((2_147_483_622 + index as i32, label));
    }
    if let Some((lo, hi)) = column.meta.missing.range {
        entries.push((2_147_483_647, format!("missing (codes {lo} to {hi})")));
    }
    if entries.is_empty() {
        return None;
    }
    entries.sort_by_key(|(code, _)| *code);
    let mut text = Vec::new();
    let mut offsets = Vec::new();
    for (_, label) in &entries {
        offsets.push(text.len() as u32);
        let mut end = label.len().min(32_000);
        while !label.is_char_boundary(end) {
            end -= 1;
        }
        text.extend_from_slice(&label.as_bytes()[..end]);
        text.push(0);
    }
    let mut table = Vec::new();
    table.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    table.extend_from_slice(&(text.len() as u32).to_le_bytes());
    for offset in offsets {
        table.extend_from_slice(&offset.to_le_bytes());
    }
    for (code, _) in &entries {
        table.extend_from_slice(&code.to_le_bytes());
    }
    table.extend_from_slice(&text);
    Some(table)
}

pub(crate) fn write(source: &str, dataset: &Dataset) -> Result<Vec<u8>, LabelledError> {
    for column in &dataset.columns {
        check_name(source, &column.name)?;
    }
    let plans: Vec<Plan> = dataset.columns.iter().map(plan).collect();
    let rows = dataset.rows();
    let mut out = Vec::new();
    let mut map = [0u64; 14];
    out.extend_from_slice(
        b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>",
    );
    out.extend_from_slice(&(dataset.columns.len() as u16).to_le_bytes());
    out.extend_from_slice(b"</K><N>");
    out.extend_from_slice(&(rows as u64).to_le_bytes());
    out.extend_from_slice(b"</N><label>");
    let label = dataset.label.clone().unwrap_or_default();
    let mut label_end = label.len().min(80);
    while !label.is_char_boundary(label_end) {
        label_end -= 1;
    }
    out.extend_from_slice(&(label_end as u16).to_le_bytes());
    out.extend_from_slice(&label.as_bytes()[..label_end]);
    out.extend_from_slice(b"</label><timestamp>");
    out.push(0);
    out.extend_from_slice(b"</timestamp></header>");
    map[1] = out.len() as u64;
    out.extend_from_slice(b"<map>");
    let map_at = out.len();
    out.resize(out.len() + 14 * 8, 0);
    out.extend_from_slice(b"</map>");

    map[2] = out.len() as u64;
    out.extend_from_slice(b"<variable_types>");
    for plan in &plans {
        out.extend_from_slice(&type_code(plan.storage).to_le_bytes());
    }
    out.extend_from_slice(b"</variable_types>");
    map[3] = out.len() as u64;
    out.extend_from_slice(b"<varnames>");
    for column in &dataset.columns {
        field(&mut out, &column.name, NAME_WIDTH);
    }
    out.extend_from_slice(b"</varnames>");
    map[4] = out.len() as u64;
    out.extend_from_slice(b"<sortlist>");
    out.resize(out.len() + 2 * (dataset.columns.len() + 1), 0);
    out.extend_from_slice(b"</sortlist>");
    map[5] = out.len() as u64;
    out.extend_from_slice(b"<formats>");
    for (column, plan) in dataset.columns.iter().zip(&plans) {
        field(
            &mut out,
            &display_format(column, plan.storage),
            FORMAT_WIDTH,
        );
    }
    out.extend_from_slice(b"</formats>");
    let tables: Vec<Option<Vec<u8>>> = dataset
        .columns
        .iter()
        .zip(&plans)
        .map(|(column, plan)| label_table(column, plan))
        .collect();
    map[6] = out.len() as u64;
    out.extend_from_slice(b"<value_label_names>");
    for (column, table) in dataset.columns.iter().zip(&tables) {
        field(
            &mut out,
            if table.is_some() { &column.name } else { "" },
            NAME_WIDTH,
        );
    }
    out.extend_from_slice(b"</value_label_names>");
    map[7] = out.len() as u64;
    out.extend_from_slice(b"<variable_labels>");
    for column in &dataset.columns {
        field(
            &mut out,
            column.meta.label.as_deref().unwrap_or(""),
            LABEL_WIDTH,
        );
    }
    out.extend_from_slice(b"</variable_labels>");
    map[8] = out.len() as u64;
    out.extend_from_slice(b"<characteristics></characteristics>");

    map[9] = out.len() as u64;
    out.extend_from_slice(b"<data>");
    let row_width: usize = plans.iter().map(|plan| plan.storage.width()).sum();
    out.reserve(rows * row_width);
    let mut strls: Vec<(u16, u64, &str)> = Vec::new();
    for row in 0..rows {
        for (index, (column, plan)) in dataset.columns.iter().zip(&plans).enumerate() {
            match (&column.values, plan.storage) {
                (values @ (Values::Numbers(_) | Values::Codes(_)), storage) => {
                    let value = values.number(row);
                    let missing = if value.is_nan() {
                        Some(0)
                    } else {
                        extended(plan, column, value)
                    };
                    numeric_cell(&mut out, storage, value, missing);
                }
                (Values::Text(texts), Storage::StrL) => match texts[row].as_deref() {
                    Some(text) => {
                        // A strL cell refers to its (variable, observation), both 1-based.
                        let (variable, observation) = (index as u16 + 1, row as u64 + 1);
                        out.extend_from_slice(&variable.to_le_bytes());
                        out.extend_from_slice(&observation.to_le_bytes()[..6]);
                        strls.push((variable, observation, text));
                    }
                    None => out.extend_from_slice(&[0; 8]),
                },
                (Values::Text(texts), storage) => field_exact(
                    &mut out,
                    texts[row].as_deref().unwrap_or(""),
                    storage.width(),
                ),
            }
        }
    }
    out.extend_from_slice(b"</data>");
    map[10] = out.len() as u64;
    out.extend_from_slice(b"<strls>");
    for (variable, observation, text) in strls {
        out.extend_from_slice(b"GSO");
        out.extend_from_slice(&(variable as u32).to_le_bytes());
        out.extend_from_slice(&observation.to_le_bytes());
        out.push(130);
        out.extend_from_slice(&(text.len() as u32 + 1).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
        out.push(0);
    }
    out.extend_from_slice(b"</strls>");
    map[11] = out.len() as u64;
    out.extend_from_slice(b"<value_labels>");
    for (column, table) in dataset.columns.iter().zip(&tables) {
        if let Some(table) = table {
            out.extend_from_slice(b"<lbl>");
            out.extend_from_slice(&(table.len() as u32).to_le_bytes());
            field(&mut out, &column.name, NAME_WIDTH);
            out.extend_from_slice(&[0; 3]);
            out.extend_from_slice(table);
            out.extend_from_slice(b"</lbl>");
        }
    }
    out.extend_from_slice(b"</value_labels>");
    map[12] = out.len() as u64;
    out.extend_from_slice(b"</stata_dta>");
    map[13] = out.len() as u64;
    for (slot, offset) in map.iter().enumerate() {
        out[map_at + 8 * slot..map_at + 8 * slot + 8].copy_from_slice(&offset.to_le_bytes());
    }
    Ok(out)
}

/// A `str#` cell: the text's bytes (cut at a character boundary) padded with NULs to the width.
fn field_exact(out: &mut Vec<u8>, text: &str, width: usize) {
    let mut end = text.len().min(width);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&text.as_bytes()[..end]);
    out.resize(out.len() + width - end, 0);
}

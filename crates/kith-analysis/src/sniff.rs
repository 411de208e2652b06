//! Diagnosing data files before and after a reader refuses them, so that every refusal names
//! the file, row, column and value in kith's words rather than a parser's.
//!
//! The checks here are cheap and run in two places: [`delimited_preflight`] before a delimited
//! file is parsed (a binary file with a data extension, a header too wide to hold, header names
//! that are empty or repeated), and the `diagnose_*` functions after a parser failed, to find
//! the first cell at fault.

use crate::problem::DataProblem;
use crate::read::FileFormat;

/// The most columns kith reads from one file. Qualtrics exports of long surveys reach a few
/// thousand; a header of millions of fields is a broken or hostile file.
pub const MAX_COLUMNS: usize = 20_000;

/// The longest header line kith reads (a three-row Qualtrics header's question texts included).
pub const MAX_HEADER_BYTES: usize = 8 * 1024 * 1024;

/// Formats that are often saved under a data extension by mistake, by their first bytes.
const SIGNATURES: [(&[u8], &str, &str); 7] = [
    (
        b"PK\x03\x04",
        "an Excel workbook (.xlsx) or another zip archive",
        "in Excel, save the sheet as CSV UTF-8 (File > Save As), then read that file",
    ),
    (
        b"\xD0\xCF\x11\xE0",
        "an old Excel workbook (.xls)",
        "in Excel, save the sheet as CSV UTF-8 (File > Save As), then read that file",
    ),
    (
        b"$FL2",
        "an SPSS data file (.sav)",
        "export it from SPSS as CSV (File > Export > CSV Data)",
    ),
    (
        b"$FL3",
        "a compressed SPSS data file (.zsav)",
        "export it from SPSS as CSV (File > Export > CSV Data)",
    ),
    (
        b"PAR1",
        "a Parquet file",
        "give it a .parquet name so that kith reads it as Parquet",
    ),
    (
        b"\x1F\x8B",
        "a gzip-compressed file",
        "decompress it first (`gunzip FILE`)",
    ),
    (
        b"%PDF",
        "a PDF document",
        "export the responses from the survey tool as CSV",
    ),
];

/// A file whose first bytes say it is not text, with what it probably is.
pub fn binary_format(bytes: &[u8]) -> Option<DataProblem> {
    if let Some((_, what, hint)) = SIGNATURES
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
    {
        return Some(DataProblem::file(
            "not-text",
            format!("the file is {what}, not delimited text"),
            hint.to_string(),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some(DataProblem::file(
            "wrong-encoding",
            "the file is UTF-16 text; kith reads UTF-8".to_string(),
            "save it again as UTF-8 (in Excel: CSV UTF-8; in a text editor: encoding UTF-8)"
                .to_string(),
        ));
    }
    let start = &bytes[..bytes.len().min(8192)];
    start.contains(&0).then(|| {
        DataProblem::file(
            "not-text",
            "the file holds binary data (zero bytes), not delimited text".to_string(),
            "export the responses as CSV, TSV, Parquet or JSON Lines and name the file by its format"
                .to_string(),
        )
    })
}

/// The header line of a delimited file: its bytes, up to the first line break outside quotes.
fn header_line(bytes: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (index, byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return &bytes[..index],
            _ => {}
        }
    }
    bytes
}

/// Checks a delimited file before it is parsed: not binary, a header of bounded size whose
/// names are present and distinct. Returns every problem of the header at once.
pub fn delimited_preflight(bytes: &[u8], separator: u8) -> Result<(), Vec<DataProblem>> {
    if let Some(problem) = binary_format(bytes) {
        return Err(vec![problem]);
    }
    let line = header_line(bytes);
    if line.len() > MAX_HEADER_BYTES {
        return Err(vec![DataProblem::file(
            "header-too-long",
            format!(
                "the header line is {} bytes long, more than the {MAX_HEADER_BYTES} kith reads",
                line.len()
            ),
            "check that the file's first line is its header; a file without line breaks is not a CSV file".to_string(),
        )]);
    }
    // Counting separators outside quotes bounds the columns before any name is allocated.
    let mut quoted = false;
    let mut fields = 1usize;
    for byte in line {
        match *byte {
            b'"' => quoted = !quoted,
            b if b == separator && !quoted => fields += 1,
            _ => {}
        }
    }
    if fields > MAX_COLUMNS {
        return Err(vec![DataProblem::file(
            "too-many-columns",
            format!("the header names {fields} columns, more than the {MAX_COLUMNS} kith reads"),
            "split the file, or keep only the columns the survey needs".to_string(),
        )]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(line);
    let Some(Ok(record)) = reader.byte_records().next() else {
        // A header that is not well-formed is found by the parser, with its line.
        return Ok(());
    };
    let names: Vec<String> = record
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_string())
        .collect();
    let problems = header_names(&names);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Empty and repeated column names: a column kith cannot name cannot be reported or scored.
pub fn header_names(names: &[String]) -> Vec<DataProblem> {
    let mut problems = Vec::new();
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, name) in names.iter().enumerate() {
        let position = index + 1;
        // A trailing separator after the last name leaves one empty name; that is a missing
        // name too, and the hint says where it is.
        if name.is_empty() {
            problems.push(DataProblem::file(
                "unnamed-column",
                format!(
                    "column {position} of {} has no name in the header",
                    names.len()
                ),
                if position == names.len() {
                    "remove the separator at the end of the header line, or name the column"
                        .to_string()
                } else {
                    "give every column a name in the header line".to_string()
                },
            ));
        } else if let Some(earlier) = first.get(name.as_str()) {
            problems.push(DataProblem::file(
                "duplicate-column",
                format!("the column name `{name}` is in the header twice (columns {earlier} and {position})"),
                "rename or remove one of the two; kith cannot tell which holds the answers".to_string(),
            ));
        } else {
            first.insert(name, position);
        }
    }
    problems
}

/// The encodings a non-UTF-8 byte sequence probably comes from.
fn likely_encoding(bytes: &[u8]) -> &'static str {
    if bytes.iter().any(|b| (0x80..0xA0).contains(b)) {
        "Windows-1252 (Excel's \"CSV\" on Windows)"
    } else {
        "Latin-1 or Windows-1252 (Excel's \"CSV\" on Windows)"
    }
}

/// The first invalid UTF-8 in a delimited file, named by row, column and bytes.
pub fn diagnose_utf8(bytes: &[u8], separator: u8) -> Option<DataProblem> {
    let error = std::str::from_utf8(bytes).err()?;
    let at = error.valid_up_to();
    let line_start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    // Rows of the file are counted as lines here; a quoted line break would shift the count,
    // so the message says "line" for the place in the file and names the field by its header.
    let line = 1 + bytes[..line_start].iter().filter(|b| **b == b'\n').count();
    let mut quoted = false;
    let mut field = 0usize;
    for byte in &bytes[line_start..at] {
        match *byte {
            b'"' => quoted = !quoted,
            b if b == separator && !quoted => field += 1,
            _ => {}
        }
    }
    let header: Vec<String> = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(header_line(bytes))
        .byte_records()
        .next()
        .and_then(Result::ok)
        .map(|record| {
            record
                .iter()
                .map(|n| String::from_utf8_lossy(n).trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let column = header
        .get(field)
        .cloned()
        .unwrap_or_else(|| format!("column {}", field + 1));
    let bad_end = (at + error.error_len().unwrap_or(1)).min(bytes.len());
    let bad = &bytes[at..bad_end];
    let shown: String = bad.iter().map(|b| format!("\\x{b:02X}")).collect();
    let around_end = bytes[at..]
        .iter()
        .position(|b| *b == separator || *b == b'\n' || *b == b'\r')
        .map_or(bytes.len(), |i| at + i);
    let field_start = bytes[line_start..at]
        .iter()
        .rposition(|b| *b == separator)
        .map_or(line_start, |i| line_start + i + 1);
    let cell = String::from_utf8_lossy(&bytes[field_start..around_end]).to_string();
    let mut problem = DataProblem::file(
        "wrong-encoding",
        format!("line {line}: the bytes `{shown}` in `{cell}` are not UTF-8 text"),
        format!(
            "the file is probably in {}; save it again as UTF-8 (in Excel: CSV UTF-8), or convert it with `iconv -f WINDOWS-1252 -t UTF-8`",
            likely_encoding(bad)
        ),
    );
    problem.column = Some(column);
    problem.value = Some(cell);
    Some(problem)
}

/// The first line of a JSON Lines file that kith cannot read as one flat record.
pub fn diagnose_json_lines(bytes: &[u8]) -> Option<DataProblem> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let line = 1 + bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            return Some(DataProblem::file(
                "wrong-encoding",
                format!("line {line} is not UTF-8 text"),
                "JSON Lines files are UTF-8; save the file again as UTF-8".to_string(),
            ));
        }
    };
    for (index, line) in text.lines().enumerate() {
        let row = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(error) => {
                return Some(DataProblem::file(
                    "malformed-file",
                    format!(
                        "line {row} is not valid JSON (at character {})",
                        error.column()
                    ),
                    "each line of a JSON Lines file is one JSON object, e.g. {\"respondent_id\": \"P1\", \"q1\": 4}".to_string(),
                ));
            }
        };
        let serde_json::Value::Object(record) = value else {
            return Some(DataProblem::file(
                "malformed-file",
                format!("line {row} is not a JSON object"),
                "each line of a JSON Lines file is one object of `\"column\": value` pairs"
                    .to_string(),
            ));
        };
        if let Some((key, nested)) = record.iter().find(|(_, v)| v.is_object() || v.is_array()) {
            let mut shown = nested.to_string();
            if shown.len() > 60 {
                let cut = (0..=60)
                    .rev()
                    .find(|i| shown.is_char_boundary(*i))
                    .unwrap_or(0);
                shown.truncate(cut);
                shown.push('…');
            }
            return Some(DataProblem::cell(
                "nested-value",
                "the value is nested JSON (an object or a list)".to_string(),
                row,
                None,
                key,
                &shown,
                "kith reads flat records: one number, text, true/false or null per key; flatten the nested values into columns of their own".to_string(),
            ));
        }
    }
    None
}

/// The separator of a delimited format.
fn separator(format: FileFormat) -> u8 {
    if format == FileFormat::Tsv {
        b'\t'
    } else {
        b','
    }
}

/// Checks a file before a reader parses it: what can be refused from its first bytes and its
/// header line is refused here, with every header problem at once.
pub fn preflight(bytes: &[u8], format: FileFormat) -> Result<(), Vec<DataProblem>> {
    match format {
        FileFormat::Csv | FileFormat::Tsv => delimited_preflight(bytes, separator(format)),
        FileFormat::Parquet => {
            if bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1") {
                return Ok(());
            }
            let problem = match binary_format(bytes) {
                Some(problem) if problem.code == "not-text" && !bytes.starts_with(b"PAR1") => {
                    problem
                }
                _ if bytes.starts_with(b"PAR1") => DataProblem::file(
                    "truncated-file",
                    "the Parquet file is incomplete: it does not end with the Parquet footer"
                        .to_string(),
                    "the file was cut off while it was written or copied; write or copy it again"
                        .to_string(),
                ),
                _ => DataProblem::file(
                    "not-parquet",
                    "the file is not a Parquet file (it does not start with `PAR1`)".to_string(),
                    "name the file by its format: .csv, .tsv, .parquet or .jsonl".to_string(),
                ),
            };
            Err(vec![problem])
        }
        FileFormat::JsonLines => match binary_format(bytes) {
            Some(problem) => Err(vec![problem]),
            None => Ok(()),
        },
        // kith-labelled checks SPSS and Stata files record by record as it reads them.
        FileFormat::Spss | FileFormat::Stata => Ok(()),
    }
}

/// The reason a reader refused a file that passed [`preflight`], found by looking for the
/// first bad byte, record or value; a generic refusal when none is found.
pub fn diagnose(bytes: &[u8], format: FileFormat) -> DataProblem {
    let found = match format {
        FileFormat::Csv | FileFormat::Tsv => diagnose_utf8(bytes, separator(format))
            .or_else(|| diagnose_records(bytes, separator(format))),
        FileFormat::JsonLines => diagnose_json_lines(bytes),
        FileFormat::Parquet => Some(DataProblem::file(
            "malformed-file",
            "the Parquet file is damaged or uses a feature kith cannot read".to_string(),
            "write it again (e.g. with R's arrow::write_parquet or pandas' to_parquet)".to_string(),
        )),
        FileFormat::Spss | FileFormat::Stata => None,
    };
    found.unwrap_or_else(|| {
        DataProblem::file(
            "malformed-file",
            "the file cannot be read as the format its name says".to_string(),
            "check that the file is complete and in the format its extension says (.csv, .tsv, .parquet, .jsonl)".to_string(),
        )
    })
}

/// The first record of a delimited file whose number of fields differs from the header's.
pub fn diagnose_records(bytes: &[u8], separator: u8) -> Option<DataProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .from_reader(bytes);
    for record in reader.byte_records() {
        let Err(error) = record else { continue };
        let line = error.position().map(|p| p.line());
        let at = line
            .map(|l| format!("line {l}"))
            .unwrap_or_else(|| "a line".to_string());
        let message = match error.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{at} has {len} fields, but the header names {expected_len} columns"),
            _ => format!("{at} is not well-formed delimited text"),
        };
        return Some(DataProblem::file(
            "malformed-file",
            message,
            "every row needs as many fields as the header; quote fields that contain the separator, quotes or line breaks".to_string(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_separator_names_the_last_column() {
        let problems = header_names(&["id".to_string(), "q1".to_string(), String::new()]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "unnamed-column");
        assert!(
            problems[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("end of the header")
        );
    }

    #[test]
    fn windows_1252_bytes_are_named_with_their_column() {
        let problem = diagnose_utf8(b"id,city\nP1,M\xFCnchen\n", b',').expect("a problem");
        assert_eq!(problem.column.as_deref(), Some("city"));
        assert!(problem.message.contains("line 2"), "{}", problem.message);
        assert!(problem.message.contains("\\xFC"), "{}", problem.message);
    }
}

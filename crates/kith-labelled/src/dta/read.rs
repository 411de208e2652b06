//! Reading Stata `.dta` files of formats 117 (Stata 13), 118 (Stata 14–18) and 119 (more than
//! 32,767 variables): every section is found through the file's map and checked against the
//! file's length before it is read, and every declared length (strLs, value-label tables,
//! characteristics) against the bytes that are there.

use crate::dataset::{Column, ColumnMeta, Dataset, FileKind, ReadFile, Values};
use crate::error::LabelledError;
use std::collections::HashMap;

/// A variable's storage type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Storage {
    Str(u16),
    StrL,
    Double,
    Float,
    Long,
    Int,
    Byte,
}

impl Storage {
    pub(crate) fn from_code(code: u32) -> Option<Storage> {
        Some(match code {
            1..=2045 => Storage::Str(code as u16),
            32768 => Storage::StrL,
            65526 => Storage::Double,
            65527 => Storage::Float,
            65528 => Storage::Long,
            65529 => Storage::Int,
            65530 => Storage::Byte,
            _ => return None,
        })
    }

    pub(crate) fn width(self) -> usize {
        match self {
            Storage::Str(width) => width as usize,
            Storage::StrL | Storage::Double => 8,
            Storage::Float | Storage::Long => 4,
            Storage::Int => 2,
            Storage::Byte => 1,
        }
    }
}

/// The field widths that differ between formats.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Release {
    pub(crate) number: u16,
}

impl Release {
    pub(crate) fn name_width(self) -> usize {
        if self.number == 117 { 33 } else { 129 }
    }
    pub(crate) fn format_width(self) -> usize {
        if self.number == 117 { 49 } else { 57 }
    }
    pub(crate) fn label_width(self) -> usize {
        if self.number == 117 { 81 } else { 321 }
    }
    /// Decodes a text. Stata 14 and later write UTF-8. Stata 13 wrote the machine's code
    /// page, almost always Windows-1252 (a superset of Latin-1), but other tools (haven among
    /// them) write UTF-8 into format 117 too: a 117 text that is valid UTF-8 is read as UTF-8,
    /// any other as Windows-1252. Windows-1252 text with accents is almost never valid UTF-8.
    fn decode(self, bytes: &[u8]) -> (String, bool) {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), false),
            Err(_) if self.number == 117 => {
                let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                (decoded.into_owned(), true)
            }
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
        }
    }
}

/// A cursor over the file with its byte order; every read is bounds-checked.
struct Reader<'a> {
    source: &'a str,
    bytes: &'a [u8],
    at: usize,
    big: bool,
}

impl<'a> Reader<'a> {
    fn damaged(&self, at: usize, message: String) -> LabelledError {
        LabelledError::file(
            self.source,
            at as u64,
            message,
            "the file is truncated or damaged; save it again from Stata (13 or later) or export it again",
        )
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], LabelledError> {
        if n > self.bytes.len() - self.at {
            return Err(self.damaged(
                self.at,
                format!(
                    "the file ends inside {what} ({n} bytes declared, {} remain)",
                    self.bytes.len() - self.at
                ),
            ));
        }
        let start = self.at;
        self.at += n;
        Ok(&self.bytes[start..self.at])
    }

    fn tag(&mut self, tag: &str) -> Result<(), LabelledError> {
        let at = self.at;
        let found = self.take(tag.len(), tag)?;
        if found != tag.as_bytes() {
            return Err(self.damaged(at, format!("`{tag}` was expected here")));
        }
        Ok(())
    }

    fn uint(&mut self, width: usize, what: &str) -> Result<u64, LabelledError> {
        let bytes = self.take(width, what)?;
        Ok(uint(bytes, self.big))
    }
}

pub(crate) fn uint(bytes: &[u8], big: bool) -> u64 {
    let mut value = 0u64;
    if big {
        for byte in bytes {
            value = (value << 8) | *byte as u64;
        }
    } else {
        for byte in bytes.iter().rev() {
            value = (value << 8) | *byte as u64;
        }
    }
    value
}

/// Text up to its first NUL, decoded.
fn text(bytes: &[u8], release: Release) -> String {
    text_in(bytes, release).0
}

/// Text up to its first NUL, decoded, and whether it was decoded as Windows-1252.
fn text_in(bytes: &[u8], release: Release) -> (String, bool) {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    release.decode(&bytes[..end])
}

/// A string cell: trailing blanks dropped (as for SPSS), blank cells missing.
fn cell_text(text: (String, bool), legacy: &mut bool) -> Option<String> {
    *legacy |= text.1;
    let trimmed = text.0.trim_end();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// The value and missing-value kind of one numeric cell: `None` for a number, `Some(0)` for
/// system-missing `.`, `Some(1..=26)` for `.a`–`.z`.
fn number(storage: Storage, bytes: &[u8], big: bool) -> (f64, Option<u8>) {
    let raw = uint(bytes, big);
    match storage {
        Storage::Byte => {
            let value = raw as u8 as i8;
            if value > 100 {
                (f64::NAN, Some((value - 101) as u8))
            } else {
                (value as f64, None)
            }
        }
        Storage::Int => {
            let value = raw as u16 as i16;
            if value > 32_740 {
                (f64::NAN, Some((value - 32_741) as u8))
            } else {
                (value as f64, None)
            }
        }
        Storage::Long => {
            let value = raw as u32 as i32;
            if value > 2_147_483_620 {
                (f64::NAN, Some((value - 2_147_483_621).min(26) as u8))
            } else {
                (value as f64, None)
            }
        }
        Storage::Float => {
            let bits = raw as u32;
            let value = f32::from_bits(bits);
            if bits & 0x7fff_ffff >= 0x7f00_0000 && bits >> 31 == 0 {
                (f64::NAN, Some(((bits - 0x7f00_0000) >> 11).min(26) as u8))
            } else if value.is_nan() {
                (f64::NAN, Some(0))
            } else {
                (value as f64, None)
            }
        }
        _ => {
            let value = f64::from_bits(raw);
            if raw >> 63 == 0 && raw >= 0x7fe0_0000_0000_0000 {
                (
                    f64::NAN,
                    Some(((raw - 0x7fe0_0000_0000_0000) >> 40).min(26) as u8),
                )
            } else if value.is_nan() {
                (f64::NAN, Some(0))
            } else {
                (value, None)
            }
        }
    }
}

/// Value-label tables by name: the offset of each table and its labels by code.
type LabelTables = HashMap<String, (u64, Vec<(f64, String)>)>;

/// strLs by (variable, observation): the text and whether it was decoded as Windows-1252.
type LongStrings = HashMap<(u64, u64), (String, bool)>;

/// The file's value-label tables by name, each checked entry by entry.
fn value_labels(
    reader: &mut Reader,
    end: usize,
    release: Release,
) -> Result<LabelTables, LabelledError> {
    let mut tables = HashMap::new();
    reader.tag("<value_labels>")?;
    while reader.at < end && reader.bytes[reader.at..].starts_with(b"<lbl>") {
        let at = reader.at;
        reader.tag("<lbl>")?;
        let length = reader.uint(4, "a value-label table's length")? as usize;
        let name = text(
            reader.take(release.name_width(), "a value-label table's name")?,
            release,
        );
        reader.take(3, "a value-label table")?;
        let table = reader.take(length, "a value-label table")?;
        let big = reader.big;
        let bad = |message: String| {
            LabelledError::variable(
                reader.source,
                &name,
                Some(at as u64),
                message,
                "the file is damaged; save it again from Stata",
            )
        };
        if table.len() < 8 {
            return Err(bad(
                "the value-label table is shorter than its header".to_string()
            ));
        }
        let entries = uint(&table[0..4], big) as usize;
        let text_length = uint(&table[4..8], big) as usize;
        if entries
            .checked_mul(8)
            .and_then(|n| n.checked_add(8 + text_length))
            != Some(table.len())
        {
            return Err(bad(format!(
                "the value-label table declares {entries} labels and {text_length} bytes of text in {} bytes",
                table.len()
            )));
        }
        let texts = &table[8 + 8 * entries..];
        let mut labels = Vec::with_capacity(entries);
        for entry in 0..entries {
            let offset = uint(&table[8 + 4 * entry..12 + 4 * entry], big) as usize;
            let code = uint(
                &table[8 + 4 * entries + 4 * entry..12 + 4 * entries + 4 * entry],
                big,
            ) as u32 as i32;
            if offset >= texts.len() {
                return Err(bad(format!(
                    "label {} starts at byte {offset} of a {}-byte text",
                    entry + 1,
                    texts.len()
                )));
            }
            // Labels of the extended missing values (.a–.z) label no number.
            if code <= 2_147_483_620 {
                labels.push((code as f64, text(&texts[offset..], release)));
            }
        }
        labels.sort_by(|a, b| a.0.total_cmp(&b.0));
        reader.tag("</lbl>")?;
        tables.insert(name, (at as u64, labels));
    }
    Ok(tables)
}

/// The strLs by (variable, observation).
fn long_strings(
    reader: &mut Reader,
    end: usize,
    release: Release,
) -> Result<LongStrings, LabelledError> {
    let mut strings = HashMap::new();
    reader.tag("<strls>")?;
    let observation_width = if release.number == 117 { 4 } else { 8 };
    while reader.at < end && reader.bytes[reader.at..].starts_with(b"GSO") {
        reader.tag("GSO")?;
        let variable = reader.uint(4, "a strL")?;
        let observation = reader.uint(observation_width, "a strL")?;
        let kind = reader.take(1, "a strL")?[0];
        let length = reader.uint(4, "a strL's length")? as usize;
        let data = reader.take(length, "a strL")?;
        let data = if kind == 130 {
            data.strip_suffix(&[0]).unwrap_or(data)
        } else {
            data
        };
        strings.insert((variable, observation), release.decode(data));
    }
    reader.tag("</strls>")?;
    Ok(strings)
}

pub(crate) fn read(
    source: &str,
    bytes: &[u8],
    compact: &std::collections::HashSet<String>,
) -> Result<ReadFile, LabelledError> {
    let mut reader = Reader {
        source,
        bytes,
        at: 0,
        big: false,
    };
    if !bytes.starts_with(b"<stata_dta>") {
        let version = bytes.first().copied().unwrap_or(0);
        return Err(LabelledError::file(
            source,
            0,
            format!(
                "this is a Stata file of format {version} (Stata 12 or older); kith reads formats 117 to 119 (Stata 13 and later)"
            ),
            "open it in Stata 13 or later and `save` it again, or export it as CSV",
        ));
    }
    reader.tag("<stata_dta><header><release>")?;
    let release_at = reader.at;
    let release_number = std::str::from_utf8(reader.take(3, "the release")?)
        .ok()
        .and_then(|n| n.parse::<u16>().ok());
    let release = match release_number {
        Some(number @ 117..=119) => Release { number },
        _ => {
            return Err(
                reader.damaged(release_at, "the release is not 117, 118 or 119".to_string())
            );
        }
    };
    reader.tag("</release><byteorder>")?;
    reader.big = match reader.take(3, "the byte order")? {
        b"MSF" => true,
        b"LSF" => false,
        _ => {
            return Err(reader.damaged(
                reader.at - 3,
                "the byte order is neither MSF nor LSF".to_string(),
            ));
        }
    };
    reader.tag("</byteorder><K>")?;
    let variables = reader.uint(if release.number == 119 { 4 } else { 2 }, "K")? as usize;
    reader.tag("</K><N>")?;
    let observations = reader.uint(if release.number == 117 { 4 } else { 8 }, "N")?;
    reader.tag("</N><label>")?;
    let label_length = reader.uint(
        if release.number == 117 { 1 } else { 2 },
        "the dataset label",
    )? as usize;
    let label = text(reader.take(label_length, "the dataset label")?, release);
    reader.tag("</label><timestamp>")?;
    let stamp = reader.uint(1, "the timestamp")? as usize;
    reader.take(stamp, "the timestamp")?;
    reader.tag("</timestamp></header><map>")?;
    let map_at = reader.at;
    let mut map = [0usize; 14];
    for slot in &mut map {
        let offset = reader.uint(8, "the map")?;
        *slot = usize::try_from(offset)
            .ok()
            .filter(|o| *o <= bytes.len())
            .ok_or_else(|| {
                reader.damaged(
                    map_at,
                    format!(
                        "the map points to byte {offset}, beyond the file's {} bytes",
                        bytes.len()
                    ),
                )
            })?;
    }
    if map.windows(2).skip(2).any(|pair| pair[0] > pair[1]) {
        return Err(reader.damaged(map_at, "the map's sections are out of order".to_string()));
    }
    // Every section's fixed part must fit before the next section starts.
    let name_width = release.name_width();
    if variables.saturating_mul(name_width) > bytes.len() {
        return Err(reader.damaged(
            map_at,
            format!("K = {variables} variables cannot fit in the file"),
        ));
    }
    reader.at = map[2];
    reader.tag("<variable_types>")?;
    let mut types = Vec::with_capacity(variables);
    for index in 0..variables {
        let at = reader.at;
        let code = reader.uint(2, "the variable types")? as u32;
        types.push(Storage::from_code(code).ok_or_else(|| {
            reader.damaged(
                at,
                format!("variable {} has the unknown type code {code}", index + 1),
            )
        })?);
    }
    reader.at = map[3];
    reader.tag("<varnames>")?;
    let mut names = Vec::with_capacity(variables);
    for _ in 0..variables {
        names.push(text(
            reader.take(name_width, "the variable names")?,
            release,
        ));
    }
    reader.at = map[5];
    reader.tag("<formats>")?;
    let mut formats = Vec::with_capacity(variables);
    for _ in 0..variables {
        formats.push(text(
            reader.take(release.format_width(), "the formats")?,
            release,
        ));
    }
    reader.at = map[6];
    reader.tag("<value_label_names>")?;
    let mut label_names = Vec::with_capacity(variables);
    for _ in 0..variables {
        label_names.push(text(
            reader.take(name_width, "the value-label names")?,
            release,
        ));
    }
    reader.at = map[7];
    reader.tag("<variable_labels>")?;
    let mut labels = Vec::with_capacity(variables);
    for _ in 0..variables {
        labels.push(text(
            reader.take(release.label_width(), "the variable labels")?,
            release,
        ));
    }
    // Characteristics are not read, but their lengths are walked to the data.
    reader.at = map[8];
    reader.tag("<characteristics>")?;
    while reader.bytes[reader.at..].starts_with(b"<ch>") {
        reader.tag("<ch>")?;
        let length = reader.uint(4, "a characteristic's length")? as usize;
        reader.take(length, "a characteristic")?;
        reader.tag("</ch>")?;
    }
    reader.tag("</characteristics>")?;

    let row_width: usize = types.iter().map(|t| t.width()).sum();
    reader.at = map[9];
    reader.tag("<data>")?;
    let data_at = reader.at;
    let data_length = (observations as u128) * (row_width as u128);
    if data_length > (bytes.len() - data_at) as u128 {
        return Err(reader.damaged(
            data_at,
            format!("N = {observations} rows of {row_width} bytes are more than the file holds"),
        ));
    }
    let rows = if row_width == 0 {
        0
    } else {
        observations as usize
    };
    let data = reader.take(rows * row_width, "the data")?;
    reader.tag("</data>")?;
    reader.at = map[10];
    let strls = long_strings(&mut reader, map[11], release)?;
    reader.at = map[11];
    let tables = value_labels(&mut reader, map[12], release)?;

    let mut offsets = Vec::with_capacity(variables);
    let mut offset = 0;
    for storage in &types {
        offsets.push(offset);
        offset += storage.width();
    }
    let mut columns = Vec::with_capacity(variables);
    let mut legacy = false;
    let mut user_missing = Vec::new();
    let mut label_offsets = Vec::new();
    for (index, storage) in types.iter().enumerate() {
        let start = offsets[index];
        let cells = (0..rows)
            .map(|row| &data[row * row_width + start..row * row_width + start + storage.width()]);
        let mut extended = 0usize;
        let values = match storage {
            Storage::Str(_) => Values::Text(
                cells
                    .map(|cell| cell_text(text_in(cell, release), &mut legacy))
                    .collect(),
            ),
            Storage::StrL => Values::Text(
                cells
                    .map(|cell| {
                        let big = reader.big;
                        let split = |at: usize| {
                            if big {
                                (uint(&cell[0..at], true), uint(&cell[at..8], true))
                            } else {
                                (uint(&cell[0..at], false), uint(&cell[at..8], false))
                            }
                        };
                        // Format 119 splits the reference 3 + 5 bytes, 118 2 + 6; ReadStat
                        // (haven, pyreadstat) writes 119 files the 118 way, so both are tried.
                        let found = match release.number {
                            117 => strls.get(&split(4)),
                            119 => strls.get(&split(3)).or_else(|| strls.get(&split(2))),
                            _ => strls.get(&split(2)),
                        };
                        found.cloned().and_then(|text| cell_text(text, &mut legacy))
                    })
                    .collect(),
            ),
            numeric => {
                let mut values = if compact.contains(&names[index]) {
                    Values::Codes(Vec::with_capacity(rows))
                } else {
                    Values::Numbers(Vec::with_capacity(rows))
                };
                for cell in cells {
                    let (value, missing) = number(*numeric, cell, reader.big);
                    if missing.is_some_and(|kind| kind > 0) {
                        extended += 1;
                    }
                    values.push_number(value);
                }
                values
            }
        };
        if extended > 0 {
            user_missing.push((names[index].clone(), extended));
        }
        let (label_at, value_labels) = tables
            .get(&label_names[index])
            .cloned()
            .map_or((None, Vec::new()), |(at, labels)| (Some(at), labels));
        if let Some(at) = label_at {
            label_offsets.push((names[index].clone(), at));
        }
        let decimals = formats[index].split_once('.').and_then(|(_, rest)| {
            rest.trim_end_matches(|c: char| c.is_alphabetic() || c == 'c')
                .parse()
                .ok()
        });
        columns.push(Column {
            name: names[index].clone(),
            values,
            meta: ColumnMeta {
                label: Some(labels[index].clone()).filter(|l| !l.is_empty()),
                value_labels,
                decimals,
                ..ColumnMeta::default()
            },
        });
    }
    Ok(ReadFile {
        kind: FileKind::Stata,
        format: format!("Stata .dta format {}", release.number),
        encoding: if legacy { "windows-1252" } else { "UTF-8" }.to_string(),
        dataset: Dataset {
            label: Some(label).filter(|l| !l.is_empty()),
            columns,
        },
        user_missing,
        label_offsets,
    })
}

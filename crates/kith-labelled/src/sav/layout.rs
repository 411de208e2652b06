//! kith's own walk of an SPSS system file's records before the decoder sees it: every record's
//! declared length is checked against the bytes that are there, a `.zsav` file's block table
//! against the file and each block's real size, and the offset of each variable's value labels
//! is kept for messages. Nothing here allocates more than the file holds.

use crate::error::LabelledError;
use flate2::{Decompress, FlushDecompress, Status};
use std::collections::HashMap;

/// The largest zlib block kith accepts: SPSS writes blocks of about 4 MB.
const MAX_BLOCK: i64 = 64 << 20;

/// What the walk learned.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// The offset of the value-label record of each variable (by its short name, upper case).
    pub(crate) label_offsets: HashMap<String, u64>,
    /// Short names (upper case) to the long names of subtype 13.
    pub(crate) long_names: HashMap<String, String>,
    pub(crate) zlib: bool,
}

impl Layout {
    /// The offset of a variable's value labels, by its (long) name.
    pub(crate) fn label_offset(&self, name: &str) -> Option<u64> {
        let short = self
            .long_names
            .iter()
            .find(|(_, long)| long.eq_ignore_ascii_case(name))
            .map(|(short, _)| short.clone())
            .unwrap_or_else(|| name.to_uppercase());
        self.label_offsets.get(&short).copied()
    }
}

/// A position in the file with the file's byte order.
struct Reader<'a> {
    source: &'a str,
    bytes: &'a [u8],
    at: usize,
    little: bool,
}

impl<'a> Reader<'a> {
    fn truncated(&self, what: &str, wanted: u64) -> LabelledError {
        LabelledError::file(
            self.source,
            self.at as u64,
            format!(
                "the file ends inside {what}: {wanted} more bytes were declared, {} remain",
                self.bytes.len().saturating_sub(self.at)
            ),
            "the file is truncated or damaged; copy or export it again from SPSS",
        )
    }

    fn take(&mut self, n: u64, what: &str) -> Result<&'a [u8], LabelledError> {
        let remaining = (self.bytes.len() - self.at) as u64;
        if n > remaining {
            return Err(self.truncated(what, n));
        }
        let start = self.at;
        self.at += n as usize;
        Ok(&self.bytes[start..self.at])
    }

    fn i32(&mut self, what: &str) -> Result<i32, LabelledError> {
        let little = self.little;
        let bytes: [u8; 4] = self.take(4, what)?.try_into().unwrap_or([0; 4]);
        Ok(if little {
            i32::from_le_bytes(bytes)
        } else {
            i32::from_be_bytes(bytes)
        })
    }

    fn i64(&mut self, what: &str) -> Result<i64, LabelledError> {
        let little = self.little;
        let bytes: [u8; 8] = self.take(8, what)?.try_into().unwrap_or([0; 8]);
        Ok(if little {
            i64::from_le_bytes(bytes)
        } else {
            i64::from_be_bytes(bytes)
        })
    }

    fn error(&self, at: usize, message: String) -> LabelledError {
        LabelledError::file(
            self.source,
            at as u64,
            message,
            "the file is damaged or was not written by SPSS or a tool that writes its format; export it again",
        )
    }
}

/// A count declared by the file, refused when negative or beyond what the rest of the file
/// could hold at `each` bytes an entry.
fn count(
    reader: &Reader,
    at: usize,
    value: i32,
    each: u64,
    what: &str,
) -> Result<u64, LabelledError> {
    let remaining = (reader.bytes.len() - reader.at) as u64;
    if value < 0 || (value as u64).saturating_mul(each) > remaining {
        return Err(reader.error(
            at,
            format!("the file declares {value} {what}, which its remaining {remaining} bytes cannot hold"),
        ));
    }
    Ok(value as u64)
}

fn padded(length: u64, to: u64) -> u64 {
    length.div_ceil(to) * to
}

/// Walks the dictionary (and a `.zsav` file's blocks) of an SPSS system file.
pub(crate) fn walk(source: &str, bytes: &[u8]) -> Result<Layout, LabelledError> {
    let mut reader = Reader {
        source,
        bytes,
        at: 0,
        little: true,
    };
    let header = reader.take(176, "the file header")?;
    let layout_code = &header[64..68];
    reader.little = match (
        i32::from_le_bytes(layout_code.try_into().unwrap_or([0; 4])),
        i32::from_be_bytes(layout_code.try_into().unwrap_or([0; 4])),
    ) {
        (2 | 3, _) => true,
        (_, 2 | 3) => false,
        _ => {
            return Err(reader.error(
                64,
                "the header's layout code is neither 2 nor 3".to_string(),
            ));
        }
    };
    let compression = {
        let field: [u8; 4] = header[72..76].try_into().unwrap_or([0; 4]);
        if reader.little {
            i32::from_le_bytes(field)
        } else {
            i32::from_be_bytes(field)
        }
    };
    if !(0..=2).contains(&compression) {
        return Err(reader.error(
            72,
            format!("unknown compression {compression} (SPSS knows 0, 1 and 2)"),
        ));
    }
    let mut layout = Layout {
        zlib: compression == 2,
        ..Layout::default()
    };
    // Short names by dictionary index (1-based, counting continuation slots), for the
    // value-label records that name variables by index.
    let mut slots: Vec<Option<String>> = Vec::new();
    loop {
        let at = reader.at;
        let record = reader.i32("a record type")?;
        match record {
            2 => {
                let width = reader.i32("a variable record")?;
                let has_label = reader.i32("a variable record")?;
                let missing = reader.i32("a variable record")?;
                reader.take(8, "a variable record")?;
                let name = reader.take(8, "a variable name")?;
                let name = String::from_utf8_lossy(name).trim_end().to_uppercase();
                if !(-1..=255).contains(&width) {
                    return Err(
                        reader.error(at, format!("variable `{name}` has the width {width}"))
                    );
                }
                if has_label == 1 {
                    let length = reader.i32("a variable label's length")?;
                    let length = count(&reader, at, length, 1, "bytes of variable label")?;
                    reader.take(padded(length, 4), "a variable label")?;
                } else if has_label != 0 {
                    return Err(reader.error(
                        at,
                        format!("variable `{name}` has the label flag {has_label}"),
                    ));
                }
                if !(-3..=3).contains(&missing) || missing == -1 {
                    return Err(LabelledError::variable(
                        source,
                        &name,
                        Some(at as u64),
                        format!(
                            "the variable declares {missing} missing values (SPSS allows 0 to 3, or -2 and -3 for a range)"
                        ),
                        "the file is damaged; export it again from SPSS",
                    ));
                }
                reader.take(
                    8 * missing.unsigned_abs() as u64,
                    "the missing values of a variable",
                )?;
                if slots.len() >= 1 << 20 {
                    return Err(reader.error(
                        at,
                        "the file declares more than a million variables".to_string(),
                    ));
                }
                slots.push((width != -1).then_some(name));
            }
            3 => {
                let labels = reader.i32("a value-label record")?;
                let labels = count(&reader, at, labels, 9, "value labels")?;
                for _ in 0..labels {
                    reader.take(8, "a labelled value")?;
                    let length = reader.take(1, "a value label's length")?[0] as u64;
                    reader.take(padded(length + 1, 8) - 1, "a value label")?;
                }
                let after = reader.at;
                if reader.i32("the variables of a value-label record")? != 4 {
                    return Err(reader.error(after, "a value-label record is not followed by the list of its variables (record type 4)".to_string()));
                }
                let variables = reader.i32("the variables of a value-label record")?;
                let variables = count(&reader, after, variables, 4, "labelled variables")?;
                for _ in 0..variables {
                    let index = reader.i32("a labelled variable's index")?;
                    let name = usize::try_from(index)
                        .ok()
                        .and_then(|index| index.checked_sub(1))
                        .and_then(|index| slots.get(index))
                        .and_then(|slot| slot.clone());
                    match name {
                        Some(name) => {
                            layout.label_offsets.entry(name).or_insert(at as u64);
                        }
                        None => {
                            return Err(reader.error(after, format!("value labels name variable number {index}, which the file does not have")));
                        }
                    }
                }
            }
            6 => {
                let lines = reader.i32("a document record")?;
                let lines = count(&reader, at, lines, 80, "lines of documents")?;
                reader.take(lines * 80, "a document record")?;
            }
            7 => {
                let subtype = reader.i32("an extension record")?;
                let size = reader.i32("an extension record")?;
                let items = reader.i32("an extension record")?;
                let size = count(&reader, at, size, 0, "bytes an item")?;
                let total = (items.max(0) as u64).saturating_mul(size);
                if items < 0 || total > (bytes.len() - reader.at) as u64 {
                    return Err(reader.error(at, format!("extension record {subtype} declares {items} items of {size} bytes, more than the file holds")));
                }
                let data = reader.take(total, "an extension record")?;
                if subtype == 13 {
                    for pair in String::from_utf8_lossy(data).split('\t') {
                        if let Some((short, long)) = pair.split_once('=') {
                            layout
                                .long_names
                                .insert(short.trim().to_uppercase(), long.trim().to_string());
                        }
                    }
                }
            }
            999 => {
                reader.i32("the end of the dictionary")?;
                break;
            }
            other => {
                return Err(
                    reader.error(at, format!("unknown record type {other} in the dictionary"))
                );
            }
        }
    }
    if layout.zlib {
        check_blocks(&mut reader)?;
    }
    Ok(layout)
}

/// Checks a `.zsav` file's header, block table and blocks: every block lies inside the file,
/// directly after the one before, and inflates to exactly the size the table gives it.
fn check_blocks(reader: &mut Reader) -> Result<(), LabelledError> {
    let start = reader.at;
    let header_offset = reader.i64("the zlib data header")?;
    let trailer_offset = reader.i64("the zlib data header")?;
    let trailer_length = reader.i64("the zlib data header")?;
    let file_length = reader.bytes.len() as i64;
    if header_offset != start as i64 {
        return Err(reader.error(
            start,
            format!("the zlib header says it is at byte {header_offset}"),
        ));
    }
    if trailer_offset < reader.at as i64
        || trailer_length < 24
        || trailer_offset.checked_add(trailer_length) != Some(file_length)
    {
        return Err(reader.error(start, format!("the zlib block table is said to be {trailer_length} bytes at byte {trailer_offset}, but the file has {file_length} bytes")));
    }
    let data_start = reader.at as i64;
    reader.at = trailer_offset as usize;
    reader.i64("the zlib block table")?;
    reader.i64("the zlib block table")?;
    let block_size = reader.i32("the zlib block table")? as i64;
    let blocks = reader.i32("the zlib block table")?;
    if block_size <= 0 || block_size > MAX_BLOCK {
        return Err(reader.error(
            trailer_offset as usize + 16,
            format!("the zlib block size is {block_size} bytes"),
        ));
    }
    if blocks < 0 || 24 + 24 * blocks as i64 != trailer_length {
        return Err(reader.error(
            trailer_offset as usize + 20,
            format!("the zlib block table lists {blocks} blocks in {trailer_length} bytes"),
        ));
    }
    let mut expected = data_start;
    let mut output = vec![0u8; 64 << 10];
    for block in 0..blocks as usize {
        let entry = reader.at;
        reader.i64("a zlib block entry")?;
        let offset = reader.i64("a zlib block entry")?;
        let inflated = reader.i32("a zlib block entry")? as i64;
        let deflated = reader.i32("a zlib block entry")? as i64;
        let lies = |what: String| reader.error(entry, format!("zlib block {} {what}", block + 1));
        if offset != expected || deflated < 0 || offset + deflated > trailer_offset {
            return Err(lies(format!(
                "is said to be {deflated} bytes at byte {offset}, which is not where the blocks before it end ({expected}) or not inside the data"
            )));
        }
        if inflated < 0 || inflated > block_size {
            return Err(lies(format!(
                "is said to inflate to {inflated} bytes, more than the block size {block_size}"
            )));
        }
        let mut inflate = Decompress::new(true);
        let input = &reader.bytes[offset as usize..(offset + deflated) as usize];
        loop {
            let before_in = inflate.total_in() as usize;
            let before_out = inflate.total_out();
            let status = inflate
                .decompress(&input[before_in..], &mut output, FlushDecompress::None)
                .map_err(|e| lies(format!("does not inflate ({e})")))?;
            if inflate.total_out() > inflated as u64 {
                return Err(lies(format!(
                    "inflates to more than the {inflated} bytes the table gives it"
                )));
            }
            match status {
                Status::StreamEnd => break,
                _ if inflate.total_in() as usize == before_in
                    && inflate.total_out() == before_out =>
                {
                    return Err(lies(format!(
                        "ends before its zlib stream does ({} of {inflated} bytes inflated)",
                        inflate.total_out()
                    )));
                }
                _ => {}
            }
        }
        if inflate.total_out() != inflated as u64 {
            return Err(lies(format!(
                "inflates to {} bytes, not the {inflated} the table gives it",
                inflate.total_out()
            )));
        }
        expected = offset + deflated;
    }
    if expected != trailer_offset {
        return Err(reader.error(trailer_offset as usize, format!("the zlib blocks end at byte {expected}, not where the block table starts ({trailer_offset})")));
    }
    Ok(())
}

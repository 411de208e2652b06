//! Damaged and hostile labelled files: each is refused with an error that names the file, the
//! place (byte offset, and the variable when there is one) and a hint; none panics, and none
//! makes the reader allocate what its header claims.

mod common;

use kith_labelled::{LabelledError, WriteFormat};

fn written(format: WriteFormat) -> Vec<u8> {
    kith_labelled::write("survey", common::survey(), format).expect("written")
}

fn refused(bytes: &[u8]) -> LabelledError {
    match kith_labelled::read("bad.sav", bytes) {
        Ok(file) => panic!("read a damaged file: {:?}", file.dataset.columns.len()),
        Err(error) => error,
    }
}

/// Checks that an error names what it should: `(message fragment, offset, variable)`.
fn check(error: &LabelledError, fragment: &str, offset: Option<u64>, variable: Option<&str>) {
    assert_eq!(error.file, "bad.sav");
    assert!(
        error.message.contains(fragment),
        "{fragment:?} not in {error}"
    );
    assert_eq!(error.offset, offset, "{error}");
    assert_eq!(error.variable.as_deref(), variable, "{error}");
    assert!(!error.hint.is_empty());
}

fn put_i32(bytes: &mut [u8], at: usize, value: i32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

fn i32_at(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes(bytes[at..at + 4].try_into().expect("bytes"))
}

/// The offset of the first dictionary record of a type, found by walking the records of a
/// file kith wrote (the layout of PSPP's description of the system file format).
fn record_offset(bytes: &[u8], record: i32) -> usize {
    let mut at = 176;
    loop {
        let kind = i32_at(bytes, at);
        if kind == record {
            return at;
        }
        at += match kind {
            2 => {
                let labelled = i32_at(bytes, at + 8) == 1;
                let missing = i32_at(bytes, at + 12).unsigned_abs() as usize;
                let label = if labelled {
                    4 + (i32_at(bytes, at + 32) as usize).div_ceil(4) * 4
                } else {
                    0
                };
                32 + label + 8 * missing
            }
            3 => {
                let mut end = at + 8;
                for _ in 0..i32_at(bytes, at + 4) {
                    end += 8 + (bytes[end + 8] as usize + 1).div_ceil(8) * 8;
                }
                end - at + 8 + 4 * i32_at(bytes, end + 4) as usize
            }
            6 => 8 + 80 * i32_at(bytes, at + 4) as usize,
            7 => 16 + (i32_at(bytes, at + 8) * i32_at(bytes, at + 12)) as usize,
            other => panic!("record {other} at {at}"),
        };
    }
}

#[test]
fn wrong_magic_is_refused() {
    let mut bytes = written(WriteFormat::Sav);
    bytes[0..4].copy_from_slice(b"$XL2");
    check(
        &refused(&bytes),
        "neither an SPSS system file nor a Stata",
        Some(0),
        None,
    );
}

#[test]
fn truncated_sav_at_every_length_is_refused_without_panic() {
    let bytes = written(WriteFormat::Sav);
    // Every cut inside the dictionary is refused by kith's walk; cuts in the data either
    // fail to decode or read fewer rows, but never panic.
    let dictionary_end = record_offset(&bytes, 999);
    for length in 0..dictionary_end {
        let error = refused(&bytes[..length]);
        assert!(error.offset.is_some(), "length {length}: {error}");
    }
    for length in dictionary_end..bytes.len() {
        let _ = kith_labelled::read("bad.sav", &bytes[..length]);
    }
}

#[test]
fn truncated_dta_at_every_length_is_refused_without_panic() {
    let bytes = written(WriteFormat::Dta);
    for length in 0..bytes.len() {
        let error = kith_labelled::read("bad.sav", &bytes[..length]).expect_err("truncated");
        assert!(!error.hint.is_empty(), "length {length}");
    }
}

#[test]
fn truncated_zsav_is_refused() {
    let bytes = written(WriteFormat::Zsav);
    for cut in [1, 10, 24, 100] {
        let error = refused(&bytes[..bytes.len() - cut]);
        assert!(error.offset.is_some(), "cut {cut}: {error}");
    }
}

#[test]
fn variable_label_longer_than_the_file_is_refused_before_allocation() {
    let mut bytes = written(WriteFormat::Sav);
    let variable = record_offset(&bytes, 2);
    // The first variable has a label: its length follows the 32-byte record.
    put_i32(&mut bytes, variable + 32, i32::MAX);
    check(
        &refused(&bytes),
        "bytes of variable label",
        Some(variable as u64),
        None,
    );
}

#[test]
fn missing_value_count_out_of_range_names_the_variable() {
    let mut bytes = written(WriteFormat::Sav);
    let variable = record_offset(&bytes, 2);
    put_i32(&mut bytes, variable + 12, 7);
    check(
        &refused(&bytes),
        "declares 7 missing values",
        Some(variable as u64),
        Some("RESPONDE"),
    );
}

#[test]
fn value_label_count_beyond_the_file_is_refused() {
    let mut bytes = written(WriteFormat::Sav);
    let labels = record_offset(&bytes, 3);
    put_i32(&mut bytes, labels + 4, 1 << 30);
    check(&refused(&bytes), "value labels", Some(labels as u64), None);
}

#[test]
fn extension_record_larger_than_the_file_is_refused() {
    let mut bytes = written(WriteFormat::Sav);
    let extension = record_offset(&bytes, 7);
    put_i32(&mut bytes, extension + 12, i32::MAX);
    check(
        &refused(&bytes),
        "more than the file holds",
        Some(extension as u64),
        None,
    );
}

/// The block table of a `.zsav` file: its offset and the first entry's.
fn zsav_table(bytes: &[u8]) -> (usize, usize) {
    let header = record_offset(bytes, 999) + 8;
    let table =
        i64::from_le_bytes(bytes[header + 8..header + 16].try_into().expect("bytes")) as usize;
    (table, table + 24)
}

#[test]
fn zsav_block_that_lies_about_its_inflated_size_is_refused() {
    for claimed in [1, 100_000, -5] {
        let mut bytes = written(WriteFormat::Zsav);
        let (_, entry) = zsav_table(&bytes);
        put_i32(&mut bytes, entry + 16, claimed);
        check(&refused(&bytes), "zlib block 1", Some(entry as u64), None);
    }
}

#[test]
fn zsav_block_that_lies_about_its_compressed_size_is_refused() {
    for claimed in [3, i32::MAX, -1] {
        let mut bytes = written(WriteFormat::Zsav);
        let (_, entry) = zsav_table(&bytes);
        put_i32(&mut bytes, entry + 20, claimed);
        check(&refused(&bytes), "zlib block 1", Some(entry as u64), None);
    }
}

#[test]
fn zsav_block_size_beyond_the_limit_is_refused() {
    let mut bytes = written(WriteFormat::Zsav);
    let (table, _) = zsav_table(&bytes);
    put_i32(&mut bytes, table + 16, i32::MAX);
    check(
        &refused(&bytes),
        "zlib block size",
        Some(table as u64 + 16),
        None,
    );
}

#[test]
fn zsav_block_with_damaged_zlib_data_is_refused() {
    let mut bytes = written(WriteFormat::Zsav);
    let (_, entry) = zsav_table(&bytes);
    let offset =
        i64::from_le_bytes(bytes[entry + 8..entry + 16].try_into().expect("bytes")) as usize;
    for byte in &mut bytes[offset + 2..offset + 12] {
        *byte ^= 0x5a;
    }
    check(&refused(&bytes), "zlib block 1", Some(entry as u64), None);
}

/// Finds a byte string's first offset.
fn find(bytes: &[u8], needle: &[u8]) -> usize {
    bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("present")
}

#[test]
fn dta_value_label_table_that_lies_about_its_length_names_the_label_set() {
    let mut bytes = written(WriteFormat::Dta);
    let table = find(&bytes, b"<lbl>");
    // The table's entry count, after `<lbl>`, its length, the 129-byte name and 3 bytes.
    let entries = table + 5 + 4 + 129 + 3;
    bytes[entries..entries + 4].copy_from_slice(&1_000_000u32.to_le_bytes());
    let error = kith_labelled::read("bad.sav", &bytes).expect_err("damaged");
    check(
        &error,
        "declares 1000000 labels",
        Some(table as u64),
        Some("help1"),
    );
}

#[test]
fn dta_strl_longer_than_the_file_is_refused_before_allocation() {
    let mut bytes = written(WriteFormat::Dta);
    let strl = find(&bytes, b"GSO");
    let length = strl + 3 + 4 + 8 + 1;
    bytes[length..length + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let error = kith_labelled::read("bad.sav", &bytes).expect_err("damaged");
    check(
        &error,
        "the file ends inside a strL",
        Some(length as u64 + 4),
        None,
    );
}

#[test]
fn dta_observation_count_beyond_the_file_is_refused() {
    let mut bytes = written(WriteFormat::Dta);
    let n = find(&bytes, b"<N>") + 3;
    bytes[n..n + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    let error = kith_labelled::read("bad.sav", &bytes).expect_err("damaged");
    assert!(
        error.message.contains("more than the file holds"),
        "{error}"
    );
}

#[test]
fn dta_map_pointing_beyond_the_file_is_refused() {
    let mut bytes = written(WriteFormat::Dta);
    let map = find(&bytes, b"<map>") + 5;
    bytes[map + 8 * 9..map + 8 * 10].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let error = kith_labelled::read("bad.sav", &bytes).expect_err("damaged");
    check(&error, "beyond the file", Some(map as u64), None);
}

#[test]
fn old_stata_formats_are_refused_with_a_hint() {
    let mut bytes = vec![115u8, 2, 1, 0];
    bytes.resize(200, 0);
    let error = kith_labelled::read("bad.sav", &bytes).expect_err("old format");
    check(&error, "format 115", Some(0), None);
    assert!(error.hint.contains("Stata 13 or later"));
}

#[test]
fn random_corruption_never_panics() {
    // A fixed pseudo-random walk over single-byte changes of every format.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for format in [WriteFormat::Sav, WriteFormat::Zsav, WriteFormat::Dta] {
        let original = written(format);
        for _ in 0..3_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bytes = original.clone();
            let at = (state as usize) % bytes.len();
            bytes[at] = (state >> 32) as u8;
            let _ = kith_labelled::read("bad.sav", &bytes);
        }
    }
}

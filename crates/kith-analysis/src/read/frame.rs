//! The first pass over a response file: its header, then the whole file as a polars frame
//! (typed item columns on the fast path, text otherwise), with Qualtrics' extra rows masked.

use super::*;

/// Header rows and names found by looking at the start of a delimited file.
pub(super) struct Header {
    pub(super) layout: Layout,
    /// The names as the file has them (for the polars schema).
    pub(super) file_names: Vec<String>,
    /// The names to use: legacy Qualtrics `V` columns get their labels, `--map` renames applied.
    pub(super) names: Vec<String>,
}

pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

pub(super) fn inspect_header(
    bytes: &[u8],
    separator: u8,
    map: &BTreeMap<String, String>,
) -> Result<Header, Box<DataProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    for record in reader.records().take(3) {
        match record {
            Ok(record) => records.push(record),
            Err(_) => {
                let format = if separator == b'\t' {
                    FileFormat::Tsv
                } else {
                    FileFormat::Csv
                };
                return Err(Box::new(crate::sniff::diagnose(bytes, format)));
            }
        }
    }
    let Some(first) = records.first() else {
        return Err(Box::new(DataProblem::file(
            "empty-file",
            "the file is empty".to_string(),
            "export the responses again; the file has no header and no rows".to_string(),
        )));
    };
    let file_names: Vec<String> = first.iter().map(|name| name.trim().to_string()).collect();
    let third_is_import_ids = records.get(2).is_some_and(|record| {
        record
            .iter()
            .any(|cell| cell.trim_start().starts_with("{\"ImportId\""))
    });
    let legacy = file_names.first().is_some_and(|n| n == "V1")
        && records
            .get(1)
            .is_some_and(|record| record.iter().any(|cell| cell == "ResponseID"));
    let (layout, mut names) = if third_is_import_ids {
        (Layout::QualtricsThreeRow, file_names.clone())
    } else if legacy {
        let labels = &records[1];
        let names = file_names
            .iter()
            .enumerate()
            .map(|(index, name)| {
                let is_v_column =
                    name.starts_with('V') && name[1..].chars().all(|c| c.is_ascii_digit());
                match labels.get(index) {
                    Some(label) if is_v_column && !label.is_empty() => label.to_string(),
                    _ => name.clone(),
                }
            })
            .collect();
        (Layout::QualtricsLegacy, names)
    } else {
        (Layout::Plain, file_names.clone())
    };
    for name in &mut names {
        if let Some(renamed) = map.get(name.as_str()) {
            *name = renamed.clone();
        }
    }
    Ok(Header {
        layout,
        file_names,
        names,
    })
}

/// The polars type that holds an item's codes losslessly and compactly, if they are small whole numbers.
pub(super) fn compact_dtype(item: &FormItem) -> DataType {
    let fits = |value: f64| {
        value.fract() == 0.0 && value > f64::from(MISSING_CODE) && value <= f64::from(i16::MAX)
    };
    match &item.response {
        ResponseScale::Likert { values, .. } => {
            if values.iter().all(|v| fits(*v as f64)) {
                DataType::Int16
            } else {
                DataType::Float64
            }
        }
        ResponseScale::SingleChoice { options } => {
            if options.iter().all(|o| fits(o.value as f64)) {
                DataType::Int16
            } else {
                DataType::Float64
            }
        }
        ResponseScale::Numeric {
            min: Some(min),
            max: Some(max),
            integer: true,
            ..
        } if fits(*min) && fits(*max) => DataType::Int16,
        _ => DataType::Float64,
    }
}

/// Whether kith reads and checks an item's column (text and multiple-choice columns pass through).
pub(super) fn is_read(item: &FormItem) -> bool {
    !matches!(
        item.response,
        ResponseScale::Text { .. } | ResponseScale::MultipleChoice { .. }
    )
}

pub(super) fn polars_problem(error: PolarsError) -> DataProblem {
    DataProblem::file(
        "malformed-file",
        format!("the file cannot be read: {error}"),
        "check that the file is complete and in the format its extension says".to_string(),
    )
}

/// Reads a delimited file with polars; `typed` gives item columns their compact types.
pub(super) fn read_delimited(
    bytes: &[u8],
    separator: u8,
    header: &Header,
    typed: &HashMap<String, DataType>,
) -> PolarsResult<DataFrame> {
    let schema: Schema = header
        .file_names
        .iter()
        .zip(&header.names)
        .map(|(file_name, name)| {
            let dtype = typed.get(name).cloned().unwrap_or(DataType::String);
            Field::new(file_name.as_str().into(), dtype)
        })
        .collect();
    let skip = match header.layout {
        Layout::Plain => 0,
        Layout::QualtricsThreeRow => 2,
        Layout::QualtricsLegacy => 1,
    };
    let mut frame = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema(Some(Arc::new(schema)))
        .with_skip_rows_after_header(skip)
        .with_raise_if_empty(false)
        .map_parse_options(|options| {
            options
                .with_separator(separator)
                // Empty fields are missing already; `NA` is R's missing value.
                .with_null_values(Some(NullValues::AllColumnsSingle("NA".into())))
        })
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()?;
    for (file_name, name) in header.file_names.iter().zip(&header.names) {
        if file_name != name {
            frame.rename(file_name, name.as_str().into())?;
        }
    }
    Ok(frame)
}

pub(super) fn read_frame(
    source: &str,
    bytes: &[u8],
    form: &Form,
    options: &ReadOptions,
) -> Result<(DataFrame, Layout, Option<LabelledSummary>), DataErrors> {
    let fail = |problem: DataProblem| DataErrors {
        source_name: source.to_string(),
        problems: vec![problem],
    };
    let plain = |(frame, layout)| (frame, layout, None);
    let bytes = strip_bom(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(DataProblem::file(
            "empty-file",
            "the file is empty".to_string(),
            "export the responses again; the file has no header and no rows".to_string(),
        )));
    }
    crate::sniff::preflight(bytes, options.format).map_err(|problems| DataErrors {
        source_name: source.to_string(),
        problems,
    })?;
    let unreadable = || fail(crate::sniff::diagnose(bytes, options.format));
    match options.format {
        FileFormat::Csv | FileFormat::Tsv => {
            let separator = if options.format == FileFormat::Tsv {
                b'\t'
            } else {
                b','
            };
            let header = inspect_header(bytes, separator, &options.column_map)
                .map_err(|problem| fail(*problem))?;
            // The file's own names were checked before parsing; `--map` (or a legacy Qualtrics
            // header's labels) may still give two columns one name.
            let clashes = crate::sniff::header_names(&header.names);
            if !clashes.is_empty() {
                return Err(DataErrors {
                    source_name: source.to_string(),
                    problems: clashes,
                });
            }
            let typed: HashMap<String, DataType> = form
                .items()
                .filter(|item| is_read(item))
                .map(|item| (item.item.id.clone(), compact_dtype(item)))
                .collect();
            // The fast path only for plain files: Qualtrics exports are small and may hold labels.
            if header.layout == Layout::Plain
                && let Ok(frame) = read_delimited(bytes, separator, &header, &typed)
            {
                return Ok((frame, header.layout, None));
            }
            match read_delimited(bytes, separator, &header, &HashMap::new()) {
                Ok(frame) => Ok((frame, header.layout, None)),
                Err(_) => Err(unreadable()),
            }
        }
        FileFormat::Parquet => {
            let mut frame = ParquetReader::new(Cursor::new(bytes))
                .finish()
                .map_err(|_| unreadable())?;
            rename_mapped(&mut frame, &options.column_map).map_err(|e| fail(polars_problem(e)))?;
            Ok(plain((frame, Layout::Plain)))
        }
        FileFormat::JsonLines => {
            let mut frame = JsonReader::new(Cursor::new(bytes))
                .with_json_format(JsonFormat::JsonLines)
                .infer_schema_len(None)
                .finish()
                .map_err(|_| unreadable())?;
            if frame.columns().iter().any(|c| c.dtype().is_nested()) {
                return Err(unreadable());
            }
            rename_mapped(&mut frame, &options.column_map).map_err(|e| fail(polars_problem(e)))?;
            Ok(plain((frame, Layout::Plain)))
        }
        FileFormat::Spss | FileFormat::Stata => {
            let (frame, summary) = super::labelled::read_labelled(source, bytes, form, options)?;
            Ok((frame, Layout::Plain, Some(summary)))
        }
    }
}

pub(super) fn rename_mapped(
    frame: &mut DataFrame,
    map: &BTreeMap<String, String>,
) -> PolarsResult<()> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    for name in names {
        if let Some(renamed) = map.get(&name) {
            frame.rename(&name, renamed.as_str().into())?;
        }
    }
    Ok(())
}

/// The text of every cell of a column (nulls as `None`), whatever its type.
pub(super) fn column_text(column: &Column) -> PolarsResult<Vec<Option<String>>> {
    let text = column.cast(&DataType::String)?;
    Ok(text
        .as_materialized_series()
        .str()?
        .iter()
        .map(|cell| cell.map(str::to_string))
        .collect())
}

/// Keeps the rows of a Qualtrics export that are finished responses (unless partial ones are
/// wanted) and not previews, tests or spam.
pub(super) fn qualtrics_mask(
    frame: &DataFrame,
    include_partial: bool,
) -> PolarsResult<(Vec<bool>, DroppedRows)> {
    let height = frame.height();
    let mut keep = vec![true; height];
    let mut dropped = DroppedRows::default();
    if let Ok(status) = frame.column("Status") {
        for (row, cell) in column_text(status)?.into_iter().enumerate() {
            let kind = match cell.as_deref().map(str::trim) {
                Some("1") | Some("Survey Preview") => Some(&mut dropped.preview),
                Some("2") | Some("Survey Test") => Some(&mut dropped.test),
                Some("8") | Some("Spam") => Some(&mut dropped.spam),
                _ => None,
            };
            if let Some(count) = kind {
                *count += 1;
                keep[row] = false;
            }
        }
    }
    if !include_partial && let Ok(finished) = frame.column("Finished") {
        for (row, cell) in column_text(finished)?.into_iter().enumerate() {
            let unfinished = matches!(
                cell.as_deref().map(str::trim),
                Some("0") | Some("False") | Some("FALSE") | Some("false")
            );
            if unfinished && keep[row] {
                keep[row] = false;
                dropped.unfinished += 1;
            }
        }
    }
    Ok((keep, dropped))
}

//! The exported table: typed columns and cells, and the sinks that write rows as they are made
//! as CSV or JSON Lines (the binary writes Parquet through polars).

use std::io::Write;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Int(i64),
    Float(f64),
    Text(String),
}

/// The type of an exported column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Int,
    Float,
    Text,
}

/// A typed table: the columns and the rows, cell by cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, ColumnType)>,
    pub rows: Vec<Vec<Cell>>,
}

/// Where an export's rows go as they are made: the header once, then batches of rows (each
/// batch taken out of the vector passed), then `finish`.
pub trait RowSink {
    fn header(&mut self, columns: &[(String, ColumnType)]) -> std::io::Result<()>;
    /// Writes one row.
    fn row(&mut self, row: &[Cell]) -> std::io::Result<()>;
    /// Takes the rows of a batch: a sink may move them out or leave them (the caller drops
    /// what is left). Unless a sink says otherwise, each row is written in turn.
    fn rows(&mut self, rows: &mut Vec<Vec<Cell>>) -> std::io::Result<()> {
        rows.iter().try_for_each(|row| self.row(row))
    }
    /// Flushes what is buffered; no rows come after it.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// A table collects the rows in memory.
impl RowSink for Table {
    fn header(&mut self, columns: &[(String, ColumnType)]) -> std::io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, row: &[Cell]) -> std::io::Result<()> {
        self.rows.push(row.to_vec());
        Ok(())
    }

    fn rows(&mut self, rows: &mut Vec<Vec<Cell>>) -> std::io::Result<()> {
        self.rows.append(rows);
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes rows as CSV as they come: empty cells are empty, numbers in their shortest exact
/// form (Rust's `Display`, never an exponent).
pub struct CsvSink<W: Write> {
    out: csv::Writer<W>,
    /// One cell's text, reused so that writing a number allocates nothing.
    cell: String,
}

impl<W: Write> std::fmt::Debug for CsvSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvSink").finish_non_exhaustive()
    }
}

impl<W: Write> CsvSink<W> {
    pub fn new(writer: W) -> CsvSink<W> {
        CsvSink {
            out: csv::Writer::from_writer(writer),
            cell: String::new(),
        }
    }
}

impl<W: Write> RowSink for CsvSink<W> {
    fn header(&mut self, columns: &[(String, ColumnType)]) -> std::io::Result<()> {
        self.out
            .write_record(columns.iter().map(|(name, _)| name.as_str()))?;
        Ok(())
    }

    fn row(&mut self, row: &[Cell]) -> std::io::Result<()> {
        use std::fmt::Write as _;
        for cell in row {
            let field: &str = match cell {
                Cell::Empty => "",
                Cell::Text(text) => text,
                Cell::Int(v) => {
                    self.cell.clear();
                    let _ = write!(self.cell, "{v}");
                    &self.cell
                }
                Cell::Float(v) => {
                    self.cell.clear();
                    let _ = write!(self.cell, "{v}");
                    &self.cell
                }
            };
            self.out.write_field(field)?;
        }
        self.out.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes rows as JSON Lines as they come: one object per row, empty cells as `null`.
pub struct JsonlSink<W: Write> {
    out: W,
    names: Vec<String>,
}

impl<W: Write> std::fmt::Debug for JsonlSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlSink")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl<W: Write> JsonlSink<W> {
    pub fn new(writer: W) -> JsonlSink<W> {
        JsonlSink {
            out: writer,
            names: Vec::new(),
        }
    }
}

impl<W: Write> RowSink for JsonlSink<W> {
    fn header(&mut self, columns: &[(String, ColumnType)]) -> std::io::Result<()> {
        self.names = columns.iter().map(|(name, _)| name.clone()).collect();
        Ok(())
    }

    fn row(&mut self, row: &[Cell]) -> std::io::Result<()> {
        let mut object = serde_json::Map::new();
        for (name, cell) in self.names.iter().zip(row) {
            let value = match cell {
                Cell::Empty => serde_json::Value::Null,
                Cell::Int(v) => serde_json::Value::from(*v),
                Cell::Float(v) => serde_json::Value::from(*v),
                Cell::Text(t) => serde_json::Value::from(t.as_str()),
            };
            object.insert(name.clone(), value);
        }
        serde_json::to_writer(&mut self.out, &object)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Table {
    /// Writes the table as CSV (as `CsvSink` does).
    pub fn write_csv(&self, writer: &mut dyn Write) -> std::io::Result<()> {
        self.write_into(&mut CsvSink::new(writer))
    }

    /// Writes the table as JSON Lines (as `JsonlSink` does).
    pub fn write_jsonl(&self, writer: &mut dyn Write) -> std::io::Result<()> {
        self.write_into(&mut JsonlSink::new(writer))
    }

    /// Writes the header and every row into `sink`, without copying the rows.
    fn write_into(&self, sink: &mut dyn RowSink) -> std::io::Result<()> {
        sink.header(&self.columns)?;
        self.rows.iter().try_for_each(|row| sink.row(row))?;
        sink.finish()
    }
}

//! The exported table: typed columns and cells, written as CSV or JSON Lines here (the binary
//! writes Parquet through polars).

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

impl Table {
    /// Writes the table as CSV: empty cells are empty, numbers in their shortest exact form.
    pub fn write_csv(&self, writer: &mut dyn Write) -> csv::Result<()> {
        let mut out = csv::Writer::from_writer(writer);
        out.write_record(self.columns.iter().map(|(name, _)| name.as_str()))?;
        for row in &self.rows {
            out.write_record(row.iter().map(|cell| match cell {
                Cell::Empty => String::new(),
                Cell::Int(v) => v.to_string(),
                Cell::Float(v) => v.to_string(),
                Cell::Text(t) => t.clone(),
            }))?;
        }
        out.flush()?;
        Ok(())
    }

    /// Writes the table as JSON Lines: one object per row, empty cells as `null`.
    pub fn write_jsonl(&self, writer: &mut dyn Write) -> std::io::Result<()> {
        for row in &self.rows {
            let mut object = serde_json::Map::new();
            for ((name, _), cell) in self.columns.iter().zip(row) {
                let value = match cell {
                    Cell::Empty => serde_json::Value::Null,
                    Cell::Int(v) => serde_json::Value::from(*v),
                    Cell::Float(v) => serde_json::Value::from(*v),
                    Cell::Text(t) => serde_json::Value::from(t.as_str()),
                };
                object.insert(name.clone(), value);
            }
            serde_json::to_writer(&mut *writer, &object)?;
            writer.write_all(b"\n")?;
        }
        writer.flush()
    }
}

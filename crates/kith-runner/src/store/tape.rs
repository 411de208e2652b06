//! A batch's query results as one byte buffer and a list of values. Reading a row copies its
//! texts into the buffer instead of allocating a `String` per column: the thread that reads
//! the store then allocates almost nothing, and the thread that parses the batch makes the
//! strings (and later frees them) itself.

use rusqlite::types::ValueRef;

/// One column's value in a row.
#[derive(Debug, Clone, Copy)]
enum Value {
    Null,
    Int(i64),
    /// A text, as a range of the buffer.
    Text(usize, usize),
}

/// Rows of values, read one after another with `Cursor`.
#[derive(Debug, Default)]
pub(super) struct Tape {
    bytes: Vec<u8>,
    values: Vec<Value>,
}

/// A value of a type the store does not hold in that column.
#[derive(Debug)]
pub(super) struct WrongType;

impl Tape {
    /// An empty tape with room for `size` (bytes, values), so that a batch like the last one
    /// fills it without growing it.
    pub fn with_capacity(size: (usize, usize)) -> Tape {
        Tape {
            bytes: Vec::with_capacity(size.0),
            values: Vec::with_capacity(size.1),
        }
    }

    /// How much the tape holds: (bytes, values).
    pub fn size(&self) -> (usize, usize) {
        (self.bytes.len(), self.values.len())
    }

    /// Appends the first `columns` columns of `row`; a real number or a blob (which no kith
    /// column holds) is refused.
    pub fn push(&mut self, row: &rusqlite::Row<'_>, columns: usize) -> rusqlite::Result<()> {
        for index in 0..columns {
            let value = match row.get_ref(index)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Text(text) => {
                    let start = self.bytes.len();
                    self.bytes.extend_from_slice(text);
                    Value::Text(start, self.bytes.len())
                }
                other => {
                    return Err(rusqlite::Error::InvalidColumnType(
                        index,
                        String::new(),
                        other.data_type(),
                    ));
                }
            };
            self.values.push(value);
        }
        Ok(())
    }

    pub fn cursor(&self) -> Cursor<'_> {
        Cursor { tape: self, at: 0 }
    }
}

/// Reads a tape's values in the order they were pushed.
pub(super) struct Cursor<'a> {
    tape: &'a Tape,
    at: usize,
}

impl Cursor<'_> {
    /// Whether every value has been read.
    pub fn done(&self) -> bool {
        self.at >= self.tape.values.len()
    }

    fn next(&mut self) -> Result<Value, WrongType> {
        let value = self.tape.values.get(self.at).copied().ok_or(WrongType)?;
        self.at += 1;
        Ok(value)
    }

    pub fn text(&mut self) -> Result<String, WrongType> {
        self.optional_text()?.ok_or(WrongType)
    }

    pub fn optional_text(&mut self) -> Result<Option<String>, WrongType> {
        match self.next()? {
            Value::Null => Ok(None),
            Value::Text(start, end) => {
                let bytes = self.tape.bytes.get(start..end).ok_or(WrongType)?;
                String::from_utf8(bytes.to_vec())
                    .map(Some)
                    .map_err(|_| WrongType)
            }
            Value::Int(_) => Err(WrongType),
        }
    }

    pub fn int(&mut self) -> Result<i64, WrongType> {
        self.optional_int()?.ok_or(WrongType)
    }

    pub fn optional_int(&mut self) -> Result<Option<i64>, WrongType> {
        match self.next()? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v)),
            Value::Text(..) => Err(WrongType),
        }
    }
}

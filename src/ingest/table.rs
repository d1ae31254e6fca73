//! Opening an input file: finding it, reading its header, resolving its columns, and checking
//! each row's shape before a reader looks at the values.

use std::path::Path;

use super::problem::{DataError, Problems};
use super::scan::{self, ChunkReader, Record, Scanner};
use super::schema::{self, FileKind};
use crate::config::Config;

/// Block size for reading; big enough to amortize hand-offs between threads.
pub const BLOCK: usize = 4 << 20;

/// An input file positioned after its header.
pub struct Table {
    pub kind: FileKind,
    pub reader: ChunkReader<Box<dyn std::io::Read + Send>>,
    pub delim: u8,
    pub size: u64,
    /// Number of header fields; rows must match it.
    pub width: usize,
    /// Position of each canonical column ([`FileKind::columns`] order).
    pub idx: Vec<Option<usize>>,
    /// The first block's bytes after the header.
    pub first: Vec<u8>,
    /// Line number of the first byte of `first`.
    pub first_line: u64,
}

impl Table {
    /// Opens `kind` in `dir`; a missing or empty file or a missing column is a [`DataError`].
    pub fn open(dir: &Path, kind: FileKind, config: &Config) -> Result<Table, DataError> {
        let name = kind.file_name();
        let path = dir.join(name);
        let mut opened = scan::open(&path, BLOCK).map_err(|e| match e {
            e if e.is_not_found() => DataError::file(name, format!("not found in {}", dir.display())),
            e => DataError::file(name, e.reason()),
        })?;
        let Some((_, first)) = opened.reader.next_chunk().map_err(|e| read_error(name, 1, e))? else {
            return Err(DataError::file(name, "the file is empty"));
        };
        let mut scanner = Scanner::new(&first, opened.delim, 1);
        let header: Vec<String> = match scanner.next_record() {
            None => return Err(DataError::file(name, "the file is empty")),
            Some(r) if r.error.is_some() => {
                return Err(DataError::at(name, 1, "the header has a quoted name that is never closed"));
            }
            Some(r) => r.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect(),
        };
        let first_line = scanner.line();
        let consumed = first.len() - scanner.remaining();
        let idx = schema::resolve(kind, &header, &config.columns[&kind])?;
        Ok(Table {
            kind,
            reader: opened.reader,
            delim: opened.delim,
            size: opened.size,
            width: header.len(),
            idx,
            first: first[consumed..].to_vec(),
            first_line,
        })
    }

    /// About how many data rows the file has, from the size of its first block's rows: lets
    /// a reader size its storage once instead of doubling it (each doubling briefly holds the
    /// old and the new copy, which was the peak of a state-sized load). An overestimate costs
    /// only address space; pages never written are never resident.
    pub fn estimated_rows(&self) -> usize {
        let rows = memchr::memchr_iter(b'\n', &self.first).count().max(1);
        let per_row = (self.first.len() / rows).max(1);
        let estimate = self.size as usize / per_row + rows;
        estimate + estimate / 20
    }

    /// Calls `row` for every well-formed data row, in file order; malformed rows are
    /// reported to `problems` and skipped. Returns the number of data rows seen. With `strict`,
    /// the first error (found here or by `row`) stops the read at once.
    pub fn for_each_row(
        mut self,
        problems: &mut Problems,
        strict: bool,
        mut row: impl FnMut(&Record, &[Option<usize>], &mut Problems),
    ) -> Result<u64, DataError> {
        let name = self.kind.file_name();
        let mut block = std::mem::take(&mut self.first);
        let mut line = self.first_line;
        let mut rows = 0;
        loop {
            let mut scanner = Scanner::new(&block, self.delim, line);
            while let Some(rec) = scanner.next_record() {
                rows += 1;
                match shape_problem(&rec, self.width) {
                    Some(msg) => problems.error(name, rec.line, msg),
                    None => row(&rec, &self.idx, problems),
                }
                if strict && let Some(p) = problems.first_error() {
                    return Err(p.strict_error());
                }
            }
            line = scanner.line();
            match self.reader.next_chunk().map_err(|e| read_error(name, line, e))? {
                Some((_, next)) => self.reader.recycle(std::mem::replace(&mut block, next)),
                None => return Ok(rows),
            }
        }
    }
}

/// A failed block read of `name` as a [`DataError`]; `line` is where the next record starts
/// (where a record that is too long begins).
pub fn read_error(name: &str, line: u64, e: std::io::Error) -> DataError {
    match e.get_ref().and_then(|i| i.downcast_ref::<scan::RecordTooLong>()) {
        Some(long) => DataError::at(name, line, long.to_string()),
        None => DataError::file(name, format!("cannot be read: {}", crate::io::os_reason(&e))),
    }
}

/// Why a row cannot be read at all (unclosed quote, wrong number of fields), if it cannot.
pub fn shape_problem(rec: &Record, width: usize) -> Option<String> {
    if let Some(e) = rec.error {
        return Some(e.to_string());
    }
    let n = rec.len();
    if n < width {
        return Some(format!("the row has {n} fields but the header has {width} (truncated row or wrong delimiter?)"));
    }
    if n > width && (width..n).any(|i| !rec.get(i).iter().all(|c| c.is_ascii_whitespace())) {
        return Some(format!(
            "the row has {n} fields but the header has {width} (an unquoted delimiter inside a value?)"
        ));
    }
    None
}

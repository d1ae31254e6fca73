//! Opening an input file: finding it, reading its header, resolving its columns, and checking
//! each row's shape before a reader looks at the values.

use std::path::Path;

use super::problem::{DataError, Problems};
use super::scan::{self, Block, ChunkReader, Record, Scanner};
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
    pub first: Block,
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
        let Some((_, mut first)) = opened.reader.next_chunk().map_err(|e| read_error(name, 1, e))? else {
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
        first.advance(consumed);
        Ok(Table {
            kind,
            reader: opened.reader,
            delim: opened.delim,
            size: opened.size,
            width: header.len(),
            idx,
            first,
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
            let (n, next_line) = self.shape().rows(&block, line, problems, strict, &mut row);
            rows += n;
            if strict && let Some(p) = problems.first_error() {
                return Err(p.strict_error());
            }
            line = next_line;
            match self.reader.next_chunk().map_err(|e| read_error(name, line, e))? {
                Some((_, next)) => self.reader.recycle(std::mem::replace(&mut block, next)),
                None => return Ok(rows),
            }
        }
    }

    /// What checking and reading its records needs of the table, apart from the reader (which
    /// cannot be shared with the threads that parse blocks).
    fn shape(&self) -> Shape<'_> {
        Shape { name: self.kind.file_name(), delim: self.delim, width: self.width, idx: &self.idx }
    }

    /// [`Table::for_each_row`] with the rows turned into items in parallel: blocks are read a
    /// wave at a time (two per thread), each block's rows are parsed by `row` on the rayon pool
    /// with its own problems and state `S`, and the items are handed to `take` in file order
    /// with the offset that makes their block-relative line numbers absolute. Waves keep
    /// memory at a few blocks and give the same items, problems and `--strict` error as a
    /// serial read.
    pub fn par_rows<S: Default, T: Send>(
        mut self,
        problems: &mut Problems,
        strict: bool,
        row: impl Fn(&mut S, &Record, &[Option<usize>], &mut Problems) -> Option<T> + Sync,
        mut take: impl FnMut(T, u64),
    ) -> Result<u64, DataError> {
        use rayon::prelude::*;
        let name = self.kind.file_name();
        let per_wave = 2 * rayon::current_num_threads().max(1);
        let mut wave = vec![std::mem::take(&mut self.first)];
        // Line of the next block's first byte.
        let mut line = self.first_line;
        let mut rows = 0;
        loop {
            let mut failed = None;
            while failed.is_none() && wave.len() < per_wave {
                match self.reader.next_chunk() {
                    Ok(Some((_, next))) => wave.push(next),
                    Ok(None) => break,
                    Err(e) => failed = Some(e),
                }
            }
            let end = wave.len() < per_wave && failed.is_none();
            let shape = self.shape();
            let parsed: Vec<(Vec<T>, Problems, u64, u64)> = wave
                .par_iter()
                .map(|block| {
                    let (mut items, mut found, mut state) = (Vec::new(), Problems::default(), S::default());
                    let (n, next_line) = shape
                        .rows(block, 1, &mut found, strict, |rec, idx, p| items.extend(row(&mut state, rec, idx, p)));
                    (items, found, n, next_line - 1)
                })
                .collect();
            for (items, found, n, lines) in parsed {
                let offset = line - 1;
                problems.extend(found.shifted(offset));
                if strict && let Some(p) = problems.first_error() {
                    return Err(p.strict_error());
                }
                items.into_iter().for_each(|t| take(t, offset));
                rows += n;
                line += lines;
            }
            if let Some(e) = failed {
                return Err(read_error(name, line, e));
            }
            if end {
                return Ok(rows);
            }
            wave.drain(..).for_each(|b| self.reader.recycle(b));
        }
    }
}

/// A table's file name, delimiter, width and columns: enough to read the records of a block.
#[derive(Clone, Copy)]
struct Shape<'a> {
    name: &'static str,
    delim: u8,
    width: usize,
    idx: &'a [Option<usize>],
}

impl Shape<'_> {
    /// Calls `row` for every well-formed record of `block` (its first byte on line
    /// `first_line`), reporting malformed ones; with `strict`, stops at the first error in
    /// `problems`. Returns the records seen and the line after the last.
    fn rows(
        &self,
        block: &[u8],
        first_line: u64,
        problems: &mut Problems,
        strict: bool,
        mut row: impl FnMut(&Record, &[Option<usize>], &mut Problems),
    ) -> (u64, u64) {
        let mut scanner = Scanner::new(block, self.delim, first_line);
        let mut rows = 0;
        while let Some(rec) = scanner.next_record() {
            rows += 1;
            match shape_problem(&rec, self.width) {
                Some(msg) => problems.error(self.name, rec.line, msg),
                None => row(&rec, self.idx, problems),
            }
            if strict && problems.first_error().is_some() {
                break;
            }
        }
        (rows, scanner.line())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::people::{Assessment, SharedText};

    /// assessments.csv with bad rows spread through it, quoted line breaks and Latin-1 text.
    fn assessments_csv() -> Vec<u8> {
        let mut out = b"member_id,assessment_date,pcp_response,county,acuity,care_manager_id\n".to_vec();
        for i in 0..3000 {
            let row = match i % 97 {
                5 => format!("M{i},2025-13-40,Riverside FM,Jackson,low,CM1\n"),
                11 => format!("M{i},2025-01-02,\"Oak Hill\nPrimary Care\",Fulton,high,CM2\n"),
                23 => format!("M{i},2025-01-02,too,many,fields,here,and,more\n"),
                31 => ",2025-01-02,blank member,Jackson,low,CM1\n".to_string(),
                47 => format!("M{i},2025-01-02,Dr Lee,Jackson,very,CM3\n"),
                _ => format!(
                    "M{i},2025-01-{:02},Liberty Family Practice,County {},medium,CM{}\n",
                    i % 28 + 1,
                    i % 7,
                    i % 40
                ),
            };
            out.extend_from_slice(row.as_bytes());
            if i % 301 == 0 {
                out.extend_from_slice(b"M\xe9,2025-02-02,Caf\xe9 Clinic,Jackson,low,CM1\n");
            }
        }
        out
    }

    /// The table of `bytes`, read in blocks of `block` bytes.
    fn table(dir: &Path, bytes: &[u8], block: usize) -> Table {
        std::fs::write(dir.join("assessments.csv"), bytes).unwrap();
        let mut t = Table::open(dir, FileKind::Assessments, &Config::default()).unwrap();
        let body = bytes[memchr::memchr(b'\n', bytes).unwrap() + 1..].to_vec();
        t.reader = ChunkReader::new(Box::new(std::io::Cursor::new(body)), block, b',');
        t.first = t.reader.next_chunk().unwrap().unwrap().1;
        t.first_line = 2;
        t
    }

    fn serial(dir: &Path, bytes: &[u8], strict: bool) -> (Result<u64, DataError>, Vec<Assessment>, Problems) {
        let (mut items, mut problems, mut shared) = (Vec::new(), Problems::default(), SharedText::default());
        let rows = table(dir, bytes, 1 << 20).for_each_row(&mut problems, strict, |rec, idx, p| {
            items.extend(Assessment::parse(&mut shared, rec, idx, p));
        });
        (rows, items, problems)
    }

    /// Parsed in parallel from small blocks, the rows give what the serial reader gives: the same
    /// assessments with the same lines, the same problems in order, the same `--strict` error.
    #[test]
    fn parallel_rows_are_the_serial_rows() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = assessments_csv();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        for strict in [false, true] {
            let (want_rows, want, want_problems) = serial(dir.path(), &bytes, strict);
            assert!(strict || want_problems.errors > 50 && want_problems.warnings > 30, "the data has problems");
            for block in [97, 1000, 64 << 10] {
                let (mut got, mut problems) = (Vec::new(), Problems::default());
                let rows = pool.install(|| {
                    table(dir.path(), &bytes, block).par_rows(&mut problems, strict, Assessment::parse, |mut a, off| {
                        a.line += off;
                        got.push(a)
                    })
                });
                assert_eq!(rows, want_rows, "block {block}, strict {strict}");
                if !strict {
                    assert_eq!(got, want, "block {block}");
                    assert_eq!(problems.list, want_problems.list, "block {block}");
                    assert_eq!((problems.errors, problems.warnings), (want_problems.errors, want_problems.warnings));
                }
            }
        }
    }
}

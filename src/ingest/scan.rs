//! A small CSV scanner built for streaming big files in parallel.
//!
//! [`ChunkReader`] cuts a file into blocks that end on a record boundary (respecting quoted
//! newlines), so workers can parse blocks independently; [`Scanner`] walks the records of one
//! block without allocating per field (quoted records are unescaped into one scratch buffer).
//! Quoting follows RFC 4180: a quote opens only at the start of a field, `""` is a literal quote.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use crate::io::ReadError;
use crate::io::mapped::{self, Mapped};

use memchr::{memchr, memchr2, memrchr};

use super::seps::Seps;

/// Where a block's bytes start: used to turn block-relative line numbers into file lines.
#[derive(Debug, Clone, Copy)]
pub struct Chunk {
    pub index: usize,
    /// Byte offset of the block in the file, for progress.
    pub offset: u64,
    /// False when the block is known to hold no quote (the reader looked for one to cut it),
    /// so its scanner need not look again ([`Scanner::with_quotes`]).
    pub quotes: bool,
}

/// A record that has not ended after `.0` bytes: a file without line breaks (or an endless
/// device behind a link) is refused instead of filling memory.
#[derive(Debug, thiserror::Error)]
#[error("a single record is longer than {} MB (a file without line breaks?); refusing to read on", .0 >> 20)]
pub struct RecordTooLong(pub usize);

/// A block of whole records: bytes read into a buffer of ours, or a range of a mapped file.
#[derive(Debug)]
pub enum Block {
    Owned(Vec<u8>),
    Mapped(Arc<Mapped>, std::ops::Range<usize>),
}

impl Default for Block {
    fn default() -> Self {
        Block::Owned(Vec::new())
    }
}

impl std::ops::Deref for Block {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Block::Owned(v) => v,
            Block::Mapped(map, range) => &map[range.clone()],
        }
    }
}

/// A mapped block's pages leave the process when the block is dropped: the page cache keeps
/// them, but counted in the process's resident memory a 1.2 GB file would be 1.2 GB of peak.
impl Drop for Block {
    fn drop(&mut self) {
        if let Block::Mapped(map, range) = self {
            mapped::release(map, range.clone());
        }
    }
}

impl Block {
    /// Drops the first `n` bytes (a header already read).
    pub fn advance(&mut self, n: usize) {
        match self {
            Block::Owned(v) => drop(v.drain(..n.min(v.len()))),
            Block::Mapped(_, range) => range.start = (range.start + n).min(range.end),
        }
    }
}

/// Reads a file as blocks of whole records.
pub struct ChunkReader<R> {
    inner: R,
    /// Set for a mapped file: blocks are cut from it (from `offset` on) and `inner` is unused.
    map: Option<Arc<Mapped>>,
    /// Bytes read but not yet handed out are `pending[..filled]`; the rest of `pending` is
    /// initialized scratch, so refilling it needs no zeroing.
    pending: Vec<u8>,
    filled: usize,
    /// Blocks handed back by consumers ([`ChunkReader::recycle`]), reused instead of
    /// allocating: a fresh 4 MB block costs page faults and kernel page clearing per block.
    spare: Vec<Vec<u8>>,
    block: usize,
    eof: bool,
    delim: u8,
    next_index: usize,
    offset: u64,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(inner: R, block: usize, delim: u8) -> Self {
        ChunkReader {
            inner,
            map: None,
            pending: Vec::new(),
            filled: 0,
            spare: Vec::new(),
            block: block.max(1),
            eof: false,
            delim,
            next_index: 0,
            offset: 0,
        }
    }

    /// Cuts blocks from `map`, starting at byte `start` (after a byte-order mark); `inner` is
    /// not read.
    pub fn mapped(inner: R, map: Mapped, start: usize, block: usize, delim: u8) -> Self {
        let mut reader = Self::new(inner, block, delim);
        reader.offset = start.min(map.len()) as u64;
        reader.map = Some(Arc::new(map));
        reader
    }

    /// Hands back a block's buffer once its consumer is done with it.
    pub fn recycle(&mut self, mut block: Block) {
        if let Block::Owned(buf) = &mut block {
            self.spare.push(std::mem::take(buf));
        }
    }

    /// Reads until `pending` holds `end` bytes or the file ends.
    fn fill(&mut self, end: usize) -> io::Result<()> {
        if self.pending.len() < end {
            // Exactly: every block buffer stays one block in size.
            self.pending.reserve_exact(end - self.pending.len());
            self.pending.resize(end, 0);
        }
        while self.filled < end {
            match self.inner.read(&mut self.pending[self.filled..end]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Next block of whole records, or `None` at the end of the file.
    pub fn next_chunk(&mut self) -> io::Result<Option<(Chunk, Block)>> {
        if let Some(map) = &self.map {
            return self.next_mapped(Arc::clone(map));
        }
        // How much `pending` should hold: one block, or one more block while a record is
        // longer than what has been read so far.
        let mut want = self.block;
        loop {
            if !self.eof {
                self.fill(want)?;
            }
            let read = &self.pending[..self.filled];
            let quotes = memchr(b'"', read).is_some();
            let cut = if self.eof {
                (!read.is_empty()).then_some(read.len())
            } else {
                last_record_end(read, self.delim, quotes)
            };
            match cut {
                Some(cut) => {
                    // The bytes after the cut move to the front of a spare buffer, which
                    // becomes the pending one.
                    let mut next = self.spare.pop().unwrap_or_default();
                    let rest = self.filled - cut;
                    if next.len() < rest {
                        next.resize(rest, 0);
                    }
                    next[..rest].copy_from_slice(&self.pending[cut..self.filled]);
                    self.filled = rest;
                    let mut data = std::mem::replace(&mut self.pending, next);
                    data.truncate(cut);
                    let chunk = Chunk { index: self.next_index, offset: self.offset, quotes };
                    self.next_index += 1;
                    self.offset += data.len() as u64;
                    return Ok(Some((chunk, Block::Owned(data))));
                }
                None if self.eof => return Ok(None),
                None if self.pending.len() > self.max_record() => {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong(self.max_record())));
                }
                // One record longer than what is read: read one more block.
                None => want = self.filled + self.block,
            }
        }
    }

    /// [`ChunkReader::next_chunk`] of a mapped file: the same cuts, with no bytes copied.
    fn next_mapped(&mut self, map: Arc<Mapped>) -> io::Result<Option<(Chunk, Block)>> {
        let start = self.offset as usize;
        let mut want = self.block;
        loop {
            // As a read sees the end: only once fewer bytes are left than it asked for.
            let eof = start + want > map.len();
            let end = (start + want).min(map.len());
            let read = &map[start..end];
            let quotes = memchr(b'"', read).is_some();
            let cut =
                if eof { (!read.is_empty()).then_some(read.len()) } else { last_record_end(read, self.delim, quotes) };
            match cut {
                Some(cut) => {
                    let chunk = Chunk { index: self.next_index, offset: self.offset, quotes };
                    self.next_index += 1;
                    self.offset += cut as u64;
                    return Ok(Some((chunk, Block::Mapped(map, start..start + cut))));
                }
                None if eof => return Ok(None),
                None if want > self.max_record() => {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLong(self.max_record())));
                }
                None => want += self.block,
            }
        }
    }
}

impl<R> ChunkReader<R> {
    /// The buffer holds at most this much of one record (plus one block).
    fn max_record(&self) -> usize {
        crate::io::MAX_RECORD.max(self.block)
    }
}

/// Position just after the last record-ending newline of `buf`, if any.
///
/// Jumps from quote to newline with `memchr2` rather than looking at every byte (this runs on
/// the reading thread, for every block with a quote in it): a quote opens a quoted field only
/// at a field's start, that is right after a delimiter or a line break, and the quoted field
/// is skipped whole.
/// `quotes` says whether `buf` holds a quote at all.
fn last_record_end(buf: &[u8], delim: u8, quotes: bool) -> Option<usize> {
    if !quotes {
        return memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut last = None;
    let mut i = 0;
    while let Some(k) = memchr2(b'"', b'\n', &buf[i..]) {
        let at = i + k;
        i = at + 1;
        if buf[at] == b'\n' {
            last = Some(at + 1);
        } else if at == 0 || buf[at - 1] == delim || buf[at - 1] == b'\n' {
            loop {
                match memchr(b'"', &buf[i..]) {
                    None => return last,
                    Some(q) if buf.get(i + q + 1) == Some(&b'"') => i += q + 2,
                    Some(q) => {
                        i += q + 1;
                        break;
                    }
                }
            }
        }
    }
    last
}

/// One parsed record, borrowed from the scanner.
pub struct Record<'a> {
    data: &'a [u8],
    ranges: &'a [(usize, usize)],
    /// Line (1-based, relative to the block's first line) where the record starts.
    pub line: u64,
    /// Set when the record is malformed (an unclosed quote).
    pub error: Option<&'static str>,
}

impl<'a> Record<'a> {
    /// A record assembled from other records' fields (a TAF line joined with its claim).
    pub fn from_parts(data: &'a [u8], ranges: &'a [(usize, usize)], line: u64) -> Self {
        Record { data, ranges, line, error: None }
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The field at `i`, or empty when the record is shorter.
    pub fn get(&self, i: usize) -> &'a [u8] {
        self.ranges.get(i).map_or(&[], |&(s, e)| &self.data[s..e])
    }

    /// The field at an optional column position.
    pub fn col(&self, i: Option<usize>) -> &'a [u8] {
        i.map_or(&[], |i| self.get(i))
    }

    /// A text field, trimmed; not-UTF-8 bytes are read as Latin-1 and flagged in `latin1`
    /// (the caller reports one warning per row).
    pub fn text(&self, i: Option<usize>, latin1: &mut bool) -> String {
        let (s, bad) = super::fields::decode(self.col(i));
        *latin1 |= bad;
        s.into_owned()
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Walks the records of one block.
pub struct Scanner<'b> {
    buf: &'b [u8],
    pos: usize,
    delim: u8,
    line: u64,
    ranges: Vec<(usize, usize)>,
    scratch: Vec<u8>,
    /// Set when the block has no quote at all (the usual case): records are then cut from a
    /// running separator mask in one pass, see [`Scanner::plain_record`].
    seps: Option<Seps<'b>>,
}

impl<'b> Scanner<'b> {
    /// `first_line` is the line number of the block's first byte.
    pub fn new(buf: &'b [u8], delim: u8, first_line: u64) -> Self {
        Self::with_quotes(buf, delim, first_line, memchr(b'"', buf).is_some())
    }

    /// [`Scanner::new`] for a block whose reader already knows whether it holds a quote
    /// (`quotes` may be true of a block without one: the record walk is then the slower one,
    /// with the same records).
    pub fn with_quotes(buf: &'b [u8], delim: u8, first_line: u64, quotes: bool) -> Self {
        let seps = (!quotes).then(|| Seps::new(buf, delim, 0));
        Scanner { buf, pos: 0, delim, line: first_line, ranges: Vec::with_capacity(16), scratch: Vec::new(), seps }
    }

    /// Lines consumed so far (the line number the next record would start on).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next record, skipping blank lines; `None` at the end of the block.
    ///
    /// Inlined, as is the quote-free walk: returned from a call, the record went through
    /// memory on every line of the claims loop (the top instruction of its profile).
    #[inline(always)]
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        if self.seps.is_some() {
            return self.plain_record();
        }
        loop {
            if self.pos >= self.buf.len() {
                return None;
            }
            let rest = &self.buf[self.pos..];
            let nl = memchr(b'\n', rest);
            let line_end = nl.unwrap_or(rest.len());
            let phys = &rest[..line_end];
            if phys.iter().all(|&c| c == b'\r') {
                self.pos += line_end + 1;
                self.line += 1;
                continue;
            }
            let start_line = self.line;
            if memchr(b'"', phys).is_none() {
                self.ranges.clear();
                let mut s = self.pos;
                let end = self.pos + line_end;
                let end_trim = if end > s && self.buf[end - 1] == b'\r' { end - 1 } else { end };
                let base = s;
                for d in memchr::memchr_iter(self.delim, &self.buf[base..end_trim]) {
                    self.ranges.push((s, base + d));
                    s = base + d + 1;
                }
                self.ranges.push((s, end_trim));
                self.pos = (end + 1).min(self.buf.len());
                self.line += 1;
                return Some(Record { data: self.buf, ranges: &self.ranges, line: start_line, error: None });
            }
            let error = self.quoted_record();
            return Some(Record { data: &self.scratch, ranges: &self.ranges, line: start_line, error });
        }
    }

    /// [`Scanner::next_record`] for a block without quotes: one record is one line, its fields
    /// end at the separators the mask walk yields, so each byte is looked at once.
    #[inline(always)]
    fn plain_record(&mut self) -> Option<Record<'_>> {
        let (buf, delim) = (self.buf, self.delim);
        let seps = self.seps.as_mut().expect("plain mode");
        loop {
            if self.pos >= buf.len() {
                return None;
            }
            let ranges = &mut self.ranges;
            ranges.clear();
            let mut start = self.pos;
            let end = loop {
                match seps.next_sep() {
                    Some(i) if buf[i] == delim => {
                        ranges.push((start, i));
                        start = i + 1;
                    }
                    Some(i) => break i,
                    None => break buf.len(),
                }
            };
            let end_trim = if end > start && buf[end - 1] == b'\r' { end - 1 } else { end };
            ranges.push((start, end_trim));
            self.pos = end + 1;
            self.line += 1;
            // A blank line (nothing but CRs) is no record.
            if ranges.len() == 1 && buf[ranges[0].0..end].iter().all(|&c| c == b'\r') {
                continue;
            }
            return Some(Record { data: buf, ranges: &self.ranges, line: self.line - 1, error: None });
        }
    }

    /// Parses a record containing quotes into `scratch`; advances `pos` and `line`.
    fn quoted_record(&mut self) -> Option<&'static str> {
        self.ranges.clear();
        self.scratch.clear();
        let buf = self.buf;
        let mut i = self.pos;
        loop {
            let start = self.scratch.len();
            if buf.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match memchr2(b'"', b'\n', &buf[i..]) {
                        None => {
                            self.scratch.extend_from_slice(&buf[i..]);
                            self.line += 1;
                            self.ranges.push((start, self.scratch.len()));
                            self.pos = buf.len();
                            return Some("a quoted field is never closed (unbalanced quote)");
                        }
                        Some(q) if buf[i + q] == b'\n' => {
                            self.scratch.extend_from_slice(&buf[i..=i + q]);
                            self.line += 1;
                            i += q + 1;
                        }
                        Some(q) if buf.get(i + q + 1) == Some(&b'"') => {
                            self.scratch.extend_from_slice(&buf[i..=i + q]);
                            i += q + 2;
                        }
                        Some(q) => {
                            self.scratch.extend_from_slice(&buf[i..i + q]);
                            i += q + 1;
                            break;
                        }
                    }
                }
            }
            // Unquoted part (or text after a closing quote, kept as is).
            let rest = &buf[i..];
            let stop = memchr2(self.delim, b'\n', rest).unwrap_or(rest.len());
            let mut piece = &rest[..stop];
            if stop < rest.len() && rest[stop] == b'\n' || stop == rest.len() {
                piece = piece.strip_suffix(b"\r").unwrap_or(piece);
            }
            self.scratch.extend_from_slice(piece);
            self.ranges.push((start, self.scratch.len()));
            i += stop;
            if i >= buf.len() {
                self.line += 1;
                self.pos = buf.len();
                return None;
            }
            if buf[i] == b'\n' {
                self.line += 1;
                self.pos = i + 1;
                return None;
            }
            i += 1; // delimiter
        }
    }
}

/// An input file opened for scanning: its delimiter, header and a reader positioned after
/// the byte-order mark.
pub struct Opened {
    pub reader: ChunkReader<Box<dyn Read + Send>>,
    pub delim: u8,
    pub size: u64,
}

/// Opens a CSV file (a regular file only: a FIFO or device is refused), skips a UTF-8 BOM
/// and detects the delimiter from the first line (comma unless the first line has none and
/// has semicolons, tabs or pipes).
pub fn open(path: &Path, block: usize) -> Result<Opened, ReadError> {
    let mut file = crate::io::open_regular(path)?;
    let err = |cause| ReadError::Io { path: path.to_path_buf(), cause };
    let size = file.metadata().map_err(err)?.len();
    let mut head = vec![0u8; 64 * 1024];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(err(e)),
        }
    }
    head.truncate(n);
    let bom = if head.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let delim = detect_delimiter(&head[bom..]);
    if size >= mapped::MIN_MAPPED
        && let Some(map) = mapped::map(&file).filter(|m| m.len() as u64 >= mapped::MIN_MAPPED)
    {
        // Test-only hook: the file named by its whole path is cut short once mapped, as
        // another program might do (tests/terminal.rs shows what the user then sees).
        #[cfg(debug_assertions)]
        if std::env::var_os("CAREALIGN_TEST_SHRINK").is_some_and(|p| path == Path::new(&p)) {
            let _ = std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.set_len(0));
        }
        let reader = ChunkReader::mapped(Box::new(io::empty()) as Box<dyn Read + Send>, map, bom, block, delim);
        return Ok(Opened { reader, delim, size });
    }
    head.drain(..bom);
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(file));
    Ok(Opened { reader: ChunkReader::new(reader, block, delim), delim, size })
}

/// Picks the delimiter of a file from its first record, counting only characters outside
/// quotes (a quoted header name may hold a comma).
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut line = Vec::new();
    let mut quoted = false;
    for &c in head {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => line.push(c),
            _ => {}
        }
    }
    let count = |d: u8| line.iter().filter(|&&c| c == d).count();
    if count(b',') > 0 {
        return b',';
    }
    [b';', b'\t', b'|'].into_iter().max_by_key(|&d| count(d)).filter(|&d| count(d) > 0).unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The byte-at-a-time state machine `last_record_end` replaced: its reference.
    fn byte_by_byte(buf: &[u8], delim: u8) -> Option<usize> {
        if memchr(b'"', buf).is_none() {
            return memrchr(b'\n', buf).map(|i| i + 1);
        }
        let mut last = None;
        let mut i = 0;
        let mut field_start = true;
        while i < buf.len() {
            let c = buf[i];
            if field_start && c == b'"' {
                // Skip the quoted field.
                i += 1;
                loop {
                    match memchr(b'"', &buf[i..]) {
                        None => return last,
                        Some(q) if buf.get(i + q + 1) == Some(&b'"') => i += q + 2,
                        Some(q) => {
                            i += q + 1;
                            break;
                        }
                    }
                }
                field_start = false;
                continue;
            }
            if c == delim {
                field_start = true;
            } else if c == b'\n' {
                field_start = true;
                last = Some(i + 1);
            } else {
                field_start = false;
            }
            i += 1;
        }
        last
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The jumping search cuts where the byte-at-a-time state machine cuts, on CSV-like
        /// bytes full of quotes, escaped quotes, delimiters and line breaks.
        #[test]
        fn last_record_end_agrees_with_a_byte_by_byte_scan(
            buf in proptest::collection::vec(prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a')], 0..200)
        ) {
            prop_assert_eq!(last_record_end(&buf, b',', buf.contains(&b'"')), byte_by_byte(&buf, b','));
        }
    }

    fn all(buf: &[u8], delim: u8) -> Vec<(u64, Vec<String>, bool)> {
        let mut s = Scanner::new(buf, delim, 1);
        let mut out = Vec::new();
        while let Some(r) = s.next_record() {
            out.push((
                r.line,
                r.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect(),
                r.error.is_some(),
            ));
        }
        out
    }

    #[test]
    fn plain_quoted_crlf_blank() {
        let got = all(b"a,b,c\r\n\r\n1,\"x, \"\"y\"\"\",3\n\"multi\nline\",2,\n4,5,6", b',');
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b".into(), "c".into()], false),
                (3, vec!["1".into(), "x, \"y\"".into(), "3".into()], false),
                (4, vec!["multi\nline".into(), "2".into(), "".into()], false),
                (6, vec!["4".into(), "5".into(), "6".into()], false),
            ]
        );
    }

    #[test]
    fn unbalanced_quote_and_mid_field_quote() {
        let got = all(b"a,5'10\" tall,c\n\"open,x\ny\n", b',');
        assert_eq!(got[0].1, vec!["a", "5'10\" tall", "c"]);
        assert!(got[1].2);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(detect_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(detect_delimiter(b"a,b;c\n"), b',');
        assert_eq!(detect_delimiter(b"abc"), b',');
        assert_eq!(detect_delimiter(b"\"id, new\";b\n"), b';', "a comma inside quotes");
        assert_eq!(detect_delimiter(b"\"a\nb,c\";d\n1;2"), b';', "a line break inside quotes");
    }

    #[test]
    fn an_endless_record_is_refused_not_buffered() {
        let endless = io::repeat(b'x');
        let mut r = ChunkReader::new(endless, 64 * 1024, b',');
        let e = r.next_chunk().unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<RecordTooLong>()), "{e}");
        assert!(r.pending.len() <= 2 * crate::io::MAX_RECORD);
    }

    fn chunks_of(data: &[u8], block: usize) -> Vec<Vec<u8>> {
        let mut r = ChunkReader::new(data, block, b',');
        let mut out = Vec::new();
        while let Some((_, c)) = r.next_chunk().unwrap() {
            out.push(c.to_vec());
        }
        out
    }

    /// Blocks (bytes, quote flag and offset) of `data`, read and mapped from a file.
    fn read_and_mapped(data: &[u8], block: usize) -> [Vec<(Vec<u8>, bool, u64)>; 2] {
        let mut file = tempfile::tempfile().unwrap();
        io::Write::write_all(&mut file, data).unwrap();
        let map = mapped::map(&file).unwrap_or_else(|| panic!("{} bytes not mapped", data.len()));
        let mut readers = [ChunkReader::new(data, block, b','), ChunkReader::mapped(data, map, 0, block, b',')];
        readers.each_mut().map(|r| {
            let mut out = Vec::new();
            while let Some((c, b)) = r.next_chunk().unwrap() {
                out.push((b.to_vec(), c.quotes, c.offset));
            }
            out
        })
    }

    #[test]
    fn a_mapped_file_is_cut_where_a_read_one_is() {
        // Quoted line breaks, a record longer than a block, CRLF and no final line break.
        let mut data = Vec::new();
        for i in 0..3000 {
            match i % 7 {
                0 => data.extend_from_slice(b"\"a\nb\",\"c\"\"d\"\n"),
                3 => data.extend_from_slice(format!("{}\r\n", "x".repeat(300)).as_bytes()),
                _ => data.extend_from_slice(format!("m{i},2025-01-0{},y\n", i % 9 + 1).as_bytes()),
            }
        }
        data.extend_from_slice(b"last,row");
        for block in [64, 257, 4096] {
            let [read, mapped] = read_and_mapped(&data, block);
            assert_eq!(read, mapped, "block {block}");
            assert_eq!(mapped.iter().flat_map(|b| b.0.clone()).collect::<Vec<u8>>(), data);
        }
        // A window that ends exactly at the end of the file, after a partial record (found
        // in review: the mapped reader took the end of the map for the end of the file).
        for (data, block) in [(&b"a,b\ncd"[..], 6), (b"a,b\ncd\n", 8), (b"a,b\n\"c\nd", 8), (b"abcdef", 3)] {
            let [read, mapped] = read_and_mapped(data, block);
            assert_eq!(read, mapped, "{data:?} in blocks of {block}");
        }
    }

    #[test]
    fn a_map_shorter_than_its_byte_order_mark_is_an_empty_file() {
        let mut file = tempfile::tempfile().unwrap();
        io::Write::write_all(&mut file, b"ab").unwrap();
        let mut r = ChunkReader::mapped(io::empty(), mapped::map(&file).unwrap(), 3, 64, b',');
        assert!(r.next_chunk().unwrap().is_none());
    }

    #[test]
    fn a_mapped_endless_record_is_refused() {
        let data = vec![b'x'; 3 * crate::io::MAX_RECORD];
        let mut file = tempfile::tempfile().unwrap();
        io::Write::write_all(&mut file, &data).unwrap();
        let mut r = ChunkReader::mapped(io::empty(), mapped::map(&file).unwrap(), 0, 64 * 1024, b',');
        let e = r.next_chunk().unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<RecordTooLong>()), "{e}");
    }

    #[test]
    fn a_big_file_is_mapped_past_its_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let mut data = b"\xEF\xBB\xBFa;b\n".to_vec();
        while (data.len() as u64) < mapped::MIN_MAPPED {
            data.extend_from_slice(b"1;2\n");
        }
        std::fs::write(&path, &data).unwrap();
        let mut opened = open(&path, 1 << 20).unwrap();
        assert!(opened.reader.map.is_some(), "not mapped");
        assert_eq!(opened.delim, b';');
        let mut got = Vec::new();
        while let Some((_, b)) = opened.reader.next_chunk().unwrap() {
            got.extend_from_slice(&b);
        }
        assert_eq!(got, data[3..]);
    }

    proptest! {
        /// Cutting into blocks of any size yields the same records as scanning whole.
        #[test]
        fn chunking_preserves_records(
            rows in proptest::collection::vec(proptest::collection::vec("[a-c,\"\n ]{0,6}", 1..4), 0..12),
            block in 1usize..40,
        ) {
            let mut data = Vec::new();
            for row in &rows {
                let fields: Vec<String> = row.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
                data.extend_from_slice(fields.join(",").as_bytes());
                data.push(b'\n');
            }
            let whole = all(&data, b',');
            let mut pieces = Vec::new();
            let mut line = 1;
            for c in chunks_of(&data, block) {
                let mut s = Scanner::new(&c, b',', line);
                while let Some(r) = s.next_record() {
                    pieces.push((r.line, r.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect::<Vec<_>>(), r.error.is_some()));
                }
                line = s.line();
            }
            prop_assert_eq!(pieces, whole);
        }

        /// Quote-free blocks (cut by the separator mask) give the records a plain split on
        /// newlines and delimiters gives, CRs before a newline dropped and blank lines skipped.
        #[test]
        fn plain_blocks_split_like_lines(data in proptest::collection::vec(
            prop_oneof![Just(b','), Just(b'\n'), Just(b'\r'), Just(b' '), b'a'..=b'c'], 0..400)) {
            let mut want = Vec::new();
            for (line, phys) in (1..).zip(data.split(|&c| c == b'\n')) {
                let text = phys.strip_suffix(b"\r").unwrap_or(phys);
                if !phys.iter().all(|&c| c == b'\r') {
                    let fields = text.split(|&c| c == b',').map(|f| String::from_utf8_lossy(f).into_owned()).collect();
                    want.push((line, fields, false));
                }
            }
            prop_assert_eq!(all(&data, b','), want);
        }

        #[test]
        fn scanner_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200), block in 1usize..50) {
            for c in chunks_of(&data, block) {
                let mut s = Scanner::new(&c, b',', 1);
                while let Some(r) = s.next_record() {
                    let _ = r.fields().count();
                }
            }
        }
    }
}

//! claims.csv: streamed in blocks, parsed and aggregated in parallel.
//!
//! The reader thread cuts the file into blocks of whole records; worker threads parse them and
//! fold each crossover primary-care line into per-(member, practice) counters. Memory grows
//! with distinct (member, practice) pairs and members, never with lines. Problems carry
//! block-relative line numbers until the blocks' line counts are known, then are fixed up.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};

use rustc_hash::FxHashMap;

use super::fields::{Day, TAF_MISSING_DATE, is_missing_taxonomy, parse_flag, parse_npi, parse_service_date, trim};
use super::problem::{DataError, Problem, Problems, Severity};
use super::roster::Roster;
use super::scan::{Chunk, Scanner};
use super::schema::claims_col as col;
use super::table::{Table, shape_problem};
use crate::config::Config;

const FILE: &str = "claims.csv";

/// Crossover primary-care activity of one member at one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub member: u32,
    pub practice: u32,
    /// Crossover primary-care lines of the member at the practice.
    pub lines: u32,
    /// Latest service date among those lines.
    pub last: Day,
}

/// Line counts of a claims read, shown to the user so every line is accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimsStats {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows skipped as bad (reported as problems).
    pub skipped: u64,
    /// Good rows with the crossover flag set.
    pub crossover: u64,
    /// Crossover rows with a primary-care procedure code.
    pub pc_code: u64,
    /// Of those, lines by a clinician who is not a PCP.
    pub non_pcp: u64,
    /// Of those, lines that could not be placed in any practice.
    pub unattributed: u64,
    /// Crossover primary-care lines placed in at least one practice.
    pub attributed: u64,
}

impl ClaimsStats {
    fn add(&mut self, o: &ClaimsStats) {
        self.rows += o.rows;
        self.skipped += o.skipped;
        self.crossover += o.crossover;
        self.pc_code += o.pc_code;
        self.non_pcp += o.non_pcp;
        self.unattributed += o.unattributed;
        self.attributed += o.attributed;
    }
}

/// The aggregate of claims.csv that ranking and attribution need.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    pub stats: ClaimsStats,
    /// Member ids with at least one crossover primary-care line, sorted; `Pair::member` indexes it.
    pub members: MemberIds,
    /// Sorted by (member, practice).
    pub pairs: Vec<Pair>,
    /// NPIs of unattributed lines with their line counts, most lines first.
    pub unattributed_npis: Vec<(u64, u64)>,
}

/// Member ids stored once in one byte arena, numbered in order of first sight. A hash table
/// of numbers (compared against the arena) replaces a map of boxed strings: about a quarter
/// of the memory and no allocation per member.
#[derive(Default)]
struct Interner {
    bytes: Vec<u8>,
    /// (start, length) in `bytes` per id.
    spans: Vec<(u32, u32)>,
    table: hashbrown::HashTable<u32>,
}

fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(b)
}

fn span_of<'a>(bytes: &'a [u8], spans: &[(u32, u32)], id: u32) -> &'a [u8] {
    let (start, len) = spans[id as usize];
    &bytes[start as usize..(start + len) as usize]
}

impl Interner {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, id: u32) -> &[u8] {
        span_of(&self.bytes, &self.spans, id)
    }

    fn intern(&mut self, key: &[u8]) -> u32 {
        let h = hash_bytes(key);
        let (bytes, spans) = (&self.bytes, &self.spans);
        if let Some(&id) = self.table.find(h, |&id| span_of(bytes, spans, id) == key) {
            return id;
        }
        let id = self.spans.len() as u32;
        self.spans.push((self.bytes.len() as u32, key.len() as u32));
        self.bytes.extend_from_slice(key);
        let (bytes, spans) = (&self.bytes, &self.spans);
        self.table.insert_unique(h, id, |&id| hash_bytes(span_of(bytes, spans, id)));
        id
    }
}

/// Sorted member ids in one string (millions of members would otherwise be millions of
/// small allocations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemberIds {
    text: String,
    /// End of each id in `text`.
    ends: Vec<u32>,
}

impl MemberIds {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Position of `id`, if present.
    pub fn position(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Builds from ids already in sorted order.
    pub fn from_sorted<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut m = MemberIds::default();
        for id in ids {
            m.push(id);
        }
        m
    }

    /// Appends an id (callers keep the order sorted).
    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u32);
    }
}

/// Per-worker state: local member ids, pair counters and problems.
#[derive(Default)]
struct Local {
    members: Interner,
    pairs: FxHashMap<u64, (u32, Day)>,
    stats: ClaimsStats,
    unattributed: FxHashMap<u64, u64>,
    problems: Vec<(usize, Problem)>,
    errors: u64,
    warnings: u64,
    /// (block index, lines in block)
    block_lines: Vec<(usize, u64)>,
    scratch: Vec<u32>,
}

struct Ctx<'a> {
    roster: &'a Roster,
    config: &'a Config,
    idx: &'a [Option<usize>],
    width: usize,
    delim: u8,
}

impl Local {
    fn error(&mut self, block: usize, line: u64, message: String) {
        self.errors += 1;
        self.stats.skipped += 1;
        if self.problems.len() < Problems::KEEP {
            self.problems.push((block, Problem { file: FILE, line, severity: Severity::Error, message }));
        }
    }

    fn warning(&mut self, block: usize, line: u64, message: String) {
        self.warnings += 1;
        if self.problems.len() < Problems::KEEP {
            self.problems.push((block, Problem { file: FILE, line, severity: Severity::Warning, message }));
        }
    }

    fn block(&mut self, chunk: Chunk, data: &[u8], ctx: &Ctx) {
        let mut scanner = Scanner::new(data, ctx.delim, 1);
        while let Some(rec) = scanner.next_record() {
            self.stats.rows += 1;
            if let Some(msg) = shape_problem(&rec, ctx.width) {
                self.error(chunk.index, rec.line, msg);
                continue;
            }
            let line = rec.line;
            let member = trim(rec.get(ctx.idx[col::MEMBER].unwrap_or(0)));
            if member.is_empty() {
                self.error(chunk.index, line, "member_id is blank".into());
                continue;
            }
            if !member.is_ascii() && std::str::from_utf8(member).is_err() {
                self.warning(chunk.index, line, "member_id is not UTF-8 text; read as Latin-1".into());
            }
            let raw_flag = rec.col(ctx.idx[col::CROSSOVER]);
            let Some(crossover) = parse_flag(raw_flag) else {
                let msg = format!("crossover \"{}\" is not Y/N, 1/0 or true/false", shown(raw_flag));
                self.error(chunk.index, line, msg);
                continue;
            };
            let date = match parse_service_date(rec.col(ctx.idx[col::DATE])) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    self.error(chunk.index, line, format!("service_date is blank (or TAF's {TAF_MISSING_DATE})"));
                    continue;
                }
                Err(msg) => {
                    self.error(chunk.index, line, msg);
                    continue;
                }
            };
            let npi = |c: usize, name: &str| -> Result<Option<u64>, String> {
                let raw = rec.col(ctx.idx[c]);
                parse_npi(raw).map_err(|e| e.describe(name, raw))
            };
            let (rendering, billing) = match (npi(col::RENDERING, "rendering_npi"), npi(col::BILLING, "billing_npi")) {
                (Ok(r), Ok(b)) => (r, b),
                (Err(m), _) | (_, Err(m)) => {
                    self.error(chunk.index, line, m);
                    continue;
                }
            };
            if rendering.is_none() && billing.is_none() {
                self.error(chunk.index, line, "rendering_npi and billing_npi are both blank".into());
                continue;
            }
            if !crossover {
                continue;
            }
            self.stats.crossover += 1;
            if !ctx.config.is_pc_code(trim(rec.col(ctx.idx[col::CODE]))) {
                continue;
            }
            self.stats.pc_code += 1;
            let taxonomy = trim(rec.col(ctx.idx[col::TAXONOMY]));
            let taxonomy = if is_missing_taxonomy(taxonomy) { &[][..] } else { taxonomy };
            let in_roster = rendering.and_then(|n| ctx.roster.clinician(n));
            let pcp = if taxonomy.is_empty() {
                in_roster.is_some_and(|c| c.pcp)
            } else {
                ctx.config.is_pcp_taxonomy(taxonomy)
            };
            let practices = line_practices(ctx.roster, rendering, billing, &mut self.scratch);
            if practices.is_empty() {
                if pcp || (taxonomy.is_empty() && in_roster.is_none()) {
                    self.stats.unattributed += 1;
                    let npi = rendering.or(billing).unwrap_or(0);
                    *self.unattributed.entry(npi).or_default() += 1;
                } else {
                    self.stats.non_pcp += 1;
                }
                continue;
            }
            if !pcp {
                self.stats.non_pcp += 1;
                continue;
            }
            self.stats.attributed += 1;
            let m = self.members.intern(member);
            for i in 0..self.scratch.len() {
                let key = (u64::from(m) << 32) | u64::from(self.scratch[i]);
                let e = self.pairs.entry(key).or_insert((0, date));
                e.0 += 1;
                e.1 = e.1.max(date);
            }
        }
        self.block_lines.push((chunk.index, scanner.line() - 1));
    }
}

/// The practices a line counts for (SPEC "Line → practice"), written into `out`: the rendering
/// NPI's practices, narrowed to those that also hold the billing NPI when there are several and
/// some do; a rendering NPI missing from the roster falls back to the billing NPI's practices.
pub fn line_practices<'o>(
    roster: &Roster,
    rendering: Option<u64>,
    billing: Option<u64>,
    out: &'o mut Vec<u32>,
) -> &'o [u32] {
    out.clear();
    let rend = rendering.map_or(&[][..], |n| roster.practices_of(n));
    let bill = billing.map_or(&[][..], |n| roster.practices_of(n));
    if rend.is_empty() {
        out.extend_from_slice(bill);
    } else {
        if rend.len() > 1 {
            out.extend(rend.iter().filter(|p| bill.binary_search(p).is_ok()));
        }
        if out.is_empty() {
            out.extend_from_slice(rend);
        }
    }
    out
}

fn shown(raw: &[u8]) -> String {
    String::from_utf8_lossy(trim(raw)).chars().take(30).collect()
}

/// Reads claims.csv through `table`, aggregating in parallel. `progress.0` is set to
/// `progress.1` plus the bytes handed to workers so far.
pub fn read(
    table: Table,
    roster: &Roster,
    config: &Config,
    progress: (&AtomicU64, u64),
    problems: &mut Problems,
) -> Result<Claims, DataError> {
    let Table { mut reader, delim, width, idx, first, first_line, .. } = table;
    let ctx = Ctx { roster, config, idx: &idx, width, delim };
    let workers = rayon::current_num_threads().max(1);
    let (tx, rx) = mpsc::sync_channel::<(Chunk, Vec<u8>)>(workers * 2);
    let rx = Mutex::new(rx);
    let mut read_error = None;
    let locals: Vec<Local> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut local = Local::default();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        match next {
                            Ok(Ok((chunk, data))) => local.block(chunk, &data, &ctx),
                            _ => return local,
                        }
                    }
                })
            })
            .collect();
        let send = |chunk: Chunk, data: Vec<u8>| {
            progress.0.store(progress.1 + chunk.offset + data.len() as u64, Ordering::Relaxed);
            tx.send((chunk, data)).is_ok()
        };
        if send(Chunk { index: 0, offset: 0 }, first) {
            loop {
                match reader.next_chunk() {
                    Ok(Some((chunk, data))) => {
                        if !send(chunk, data) {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        read_error = Some(e);
                        break;
                    }
                }
            }
        }
        drop(tx);
        handles.into_iter().map(|h| h.join().expect("claims worker panicked")).collect()
    });
    if let Some(e) = read_error {
        return Err(DataError::file(FILE, format!("cannot be read: {e}")));
    }
    Ok(merge(locals, first_line, problems))
}

fn merge(locals: Vec<Local>, first_line: u64, problems: &mut Problems) -> Claims {
    // Line offset of every block, from the blocks' line counts.
    let mut block_lines: Vec<(usize, u64)> = locals.iter().flat_map(|l| l.block_lines.iter().copied()).collect();
    block_lines.sort_unstable();
    let mut offsets = vec![0u64; block_lines.len()];
    let mut at = first_line - 1;
    for &(i, n) in &block_lines {
        offsets[i] = at;
        at += n;
    }

    let mut stats = ClaimsStats::default();
    let mut found: Vec<Problem> = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    let mut unattributed: FxHashMap<u64, u64> = FxHashMap::default();
    // The largest worker's ids and pairs become the global ones; the others are folded in.
    let mut locals = locals;
    locals.sort_by_key(|l| std::cmp::Reverse(l.pairs.len()));
    let mut locals = locals.into_iter();
    let Some(mut base) = locals.next() else { return Claims::default() };
    let mut names = std::mem::take(&mut base.members);
    let mut pairs = std::mem::take(&mut base.pairs);
    for mut local in std::iter::once(base).chain(locals) {
        stats.add(&local.stats);
        errors += local.errors;
        warnings += local.warnings;
        found.extend(local.problems.into_iter().map(|(b, mut p)| {
            p.line += offsets[b];
            p
        }));
        for (npi, n) in local.unattributed {
            *unattributed.entry(npi).or_default() += n;
        }
        let local_names = std::mem::take(&mut local.members);
        let remap: Vec<u32> = (0..local_names.len() as u32).map(|id| names.intern(local_names.get(id))).collect();
        drop(local_names);
        for (key, (lines, last)) in local.pairs {
            let m = remap[(key >> 32) as usize];
            let e = pairs.entry((u64::from(m) << 32) | (key & 0xFFFF_FFFF)).or_insert((0, last));
            e.0 += lines;
            e.1 = e.1.max(last);
        }
    }
    names.table = hashbrown::HashTable::new();
    found.sort_by_key(|p| p.line);
    let told_errors = found.iter().filter(|p| p.severity == Severity::Error).count() as u64;
    let told_warnings = found.len() as u64 - told_errors;
    for p in found {
        problems.push(p);
    }
    // Problems beyond what workers kept still count.
    problems.errors += errors - told_errors;
    problems.warnings += warnings - told_warnings;

    // Number members in sorted id order so results do not depend on thread timing.
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| names.get(a).cmp(names.get(b)));
    let mut rank = vec![0u32; names.len()];
    for (r, &m) in order.iter().enumerate() {
        rank[m as usize] = r as u32;
    }
    // The pair map becomes a sorted Vec first (and is freed), then the names: the
    // big structures are never all alive at once.
    let mut pairs: Vec<Pair> = pairs
        .into_iter()
        .map(|(key, (lines, last))| Pair {
            member: rank[(key >> 32) as usize],
            practice: (key & 0xFFFF_FFFF) as u32,
            lines,
            last,
        })
        .collect();
    drop(rank);
    pairs.sort_unstable_by_key(|p| (p.member, p.practice));
    let mut members = MemberIds::default();
    for &m in &order {
        members.push(&String::from_utf8_lossy(names.get(m)));
    }
    drop(names);
    let mut unattributed_npis: Vec<(u64, u64)> = unattributed.into_iter().collect();
    unattributed_npis.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Claims { stats, members, pairs, unattributed_npis }
}

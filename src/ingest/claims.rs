//! claims.csv: streamed in blocks, parsed and aggregated in parallel.
//!
//! The reader thread cuts the file into blocks of whole records (reusing the buffers workers
//! hand back); worker threads parse them ([`Local::block`], the hot loop) and tally each
//! crossover primary-care line per (member, practice) ([`PairLog`]). When the input ends,
//! each worker sorts its member ids and tally ([`Local::sorted`]), and [`merge`] interleaves
//! the sorted lists. Memory grows with distinct (member, practice) pairs and members, never
//! with lines. Problems carry block-relative line numbers until the blocks' line counts are
//! known, then are fixed up.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use rustc_hash::FxHashMap;

use super::fields::{
    Day, TAF_MISSING_DATE, decode, is_missing_taxonomy, parse_flag, parse_npi, parse_service_date, trim,
};
use super::pair_log::PairLog;
use super::placing::RosterIndex;
use super::problem::{DataError, Problem, Problems, RowError, Severity};
use super::roster::Roster;
use super::scan::{Block, Chunk, Scanner};
use super::schema::claims_col as col;
use super::table::{Table, shape_problem};
use super::taf_split::ClaimHeaders;
use crate::config::Config;

/// What a claims read needs besides the file: its name for problems, `--strict`, and for TAF
/// split files the claim headers each line is joined with.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    pub file: &'static str,
    pub strict: bool,
    pub headers: Option<&'a ClaimHeaders>,
}

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

    /// Ids in the order of their names. Names are compared by their first 16 bytes as one
    /// integer, and in full only when those are equal: a plain sort by slices called memcmp
    /// for every comparison (the top function of the merge in `perf`).
    fn sorted_order(&self) -> Vec<u32> {
        let prefix = |id: u32| {
            let name = self.get(id);
            let mut key = [0u8; 16];
            let n = name.len().min(16);
            key[..n].copy_from_slice(&name[..n]);
            u128::from_be_bytes(key)
        };
        let mut keyed: Vec<(u128, u32)> = (0..self.len() as u32).map(|id| (prefix(id), id)).collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| self.get(a.1).cmp(self.get(b.1)));
            }
        }
        keyed.into_iter().map(|(_, id)| id).collect()
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
    file: &'static str,
    /// The first error, kept apart from `problems` (which may be full of warnings) for `--strict`.
    first_error: Option<(usize, Problem)>,
    members: Interner,
    pairs: PairLog,
    stats: ClaimsStats,
    unattributed: FxHashMap<u64, u64>,
    problems: Vec<(usize, Problem)>,
    errors: u64,
    warnings: u64,
    /// (block index, lines in block)
    block_lines: Vec<(usize, u64)>,
    scratch: Vec<u32>,
}

/// A worker's result once its input is done: its member ids sorted, and its tally renumbered
/// to match, so the merge only interleaves sorted lists (done per worker, in parallel, instead
/// of sorting and re-hashing every id in the single-threaded merge).
struct Sorted {
    local: Local,
    /// The worker's member ids in order, stored in that order so the merge reads them
    /// sequentially.
    names: MemberIds,
    /// (member, practice) tally, members numbered by position in `names`, sorted.
    pairs: Vec<Pair>,
}

impl Local {
    fn sorted(mut self) -> Sorted {
        let members = std::mem::take(&mut self.members);
        let order = members.sorted_order();
        let mut position = vec![0u32; order.len()];
        let mut names = MemberIds::default();
        for (i, &id) in order.iter().enumerate() {
            position[id as usize] = i as u32;
            names.push(&String::from_utf8_lossy(members.get(id)));
        }
        drop((members, order));
        let pairs = std::mem::take(&mut self.pairs).finish(&position);
        Sorted { local: self, names, pairs }
    }
}

impl Sorted {
    fn name(&self, i: usize) -> Option<&str> {
        (i < self.names.len()).then(|| self.names.get(i))
    }
}

struct Ctx<'a> {
    index: RosterIndex,
    config: &'a Config,
    idx: &'a [Option<usize>],
    width: usize,
    delim: u8,
    opts: ReadOptions<'a>,
    /// Under `--strict`, the lowest block index holding an error (`usize::MAX`: none yet).
    /// Blocks after it are neither read nor parsed; blocks before it still are, as they may
    /// hold an earlier error.
    stop: AtomicUsize,
}

impl Local {
    fn error(&mut self, block: usize, line: u64, message: String) {
        self.errors += 1;
        self.stats.skipped += 1;
        let problem = Problem { file: self.file, line, severity: Severity::Error, message };
        if self.first_error.is_none() {
            self.first_error = Some((block, problem.clone()));
        }
        if self.problems.len() < Problems::KEEP {
            self.problems.push((block, problem));
        }
    }

    fn warning(&mut self, block: usize, line: u64, message: String) {
        self.warnings += 1;
        if self.problems.len() < Problems::KEEP {
            self.problems.push((block, Problem { file: self.file, line, severity: Severity::Warning, message }));
        }
    }

    /// The hot loop: every claim line passes here once. Each row is validated in full (a bad
    /// row is reported wherever it is), then filtered cheapest test first (crossover flag,
    /// procedure code) before the roster is consulted. Tricks, each measured:
    /// - a quote-free block is cut by a separator mask ([`super::seps`]);
    /// - NPIs, dates and flags have one-pass fast paths ([`super::fields`]);
    /// - the billing NPI is looked up only when the rendering NPI does not settle the
    ///   practices on its own (missing from the roster, or in several practices);
    /// - lines of one member usually come together: the previous line's member id is
    ///   reused without hashing when the bytes are the same.
    fn block(&mut self, chunk: Chunk, data: &[u8], ctx: &Ctx) {
        let mut scanner = Scanner::with_quotes(data, ctx.delim, 1, chunk.quotes);
        let mut member = SameMember::default();
        let mut joined = super::taf_split::Joined::default();
        while let Some(rec) = scanner.next_record() {
            if ctx.opts.strict && self.errors > 0 {
                break;
            }
            self.stats.rows += 1;
            if let Some(msg) = shape_problem(&rec, ctx.width) {
                self.error(chunk.index, rec.line, msg);
                continue;
            }
            let line = rec.line;
            // A TAF line takes its claim's fields from the header file (`ctx.idx` then names
            // the joined record's columns).
            let rec = match ctx.opts.headers {
                None => rec,
                Some(h) => match h.join(&rec, &mut joined) {
                    Ok(r) => r,
                    Err(msg) => {
                        self.error(chunk.index, line, msg.0);
                        continue;
                    }
                },
            };
            member.read(rec.get(ctx.idx[col::MEMBER].unwrap_or(0)));
            if member.text.is_empty() {
                self.error(chunk.index, line, "member_id is blank".into());
                continue;
            }
            if member.latin1 {
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
                    self.error(chunk.index, line, msg.0);
                    continue;
                }
            };
            let npi = |c: usize, name: &str| -> Result<Option<u64>, RowError> {
                let raw = rec.col(ctx.idx[c]);
                parse_npi(raw).map_err(|e| RowError(e.describe(name, raw)))
            };
            let (rendering, billing) = match (npi(col::RENDERING, "rendering_npi"), npi(col::BILLING, "billing_npi")) {
                (Ok(r), Ok(b)) => (r, b),
                (Err(m), _) | (_, Err(m)) => {
                    self.error(chunk.index, line, m.0);
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
            // TAF's codes for "no taxonomy" are blank: the roster's taxonomy applies.
            let taxonomy = if is_missing_taxonomy(taxonomy) { &[][..] } else { taxonomy };
            let in_roster = rendering.and_then(|n| ctx.index.get(n));
            let pcp = if taxonomy.is_empty() {
                in_roster.is_some_and(|k| k.pcp)
            } else {
                ctx.config.is_pcp_taxonomy(taxonomy)
            };
            let rend = in_roster.map_or(&[][..], |k| k.practices);
            let practices = if rend.len() == 1 {
                rend
            } else {
                let bill = billing.map_or(&[][..], |n| ctx.index.practices_of(n));
                narrow(rend, bill, &mut self.scratch)
            };
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
            let m = *member.id.get_or_insert_with(|| self.members.intern(&member.text));
            for &p in practices {
                self.pairs.add(m, p, date);
            }
        }
        self.pairs.flush();
        self.block_lines.push((chunk.index, scanner.line() - 1));
        if ctx.opts.strict && self.errors > 0 {
            ctx.stop.fetch_min(chunk.index, Ordering::Relaxed);
        }
    }
}

/// The member id of the line being read, carried over from the line before while the raw
/// bytes are the same: lines of one member usually come together, and then the id is neither
/// decoded nor hashed again.
#[derive(Default)]
struct SameMember {
    raw: Vec<u8>,
    /// Decoded as assessments.csv decodes it (UTF-8, else Latin-1), trimmed, so one member is
    /// one id in both files, and ids are text for the merge to order.
    text: Vec<u8>,
    latin1: bool,
    /// Its number in the worker's [`Interner`], once a line of it has been placed.
    id: Option<u32>,
}

impl SameMember {
    fn read(&mut self, raw: &[u8]) {
        if raw == self.raw.as_slice() {
            return;
        }
        self.raw.clear();
        self.raw.extend_from_slice(raw);
        let (text, latin1) = decode(raw);
        self.text.clear();
        self.text.extend_from_slice(text.as_bytes());
        self.latin1 = latin1;
        self.id = None;
    }
}

/// The practices a line counts for (SPEC "Line → practice"), from the practice lists of its
/// rendering NPI (`rend`, empty when not in the roster) and billing NPI (`bill`): the rendering
/// NPI's practices, narrowed to those that also hold the billing NPI when there are several and
/// some do; a rendering NPI missing from the roster falls back to the billing NPI's practices.
/// Returns one of the inputs when no narrowing applies, else the narrowed list in `out`.
fn narrow<'a>(rend: &'a [u32], bill: &'a [u32], out: &'a mut Vec<u32>) -> &'a [u32] {
    if rend.is_empty() {
        return bill;
    }
    if rend.len() > 1 {
        out.clear();
        out.extend(rend.iter().filter(|p| bill.binary_search(p).is_ok()));
        if !out.is_empty() {
            return out;
        }
    }
    rend
}

fn shown(raw: &[u8]) -> String {
    String::from_utf8_lossy(trim(raw)).chars().take(30).collect()
}

/// The workers' tallies once every line is read, before [`Unmerged::merge`] interleaves them
/// into [`Claims`]. The merge is serial; the loader runs it beside the next file's read.
pub struct Unmerged {
    workers: Vec<Sorted>,
    first_line: u64,
}

impl Unmerged {
    /// The claims aggregate; the read's problems, in file order, go to `problems`.
    pub fn merge(self, problems: &mut Problems) -> Claims {
        let claims = merge(self.workers, self.first_line, problems);
        crate::timing::mark("claims merged");
        claims
    }
}

/// Reads claims.csv through `table`, aggregating in parallel. `progress.0` is set to
/// `progress.1` plus the bytes handed to workers so far. Fails on a read error, or under
/// `--strict` on the first bad row.
pub fn read(
    table: Table,
    roster: &Roster,
    config: &Config,
    opts: ReadOptions,
    progress: (&AtomicU64, u64),
) -> Result<Unmerged, DataError> {
    let Table { mut reader, delim, width, idx, first, first_line, .. } = table;
    // Joined records carry claims.csv's columns in their canonical order.
    let idx = if opts.headers.is_some() { (0..=col::PAID).map(Some).collect() } else { idx };
    let ctx = Ctx {
        index: RosterIndex::new(roster),
        config,
        idx: &idx,
        width,
        delim,
        opts,
        stop: AtomicUsize::new(usize::MAX),
    };
    let workers = rayon::current_num_threads().max(1);
    let (tx, rx) = mpsc::sync_channel::<(Chunk, Block)>(workers * 2);
    let rx = Mutex::new(rx);
    // Blocks done with, handed back to the reader for reuse.
    let done: Mutex<Vec<Block>> = Mutex::new(Vec::new());
    let mut read_error = None;
    let locals: Vec<Sorted> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut local = Local { file: opts.file, ..Local::default() };
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        match next {
                            Ok(Ok((chunk, data))) => {
                                if chunk.index < ctx.stop.load(Ordering::Relaxed) {
                                    local.block(chunk, &data, &ctx);
                                }
                                if let Ok(mut done) = done.lock() {
                                    done.push(data);
                                }
                            }
                            _ => return local.sorted(),
                        }
                    }
                })
            })
            .collect();
        let send = |chunk: Chunk, data: Block| {
            progress.0.store(progress.1 + chunk.offset + data.len() as u64, Ordering::Relaxed);
            tx.send((chunk, data)).is_ok()
        };
        if send(Chunk { index: 0, offset: 0, quotes: memchr::memchr(b'"', &first).is_some() }, first) {
            loop {
                if ctx.stop.load(Ordering::Relaxed) != usize::MAX {
                    break;
                }
                if let Ok(mut done) = done.lock() {
                    done.drain(..).for_each(|b| reader.recycle(b));
                }
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
    crate::timing::mark("claims lines tallied and sorted per worker");
    if let Some(e) = read_error {
        // Every block before the failed read was scanned: the next record starts after them.
        let line = first_line + locals.iter().flat_map(|l| &l.local.block_lines).map(|b| b.1).sum::<u64>();
        return Err(super::table::read_error(opts.file, line, e));
    }
    if opts.strict
        && let Some(e) = earliest_error(&locals, first_line)
    {
        return Err(e);
    }
    Ok(Unmerged { workers: locals, first_line })
}

/// The first error in file order, from the workers' first errors: the one in the lowest block,
/// its line made absolute with the line counts of the blocks before it (all read in full).
fn earliest_error(workers: &[Sorted], first_line: u64) -> Option<DataError> {
    let locals = || workers.iter().map(|w| &w.local);
    let (block, problem) = locals().filter_map(|l| l.first_error.as_ref()).min_by_key(|(b, _)| *b)?;
    let before: u64 = locals().flat_map(|l| &l.block_lines).filter(|(b, _)| b < block).map(|(_, n)| n).sum();
    let mut p = problem.clone();
    p.line += first_line - 1 + before;
    Some(p.strict_error())
}

fn merge(workers: Vec<Sorted>, first_line: u64, problems: &mut Problems) -> Claims {
    // Line offset of every block, from the blocks' line counts.
    let mut block_lines: Vec<(usize, u64)> = workers.iter().flat_map(|w| w.local.block_lines.iter().copied()).collect();
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
    for w in &workers {
        let local = &w.local;
        stats.add(&local.stats);
        errors += local.errors;
        warnings += local.warnings;
        found.extend(local.problems.iter().map(|(b, p)| Problem { line: p.line + offsets[*b], ..p.clone() }));
        for (&npi, &n) in &local.unattributed {
            *unattributed.entry(npi).or_default() += n;
        }
    }
    found.sort_by_key(|p| p.line);
    let told_errors = found.iter().filter(|p| p.severity == Severity::Error).count() as u64;
    let told_warnings = found.len() as u64 - told_errors;
    for p in found {
        problems.push(p);
    }
    // Problems beyond what workers kept still count.
    problems.errors += errors - told_errors;
    problems.warnings += warnings - told_warnings;

    // Interleave the workers' sorted member ids into one sorted list (so results do not
    // depend on thread timing), noting the global number of each worker's ids.
    let mut members = MemberIds::default();
    let mut heads = vec![0usize; workers.len()];
    let mut global: Vec<Vec<u32>> = workers.iter().map(|w| Vec::with_capacity(w.names.len())).collect();
    while let Some(least) = (0..workers.len()).filter_map(|w| workers[w].name(heads[w])).min() {
        let number = members.len() as u32;
        members.push(least);
        for (w, worker) in workers.iter().enumerate() {
            if worker.name(heads[w]) == Some(least) {
                global[w].push(number);
                heads[w] += 1;
            }
        }
    }
    // The tallies, renumbered (which keeps each sorted), interleaved the same way.
    let mut tallies: Vec<std::iter::Peekable<_>> = workers
        .into_iter()
        .zip(&global)
        .map(|(w, global)| w.pairs.into_iter().map(move |p| Pair { member: global[p.member as usize], ..p }).peekable())
        .collect();
    let mut pairs: Vec<Pair> = Vec::with_capacity(tallies.iter().map(|t| t.size_hint().0).sum());
    loop {
        let next = (0..tallies.len())
            .filter_map(|t| tallies[t].peek().map(|p| ((p.member, p.practice), t)))
            .min()
            .and_then(|(_, t)| tallies[t].next());
        let Some(p) = next else { break };
        match pairs.last_mut() {
            Some(last) if (last.member, last.practice) == (p.member, p.practice) => {
                last.lines += p.lines;
                last.last = last.last.max(p.last);
            }
            _ => pairs.push(p),
        }
    }
    let mut unattributed_npis: Vec<(u64, u64)> = unattributed.into_iter().collect();
    unattributed_npis.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Claims { stats, members, pairs, unattributed_npis }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::sync::Arc;

    use super::*;
    use crate::ingest::scan::ChunkReader;
    use crate::ingest::{FileKind, LoadOptions, Progress};
    use proptest::prelude::*;

    /// Reads claims.csv of `dir` in blocks of `block` bytes with `threads` workers.
    fn read_with(
        dir: &std::path::Path,
        ds: &crate::ingest::Dataset,
        block: usize,
        threads: usize,
    ) -> (Claims, Problems) {
        let mut table = Table::open(dir, FileKind::Claims, &ds.config).unwrap();
        let bytes = std::fs::read(dir.join("claims.csv")).unwrap();
        let body = bytes[memchr::memchr(b'\n', &bytes).unwrap() + 1..].to_vec();
        table.reader = ChunkReader::new(Box::new(std::io::Cursor::new(body)), block, b',');
        table.first = table.reader.next_chunk().unwrap().unwrap().1;
        table.first_line = 2;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let mut problems = Problems::default();
        let opts = ReadOptions { file: "claims.csv", strict: false, headers: None };
        let claims = pool.install(|| {
            read(table, &ds.roster, &ds.config, opts, (&AtomicU64::new(0), 0)).map(|u| u.merge(&mut problems))
        });
        (claims.unwrap(), problems)
    }

    /// Cutting the file into many blocks spread over several workers (merged at the end)
    /// gives the same members, pairs, counts and problem lines as one block read by one.
    #[test]
    fn blocks_and_workers_do_not_change_the_result() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = crate::sample::SampleSpec::new(400, 25, 4);
        spec.lines = Some(4000);
        crate::sample::generate(dir.path(), &spec).unwrap();
        // Bad rows spread through the file, so problems come from many blocks.
        let claims = std::fs::read_to_string(dir.path().join("claims.csv")).unwrap();
        let mut lines: Vec<String> = claims.lines().map(String::from).collect();
        for at in [5, 700, 1500, 3100] {
            lines.insert(at, "M9,2025-02-30,1234567893,,207Q00000X,99213,Y".into());
        }
        std::fs::write(dir.path().join("claims.csv"), lines.join("\n") + "\n").unwrap();
        let ds = crate::ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
        let (whole, whole_problems) = read_with(dir.path(), &ds, 1 << 30, 1);
        assert_eq!(whole_problems.list.iter().map(|p| p.line).collect::<Vec<_>>(), vec![6, 701, 1501, 3101]);
        assert!(whole.pairs.len() > 500 && whole.members.len() > 300, "the data exercises the merge");
        for (block, threads) in [(100, 3), (4096, 2), (20_000, 5)] {
            let (cut, problems) = read_with(dir.path(), &ds, block, threads);
            assert_eq!(cut.pairs, whole.pairs, "block {block}, {threads} workers");
            assert_eq!(cut.members, whole.members);
            assert_eq!(cut.stats, whole.stats);
            assert_eq!(cut.unattributed_npis, whole.unattributed_npis);
            assert_eq!(problems.list, whole_problems.list);
        }
    }

    proptest! {
        /// Ids sorted by their 16-byte prefix first come out as a plain sort of the names,
        /// also for names sharing long prefixes or differing only in trailing zero bytes.
        #[test]
        fn sorted_order_is_name_order(names in proptest::collection::vec(
            prop_oneof!["M00001234[0-9]{0,3}", "ABCDEFGHIJKLMNOP[a-c\\x00]{0,3}", "[\\x00a]{0,3}"], 0..60)) {
            let mut interner = Interner::default();
            for n in &names {
                interner.intern(n.as_bytes());
            }
            let got: Vec<&[u8]> = interner.sorted_order().into_iter().map(|id| interner.get(id)).collect();
            let mut want: Vec<&[u8]> = names.iter().map(|n| n.as_bytes()).collect();
            want.sort_unstable();
            want.dedup();
            prop_assert_eq!(got, want);
        }
    }

    /// A reader that counts the bytes taken from it.
    struct Counted {
        inner: std::io::Cursor<Vec<u8>>,
        taken: Arc<AtomicU64>,
    }

    impl Read for Counted {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.taken.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }

    /// Reads claims.csv rows (the lines after the header) in 2 kB blocks, so that a small file
    /// is many blocks, under `--strict`; also returns the bytes taken from the file.
    fn read_strict(rows: &[Vec<u8>]) -> (Result<Claims, DataError>, u64) {
        let body: Vec<u8> = rows.iter().flat_map(|r| r.iter().copied().chain([b'\n'])).collect();
        let size = body.len() as u64;
        let taken = Arc::new(AtomicU64::new(0));
        let counted = Counted { inner: std::io::Cursor::new(body), taken: Arc::clone(&taken) };
        let mut reader = ChunkReader::new(Box::new(counted) as Box<dyn Read + Send>, 2048, b',');
        let (_, first) = reader.next_chunk().unwrap().unwrap();
        let idx = (0..7).map(Some).chain([None]).collect();
        let table = Table { kind: FileKind::Claims, reader, delim: b',', size, width: 7, idx, first, first_line: 2 };
        let opts = ReadOptions { file: "claims.csv", strict: true, headers: None };
        let (roster, config, done) = (Roster::default(), Config::default(), AtomicU64::new(0));
        let result = read(table, &roster, &config, opts, (&done, 0)).map(|u| u.merge(&mut Problems::default()));
        (result, taken.load(Ordering::Relaxed))
    }

    fn row(member: &[u8], rest: &str) -> Vec<u8> {
        [member, rest.as_bytes()].concat()
    }

    #[test]
    fn strict_reports_the_first_bad_line_in_file_order_and_stops_reading() {
        // Bad rows in neighbouring blocks (which workers may finish in either order) and
        // every 50 lines after them.
        let mut rows: Vec<Vec<u8>> =
            (0..40_000).map(|i| row(format!("M{i}").as_bytes(), ",2025-01-02,1234567893,,,99213,Y")).collect();
        for r in rows.iter_mut().skip(1_030).step_by(50) {
            *r = row(b"M", ",2025-02-30,1234567893,,,99213,Y");
        }
        rows[1_001] = row(b"M1001", ",2025-01-02,1234567893,,,99213,maybe");
        let total: u64 = rows.iter().map(|r| r.len() as u64 + 1).sum();
        let (result, taken) = read_strict(&rows);
        assert_eq!(
            result.unwrap_err().to_string(),
            "claims.csv:1003: crossover \"maybe\" is not Y/N, 1/0 or true/false (--strict stops at the first bad row)"
        );
        assert!(taken < total / 10, "read {taken} of {total} bytes after the first bad row");
    }

    #[test]
    fn strict_finds_an_error_after_more_warnings_than_are_kept() {
        // Latin-1 member ids: a warning each, more than any list keeps.
        let mut rows: Vec<Vec<u8>> = (0..Problems::KEEP + 10)
            .map(|i| [b"M\xe9".as_slice(), format!("{i},2025-01-02,1234567893,,,99213,Y").as_bytes()].concat())
            .collect();
        rows.push(row(b"M2", ",2025-01-02,,,,99213,Y"));
        let (result, _) = read_strict(&rows);
        assert_eq!(
            result.unwrap_err().to_string(),
            format!(
                "claims.csv:{}: rendering_npi and billing_npi are both blank (--strict stops at the first bad row)",
                Problems::KEEP + 12
            )
        );
    }
}

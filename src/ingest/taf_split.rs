//! TAF claims as delivered: `claims_header.csv` (one row per claim: member, crossover flag,
//! billing NPI, service date) and `claims_line.csv` (one row per line: rendering NPI, taxonomy,
//! procedure code, its own date), read instead of claims.csv.
//!
//! The header file is read first into a compact map keyed by the claim; the line file is then
//! streamed through claims.csv's parallel reader, each line joined with its claim's fields into
//! a claims.csv record, so every number is the one the joined lines give. Memory grows with the
//! header file's claims (about 60 bytes each), never with lines.
//!
//! Where both files have a column, the line's value wins unless it is blank (or TAF's missing
//! date): a line may carry its own service date, and the header's date is the fallback.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use super::claims::{self, Claims, ReadOptions};
use super::fields::{Day, day_to_ymd, decode, parse_flag, parse_npi, parse_service_date, trim};
use super::problem::{DataError, Problems};
use super::roster::Roster;
use super::scan::Record;
use super::schema::{FileKind, claims_col as col, claims_header_col as hcol, claims_line_col as lcol};
use super::table::Table;
use crate::config::Config;

const HEADER: &str = "claims_header.csv";
const LINE: &str = "claims_line.csv";

/// Whether `dir` holds the TAF pair instead of claims.csv. Half a pair, or both forms at once,
/// is an error: the claims would be missing or counted twice.
pub fn present(dir: &Path) -> Result<bool, DataError> {
    let [claims, header, line] =
        [FileKind::Claims, FileKind::ClaimsHeader, FileKind::ClaimsLine].map(|k| dir.join(k.file_name()).exists());
    match (claims, header, line) {
        (_, false, false) => Ok(false),
        (true, _, _) => Err(DataError::file(
            "claims.csv",
            format!("is in {} together with {HEADER}/{LINE}: keep one form of the claims", dir.display()),
        )),
        (false, true, true) => Ok(true),
        (false, true, false) => Err(DataError::file(LINE, format!("not found in {} (beside {HEADER})", dir.display()))),
        (false, false, true) => Err(DataError::file(HEADER, format!("not found in {} (beside {LINE})", dir.display()))),
    }
}

/// Which column joins the two files: TAF's link key when both have it, else the claim id.
#[derive(Debug, Clone, Copy)]
struct Key {
    header: usize,
    line: usize,
    name: &'static str,
}

/// The two files, opened and their headers checked.
pub struct Files {
    header: Table,
    line: Table,
    key: Key,
}

impl Files {
    pub fn open(dir: &Path, config: &Config) -> Result<Files, DataError> {
        let header = Table::open(dir, FileKind::ClaimsHeader, config)?;
        let line = Table::open(dir, FileKind::ClaimsLine, config)?;
        let pick = |h: usize, l: usize, name| Some(Key { header: header.idx[h]?, line: line.idx[l]?, name });
        let key = pick(hcol::LINK_KEY, lcol::LINK_KEY, "OT_LINK_KEY")
            .or_else(|| pick(hcol::CLAIM_ID, lcol::CLAIM_ID, "CLM_ID"))
            .ok_or_else(|| {
                let has = |t: &Table, a: usize, b: usize| t.idx[a].is_some() || t.idx[b].is_some();
                let file = if has(&header, hcol::LINK_KEY, hcol::CLAIM_ID) { LINE } else { HEADER };
                DataError::at(
                    file,
                    1,
                    format!(
                        "no claim id column shared with {}: both files need CLM_ID (or both OT_LINK_KEY)",
                        if file == LINE { HEADER } else { LINE }
                    ),
                )
            })?;
        if header.idx[hcol::DATE].is_none() && line.idx[col::DATE].is_none() {
            return Err(DataError::at(
                LINE,
                1,
                format!(
                    "required column service_date is missing here and in {HEADER}; tried service_date, SRVC_BGNNG_DT, LINE_SRVC_BGN_DT, SRVC_BGN_DT"
                ),
            ));
        }
        Ok(Files { header, line, key })
    }

    /// Bytes in both files, for progress.
    pub fn size(&self) -> u64 {
        self.header.size + self.line.size
    }

    /// Reads the header file, then streams the line file joined with it. Lines whose claim
    /// the header file lacks are bad rows (reported with their line) and counted in a
    /// whole-file warning.
    pub fn read(
        self,
        roster: &Roster,
        config: &Config,
        strict: bool,
        progress: (&AtomicU64, u64),
        problems: &mut Problems,
    ) -> Result<Claims, DataError> {
        let Files { header, line, key } = self;
        let header_size = header.size;
        let mut headers = ClaimHeaders::new(key, line.idx.clone());
        let rows = header.for_each_row(problems, strict, |rec, idx, p| headers.add(rec, idx, p))?;
        if rows == 0 {
            return Err(DataError::file(HEADER, "has a header but no data rows"));
        }
        progress.0.store(progress.1 + header_size, Ordering::Relaxed);
        let opts = ReadOptions { file: LINE, strict, headers: Some(&headers) };
        let claims = claims::read(line, roster, config, opts, (progress.0, progress.1 + header_size), problems)?;
        let missing = headers.missing.load(Ordering::Relaxed);
        if missing > 0 {
            problems.file_warning(
                LINE,
                format!("{missing} lines name a claim that is not in {HEADER}; they were skipped (see `carealign check`)"),
            );
        }
        Ok(claims)
    }
}

/// Byte strings numbered in order of first sight, held in one arena (no allocation per string).
#[derive(Default)]
struct Keys {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    table: hashbrown::HashTable<u32>,
}

fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(b)
}

fn span<'a>(bytes: &'a [u8], ends: &[usize], i: u32) -> &'a [u8] {
    let i = i as usize;
    &bytes[if i == 0 { 0 } else { ends[i - 1] }..ends[i]]
}

impl Keys {
    fn get(&self, i: u32) -> &[u8] {
        span(&self.bytes, &self.ends, i)
    }

    fn find(&self, key: &[u8]) -> Option<u32> {
        self.table.find(hash_bytes(key), |&i| self.get(i) == key).copied()
    }

    /// The number of `key`, and whether it is new.
    fn insert(&mut self, key: &[u8]) -> (u32, bool) {
        if let Some(i) = self.find(key) {
            return (i, false);
        }
        let i = self.ends.len() as u32;
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
        let Keys { bytes, ends, table } = self;
        table.insert_unique(hash_bytes(key), i, |&j| hash_bytes(span(bytes, ends, j)));
        (i, true)
    }
}

/// The claim-level fields of one header row.
#[derive(Debug, Clone, Copy)]
struct HeaderClaim {
    /// Index in [`ClaimHeaders::members`]; [`SKIPPED`] when the row was bad.
    member: u32,
    /// Index + 1 in [`ClaimHeaders::billing`]; 0 when blank.
    billing: u32,
    date: Option<Day>,
    crossover: bool,
}

/// `HeaderClaim::member` of a claim whose header row was bad (its line is in `skipped`).
const SKIPPED: u32 = u32::MAX;

/// claims_header.csv in memory: every claim's fields, looked up by the join key.
pub struct ClaimHeaders {
    key: Key,
    keys: Keys,
    claims: Vec<HeaderClaim>,
    /// Member ids (UTF-8; Latin-1 decoded as everywhere else), one copy per member.
    members: Keys,
    /// Billing NPIs as text, one copy per NPI (they are few).
    billing: Keys,
    /// Header line of each claim whose row was skipped as bad.
    skipped: FxHashMap<u32, u64>,
    /// Column positions in the line file.
    line_idx: Vec<Option<usize>>,
    /// Lines whose claim is not in the header file.
    missing: AtomicU64,
}

impl ClaimHeaders {
    fn new(key: Key, line_idx: Vec<Option<usize>>) -> Self {
        ClaimHeaders {
            key,
            keys: Keys::default(),
            claims: Vec::new(),
            members: Keys::default(),
            billing: Keys::default(),
            skipped: FxHashMap::default(),
            line_idx,
            missing: AtomicU64::new(0),
        }
    }

    fn add(&mut self, rec: &Record, idx: &[Option<usize>], problems: &mut Problems) {
        let line = rec.line;
        let name = self.key.name;
        let id = trim(rec.get(self.key.header));
        if id.is_empty() {
            return problems.error(HEADER, line, format!("{name} is blank"));
        }
        let (n, new) = self.keys.insert(id);
        if !new {
            return problems.error(HEADER, line, format!("{name} is on an earlier row too; this row is skipped"));
        }
        let claim = self.fields(rec, idx, line, problems).unwrap_or_else(|msg| {
            problems.error(HEADER, line, msg);
            self.skipped.insert(n, line);
            HeaderClaim { member: SKIPPED, billing: 0, date: None, crossover: false }
        });
        self.claims.push(claim);
    }

    /// Reads and checks one header row's fields: a blank member, a bad flag or NPI make it bad.
    fn fields(
        &mut self,
        rec: &Record,
        idx: &[Option<usize>],
        line: u64,
        problems: &mut Problems,
    ) -> Result<HeaderClaim, String> {
        let (member, latin1) = decode(rec.col(idx[hcol::MEMBER]));
        if member.is_empty() {
            return Err("member_id is blank".into());
        }
        let raw_flag = rec.col(idx[hcol::CROSSOVER]);
        let crossover = parse_flag(raw_flag).ok_or_else(|| {
            let shown: String = String::from_utf8_lossy(trim(raw_flag)).chars().take(30).collect();
            format!("crossover \"{shown}\" is not Y/N, 1/0 or true/false")
        })?;
        let raw_billing = rec.col(idx[hcol::BILLING]);
        let billing = parse_npi(raw_billing).map_err(|e| e.describe("billing_npi", raw_billing))?;
        // The date is only a fallback for lines without one: a bad one is a warning.
        let date = parse_service_date(rec.col(idx[hcol::DATE])).unwrap_or_else(|msg| {
            problems.warning(HEADER, line, format!("{msg}; its lines need dates of their own"));
            None
        });
        if latin1 {
            problems.warning(HEADER, line, "member_id is not UTF-8 text; read as Latin-1".into());
        }
        let billing = billing.map_or(0, |npi| self.billing.insert(npi.to_string().as_bytes()).0 + 1);
        Ok(HeaderClaim { member: self.members.insert(member.as_bytes()).0, billing, date, crossover })
    }

    /// Joins a line with its claim into a claims.csv record (columns in [`col`] order) held
    /// in `out`; `Err` says why the line cannot be joined.
    pub fn join<'o>(&self, rec: &Record, out: &'o mut Joined) -> Result<Record<'o>, String> {
        let name = self.key.name;
        let id = trim(rec.get(self.key.line));
        if id.is_empty() {
            return Err(format!("{name} is blank"));
        }
        let Some(n) = self.keys.find(id) else {
            self.missing.fetch_add(1, Ordering::Relaxed);
            return Err(format!("its claim ({name}) is not in {HEADER}"));
        };
        let claim = self.claims[n as usize];
        if claim.member == SKIPPED {
            return Err(format!("its claim's row in {HEADER} (line {}) was skipped as bad", self.skipped[&n]));
        }
        let field = |c: usize| rec.col(self.line_idx[c]);
        let own = |c: usize| Some(trim(field(c))).filter(|v| !v.is_empty());
        // A blank line date, or TAF's code for a missing one, falls back to the claim's.
        let header_date = match parse_service_date(field(col::DATE)) {
            Ok(None) => Some(claim.date.ok_or("service_date is blank on the line and on its claim's header row")?),
            _ => None,
        };
        out.clear();
        out.push(own(col::MEMBER).unwrap_or(self.members.get(claim.member)));
        match header_date {
            Some(day) => out.push_iso(day),
            None => out.push(field(col::DATE)),
        }
        out.push(field(col::RENDERING));
        match own(col::BILLING) {
            Some(v) => out.push(v),
            None if claim.billing > 0 => out.push(self.billing.get(claim.billing - 1)),
            None => out.push(b""),
        }
        out.push(field(col::TAXONOMY));
        out.push(field(col::CODE));
        out.push(own(col::CROSSOVER).unwrap_or(if claim.crossover { b"Y" } else { b"N" }));
        out.push(field(col::PAID));
        Ok(Record::from_parts(&out.data, &out.ranges, rec.line))
    }
}

/// Reusable buffers for [`ClaimHeaders::join`]'s records.
#[derive(Default)]
pub struct Joined {
    data: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

impl Joined {
    fn clear(&mut self) {
        self.data.clear();
        self.ranges.clear();
    }

    fn push(&mut self, field: &[u8]) {
        let start = self.data.len();
        self.data.extend_from_slice(field);
        self.ranges.push((start, self.data.len()));
    }

    /// Pushes a day as `YYYY-MM-DD`.
    fn push_iso(&mut self, day: Day) {
        let (y, m, d) = day_to_ymd(day);
        let mut text = [0u8; 10];
        for (i, (v, at, n)) in [(y as u32, 0, 4), (m, 5, 2), (d, 8, 2)].into_iter().enumerate() {
            for k in 0..n {
                text[at + k] = b'0' + (v / 10u32.pow((n - 1 - k) as u32) % 10) as u8;
            }
            if i < 2 {
                text[at + n] = b'-';
            }
        }
        self.push(&text);
    }
}

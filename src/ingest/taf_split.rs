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
use super::problem::{DataError, Problems, RowError};
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
        // Sized from the first block's rows up front: growing a table of millions of claims
        // rehashes it several times.
        let sample_rows = memchr::memchr_iter(b'\n', &header.first).count().max(1) as u64;
        let rows = header.size / (header.first.len() as u64 / sample_rows).max(1);
        let mut headers = ClaimHeaders::new(key, line.idx.clone(), rows as usize);
        let rows = header.for_each_row(problems, strict, |rec, idx, p| headers.add(rec, idx, p))?;
        if rows == 0 {
            return Err(DataError::file(HEADER, "has a header but no data rows"));
        }
        progress.0.store(progress.1 + header_size, Ordering::Relaxed);
        let opts = ReadOptions { file: LINE, strict, headers: Some(&headers) };
        let claims = claims::read(line, roster, config, opts, (progress.0, progress.1 + header_size))?.merge(problems);
        let missing = headers.missing.load(Ordering::Relaxed);
        if missing > 0 {
            problems.file_warning(
                LINE,
                format!(
                    "{missing} lines name a claim that is not in {HEADER}; they were skipped (see `carealign check`)"
                ),
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
    /// Billing NPIs as text, one copy per NPI (they are few), numbered by `billing_index`.
    billing: Keys,
    billing_index: FxHashMap<u64, u32>,
    /// Header line of each claim whose row was skipped as bad.
    skipped: FxHashMap<u32, u64>,
    /// Column positions in the line file.
    line_idx: Vec<Option<usize>>,
    /// Lines whose claim is not in the header file.
    missing: AtomicU64,
}

impl ClaimHeaders {
    fn new(key: Key, line_idx: Vec<Option<usize>>, claims: usize) -> Self {
        let mut keys = Keys::default();
        keys.table.reserve(claims, |_| unreachable!("the table is empty"));
        keys.ends.reserve(claims);
        ClaimHeaders {
            key,
            keys,
            claims: Vec::with_capacity(claims),
            members: Keys::default(),
            billing: Keys::default(),
            billing_index: FxHashMap::default(),
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
            problems.error(HEADER, line, msg.0);
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
    ) -> Result<HeaderClaim, RowError> {
        let (member, latin1) = decode(rec.col(idx[hcol::MEMBER]));
        if member.is_empty() {
            return Err(RowError("member_id is blank".into()));
        }
        let raw_flag = rec.col(idx[hcol::CROSSOVER]);
        let crossover = parse_flag(raw_flag).ok_or_else(|| {
            let shown: String = String::from_utf8_lossy(trim(raw_flag)).chars().take(30).collect();
            RowError(format!("crossover \"{shown}\" is not Y/N, 1/0 or true/false"))
        })?;
        let raw_billing = rec.col(idx[hcol::BILLING]);
        let billing = parse_npi(raw_billing).map_err(|e| RowError(e.describe("billing_npi", raw_billing)))?;
        // The date is only a fallback for lines without one: a bad one is a warning.
        let date = parse_service_date(rec.col(idx[hcol::DATE])).unwrap_or_else(|msg| {
            problems.warning(HEADER, line, format!("{msg}; its lines need dates of their own"));
            None
        });
        if latin1 {
            problems.warning(HEADER, line, "member_id is not UTF-8 text; read as Latin-1".into());
        }
        let billing = match billing {
            None => 0,
            Some(npi) => {
                let known = &mut self.billing;
                *self.billing_index.entry(npi).or_insert_with(|| known.insert(npi.to_string().as_bytes()).0) + 1
            }
        };
        Ok(HeaderClaim { member: self.members.insert(member.as_bytes()).0, billing, date, crossover })
    }

    /// Joins a line with its claim into a claims.csv record (columns in [`col`] order) held
    /// in `out`; `Err` says why the line cannot be joined.
    pub fn join<'o>(&self, rec: &Record, out: &'o mut Joined) -> Result<Record<'o>, RowError> {
        let name = self.key.name;
        let id = trim(rec.get(self.key.line));
        if id.is_empty() {
            return Err(RowError(format!("{name} is blank")));
        }
        let Some(n) = self.keys.find(id) else {
            self.missing.fetch_add(1, Ordering::Relaxed);
            return Err(RowError(format!("its claim ({name}) is not in {HEADER}")));
        };
        let claim = self.claims[n as usize];
        if claim.member == SKIPPED {
            return Err(RowError(format!(
                "its claim's row in {HEADER} (line {}) was skipped as bad",
                self.skipped[&n]
            )));
        }
        let field = |c: usize| rec.col(self.line_idx[c]);
        let own = |c: usize| Some(trim(field(c))).filter(|v| !v.is_empty());
        // A blank line date, or TAF's code for a missing one, falls back to the claim's.
        let header_date =
            match parse_service_date(field(col::DATE)) {
                Ok(None) => Some(claim.date.ok_or_else(|| {
                    RowError("service_date is blank on the line and on its claim's header row".into())
                })?),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Dataset, LoadOptions, Progress, load};
    use proptest::prelude::*;

    const HCBS: &str = "member_id,assessment_date,pcp_response\nM1,2025-01-01,Riverside\n";
    const CMS: &str = "care_manager_id,name,capacity\nCM1,Ann Lee,30\n";

    /// NPIs with valid check digits: 0..3 are PCPs, 4 a cardiologist; 1 is in two practices.
    fn npi(i: u64) -> u64 {
        let base = 170_000_000 + i;
        (0..10).map(|c| base * 10 + c).find(|&n| crate::ingest::fields::npi_luhn_ok(n)).unwrap()
    }

    fn roster() -> String {
        let mut s = "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n".to_string();
        for (i, tax, pid) in
            [(0, "207Q00000X", "P1"), (1, "207R00000X", "P1"), (1, "207R00000X", "P2"), (2, "363L00000X", "P2")]
                .into_iter()
                .chain([(3, "208D00000X", "P3"), (4, "207RC0000X", "P3")])
        {
            s += &format!("{},L{i},F{i},{tax},{pid},Practice {pid},Adams,555\n", npi(i));
        }
        s
    }

    fn load_with(files: &[(&str, &str)]) -> Result<Dataset, DataError> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in
            [("practices.csv", roster().as_str()), ("assessments.csv", HCBS), ("care_managers.csv", CMS)]
                .into_iter()
                .chain(files.iter().copied())
        {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        load(dir.path(), LoadOptions::default(), &Progress::default())
    }

    fn assert_same_claims(a: &Dataset, b: &Dataset) {
        assert_eq!(a.claims.stats, b.claims.stats);
        assert_eq!(a.claims.members, b.claims.members);
        assert_eq!(a.claims.pairs, b.claims.pairs);
        assert_eq!(a.claims.unattributed_npis, b.claims.unattributed_npis);
    }

    /// One line of a claim: (date written on the line, rendering NPI index, taxonomy, code,
    /// billing NPI index written on the line).
    type GenLine = (String, u64, &'static str, &'static str, Option<u64>);
    /// One claim: (member, crossover, billing NPI index, header date, lines).
    type GenClaim = (&'static str, &'static str, Option<u64>, String, Vec<GenLine>);

    /// Writes the same claims as TAF header + line files and as the joined claims.csv, the
    /// latter by SPEC's rule (the line's value, else the claim's) independently of the reader.
    fn write_both(claims: &[GenClaim]) -> (String, String, String) {
        let n = |i: Option<u64>| i.map(|i| npi(i).to_string()).unwrap_or_default();
        let mut header = "CLM_ID,MSIS_ID,XOVR_IND,BLG_PRVDR_NPI_NUM,SRVC_BGNNG_DT\n".to_string();
        let mut line =
            "CLM_ID,LINE_NUM,SRVC_BGNNG_DT,PRCDR_CD,SRVCNG_PRVDR_NPI_NUM,SRVCNG_PRVDR_TXNMY_CD,BLG_PRVDR_NPI_NUM\n"
                .to_string();
        let mut joined =
            "member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n".to_string();
        for (c, (member, xover, billing, date, lines)) in claims.iter().enumerate() {
            header += &format!("C{c},{member},{xover},{},{date}\n", n(*billing));
            for (k, (ldate, rend, tax, code, lbill)) in lines.iter().enumerate() {
                line += &format!("C{c},{k},{ldate},{code},{},{tax},{}\n", npi(*rend), n(*lbill));
                let jdate = if ldate.is_empty() || ldate == "1960-01-01" { date } else { ldate };
                let jtax = if TAF_MISSING.contains(tax) { "" } else { tax };
                let jbill = n(lbill.or(*billing));
                joined += &format!("{member},{jdate},{},{jbill},{jtax},{code},{xover}\n", npi(*rend));
            }
        }
        (header, line, joined)
    }

    /// TAF's missing-taxonomy codes, as the issue lists them (not the reader's constant).
    const TAF_MISSING: &[&str] =
        &["8888888888", "9999999999", "000000000X", "999999999X", "NONE", "XXXXXXXXXX", "NO TAXONOMY"];

    #[test]
    fn split_files_give_the_joined_numbers() {
        let claims: Vec<GenClaim> = vec![
            (
                "M1",
                "Y",
                None,
                "2025-01-02".into(),
                vec![("".into(), 0, "", "99213", None), ("2025-01-05".into(), 0, "NONE", "99214", None)],
            ),
            // Billed by 2's practice: 1's line counts for P2 only; the line's own billing NPI wins.
            (
                "M2",
                "1",
                Some(2),
                "2025-02-01".into(),
                vec![("1960-01-01".into(), 1, "", "99213", None), ("".into(), 1, "", "99213", Some(0))],
            ),
            ("M3", "N", None, "2025-03-01".into(), vec![("".into(), 0, "207Q00000X", "99213", None)]),
            // A specialist by roster, a PCP by the line's own taxonomy; a sentinel keeps the roster's.
            (
                "M4",
                "Y",
                None,
                "2025-04-01".into(),
                vec![("".into(), 4, "8888888888", "99213", None), ("".into(), 4, "207Q00000X", "99213", None)],
            ),
            ("M\u{e9}", "Y", None, "2025-04-02".into(), vec![("".into(), 3, "NO TAXONOMY", "G0439", None)]),
        ];
        let (header, line, joined) = write_both(&claims);
        let split = load_with(&[("claims_header.csv", &header), ("claims_line.csv", &line)]).unwrap();
        let whole = load_with(&[("claims.csv", &joined)]).unwrap();
        assert_same_claims(&split, &whole);
        assert_eq!(split.claims.stats.attributed, 6);
        assert_eq!(split.problems.errors + whole.problems.errors, 0);
        assert_eq!(split.claims_source, "claims_line.csv + claims_header.csv");
    }

    #[test]
    fn lines_without_a_usable_claim_are_reported_with_their_line() {
        let header = "OT_LINK_KEY,CLM_ID,MSIS_ID,XOVR_IND,SRVC_BGNNG_DT\nK1,C1,M1,Y,2025-01-01\nK2,C2,M2,maybe,2025-01-01\nK1,C9,M1,Y,2025-01-01\nK3,C3,M3,Y,\n";
        let n0 = npi(0);
        let line = format!(
            "OT_LINK_KEY,CLM_ID,PRCDR_CD,SRVCNG_PRVDR_NPI_NUM,LINE_SRVC_BGN_DT\nK1,X,99213,{n0},\nK2,C2,99213,{n0},\nK7,C1,99213,{n0},\n,C1,99213,{n0},\nK3,C3,99213,{n0},\nK3,C3,99213,{n0},1960-01-01\nK3,C3,99213,{n0},2025-05-05\n"
        );
        let ds = load_with(&[("claims_header.csv", header), ("claims_line.csv", &line)]).unwrap();
        let told: Vec<String> = ds.problems.list.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "claims_header.csv:3: crossover \"maybe\" is not Y/N, 1/0 or true/false",
                "claims_header.csv:4: OT_LINK_KEY is on an earlier row too; this row is skipped",
                "claims_line.csv:3: its claim's row in claims_header.csv (line 3) was skipped as bad",
                "claims_line.csv:4: its claim (OT_LINK_KEY) is not in claims_header.csv",
                "claims_line.csv:5: OT_LINK_KEY is blank",
                "claims_line.csv:6: service_date is blank on the line and on its claim's header row",
                "claims_line.csv:7: service_date is blank on the line and on its claim's header row",
            ]
        );
        // The link key joins (the CLM_ID "X" on line 2 is not used); K3's dated line counts.
        assert_eq!(ds.claims.stats.rows, 7);
        assert_eq!(ds.claims.stats.skipped, 5);
        assert_eq!(ds.claims.stats.attributed, 2);
        assert_eq!(
            ds.problems.file_warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            [
                "claims_line.csv: warning: 1 lines name a claim that is not in claims_header.csv; they were skipped (see `carealign check`)"
            ]
        );
    }

    #[test]
    fn one_form_of_the_claims_only() {
        let header = "CLM_ID,MSIS_ID,XOVR_IND,SRVC_BGNNG_DT\nC1,M1,Y,2025-01-01\n";
        let line = format!("CLM_ID,PRCDR_CD,SRVCNG_PRVDR_NPI_NUM\nC1,99213,{}\n", npi(0));
        let claims = "member_id,service_date,rendering_npi,procedure_code,crossover\n";
        let e = load_with(&[("claims_header.csv", header), ("claims_line.csv", &line), ("claims.csv", claims)])
            .unwrap_err();
        assert!(
            e.to_string().starts_with("claims.csv: is in ") && e.to_string().ends_with("keep one form of the claims"),
            "{e}"
        );
        let e = load_with(&[("claims_header.csv", header)]).unwrap_err();
        assert!(e.to_string().starts_with("claims_line.csv: not found in"), "{e}");
        let e =
            load_with(&[("claims_header.csv", "CLM_ID,MSIS_ID,XOVR_IND\n"), ("claims_line.csv", &line)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "claims_line.csv:1: required column service_date is missing here and in claims_header.csv; tried service_date, SRVC_BGNNG_DT, LINE_SRVC_BGN_DT, SRVC_BGN_DT"
        );
        let e = load_with(&[
            ("claims_header.csv", "OT_LINK_KEY,MSIS_ID,XOVR_IND,SRVC_BGNNG_DT\n"),
            ("claims_line.csv", &line),
        ])
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "claims_line.csv:1: no claim id column shared with claims_header.csv: both files need CLM_ID (or both OT_LINK_KEY)"
        );
        let e =
            load_with(&[("claims_header.csv", "CLM_ID,MSIS_ID,XOVR_IND,SRVC_BGNNG_DT\n"), ("claims_line.csv", &line)])
                .unwrap_err();
        assert_eq!(e.to_string(), "claims_header.csv: has a header but no data rows");
    }

    fn gen_claims() -> impl Strategy<Value = Vec<GenClaim>> {
        let date = (1u32..=28).prop_map(|d| format!("2025-03-{d:02}"));
        let line = (
            prop_oneof![
                Just(None),
                Just(Some(String::new())),
                Just(Some("1960-01-01".to_string())),
                date.clone().prop_map(Some)
            ],
            0u64..6,
            prop::sample::select(vec!["", "207Q00000X", "207RC0000X", "NONE", "9999999999", "XXXXXXXXXX"]),
            prop::sample::select(vec!["99213", "G0439", "71046"]),
            prop::option::weighted(0.2, 0u64..6),
        );
        let claim = (
            prop::sample::select(vec!["M1", "M2", "M3", "M\u{e9}", "M5"]),
            prop::sample::select(vec!["Y", "N", "1", "0"]),
            prop::option::of(0u64..6),
            date,
            proptest::collection::vec(line, 1..5),
        );
        proptest::collection::vec(claim, 1..25).prop_map(|claims| {
            claims
                .into_iter()
                .map(|(m, x, b, date, lines)| {
                    // None: the line repeats the claim's date (written out).
                    let lines = lines
                        .into_iter()
                        .map(|(d, r, t, c, lb)| (d.unwrap_or_else(|| date.clone()), r, t, c, lb))
                        .collect();
                    (m, x, b, date, lines)
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        /// Any TAF set split into header and line files gives exactly the joined lines' numbers.
        #[test]
        fn split_equals_joined(claims in gen_claims()) {
            let (header, line, joined) = write_both(&claims);
            let split = load_with(&[("claims_header.csv", &header), ("claims_line.csv", &line)]).unwrap();
            let whole = load_with(&[("claims.csv", &joined)]).unwrap();
            assert_same_claims(&split, &whole);
            prop_assert_eq!(split.problems.errors, 0);
        }
    }
}

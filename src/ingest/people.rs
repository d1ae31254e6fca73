//! assessments.csv and care_managers.csv: the HCBS side of the data.

use rustc_hash::FxHashMap;

use super::fields::{Acuity, Day, parse_date, trim};
use super::problem::Problems;
use super::scan::Record;
use super::schema::{assessments_col as acol, care_managers_col as ccol};

/// Text that repeats from row to row (county, waiver, care manager, plan), held once per
/// distinct value rather than once per row: with one allocation per field, these columns were
/// half of a state's assessments in memory, and a page fault for every few rows.
pub type Shared = std::sync::Arc<str>;

/// The distinct values of the repeating columns seen so far (by one block's reader).
#[derive(Default)]
pub struct SharedText(rustc_hash::FxHashSet<Shared>);

impl SharedText {
    fn get(&mut self, text: &str) -> Shared {
        if let Some(s) = self.0.get(text) {
            return s.clone();
        }
        let s: Shared = text.into();
        self.0.insert(s.clone());
        s
    }
}

/// A member's latest HCBS assessment. (assessment_type is read as a column but not kept:
/// nothing uses it.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assessment {
    pub member_id: String,
    pub date: Day,
    /// What the recipient said about where they get primary care (free text).
    pub pcp_response: String,
    pub county: Shared,
    pub waiver: Shared,
    pub acuity: Acuity,
    /// The member's current care manager (blank when none).
    pub care_manager_id: Shared,
    pub medicare_plan: Shared,
    /// Line of this assessment in assessments.csv.
    pub line: u64,
}

/// An HCBS care manager.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CareManager {
    pub id: String,
    pub name: String,
    pub agency: String,
    pub supervisor: String,
    pub county: String,
    /// Maximum members. Any whole number up to 4,294,967,295 is taken as it is, a "no limit"
    /// stand-in like 999999999 too: it is shown in full, and every sum of capacities is a u64.
    pub capacity: u32,
    pub phone: String,
    pub email: String,
}

const AFILE: &str = "assessments.csv";
const CFILE: &str = "care_managers.csv";

impl Assessment {
    /// Reads one row of assessments.csv; a bad row is reported to `problems` and gives `None`.
    pub fn parse(
        shared: &mut SharedText,
        rec: &Record,
        idx: &[Option<usize>],
        problems: &mut Problems,
    ) -> Option<Assessment> {
        let line = rec.line;
        let mut latin1 = false;
        let mut text = |i: usize| rec.text(idx[i], &mut latin1);
        let member_id = text(acol::MEMBER);
        if member_id.is_empty() {
            problems.error(AFILE, line, "member_id is blank".into());
            return None;
        }
        let raw_date = rec.col(idx[acol::DATE]);
        let Some(date) = parse_date(raw_date) else {
            let shown: String = String::from_utf8_lossy(trim(raw_date)).chars().take(30).collect();
            problems.error(
                AFILE,
                line,
                format!(
                    "assessment_date \"{shown}\" is not a valid date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or 05JAN2025)"
                ),
            );
            return None;
        };
        let pcp_response = text(acol::RESPONSE);
        // Decoded in place: a String per row only to compare it with "low" was measurable.
        let (raw_acuity, bad) = super::fields::decode(rec.col(idx[acol::ACUITY]));
        latin1 |= bad;
        let acuity = Acuity::parse(&raw_acuity).unwrap_or_else(|| {
            let shown: String = raw_acuity.chars().take(20).collect();
            problems.warning(AFILE, line, format!("acuity \"{shown}\" is not low, medium or high; read as blank"));
            Acuity::Blank
        });
        let mut shared = |i: usize| {
            let (s, bad) = super::fields::decode(rec.col(idx[i]));
            latin1 |= bad;
            shared.get(&s)
        };
        let a = Assessment {
            member_id,
            date,
            pcp_response,
            county: shared(acol::COUNTY),
            waiver: shared(acol::WAIVER),
            acuity,
            care_manager_id: shared(acol::CM),
            medicare_plan: shared(acol::PLAN),
            line,
        };
        if latin1 {
            problems.warning(AFILE, line, "text is not UTF-8; read as Latin-1".into());
        }
        Some(a)
    }
}

/// Keeps the latest assessment per member (ties: the later line). Rows are collected in a
/// plain Vec and reduced once at the end: a map of whole assessments doubles its memory on
/// every resize, which was the peak of a state-sized load.
#[derive(Default)]
pub struct AssessmentsBuilder {
    all: Vec<Assessment>,
}

impl AssessmentsBuilder {
    /// A builder with room for `rows` assessments.
    pub fn with_capacity(rows: usize) -> Self {
        AssessmentsBuilder { all: Vec::with_capacity(rows) }
    }

    pub fn push(&mut self, a: Assessment) {
        self.all.push(a);
    }

    /// One assessment per member (the latest; on the same date, the later line), sorted by
    /// member id.
    ///
    /// Sorts small keys (the id's first 16 bytes as two integers, date, position) rather than
    /// the assessments themselves: comparing ids through their heap strings was a cache miss
    /// per comparison, in a serial step of every load. Rows arrive in file order, so the
    /// later position is the later line.
    pub fn finish(self) -> Vec<Assessment> {
        // The id's first 16 bytes and its length, capped at 17: for ids of up to 16 bytes
        // (the usual) equal keys mean equal ids and the key order is the ids' order, so
        // neither the sort nor the dedup reads an id; longer ids sharing a prefix are ordered
        // and compared in full.
        let prefix = |id: &str| {
            let mut key = [0u8; 16];
            let n = id.len().min(16);
            key[..n].copy_from_slice(&id.as_bytes()[..n]);
            let (hi, lo) = key.split_at(8);
            let hi = u64::from_be_bytes(hi.try_into().expect("8 bytes"));
            (hi, u64::from_be_bytes(lo.try_into().expect("8 bytes")), id.len().min(17) as u8)
        };
        use rayon::slice::ParallelSliceMut;
        use std::cmp::Reverse;
        /// (id prefix and length class, latest first, position)
        type Key = ((u64, u64, u8), Reverse<(Day, u32)>, u32);
        let mut keys: Vec<Key> = (self.all.iter().enumerate())
            .map(|(i, a)| (prefix(&a.member_id), Reverse((a.date, i as u32)), i as u32))
            .collect();
        keys.par_sort_unstable();
        let all = &self.all;
        let long = |k: &Key| k.0.2 > 16;
        for run in keys.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 && long(&run[0]) {
                run.sort_by(|a, b| all[a.2 as usize].member_id.cmp(&all[b.2 as usize].member_id));
            }
        }
        keys.dedup_by(|later, first| {
            later.0 == first.0 && (!long(first) || all[later.2 as usize].member_id == all[first.2 as usize].member_id)
        });
        // Move the kept assessments into key order in place (a second Vec of them would add
        // to the load's peak): `dest[i]` is where the assessment now at `i` belongs; the
        // dropped ones go after the kept, and are cut off.
        let mut dest = vec![u32::MAX; self.all.len()];
        for (i, k) in keys.iter().enumerate() {
            dest[k.2 as usize] = i as u32;
        }
        for (next, d) in (keys.len() as u32..).zip(dest.iter_mut().filter(|d| **d == u32::MAX)) {
            *d = next;
        }
        let mut all = self.all;
        for i in 0..all.len() {
            while dest[i] as usize != i {
                let d = dest[i] as usize;
                all.swap(i, d);
                dest.swap(i, d);
            }
        }
        all.truncate(keys.len());
        all
    }
}

/// Reads care managers, rejecting duplicate ids and bad capacities.
#[derive(Default)]
pub struct CareManagersBuilder {
    list: Vec<CareManager>,
    seen: FxHashMap<String, u64>,
}

impl CareManagersBuilder {
    pub fn add(&mut self, rec: &Record, idx: &[Option<usize>], problems: &mut Problems) {
        let line = rec.line;
        let mut latin1 = false;
        let mut text = |i: usize| rec.text(idx[i], &mut latin1);
        let id = text(ccol::ID);
        if id.is_empty() {
            return problems.error(CFILE, line, "care_manager_id is blank".into());
        }
        let raw_cap = text(ccol::CAPACITY);
        let Ok(capacity) = raw_cap.parse::<u32>() else {
            let shown: String = raw_cap.chars().take(20).collect();
            return problems.error(
                CFILE,
                line,
                format!("capacity \"{shown}\" is not a whole number of members (0 or more)"),
            );
        };
        if let Some(first) = self.seen.get(&id) {
            return problems.error(
                CFILE,
                line,
                format!("care_manager_id {id} appears again (first on line {first}); this row is skipped"),
            );
        }
        let cm = CareManager {
            name: text(ccol::NAME),
            agency: text(ccol::AGENCY),
            supervisor: text(ccol::SUPERVISOR),
            county: text(ccol::COUNTY),
            capacity,
            phone: text(ccol::PHONE),
            email: text(ccol::EMAIL),
            id,
        };
        if latin1 {
            problems.warning(CFILE, line, "text is not UTF-8; read as Latin-1".into());
        }
        self.seen.insert(cm.id.clone(), line);
        self.list.push(cm);
    }

    /// Care managers in file order.
    pub fn finish(self) -> Vec<CareManager> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The latest assessment per member, sorted by id: as a plain sort and dedup of whole
        /// assessments gives it (ids of 15 to 17 bytes, trailing NULs, and ids sharing 16-byte
        /// prefixes included).
        #[test]
        fn finish_keeps_the_latest_per_member(rows in proptest::collection::vec(
            (prop_oneof!["M0[0-3]", "M0\\x00{0,2}", "ABCDEFGHIJKLMNO[P\\x00]{0,3}", "LONGMEMBERIDPREFIX[0-2]{0,2}"], 0i32..4), 0..60)) {
            let all: Vec<Assessment> = rows.iter().enumerate()
                .map(|(i, (id, date))| Assessment { member_id: id.clone(), date: *date, line: i as u64 + 2, ..Assessment::default() })
                .collect();
            let mut want = all.clone();
            want.sort_by(|a, b| a.member_id.cmp(&b.member_id).then(b.date.cmp(&a.date)).then(b.line.cmp(&a.line)));
            want.dedup_by(|later, first| later.member_id == first.member_id);
            prop_assert_eq!(AssessmentsBuilder { all }.finish(), want);
        }
    }
}

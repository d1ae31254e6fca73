//! A member's final practice from what they said and what their claims show (SPEC "Member's
//! practice and match_source", "Needs review"), and resolving every HCBS member of a dataset.
//!
//! Each distinct answer is matched once (many members say the same thing), in parallel; the
//! per-member step then only looks at that member's own claims and county, so its cost does
//! not grow with the number of practices.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{MAX_CANDIDATES, MatchStatus, Matcher, SelfReport};
use crate::ingest::{Assessment, Claims, Dataset, Pair};

/// How a member's final practice was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchSource {
    /// The answer named one practice and the member has no primary-care claims anywhere.
    SelfReport,
    /// The answer named one practice and the member has claims there too.
    Both,
    /// Claims attribution (no usable answer, or an ambiguous one the claims settle).
    Claims,
    /// The answer named one practice, the member's claims are all elsewhere: the answer
    /// stands, flagged for review.
    Conflict,
    /// Decided by a person in the Review screen.
    Review,
    None,
}

impl MatchSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchSource::SelfReport => "self_report",
            MatchSource::Both => "both",
            MatchSource::Claims => "claims",
            MatchSource::Conflict => "conflict",
            MatchSource::Review => "review",
            MatchSource::None => "none",
        }
    }
}

/// An HCBS member's practice, from what they said and what their claims show.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberMatch {
    /// The answer, its candidates ordered for this member (claims, then county) and cut to
    /// the few that are shown.
    pub report: SelfReport,
    pub claims_practice: Option<u32>,
    pub practice: Option<u32>,
    pub source: MatchSource,
}

impl MemberMatch {
    /// Whether the claims settle an ambiguous answer: the claims practice is a candidate.
    /// (Candidates are ordered claims-first, so the claims practice is never cut off.)
    pub fn settled_by_claims(&self) -> bool {
        self.report.status == MatchStatus::Ambiguous
            && self.claims_practice.is_some_and(|c| self.report.candidates.contains(&c))
    }

    /// SPEC "Needs review": a conflict, or an ambiguous answer no claims practice settles,
    /// with no Review-screen decision yet.
    pub fn needs_review(&self, decision: Option<u32>) -> bool {
        decision.is_none()
            && (self.source == MatchSource::Conflict
                || (self.report.status == MatchStatus::Ambiguous && !self.settled_by_claims()))
    }

    /// The final practice and its source once a Review-screen decision (if any) applies.
    pub fn decided(&self, decision: Option<u32>) -> (Option<u32>, MatchSource) {
        match decision {
            Some(p) => (Some(p), MatchSource::Review),
            None => (self.practice, self.source),
        }
    }
}

/// What is known about a member besides their answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// Claims attribution (SPEC): the practice with most crossover primary-care lines.
    pub claims_practice: Option<u32>,
    /// The member's crossover primary-care activity, one entry per practice.
    pub lines: &'a [Pair],
    /// County id of the member (see [`Counties`]), when known.
    pub county: Option<u32>,
}

/// SPEC "Member's practice": a matched answer stands (`both` when the claims show the member
/// there, `conflict` when they show the member only elsewhere); an ambiguous answer whose
/// candidates include the claims practice is settled by claims; otherwise claims attribution.
/// `practice_county` gives a practice's county id, used only to order candidates.
pub fn final_practice(report: &SelfReport, ev: &Evidence, practice_county: &[u32]) -> MemberMatch {
    let (practice, source) = match (report.status, report.practice) {
        (MatchStatus::Matched, Some(s)) if ev.lines.is_empty() => (Some(s), MatchSource::SelfReport),
        (MatchStatus::Matched, Some(s)) if ev.lines.iter().any(|l| l.practice == s) => (Some(s), MatchSource::Both),
        (MatchStatus::Matched, Some(s)) => (Some(s), MatchSource::Conflict),
        _ => match ev.claims_practice {
            Some(c) => (Some(c), MatchSource::Claims),
            None => (None, MatchSource::None),
        },
    };
    // Only an ambiguous answer has candidates, ordered for this member; the shared report
    // is not copied whole (a common surname can have hundreds).
    let candidates = match report.status {
        MatchStatus::Ambiguous => order_candidates(&report.candidates, ev, practice_county),
        _ => Vec::new(),
    };
    let report = SelfReport { candidates, ..*report };
    MemberMatch { report, claims_practice: ev.claims_practice, practice, source }
}

/// How far down a long candidate list (a common surname) the county is looked for.
const COUNTY_SCAN: usize = 1000;

/// The candidates a member is shown, likeliest first: practices where the member has claims
/// (most lines first), then practices in the member's county, then the matcher's order. The
/// county only orders; it never decides.
pub fn order_candidates(all: &[u32], ev: &Evidence, practice_county: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(MAX_CANDIDATES);
    let mut claimed: Vec<&Pair> = ev.lines.iter().filter(|l| all.contains(&l.practice)).collect();
    claimed.sort_by(|a, b| b.lines.cmp(&a.lines).then(b.last.cmp(&a.last)).then(a.practice.cmp(&b.practice)));
    out.extend(claimed.iter().map(|l| l.practice));
    if let Some(county) = ev.county {
        for &p in all.iter().take(COUNTY_SCAN) {
            if out.len() >= MAX_CANDIDATES {
                break;
            }
            if practice_county[p as usize] == county && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    for &p in all {
        if out.len() >= MAX_CANDIDATES {
            break;
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.truncate(MAX_CANDIDATES.max(claimed.len()));
    out
}

/// Counties as small ids, compared case-insensitively.
#[derive(Debug, Default)]
pub struct Counties(FxHashMap<String, u32>);

/// Id of an unknown or blank county: equal to nothing.
pub const NO_COUNTY: u32 = u32::MAX;

impl Counties {
    /// Ids for every practice's county (blank → [`NO_COUNTY`]).
    pub fn of_practices(ds: &Dataset) -> (Self, Vec<u32>) {
        let mut c = Counties::default();
        let ids = ds.roster.practices.iter().map(|p| c.add(&p.county)).collect();
        (c, ids)
    }

    fn add(&mut self, county: &str) -> u32 {
        let key = county.trim().to_lowercase();
        if key.is_empty() {
            return NO_COUNTY;
        }
        let next = self.0.len() as u32;
        *self.0.entry(key).or_insert(next)
    }

    pub fn id(&self, county: &str) -> Option<u32> {
        self.0.get(&county.trim().to_lowercase()).copied()
    }
}

/// A member's entries in `claims.pairs` (sorted by member), by index in `claims.members`.
pub fn member_lines(claims: &Claims, member: usize) -> &[Pair] {
    let m = member as u32;
    let start = claims.pairs.partition_point(|p| p.member < m);
    let end = start + claims.pairs[start..].partition_point(|p| p.member == m);
    &claims.pairs[start..end]
}

/// The form of an answer under which equal answers are matched once: lower case, runs of
/// white space as one space (matching reads neither case nor spacing).
fn answer_key(text: &str) -> String {
    if !text.is_ascii() {
        return answer_key_unicode(text);
    }
    // ASCII (nearly every answer) byte by byte: `split_whitespace` decoded every character,
    // the top cost of keying 773k answers. The bytes that are white space in Unicode are
    // the ones `split_whitespace` splits at.
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(char::from(b.to_ascii_lowercase()));
    }
    out
}

/// [`answer_key`] of text that is not all ASCII.
fn answer_key_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // ASCII words in place, without the allocation `to_lowercase` makes per word.
        if w.is_ascii() {
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

/// Matches each distinct answer once, in parallel; returns per answer the index of its report.
/// The answers' keys and hashes are worked out in parallel too; only putting them in a table
/// is serial, with no hashing or allocation left in it.
pub fn match_distinct<'t>(matcher: &Matcher, answers: impl Iterator<Item = &'t str>) -> (Vec<u32>, Vec<SelfReport>) {
    use std::hash::BuildHasher;
    let answers: Vec<&str> = answers.collect();
    let keyed: Vec<(u64, String)> = answers
        .par_iter()
        .map(|a| {
            let key = answer_key(a);
            (rustc_hash::FxBuildHasher.hash_one(&key), key)
        })
        .collect();
    let mut table: hashbrown::HashTable<u32> = hashbrown::HashTable::new();
    let mut distinct: Vec<(u64, String)> = Vec::new();
    let which: Vec<u32> = keyed
        .into_iter()
        .map(|(hash, key)| {
            if let Some(&d) = table.find(hash, |&d| distinct[d as usize].1 == key) {
                return d;
            }
            let d = distinct.len() as u32;
            table.insert_unique(hash, d, |&d| distinct[d as usize].0);
            distinct.push((hash, key));
            d
        })
        .collect();
    let reports = distinct.par_iter().map(|(_, a)| matcher.match_response(a)).collect();
    (which, reports)
}

/// Resolves every HCBS member of the dataset (indexed like `Dataset::assessments`).
/// `attribution` is [`crate::rank::claims_attribution`] of the dataset's claims.
pub fn resolve_members(ds: &Dataset, attribution: &[u32]) -> Vec<MemberMatch> {
    // The members' claims are found by one serial walk, beside the matching, whose parallel
    // work fills the other threads meanwhile.
    let ((which, reports), (counties, practice_county, claims)) = rayon::join(
        || {
            let matcher = Matcher::new(&ds.roster, &ds.config.non_answers);
            crate::timing::mark("matcher built");
            match_distinct(&matcher, ds.assessments.iter().map(|a| a.pcp_response.as_str()))
        },
        || {
            let (counties, practice_county) = Counties::of_practices(ds);
            let claims = claims_of(&ds.claims, &ds.assessments);
            crate::timing::mark("members' claims found");
            (counties, practice_county, claims)
        },
    );
    crate::timing::mark("distinct answers matched");
    ds.assessments
        .par_iter()
        .zip(which.par_iter())
        .zip(claims.par_iter())
        .map(|((a, &r), c)| {
            let ev = Evidence {
                claims_practice: c.map(|(i, _)| attribution[i as usize]),
                lines: c.map_or(&[], |(_, lines)| &ds.claims.pairs[lines.0 as usize..lines.1 as usize]),
                county: counties.id(&a.county),
            };
            final_practice(&reports[r as usize], &ev, &practice_county)
        })
        .collect()
}

/// Per assessment, its member's index in `claims.members` and the span of its entries in
/// `claims.pairs`, when the member has claims. Assessments, claims members and pairs are all
/// sorted by member, so one walk along the three finds them all: two binary searches per
/// member jumped around a state's member list and pair table (a cache miss per step).
fn claims_of(claims: &Claims, assessments: &[Assessment]) -> Vec<Option<(u32, (u32, u32))>> {
    let (mut m, mut k) = (0, 0);
    let pairs = &claims.pairs;
    assessments
        .iter()
        .map(|a| {
            let id = a.member_id.as_str();
            while m < claims.members.len() && claims.members.get(m) < id {
                m += 1;
            }
            if m == claims.members.len() || claims.members.get(m) != id {
                return None;
            }
            while k < pairs.len() && (pairs[k].member as usize) < m {
                k += 1;
            }
            let start = k;
            while k < pairs.len() && pairs[k].member as usize == m {
                k += 1;
            }
            Some((m as u32, (start as u32, k as u32)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(practice: u32, lines: u32) -> Pair {
        Pair { member: 0, practice, lines, last: 0 }
    }

    fn matched(p: u32) -> SelfReport {
        SelfReport::matched(p, 0.95)
    }

    #[test]
    fn sources_follow_spec() {
        let county = vec![NO_COUNTY; 10];
        let lines = [pair(1, 2), pair(2, 5)];
        let ev = Evidence { claims_practice: Some(2), lines: &lines, county: None };
        // Claims at the named practice corroborate it even when another has more.
        let m = final_practice(&matched(1), &ev, &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (Some(1), MatchSource::Both, false));
        // Claims only elsewhere: the answer stands, flagged.
        let m = final_practice(&matched(3), &ev, &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (Some(3), MatchSource::Conflict, true));
        assert_eq!(m.decided(Some(2)), (Some(2), MatchSource::Review));
        assert!(!m.needs_review(Some(2)), "a decision takes it off the queue");
        // No claims at all.
        let m = final_practice(&matched(3), &Evidence::default(), &county);
        assert_eq!((m.source, m.needs_review(None)), (MatchSource::SelfReport, false));
        // Ambiguous with the claims practice among the candidates: settled by claims.
        let m = final_practice(&SelfReport::ambiguous(vec![4, 2]), &ev, &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (Some(2), MatchSource::Claims, false));
        assert_eq!(m.report.candidates, [2, 4], "claims practice first");
        // Ambiguous, claims elsewhere: claims attribution, but it needs a person.
        let m = final_practice(&SelfReport::ambiguous(vec![4, 5]), &ev, &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (Some(2), MatchSource::Claims, true));
        // Ambiguous, no claims.
        let m = final_practice(&SelfReport::ambiguous(vec![4, 5]), &Evidence::default(), &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (None, MatchSource::None, true));
        // No answer.
        let m = final_practice(&SelfReport::none(MatchStatus::NoAnswer), &ev, &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (Some(2), MatchSource::Claims, false));
        let m = final_practice(&SelfReport::none(MatchStatus::NotFound), &Evidence::default(), &county);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (None, MatchSource::None, false));
    }

    #[test]
    fn county_orders_but_never_decides() {
        let county = vec![0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        let ev = Evidence { county: Some(1), ..Evidence::default() };
        let m = final_practice(&SelfReport::ambiguous(vec![0, 3, 4, 2]), &ev, &county);
        assert_eq!(m.report.candidates, [4, 2, 0, 3]);
        assert_eq!((m.practice, m.source, m.needs_review(None)), (None, MatchSource::None, true));
        // Long lists are cut, claims practices kept first, then county.
        let lines = [pair(11, 1), pair(10, 3)];
        let ev = Evidence { claims_practice: Some(10), lines: &lines, county: Some(1) };
        let all: Vec<u32> = (0..12).collect();
        let m = final_practice(&SelfReport::ambiguous(all), &ev, &county);
        assert_eq!(m.report.candidates, [10, 11, 1, 2, 4, 0, 3, 5]);
        assert!(m.settled_by_claims());
    }

    /// The one walk finds what a binary search per member finds.
    #[test]
    fn claims_of_agrees_with_searching_each_member() {
        let dir = tempfile::tempdir().unwrap();
        let mut spec = crate::sample::SampleSpec::new(3000, 60, 9);
        spec.lines = Some(20_000);
        crate::sample::generate(dir.path(), &spec).unwrap();
        let ds = crate::ingest::load(dir.path(), Default::default(), &Default::default()).unwrap();
        let found = claims_of(&ds.claims, &ds.assessments);
        assert!(found.iter().filter(|c| c.is_some()).count() > 100, "the data exercises the walk");
        for (a, c) in ds.assessments.iter().zip(&found) {
            let searched = ds.claims.members.position(&a.member_id).map(|i| (i, member_lines(&ds.claims, i)));
            let walked = c.map(|(i, (s, e))| (i as usize, &ds.claims.pairs[s as usize..e as usize]));
            assert_eq!(walked, searched);
        }
    }

    proptest::proptest! {
        /// The ASCII path keys an answer as the Unicode path does (white space of every kind,
        /// including the ASCII controls that are not white space).
        #[test]
        fn ascii_keys_are_the_unicode_keys(text in "[ aB\t\n\x0B\x0C\r\x1C\x1F.-]{0,20}") {
            proptest::prop_assert_eq!(answer_key(&text), answer_key_unicode(&text));
        }
    }

    #[test]
    fn answer_keys_ignore_case_and_spacing() {
        assert_eq!(answer_key("  Riverside   FM - North "), "riverside fm - north");
        assert_eq!(answer_key("DR\tLEE"), "dr lee");
    }
}

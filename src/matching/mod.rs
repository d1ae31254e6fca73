//! Matching what HCBS recipients said about their primary care to a practice, and combining it
//! with claims attribution into each member's final practice (SPEC "Self-report match",
//! "Member's practice").
//!
//! Precision comes before recall: a wrong match sends a care manager to the wrong office, so
//! whenever two practices fit about equally the answer is `Ambiguous` with its candidates.

pub mod normalize;
pub mod vocab;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ingest::fields::parse_npi;
use crate::ingest::{Dataset, Roster};
use normalize::{base_readings, tokens, words};
use vocab::{Hit, Vocab};

/// Outcome of matching one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchStatus {
    Matched,
    Ambiguous,
    NoAnswer,
    NotFound,
}

impl MatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchStatus::Matched => "matched",
            MatchStatus::Ambiguous => "ambiguous",
            MatchStatus::NoAnswer => "no_answer",
            MatchStatus::NotFound => "not_found",
        }
    }
}

/// A self-reported primary-care answer, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfReport {
    pub status: MatchStatus,
    /// The practice when `Matched`.
    pub practice: Option<u32>,
    /// How sure the match is, 0..1 (matches at ≥ 0.9 are meant to be right ≥ 98% of the time).
    pub confidence: f64,
    /// Plausible practices when `Ambiguous`, best first.
    pub candidates: Vec<u32>,
}

impl SelfReport {
    fn matched(practice: u32, confidence: f64) -> Self {
        SelfReport {
            status: MatchStatus::Matched,
            practice: Some(practice),
            confidence,
            candidates: Vec::new(),
        }
    }

    fn ambiguous(mut candidates: Vec<u32>) -> Self {
        candidates.truncate(MAX_CANDIDATES);
        SelfReport {
            status: MatchStatus::Ambiguous,
            practice: None,
            confidence: 0.0,
            candidates,
        }
    }

    fn none(status: MatchStatus) -> Self {
        SelfReport {
            status,
            practice: None,
            confidence: 0.0,
            candidates: Vec::new(),
        }
    }

    /// A set of practices: one is a match, several are ambiguous, none is not found.
    fn from_set(set: Vec<u32>, confidence: f64) -> Self {
        match set.len() {
            0 => SelfReport::none(MatchStatus::NotFound),
            1 => SelfReport::matched(set[0], confidence),
            _ => SelfReport::ambiguous(set),
        }
    }
}

const MAX_CANDIDATES: usize = 8;

/// How far ahead (in combined score) the best practice must be to be a match.
const MARGIN: f32 = 0.05;

/// Words that say what kind of place it is rather than which one; an answer's generic word
/// that a practice name lacks counts little against it ("Riverside clinic").
const GENERIC: &[&str] = &[
    "clin", "office", "ctr", "med", "hlth", "prac", "grp", "care", "phys", "doctor", "doctors", "dr", "drs", "assoc",
    "hosp", "svc",
];

/// Words naming a kind of place; they never decide between two practices on their own.
const TYPE_WORDS: &[&str] = &["clin", "office", "ctr", "doctor", "doctors", "dr", "drs", "hosp", "prac", "grp"];

/// Words around a name in an assessor's note that say nothing about which practice it is.
const FILLER: &[&str] = &[
    "goes", "go", "going", "to", "sees", "see", "seen", "visits", "patient", "pt", "mbr", "member", "states", "reports",
    "said", "says", "her", "his", "their", "is", "was", "by", "uses", "office", "np", "nurse", "at",
];

/// Words that introduce a clinician's name.
const DOCTOR_WORDS: &[&str] = &["dr", "doctor", "doc", "drs", "dra"];
/// Words that introduce the place in "Dr Lee at Riverside".
const PLACE_WORDS: &[&str] = &["at", "with", "from", "in", "of", "on"];
/// Credentials after a clinician's name.
const CREDENTIALS: &[&str] = &["md", "do", "np", "pa", "aprn", "fnp", "pac", "dnp", "crnp"];

/// Matches answers against one roster. Build once, then match answers in parallel.
pub struct Matcher<'r> {
    roster: &'r Roster,
    non_answers: FxHashSet<String>,
    /// Non-answers of two words or more, also recognised inside a longer answer.
    non_answer_phrases: Vec<String>,
    tokens: Vocab,
    idf: Vec<f32>,
    /// Canonical token ids of each practice name (distinct).
    practice_tokens: Vec<Vec<u32>>,
    postings: Vec<Vec<u32>>,
    /// Canonical name key → practices with that key.
    exact: FxHashMap<String, Vec<u32>>,
    surnames: Vocab,
    /// Surname id → clinicians.
    by_surname: Vec<Vec<u32>>,
    clinician_first: Vec<String>,
    generic: FxHashSet<u32>,
    /// Token ids of words naming a kind of place ("clinic", "center"), see [`TYPE_WORDS`].
    type_words: FxHashSet<u32>,
    /// Weight of an answer word no practice name has.
    unseen_weight: f32,
}

/// How a candidate practice covers an answer.
#[derive(Debug, Clone, Copy)]
struct Score {
    practice: u32,
    /// Share of the answer's weight explained by the practice name.
    answer: f32,
    /// Share of the practice name's weight the answer mentions.
    name: f32,
}

impl Score {
    fn combined(&self) -> f32 {
        (self.answer + self.name) / 2.0
    }
}

impl<'r> Matcher<'r> {
    pub fn new(roster: &'r Roster, non_answers: &[String]) -> Self {
        let mut tok = Vocab::default();
        let mut practice_tokens = Vec::with_capacity(roster.practices.len());
        let mut exact: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (p, practice) in roster.practices.iter().enumerate() {
            let t = tokens(&practice.name);
            exact.entry(t.join(" ")).or_default().push(p as u32);
            let mut ids: Vec<u32> = t.iter().map(|w| tok.add(w)).collect();
            ids.sort_unstable();
            ids.dedup();
            practice_tokens.push(ids);
        }
        tok.seal();
        let mut postings = vec![Vec::new(); tok.len()];
        for (p, ids) in practice_tokens.iter().enumerate() {
            for &t in ids {
                postings[t as usize].push(p as u32);
            }
        }
        let n = roster.practices.len().max(1) as f32;
        let idf: Vec<f32> = postings.iter().map(|p| (1.0 + n / p.len().max(1) as f32).ln()).collect();
        let generic = GENERIC.iter().filter_map(|g| tok.id(g)).collect();
        let type_words = TYPE_WORDS.iter().filter_map(|g| tok.id(g)).collect();

        let mut surnames = Vocab::default();
        let mut by_surname: Vec<Vec<u32>> = Vec::new();
        let mut clinician_first = Vec::with_capacity(roster.clinicians.len());
        for (c, cl) in roster.clinicians.iter().enumerate() {
            clinician_first.push(words(&cl.first).join(""));
            let last = words(&cl.last).join("");
            if last.is_empty() {
                continue;
            }
            let id = surnames.add(&last) as usize;
            if id == by_surname.len() {
                by_surname.push(Vec::new());
            }
            by_surname[id].push(c as u32);
        }
        surnames.seal();
        let non: Vec<String> = non_answers.iter().map(|s| words(s).join(" ")).collect();
        Matcher {
            roster,
            non_answer_phrases: non.iter().filter(|s| s.contains(' ')).cloned().collect(),
            non_answers: non.into_iter().collect(),
            unseen_weight: (1.0 + n).ln() / 4.0,
            tokens: tok,
            idf,
            practice_tokens,
            postings,
            exact,
            surnames,
            by_surname,
            clinician_first,
            generic,
            type_words,
        }
    }

    /// Resolves one answer.
    pub fn match_response(&self, text: &str) -> SelfReport {
        let w = words(text);
        let joined = w.join(" ");
        // A short answer with a non-answer word in it ("Unknown - uses ER") is a non-answer.
        let short_with_word = w.len() <= 5 && w.iter().any(|x| self.non_answers.contains(x));
        if w.is_empty()
            || short_with_word
            || self.non_answers.contains(&joined)
            || self.non_answer_phrases.iter().any(|p| contains_phrase(&joined, p))
        {
            return SelfReport::none(MatchStatus::NoAnswer);
        }
        if let Some(r) = self.match_npi(&w) {
            return r;
        }
        if let Some(r) = self.match_doctor(&w) {
            return r;
        }
        let by_name = self.match_name(text);
        if by_name.status != MatchStatus::NotFound {
            return by_name;
        }
        for base in base_readings(text) {
            let r = self.match_name(base);
            if r.status != MatchStatus::NotFound {
                return r;
            }
        }
        self.match_person(&w).unwrap_or(by_name)
    }

    /// An NPI anywhere in the text decides (when it is a valid NPI in the roster).
    fn match_npi(&self, w: &[String]) -> Option<SelfReport> {
        let npi = w.iter().find_map(|x| (x.len() == 10).then(|| parse_npi(x.as_bytes()).ok().flatten()).flatten())?;
        Some(SelfReport::from_set(self.roster.practices_of(npi).to_vec(), 0.99))
    }

    /// "Dr. Patel", "dr sarah patel", "Dr Lee at Riverside".
    fn match_doctor(&self, w: &[String]) -> Option<SelfReport> {
        let start = w.iter().position(|x| DOCTOR_WORDS.contains(&x.as_str()))? + 1;
        let end = w[start..].iter().position(|x| PLACE_WORDS.contains(&x.as_str())).map_or(w.len(), |e| start + e);
        let mut name: Vec<&str> = w[start..end].iter().map(String::as_str).collect();
        while name.len() > 1 && name.last().is_some_and(|x| CREDENTIALS.contains(x)) {
            name.pop();
        }
        if name.is_empty() {
            return None;
        }
        let place: Vec<String> = if end < w.len() { tokens(&w[end + 1..].join(" ")) } else { Vec::new() };
        Some(self.clinician_practices(&name, &place, true))
    }

    /// A bare clinician name ("Sarah Patel") when no practice name fits.
    fn match_person(&self, w: &[String]) -> Option<SelfReport> {
        if !(2..=3).contains(&w.len()) {
            return None;
        }
        let name: Vec<&str> = w.iter().map(String::as_str).collect();
        let r = self.clinician_practices(&name, &[], false);
        (r.status != MatchStatus::NotFound).then_some(r)
    }

    /// Practices of clinicians named `name` (surname last; a first name or initial before it),
    /// narrowed by place words when given.
    fn clinician_practices(&self, name: &[&str], place: &[String], allow_surname_only: bool) -> SelfReport {
        let last = name[name.len() - 1];
        let first = (name.len() > 1).then(|| name[0]);
        if first.is_none() && !allow_surname_only {
            return SelfReport::none(MatchStatus::NotFound);
        }
        let hits = self.surnames.lookup(last);
        let fuzzy_surname = hits.iter().any(|h| h.sim < 1.0);
        if fuzzy_surname && hits.len() > 1 {
            return SelfReport::none(MatchStatus::NotFound);
        }
        let mut clinicians: Vec<u32> = hits.iter().flat_map(|h| self.by_surname[h.id as usize].iter().copied()).collect();
        let mut first_ok = true;
        if let Some(first) = first {
            let named: Vec<u32> = clinicians
                .iter()
                .copied()
                .filter(|&c| {
                    let f = &self.clinician_first[c as usize];
                    if first.len() == 1 { f.starts_with(first) } else { f == first || (f.len() >= 5 && strsim::osa_distance(f, first) <= 1) }
                })
                .collect();
            if named.is_empty() {
                first_ok = false;
                if !allow_surname_only {
                    return SelfReport::none(MatchStatus::NotFound);
                }
            } else {
                clinicians = named;
            }
        }
        let mut set: Vec<u32> = clinicians.iter().flat_map(|&c| self.roster.clinician_practices[c as usize].iter().copied()).collect();
        set.sort_unstable();
        set.dedup();
        let mut confidence: f64 = if first.is_some() { 0.95 } else { 0.92 };
        if !place.is_empty() {
            let place_hits: Vec<Vec<Hit>> = place.iter().map(|t| self.tokens.lookup(t)).collect();
            let narrowed: Vec<u32> = set
                .iter()
                .copied()
                .filter(|&p| {
                    let toks = &self.practice_tokens[p as usize];
                    place_hits.iter().all(|hs| hs.iter().any(|h| toks.binary_search(&h.id).is_ok()))
                })
                .collect();
            if narrowed.is_empty() {
                confidence = 0.8;
            } else {
                set = narrowed;
                confidence = 0.93;
            }
        }
        if fuzzy_surname || !first_ok {
            confidence = confidence.min(0.8);
        }
        SelfReport::from_set(set, confidence)
    }

    /// A practice name, exact after normalization or close enough with a clear margin.
    fn match_name(&self, text: &str) -> SelfReport {
        let mut t = tokens(text);
        t.retain(|x| !FILLER.contains(&x.as_str()));
        if t.is_empty() {
            return SelfReport::none(MatchStatus::NotFound);
        }
        if let Some(ps) = self.exact.get(&t.join(" ")) {
            let mut set = ps.clone();
            set.extend(self.extensions(&t, ps));
            return SelfReport::from_set(set, 0.98);
        }
        let hits: Vec<Vec<Hit>> = t.iter().map(|w| self.tokens.lookup(w)).collect();
        let candidates = self.block(&hits);
        let mut scores: Vec<Score> = candidates.into_iter().map(|p| self.score(p, &t, &hits)).collect();
        scores.sort_by(|a, b| b.combined().total_cmp(&a.combined()).then(a.practice.cmp(&b.practice)));
        let Some(best) = scores.first().copied() else {
            return SelfReport::none(MatchStatus::NotFound);
        };
        // Practices that explain the answer as well as the best one: the answer does not tell
        // them apart unless it is (nearly) the best one's whole name.
        // A rival whose name holds all of the best one's words (and more) may be meant too.
        let rivals: Vec<u32> = scores.iter().filter(|s| s.answer >= best.answer - 0.05).map(|s| s.practice).collect();
        let best_toks = &self.practice_tokens[best.practice as usize];
        let extended = rivals.iter().any(|&r| {
            let toks = &self.practice_tokens[r as usize];
            r != best.practice && best_toks.iter().all(|t| toks.binary_search(t).is_ok())
        });
        if best.answer >= 0.8 && rivals.len() > 1 && (best.name < 0.9 || extended) {
            return SelfReport::ambiguous(rivals);
        }
        let second = scores.get(1).map_or(0.0, Score::combined);
        let margin = best.combined() - second;
        if best.combined() >= 0.8 && best.answer >= 0.8 && best.name >= 0.6 {
            let mut close: Vec<u32> = scores.iter().filter(|s| s.combined() > best.combined() - MARGIN).map(|s| s.practice).collect();
            if best.name < 0.9 {
                close.extend(self.type_word_rivals(&best, &t, &hits, &scores));
            }
            if close.len() == 1 {
                let confidence = f64::from(best.combined() - (0.15 - margin).max(0.0)).clamp(0.0, 0.97);
                return SelfReport::matched(best.practice, confidence);
            }
            return SelfReport::ambiguous(close);
        }
        // Everything said fits several practices ("Riverside"): ambiguous, never a guess.
        let fitting: Vec<u32> = scores.iter().filter(|s| s.answer >= 0.85).map(|s| s.practice).collect();
        if fitting.len() >= 2 {
            return SelfReport::ambiguous(fitting);
        }
        if fitting.len() == 1 && best.answer >= 0.85 && best.name >= 0.4 {
            return SelfReport::matched(best.practice, 0.75);
        }
        SelfReport::none(MatchStatus::NotFound)
    }

    /// Candidates that the best one leads only thanks to words like "clinic" or "center":
    /// "Southside clinic" does not tell Southside Family Medicine Clinic from Southside
    /// Geriatrics, so those stay candidates.
    fn type_word_rivals(&self, best: &Score, t: &[String], hits: &[Vec<Hit>], scores: &[Score]) -> Vec<u32> {
        let is_type = |hs: &Vec<Hit>| hs.first().is_some_and(|h| self.type_words.contains(&h.id));
        if !hits.iter().any(is_type) {
            return Vec::new();
        }
        let (kept_t, kept_h): (Vec<String>, Vec<Vec<Hit>>) =
            t.iter().zip(hits).filter(|(_, hs)| !is_type(hs)).map(|(w, hs)| (w.clone(), hs.clone())).unzip();
        let plain = |p: u32| self.score_with(p, &kept_t, &kept_h, true).answer;
        let mine = plain(best.practice);
        scores
            .iter()
            .filter(|s| s.practice != best.practice && (kept_t.is_empty() || plain(s.practice) > mine - MARGIN))
            .map(|s| s.practice)
            .collect()
    }

    /// Practices other than `exact` whose names hold every word of `t` and more: "Prairie
    /// Family Health" may mean "Prairie Family Health of Salem", so both are candidates.
    fn extensions(&self, t: &[String], exact: &[u32]) -> Vec<u32> {
        let Some(ids) = t.iter().map(|w| self.tokens.id(w)).collect::<Option<Vec<u32>>>() else {
            return Vec::new();
        };
        let Some(&rarest) = ids.iter().min_by_key(|&&i| self.postings[i as usize].len()) else {
            return Vec::new();
        };
        self.postings[rarest as usize]
            .iter()
            .copied()
            .filter(|p| !exact.contains(p))
            .filter(|&p| {
                let toks = &self.practice_tokens[p as usize];
                ids.iter().all(|i| toks.binary_search(i).is_ok()) && toks.iter().any(|x| !ids.contains(x))
            })
            .collect()
    }

    /// Candidate practices: those sharing a distinctive word with the answer. Common words
    /// ("med", "family") only generate candidates when the answer has nothing rarer.
    fn block(&self, hits: &[Vec<Hit>]) -> Vec<u32> {
        let common = (self.roster.practices.len() / 20).max(50);
        let mut ids: Vec<u32> = hits.iter().flatten().map(|h| h.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let rare: Vec<u32> = ids.iter().copied().filter(|&t| self.postings[t as usize].len() <= common).collect();
        let use_ids: Vec<u32> = if rare.is_empty() {
            // Only common words: take the rarest one's practices.
            ids.iter().copied().min_by_key(|&t| self.postings[t as usize].len()).into_iter().collect()
        } else {
            rare
        };
        let mut out: Vec<u32> = use_ids.iter().flat_map(|&t| self.postings[t as usize].iter().copied()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn score(&self, practice: u32, answer: &[String], hits: &[Vec<Hit>]) -> Score {
        self.score_with(practice, answer, hits, false)
    }

    /// Scores a candidate; `skip_types` leaves type words out of the practice name's weight.
    fn score_with(&self, practice: u32, answer: &[String], hits: &[Vec<Hit>], skip_types: bool) -> Score {
        let toks = &self.practice_tokens[practice as usize];
        let own_type = toks.iter().any(|t| self.type_words.contains(t));
        let mut got = 0.0f32;
        let mut total = 0.0f32;
        let mut claimed: Vec<u32> = Vec::new();
        for (_word, hs) in answer.iter().zip(hits) {
            let best = hs.iter().filter(|h| toks.binary_search(&h.id).is_ok()).max_by(|a, b| a.sim.total_cmp(&b.sim));
            match best {
                Some(h) => {
                    let w = self.idf[h.id as usize];
                    got += h.sim * w;
                    total += w;
                    if !claimed.contains(&h.id) {
                        claimed.push(h.id);
                    }
                }
                None => {
                    // An unmatched word counts against a practice; less so when it is a generic
                    // word ("clinic") or one no practice name has (a town, a street).
                    total += match hs.first() {
                        // "clinic" said of a practice whose name names no kind of place.
                        Some(h) if self.type_words.contains(&h.id) && !own_type => self.idf[h.id as usize] * 0.1,
                        Some(h) if self.generic.contains(&h.id) => self.idf[h.id as usize] * 0.25,
                        Some(h) => self.idf[h.id as usize],
                        None => self.unseen_weight,
                    };
                }
            }
        }
        let name_total: f32 = toks
            .iter()
            .filter(|t| !(skip_types && self.type_words.contains(t)))
            .map(|&t| self.idf[t as usize])
            .sum();
        // A name word typed with a typo is still mentioned: the typo costs answer coverage only.
        let name_got: f32 = claimed.iter().filter(|t| !(skip_types && self.type_words.contains(t))).map(|&t| self.idf[t as usize]).sum();
        Score {
            practice,
            answer: if total > 0.0 { got / total } else { 0.0 },
            name: if name_total > 0.0 { name_got / name_total } else { 0.0 },
        }
    }
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    text == phrase
        || text.starts_with(&format!("{phrase} "))
        || text.ends_with(&format!(" {phrase}"))
        || text.contains(&format!(" {phrase} "))
}

/// How a member's final practice was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchSource {
    SelfReport,
    Claims,
    /// Self-report and claims disagree: self-report stands, flagged for review.
    Conflict,
    None,
}

impl MatchSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchSource::SelfReport => "self_report",
            MatchSource::Claims => "claims",
            MatchSource::Conflict => "conflict",
            MatchSource::None => "none",
        }
    }
}

/// An HCBS member's practice, from what they said and what their claims show.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberMatch {
    pub report: SelfReport,
    pub claims_practice: Option<u32>,
    pub practice: Option<u32>,
    pub source: MatchSource,
}

/// SPEC "Member's practice": self-report if matched; else claims attribution; when both exist
/// and differ, self-report stands and the member is flagged `conflict`.
pub fn final_practice(report: SelfReport, claims_practice: Option<u32>) -> MemberMatch {
    let (practice, source) = match (report.practice, claims_practice) {
        (Some(s), Some(c)) if s != c => (Some(s), MatchSource::Conflict),
        (Some(s), _) => (Some(s), MatchSource::SelfReport),
        (None, Some(c)) => (Some(c), MatchSource::Claims),
        (None, None) => (None, MatchSource::None),
    };
    MemberMatch {
        report,
        claims_practice,
        practice,
        source,
    }
}

/// Resolves every HCBS member of the dataset (indexed like `Dataset::assessments`).
/// `attribution` is [`crate::rank::claims_attribution`] of the dataset's claims.
pub fn resolve_members(ds: &Dataset, attribution: &[u32]) -> Vec<MemberMatch> {
    let matcher = Matcher::new(&ds.roster, &ds.config.non_answers);
    ds.assessments
        .par_iter()
        .map(|a| {
            let claims_practice = ds
                .claims
                .members
                .binary_search_by(|m| m.as_str().cmp(&a.member_id))
                .ok()
                .map(|i| attribution[i]);
            final_practice(matcher.match_response(&a.pcp_response), claims_practice)
        })
        .collect()
}

#[cfg(test)]
mod tests;

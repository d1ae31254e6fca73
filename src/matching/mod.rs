//! Matching what HCBS recipients said about their primary care to a practice, and combining it
//! with claims attribution into each member's final practice (SPEC "Self-report match",
//! "Member's practice").
//!
//! Precision comes before recall: a wrong match sends a care manager to the wrong office, so
//! whenever two practices fit about equally the answer is `Ambiguous` with its candidates.

pub mod member;
pub mod normalize;
pub mod review;
pub mod vocab;

pub use member::{MatchSource, MemberMatch, final_practice, resolve_members};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ingest::Roster;
use crate::ingest::fields::parse_npi;
use normalize::{canonical_typo, readings, tokens, words};
use std::cell::RefCell;
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
        SelfReport { status: MatchStatus::Matched, practice: Some(practice), confidence, candidates: Vec::new() }
    }

    /// All plausible practices, best first; each member's list is ordered by their own
    /// evidence and cut to [`MAX_CANDIDATES`] in [`member::final_practice`].
    fn ambiguous(candidates: Vec<u32>) -> Self {
        SelfReport { status: MatchStatus::Ambiguous, practice: None, confidence: 0.0, candidates }
    }

    fn none(status: MatchStatus) -> Self {
        SelfReport { status, practice: None, confidence: 0.0, candidates: Vec::new() }
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

/// Candidates listed per member.
pub const MAX_CANDIDATES: usize = 8;

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
    "goes", "go", "going", "to", "sees", "see", "seen", "visits", "patient", "pt", "mbr", "member", "states",
    "reports", "said", "says", "her", "his", "their", "is", "was", "by", "uses", "office", "np", "nurse", "at",
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
    /// Non-answers of two words or more, also recognised inside a longer answer: one
    /// automaton finds them all in one pass (a search per phrase was a tenth of matching).
    non_answer_phrases: aho_corasick::AhoCorasick,
    tokens: Vocab,
    idf: Vec<f32>,
    /// Canonical token ids of each practice name (distinct).
    practice_tokens: Vec<Vec<u32>>,
    postings: Vec<Vec<u32>>,
    /// Canonical name key → practices with that name. An answer that is a whole name matches
    /// it even when longer names contain it (SPEC); only equal names are ambiguous.
    exact: FxHashMap<String, Vec<u32>>,
    /// The same with the words sorted: a whole name said in another order ("Family Medicine
    /// Riverside").
    exact_any_order: FxHashMap<String, Vec<u32>>,
    surnames: Vocab,
    /// Surname id → clinicians.
    by_surname: Vec<Vec<u32>>,
    /// Surname id → practices of its clinicians (sorted).
    surname_practices: Vec<Vec<u32>>,
    /// (surname id, first name) → practices (sorted).
    full_names: FxHashMap<(u32, String), Vec<u32>>,
    clinician_first: Vec<String>,
    /// Per token id: a generic word ([`GENERIC`]).
    is_generic: Vec<bool>,
    /// Per token id: a word naming a kind of place ("clinic", "center"), see [`TYPE_WORDS`].
    is_type: Vec<bool>,
    /// Per practice: its name has a type word.
    own_type: Vec<bool>,
    /// Per practice: total weight of its name words, with and without type words.
    name_weight: Vec<f32>,
    name_weight_plain: Vec<f32>,
    /// Weight of an answer word no practice name has.
    unseen_weight: f32,
}

/// Per-thread buffers for blocking, reused across answers so matching allocates little.
#[derive(Default)]
struct Scratch {
    weight: Vec<f32>,
    /// Generation (answer word) that last credited each practice, so a practice gets one
    /// credit per answer word however many of its typo neighbours it holds.
    stamp: Vec<u32>,
    generation: u32,
    touched: Vec<u32>,
}

impl Scratch {
    fn prepare(&mut self, n: usize) {
        if self.weight.len() < n {
            self.weight.resize(n, 0.0);
            self.stamp.resize(n, 0);
        }
    }

    fn credit(&mut self, p: u32, w: f32) {
        let i = p as usize;
        if self.stamp[i] == self.generation {
            return;
        }
        self.stamp[i] = self.generation;
        if self.weight[i] == 0.0 {
            self.touched.push(p);
        }
        self.weight[i] += w;
    }

    /// Practices with at least `share` of the top weight (at most `cap`), and a clean slate.
    fn take_best(&mut self, share: f32, cap: usize) -> Vec<u32> {
        let top = self.touched.iter().map(|&p| self.weight[p as usize]).fold(0.0f32, f32::max);
        let mut out: Vec<u32> =
            self.touched.iter().copied().filter(|&p| self.weight[p as usize] >= top * share).collect();
        if out.len() > cap {
            out.sort_by(|a, b| self.weight[*b as usize].total_cmp(&self.weight[*a as usize]).then(a.cmp(b)));
            out.truncate(cap);
        }
        out.sort_unstable();
        for &p in &self.touched {
            self.weight[p as usize] = 0.0;
        }
        self.touched.clear();
        out
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Characters of an answer that are read.
const MAX_ANSWER_CHARS: usize = 300;

/// Answer words considered (an answer longer than this is a note, not a name).
const MAX_WORDS: usize = 32;

/// An answer's token hits sorted by token id, and what each word weighs when unmatched
/// (for a practice whose name has no type word, and for one whose name has).
struct Prepared {
    entries: Vec<(u32, u8, f32)>,
    unmatched: Vec<(f32, f32)>,
    /// Answer words (bit per word) that name a kind of place ("clinic", "center").
    type_words: u32,
}

/// How a candidate practice covers an answer.
#[derive(Debug, Clone, Copy)]
struct Score {
    practice: u32,
    /// Share of the answer's weight explained by the practice name.
    answer: f32,
    /// Share of the practice name's weight the answer mentions.
    name: f32,
    /// Answer words (bit per word) the practice name has.
    words: u32,
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
        let mut exact_any_order: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (p, practice) in roster.practices.iter().enumerate() {
            let t = tokens(&practice.name);
            exact.entry(t.join(" ")).or_default().push(p as u32);
            exact_any_order.entry(sorted_key(&t)).or_default().push(p as u32);
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
        let flags = |list: &[&str]| {
            let mut v = vec![false; tok.len()];
            for id in list.iter().filter_map(|g| tok.id(g)) {
                v[id as usize] = true;
            }
            v
        };
        let is_generic = flags(GENERIC);
        let is_type = flags(TYPE_WORDS);
        let own_type: Vec<bool> = practice_tokens.iter().map(|ts| ts.iter().any(|&t| is_type[t as usize])).collect();
        let name_weight: Vec<f32> =
            practice_tokens.iter().map(|ts| ts.iter().map(|&t| idf[t as usize]).sum()).collect();
        let name_weight_plain: Vec<f32> = practice_tokens
            .iter()
            .map(|ts| ts.iter().filter(|&&t| !is_type[t as usize]).map(|&t| idf[t as usize]).sum())
            .collect();

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
        let mut surname_practices: Vec<Vec<u32>> = vec![Vec::new(); by_surname.len()];
        let mut full_names: FxHashMap<(u32, String), Vec<u32>> = FxHashMap::default();
        for (s, cs) in by_surname.iter().enumerate() {
            for &c in cs {
                let ps = &roster.clinician_practices[c as usize];
                surname_practices[s].extend_from_slice(ps);
                full_names.entry((s as u32, clinician_first[c as usize].clone())).or_default().extend_from_slice(ps);
            }
        }
        for v in surname_practices.iter_mut().chain(full_names.values_mut()) {
            v.sort_unstable();
            v.dedup();
        }
        let non: Vec<String> = non_answers.iter().map(|s| words(s).join(" ")).collect();
        Matcher {
            roster,
            non_answer_phrases: phrase_finder(non.iter().filter(|s| s.contains(' '))),
            non_answers: non.into_iter().collect(),
            unseen_weight: (1.0 + n).ln() / 4.0,
            tokens: tok,
            idf,
            practice_tokens,
            postings,
            exact,
            exact_any_order,
            surnames,
            by_surname,
            surname_practices,
            full_names,
            clinician_first,
            is_generic,
            is_type,
            own_type,
            name_weight,
            name_weight_plain,
        }
    }

    /// Resolves one answer.
    pub fn match_response(&self, text: &str) -> SelfReport {
        // An answer is a name, not an essay: only its start is read.
        let text = match text.char_indices().nth(MAX_ANSWER_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let w = words(text);
        let joined = w.join(" ");
        let padded = format!(" {joined} ");
        // A short answer with a non-answer word in it ("Unknown - uses ER") is a non-answer.
        let short_with_word = w.len() <= 5 && w.iter().any(|x| self.non_answers.contains(x));
        if w.is_empty()
            || short_with_word
            || self.non_answers.contains(&joined)
            || contains_phrase(&padded, &self.non_answer_phrases)
        {
            return SelfReport::none(MatchStatus::NoAnswer);
        }
        if let Some(r) = self.match_npi(&w) {
            return r;
        }
        if let Some(r) = self.match_doctor(&w).filter(|r| r.status != MatchStatus::NotFound) {
            return r;
        }
        if let Some(r) = self.match_listed_name(text) {
            return r;
        }
        let readings = readings(text);
        let answers: Vec<Vec<String>> = readings.iter().map(|r| self.answer_tokens(r)).collect();
        // A whole practice name in any reading decides ("Oak Hill PC on Maple St").
        if let Some(r) = answers.iter().find_map(|t| self.exact_name(t)) {
            return r;
        }
        for t in &answers {
            let r = self.match_name(t);
            if r.status != MatchStatus::NotFound {
                return r;
            }
        }
        self.match_person(&w).unwrap_or_else(|| SelfReport::none(MatchStatus::NotFound))
    }

    /// A clinician written as a list entry: "Patel, Sarah MD", "Lee, Kim".
    fn match_listed_name(&self, text: &str) -> Option<SelfReport> {
        let (last, rest) = text.split_once(',')?;
        let last = words(last);
        let mut first = words(rest);
        while first.last().is_some_and(|x| CREDENTIALS.contains(&x.as_str())) {
            first.pop();
        }
        if last.len() != 1 || first.is_empty() || first.len() > 2 {
            return None;
        }
        let name = [first[0].as_str(), last[0].as_str()];
        let r = self.clinician_practices(&name, &[], false);
        (r.status != MatchStatus::NotFound).then_some(r)
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
        let name: Vec<&str> =
            w.iter().map(String::as_str).filter(|x| !FILLER.contains(x) && !CREDENTIALS.contains(x)).collect();
        if !(2..=3).contains(&name.len()) {
            return None;
        }
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
        let mut hits = self.surnames.lookup(last);
        // A mistyped surname stands for the one surname closest to it, if there is one.
        let top = hits.iter().map(|h| h.sim).fold(0.0f32, f32::max);
        hits.retain(|h| h.sim == top);
        let fuzzy_surname = top < 1.0;
        if fuzzy_surname && hits.len() > 1 {
            return SelfReport::none(MatchStatus::NotFound);
        }
        let practices_of = |cs: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
            let mut set: Vec<u32> =
                cs.flat_map(|c| self.roster.clinician_practices[c as usize].iter().copied()).collect();
            set.sort_unstable();
            set.dedup();
            set
        };
        let mut first_ok = true;
        let mut set: Vec<u32> = match first {
            None => union(hits.iter().map(|h| self.surname_practices[h.id as usize].as_slice())),
            Some(first) => {
                let mut named = if first.len() == 1 {
                    let first_of = |c: &u32| self.clinician_first[*c as usize].starts_with(first);
                    practices_of(
                        &mut hits.iter().flat_map(|h| self.by_surname[h.id as usize].iter().copied()).filter(first_of),
                    )
                } else {
                    union(
                        hits.iter().filter_map(|h| self.full_names.get(&(h.id, first.to_string())).map(Vec::as_slice)),
                    )
                };
                if named.is_empty() && first.len() >= 5 {
                    // A mistyped first name ("Sarha").
                    let close = |c: &u32| strsim::osa_distance(&self.clinician_first[*c as usize], first) <= 1;
                    named = practices_of(
                        &mut hits.iter().flat_map(|h| self.by_surname[h.id as usize].iter().copied()).filter(close),
                    );
                }
                if named.is_empty() {
                    if !allow_surname_only {
                        return SelfReport::none(MatchStatus::NotFound);
                    }
                    first_ok = false;
                    union(hits.iter().map(|h| self.surname_practices[h.id as usize].as_slice()))
                } else {
                    named
                }
            }
        };
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

    /// An answer's canonical tokens: filler words dropped, mistyped or shortened generic words
    /// brought to their canonical form.
    fn answer_tokens(&self, text: &str) -> Vec<String> {
        let mut t = tokens(text);
        t.retain(|x| !FILLER.contains(&x.as_str()));
        for w in t.iter_mut() {
            if self.tokens.id(w).is_none()
                && let Some(c) = canonical_typo(w)
            {
                *w = c.to_string();
            }
        }
        t
    }

    /// The practices whose whole name the answer is, as typed or with each mistyped word read
    /// as the one name word it can be.
    fn exact_name(&self, t: &[String]) -> Option<SelfReport> {
        if t.is_empty() {
            return None;
        }
        if let Some(ps) = self.exact.get(&t.join(" ")) {
            return Some(SelfReport::from_set(ps.clone(), 0.98));
        }
        let mut fixed = Vec::with_capacity(t.len());
        for w in t {
            let hits = self.tokens.lookup(w);
            let best = hits.iter().map(|h| h.sim).fold(0.0f32, f32::max);
            let mut top = hits.iter().filter(|h| h.sim == best);
            match (top.next(), top.next()) {
                (Some(h), None) if best >= 0.7 => fixed.push(self.tokens.words[h.id as usize].as_str()),
                _ => return None,
            }
        }
        if let Some(ps) = self.exact.get(&fixed.join(" ")) {
            return Some(SelfReport::from_set(ps.clone(), 0.95));
        }
        let ps = self.exact_any_order.get(&sorted_key(&fixed))?;
        Some(SelfReport::from_set(ps.clone(), 0.93))
    }

    /// A practice name close enough to one name, with a clear margin over the others.
    fn match_name(&self, t: &[String]) -> SelfReport {
        if t.is_empty() {
            return SelfReport::none(MatchStatus::NotFound);
        }
        let hits: Vec<Vec<Hit>> = t.iter().map(|w| self.tokens.lookup(w)).collect();
        let candidates = self.block(&hits);
        let prep = self.prepare(&hits);
        let mut scores: Vec<Score> = candidates.into_iter().map(|p| self.score(p, &prep, false)).collect();
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
            let mut close: Vec<u32> =
                scores.iter().filter(|s| s.combined() > best.combined() - MARGIN).map(|s| s.practice).collect();
            if best.name < 0.9 {
                close.extend(self.type_word_rivals(&best, t, &hits, &scores));
            }
            close.extend(self.crossing(&best, &scores, &prep));
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
            // Fitting alone may be owed to a word like "clinic" weighing less against a name
            // with no such word ("Westfield clinic"); then the others stay candidates.
            let mut rivals = self.type_word_rivals(&best, t, &hits, &scores);
            rivals.extend(self.crossing(&best, &scores, &prep));
            if rivals.is_empty() {
                return SelfReport::matched(best.practice, 0.75);
            }
            rivals.insert(0, best.practice);
            rivals.dedup();
            return SelfReport::ambiguous(rivals);
        }
        SelfReport::none(MatchStatus::NotFound)
    }

    /// Candidates the answer does not tell from the best one: each has an answer word the
    /// other lacks ("Westfield Family Health": Westfield Family Medicine has "family",
    /// Westfield Health Center has "health"), or both have the same answer words.
    fn crossing(&self, best: &Score, scores: &[Score], prep: &Prepared) -> Vec<u32> {
        let content = !prep.type_words;
        scores
            .iter()
            .filter(|s| {
                let mixed = s.words & !best.words & content != 0 && best.words & !s.words & content != 0;
                // Both explain the same words and the best one's name is not all said: the
                // word that would tell them apart was not understood ("Family Praactcie").
                let same = s.words == best.words && best.name < 0.999 && s.answer >= best.answer - 0.1;
                s.practice != best.practice && s.answer >= 0.6 && (mixed || same)
            })
            .map(|s| s.practice)
            .collect()
    }

    /// Candidates that the best one leads only thanks to words like "clinic" or "center":
    /// "Southside clinic" does not tell Southside Family Medicine Clinic from Southside
    /// Geriatrics, so those stay candidates.
    fn type_word_rivals(&self, best: &Score, t: &[String], hits: &[Vec<Hit>], scores: &[Score]) -> Vec<u32> {
        let is_type = |hs: &Vec<Hit>| hs.first().is_some_and(|h| self.is_type[h.id as usize]);
        if !hits.iter().any(is_type) {
            return Vec::new();
        }
        let (kept_t, kept_h): (Vec<String>, Vec<Vec<Hit>>) =
            t.iter().zip(hits).filter(|(_, hs)| !is_type(hs)).map(|(w, hs)| (w.clone(), hs.clone())).unzip();
        let prep = self.prepare(&kept_h);
        let plain = |p: u32| self.score(p, &prep, true).answer;
        let mine = plain(best.practice);
        scores
            .iter()
            .filter(|s| s.practice != best.practice && (kept_t.is_empty() || plain(s.practice) > mine - MARGIN))
            .map(|s| s.practice)
            .collect()
    }

    /// Candidate practices (blocking): those sharing distinctive words with the answer, kept
    /// when they hold at least half the weight of the best-sharing one. Common words ("med",
    /// "family") only generate candidates when the answer has nothing rarer.
    fn block(&self, hits: &[Vec<Hit>]) -> Vec<u32> {
        let common = (self.roster.practices.len() / 20).max(50);
        let rare = |h: &&Hit| self.postings[h.id as usize].len() <= common;
        let any_rare = hits.iter().flatten().any(|h| rare(&h));
        let fallback = hits.iter().flatten().min_by_key(|h| self.postings[h.id as usize].len()).map(|h| h.id);
        SCRATCH.with_borrow_mut(|s| {
            s.prepare(self.roster.practices.len());
            for hs in hits {
                s.generation += 1;
                for h in hs.iter().filter(|h| if any_rare { rare(h) } else { Some(h.id) == fallback }) {
                    for &p in &self.postings[h.id as usize] {
                        s.credit(p, self.block_weight(h));
                    }
                }
            }
            // Common words cannot open candidates, but they tell apart the practices the rare
            // ones opened ("Riverside Family Medicine" among twenty "Riverside ..." names).
            let common_hits: Vec<(usize, &Hit)> = hits
                .iter()
                .enumerate()
                .flat_map(|(i, hs)| hs.iter().map(move |h| (i, h)))
                .filter(|(_, h)| !rare(h) && (any_rare || Some(h.id) != fallback))
                .collect();
            if !common_hits.is_empty() {
                let touched = s.touched.clone();
                for (word, _) in hits.iter().enumerate() {
                    s.generation += 1;
                    for &(_, h) in common_hits.iter().filter(|(i, _)| *i == word) {
                        for &p in &touched {
                            if self.practice_tokens[p as usize].binary_search(&h.id).is_ok() {
                                s.credit(p, self.block_weight(h));
                            }
                        }
                    }
                }
            }
            s.take_best(0.5, 1000)
        })
    }

    /// Weight of a word hit when gathering candidates: generic words weigh little, as in
    /// scoring, so they cannot crowd out rivals.
    fn block_weight(&self, h: &Hit) -> f32 {
        let generic = self.is_generic[h.id as usize] || self.is_type[h.id as usize];
        self.idf[h.id as usize] * h.sim * if generic { 0.1 } else { 1.0 }
    }

    /// Per-answer data for scoring many candidates quickly.
    fn prepare(&self, hits: &[Vec<Hit>]) -> Prepared {
        let mut entries: Vec<(u32, u8, f32)> = Vec::new();
        let mut unmatched = Vec::with_capacity(hits.len());
        let mut type_words = 0u32;
        for (word, hs) in hits.iter().enumerate().take(MAX_WORDS) {
            entries.extend(hs.iter().map(|h| (h.id, word as u8, h.sim)));
            if hs.first().is_some_and(|h| self.is_type[h.id as usize]) {
                type_words |= 1 << word;
            }
            // An unmatched word counts against a practice; less so when it is a generic word
            // ("clinic", and less still said of a practice whose name names no kind of place)
            // or one no practice name has (a town, a street).
            unmatched.push(match hs.first() {
                Some(h) if self.is_type[h.id as usize] => {
                    (self.idf[h.id as usize] * 0.1, self.idf[h.id as usize] * 0.25)
                }
                Some(h) if self.is_generic[h.id as usize] => {
                    (self.idf[h.id as usize] * 0.25, self.idf[h.id as usize] * 0.25)
                }
                Some(h) => (self.idf[h.id as usize], self.idf[h.id as usize]),
                None => (self.unseen_weight, self.unseen_weight),
            });
        }
        entries.sort_unstable_by_key(|e| e.0);
        Prepared { entries, unmatched, type_words }
    }

    /// Scores a candidate by merging its sorted token ids with the answer's; `skip_types`
    /// leaves type words out of the practice name's weight.
    fn score(&self, practice: u32, prep: &Prepared, skip_types: bool) -> Score {
        let toks = &self.practice_tokens[practice as usize];
        let own_type = self.own_type[practice as usize];
        let mut best = [(0.0f32, 0.0f32); MAX_WORDS];
        let mut name_got = 0.0f32;
        let (mut i, mut j) = (0, 0);
        let e = &prep.entries;
        while i < toks.len() && j < e.len() {
            match toks[i].cmp(&e[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let id = toks[i] as usize;
                    // A name word typed with a typo is still mentioned: the typo costs answer
                    // coverage only.
                    if !(skip_types && self.is_type[id]) {
                        name_got += self.idf[id];
                    }
                    while j < e.len() && e[j].0 as usize == id {
                        let (_, word, sim) = e[j];
                        if sim > best[word as usize].0 {
                            best[word as usize] = (sim, self.idf[id]);
                        }
                        j += 1;
                    }
                    i += 1;
                }
            }
        }
        let (mut got, mut total) = (0.0f32, 0.0f32);
        let mut words = 0u32;
        for (word, &(sim, w)) in best.iter().enumerate().take(prep.unmatched.len()) {
            if sim > 0.0 {
                words |= 1 << word;
                got += sim * w;
                total += w;
            } else {
                let (plain, typed) = prep.unmatched[word];
                total += if own_type { typed } else { plain };
            }
        }
        let name_total =
            if skip_types { self.name_weight_plain[practice as usize] } else { self.name_weight[practice as usize] };
        Score {
            practice,
            answer: if total > 0.0 { got / total } else { 0.0 },
            name: if name_total > 0.0 { name_got / name_total } else { 0.0 },
            words,
        }
    }
}

/// Words in sorted order, as one key.
fn sorted_key<S: AsRef<str>>(words: &[S]) -> String {
    let mut w: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    w.sort_unstable();
    w.join(" ")
}

/// Sorted union of sorted lists.
fn union<'a>(lists: impl Iterator<Item = &'a [u32]>) -> Vec<u32> {
    let mut out: Vec<u32> = lists.flatten().copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `padded` (text with a space at each end) holds `phrase` as whole words.
fn contains_phrase(padded: &str, phrases: &aho_corasick::AhoCorasick) -> bool {
    let text = padded.as_bytes();
    // Every occurrence, overlapping ones too: "no no" in "xno no no" is there as whole words
    // only at its second place.
    phrases
        .find_overlapping_iter(text)
        .any(|m| m.start().checked_sub(1).is_some_and(|i| text[i] == b' ') && text.get(m.end()) == Some(&b' '))
}

/// An automaton finding every occurrence of any of `phrases`.
fn phrase_finder<'a>(phrases: impl IntoIterator<Item = &'a String>) -> aho_corasick::AhoCorasick {
    // Building fails only past about two billion automaton states; the phrases come from
    // carealign.toml, which is read only below 1 MB.
    aho_corasick::AhoCorasick::new(phrases).expect("a settings file under 1 MB builds an automaton")
}

#[cfg(test)]
mod tests;

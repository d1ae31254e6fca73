//! A vocabulary with typo-tolerant lookup, the blocking step of matching.
//!
//! Lookup uses a delete-neighbourhood index (every word with one letter removed), which finds
//! all words within one edit (and most within two) with a few hash probes instead of comparing
//! against the whole vocabulary; candidates are then verified with `strsim::osa_distance`
//! (optimal string alignment: a transposition counts as one edit, the most common typing slip).
//! Jaro-Winkler and trigram scores were the alternatives: both rate short words like "med" vs
//! "mod" as close, which costs precision, while an edit bound tied to word length does not.

use rustc_hash::FxHashMap;

/// A word found for a query word, with how similar it is (1.0 = same word).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: u32,
    pub sim: f32,
}

/// Words with their ids and a typo index.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    pub words: Vec<String>,
    ids: FxHashMap<String, u32>,
    deletes: FxHashMap<String, Vec<u32>>,
    /// Word ids sorted by word, for prefix lookup.
    sorted: Vec<u32>,
    /// Set by [`Vocab::seal`] (0 before, and again after an [`Vocab::add`]): tells this
    /// vocabulary's entries in the per-thread memo of typo lookups apart from another's.
    serial: u64,
}

/// Calls `f` with `word` less one character, for each character from the `skip`-th on (in
/// order), each built in `buf`: a typo lookup tries a hundred such strings for a ten-letter
/// word, and allocating each was most of matching an answer with a typo.
fn for_each_deletion(word: &str, skip: usize, buf: &mut String, mut f: impl FnMut(usize, &str)) {
    for (i, (at, ch)) in word.char_indices().enumerate().skip(skip) {
        buf.clear();
        buf.push_str(&word[..at]);
        buf.push_str(&word[at + ch.len_utf8()..]);
        f(i, buf);
    }
}

/// A thread's remembered typo lookups: vocabulary serial → word → hits.
type Memo = FxHashMap<u64, FxHashMap<Box<str>, Vec<Hit>>>;

/// Typo lookups each thread remembers per vocabulary before it starts again.
const MEMO_SIZE: usize = 1 << 16;

/// Longest word looked up with typo tolerance.
const MAX_FUZZY_LEN: usize = 40;

/// Edits tolerated for a word of this length: none for short words (too many near-neighbours).
fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        _ => 2,
    }
}

impl Vocab {
    /// Id of a word, adding it when new.
    pub fn add(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        // Changed: no longer the vocabulary its serial's remembered lookups were made in.
        self.serial = 0;
        let id = self.words.len() as u32;
        self.words.push(word.to_string());
        self.ids.insert(word.to_string(), id);
        let len = word.chars().count();
        if len >= 4 {
            let (mut one, mut two) = (String::new(), String::new());
            let deletes = &mut self.deletes;
            for_each_deletion(word, 0, &mut one, |i, d| {
                // Two-letter deletions too for words that allow two edits ("libertie"); each
                // pair of letters once (the later letter removed from `d`).
                if max_edits(len) >= 2 {
                    for_each_deletion(d, i, &mut two, |_, dd| deletes.entry(dd.to_string()).or_default().push(id));
                }
                deletes.entry(d.to_string()).or_default().push(id);
            });
        }
        id
    }

    /// Prepares prefix lookup; call after the last `add`.
    pub fn seal(&mut self) {
        static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for list in self.deletes.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        self.sorted = (0..self.words.len() as u32).collect();
        let words = &self.words;
        self.sorted.sort_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
    }

    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Words matching `word`: the word itself when known (and nothing else, since a known word
    /// is more likely meant than a neighbour), else words within the edit bound for its length,
    /// else words it is a prefix of (at least 4 letters: "river" → "riverside").
    pub fn lookup(&self, word: &str) -> Vec<Hit> {
        if let Some(id) = self.id(word) {
            return vec![Hit { id, sim: 1.0 }];
        }
        // A word that is in no name costs a hundred probes; answers repeat the same ones
        // ("pt", "sees", a common misspelling), so each thread remembers what it found. A
        // vocabulary that is not sealed (serial 0) could be changing: not remembered.
        thread_local! {
            static MEMO: std::cell::RefCell<Memo> = Default::default();
        }
        if self.serial == 0 {
            return self.fuzzy_lookup(word);
        }
        if let Some(hits) = MEMO.with(|m| m.borrow().get(&self.serial).and_then(|w| w.get(word)).cloned()) {
            return hits;
        }
        let hits = self.fuzzy_lookup(word);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            let words = m.entry(self.serial).or_default();
            if words.len() >= MEMO_SIZE {
                words.clear();
            }
            words.insert(word.into(), hits.clone());
        });
        hits
    }

    /// [`Vocab::lookup`] without the memo.
    fn fuzzy_lookup(&self, word: &str) -> Vec<Hit> {
        let len = word.chars().count();
        // No name word is this long; neighbours of a huge word would cost its length squared.
        if len > MAX_FUZZY_LEN {
            return Vec::new();
        }
        let limit = max_edits(len);
        let mut hits: Vec<Hit> = Vec::new();
        if limit > 0 {
            let probe = |key: &str, hits: &mut Vec<Hit>| {
                if let Some(list) = self.deletes.get(key) {
                    for &id in list {
                        if hits.iter().any(|h| h.id == id) {
                            continue;
                        }
                        let cand = &self.words[id as usize];
                        let d = strsim::osa_distance(word, cand);
                        if d <= limit.min(max_edits(cand.chars().count())) && d > 0 {
                            hits.push(Hit { id, sim: if d == 1 { 0.85 } else { 0.7 } });
                        }
                    }
                }
            };
            // Query as is (vocab word had a letter more) and with one letter removed
            // (substitution, transposition, or query had a letter more).
            // Each pair of letters is removed once (the later from `d`): the pair's other order
            // was probed before and could add nothing new.
            probe(word, &mut hits);
            let (mut one, mut two) = (String::new(), String::new());
            for_each_deletion(word, 0, &mut one, |i, d| {
                if let Some(&id) = self.ids.get(d)
                    && !hits.iter().any(|h| h.id == id)
                    && max_edits(d.chars().count()) >= 1
                {
                    hits.push(Hit { id, sim: 0.85 });
                }
                probe(d, &mut hits);
                if limit >= 2 {
                    for_each_deletion(d, i, &mut two, |_, dd| probe(dd, &mut hits));
                }
            });
        }
        if hits.is_empty() && len >= 4 {
            let start = self.sorted.partition_point(|&id| self.words[id as usize].as_str() < word);
            for &id in self.sorted[start..].iter().take(6) {
                if self.words[id as usize].starts_with(word) {
                    hits.push(Hit { id, sim: 0.8 });
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[&str]) -> Vocab {
        let mut v = Vocab::default();
        for w in words {
            v.add(w);
        }
        v.seal();
        v
    }

    fn found(v: &Vocab, q: &str) -> Vec<String> {
        let mut w: Vec<String> = v.lookup(q).into_iter().map(|h| v.words[h.id as usize].clone()).collect();
        w.sort();
        w
    }

    #[test]
    fn typos_and_prefixes() {
        let v = vocab(&["riverside", "lakeview", "med", "patel", "patil", "kim"]);
        assert_eq!(found(&v, "riverside"), ["riverside"]);
        for typo in ["rivreside", "riversde", "riverrside", "rivezside", "rverside"] {
            assert_eq!(found(&v, typo), ["riverside"], "{typo}");
        }
        assert_eq!(found(&v, "mad"), Vec::<String>::new(), "short words need an exact hit");
        assert_eq!(found(&v, "patle"), ["patel"]);
        assert_eq!(found(&v, "patal"), ["patel", "patil"]);
        assert_eq!(found(&v, "river"), ["riverside"]);
        assert_eq!(found(&v, "kin"), Vec::<String>::new());
    }
}

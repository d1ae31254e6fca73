//! Turning practice names and free-text answers into comparable tokens.
//!
//! Both sides go through the same steps: lower case, accents folded, dots and apostrophes
//! dropped ("P.A." → "pa", "Mary's" → "mary"), other punctuation split, legal suffixes removed
//! from the end, stop words dropped, and words folded to one canonical form per meaning
//! ("Fam"/"Family" → "family", "Ctr"/"Center" → "ctr", "FM" → "family med").

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::vocab::Vocab;

/// Lower-cases and splits text into words, folding common accented letters to ASCII.
pub fn words(text: &str) -> Vec<String> {
    if text.is_ascii() {
        return ascii_words(text.as_bytes());
    }
    unicode_words(text)
}

/// [`words`] of ASCII text (nearly every answer and name), byte by byte: the same steps
/// without first copying the text into a vector of characters.
fn ascii_words(text: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < text.len() {
        let ch = text[i];
        i += 1;
        if ch.is_ascii_alphanumeric() {
            cur.push(char::from(ch.to_ascii_lowercase()));
        } else if ch == b'\'' {
            let possessive =
                matches!(text.get(i), Some(b's' | b'S')) && !text.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
            if possessive && !cur.is_empty() {
                i += 1;
            }
        } else if ch != b'.' && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// [`words`] of text that is not all ASCII.
fn unicode_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || ch == '’' {
            // A possessive is dropped ("St. Luke's" is Saint Luke), else the word runs on
            // ("O'Brien" → "obrien").
            let possessive =
                matches!(chars.get(i), Some('s' | 'S')) && !chars.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
            if possessive && !cur.is_empty() {
                i += 1;
            }
        } else if ch == '.' {
            // "P.A." → "pa"
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn fold(ch: char) -> char {
    match ch {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        _ => ch,
    }
}

/// Legal-form words removed from the end of a name.
const LEGAL: &[&str] =
    &["llc", "pc", "pllc", "inc", "pa", "lp", "llp", "ltd", "corp", "sc", "apc", "apmc", "md", "mdpc"];

/// Words that carry no meaning for matching.
const STOP: &[&str] = &["the", "of", "and", "a", "an", "for", "my", "in", "on"];

/// One canonical form per meaning: (canonical, the words assessors type for it).
const CANON: &[(&str, &[&str])] = &[
    ("family", &["fam", "family", "famly"]),
    ("med", &["med", "medicine", "medical", "medcl", "medic"]),
    ("internal", &["int", "internal", "intern"]),
    ("assoc", &["assoc", "assocs", "associates", "associated", "association", "asso", "assn"]),
    ("ctr", &["ctr", "center", "centre", "cntr", "cent", "centers"]),
    ("hosp", &["hosp", "hospital"]),
    ("st", &["st", "saint", "ste"]),
    ("grp", &["grp", "group", "groups"]),
    ("hlth", &["hlth", "health"]),
    ("clin", &["clin", "clinic", "clinics", "clnc"]),
    ("prac", &["prac", "practice", "practices", "pract"]),
    ("phys", &["phys", "physician", "physicians", "physcians"]),
    ("comm", &["comm", "community", "cmty", "commun"]),
    ("prim", &["prim", "primary"]),
    ("geri", &["geri", "geriatric", "geriatrics"]),
    ("peds", &["ped", "peds", "pediatric", "pediatrics"]),
    ("svc", &["svc", "svcs", "services", "service"]),
    ("mtn", &["mt", "mtn", "mount", "mountain"]),
    ("ft", &["ft", "fort"]),
    ("north", &["n", "north"]),
    ("south", &["s", "south"]),
    ("east", &["e", "east"]),
    ("west", &["w", "west"]),
];

struct Canon {
    exact: FxHashMap<&'static str, &'static str>,
    /// Long forms (5+ letters) for typo-tolerant lookup ("medicl" → "med").
    fuzzy: Vocab,
    fuzzy_target: Vec<&'static str>,
}

static CANONICAL: LazyLock<Canon> = LazyLock::new(|| {
    let mut exact = FxHashMap::default();
    let mut fuzzy = Vocab::default();
    let mut fuzzy_target = Vec::new();
    for (canon, forms) in CANON {
        for form in *forms {
            exact.insert(*form, *canon);
            if form.len() >= 5 && fuzzy.add(form) as usize == fuzzy_target.len() {
                fuzzy_target.push(*canon);
            }
        }
    }
    fuzzy.seal();
    Canon { exact, fuzzy, fuzzy_target }
});

/// The canonical form of a word ("Medical" → "med"), or the word itself.
fn canonical(word: &str) -> &str {
    CANONICAL.exact.get(word).copied().unwrap_or(word)
}

/// The canonical form of a mistyped word ("medicl", "primray"), when one typo away from
/// exactly one meaning. The matcher asks only for words no practice name has, so place names
/// are never bent into generic words.
pub fn canonical_typo(word: &str) -> Option<&'static str> {
    let c = &*CANONICAL;
    if word.len() < 4 {
        return shortened(word);
    }
    let hits = c.fuzzy.lookup(word);
    let mut targets = hits.iter().filter(|h| h.sim >= 0.85).map(|h| c.fuzzy_target[h.id as usize]);
    if let Some(first) = targets.next() {
        return targets.all(|t| t == first).then_some(first);
    }
    shortened(word)
}

/// The canonical form of a generic word shortened by leaving letters out ("hlth", "cmnty",
/// "intrnl", "prctc"): its letters, first one first, appear in order in the long forms of one
/// meaning only.
fn shortened(word: &str) -> Option<&'static str> {
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let fits = |long: &str| {
        let mut rest = long.bytes();
        long.as_bytes()[0] == word.as_bytes()[0] && word.bytes().all(|b| rest.any(|x| x == b))
    };
    let mut found: Option<&'static str> = None;
    for (canon, forms) in CANON {
        if forms.iter().any(|f| f.len() >= 5 && f.len() > word.len() && fits(f)) {
            if found.is_some_and(|x| x != *canon) {
                return None;
            }
            found = Some(canon);
        }
    }
    found
}

/// Acronyms that stand for several words.
fn expand(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "fm" => &["family", "med"],
        "im" => &["internal", "med"],
        "chc" => &["comm", "hlth", "ctr"],
        "fp" => &["family", "prac"],
        "hc" => &["hlth", "ctr"],
        "pcp" => &["prim", "care", "phys"],
        "pc" => &["prim", "care"],
        "mg" => &["med", "grp"],
        "mc" => &["med", "ctr"],
        _ => return None,
    })
}

/// Canonical tokens of a practice name or an answer.
pub fn tokens(text: &str) -> Vec<String> {
    let mut w = words(text);
    while w.len() > 1 && w.last().is_some_and(|x| LEGAL.contains(&x.as_str())) {
        w.pop();
    }
    let mut out = Vec::with_capacity(w.len() + 2);
    for word in &w {
        if STOP.contains(&word.as_str()) {
            continue;
        }
        match expand(word) {
            Some(parts) => out.extend(parts.iter().map(|p| p.to_string())),
            None => out.push(canonical(word).to_string()),
        }
    }
    out
}

/// Where the name ends in a note: a site, an address, a town or a remark follows.
const TAIL_CUTS: &[&str] =
    &[" - ", " – ", " -- ", "(", ",", ";", " on ", " in ", " per ", " near ", " off ", "?", " i believe", " i think"];

/// Where the name starts in a note: "pt goes to X", "PCP is at X", "I think X".
const LEAD_CUTS: &[&str] = &[" to ", " at ", " is ", "i think ", " thinks ", " states ", " reports "];

/// [`TAIL_CUTS`] and [`LEAD_CUTS`] as automatons built once, each finding all its phrases in
/// one pass (`str::find` per phrase set up a searcher on every call, the top cost of matching
/// a state's answers; a prebuilt searcher per phrase was still a tenth of it).
static TAIL_FINDER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| phrases(TAIL_CUTS));
static LEAD_FINDER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| phrases(LEAD_CUTS));

fn phrases(list: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::new(list).expect("a few short phrases build an automaton")
}

/// Per phrase of `finder`, where its first occurrence in `text` starts and where its last
/// one ends.
fn first_and_last<const N: usize>(finder: &aho_corasick::AhoCorasick, text: &str) -> [Option<(usize, usize)>; N] {
    let mut found = [None; N];
    for m in finder.find_overlapping_iter(text) {
        let slot: &mut Option<(usize, usize)> = &mut found[m.pattern().as_usize()];
        *slot = Some(slot.map_or((m.start(), m.end()), |(first, last)| (first, last.max(m.end()))));
    }
    found
}

/// Words naming a site of a practice, said after its name ("Riverside FM North office").
const SITE_WORDS: &[&str] = &[
    "north", "south", "east", "west", "downtown", "uptown", "main", "street", "st", "location", "site", "campus",
    "branch", "office",
];

/// Readings of an answer, the whole text first, then shorter ones with a site, an address or
/// a remark cut off after the name, or a lead-in cut off before it ("goes to Riverside FM on
/// Elm Street" → "Riverside FM on Elm Street", "Riverside FM", …).
pub fn readings(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = vec![lower.clone()];
    let mut add = |s: &str| {
        let s = s.trim().trim_matches(|c: char| c.is_ascii_punctuation() && c != '(' && c != ')').trim();
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    // After the last occurrence of each lead-in, in the lead-ins' order.
    let leads = first_and_last::<{ LEAD_CUTS.len() }>(&LEAD_FINDER, &lower);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(leads.iter().filter_map(|f| f.map(|(_, last_end)| last_end)))
        .filter(|&i| lower.is_char_boundary(i))
        .collect();
    for &start in &starts {
        let rest = &lower[start..];
        // Before the first occurrence of each tail.
        let tails = first_and_last::<{ TAIL_CUTS.len() }>(&TAIL_FINDER, rest);
        let mut cuts: Vec<usize> =
            tails.iter().filter_map(|f| f.map(|(first, _)| first)).filter(|&i| rest.is_char_boundary(i)).collect();
        cuts.push(rest.len());
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            let piece = &rest[..cut];
            add(piece);
            // A site after the name: "Liberty Family Health South office".
            let w: Vec<&str> = piece.split_whitespace().collect();
            let keep = w.len() - w.iter().rev().take_while(|x| SITE_WORDS.contains(x)).count();
            if keep > 0 && keep < w.len() {
                add(&w[..keep].join(" "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cuts as they were found before the automatons: one search per phrase, the first
    /// occurrence of a tail and the last of a lead-in.
    fn cuts_by_search(text: &str) -> (Vec<usize>, Vec<Vec<usize>>) {
        let leads: Vec<usize> = LEAD_CUTS.iter().filter_map(|c| text.rfind(c).map(|i| i + c.len())).collect();
        let starts: Vec<usize> = std::iter::once(0).chain(leads).filter(|&i| text.is_char_boundary(i)).collect();
        let tails = starts.iter().map(|&s| TAIL_CUTS.iter().filter_map(|c| text[s..].find(c)).collect()).collect();
        (starts, tails)
    }

    fn cuts_by_automaton(text: &str) -> (Vec<usize>, Vec<Vec<usize>>) {
        let leads = first_and_last::<{ LEAD_CUTS.len() }>(&LEAD_FINDER, text);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(leads.iter().filter_map(|f| f.map(|(_, end)| end)))
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let tails = starts
            .iter()
            .map(|&s| {
                first_and_last::<{ TAIL_CUTS.len() }>(&TAIL_FINDER, &text[s..])
                    .iter()
                    .filter_map(|f| f.map(|(first, _)| first))
                    .collect()
            })
            .collect();
        (starts, tails)
    }

    proptest::proptest! {
        /// The automatons cut where a search per phrase did, phrases overlapping and repeated.
        #[test]
        fn automaton_cuts_are_the_searched_cuts(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                " to ", " at ", " is ", "i think ", " thinks ", " states ", " reports ", " - ", " – ", " -- ",
                "(", ",", ";", " on ", " in ", " per ", " near ", " off ", "?", " i believe", " i think",
                "t", "o ", " ", "-", "a", "is", "riverside", "é",
            ]), 0..12)
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(cuts_by_automaton(&text), cuts_by_search(&text));
        }

        /// ASCII text splits into the words the character path gives.
        #[test]
        fn ascii_words_are_the_unicode_words(text in "[aZsS9 .',/\t-]{0,16}") {
            proptest::prop_assert_eq!(ascii_words(text.as_bytes()), unicode_words(&text));
        }
    }

    #[test]
    fn canonical_tokens() {
        assert_eq!(tokens("Riverside Family Medicine, P.A."), ["riverside", "family", "med"]);
        assert_eq!(tokens("riverside fam med"), ["riverside", "family", "med"]);
        assert_eq!(tokens("Riverside FM"), ["riverside", "family", "med"]);
        assert_eq!(tokens("St. Mary's Community Health Center, Inc."), ["st", "mary", "comm", "hlth", "ctr"]);
        assert_eq!(tokens("Saint Mary CHC"), ["st", "mary", "comm", "hlth", "ctr"]);
        assert_eq!(tokens("O'Brien Family Care"), ["obrien", "family", "care"]);
        assert_eq!(tokens("The Clinic of José Núñez"), ["clin", "jose", "nunez"]);
        assert_eq!(tokens("LLC"), ["llc"]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(canonical_typo("priamry"), Some("prim"));
        assert_eq!(canonical_typo("meical"), Some("med"));
        assert_eq!(canonical_typo("centr"), Some("ctr"));
        assert_eq!(canonical_typo("riverside"), None);
        for (short, canon) in [
            ("hlth", "hlth"),
            ("hth", "hlth"),
            ("cmnty", "comm"),
            ("intrnl", "internal"),
            ("prctc", "prac"),
            ("fmly", "family"),
            ("physcns", "phys"),
            ("mdcl", "med"),
        ] {
            assert_eq!(canonical_typo(short), Some(canon), "{short}");
        }
        assert_eq!(canonical_typo("pri"), None, "primary or practice");
    }

    #[test]
    fn readings_of_notes() {
        let r = |s| readings(s);
        assert_eq!(r("Riverside FM - North"), ["riverside fm - north", "riverside fm"]);
        assert!(r("Riverside FM (Main St)").contains(&"riverside fm".to_string()));
        assert!(r("pt goes to Riverside FM on Elm Street").contains(&"riverside fm".to_string()));
        assert!(r("Liberty Family Health South office").contains(&"liberty family health".to_string()));
        assert!(r("I think Oak Hill Primary Care?").contains(&"oak hill primary care".to_string()));
        assert_eq!(r("Riverside-North"), ["riverside-north"]);
    }
}

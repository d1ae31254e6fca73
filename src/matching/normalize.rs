//! Turning practice names and free-text answers into comparable tokens.
//!
//! Both sides go through the same steps: lower case, accents folded, dots and apostrophes
//! dropped ("P.A." → "pa", "Mary's" → "marys"), other punctuation split, legal suffixes removed
//! from the end, stop words dropped, and words folded to one canonical form per meaning
//! ("Fam"/"Family" → "family", "Ctr"/"Center" → "ctr", "FM" → "family med").

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::vocab::Vocab;

/// Lower-cases and splits text into words, folding common accented letters to ASCII.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        let ch = fold(ch);
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if ch == '.' || ch == '\'' || ch == '’' {
            // "P.A." → "pa", "O'Brien" → "obrien"
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
        return None;
    }
    let hits = c.fuzzy.lookup(word);
    let mut targets = hits.iter().filter(|h| h.sim >= 0.85).map(|h| c.fuzzy_target[h.id as usize]);
    let first = targets.next()?;
    targets.all(|t| t == first).then_some(first)
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

/// Shorter readings of an answer with a site or an address after the name ("Riverside FM -
/// North", "Riverside FM (Main St)", "Riverside FM on Elm Street"): the text before each cut.
pub fn base_readings(text: &str) -> Vec<&str> {
    let lower = text.to_lowercase();
    let mut cuts: Vec<usize> = [" - ", " – ", "(", " on ", ", on "]
        .iter()
        .filter_map(|sep| lower.find(sep))
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts.into_iter().map(|i| text[..i].trim()).filter(|b| !b.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_tokens() {
        assert_eq!(tokens("Riverside Family Medicine, P.A."), ["riverside", "family", "med"]);
        assert_eq!(tokens("riverside fam med"), ["riverside", "family", "med"]);
        assert_eq!(tokens("Riverside FM"), ["riverside", "family", "med"]);
        assert_eq!(tokens("St. Mary's Community Health Center, Inc."), ["st", "marys", "comm", "hlth", "ctr"]);
        assert_eq!(tokens("Saint Marys CHC"), ["st", "marys", "comm", "hlth", "ctr"]);
        assert_eq!(tokens("The Clinic of José Núñez"), ["clin", "jose", "nunez"]);
        assert_eq!(tokens("LLC"), ["llc"]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(canonical_typo("priamry"), Some("prim"));
        assert_eq!(canonical_typo("meical"), Some("med"));
        assert_eq!(canonical_typo("centr"), Some("ctr"));
        assert_eq!(canonical_typo("riverside"), None);
    }

    #[test]
    fn readings() {
        assert_eq!(base_readings("Riverside FM - North"), ["Riverside FM"]);
        assert_eq!(base_readings("Riverside FM (Main St)"), ["Riverside FM"]);
        assert_eq!(base_readings("Riverside FM on Main St - North"), ["Riverside FM", "Riverside FM on Main St"]);
        assert!(base_readings("Riverside-North").is_empty());
    }
}

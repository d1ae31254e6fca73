//! How assessors type what a member said: the generator's own abbreviations, filler phrases,
//! slips and sound-alike spellings. Written apart from the matcher's tables
//! (`src/matching/normalize.rs`) on purpose, so that generated answers test the matcher on
//! forms it was not built from; some forms here are ones the matcher does not list at all.

use super::rng::Rng;

/// Per name word, shortened forms seen in assessment notes.
const SHORT_FORMS: &[(&str, &[&str])] = &[
    ("Family", &["Fam", "Fam.", "Fmly", "Famly", "Fam'ly"]),
    ("Medicine", &["Med", "Med.", "Medcn", "Meds"]),
    ("Medical", &["Med", "Med.", "Medic", "Mdcl"]),
    ("Internal", &["Int", "Int.", "Intrnl", "Intern."]),
    ("Primary", &["Prim", "Pri", "Prim.", "Primry"]),
    ("Practice", &["Prac", "Pract", "Practic", "Prctc"]),
    ("Group", &["Grp", "Grp.", "Gp"]),
    ("Community", &["Comm", "Comm.", "Cmnty", "Commty", "Comnty"]),
    ("Health", &["Hlth", "Hlth.", "Hth"]),
    ("Center", &["Ctr", "Ctr.", "Cntr", "Centre", "Cent"]),
    ("Associates", &["Assoc", "Assoc.", "Assocs", "Assc", "Asso"]),
    ("Geriatric", &["Geri", "Geriatrics", "Geriat", "Ger"]),
    ("Physicians", &["Phys", "Phys.", "Physcns", "Drs"]),
    ("Clinic", &["Clnc", "clinic", "Clin."]),
    ("Saint", &["St", "St.", "Snt"]),
    ("Mount", &["Mt", "Mt.", "Mnt"]),
    ("Mountain", &["Mtn", "Mtn.", "Mntn"]),
    ("North", &["N", "N.", "No."]),
    ("South", &["S", "S.", "So."]),
    ("East", &["E", "E."]),
    ("West", &["W", "W."]),
];

/// Initials assessors use for a kind of practice: (words, initials).
const INITIALS: &[(&str, &[&str])] = &[
    ("Family Medicine", &["FM", "F.M.", "fam med"]),
    ("Internal Medicine", &["IM", "I.M."]),
    ("Community Health Center", &["CHC", "C.H.C.", "comm hlth ctr"]),
    ("Family Practice", &["FP", "fam prac"]),
    ("Primary Care", &["PC", "prim care"]),
    ("Health Center", &["HC", "hlth ctr"]),
    ("Medical Center", &["MC", "med ctr"]),
    ("Medical Group", &["MG", "med grp"]),
];

/// Sound-alike spellings: (written, typed instead).
const SOUNDS: &[(&str, &str)] = &[
    ("ph", "f"),
    ("f", "ph"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ie", "ei"),
    ("ei", "ie"),
    ("tion", "shun"),
    ("y", "ie"),
    ("ll", "l"),
    ("tt", "t"),
    ("ss", "s"),
    ("s", "z"),
    ("ea", "ee"),
    ("er", "ar"),
    ("ar", "er"),
    ("an", "en"),
    ("en", "in"),
    ("ow", "o"),
    ("ai", "ay"),
    ("ey", "y"),
    ("ge", "je"),
    ("x", "ks"),
    ("qu", "kw"),
];

/// Neighbouring keys on a QWERTY keyboard (the slips of a hurried typist).
const NEAR_KEYS: &[(char, &str)] = &[
    ('a', "sqz"),
    ('b', "vn"),
    ('c', "xv"),
    ('d', "sf"),
    ('e', "wr"),
    ('f', "dg"),
    ('g', "fh"),
    ('h', "gj"),
    ('i', "uo"),
    ('j', "hk"),
    ('k', "jl"),
    ('l', "k"),
    ('m', "n"),
    ('n', "bm"),
    ('o', "ip"),
    ('p', "o"),
    ('r', "et"),
    ('s', "ad"),
    ('t', "ry"),
    ('u', "yi"),
    ('v', "cb"),
    ('w', "qe"),
    ('y', "tu"),
];

/// Phrases around a practice name in a note; `{}` is the name.
pub const FILLERS: &[&str] = &[
    "pt goes to {}",
    "goes to {}",
    "{} per daughter",
    "sees NP at {}",
    "{} - has gone for years",
    "I think {}",
    "member states {}",
    "{} (per son)",
    "PCP is at {}",
    "her dr is at {}",
    "the {} office",
    "{}?",
    "{} I believe",
    "mbr reports {}",
];

/// Slips in one word: a transposition, a dropped, doubled or neighbouring letter, or a
/// sound-alike spelling; long words sometimes get two.
pub fn slip(word: &str, rng: &mut Rng) -> String {
    let edits = if word.chars().count() >= 8 && rng.chance(0.35) { 2 } else { 1 };
    let mut out = word.to_string();
    for _ in 0..edits {
        out = if rng.chance(0.3) {
            sound_alike(&out, rng).unwrap_or_else(|| key_slip(&out, rng))
        } else {
            key_slip(&out, rng)
        };
    }
    if out == word { key_slip(word, rng) } else { out }
}

fn sound_alike(word: &str, rng: &mut Rng) -> Option<String> {
    let lower = word.to_lowercase();
    let rest = lower.get(1..)?;
    let fits: Vec<(usize, &str, &str)> = SOUNDS
        .iter()
        .filter_map(|&(from, to)| rest.find(from).map(|i| (i + 1, from, to)))
        .filter(|(i, from, _)| word.is_char_boundary(*i) && word.is_char_boundary(i + from.len()))
        .collect();
    if fits.is_empty() {
        return None;
    }
    let (i, from, to) = rng.pick(&fits);
    Some(format!("{}{to}{}", &word[..i], &word[i + from.len()..]))
}

fn key_slip(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 4 {
        return word.to_string();
    }
    let i = 1 + rng.below(n - 2);
    match rng.below(4) {
        0 if chars[i] != chars[i + 1] => chars.swap(i, i + 1),
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => {
            let lower = chars[i].to_ascii_lowercase();
            let near = NEAR_KEYS.iter().find(|(k, _)| *k == lower).map_or("e", |(_, n)| n);
            let near: Vec<char> = near.chars().collect();
            let c = rng.pick(&near);
            chars[i] = if c == lower { 'e' } else { c };
        }
    }
    chars.into_iter().collect()
}

/// The name with some words shortened, or a kind's words replaced by initials.
pub fn shorten(name: &str, rng: &mut Rng) -> String {
    if rng.chance(0.4) {
        let fits: Vec<&(&str, &[&str])> = INITIALS.iter().filter(|(w, _)| name.contains(w)).collect();
        if !fits.is_empty() {
            let (words, forms) = *rng.pick(&fits);
            return name.replacen(words, rng.pick(forms), 1);
        }
    }
    let mut changed = false;
    let mut out: Vec<String> = name
        .split(' ')
        .map(|w| match SHORT_FORMS.iter().find(|(full, _)| *full == w) {
            Some((_, forms)) if rng.chance(0.6) => {
                changed = true;
                rng.pick(forms).to_string()
            }
            _ => w.to_string(),
        })
        .collect();
    if !changed {
        for w in out.iter_mut() {
            if let Some((_, forms)) = SHORT_FORMS.iter().find(|(full, _)| *full == w.as_str()) {
                *w = forms[0].to_string();
                break;
            }
        }
    }
    out.join(" ")
}

/// Says whether `word` is one a [`shorten`]ed name may drop without losing which practice it
/// is (a kind-of-place word, not a place).
pub fn droppable(word: &str) -> bool {
    matches!(
        word,
        "Family" | "Medical" | "Health" | "Associates" | "Group" | "Care" | "Practice" | "Clinic" | "Physicians"
    )
}

/// A name wrapped in a note's phrase.
pub fn with_filler(name: &str, rng: &mut Rng) -> String {
    rng.pick(FILLERS).replace("{}", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_change_the_word() {
        let mut rng = Rng(3);
        for _ in 0..300 {
            for w in ["Riverside", "Samaritan", "Lake"] {
                assert_ne!(slip(w, &mut rng), w);
            }
        }
    }

    #[test]
    fn shortening_changes_the_name() {
        let mut rng = Rng(5);
        for _ in 0..100 {
            let s = shorten("Riverside Family Medicine", &mut rng);
            assert_ne!(s, "Riverside Family Medicine");
            assert!(s.starts_with("Riverside"), "{s}");
        }
    }
}

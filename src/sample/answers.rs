//! What HCBS members answer about their primary care, and what each answer truly identifies
//! (computed from the roster, never from what a matcher does).

use std::collections::HashMap;

use super::rng::Rng;
use super::words::*;
use super::world::{World, name_key};

/// The form an answer takes, as the answer key records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    Exact,
    Lower,
    Abbreviated,
    Typo,
    Site,
    /// The name with words around it ("the Riverside FM office", "... in Salem").
    Extra,
    /// Part of the name ("Riverside Family" for Riverside Family Medicine).
    Partial,
    Doctor,
    Npi,
    NonAnswer,
    Ambiguous,
}

impl Form {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Form::Exact => "exact",
            Form::Lower => "lower",
            Form::Abbreviated => "abbreviated",
            Form::Typo => "typo",
            Form::Site => "site",
            Form::Extra => "extra",
            Form::Partial => "partial",
            Form::Doctor => "doctor",
            Form::Npi => "npi",
            Form::NonAnswer => "non_answer",
            Form::Ambiguous => "ambiguous",
        }
    }
}

/// Indexes for computing what an answer identifies (sorted practice lists).
pub(super) struct Lookup {
    pub(super) by_last: HashMap<&'static str, Vec<usize>>,
    pub(super) by_full: HashMap<(&'static str, &'static str), Vec<usize>>,
    pub(super) by_place: HashMap<&'static str, Vec<usize>>,
    /// Practices by each word of their normalized name.
    pub(super) by_word: HashMap<String, Vec<usize>>,
    /// Per practice: [`Lookup::containing`] its own name.
    pub(super) namesakes: Vec<Vec<usize>>,
}

impl Lookup {
    pub(super) fn new(world: &World) -> Self {
        let mut l = Lookup {
            by_last: HashMap::new(),
            by_full: HashMap::new(),
            by_place: HashMap::new(),
            by_word: HashMap::new(),
            namesakes: Vec::new(),
        };
        for c in &world.clinicians {
            for &p in &c.practices {
                l.by_last.entry(c.last).or_default().push(p);
                l.by_full.entry((c.first, c.last)).or_default().push(p);
            }
        }
        for (i, p) in world.practices.iter().enumerate() {
            for w in name_key(&p.name).split(' ') {
                l.by_word.entry(w.to_string()).or_default().push(i);
            }
            if let Some(place) = p.place {
                l.by_place.entry(place).or_default().push(i);
            }
        }
        for v in l
            .by_last
            .values_mut()
            .chain(l.by_full.values_mut())
            .chain(l.by_place.values_mut())
            .chain(l.by_word.values_mut())
        {
            v.sort_unstable();
            v.dedup();
        }
        l.namesakes = world.practices.iter().map(|p| l.containing(&p.name)).collect();
        l
    }

    /// Practices whose normalized name holds every word of `text`. An answer made from a
    /// practice's name identifies it only when this is that practice alone: "Mercy Medical
    /// Associates" may mean "Mercy Medical Associates of Salem" too, and two solo practices
    /// may share a clinician's name.
    pub(super) fn containing(&self, text: &str) -> Vec<usize> {
        let key = name_key(text);
        let lists: Option<Vec<&Vec<usize>>> = key.split(' ').map(|w| self.by_word.get(w)).collect();
        let Some(mut lists) = lists else { return Vec::new() };
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else { return Vec::new() };
        first.iter().copied().filter(|p| rest.iter().all(|l| l.binary_search(p).is_ok())).collect()
    }
}

/// Sorted intersection of two sorted lists.
pub(super) fn intersect(a: &[usize], b: &[usize]) -> Vec<usize> {
    a.iter().copied().filter(|x| b.binary_search(x).is_ok()).collect()
}

pub(super) fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 5 {
        return word.to_string();
    }
    let i = 1 + rng.below(n - 2);
    match rng.below(4) {
        0 => chars.swap(i, i + 1),
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => {
            let c = (b'a' + rng.below(26) as u8) as char;
            chars[i] = if chars[i] == c { 'e' } else { c };
        }
    }
    chars.into_iter().collect()
}

pub(super) fn strip_suffix(name: &str) -> &str {
    for s in SUFFIXES.iter().filter(|s| !s.is_empty()) {
        if let Some(base) = name.strip_suffix(s) {
            return base;
        }
    }
    name
}

/// One answer and what it truly identifies: (text, form, practice if exactly one, candidates).
pub(super) fn answer(
    world: &World,
    look: &Lookup,
    p: usize,
    rng: &mut Rng,
) -> (String, Form, Option<usize>, Vec<usize>) {
    let prac = &world.practices[p];
    let namesakes = &look.namesakes[p];
    // A name that other practice names contain identifies none of them.
    let one = |form: Form, text: String| {
        if namesakes.len() > 1 {
            (text, Form::Ambiguous, None, namesakes.clone())
        } else {
            (text, form, Some(p), vec![p])
        }
    };
    let base = strip_suffix(&prac.name).to_string();
    let roll = rng.below(100);
    match roll {
        0..=13 => one(Form::Exact, prac.name.clone()),
        14..=21 => one(Form::Lower, base.to_lowercase()),
        22..=33 if !prac.id.is_empty() => {
            let (full, abbrs) = KINDS[prac.kind];
            let mut text = base.replacen(full, rng.pick(abbrs), 1);
            text = text.replace("Saint ", if rng.chance(0.5) { "St. " } else { "St " });
            if rng.chance(0.3) {
                text = text.to_lowercase();
            }
            one(Form::Abbreviated, text)
        }
        34..=45 => {
            let words: Vec<&str> = base.split(' ').collect();
            let long: Vec<usize> = (0..words.len()).filter(|&i| words[i].len() >= 5).collect();
            if long.is_empty() {
                return one(Form::Exact, prac.name.clone());
            }
            let k = rng.pick(&long);
            let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            out[k] = typo(words[k], rng);
            // Some answers have two slips.
            if rng.chance(0.3) {
                let k2 = rng.pick(&long);
                out[k2] = typo(&out[k2], rng);
            }
            let text = out.join(" ");
            one(Form::Typo, if rng.chance(0.4) { text.to_lowercase() } else { text })
        }
        46..=50 if !prac.id.is_empty() => {
            let site = rng.pick(&prac.sites);
            one(Form::Site, format!("{base} - {site}"))
        }
        51..=55 => {
            let text = match rng.below(5) {
                0 => format!("the {base} office"),
                1 if !base.contains(" of ") => format!("{base} in {}", prac.city),
                2 => format!("goes to {}", base.to_lowercase()),
                3 => format!("{base} (sees the NP)"),
                _ => format!("{base} on Main St"),
            };
            one(Form::Extra, text)
        }
        56..=60 => {
            let words: Vec<&str> = base.split(' ').collect();
            if words.len() < 3 {
                return one(Form::Exact, prac.name.clone());
            }
            // Leave out the town ("... of Salem"), else the last word or the first.
            let part = match base.find(" of ") {
                Some(cut) => base[..cut].to_string(),
                None if rng.chance(0.7) => words[..words.len() - 1].join(" "),
                None => words[1..].join(" "),
            };
            let fits = look.containing(&part);
            if fits == [p] { (part, Form::Partial, Some(p), fits) } else { (part, Form::Ambiguous, None, fits) }
        }
        61..=76 => {
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let (text, cands) = match rng.below(3) {
                0 => (format!("Dr. {}", c.last), look.by_last[c.last].clone()),
                1 => (
                    format!("dr {} {}", c.first.to_lowercase(), c.last.to_lowercase()),
                    look.by_full[&(c.first, c.last)].clone(),
                ),
                _ => match prac.place {
                    Some(place) => {
                        (format!("Dr {} at {}", c.last, place), intersect(&look.by_last[c.last], &look.by_place[place]))
                    }
                    None => (format!("Dr. {} {}", c.first, c.last), look.by_full[&(c.first, c.last)].clone()),
                },
            };
            if cands.len() == 1 { (text, Form::Doctor, Some(p), cands) } else { (text, Form::Ambiguous, None, cands) }
        }
        77..=81 => {
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let text = if rng.chance(0.5) { c.npi.to_string() } else { format!("NPI {}", c.npi) };
            if c.practices.len() == 1 {
                (text, Form::Npi, Some(p), vec![p])
            } else {
                (text, Form::Ambiguous, None, c.practices.clone())
            }
        }
        82..=90 => (rng.pick(NON_ANSWERS).to_string(), Form::NonAnswer, None, Vec::new()),
        _ => match prac.place {
            Some(place) if look.by_place[place].len() > 1 => {
                let text = if rng.chance(0.5) { format!("{place} clinic") } else { place.to_string() };
                (text, Form::Ambiguous, None, look.by_place[place].clone())
            }
            _ => one(Form::Exact, prac.name.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_change_the_word() {
        let mut rng = Rng(3);
        for _ in 0..100 {
            let t = typo("Riverside", &mut rng);
            assert_ne!(t, "Riverside");
        }
    }
}

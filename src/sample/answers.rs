//! What HCBS members answer about their primary care, and what each answer truly identifies
//! (computed from the roster, never from what a matcher does).

use std::collections::HashMap;

use super::rng::Rng;
use super::typing::{droppable, shorten, slip, with_filler};
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
    /// A kind-of-place word left out ("Riverside Medicine").
    Dropped,
    /// Two words swapped, or the place said last ("Family Medicine Riverside").
    Swapped,
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
            Form::Dropped => "dropped",
            Form::Swapped => "swapped",
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
    /// Practices by their whole normalized name.
    pub(super) by_name: HashMap<String, Vec<usize>>,
}

impl Lookup {
    pub(super) fn new(world: &World) -> Self {
        let mut l = Lookup {
            by_last: HashMap::new(),
            by_full: HashMap::new(),
            by_place: HashMap::new(),
            by_word: HashMap::new(),
            by_name: HashMap::new(),
        };
        for c in &world.clinicians {
            for &p in &c.practices {
                l.by_last.entry(c.last).or_default().push(p);
                l.by_full.entry((c.first, c.last)).or_default().push(p);
            }
        }
        for (i, p) in world.practices.iter().enumerate() {
            l.by_name.entry(name_key(&p.name)).or_default().push(i);
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

fn strip_suffix(name: &str) -> &str {
    for s in SUFFIXES.iter().filter(|s| !s.is_empty()) {
        if let Some(base) = name.strip_suffix(s) {
            return base.trim_end_matches(',');
        }
    }
    name
}

/// What one answer truly identifies.
pub(super) struct Answer {
    pub(super) text: String,
    pub(super) form: Form,
    /// The practice, when the answer identifies exactly one.
    pub(super) practice: Option<usize>,
    /// The practices it may mean (the one practice, or all of the ambiguous ones).
    pub(super) candidates: Vec<usize>,
}

fn identifies(form: Form, text: String, p: usize) -> Answer {
    Answer { text, form, practice: Some(p), candidates: vec![p] }
}

/// An answer that identifies `p` only when no other practice fits it as well; one that is
/// another practice's whole name names that practice (SPEC), whatever was meant.
fn one_of(look: &Lookup, form: Form, text: String, p: usize, fits: Vec<usize>) -> Answer {
    if let Some(same) = look.by_name.get(&name_key(&text)).filter(|s| s.len() == 1) {
        let q = same[0];
        return Answer { text, form, practice: Some(q), candidates: vec![q] };
    }
    if fits == [p] {
        identifies(form, text, p)
    } else {
        Answer { text, form: Form::Ambiguous, practice: None, candidates: fits }
    }
}

/// One answer about practice `p`, typed the way assessors type, and what it truly identifies.
/// A practice's whole name identifies it, however typed, even when other names contain it
/// (SPEC: generated names never normalise alike); parts of names and clinicians' names
/// identify it only when nothing else fits.
pub(super) fn answer(world: &World, look: &Lookup, p: usize, rng: &mut Rng) -> Answer {
    let a = typed(world, look, p, rng);
    match a.form {
        // Two solo practices may bear one clinician's name: the whole name is then ambiguous.
        Form::Exact | Form::Lower | Form::Abbreviated | Form::Typo | Form::Site | Form::Extra | Form::Swapped => {
            let same = &look.by_name[&name_key(&world.practices[p].name)];
            if same.len() > 1 {
                return Answer { form: Form::Ambiguous, practice: None, candidates: same.clone(), ..a };
            }
            a
        }
        _ => a,
    }
}

fn typed(world: &World, look: &Lookup, p: usize, rng: &mut Rng) -> Answer {
    let prac = &world.practices[p];
    let base = strip_suffix(&prac.name).to_string();
    let words: Vec<&str> = base.split(' ').collect();
    let cased = |text: String, rng: &mut Rng| match rng.below(10) {
        0..=2 => text.to_lowercase(),
        3 => text.to_uppercase(),
        _ => text,
    };
    match rng.below(100) {
        0..=9 => identifies(Form::Exact, prac.name.clone(), p),
        10..=16 => {
            let text = if rng.chance(0.75) { base.to_lowercase() } else { base.to_uppercase() };
            identifies(Form::Lower, text, p)
        }
        17..=28 => {
            let text = shorten(&base, rng);
            identifies(Form::Abbreviated, cased(text, rng), p)
        }
        29..=40 => {
            let long: Vec<usize> = (0..words.len()).filter(|&i| words[i].len() >= 5).collect();
            if long.is_empty() {
                return identifies(Form::Exact, prac.name.clone(), p);
            }
            let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let k = rng.pick(&long);
            out[k] = slip(words[k], rng);
            if long.len() > 1 && rng.chance(0.25) {
                let k2 = rng.pick(&long);
                if k2 != k {
                    out[k2] = slip(words[k2], rng);
                }
            }
            let text = out.join(" ");
            let text = if prac.id.is_empty() || rng.chance(0.6) { text } else { shorten(&text, rng) };
            identifies(Form::Typo, cased(text, rng), p)
        }
        41..=43 => {
            let keep: Vec<&str> = words.iter().copied().filter(|w| !droppable(w)).collect();
            if keep.len() == words.len() || keep.is_empty() || words.len() < 3 {
                return identifies(Form::Exact, prac.name.clone(), p);
            }
            // Leave out one kind-of-place word.
            let drop = rng.pick(&(0..words.len()).filter(|&i| droppable(words[i])).collect::<Vec<_>>());
            let text: Vec<&str> = words.iter().enumerate().filter(|&(i, _)| i != drop).map(|(_, w)| *w).collect();
            let text = text.join(" ");
            let fits = look.containing(&text);
            one_of(look, Form::Dropped, cased(text, rng), p, fits)
        }
        44..=46 => {
            if words.len() < 3 || base.contains(" of ") {
                return identifies(Form::Exact, prac.name.clone(), p);
            }
            let text = match prac.place {
                // The place said last: "Family Medicine Riverside".
                Some(place) if rng.chance(0.6) => {
                    format!("{} {place}", base.strip_prefix(place).unwrap_or(&base).trim())
                }
                _ => {
                    let mut w = words.clone();
                    let i = 1 + rng.below(w.len() - 1);
                    w.swap(i - 1, i);
                    w.join(" ")
                }
            };
            identifies(Form::Swapped, cased(text, rng), p)
        }
        47..=50 if !prac.id.is_empty() => {
            let site = rng.pick(&prac.sites);
            let text = match rng.below(3) {
                0 => format!("{base} - {site}"),
                1 => format!("{base} ({site})"),
                _ => format!("{base} {site} office"),
            };
            identifies(Form::Site, text, p)
        }
        51..=55 => {
            let name = if rng.chance(0.5) { base.clone() } else { shorten(&base, rng) };
            let text = match rng.below(4) {
                // Not when "<name> of <city>" is another practice: that is what it would say.
                0 if !base.contains(" of ") && look.containing(&format!("{base} of {}", prac.city)).is_empty() => {
                    format!("{name} in {}", prac.city)
                }
                1 => format!("{name} on {} St", rng.pick(STREETS)),
                _ => with_filler(&name, rng),
            };
            identifies(Form::Extra, cased(text, rng), p)
        }
        56..=59 => {
            if words.len() < 3 {
                return identifies(Form::Exact, prac.name.clone(), p);
            }
            // Leave out the town ("... of Salem"), else the last word or the first.
            let part = match base.find(" of ") {
                Some(cut) => base[..cut].to_string(),
                None if rng.chance(0.7) => words[..words.len() - 1].join(" "),
                None => words[1..].join(" "),
            };
            let fits = look.containing(&part);
            one_of(look, Form::Partial, part, p, fits)
        }
        60..=74 => doctor(world, look, p, rng),
        75..=78 => {
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let text = match rng.below(4) {
                0 | 1 => c.npi.to_string(),
                2 => format!("NPI {}", c.npi),
                _ => format!("npi# {}", c.npi),
            };
            let mut fits = c.practices.clone();
            fits.sort_unstable();
            one_of(look, Form::Npi, text, p, fits)
        }
        79..=87 => Answer {
            text: rng.pick(NON_ANSWERS).to_string(),
            form: Form::NonAnswer,
            practice: None,
            candidates: Vec::new(),
        },
        _ => match prac.place {
            Some(place) if look.by_place[place].len() > 1 => {
                let text = match rng.below(3) {
                    0 => format!("{place} clinic"),
                    1 => place.to_lowercase(),
                    _ => place.to_string(),
                };
                Answer { text, form: Form::Ambiguous, practice: None, candidates: look.by_place[place].clone() }
            }
            _ => identifies(Form::Exact, prac.name.clone(), p),
        },
    }
}

/// A clinician of `p` named the ways assessors write doctors' names.
fn doctor(world: &World, look: &Lookup, p: usize, rng: &mut Rng) -> Answer {
    let prac = &world.practices[p];
    let c = &world.clinicians[rng.pick(&prac.clinicians)];
    let by_last = look.by_last[c.last].clone();
    let by_full = look.by_full[&(c.first, c.last)].clone();
    let (text, fits) = match rng.below(7) {
        0 => (format!("Dr. {}", c.last), by_last),
        1 => (format!("dr {} {}", c.first.to_lowercase(), c.last.to_lowercase()), by_full),
        2 => match prac.place {
            Some(place) => (format!("Dr {} at {}", c.last, place), intersect(&by_last, &look.by_place[place])),
            None => (format!("Dr. {} {}", c.first, c.last), by_full),
        },
        3 => (format!("{}, {} MD", c.last, c.first), by_full),
        4 => (format!("sees Dr {}", c.last.to_uppercase()), by_last),
        5 if c.last.len() >= 5 => (format!("Dr. {}", slip(c.last, rng)), by_last),
        _ => (format!("Dr. {} {}", c.first, c.last), by_full),
    };
    one_of(look, Form::Doctor, text, p, fits)
}

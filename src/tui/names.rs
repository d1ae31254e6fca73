//! How practices read on screen, the clinician names the practice filter searches, and the
//! widest names (for column widths).
//!
//! The roster names a practice without a practice id after its one clinician ("Patricia
//! Horvath"); on a list of practices that reads like a person, so the screens call it
//! "practice of Dr. Patricia Horvath".

use crate::ingest::{Clinician, Dataset, Roster};

/// Whether the clinician's taxonomy is a physician's (NUCC group 20: allopathic and
/// osteopathic physicians), who may be called "Dr." without guessing.
fn is_physician(c: &Clinician) -> bool {
    c.taxonomy.starts_with("20")
}

/// The name of each practice as the screens show it.
pub(in crate::tui) fn practice_labels(roster: &Roster) -> Vec<String> {
    roster
        .practices
        .iter()
        .zip(&roster.practice_clinicians)
        .map(|(p, clinicians)| match clinicians.first() {
            Some(&c) if p.solo => {
                let c = &roster.clinicians[c as usize];
                format!("practice of {}{}", if is_physician(c) { "Dr. " } else { "" }, p.name)
            }
            _ => p.name.clone(),
        })
        .collect()
}

/// Per practice, its clinicians' names in lower case, one per line (searched with
/// [`clinician_matches`]; a plain substring test keeps the filter fast at state scale).
pub(in crate::tui) fn clinician_keys(roster: &Roster) -> Vec<String> {
    roster
        .practice_clinicians
        .iter()
        .map(|list| {
            let names: Vec<String> =
                list.iter().map(|&c| roster.clinicians[c as usize].display_name().to_lowercase()).collect();
            names.join("\n")
        })
        .collect()
}

/// The words of a query, lower case, without a leading "Dr." ("dr patel" finds Sarah Patel).
pub(in crate::tui) fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.len() > 1 && matches!(words[0].as_str(), "dr" | "dr.") {
        words.remove(0);
    }
    words
}

/// Whether one clinician of `keys` (from [`clinician_keys`]) has every word of the query.
pub(in crate::tui) fn clinician_matches(keys: &str, words: &[String]) -> bool {
    !words.is_empty() && keys.lines().any(|name| words.iter().all(|w| name.contains(w.as_str())))
}

/// The widest text of each long column, in characters. The lists size their columns by the
/// whole list (so widths do not jump while scrolling); measured here once, as measuring
/// 20,000 names on every frame took most of a frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct Widest {
    pub(in crate::tui) practice: usize,
    pub(in crate::tui) place: usize,
    pub(in crate::tui) cm: usize,
    pub(in crate::tui) cm_county: usize,
}

impl Widest {
    pub(in crate::tui) fn new(ds: &Dataset, practice_labels: &[String], cm_labels: &[String]) -> Self {
        let widest = |it: &mut dyn Iterator<Item = &str>| it.map(|s| s.chars().count()).max().unwrap_or(0);
        Widest {
            practice: widest(&mut practice_labels.iter().map(String::as_str)),
            place: ds.roster.practices.iter().map(|p| p.place().chars().count()).max().unwrap_or(0),
            cm: widest(&mut cm_labels.iter().map(String::as_str)),
            cm_county: widest(&mut ds.care_managers.iter().map(|c| c.county.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinician_words_must_meet_in_one_name() {
        let keys = "sarah patel\ndavid lee";
        assert!(clinician_matches(keys, &query_words("Dr. Patel")));
        assert!(clinician_matches(keys, &query_words("patel sarah")));
        assert!(!clinician_matches(keys, &query_words("sarah lee")), "two clinicians' names do not make one");
        assert!(!clinician_matches(keys, &query_words("")));
        assert_eq!(query_words("dr"), vec!["dr"], "a lone 'dr' is a query, not a title");
    }
}

//! Go to (`:`): one text field that finds a practice, care manager or member by id or name
//! from anywhere, best match first.
//!
//! Ids count most: an id typed in full is the first match, an id the text starts with comes
//! next, then fuzzy matches of names. Members have no names in the data, so they are found by
//! id (two characters at least, so one keystroke does not list every member).

use fuzzy_matcher::FuzzyMatcher;

use super::list::List;
use super::model::Model;

/// What go-to can jump to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Practice(u32),
    Cm(u32),
    Member(u32),
}

/// The go-to window: the text typed (in the list's search) and the best matches.
#[derive(Debug, Clone, Default)]
pub struct GoTo {
    pub(in crate::tui) list: List<Target>,
}

/// Matches shown at most.
pub const SHOWN: usize = 50;

/// Score of an id typed in full, and of an id the text starts with (above any fuzzy score).
const EXACT: i64 = 1 << 40;
const PREFIX: i64 = 1 << 30;
const CONTAINS: i64 = 1 << 20;

/// Whether `hay` contains `needle`, ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// How well an id fits the text, if at all.
fn id_score(id: &str, q: &str) -> Option<i64> {
    if id.eq_ignore_ascii_case(q) {
        Some(EXACT)
    } else if id.len() >= q.len() && id.as_bytes()[..q.len()].eq_ignore_ascii_case(q.as_bytes()) {
        Some(PREFIX - (id.len() - q.len()) as i64)
    } else if q.len() >= 3 && contains_ci(id, q) {
        Some(CONTAINS - id.len() as i64)
    } else {
        None
    }
}

impl Model {
    /// The best matches of `query`, best first.
    pub(in crate::tui) fn goto_matches(&self, query: &str) -> Vec<Target> {
        let q = query.trim();
        if q.is_empty() {
            return Vec::new();
        }
        let d = &self.data;
        let mut scored: Vec<(i64, u8, u32, Target)> = Vec::new();
        let name_score = |name: &str| self.matcher.fuzzy_match(name, q);
        for (p, pr) in d.ds.roster.practices.iter().enumerate() {
            let p = p as u32;
            if let Some(s) = id_score(&pr.id, q).or_else(|| name_score(d.practice_name(p))) {
                scored.push((s, 0, p, Target::Practice(p)));
            }
        }
        for (c, cm) in d.ds.care_managers.iter().enumerate() {
            let c = c as u32;
            if let Some(s) = id_score(&cm.id, q).or_else(|| name_score(d.cm_name(c))) {
                scored.push((s, 1, c, Target::Cm(c)));
            }
        }
        if q.len() >= 2 {
            for (m, a) in d.ds.assessments.iter().enumerate() {
                if let Some(s) = id_score(&a.member_id, q) {
                    scored.push((s, 2, m as u32, Target::Member(m as u32)));
                }
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored.truncate(SHOWN);
        scored.into_iter().map(|x| x.3).collect()
    }

    /// After the text changed: the matches, the first highlighted.
    pub(in crate::tui) fn refresh_goto(&self, g: &mut GoTo) {
        let rows = self.goto_matches(g.list.search.text());
        g.list.set(rows);
        g.list.cursor = Default::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_rank_exact_then_prefix_then_contained() {
        assert_eq!(id_score("P01", "p01"), Some(EXACT));
        assert!(id_score("P010", "P01").unwrap() > id_score("P0100", "P01").unwrap(), "shorter rest first");
        assert!(id_score("P010", "P01").unwrap() < EXACT);
        assert_eq!(id_score("XP01", "P01"), Some(CONTAINS - 4));
        assert_eq!(id_score("XP1", "P1"), None, "two characters must start the id");
        assert!(contains_ci("M123456", "3456"));
        assert!(!contains_ci("M1", "M12"));
    }
}

//! Go to (`:`): one text field that finds a practice, care manager or member by id or name
//! from anywhere, best match first.
//!
//! Ids count most: an id typed in full is the first match, an id the text starts with comes
//! next, then fuzzy matches of names. Members have no names in the data, so they are found by
//! id (two characters at least, so one keystroke does not list every member).
//!
//! A keystroke must stay within a frame at state scale (20,000 practices, 300,000 members):
//! member ids are searched in a sorted index, names are scored in parallel and only where the
//! quick test says they match, and the matches of every text typed since go-to opened are kept,
//! so Backspace costs nothing.

use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;

use super::list::{List, fuzzy_hit};
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
    /// The matches of each text typed so far (the data does not change while go-to is open).
    seen: Vec<(String, Vec<Target>)>,
}

/// Member ids lower-cased and sorted, each with its member: the members an id prefix finds are
/// one range, found by bisection instead of comparing 300,000 ids on every keystroke.
#[derive(Debug, Default)]
pub struct MemberIds(Vec<(Box<str>, u32)>);

impl MemberIds {
    pub fn new<'a>(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut v: Vec<(Box<str>, u32)> =
            ids.enumerate().map(|(m, id)| (id.to_ascii_lowercase().into(), m as u32)).collect();
        v.sort_unstable();
        MemberIds(v)
    }

    /// The members whose id fits `q` (lower case), best first: the id itself, then ids that
    /// start with it (the shorter the rest, the better; then in id order), then, from three
    /// characters, ids that contain it; at most `SHOWN`, each with its score.
    fn best(&self, q: &str) -> Vec<(i64, u32)> {
        let ids = &self.0;
        let start = ids.partition_point(|(id, _)| &**id < q);
        let len = ids[start..].partition_point(|(id, _)| id.starts_with(q));
        // The range is in id order; the shortest ids first, keeping that order among equals.
        let mut prefix: Vec<(usize, usize)> = (start..start + len).map(|i| (ids[i].0.len(), i)).collect();
        if prefix.len() > SHOWN {
            prefix.select_nth_unstable(SHOWN);
            prefix.truncate(SHOWN);
        }
        prefix.sort_unstable();
        let mut out: Vec<(i64, u32)> = prefix.iter().map(|&(l, i)| (id_score_lower(l, q.len()), ids[i].1)).collect();
        if out.len() < SHOWN && q.len() >= 3 {
            let mut contained: Vec<(usize, usize)> = (0..ids.len())
                .filter(|&i| !(start..start + len).contains(&i) && ids[i].0.contains(q))
                .map(|i| (ids[i].0.len(), i))
                .collect();
            let room = SHOWN - out.len();
            if contained.len() > room {
                contained.select_nth_unstable(room);
                contained.truncate(room);
            }
            contained.sort_unstable();
            out.extend(contained.iter().map(|&(l, i)| (CONTAINS - l as i64, ids[i].1)));
        }
        out
    }
}

/// [`id_score`] of an id of `len` bytes that starts with the `q_len`-byte text.
fn id_score_lower(len: usize, q_len: usize) -> i64 {
    if len == q_len { EXACT } else { PREFIX - (len - q_len) as i64 }
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
        // Skim's score only where it can match at all: most names drop out at the quick test.
        let name_score = |name: &str| if fuzzy_hit(name, q) { self.matcher.fuzzy_match(name, q) } else { None };
        let practices = d.ds.roster.practices.par_iter().enumerate().filter_map(|(p, pr)| {
            let p = p as u32;
            id_score(&pr.id, q)
                .or_else(|| name_score(d.practice_name(p)))
                .map(|s| (s, 0, d.rank_pos[p as usize], Target::Practice(p)))
        });
        let cms = d.ds.care_managers.par_iter().enumerate().filter_map(|(c, cm)| {
            let c = c as u32;
            id_score(&cm.id, q).or_else(|| name_score(d.cm_name(c))).map(|s| (s, 1, c, Target::Cm(c)))
        });
        let mut scored: Vec<(i64, u8, u32, Target)> = practices.chain(cms).collect();
        // Among practices of equal score, the higher ranked first; among members, id order (the
        // index is sorted by id).
        if q.len() >= 2 {
            let best = d.member_ids.best(&q.to_ascii_lowercase());
            scored.extend(best.into_iter().enumerate().map(|(i, (s, m))| (s, 2, i as u32, Target::Member(m))));
        }
        let by_score = |a: &(i64, u8, u32, Target), b: &(i64, u8, u32, Target)| {
            b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        if scored.len() > SHOWN {
            scored.select_nth_unstable_by(SHOWN, by_score);
            scored.truncate(SHOWN);
        }
        scored.sort_by(by_score);
        scored.into_iter().map(|x| x.3).collect()
    }

    /// After the text changed: the matches, the first highlighted. A text typed before since
    /// go-to opened (Backspace) gets its matches back without searching again.
    pub(in crate::tui) fn refresh_goto(&self, g: &mut GoTo) {
        let text = g.list.search.text().to_string();
        let rows = match g.seen.iter().find(|(t, _)| *t == text) {
            Some((_, rows)) => rows.clone(),
            None => {
                let rows = self.goto_matches(&text);
                g.seen.push((text, rows.clone()));
                rows
            }
        };
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

    proptest::proptest! {
        /// The index finds what scoring every id finds, in the same order (score, then id).
        #[test]
        fn member_index_agrees_with_scoring_every_id(
            ids in proptest::collection::hash_set("[mM][0-9a]{0,4}", 0..120),
            q in "[mM0-9a]{2,4}",
        ) {
            let ids: Vec<String> = ids.into_iter().collect();
            let q = q.to_ascii_lowercase();
            let index = MemberIds::new(ids.iter().map(String::as_str));
            let mut brute: Vec<(i64, String, u32)> = ids
                .iter()
                .enumerate()
                .filter_map(|(m, id)| id_score(id, &q).map(|s| (s, id.to_ascii_lowercase(), m as u32)))
                .collect();
            brute.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            brute.truncate(SHOWN);
            let want: Vec<(i64, u32)> = brute.into_iter().map(|(s, _, m)| (s, m)).collect();
            proptest::prop_assert_eq!(index.best(&q), want);
        }
    }
}

//! A claims worker's tally of crossover primary-care lines per (member, practice), kept as an
//! append-only log that is sorted and combined now and then, instead of a hash map.
//!
//! Why: a hash map of a state's (member, practice) pairs is far bigger than the CPU caches,
//! so each line's update was a cache miss or two (the top stall in `perf annotate` of the
//! claims loop). Lines of one member usually come together in an extract, so the log first
//! gathers the current member's practices in a tiny `run` and appends them when the member
//! changes: sequential writes, no probing. When the log has doubled since it was last
//! combined, it is sorted and combined, which bounds its size by twice the distinct pairs
//! even when lines come in no order at all.

use super::claims::Pair;
use super::fields::Day;

/// Fewest entries before the log is combined (small logs are not worth sorting).
const MIN_COMPACT: usize = 1 << 20;

#[derive(Debug)]
pub struct PairLog {
    entries: Vec<Pair>,
    /// Entries of the member being read, one per practice.
    run: Vec<Pair>,
    /// Combine when `entries` reaches this length...
    compact_at: usize,
    /// ...which is never below this.
    floor: usize,
}

impl Default for PairLog {
    fn default() -> Self {
        PairLog::with_floor(MIN_COMPACT)
    }
}

impl PairLog {
    fn with_floor(floor: usize) -> Self {
        PairLog { entries: Vec::new(), run: Vec::new(), compact_at: floor, floor }
    }

    /// Counts one line of `member` at `practice`.
    #[inline]
    pub fn add(&mut self, member: u32, practice: u32, date: Day) {
        if self.run.first().is_some_and(|p| p.member != member) {
            self.flush();
        }
        match self.run.iter_mut().find(|p| p.practice == practice) {
            Some(p) => {
                p.lines += 1;
                p.last = p.last.max(date);
            }
            None => self.run.push(Pair { member, practice, lines: 1, last: date }),
        }
    }

    /// Ends the current member's run (at the end of a block: the next block may be anywhere).
    pub fn flush(&mut self) {
        self.entries.append(&mut self.run);
        if self.entries.len() >= self.compact_at {
            combine(&mut self.entries);
            self.compact_at = (2 * self.entries.len()).max(self.floor);
        }
    }

    /// The tally with members renumbered through `number`, combined: one entry per
    /// (member, practice), sorted by them.
    pub fn finish(mut self, number: &[u32]) -> Vec<Pair> {
        self.entries.append(&mut self.run);
        for p in &mut self.entries {
            p.member = number[p.member as usize];
        }
        combine(&mut self.entries);
        self.entries
    }
}

/// Sorts pairs by (member, practice) and merges entries of the same pair (lines added, the
/// latest date kept).
fn combine(pairs: &mut Vec<Pair>) {
    pairs.sort_unstable_by_key(|p| (p.member, p.practice));
    pairs.dedup_by(|later, kept| {
        let same = later.member == kept.member && later.practice == kept.practice;
        if same {
            kept.lines += later.lines;
            kept.last = kept.last.max(later.last);
        }
        same
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Whatever the order of lines, the log gives what a map of pairs gives.
        #[test]
        fn same_tally_as_a_map(lines in proptest::collection::vec((0u32..6, 0u32..4, 0i32..50), 0..200),
                               flushes in proptest::collection::vec(any::<bool>(), 200)) {
            let mut want: BTreeMap<(u32, u32), (u32, i32)> = BTreeMap::new();
            let mut log = PairLog::with_floor(3);
            for (i, &(m, p, d)) in lines.iter().enumerate() {
                let e = want.entry((m, p)).or_insert((0, d));
                e.0 += 1;
                e.1 = e.1.max(d);
                log.add(m, p, d);
                if flushes[i] {
                    log.flush();
                }
            }
            let got: BTreeMap<(u32, u32), (u32, i32)> =
                log.finish(&[0, 1, 2, 3, 4, 5]).into_iter().map(|p| ((p.member, p.practice), (p.lines, p.last))).collect();
            prop_assert_eq!(got, want);
        }
    }
}

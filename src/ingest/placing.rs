//! The roster as the claims loop reads it: one hash probe per NPI gives whether the roster
//! calls the clinician a PCP and the practices the NPI belongs to.
//!
//! [`Roster`] keeps clinicians as full records (names, taxonomy, ...) and practice lists as
//! one `Vec` each; looking a claim line up there touches the index, the clinician record and
//! the list, three cache misses on a state-sized roster. Here a clinician in one practice
//! (most of them) carries that practice in its table slot, and longer lists sit in one array.

use rustc_hash::FxHashMap;

use super::roster::Roster;

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The one practice, or the start of the list in [`RosterIndex::lists`].
    first: u32,
    /// Number of practices (1 when `first` is the practice).
    len: u32,
    pcp: bool,
}

/// An NPI of the roster, as the claims loop needs it.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// The roster's PCP flag (used when the line has no taxonomy).
    pub pcp: bool,
    /// Practices of the NPI, ascending.
    pub practices: &'a [u32],
}

/// NPI → [`Known`], built once per claims read.
#[derive(Debug, Default)]
pub struct RosterIndex {
    slots: FxHashMap<u64, Slot>,
    lists: Vec<u32>,
}

impl RosterIndex {
    pub fn new(roster: &Roster) -> Self {
        let mut index = RosterIndex::default();
        index.slots.reserve(roster.clinicians.len());
        for (c, clinician) in roster.clinicians.iter().enumerate() {
            let practices = &roster.clinician_practices[c];
            let first = match practices[..] {
                [one] => one,
                _ => {
                    index.lists.extend_from_slice(practices);
                    (index.lists.len() - practices.len()) as u32
                }
            };
            index.slots.insert(clinician.npi, Slot { first, len: practices.len() as u32, pcp: clinician.pcp });
        }
        index
    }

    pub fn get(&self, npi: u64) -> Option<Known<'_>> {
        let slot = self.slots.get(&npi)?;
        let practices = match slot.len {
            1 => std::slice::from_ref(&slot.first),
            n => &self.lists[slot.first as usize..(slot.first + n) as usize],
        };
        Some(Known { pcp: slot.pcp, practices })
    }

    /// Practices of an NPI (empty when not in the roster).
    pub fn practices_of(&self, npi: u64) -> &[u32] {
        self.get(npi).map_or(&[], |k| k.practices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::roster::Clinician;

    #[test]
    fn same_answers_as_the_roster() {
        let clinician = |npi, pcp| Clinician { npi, pcp, ..Clinician::default() };
        let roster = Roster {
            clinicians: vec![clinician(10, true), clinician(20, false), clinician(30, true)],
            npi_index: [(10, 0), (20, 1), (30, 2)].into_iter().collect(),
            clinician_practices: vec![vec![4], vec![1, 2, 7], vec![]],
            ..Roster::default()
        };
        let index = RosterIndex::new(&roster);
        for npi in [10, 20, 30, 40] {
            let known = index.get(npi);
            assert_eq!(known.map(|k| k.pcp), roster.clinician(npi).map(|c| c.pcp), "{npi}");
            assert_eq!(index.practices_of(npi), roster.practices_of(npi), "{npi}");
        }
    }
}

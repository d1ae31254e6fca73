//! The Practices screen grouped under health systems (`H`): a state educates a whole system at
//! once, so the list shows each system with its reach (a member seen at two sites counts
//! once, as `carealign rank --by system` counts), its sites under it, and lone practices as
//! their own rows. Assigning still happens per practice: a system row selects no practice.

use crate::systems::{Group, SystemRow, rollup};

use super::model::Model;

/// A row of the practice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeRow {
    /// Index into `analysis.ranked`.
    Practice(u32),
    /// Index into [`Systems::rows`]: a health system's heading, its practices below it.
    System(u32),
}

/// The roll-up the grouped list shows, with the HCBS counts it was made from (they change
/// only with review decisions, so most plan edits reuse it: it walks every claims pair).
#[derive(Debug, Clone)]
pub struct Systems {
    hcbs: Vec<u32>,
    pub(in crate::tui) rows: Vec<SystemRow>,
    /// Per practice, the index of its row in `rows`.
    row_of: Vec<u32>,
    /// Characters of the longest heading (the name column's want).
    pub(in crate::tui) widest_heading: usize,
}

/// A system's heading as the list shows it.
pub(in crate::tui) fn heading(s: &SystemRow, ds: &crate::ingest::Dataset) -> String {
    format!("{} · {} sites", s.name(ds), crate::fmt::thousands(s.practices.len() as u64))
}

impl Systems {
    /// Whether practice `p` is listed under a health system (not a row of its own).
    pub(in crate::tui) fn in_system(&self, p: u32) -> bool {
        matches!(self.rows[self.row_of[p as usize] as usize].group, Group::System(_))
    }
}

impl Model {
    /// Whether the data has health systems to group by (health_systems.csv).
    pub(in crate::tui) fn has_systems(&self) -> bool {
        !self.data.ds.systems.systems.is_empty()
    }

    /// The roll-up for the plan's HCBS counts, recomputed only when they changed.
    fn ensure_systems(&mut self) {
        if self.systems.as_ref().is_some_and(|s| s.hcbs == self.totals.hcbs) {
            return;
        }
        let d = &self.data;
        let rows = rollup(&d.ds, &d.analysis.ranked, &self.totals.hcbs);
        let mut row_of = vec![0u32; d.ds.roster.practices.len()];
        for (i, row) in rows.iter().enumerate() {
            for &p in &row.practices {
                row_of[p as usize] = i as u32;
            }
        }
        let widest_heading = rows
            .iter()
            .filter(|r| matches!(r.group, Group::System(_)))
            .map(|r| heading(r, &d.ds).chars().count())
            .max()
            .unwrap_or(0);
        self.systems = Some(Systems { hcbs: self.totals.hcbs.clone(), rows, row_of, widest_heading });
    }

    /// The shown practices (indexes into `analysis.ranked`, in the list's sort order) grouped:
    /// systems in their own rank order (distinct duals across their sites), each heading
    /// followed by its shown practices in list order; a system none of whose practices shows
    /// is left out. Returns the rows and the positions of practice rows (the filter's hits).
    pub(in crate::tui) fn group_by_system(&mut self, shown: &[u32]) -> (Vec<PracticeRow>, Vec<usize>) {
        self.ensure_systems();
        let systems = self.systems.as_ref().expect("just computed");
        let ranked = &self.data.analysis.ranked;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); systems.rows.len()];
        for &ri in shown {
            members[systems.row_of[ranked[ri as usize].practice as usize] as usize].push(ri);
        }
        let (mut rows, mut hits) = (Vec::with_capacity(shown.len()), Vec::with_capacity(shown.len()));
        for (g, list) in members.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            if matches!(systems.rows[g].group, Group::System(_)) {
                rows.push(PracticeRow::System(g as u32));
            }
            for ri in list {
                hits.push(rows.len());
                rows.push(PracticeRow::Practice(ri));
            }
        }
        (rows, hits)
    }
}

#[cfg(test)]
impl Model {
    /// The practices the list shows, in order (system headings left out).
    pub(in crate::tui) fn listed_practices(&self) -> Vec<u32> {
        let ranked = &self.data.analysis.ranked;
        self.practices
            .rows
            .iter()
            .filter_map(|row| match *row {
                PracticeRow::Practice(i) => Some(ranked[i as usize].practice),
                PracticeRow::System(_) => None,
            })
            .collect()
    }
}

//! Practices rolled up into health systems (SPEC "health_systems.csv"): a state educates a
//! whole system at once, so it needs the system's reach, not the sum of its sites'. A member
//! seen at two sites of one system counts once; a practice in no system is a row of its own.

use crate::ingest::Dataset;
use crate::rank::RankedPractice;

/// What a rolled-up row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Index into `HealthSystems::systems`.
    System(u32),
    /// A practice in no system (index into `Roster::practices`).
    Practice(u32),
}

/// One health system (or lone practice) with its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemRow {
    /// 1-based: duals_seen descending, then id ascending.
    pub rank: u32,
    pub group: Group,
    /// Its practices, best ranked first.
    pub practices: Vec<u32>,
    /// Distinct members with ≥ 1 crossover primary-care line at any of its practices.
    pub duals_seen: u32,
    /// Crossover primary-care lines at its practices.
    pub pc_lines: u64,
    /// Distinct roster NPIs across its practices.
    pub clinicians: u32,
    /// HCBS members whose practice is one of its practices.
    pub hcbs_members: u32,
}

impl SystemRow {
    /// health_system_id, or the practice_id of a lone practice.
    pub fn id<'a>(&self, ds: &'a Dataset) -> &'a str {
        match self.group {
            Group::System(s) => &ds.systems.systems[s as usize].id,
            Group::Practice(p) => &ds.roster.practices[p as usize].id,
        }
    }

    /// health_system_name, or the name of a lone practice.
    pub fn name<'a>(&self, ds: &'a Dataset) -> &'a str {
        match self.group {
            Group::System(s) => &ds.systems.systems[s as usize].name,
            Group::Practice(p) => &ds.roster.practices[p as usize].name,
        }
    }
}

/// Rolls `ranked` (every practice, in rank order) up into systems. `hcbs[p]` is practice `p`'s
/// HCBS members: the analysis' final practices for `carealign rank`, the plan's (review
/// decisions applied) on screen.
pub fn rollup(ds: &Dataset, ranked: &[RankedPractice], hcbs: &[u32]) -> Vec<SystemRow> {
    let n_systems = ds.systems.systems.len();
    let key = |p: u32| {
        ds.systems.of_practice.get(p as usize).copied().flatten().map_or(n_systems + p as usize, |s| s as usize)
    };
    let mut rows: Vec<Option<SystemRow>> = vec![None; n_systems + ds.roster.practices.len()];
    for r in ranked {
        let k = key(r.practice);
        let row = rows[k].get_or_insert_with(|| SystemRow {
            rank: 0,
            group: if k < n_systems { Group::System(k as u32) } else { Group::Practice(r.practice) },
            practices: Vec::new(),
            duals_seen: 0,
            pc_lines: 0,
            clinicians: 0,
            hcbs_members: 0,
        });
        row.practices.push(r.practice);
        row.pc_lines += r.pc_lines;
        row.hcbs_members += hcbs.get(r.practice as usize).copied().unwrap_or(0);
    }
    // Distinct members per group: pairs are distinct (member, practice) and sorted by member
    // (as claims attribution relies on), so a group counts a pair's member unless it has just
    // counted that member (marked with the member + 1). No per-member sorting or allocation.
    let mut counted = vec![0u32; rows.len()];
    for pair in &ds.claims.pairs {
        let g = key(pair.practice);
        if counted[g] != pair.member + 1 {
            counted[g] = pair.member + 1;
            if let Some(row) = &mut rows[g] {
                row.duals_seen += 1;
            }
        }
    }
    let mut out: Vec<SystemRow> = rows.into_iter().flatten().collect();
    let mut npis: Vec<u32> = Vec::new();
    for row in &mut out {
        npis.clear();
        for &p in &row.practices {
            npis.extend_from_slice(&ds.roster.practice_clinicians[p as usize]);
        }
        npis.sort_unstable();
        npis.dedup();
        row.clinicians = npis.len() as u32;
    }
    out.sort_by(|a, b| b.duals_seen.cmp(&a.duals_seen).then_with(|| a.id(ds).cmp(b.id(ds))));
    for (i, row) in out.iter_mut().enumerate() {
        row.rank = i as u32 + 1;
    }
    out
}

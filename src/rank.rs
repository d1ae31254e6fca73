//! Practice ranking by duals seen (SPEC "Definitions"), from the claims aggregate.

use crate::ingest::{Claims, Roster};

/// One practice's ranking figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankedPractice {
    /// 1-based position in the ranking.
    pub rank: u32,
    /// Index into `Roster::practices`.
    pub practice: u32,
    /// Distinct members with ≥ 1 crossover primary-care line at the practice.
    pub duals_seen: u32,
    /// Crossover primary-care lines at the practice.
    pub pc_lines: u64,
    /// Distinct roster NPIs of the practice.
    pub clinicians: u32,
    /// HCBS members whose final practice it is.
    pub hcbs_members: u32,
}

/// Ranks every roster practice: duals_seen descending, then practice_id ascending (the roster
/// keeps practices sorted by id, so index order is id order). `hcbs_members[p]` is the count of
/// HCBS members whose final practice is `p`.
pub fn rank_practices(roster: &Roster, claims: &Claims, hcbs_members: &[u32]) -> Vec<RankedPractice> {
    let n = roster.practices.len();
    let mut duals = vec![0u32; n];
    let mut lines = vec![0u64; n];
    // Pairs are distinct (member, practice), so counting pairs counts distinct members.
    for pair in &claims.pairs {
        duals[pair.practice as usize] += 1;
        lines[pair.practice as usize] += u64::from(pair.lines);
    }
    let mut ranked: Vec<RankedPractice> = (0..n)
        .map(|p| RankedPractice {
            rank: 0,
            practice: p as u32,
            duals_seen: duals[p],
            pc_lines: lines[p],
            clinicians: roster.practice_clinicians[p].len() as u32,
            hcbs_members: hcbs_members.get(p).copied().unwrap_or(0),
        })
        .collect();
    ranked.sort_by(|a, b| b.duals_seen.cmp(&a.duals_seen).then(a.practice.cmp(&b.practice)));
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }
    ranked
}

/// Claims attribution of every claims member (SPEC): the practice with the most crossover
/// primary-care lines; ties → the most recent service date, then the lowest practice_id.
/// Indexed like `Claims::members`.
pub fn claims_attribution(claims: &Claims) -> Vec<u32> {
    let mut out = Vec::with_capacity(claims.members.len());
    for group in claims.pairs.chunk_by(|a, b| a.member == b.member) {
        let best = group
            .iter()
            .max_by(|a, b| a.lines.cmp(&b.lines).then(a.last.cmp(&b.last)).then(b.practice.cmp(&a.practice)))
            .expect("chunks are never empty");
        debug_assert_eq!(best.member as usize, out.len());
        out.push(best.practice);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Pair;

    fn pair(member: u32, practice: u32, lines: u32, last: i32) -> Pair {
        Pair { member, practice, lines, last }
    }

    #[test]
    fn attribution_ties() {
        let claims = Claims {
            members: crate::ingest::claims::MemberIds::from_sorted(["a", "b", "c"]),
            pairs: vec![
                pair(0, 1, 3, 10),
                pair(0, 2, 5, 1),
                pair(1, 0, 2, 5),
                pair(1, 3, 2, 9),
                pair(2, 4, 2, 9),
                pair(2, 6, 2, 9),
            ],
            ..Claims::default()
        };
        assert_eq!(claims_attribution(&claims), vec![2, 3, 4]);
    }
}

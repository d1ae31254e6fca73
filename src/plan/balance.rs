//! The caseload rule (SPEC "Assignment and live caseload balancing"), applied in full after
//! every change. Deterministic: the same plan always gives the same caseloads.

use crate::analysis::Analysis;
use crate::ingest::{Acuity, Dataset};

use super::Plan;

/// Per-member and per-practice facts the rule needs, computed once per dataset.
#[derive(Debug, Clone)]
pub struct PlanContext {
    /// Capacity per care manager (index into `Dataset::care_managers`).
    pub capacity: Vec<u32>,
    /// Per HCBS member (index into `Dataset::assessments`): current care manager.
    pub current: Vec<Option<u32>>,
    /// Per HCBS member: acuity weight.
    pub weight: Vec<f64>,
    /// Per HCBS member: final practice.
    pub practice: Vec<Option<u32>>,
    /// Practices in rank order.
    pub rank_order: Vec<u32>,
    /// Per practice: its HCBS members, high acuity first, then by member id.
    pub members_of: Vec<Vec<u32>>,
    /// Per HCBS member: 0 high, 1 medium, 2 low or blank (placement order).
    pub acuity_rank: Vec<u8>,
}

impl PlanContext {
    pub fn new(ds: &Dataset, analysis: &Analysis) -> Self {
        let cm_index: rustc_hash::FxHashMap<&str, u32> =
            ds.care_managers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect();
        let current = ds.assessments.iter().map(|a| cm_index.get(a.care_manager_id.as_str()).copied()).collect();
        let weight = ds.assessments.iter().map(|a| ds.config.acuity_weight(a.acuity)).collect();
        let practice: Vec<Option<u32>> = analysis.members.iter().map(|m| m.practice).collect();
        let mut members_of = vec![Vec::new(); ds.roster.practices.len()];
        for (m, p) in practice.iter().enumerate() {
            if let Some(p) = p {
                members_of[*p as usize].push(m as u32);
            }
        }
        let acuity_rank: Vec<u8> = ds
            .assessments
            .iter()
            .map(|a| match a.acuity {
                Acuity::High => 0,
                Acuity::Medium => 1,
                Acuity::Low | Acuity::Blank => 2,
            })
            .collect();
        for list in &mut members_of {
            // Assessments are sorted by member id, so index order is id order.
            list.sort_by_key(|&m| (acuity_rank[m as usize], m));
        }
        PlanContext {
            capacity: ds.care_managers.iter().map(|c| c.capacity).collect(),
            current,
            weight,
            practice,
            rank_order: analysis.ranked.iter().map(|r| r.practice).collect(),
            members_of,
            acuity_rank,
        }
    }

    /// A member's practice under the plan: a review decision, else the final practice.
    pub fn practice_of(&self, plan: &Plan, m: u32) -> Option<u32> {
        plan.review.get(&m).copied().or(self.practice[m as usize])
    }

    /// Members moved into each practice by review decisions, in placement order.
    fn moved_in(&self, plan: &Plan) -> rustc_hash::FxHashMap<u32, Vec<u32>> {
        let mut extra: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
        for (&m, &p) in &plan.review {
            if self.practice[m as usize] != Some(p) {
                extra.entry(p).or_default().push(m);
            }
        }
        for list in extra.values_mut() {
            list.sort_by_key(|&m| (self.acuity_rank[m as usize], m));
        }
        extra
    }

    fn members_with(&self, plan: &Plan, p: u32, extra: &rustc_hash::FxHashMap<u32, Vec<u32>>) -> Vec<u32> {
        let own = self.members_of[p as usize].iter().copied().filter(|m| plan.review.get(m).is_none_or(|&q| q == p));
        match extra.get(&p) {
            None => own.collect(),
            Some(added) => {
                let mut all: Vec<u32> = own.chain(added.iter().copied()).collect();
                all.sort_by_key(|&m| (self.acuity_rank[m as usize], m));
                all
            }
        }
    }

    /// A practice's HCBS members under the plan (review decisions applied), placement order.
    pub fn members_at(&self, plan: &Plan, p: u32) -> Vec<u32> {
        self.members_with(plan, p, &self.moved_in(plan))
    }

    pub fn members(&self) -> usize {
        self.current.len()
    }

    /// Caseloads before any assignment: every member with their current care manager.
    pub fn start(&self) -> Caseloads {
        self.balance(&Plan::empty(self.members_of.len()))
    }

    /// Applies the caseload rule to `plan`.
    pub fn balance(&self, plan: &Plan) -> Caseloads {
        let n_cm = self.capacity.len();
        let mut assigned: Vec<Option<u32>> = vec![None; self.members()];
        let mut overflow = vec![false; self.members()];
        let mut count = vec![0u32; n_cm];
        let mut load = vec![0.0f64; n_cm];
        let mut settled = vec![false; self.members()];
        let mut place = |m: usize, cm: Option<u32>, count: &mut [u32], load: &mut [f64]| {
            assigned[m] = cm;
            if let Some(c) = cm {
                count[c as usize] += 1;
                load[c as usize] += self.weight[m];
            }
        };
        // Steps 1 and 4: continuity, and members whose practice has no care manager.
        for (m, settled) in settled.iter_mut().enumerate() {
            let cms = self.practice_of(plan, m as u32).map_or([None, None], |p| plan.slots[p as usize]);
            let cur = self.current[m];
            *settled = cms.iter().all(Option::is_none) || (cur.is_some() && cms.contains(&cur));
            if *settled {
                place(m, cur, &mut count, &mut load);
            }
        }
        // Step 2: the rest, practice by practice in rank order, to the lighter CM with room.
        let mut practice_overflow = vec![0u32; self.members_of.len()];
        let extra = self.moved_in(plan);
        for &p in &self.rank_order {
            let cms = plan.slots[p as usize];
            if cms.iter().all(Option::is_none) {
                continue;
            }
            for m in self.members_with(plan, p, &extra) {
                let m = m as usize;
                if settled[m] {
                    continue;
                }
                let best = cms
                    .iter()
                    .flatten()
                    .filter(|&&c| count[c as usize] < self.capacity[c as usize])
                    .min_by(|&&a, &&b| load[a as usize].total_cmp(&load[b as usize]));
                match best {
                    Some(&c) => place(m, Some(c), &mut count, &mut load),
                    None => {
                        // Step 3: no room. The member keeps their current CM; as SPEC words
                        // it, room counts steps 1 and 4 and placed members only, so overflow
                        // joins the counts after step 2.
                        overflow[m] = true;
                        practice_overflow[p as usize] += 1;
                    }
                }
            }
        }
        for m in (0..self.members()).filter(|&m| overflow[m]) {
            place(m, self.current[m], &mut count, &mut load);
        }
        Caseloads { assigned, overflow, count, load, practice_overflow }
    }
}

/// The result of the rule: who is with whom, and each care manager's load.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseloads {
    /// Per HCBS member: care manager after the plan.
    pub assigned: Vec<Option<u32>>,
    /// Per HCBS member: found no room with their practice's care managers.
    pub overflow: Vec<bool>,
    /// Per care manager: members.
    pub count: Vec<u32>,
    /// Per care manager: weighted load.
    pub load: Vec<f64>,
    /// Per practice: members that found no room.
    pub practice_overflow: Vec<u32>,
}

/// Members moving in and out of one care manager's caseload against the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    pub members_in: u32,
    pub members_out: u32,
}

impl Caseloads {
    /// In/out per care manager compared with `start`.
    pub fn moves(&self, start: &Caseloads) -> Vec<Moves> {
        let mut out = vec![Moves::default(); self.count.len()];
        for (now, before) in self.assigned.iter().zip(&start.assigned) {
            if now != before {
                if let Some(c) = now {
                    out[*c as usize].members_in += 1;
                }
                if let Some(c) = before {
                    out[*c as usize].members_out += 1;
                }
            }
        }
        out
    }

    /// Members whose care manager changed against `start`.
    pub fn changed(&self, start: &Caseloads) -> usize {
        self.assigned.iter().zip(&start.assigned).filter(|(a, b)| a != b).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three practices ranked 0, 1, 2; members (practice, current CM, weight) in id order.
    fn ctx(capacity: Vec<u32>, members: &[(Option<u32>, Option<u32>, f64)]) -> PlanContext {
        let mut members_of = vec![Vec::new(); 3];
        for (m, (p, _, _)) in members.iter().enumerate() {
            if let Some(p) = p {
                members_of[*p as usize].push(m as u32);
            }
        }
        for list in &mut members_of {
            list.sort_by(|&a, &b| members[b as usize].2.total_cmp(&members[a as usize].2).then(a.cmp(&b)));
        }
        PlanContext {
            acuity_rank: members
                .iter()
                .map(|m| {
                    if m.2 >= 2.0 {
                        0
                    } else if m.2 >= 1.5 {
                        1
                    } else {
                        2
                    }
                })
                .collect(),
            capacity,
            current: members.iter().map(|m| m.1).collect(),
            weight: members.iter().map(|m| m.2).collect(),
            practice: members.iter().map(|m| m.0).collect(),
            rank_order: vec![0, 1, 2],
            members_of,
        }
    }

    #[test]
    fn continuity_split_overflow() {
        // CMs 0 (cap 3), 1 (cap 2), 2 (cap 5).
        let c = ctx(
            vec![3, 2, 5],
            &[
                (Some(0), Some(1), 1.0), // stays with CM 1 (continuity)
                (Some(0), Some(2), 2.0), // high: placed first, to the lighter of 0/1
                (Some(0), None, 1.0),
                (Some(0), None, 1.0),
                (Some(0), Some(2), 1.5),
                (Some(0), None, 1.0),    // no room left: overflow, keeps no CM
                (Some(1), Some(2), 1.0), // practice without CMs: keeps CM 2
                (None, Some(0), 1.0),    // no practice: keeps CM 0
            ],
        );
        let mut plan = Plan::empty(3);
        plan.slots[0] = [Some(0), Some(1)];
        let r = c.balance(&plan);
        // Start: CM0 has member 7 (1.0), CM1 has member 0 (1.0).
        // High member 1 → CM0 (load 1.0 vs 1.0: tie → slot 1, CM0). Then 1.5 (member 4) →
        // CM1 (1.0 < 3.0). Then members 2, 3, 5 (weight 1.0, id order): 2 → CM0? loads CM0 3.0,
        // CM1 2.5 → CM1 but CM1 is full (2 members) → CM0 (count 2 < 3) → CM0 full; 3 and 5
        // overflow.
        assert_eq!(r.assigned, vec![Some(1), Some(0), Some(0), None, Some(1), None, Some(2), Some(0)]);
        assert_eq!(r.overflow, vec![false, false, false, true, false, true, false, false]);
        assert_eq!(r.practice_overflow, vec![2, 0, 0]);
        assert_eq!(r.count, vec![3, 2, 1]);
        assert!(r.count.iter().zip(&c.capacity).all(|(n, cap)| n <= cap));
        let start = c.start();
        assert_eq!(start.assigned, c.current);
        let moves = r.moves(&start);
        assert_eq!(moves[0], Moves { members_in: 2, members_out: 0 });
        assert_eq!(moves[1], Moves { members_in: 1, members_out: 0 });
        assert_eq!(moves[2], Moves { members_in: 0, members_out: 2 });
        assert_eq!(r.changed(&start), 3);
    }

    #[test]
    fn review_decisions_move_members_between_practices() {
        let c = ctx(vec![5, 5], &[(Some(0), None, 1.0), (Some(1), None, 2.0), (None, None, 1.0)]);
        let mut plan = Plan::empty(3);
        plan.slots[0] = [Some(0), None];
        plan.slots[1] = [Some(1), None];
        plan.review.insert(1, 0);
        plan.review.insert(2, 1);
        assert_eq!(c.members_at(&plan, 0), vec![1, 0], "high acuity first");
        assert_eq!(c.members_at(&plan, 1), vec![2]);
        let r = c.balance(&plan);
        assert_eq!(r.assigned, vec![Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn over_capacity_from_the_start_is_kept_not_added_to() {
        // CM 0 (cap 1) already has two members of practice 0 (continuity keeps both).
        let c = ctx(vec![1, 5], &[(Some(0), Some(0), 1.0), (Some(0), Some(0), 1.0), (Some(0), None, 1.0)]);
        let mut plan = Plan::empty(3);
        plan.slots[0] = [Some(0), None];
        let r = c.balance(&plan);
        assert_eq!(r.count[0], 2, "continuity may exceed capacity");
        assert!(r.overflow[2], "but nobody new is added");
        plan.slots[0] = [Some(0), Some(1)];
        let r = c.balance(&plan);
        assert_eq!(r.assigned[2], Some(1));
    }
}

//! Auto-suggest: care managers for the high-volume practices that have none.
//!
//! Method: a greedy construction in rank order, then a deterministic local search.
//! - Construction: for each practice, candidate care managers are those already serving its
//!   members, the roomiest in its county and the roomiest overall. Each is scored on a
//!   projection of the caseload rule (continuity first, the rest placed while there is room)
//!   by, in order: members left without room (overflow), members who change care manager,
//!   a different county, and spare room left (even loads). A second care manager is added
//!   when the first cannot hold the practice.
//! - Local search: for the first practices of the proposal, each care manager is swapped for
//!   the next candidates and the swap kept when the real caseload rule scores better overall.
//!   Iteration counts are fixed, so the same input always gives the same proposal.
//!
//! Practices the user already assigned are never touched.

use super::{Caseloads, Edit, Plan, PlanContext};

/// The figures a proposal is judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// High-volume practices with at least one care manager.
    pub covered: usize,
    pub high_volume: usize,
    /// Members whose care manager changes against the start.
    pub members_changed: usize,
    /// Members of assigned practices who found no room.
    pub overflow: usize,
    pub max_utilization: f64,
    pub mean_utilization: f64,
    /// Share of assigned practice slots held by a care manager of the practice's county.
    pub same_county: f64,
    /// Care managers over capacity.
    pub over_capacity: usize,
}

impl Figures {
    /// Lower is better, objectives in the order they count.
    pub fn key(&self) -> (usize, usize, usize, usize, i64, i64) {
        (
            self.high_volume - self.covered,
            self.over_capacity,
            self.overflow,
            self.members_changed,
            (-(self.same_county * 1000.0)) as i64,
            (self.max_utilization * 1000.0) as i64,
        )
    }
}

/// What auto-suggest needs besides the plan context.
pub struct Inputs<'a> {
    pub ctx: &'a PlanContext,
    /// County of each practice (may be blank).
    pub practice_county: &'a [String],
    /// County of each care manager.
    pub cm_county: &'a [String],
    /// High-volume practices, in rank order.
    pub high_volume: &'a [u32],
}

/// The owned data behind [`Inputs`], taken from a dataset.
pub struct Data {
    pub practice_county: Vec<String>,
    pub cm_county: Vec<String>,
    pub high_volume: Vec<u32>,
}

impl Data {
    pub fn new(ds: &crate::ingest::Dataset, analysis: &crate::analysis::Analysis, threshold: u32) -> Self {
        Data {
            practice_county: ds.roster.practices.iter().map(|p| p.county.clone()).collect(),
            cm_county: ds.care_managers.iter().map(|c| c.county.clone()).collect(),
            high_volume: analysis.ranked.iter().take_while(|r| r.duals_seen >= threshold).map(|r| r.practice).collect(),
        }
    }

    pub fn inputs<'a>(&'a self, ctx: &'a PlanContext) -> Inputs<'a> {
        Inputs {
            ctx,
            practice_county: &self.practice_county,
            cm_county: &self.cm_county,
            high_volume: &self.high_volume,
        }
    }
}

impl Figures {
    /// One line for the status bar and stderr; says so when the care managers cannot hold
    /// everyone within capacity.
    pub fn summary(&self) -> String {
        let mut text = self.figures_text();
        if self.over_capacity > 0 {
            text.push_str(
                " (no plan found keeps every CM within capacity; the worst overload is kept as low as found)",
            );
        }
        text
    }

    fn figures_text(&self) -> String {
        format!(
            "{}/{} high-volume practices covered, {} members change CM, {} overflow, utilization max {:.0}% mean {:.0}%, {:.0}% same-county, {} CMs over capacity",
            self.covered,
            self.high_volume,
            self.members_changed,
            self.overflow,
            self.max_utilization * 100.0,
            self.mean_utilization * 100.0,
            self.same_county * 100.0,
            self.over_capacity
        )
    }
}

/// A proposal: the edit to apply (one undo step) and its figures.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub edit: Edit,
    pub plan: Plan,
    pub figures: Figures,
}

impl Inputs<'_> {
    fn same_county(&self, p: u32, c: u32) -> bool {
        let pc = &self.practice_county[p as usize];
        !pc.is_empty() && pc.eq_ignore_ascii_case(&self.cm_county[c as usize])
    }

    /// Figures of a plan.
    pub fn figures(&self, plan: &Plan, start: &Caseloads) -> Figures {
        let now = self.ctx.balance(plan);
        let cap = &self.ctx.capacity;
        let util: Vec<f64> = now
            .count
            .iter()
            .zip(cap)
            .map(|(&n, &c)| if c == 0 { f64::from(n) } else { f64::from(n) / f64::from(c) })
            .collect();
        let (mut slots, mut local) = (0usize, 0usize);
        for (p, s) in plan.slots.iter().enumerate() {
            for c in s.iter().flatten() {
                slots += 1;
                local += usize::from(self.same_county(p as u32, *c));
            }
        }
        Figures {
            covered: self.high_volume.iter().filter(|&&p| plan.slots[p as usize][0].is_some()).count(),
            high_volume: self.high_volume.len(),
            members_changed: now.changed(start),
            overflow: now.practice_overflow.iter().map(|&n| n as usize).sum(),
            max_utilization: util.iter().copied().fold(0.0, f64::max),
            mean_utilization: if util.is_empty() { 0.0 } else { util.iter().sum::<f64>() / util.len() as f64 },
            same_county: if slots == 0 { 0.0 } else { local as f64 / slots as f64 },
            over_capacity: now.count.iter().zip(cap).filter(|(n, c)| n > c).count(),
        }
    }

    /// Candidate care managers for a practice, best first by the projected score.
    fn candidates(&self, p: u32, members: &[u32], count: &[i64], exclude: Option<u32>) -> Vec<(Score, u32)> {
        let ctx = self.ctx;
        let n_cm = ctx.capacity.len() as u32;
        let room = |c: u32| i64::from(ctx.capacity[c as usize]) - count[c as usize];
        let mut pool: Vec<u32> = members.iter().filter_map(|&m| ctx.current[m as usize]).collect();
        // The roomiest 30 in the county and overall (partial selection, not a full sort).
        let key = |c: &u32| (std::cmp::Reverse(room(*c)), *c);
        let roomiest = |mut list: Vec<u32>| {
            if list.len() > 30 {
                list.select_nth_unstable_by_key(29, key);
                list.truncate(30);
            }
            list
        };
        pool.extend(roomiest((0..n_cm).filter(|&c| self.same_county(p, c)).collect()));
        pool.extend(roomiest((0..n_cm).collect()));
        let mut serves: rustc_hash::FxHashMap<u32, i64> = rustc_hash::FxHashMap::default();
        for &m in members {
            if let Some(c) = ctx.current[m as usize] {
                *serves.entry(c).or_default() += 1;
            }
        }
        pool.sort_unstable();
        pool.dedup();
        // For one care manager the rule has a closed form: its own members stay, the others
        // move in while there is room.
        let n = members.len() as i64;
        let mut scored: Vec<(Score, u32)> = pool
            .into_iter()
            .filter(|&c| Some(c) != exclude)
            .map(|c| {
                let others = n - serves.get(&c).copied().unwrap_or(0);
                let placed = others.min(room(c).max(0));
                let score = Score {
                    overflow: others - placed,
                    changed: placed,
                    county: i64::from(!self.same_county(p, c)),
                    neg_spare: placed - room(c),
                };
                (score, c)
            })
            .collect();
        scored.sort();
        scored
    }

    /// Projects the caseload rule for one practice with `cms`: (score, count changes).
    fn project(&self, p: u32, members: &[u32], count: &[i64], cms: &[u32]) -> (Score, Vec<(u32, i64)>) {
        let ctx = self.ctx;
        let mut delta: Vec<(u32, i64)> = Vec::new();
        let add = |c: u32, d: i64, delta: &mut Vec<(u32, i64)>| match delta.iter_mut().find(|x| x.0 == c) {
            Some(x) => x.1 += d,
            None => delta.push((c, d)),
        };
        let (mut overflow, mut changed) = (0i64, 0i64);
        for &m in members {
            let cur = ctx.current[m as usize];
            if cur.is_some_and(|c| cms.contains(&c)) {
                continue;
            }
            let now = |c: u32, delta: &Vec<(u32, i64)>| {
                count[c as usize] + delta.iter().find(|x| x.0 == c).map_or(0, |x| x.1)
            };
            let target = cms
                .iter()
                .copied()
                .filter(|&c| now(c, &delta) < i64::from(ctx.capacity[c as usize]))
                .min_by_key(|&c| now(c, &delta));
            match target {
                Some(c) => {
                    changed += 1;
                    add(c, 1, &mut delta);
                    if let Some(d) = cur {
                        add(d, -1, &mut delta);
                    }
                }
                None => overflow += 1,
            }
        }
        let county = cms.iter().filter(|&&c| !self.same_county(p, c)).count() as i64;
        let spare: i64 = cms
            .iter()
            .map(|&c| {
                i64::from(ctx.capacity[c as usize])
                    - count[c as usize]
                    - delta.iter().find(|x| x.0 == c).map_or(0, |x| x.1)
            })
            .min()
            .unwrap_or(0);
        (Score { overflow, changed, county, neg_spare: -spare }, delta)
    }

    /// Greedy construction on top of `plan` (assigned practices are kept).
    fn construct(&self, plan: &Plan, count: &mut [i64], pick: impl Fn(&Self, u32, &[u32], &[i64]) -> Vec<u32>) -> Plan {
        let mut out = plan.clone();
        for &p in self.high_volume {
            if out.slots[p as usize][0].is_some() {
                continue;
            }
            let members = self.ctx.members_at(&out, p);
            let cms = pick(self, p, &members, count);
            if cms.is_empty() {
                continue;
            }
            let (_, delta) = self.project(p, &members, count, &cms);
            for (c, d) in delta {
                count[c as usize] += d;
            }
            out.slots[p as usize] = [cms.first().copied(), cms.get(1).copied()];
        }
        out
    }

    fn greedy_pick(&self, p: u32, members: &[u32], count: &[i64]) -> Vec<u32> {
        let Some(&(score, first)) = self.candidates(p, members, count, None).first() else { return Vec::new() };
        if score.overflow == 0 {
            return vec![first];
        }
        // One cannot hold the practice: the best partner for the first.
        let best_pair = self
            .candidates(p, members, count, Some(first))
            .into_iter()
            .take(12)
            .map(|(_, c)| (self.project(p, members, count, &[first, c]).0, c))
            .min();
        match best_pair {
            Some((pair, second)) if pair < score => vec![first, second],
            _ => vec![first],
        }
    }

    /// The proposal for the high-volume practices without a care manager.
    pub fn suggest(&self, plan: &Plan, start: &Caseloads) -> Proposal {
        let mut count: Vec<i64> = self.ctx.balance(plan).count.iter().map(|&n| i64::from(n)).collect();
        let mut best = self.construct(plan, &mut count, Self::greedy_pick);
        let mut best_key = self.figures(&best, start).key();
        // Each trial re-applies the caseload rule to every member: the number of trials is
        // set by the data size (not by a clock), so the result is deterministic and a
        // state-sized run stays within about a second.
        let budget = std::cell::Cell::new((20_000_000 / (self.ctx.members() + 1000)).clamp(20, 5000));
        let try_plan = |trial: &Plan, best: &mut Plan, best_key: &mut (usize, usize, usize, usize, i64, i64)| {
            if budget.get() == 0 {
                return false;
            }
            budget.set(budget.get() - 1);
            let key = self.figures(trial, start).key();
            if key < *best_key {
                *best_key = key;
                *best = trial.clone();
                true
            } else {
                false
            }
        };
        // Local search: swap each proposed care manager of the first practices for the next
        // candidates, keeping a swap when the whole plan scores better under the real rule.
        let proposed: Vec<u32> = self
            .high_volume
            .iter()
            .copied()
            .filter(|&p| plan.slots[p as usize][0].is_none())
            .take(LOCAL_PRACTICES)
            .collect();
        // Small instances get every care manager as an alternative and a second pass.
        let n_cm = self.ctx.capacity.len();
        let (alternatives, passes) = if n_cm <= 20 { (n_cm, 4) } else { (LOCAL_ALTERNATIVES, 1) };
        for _ in 0..passes {
            // Swaps: two proposed practices exchange their first care managers.
            for (i, &p) in proposed.iter().enumerate() {
                for &q in proposed.iter().skip(i + 1).take(LOCAL_SWAPS) {
                    let mut trial = best.clone();
                    let (a, b) = (trial.slots[p as usize][0], trial.slots[q as usize][0]);
                    if a == b || trial.slots[p as usize][1] == b || trial.slots[q as usize][1] == a {
                        continue;
                    }
                    trial.slots[p as usize][0] = b;
                    trial.slots[q as usize][0] = a;
                    try_plan(&trial, &mut best, &mut best_key);
                }
            }
            for &p in &proposed {
                if budget.get() == 0 {
                    break;
                }
                for slot in 0..2 {
                    // Slot 1 is replaced; slot 2 is replaced, added or dropped.
                    let current = best.slots[p as usize][slot];
                    if slot == 0 && current.is_none() {
                        continue;
                    }
                    let mut trial = best.clone();
                    trial.slots[p as usize][slot] = None;
                    if slot == 1 && current.is_some() && try_plan(&trial, &mut best, &mut best_key) {
                        continue;
                    }
                    budget.set(budget.get().saturating_sub(1));
                    let counts: Vec<i64> = self.ctx.balance(&trial).count.iter().map(|&n| i64::from(n)).collect();
                    let members = self.ctx.members_at(&trial, p);
                    let other = trial.slots[p as usize][1 - slot];
                    let options: Vec<u32> = self
                        .candidates(p, &members, &counts, current)
                        .into_iter()
                        .map(|(_, c)| c)
                        .filter(|&c| Some(c) != other)
                        .take(alternatives)
                        .collect();
                    for c in options {
                        trial.slots[p as usize][slot] = Some(c);
                        try_plan(&trial, &mut best, &mut best_key);
                    }
                }
            }
        }
        self.proposal(plan, best, start)
    }

    /// The simple baseline: the care manager with most spare room, ignoring continuity and
    /// county (a second when the first cannot hold the practice).
    pub fn baseline(&self, plan: &Plan, start: &Caseloads) -> Proposal {
        let mut count: Vec<i64> = self.ctx.balance(plan).count.iter().map(|&n| i64::from(n)).collect();
        let built = self.construct(plan, &mut count, |me, _p, members, count| {
            let room = |c: u32| i64::from(me.ctx.capacity[c as usize]) - count[c as usize];
            let mut cms: Vec<u32> = (0..me.ctx.capacity.len() as u32).collect();
            cms.sort_by_key(|&c| (std::cmp::Reverse(room(c)), c));
            let first = cms.first().copied();
            match first {
                Some(f) if room(f) >= members.len() as i64 => vec![f],
                Some(f) => {
                    cms.into_iter().take(2).collect::<Vec<_>>().into_iter().filter(|&c| c == f || room(c) > 0).collect()
                }
                None => Vec::new(),
            }
        });
        self.proposal(plan, built, start)
    }

    fn proposal(&self, before: &Plan, after: Plan, start: &Caseloads) -> Proposal {
        let edit = Edit {
            slots: (0..after.slots.len() as u32)
                .filter(|&p| before.slots[p as usize] != after.slots[p as usize])
                .map(|p| (p, before.slots[p as usize], after.slots[p as usize]))
                .collect(),
            ..Edit::default()
        };
        let figures = self.figures(&after, start);
        Proposal { edit, plan: after, figures }
    }
}

/// Practices and alternatives the local search tries (fixed, for determinism and speed).
const LOCAL_PRACTICES: usize = 40;
const LOCAL_ALTERNATIVES: usize = 3;
const LOCAL_SWAPS: usize = 8;

/// A projected score for one practice; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    overflow: i64,
    changed: i64,
    county: i64,
    neg_spare: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A practice: county, members as (current CM, weight).
    type TestPractice<'a> = (&'a str, Vec<(Option<u32>, f64)>);

    /// A small world: practices, CMs (county, cap).
    fn world(practices: &[TestPractice], cms: &[(&str, u32)]) -> (PlanContext, Vec<String>, Vec<String>) {
        let mut current = Vec::new();
        let mut weight = Vec::new();
        let mut practice = Vec::new();
        let mut members_of = vec![Vec::new(); practices.len()];
        for (p, (_, members)) in practices.iter().enumerate() {
            for &(cur, w) in members {
                members_of[p].push(current.len() as u32);
                current.push(cur);
                weight.push(w);
                practice.push(Some(p as u32));
            }
        }
        let ctx = PlanContext {
            capacity: cms.iter().map(|c| c.1).collect(),
            acuity_rank: weight.iter().map(|&w| if w >= 2.0 { 0 } else { 2 }).collect(),
            current,
            weight,
            practice,
            rank_order: (0..practices.len() as u32).collect(),
            members_of,
        };
        (ctx, practices.iter().map(|p| p.0.to_string()).collect(), cms.iter().map(|c| c.0.to_string()).collect())
    }

    fn brute_force(inputs: &Inputs, start: &Caseloads) -> Figures {
        let n_cm = inputs.ctx.capacity.len() as u32;
        let targets = inputs.high_volume;
        // Each practice: one CM, or two in either slot order (slot 1 wins ties).
        let mut options: Vec<[Option<u32>; 2]> = (0..n_cm).map(|c| [Some(c), None]).collect();
        for a in 0..n_cm {
            for b in (0..n_cm).filter(|&b| b != a) {
                options.push([Some(a), Some(b)]);
            }
        }
        let mut best: Option<Figures> = None;
        let total = options.len().pow(targets.len() as u32);
        for code in 0..total {
            let mut plan = Plan::empty(inputs.practice_county.len());
            let mut k = code;
            for &p in targets {
                plan.slots[p as usize] = options[k % options.len()];
                k /= options.len();
            }
            let f = inputs.figures(&plan, start);
            if best.is_none_or(|b| f.key() < b.key()) {
                best = Some(f);
            }
        }
        best.unwrap()
    }

    #[test]
    fn prefers_continuity_county_and_room() {
        let (ctx, pc, cc) = world(
            &[
                ("A", vec![(Some(1), 1.0), (Some(1), 1.0), (Some(2), 1.0), (None, 1.0)]),
                ("B", vec![(Some(0), 1.0), (None, 2.0)]),
            ],
            &[("B", 5), ("A", 5), ("A", 5), ("A", 1)],
        );
        let start = ctx.start();
        let inputs = Inputs { ctx: &ctx, practice_county: &pc, cm_county: &cc, high_volume: &[0, 1] };
        let p = inputs.suggest(&Plan::empty(2), &start);
        // The CM already serving most members, and the one serving another as second: fewer
        // members change CM that way.
        assert_eq!(p.plan.slots[0], [Some(1), Some(2)]);
        assert_eq!(p.plan.slots[1], [Some(0), None]);
        assert_eq!(p.figures.covered, 2);
        assert_eq!(p.figures.over_capacity, 0);
        assert_eq!(p.figures.members_changed, 2);
        assert_eq!(p.edit.slots.len(), 2);
        // Already assigned practices stay.
        let mut user = Plan::empty(2);
        user.slots[0] = [Some(3), None];
        let p = inputs.suggest(&user, &start);
        assert_eq!(p.plan.slots[0], [Some(3), None]);
        assert_eq!(p.edit.slots.len(), 1);
    }

    #[test]
    fn a_big_practice_gets_two_and_is_near_optimal() {
        // Deterministic pseudo-random small instances, compared with brute force.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let counties = ["A", "B", "C"];
        let (mut greedy_worse, mut runs, mut gap) = (0, 0, 0);
        for _ in 0..12 {
            let n_cm = 4 + next(2) as usize;
            let cms: Vec<(&str, u32)> = (0..n_cm).map(|_| (counties[next(3) as usize], 3 + next(6) as u32)).collect();
            let practices: Vec<TestPractice> = (0..3)
                .map(|_| {
                    let n = 2 + next(8) as usize;
                    let members = (0..n)
                        .map(|_| (if next(4) == 0 { None } else { Some(next(n_cm as u64) as u32) }, 1.0))
                        .collect();
                    (counties[next(3) as usize], members)
                })
                .collect();
            let (ctx, pc, cc) = world(&practices, &cms);
            let start = ctx.start();
            let inputs = Inputs { ctx: &ctx, practice_county: &pc, cm_county: &cc, high_volume: &[0, 1, 2] };
            let got = inputs.suggest(&Plan::empty(3), &start).figures;
            let opt = brute_force(&inputs, &start);
            let base = inputs.baseline(&Plan::empty(3), &start).figures;
            assert!(got.key() >= opt.key(), "nothing beats brute force");
            assert!(got.key() <= base.key() || got.overflow <= base.overflow, "{got:?} vs baseline {base:?}");
            assert_eq!(got.covered, 3);
            runs += 1;
            if got.key() != opt.key() {
                greedy_worse += 1;
                gap = gap.max(got.overflow - opt.overflow);
            }
        }
        println!(
            "auto-suggest vs brute force: optimal in {}/{runs} small instances, worst overflow gap {gap}",
            runs - greedy_worse
        );
        assert!(greedy_worse * 2 <= runs, "optimal in most small instances: {greedy_worse}/{runs} not");
        assert!(gap <= 2, "overflow gap {gap}");
    }
}

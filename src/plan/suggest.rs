//! Auto-suggest: care managers for the high-volume practices that have none, judged by the
//! caseload rule itself.
//!
//! Objectives, in the order they count:
//! 0. never more CMs over capacity than the plan it starts from (a constraint: that plan is
//!    always a candidate, so the proposal can always meet it);
//! 1. more members of high-volume practices aligned with one of their practice's CMs;
//! 2. fewer members who change CM;
//! 3. fewer CMs outside their practice's county;
//! 4. even utilization (the sum of squared utilizations);
//! 5. more high-volume practices covered, then fewer CMs used.
//!
//! Method, deterministic (fixed iteration counts, no clock, no randomness):
//! - Construction, practices in rank order: the candidates are the picker's best fits
//!   ([`super::fit`]), the CMs already serving most of the practice's members (who stay
//!   without moving, even with a CM who has no room) and the roomiest CMs anywhere. Each
//!   candidate alone and each pair is scored by running the rule on that practice's members
//!   against the running caseloads. The baseline's construction (most room first) is a
//!   second start; the better of the two goes on.
//! - Local search on the real rule: for the proposed practices, those with overflow first,
//!   each CM is replaced by the next fits, a second CM added or dropped, and a change kept
//!   when the whole plan scores better.
//! - Guard: should the plan still have more CMs over capacity than the one it started from
//!   (room taken by a proposed practice that a user-assigned practice's members needed),
//!   proposed practices are dropped, last ranked first, until it has not.
//!
//! Practices the user already assigned are never touched.

use std::cmp::Reverse;

use super::fit::{self, Fit};
use super::{Caseloads, Edit, Plan, PlanContext, Slots};

/// The figures a plan is judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// High-volume practices with at least one care manager.
    pub covered: usize,
    pub high_volume: usize,
    /// HCBS members of the high-volume practices, and how many of them are with one of their
    /// practice's CMs.
    pub hv_members: usize,
    pub aligned: usize,
    /// Members whose care manager changes against the start.
    pub members_changed: usize,
    /// Members of assigned practices who found no room.
    pub overflow: usize,
    pub max_utilization: f64,
    pub mean_utilization: f64,
    /// Share of assigned practice slots held by a care manager of the practice's county.
    pub same_county: f64,
    /// Assigned practice slots held by a CM from another county.
    pub out_of_county: usize,
    /// Care managers over capacity.
    pub over_capacity: usize,
    /// Sum over CMs of utilization² (per mille): lower is more even.
    spread: u64,
    slots: usize,
}

/// The order plans are compared in, lower is better (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Objective {
    over_limit: usize,
    aligned: Reverse<usize>,
    changed: usize,
    out_of_county: usize,
    spread: u64,
    covered: Reverse<usize>,
    slots: usize,
}

impl Figures {
    /// The objective, with CMs over capacity beyond `limit` (the starting plan's) first.
    pub fn objective(&self, limit: usize) -> Objective {
        Objective {
            over_limit: self.over_capacity.saturating_sub(limit),
            aligned: Reverse(self.aligned),
            changed: self.members_changed,
            out_of_county: self.out_of_county,
            spread: self.spread,
            covered: Reverse(self.covered),
            slots: self.slots,
        }
    }

    /// One line for the status bar.
    pub fn summary(&self) -> String {
        let t = |n: usize| crate::fmt::thousands(n as u64);
        format!(
            "{}/{} high-volume practices covered, {}/{} members aligned, {} members change CM, {} overflow, utilization max {:.0}% mean {:.0}%, {:.0}% same-county, {} CMs over capacity",
            t(self.covered),
            t(self.high_volume),
            t(self.aligned),
            t(self.hv_members),
            t(self.members_changed),
            t(self.overflow),
            self.max_utilization * 100.0,
            self.mean_utilization * 100.0,
            self.same_county * 100.0,
            t(self.over_capacity)
        )
    }
}

/// What auto-suggest needs besides the plan context.
pub struct Inputs<'a> {
    pub ctx: &'a PlanContext,
    /// High-volume practices, in rank order.
    pub high_volume: &'a [u32],
}

/// The owned data behind [`Inputs`], taken from a dataset.
pub struct Data {
    pub high_volume: Vec<u32>,
}

impl Data {
    pub fn new(analysis: &crate::analysis::Analysis, threshold: u32) -> Self {
        Data {
            high_volume: analysis.ranked.iter().take_while(|r| r.duals_seen >= threshold).map(|r| r.practice).collect(),
        }
    }

    pub fn inputs<'a>(&'a self, ctx: &'a PlanContext) -> Inputs<'a> {
        Inputs { ctx, high_volume: &self.high_volume }
    }
}

/// One practice of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedPractice {
    pub practice: u32,
    /// Rank (1 = most duals seen).
    pub rank: u32,
    pub county: String,
    /// HCBS members under the plan.
    pub members: u32,
    pub cms: Slots,
    /// Members who find no room with the proposed CMs and keep their current CM.
    pub overflow: u32,
}

/// A care manager whose caseload the proposal changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadChange {
    pub cm: u32,
    pub capacity: u32,
    pub members_before: u32,
    pub members_after: u32,
    pub load_before: f64,
    pub load_after: f64,
}

/// A proposal: the edit to apply (one undo step), the plan it gives, and what it changes.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub edit: Edit,
    pub plan: Plan,
    /// Figures of the plan it starts from, and of the proposal.
    pub before: Figures,
    pub figures: Figures,
    /// The proposed practices, in rank order.
    pub practices: Vec<ProposedPractice>,
    /// CMs whose members or load change, by care manager index.
    pub cms: Vec<LoadChange>,
}

impl Proposal {
    /// The totals, before → after, as the TUI and `export --auto` print them.
    pub fn totals(&self) -> String {
        let (b, f) = (&self.before, &self.figures);
        let t = |n: usize| crate::fmt::thousands(n as u64);
        format!(
            "{} practices proposed, {} CMs' caseloads change; members aligned {} → {} of {}; overflow {} → {}; members changing CM {} → {}; CMs over capacity {} → {}; same county {:.0}%; utilization max {:.0}% → {:.0}%",
            t(self.practices.len()),
            t(self.cms.len()),
            t(b.aligned),
            t(f.aligned),
            t(f.hv_members),
            t(b.overflow),
            t(f.overflow),
            t(b.members_changed),
            t(f.members_changed),
            t(b.over_capacity),
            t(f.over_capacity),
            f.same_county * 100.0,
            b.max_utilization * 100.0,
            f.max_utilization * 100.0
        )
    }
}

/// Running caseloads during construction.
struct Sim {
    assigned: Vec<Option<u32>>,
    count: Vec<u32>,
    load: Vec<i64>,
}

/// A candidate set's effect on one practice, lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    aligned: Reverse<usize>,
    moved: usize,
    out_of_county: usize,
    spread: i64,
    covered: Reverse<bool>,
    slots: usize,
}

/// Utilization² in per mille², the unit of "even utilization".
fn util_sq(count: u32, capacity: u32) -> u64 {
    let u = u64::from(count) * 1000 / u64::from(capacity.max(1));
    u * u
}

impl Inputs<'_> {
    /// Figures of a plan.
    pub fn figures(&self, plan: &Plan, start: &Caseloads) -> Figures {
        self.figures_of(plan, &self.ctx.balance(plan), start)
    }

    fn figures_of(&self, plan: &Plan, now: &Caseloads, start: &Caseloads) -> Figures {
        let ctx = self.ctx;
        let cap = &ctx.capacity;
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
                local += usize::from(ctx.same_county(p as u32, *c));
            }
        }
        let extra = ctx.moved_in(plan);
        let (mut hv_members, mut aligned) = (0, 0);
        for &p in self.high_volume {
            let cms = plan.slots[p as usize];
            let members = ctx.members_with(plan, p, &extra);
            hv_members += members.len();
            aligned +=
                members.iter().filter(|&&m| now.assigned[m as usize].is_some_and(|c| cms.contains(&Some(c)))).count();
        }
        Figures {
            covered: self.high_volume.iter().filter(|&&p| plan.slots[p as usize][0].is_some()).count(),
            high_volume: self.high_volume.len(),
            hv_members,
            aligned,
            members_changed: now.changed(start),
            overflow: now.total_overflow(),
            max_utilization: util.iter().copied().fold(0.0, f64::max),
            mean_utilization: if util.is_empty() { 0.0 } else { util.iter().sum::<f64>() / util.len() as f64 },
            same_county: if slots == 0 { 0.0 } else { local as f64 / slots as f64 },
            out_of_county: slots - local,
            over_capacity: now.over_capacity(cap),
            spread: now.count.iter().zip(cap).map(|(&n, &c)| util_sq(n, c)).sum(),
            slots,
        }
    }

    fn sim(&self, plan: &Plan) -> Sim {
        let now = self.ctx.balance(plan);
        let mut load = vec![0i64; self.ctx.care_managers()];
        for (m, c) in now.assigned.iter().enumerate() {
            if let Some(c) = c {
                load[*c as usize] += i64::from(self.ctx.weight_milli[m]);
            }
        }
        Sim { assigned: now.assigned, count: now.count, load }
    }

    /// Runs the rule for practice `p` alone with `cms` on the running caseloads: its score and
    /// the moves (member, to).
    fn project(&self, sim: &Sim, p: u32, members: &[u32], cms: Slots) -> (Score, Vec<(u32, u32)>) {
        let ctx = self.ctx;
        // Touched CMs: (cm, count, load, count at start of the projection).
        let mut touched: Vec<(u32, u32, i64, u32)> = Vec::new();
        let at = |c: u32, touched: &mut Vec<(u32, u32, i64, u32)>| -> usize {
            touched.iter().position(|t| t.0 == c).unwrap_or_else(|| {
                touched.push((c, sim.count[c as usize], sim.load[c as usize], sim.count[c as usize]));
                touched.len() - 1
            })
        };
        let (mut aligned, mut moves) = (0, Vec::new());
        for &m in members {
            let from = sim.assigned[m as usize];
            if from.is_some_and(|c| cms.contains(&Some(c))) {
                aligned += 1;
                continue;
            }
            let mut best: Option<usize> = None;
            for c in cms.into_iter().flatten() {
                let i = at(c, &mut touched);
                let (_, n, l, _) = touched[i];
                if n < ctx.capacity[c as usize] && best.is_none_or(|b| l < touched[b].2) {
                    best = Some(i);
                }
            }
            let Some(to) = best else { continue };
            let w = i64::from(ctx.weight_milli[m as usize]);
            touched[to].1 += 1;
            touched[to].2 += w;
            if let Some(f) = from {
                let i = at(f, &mut touched);
                touched[i].1 -= 1;
                touched[i].2 -= w;
            }
            aligned += 1;
            moves.push((m, touched[to].0));
        }
        let spread: i64 = touched
            .iter()
            .map(|&(c, n, _, n0)| {
                let cap = ctx.capacity[c as usize];
                util_sq(n, cap) as i64 - util_sq(n0, cap) as i64
            })
            .sum();
        let score = Score {
            aligned: Reverse(aligned),
            moved: moves.len(),
            out_of_county: cms.iter().flatten().filter(|&&c| !ctx.same_county(p, c)).count(),
            spread,
            covered: Reverse(cms[0].is_some()),
            slots: cms.iter().flatten().count(),
        };
        (score, moves)
    }

    fn apply(&self, sim: &mut Sim, moves: &[(u32, u32)]) {
        for &(m, to) in moves {
            let w = i64::from(self.ctx.weight_milli[m as usize]);
            if let Some(f) = sim.assigned[m as usize] {
                sim.count[f as usize] -= 1;
                sim.load[f as usize] -= w;
            }
            sim.count[to as usize] += 1;
            sim.load[to as usize] += w;
            sim.assigned[m as usize] = Some(to);
        }
    }

    /// Candidates for practice `p`: the CMs serving most of its members, then the best fits.
    fn candidates(&self, p: u32, members: &[u32], count: &[u32], exclude: Slots, k: usize) -> Vec<u32> {
        let mut served: Vec<(u32, u32)> = fit::served(self.ctx, members).into_iter().collect();
        served.sort_unstable_by_key(|&(c, n)| (Reverse(n), c));
        let all = fit::fits(self.ctx, p, members, count, |c| !exclude.contains(&Some(c)));
        // The roomiest anywhere too: where room is short, room aligns more than county.
        let mut roomiest: Vec<Fit> = all.iter().copied().filter(|f| f.has_room).collect();
        if roomiest.len() > 3 {
            roomiest.select_nth_unstable_by_key(2, |f| (Reverse(f.spare), f.cm));
            roomiest.truncate(3);
        }
        roomiest.sort_unstable_by_key(|f| (Reverse(f.spare), f.cm));
        let fits = fit::best(all, k);
        let mut out: Vec<u32> = Vec::new();
        let served = served.iter().map(|s| s.0).filter(|c| !exclude.contains(&Some(*c))).take(3);
        for c in served.chain(fits.iter().map(|f| f.cm)).chain(roomiest.iter().map(|f| f.cm)) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// Greedy construction on top of `plan` (assigned practices are kept).
    fn construct(&self, plan: &Plan, pick: impl Fn(&Self, &Sim, u32, &[u32]) -> Slots) -> Plan {
        let mut out = plan.clone();
        let mut sim = self.sim(plan);
        for &p in self.high_volume {
            if out.slots[p as usize][0].is_some() {
                continue;
            }
            let members = self.ctx.members_at(&out, p);
            let cms = pick(self, &sim, p, &members);
            let (_, moves) = self.project(&sim, p, &members, cms);
            self.apply(&mut sim, &moves);
            out.slots[p as usize] = cms;
        }
        out
    }

    /// The best candidate set for one practice by its projected score (alone or in pairs).
    fn greedy_pick(&self, sim: &Sim, p: u32, members: &[u32]) -> Slots {
        let n_cm = self.ctx.care_managers();
        let k = if n_cm <= 8 { n_cm } else { 8 };
        let cands = self.candidates(p, members, &sim.count, [None, None], k);
        let mut best = (self.project(sim, p, members, [None, None]).0, [None, None]);
        let mut consider = |cms: Slots| {
            let score = self.project(sim, p, members, cms).0;
            if score < best.0 {
                best = (score, cms);
            }
        };
        for &a in &cands {
            consider([Some(a), None]);
        }
        let pairs = &cands[..cands.len().min(7)];
        for &a in pairs {
            for &b in pairs.iter().filter(|&&b| b != a) {
                consider([Some(a), Some(b)]);
            }
        }
        best.1
    }

    /// The proposal for the high-volume practices without a care manager.
    pub fn suggest(&self, plan: &Plan, start: &Caseloads) -> Proposal {
        let before_now = self.ctx.balance(plan);
        let before = self.figures_of(plan, &before_now, start);
        let limit = before.over_capacity;
        // Two starts: the greedy, and the baseline's most-room-first (which moves more members
        // and so frees more room where capacity is short); the better one is improved.
        let (mut best, mut now, mut score) =
            [self.construct(plan, Self::greedy_pick), self.construct(plan, Self::roomiest)]
                .into_iter()
                .map(|p| {
                    let now = self.ctx.balance(&p);
                    let score = self.figures_of(&p, &now, start).objective(limit);
                    (p, now, score)
                })
                .min_by_key(|t| t.2)
                .expect("two starts");
        // Each trial applies the rule to the whole plan: the number of trials is set by the
        // data size (not a clock), so the result is deterministic and a state-sized run stays
        // within about a second.
        let mut budget = (10_000_000 / (self.ctx.members() + 1000)).clamp(50, 4000);
        let small = self.ctx.care_managers() <= 8;
        let proposed: Vec<u32> =
            self.high_volume.iter().copied().filter(|&p| plan.slots[p as usize][0].is_none()).collect();
        for _round in 0..if small { 4 } else { 2 } {
            let mut improved = false;
            // Practices with overflow first: that is where a better CM aligns more members.
            let mut order = proposed.clone();
            order.sort_by_key(|&p| Reverse(now.overflow_at(p)));
            for &p in &order {
                if budget == 0 {
                    break;
                }
                let cur = best.slots[p as usize];
                let trials = if small { self.every_choice(cur) } else { self.neighbours(&best, &now, p) };
                for slots in trials {
                    if budget == 0 {
                        break;
                    }
                    budget -= 1;
                    let mut trial = best.clone();
                    trial.slots[p as usize] = slots;
                    let trial_now = self.ctx.balance(&trial);
                    let s = self.figures_of(&trial, &trial_now, start).objective(limit);
                    if s < score {
                        (best, now, score, improved) = (trial, trial_now, s, true);
                    }
                }
            }
            if !improved {
                break;
            }
        }
        // The guard: never more CMs over capacity than the starting plan.
        for &p in proposed.iter().rev() {
            if score.over_limit == 0 {
                break;
            }
            best.slots[p as usize] = [None, None];
            now = self.ctx.balance(&best);
            score = self.figures_of(&best, &now, start).objective(limit);
        }
        self.proposal(plan, &before_now, before, best, &now, start)
    }

    /// Every other choice for a practice among a few CMs: none, one, or an ordered pair.
    fn every_choice(&self, cur: Slots) -> Vec<Slots> {
        let n = self.ctx.care_managers() as u32;
        let mut out = vec![[None, None]];
        for a in 0..n {
            out.push([Some(a), None]);
            out.extend((0..n).filter(|&b| b != a).map(|b| [Some(a), Some(b)]));
        }
        out.retain(|&t| t != cur);
        out
    }

    /// Changes to practice `p`'s CMs worth a trial: each slot replaced by one of the next
    /// candidates, a second CM added or dropped, or none at all.
    fn neighbours(&self, plan: &Plan, now: &Caseloads, p: u32) -> Vec<Slots> {
        let cur = plan.slots[p as usize];
        let members = self.ctx.members_at(plan, p);
        let mut out = Vec::new();
        for c in self.candidates(p, &members, &now.count, cur, 3) {
            out.push([Some(c), cur[1]]);
            if cur[0].is_some() {
                out.push([cur[0], Some(c)]);
            }
        }
        if cur[1].is_some() {
            out.extend([[cur[0], None], [cur[1], None]]);
        }
        if cur[0].is_some() {
            out.push([None, None]);
        }
        out
    }

    /// The baseline's pick: the CM with most spare room, and the next when the first cannot
    /// take every member.
    fn roomiest(&self, sim: &Sim, _p: u32, members: &[u32]) -> Slots {
        let spare = |c: u32| i64::from(self.ctx.capacity[c as usize]) - i64::from(sim.count[c as usize]);
        let key = |c: &u32| (Reverse(spare(*c)), *c);
        let mut cms: Vec<u32> = (0..self.ctx.care_managers() as u32).collect();
        if cms.len() > 2 {
            cms.select_nth_unstable_by_key(1, key);
            cms.truncate(2);
        }
        cms.sort_unstable_by_key(key);
        match cms[..] {
            [] => [None, None],
            [a] => [Some(a), None],
            [a, b] if spare(a) < members.len() as i64 && spare(b) > 0 => [Some(a), Some(b)],
            [a, ..] => [Some(a), None],
        }
    }

    /// The simple baseline: the care manager with most spare room, and a second when the first
    /// cannot take everyone; ignores continuity and county.
    pub fn baseline(&self, plan: &Plan, start: &Caseloads) -> Proposal {
        let before_now = self.ctx.balance(plan);
        let before = self.figures_of(plan, &before_now, start);
        let built = self.construct(plan, Self::roomiest);
        let now = self.ctx.balance(&built);
        self.proposal(plan, &before_now, before, built, &now, start)
    }

    fn proposal(
        &self,
        plan: &Plan,
        before_now: &Caseloads,
        before: Figures,
        after: Plan,
        now: &Caseloads,
        start: &Caseloads,
    ) -> Proposal {
        let ctx = self.ctx;
        let changed: Vec<u32> =
            self.high_volume.iter().copied().filter(|&p| plan.slots[p as usize] != after.slots[p as usize]).collect();
        let edit = Edit {
            slots: changed.iter().map(|&p| (p, plan.slots[p as usize], after.slots[p as usize])).collect(),
            ..Edit::default()
        };
        let mut rank = vec![0u32; ctx.practices()];
        for (i, &p) in ctx.rank_order.iter().enumerate() {
            rank[p as usize] = i as u32 + 1;
        }
        let practices = changed
            .iter()
            .map(|&p| ProposedPractice {
                practice: p,
                rank: rank[p as usize],
                county: ctx.county_name(p).to_string(),
                members: ctx.members_at(&after, p).len() as u32,
                cms: after.slots[p as usize],
                overflow: now.overflow_at(p),
            })
            .collect();
        let cms = (0..ctx.care_managers())
            .filter(|&c| before_now.count[c] != now.count[c] || before_now.load[c] != now.load[c])
            .map(|c| LoadChange {
                cm: c as u32,
                capacity: ctx.capacity[c],
                members_before: before_now.count[c],
                members_after: now.count[c],
                load_before: before_now.load[c],
                load_after: now.load[c],
            })
            .collect();
        let figures = self.figures_of(&after, now, start);
        Proposal { edit, plan: after, before, figures, practices, cms }
    }
}

#[cfg(test)]
mod tests;

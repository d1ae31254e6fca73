//! The caseload rule (SPEC "Assignment and live caseload balancing"), applied in full after
//! every change. Deterministic: the same plan always gives the same caseloads.
//!
//! **Invariant: no care manager ever ends above max(capacity, starting caseload).** Every
//! member starts counted with their current CM; a member only ever moves into a CM with room
//! (members < capacity), so an arrival never takes a CM past capacity, and a departure only
//! lowers a count. A CM over capacity at the start can only go down.
//!
//! The rule, in SPEC's words, repeats a pass over all practices in rank order until nothing
//! moves. A member moves at most once (into one of their practice's CMs, where they then stay),
//! so only the members still waiting can move in a later pass, and a practice's waiting
//! members can move only once one of its CMs has room again. Room appears at a CM exactly when
//! a member leaves it at capacity (counts change by one), so after the first pass (one walk
//! over the assigned practices' members) only the practices a departure gave room are
//! visited: those later in rank order within the same pass, the others in the next pass, in
//! rank order. Skipping a practice with no room skips a visit that would move nobody, so this
//! gives exactly the result of repeating full passes; the tests compare it with a literal
//! implementation. While a practice's members are placed only its own CMs gain members (a
//! waiting member is with none of them), so once both are full the rest of it waits too.

use super::context::{NO_CM, Seat};
use super::{Plan, PlanContext};

/// The result of the rule: who is with whom, each care manager's load, and the overflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseloads {
    /// Per HCBS member: care manager after the plan.
    pub assigned: Vec<Option<u32>>,
    /// Per HCBS member: overflow, i.e. their practice has CMs but none had room, so they keep
    /// their current CM (see [`Self::is_overflow`]).
    pub overflow: Vec<bool>,
    /// Per care manager: members.
    pub count: Vec<u32>,
    /// Per care manager: weighted load.
    pub load: Vec<f64>,
    /// Per practice: its overflow members (see [`Self::overflow_at`]).
    pub practice_overflow: Vec<u32>,
}

/// Members moving in and out of one care manager's caseload against the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    pub members_in: u32,
    pub members_out: u32,
}

/// The rule's working state: counts and loads change as members move.
struct Books<'a> {
    ctx: &'a PlanContext,
    assigned: Vec<Option<u32>>,
    count: Vec<u32>,
    load: Vec<i64>,
}

impl Books<'_> {
    fn has_room(&self, c: u32) -> bool {
        self.count[c as usize] < self.ctx.capacity[c as usize]
    }

    /// Step 3 for one waiting member (still with their current CM): moves them to the
    /// practice CM with room and the lower weighted load (tie: slot 1), taking them from the
    /// CM they leave. Returns the CM left, `Some(NO_CM)` when they had none, `None` when no
    /// CM had room.
    fn place(&mut self, seat: Seat, cms: [Option<u32>; 2]) -> Option<u32> {
        let mut best: Option<u32> = None;
        for c in cms.into_iter().flatten() {
            if self.has_room(c) && best.is_none_or(|b| self.load[c as usize] < self.load[b as usize]) {
                best = Some(c);
            }
        }
        let to = best?;
        let w = i64::from(seat.weight_milli);
        if seat.current != NO_CM {
            self.count[seat.current as usize] -= 1;
            self.load[seat.current as usize] -= w;
        }
        self.count[to as usize] += 1;
        self.load[to as usize] += w;
        self.assigned[seat.member as usize] = Some(to);
        Some(seat.current)
    }

    /// Places waiting members in order while their practice's CMs have room; keeps the rest
    /// (in order) at the front of `waiting` and returns how many. `room` hears of each CM a
    /// departure gave room.
    fn place_all(&mut self, waiting: &mut [Seat], cms: [Option<u32>; 2], room: &mut impl FnMut(u32)) -> usize {
        let mut kept = 0;
        for i in 0..waiting.len() {
            if !cms.into_iter().flatten().any(|c| self.has_room(c)) {
                // Only this practice's CMs gain members here: nobody after this one fits.
                waiting.copy_within(i.., kept);
                return kept + waiting.len() - i;
            }
            let seat = waiting[i];
            match self.place(seat, cms) {
                Some(from) => {
                    if from != NO_CM && self.count[from as usize] + 1 == self.ctx.capacity[from as usize] {
                        room(from);
                    }
                }
                None => {
                    waiting[kept] = seat;
                    kept += 1;
                }
            }
        }
        kept
    }
}

/// Which waiting practices to visit next: those a departure gave room, in rank order.
struct Agenda {
    /// Per CM: positions (in the worklist) of the waiting practices it serves.
    watchers: Vec<Vec<u32>>,
    /// Positions still to visit in this pass, lowest first, and those for the next pass.
    now: std::collections::BinaryHeap<std::cmp::Reverse<u32>>,
    next: Vec<u32>,
    in_now: Vec<bool>,
    in_next: Vec<bool>,
    /// The position being visited (`u32::MAX` in the first pass: everything waiting is
    /// behind it).
    at: u32,
}

impl Agenda {
    fn room_at(&mut self, cm: u32) {
        for &j in &self.watchers[cm as usize] {
            let j_ = j as usize;
            if self.at != u32::MAX && j > self.at {
                if !self.in_now[j_] {
                    self.in_now[j_] = true;
                    self.now.push(std::cmp::Reverse(j));
                }
            } else if !self.in_next[j_] {
                self.in_next[j_] = true;
                self.next.push(j);
            }
        }
    }
}

impl PlanContext {
    /// Caseloads before any assignment: every member with their current care manager.
    pub fn start(&self) -> Caseloads {
        self.balance(&Plan::empty(self.members_of.len()))
    }

    /// Applies the caseload rule to `plan` (see the module doc for the invariant).
    pub fn balance(&self, plan: &Plan) -> Caseloads {
        // Step 1: everyone with their current CM.
        let mut books = Books {
            ctx: self,
            assigned: self.current.clone(),
            count: self.start_count.clone(),
            load: self.start_load.clone(),
        };
        let extra = self.moved_in(plan);
        // The worklist: (practice, its waiting members' range in `waiting`), in rank order.
        let mut work: Vec<(u32, usize, usize)> = Vec::new();
        let mut waiting: Vec<Seat> = Vec::new();
        let away = self.moved_away(plan);
        let mut agenda = Agenda {
            watchers: vec![Vec::new(); self.care_managers()],
            now: Default::default(),
            next: Vec::new(),
            in_now: Vec::new(),
            in_next: Vec::new(),
            at: u32::MAX,
        };
        // First pass. Step 2: a member already with a practice CM stays; step 3: the others
        // move into room or wait.
        for &p in &self.rank_order {
            let cms = plan.slots[p as usize];
            if cms.iter().all(Option::is_none) {
                continue; // Step 5: nothing moves.
            }
            let begin = waiting.len();
            for seat in self.seats_with(p, &extra, &away).iter() {
                if seat.current != NO_CM && cms.contains(&Some(seat.current)) {
                    continue;
                }
                waiting.push(*seat);
            }
            let kept = books.place_all(&mut waiting[begin..], cms, &mut |c| agenda.room_at(c));
            waiting.truncate(begin + kept);
            if kept > 0 {
                for c in cms.into_iter().flatten() {
                    agenda.watchers[c as usize].push(work.len() as u32);
                }
                work.push((p, begin, begin + kept));
                agenda.in_now.push(false);
                agenda.in_next.push(false);
            }
        }
        // Step 4: repeat the pass while it moves anyone; visiting only the practices that got
        // room is the same (see the module doc).
        while !agenda.next.is_empty() {
            for j in std::mem::take(&mut agenda.next) {
                agenda.in_next[j as usize] = false;
                agenda.in_now[j as usize] = true;
                agenda.now.push(std::cmp::Reverse(j));
            }
            while let Some(std::cmp::Reverse(j)) = agenda.now.pop() {
                agenda.in_now[j as usize] = false;
                agenda.at = j;
                let (p, begin, end) = work[j as usize];
                let kept =
                    books.place_all(&mut waiting[begin..end], plan.slots[p as usize], &mut |c| agenda.room_at(c));
                work[j as usize].2 = begin + kept;
            }
            agenda.at = 0;
        }
        // The rest are overflow: they kept their current CM all along.
        let mut overflow = vec![false; self.members()];
        let mut practice_overflow = vec![0u32; self.practices()];
        for &(p, begin, end) in &work {
            practice_overflow[p as usize] = (end - begin) as u32;
            for seat in &waiting[begin..end] {
                overflow[seat.member as usize] = true;
            }
        }
        Caseloads {
            assigned: books.assigned,
            overflow,
            count: books.count,
            load: books.load.iter().map(|&l| l as f64 / 1000.0).collect(),
            practice_overflow,
        }
    }
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

    /// Whether member `m` is overflow: their practice has CMs under the plan, none had room,
    /// so they keep their current CM (member_assignments.csv `overflow`).
    pub fn is_overflow(&self, m: u32) -> bool {
        self.overflow[m as usize]
    }

    /// Overflow members of practice `p`.
    pub fn overflow_at(&self, p: u32) -> u32 {
        self.practice_overflow[p as usize]
    }

    /// Overflow members over all practices.
    pub fn total_overflow(&self) -> usize {
        self.practice_overflow.iter().map(|&n| n as usize).sum()
    }

    /// Care managers with more members than capacity.
    pub fn over_capacity(&self, capacity: &[u32]) -> usize {
        self.count.iter().zip(capacity).filter(|(n, c)| n > c).count()
    }
}

#[cfg(test)]
mod tests;

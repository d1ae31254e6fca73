//! "Best care manager for this practice": the order the picker offers CMs in, what a choice
//! would move (the preview), and the candidates auto-suggest starts from, so the picker and
//! auto-suggest never disagree about what a good fit is.
//!
//! Under the caseload rule a CM takes new members only into room (members < capacity), so a
//! CM without room would take no one: such a CM is marked and sorted after every CM with room,
//! whatever else speaks for them. Among CMs with room: same county first (travel), then the
//! members of this practice they already serve (those stay without moving), then spare room.

use rustc_hash::FxHashMap;

use super::{Caseloads, Plan, PlanContext, PlanError};

/// How well one care manager fits one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub cm: u32,
    /// Room for at least one more member; without it the CM would take no one new.
    pub has_room: bool,
    pub same_county: bool,
    /// Members of the practice whose current CM this is.
    pub serves: u32,
    /// Capacity less members now (negative when over capacity).
    pub spare: i64,
}

impl Fit {
    /// Sort key, best first.
    fn key(&self) -> (bool, bool, std::cmp::Reverse<u32>, std::cmp::Reverse<i64>, u32) {
        use std::cmp::Reverse;
        (!self.has_room, !self.same_county, Reverse(self.serves), Reverse(self.spare), self.cm)
    }
}

/// Per care manager: how many of `members` they currently serve.
pub fn served(ctx: &PlanContext, members: &[u32]) -> FxHashMap<u32, u32> {
    let mut serves: FxHashMap<u32, u32> = FxHashMap::default();
    for &m in members {
        if let Some(c) = ctx.current[m as usize] {
            *serves.entry(c).or_default() += 1;
        }
    }
    serves
}

/// The fit of every care manager `keep` accepts for practice `p` (whose members under the
/// plan are `members`), given members per CM `count`. Unsorted: see [`sort`] and [`best`].
pub fn fits(ctx: &PlanContext, p: u32, members: &[u32], count: &[u32], keep: impl Fn(u32) -> bool) -> Vec<Fit> {
    let serves = served(ctx, members);
    (0..ctx.care_managers() as u32)
        .filter(|&c| keep(c))
        .map(|c| {
            let spare = i64::from(ctx.capacity[c as usize]) - i64::from(count[c as usize]);
            Fit {
                cm: c,
                has_room: spare > 0,
                same_county: ctx.same_county(p, c),
                serves: serves.get(&c).copied().unwrap_or(0),
                spare,
            }
        })
        .collect()
}

/// Sorts fits best first.
pub fn sort(fits: &mut [Fit]) {
    fits.sort_unstable_by_key(Fit::key);
}

/// The `k` best fits, best first (a partial selection: cheaper than sorting thousands).
pub fn best(mut fits: Vec<Fit>, k: usize) -> Vec<Fit> {
    if fits.len() > k && k > 0 {
        fits.select_nth_unstable_by_key(k - 1, Fit::key);
        fits.truncate(k);
    }
    sort(&mut fits);
    fits
}

/// The picker's list for practice `p`: every CM not already in its slots that `keep` accepts
/// (the search), best fit first, judged on the caseloads `now`.
pub fn picker_order(ctx: &PlanContext, plan: &Plan, now: &Caseloads, p: u32, keep: impl Fn(u32) -> bool) -> Vec<Fit> {
    let slots = plan.slots[p as usize];
    let mut list = fits(ctx, p, &ctx.members_at(plan, p), &now.count, |c| !slots.contains(&Some(c)) && keep(c));
    sort(&mut list);
    list
}

/// One care manager's caseload before and after a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub cm: u32,
    pub capacity: u32,
    pub members_before: u32,
    pub members_after: u32,
    pub load_before: f64,
    pub load_after: f64,
}

/// What a change would do, before it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub practice: u32,
    /// The slot filled (0 or 1; slot 2 of a practice without slot 1 fills slot 1).
    pub slot: usize,
    pub cm: u32,
    /// The CM the change replaces, if the slot was taken.
    pub replaced: Option<u32>,
    /// Every CM whose caseload the change moves: the chosen CM first, then the replaced one,
    /// then the others by members gained or lost (most first).
    pub shifts: Vec<Shift>,
    pub overflow_before: u32,
    pub overflow_after: u32,
}

/// Previews filling `slot` of practice `p` with `cm`, replacing whoever is there: applies the
/// caseload rule to the changed plan and compares with `now` (the rule applied to `plan`).
pub fn preview(
    ctx: &PlanContext,
    plan: &Plan,
    now: &Caseloads,
    p: u32,
    slot: usize,
    cm: u32,
) -> Result<Preview, PlanError> {
    let after_slots = plan.filled(p, slot, cm)?;
    let slot = if after_slots[0] == Some(cm) { 0 } else { 1 };
    let replaced = plan.slots[p as usize][slot];
    let mut changed = plan.clone();
    changed.slots[p as usize] = after_slots;
    let after = ctx.balance(&changed);
    let mut moved = vec![false; ctx.care_managers()];
    for (a, b) in now.assigned.iter().zip(&after.assigned) {
        if a != b {
            for c in [a, b].into_iter().flatten() {
                moved[*c as usize] = true;
            }
        }
    }
    let order = |c: u32| {
        let delta = i64::from(after.count[c as usize]) - i64::from(now.count[c as usize]);
        (c != cm, Some(c) != replaced, std::cmp::Reverse(delta.abs()), c)
    };
    let mut cms: Vec<u32> = (0..ctx.care_managers() as u32).filter(|&c| moved[c as usize]).collect();
    cms.sort_by_key(|&c| order(c));
    let shifts = cms
        .into_iter()
        .map(|c| Shift {
            cm: c,
            capacity: ctx.capacity[c as usize],
            members_before: now.count[c as usize],
            members_after: after.count[c as usize],
            load_before: now.load[c as usize],
            load_after: after.load[c as usize],
        })
        .collect();
    Ok(Preview {
        practice: p,
        slot,
        cm,
        replaced,
        shifts,
        overflow_before: now.overflow_at(p),
        overflow_after: after.overflow_at(p),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::testkit::{context, plan, with_counties};

    /// Practice 0 (county A) has members: two with CM 2, one with CM 3, one with none.
    /// CMs: 0 (A, full), 1 (B, roomy), 2 (A, room 1), 3 (A, room 5).
    fn world() -> PlanContext {
        let c = context(
            &[1, 9, 3, 6],
            &[
                (Some(0), Some(2), 2),
                (Some(0), Some(2), 2),
                (Some(0), Some(3), 2),
                (Some(0), None, 2),
                (Some(1), Some(0), 2),
            ],
            &[0, 1],
        );
        with_counties(c, &[0, 0], &[0, 1, 0, 0], &["A", "B"])
    }

    #[test]
    fn room_first_then_county_served_spare() {
        let c = world();
        let p = plan(&[[None, None], [None, None]]);
        let now = c.balance(&p);
        let order: Vec<(u32, bool)> =
            picker_order(&c, &p, &now, 0, |_| true).iter().map(|f| (f.cm, f.has_room)).collect();
        // CM 0 is in the county but full: last, marked. CM 2 serves two, CM 3 one; CM 1 is
        // out of the county.
        assert_eq!(order, vec![(2, true), (3, true), (1, true), (0, false)]);
        let top = best(fits(&c, 0, &c.members_at(&p, 0), &now.count, |_| true), 2);
        assert_eq!(top.iter().map(|f| f.cm).collect::<Vec<_>>(), vec![2, 3]);
        let searched = picker_order(&c, &p, &now, 0, |cm| cm != 2);
        assert_eq!(searched[0].cm, 3);
    }

    #[test]
    fn preview_lists_every_cm_the_change_moves() {
        let c = world();
        let p = plan(&[[Some(2), None], [None, None]]);
        let now = c.balance(&p);
        // Under CM 2: members 0 and 1 stay, member 2 moves from CM 3 into CM 2's last place,
        // member 3 overflows.
        assert_eq!(now.overflow_at(0), 1);
        // Replacing CM 2 by CM 3: members 0, 1 leave CM 2, member 3 joins; CM 3 keeps member 2.
        let v = preview(&c, &p, &now, 0, 0, 3).unwrap();
        assert_eq!((v.slot, v.replaced, v.overflow_before, v.overflow_after), (0, Some(2), 1, 0));
        let got: Vec<(u32, u32, u32)> = v.shifts.iter().map(|s| (s.cm, s.members_before, s.members_after)).collect();
        assert_eq!(got, vec![(3, 0, 4), (2, 3, 0)]);
        assert_eq!((v.shifts[0].load_before, v.shifts[0].load_after), (0.0, 4.0));
        // CM 1 in slot 2: lighter than CM 2, so it takes member 2 (whom CM 2 took before)
        // and member 3; CM 2 loses one.
        let v = preview(&c, &p, &now, 0, 1, 1).unwrap();
        let got: Vec<(u32, u32, u32)> = v.shifts.iter().map(|s| (s.cm, s.members_before, s.members_after)).collect();
        assert_eq!(got, vec![(1, 0, 2), (2, 3, 2)]);
        assert_eq!(preview(&c, &p, &now, 0, 1, 2), Err(PlanError::InOtherSlot));
    }
}

use proptest::prelude::*;

use super::*;
use crate::plan::testkit::{RandomWorld, context, plan, random_world};

/// The rule written straight from SPEC's words, slow and obvious: counts and loads are
/// recounted from scratch before every decision and every pass visits every member.
/// Returns (assigned, overflow per member, overflow per practice, moves per member).
fn reference(ctx: &PlanContext, plan: &Plan) -> (Vec<Option<u32>>, Vec<bool>, Vec<u32>, Vec<u32>) {
    let n = ctx.current.len();
    let practice_of = |m: usize| plan.review.get(&(m as u32)).copied().or(ctx.practice[m]);
    // 1. Start: every member is with their current CM.
    let mut assigned = ctx.current.clone();
    let mut moves = vec![0u32; n];
    let count = |a: &[Option<u32>], c: u32| a.iter().filter(|&&x| x == Some(c)).count() as u32;
    let load = |a: &[Option<u32>], c: u32| -> u64 {
        (0..n).filter(|&m| a[m] == Some(c)).map(|m| u64::from(ctx.weight_milli[m])).sum()
    };
    loop {
        // 3. One pass: practices in rank order; members by acuity then member id.
        let mut moved = false;
        for &p in &ctx.rank_order {
            let cms = plan.slots[p as usize];
            if cms == [None, None] {
                continue; // 5. Practices with no CM keep their members where they are.
            }
            let mut members: Vec<usize> = (0..n).filter(|&m| practice_of(m) == Some(p)).collect();
            members.sort_by_key(|&m| (ctx.acuity_rank[m], m));
            for m in members {
                // 2. Continuity / already placed: with one of the practice's CMs.
                if assigned[m].is_some() && cms.contains(&assigned[m]) {
                    continue;
                }
                let mut best: Option<u32> = None;
                for c in cms.iter().flatten().copied() {
                    let room = count(&assigned, c) < ctx.capacity[c as usize];
                    if room && best.is_none_or(|b| load(&assigned, c) < load(&assigned, b)) {
                        best = Some(c);
                    }
                }
                if let Some(c) = best {
                    assigned[m] = Some(c);
                    moves[m] += 1;
                    moved = true;
                }
            }
        }
        // 4. Repeat while the pass moves anyone.
        if !moved {
            break;
        }
    }
    let mut overflow = vec![false; n];
    let mut per_practice = vec![0u32; plan.slots.len()];
    for m in 0..n {
        if let Some(p) = practice_of(m) {
            let cms = plan.slots[p as usize];
            if cms != [None, None] && !(assigned[m].is_some() && cms.contains(&assigned[m])) {
                overflow[m] = true;
                per_practice[p as usize] += 1;
            }
        }
    }
    (assigned, overflow, per_practice, moves)
}

#[test]
fn issue_example_never_pushes_x_to_two() {
    // CMs: W (0) cap 5, X (1) cap 1, Y (2) cap 1. Practice A (0) rank 1 with Y; B (1) rank 2
    // with X. MA1 high at A with W; MA2 low at A with X; MB1 low at B with W.
    let (w, x, y) = (0, 1, 2);
    let c = context(&[5, 1, 1], &[(Some(0), Some(w), 0), (Some(0), Some(x), 2), (Some(1), Some(w), 2)], &[0, 1]);
    let r = c.balance(&plan(&[[Some(y), None], [Some(x), None]]));
    // MA1 takes Y's one place; MA2 finds Y full and stays with X, so X has no room for MB1.
    assert_eq!(r.assigned, vec![Some(y), Some(x), Some(w)]);
    assert_eq!(r.count, vec![1, 1, 1], "X ends at 1, not 2");
    assert_eq!(r.overflow, vec![false, true, true]);
    assert_eq!(r.practice_overflow, vec![1, 1]);
}

#[test]
fn a_second_pass_uses_room_freed_later_in_the_first() {
    // Practice A (0, rank 1) has X (0, cap 1), full with MB, a member of practice B (1,
    // rank 2). B has Y (1, cap 5). MA (A, no CM) finds X full in pass 1; MB then moves to Y,
    // freeing X; pass 2 moves MA to X.
    let c = context(&[1, 5], &[(Some(0), None, 2), (Some(1), Some(0), 2)], &[0, 1]);
    let r = c.balance(&plan(&[[Some(0), None], [Some(1), None]]));
    assert_eq!(r.assigned, vec![Some(0), Some(1)]);
    assert_eq!(r.overflow, vec![false, false]);
    assert_eq!(r.count, vec![1, 1]);
}

#[test]
fn continuity_split_overflow() {
    // CMs 0 (cap 3), 1 (cap 2), 2 (cap 5); practices 0, 1, 2 in rank order.
    let c = context(
        &[3, 2, 5],
        &[
            (Some(0), Some(1), 2), // stays with CM 1 (continuity)
            (Some(0), Some(2), 0), // high: placed first
            (Some(0), None, 2),
            (Some(0), None, 2),
            (Some(0), Some(2), 1), // medium: second
            (Some(0), None, 2),    // no room left: overflow, keeps no CM
            (Some(1), Some(2), 2), // practice without CMs: keeps CM 2
            (None, Some(0), 2),    // no practice: keeps CM 0
        ],
        &[0, 1, 2],
    );
    let r = c.balance(&plan(&[[Some(0), Some(1)], [None, None], [None, None]]));
    // Start: CM0 has member 7 (load 1), CM1 member 0 (1), CM2 members 1, 4, 6 (4.5).
    // High member 1: loads tie at 1 → slot 1, CM0 (3). Medium member 4: CM1 (1 < 3) → 2.5,
    // now full. Member 2 → CM0 (room), now full. Members 3 and 5: no room, overflow.
    assert_eq!(r.assigned, vec![Some(1), Some(0), Some(0), None, Some(1), None, Some(2), Some(0)]);
    assert_eq!(r.overflow, vec![false, false, false, true, false, true, false, false]);
    assert_eq!(r.practice_overflow, vec![2, 0, 0]);
    assert_eq!((r.overflow_at(0), r.total_overflow(), r.is_overflow(3)), (2, 2, true));
    assert_eq!(r.count, vec![3, 2, 1]);
    assert_eq!(r.load, vec![4.0, 2.5, 1.0]);
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
    let c = context(&[5, 5], &[(Some(0), None, 2), (Some(1), None, 0), (None, None, 2)], &[0, 1]);
    let mut p = plan(&[[Some(0), None], [Some(1), None]]);
    p.review.insert(1, 0);
    p.review.insert(2, 1);
    assert_eq!(c.members_at(&p, 0), vec![1, 0], "high acuity first");
    assert_eq!(c.members_at(&p, 1), vec![2]);
    assert_eq!(c.balance(&p).assigned, vec![Some(0), Some(0), Some(1)]);
}

#[test]
fn over_capacity_from_the_start_is_kept_not_added_to() {
    // CM 0 (cap 1) already has two members of practice 0 (continuity keeps both).
    let c = context(&[1, 5], &[(Some(0), Some(0), 2), (Some(0), Some(0), 2), (Some(0), None, 2)], &[0]);
    let r = c.balance(&plan(&[[Some(0), None]]));
    assert_eq!(r.count[0], 2, "continuity may exceed capacity");
    assert!(r.overflow[2], "but nobody new is added");
    assert_eq!(r.over_capacity(&c.capacity), 1);
    let r = c.balance(&plan(&[[Some(0), Some(1)]]));
    assert_eq!(r.assigned[2], Some(1));
}

#[test]
fn ties_go_to_slot_one() {
    // Both CMs empty (tie) → slot 1, whichever CM index it holds.
    let c = context(&[5, 5], &[(Some(0), None, 2)], &[0]);
    assert_eq!(c.balance(&plan(&[[Some(1), Some(0)]])).assigned, vec![Some(1)]);
}

/// Blank acuity is placed with low (SPEC): after medium, and in member order among the low.
#[test]
fn blank_acuity_sorts_with_low() {
    use crate::ingest::Acuity::{self, Blank, Low, Medium};
    use crate::plan::context::acuity_rank as rank;
    assert_eq!(rank(Blank), rank(Low));
    let one_seat = |members: [Acuity; 2]| {
        let c = context(&[1], &[(Some(0), None, rank(members[0])), (Some(0), None, rank(members[1]))], &[0]);
        c.balance(&plan(&[[Some(0), None]])).assigned
    };
    assert_eq!(one_seat([Blank, Medium]), vec![None, Some(0)], "medium before blank");
    assert_eq!(one_seat([Blank, Low]), vec![Some(0), None], "blank and low: member order");
    assert_eq!(one_seat([Low, Blank]), vec![Some(0), None], "blank and low: member order");
}

/// The same world with every member's current CM set to where the rule put them.
fn restarted(ctx: &PlanContext, r: &Caseloads) -> PlanContext {
    PlanContext::from_parts(
        ctx.capacity.clone(),
        r.assigned.clone(),
        ctx.weight_milli.clone(),
        ctx.acuity_rank.clone(),
        ctx.practice.clone(),
        ctx.rank_order.clone(),
        (ctx.practice_county.clone(), ctx.cm_county.clone(), ctx.county_names.clone()),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_rule_keeps_its_promises(world in random_world()) {
        let RandomWorld { ctx, plan } = world;
        let r = ctx.balance(&plan);
        // The fast rule (worklist) gives exactly what the words of SPEC give.
        let (assigned, overflow, per_practice, moves) = reference(&ctx, &plan);
        prop_assert_eq!(&r.assigned, &assigned);
        prop_assert_eq!(&r.overflow, &overflow);
        prop_assert_eq!(&r.practice_overflow, &per_practice);
        prop_assert!(moves.iter().all(|&n| n <= 1), "a member moves at most once");
        // No CM above max(capacity, start); counts and loads add up.
        for c in 0..ctx.capacity.len() {
            let n = r.assigned.iter().filter(|&&a| a == Some(c as u32)).count() as u32;
            prop_assert_eq!(r.count[c], n);
            prop_assert!(n <= ctx.capacity[c].max(ctx.start_count[c]), "CM {} ends at {}", c, n);
        }
        // A member either stays or moves into one of their practice's CMs.
        for m in 0..ctx.members() {
            let p = ctx.practice_of(&plan, m as u32);
            let cms = p.map_or([None, None], |p| plan.slots[p as usize]);
            let with_cm = r.assigned[m].is_some() && cms.contains(&r.assigned[m]);
            prop_assert!(with_cm || r.assigned[m] == ctx.current[m]);
            // Not with a practice CM: no practice CM has room, or the practice has none.
            if !with_cm {
                prop_assert!(cms.iter().flatten().all(|&c| r.count[c as usize] >= ctx.capacity[c as usize]));
            }
        }
        // Deterministic, and idempotent: restarting from the result moves nobody.
        prop_assert_eq!(&ctx.balance(&plan), &r);
        let again = restarted(&ctx, &r).balance(&plan);
        prop_assert_eq!(&again.assigned, &r.assigned);
        prop_assert_eq!(&again.overflow, &r.overflow);
        prop_assert_eq!(&again.count, &r.count);
    }
}

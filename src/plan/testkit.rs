//! Small worlds for the plan tests: hand-made ones and random ones for property tests.

use proptest::prelude::*;

use super::context::{NO_COUNTY, PlanContext};
use super::{Plan, Slots};

/// A member: (practice, current CM, acuity rank 0 high / 1 medium / 2 low or blank).
pub type Member = (Option<u32>, Option<u32>, u8);

/// Weight in thousandths by acuity rank (SPEC defaults: high 2.0, medium 1.5, low/blank 1.0).
pub fn weight(acuity: u8) -> u32 {
    [2000, 1500, 1000][acuity as usize]
}

/// A context with the given CM capacities, members (in id order) and practice rank order;
/// every practice and CM in county 0 unless `counties` says otherwise.
pub fn context(capacity: &[u32], members: &[Member], rank_order: &[u32]) -> PlanContext {
    let practices = rank_order.len();
    PlanContext::from_parts(
        capacity.to_vec(),
        members.iter().map(|m| m.1).collect(),
        members.iter().map(|m| weight(m.2)).collect(),
        members.iter().map(|m| m.2).collect(),
        members.iter().map(|m| m.0).collect(),
        rank_order.to_vec(),
        (vec![0; practices], vec![0; capacity.len()], vec!["A".to_string()]),
    )
}

/// Sets counties: ids into `names`, or `NO_COUNTY`.
pub fn with_counties(mut ctx: PlanContext, practice: &[u32], cm: &[u32], names: &[&str]) -> PlanContext {
    ctx.practice_county = practice.to_vec();
    ctx.cm_county = cm.to_vec();
    ctx.county_names = names.iter().map(|s| s.to_string()).collect();
    ctx
}

/// A plan from per-practice slots.
pub fn plan(slots: &[Slots]) -> Plan {
    Plan { slots: slots.to_vec(), review: Default::default() }
}

/// A random world: context and a plan over it (slots, and a few review decisions).
#[derive(Debug, Clone)]
pub struct RandomWorld {
    pub ctx: PlanContext,
    pub plan: Plan,
}

fn slots(n_cm: u32) -> impl Strategy<Value = Slots> {
    (0..n_cm, 0..n_cm, 0..4u8).prop_map(|(a, b, kind)| match kind {
        0 => [None, None],
        1 => [Some(a), None],
        _ if a == b => [Some(a), None],
        _ => [Some(a), Some(b)],
    })
}

/// Random worlds: up to 6 CMs, 6 practices (shuffled rank order) and 40 members, with
/// capacities from 0 to 8 so that CMs start under, at and over capacity.
pub fn random_world() -> impl Strategy<Value = RandomWorld> {
    (1..=6u32, 1..=6u32)
        .prop_flat_map(|(n_cm, n_p)| {
            let member = (prop::option::weighted(0.85, 0..n_p), prop::option::weighted(0.8, 0..n_cm), 0..3u8);
            (
                prop::collection::vec(0..=8u32, n_cm as usize),
                prop::collection::vec(member, 0..40),
                Just((0..n_p).collect::<Vec<u32>>()).prop_shuffle(),
                prop::collection::vec(slots(n_cm), n_p as usize),
                prop::collection::vec((0..40u32, 0..n_p), 0..3),
                prop::collection::vec(prop::option::weighted(0.9, 0..3u32), (n_p + n_cm) as usize),
            )
        })
        .prop_map(|(capacity, members, rank_order, slots, review, counties)| {
            let n_p = rank_order.len();
            let county = |c: &Option<u32>| c.unwrap_or(NO_COUNTY);
            let ctx = with_counties(
                context(&capacity, &members, &rank_order),
                &counties[..n_p].iter().map(county).collect::<Vec<_>>(),
                &counties[n_p..].iter().map(county).collect::<Vec<_>>(),
                &["A", "B", "C"],
            );
            let mut plan = plan(&slots);
            for (m, p) in review {
                if (m as usize) < members.len() {
                    plan.review.insert(m, p);
                }
            }
            RandomWorld { ctx, plan }
        })
}

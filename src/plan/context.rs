//! What the caseload rule, the picker and auto-suggest need from a dataset, computed once so a
//! keystroke pays only for the rule itself.

use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::ingest::{Acuity, Dataset};

use super::Plan;

/// A county id meaning "no county": never the same county as anything.
pub const NO_COUNTY: u32 = u32::MAX;

/// "No care manager" in a [`Seat`].
pub const NO_CM: u32 = u32::MAX;

/// A member as the caseload rule reads them. Kept per practice in placement order, so the
/// rule's walk over a practice reads memory in sequence instead of jumping around arrays of
/// 300,000 members (which costs a cache miss per member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub member: u32,
    /// Current care manager, or [`NO_CM`].
    pub current: u32,
    pub weight_milli: u32,
}

/// Per-member and per-practice facts the rule needs, computed once per dataset.
#[derive(Debug, Clone)]
pub struct PlanContext {
    /// Capacity per care manager (index into `Dataset::care_managers`).
    pub capacity: Vec<u32>,
    /// Per HCBS member (index into `Dataset::assessments`): current care manager.
    pub current: Vec<Option<u32>>,
    /// Per HCBS member: acuity weight in thousandths. Loads are sums of these integers, so
    /// comparing two loads (the rule's "lower weighted load") is exact and never depends on
    /// the order the members were added in.
    pub weight_milli: Vec<u32>,
    /// Per HCBS member: final practice.
    pub practice: Vec<Option<u32>>,
    /// Practices in rank order.
    pub rank_order: Vec<u32>,
    /// Per practice: its HCBS members in placement order (acuity high, medium, then low and
    /// blank; then member id).
    pub members_of: Vec<Vec<u32>>,
    /// Per HCBS member: 0 high, 1 medium, 2 low or blank (placement order).
    pub acuity_rank: Vec<u8>,
    /// Every practice's members as seats, practices in rank order, one block each (the rule
    /// reads them in this order), and per practice its block's range.
    pub seats: Vec<Seat>,
    pub seat_range: Vec<(u32, u32)>,
    /// Per practice: county id (case-insensitive), or [`NO_COUNTY`] when blank.
    pub practice_county: Vec<u32>,
    /// Per care manager: county id, or [`NO_COUNTY`] when blank.
    pub cm_county: Vec<u32>,
    /// County names by id, as first seen.
    pub county_names: Vec<String>,
    /// Per care manager: members and load (thousandths) before any plan.
    pub start_count: Vec<u32>,
    pub start_load: Vec<i64>,
}

/// Interns county names, case-insensitively.
#[derive(Default)]
pub(crate) struct Counties {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Counties {
    pub(crate) fn id(&mut self, name: &str) -> u32 {
        let name = name.trim();
        if name.is_empty() {
            return NO_COUNTY;
        }
        let key = name.to_ascii_lowercase();
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(key, id);
        id
    }

    pub(crate) fn names(self) -> Vec<String> {
        self.names
    }
}

/// Placement order of an acuity: high first, then medium, then low and blank together.
pub fn acuity_rank(acuity: Acuity) -> u8 {
    match acuity {
        Acuity::High => 0,
        Acuity::Medium => 1,
        Acuity::Low | Acuity::Blank => 2,
    }
}

impl PlanContext {
    pub fn new(ds: &Dataset, analysis: &Analysis) -> Self {
        let cm_index: FxHashMap<&str, u32> =
            ds.care_managers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect();
        let mut counties = Counties::default();
        let practice_county = ds.roster.practices.iter().map(|p| counties.id(&p.county)).collect();
        let cm_county = ds.care_managers.iter().map(|c| counties.id(&c.county)).collect();
        PlanContext::from_parts(
            ds.care_managers.iter().map(|c| c.capacity).collect(),
            ds.assessments.iter().map(|a| cm_index.get(&*a.care_manager_id).copied()).collect(),
            ds.assessments.iter().map(|a| milli(ds.config.acuity_weight(a.acuity))).collect(),
            // Assessments are sorted by member id, so index order is id order.
            ds.assessments.iter().map(|a| acuity_rank(a.acuity)).collect(),
            analysis.members.iter().map(|m| m.practice).collect(),
            analysis.ranked.iter().map(|r| r.practice).collect(),
            (practice_county, cm_county, counties.names()),
        )
    }

    /// Builds the context from plain per-member and per-CM facts (members in id order).
    pub(crate) fn from_parts(
        capacity: Vec<u32>,
        current: Vec<Option<u32>>,
        weight_milli: Vec<u32>,
        acuity_rank: Vec<u8>,
        practice: Vec<Option<u32>>,
        rank_order: Vec<u32>,
        (practice_county, cm_county, county_names): (Vec<u32>, Vec<u32>, Vec<String>),
    ) -> Self {
        let mut members_of = vec![Vec::new(); practice_county.len()];
        for (m, p) in practice.iter().enumerate() {
            if let Some(p) = p {
                members_of[*p as usize].push(m as u32);
            }
        }
        for list in &mut members_of {
            list.sort_by_key(|&m| (acuity_rank[m as usize], m));
        }
        let seat = |m: u32| Seat {
            member: m,
            current: current[m as usize].unwrap_or(NO_CM),
            weight_milli: weight_milli[m as usize],
        };
        let mut seats = Vec::with_capacity(current.len());
        let mut seat_range = vec![(0, 0); members_of.len()];
        for &p in &rank_order {
            let begin = seats.len() as u32;
            seats.extend(members_of[p as usize].iter().map(|&m| seat(m)));
            seat_range[p as usize] = (begin, seats.len() as u32);
        }
        let mut start_count = vec![0u32; capacity.len()];
        let mut start_load = vec![0i64; capacity.len()];
        for (m, c) in current.iter().enumerate() {
            if let Some(c) = c {
                start_count[*c as usize] += 1;
                start_load[*c as usize] += i64::from(weight_milli[m]);
            }
        }
        PlanContext {
            capacity,
            current,
            weight_milli,
            practice,
            rank_order,
            members_of,
            acuity_rank,
            seats,
            seat_range,
            practice_county,
            cm_county,
            county_names,
            start_count,
            start_load,
        }
    }

    /// A member's practice under the plan: a review decision, else the final practice.
    pub fn practice_of(&self, plan: &Plan, m: u32) -> Option<u32> {
        plan.review.get(&m).copied().or(self.practice[m as usize])
    }

    /// Members moved into each practice by review decisions, in placement order.
    pub(crate) fn moved_in(&self, plan: &Plan) -> FxHashMap<u32, Vec<u32>> {
        let mut extra: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
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

    /// A practice's members under the plan, in placement order, given [`Self::moved_in`].
    pub(crate) fn members_with(&self, plan: &Plan, p: u32, extra: &FxHashMap<u32, Vec<u32>>) -> Vec<u32> {
        let own = &self.members_of[p as usize];
        if plan.review.is_empty() {
            return own.clone();
        }
        let own = own.iter().copied().filter(|m| plan.review.get(m).is_none_or(|&q| q == p));
        match extra.get(&p) {
            None => own.collect(),
            Some(added) => {
                let mut all: Vec<u32> = own.chain(added.iter().copied()).collect();
                all.sort_by_key(|&m| (self.acuity_rank[m as usize], m));
                all
            }
        }
    }

    /// Members whose review decision takes them out of their own practice, as a bitset
    /// (empty without decisions).
    pub(crate) fn moved_away(&self, plan: &Plan) -> Vec<u64> {
        if plan.review.is_empty() {
            return Vec::new();
        }
        let mut bits = vec![0u64; self.members().div_ceil(64)];
        for (&m, &p) in &plan.review {
            if self.practice[m as usize] != Some(p) {
                bits[m as usize / 64] |= 1 << (m % 64);
            }
        }
        bits
    }

    /// [`Self::members_with`] as seats, given [`Self::moved_away`].
    pub(crate) fn seats_with<'a>(
        &'a self,
        p: u32,
        extra: &FxHashMap<u32, Vec<u32>>,
        away: &[u64],
    ) -> std::borrow::Cow<'a, [Seat]> {
        let (begin, end) = self.seat_range[p as usize];
        let own = &self.seats[begin as usize..end as usize];
        if away.is_empty() {
            return own.into();
        }
        let gone = |m: u32| away[m as usize / 64] & (1 << (m % 64)) != 0;
        let mut list: Vec<Seat> = own.iter().copied().filter(|s| !gone(s.member)).collect();
        if let Some(added) = extra.get(&p) {
            list.extend(added.iter().map(|&m| Seat {
                member: m,
                current: self.current[m as usize].unwrap_or(NO_CM),
                weight_milli: self.weight_milli[m as usize],
            }));
            list.sort_by_key(|s| (self.acuity_rank[s.member as usize], s.member));
        }
        list.into()
    }

    /// A practice's HCBS members under the plan (review decisions applied), placement order.
    pub fn members_at(&self, plan: &Plan, p: u32) -> Vec<u32> {
        self.members_with(plan, p, &self.moved_in(plan))
    }

    pub fn members(&self) -> usize {
        self.current.len()
    }

    pub fn practices(&self) -> usize {
        self.members_of.len()
    }

    pub fn care_managers(&self) -> usize {
        self.capacity.len()
    }

    /// Whether care manager `c` works in practice `p`'s county (a blank county matches none).
    pub fn same_county(&self, p: u32, c: u32) -> bool {
        let pc = self.practice_county[p as usize];
        pc != NO_COUNTY && pc == self.cm_county[c as usize]
    }

    /// A practice's county name ("" when blank).
    pub fn county_name(&self, p: u32) -> &str {
        match self.practice_county[p as usize] {
            NO_COUNTY => "",
            id => &self.county_names[id as usize],
        }
    }
}

/// A weight in thousandths (weights are validated positive when the config is read).
pub fn milli(weight: f64) -> u32 {
    (weight * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

//! A care manager's members under the plan, grouped new / leaving / staying with the reason
//! for each, as the CM window and the Supervisors screen show them. The reasons follow the
//! caseload rule (SPEC "Assignment and live caseload balancing"): a member joins a CM of
//! their practice, stays by continuity, or stays because their practice's CMs have no room
//! (overflow).

use std::collections::{BTreeMap, BTreeSet};

use super::model::Model;

/// Where a member stands with a care manager under the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// On the caseload under the plan, not at the start.
    New,
    /// On the caseload at the start, not under the plan.
    Leaving,
    /// On the caseload at the start and under the plan.
    Staying,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::New, Group::Leaving, Group::Staying];

    /// Heading of the group in a list.
    pub fn heading(self) -> &'static str {
        match self {
            Group::New => "new on the caseload",
            Group::Leaving => "leaving the caseload",
            Group::Staying => "staying",
        }
    }
}

impl Model {
    /// Members whose care manager is one of `cms` now or at the start: per care manager, the
    /// three groups, each sorted by practice name then member id. One pass over the members.
    pub(in crate::tui) fn grouped_caseloads(&self, cms: &BTreeSet<u32>) -> BTreeMap<u32, [Vec<u32>; 3]> {
        let mut out: BTreeMap<u32, [Vec<u32>; 3]> = BTreeMap::new();
        if cms.is_empty() {
            return out;
        }
        let (now, start) = (&self.totals.now.assigned, &self.data.start.assigned);
        for m in 0..now.len() {
            let (n, s) = (now[m], start[m]);
            for c in [n, s].into_iter().flatten().filter(|c| cms.contains(c)) {
                let group = match (n == Some(c), s == Some(c)) {
                    (true, true) => Group::Staying,
                    (true, false) => Group::New,
                    _ => Group::Leaving,
                };
                let groups = out.entry(c).or_default();
                let list = &mut groups[group as usize];
                if list.last() != Some(&(m as u32)) {
                    list.push(m as u32);
                }
            }
        }
        let d = &self.data;
        let plan = &self.editor.plan;
        for groups in out.values_mut() {
            for list in groups.iter_mut() {
                // Members are in id order already; a stable sort by practice keeps it within one.
                list.sort_by_cached_key(|&m| {
                    let p = d.ctx.practice_of(plan, m);
                    (p.is_none(), p.map(|p| d.practice_name(p).to_string()))
                });
            }
        }
        out
    }

    /// The grouped members of one care manager.
    pub(in crate::tui) fn caseload_groups(&self, cm: u32) -> [Vec<u32>; 3] {
        self.grouped_caseloads(&BTreeSet::from([cm])).remove(&cm).unwrap_or_default()
    }

    /// Why member `m` is where they are, seen from care manager `cm`'s caseload:
    /// "new from Ben Carter · CM of Riverside Family Medicine", "stays (overflow at …)".
    pub(in crate::tui) fn member_reason(&self, cm: u32, m: u32) -> String {
        let d = &self.data;
        let t = &self.totals;
        let plan = &self.editor.plan;
        let name = |c: Option<u32>| c.map_or("no care manager".to_string(), |c| d.cm_name(c).to_string());
        let (now, before) = (t.now.assigned[m as usize], d.start.assigned[m as usize]);
        let practice = d.ctx.practice_of(plan, m);
        let pname = practice.map_or("no practice", |p| d.practice_name(p));
        let cms_of_practice = practice.map_or([None, None], |p| plan.slots[p as usize]);
        if now == before {
            if t.now.overflow[m as usize] {
                format!("stays (overflow at {pname})")
            } else if practice.is_none() {
                "stays (no practice matched)".into()
            } else if cms_of_practice.contains(&Some(cm)) {
                format!("stays (continuity: a CM of {pname})")
            } else if cms_of_practice.iter().all(Option::is_none) {
                format!("stays ({pname} has no care manager)")
            } else {
                format!("stays · {pname}")
            }
        } else if now == Some(cm) {
            format!("new from {} · CM of {pname}", name(before))
        } else {
            format!("leaving to {} · CM of {pname}", name(now))
        }
    }
}

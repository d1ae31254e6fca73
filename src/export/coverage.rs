//! Coverage by county (SPEC Outputs, coverage.csv; the TUI's Counties screen): where a
//! regional phase-in stands. One function makes the rows so the screen and the file agree.
//!
//! Which county a thing counts under:
//! - a practice: its county from practices.csv, else "City, ST" (DAC rosters have no county),
//!   else "(no county)";
//! - an HCBS member: their practice's county under the plan (review decisions applied), so a
//!   row's members are the members of its practices; a member with no practice counts under
//!   "(no practice)";
//! - a care manager: their county from care_managers.csv, else "(no county)".
//!
//! So every practice, HCBS member and care manager is in exactly one row.

use std::collections::BTreeMap;

use super::Snapshot;
use crate::ingest::Practice;

/// Row name for practices and care managers without a county.
pub const NO_COUNTY: &str = "(no county)";

/// Row name for HCBS members without a practice.
pub const NO_PRACTICE: &str = "(no practice)";

/// One county's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountyRow {
    pub county: String,
    /// Roster practices in the county.
    pub practices: u32,
    /// Of those, duals_seen ≥ threshold.
    pub high_volume_practices: u32,
    /// Of those practices (all, not only high volume), the ones with at least one CM.
    pub practices_with_cm: u32,
    /// Distinct members with ≥ 1 crossover primary-care line at a high-volume practice of the
    /// county (a member seen at two of them counts once).
    pub duals_seen_high_volume: u32,
    /// HCBS members whose practice is in the county.
    pub hcbs_members: u32,
    /// Of those, the ones with one of their practice's CMs under the plan.
    pub hcbs_members_with_practice_cm: u32,
    /// Care managers based in the county.
    pub care_managers: u32,
    /// Their capacity, summed.
    pub capacity: u64,
    /// Their members under the plan, summed.
    pub members: u64,
}

impl CountyRow {
    /// HCBS members not (yet) with a CM of their practice: what is left to phase in.
    pub fn uncovered(&self) -> u32 {
        self.hcbs_members - self.hcbs_members_with_practice_cm
    }
}

/// Rows by county name (the "(no …)" rows last), and the total over all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub rows: Vec<CountyRow>,
    /// Sums, except duals_seen_high_volume: distinct members over all high-volume practices.
    pub total: CountyRow,
}

/// Columns of coverage.csv (SPEC).
pub const COLUMNS: &[&str] = &[
    "county",
    "practices",
    "high_volume_practices",
    "practices_with_cm",
    "duals_seen_high_volume",
    "hcbs_members",
    "hcbs_members_with_practice_cm",
    "care_managers",
    "capacity",
    "members",
];

impl CountyRow {
    /// The row as coverage.csv writes it.
    pub fn cells(&self) -> Vec<String> {
        let mut v = vec![self.county.clone()];
        v.extend(
            [
                self.practices.into(),
                self.high_volume_practices.into(),
                self.practices_with_cm.into(),
                self.duals_seen_high_volume.into(),
                self.hcbs_members.into(),
                self.hcbs_members_with_practice_cm.into(),
                self.care_managers.into(),
                self.capacity,
                self.members,
            ]
            .map(|n: u64| n.to_string()),
        );
        v
    }
}

/// The coverage row a practice counts under: its county, else "City, ST", else
/// [`NO_COUNTY`]. Screens that filter practices by a coverage row compare with this.
pub fn practice_county(p: &Practice) -> String {
    let place = p.place();
    if place.is_empty() { NO_COUNTY.to_string() } else { place }
}

/// Coverage of the snapshot's plan at its threshold.
pub fn coverage(s: &Snapshot) -> Coverage {
    let ds = s.ds;
    let mut index: BTreeMap<(bool, String), usize> = BTreeMap::new();
    let mut key = |name: String, special: bool| {
        let n = index.len();
        *index.entry((special, name)).or_insert(n)
    };
    let county_of: Vec<usize> = ds
        .roster
        .practices
        .iter()
        .map(|p| {
            let county = practice_county(p);
            let special = county == NO_COUNTY;
            key(county, special)
        })
        .collect();
    let cm_county: Vec<usize> = ds
        .care_managers
        .iter()
        .map(|c| if c.county.is_empty() { key(NO_COUNTY.into(), true) } else { key(c.county.clone(), false) })
        .collect();
    let no_practice = key(NO_PRACTICE.into(), true);
    let mut rows = vec![CountyRow::default(); index.len()];
    for ((_, name), &i) in &index {
        rows[i].county = name.clone();
    }
    let mut total = CountyRow { county: "Total".into(), ..CountyRow::default() };

    let mut duals = vec![0u32; ds.roster.practices.len()];
    for r in &s.analysis.ranked {
        duals[r.practice as usize] = r.duals_seen;
    }
    let high = |p: u32| duals[p as usize] >= s.threshold;
    for (p, &c) in county_of.iter().enumerate() {
        let row = &mut rows[c];
        row.practices += 1;
        row.high_volume_practices += u32::from(high(p as u32));
        row.practices_with_cm += u32::from(s.plan.slots[p].iter().any(Option::is_some));
    }
    // Distinct members per county (and over all), pairs being sorted by member: a county
    // counts a pair's member unless it has just counted that member (marked with member + 1).
    let mut counted = vec![0u32; rows.len()];
    let mut last_counted = 0u32;
    for pair in ds.claims.pairs.iter().filter(|pair| high(pair.practice)) {
        let (c, mark) = (county_of[pair.practice as usize], pair.member + 1);
        if counted[c] != mark {
            counted[c] = mark;
            rows[c].duals_seen_high_volume += 1;
        }
        if last_counted != mark {
            last_counted = mark;
            total.duals_seen_high_volume += 1;
        }
    }
    for m in 0..ds.assessments.len() {
        let (c, with_cm) = match s.ctx.practice_of(s.plan, m as u32) {
            Some(p) => {
                let cm = s.now.assigned[m];
                (county_of[p as usize], cm.is_some() && s.plan.slots[p as usize].contains(&cm))
            }
            None => (no_practice, false),
        };
        rows[c].hcbs_members += 1;
        rows[c].hcbs_members_with_practice_cm += u32::from(with_cm);
    }
    for (cm, &c) in cm_county.iter().enumerate() {
        let row = &mut rows[c];
        row.care_managers += 1;
        row.capacity += u64::from(ds.care_managers[cm].capacity);
        row.members += u64::from(s.now.count[cm]);
    }

    // Name order, the "(no …)" rows last; the "(no practice)" row only when someone is in it.
    let ordered: Vec<CountyRow> = index
        .values()
        .map(|&i| std::mem::take(&mut rows[i]))
        .filter(|r| r.county != NO_PRACTICE || r.hcbs_members > 0)
        .collect();
    for r in &ordered {
        total.practices += r.practices;
        total.high_volume_practices += r.high_volume_practices;
        total.practices_with_cm += r.practices_with_cm;
        total.hcbs_members += r.hcbs_members;
        total.hcbs_members_with_practice_cm += r.hcbs_members_with_practice_cm;
        total.care_managers += r.care_managers;
        total.capacity += r.capacity;
        total.members += r.members;
    }
    Coverage { rows: ordered, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::ingest::{LoadOptions, Progress};
    use crate::plan::{Plan, PlanContext};

    /// Two practices in two counties (one known only by city and state), a member seen at
    /// both, two HCBS members (one with no practice), a CM with no county.
    #[test]
    fn total_counts_a_member_seen_in_two_counties_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |name: &str, text: &str| std::fs::write(d.join(name), text).unwrap();
        write(
            "practices.csv",
            "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,city,state\n\
             1234567893,Lee,Ann,207Q00000X,P1,One Clinic,Adams,,\n\
             1245319599,Ray,Bo,207Q00000X,P2,Two Clinic,,Salem,OR\n",
        );
        write(
            "claims.csv",
            "member_id,service_date,rendering_npi,procedure_code,crossover\n\
             M1,2025-01-01,1234567893,99213,Y\nM1,2025-01-02,1245319599,99213,Y\nM2,2025-01-02,1245319599,99213,Y\n",
        );
        write(
            "assessments.csv",
            "member_id,assessment_date,pcp_response,care_manager_id\nM1,2025-01-01,x,C1\nM3,2025-01-01,,\n",
        );
        write("care_managers.csv", "care_manager_id,name,capacity\nC1,Pat,10\n");
        let ds = crate::ingest::load(d, LoadOptions::default(), &Progress::default()).unwrap();
        let analysis = Analysis::new(&ds);
        let ctx = PlanContext::new(&ds, &analysis);
        let start = ctx.start();
        let mut plan = Plan::empty(2);
        plan.slots[1] = [Some(0), None];
        let now = ctx.balance(&plan);
        let s =
            Snapshot { ds: &ds, analysis: &analysis, ctx: &ctx, plan: &plan, threshold: 1, start: &start, now: &now };
        let c = coverage(&s);
        let cells: Vec<String> = c.rows.iter().map(|r| r.cells().join(",")).collect();
        assert_eq!(
            cells,
            [
                "Adams,1,1,0,1,0,0,0,0,0",
                // M1's claims practice is P2 (latest line on a tie) and P2 has C1: covered.
                "\"Salem, OR\",1,1,1,2,1,1,0,0,0",
                "(no county),0,0,0,0,0,0,1,10,1",
                "(no practice),0,0,0,0,1,0,0,0,0",
            ]
            .map(|s| s.replace('"', ""))
        );
        assert_eq!(c.total.duals_seen_high_volume, 2, "M1 counts once over both counties");
        assert_eq!((c.total.practices, c.total.hcbs_members, c.total.uncovered()), (2, 2, 1));
    }
}

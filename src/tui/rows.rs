//! Which rows each screen shows: the practice, care-manager, supervisor and review lists,
//! filtered by their `/` search and sorted, rebuilt when the plan or a filter changes.

use std::sync::Arc;

use super::caseload::Group;
use super::grouping::PracticeRow;
use super::model::{CmSort, CountySort, Facet, Model, PracticeSort, ReviewFilter, SupRow};

impl Model {
    /// The practice under the cursor of the practice list.
    pub(in crate::tui) fn selected_practice(&self) -> Option<u32> {
        match self.practices.selected()? {
            PracticeRow::Practice(i) => Some(self.data.analysis.ranked[i as usize].practice),
            PracticeRow::System(_) => None,
        }
    }

    fn practice_matches_facet(&self, p: u32) -> bool {
        let d = &self.data;
        match &self.facet {
            None => true,
            Some(Facet::County(c)) => crate::coverage::practice_county(&d.ds.roster.practices[p as usize]) == *c,
            Some(Facet::Waiver(w)) => {
                d.ctx.members_of[p as usize].iter().any(|&m| *d.ds.assessments[m as usize].waiver == **w)
            }
        }
    }

    /// Filters and sorts the practice list (the filter matches names, ids and the names of
    /// the practice's clinicians).
    pub(in crate::tui) fn refresh_practices(&mut self) {
        let d = &self.data;
        let ranked = &d.analysis.ranked;
        let s = &self.practices.search;
        let words = super::names::query_words(s.text());
        let mut rows: Vec<u32> = (0..ranked.len() as u32)
            .filter(|&i| {
                let p = ranked[i as usize].practice;
                let pr = &d.ds.roster.practices[p as usize];
                self.practice_matches_facet(p)
                    && (s.matches(d.practice_name(p))
                        || s.text().eq_ignore_ascii_case(&pr.id)
                        || super::names::clinician_matches(&d.clinician_keys[p as usize], &words))
            })
            .collect();
        let practice = |i: &u32| ranked[*i as usize].practice as usize;
        let t = &self.totals;
        match self.practice_sort {
            PracticeSort::Rank => {}
            PracticeSort::Name => rows
                .sort_by(|a, b| d.ds.roster.practices[practice(a)].name.cmp(&d.ds.roster.practices[practice(b)].name)),
            PracticeSort::Hcbs => rows.sort_by_key(|i| std::cmp::Reverse(t.hcbs[practice(i)])),
            PracticeSort::Overflow => rows.sort_by_key(|i| std::cmp::Reverse(t.now.practice_overflow[practice(i)])),
        }
        if self.group_systems {
            let (rows, hits) = self.group_by_system(&rows);
            self.practices.set(rows);
            self.practices.hits = hits;
        } else {
            self.practices.set(rows.into_iter().map(PracticeRow::Practice).collect());
        }
    }

    /// Filters and sorts the care-manager list (the filter matches names and ids).
    pub(in crate::tui) fn refresh_cms(&mut self) {
        let d = &self.data;
        let s = &self.cms.search;
        let mut rows: Vec<u32> = (0..d.ds.care_managers.len() as u32)
            .filter(|&c| {
                let cm = &d.ds.care_managers[c as usize];
                s.matches(&cm.name) || s.text() == cm.id
            })
            .collect();
        let t = &self.totals;
        match self.cm_sort {
            CmSort::Utilization => {
                rows.sort_by(|&a, &b| t.utilization(d, b).total_cmp(&t.utilization(d, a)).then(a.cmp(&b)))
            }
            CmSort::Name => rows.sort_by(|&a, &b| d.cm_name(a).cmp(d.cm_name(b))),
            CmSort::Moves => rows.sort_by_key(|&c| {
                let m = t.moves[c as usize];
                (std::cmp::Reverse(m.members_in + m.members_out), c)
            }),
        }
        self.cms.set(rows);
    }

    /// Members whose care manager is `cm` now or was at the start, in member order (a plain
    /// scan, for tests to check the grouped lists against).
    #[cfg(test)]
    pub(in crate::tui) fn caseload_members(&self, cm: u32) -> Vec<u32> {
        let (now, start) = (&self.totals.now.assigned, &self.data.start.assigned);
        (0..now.len() as u32).filter(|&m| now[m as usize] == Some(cm) || start[m as usize] == Some(cm)).collect()
    }

    /// Rebuilds the Supervisors tree. With a filter, a supervisor or care manager whose name
    /// matches is a hit, and the supervisors above hits show (opened) as their context.
    pub(in crate::tui) fn refresh_supervisors(&mut self) {
        let d = Arc::clone(&self.data);
        let s = self.sups.search.clone();
        let filtering = s.is_active();
        let mut caseloads = self.grouped_caseloads(&self.cm_open);
        let (mut rows, mut hits) = (Vec::new(), Vec::new());
        for (si, (name, cms)) in d.supervisors.iter().enumerate() {
            let sup_hit = filtering && s.matches(name);
            let cm_hits: Vec<u32> =
                if filtering { cms.iter().copied().filter(|&c| s.matches(d.cm_name(c))).collect() } else { Vec::new() };
            if filtering && !sup_hit && cm_hits.is_empty() {
                continue;
            }
            if sup_hit || !filtering {
                hits.push(rows.len());
            }
            rows.push(SupRow::Supervisor(si));
            if !(self.sup_open.contains(&si) || (filtering && !cm_hits.is_empty())) {
                continue;
            }
            for &c in cms {
                let hit = cm_hits.contains(&c);
                if filtering && !sup_hit && !hit {
                    continue;
                }
                if hit || !filtering {
                    hits.push(rows.len());
                }
                rows.push(SupRow::Cm(c));
                if self.cm_open.contains(&c) {
                    let groups = caseloads.remove(&c).unwrap_or_default();
                    for (g, members) in Group::ALL.into_iter().zip(groups) {
                        if !members.is_empty() {
                            rows.push(SupRow::Group(c, g, members.len() as u32));
                            rows.extend(members.into_iter().map(|m| SupRow::Member(c, m)));
                        }
                    }
                }
            }
        }
        self.sups.rows = rows;
        self.sups.hits = hits;
    }

    /// The review queue, filtered by kind (`f`), the member's county (`F`) and the `/` search
    /// over what the member said, their id and county.
    pub(in crate::tui) fn refresh_review(&mut self) {
        let d = &self.data;
        let s = &self.review.search;
        let high_volume = self.totals.high_volume;
        let rows = (0..d.review_rows.len() as u32)
            .filter(|&i| {
                let r = &d.review_rows[i as usize];
                let kind = match self.review_filter {
                    ReviewFilter::All => true,
                    ReviewFilter::Kind(k) => r.kind == k,
                    ReviewFilter::HighVolume => {
                        r.candidates.iter().any(|c| (d.rank_pos[c.practice as usize] as usize) < high_volume)
                    }
                };
                let a = &d.ds.assessments[r.member as usize];
                let county = self.review_county.as_ref().is_none_or(|c| *c == r.county);
                kind && county && (s.matches(&r.said) || s.text() == a.member_id || s.matches(&r.county))
            })
            .collect();
        self.review.set(rows);
    }

    /// Review rows still without a decision.
    pub(in crate::tui) fn review_left(&self) -> usize {
        self.data.review_rows.iter().filter(|r| !self.editor.plan.review.contains_key(&r.member)).count()
    }

    /// Computes coverage for the current plan if it is missing or stale, then the list.
    pub(in crate::tui) fn ensure_coverage(&mut self) {
        if self.coverage.as_ref().is_some_and(|(rev, _)| *rev == self.revision) {
            return;
        }
        let snapshot = self.data.snapshot(&self.editor.plan, self.editor.threshold, &self.totals.now);
        self.coverage = Some((self.revision, crate::coverage::coverage(&snapshot)));
        self.refresh_counties();
    }

    /// The counties list, filtered by name and sorted.
    pub(in crate::tui) fn refresh_counties(&mut self) {
        let Some((_, cov)) = &self.coverage else { return };
        let s = &self.counties.search;
        let mut rows: Vec<u32> =
            (0..cov.rows.len() as u32).filter(|&i| s.matches(&cov.rows[i as usize].county)).collect();
        let r = |i: &u32| &cov.rows[*i as usize];
        match self.county_sort {
            CountySort::Uncovered => rows.sort_by_key(|i| (std::cmp::Reverse(r(i).uncovered()), *i)),
            CountySort::Name => {}
            CountySort::Hcbs => rows.sort_by_key(|i| (std::cmp::Reverse(r(i).hcbs_members), *i)),
        }
        self.counties.set(rows);
    }
}

//! Windows over a screen (topmost last): an open practice, the picker, the filter list, a
//! review choice, an auto-suggest proposal, a question.

use super::caseload::Group;
use super::goto::GoTo;
use super::list::List;
use super::model::{Facet, Model};
use crate::plan::fit::{Fit, Preview as FitPreview};
use crate::plan::suggest::Proposal;

/// An open practice.
#[derive(Debug, Clone)]
pub struct Detail {
    pub(in crate::tui) practice: u32,
    /// The practice's HCBS members under the plan.
    pub(in crate::tui) members: List<u32>,
    /// Selected care-manager slot (0 or 1).
    pub(in crate::tui) slot: usize,
}

/// A row of an open care manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmRow {
    /// The heading over the care manager's practices, with how many.
    Practices(u32),
    Practice(u32),
    /// The heading of a group of members, with its size.
    Group(Group, u32),
    Member(u32),
}

/// A care manager opened with Enter: their practices, then their members grouped new /
/// leaving / staying.
#[derive(Debug, Clone)]
pub struct CmWindow {
    pub(in crate::tui) cm: u32,
    pub(in crate::tui) list: List<CmRow>,
}

/// The care-manager picker for one slot of a practice.
#[derive(Debug, Clone)]
pub struct Picker {
    pub(in crate::tui) practice: u32,
    pub(in crate::tui) slot: usize,
    /// Care managers, best fit first (filtered by the search).
    pub(in crate::tui) list: List<u32>,
    /// How each listed care manager fits, by care manager index (room, county, served).
    pub(in crate::tui) fits: rustc_hash::FxHashMap<u32, Fit>,
    /// What filling the slot with the highlighted care manager would do.
    pub(in crate::tui) preview: Option<FitPreview>,
}

/// The county / waiver filter list.
#[derive(Debug, Clone)]
pub struct Facets {
    pub(in crate::tui) options: Vec<Option<Facet>>,
    /// The options filter the Review screen's rows by the member's county, not practices.
    pub(in crate::tui) review: bool,
    /// Indexes into `options`.
    pub(in crate::tui) list: List<u32>,
}

impl Facets {
    /// The window listing every option.
    pub(in crate::tui) fn new(options: Vec<Option<Facet>>, review: bool) -> Facets {
        let mut list = List::default();
        list.set((0..options.len() as u32).collect());
        Facets { options, review, list }
    }
}

/// Choosing the practice of a member on the Review screen.
#[derive(Debug, Clone)]
pub struct Choice {
    pub(in crate::tui) member: u32,
    /// Practices to choose from; `None` clears the decision.
    pub(in crate::tui) options: Vec<Option<u32>>,
    /// Indexes into `options`.
    pub(in crate::tui) list: List<u32>,
}

/// An auto-suggest proposal shown as a diff before it is accepted.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub(in crate::tui) proposal: Proposal,
    /// Indexes into the proposal's practices.
    pub(in crate::tui) list: List<u32>,
    /// The plan revision it was made for; accepting it after a change would mix two plans.
    pub(in crate::tui) revision: u64,
}

/// Questions that need an answer before anything else happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// q with unsaved changes: y saves and quits, n quits without saving.
    Quit,
    /// plan.csv changed on disk since it was loaded: y overwrites it.
    Overwrite,
    /// plan.csv could not be read at start: y replaces it with this plan.
    ReplaceUnreadable,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Detail(Detail),
    Picker(Picker),
    Facets(Facets),
    Choice(Choice),
    Proposal(Box<ProposalView>),
    Dialog(Dialog),
    CareManager(CmWindow),
    GoTo(GoTo),
}

impl Model {
    /// Rebuilds the lists of every open overlay after the plan or a search changed.
    pub(in crate::tui) fn refresh_overlays(&mut self) {
        let mut overlays = std::mem::take(&mut self.overlays);
        for o in &mut overlays {
            match o {
                Overlay::Detail(d) => self.refresh_detail(d),
                Overlay::Picker(p) => self.refresh_picker(p),
                Overlay::Facets(f) => {
                    let rows = (0..f.options.len() as u32)
                        .filter(|&i| f.list.search.matches(&facet_text(&f.options[i as usize], f.review)))
                        .collect();
                    f.list.set(rows);
                }
                Overlay::Choice(c) => {
                    let d = &self.data;
                    let rows = (0..c.options.len() as u32)
                        .filter(|&i| c.options[i as usize].is_none_or(|p| c.list.search.matches(d.practice_name(p))))
                        .collect();
                    c.list.set(rows);
                }
                Overlay::Proposal(v) => {
                    let d = &self.data;
                    let rows = (0..v.proposal.practices.len() as u32)
                        .filter(|&i| {
                            let p = v.proposal.practices[i as usize].practice;
                            v.list.search.matches(d.practice_name(p))
                        })
                        .collect();
                    v.list.set(rows);
                }
                Overlay::CareManager(w) => self.refresh_cm_window(w),
                Overlay::Dialog(_) | Overlay::GoTo(_) => {}
            }
        }
        self.overlays = overlays;
    }

    /// Rebuilds an open care manager's rows: practices, then the groups of members; the `/`
    /// filter keeps the practices and members whose name or id matches, under their headings.
    pub(in crate::tui) fn refresh_cm_window(&self, w: &mut CmWindow) {
        let d = &self.data;
        let s = &w.list.search;
        let (mut rows, mut hits) = (Vec::new(), Vec::new());
        let practices: Vec<u32> = self.totals.practices_of[w.cm as usize]
            .iter()
            .copied()
            .filter(|&p| s.matches(d.practice_name(p)))
            .collect();
        if !practices.is_empty() {
            rows.push(CmRow::Practices(practices.len() as u32));
            for p in practices {
                hits.push(rows.len());
                rows.push(CmRow::Practice(p));
            }
        }
        for (g, members) in Group::ALL.into_iter().zip(self.caseload_groups(w.cm)) {
            let members: Vec<u32> =
                members.into_iter().filter(|&m| s.matches(&d.ds.assessments[m as usize].member_id)).collect();
            if members.is_empty() {
                continue;
            }
            rows.push(CmRow::Group(g, members.len() as u32));
            for m in members {
                hits.push(rows.len());
                rows.push(CmRow::Member(m));
            }
        }
        w.list.rows = rows;
        w.list.hits = hits;
        let c = &mut w.list.cursor;
        c.pos = c.pos.min(w.list.rows.len().saturating_sub(1));
        c.offset = c.offset.min(c.pos);
    }

    pub(in crate::tui) fn refresh_detail(&self, d: &mut Detail) {
        let data = &self.data;
        let rows = data
            .ctx
            .members_at(&self.editor.plan, d.practice)
            .into_iter()
            .filter(|&m| {
                let a = &data.ds.assessments[m as usize];
                d.members.search.matches(&a.member_id)
            })
            .collect();
        d.members.set(rows);
    }

    /// Care managers for a practice, best fit first as [`crate::plan::fit`] orders them (the
    /// same order auto-suggest uses): those with room first, then same county, members of the
    /// practice already served, spare room.
    pub(in crate::tui) fn refresh_picker(&self, p: &mut Picker) {
        let d = &self.data;
        let search = &p.list.search;
        let fits = crate::plan::fit::picker_order(&d.ctx, &self.editor.plan, &self.totals.now, p.practice, |c| {
            search.matches(d.cm_name(c))
        });
        p.list.set(fits.iter().map(|f| f.cm).collect());
        p.fits = fits.into_iter().map(|f| (f.cm, f)).collect();
        p.list.cursor.fit(p.list.len(), usize::MAX);
        self.update_preview(p);
    }

    /// Computes what filling the picker's slot with the highlighted care manager would do.
    pub(in crate::tui) fn update_preview(&self, p: &mut Picker) {
        let d = &self.data;
        p.preview = p.list.selected().and_then(|cm| {
            crate::plan::fit::preview(&d.ctx, &self.editor.plan, &self.totals.now, p.practice, p.slot, cm).ok()
        });
    }

    /// The counties of the members in the review queue, for its county filter.
    pub(in crate::tui) fn review_county_options(&self) -> Vec<Option<Facet>> {
        let mut counties: Vec<String> =
            self.data.review_rows.iter().map(|r| r.county.clone()).filter(|c| !c.trim().is_empty()).collect();
        counties.sort();
        counties.dedup();
        std::iter::once(None).chain(counties.into_iter().map(|c| Some(Facet::County(c)))).collect()
    }

    /// Counties and waivers to filter practices by.
    pub(in crate::tui) fn facet_options(&self) -> Vec<Option<Facet>> {
        let d = &self.data;
        let mut counties: Vec<String> = d.ds.roster.practices.iter().map(crate::coverage::practice_county).collect();
        counties.sort();
        counties.dedup();
        let mut waivers: Vec<String> =
            d.ds.assessments.iter().map(|a| a.waiver.to_string()).filter(|w| !w.is_empty()).collect();
        waivers.sort();
        waivers.dedup();
        std::iter::once(None)
            .chain(counties.into_iter().map(|c| Some(Facet::County(c))))
            .chain(waivers.into_iter().map(|w| Some(Facet::Waiver(w))))
            .collect()
    }
}

/// How a facet option reads in the list.
pub(in crate::tui) fn facet_text(o: &Option<Facet>, review: bool) -> String {
    match o {
        None if review => "all counties".to_string(),
        None => "all practices".to_string(),
        Some(Facet::County(c)) => format!("county  {c}"),
        Some(Facet::Waiver(w)) => format!("waiver  {w}"),
    }
}

//! Keys of the four screens (Practices, Care managers, Supervisors, Review).

use super::super::app::Screen;
use super::super::app::{App, Effect, Phase};
use super::super::keys::{Action, Context};
use super::super::list::List;
use super::super::model::{CmSort, CountySort, Facet, PracticeSort, ReviewFilter, SupRow};
use super::super::overlay::{Choice, Detail, Facets, Overlay};
use super::global::describe;
use super::{editable, overlays, page};
use crate::matching::review::ReviewKind;
use crate::plan::Edit;

pub(super) fn act(app: &mut App, ctx: Context, action: Action) -> Vec<Effect> {
    match ctx {
        Context::Practices => practices(app, action),
        Context::CareManagers => {
            if action == Action::Open
                && let Some(m) = app.model_mut()
                && let Some(c) = m.cms.selected()
            {
                super::goto::open_cm(m, c, None);
            }
            if action == Action::Sort
                && let Some(m) = app.model_mut()
            {
                m.cm_sort = match m.cm_sort {
                    CmSort::Utilization => CmSort::Name,
                    CmSort::Name => CmSort::Moves,
                    CmSort::Moves => CmSort::Utilization,
                };
                m.refresh_cms();
            }
            Vec::new()
        }
        Context::Supervisors => {
            supervisors(app, action);
            Vec::new()
        }
        Context::Review => {
            review(app, action);
            Vec::new()
        }
        Context::Counties => {
            counties(app, action);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn practices(app: &mut App, action: Action) -> Vec<Effect> {
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    let selected = m.selected_practice();
    match action {
        Action::Suggest => return super::global::suggest(app),
        Action::Open if selected.is_none() && m.group_systems => {
            app.status = "a health system: its practices are listed under it (open one, or H to ungroup)".into();
        }
        Action::Group if !m.has_systems() => {
            app.status = "no health systems to group by: the data directory has no health_systems.csv".into();
        }
        Action::Group => {
            m.group_systems = !m.group_systems;
            m.refresh_practices();
            // The selected practice stays selected.
            m.practices.cursor = Default::default();
            if let Some(p) = selected {
                super::goto::select_practice(m, p, app.pages.get().screen);
            }
            app.status =
                if m.group_systems { "practices grouped by health system" } else { "practices ungrouped" }.into();
        }
        Action::Open => {
            if let Some(p) = selected {
                let mut d = Detail { practice: p, members: List::default(), slot: 0 };
                m.refresh_detail(&mut d);
                m.overlays.push(Overlay::Detail(d));
            }
        }
        Action::Assign => {
            if let Some(p) = selected {
                match m.editor.plan.slots[p as usize].iter().position(Option::is_none) {
                    Some(slot) => overlays::open_picker(m, p, slot),
                    None => {
                        app.status =
                            "this practice has two care managers: open it (Enter) and a replaces the selected slot"
                                .into()
                    }
                }
            }
        }
        Action::Unassign | Action::Swap => {
            let Some(p) = selected else { return Vec::new() };
            let last = if m.editor.plan.slots[p as usize][1].is_some() { 1 } else { 0 };
            if editable(app) {
                if action == Action::Swap {
                    overlays::swap(app, p);
                } else {
                    overlays::unassign(app, p, last);
                }
            }
        }
        Action::Sort => {
            m.practice_sort = match m.practice_sort {
                PracticeSort::Rank => PracticeSort::Name,
                PracticeSort::Name => PracticeSort::Hcbs,
                PracticeSort::Hcbs => PracticeSort::Overflow,
                PracticeSort::Overflow => PracticeSort::Rank,
            };
            m.refresh_practices();
        }
        Action::Facet => {
            m.overlays.push(Overlay::Facets(Facets::new(m.facet_options(), false)));
        }
        _ => {}
    }
    Vec::new()
}

/// Enter opens a care manager or a member's practice (and shows or hides a supervisor's
/// care managers); Space shows or hides the rows under a supervisor or a care manager.
fn supervisors(app: &mut App, action: Action) {
    let page = page(app, false);
    let Phase::Ready(m) = &mut app.phase else { return };
    match (action, m.sups.selected()) {
        (Action::Open | Action::Toggle, Some(SupRow::Supervisor(s))) => {
            if !m.sup_open.remove(&s) {
                m.sup_open.insert(s);
            }
        }
        (Action::Open, Some(SupRow::Cm(c))) => return super::goto::open_cm(m, c, None),
        (Action::Open, Some(SupRow::Member(_, mi))) => return super::goto::open_member(app, mi),
        (Action::Toggle, Some(SupRow::Cm(c) | SupRow::Group(c, ..) | SupRow::Member(c, _))) => {
            if !m.cm_open.remove(&c) {
                m.cm_open.insert(c);
            }
            // Closing from a member row leaves the cursor on its care manager.
            if let Some(pos) = m.sups.rows.iter().position(|r| *r == SupRow::Cm(c)) {
                m.sups.cursor.pos = pos.min(m.sups.cursor.pos);
            }
        }
        _ => return,
    }
    m.refresh_supervisors();
    m.sups.cursor.fit(m.sups.len(), page);
}

/// Enter accepts the preselected candidate and moves on; `c` opens the choice; `f` cycles
/// the kind filter.
fn review(app: &mut App, action: Action) {
    let page = page(app, false);
    let Phase::Ready(m) = &mut app.phase else { return };
    match action {
        Action::Facet => {
            m.review_filter = match m.review_filter {
                ReviewFilter::All => ReviewFilter::Kind(ReviewKind::Ambiguous),
                ReviewFilter::Kind(ReviewKind::Ambiguous) => ReviewFilter::Kind(ReviewKind::Conflict),
                ReviewFilter::Kind(_) => ReviewFilter::HighVolume,
                ReviewFilter::HighVolume => ReviewFilter::All,
            };
            m.refresh_review();
            m.review.cursor = Default::default();
        }
        Action::County => {
            m.overlays.push(Overlay::Facets(Facets::new(m.review_county_options(), true)));
        }
        Action::Open => {
            let Some(i) = m.review.selected() else { return };
            let row = &m.data.review_rows[i as usize];
            let Some(pick) = row.likeliest.map(|c| row.candidates[c].practice) else {
                return choose(app);
            };
            let member = row.member;
            if !editable(app) {
                return;
            }
            let Phase::Ready(m) = &mut app.phase else { return };
            let before = m.editor.plan.review.get(&member).copied();
            if before != Some(pick) {
                let edit = Edit { review: vec![(member, before, Some(pick))], ..Default::default() };
                app.status = describe(m, &edit);
                m.editor.commit(edit);
                m.plan_changed();
            }
            // On to the next row without a decision.
            let next = (m.review.cursor.pos + 1..m.review.len()).find(|&p| {
                let r = &m.data.review_rows[m.review.rows[p] as usize];
                !m.editor.plan.review.contains_key(&r.member)
            });
            if let Some(p) = next {
                m.review.cursor.jump(p, page);
            }
        }
        Action::Choose => choose(app),
        _ => {}
    }
}

/// Opens the choice of practice for the selected review row: its candidates, and "no decision".
fn choose(app: &mut App) {
    let Phase::Ready(m) = &mut app.phase else { return };
    let Some(i) = m.review.selected() else { return };
    let row = &m.data.review_rows[i as usize];
    let mut options: Vec<Option<u32>> = row.candidates.iter().map(|c| Some(c.practice)).collect();
    options.push(None);
    let mut list = List::default();
    list.set((0..options.len() as u32).collect());
    if let Some(l) = row.likeliest {
        list.cursor.pos = l;
    }
    let member = row.member;
    m.overlays.push(Overlay::Choice(Choice { member, options, list }));
}

/// Enter shows the county's practices (Esc comes back); `o` sorts.
fn counties(app: &mut App, action: Action) {
    let Phase::Ready(m) = &mut app.phase else { return };
    match action {
        Action::Sort => {
            m.county_sort = match m.county_sort {
                CountySort::Uncovered => CountySort::Name,
                CountySort::Name => CountySort::Hcbs,
                CountySort::Hcbs => CountySort::Uncovered,
            };
            m.refresh_counties();
        }
        Action::Open => {
            let Some(i) = m.counties.selected() else { return };
            let Some((_, cov)) = &m.coverage else { return };
            m.facet = Some(Facet::County(cov.rows[i as usize].county.clone()));
            m.practices.search = Default::default();
            m.refresh_practices();
            m.practices.cursor = Default::default();
            app.screen = Screen::Practices;
            app.back_to = Some(Screen::Counties);
        }
        _ => {}
    }
}

//! Keys of the four screens (Practices, Care managers, Supervisors, Review).

use super::super::app::{App, Effect, Phase};
use super::super::keys::{Action, Context};
use super::super::list::List;
use super::super::model::{CmSort, PracticeSort, SupRow};
use super::super::overlay::{Choice, Detail, Facets, Overlay};
use super::{editable, overlays, page};

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
        _ => Vec::new(),
    }
}

fn practices(app: &mut App, action: Action) -> Vec<Effect> {
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    let selected = m.selected_practice();
    match action {
        Action::Suggest => return super::global::suggest(app),
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
            let options = m.facet_options();
            let mut list = List::default();
            list.set((0..options.len() as u32).collect());
            m.overlays.push(Overlay::Facets(Facets { options, list }));
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

fn review(app: &mut App, action: Action) {
    let Phase::Ready(m) = &mut app.phase else { return };
    if action != Action::Open {
        return;
    }
    let Some(member) = m.review.selected() else { return };
    let mm = &m.data.analysis.members[member as usize];
    let mut options: Vec<Option<u32>> = mm.report.candidates.iter().map(|&p| Some(p)).collect();
    for p in [mm.report.practice, mm.claims_practice].into_iter().flatten() {
        if !options.contains(&Some(p)) {
            options.push(Some(p));
        }
    }
    options.push(None);
    let mut list = List::default();
    list.set((0..options.len() as u32).collect());
    m.overlays.push(Overlay::Choice(Choice { member, options, list }));
}

//! Keys of the windows over a screen: an open practice, the picker, the county/waiver list,
//! a review choice and an auto-suggest proposal.

use super::super::app::{App, Effect, Phase};
use super::super::keys::{Action, Context};
use super::super::list::List;
use super::super::model::{Facet, Model};
use super::super::overlay::{Overlay, Picker};
use super::editable;
use super::global::describe;
use crate::plan::Edit;

pub(super) fn act(app: &mut App, ctx: Context, action: Action) -> Vec<Effect> {
    match ctx {
        Context::Detail => detail(app, action),
        Context::Picker if action == Action::Open => pick(app),
        Context::Facets if action == Action::Open => {
            if let Some(m) = app.model_mut()
                && let Some(Overlay::Facets(f)) = m.overlays.pop()
                && let Some(i) = f.list.selected()
            {
                let option = f.options[i as usize].clone();
                if f.review {
                    m.review_county = option.map(|o| match o {
                        Facet::County(c) | Facet::Waiver(c) => c,
                    });
                    m.refresh_review();
                    m.review.cursor = Default::default();
                } else {
                    m.facet = option;
                    m.refresh_practices();
                    m.practices.cursor = Default::default();
                }
            }
        }
        Context::Choice if action == Action::Open => decide(app),
        Context::Proposal if action == Action::Open => accept(app),
        _ => {}
    }
    Vec::new()
}

/// Opens the picker for one slot of a practice.
pub(super) fn open_picker(m: &mut Model, practice: u32, slot: usize) {
    let mut p = Picker { practice, slot, list: List::default(), fits: Default::default(), preview: None };
    m.refresh_picker(&mut p);
    m.overlays.push(Overlay::Picker(p));
}

/// Commits an edit, recomputes everything once and says what changed.
fn commit(app: &mut App, edit: Edit) {
    let Phase::Ready(m) = &mut app.phase else { return };
    app.status = describe(m, &edit);
    m.editor.commit(edit);
    m.plan_changed();
}

pub(super) fn unassign(app: &mut App, practice: u32, slot: usize) {
    let Some(m) = app.model_mut() else { return };
    let result = m.editor.unassign(practice, slot);
    after_edit(app, result);
}

pub(super) fn swap(app: &mut App, practice: u32) {
    let Some(m) = app.model_mut() else { return };
    let result = if m.editor.plan.slots[practice as usize][1].is_some() {
        m.editor.swap(practice);
        Ok(())
    } else {
        Err(crate::plan::PlanError::NothingToSwap)
    };
    after_edit(app, result);
}

/// After an editor operation: recompute once and say what changed (or why nothing did).
fn after_edit(app: &mut App, result: Result<(), crate::plan::PlanError>) {
    let Phase::Ready(m) = &mut app.phase else { return };
    match result {
        Ok(()) => {
            app.status = m.editor.peek_undo().map(|e| describe(m, e)).unwrap_or_default();
            m.plan_changed();
        }
        Err(e) => app.status = e.to_string(),
    }
}

fn detail(app: &mut App, action: Action) {
    let Some(m) = app.model_mut() else { return };
    let Some(Overlay::Detail(d)) = m.overlays.last_mut() else { return };
    let (practice, slot) = (d.practice, d.slot);
    match action {
        Action::Left => d.slot = 0,
        Action::Right => d.slot = 1,
        Action::Assign => {
            // Slot 2 stays empty while slot 1 is: the picker fills the first empty one.
            let slots = m.editor.plan.slots[practice as usize];
            let slot = if slot == 1 && slots[0].is_none() { 0 } else { slot };
            open_picker(m, practice, slot);
        }
        Action::Unassign if editable(app) => unassign(app, practice, slot),
        Action::Swap if editable(app) => swap(app, practice),
        _ => {}
    }
}

/// Fills the picker's slot with the highlighted care manager, replacing whoever held it, in
/// one undoable step.
fn pick(app: &mut App) {
    if !editable(app) {
        return;
    }
    let Some(m) = app.model_mut() else { return };
    let Some(Overlay::Picker(p)) = m.overlays.last() else { return };
    let Some(cm) = p.list.selected() else { return };
    let (practice, slot) = (p.practice, p.slot);
    m.overlays.pop();
    let result = m.editor.fill(practice, slot, cm);
    after_edit(app, result);
}

fn decide(app: &mut App) {
    if !editable(app) {
        return;
    }
    let Some(m) = app.model_mut() else { return };
    let Some(Overlay::Choice(c)) = m.overlays.pop() else { return };
    let Some(i) = c.list.selected() else { return };
    let choice = c.options[i as usize];
    let before = m.editor.plan.review.get(&c.member).copied();
    if before == choice {
        return;
    }
    commit(app, Edit { review: vec![(c.member, before, choice)], ..Default::default() });
}

fn accept(app: &mut App) {
    if !editable(app) {
        return;
    }
    let Some(m) = app.model_mut() else { return };
    let Some(Overlay::Proposal(v)) = m.overlays.pop() else { return };
    if v.revision != m.revision {
        app.status = "the plan changed since this proposal; press A again".into();
        return;
    }
    let summary = v.proposal.totals();
    commit(app, v.proposal.edit);
    app.status = format!("accepted (u undoes): {summary}");
}

//! Keys that work everywhere (quit, help, screens, undo, save, export, threshold, Esc) and
//! the answers to dialogs.

use std::sync::Arc;

use super::super::app::{App, Effect, ExportJob, Job, Phase, SaveJob, Screen, SuggestJob};
use super::super::keys::Action;
use super::super::list::Cursor;
use super::super::model::Model;
use super::super::overlay::{Dialog, Overlay};
use super::{SAVING, editable};
use crate::plan::Edit;

pub(super) fn act(app: &mut App, action: Action) -> Vec<Effect> {
    let exporting = app.is_running(Job::Exporting);
    let saving = app.is_running(Job::Saving);
    let Phase::Ready(m) = &mut app.phase else {
        match action {
            Action::Quit => app.quit = true,
            Action::Help => app.help = Some(Cursor::default()),
            Action::Back => app.help = None,
            _ => {}
        }
        return Vec::new();
    };
    match action {
        Action::Quit => {
            if m.is_dirty() {
                m.overlays.push(Overlay::Dialog(Dialog::Quit));
            } else {
                app.quit = true;
            }
        }
        Action::Help => app.help = Some(Cursor::default()),
        Action::Screen(n) => go(app, Screen::ALL[usize::from(n.clamp(1, 5)) - 1]),
        Action::NextScreen | Action::PrevScreen => {
            let i = Screen::ALL.iter().position(|&s| s == app.screen).unwrap_or(0);
            let n = Screen::ALL.len();
            let next = if action == Action::NextScreen { (i + 1) % n } else { (i + n - 1) % n };
            go(app, Screen::ALL[next]);
        }
        Action::Undo | Action::Redo if !saving => undo_redo(app, action == Action::Undo),
        Action::Undo | Action::Redo => app.status = SAVING.into(),
        Action::Save => return save(app, true),
        Action::Export => {
            if exporting {
                app.status = "already exporting".into();
                return Vec::new();
            }
            app.running.push(Job::Exporting);
            return vec![Effect::Export(ExportJob {
                data: Arc::clone(&m.data),
                plan: m.editor.plan.clone(),
                threshold: m.threshold(),
                unsaved: m.is_dirty(),
            })];
        }
        Action::ThresholdUp | Action::ThresholdDown => {
            if !editable(app) {
                return Vec::new();
            }
            let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
            let t = m.threshold();
            let t = if action == Action::ThresholdUp { t.saturating_add(1) } else { t.saturating_sub(1).max(1) };
            m.editor.set_threshold(t);
            m.plan_changed();
            app.status = format!(
                "threshold {}: {} high-volume practices",
                crate::fmt::thousands(u64::from(t)),
                crate::fmt::thousands(m.totals.high_volume as u64)
            );
        }
        Action::Back if m.overlays.is_empty() && app.back_to.is_some() => {
            // Enter on a county showed its practices: Esc clears that and goes back.
            m.facet = None;
            m.refresh_practices();
            let to = app.back_to.take().unwrap_or(Screen::Practices);
            app.screen = to;
        }
        Action::Back => back(m),
        Action::GoTo => {
            app.help = None;
            m.overlays.push(Overlay::GoTo(Default::default()));
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn go(app: &mut App, screen: Screen) {
    if let Some(m) = app.model_mut() {
        m.overlays.clear();
    }
    app.help = None;
    app.back_to = None;
    app.screen = screen;
}

/// Esc: clears the top overlay's filter, else closes it; on a screen, clears its filter.
fn back(m: &mut Model) {
    let search = match m.overlays.last_mut() {
        Some(Overlay::Detail(d)) => Some(&mut d.members.search),
        Some(Overlay::Picker(p)) => Some(&mut p.list.search),
        Some(Overlay::Facets(f)) => Some(&mut f.list.search),
        Some(Overlay::Choice(c)) => Some(&mut c.list.search),
        Some(Overlay::Proposal(v)) => Some(&mut v.list.search),
        Some(Overlay::CareManager(w)) => Some(&mut w.list.search),
        _ => None,
    };
    if let Some(s) = search.filter(|s| s.is_active()) {
        *s = Default::default();
        m.refresh_overlays();
    } else if m.overlays.pop().is_none() {
        for s in [&mut m.practices.search, &mut m.cms.search, &mut m.sups.search, &mut m.review.search] {
            *s = Default::default();
        }
        m.facet = None;
        m.refresh_lists();
    }
}

fn undo_redo(app: &mut App, undo: bool) {
    let Phase::Ready(m) = &mut app.phase else { return };
    let edit = if undo { m.editor.peek_undo() } else { m.editor.peek_redo() }.cloned();
    let Some(edit) = edit else {
        app.status = if undo { "nothing to undo" } else { "nothing to redo" }.into();
        return;
    };
    if undo {
        m.editor.undo();
    } else {
        m.editor.redo();
    }
    m.plan_changed();
    app.status = format!("{}: {}", if undo { "undid" } else { "redid" }, describe(m, &edit));
}

/// One line saying what an edit did, as the user would put it.
pub(super) fn describe(m: &Model, edit: &Edit) -> String {
    let d = &m.data;
    let mut parts = Vec::new();
    if edit.slots.len() > 2 {
        parts.push(format!("care managers of {} practices", crate::fmt::thousands(edit.slots.len() as u64)));
    } else {
        for (p, before, after) in &edit.slots {
            for slot in 0..2 {
                let name = |c: Option<u32>| c.map_or("nobody".to_string(), |c| d.cm_name(c).to_string());
                if before[slot] != after[slot] {
                    parts.push(format!(
                        "{} slot {}: {} → {}",
                        d.practice_name(*p),
                        slot + 1,
                        name(before[slot]),
                        name(after[slot])
                    ));
                }
            }
        }
    }
    if let Some((before, after)) = edit.threshold {
        parts.push(format!("threshold {before} → {after}"));
    }
    match edit.review.len() {
        0 => {}
        1 => parts.push(format!("review decision for {}", d.ds.assessments[edit.review[0].0 as usize].member_id)),
        n => parts.push(format!("{} review decisions", crate::fmt::thousands(n as u64))),
    }
    if parts.is_empty() { "no change".into() } else { parts.join("; ") }
}

/// Saves the plan on the worker thread; asks first when plan.csv could not be read.
pub(super) fn save(app: &mut App, check_disk: bool) -> Vec<Effect> {
    if app.is_running(Job::Saving) {
        app.status = "already saving".into();
        return Vec::new();
    }
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    if m.plan_unreadable.is_some() {
        m.overlays.push(Overlay::Dialog(Dialog::ReplaceUnreadable));
        return Vec::new();
    }
    app.running.push(Job::Saving);
    vec![Effect::Save(SaveJob {
        data: Arc::clone(&m.data),
        plan: m.editor.plan.clone(),
        threshold: m.threshold(),
        path: m.plan_path.clone(),
        expected: check_disk.then_some(m.plan_stamp),
    })]
}

/// Starts auto-suggest on the worker thread.
pub(super) fn suggest(app: &mut App) -> Vec<Effect> {
    if app.is_running(Job::Suggesting) {
        app.status = "auto-suggest is already running".into();
        return Vec::new();
    }
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    app.running.push(Job::Suggesting);
    vec![Effect::Suggest(SuggestJob {
        data: Arc::clone(&m.data),
        plan: m.editor.plan.clone(),
        threshold: m.threshold(),
        revision: m.revision,
    })]
}

/// The answer to the dialog on top.
pub(super) fn answer(app: &mut App, action: Action) -> Vec<Effect> {
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    let Some(Overlay::Dialog(dialog)) = m.overlays.pop() else { return Vec::new() };
    match (dialog, action) {
        (Dialog::Quit, Action::Yes) => {
            app.quit_after_save = true;
            save(app, true)
        }
        (Dialog::Quit, Action::No) => {
            app.quit = true;
            Vec::new()
        }
        (Dialog::Overwrite, Action::Yes) => save(app, false),
        (Dialog::ReplaceUnreadable, Action::Yes) => {
            m.plan_unreadable = None;
            save(app, false)
        }
        (Dialog::Quit, _) => {
            app.status = "quit cancelled".into();
            Vec::new()
        }
        (_, _) => {
            app.quit_after_save = false;
            app.status = "not saved".into();
            Vec::new()
        }
    }
}

//! The one place state changes: `update(app, msg) -> effects`. A key is looked up in the
//! key table for the current context chain and handled by the function of the context whose
//! binding it is; slow work comes back as [`Effect`]s for the worker thread.

mod global;
mod goto;
mod lists;
mod overlays;
mod screens;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Done, Effect, Job, Msg, Phase, Saved, Screen};
use super::keys::{self, Action, Context};
use super::model::Model;
use super::overlay::{Dialog, Overlay, ProposalView};

/// Applies one message; returns the effects to run.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Msg::Tick => Vec::new(),
        Msg::Loaded(Ok(loaded)) => {
            let skipped = loaded.skipped();
            // Warnings about a whole file (a roster without practice names) come first.
            let mut notes: Vec<String> = loaded.file_warnings().collect();
            let (model, note) = Model::new(*loaded);
            if skipped > 0 {
                notes
                    .push(format!("{} bad rows skipped; `carealign check` lists them", crate::fmt::thousands(skipped)));
            }
            if !note.is_empty() {
                notes.push(note);
            }
            app.status = notes.join("; ");
            app.phase = Phase::Ready(Box::new(model));
            Vec::new()
        }
        Msg::Loaded(Err(e)) => {
            app.phase = Phase::Failed(e.to_string());
            Vec::new()
        }
        Msg::Done(done) => finished(app, done),
        Msg::Key(key) => {
            let effects = key_press(app, key);
            if app.screen == Screen::Counties
                && let Some(m) = app.model_mut()
            {
                m.ensure_coverage();
            }
            effects
        }
    }
}

fn key_press(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let chain = app.contexts();
    if chain == [Context::Text] {
        return lists::type_key(app, key);
    }
    if chain == [Context::GoTo] {
        return goto::type_key(app, key);
    }
    let Some((ctx, action)) = keys::lookup(&chain, &key) else { return Vec::new() };
    match ctx {
        Context::Everywhere => global::act(app, action),
        Context::Lists | Context::Help => lists::act(app, action),
        Context::Dialog => global::answer(app, action),
        Context::Practices | Context::CareManagers | Context::Supervisors | Context::Review | Context::Counties => {
            screens::act(app, ctx, action)
        }
        Context::Detail | Context::Picker | Context::Facets | Context::Choice | Context::Proposal => {
            overlays::act(app, ctx, action)
        }
        Context::CareManager => goto::open_cm_row(app),
        Context::Text | Context::GoTo => Vec::new(),
    }
}

/// Whether a key is text for a text field: printable, without Ctrl or Alt.
fn is_text(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_)) && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Why an edit waits.
const SAVING: &str = "saving the plan; try again in a moment";

/// Whether the plan may change now: not while a save of it is being written.
fn editable(app: &mut App) -> bool {
    if app.is_running(Job::Saving) {
        app.status = SAVING.into();
        return false;
    }
    true
}

fn finished(app: &mut App, done: Done) -> Vec<Effect> {
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    match done {
        Done::Saved(saved) => {
            app.running.retain(|j| *j != Job::Saving);
            match saved {
                Saved::Written { stamp, practices } => {
                    m.plan_stamp = stamp;
                    m.plan_unreadable = None;
                    m.editor.mark_saved();
                    app.status = format!(
                        "saved {} ({} practices assigned)",
                        m.plan_path.display(),
                        crate::fmt::thousands(practices as u64)
                    );
                    if app.quit_after_save {
                        app.quit = true;
                    }
                }
                Saved::ChangedOnDisk => m.overlays.push(Overlay::Dialog(Dialog::Overwrite)),
                Saved::Failed(e) => {
                    app.quit_after_save = false;
                    app.status = format!("not saved: {e}");
                }
            }
        }
        Done::Exported { result, unsaved } => {
            app.running.retain(|j| *j != Job::Exporting);
            app.status = match result {
                Ok(done) if unsaved => format!("exported the current plan, not yet saved: {}", done.summary()),
                Ok(done) => format!("exported the saved plan: {}", done.summary()),
                Err(e) => format!("not exported: {e}"),
            };
        }
        Done::Suggested { revision, proposal } => {
            app.running.retain(|j| *j != Job::Suggesting);
            if revision != m.revision {
                app.status = "the plan changed while auto-suggest ran; press A again".into();
            } else if proposal.edit.slots.is_empty() {
                app.status = "every high-volume practice already has a care manager".into();
            } else {
                app.status.clear();
                let mut view = ProposalView { proposal: *proposal, list: Default::default(), revision };
                view.list.set((0..view.proposal.practices.len() as u32).collect());
                m.overlays.push(Overlay::Proposal(Box::new(view)));
            }
        }
    }
    Vec::new()
}

/// Shorthand used by the context handlers.
fn page(app: &App, overlay: bool) -> usize {
    let p = app.pages.get();
    if overlay { p.overlay } else { p.screen }
}

/// Actions that move in a list (for the overlays that react to moving, like the picker).
fn is_navigation(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::PageUp
            | Action::PageDown
            | Action::HalfUp
            | Action::HalfDown
    )
}

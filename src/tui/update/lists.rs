//! Moving in whichever list has the focus (an overlay's, else the screen's, or the help
//! text), `/` filtering with n/N, and typing into the filter.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::super::app::{App, Effect, Phase, Screen};
use super::super::keys::{self, Action, Context};
use super::super::list::{Cursor, List, Search};
use super::super::model::Model;
use super::super::overlay::Overlay;
use super::{is_navigation, is_text, page};

/// What the focused list offers, whatever its row type.
trait Focus {
    fn cursor(&mut self) -> &mut Cursor;
    fn len(&self) -> usize;
    fn search(&mut self) -> &mut Search;
    fn step(&mut self, forward: bool, page: usize) -> bool;
    fn settle(&mut self, page: usize);
}

impl<T: Copy> Focus for List<T> {
    fn cursor(&mut self) -> &mut Cursor {
        &mut self.cursor
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    fn search(&mut self) -> &mut Search {
        &mut self.search
    }
    fn step(&mut self, forward: bool, page: usize) -> bool {
        self.step_match(forward, page)
    }
    fn settle(&mut self, page: usize) {
        List::settle(self, page)
    }
}

/// The list keys go to, and whether it is an overlay's.
fn focused(m: &mut Model, screen: Screen) -> Option<(&mut dyn Focus, bool)> {
    let overlay = !m.overlays.is_empty();
    let list: &mut dyn Focus = match m.overlays.last_mut() {
        Some(Overlay::Detail(d)) => &mut d.members,
        Some(Overlay::Picker(p)) => &mut p.list,
        Some(Overlay::Facets(f)) => &mut f.list,
        Some(Overlay::Choice(c)) => &mut c.list,
        Some(Overlay::Proposal(v)) => &mut v.list,
        Some(Overlay::CareManager(w)) => &mut w.list,
        Some(Overlay::GoTo(g)) => &mut g.list,
        Some(Overlay::Dialog(_)) => return None,
        None => match screen {
            Screen::Practices => &mut m.practices,
            Screen::CareManagers => &mut m.cms,
            Screen::Supervisors => &mut m.sups,
            Screen::Review => &mut m.review,
            Screen::Counties => &mut m.counties,
        },
    };
    Some((list, overlay))
}

/// After the focused list's filter changed: rebuild that list only.
fn refilter(m: &mut Model, screen: Screen) {
    if !m.overlays.is_empty() {
        m.refresh_overlays();
        return;
    }
    match screen {
        Screen::Practices => m.refresh_practices(),
        Screen::CareManagers => m.refresh_cms(),
        Screen::Supervisors => m.refresh_supervisors(),
        Screen::Review => m.refresh_review(),
        Screen::Counties => m.refresh_counties(),
    }
}

pub(super) fn act(app: &mut App, action: Action) -> Vec<Effect> {
    if app.help.is_some() {
        if action == Action::Back {
            app.help = None;
        } else {
            let len = super::super::view::help_len(&app.contexts_below_help(), app.size.0);
            let page = app.pages.get().help;
            if let Some(c) = &mut app.help {
                c.navigate(action, len.saturating_sub(page) + 1, page);
            }
        }
        return Vec::new();
    }
    let screen = app.screen;
    let (screen_page, overlay_page) = (page(app, false), page(app, true));
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    let Some((list, overlay)) = focused(m, screen) else { return Vec::new() };
    let page = if overlay { overlay_page } else { screen_page };
    match action {
        Action::Filter => list.search().typing = true,
        Action::NextMatch | Action::PrevMatch => {
            if !list.search().is_active() {
                app.status = "no filter: / starts one".into();
            } else if !list.step(action == Action::NextMatch, page) {
                app.status = "nothing matches the filter".into();
            }
        }
        a if is_navigation(a) => {
            let len = list.len();
            list.cursor().navigate(a, len, page);
        }
        _ => {}
    }
    moved(m);
    Vec::new()
}

/// The picker's preview follows its cursor.
fn moved(m: &mut Model) {
    if matches!(m.overlays.last(), Some(Overlay::Picker(_)))
        && let Some(Overlay::Picker(mut p)) = m.overlays.pop()
    {
        m.update_preview(&mut p);
        m.overlays.push(Overlay::Picker(p));
    }
}

/// A key while a filter is being typed: text goes into it; Enter keeps it, Esc clears it,
/// arrows move in the list; keys with Ctrl work as everywhere (Ctrl-c quits).
pub(super) fn type_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = keys::lookup(&[Context::Text], &key).map(|(_, a)| a);
    if action.is_none() && !is_text(&key) && key.code != KeyCode::Backspace {
        return match keys::lookup(&[Context::Everywhere], &key) {
            Some((_, a)) if key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL) => {
                super::global::act(app, a)
            }
            _ => Vec::new(),
        };
    }
    let screen = app.screen;
    let (screen_page, overlay_page) = (page(app, false), page(app, true));
    let Phase::Ready(m) = &mut app.phase else { return Vec::new() };
    let Some((list, overlay)) = focused(m, screen) else { return Vec::new() };
    let page = if overlay { overlay_page } else { screen_page };
    match (action, key.code) {
        (Some(Action::Open), _) => {
            list.search().typing = false;
            return Vec::new();
        }
        (Some(Action::Back), _) => *list.search() = Search::default(),
        (Some(a), _) if is_navigation(a) => {
            let len = list.len();
            list.cursor().navigate(a, len, page);
            moved(m);
            return Vec::new();
        }
        (_, KeyCode::Backspace) => {
            list.search().text.pop();
        }
        (_, KeyCode::Char(c)) => list.search().text.push(c),
        _ => return Vec::new(),
    }
    refilter(m, screen);
    if let Some((list, _)) = focused(m, screen) {
        list.settle(page);
    }
    moved(m);
    Vec::new()
}

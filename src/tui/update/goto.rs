//! Jumps: the go-to field (`:`), opening a care manager, and opening a practice (with one
//! of its members selected) from a care manager or a member row.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{App, Effect, Phase, Screen};
use super::super::goto::Target;
use super::super::grouping::PracticeRow;
use super::super::keys::{self, Action, Context};
use super::super::list::List;
use super::super::model::Model;
use super::super::overlay::{CmRow, CmWindow, Detail, Overlay};
use super::{is_navigation, is_text, page};

/// A key while go-to is open: text goes into the field; Enter goes, Esc closes, arrows move.
pub(super) fn type_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = keys::lookup(&[Context::GoTo], &key).map(|(_, a)| a);
    if action.is_none() && key.modifiers.contains(KeyModifiers::CONTROL) {
        // Ctrl-c quits, as everywhere.
        if let Some((_, a)) = keys::lookup(&[Context::Everywhere], &key) {
            return super::global::act(app, a);
        }
        return Vec::new();
    }
    let page = page(app, true);
    let Some(m) = app.model_mut() else { return Vec::new() };
    let Some(Overlay::GoTo(mut g)) = m.overlays.pop() else { return Vec::new() };
    match (action, key.code) {
        (Some(Action::Open), _) => {
            let Some(target) = g.list.selected() else {
                let text = g.list.search.text().to_string();
                m.overlays.push(Overlay::GoTo(g));
                app.status = format!("nothing to go to for “{text}”");
                return Vec::new();
            };
            go_to(app, target);
            return Vec::new();
        }
        (Some(Action::Back), _) => return Vec::new(),
        (Some(a), _) if is_navigation(a) => {
            let len = g.list.len();
            g.list.cursor.navigate(a, len, page);
        }
        (_, KeyCode::Backspace) => {
            g.list.search.text.pop();
            m.refresh_goto(&mut g);
        }
        (_, KeyCode::Char(c)) if is_text(&key) => {
            g.list.search.text.push(c);
            m.refresh_goto(&mut g);
        }
        _ => {}
    }
    m.overlays.push(Overlay::GoTo(g));
    Vec::new()
}

/// Goes to a practice (its detail on the Practices screen), a care manager (their window on
/// the Care managers screen) or a member (their practice with them selected; without a
/// practice, their care manager with them selected).
fn go_to(app: &mut App, target: Target) {
    let screen_page = page(app, false);
    let Phase::Ready(m) = &app.phase else { return };
    let (screen, practice, cm, member) = match target {
        Target::Practice(p) => (Screen::Practices, Some(p), None, None),
        Target::Cm(c) => (Screen::CareManagers, None, Some(c), None),
        Target::Member(mi) => match m.data.ctx.practice_of(&m.editor.plan, mi) {
            Some(p) => (Screen::Practices, Some(p), None, Some(mi)),
            None => match m.totals.now.assigned[mi as usize] {
                Some(c) => (Screen::CareManagers, None, Some(c), Some(mi)),
                None => {
                    app.status = format!(
                        "member {} has no practice and no care manager",
                        m.data.ds.assessments[mi as usize].member_id
                    );
                    return;
                }
            },
        },
    };
    super::global::go(app, screen);
    let Some(m) = app.model_mut() else { return };
    if let Some(p) = practice {
        select_practice(m, p, screen_page);
        open_practice(m, p, member);
    } else if let Some(c) = cm {
        select_cm(m, c, screen_page);
        open_cm(m, c, member);
    }
}

/// Puts the practice list's cursor on `p`, clearing the filters that hide it.
pub(super) fn select_practice(m: &mut Model, p: u32, page: usize) {
    let find = |m: &Model| {
        m.practices.rows.iter().position(|&row| match row {
            PracticeRow::Practice(i) => m.data.analysis.ranked[i as usize].practice == p,
            PracticeRow::System(_) => false,
        })
    };
    if find(m).is_none() {
        m.practices.search = Default::default();
        m.facet = None;
        m.refresh_practices();
    }
    if let Some(pos) = find(m) {
        m.practices.cursor.jump(pos, page);
    }
}

/// Puts the care-manager list's cursor on `c`, clearing the filter that hides them.
fn select_cm(m: &mut Model, c: u32, page: usize) {
    if !m.cms.rows.contains(&c) {
        m.cms.search = Default::default();
        m.refresh_cms();
    }
    if let Some(pos) = m.cms.rows.iter().position(|&x| x == c) {
        m.cms.cursor.jump(pos, page);
    }
}

/// Opens a practice over whatever is on screen, with `member` selected when given.
pub(super) fn open_practice(m: &mut Model, practice: u32, member: Option<u32>) {
    let mut d = Detail { practice, members: List::default(), slot: 0 };
    m.refresh_detail(&mut d);
    if let Some(pos) = member.and_then(|mi| d.members.rows.iter().position(|&x| x == mi)) {
        // The selected member on the first row shown, whatever the window's height.
        d.members.cursor.jump(pos, 1);
    }
    m.overlays.push(Overlay::Detail(d));
}

/// Opens a care manager over whatever is on screen, with `member` selected when given.
pub(super) fn open_cm(m: &mut Model, cm: u32, member: Option<u32>) {
    let mut w = CmWindow { cm, list: List::default() };
    m.refresh_cm_window(&mut w);
    if let Some(pos) = member.and_then(|mi| w.list.rows.iter().position(|&r| r == CmRow::Member(mi))) {
        w.list.cursor.jump(pos, 1);
    }
    m.overlays.push(Overlay::CareManager(w));
}

/// Opens the practice of a member, with the member selected (says so when they have none).
pub(super) fn open_member(app: &mut App, member: u32) {
    let Some(m) = app.model_mut() else { return };
    match m.data.ctx.practice_of(&m.editor.plan, member) {
        Some(p) => open_practice(m, p, Some(member)),
        None => {
            let id = &m.data.ds.assessments[member as usize].member_id;
            app.status = format!("member {id} has no practice to open");
        }
    }
}

/// Enter in an open care manager: the highlighted practice, or the highlighted member's.
pub(super) fn open_cm_row(app: &mut App) -> Vec<Effect> {
    let Some(m) = app.model_mut() else { return Vec::new() };
    let Some(Overlay::CareManager(w)) = m.overlays.last() else { return Vec::new() };
    match w.list.selected() {
        Some(CmRow::Practice(p)) => open_practice(m, p, None),
        Some(CmRow::Member(mi)) => open_member(app, mi),
        _ => {}
    }
    Vec::new()
}

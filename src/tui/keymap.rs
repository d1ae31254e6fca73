//! Keys → actions. One table, so the footer and the help screen say what the keys really do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Back,
    NextScreen,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    ThresholdUp,
    ThresholdDown,
}

/// Reads a key press; `None` for keys that do nothing.
pub fn action(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('d') if ctrl => Action::HalfDown,
        KeyCode::Char('u') if ctrl => Action::HalfUp,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::NextScreen,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::ThresholdUp,
        KeyCode::Char('-') => Action::ThresholdDown,
        _ => return None,
    })
}

/// Key help: (keys, footer word, help-screen text).
pub const HELP: &[(&str, &str, &str)] = &[
    ("j/k", "move", "move the selection (↑/↓ too)"),
    ("g/G", "ends", "first / last row (Home/End too)"),
    ("PgUp/PgDn", "page", "page up / down"),
    ("^d/^u", "½page", "half a page down / up (Ctrl-d, Ctrl-u)"),
    ("+/-", "threshold", "raise / lower the high-volume threshold (duals seen)"),
    ("Tab", "next", "next screen"),
    ("?", "help", "this help"),
    ("Esc", "back", "back to the previous screen"),
    ("q", "quit", "quit (Ctrl-c too)"),
];

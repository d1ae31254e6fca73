//! Keys → actions. One table, so the footer and the help screen say what the keys really do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for (outside text entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Back,
    NextScreen,
    /// Go to screen 1..=5.
    Screen(u8),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    Left,
    Right,
    Open,
    Assign,
    Unassign,
    Swap,
    Undo,
    Redo,
    Save,
    Export,
    Suggest,
    Filter,
    Facet,
    Sort,
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
        KeyCode::Char('r') if ctrl => Action::Redo,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::NextScreen,
        KeyCode::Char(c @ '1'..='4') => Action::Screen(c as u8 - b'0'),
        KeyCode::Char('5') => Action::Help,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('h') | KeyCode::Left => Action::Left,
        KeyCode::Char('l') | KeyCode::Right => Action::Right,
        KeyCode::Enter => Action::Open,
        KeyCode::Char('a') => Action::Assign,
        KeyCode::Char('x') => Action::Unassign,
        KeyCode::Char('w') => Action::Swap,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('s') => Action::Save,
        KeyCode::Char('e') => Action::Export,
        KeyCode::Char('A') => Action::Suggest,
        KeyCode::Char('/') => Action::Filter,
        KeyCode::Char('f') => Action::Facet,
        KeyCode::Char('o') => Action::Sort,
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
    ("Enter", "open/pick", "open the practice (clinicians, members, care managers); in a list, pick"),
    ("a", "assign", "assign a care manager (picker sorted by fit; / searches)"),
    ("h/l", "slot", "select care-manager slot 1 or 2 in a practice (←/→ too)"),
    ("x", "unassign", "unassign the selected slot (on the list: the last one)"),
    ("w", "swap", "swap a practice's two care managers (slot 1 gets ties)"),
    ("u", "undo", "undo the last change"),
    ("^r", "redo", "redo (Ctrl-r)"),
    ("s", "save", "save the plan to plan.csv (review decisions to review.csv)"),
    ("e", "export", "write the four CSV outputs to DIR/exports/"),
    ("A", "suggest", "auto-suggest care managers for high-volume practices without one (Enter accepts)"),
    ("/", "filter", "fuzzy filter by name (Enter keeps it, Esc clears it)"),
    ("f", "county", "filter practices by county or waiver"),
    ("o", "sort", "change the sort order"),
    ("+/-", "cut", "raise / lower the high-volume threshold (duals seen)"),
    ("Tab", "next", "next screen: 1 practices, 2 care managers, 3 supervisors, 4 review, 5 help"),
    ("?", "help", "this help"),
    ("Esc", "back", "back / close"),
    ("q", "quit", "quit; asks first when the plan has unsaved changes (Ctrl-c too)"),
];

/// Footer keys per context, by their key names in [`HELP`].
pub fn footer_keys(context: &str) -> &'static [&'static str] {
    match context {
        "practices" => &["Enter", "a", "A", "/", "f", "o", "+/-", "u", "s", "e", "Tab", "?", "q"],
        "proposal" => &["j/k", "Enter", "Esc"],
        "cms" => &["j/k", "o", "/", "u", "s", "e", "Tab", "?", "q"],
        "supervisors" => &["j/k", "Enter", "u", "s", "e", "Tab", "?", "q"],
        "review" => &["j/k", "Enter", "u", "^r", "s", "Tab", "?", "q"],
        "choice" => &["j/k", "Enter", "Esc"],
        "detail" => &["a", "h/l", "x", "w", "u", "^r", "s", "Esc"],
        "picker" => &["j/k", "/", "Enter", "Esc"],
        "input" => &["Enter", "Esc"],
        _ => &["Esc", "q"],
    }
}

//! The one key table. The keymap, every footer and the help screen are read from [`BINDINGS`],
//! so what the screen says a key does is what it does.
//!
//! A key is looked up in a chain of contexts, most specific first (say the picker, then any
//! list, then everywhere); the first binding found wins. Modifiers are matched exactly (Shift
//! aside, which terminals report inconsistently for letters), so Ctrl-c is never the letter c.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// On every screen and overlay, unless a dialog or a text field has the keys.
    Everywhere,
    /// Any scrolling list: a screen, a practice's members, the picker, the help text.
    Lists,
    Practices,
    CareManagers,
    Supervisors,
    Review,
    Counties,
    /// A practice opened with Enter.
    Detail,
    /// A care manager opened with Enter.
    CareManager,
    /// The go-to field (`:`): printable keys go into it.
    GoTo,
    /// The care-manager picker.
    Picker,
    /// The county / waiver filter list.
    Facets,
    /// Picking the practice of a member under review.
    Choice,
    /// An auto-suggest proposal.
    Proposal,
    /// A question that needs an answer (quit with unsaved changes, overwrite a file).
    Dialog,
    /// A text field (filter, search): printable keys go into it.
    Text,
    Help,
}

impl Context {
    /// Heading of the context's keys on the help screen.
    pub fn title(self) -> &'static str {
        match self {
            Context::Everywhere => "everywhere",
            Context::Lists => "in any list",
            Context::Practices => "practices screen",
            Context::CareManagers => "care managers screen",
            Context::Supervisors => "supervisors screen",
            Context::Review => "review screen",
            Context::Counties => "counties screen",
            Context::Detail => "an open practice",
            Context::CareManager => "an open care manager",
            Context::GoTo => "go to (:)",
            Context::Picker => "care-manager picker",
            Context::Facets => "county / waiver filter",
            Context::Choice => "choosing a member's practice",
            Context::Proposal => "auto-suggest proposal",
            Context::Dialog => "a question",
            Context::Text => "typing a filter",
            Context::Help => "help",
        }
    }
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Back,
    NextScreen,
    PrevScreen,
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
    /// Show or hide the rows under a tree row.
    Toggle,
    /// Open the go-to field.
    GoTo,
    Assign,
    Unassign,
    Swap,
    Undo,
    Redo,
    Save,
    Export,
    Suggest,
    Filter,
    NextMatch,
    PrevMatch,
    Facet,
    /// Show only the rows of one county (the Review screen's second filter).
    County,
    /// Pick among several options (a review row's candidates).
    Choose,
    Sort,
    /// Group the practice list under health systems (or ungroup it).
    Group,
    ThresholdUp,
    ThresholdDown,
    /// The affirmative answer of a dialog.
    Yes,
    /// The other answer of a dialog (Esc is "neither": [`Action::Back`]).
    No,
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

const fn ch(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

impl Key {
    /// The key as an event (tests press it).
    #[cfg(test)]
    pub fn event(&self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }

    /// Whether a key event is this key. Shift is ignored for characters: the character
    /// itself says whether it was shifted ('G', '?', '+').
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_)) || event.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        self.code == event.code && self.mods == mods
    }
}

/// One row of the table.
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in the footer and help ("j/k", "^r").
    pub name: &'static str,
    pub context: Context,
    pub action: Action,
    /// Word in the footer; empty keeps the binding out of the footer.
    pub footer: &'static str,
    pub help: &'static str,
}

const fn bind(
    keys: &'static [Key],
    name: &'static str,
    context: Context,
    action: Action,
    footer: &'static str,
    help: &'static str,
) -> Binding {
    Binding { keys, name, context, action, footer, help }
}

use Context as C;

/// Every key of the TUI.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // Everywhere (in the order the footer offers them).
    bind(&[ch(':')], ":", C::Everywhere, Action::GoTo, "go to", "go to a practice, care manager or member by id or name"),
    bind(&[ch('u')], "u", C::Everywhere, Action::Undo, "undo", "undo the last change (says what it undid)"),
    bind(&[ctrl('r')], "^r", C::Everywhere, Action::Redo, "redo", "redo (Ctrl-r)"),
    bind(&[ch('s')], "s", C::Everywhere, Action::Save, "save", "save the plan: plan.csv, plan.toml (threshold), review.csv (decisions)"),
    bind(&[ch('e')], "e", C::Everywhere, Action::Export, "export", "write the CSV outputs of the current plan to DIR/exports/"),
    bind(&[ch('+'), ch('=')], "+/-", C::Everywhere, Action::ThresholdUp, "cut", "raise the high-volume threshold (duals seen; = too)"),
    bind(&[ch('-')], "-", C::Everywhere, Action::ThresholdDown, "", "lower the high-volume threshold"),
    bind(&[code(KeyCode::Tab)], "Tab", C::Everywhere, Action::NextScreen, "next", "next screen"),
    bind(&[code(KeyCode::BackTab)], "S-Tab", C::Everywhere, Action::PrevScreen, "", "previous screen (Shift-Tab)"),
    bind(&[ch('1')], "1", C::Everywhere, Action::Screen(1), "", "Practices screen: the ranking and its care managers"),
    bind(&[ch('2')], "2", C::Everywhere, Action::Screen(2), "", "Care managers screen: caseloads against capacity"),
    bind(&[ch('3')], "3", C::Everywhere, Action::Screen(3), "", "Supervisors screen: supervisor → care managers → members"),
    bind(&[ch('4')], "4", C::Everywhere, Action::Screen(4), "", "Review screen: answers a person has to settle"),
    bind(&[ch('5')], "5", C::Everywhere, Action::Screen(5), "", "Counties screen: coverage by county for a regional phase-in"),
    bind(&[code(KeyCode::Esc)], "Esc", C::Everywhere, Action::Back, "back", "back: close the window, or clear the filter"),
    bind(&[ch('?')], "?", C::Everywhere, Action::Help, "help", "this help, the current screen's keys first"),
    bind(&[ch('q'), ctrl('c')], "q", C::Everywhere, Action::Quit, "quit", "quit; asks first when the plan has unsaved changes (Ctrl-c too)"),
    // Any list.
    bind(&[ch('j'), code(KeyCode::Down)], "j", C::Lists, Action::Down, "", "move the selection down (Down arrow too)"),
    bind(&[ch('k'), code(KeyCode::Up)], "k", C::Lists, Action::Up, "", "move the selection up (Up arrow too)"),
    bind(&[ch('g'), code(KeyCode::Home)], "g", C::Lists, Action::Top, "", "first row (Home too)"),
    bind(&[ch('G'), code(KeyCode::End)], "G", C::Lists, Action::Bottom, "", "last row (End too)"),
    bind(&[code(KeyCode::PageDown)], "PgDn", C::Lists, Action::PageDown, "", "page down"),
    bind(&[code(KeyCode::PageUp)], "PgUp", C::Lists, Action::PageUp, "", "page up"),
    bind(&[ctrl('d')], "^d", C::Lists, Action::HalfDown, "", "half a page down (Ctrl-d)"),
    bind(&[ctrl('u')], "^u", C::Lists, Action::HalfUp, "", "half a page up (Ctrl-u)"),
    bind(&[ch('/')], "/", C::Lists, Action::Filter, "filter", "fuzzy filter the list (Enter keeps it, Esc clears it)"),
    bind(&[ch('n')], "n", C::Lists, Action::NextMatch, "", "next row that matches the filter"),
    bind(&[ch('N')], "N", C::Lists, Action::PrevMatch, "", "previous row that matches the filter"),
    // Practices.
    bind(&[code(KeyCode::Enter)], "Enter", C::Practices, Action::Open, "open", "open the practice: clinicians, members, care managers"),
    bind(&[ch('a')], "a", C::Practices, Action::Assign, "assign", "assign a care manager to the first empty slot (picker sorted by fit)"),
    bind(&[ch('x')], "x", C::Practices, Action::Unassign, "", "unassign the practice's last care manager"),
    bind(&[ch('w')], "w", C::Practices, Action::Swap, "", "swap the practice's two care managers (slot 1 gets ties)"),
    bind(&[ch('A')], "A", C::Practices, Action::Suggest, "suggest", "auto-suggest care managers for high-volume practices without one"),
    bind(&[ch('f')], "f", C::Practices, Action::Facet, "county", "show only the practices of one county or waiver"),
    bind(&[ch('o')], "o", C::Practices, Action::Sort, "sort", "sort by rank, name, HCBS members or overflow"),
    bind(&[ch('H')], "H", C::Practices, Action::Group, "", "group practices under their health system (distinct duals across its sites); H again ungroups"),
    // Care managers.
    bind(&[code(KeyCode::Enter)], "Enter", C::CareManagers, Action::Open, "open", "open the care manager: practices, members new / leaving / staying and why"),
    bind(&[ch('o')], "o", C::CareManagers, Action::Sort, "sort", "sort by fullest, name or members moving"),
    // Supervisors.
    bind(&[code(KeyCode::Enter)], "Enter", C::Supervisors, Action::Open, "open", "open a care manager or a member's practice; on a supervisor, show or hide their care managers"),
    bind(&[ch(' ')], "Space", C::Supervisors, Action::Toggle, "expand", "show or hide a supervisor's care managers, or a care manager's members"),
    // Review.
    bind(&[code(KeyCode::Enter)], "Enter", C::Review, Action::Open, "accept", "count the member with the preselected practice (claims, then county) and go to the next undecided"),
    bind(&[ch('c')], "c", C::Review, Action::Choose, "choose", "choose another of the candidates (or clear the decision)"),
    bind(&[ch('f')], "f", C::Review, Action::Facet, "kind", "show all, ambiguous answers, conflicts, or rows with a high-volume candidate"),
    bind(&[ch('F')], "F", C::Review, Action::County, "", "show only members of one county (with the kind f shows)"),
    // Counties.
    bind(&[code(KeyCode::Enter)], "Enter", C::Counties, Action::Open, "practices", "show the county's practices on the Practices screen (Esc comes back)"),
    bind(&[ch('o')], "o", C::Counties, Action::Sort, "sort", "sort by members still without a CM of their practice, name or HCBS members"),
    // An open practice.
    bind(&[ch('a')], "a", C::Detail, Action::Assign, "assign", "fill the selected slot (replaces its care manager, one undo step)"),
    bind(&[ch('h'), code(KeyCode::Left)], "h/l", C::Detail, Action::Left, "slot", "select care-manager slot 1 / 2 (←/→ too)"),
    bind(&[ch('l'), code(KeyCode::Right)], "l", C::Detail, Action::Right, "", "select care-manager slot 2"),
    bind(&[ch('x')], "x", C::Detail, Action::Unassign, "unassign", "unassign the selected slot"),
    bind(&[ch('w')], "w", C::Detail, Action::Swap, "swap", "swap the two care managers"),
    // An open care manager.
    bind(&[code(KeyCode::Enter)], "Enter", C::CareManager, Action::Open, "open", "open the highlighted practice, or the practice of the highlighted member"),
    // Go to: other printable keys are text.
    bind(&[code(KeyCode::Enter)], "Enter", C::GoTo, Action::Open, "go", "go to the highlighted practice, care manager or member"),
    bind(&[code(KeyCode::Esc)], "Esc", C::GoTo, Action::Back, "close", "close go-to"),
    bind(&[code(KeyCode::Down)], "↓/↑", C::GoTo, Action::Down, "move", "move in the matches while typing"),
    bind(&[code(KeyCode::Up)], "↑", C::GoTo, Action::Up, "", "move up in the matches"),
    // Picker, filter list, choice, proposal.
    bind(&[code(KeyCode::Enter), ch('a')], "Enter", C::Picker, Action::Open, "assign", "assign the highlighted care manager to the slot"),
    bind(&[code(KeyCode::Enter)], "Enter", C::Facets, Action::Open, "pick", "filter by the highlighted county (or waiver)"),
    bind(&[code(KeyCode::Enter)], "Enter", C::Choice, Action::Open, "pick", "count the member with the highlighted practice"),
    bind(&[code(KeyCode::Enter)], "Enter", C::Proposal, Action::Open, "accept", "accept the proposal (one undo step); Esc rejects it"),
    // Dialogs.
    bind(&[ch('y')], "y", C::Dialog, Action::Yes, "yes", "answer yes (the dialog says to what)"),
    bind(&[ch('n')], "n", C::Dialog, Action::No, "no", "answer no (the dialog says to what)"),
    bind(&[code(KeyCode::Esc)], "Esc", C::Dialog, Action::Back, "cancel", "close the question, doing nothing"),
    // Typing a filter: other printable keys are text.
    bind(&[code(KeyCode::Enter)], "Enter", C::Text, Action::Open, "keep", "keep the filter and go back to the list"),
    bind(&[code(KeyCode::Esc)], "Esc", C::Text, Action::Back, "clear", "clear the filter"),
    bind(&[code(KeyCode::Down)], "↓/↑", C::Text, Action::Down, "move", "move in the list while typing"),
    bind(&[code(KeyCode::Up)], "↑", C::Text, Action::Up, "", "move up in the list while typing"),
    // Help.
    bind(&[code(KeyCode::Esc), ch('?')], "Esc", C::Help, Action::Back, "close", "close the help"),
];

/// The action of a key in a context chain (most specific first), with the context whose
/// binding it is.
pub fn lookup(chain: &[Context], event: &KeyEvent) -> Option<(Context, Action)> {
    chain.iter().find_map(|&ctx| {
        BINDINGS.iter().find(|b| b.context == ctx && b.keys.iter().any(|k| k.matches(event))).map(|b| (ctx, b.action))
    })
}

/// Footer entries for a context chain: the specific keys first, then list keys (the filter),
/// then those that work everywhere; each action once.
pub fn footer(chain: &[Context]) -> Vec<&'static Binding> {
    let mut out: Vec<&'static Binding> = Vec::new();
    for &ctx in chain {
        for b in BINDINGS.iter().filter(|b| b.context == ctx && !b.footer.is_empty()) {
            if !out.iter().any(|o| o.action == b.action || o.name == b.name) {
                out.push(b);
            }
        }
    }
    out
}

/// Help sections: the chain's contexts first, then every other context; every binding once.
pub fn help_sections(chain: &[Context]) -> Vec<(Context, Vec<&'static Binding>)> {
    let mut order: Vec<Context> = chain.to_vec();
    for b in BINDINGS {
        if !order.contains(&b.context) {
            order.push(b.context);
        }
    }
    order
        .into_iter()
        .map(|ctx| (ctx, BINDINGS.iter().filter(|b| b.context == ctx).collect()))
        .filter(|(_, list): &(Context, Vec<&Binding>)| !list.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    const ALL: &[Action] = &[
        Action::Quit,
        Action::Help,
        Action::Back,
        Action::NextScreen,
        Action::PrevScreen,
        Action::Screen(1),
        Action::Screen(2),
        Action::Screen(3),
        Action::Screen(4),
        Action::Screen(5),
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::HalfUp,
        Action::HalfDown,
        Action::Left,
        Action::Right,
        Action::Open,
        Action::Toggle,
        Action::GoTo,
        Action::Assign,
        Action::Unassign,
        Action::Swap,
        Action::Undo,
        Action::Redo,
        Action::Save,
        Action::Export,
        Action::Suggest,
        Action::Filter,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Facet,
        Action::County,
        Action::Choose,
        Action::Sort,
        Action::Group,
        Action::ThresholdUp,
        Action::ThresholdDown,
        Action::Yes,
        Action::No,
    ];

    #[test]
    fn every_action_is_reachable_by_a_key() {
        for &action in ALL {
            let reachable = BINDINGS.iter().any(|b| {
                b.action == action
                    && b.keys.iter().any(|k| {
                        lookup(&[b.context, Context::Lists, Context::Everywhere], &k.event()).map(|x| x.1)
                            == Some(action)
                    })
            });
            assert!(reachable, "{action:?} has no key that reaches it");
        }
    }

    #[test]
    fn ctrl_letters_are_not_letters() {
        let chain = [Context::Practices, Context::Lists, Context::Everywhere];
        assert_eq!(lookup(&chain, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)).map(|x| x.1), Some(Action::Quit));
        assert_eq!(lookup(&chain, &key(KeyCode::Char('c'), KeyModifiers::NONE)).map(|x| x.1), None);
        assert_eq!(lookup(&chain, &key(KeyCode::Char('u'), KeyModifiers::CONTROL)).map(|x| x.1), Some(Action::HalfUp));
        assert_eq!(lookup(&chain, &key(KeyCode::Char('u'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::Undo));
        assert_eq!(lookup(&chain, &key(KeyCode::Char('r'), KeyModifiers::NONE)).map(|x| x.1), None);
        assert_eq!(lookup(&chain, &key(KeyCode::Char('s'), KeyModifiers::ALT)).map(|x| x.1), None);
        assert_eq!(lookup(&chain, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)).map(|x| x.1), Some(Action::Bottom));
        assert_eq!(lookup(&chain, &key(KeyCode::Char('k'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::Up));
        assert_eq!(lookup(&chain, &key(KeyCode::Char('j'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::Down));
    }

    #[test]
    fn specific_contexts_win() {
        let detail = [Context::Detail, Context::Lists, Context::Everywhere];
        assert_eq!(lookup(&detail, &key(KeyCode::Char('l'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::Right));
        assert_eq!(lookup(&detail, &key(KeyCode::Char('h'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::Left));
        let dialog = [Context::Dialog];
        assert_eq!(lookup(&dialog, &key(KeyCode::Char('n'), KeyModifiers::NONE)).map(|x| x.1), Some(Action::No));
        assert_eq!(
            lookup(&dialog, &key(KeyCode::Char('s'), KeyModifiers::NONE)).map(|x| x.1),
            None,
            "a dialog takes only its keys"
        );
    }

    #[test]
    fn help_lists_exactly_the_table() {
        let sections = help_sections(&[Context::Picker, Context::Lists, Context::Everywhere]);
        assert_eq!(sections[0].0, Context::Picker, "the current context first");
        let listed: usize = sections.iter().map(|(_, b)| b.len()).sum();
        assert_eq!(listed, BINDINGS.len());
        for b in BINDINGS {
            assert!(sections.iter().any(|(_, list)| list.iter().any(|x| std::ptr::eq(*x, b))));
        }
    }

    #[test]
    fn footers_come_from_the_table() {
        let f = footer(&[Context::Practices, Context::Lists, Context::Everywhere]);
        assert_eq!(f[0].name, "Enter");
        assert!(f.iter().any(|b| b.name == "q"));
        assert!(f.iter().all(|b| !b.footer.is_empty()));
    }
}

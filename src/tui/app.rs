//! The application state: where the app is (loading, failed, ready), the screen, the
//! messages it reacts to and the effects it asks the worker thread to run.

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::keys::Context;
use super::list::Cursor;
use super::model::{Data, Loaded, Model};
use super::overlay::Overlay;
use crate::export::Exported;
use crate::ingest::{DataError, Progress};
use crate::io::WriteError;
use crate::plan::Plan;
use crate::plan::file::Stamp;
use crate::plan::suggest::Proposal;

/// Events the app reacts to.
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Terminal size changed (columns, rows).
    Resize(u16, u16),
    /// The background load finished.
    Loaded(Result<Box<Loaded>, DataError>),
    /// Time passed while something runs (redraws the loading gauge).
    Tick,
    /// An effect finished on the worker thread.
    Done(Done),
}

/// Work too slow or too blocking for the UI thread; run by [`super::worker`].
pub enum Effect {
    Save(SaveJob),
    Export(ExportJob),
    Suggest(SuggestJob),
}

/// Save the plan (plan.csv and review.csv) unless plan.csv changed on disk.
pub struct SaveJob {
    pub(in crate::tui) data: Arc<Data>,
    pub(in crate::tui) plan: Plan,
    pub(in crate::tui) threshold: u32,
    pub(in crate::tui) path: PathBuf,
    /// plan.csv as it was when last read or written; `None` overwrites whatever is there.
    pub(in crate::tui) expected: Option<Stamp>,
}

/// Write the exports of a plan.
pub struct ExportJob {
    pub(in crate::tui) data: Arc<Data>,
    pub(in crate::tui) plan: Plan,
    pub(in crate::tui) threshold: u32,
    /// The plan differs from the saved one (the message says so).
    pub(in crate::tui) unsaved: bool,
}

/// Propose care managers for the high-volume practices without one.
pub struct SuggestJob {
    pub(in crate::tui) data: Arc<Data>,
    pub(in crate::tui) plan: Plan,
    pub(in crate::tui) threshold: u32,
    /// The plan revision the proposal is for.
    pub(in crate::tui) revision: u64,
}

/// Results of effects.
pub enum Done {
    Saved(Saved),
    Exported { result: Result<Exported, WriteError>, unsaved: bool },
    Suggested { revision: u64, proposal: Box<Proposal> },
}

/// How a save went.
pub enum Saved {
    Written {
        stamp: Stamp,
        practices: usize,
    },
    /// plan.csv changed on disk since it was loaded; nothing written.
    ChangedOnDisk,
    Failed(WriteError),
}

/// The screens (1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Practices,
    CareManagers,
    Supervisors,
    Review,
    Counties,
}

impl Screen {
    pub const ALL: [Screen; 5] =
        [Screen::Practices, Screen::CareManagers, Screen::Supervisors, Screen::Review, Screen::Counties];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Practices => "Practices",
            Screen::CareManagers => "Care managers",
            Screen::Supervisors => "Supervisors",
            Screen::Review => "Review",
            Screen::Counties => "Counties",
        }
    }

    fn context(self) -> Context {
        match self {
            Screen::Practices => Context::Practices,
            Screen::CareManagers => Context::CareManagers,
            Screen::Supervisors => Context::Supervisors,
            Screen::Review => Context::Review,
            Screen::Counties => Context::Counties,
        }
    }
}

/// Where the app is.
pub enum Phase {
    Loading(Arc<Progress>),
    Failed(String),
    Ready(Box<Model>),
}

/// Rows of each visible list, as the views last drew them (the views own the layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    pub(in crate::tui) screen: usize,
    pub(in crate::tui) overlay: usize,
    pub(in crate::tui) help: usize,
}

/// What is running on the worker thread (shown in the footer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Saving,
    Exporting,
    Suggesting,
}

pub struct App {
    pub(in crate::tui) phase: Phase,
    pub(in crate::tui) screen: Screen,
    /// Terminal size (columns, rows).
    pub(in crate::tui) size: (u16, u16),
    pub(in crate::tui) quit: bool,
    /// Quit once the save in flight succeeds (answered "save and quit").
    pub(in crate::tui) quit_after_save: bool,
    /// One message for the user; the footer wraps it above the keys when it is long.
    pub(in crate::tui) status: String,
    /// False when NO_COLOR is set: selection and marks then use reverse video and symbols only.
    pub(in crate::tui) color: bool,
    /// The help screen's scroll position, when it is open.
    pub(in crate::tui) help: Option<Cursor>,
    pub(in crate::tui) running: Vec<Job>,
    /// The screen Esc goes back to after Enter on a county showed its practices.
    pub(in crate::tui) back_to: Option<Screen>,
    /// Written by the views when they draw, read by `update` for paging.
    pub(in crate::tui) pages: Cell<Pages>,
}

impl App {
    pub fn new(size: (u16, u16), progress: Arc<Progress>, color: bool) -> Self {
        let rows = usize::from(size.1).saturating_sub(10).max(1);
        App {
            phase: Phase::Loading(progress),
            screen: Screen::Practices,
            size,
            quit: false,
            quit_after_save: false,
            status: String::new(),
            color,
            help: None,
            running: Vec::new(),
            back_to: None,
            pages: Cell::new(Pages { screen: rows, overlay: rows, help: rows }),
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    pub fn model(&self) -> Option<&Model> {
        match &self.phase {
            Phase::Ready(m) => Some(m),
            _ => None,
        }
    }

    pub(in crate::tui) fn model_mut(&mut self) -> Option<&mut Model> {
        match &mut self.phase {
            Phase::Ready(m) => Some(m),
            _ => None,
        }
    }

    /// Whether a job is running; plan edits wait for a save to finish.
    pub(in crate::tui) fn is_running(&self, job: Job) -> bool {
        self.running.contains(&job)
    }

    /// The contexts keys are looked up in, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        use Context as C;
        if let Phase::Ready(m) = &self.phase
            && matches!(m.overlays.last(), Some(Overlay::Dialog(_)))
        {
            return vec![C::Dialog];
        }
        if self.help.is_some() {
            return vec![C::Help, C::Lists, C::Everywhere];
        }
        self.contexts_below_help()
    }

    /// The contexts of what is under the help screen (whose keys the help lists first).
    pub fn contexts_below_help(&self) -> Vec<Context> {
        use Context as C;
        let Phase::Ready(m) = &self.phase else {
            return vec![C::Everywhere];
        };
        if matches!(m.overlays.last(), Some(Overlay::GoTo(_))) {
            return vec![C::GoTo];
        }
        if self.typing() {
            return vec![C::Text];
        }
        let top = match m.overlays.last() {
            Some(Overlay::Detail(_)) => C::Detail,
            Some(Overlay::Picker(_)) => C::Picker,
            Some(Overlay::Facets(_)) => C::Facets,
            Some(Overlay::Choice(_)) => C::Choice,
            Some(Overlay::Proposal(_)) => C::Proposal,
            Some(Overlay::Dialog(_)) => C::Dialog,
            Some(Overlay::CareManager(_)) => C::CareManager,
            Some(Overlay::GoTo(_)) => C::GoTo,
            None => self.screen.context(),
        };
        vec![top, C::Lists, C::Everywhere]
    }

    /// Whether a text field is open (every printable key goes into it).
    pub(in crate::tui) fn typing(&self) -> bool {
        let Phase::Ready(m) = &self.phase else { return false };
        match m.overlays.last() {
            Some(Overlay::Detail(d)) => d.members.search.typing,
            Some(Overlay::Picker(p)) => p.list.search.typing,
            Some(Overlay::Facets(f)) => f.list.search.typing,
            Some(Overlay::Choice(c)) => c.list.search.typing,
            Some(Overlay::Proposal(v)) => v.list.search.typing,
            Some(Overlay::CareManager(w)) => w.list.search.typing,
            Some(Overlay::GoTo(_)) => true,
            Some(Overlay::Dialog(_)) => false,
            None => match self.screen {
                Screen::Practices => m.practices.search.typing,
                Screen::CareManagers => m.cms.search.typing,
                Screen::Supervisors => m.sups.search.typing,
                Screen::Review => m.review.search.typing,
                Screen::Counties => m.counties.search.typing,
            },
        }
    }
}

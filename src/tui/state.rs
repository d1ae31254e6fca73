//! TUI state and its one `update` step (Elm style): every key and event becomes a [`Msg`],
//! and [`update`] is the only place state changes, so tests can drive it without a terminal.

use crate::analysis::Analysis;
use std::sync::Arc;

use crate::ingest::{DataError, Dataset, Progress};

use super::keymap::Action;

/// Events the app reacts to.
pub enum Msg {
    Action(Action),
    /// Terminal size changed (columns, rows).
    Resize(u16, u16),
    /// The background load finished.
    Loaded(Result<Box<(Dataset, Analysis)>, DataError>),
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Practices,
    Help,
}

/// Data loaded and ready to browse.
pub struct Model {
    pub ds: Dataset,
    pub analysis: Analysis,
    /// High-volume cut: duals_seen ≥ threshold.
    pub threshold: u32,
    /// Selected row in the ranking.
    pub cursor: usize,
    /// First visible row.
    pub offset: usize,
}

impl Model {
    pub fn new(ds: Dataset, analysis: Analysis) -> Self {
        Model { threshold: ds.config.threshold, ds, analysis, cursor: 0, offset: 0 }
    }

    /// Number of practices at or above the threshold (the cut line sits after them).
    pub fn high_volume(&self) -> usize {
        self.analysis.ranked.partition_point(|r| r.duals_seen >= self.threshold)
    }
}

/// Where the app is.
pub enum Phase {
    Loading(Arc<Progress>),
    Failed(String),
    Ready(Box<Model>),
}

pub struct App {
    pub phase: Phase,
    pub screen: Screen,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub quit: bool,
    /// One-line message shown in the footer.
    pub status: String,
    /// False when NO_COLOR is set: selection and marks then use reverse video and symbols only.
    pub color: bool,
}

/// Rows of the practice table that fit on screen: total rows less header (3), table
/// border and heading (3), footer (1), and one row kept for the cut line.
pub fn table_rows(size: (u16, u16)) -> usize {
    (size.1 as usize).saturating_sub(8).max(1)
}

impl App {
    pub fn new(size: (u16, u16), progress: Arc<Progress>, color: bool) -> Self {
        App {
            phase: Phase::Loading(progress),
            screen: Screen::Practices,
            size,
            quit: false,
            status: String::new(),
            color,
        }
    }
}

/// Applies one message.
pub fn update(app: &mut App, msg: Msg) {
    match msg {
        Msg::Resize(w, h) => {
            app.size = (w, h);
            if let Phase::Ready(m) = &mut app.phase {
                scroll_into_view(m, table_rows(app.size));
            }
        }
        Msg::Loaded(Ok(loaded)) => {
            let (ds, analysis) = *loaded;
            if ds.problems.errors > 0 {
                app.status = format!("{} bad rows skipped; run `carealign check` to list them", ds.problems.errors);
            }
            app.phase = Phase::Ready(Box::new(Model::new(ds, analysis)));
        }
        Msg::Loaded(Err(e)) => app.phase = Phase::Failed(e.to_string()),
        Msg::Action(action) => act(app, action),
    }
}

fn act(app: &mut App, action: Action) {
    match action {
        Action::Quit => app.quit = true,
        Action::Help => app.screen = Screen::Help,
        Action::Back => app.screen = Screen::Practices,
        Action::NextScreen => {
            app.screen = match app.screen {
                Screen::Practices => Screen::Help,
                Screen::Help => Screen::Practices,
            }
        }
        _ => {}
    }
    let page = table_rows(app.size);
    let Phase::Ready(m) = &mut app.phase else { return };
    if app.screen != Screen::Practices {
        return;
    }
    let last = m.analysis.ranked.len().saturating_sub(1);
    match action {
        Action::Down => m.cursor = (m.cursor + 1).min(last),
        Action::Up => m.cursor = m.cursor.saturating_sub(1),
        Action::Top => m.cursor = 0,
        Action::Bottom => m.cursor = last,
        Action::PageDown => m.cursor = (m.cursor + page).min(last),
        Action::PageUp => m.cursor = m.cursor.saturating_sub(page),
        Action::HalfDown => m.cursor = (m.cursor + page / 2).min(last),
        Action::HalfUp => m.cursor = m.cursor.saturating_sub(page / 2),
        Action::ThresholdUp => m.threshold = m.threshold.saturating_add(1),
        Action::ThresholdDown => m.threshold = m.threshold.saturating_sub(1).max(1),
        _ => {}
    }
    if matches!(action, Action::ThresholdUp | Action::ThresholdDown) {
        app.status = format!("threshold {}: {} high-volume practices", m.threshold, m.high_volume());
    }
    scroll_into_view(m, page);
}

/// Moves the viewport so the cursor row is visible.
fn scroll_into_view(m: &mut Model, page: usize) {
    if m.cursor < m.offset {
        m.offset = m.cursor;
    } else if m.cursor >= m.offset + page {
        m.offset = m.cursor + 1 - page;
    }
}

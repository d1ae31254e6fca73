//! The terminal UI, Elm style: every event becomes a [`Msg`]; [`update`] is the only place
//! state changes and returns [`Effect`]s (save, export, auto-suggest) that a worker thread
//! runs and answers with another `Msg`; the views draw the state and render only visible rows.
//!
//! ```text
//!  input thread ──Key/Resize──┐
//!  loader thread ──Loaded─────┼──► channel ──► update(app, msg) ──► effects ──► worker thread
//!  worker thread ──Done───────┘                     │                             │
//!                                                  draw ◄──────────────── Done ───┘
//! ```
//! The loop blocks on the channel, so an idle TUI uses no CPU. The terminal is restored on
//! exit, on error and on panic (ratatui's init installs the panic hook).

mod app;
mod caseload;
mod goto;
mod grouping;
mod keys;
mod list;
mod model;
mod names;
mod overlay;
mod rows;
mod update;
pub mod view;
mod worker;

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyEventKind};

pub use app::{App, Effect, Msg};
pub use model::Loaded;
pub use update::update;
pub use worker::run as run_effect;

use crate::analysis::Analysis;
use crate::ingest::{self, DataError, LoadOptions, Progress};

/// Whether colors may be used: NO_COLOR (any non-empty value) turns them off.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Reads a data directory, analyses it and reads its saved plan: all the loading thread does.
pub fn load(dir: &Path, opts: LoadOptions, progress: &Progress) -> Result<Loaded, DataError> {
    let ds = ingest::load(dir, opts, progress)?;
    progress.stage.store(Progress::ANALYSING, Ordering::Relaxed);
    let analysis = Analysis::new(&ds);
    Ok(Loaded::new(ds, analysis))
}

/// Why the TUI could not run (data problems show on its own screen instead).
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("{}: no such data directory (try `carealign sample {}` to make one)", .0.display(), .0.display())]
    NoDirectory(std::path::PathBuf),
    #[error("the terminal could not be used: {}", crate::io::os_reason(.0))]
    Terminal(#[from] std::io::Error),
}

/// Opens the TUI on `dir`.
pub fn run(dir: &Path, opts: LoadOptions) -> Result<ExitCode, TuiError> {
    if !dir.is_dir() {
        return Err(TuiError::NoDirectory(dir.to_path_buf()));
    }
    crate::timing::off();
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel();
    let loading = Arc::new(AtomicBool::new(true));
    {
        let (dir, progress, tx, loading) = (dir.to_path_buf(), Arc::clone(&progress), tx.clone(), Arc::clone(&loading));
        std::thread::spawn(move || {
            let loaded = load(&dir, opts, &progress).map(Box::new);
            loading.store(false, Ordering::Relaxed);
            let _ = tx.send(Msg::Loaded(loaded));
        });
    }
    {
        // The gauge moves while loading; after that nothing wakes the loop but events.
        let (tx, loading) = (tx.clone(), Arc::clone(&loading));
        std::thread::spawn(move || {
            while loading.load(Ordering::Relaxed) && tx.send(Msg::Tick).is_ok() {
                std::thread::sleep(Duration::from_millis(100));
            }
        });
    }
    // Said before the terminal changes, so a SIGBUS at any moment after leaves it restored.
    crate::io::mapped::tui_active(true);
    let mut terminal = ratatui::init();
    // Test-only hook: proves the terminal is restored on panic (tests/terminal.rs).
    #[cfg(debug_assertions)]
    if std::env::var_os("CAREALIGN_TEST_PANIC").is_some() {
        panic!("injected panic for testing");
    }
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            while let Ok(ev) = event::read() {
                let msg = match ev {
                    Event::Key(k) if k.kind != KeyEventKind::Release => Msg::Key(k),
                    Event::Resize(w, h) => Msg::Resize(w, h),
                    _ => continue,
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
    }
    let effects = worker::spawn(tx);
    let result = event_loop(&mut terminal, progress, &rx, &effects);
    crate::io::mapped::tui_active(false);
    ratatui::restore();
    result.map(|_| ExitCode::SUCCESS)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    progress: Arc<Progress>,
    rx: &mpsc::Receiver<Msg>,
    effects: &mpsc::Sender<Effect>,
) -> Result<(), TuiError> {
    let size = terminal.size()?;
    let mut app = App::new((size.width, size.height), progress, color_enabled());
    loop {
        terminal.draw(|f| view::draw(f, &app))?;
        // Block until something happens, then take everything that is waiting before
        // drawing again (a burst of keys costs one frame).
        let Ok(first) = rx.recv() else { break };
        let mut next = Some(first);
        while let Some(msg) = next {
            for effect in update(&mut app, msg) {
                let _ = effects.send(effect);
            }
            next = rx.try_recv().ok();
        }
        if app.should_quit() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

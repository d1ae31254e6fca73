//! The terminal UI: loads on a background thread (progress by shared counters), then runs the
//! event loop `key → Action → update → draw`. The terminal is restored on exit, on error and
//! on panic (ratatui's init installs the panic hook).

pub mod keymap;
pub mod state;
pub mod view;

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Result;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::analysis::Analysis;
use crate::ingest::{self, LoadOptions, Progress};
use state::{App, Msg, update};

/// Whether colors may be used: NO_COLOR (any non-empty value) turns them off.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Opens the TUI on `dir`.
pub fn run(dir: &Path, opts: LoadOptions) -> Result<ExitCode> {
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: no such data directory (try `carealign sample {}` to make one)",
            dir.display(),
            dir.display()
        );
    }
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel();
    {
        let dir = dir.to_path_buf();
        let progress = Arc::clone(&progress);
        std::thread::spawn(move || {
            let loaded = ingest::load(&dir, opts, &progress).map(|ds| {
                progress.stage.store(Progress::ANALYSING, std::sync::atomic::Ordering::Relaxed);
                let analysis = Analysis::new(&ds);
                Box::new((ds, analysis))
            });
            let _ = tx.send(Msg::Loaded(loaded));
        });
    }
    let mut terminal = ratatui::init();
    // Test-only hook: proves the terminal is restored on panic (tests/terminal.rs).
    #[cfg(debug_assertions)]
    if std::env::var_os("CAREALIGN_TEST_PANIC").is_some() {
        panic!("injected panic for testing");
    }
    let result = event_loop(&mut terminal, progress, rx);
    ratatui::restore();
    result.map(|_| ExitCode::SUCCESS)
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, progress: Arc<Progress>, rx: mpsc::Receiver<Msg>) -> Result<()> {
    let size = terminal.size()?;
    let mut app = App::new((size.width, size.height), progress, color_enabled());
    while !app.quit {
        terminal.draw(|f| view::draw(f, &app))?;
        while let Ok(msg) = rx.try_recv() {
            update(&mut app, msg);
        }
        if event::poll(Duration::from_millis(50))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => update(&mut app, Msg::Key(k)),
                Event::Resize(w, h) => update(&mut app, Msg::Resize(w, h)),
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

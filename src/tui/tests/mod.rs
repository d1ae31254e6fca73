//! TUI tests without a terminal: keys go in as `Msg::Key`, effects run through the worker's
//! own function and come back as messages, and screens render to a `TestBackend`.

mod columns;
mod flows;
mod jumps;
mod loading;
mod review;
mod safety;
mod snapshots;
mod systems;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Msg, Phase};
use super::model::Model;
use super::{update, view, worker};
use crate::ingest::{LoadOptions, Progress};
use crate::sample::{SampleSpec, generate};

/// The hand-made fixture (12 practices, 6 care managers) copied into a temp dir, so saves
/// and exports never touch the repository.
pub(super) fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    std::fs::create_dir(&dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    (tmp, dir)
}

/// Gives some members of the fixture a medicare_plan (the column is optional).
pub(super) fn with_medicare_plans(dir: &Path) {
    let path = dir.join("assessments.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let plan = match line.split(',').next() {
            _ if i == 0 => "medicare_plan",
            Some("M001") => "Humana Gold Plus D-SNP",
            Some("M003" | "M006") => "Original Medicare",
            _ => "",
        };
        out.push_str(&format!("{line},{plan}\n"));
    }
    std::fs::write(&path, out).unwrap();
}

/// Generated data in a directory named `sample-data` (for paging and scale).
pub(super) fn generated() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample-data");
    generate(&dir, &SampleSpec::new(1500, 60, 3)).unwrap();
    (tmp, dir)
}

/// The app on `dir`, loaded and drawn once.
pub(super) fn app_on(dir: &Path, size: (u16, u16)) -> App {
    let loaded = super::load(dir, LoadOptions::default(), &Progress::default()).unwrap();
    let mut app = App::new(size, Arc::new(Progress::default()), true);
    send(&mut app, Msg::Loaded(Ok(Box::new(loaded))));
    app
}

/// Applies a message, runs the effects it asks for to completion, and draws (which tells the
/// model its page sizes, as the real loop does).
pub(super) fn send(app: &mut App, msg: Msg) {
    let mut queue = vec![msg];
    while let Some(msg) = queue.pop() {
        for effect in update(app, msg) {
            queue.push(worker::run(effect));
        }
    }
    render(app);
}

/// Presses keys written as text: plain characters, or `<Enter>`, `<Esc>`, `<Tab>`,
/// `<S-Tab>`, `<Down>`, `<Up>`, `<PgDn>`, `<PgUp>`, `<BS>`, `<C-x>`.
pub(super) fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (code, mods, len) = if c == '<' && rest.contains('>') {
            let end = rest.find('>').unwrap();
            let name = &rest[1..end];
            let (code, mods) = match name {
                "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "S-Tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "Down" => (KeyCode::Down, KeyModifiers::NONE),
                "Up" => (KeyCode::Up, KeyModifiers::NONE),
                "PgDn" => (KeyCode::PageDown, KeyModifiers::NONE),
                "PgUp" => (KeyCode::PageUp, KeyModifiers::NONE),
                "BS" => (KeyCode::Backspace, KeyModifiers::NONE),
                "lt" => (KeyCode::Char('<'), KeyModifiers::NONE),
                ctrl if ctrl.starts_with("C-") => (KeyCode::Char(ctrl.chars().nth(2).unwrap()), KeyModifiers::CONTROL),
                other => panic!("unknown key <{other}>"),
            };
            (code, mods, end + 1)
        } else {
            (KeyCode::Char(c), KeyModifiers::NONE, c.len_utf8())
        };
        send(app, Msg::Key(KeyEvent::new(code, mods)));
        rest = &rest[len..];
    }
}

pub(super) fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t
}

pub(super) fn screen(app: &App) -> String {
    render(app).backend().to_string()
}

pub(super) fn model(app: &App) -> &Model {
    match &app.phase {
        Phase::Ready(m) => m,
        _ => panic!("not loaded"),
    }
}

/// Index of a care manager by id.
pub(super) fn cm(app: &App, id: &str) -> u32 {
    model(app).data.ds.care_managers.iter().position(|c| c.id == id).unwrap() as u32
}

/// Index of a practice by id.
pub(super) fn practice(app: &App, id: &str) -> u32 {
    model(app).data.ds.roster.practices.iter().position(|p| p.id == id).unwrap() as u32
}

/// Every file of a directory with its bytes (to prove nothing was written).
pub(super) fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> =
        walk(dir).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

//! Keystroke latency of the TUI at state scale: 20,000 practices, 3,000 care managers and
//! about 300,000 HCBS members. Each bench is one `update` plus one full render to a 120×40
//! TestBackend, the work a keystroke costs; the budget is 16 ms.

use std::sync::{Arc, LazyLock, Mutex};

use carealign::analysis::Analysis;
use carealign::ingest::{self, LoadOptions, Progress};
use carealign::sample::{SampleSpec, generate};
use carealign::tui::keymap::Action;
use carealign::tui::state::{App, Msg, update};
use carealign::tui::view;
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

static APP: LazyLock<Mutex<(tempfile::TempDir, App)>> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 4);
    spec.care_managers = 3_000;
    spec.lines = Some(1_600_000);
    generate(dir.path(), &spec).unwrap();
    let ds = ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let mut app = App::new((120, 40), Arc::new(Progress::default()), true);
    update(&mut app, Msg::Loaded(Ok(Box::new((ds, analysis)))));
    Mutex::new((dir, app))
});

fn main() {
    divan::main();
}

fn step(app: &mut App, terminal: &mut Terminal<TestBackend>, actions: &[Action]) {
    for &a in actions {
        update(app, Msg::Action(a));
    }
    terminal.draw(|f| view::draw(f, app)).unwrap();
}

fn bench_steps(bencher: Bencher, setup: &[Action], steps: &[Action], teardown: &[Action]) {
    let mut guard = APP.lock().unwrap();
    let app = &mut guard.1;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for &a in setup {
        update(app, Msg::Action(a));
    }
    bencher.bench_local(|| {
        step(app, &mut terminal, steps);
        for &a in teardown {
            update(app, Msg::Action(a));
        }
    });
    for _ in setup {
        update(app, Msg::Action(Action::Back));
    }
}

/// Moving the selection down the practice list.
#[divan::bench(sample_count = 50)]
fn move_down(bencher: Bencher) {
    bench_steps(bencher, &[], &[Action::Down], &[]);
}

/// Opening the care-manager picker (sorts 3,000 CMs by fit and previews the top one).
#[divan::bench(sample_count = 20)]
fn open_picker(bencher: Bencher) {
    bench_steps(bencher, &[Action::Open], &[Action::Assign], &[Action::Back]);
}

/// Moving in the picker (recomputes the preview: one full caseload balance).
#[divan::bench(sample_count = 20)]
fn picker_move(bencher: Bencher) {
    bench_steps(bencher, &[Action::Open, Action::Assign], &[Action::Down], &[]);
}

/// Assigning a care manager (full rebalance, moves, lists) and undoing it.
#[divan::bench(sample_count = 20)]
fn assign_then_undo(bencher: Bencher) {
    bench_steps(bencher, &[Action::Open], &[Action::Assign, Action::Open], &[Action::Undo]);
}

/// Raising the threshold (moves the cut line).
#[divan::bench(sample_count = 50)]
fn threshold(bencher: Bencher) {
    bench_steps(bencher, &[], &[Action::ThresholdUp], &[Action::Undo]);
}

/// Switching to the care-manager screen and back.
#[divan::bench(sample_count = 50)]
fn switch_screens(bencher: Bencher) {
    bench_steps(bencher, &[], &[Action::Screen(2), Action::Screen(1)], &[]);
}

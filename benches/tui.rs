//! Keystroke latency of the TUI at state scale: 20,000 practices, 3,000 care managers and
//! about 300,000 HCBS members. Each bench is the `update` of real key presses plus one full
//! render to a 120×40 TestBackend, the work a keystroke costs; the budget is 16 ms.

use std::sync::{Arc, LazyLock, Mutex};

use carealign::ingest::{LoadOptions, Progress};
use carealign::sample::{SampleSpec, generate};
use carealign::tui::{App, Msg, run_effect, update, view};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

static APP: LazyLock<Mutex<(tempfile::TempDir, App)>> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 4);
    spec.care_managers = 3_000;
    spec.lines = Some(1_600_000);
    generate(dir.path(), &spec).unwrap();
    let loaded = carealign::tui::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let mut app = App::new((120, 40), Arc::new(Progress::default()), true);
    update(&mut app, Msg::Loaded(Ok(Box::new(loaded))));
    Mutex::new((dir, app))
});

fn main() {
    divan::main();
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Sends a key and runs what it asks for, as the event loop and worker would.
fn send(app: &mut App, msg: Msg) {
    for effect in update(app, msg) {
        send(app, run_effect(effect));
    }
}

fn bench_keys(bencher: Bencher, setup: &[KeyCode], steps: &[KeyCode], teardown: &[KeyCode]) {
    let mut guard = APP.lock().unwrap();
    let app = &mut guard.1;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for &k in setup {
        send(app, key(k));
    }
    terminal.draw(|f| view::draw(f, app)).unwrap();
    bencher.bench_local(|| {
        for &k in steps {
            send(app, key(k));
        }
        terminal.draw(|f| view::draw(f, app)).unwrap();
        for &k in teardown {
            send(app, key(k));
        }
    });
    for _ in setup {
        send(app, key(KeyCode::Esc));
    }
    // Back on the Practices screen for the next bench.
    send(app, key(KeyCode::Char('1')));
}

use KeyCode::{Char, Down, Enter};

/// Moving the selection down the practice list.
#[divan::bench(sample_count = 50)]
fn move_down(bencher: Bencher) {
    bench_keys(bencher, &[], &[Down], &[]);
}

/// Opening the care-manager picker (sorts 3,000 CMs by fit and previews the top one).
#[divan::bench(sample_count = 20)]
fn open_picker(bencher: Bencher) {
    bench_keys(bencher, &[Enter], &[Char('a')], &[KeyCode::Esc]);
}

/// Moving in the picker (recomputes the preview: one full caseload balance).
#[divan::bench(sample_count = 20)]
fn picker_move(bencher: Bencher) {
    bench_keys(bencher, &[Enter, Char('a')], &[Down], &[]);
}

/// Assigning a care manager (full rebalance, totals, lists) and undoing it.
#[divan::bench(sample_count = 20)]
fn assign_then_undo(bencher: Bencher) {
    bench_keys(bencher, &[Enter], &[Char('a'), Enter], &[Char('u')]);
}

/// Raising the threshold (moves the cut line).
#[divan::bench(sample_count = 50)]
fn threshold(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char('+')], &[Char('u')]);
}

/// Switching to the care-manager screen and back.
#[divan::bench(sample_count = 50)]
fn switch_screens(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char('2'), Char('1')], &[]);
}

/// Typing one letter into the practice filter (fuzzy match over 20,000 names).
#[divan::bench(sample_count = 50)]
fn filter_letter(bencher: Bencher) {
    bench_keys(bencher, &[Char('/')], &[Char('e')], &[KeyCode::Backspace]);
}

/// Opening go-to (`:`) and typing two characters: the first scores 20,000 practices and 3,000
/// care managers by name, the second also searches 300,000 member ids. Go-to opens afresh each
/// time, so no earlier text's matches are reused.
#[divan::bench(sample_count = 20)]
fn goto_letter(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char(':'), Char('m'), Char('1')], &[KeyCode::Esc]);
}

/// Opening the fullest care manager: their practices and members grouped with reasons.
#[divan::bench(sample_count = 20)]
fn open_care_manager(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char('2'), Enter], &[KeyCode::Esc, Char('1')]);
}

/// A change while the Counties screen shows (`+`: coverage by county recomputed for the new
/// plan state) and its undo: two keystrokes.
#[divan::bench(sample_count = 20)]
fn counties_after_a_change(bencher: Bencher) {
    bench_keys(bencher, &[Char('5')], &[Char('+')], &[Char('u')]);
}

/// Grouping the practice list under health systems, render, and ungrouping (`H` twice).
#[divan::bench(sample_count = 20)]
fn group_by_system(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char('H')], &[Char('H')]);
}

/// The Review screen's kind filter: `f` and a render, then three more `f` (back to all): four
/// keystrokes.
#[divan::bench(sample_count = 20)]
fn review_filter(bencher: Bencher) {
    bench_keys(bencher, &[Char('4')], &[Char('f')], &[Char('f'), Char('f'), Char('f')]);
}

/// The Supervisors screen (supervisor totals over 3,000 care managers) and back.
#[divan::bench(sample_count = 20)]
fn supervisors_screen(bencher: Bencher) {
    bench_keys(bencher, &[], &[Char('3')], &[Char('1')]);
}

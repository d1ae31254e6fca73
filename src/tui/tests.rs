//! TUI tests without a terminal: drive `update` with actions, render with TestBackend.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::keymap::Action;
use super::state::{App, Msg, Phase, Screen, update};
use super::view;
use crate::analysis::Analysis;
use crate::ingest::{self, LoadOptions, Progress};
use crate::sample::{SampleSpec, generate};

/// A loaded app on generated data in a directory named `sample-data`.
fn loaded_app(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample-data");
    generate(&dir, &SampleSpec::new(1500, 60, 3)).unwrap();
    let ds = ingest::load(&dir, LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let mut app = App::new(size, Arc::new(Progress::default()), true);
    update(&mut app, Msg::Loaded(Ok(Box::new((ds, analysis)))));
    (tmp, app)
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t
}

fn model(app: &App) -> &super::state::Model {
    match &app.phase {
        Phase::Ready(m) => m,
        _ => panic!("not loaded"),
    }
}

#[test]
fn navigation_and_threshold() {
    let (_tmp, mut app) = loaded_app((80, 24));
    let n = model(&app).analysis.ranked.len();
    let page = super::state::table_rows(app.size);
    update(&mut app, Msg::Action(Action::Down));
    update(&mut app, Msg::Action(Action::Down));
    assert_eq!(model(&app).cursor, 2);
    update(&mut app, Msg::Action(Action::Up));
    assert_eq!(model(&app).cursor, 1);
    update(&mut app, Msg::Action(Action::Bottom));
    assert_eq!(model(&app).cursor, n - 1);
    assert_eq!(model(&app).offset, n - page, "the last row is in view");
    update(&mut app, Msg::Action(Action::Top));
    assert_eq!((model(&app).cursor, model(&app).offset), (0, 0));
    update(&mut app, Msg::Action(Action::PageDown));
    assert_eq!(model(&app).cursor, page);
    update(&mut app, Msg::Action(Action::HalfUp));
    assert_eq!(model(&app).cursor, page - page / 2);
    update(&mut app, Msg::Action(Action::Up));
    update(&mut app, Msg::Action(Action::PageUp));
    assert_eq!(model(&app).cursor, 0);

    let before = model(&app).high_volume();
    let t0 = model(&app).threshold;
    for _ in 0..5 {
        update(&mut app, Msg::Action(Action::ThresholdUp));
    }
    assert_eq!(model(&app).threshold, t0 + 5);
    assert!(model(&app).high_volume() <= before);
    assert!(app.status.contains(&format!("threshold {}", t0 + 5)));
    for _ in 0..100 {
        update(&mut app, Msg::Action(Action::ThresholdDown));
    }
    assert_eq!(model(&app).threshold, 1, "never below 1");

    update(&mut app, Msg::Action(Action::Help));
    assert_eq!(app.screen, Screen::Help);
    update(&mut app, Msg::Action(Action::Back));
    assert_eq!(app.screen, Screen::Practices);
    update(&mut app, Msg::Action(Action::Quit));
    assert!(app.quit);
}

#[test]
fn resize_keeps_cursor_visible() {
    let (_tmp, mut app) = loaded_app((120, 40));
    update(&mut app, Msg::Action(Action::PageDown));
    update(&mut app, Msg::Action(Action::PageDown));
    update(&mut app, Msg::Resize(80, 24));
    let m = model(&app);
    assert!(m.cursor >= m.offset && m.cursor < m.offset + super::state::table_rows(app.size));
}

#[test]
fn snapshots() {
    let (_tmp, mut app) = loaded_app((80, 24));
    insta::assert_snapshot!("practices_80x24", render(&app).backend());
    app.size = (120, 40);
    insta::assert_snapshot!("practices_120x40", render(&app).backend());
    update(&mut app, Msg::Action(Action::Help));
    app.size = (80, 24);
    insta::assert_snapshot!("help_80x24", render(&app).backend());
    app.size = (60, 20);
    insta::assert_snapshot!("too_small", render(&app).backend());
}

#[test]
fn loading_and_failure_screens() {
    let progress = Arc::new(Progress::default());
    progress.total.store(200 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.done.store(50 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.stage.store(4, std::sync::atomic::Ordering::Relaxed);
    let mut app = App::new((80, 24), progress, false);
    let text = render(&app).backend().to_string();
    assert!(text.contains("reading claims.csv") && text.contains("25%") && text.contains("50 of 200 MB"), "{text}");
    update(&mut app, Msg::Loaded(Err(ingest::DataError::at("claims.csv", 1, "required column member_id is missing"))));
    let text = render(&app).backend().to_string();
    assert!(text.contains("claims.csv:1: required column member_id is missing"), "{text}");
}

#[test]
fn no_color_selection_is_reverse_video() {
    let (_tmp, mut app) = loaded_app((80, 24));
    app.color = false;
    let t = render(&app);
    let buf = t.backend().buffer();
    // The selected row (first data row, y = 5) is reversed and uses no color.
    let cell = &buf[(2, 5)];
    assert!(cell.modifier.contains(ratatui::style::Modifier::REVERSED));
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
    }
}

//! Loading: the gauge, whole-file warnings while loading and after, and a load that fails.

use super::super::app::{App, Msg};
use super::*;
use crate::ingest::DataError;

/// The fixture with the roster's practice_name column taken out.
fn fixture_without_practice_names() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = fixture();
    let roster = std::fs::read_to_string(dir.join("practices.csv")).unwrap();
    let without: String = roster
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(5);
            cells.join(",") + "\n"
        })
        .collect();
    assert!(!without.contains("practice_name") && !without.contains("Riverside"));
    std::fs::write(dir.join("practices.csv"), without).unwrap();
    (tmp, dir)
}

#[test]
fn a_roster_without_practice_names_says_so_on_screen() {
    let (_tmp, dir) = fixture_without_practice_names();
    let app = app_on(&dir, (120, 40));
    assert!(app.status.contains("practice_name"), "{}", app.status);
    assert!(screen(&app).contains("practice_name"));
}

#[test]
fn loading_and_failure_screens() {
    let progress = Arc::new(Progress::default());
    progress.total.store(200 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.done.store(50 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.stage.store(2, std::sync::atomic::Ordering::Relaxed);
    let mut app = App::new((80, 24), progress, false);
    let text = screen(&app);
    assert!(text.contains("reading claims.csv") && text.contains("25%") && text.contains("50 of 200 MB"), "{text}");
    press(&mut app, "jq");
    assert!(app.quit, "q works while loading");
    send(&mut app, Msg::Loaded(Err(DataError::at("claims.csv", 1, "required column member_id is missing"))));
    let text = screen(&app);
    assert!(text.contains("claims.csv:1: required column member_id is missing"), "{text}");
}

/// A roster without practice names is said on the loading screen, while the claims still
/// load, not only once the data is in (issue 21).
#[test]
fn a_roster_without_practice_names_is_said_while_loading() {
    let (_tmp, dir) = fixture_without_practice_names();
    let progress = Arc::new(Progress::default());
    assert!(progress.warnings().is_empty());
    crate::ingest::load(&dir, LoadOptions::default(), &progress).unwrap();
    progress.stage.store(2, std::sync::atomic::Ordering::Relaxed);
    let text = screen(&App::new((80, 24), progress, false));
    assert!(text.contains("reading claims.csv") && text.contains("has no practice-name column"), "{text}");
}

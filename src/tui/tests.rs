//! TUI tests without a terminal: drive `update` with keys, render with TestBackend.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::Action;
use super::state::{App, Model, Msg, Overlay, Phase, Screen, table_rows, update};
use super::view;
use crate::analysis::Analysis;
use crate::ingest::{self, LoadOptions, Progress};
use crate::sample::{SampleSpec, generate};

/// Generated data in a directory named `sample-data`.
fn data() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample-data");
    generate(&dir, &SampleSpec::new(1500, 60, 3)).unwrap();
    (tmp, dir)
}

fn app_on(dir: &std::path::Path, size: (u16, u16)) -> App {
    let ds = ingest::load(dir, LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let mut app = App::new(size, Arc::new(Progress::default()), true);
    update(&mut app, Msg::Loaded(Ok(Box::new((ds, analysis)))));
    app
}

fn loaded_app(size: (u16, u16)) -> (tempfile::TempDir, App) {
    let (tmp, dir) = data();
    let app = app_on(&dir, size);
    (tmp, app)
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t
}

fn screen_text(app: &App) -> String {
    render(app).backend().to_string()
}

fn model(app: &App) -> &Model {
    match &app.phase {
        Phase::Ready(m) => m,
        _ => panic!("not loaded"),
    }
}

fn act(app: &mut App, a: Action) {
    update(app, Msg::Action(a));
}

fn key(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typing(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn navigation_and_threshold() {
    let (_tmp, mut app) = loaded_app((80, 24));
    let n = model(&app).practice_rows.len();
    let page = table_rows(app.size);
    act(&mut app, Action::Down);
    act(&mut app, Action::Down);
    assert_eq!(model(&app).practice_cursor.pos, 2);
    act(&mut app, Action::Up);
    assert_eq!(model(&app).practice_cursor.pos, 1);
    act(&mut app, Action::Bottom);
    assert_eq!(model(&app).practice_cursor.pos, n - 1);
    assert_eq!(model(&app).practice_cursor.offset, n - page, "the last row is in view");
    act(&mut app, Action::Top);
    act(&mut app, Action::PageDown);
    assert_eq!(model(&app).practice_cursor.pos, page);
    act(&mut app, Action::HalfUp);
    assert_eq!(model(&app).practice_cursor.pos, page - page / 2);

    let t0 = model(&app).threshold();
    let before = model(&app).high_volume();
    for _ in 0..5 {
        act(&mut app, Action::ThresholdUp);
    }
    assert_eq!(model(&app).threshold(), t0 + 5);
    assert!(model(&app).high_volume() <= before);
    assert!(app.status.contains(&format!("threshold {}", t0 + 5)));
    act(&mut app, Action::Undo);
    assert_eq!(model(&app).threshold(), t0 + 4, "threshold changes undo");
    for _ in 0..100 {
        act(&mut app, Action::ThresholdDown);
    }
    assert_eq!(model(&app).threshold(), 1, "never below 1");

    act(&mut app, Action::Help);
    assert_eq!(app.screen, Screen::Help);
    act(&mut app, Action::Back);
    assert_eq!(app.screen, Screen::Practices);
    act(&mut app, Action::NextScreen);
    assert_eq!(app.screen, Screen::CareManagers);
    act(&mut app, Action::Screen(1));
    assert_eq!(app.screen, Screen::Practices);
}

/// The whole workflow: filter, open, assign two CMs, a third refused, undo, redo, save, reload.
#[test]
fn assign_workflow_save_and_reload() {
    let (_tmp, dir) = data();
    let mut app = app_on(&dir, (100, 30));
    let top = model(&app).selected_practice().unwrap();
    let name = model(&app).ds.roster.practices[top as usize].name.clone();
    let first_word = name.split(' ').next().unwrap().to_string();

    // Fuzzy filter.
    act(&mut app, Action::Filter);
    typing(&mut app, &first_word.to_lowercase());
    assert!(model(&app).practice_query.typing);
    let shown = model(&app).practice_rows.len();
    assert!((1..60).contains(&shown), "{shown}");
    key(&mut app, KeyCode::Enter);
    assert!(!model(&app).practice_query.typing);
    assert_eq!(model(&app).selected_practice(), Some(top));

    // Open the practice and assign two care managers.
    act(&mut app, Action::Open);
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::Detail(_))));
    assert!(screen_text(&app).contains("HCBS members"));
    act(&mut app, Action::Assign);
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    let first_cm = p.rows[0];
    let preview = p.preview.clone().unwrap();
    assert_eq!(preview.cm, first_cm);
    assert!(screen_text(&app).contains("after assigning"));
    act(&mut app, Action::Open);
    let m = model(&app);
    assert_eq!(m.editor.plan.slots[top as usize], [Some(first_cm), None]);
    assert_eq!(m.now.count[first_cm as usize], preview.members, "the preview was the real outcome");
    assert!(app.status.starts_with("assigned"));

    act(&mut app, Action::Assign);
    act(&mut app, Action::Filter);
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    let target = p.rows[3];
    let target_name = model(&app).ds.care_managers[target as usize].name.clone();
    typing(&mut app, &target_name);
    key(&mut app, KeyCode::Enter);
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    assert_eq!(p.rows.first(), Some(&target), "fuzzy search finds the care manager");
    act(&mut app, Action::Open);
    assert_eq!(model(&app).editor.plan.slots[top as usize], [Some(first_cm), Some(target)]);

    // A third is refused with a message.
    act(&mut app, Action::Assign);
    assert!(app.status.contains("already has two care managers"), "{}", app.status);
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::Detail(_))));

    // Caseloads follow the rule: every member of the practice with room goes to one of its CMs.
    let m = model(&app);
    for &mi in &m.ctx.members_of[top as usize] {
        let a = m.now.assigned[mi as usize];
        assert!(m.now.overflow[mi as usize] || [Some(first_cm), Some(target)].contains(&a));
    }
    let moves = m.moves.clone();
    assert!(moves.iter().map(|x| x.members_in).sum::<u32>() > 0);

    // Unassign slot 2, undo, redo.
    act(&mut app, Action::Right);
    act(&mut app, Action::Unassign);
    assert_eq!(model(&app).editor.plan.slots[top as usize], [Some(first_cm), None]);
    act(&mut app, Action::Undo);
    assert_eq!(model(&app).editor.plan.slots[top as usize], [Some(first_cm), Some(target)]);
    assert_eq!(model(&app).moves, moves, "undo restores the caseloads");
    act(&mut app, Action::Redo);
    act(&mut app, Action::Undo);

    // Save, then quit asks nothing; reload finds the plan.
    assert!(model(&app).editor.is_dirty());
    act(&mut app, Action::Save);
    assert!(app.status.starts_with("saved"), "{}", app.status);
    assert!(!model(&app).editor.is_dirty());
    let saved = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    assert_eq!(saved.lines().count(), 3, "{saved}");

    // Another user saves in between: the next save warns, the one after overwrites.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
    act(&mut app, Action::Save);
    assert!(app.status.contains("changed on disk"), "{}", app.status);
    assert_eq!(std::fs::read_to_string(dir.join("plan.csv")).unwrap().lines().count(), 1, "not overwritten");
    act(&mut app, Action::Save);
    assert!(app.status.starts_with("saved"), "{}", app.status);

    let again = app_on(&dir, (100, 30));
    assert_eq!(model(&again).editor.plan, model(&app).editor.plan);
    assert!(
        again.status.contains("2 practices assigned") || again.status.contains("1 practices assigned"),
        "{}",
        again.status
    );

    // Unsaved changes make q ask; Esc stays, q quits without saving.
    act(&mut app, Action::Back);
    act(&mut app, Action::Unassign);
    act(&mut app, Action::Quit);
    assert!(!app.quit);
    assert!(screen_text(&app).contains("unsaved changes"));
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit);
    act(&mut app, Action::Quit);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn facets_sorting_and_care_managers_screen() {
    let (_tmp, mut app) = loaded_app((100, 30));
    act(&mut app, Action::Facet);
    let Some(Overlay::Facets(f)) = model(&app).overlays.last() else { panic!("facets") };
    assert!(f.options.len() > 2);
    act(&mut app, Action::Down);
    act(&mut app, Action::Open);
    let m = model(&app);
    let county = match &m.facet {
        Some(super::state::Facet::County(c)) => c.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        m.practice_rows
            .iter()
            .all(|&i| m.ds.roster.practices[m.analysis.ranked[i as usize].practice as usize].place() == county)
    );
    act(&mut app, Action::Back);
    assert!(model(&app).facet.is_none());
    assert_eq!(model(&app).practice_rows.len(), 60);

    act(&mut app, Action::Sort);
    let m = model(&app);
    let names: Vec<&str> = m
        .practice_rows
        .iter()
        .map(|&i| m.ds.roster.practices[m.analysis.ranked[i as usize].practice as usize].name.as_str())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));

    act(&mut app, Action::Screen(2));
    let m = model(&app);
    let util: Vec<f64> = m.cm_rows.iter().map(|&c| m.utilization(c)).collect();
    assert!(util.windows(2).all(|w| w[0] >= w[1]), "fullest first");
    assert!(screen_text(&app).contains("care managers"));
}

#[test]
fn supervisors_review_and_export() {
    let (_tmp, dir) = data();
    let mut app = app_on(&dir, (100, 30));
    // Assign the top practice so someone moves.
    act(&mut app, Action::Assign);
    act(&mut app, Action::Down);
    act(&mut app, Action::Open);
    let moved: u32 = model(&app).moves.iter().map(|mv| mv.members_in).sum();

    act(&mut app, Action::Screen(3));
    assert_eq!(app.screen, Screen::Supervisors);
    let sups = model(&app).supervisors.len();
    assert_eq!(model(&app).sup_rows.len(), sups, "collapsed: one row per supervisor");
    act(&mut app, Action::Open);
    let (_, cms) = model(&app).supervisors[0].clone();
    assert_eq!(model(&app).sup_rows.len(), sups + cms.len());
    act(&mut app, Action::Down);
    act(&mut app, Action::Open);
    let c = cms[0];
    let m = model(&app);
    let shown = m.sup_rows.iter().filter(|r| matches!(r, super::state::SupRow::Member(x, _) if *x == c)).count();
    assert_eq!(shown, m.caseload_members(c).len());
    assert!(shown as u32 >= m.now.count[c as usize]);
    assert!(screen_text(&app).contains("supervisors"));
    if moved > 0 {
        let mover = (0..m.ds.care_managers.len() as u32).find(|&c| m.moves[c as usize].members_in > 0).unwrap();
        let rows = m.caseload_members(mover);
        assert!(
            rows.iter()
                .any(|&mi| m.now.assigned[mi as usize] == Some(mover) && m.start.assigned[mi as usize] != Some(mover))
        );
    }

    act(&mut app, Action::Screen(4));
    assert_eq!(app.screen, Screen::Review);
    assert!(!model(&app).review_rows.is_empty());
    let member = model(&app).review_rows[0];
    act(&mut app, Action::Open);
    let Some(Overlay::Choice(c)) = model(&app).overlays.last() else { panic!("choice") };
    assert!(c.options.len() >= 2);
    let pick = c.options[0].unwrap();
    act(&mut app, Action::Open);
    let m = model(&app);
    assert_eq!(m.editor.plan.review.get(&member), Some(&pick));
    assert_eq!(m.ctx.practice_of(&m.editor.plan, member), Some(pick));
    assert!(m.ctx.members_at(&m.editor.plan, pick).contains(&member));
    assert!(screen_text(&app).contains("✓"));

    act(&mut app, Action::Save);
    assert!(dir.join("review.csv").exists());
    // Another user saves in between: the next save warns, the one after overwrites.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
    act(&mut app, Action::Save);
    assert!(app.status.contains("changed on disk"), "{}", app.status);
    assert_eq!(std::fs::read_to_string(dir.join("plan.csv")).unwrap().lines().count(), 1, "not overwritten");
    act(&mut app, Action::Save);
    assert!(app.status.starts_with("saved"), "{}", app.status);

    let again = app_on(&dir, (100, 30));
    assert_eq!(model(&again).editor.plan.review.get(&member), Some(&pick), "decisions reload");
    act(&mut app, Action::Undo);
    assert!(model(&app).editor.plan.review.is_empty(), "decisions undo like any edit");

    act(&mut app, Action::Export);
    assert!(app.status.starts_with("exported 5 files to"), "{}", app.status);
    for f in ["practice_assignments.csv", "member_assignments.csv", "caseloads.csv", "outreach.csv", "coverage.csv"] {
        assert!(dir.join("exports").join(f).exists(), "{f}");
    }
    // The exports say what the screens show.
    let text = std::fs::read_to_string(dir.join("exports").join("caseloads.csv")).unwrap();
    let m = model(&app);
    for (line, cm) in text.lines().skip(1).zip(&m.ds.care_managers) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], cm.id);
        let c = m.ds.care_managers.iter().position(|x| x.id == cm.id).unwrap();
        assert_eq!(cells[4], m.now.count[c].to_string());
        assert_eq!(cells[6], m.moves[c].members_in.to_string());
        assert_eq!(cells[7], m.moves[c].members_out.to_string());
    }
}

#[test]
fn auto_suggest_is_one_undo_step() {
    let (_tmp, mut app) = loaded_app((100, 30));
    act(&mut app, Action::Suggest);
    let Some(Overlay::Proposal(v)) = model(&app).overlays.last() else { panic!("proposal") };
    let n = v.proposal.edit.slots.len();
    assert_eq!(n, model(&app).high_volume(), "every high-volume practice gets a proposal");
    assert!(screen_text(&app).contains("auto-suggest"));
    act(&mut app, Action::Back);
    assert_eq!(model(&app).editor.plan.assigned_practices(), 0, "rejected");
    act(&mut app, Action::Suggest);
    act(&mut app, Action::Open);
    let m = model(&app);
    assert_eq!(m.editor.plan.assigned_practices(), n);
    assert!(app.status.starts_with("accepted"));
    act(&mut app, Action::Undo);
    assert_eq!(model(&app).editor.plan.assigned_practices(), 0, "one undo step");
    act(&mut app, Action::Redo);
    act(&mut app, Action::Suggest);
    assert!(app.status.contains("already has a care manager"));
}

#[test]
fn resize_keeps_cursor_visible() {
    let (_tmp, mut app) = loaded_app((120, 40));
    act(&mut app, Action::PageDown);
    act(&mut app, Action::PageDown);
    update(&mut app, Msg::Resize(80, 24));
    let c = model(&app).practice_cursor;
    assert!(c.pos >= c.offset && c.pos < c.offset + table_rows(app.size));
}

#[test]
fn snapshots() {
    let (_tmp, mut app) = loaded_app((80, 24));
    insta::assert_snapshot!("practices_80x24", render(&app).backend());
    app.size = (120, 40);
    insta::assert_snapshot!("practices_120x40", render(&app).backend());
    act(&mut app, Action::Open);
    insta::assert_snapshot!("detail_120x40", render(&app).backend());
    act(&mut app, Action::Assign);
    insta::assert_snapshot!("picker_120x40", render(&app).backend());
    app.size = (80, 24);
    insta::assert_snapshot!("picker_80x24", render(&app).backend());
    act(&mut app, Action::Open);
    insta::assert_snapshot!("detail_80x24", render(&app).backend());
    act(&mut app, Action::Back);
    act(&mut app, Action::Screen(2));
    insta::assert_snapshot!("care_managers_80x24", render(&app).backend());
    app.size = (120, 40);
    insta::assert_snapshot!("care_managers_120x40", render(&app).backend());
    app.size = (80, 24);
    act(&mut app, Action::Screen(3));
    act(&mut app, Action::Open);
    act(&mut app, Action::Down);
    act(&mut app, Action::Open);
    insta::assert_snapshot!("supervisors_120x40", render(&app).backend());
    app.size = (80, 24);
    insta::assert_snapshot!("supervisors_80x24", render(&app).backend());
    act(&mut app, Action::Screen(4));
    insta::assert_snapshot!("review_80x24", render(&app).backend());
    act(&mut app, Action::Open);
    insta::assert_snapshot!("review_choice_80x24", render(&app).backend());
    act(&mut app, Action::Back);
    app.size = (120, 40);
    insta::assert_snapshot!("review_120x40", render(&app).backend());
    app.size = (80, 24);
    act(&mut app, Action::Screen(1));
    act(&mut app, Action::Suggest);
    insta::assert_snapshot!("proposal_80x24", render(&app).backend());
    act(&mut app, Action::Back);
    act(&mut app, Action::Facet);
    insta::assert_snapshot!("facets_80x24", render(&app).backend());
    act(&mut app, Action::Back);
    act(&mut app, Action::Quit);
    insta::assert_snapshot!("confirm_quit_80x24", render(&app).backend());
    key(&mut app, KeyCode::Esc);
    act(&mut app, Action::Help);
    insta::assert_snapshot!("help_80x24", render(&app).backend());
    app.size = (60, 20);
    insta::assert_snapshot!("too_small", render(&app).backend());
}

#[test]
fn loading_and_failure_screens() {
    let progress = Arc::new(Progress::default());
    progress.total.store(200 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.done.store(50 << 20, std::sync::atomic::Ordering::Relaxed);
    progress.stage.store(2, std::sync::atomic::Ordering::Relaxed);
    let mut app = App::new((80, 24), progress, false);
    let text = screen_text(&app);
    assert!(text.contains("reading claims.csv") && text.contains("25%") && text.contains("50 of 200 MB"), "{text}");
    act(&mut app, Action::Down);
    act(&mut app, Action::Quit);
    assert!(app.quit, "q works while loading");
    update(&mut app, Msg::Loaded(Err(ingest::DataError::at("claims.csv", 1, "required column member_id is missing"))));
    let text = screen_text(&app);
    assert!(text.contains("claims.csv:1: required column member_id is missing"), "{text}");
}

#[test]
fn no_color_selection_is_reverse_video() {
    let (_tmp, mut app) = loaded_app((80, 24));
    app.color = false;
    let t = render(&app);
    let buf = t.backend().buffer();
    // The selected row (first data row, y = 5) is reversed and uses no color.
    assert!(buf[(2, 5)].modifier.contains(ratatui::style::Modifier::REVERSED));
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
    }
}

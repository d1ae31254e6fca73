//! Workflows a program manager runs, driven key by key.

use super::super::app::{Msg, Screen};
use super::super::model::{Facet, SupRow};
use super::super::overlay::{Dialog, Overlay};
use super::*;

#[test]
fn paging_moves_by_what_the_view_shows() {
    let (_tmp, dir) = generated();
    let mut app = app_on(&dir, (80, 24));
    let n = model(&app).practices.len();
    let page = app.pages.get().screen;
    assert!(page > 5 && page < 24, "{page}");
    press(&mut app, "jj");
    assert_eq!(model(&app).practices.cursor.pos, 2);
    press(&mut app, "k");
    assert_eq!(model(&app).practices.cursor.pos, 1);
    press(&mut app, "G");
    let c = model(&app).practices.cursor;
    assert_eq!(c.pos, n - 1);
    assert_eq!(c.offset, n - page, "the last row is in view");
    press(&mut app, "g<PgDn>");
    assert_eq!(model(&app).practices.cursor.pos, page);
    press(&mut app, "<C-u>");
    assert_eq!(model(&app).practices.cursor.pos, page - page / 2);
    // The last visible row is the page's last: everything the cursor reaches is drawn.
    press(&mut app, "g");
    for _ in 0..page - 1 {
        press(&mut app, "j");
    }
    assert_eq!(model(&app).practices.cursor.offset, 0, "the whole first page is on screen");
    press(&mut app, "j");
    assert_eq!(model(&app).practices.cursor.offset, 1);

    send(&mut app, Msg::Resize(120, 40));
    assert!(app.pages.get().screen > page, "a taller terminal shows more rows");
    press(&mut app, "<PgDn><PgDn>");
    send(&mut app, Msg::Resize(80, 24));
    press(&mut app, "j");
    let c = model(&app).practices.cursor;
    assert!(c.pos >= c.offset && c.pos < c.offset + app.pages.get().screen, "cursor visible after resize");
}

#[test]
fn threshold_moves_the_cut_and_undoes() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    assert_eq!(model(&app).threshold(), 4);
    assert_eq!(model(&app).totals.high_volume, 5);
    press(&mut app, "++");
    assert_eq!(model(&app).threshold(), 6);
    assert_eq!(model(&app).totals.high_volume, 3);
    assert!(app.status.contains("threshold 6: 3 high-volume"), "{}", app.status);
    press(&mut app, "u");
    assert_eq!(model(&app).threshold(), 5);
    assert_eq!(app.status, "undid: threshold 5 → 6");
    for _ in 0..20 {
        press(&mut app, "-");
    }
    assert_eq!(model(&app).threshold(), 1, "never below 1");
    assert!(screen(&app).contains("cut: duals seen ≥ 1"));
}

#[test]
fn screens_by_number_tab_and_shift_tab() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "<Tab>");
    assert_eq!(app.screen, Screen::CareManagers);
    press(&mut app, "<S-Tab><S-Tab>");
    assert_eq!(app.screen, Screen::Counties);
    press(&mut app, "3");
    assert_eq!(app.screen, Screen::Supervisors);
    assert!(screen(&app).contains("[3 Supervisors]"), "the tab bar marks the screen");
    press(&mut app, "?");
    assert!(app.help.is_some());
    press(&mut app, "<Esc>1");
    assert!(app.help.is_none());
    assert_eq!(app.screen, Screen::Practices);
}

/// Open the top practice, fill both slots from the picker, replace slot 1 in one step, save,
/// reload.
#[test]
fn assign_replace_save_and_reload() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    let p01 = practice(&app, "P01");
    assert_eq!(model(&app).selected_practice(), Some(p01));
    press(&mut app, "<Enter>");
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::Detail(_))));
    assert!(screen(&app).contains("HCBS members (7)"));

    // Slot 1: the picker's best fit, with the preview telling the real outcome.
    press(&mut app, "a");
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    assert_eq!(p.slot, 0);
    let first = p.list.rows[0];
    let preview = p.preview.clone().unwrap();
    assert!(screen(&app).contains("slot 1 of Riverside Family Medicine"));
    press(&mut app, "<Enter>");
    let m = model(&app);
    assert_eq!(m.editor.plan.slots[p01 as usize], [Some(first), None]);
    for s in &preview.shifts {
        assert_eq!(m.totals.now.count[s.cm as usize], s.members_after, "the preview was the real outcome");
    }
    assert_eq!(m.totals.now.practice_overflow[p01 as usize], preview.overflow_after);
    assert!(app.status.contains("slot 1: nobody →"), "{}", app.status);

    // Slot 2 by search.
    press(&mut app, "la/ben<Enter>");
    let ben = cm(&app, "CM2");
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    assert_eq!(p.list.selected(), Some(ben), "the search finds Ben Carter");
    press(&mut app, "<Enter>");
    assert_eq!(model(&app).editor.plan.slots[p01 as usize], [Some(first), Some(ben)]);

    // `a` on slot 1 replaces its care manager in one undoable step.
    let ada = cm(&app, "CM3");
    press(&mut app, "ha/ada<Enter>");
    let Some(Overlay::Picker(p)) = model(&app).overlays.last() else { panic!("picker") };
    let preview = p.preview.as_ref().unwrap();
    let changes: Vec<u32> = preview.shifts.iter().map(|s| s.cm).collect();
    assert!(changes.contains(&ada));
    assert_eq!(preview.replaced, Some(first), "the preview names the care manager it replaces");
    assert!(screen(&app).contains("(replaces"), "the picker says whom it replaces");
    press(&mut app, "<Enter>");
    assert_eq!(model(&app).editor.plan.slots[p01 as usize], [Some(ada), Some(ben)]);
    press(&mut app, "u");
    assert_eq!(model(&app).editor.plan.slots[p01 as usize], [Some(first), Some(ben)], "one undo step");
    assert!(app.status.starts_with("undid: Riverside Family Medicine slot 1:"), "{}", app.status);
    assert!(app.status.ends_with("→ Ada Obi"), "{}", app.status);
    press(&mut app, "<C-r>");
    assert_eq!(model(&app).editor.plan.slots[p01 as usize], [Some(ada), Some(ben)]);

    // Caseloads follow the rule: members move only into room.
    let m = model(&app);
    for (c, &n) in m.totals.now.count.iter().enumerate() {
        let start = m.data.start.count[c];
        assert!(n <= m.data.ctx.capacity[c].max(start), "CM {c}: {n} members");
    }

    // Save: plan.csv holds both slots; a new start reads them back.
    assert!(model(&app).is_dirty());
    press(&mut app, "s");
    assert!(app.status.starts_with("saved"), "{}", app.status);
    assert!(!model(&app).is_dirty());
    let saved = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    assert_eq!(saved.lines().count(), 3, "{saved}");
    let again = app_on(&dir, (100, 30));
    assert_eq!(model(&again).editor.plan, model(&app).editor.plan);
    assert!(again.status.contains("1 practices assigned"), "{}", again.status);
}

#[test]
fn another_save_on_disk_asks_before_overwriting() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>s");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(dir.join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
    press(&mut app, "x");
    press(&mut app, "s");
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::Dialog(Dialog::Overwrite))));
    assert!(screen(&app).contains("Someone saved plan.csv"));
    press(&mut app, "<Esc>");
    assert_eq!(std::fs::read_to_string(dir.join("plan.csv")).unwrap().lines().count(), 1, "not overwritten");
    press(&mut app, "sy");
    assert!(app.status.starts_with("saved"), "{}", app.status);
}

#[test]
fn an_unreadable_plan_is_not_saved_over_without_asking() {
    let (_tmp, dir) = fixture();
    std::fs::write(dir.join("plan.csv"), "nothing,like,a,plan\n1,2,3,4\n").unwrap();
    let mut app = app_on(&dir, (100, 30));
    assert!(app.status.contains("could not be read"), "{}", app.status);
    press(&mut app, "a<Enter>s");
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::Dialog(Dialog::ReplaceUnreadable))));
    press(&mut app, "<Esc>");
    assert_eq!(std::fs::read_to_string(dir.join("plan.csv")).unwrap(), "nothing,like,a,plan\n1,2,3,4\n");
    press(&mut app, "sy");
    assert!(app.status.starts_with("saved"), "{}", app.status);
}

#[test]
fn quit_asks_when_unsaved_and_can_save_first() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "q");
    assert!(app.quit, "nothing to save: q quits");

    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "a<Enter>q");
    assert!(!app.quit);
    assert!(screen(&app).contains("unsaved changes"));
    press(&mut app, "<Esc>");
    assert!(!app.quit);
    assert_eq!(app.status, "quit cancelled");
    press(&mut app, "qn");
    assert!(app.quit, "n quits without saving");
    assert!(!dir.join("plan.csv").exists());

    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "a<Enter>qy");
    assert!(app.quit, "y saves, then quits");
    assert!(dir.join("plan.csv").exists());
}

#[test]
fn facets_sorting_and_care_managers_screen() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "f");
    let Some(Overlay::Facets(f)) = model(&app).overlays.last() else { panic!("facets") };
    assert_eq!(f.options.len(), 1 + 3 + 2, "all, three counties, two waivers");
    press(&mut app, "j<Enter>");
    let m = model(&app);
    assert_eq!(m.facet, Some(Facet::County("Adams".into())));
    assert_eq!(m.practices.len(), 4);
    press(&mut app, "<Esc>");
    assert!(model(&app).facet.is_none());
    assert_eq!(model(&app).practices.len(), 12);

    press(&mut app, "o");
    let m = model(&app);
    let names: Vec<&str> = m.listed_practices().into_iter().map(|p| m.data.practice_name(p)).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");

    press(&mut app, "2");
    let m = model(&app);
    let util: Vec<f64> = m.cms.rows.iter().map(|&c| m.totals.utilization(&m.data, c)).collect();
    assert!(util.windows(2).all(|w| w[0] >= w[1]), "fullest first");
}

#[test]
fn supervisors_tree_and_filter() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>3");
    assert_eq!(model(&app).sups.len(), 2, "collapsed: one row per supervisor");
    press(&mut app, "<Enter>");
    assert_eq!(model(&app).sups.len(), 2 + 3);
    press(&mut app, "j ");
    let m = model(&app);
    let SupRow::Cm(c) = m.sups.rows[1] else { panic!("a care manager row") };
    let shown = m.sups.rows.iter().filter(|r| matches!(r, SupRow::Member(x, _) if *x == c)).count();
    assert_eq!(shown, m.caseload_members(c).len());
    assert!(shown as u32 >= m.totals.now.count[c as usize]);

    // The filter keeps matching care managers with their supervisor; n/N step through them.
    press(&mut app, "/li<Enter>");
    let m = model(&app);
    assert!(m.sups.rows.contains(&SupRow::Cm(cm(&app, "CM4"))), "{:?}", m.sups.rows);
    assert!(!m.sups.rows.contains(&SupRow::Cm(cm(&app, "CM2"))));
    let hits = m.sups.hits.clone();
    press(&mut app, "n");
    assert!(hits.contains(&model(&app).sups.cursor.pos));
    // The matched letters are marked (underlined) on screen, and only in the filtered rows.
    let t = render(&app);
    let marked: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::UNDERLINED))
        .map(|c| c.symbol())
        .collect();
    assert!(marked.to_lowercase().contains("li"), "marked: {marked:?}");
}

#[test]
fn export_says_which_plan_it_wrote() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>e");
    assert!(app.status.starts_with("exported the current plan, not yet saved: wrote 5 files to"), "{}", app.status);
    press(&mut app, "se");
    assert!(app.status.starts_with("exported the saved plan: wrote 5 files to"), "{}", app.status);
    assert!(app.status.contains("previous"), "the earlier set is kept: {}", app.status);
    let text = std::fs::read_to_string(dir.join("exports").join("caseloads.csv")).unwrap();
    let m = model(&app);
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let c = m.data.ds.care_managers.iter().position(|x| x.id == cells[0]).unwrap();
        assert_eq!(cells[4], m.totals.now.count[c].to_string(), "the export says what the screen shows");
        assert_eq!(cells[6], m.totals.moves[c].members_in.to_string());
        assert_eq!(cells[7], m.totals.moves[c].members_out.to_string());
    }
}

#[test]
fn auto_suggest_runs_as_an_effect_and_is_one_undo_step() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "A");
    let Some(Overlay::Proposal(v)) = model(&app).overlays.last() else { panic!("proposal: {}", app.status) };
    let n = v.proposal.edit.slots.len();
    assert_eq!(n, model(&app).totals.high_volume, "every high-volume practice gets a proposal");
    assert!(screen(&app).contains("auto-suggest"));
    press(&mut app, "<Esc>");
    assert_eq!(model(&app).editor.plan.assigned_practices(), 0, "rejected");
    press(&mut app, "A<Enter>");
    assert_eq!(model(&app).editor.plan.assigned_practices(), n);
    assert!(app.status.starts_with("accepted"), "{}", app.status);
    press(&mut app, "u");
    assert_eq!(model(&app).editor.plan.assigned_practices(), 0, "one undo step");
    press(&mut app, "<C-r>A");
    assert!(app.status.contains("already has a care manager"), "{}", app.status);
}

#[test]
fn a_proposal_for_an_older_plan_is_dropped() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    // Ask for a proposal but change the plan before the worker answers.
    let effects = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::NONE)));
    assert!(app.running.contains(&super::super::app::Job::Suggesting));
    assert!(screen(&app).contains("auto-suggest running…"), "the screen says it runs");
    press(&mut app, "+");
    for e in effects {
        send(&mut app, worker::run(e));
    }
    assert!(model(&app).overlays.is_empty());
    assert!(app.status.contains("plan changed while auto-suggest ran"), "{}", app.status);
}

#[test]
fn care_managers_who_share_a_name_are_told_apart() {
    let (_tmp, dir) = fixture();
    let text = std::fs::read_to_string(dir.join("care_managers.csv")).unwrap();
    std::fs::write(dir.join("care_managers.csv"), text.replace("Ben Carter", "Olga Romero")).unwrap();
    let mut app = app_on(&dir, (120, 40));
    press(&mut app, "<Enter>a");
    let text = screen(&app);
    assert!(text.contains("Olga Romero (CM1, Home First Services)"), "{text}");
    assert!(text.contains("Olga Romero (CM2, Home First Services)"), "{text}");
}

#[test]
fn counties_show_coverage_and_lead_to_their_practices() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (120, 40));
    press(&mut app, "5");
    assert_eq!(app.screen, Screen::Counties);
    let m = model(&app);
    let (_, cov) = m.coverage.as_ref().expect("computed for the screen");
    assert_eq!(m.counties.len(), 4, "Adams, Benton, Clark and the member with no practice");
    let uncovered: Vec<u32> = m.counties.rows.iter().map(|&i| cov.rows[i as usize].uncovered()).collect();
    assert!(uncovered.windows(2).all(|w| w[0] >= w[1]), "most uncovered first: {uncovered:?}");
    assert_eq!(cov.total.hcbs_members_with_practice_cm, 0, "no CM assigned yet");
    assert!(screen(&app).contains("total"));

    // Enter: the county's practices; Esc: back to the counties.
    let county = cov.rows[m.counties.rows[0] as usize].county.clone();
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Practices);
    let m = model(&app);
    assert_eq!(m.facet, Some(Facet::County(county.clone())));
    assert!(!m.practices.is_empty());
    for p in m.listed_practices() {
        assert_eq!(m.data.ds.roster.practices[p as usize].county, county);
    }
    // Assigning here changes the county's coverage when we come back.
    press(&mut app, "a<Enter><Esc>");
    assert_eq!(app.screen, Screen::Counties);
    assert!(model(&app).facet.is_none());
    let (_, cov) = model(&app).coverage.as_ref().unwrap();
    assert!(cov.total.hcbs_members_with_practice_cm > 0, "coverage follows the plan");
    press(&mut app, "o");
    let m = model(&app);
    let (_, cov) = m.coverage.as_ref().unwrap();
    let names: Vec<&str> = m.counties.rows.iter().map(|&i| cov.rows[i as usize].county.as_str()).collect();
    assert_eq!(names, ["Adams", "Benton", "Clark", "(no practice)"]);
}

#[test]
fn no_color_selection_is_reverse_video() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    app.color = false;
    let t = render(&app);
    let buf = t.backend().buffer();
    // The selected row (first data row, y = 6: tabs, three header lines, border, heading).
    assert!(buf[(2, 6)].modifier.contains(ratatui::style::Modifier::REVERSED));
    for cell in buf.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
    }
}

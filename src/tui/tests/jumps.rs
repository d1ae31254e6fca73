//! Opening a care manager, the Supervisors tree's groups, and go-to (`:`), driven by keys.
//!
//! Expected reasons come from working the fixture through SPEC's caseload rule by hand:
//! Riverside Family Medicine (P01) gets Olga Romero (CM1, capacity 6, 4 members at the
//! start); M001, M002 and M006 are already hers (continuity), M003 and M004 move to her from
//! Ben Carter, and M005 (Ada Obi) and M008 (no CM) find no room (overflow).

use super::super::app::Screen;
use super::super::caseload::Group;
use super::super::model::SupRow;
use super::super::overlay::{CmRow, Overlay};
use super::*;

/// Member id of a row index.
fn member_id(app: &App, m: u32) -> String {
    model(app).data.ds.assessments[m as usize].member_id.clone()
}

/// The open care manager's members per group, as ids, in the order shown.
fn window_groups(app: &App) -> Vec<(Group, Vec<String>)> {
    let Some(Overlay::CareManager(w)) = model(app).overlays.last() else { panic!("a care manager window") };
    let mut out: Vec<(Group, Vec<String>)> = Vec::new();
    for row in &w.list.rows {
        match *row {
            CmRow::Group(g, _) => out.push((g, Vec::new())),
            CmRow::Member(m) => out.last_mut().unwrap().1.push(member_id(app, m)),
            _ => {}
        }
    }
    out
}

fn reason(app: &App, cm_id: &str, member: &str) -> String {
    let m = model(app);
    let mi = m.data.ds.assessments.iter().position(|a| a.member_id == member).unwrap() as u32;
    m.member_reason(cm(app, cm_id), mi)
}

#[test]
fn enter_on_a_care_manager_opens_them_grouped_with_reasons() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>2");
    assert_eq!(model(&app).cms.selected(), Some(cm(&app, "CM1")), "Olga Romero is fullest");
    press(&mut app, "<Enter>");
    let groups = window_groups(&app);
    assert_eq!(
        groups,
        vec![
            (Group::New, vec!["M003".to_string(), "M004".into()]),
            // Oak Street Internal Medicine sorts before Riverside Family Medicine.
            (Group::Staying, vec!["M007".to_string(), "M001".into(), "M002".into(), "M006".into()]),
        ]
    );
    assert_eq!(reason(&app, "CM1", "M003"), "new from Ben Carter · CM of Riverside Family Medicine");
    assert_eq!(reason(&app, "CM1", "M001"), "stays (continuity: a CM of Riverside Family Medicine)");
    assert_eq!(reason(&app, "CM1", "M007"), "stays (Oak Street Internal Medicine has no care manager)");
    assert_eq!(reason(&app, "CM2", "M004"), "leaving to Olga Romero · CM of Riverside Family Medicine");
    assert_eq!(reason(&app, "CM3", "M005"), "stays (overflow at Riverside Family Medicine)");
    let text = screen(&app);
    assert!(text.contains("members 6/6 (100%)"), "{text}");
    assert!(text.contains("weighted load 9.0"), "{text}");
    assert!(
        text.contains("Riverside Family Medicine  Adams · slot 1 · 5 of its 7 members with this CM · overflow 2"),
        "{text}"
    );

    // Enter on the practice row opens it over the window; Esc comes back.
    press(&mut app, "j<Enter>");
    let Some(Overlay::Detail(d)) = model(&app).overlays.last() else { panic!("the practice") };
    assert_eq!(d.practice, practice(&app, "P01"));
    press(&mut app, "<Esc>");
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::CareManager(_))));
    // Enter on a member opens their practice with them selected.
    press(&mut app, "G<Enter>");
    let Some(Overlay::Detail(d)) = model(&app).overlays.last() else { panic!("the member's practice") };
    assert_eq!(d.members.selected().map(|m| member_id(&app, m)), Some("M006".into()));
}

#[test]
fn window_groups_agree_with_a_plain_scan() {
    let (_tmp, dir) = generated();
    let mut app = app_on(&dir, (120, 40));
    press(&mut app, "A<Enter>2");
    for pos in 0..5 {
        press(&mut app, "<Esc>g");
        for _ in 0..pos {
            press(&mut app, "j");
        }
        press(&mut app, "<Enter>");
        let m = model(&app);
        let Some(Overlay::CareManager(w)) = m.overlays.last() else { panic!("a care manager window") };
        let c = w.cm;
        let (now, start) = (&m.totals.now.assigned, &m.data.start.assigned);
        let expect = |g: Group| -> Vec<String> {
            let mut ids: Vec<String> = m
                .caseload_members(c)
                .into_iter()
                .filter(|&x| {
                    let (n, s) = (now[x as usize] == Some(c), start[x as usize] == Some(c));
                    match g {
                        Group::New => n && !s,
                        Group::Leaving => s && !n,
                        Group::Staying => n && s,
                    }
                })
                .map(|x| member_id(&app, x))
                .collect();
            ids.sort();
            ids
        };
        for (g, mut shown) in window_groups(&app) {
            shown.sort();
            assert_eq!(shown, expect(g), "CM {c}, {g:?}");
        }
        let shown: usize = window_groups(&app).iter().map(|x| x.1.len()).sum();
        assert_eq!(shown, m.caseload_members(c).len(), "every member once");
    }
}

#[test]
fn supervisors_group_members_and_open_care_managers() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>3<Enter>j ");
    let m = model(&app);
    let olga = cm(&app, "CM1");
    let groups: Vec<Group> =
        m.sups.rows.iter().filter_map(|r| if let SupRow::Group(_, g, _) = r { Some(*g) } else { None }).collect();
    assert_eq!(groups, vec![Group::New, Group::Staying], "Olga Romero has nobody leaving");
    let text = screen(&app);
    assert!(text.contains("new on the caseload (2)"), "{text}");
    assert!(text.contains("M003 low    new from Ben Carter · CM of Riverside Family Medicine"), "{text}");

    // Ada Obi's overflow member says so.
    press(&mut app, "/obi<Enter> ");
    assert!(screen(&app).contains("M005 low    stays (overflow at Riverside Family Medicine)"), "{}", screen(&app));

    // Enter on a care manager opens them; Space on a member row closes its care manager.
    press(&mut app, "<Esc>3g");
    let pos = model(&app).sups.rows.iter().position(|r| *r == SupRow::Cm(olga)).unwrap();
    for _ in 0..pos {
        press(&mut app, "j");
    }
    press(&mut app, "<Enter>");
    let Some(Overlay::CareManager(w)) = model(&app).overlays.last() else { panic!("care manager window") };
    assert_eq!(w.cm, olga);
    press(&mut app, "<Esc>jj ");
    assert!(!model(&app).cm_open.contains(&olga));
    assert_eq!(model(&app).sups.selected(), Some(SupRow::Cm(olga)), "the cursor goes back to the care manager");
}

#[test]
fn go_to_a_practice_a_care_manager_or_a_member() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    let p01 = practice(&app, "P01");

    // A practice by id, from another screen, with the list filtered so it is hidden.
    press(&mut app, "/westfield<Enter>4:p01");
    let Some(Overlay::GoTo(g)) = model(&app).overlays.last() else { panic!("go-to is open") };
    assert_eq!(g.list.search.text(), "p01");
    press(&mut app, "<Enter>");
    assert_eq!(app.screen, Screen::Practices);
    let Some(Overlay::Detail(d)) = model(&app).overlays.last() else { panic!("the practice") };
    assert_eq!(d.practice, p01);
    assert_eq!(model(&app).selected_practice(), Some(p01), "the list shows where it is");

    // A care manager by name.
    press(&mut app, ":olga<Enter>");
    assert_eq!(app.screen, Screen::CareManagers);
    let Some(Overlay::CareManager(w)) = model(&app).overlays.last() else { panic!("the care manager") };
    assert_eq!(w.cm, cm(&app, "CM1"));
    assert_eq!(model(&app).cms.selected(), Some(cm(&app, "CM1")));

    // A member: their practice, with them selected.
    press(&mut app, ":M004<Enter>");
    let Some(Overlay::Detail(d)) = model(&app).overlays.last() else { panic!("the member's practice") };
    assert_eq!(d.practice, p01);
    assert_eq!(d.members.selected().map(|m| member_id(&app, m)), Some("M004".into()));

    // A member without a practice ("none"): their care manager, with them selected.
    press(&mut app, ":M051<Enter>");
    assert_eq!(app.screen, Screen::CareManagers);
    let Some(Overlay::CareManager(w)) = model(&app).overlays.last() else { panic!("the member's care manager") };
    assert_eq!(w.cm, cm(&app, "CM5"));
    assert_eq!(w.list.selected(), Some(CmRow::Member(member_index(&app, "M051"))));
}

fn member_index(app: &App, id: &str) -> u32 {
    model(app).data.ds.assessments.iter().position(|a| a.member_id == id).unwrap() as u32
}

#[test]
fn go_to_takes_every_printable_key() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "?:q?1ajk/<BS>");
    assert!(app.help.is_none(), "go-to closes the help");
    let Some(Overlay::GoTo(g)) = model(&app).overlays.last() else { panic!("go-to is open") };
    assert_eq!(g.list.search.text, "q?1ajk");
    assert!(!app.should_quit());
    assert_eq!(app.screen, Screen::Practices);
    press(&mut app, "<Esc>");
    assert!(model(&app).overlays.is_empty());
    press(&mut app, ":zzzz<Enter>");
    assert!(app.status.contains("nothing to go to"), "{}", app.status);
    assert!(matches!(model(&app).overlays.last(), Some(Overlay::GoTo(_))), "stays open to fix the text");
    press(&mut app, "<C-c>");
    assert!(app.should_quit(), "Ctrl-c still quits");
}

#[test]
fn go_to_ranks_exact_ids_first() {
    let (_tmp, dir) = fixture();
    let app = app_on(&dir, (80, 24));
    let m = model(&app);
    use super::super::goto::Target;
    // "P1" starts P10, P11 and P12 alike: the first of them.
    assert_eq!(m.goto_matches("P1")[0], Target::Practice(practice(&app, "P10")));
    assert_eq!(m.goto_matches("cm6")[0], Target::Cm(cm(&app, "CM6")));
    assert_eq!(m.goto_matches("M001")[0], Target::Member(0));
    assert_eq!(m.goto_matches("Kim Park")[0], Target::Cm(cm(&app, "CM6")));
    assert!(m.goto_matches("").is_empty());
}

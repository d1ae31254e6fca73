//! The Practices screen grouped under health systems (`H`).

use std::collections::BTreeSet;

use super::*;
use crate::tui::grouping::PracticeRow;

/// Two multi-site systems in the fixture, and a primary-care visit that makes M012 (seen at
/// Riverside Community Health Center) a patient of both Riverside sites.
pub(super) fn with_health_systems(dir: &Path) {
    let rows = "practice_id,health_system_id,health_system_name\n\
                P01,HS1,Riverside Health\nP02,HS1,Riverside Health\n\
                P03,HS2,Westfield Health Partners\nP04,HS2,Westfield Health Partners\n";
    std::fs::write(dir.join("health_systems.csv"), rows).unwrap();
    let mut claims = std::fs::OpenOptions::new().append(true).open(dir.join("claims.csv")).unwrap();
    std::io::Write::write_all(&mut claims, b"M012,2025-06-03,1000000012,,207Q00000X,99213,Y\n").unwrap();
}

fn grouped_app() -> (tempfile::TempDir, App) {
    let (tmp, dir) = fixture();
    with_health_systems(&dir);
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "H");
    (tmp, app)
}

#[test]
fn each_system_heads_its_sites_with_distinct_duals() {
    let (_tmp, app) = grouped_app();
    let m = model(&app);
    let d = &m.data;
    let systems = m.systems.as_ref().unwrap();
    let mut listed = Vec::new();
    let mut under: Option<(u32, Vec<String>)> = None;
    let mut groups: Vec<(u32, Vec<String>)> = Vec::new();
    for row in &m.practices.rows {
        match *row {
            PracticeRow::System(g) => {
                groups.extend(under.take());
                under = Some((g, Vec::new()));
            }
            PracticeRow::Practice(i) => {
                let p = d.analysis.ranked[i as usize].practice;
                listed.push(p);
                let id = d.ds.roster.practices[p as usize].id.clone();
                match &mut under {
                    Some((_, ids)) if systems.in_system(p) => ids.push(id),
                    _ => groups.extend(under.take()),
                }
            }
        }
    }
    groups.extend(under);
    let ids: Vec<(String, Vec<String>)> =
        groups.iter().map(|(g, ps)| (systems.rows[*g as usize].id(&d.ds).to_string(), ps.clone())).collect();
    let want = |id: &str, ps: &[&str]| (id.to_string(), ps.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert!(ids.contains(&want("HS1", &["P01", "P02"])), "{ids:?}");
    assert!(ids.contains(&want("HS2", &["P03", "P04"])) || ids.contains(&want("HS2", &["P04", "P03"])), "{ids:?}");
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..d.ds.roster.practices.len() as u32).collect::<Vec<_>>(), "every practice once");

    // Each heading's figures, counted here from the claims pairs: a member seen at two sites
    // of one system counts once (M012 at both Riverside sites).
    for &(g, _) in &groups {
        let s = &systems.rows[g as usize];
        let members: BTreeSet<u32> =
            d.ds.claims.pairs.iter().filter(|pr| s.practices.contains(&pr.practice)).map(|pr| pr.member).collect();
        assert_eq!(s.duals_seen as usize, members.len(), "{}", s.id(&d.ds));
        assert_eq!(s.hcbs_members, s.practices.iter().map(|&p| m.totals.hcbs[p as usize]).sum::<u32>());
    }
    let hs1 = groups.iter().map(|(g, _)| &systems.rows[*g as usize]).find(|s| s.id(&d.ds) == "HS1").unwrap();
    let per_site: u32 =
        hs1.practices.iter().map(|&p| d.analysis.ranked[d.rank_pos[p as usize] as usize].duals_seen).sum();
    assert_eq!(hs1.duals_seen + 1, per_site, "M012 counted once");
    // Systems in their own rank order.
    let order: Vec<u32> = groups.iter().map(|(g, _)| systems.rows[*g as usize].rank).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn a_heading_selects_no_practice_and_sites_assign_as_before() {
    let (_tmp, mut app) = grouped_app();
    let heading = model(&app).practices.rows.iter().position(|r| matches!(r, PracticeRow::System(_))).unwrap();
    press(&mut app, "g");
    for _ in 0..heading {
        press(&mut app, "j");
    }
    let before = model(&app).plan().clone();
    press(&mut app, "a<Enter>x<Enter>");
    assert_eq!(model(&app).plan(), &before, "a heading is not a practice");
    assert!(model(&app).overlays.is_empty(), "nothing opened on a heading");
    // The site below it assigns as on the plain list.
    press(&mut app, "ja<Enter>");
    let m = model(&app);
    let p = m.selected_practice().unwrap();
    assert!(m.plan().slots[p as usize][0].is_some());
}

#[test]
fn ungrouping_keeps_the_selection_and_the_filter_shows_headings_above_hits() {
    let (_tmp, mut app) = grouped_app();
    press(&mut app, "jjj");
    let p = model(&app).selected_practice();
    press(&mut app, "H");
    let m = model(&app);
    assert!(!m.group_systems);
    assert_eq!(m.selected_practice(), p, "the same practice stays selected");
    assert!(m.practices.rows.iter().all(|r| matches!(r, PracticeRow::Practice(_))));

    press(&mut app, "H/westfield<Enter>");
    let m = model(&app);
    let names: Vec<&str> = m.listed_practices().into_iter().map(|p| m.data.practice_name(p)).collect();
    assert!(names.iter().all(|n| n.contains("Westfield")), "{names:?}");
    assert!(matches!(m.practices.rows[0], PracticeRow::System(_)), "the system heads its matching sites");
    assert_eq!(m.practices.hits.len(), names.len(), "n/N step through practices, not headings");
}

#[test]
fn without_health_systems_h_says_so() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "H");
    assert!(!model(&app).group_systems);
    assert!(app.status.contains("health_systems.csv"), "{}", app.status);
}

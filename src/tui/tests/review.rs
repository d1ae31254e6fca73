//! The Review screen: its filters, and working through the queue.

use super::super::app::App;
use super::super::overlay::Overlay;
use super::*;
use crate::matching::review::ReviewRow;

/// The Review screen's filters: the kind (`f`, high-volume candidates included) and the
/// member's county (`F`), together.
#[test]
fn review_queue_filters_by_kind_and_county() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "4");
    let shown = |app: &App| -> Vec<ReviewRow> {
        let m = model(app);
        m.review.rows.iter().map(|&i| m.data.review_rows[i as usize].clone()).collect()
    };
    let all = shown(&app);
    // Raise the threshold until some rows have a high-volume candidate and some not.
    let with_hv = |app: &App| -> Vec<u32> {
        let m = model(app);
        let hv = m.totals.high_volume;
        all.iter()
            .filter(|r| r.candidates.iter().any(|c| (m.data.rank_pos[c.practice as usize] as usize) < hv))
            .map(|r| r.member)
            .collect()
    };
    for _ in 0..40 {
        if with_hv(&app).len() < all.len() {
            break;
        }
        press(&mut app, "+");
    }
    let expected = with_hv(&app);
    assert!(!expected.is_empty() && expected.len() < all.len(), "the fixture has rows of both sorts");
    press(&mut app, "fff");
    assert_eq!(shown(&app).iter().map(|r| r.member).collect::<Vec<_>>(), expected, "high-volume candidates");
    press(&mut app, "f");
    assert_eq!(shown(&app).len(), all.len(), "all again");

    // F lists "all counties" and then the members' counties; Enter on one keeps its rows.
    press(&mut app, "F");
    assert!(screen(&app).contains("all counties"));
    press(&mut app, "j<Enter>");
    let county = model(&app).review_county.clone().expect("a county picked");
    let rows = shown(&app);
    assert!(!rows.is_empty() && rows.iter().all(|r| r.county == county), "{county}");
    assert_eq!(rows.len(), all.iter().filter(|r| r.county == county).count());
    assert!(screen(&app).contains(&format!("in {county} (F)")));
    // With a kind as well: both hold.
    press(&mut app, "f");
    let m = model(&app);
    assert!(
        shown(&app).iter().all(|r| r.county == county && r.kind == crate::matching::review::ReviewKind::Ambiguous),
        "{}",
        m.review.rows.len()
    );
    press(&mut app, "fff");
    press(&mut app, "F<Enter>");
    assert_eq!(model(&app).review_county, None);
    assert_eq!(shown(&app).len(), all.len(), "all counties again");
}

#[test]
fn review_queue_accepts_the_likeliest_and_moves_on() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "4");
    let m = model(&app);
    let ids = |app: &App| -> Vec<String> {
        let m = model(app);
        m.review
            .rows
            .iter()
            .map(|&i| m.data.ds.assessments[m.data.review_rows[i as usize].member as usize].member_id.clone())
            .collect()
    };
    // Two conflicts (claims all elsewhere) and two ambiguous answers no claims settle.
    assert_eq!(ids(&app), ["M007", "M021", "M052", "M053"]);
    assert!(screen(&app).contains("4 left of 4"));
    // Dr. Patel from a Clark County member: the Clark practice is preselected (county).
    let patel = &m.data.review_rows[m.review.rows[3] as usize];
    let likeliest = patel.candidates[patel.likeliest.unwrap()].practice;
    assert_eq!(likeliest, practice(&app, "P06"));

    press(&mut app, "f");
    assert_eq!(ids(&app), ["M052", "M053"], "ambiguous only");
    press(&mut app, "f");
    assert_eq!(ids(&app), ["M007", "M021"], "conflicts only");
    press(&mut app, "ff");
    assert_eq!(ids(&app).len(), 4, "all again");

    // Enter accepts the preselected practice (the claims practice of a conflict) and moves on.
    let first = model(&app).data.review_rows[model(&app).review.rows[0] as usize].clone();
    let pick = first.candidates[first.likeliest.unwrap()].practice;
    press(&mut app, "<Enter>");
    let m = model(&app);
    assert_eq!(m.editor.plan.review.get(&first.member), Some(&pick));
    assert!(m.data.ctx.members_at(&m.editor.plan, pick).contains(&first.member));
    assert_eq!(m.review.cursor.pos, 1, "on to the next undecided row");
    assert!(screen(&app).contains("3 left of 4"));
    assert!(screen(&app).contains("✓"));

    // c chooses another candidate.
    press(&mut app, "gc");
    let Some(Overlay::Choice(c)) = model(&app).overlays.last() else { panic!("choice") };
    assert_eq!(c.options.len(), first.candidates.len() + 1, "the candidates and no decision");
    press(&mut app, "G<Enter>");
    assert_eq!(model(&app).editor.plan.review.get(&first.member), None, "decision cleared");
    press(&mut app, "u");
    assert_eq!(model(&app).editor.plan.review.get(&first.member), Some(&pick), "decisions undo like any edit");

    press(&mut app, "s");
    let again = app_on(&dir, (100, 30));
    assert_eq!(model(&again).editor.plan.review.get(&first.member), Some(&pick), "decisions reload");
    assert_eq!(model(&again).review_left(), 3);
}

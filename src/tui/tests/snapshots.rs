//! One snapshot per screen and window on the hand-made fixture, each from a fresh start.

use super::*;

fn snap(keys: &str, size: (u16, u16)) -> String {
    let (_tmp, dir) = fixture();
    snap_on(&dir, keys, size)
}

fn snap_on(dir: &Path, keys: &str, size: (u16, u16)) -> String {
    let mut app = app_on(dir, size);
    press(&mut app, keys);
    // The data directory is a temp dir; its name is fixed ("tiny"), so snapshots are stable.
    screen(&app)
}

#[test]
fn practices() {
    insta::assert_snapshot!("practices_80x24", snap("", (80, 24)));
    insta::assert_snapshot!("practices_120x40", snap("", (120, 40)));
}

#[test]
fn practices_filtered() {
    insta::assert_snapshot!("practices_filtered_80x24", snap("/river", (80, 24)));
}

#[test]
fn detail() {
    insta::assert_snapshot!("detail_80x24", snap("a<Enter><Enter>", (80, 24)));
    insta::assert_snapshot!("detail_120x40", snap("a<Enter><Enter>", (120, 40)));
}

#[test]
fn detail_with_medicare_plans() {
    let (_tmp, dir) = fixture();
    with_medicare_plans(&dir);
    // At 80 columns the selected member's plan shows under the list; at 120 in a column.
    insta::assert_snapshot!("detail_plans_80x24", snap_on(&dir, "a<Enter><Enter>", (80, 24)));
    insta::assert_snapshot!("detail_plans_120x40", snap_on(&dir, "a<Enter><Enter>", (120, 40)));
}

#[test]
fn care_manager_detail() {
    // Olga Romero after taking Riverside Family Medicine: two members new, overflow stays.
    let (_tmp, dir) = fixture();
    with_medicare_plans(&dir);
    insta::assert_snapshot!("cm_detail_80x24", snap_on(&dir, "a<Enter>2<Enter>", (80, 24)));
    insta::assert_snapshot!("cm_detail_120x40", snap_on(&dir, "a<Enter>2<Enter>", (120, 40)));
    // Ben Carter: members leaving, from the Supervisors screen.
    insta::assert_snapshot!("cm_detail_leaving_80x24", snap_on(&dir, "a<Enter>3<Enter>jj<Enter>", (80, 24)));
}

#[test]
fn go_to() {
    insta::assert_snapshot!("goto_80x24", snap(":ri", (80, 24)));
    insta::assert_snapshot!("goto_120x40", snap(":m00", (120, 40)));
}

#[test]
fn picker() {
    insta::assert_snapshot!("picker_80x24", snap("<Enter>a", (80, 24)));
    insta::assert_snapshot!("picker_120x40", snap("<Enter>a", (120, 40)));
}

#[test]
fn care_managers() {
    insta::assert_snapshot!("care_managers_80x24", snap("a<Enter>2", (80, 24)));
    insta::assert_snapshot!("care_managers_120x40", snap("a<Enter>2", (120, 40)));
}

#[test]
fn supervisors() {
    insta::assert_snapshot!("supervisors_80x24", snap("a<Enter>3<Enter>j ", (80, 24)));
    insta::assert_snapshot!("supervisors_120x40", snap("a<Enter>3<Enter>jj k ", (120, 40)));
}

#[test]
fn review() {
    insta::assert_snapshot!("review_80x24", snap("4", (80, 24)));
    insta::assert_snapshot!("review_choice_80x24", snap("4<Enter>", (80, 24)));
    insta::assert_snapshot!("review_120x40", snap("4", (120, 40)));
}

#[test]
fn counties() {
    insta::assert_snapshot!("counties_80x24", snap("a<Enter>5", (80, 24)));
    insta::assert_snapshot!("counties_120x40", snap("a<Enter>5", (120, 40)));
}

#[test]
fn proposal() {
    insta::assert_snapshot!("proposal_80x24", snap("A", (80, 24)));
}

#[test]
fn facets() {
    insta::assert_snapshot!("facets_80x24", snap("f", (80, 24)));
}

#[test]
fn dialogs() {
    insta::assert_snapshot!("confirm_quit_80x24", snap("a<Enter>q", (80, 24)));
}

#[test]
fn help() {
    insta::assert_snapshot!("help_80x24", snap("?", (80, 24)));
}

#[test]
fn too_small() {
    insta::assert_snapshot!("too_small", snap("", (60, 20)));
}

#[test]
fn practices_grouped_by_health_system() {
    let (_tmp, dir) = fixture();
    super::systems::with_health_systems(&dir);
    insta::assert_snapshot!("practices_grouped_80x24", snap_on(&dir, "H", (80, 24)));
    insta::assert_snapshot!("practices_grouped_120x40", snap_on(&dir, "H", (120, 40)));
}

//! Columns that fit the terminal and the data, numbers in full, words spelled out, sort
//! arrows, the practice filter on clinician names, and solo practices named as practices.

use super::*;

/// Rewrites one line of a fixture file (the line starting with `start`).
fn edit_line(dir: &Path, file: &str, start: &str, new: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let out: Vec<String> =
        text.lines().map(|l| if l.starts_with(start) { new.to_string() } else { l.to_string() }).collect();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

#[test]
fn names_get_the_room_at_80_columns() {
    let (_tmp, dir) = fixture();
    let app = app_on(&dir, (80, 24));
    let text = screen(&app);
    // The longest names of the fixture, whole.
    assert!(text.contains("Riverside Community Health Center"), "{text}");
    assert!(text.contains("Sunrise Pediatrics and Family"), "{text}");
}

#[test]
fn five_digit_overflow_and_huge_capacities_show_in_full() {
    let (_tmp, dir) = fixture();
    // 10,050 more members name Harbor View Health (P12); Kim Park (CM6, capacity 6) takes it.
    let mut extra = std::fs::read_to_string(dir.join("assessments.csv")).unwrap();
    for i in 0..10_050 {
        extra.push_str(&format!("X{i:05},2025-04-01,annual,Harbor View Health,Clark,Aged,low,\n"));
    }
    std::fs::write(dir.join("assessments.csv"), extra).unwrap();
    std::fs::write(dir.join("plan.csv"), "practice_id,slot,care_manager_id\nP12,1,CM6\n").unwrap();
    edit_line(
        &dir,
        "care_managers.csv",
        "CM1,",
        "CM1,Olga Romero,Home First Services,Jose Ruiz,Adams,999999999,555-200-0001,olga@example.org",
    );
    let mut app = app_on(&dir, (80, 24));
    let m = model(&app);
    let p12 = practice(&app, "P12");
    let overflow = m.totals.now.practice_overflow[p12 as usize];
    // Kim Park has 6 of 6 at the start (M053 among them): M050 stays by continuity, no
    // one else finds room.
    assert_eq!(overflow, 10_050);
    let text = screen(&app);
    assert!(text.contains("10,050!"), "the marker stays beside 5 digits:\n{text}");
    assert!(text.contains("10,051"), "HCBS members with separators:\n{text}");
    press(&mut app, "2");
    let text = screen(&app);
    assert!(text.contains("4/999,999,999"), "a \"no limit\" capacity in full:\n{text}");
    press(&mut app, "3<Enter>");
    let text = screen(&app);
    assert!(text.contains("/1,000,000,008"), "a supervisor's capacity in full:\n{text}");
}

#[test]
fn sorting_marks_the_column_and_names_the_title() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    let text = screen(&app);
    assert!(text.contains("practices by duals seen") && text.contains("duals↓"), "{text}");
    press(&mut app, "o");
    let text = screen(&app);
    assert!(text.contains("practices by name") && text.contains("practice↑"), "{text}");
    press(&mut app, "o");
    assert!(screen(&app).contains("practices by HCBS members") && screen(&app).contains("HCBS↓"));
    press(&mut app, "o");
    assert!(screen(&app).contains("practices by overflow") && screen(&app).contains("ovfl↓"));
    press(&mut app, "2");
    assert!(screen(&app).contains("care managers by utilization (fullest first)"));
    assert!(screen(&app).contains("util↓"));
    press(&mut app, "oo");
    let text = screen(&app);
    assert!(
        text.contains("care managers by members moving") && text.contains("in↓") && text.contains("out↓"),
        "{text}"
    );
}

#[test]
fn wide_terminals_spell_words_out() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (120, 40));
    let text = screen(&app);
    for word in ["duals seen", "HCBS members", "overflow"] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
    press(&mut app, "2");
    let text = screen(&app);
    for word in ["utilization", "weighted load", "practices"] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
    // Help explains every short word the screens use.
    press(&mut app, "?");
    let help: String = (0..6)
        .map(|_| {
            let s = screen(&app);
            press(&mut app, "<PgDn>");
            s
        })
        .collect();
    for word in ["ovfl", "serves", "!:", "weighted", "prac", "util", "room:", "no room", "w/o", "↓ ↑"] {
        assert!(help.contains(word), "help explains {word}");
    }
}

#[test]
fn practice_filter_matches_clinician_names() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    let ids = |app: &App| -> Vec<String> {
        let m = model(app);
        m.listed_practices().into_iter().map(|p| m.data.ds.roster.practices[p as usize].id.clone()).collect()
    };
    press(&mut app, "/sarah patel");
    assert_eq!(ids(&app), vec!["P01"]);
    press(&mut app, "<Esc>/Dr. Lee");
    let mut found = ids(&app);
    found.sort();
    assert_eq!(found, vec!["P01", "P02"], "David Lee and Grace Lee");
    press(&mut app, "<Esc>/p06<Enter>");
    assert_eq!(ids(&app), vec!["P06"], "ids match too, in any case");
    press(&mut app, "<Esc>/qqqq<Enter>");
    assert!(screen(&app).contains("no practice matches “qqqq”"));
}

#[test]
fn solo_practices_read_as_practices() {
    let (_tmp, dir) = fixture();
    let mut roster = std::fs::read_to_string(dir.join("practices.csv")).unwrap();
    roster.push_str("1000023303,Horvath,Patricia,207Q00000X,,,Clark,555-100-0013\n");
    roster.push_str("1000024673,Quinn,Dana,363LF0000X,,,Clark,555-100-0014\n");
    std::fs::write(dir.join("practices.csv"), roster).unwrap();
    let mut app = app_on(&dir, (80, 24));
    let m = model(&app);
    let labels: Vec<&str> = m.data.practice_labels.iter().map(String::as_str).collect();
    assert!(labels.contains(&"practice of Dr. Patricia Horvath"), "a physician: {labels:?}");
    assert!(labels.contains(&"practice of Dana Quinn"), "a nurse practitioner is not called Dr.: {labels:?}");
    assert!(labels.contains(&"Riverside Family Medicine"), "named practices keep their name");
    press(&mut app, "/horvath");
    assert!(screen(&app).contains("practice of Dr. Patricia Horvath"));
    press(&mut app, "<Esc>:horvath<Enter>");
    assert!(screen(&app).contains("┌ practice of Dr. Patricia Horvath "), "{}", screen(&app));
}

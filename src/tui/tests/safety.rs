//! Keys never do what nobody asked: text typed into a filter stays text, help shows where
//! you are first, and messages are not cut where they matter.

use super::super::keys::{self, BINDINGS};
use super::*;

/// Every printable key a user might type into a filter ('<' is the key syntax's escape).
fn every_key() -> String {
    ('a'..='z').chain('A'..='Z').chain("0123456789 +-=?/.,'\"!@#$%^&*()_[]{};:>|~`".chars()).collect()
}

#[test]
fn slash_then_any_letter_changes_no_file_and_no_plan() {
    let (_tmp, dir) = fixture();
    let before = files(&dir);
    let text = every_key();
    // On each screen, and on each window that has a list.
    for open in ["1", "2", "3", "4", "5", "1<Enter>", "1a", "1f", "4c", "4F", "1A", "2<Enter>", "3<Enter>"] {
        let mut app = app_on(&dir, (80, 24));
        press(&mut app, open);
        let chain = app.contexts();
        press(&mut app, "/");
        assert!(app.typing(), "{open}: / opens a text field");
        press(&mut app, &text);
        let m = model(&app);
        assert!(!app.quit, "{open}");
        assert!(app.running.is_empty(), "{open}: nothing started");
        assert_eq!(m.editor.plan.assigned_practices(), 0, "{open}");
        assert!(m.editor.plan.review.is_empty(), "{open}");
        assert_eq!(m.threshold(), 4, "{open}");
        assert!(!m.is_dirty(), "{open}");
        assert!(app.help.is_none(), "{open}");
        press(&mut app, "<Enter>");
        assert_eq!(app.contexts(), chain, "{open}: Enter closes the field, the window stays");
        assert_eq!(files(&dir), before, "{open}: no file written");
    }
}

#[test]
fn filter_keys_work_while_typing() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "/westfield");
    assert_eq!(model(&app).practices.len(), 2);
    assert!(screen(&app).contains("/westfield▏"));
    press(&mut app, "<BS><BS><BS><BS><BS>");
    assert_eq!(model(&app).practices.search.text(), "west");
    press(&mut app, "<Down>");
    assert_eq!(model(&app).practices.cursor.pos, 1, "arrows move while typing");
    assert!(app.typing());
    press(&mut app, "<C-c>");
    assert!(app.quit, "Ctrl-c is never text");

    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "/zzzz<Enter>");
    assert!(screen(&app).contains("no practice matches “zzzz”"));
    press(&mut app, "<Esc>");
    assert_eq!(model(&app).practices.len(), 12, "Esc clears the filter");
    press(&mut app, "/P03<Enter>");
    assert_eq!(model(&app).practices.len(), 1, "ids match too");
    press(&mut app, "n");
    assert_eq!(model(&app).practices.cursor.pos, 0);
}

#[test]
fn help_scrolls_and_starts_with_this_screen() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    press(&mut app, "1<Enter>?");
    let text = screen(&app);
    let first = text.lines().nth(2).unwrap();
    assert!(first.contains("Keys: an open practice"), "{text}");
    // Scroll to the end: the last keys and the glossary are reachable at 80×24.
    press(&mut app, "G");
    let text = screen(&app);
    assert!(text.contains("a care manager above capacity"), "{text}");
    let total = super::super::view::help_len(&app.contexts_below_help(), app.size.0);
    assert!(total > app.pages.get().help, "help is longer than a screen at 80×24, so it must scroll");
    // Every binding's text is somewhere in the help.
    let mut seen = String::new();
    press(&mut app, "g");
    for _ in 0..total {
        seen.push_str(&screen(&app));
        press(&mut app, "j");
    }
    for b in BINDINGS {
        let start: String = b.help.chars().take(30).collect();
        assert!(seen.contains(&start), "help lacks {:?}", b.help);
    }
    press(&mut app, "<Esc>");
    assert!(app.help.is_none());
}

#[test]
fn footers_show_only_keys_that_work_here() {
    let (_tmp, dir) = fixture();
    for open in ["1", "2", "3", "4", "5", "1<Enter>", "1a", "1f", "4c"] {
        let mut app = app_on(&dir, (200, 30));
        press(&mut app, open);
        let chain = app.contexts();
        let footer = screen(&app).lines().last().unwrap().to_string();
        for b in keys::footer(&chain) {
            assert!(footer.contains(&format!("{} {}", b.name, b.footer)), "{open}: {footer}");
        }
        // And each footer key does something here.
        for b in keys::footer(&chain) {
            let ev = b.keys[0].event();
            assert!(keys::lookup(&chain, &ev).is_some(), "{open}: {} does nothing", b.name);
        }
    }
}

#[test]
fn long_messages_wrap_instead_of_losing_their_end() {
    let (_tmp, dir) = fixture();
    let mut app = app_on(&dir, (80, 24));
    app.status = "x".repeat(100) + " press y to confirm";
    let text = screen(&app);
    assert!(text.contains("press y to confirm"), "{text}");
}

#[test]
fn control_characters_in_the_data_never_reach_the_terminal() {
    let (_tmp, dir) = fixture();
    let roster = std::fs::read_to_string(dir.join("practices.csv")).unwrap();
    // An OSC title change, a clear screen and a bidi override in a practice name.
    let evil = "\"Harbor \u{1b}]0;pwned\u{7}\u{1b}[2JView\u{202e} Health\"";
    std::fs::write(dir.join("practices.csv"), roster.replace("Harbor View Health", evil)).unwrap();
    let mut app = app_on(&dir, (120, 40));
    press(&mut app, "/harbor<Enter>");
    let text = screen(&app);
    assert!(text.contains("Harbor"), "{text}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} reached the screen:\n{text}");
    }
}

/// A save that cannot write one of its files (review.csv is a directory) replaces none of
/// them and says which file failed; the plan stays unsaved (issue 16).
#[test]
fn a_save_that_cannot_write_review_csv_writes_nothing() {
    let (_tmp, dir) = fixture();
    std::fs::create_dir(dir.join("review.csv")).unwrap();
    let mut app = app_on(&dir, (100, 30));
    press(&mut app, "a<Enter>+");
    assert!(model(&app).is_dirty());
    press(&mut app, "s");
    assert!(
        app.status.starts_with("not saved: ") && app.status.contains("review.csv: is a directory"),
        "{}",
        app.status
    );
    assert!(!dir.join("plan.csv").exists(), "plan.csv not written");
    assert!(!dir.join("plan.toml").exists(), "plan.toml not written");
    assert!(model(&app).is_dirty(), "still unsaved");
}

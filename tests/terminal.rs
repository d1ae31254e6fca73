//! The terminal is given back on panic: run the real TUI under a pseudo-terminal (`script`)
//! with a panic injected right after it takes the screen, and look for the sequences that
//! leave the alternate screen.

mod common;

use std::process::Command;

#[test]
fn terminal_is_restored_after_a_panic() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the panic hook exists in debug builds only");
        return;
    }
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a pseudo-terminal");
        return;
    }
    let data = common::sample(300, 12, 2);
    let cmd = format!("{} {}", env!("CARGO_BIN_EXE_carealign"), data.path().display());
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("CAREALIGN_TEST_PANIC", "1")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(101), "the injected panic ends the program: {text}");
    let entered = text.find("\x1b[?1049h").expect("entered the alternate screen");
    let left = text.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > entered);
    assert!(text.contains("injected panic for testing"));
}

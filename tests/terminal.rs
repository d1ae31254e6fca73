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
    let out = tui_under_script(data.path(), ("CAREALIGN_TEST_PANIC", "1"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(101), "the injected panic ends the program: {text}");
    let entered = text.find("\x1b[?1049h").expect("entered the alternate screen");
    let left = text.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > entered);
    assert!(text.contains("injected panic for testing"));
}

/// A claims.csv big enough to be read through a memory map (over 8 MB), in sample data.
fn big_claims() -> tempfile::TempDir {
    let data = common::sample(300, 12, 3);
    let path = data.path().join("claims.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let mut big = text.clone();
    while big.len() < 9 << 20 {
        big.push_str(&body);
    }
    std::fs::write(&path, big).unwrap();
    data
}

/// Another program cutting a mapped input short raises SIGBUS: the user gets one sentence
/// and exit status 1 instead of a silent death, and the TUI gives the terminal back first.
#[test]
fn a_file_cut_short_while_mapped_is_said_not_a_crash() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the shrink hook exists in debug builds only");
        return;
    }
    let data = big_claims();
    let out = Command::new(env!("CARGO_BIN_EXE_carealign"))
        .args(["check", &data.path().display().to_string()])
        .env("CAREALIGN_TEST_SHRINK", data.path().join("claims.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("an input file was cut short, or could not be read, while it was being read"), "{err}");

    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped the TUI half: no `script` to provide a pseudo-terminal");
        return;
    }
    let data = big_claims();
    let claims = data.path().join("claims.csv");
    let out = tui_under_script(data.path(), ("CAREALIGN_TEST_SHRINK", claims.to_str().unwrap()));
    let text = String::from_utf8_lossy(&out.stdout);
    let message = text.find("an input file was cut short").expect("the message is shown");
    if let Some(entered) = text.find("\x1b[?1049h") {
        let left = text.rfind("\x1b[?1049l").expect("left the alternate screen");
        assert!(entered < left && left < message, "screen given back before the message: {text:?}");
    }
}

/// Data that would drive a terminal: an OSC retitle, a screen clear, a C1 CSI read as
/// Latin-1 (the byte 0x9b is not UTF-8) ...
const HOSTILE: &[u8] = b"Evil\x1b]0;owned\x07\x1b[2J Clinic \x9b31m";
/// ... and, in valid UTF-8, a bidi override and a zero-width space.
const SPOOF: &str = "Twin\u{202e}RLO\u{200b}";

fn hostile_data() -> tempfile::TempDir {
    let data = common::sample(300, 12, 7);
    let path = data.path().join("practices.csv");
    let text = std::fs::read(&path).unwrap();
    // Rename the practices of lines 2 and 3 (the name is the 6th column).
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let practice = |l: &[u8]| l.split(|&b| b == b',').nth(4).unwrap_or_default().to_vec();
    let first = practice(&lines[1]);
    let second = (2..lines.len()).find(|&l| !lines[l].is_empty() && practice(&lines[l]) != first).unwrap();
    for (line, name) in [(1, HOSTILE), (second, SPOOF.as_bytes())] {
        let fields: Vec<&[u8]> = lines[line].split(|&b| b == b',').collect();
        assert!(!lines[line].contains(&b'"'), "plain roster row");
        let mut row = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                row.push(b',');
            }
            row.extend_from_slice(if i == 5 { name } else { f });
        }
        lines[line] = row;
    }
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    data
}

/// The TUI on `data` under a pseudo-terminal (`script`), with one test hook set.
fn tui_under_script(data: &std::path::Path, hook: (&str, &str)) -> std::process::Output {
    let cmd = format!("{} {}", env!("CARGO_BIN_EXE_carealign"), data.display());
    let mut script = Command::new("script");
    script.args(["-qec", &cmd, "/dev/null"]).env(hook.0, hook.1).env("TERM", "xterm");
    script.output().unwrap()
}

/// Runs `cmd` under a pseudo-terminal; returns what the terminal received.
fn on_terminal(cmd: &str) -> Vec<u8> {
    let out = Command::new("script").args(["-qec", cmd, "/dev/null"]).env("TERM", "xterm").output().unwrap();
    out.stdout
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn data_never_drives_the_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a pseudo-terminal");
        return;
    }
    let data = hostile_data();
    let bin = env!("CARGO_BIN_EXE_carealign");
    let dir = data.path().display();
    for cmd in [format!("{bin} rank {dir}"), format!("{bin} match {dir}"), format!("{bin} check {dir}")] {
        let seen = on_terminal(&cmd);
        assert!(!contains(&seen, b"\x1b]0;owned"), "{cmd}: raw OSC reached the terminal");
        assert!(!contains(&seen, b"\x1b[2J"), "{cmd}: raw clear-screen reached the terminal");
        assert!(!contains(&seen, "\u{9b}".as_bytes()), "{cmd}: raw C1 CSI reached the terminal");
        assert!(!contains(&seen, "\u{202e}".as_bytes()), "{cmd}: raw bidi override reached the terminal");
        if cmd.contains(" rank ") {
            let shown = String::from_utf8_lossy(&seen);
            assert!(shown.contains("Evil\\x1b]0;owned\\x07\\x1b[2J Clinic \\u{9b}31m"), "shown escaped: {shown}");
            assert!(shown.contains("Twin\\u{202e}RLO\\u{200b}"), "shown escaped: {shown}");
        }
    }
    // To a pipe, the CSV keeps the data as it is (quoted where needed).
    let piped = Command::new(bin).args(["rank", &dir.to_string()]).output().unwrap();
    let rows = common::rows(&piped.stdout);
    let latin1: String = HOSTILE.iter().map(|&b| b as char).collect();
    for name in [latin1.as_str(), SPOOF] {
        assert!(rows.iter().any(|r| r["practice_name"] == name), "{name:?} kept as is");
    }
}

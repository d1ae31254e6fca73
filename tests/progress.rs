//! Long commands show progress on standard error only when it is a terminal: piped output
//! stays clean, and `--quiet` silences it under a terminal too.

mod common;

use std::process::Command;

use carealign::ingest::Progress;

fn shows_progress(text: &str) -> bool {
    text.contains("\x1b[2K") || Progress::STAGES.iter().any(|s| text.contains(s))
}

#[test]
fn piped_stderr_stays_clean() {
    let data = common::sample(800, 30, 5);
    let dir = data.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    for args in [
        vec!["rank", dir],
        vec!["rank", dir, "--by", "system"],
        vec!["match", dir],
        vec!["check", dir],
        vec!["export", dir, "--out-dir", out_dir],
    ] {
        let o = common::ok(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!shows_progress(&err) && !err.contains('\r'), "{args:?}: {err:?}");
        if args[0] != "export" {
            assert_eq!(err, "", "{args:?}");
        }
    }
}

#[test]
fn a_terminal_sees_progress_unless_quiet() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a pseudo-terminal");
        return;
    }
    let data = common::sample(800, 30, 5);
    let out = tempfile::tempdir().unwrap();
    let under_pty = |extra: &str| {
        let cmd = format!(
            "{} rank {} --out {} {extra}",
            env!("CARGO_BIN_EXE_carealign"),
            data.path().display(),
            out.path().join("rank.csv").display()
        );
        let o = Command::new("script").args(["-qec", &cmd, "/dev/null"]).env("TERM", "xterm").output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let text = under_pty("");
    assert!(shows_progress(&text), "{text:?}");
    assert!(text.ends_with("\r\x1b[2K"), "the line is cleared at the end: {text:?}");
    let quiet = under_pty("--quiet");
    assert!(!shows_progress(&quiet), "{quiet:?}");
}

//! Attacks and accidents around files and processes, each run through the real binary: planted
//! links, devices and FIFOs where files are expected, outputs aimed at inputs or saved plans,
//! endless inputs, half-written export sets, and arguments that would exhaust memory or disk.
//! Every case must end in a clear one-line message or a correct result, quickly, with
//! nothing outside the intended files changed.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const EXPORTS: [&str; 5] =
    ["practice_assignments.csv", "member_assignments.csv", "caseloads.csv", "outreach.csv", "coverage.csv"];

/// Runs carealign, killing it after `limit` (a hang is a failure, not a stuck test run).
fn run_within(limit: Duration, args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("carealign runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("carealign {args:?} hung (killed after {limit:?}): {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo {}", path.display());
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A file, FIFO or link planted where the program reads, and the message it must give.
struct Planted {
    name: &'static str,
    file: &'static str,
    plant: fn(&Path),
    command: &'static str,
    want: &'static str,
}

fn plant_fifo(path: &Path) {
    mkfifo(path);
}

fn plant_zero(path: &Path) {
    symlink("/dev/zero", path).unwrap();
}

fn plant_dir(path: &Path) {
    fs::create_dir(path).unwrap();
}

/// A record with no end in sight: the claims header, then 12 MB without a line break.
fn plant_endless_claims(path: &Path) {
    let mut b = b"member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n".to_vec();
    b.extend(std::iter::repeat_n(b'x', 12 << 20));
    fs::write(path, b).unwrap();
}

/// A huge (sparse) plan file: reading it whole would take the memory of a small machine.
fn plant_huge(path: &Path) {
    let f = fs::File::create(path).unwrap();
    f.set_len(65 << 20).unwrap();
}

fn plant_headerless_review(path: &Path) {
    fs::write(path, "M1,P1\n").unwrap();
}

#[test]
fn inputs_that_are_not_plain_files_are_refused_quickly() {
    let cases = [
        Planted {
            name: "claims.csv is a FIFO",
            file: "claims.csv",
            plant: plant_fifo,
            command: "rank",
            want: "claims.csv: is not a regular file",
        },
        Planted {
            name: "claims.csv is a FIFO (check)",
            file: "claims.csv",
            plant: plant_fifo,
            command: "check",
            want: "claims.csv: is not a regular file",
        },
        Planted {
            name: "claims.csv -> /dev/zero",
            file: "claims.csv",
            plant: plant_zero,
            command: "rank",
            want: "claims.csv: is not a regular file",
        },
        Planted {
            name: "carealign.toml is a FIFO",
            file: "carealign.toml",
            plant: plant_fifo,
            command: "rank",
            want: "carealign.toml: is not a regular file",
        },
        Planted {
            name: "a claims record without end",
            file: "claims.csv",
            plant: plant_endless_claims,
            command: "rank",
            want: "claims.csv:2: a single record is longer than 4 MB",
        },
        Planted {
            name: "plan.csv is a FIFO",
            file: "plan.csv",
            plant: plant_fifo,
            command: "export",
            want: "plan.csv: is not a regular file",
        },
        Planted {
            name: "plan.csv -> /dev/zero",
            file: "plan.csv",
            plant: plant_zero,
            command: "export",
            want: "plan.csv: is not a regular file",
        },
        Planted {
            name: "plan.csv is huge",
            file: "plan.csv",
            plant: plant_huge,
            command: "export",
            want: "plan.csv: is larger than 64 MB",
        },
        Planted {
            name: "review.csv is a directory",
            file: "review.csv",
            plant: plant_dir,
            command: "export",
            want: "review.csv: is not a regular file",
        },
        Planted {
            name: "review.csv without a header",
            file: "review.csv",
            plant: plant_headerless_review,
            command: "export",
            want: "review.csv:1: the header must name member_id and practice_id",
        },
    ];
    let data = sample(300, 12, 3);
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for c in &cases {
        let dir = tempfile::tempdir().unwrap();
        for f in ["claims.csv", "practices.csv", "assessments.csv", "care_managers.csv"] {
            fs::copy(data.path().join(f), dir.path().join(f)).unwrap();
        }
        // review.csv is read only beside a plan.
        fs::write(dir.path().join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
        let target = dir.path().join(c.file);
        let _ = fs::remove_file(&target);
        (c.plant)(&target);
        let d = dir.path().to_str().unwrap();
        let o = out.path().to_str().unwrap();
        let args: Vec<&str> = match c.command {
            "export" => vec!["export", d, "--out-dir", o],
            cmd => vec![cmd, d],
        };
        let result = run_within(Duration::from_secs(20), &args);
        let text = format!("{}{}", String::from_utf8_lossy(&result.stdout), stderr(&result));
        if result.status.code() != Some(1) || !text.contains(c.want) {
            failures.push(format!("{}: exit {:?}: {text}", c.name, result.status.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn outputs_never_replace_inputs_state_files_or_devices() {
    let data = sample(300, 12, 4);
    let d = data.path();
    fs::write(d.join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
    fs::write(d.join("review.csv"), "member_id,practice_id\n").unwrap();
    symlink(d.join("claims.csv"), d.join("claims-link.csv")).unwrap();
    let before: Vec<Vec<u8>> =
        ["claims.csv", "plan.csv", "review.csv"].iter().map(|f| fs::read(d.join(f)).unwrap()).collect();
    let dir = d.to_str().unwrap();
    for (cmd, target) in [
        ("rank", "plan.csv"),
        ("match", "review.csv"),
        ("rank", "claims.csv"),
        ("match", "claims-link.csv"),
        ("rank", "plan.toml"),
    ] {
        let path = d.join(target);
        let out = run_within(Duration::from_secs(20), &[cmd, dir, "--out", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{cmd} --out {target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing to write over an input file or the saved plan"),
            "{cmd} --out {target}: {}",
            stderr(&out)
        );
    }
    let after: Vec<Vec<u8>> =
        ["claims.csv", "plan.csv", "review.csv"].iter().map(|f| fs::read(d.join(f)).unwrap()).collect();
    assert_eq!(before, after);
    assert!(!d.join("plan.toml").exists());

    // `--out -` is standard output.
    let out = ok(&["rank", dir, "--top", "3", "--out", "-"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rank,practice_id"));

    // A FIFO is written into, never replaced by a regular file.
    let fifo_dir = tempfile::tempdir().unwrap();
    let fifo = fifo_dir.path().join("out.csv");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let out = run_within(Duration::from_secs(20), &["rank", dir, "--top", "3", "--out", fifo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = reader.join().unwrap();
    assert!(got.starts_with(b"rank,practice_id"), "{}", String::from_utf8_lossy(&got));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
    // /dev/null stays a device (a non-root run could not replace it anyway; the output must
    // still succeed, written in place).
    ok(&["rank", dir, "--top", "3", "--out", "/dev/null"]);
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
}

/// The process id the next spawned child will likely get (Linux hands them out in order).
fn next_pid() -> u32 {
    Command::new("true").spawn().unwrap().id() + 1
}

#[test]
fn planted_links_at_likely_temp_names_are_never_followed() {
    let data = sample(300, 12, 5);
    let d = data.path();
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let out = tempfile::tempdir().unwrap();
    // The old temp name was `.NAME.tmp<pid>`: plant it for the next few hundred pids.
    let pid = next_pid();
    for p in pid..pid + 400 {
        for name in EXPORTS {
            symlink(&victim, out.path().join(format!(".{name}.tmp{p}"))).unwrap();
        }
    }
    ok(&["export", d.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    for name in EXPORTS {
        assert!(fs::symlink_metadata(out.path().join(name)).unwrap().is_file());
    }
}

#[test]
fn an_export_set_is_all_or_nothing_and_the_previous_set_is_kept() {
    let data = sample(300, 12, 6);
    let d = data.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    // Old files, and caseloads.csv a directory: nothing may be replaced.
    for name in EXPORTS {
        fs::write(out.path().join(name), "old\n").unwrap();
    }
    fs::remove_file(out.path().join("caseloads.csv")).unwrap();
    fs::create_dir(out.path().join("caseloads.csv")).unwrap();
    // A temp file left by a killed run (a process id no process has) is cleaned up.
    let stale = out.path().join(format!(".carealign-{}-deadbeef00.tmp", i32::MAX));
    fs::write(&stale, "half").unwrap();
    let r = run_within(Duration::from_secs(30), &["export", d, "--out-dir", o]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(stderr(&r).contains("caseloads.csv: is a directory"), "{}", stderr(&r));
    for name in ["practice_assignments.csv", "member_assignments.csv", "outreach.csv"] {
        assert_eq!(fs::read_to_string(out.path().join(name)).unwrap(), "old\n", "{name} untouched");
    }
    assert!(!stale.exists(), "stale temp file removed");

    fs::remove_dir(out.path().join("caseloads.csv")).unwrap();
    fs::write(out.path().join("caseloads.csv"), "old\n").unwrap();
    let r = ok(&["export", d, "--out-dir", o]);
    let where_to = fs::canonicalize(out.path()).unwrap();
    assert!(stderr(&r).contains(&format!("wrote 5 files to {}", where_to.display())), "says where: {}", stderr(&r));
    assert!(stderr(&r).contains("previous set is in"), "{}", stderr(&r));
    for name in EXPORTS {
        assert_eq!(fs::read_to_string(out.path().join("previous").join(name)).unwrap(), "old\n");
        assert_ne!(fs::read_to_string(out.path().join(name)).unwrap(), "old\n");
    }
    let leftovers: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left: {leftovers:?}");
}

#[test]
fn arguments_that_would_exhaust_memory_or_disk_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        ["--practices", "18446744073709551615"],
        ["--members", "1000000000000"],
        ["--lines", "18446744073709551615"],
        ["--care-managers", "18446744073709551615"],
        ["--members", "0"],
    ] {
        let out = run_within(Duration::from_secs(20), &["sample", d, args[0], args[1]]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(args[0]) && stderr(&out).contains("not in"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

/// A disk that fills part-way through an export (the file-size limit makes the second file's
/// write fail as a full disk would, without needing root or a small file system): the command
/// says which file failed, every old file stays as it was, and no temp file is left.
#[test]
fn a_write_that_fails_part_way_through_an_export_changes_nothing() {
    let data = sample(300, 12, 6);
    let d = data.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::create_dir(out.path().join("previous")).unwrap();
    for name in EXPORTS {
        fs::write(out.path().join(name), "old\n").unwrap();
        fs::write(out.path().join("previous").join(name), "older\n").unwrap();
    }
    // 8 KB: practice_assignments.csv (well under 1 KB) is written, member_assignments.csv
    // (about 18 KB) is not. SIGXFSZ is ignored so the write fails with an error instead.
    let script = r#"ulimit -f 8; trap '' XFSZ; exec "$0" "$@""#;
    let r = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_carealign"), "export", d, "--out-dir"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let message = stderr(&r);
    assert!(message.contains("member_assignments.csv"), "names the file: {message}");
    assert_eq!(message.trim().lines().count(), 1, "one clear sentence: {message}");
    for name in EXPORTS {
        assert_eq!(fs::read_to_string(out.path().join(name)).unwrap(), "old\n", "{name} untouched");
        let kept = fs::read_to_string(out.path().join("previous").join(name)).unwrap();
        assert_eq!(kept, "older\n", "previous/{name} still the set before");
    }
    let left: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !EXPORTS.contains(&n.as_str()) && n != "previous")
        .collect();
    assert!(left.is_empty(), "nothing else written or left behind: {left:?}");
}

/// `--out /dev/stdout` writes to standard output in place; run as root, an atomic replace would
/// have turned the device link into a regular file.
#[test]
fn dev_stdout_is_written_in_place() {
    let data = sample(300, 12, 4);
    let before = fs::symlink_metadata("/dev/stdout").map(|m| m.file_type().is_symlink()).ok();
    let out = ok(&["rank", data.path().to_str().unwrap(), "--top", "2", "--out", "/dev/stdout"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rank,practice_id"), "the ranking on stdout");
    let after = fs::symlink_metadata("/dev/stdout").map(|m| m.file_type().is_symlink()).ok();
    assert_eq!(before, after, "/dev/stdout is what it was");
}

/// An OS error is said once, in one sentence naming the file, without the temp file's name
/// (issue 12: never "No such file or directory: No such file or directory (os error 2)").
#[test]
fn os_errors_are_said_once() {
    let data = sample(300, 12, 4);
    let dir = data.path().to_str().unwrap();
    let missing = data.path().join("no-such-dir/ranking.csv");
    let not_a_dir = data.path().join("claims.csv");
    for (args, reason) in [
        (vec!["rank", dir, "--out", missing.to_str().unwrap()], "No such file or directory"),
        (vec!["export", dir, "--out-dir", not_a_dir.to_str().unwrap()], "claims.csv: is a file, not a directory"),
    ] {
        let out = run_within(Duration::from_secs(20), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.contains(reason), "{args:?}: {err}");
        assert!(!err.contains("os error") && !err.contains(".carealign-"), "{args:?}: {err}");
        let first = err.find(':').map_or("", |i| &err[i..]);
        for word in ["No such file", "File exists", "Not a directory"] {
            assert!(first.matches(word).count() <= 1, "{word} said twice: {err}");
        }
    }
}

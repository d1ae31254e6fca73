//! TAF claims as delivered (claims_header.csv + claims_line.csv) through the real binary: a
//! generated set written both ways ranks and matches exactly the same, and lines whose claim
//! the header file lacks are reported with their line.

mod common;

use std::fs;
use std::path::Path;

use common::*;

fn sample_split(members: usize, practices: usize, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (m, p, s) = (members.to_string(), practices.to_string(), seed.to_string());
    ok(&["sample", d, "--members", &m, "--practices", &p, "--seed", &s, "--headers", "taf-split"]);
    dir
}

/// `check`'s summary with the claims file names left out.
fn summary(dir: &Path) -> Vec<String> {
    let out = ok(&["check", dir.to_str().unwrap()]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest).to_string())
        .collect()
}

#[test]
fn a_taf_split_sample_ranks_and_matches_exactly_as_the_joined_claims() {
    let joined = sample(3000, 80, 11);
    let split = sample_split(3000, 80, 11);
    assert!(!split.path().join("claims.csv").exists());
    let lines = fs::read_to_string(split.path().join("claims_line.csv")).unwrap();
    // The split set uses TAF's blanks: no date on the line, the missing-date and
    // missing-taxonomy codes (read as blank, so the numbers stay the same).
    assert!(lines.lines().any(|l| l.split(',').nth(2) == Some("")), "a line without its own date");
    for code in ["1960-01-01", "NONE", "8888888888", "NO TAXONOMY"] {
        assert!(lines.contains(&format!(",{code},")), "{code}");
    }
    for cmd in ["rank", "match"] {
        let a = ok(&[cmd, joined.path().to_str().unwrap()]).stdout;
        let b = ok(&[cmd, split.path().to_str().unwrap()]).stdout;
        assert!(rows(&a).len() > 50);
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b), "{cmd}");
    }
    assert_eq!(summary(joined.path()), summary(split.path()));
}

#[test]
fn lines_whose_claim_is_missing_are_reported() {
    let dir = sample_split(300, 20, 4);
    let header_path = dir.path().join("claims_header.csv");
    let header = fs::read_to_string(&header_path).unwrap();
    // Drop the first two claims from the header file.
    let kept: Vec<&str> = header.lines().enumerate().filter(|(i, _)| !(1..=2).contains(i)).map(|(_, l)| l).collect();
    fs::write(&header_path, kept.join("\n") + "\n").unwrap();
    let dropped: Vec<&str> = header.lines().skip(1).take(2).map(|l| l.split(',').next().unwrap()).collect();
    let lines = fs::read_to_string(dir.path().join("claims_line.csv")).unwrap();
    let orphans: Vec<usize> = lines
        .lines()
        .enumerate()
        .filter(|(_, l)| dropped.contains(&l.split(',').next().unwrap()))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!orphans.is_empty());
    let d = dir.path().to_str().unwrap();
    let out = run(&["check", d]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in &orphans {
        assert!(
            text.contains(&format!("claims_line.csv:{line}: its claim (CLM_ID) is not in claims_header.csv\n")),
            "{text}"
        );
    }
    let warning = format!(
        "claims_line.csv: warning: {} lines name a claim that is not in claims_header.csv; they were skipped (see `carealign check`)",
        orphans.len()
    );
    assert!(text.lines().any(|l| l == warning), "{text}");
    let rank = ok(&["rank", d]);
    assert!(String::from_utf8_lossy(&rank.stderr).contains(&format!("note: {warning}")));
    let strict = run(&["rank", d, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&strict.stderr).trim(),
        format!(
            "error: claims_line.csv:{}: its claim (CLM_ID) is not in claims_header.csv (--strict stops at the first bad row)",
            orphans[0]
        )
    );
}

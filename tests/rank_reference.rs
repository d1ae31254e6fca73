//! `carealign rank` against a brute-force reference written straight from SPEC's definitions,
//! on generated data with multi-practice NPIs, unknown NPIs, non-crossover lines, non-PC codes,
//! specialist taxonomies, every date and flag form, and bad rows.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::path::Path;

use common::*;

/// practice_id → (duals_seen, pc_lines, clinicians), straight from SPEC (tests/common/reference.rs).
fn reference(dir: &Path) -> BTreeMap<String, (usize, usize, usize)> {
    common::reference::practices(dir).into_iter().map(|(p, f)| (p, (f.members.len(), f.lines, f.npis.len()))).collect()
}

/// Adds edge-case rows to a generated data set: every date and flag form, lower-case codes,
/// a clinician in two practices told apart by billing NPI, bad rows that must be skipped.
fn add_edge_rows(dir: &Path) {
    let roster = read_rows(&dir.join("practices.csv"));
    let groups: Vec<&HashMap<String, String>> = roster.iter().filter(|r| !r["practice_id"].is_empty()).collect();
    let a = groups[0];
    let b = groups.iter().find(|r| r["practice_id"] != a["practice_id"]).unwrap();
    let shared = npi(190_000_001);
    let helper_b = b["npi"].clone();
    let mut p = fs::OpenOptions::new().append(true).open(dir.join("practices.csv")).unwrap();
    for pr in [a, b] {
        writeln!(p, "{shared},Doe,Pat,207Q00000X,{},\"{}\",X,555", pr["practice_id"], pr["practice_name"]).unwrap();
    }
    let unknown = npi(190_000_002);
    let mut c = fs::OpenOptions::new().append(true).open(dir.join("claims.csv")).unwrap();
    let lines = [
        // Shared NPI billed by a clinician of b: counts for b only.
        format!("EDGE1,2025-03-01,{shared},{helper_b},207Q00000X,99213,Y,1"),
        // Shared NPI with no billing NPI: counts for both.
        format!("EDGE2,20250302,{shared},,,99214,yes,1"),
        format!("EDGE3,03/04/2025,{shared},,207q00000x,g0439,TRUE,1"),
        format!("EDGE4,05MAR2025,{shared},,,99215,1,1"),
        // Unknown rendering NPI falls back to the billing NPI's practices.
        format!("EDGE5,2025-03-06,{unknown},{helper_b},207R00000X,99213,t,1"),
        // Unknown rendering NPI with no taxonomy: not a known PCP.
        format!("EDGE6,2025-03-06,{unknown},{helper_b},,99213,Y,1"),
        // Specialist taxonomy on the line overrides the roster.
        format!("EDGE7,2025-03-07,{shared},,207RC0000X,99213,Y,1"),
        // TAF's missing-taxonomy codes: the roster's taxonomy (a PCP) applies.
        format!("EDGE15,2025-03-07,{shared},,NONE,99213,Y,1"),
        format!("EDGE16,2025-03-07,{shared},,8888888888,99213,Y,1"),
        format!("EDGE17,2025-03-07,{shared},,no taxonomy,99213,Y,1"),
        // ... and for a clinician the roster does not know, nothing makes the line a PCP's.
        format!("EDGE18,2025-03-07,{unknown},{helper_b},999999999X,99213,Y,1"),
        // TAF's missing date: a line with no date is a bad row.
        format!("EDGE19,1960-01-01,{shared},,,99213,Y,1"),
        // Bad rows: skipped.
        format!("EDGE8,2025-02-30,{shared},,,99213,Y,1"),
        "EDGE9,2025-03-08,1234567890,,,99213,Y,1".to_string(),
        format!("EDGE10,2025-03-08,{shared},,,99213,maybe,1"),
        format!(",2025-03-08,{shared},,,99213,Y,1"),
        "EDGE11,2025-03-08,,,,99213,Y,1".to_string(),
        format!("EDGE12,2025-03-08,{shared},,,99213"),
        // Non-crossover and non-PC lines.
        format!("EDGE13,2025-03-09,{shared},,,99213,N,1"),
        format!("EDGE14,2025-03-09,{shared},,,71046,Y,1"),
    ];
    for l in lines {
        writeln!(c, "{l}").unwrap();
    }
}

fn check_against_reference(dir: &Path) {
    let expected = reference(dir);
    let out = ok(&["rank", dir.to_str().unwrap()]);
    let got = rows(&out.stdout);
    assert_eq!(got.len(), expected.len(), "one row per practice");
    let mut prev: Option<(usize, String)> = None;
    for (i, r) in got.iter().enumerate() {
        assert_eq!(r["rank"], (i + 1).to_string());
        let duals: usize = r["duals_seen"].parse().unwrap();
        let (e_duals, e_lines, e_clin) = expected[&r["practice_id"]];
        assert_eq!(duals, e_duals, "duals_seen of {}", r["practice_id"]);
        assert_eq!(r["pc_lines"], e_lines.to_string(), "pc_lines of {}", r["practice_id"]);
        assert_eq!(r["clinicians"], e_clin.to_string(), "clinicians of {}", r["practice_id"]);
        if let Some((pd, pid)) = &prev {
            assert!(duals < *pd || (duals == *pd && r["practice_id"] > *pid), "ranking order at row {}", i + 1);
        }
        prev = Some((duals, r["practice_id"].clone()));
    }
    assert!(expected.values().filter(|v| v.0 > 0).count() > expected.len() / 3, "the data exercises the ranking");
}

#[test]
fn rank_matches_reference_on_generated_data() {
    for (members, practices, seed) in [(2000, 60, 3), (6000, 250, 9)] {
        let dir = sample(members, practices, seed);
        add_edge_rows(dir.path());
        check_against_reference(dir.path());
        // The bad rows were counted, and check names them with their lines.
        let out = run(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("service_date \"2025-02-30\" is not a valid date"), "{text}");
        assert!(text.contains("rendering_npi \"1234567890\" fails the NPI check digit"), "{text}");
        assert!(
            text.contains("claims.csv:") && text.contains(": service_date is blank (or TAF's 1960-01-01)"),
            "{text}"
        );
        assert!(text.contains("7 error(s)"), "{text}");
    }
}

#[test]
fn shuffled_claims_rank_the_same() {
    let dir = sample(1500, 40, 5);
    let before = ok(&["rank", dir.path().to_str().unwrap()]).stdout;
    let claims = fs::read_to_string(dir.path().join("claims.csv")).unwrap();
    let mut lines: Vec<&str> = claims.lines().collect();
    let header = lines.remove(0);
    // A fixed permutation: reverse, then interleave halves.
    lines.reverse();
    let (x, y) = lines.split_at(lines.len() / 2);
    let mixed: Vec<&str> = y.iter().zip(x).flat_map(|(a, b)| [*a, *b]).chain(y.iter().skip(x.len()).copied()).collect();
    fs::write(dir.path().join("claims.csv"), format!("{header}\n{}\n", mixed.join("\n"))).unwrap();
    let after = ok(&["rank", dir.path().to_str().unwrap()]).stdout;
    assert_eq!(String::from_utf8_lossy(&before), String::from_utf8_lossy(&after));
}

//! `carealign rank` against a brute-force reference written straight from SPEC's definitions,
//! on generated data with multi-practice NPIs, unknown NPIs, non-crossover lines, non-PC codes,
//! specialist taxonomies, every date and flag form, and bad rows.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::Path;

use common::reference::{PCP_TAX, TAF_MISSING_TAX, flag, is_pc, npi_field, valid_date};
use common::*;

/// practice_id → (duals_seen, pc_lines, clinicians), straight from SPEC.
fn reference(dir: &Path) -> BTreeMap<String, (usize, usize, usize)> {
    let mut npi_practices: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut npi_pcp: HashMap<String, bool> = HashMap::new();
    let mut practice_npis: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in read_rows(&dir.join("practices.csv")) {
        let npi = r["npi"].trim().to_string();
        if !luhn_ok(&npi) {
            continue;
        }
        let pid = if r["practice_id"].trim().is_empty() { npi.clone() } else { r["practice_id"].trim().to_string() };
        npi_practices.entry(npi.clone()).or_default().insert(pid.clone());
        practice_npis.entry(pid).or_default().insert(npi.clone());
        *npi_pcp.entry(npi).or_default() |= PCP_TAX.contains(&r["taxonomy"].trim().to_uppercase().as_str());
    }
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    let empty = BTreeSet::new();
    for r in read_rows(&dir.join("claims.csv")) {
        if r.contains_key("__bad") {
            continue;
        }
        let member = r["member_id"].trim();
        let (Some(xover), true) = (flag(&r["crossover"]), valid_date(&r["service_date"])) else { continue };
        let (Ok(rend), Ok(bill)) = (npi_field(&r["rendering_npi"]), npi_field(&r["billing_npi"])) else { continue };
        if member.is_empty() || (rend.is_none() && bill.is_none()) || !xover || !is_pc(&r["procedure_code"]) {
            continue;
        }
        let tax = r["taxonomy"].trim().to_uppercase();
        let tax = if TAF_MISSING_TAX.contains(&tax.as_str()) { String::new() } else { tax };
        let pcp = if tax.is_empty() {
            rend.as_ref().and_then(|n| npi_pcp.get(n)).copied().unwrap_or(false)
        } else {
            PCP_TAX.contains(&tax.as_str())
        };
        let rp = rend.as_ref().and_then(|n| npi_practices.get(n)).unwrap_or(&empty);
        let bp = bill.as_ref().and_then(|n| npi_practices.get(n)).unwrap_or(&empty);
        let practices: BTreeSet<String> = if rp.is_empty() {
            bp.clone()
        } else if rp.len() > 1 && !rp.is_disjoint(bp) {
            rp.intersection(bp).cloned().collect()
        } else {
            rp.clone()
        };
        if !pcp {
            continue;
        }
        for p in practices {
            members.entry(p.clone()).or_default().insert(member.to_string());
            *lines.entry(p).or_default() += 1;
        }
    }
    practice_npis
        .iter()
        .map(|(p, npis)| {
            (p.clone(), (members.get(p).map_or(0, |m| m.len()), lines.get(p).copied().unwrap_or(0), npis.len()))
        })
        .collect()
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

//! Inputs a program manager can trust (issue 13, items 8–11) through the real binary: `sample`
//! never overwrites input files without `--force`, `--strict` stops at the first bad row even
//! after many warnings, and a member id is decoded the same way in claims and assessments.

mod common;

use std::fs;

use common::*;

#[test]
fn sample_refuses_to_overwrite_inputs_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    fs::write(dir.path().join("claims.csv"), "real claims\n").unwrap();
    fs::write(dir.path().join("plan.csv"), "real plan\n").unwrap();
    let out = run(&["sample", d, "--members", "50", "--practices", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!(
            "error: {d} already holds input files (claims.csv, plan.csv); choose an empty directory, or add --force to overwrite them"
        )
    );
    assert_eq!(fs::read_to_string(dir.path().join("claims.csv")).unwrap(), "real claims\n");
    assert!(!dir.path().join("practices.csv").exists(), "nothing written");

    ok(&["sample", d, "--members", "50", "--practices", "5", "--force"]);
    assert!(fs::read_to_string(dir.path().join("claims.csv")).unwrap().starts_with("member_id,"));
    assert_eq!(fs::read_to_string(dir.path().join("plan.csv")).unwrap(), "real plan\n", "not written by sample");
    // Switching the claims layout with --force leaves one form of the claims.
    ok(&["sample", d, "--members", "50", "--practices", "5", "--force", "--headers", "taf-split"]);
    assert!(!dir.path().join("claims.csv").exists());
    let out = ok(&["sample", d, "--members", "50", "--practices", "5", "--force"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("removed claims_header.csv (replaced by claims.csv)"));
    assert!(!dir.path().join("claims_line.csv").exists());
    // Into a new or empty directory it just writes.
    let fresh = dir.path().join("new");
    ok(&["sample", fresh.to_str().unwrap(), "--members", "50", "--practices", "5"]);
}

#[test]
fn strict_stops_at_the_first_bad_row_of_the_first_file_read() {
    let dir = sample(300, 10, 2);
    let d = dir.path().to_str().unwrap();
    // A bad roster row and bad claims: the roster is read first, and reading stops there.
    let roster = fs::read_to_string(dir.path().join("practices.csv")).unwrap();
    let mut lines: Vec<&str> = roster.lines().collect();
    lines.insert(3, "123,X,Y,207Q00000X,P,Name,County,555");
    fs::write(dir.path().join("practices.csv"), lines.join("\n") + "\n").unwrap();
    let claims = fs::read_to_string(dir.path().join("claims.csv")).unwrap();
    fs::write(dir.path().join("claims.csv"), claims.replacen(",Y,", ",maybe,", 1)).unwrap();
    let out = run(&["rank", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: practices.csv:4: npi \"123\" is not a 10-digit NPI (--strict stops at the first bad row)"
    );
    let out = run(&["match", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn strict_finds_the_bad_row_after_a_hundred_thousand_warnings() {
    let dir = sample(200, 10, 3);
    let path = dir.path().join("assessments.csv");
    let mut bytes = fs::read(&path).unwrap();
    // 100,001 rows each warned about (unknown acuity), then one bad date.
    for i in 0..100_001 {
        bytes.extend_from_slice(format!("W{i},2025-01-01,annual,none,Adams,W1,extreme,,\n").as_bytes());
    }
    bytes.extend_from_slice(b"W-bad,2025-13-01,annual,none,Adams,W1,low,,\n");
    let bad_line = bytes.iter().filter(|&&b| b == b'\n').count();
    fs::write(&path, bytes).unwrap();
    let d = dir.path().to_str().unwrap();
    let out = run(&["rank", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "error: assessments.csv:{bad_line}: assessment_date \"2025-13-01\" is not a valid date"
        )),
        "{err}"
    );
    ok(&["rank", d]);
}

#[test]
fn a_latin1_member_id_is_one_member_in_claims_and_assessments() {
    let dir = tempfile::tempdir().unwrap();
    let n = npi(150_000_001);
    let mut claims = b"member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n".to_vec();
    claims.extend_from_slice(format!("Jos\u{e9}-1,2025-01-02,{n},,207Q00000X,99213,Y\n").as_bytes());
    // The same id as a Windows export writes it (Latin-1), in the claims and in assessments.
    claims.extend_from_slice(b"Pe\xf1a-2,2025-01-03,");
    claims.extend_from_slice(format!("{n},,207Q00000X,99213,Y\n").as_bytes());
    fs::write(dir.path().join("claims.csv"), claims).unwrap();
    let mut hcbs = b"member_id,assessment_date,pcp_response\nPe\xf1a-2,2025-02-01,don't know\n".to_vec();
    hcbs.extend_from_slice("Jos\u{e9}-1,2025-02-01,don't know\n".as_bytes());
    fs::write(dir.path().join("assessments.csv"), hcbs).unwrap();
    fs::write(
        dir.path().join("practices.csv"),
        format!("npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n{n},Lee,Ann,207Q00000X,P1,Riverside,Adams,555\n"),
    )
    .unwrap();
    fs::write(dir.path().join("care_managers.csv"), "care_manager_id,name,capacity\nCM1,Bo,30\n").unwrap();
    let matched = || -> Vec<(String, String, String)> {
        let out = ok(&["match", dir.path().to_str().unwrap()]);
        rows(&out.stdout)
            .into_iter()
            .map(|r| (r["member_id"].clone(), r["claims_practice_id"].clone(), r["match_source"].clone()))
            .collect()
    };
    let expected = [("Jos\u{e9}-1", "P1", "claims"), ("Pe\u{f1}a-2", "P1", "claims")]
        .map(|(a, b, c)| (a.into(), b.into(), c.into()));
    assert_eq!(matched(), expected);
    // The same ids in member_practice.csv instead of the claims: decoded the same way.
    fs::remove_file(dir.path().join("claims.csv")).unwrap();
    let mut summary = b"member_id,practice_id,pc_lines,last_service_date\nPe\xf1a-2,P1,1,2025-01-03\n".to_vec();
    summary.extend_from_slice("Jos\u{e9}-1,P1,1,2025-01-02\n".as_bytes());
    fs::write(dir.path().join("member_practice.csv"), summary).unwrap();
    assert_eq!(matched(), expected, "from member_practice.csv");
}

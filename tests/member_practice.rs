//! member_practice.csv standing in for claims.csv (SPEC "member_practice.csv"): a summary
//! written by a brute-force reference in this test (not by carealign) gives byte-identical
//! rank, match and export outputs to the raw claims, in own and TAF/DAC header styles; bad
//! summary rows are reported with file and line.

mod common;
mod national;

use std::fs;

use common::*;
use national::*;

#[test]
fn reference_summary_gives_the_same_outputs_as_the_claims() {
    for (style, members, practices, seed) in [(Style::Own, 2500, 70, 11), (Style::Taf, 2500, 70, 12)] {
        let raw = dataset(style, members, practices, seed);
        let summary = reference_csv(raw.path());
        assert!(summary.lines().count() > 1000, "{style:?}: the summary has rows");
        assert_same_outputs(raw.path(), &summary, &format!("{style:?} reference"));
    }
}

#[test]
fn the_taf_style_exercises_every_form() {
    let raw = dataset(Style::Taf, 300, 20, 3);
    let claims = fs::read_to_string(raw.path().join("claims.csv")).unwrap();
    for form in ["20250", "/2025,", "JAN2025,", "jan2025:00:00:00", " 00:00:00", "T08:30:00", ".0,", ",NONE,", ",true,"]
    {
        assert!(claims.to_lowercase().contains(&form.to_lowercase()), "no {form:?} in the TAF claims");
    }
    // The 1960 dates are skipped as bad rows by the Rust reader too (blank dates).
    let out = run(&["check", raw.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("service_date is blank (or TAF's 1960-01-01)"), "{text}");
}

#[test]
fn check_reports_bad_summary_rows_by_line() {
    let raw = sample(400, 20, 5);
    let mut summary = reference_csv(raw.path());
    let first = summary.lines().nth(1).unwrap().to_string();
    let pid = first.split(',').nth(1).unwrap().to_string();
    summary += &format!(
        "MX1,NOPE,3,2025-01-01\n,{pid},3,2025-01-01\nMX2,{pid},0,2025-01-01\nMX3,{pid},2,2025-13-01\n{first}\n"
    );
    let n = summary.lines().count();
    let dir = summary_dir(raw.path(), &summary);
    let d = dir.path().to_str().unwrap();
    let out = run(&["check", d]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for (line, what) in [
        (n - 4, "practice_id \"NOPE\" is not in practices.csv"),
        (n - 3, "member_id is blank"),
        (n - 2, "pc_lines \"0\" is not a whole number of at least 1"),
        (n - 1, "last_service_date \"2025-13-01\" is not a valid date"),
        (n, "this member and practice_id are already on line 2"),
    ] {
        assert!(text.contains(&format!("member_practice.csv:{line}: {what}")), "{what}:\n{text}");
    }
    assert!(text.contains("member_practice.csv (claims reduced elsewhere; no claims.csv)"), "{text}");
    assert!(text.contains("5 error(s)"), "{text}");
    // --strict stops at the first.
    let out = run(&["rank", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("member_practice.csv:{}: practice_id \"NOPE\"", n - 4)), "{err}");
}

#[test]
fn claims_csv_wins_over_a_summary_and_headers_use_aliases() {
    let raw = sample(400, 20, 6);
    let before = ok(&["rank", raw.path().to_str().unwrap()]).stdout;
    // A wrong summary beside claims.csv is not read.
    fs::write(raw.path().join("member_practice.csv"), "member_id,practice_id,pc_lines,last_service_date\nX,Y,1,2025\n")
        .unwrap();
    assert_eq!(ok(&["rank", raw.path().to_str().unwrap()]).stdout, before);
    fs::remove_file(raw.path().join("member_practice.csv")).unwrap();
    // MSIS_ID names the member column; headers in any case.
    let summary = reference_csv(raw.path()).replacen(
        "member_id,practice_id,pc_lines,last_service_date",
        "MSIS_ID,Practice_ID,PC_LINES,Last_Service_Date",
        1,
    );
    assert_same_outputs(raw.path(), &summary, "aliases");
    // Neither file: the error names claims.csv.
    let dir = summary_dir(raw.path(), "");
    fs::remove_file(dir.path().join("member_practice.csv")).unwrap();
    let err = String::from_utf8_lossy(&run(&["rank", dir.path().to_str().unwrap()]).stderr).into_owned();
    assert!(err.starts_with("error: claims.csv: not found in"), "{err}");
}

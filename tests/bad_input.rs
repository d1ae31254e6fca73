//! What warehouses really export: a table of bad or unusual inputs, each with the outcome a
//! program manager should see. Every case runs the real binary (`check`, then `rank`): a
//! clear one-line message naming the file (and line) or a correct load; never a panic
//! (exit 101) and never a hang.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

const CLAIMS: &str = "member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n";
const ROSTER: &str = "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n";
const HCBS: &str = "member_id,assessment_date,pcp_response,acuity,care_manager_id\n";
const CMS: &str = "care_manager_id,name,capacity\n";

fn good_claims() -> String {
    let n = npi(150_000_001);
    format!("{CLAIMS}M1,2025-01-02,{n},,207Q00000X,99213,Y\nM2,2025-01-03,{n},,207Q00000X,99214,Y\n")
}

fn good_roster() -> String {
    format!("{ROSTER}{},Lee,Ann,207Q00000X,P1,\"Riverside Family Medicine, LLC\",Adams,555\n", npi(150_000_001))
}

fn good_hcbs() -> String {
    format!("{HCBS}M1,2025-02-01,Riverside Family Medicine,high,CM1\n")
}

fn good_cms() -> String {
    format!("{CMS}CM1,Bo Chen,30\n")
}

/// Expected outcome of a case.
enum Want {
    /// Loads; `check` exits 0 and its output holds the text.
    Loads(&'static str),
    /// Loads with bad rows skipped; `check` exits 1 and names file:line.
    RowProblem(&'static str),
    /// Cannot load: one line on stderr (from `rank`) holding the text.
    Fatal(&'static str),
}

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    want: Want,
}

fn case(name: &'static str, file: &'static str, bytes: impl Into<Vec<u8>>, want: Want) -> Case {
    Case { name, file, bytes: bytes.into(), want }
}

fn cases() -> Vec<Case> {
    let n = npi(150_000_001);
    let mut big = good_hcbs().into_bytes();
    big.extend_from_slice(b"M9,2025-02-01,\"");
    big.extend(std::iter::repeat_n(b'x', 1 << 20));
    big.extend_from_slice(b"\",low,CM1\n");
    vec![
        case("empty claims file", "claims.csv", "", Want::Fatal("claims.csv: the file is empty")),
        case("header only", "claims.csv", CLAIMS, Want::Fatal("claims.csv: has a header but no data rows")),
        case(
            "header only, no line end",
            "claims.csv",
            CLAIMS.trim_end(),
            Want::Fatal("claims.csv: has a header but no data rows"),
        ),
        case("empty roster", "practices.csv", ROSTER, Want::Fatal("practices.csv: has a header but no data rows")),
        case(
            "header and blank lines only",
            "assessments.csv",
            format!("{HCBS}\n\r\n\n"),
            Want::Fatal("assessments.csv: has a header but no data rows"),
        ),
        case(
            "no care managers",
            "care_managers.csv",
            CMS,
            Want::Fatal("care_managers.csv: has a header but no data rows"),
        ),
        case(
            "one row, no line end",
            "care_managers.csv",
            good_cms().trim_end(),
            Want::Loads("care_managers.csv: 1 care managers"),
        ),
        case(
            "missing required column",
            "claims.csv",
            "member_id,service_date,rendering_npi,procedure_code\nM1,2025-01-01,1,99213\n",
            Want::Fatal(
                "claims.csv:1: required column crossover is missing; tried crossover, XOVR_IND, CROSSOVER_CLM_IND",
            ),
        ),
        case(
            "duplicated header",
            "care_managers.csv",
            "care_manager_id,name,capacity,name\nCM1,Bo,3,Bo\n",
            Want::Fatal("care_managers.csv:1: the header names column \"name\" twice"),
        ),
        case("UTF-8 BOM", "claims.csv", format!("\u{feff}{}", good_claims()), Want::Loads("claims.csv: 2 rows")),
        case("CRLF line ends", "claims.csv", good_claims().replace('\n', "\r\n"), Want::Loads("claims.csv: 2 rows")),
        case(
            "Latin-1 names",
            "practices.csv",
            [ROSTER.as_bytes(), format!("{n},Pe").as_bytes(), b"\xf1a,Jos\xe9,207Q00000X,P1,Cl\xednica,Adams,555\n"]
                .concat(),
            Want::RowProblem("practices.csv:2: warning: text is not UTF-8; read as Latin-1"),
        ),
        case("semicolon delimiter", "claims.csv", good_claims().replace(',', ";"), Want::Loads("claims.csv: 2 rows")),
        case(
            "tab delimiter",
            "care_managers.csv",
            good_cms().replace(',', "\t"),
            Want::Loads("care_managers.csv: 1 care managers"),
        ),
        case(
            "quoted fields with commas and newlines",
            "practices.csv",
            format!("{ROSTER}{n},\"Lee, Jr.\",Ann,207Q00000X,P1,\"Riverside\nFamily, LLC\",Adams,555\n"),
            Want::Loads("practices.csv: 1 rows"),
        ),
        case(
            "unbalanced quotes",
            "assessments.csv",
            format!("{HCBS}M1,2025-02-01,\"Riverside,high,CM1\n"),
            Want::RowProblem("assessments.csv:2: a quoted field is never closed"),
        ),
        case(
            "truncated last line",
            "claims.csv",
            format!("{}M3,2025-01-0", good_claims()),
            Want::RowProblem("claims.csv:4: the row has 2 fields but the header has 7"),
        ),
        case("a 1 MB field", "assessments.csv", big, Want::Loads("assessments.csv: 2 members")),
        case(
            "binary garbage",
            "claims.csv",
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>(),
            Want::Fatal("claims.csv:1: required column member_id is missing"),
        ),
        case(
            "Luhn-invalid NPI",
            "claims.csv",
            format!("{}M3,2025-01-02,1234567890,,,99213,Y\n", good_claims()),
            Want::RowProblem("claims.csv:4: rendering_npi \"1234567890\" fails the NPI check digit (Luhn)"),
        ),
        case(
            "impossible date",
            "claims.csv",
            format!("{}M3,2025-02-30,{n},,,99213,Y\n", good_claims()),
            Want::RowProblem("claims.csv:4: service_date \"2025-02-30\" is not a valid date"),
        ),
        case(
            "negative capacity",
            "care_managers.csv",
            format!("{CMS}CM1,Bo,-5\n"),
            Want::RowProblem("care_managers.csv:2: capacity \"-5\" is not a whole number"),
        ),
        case(
            "a capacity standing for \"no limit\"",
            "care_managers.csv",
            format!("{CMS}CM1,Bo,5\nCM2,Al,999999999\n"),
            Want::Loads("care_managers.csv: 2 care managers"),
        ),
        case(
            "an acuity weight that sums to infinity",
            "carealign.toml",
            "[acuity_weights]\nhigh = 1e308\n",
            Want::Fatal("carealign.toml: acuity_weights.high must be a positive number no larger than 1000, not 1e308"),
        ),
        case(
            "duplicate care_manager_id",
            "care_managers.csv",
            format!("{CMS}CM1,Bo,5\nCM1,Al,6\n"),
            Want::RowProblem("care_managers.csv:3: care_manager_id CM1 appears again (first on line 2)"),
        ),
        case(
            "unknown acuity and care manager",
            "assessments.csv",
            format!("{HCBS}M1,2025-02-01,Riverside,extreme,CM7\n"),
            Want::RowProblem(
                "assessments.csv:2: warning: acuity \"extreme\" is not low, medium or high; read as blank",
            ),
        ),
        case("bad settings", "carealign.toml", "threshold = \"high\"\n", Want::Fatal("carealign.toml:1:")),
        case(
            "semicolons, and a quoted header name holding a comma",
            "care_managers.csv",
            "care_manager_id;name;capacity;\"notes, free text\"\nCM1;Bo Chen;30;x\n",
            Want::Loads("care_managers.csv: 1 care managers"),
        ),
        case(
            "control characters in a message are escaped",
            "care_managers.csv",
            format!("{CMS}CM1,Bo,\x1b]0;owned\x07\n"),
            Want::RowProblem("care_managers.csv:2: capacity \"\\x1b]0;owned\\x07\" is not a whole number"),
        ),
        case(
            "a record without end",
            "assessments.csv",
            [HCBS.as_bytes(), &vec![b'x'; 9 << 20]].concat(),
            Want::Fatal("assessments.csv:2: a single record is longer than 4 MB"),
        ),
        case(
            "wrong delimiter in the rows only",
            "claims.csv",
            format!("{CLAIMS}M1;2025-01-02;{n};;;99213;Y\n"),
            Want::RowProblem(
                "claims.csv:2: the row has 1 fields but the header has 7 (truncated row or wrong delimiter?)",
            ),
        ),
    ]
}

fn write_base(dir: &Path) {
    fs::write(dir.join("claims.csv"), good_claims()).unwrap();
    fs::write(dir.join("practices.csv"), good_roster()).unwrap();
    fs::write(dir.join("assessments.csv"), good_hcbs()).unwrap();
    fs::write(dir.join("care_managers.csv"), good_cms()).unwrap();
}

#[test]
fn every_bad_input_gets_a_clear_outcome() {
    let mut failures = Vec::new();
    let all = cases();
    for c in &all {
        let dir = tempfile::tempdir().unwrap();
        write_base(dir.path());
        fs::write(dir.path().join(c.file), &c.bytes).unwrap();
        let d = dir.path().to_str().unwrap();
        let started = Instant::now();
        let check = run(&["check", d]);
        let rank = run(&["rank", d]);
        assert!(started.elapsed() < Duration::from_secs(20), "{}: too slow", c.name);
        for out in [&check, &rank] {
            assert_ne!(out.status.code(), Some(101), "{}: panicked: {}", c.name, String::from_utf8_lossy(&out.stderr));
        }
        let stdout = String::from_utf8_lossy(&check.stdout);
        let rank_err = String::from_utf8_lossy(&rank.stderr);
        let ok = match &c.want {
            Want::Loads(text) => check.status.code() == Some(0) && stdout.contains(text) && rank.status.success(),
            Want::RowProblem(text) => stdout.contains(text) && rank.status.success(),
            Want::Fatal(text) => {
                rank.status.code() == Some(1)
                    && rank_err.contains(text)
                    && rank_err.trim().lines().count() == 1
                    && check.status.code() == Some(1)
            }
        };
        if !ok {
            failures.push(format!(
                "{}: check exit {:?}\n{stdout}\nrank exit {:?}: {rank_err}",
                c.name,
                check.status.code(),
                rank.status.code()
            ));
        }
    }
    assert!(all.len() >= 20);
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), all.len(), failures.join("\n---\n"));
}

#[test]
fn missing_file_and_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    write_base(dir.path());
    fs::remove_file(dir.path().join("assessments.csv")).unwrap();
    let out = run(&["rank", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: assessments.csv: not found in"), "{err}");
    let out = run(&["rank", "/no/such/dir"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a directory"));
    let out = run(&["rank"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn a_plan_naming_unknown_things_loads_what_it_can() {
    let dir = tempfile::tempdir().unwrap();
    write_base(dir.path());
    fs::write(
        dir.path().join("plan.csv"),
        "practice_id,slot,care_manager_id\nP1,1,CM1\nP9,1,CM1\nP1,2,CM9\nP1,3,CM1\n",
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = ok(&["export", dir.path().to_str().unwrap(), "--out-dir", out_dir.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plan.csv:3: practice P9 is not in practices.csv"), "{err}");
    assert!(err.contains("plan.csv:4: care manager CM9 is not in care_managers.csv"), "{err}");
    assert!(err.contains("plan.csv:5: slot \"3\" is not 1 or 2"), "{err}");
    let rows = read_rows(&out_dir.path().join("practice_assignments.csv"));
    assert_eq!(rows[0]["cm1_id"], "CM1");
}

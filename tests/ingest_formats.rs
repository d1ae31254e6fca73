//! Input formats end to end: the four DAC header styles (and the Provider Data Catalog's file in
//! its published column order), T-MSIS TAF claims headers, BOM,
//! CRLF, semicolons, `[columns]` mappings, Latin-1 text, and the error messages for files that
//! cannot be read.

mod common;

use std::fs;
use std::path::Path;

use common::*;

const HCBS: &str = "member_id,assessment_date,pcp_response\nA1,2025-01-01,Riverside Family Medicine\n";
const CMS: &str = "care_manager_id,name,capacity\nCM1,Ann Lee,30\n";

/// Roster in a DAC style: `h` maps canonical names to the style's headers.
fn dac_roster(h: [&str; 7]) -> String {
    let [npi, last, first, spec, name, pac, city] = h;
    let n1 = npi_of(1);
    let n2 = npi_of(2);
    let n3 = npi_of(3);
    let n4 = npi_of(4);
    format!(
        "{npi},{last},{first},{spec},{name},{pac},{city},State\n\
         {n1},PATEL,SARAH,FAMILY PRACTICE,RIVERSIDE FAMILY MEDICINE LLC,1111111111,MILLBROOK,ST\n\
         {n1},PATEL,SARAH,FAMILY PRACTICE,RIVERSIDE FAMILY MEDICINE LLC,1111111111,OAKDALE,ST\n\
         {n2},LEE,KIM,CARDIOVASCULAR DISEASE (CARDIOLOGY),RIVERSIDE FAMILY MEDICINE LLC,1111111111,MILLBROOK,ST\n\
         {n3},NGUYEN,MINH,INTERNAL MEDICINE,LAKEVIEW INTERNAL MEDICINE,2222222222,SALEM,ST\n\
         {n3},NGUYEN,MINH,INTERNAL MEDICINE,RIVERSIDE FAMILY MEDICINE LLC,1111111111,MILLBROOK,ST\n\
         {n4},SMITH,JOHN,NURSE PRACTITIONER,,,DOVER,ST\n"
    )
}

fn npi_of(i: u64) -> String {
    npi(170_000_000 + i)
}

/// TAF-style claims with a BOM, CRLF line ends and SAS dates.
fn taf_claims() -> String {
    let (n1, n2, n3, n4) = (npi_of(1), npi_of(2), npi_of(3), npi_of(4));
    let lines = [
        "MSIS_IDENT_NUM,LINE_SRVC_BGN_DT,SRVCNG_PRVDR_NPI_NUM,BLG_PRVDR_NPI_NUM,LINE_PRCDR_CD,XOVR_IND".to_string(),
        format!("M1,05JAN2025,{n1},,99213,1"),
        format!("M1,06JAN2025,{n1},,99214,1"),
        format!("M2,07JAN2025,{n2},,99213,1"),
        format!("M3,08JAN2025,{n3},,99213,1"),
        format!("M4,08JAN2025,{n3},{n1},99213,1"),
        format!("M5,09JAN2025,{n4},,G0439,1"),
        format!("M6,09JAN2025,{n4},,G0439,0"),
    ];
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

fn write_dir(dir: &Path, roster: &str, claims: &str) {
    fs::write(dir.join("practices.csv"), roster).unwrap();
    fs::write(dir.join("claims.csv"), claims).unwrap();
    fs::write(dir.join("assessments.csv"), HCBS).unwrap();
    fs::write(dir.join("care_managers.csv"), CMS).unwrap();
}

/// (practice_id, duals_seen, pc_lines, clinicians, county)
fn ranking(dir: &Path) -> Vec<(String, String, String, String, String)> {
    rows(&ok(&["rank", dir.to_str().unwrap()]).stdout)
        .into_iter()
        .map(|r| {
            (
                r["practice_id"].clone(),
                r["duals_seen"].clone(),
                r["pc_lines"].clone(),
                r["clinicians"].clone(),
                r["county"].clone(),
            )
        })
        .collect()
}

#[test]
fn four_dac_styles_rank_the_same() {
    let styles = [
        ["npi", "provider_last_name", "provider_first_name", "pri_spec", "facility_name", "org_pac_id", "citytown"],
        ["NPI", "Provider Last Name", "Provider First Name", "pri_spec", "Facility Name", "org_pac_id", "City/Town"],
        ["npi", "lst_nm", "frst_nm", "pri_spec", "org_nm", "org_pac_id", "cty"],
        [
            "NPI",
            "Last Name",
            "First Name",
            "Primary specialty",
            "Organization legal name",
            "Group Practice PAC ID",
            "City",
        ],
    ];
    let expected = vec![
        // Riverside: M1 (Patel), M3 and M4 (Nguyen, in two practices; M4 billed by Patel so
        // Riverside only). Lee is a cardiologist (not a PCP). Lakeview: M3 only.
        ("1111111111".to_string(), "3".to_string(), "4".to_string(), "3".to_string(), "MILLBROOK, ST".to_string()),
        // Ties go to the lower practice_id: the solo practice's NPI 17… before 2222….
        (npi_of(4), "1".into(), "1".into(), "1".into(), "DOVER, ST".into()),
        ("2222222222".into(), "1".into(), "1".into(), "1".into(), "SALEM, ST".into()),
    ];
    for h in styles {
        let dir = tempfile::tempdir().unwrap();
        write_dir(dir.path(), &dac_roster(h), &taf_claims());
        assert_eq!(ranking(dir.path()), expected, "style {h:?}");
        // The solo practice is named after its clinician.
        let out = ok(&["rank", dir.path().to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("JOHN SMITH"));
    }
}

#[test]
fn semicolons_and_column_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dac_roster(["NPI", "lst_nm", "frst_nm", "pri_spec", "org_nm", "org_pac_id", "cty"]);
    let claims = taf_claims()
        .replace("MSIS_IDENT_NUM", "Beneficiary Key")
        .replace("LINE_SRVC_BGN_DT", "Svc Date")
        .replace(',', ";");
    write_dir(dir.path(), &roster, &claims);
    let out = run(&["rank", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims.csv:1: required column member_id is missing; tried member_id, MSIS_ID, MSIS_IDENT_NUM"),
        "{err}"
    );
    fs::write(
        dir.path().join("carealign.toml"),
        "[columns]\n\"Beneficiary Key\" = \"member_id\"\n[columns.claims]\n\"svc date\" = \"service_date\"\n",
    )
    .unwrap();
    assert_eq!(ranking(dir.path())[0].1, "3");
}

#[test]
fn missing_file_empty_file_and_latin1() {
    let dir = tempfile::tempdir().unwrap();
    write_dir(
        dir.path(),
        &dac_roster(["NPI", "lst_nm", "frst_nm", "pri_spec", "org_nm", "org_pac_id", "cty"]),
        &taf_claims(),
    );
    fs::remove_file(dir.path().join("care_managers.csv")).unwrap();
    let out = run(&["rank", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("care_managers.csv: not found in"));

    fs::write(dir.path().join("care_managers.csv"), "").unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("care_managers.csv: the file is empty"));

    let mut cms = b"care_manager_id,name,capacity\nCM1,Jos\xe9 Pe\xf1a,30\nCM2,Bo,-3\nCM1,Dup,4\n".to_vec();
    cms.extend_from_slice(b"CM3,Al,12\n");
    fs::write(dir.path().join("care_managers.csv"), cms).unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("care_managers.csv:2: warning: text is not UTF-8; read as Latin-1"), "{text}");
    assert!(text.contains("care_managers.csv:3: capacity \"-3\" is not a whole number"), "{text}");
    assert!(text.contains("care_managers.csv:4: care_manager_id CM1 appears again (first on line 2)"), "{text}");
    assert!(text.contains("care_managers.csv: 2 care managers"), "{text}");
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let claims = taf_claims().replace("06JAN2025", "31FEB2025");
    write_dir(
        dir.path(),
        &dac_roster(["NPI", "lst_nm", "frst_nm", "pri_spec", "org_nm", "org_pac_id", "cty"]),
        &claims,
    );
    let d = dir.path().to_str().unwrap();
    let out = ok(&["rank", d]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 bad rows skipped"));
    let out = run(&["rank", d, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: claims.csv:3: service_date \"31FEB2025\" is not a valid date"), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
}

/// Every ranking column but county (the DAC has cities, the own format counties).
fn ranking_without_place(dir: &Path) -> Vec<Vec<String>> {
    let cols = ["rank", "practice_id", "practice_name", "duals_seen", "pc_lines", "clinicians", "hcbs_members"];
    rows(&ok(&["rank", dir.to_str().unwrap()]).stdout).iter().map(|r| cols.map(|c| r[c].clone()).to_vec()).collect()
}

#[test]
fn provider_data_catalog_roster_ranks_like_the_own_format() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (patel, nguyen, lee, garcia, smith) = ("1310000017", "1310000025", "1310000033", "1310000041", "1310000058");
    let claims = [
        "MSIS_ID,SRVC_BGNNG_DT,SRVCNG_PRVDR_NPI_NUM,BLG_PRVDR_NPI_NUM,SRVCNG_PRVDR_TXNMY_CD,PRCDR_CD,XOVR_IND"
            .to_string(),
        format!("M1,2025-01-02,{patel},,,99213,1"),
        format!("M1,2025-02-02,{patel},,,99214,1"),
        // Nguyen is in both groups: billed by Patel, Riverside only; unbilled, both.
        format!("M2,2025-01-03,{nguyen},{patel},,99213,1"),
        format!("M3,2025-01-04,{nguyen},,,99213,1"),
        format!("M4,2025-01-05,{lee},,,99213,1"),
        format!("M5,2025-01-06,{garcia},,,G0439,1"),
        format!("M6,2025-01-07,{smith},,,99213,1"),
        format!("M7,2025-01-08,{garcia},,,99213,0"),
        format!("M8,2025-01-09,{patel},,NONE,99213,1"),
    ]
    .join("\n");
    let hcbs = "member_id,assessment_date,pcp_response\nM1,2025-03-01,Riverside Family Medicine\nM2,2025-03-01,lakeview internal medicine\nM5,2025-03-01,Dr. Garcia\nH1,2025-03-01,riverside family med\nM6,2025-03-01,John Smith\n";
    let mut rankings = Vec::new();
    for roster in ["pdc_roster.csv", "own_roster.csv"] {
        let dir = tempfile::tempdir().unwrap();
        write_dir(dir.path(), &fs::read_to_string(fixtures.join(roster)).unwrap(), &claims);
        fs::write(dir.path().join("assessments.csv"), hcbs).unwrap();
        let check = ok(&["check", dir.path().to_str().unwrap()]);
        assert!(
            !String::from_utf8_lossy(&check.stdout).contains("warning:"),
            "{roster}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        rankings.push(ranking_without_place(dir.path()));
    }
    assert_eq!(rankings[0], rankings[1]);
    let riverside = &rankings[0][0];
    assert_eq!(riverside[1..], ["1111111111", "RIVERSIDE FAMILY MEDICINE LLC", "4", "5", "2", "2"].map(String::from));
    assert!(rankings[0].iter().any(|r| r[2] == "JOHN SMITH" && r[6] == "1"), "{rankings:?}");
}

#[test]
fn a_roster_without_practice_names_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let roster = format!("npi,org_pac_id,pri_spec,citytown\n{},1111111111,FAMILY PRACTICE,MILLBROOK\n", npi_of(1));
    write_dir(dir.path(), &roster, &taf_claims());
    let d = dir.path().to_str().unwrap();
    let warning = "practices.csv: warning: has no practice-name column: practices show their ids, and answers naming a practice cannot be matched (a name is read from practice_name, Facility Name, facility_name, org_nm or Organization legal name)";
    let check = ok(&["check", d]);
    assert!(
        String::from_utf8_lossy(&check.stdout).lines().any(|l| l == warning),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let rank = ok(&["rank", d]);
    assert!(String::from_utf8_lossy(&rank.stderr).lines().any(|l| l == format!("note: {warning}")));
    assert!(String::from_utf8_lossy(&rank.stdout).contains("1111111111,1111111111,"), "the id stands in for the name");
}

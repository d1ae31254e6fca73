//! Shared by the member_practice.csv tests: data sets in own and TAF/DAC header styles with
//! every accepted field form, a brute-force member_practice reference written from SPEC, and
//! the byte-for-byte comparison of carealign's outputs from claims vs from a summary.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{luhn_ok, npi, ok, read_rows};

/// Header style of a generated data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// carealign's own headers, as `carealign sample` writes them, plus edge rows.
    Own,
    /// TAF claims names with every date, flag and NPI form and TAF's sentinels; a DAC roster
    /// (specialty instead of taxonomy); a carealign.toml with its own code lists.
    Taf,
}

pub const TAF_CLAIMS_HEADER: &str = "MSIS_IDENT_NUM,LINE_SRVC_BGN_DT,SRVCNG_PRVDR_NPI_NUM,BLG_PRVDR_NPI_NUM,\
SRVCNG_PRVDR_TXNMY_CD,LINE_PRCDR_CD,XOVR_IND,LINE_MDCD_PD_AMT";
pub const DAC_HEADER: &str = "NPI,Provider Last Name,Provider First Name,pri_spec,Facility Name,org_pac_id,\
City/Town,State,ZIP Code,Telephone Number";

/// The TAF style's carealign.toml: a shorter code list (with a range) and its own specialties.
pub const TAF_CONFIG: &str = "primary_care_codes = [\"99211-99215\", \"99490\", \"G0438\", \"g0439\", \"99349\"]\n\
pcp_specialties = [\"FAMILY PRACTICE\", \"Internal Medicine\", \"NURSE PRACTITIONER\"]\n";

/// Writes a data set of `style` into a fresh temp dir.
pub fn dataset(style: Style, members: usize, practices: usize, seed: u64) -> tempfile::TempDir {
    let dir = crate::common::sample(members, practices, seed);
    add_edge_rows(dir.path());
    if style == Style::Taf {
        to_taf(dir.path());
        to_dac(dir.path());
        fs::write(dir.path().join("carealign.toml"), TAF_CONFIG).unwrap();
    }
    dir
}

/// Rows that exercise every rule: a clinician in two practices told apart by billing NPI, an
/// NPI missing from the roster, TAF sentinels, and bad rows that must be skipped.
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
        format!("EDGE1,2025-03-01,{shared},{helper_b},207Q00000X,99213,Y,1"),
        format!("EDGE1,2025-03-02,{shared},,,99214,Y,1"),
        format!("EDGE2,2025-03-02,{shared},,NONE,99214,Y,1"),
        format!("EDGE2,2025-03-04,{shared},,8888888888,99215,Y,1"),
        format!("EDGE3,2025-03-06,{unknown},{helper_b},207R00000X,99213,Y,1"),
        format!("EDGE3,2025-03-06,{unknown},{helper_b},,99213,Y,1"),
        format!("EDGE4,2025-03-07,{shared},,207RC0000X,99213,Y,1"),
        format!("EDGE4,2024-02-29,{shared},,,99213,Y,1"),
        // Bad rows: skipped.
        format!("EDGE5,1960-01-01,{shared},,,99213,Y,1"),
        format!("EDGE5,2025-02-30,{shared},,,99213,Y,1"),
        format!("EDGE5,2100-02-29,{shared},,,99213,Y,1"),
        "EDGE5,2025-03-08,1234567890,,,99213,Y,1".to_string(),
        format!("EDGE5,2025-03-08,{shared},,,99213,maybe,1"),
        format!(",2025-03-08,{shared},,,99213,Y,1"),
        "EDGE5,2025-03-08,,,,99213,Y,1".to_string(),
        format!("EDGE5,2025-03-09,{shared},,,99213,N,1"),
        format!("EDGE5,2025-03-09,{shared},,,71046,Y,1"),
    ];
    for l in lines {
        writeln!(c, "{l}").unwrap();
    }
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// Rewrites claims.csv with TAF names and, line by line in turn, every accepted spelling.
fn to_taf(dir: &Path) {
    let rows = read_rows(&dir.join("claims.csv"));
    let mut out = String::from(TAF_CLAIMS_HEADER);
    out.push('\n');
    let sentinels = ["8888888888", "9999999999", "000000000X", "999999999x", "none", "XXXXXXXXXX", "NO TAXONOMY"];
    for (i, r) in rows.iter().enumerate() {
        let date = r["service_date"].clone();
        let date = match (date.len() == 10 && &date[4..5] == "-", i % 7) {
            (false, _) | (true, 0) => date,
            (true, k) => {
                let (y, m, d) = (&date[..4], &date[5..7], &date[8..10]);
                let mi: usize = m.parse().unwrap();
                match k {
                    1 => format!("{y}{m}{d}"),
                    2 => format!("{}/{}/{y}", mi, d.trim_start_matches('0')),
                    3 => format!("{d}{}{y}", MONTHS[mi - 1]),
                    4 => format!("{d}{}{y}:00:00:00", MONTHS[mi - 1].to_lowercase()),
                    5 => format!("{date} 00:00:00"),
                    _ => format!("{date}T08:30:00"),
                }
            }
        };
        let flag = match (r["crossover"].as_str(), i % 5) {
            ("Y", 0) => "1",
            ("Y", 1) => "true",
            ("Y", 2) => " y ",
            ("Y", 3) => "Yes",
            ("N", 0) => "0",
            ("N", 1) => "false",
            (f, _) => f,
        };
        let npi_form = |v: &str, k: usize| match (v.is_empty(), k % 9) {
            (true, _) => String::new(),
            (false, 0) => format!("{v}.0"),
            (false, 1) => format!(" {v} "),
            _ => v.to_string(),
        };
        let tax = match (r["taxonomy"].is_empty(), i % 3) {
            (true, 0) => sentinels[i % sentinels.len()].to_string(),
            _ => r["taxonomy"].to_lowercase(),
        };
        let code = if i % 4 == 0 { r["procedure_code"].to_lowercase() } else { r["procedure_code"].clone() };
        let fields = [
            r["member_id"].clone(),
            date,
            npi_form(&r["rendering_npi"], i),
            npi_form(&r["billing_npi"], i / 2),
            tax,
            code,
            flag.to_string(),
            r["paid_amount"].clone(),
        ];
        out += &csv_line(&fields);
    }
    // The TAF-only spellings of bad rows.
    let shared = npi(190_000_001);
    out += &format!("EDGE6,01JAN1960,{shared},,,99213,1,1\n");
    out += &format!("EDGE6,19600101,{shared},,,99213,1,1\n");
    out += &format!("EDGE7,2025-04-01,{shared},,NO TAXONOMY,99213,1,1\n");
    fs::write(dir.join("claims.csv"), out).unwrap();
}

/// Rewrites practices.csv as the CMS DAC publishes it: no taxonomy, a specialty name instead.
fn to_dac(dir: &Path) {
    let rows = read_rows(&dir.join("practices.csv"));
    let mut out = String::from(DAC_HEADER);
    out.push('\n');
    for (i, r) in rows.iter().enumerate() {
        let spec = match r["taxonomy"].as_str() {
            "207Q00000X" | "207QG0300X" => "FAMILY PRACTICE",
            "207R00000X" => "internal medicine",
            "363LF0000X" | "363LP2300X" => "NURSE PRACTITIONER",
            // Not in TAF_CONFIG's shorter list: these clinicians are no PCPs there.
            "363A00000X" => "PHYSICIAN ASSISTANT",
            _ => "CARDIOLOGY",
        };
        let fields = [
            r["npi"].clone(),
            r["clinician_last"].clone(),
            r["clinician_first"].clone(),
            if i % 11 == 0 { format!(" {spec} ") } else { spec.to_string() },
            r["practice_name"].clone(),
            r["practice_id"].clone(),
            "Salem".to_string(),
            "OR".to_string(),
            "97301".to_string(),
            r["phone"].clone(),
        ];
        out += &csv_line(&fields);
    }
    fs::write(dir.join("practices.csv"), out).unwrap();
}

fn csv_line(fields: &[String]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The reference: member × practice figures straight from SPEC, sharing no code with carealign.

fn field<'a>(r: &'a HashMap<String, String>, names: &[&str]) -> &'a str {
    names
        .iter()
        .find_map(|n| r.iter().find(|(k, _)| k.trim().eq_ignore_ascii_case(n)).map(|(_, v)| v.as_str()))
        .unwrap_or("")
}

fn blank_trim(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t' || c == '\r')
}

/// An NPI cell: `Ok(None)` when blank, `Err` when not a valid NPI.
fn npi_cell(s: &str) -> Result<Option<String>, ()> {
    let s = blank_trim(s);
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.strip_suffix(".0").unwrap_or(s);
    if luhn_ok(s) { Ok(Some(s.to_string())) } else { Err(()) }
}

/// A date cell as `YYYY-MM-DD`, `None` when it is not a real date in an accepted form (or is
/// TAF's 1960-01-01, which means missing).
pub fn iso_date(s: &str) -> Option<String> {
    let mut s = blank_trim(s);
    if s.len() > 10 && s.as_bytes()[10] == b'T' {
        s = &s[..10];
    }
    let s = s.split([' ', ':']).next().unwrap_or("");
    let num = |t: &str| (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u32>().unwrap());
    let (y, m, d) = if s.len() == 10 && &s[4..5] == "-" && &s[7..8] == "-" {
        (num(&s[..4])?, num(&s[5..7])?, num(&s[8..])?)
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (num(&s[..4])?, num(&s[4..6])?, num(&s[6..])?)
    } else if s.len() == 9 && s.bytes().skip(2).take(3).all(|b| b.is_ascii_alphabetic()) {
        let m = MONTHS.iter().position(|m| s[2..5].eq_ignore_ascii_case(m))? as u32 + 1;
        (num(&s[5..])?, m, num(&s[..2])?)
    } else if s.contains('/') {
        let p: Vec<&str> = s.split('/').collect();
        if p.len() != 3 || p[0].len() > 2 || p[1].len() > 2 || p[2].len() != 4 {
            return None;
        }
        (num(p[2])?, num(p[0])?, num(p[1])?)
    } else {
        return None;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let ok = (1800..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= dim[(m - 1) as usize];
    let iso = format!("{y:04}-{m:02}-{d:02}");
    (ok && iso != "1960-01-01").then_some(iso)
}

fn flag(s: &str) -> Option<bool> {
    match blank_trim(s).to_lowercase().as_str() {
        "y" | "yes" | "1" | "true" | "t" => Some(true),
        "n" | "no" | "0" | "false" | "f" => Some(false),
        _ => None,
    }
}

/// The code lists in force: SPEC's defaults, or TAF_CONFIG's.
struct Lists {
    codes: BTreeSet<String>,
    taxonomies: BTreeSet<String>,
    specialties: BTreeSet<String>,
}

fn lists(dir: &Path) -> Lists {
    let taxonomies = [
        "207Q00000X",
        "207QA0505X",
        "207QG0300X",
        "207R00000X",
        "207RG0300X",
        "208D00000X",
        "208000000X",
        "2080A0000X",
        "363L00000X",
        "363LA2200X",
        "363LF0000X",
        "363LG0600X",
        "363LP0200X",
        "363LP2300X",
        "363A00000X",
        "363AM0700X",
        "364S00000X",
        "261QP2300X",
    ];
    let taxonomies = taxonomies.iter().map(|s| s.to_string()).collect();
    if dir.join("carealign.toml").exists() {
        // TAF_CONFIG, spelled out.
        let mut codes: BTreeSet<String> = (99211..=99215).map(|c| c.to_string()).collect();
        codes.extend(["99490", "G0438", "G0439", "99349"].map(String::from));
        let specialties = ["FAMILY PRACTICE", "INTERNAL MEDICINE", "NURSE PRACTITIONER"].map(String::from).into();
        return Lists { codes, taxonomies, specialties };
    }
    let ranges = [
        (99201, 99205),
        (99211, 99215),
        (99304, 99310),
        (99315, 99316),
        (99318, 99318),
        (99324, 99328),
        (99334, 99337),
        (99339, 99345),
        (99347, 99350),
        (99487, 99487),
        (99489, 99491),
        (99495, 99498),
    ];
    let mut codes: BTreeSet<String> = ranges.iter().flat_map(|&(a, b)| (a..=b).map(|c: u32| c.to_string())).collect();
    codes.extend(["G0402", "G0438", "G0439", "G2211"].map(String::from));
    let specialties = [
        "FAMILY PRACTICE",
        "INTERNAL MEDICINE",
        "GENERAL PRACTICE",
        "GERIATRIC MEDICINE",
        "PEDIATRIC MEDICINE",
        "NURSE PRACTITIONER",
        "PHYSICIAN ASSISTANT",
        "CLINICAL NURSE SPECIALIST",
        "PREVENTIVE MEDICINE",
    ]
    .map(String::from)
    .into();
    Lists { codes, taxonomies, specialties }
}

/// (member_id, practice_id) → (pc_lines, last_service_date), from the raw files of `dir`.
pub fn reference(dir: &Path) -> BTreeMap<(String, String), (u64, String)> {
    let lists = lists(dir);
    let mut npi_practices: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut npi_pcp: HashMap<String, bool> = HashMap::new();
    for r in read_rows(&dir.join("practices.csv")) {
        let Ok(Some(npi)) = npi_cell(field(&r, &["npi"])) else { continue };
        let pid = field(&r, &["practice_id", "org_pac_id"]).trim();
        let pid = if pid.is_empty() { npi.clone() } else { pid.to_string() };
        npi_practices.entry(npi.clone()).or_default().insert(pid);
        let tax = field(&r, &["taxonomy"]).trim().to_uppercase();
        let spec = field(&r, &["specialty", "pri_spec"]).trim().to_uppercase();
        let pcp = if tax.is_empty() { lists.specialties.contains(&spec) } else { lists.taxonomies.contains(&tax) };
        *npi_pcp.entry(npi).or_default() |= pcp;
    }
    let missing_tax = ["8888888888", "9999999999", "000000000X", "999999999X", "NONE", "XXXXXXXXXX", "NO TAXONOMY"];
    let empty = BTreeSet::new();
    let mut out: BTreeMap<(String, String), (u64, String)> = BTreeMap::new();
    for r in read_rows(&dir.join("claims.csv")) {
        if r.contains_key("__bad") {
            continue;
        }
        let member = blank_trim(field(&r, &["member_id", "MSIS_IDENT_NUM"]));
        let date = iso_date(field(&r, &["service_date", "LINE_SRVC_BGN_DT"]));
        let xover = flag(field(&r, &["crossover", "XOVR_IND"]));
        let rend = npi_cell(field(&r, &["rendering_npi", "SRVCNG_PRVDR_NPI_NUM"]));
        let bill = npi_cell(field(&r, &["billing_npi", "BLG_PRVDR_NPI_NUM"]));
        let (Some(date), Some(true), Ok(rend), Ok(bill)) = (date, xover, rend, bill) else { continue };
        let code = blank_trim(field(&r, &["procedure_code", "LINE_PRCDR_CD"])).to_uppercase();
        if member.is_empty() || (rend.is_none() && bill.is_none()) || !lists.codes.contains(&code) {
            continue;
        }
        let mut tax = blank_trim(field(&r, &["taxonomy", "SRVCNG_PRVDR_TXNMY_CD"])).to_uppercase();
        if missing_tax.contains(&tax.as_str()) {
            tax.clear();
        }
        let pcp = if tax.is_empty() {
            rend.as_ref().and_then(|n| npi_pcp.get(n)).copied().unwrap_or(false)
        } else {
            lists.taxonomies.contains(&tax)
        };
        if !pcp {
            continue;
        }
        let rp = rend.as_ref().and_then(|n| npi_practices.get(n)).unwrap_or(&empty);
        let bp = bill.as_ref().and_then(|n| npi_practices.get(n)).unwrap_or(&empty);
        let practices: BTreeSet<String> = if rp.is_empty() {
            bp.clone()
        } else if rp.len() > 1 && !rp.is_disjoint(bp) {
            rp.intersection(bp).cloned().collect()
        } else {
            rp.clone()
        };
        for p in practices {
            let e = out.entry((member.to_string(), p)).or_insert((0, date.clone()));
            e.0 += 1;
            if date > e.1 {
                e.1 = date.clone();
            }
        }
    }
    out
}

/// The reference as member_practice.csv text (rows in a shuffled-looking order: the reader
/// must not depend on the order).
pub fn reference_csv(dir: &Path) -> String {
    let mut rows: Vec<String> =
        reference(dir).into_iter().map(|((m, p), (n, d))| format!("{m},{p},{n},{d}\n")).collect();
    rows.reverse();
    format!("member_id,practice_id,pc_lines,last_service_date\n{}", rows.concat())
}

/// member_practice.csv rows, parsed and sorted, for comparing two summaries.
pub fn summary_rows(text: &str) -> Vec<(String, String, u64, String)> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut rows: Vec<(String, String, u64, String)> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string(), rec[2].trim().parse().unwrap(), rec[3].to_string())
        })
        .collect();
    rows.sort();
    rows
}

/// A data directory that holds `summary` as member_practice.csv instead of claims.csv, and the
/// other inputs of `raw`.
pub fn summary_dir(raw: &Path, summary: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["practices.csv", "assessments.csv", "care_managers.csv", "carealign.toml", "health_systems.csv"] {
        if raw.join(f).exists() {
            fs::copy(raw.join(f), dir.path().join(f)).unwrap();
        }
    }
    fs::write(dir.path().join("member_practice.csv"), summary).unwrap();
    dir
}

/// Every output of rank, match and export (with auto-suggest) for `dir`, by name.
pub fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let d = dir.to_str().unwrap();
    let mut out = BTreeMap::new();
    out.insert("rank".to_string(), ok(&["rank", d]).stdout);
    out.insert("match".to_string(), ok(&["match", d]).stdout);
    let exports = tempfile::tempdir().unwrap();
    ok(&["export", d, "--out-dir", exports.path().to_str().unwrap(), "--auto"]);
    for e in fs::read_dir(exports.path()).unwrap() {
        let path: PathBuf = e.unwrap().path();
        out.insert(path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap());
    }
    out
}

/// Asserts that the summary in `summary` gives byte-identical outputs to the claims of `raw`.
pub fn assert_same_outputs(raw: &Path, summary: &str, what: &str) {
    let sum = summary_dir(raw, summary);
    let (a, b) = (outputs(raw), outputs(sum.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: the same output files");
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{what}: {name} differs between claims.csv and member_practice.csv:\n{}",
            first_difference(bytes, &b[name])
        );
    }
    // The data exercise the ranking.
    assert!(a["rank"].len() > 500 && a["member_assignments.csv"].len() > 500, "{what}: outputs are not trivial");
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  claims:  {x}\n  summary: {y}", i + 1);
        }
    }
    format!("{} vs {} lines", a.lines().count(), b.lines().count())
}

/// The claims and roster header lines of a data set, for `carealign sql --*-columns`.
pub fn header(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap().lines().next().unwrap().to_string()
}

/// `carealign sql` for the tables `claims` and `practices` loaded from `dir`.
pub fn sql_for(dir: &Path, dialect: &str) -> String {
    let claims = header(dir, "claims.csv");
    let roster = header(dir, "practices.csv");
    let mut args = vec!["sql", "--dialect", dialect, "--claims-columns", &claims, "--roster-columns", &roster];
    let config = dir.join("carealign.toml");
    let config = config.to_str().unwrap().to_string();
    if dir.join("carealign.toml").exists() {
        args.extend(["--config", &config]);
    }
    String::from_utf8(ok(&args).stdout).unwrap()
}

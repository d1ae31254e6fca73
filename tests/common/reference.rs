//! An independent reference for the claims figures, written straight from SPEC's definitions
//! for own-format data (what `carealign sample` writes): which members each practice sees.
//! Shared by the tests that check rollups (systems, counties) against a brute-force count.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::{luhn_ok, read_rows};

pub const PC_RANGES: &[(&str, &str)] = &[
    ("99201", "99205"),
    ("99211", "99215"),
    ("99304", "99310"),
    ("99315", "99315"),
    ("99316", "99316"),
    ("99318", "99318"),
    ("99324", "99328"),
    ("99334", "99337"),
    ("99339", "99339"),
    ("99340", "99340"),
    ("99341", "99345"),
    ("99347", "99350"),
    ("99487", "99487"),
    ("99489", "99489"),
    ("99490", "99490"),
    ("99491", "99491"),
    ("99495", "99495"),
    ("99496", "99496"),
    ("99497", "99497"),
    ("99498", "99498"),
];
pub const PC_G: &[&str] = &["G0402", "G0438", "G0439", "G2211"];
pub const PCP_TAX: &[&str] = &[
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

/// How TAF codes a missing taxonomy (issue 21), read as blank: the roster's taxonomy applies.
pub const TAF_MISSING_TAX: &[&str] =
    &["8888888888", "9999999999", "000000000X", "999999999X", "NONE", "XXXXXXXXXX", "NO TAXONOMY"];

pub fn is_pc(code: &str) -> bool {
    let code = code.trim().to_uppercase();
    PC_G.contains(&code.as_str())
        || (code.len() == 5
            && code.bytes().all(|b| b.is_ascii_digit())
            && PC_RANGES.iter().any(|(lo, hi)| code.as_str() >= *lo && code.as_str() <= *hi))
}

pub fn valid_date(s: &str) -> bool {
    let s = s.trim();
    let ymd: Option<(i32, u32, u32)> = if s.len() == 10 && &s[4..5] == "-" {
        Some((s[..4].parse().ok().unwrap_or(0), s[5..7].parse().unwrap_or(0), s[8..].parse().unwrap_or(0)))
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        Some((s[..4].parse().unwrap(), s[4..6].parse().unwrap(), s[6..].parse().unwrap()))
    } else if s.contains('/') {
        let p: Vec<&str> = s.split('/').collect();
        (p.len() == 3).then(|| (p[2].parse().unwrap_or(0), p[0].parse().unwrap_or(0), p[1].parse().unwrap_or(0)))
    } else if s.len() == 9 {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
        let m = months.iter().position(|m| s[2..5].eq_ignore_ascii_case(m)).map(|m| m as u32 + 1);
        m.map(|m| (s[5..].parse().unwrap_or(0), m, s[..2].parse().unwrap_or(0)))
    } else {
        None
    };
    let Some((y, m, d)) = ymd else { return false };
    // TAF's code for a missing date.
    if (y, m, d) == (1960, 1, 1) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1900..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= dim[(m - 1) as usize]
}

pub fn flag(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "y" | "yes" | "1" | "true" | "t" => Some(true),
        "n" | "no" | "0" | "false" | "f" => Some(false),
        _ => None,
    }
}

pub fn npi_field(s: &str) -> Result<Option<String>, ()> {
    let s = s.trim();
    if s.is_empty() {
        Ok(None)
    } else if luhn_ok(s) {
        Ok(Some(s.to_string()))
    } else {
        Err(())
    }
}

pub fn is_pcp_taxonomy(t: &str) -> bool {
    PCP_TAX.contains(&t.trim().to_uppercase().as_str())
}

/// Per practice_id, straight from SPEC: the members with a crossover primary-care line there,
/// its crossover primary-care lines, and its roster NPIs.
#[derive(Debug, Default)]
pub struct PracticeFacts {
    pub members: BTreeSet<String>,
    pub lines: usize,
    pub npis: BTreeSet<String>,
}

/// Reads practices.csv (own format) and claims.csv of `dir` with SPEC's definitions.
pub fn practices(dir: &Path) -> BTreeMap<String, PracticeFacts> {
    let mut npi_practices: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut npi_pcp: HashMap<String, bool> = HashMap::new();
    let mut facts: BTreeMap<String, PracticeFacts> = BTreeMap::new();
    for r in read_rows(&dir.join("practices.csv")) {
        let npi = r["npi"].trim().to_string();
        if !luhn_ok(&npi) {
            continue;
        }
        let pid = if r["practice_id"].trim().is_empty() { npi.clone() } else { r["practice_id"].trim().to_string() };
        npi_practices.entry(npi.clone()).or_default().insert(pid.clone());
        facts.entry(pid).or_default().npis.insert(npi.clone());
        *npi_pcp.entry(npi).or_default() |= PCP_TAX.contains(&r["taxonomy"].trim().to_uppercase().as_str());
    }
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
            let f = facts.entry(p).or_default();
            f.members.insert(member.to_string());
            f.lines += 1;
        }
    }
    facts
}

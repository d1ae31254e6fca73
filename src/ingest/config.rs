//! Settings from `carealign.toml` in the data directory, with SPEC's defaults when absent.
//!
//! Every list SPEC calls "configurable" lives here so that a state whose extract differs
//! (other codes, other header names) can adapt without a new build.

use std::collections::HashMap;
use std::path::Path;

use rustc_hash::FxHashSet;
use serde::Deserialize;

use crate::ingest::problem::DataError;
use crate::ingest::schema::FileKind;

/// File name of the optional settings file inside the data directory.
pub const CONFIG_FILE: &str = "carealign.toml";

/// Largest settings file read (a real one is a few kilobytes).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

const DEFAULT_CODES: &[&str] = &[
    "99201-99205",
    "99211-99215",
    "99304-99310",
    "99315",
    "99316",
    "99318",
    "99324-99328",
    "99334-99337",
    "99339",
    "99340",
    "99341-99345",
    "99347-99350",
    "99487",
    "99489",
    "99490",
    "99491",
    "99495",
    "99496",
    "99497",
    "99498",
    "G0402",
    "G0438",
    "G0439",
    "G2211",
];

const DEFAULT_TAXONOMIES: &[&str] = &[
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

const DEFAULT_SPECIALTIES: &[&str] = &[
    "FAMILY PRACTICE",
    "INTERNAL MEDICINE",
    "GENERAL PRACTICE",
    "GERIATRIC MEDICINE",
    "PEDIATRIC MEDICINE",
    "NURSE PRACTITIONER",
    "PHYSICIAN ASSISTANT",
    "CLINICAL NURSE SPECIALIST",
    "PREVENTIVE MEDICINE",
];

const DEFAULT_NON_ANSWERS: &[&str] = &[
    "don't know",
    "dont know",
    "do not know",
    "doesn't know",
    "unknown",
    "unk",
    "dk",
    "none",
    "no pcp",
    "no doctor",
    "n/a",
    "na",
    "not sure",
    "refused",
    "declined",
    "er",
    "emergency room",
    "va",
    "urgent care",
    "walk in",
    "walk-in clinic",
    "no regular doctor",
    "no primary",
    "does not have",
    "doesnt have",
    "?",
    "-",
];

/// The largest acuity weight accepted: one member then counts as a thousand low-acuity ones,
/// and a caseload's weighted load stays a finite, printable number (1e308 summed to infinity).
pub const MAX_ACUITY_WEIGHT: f64 = 1000.0;

/// Acuity weights used for weighted caseload (SPEC: low 1.0, medium 1.5, high 2.0, blank 1.0).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AcuityWeights {
    pub low: f64,
    pub medium: f64,
    pub high: f64,
    pub blank: f64,
}

impl Default for AcuityWeights {
    fn default() -> Self {
        AcuityWeights { low: 1.0, medium: 1.5, high: 2.0, blank: 1.0 }
    }
}

/// The file's raw shape, as serde reads it.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    threshold: Option<u32>,
    primary_care_codes: Option<Vec<String>>,
    pcp_taxonomies: Option<Vec<String>>,
    pcp_specialties: Option<Vec<String>>,
    non_answers: Option<Vec<String>>,
    acuity_weights: Option<AcuityWeights>,
    columns: Option<toml::Table>,
}

/// Resolved settings used by every stage.
#[derive(Debug, Clone)]
pub struct Config {
    /// High-volume cut: duals_seen ≥ threshold.
    pub threshold: u32,
    /// Primary-care procedure codes, packed for allocation-free lookup (see [`pack_code`]).
    pub pc_codes: FxHashSet<u128>,
    /// PCP taxonomy codes, packed like the procedure codes.
    pub pcp_taxonomies: FxHashSet<u128>,
    /// PCP specialty names (DAC `pri_spec`), upper case.
    pub pcp_specialties: FxHashSet<String>,
    /// pcp_response values that mean "no primary-care practice named", normalized lower case.
    pub non_answers: Vec<String>,
    pub acuity_weights: AcuityWeights,
    /// Extra header names → canonical column, per file (from `[columns]`).
    pub columns: HashMap<FileKind, HashMap<String, String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(RawConfig::default()).expect("defaults are valid")
    }
}

/// Packs a code of up to 16 ASCII bytes (upper-cased) into an integer key, so the per-line
/// code and taxonomy lookups hash one integer instead of a string. Longer codes give `None`.
pub fn pack_code(code: &[u8]) -> Option<u128> {
    if code.is_empty() || code.len() > 16 {
        return None;
    }
    let mut v = 0u128;
    for &b in code {
        v = (v << 8) | u128::from(b.to_ascii_uppercase());
    }
    Some(v)
}

/// The code text of a [`pack_code`] key (upper case).
fn unpack_code(mut v: u128) -> String {
    let mut bytes = Vec::with_capacity(16);
    while v != 0 {
        bytes.push((v & 0xFF) as u8);
        v >>= 8;
    }
    bytes.reverse();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn sorted_codes(set: &FxHashSet<u128>) -> Vec<String> {
    let mut codes: Vec<String> = set.iter().map(|&c| unpack_code(c)).collect();
    codes.sort_unstable();
    codes
}

fn expand_codes(entries: &[String], what: &str) -> Result<FxHashSet<u128>, DataError> {
    let mut set = FxHashSet::default();
    for entry in entries {
        let entry = entry.trim();
        if let Some((lo, hi)) = entry.split_once('-') {
            let (lo, hi) = (lo.trim(), hi.trim());
            let not_a_range = || bad(format!("{what}: \"{entry}\" is not a code or a numeric range like 99201-99205"));
            let (lo_n, hi_n): (u32, u32) =
                (lo.parse().map_err(|_| not_a_range())?, hi.parse().map_err(|_| not_a_range())?);
            if lo.len() != hi.len() || lo_n > hi_n || hi_n - lo_n > 100_000 {
                return Err(not_a_range());
            }
            for n in lo_n..=hi_n {
                let code = format!("{n:0width$}", width = lo.len());
                set.insert(pack_code(code.as_bytes()).ok_or_else(not_a_range)?);
            }
        } else {
            let packed = pack_code(entry.as_bytes())
                .ok_or_else(|| bad(format!("{what}: \"{entry}\" is not a code of 1 to 16 characters")))?;
            set.insert(packed);
        }
    }
    Ok(set)
}

/// A problem with carealign.toml as a whole.
fn bad(message: String) -> DataError {
    DataError::file(CONFIG_FILE, message)
}

fn upper_set(items: &[String]) -> FxHashSet<String> {
    items.iter().map(|s| s.trim().to_ascii_uppercase()).collect()
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Config {
    fn from_raw(raw: RawConfig) -> Result<Config, DataError> {
        let codes = raw.primary_care_codes.unwrap_or_else(|| owned(DEFAULT_CODES));
        let taxonomies = raw.pcp_taxonomies.unwrap_or_else(|| owned(DEFAULT_TAXONOMIES));
        let specialties = raw.pcp_specialties.unwrap_or_else(|| owned(DEFAULT_SPECIALTIES));
        let non_answers = raw.non_answers.unwrap_or_else(|| owned(DEFAULT_NON_ANSWERS));
        let acuity_weights = raw.acuity_weights.unwrap_or_default();
        for (name, w) in [
            ("low", acuity_weights.low),
            ("medium", acuity_weights.medium),
            ("high", acuity_weights.high),
            ("blank", acuity_weights.blank),
        ] {
            if !(w > 0.0 && w <= MAX_ACUITY_WEIGHT) {
                return Err(bad(format!(
                    "acuity_weights.{name} must be a positive number no larger than {MAX_ACUITY_WEIGHT}, not {w:?}"
                )));
            }
        }
        Ok(Config {
            threshold: raw.threshold.unwrap_or(20),
            pc_codes: expand_codes(&codes, "primary_care_codes")?,
            pcp_taxonomies: expand_codes(&taxonomies, "pcp_taxonomies")?,
            pcp_specialties: upper_set(&specialties),
            non_answers: non_answers.iter().map(|s| s.trim().to_lowercase()).collect(),
            acuity_weights,
            columns: parse_columns(raw.columns.unwrap_or_default())?,
        })
    }

    /// Reads `carealign.toml` from `dir`, or returns the defaults when there is none.
    pub fn load(dir: &Path) -> Result<Config, DataError> {
        let path = dir.join(CONFIG_FILE);
        let bytes = match crate::io::read_capped(&path, MAX_CONFIG_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(Config::default()),
            Err(e) => return Err(DataError::file(CONFIG_FILE, e.reason())),
        };
        let text = String::from_utf8(bytes).map_err(|_| DataError::file(CONFIG_FILE, "is not UTF-8 text"))?;
        Config::parse(&text)
    }

    /// Parses settings text; errors name the line and column of the file.
    pub fn parse(text: &str) -> Result<Config, DataError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1).unwrap_or(0);
            let msg = e.message().trim().replace('\n', " ");
            DataError::at(CONFIG_FILE, line, msg)
        })?;
        Config::from_raw(raw)
    }

    /// True when the code is a primary-care code.
    pub fn is_pc_code(&self, code: &[u8]) -> bool {
        pack_code(code).is_some_and(|c| self.pc_codes.contains(&c))
    }

    /// True when the taxonomy code is a PCP taxonomy.
    pub fn is_pcp_taxonomy(&self, taxonomy: &[u8]) -> bool {
        pack_code(taxonomy).is_some_and(|c| self.pcp_taxonomies.contains(&c))
    }

    /// Every primary-care code, ranges expanded, upper case, sorted: the very set the claims
    /// reader tests, for `carealign sql` to write into its query.
    pub fn pc_code_list(&self) -> Vec<String> {
        sorted_codes(&self.pc_codes)
    }

    /// Every PCP taxonomy, upper case, sorted (see [`Config::pc_code_list`]).
    pub fn pcp_taxonomy_list(&self) -> Vec<String> {
        sorted_codes(&self.pcp_taxonomies)
    }

    /// Every PCP specialty name, upper case, sorted.
    pub fn pcp_specialty_list(&self) -> Vec<String> {
        let mut names: Vec<String> = self.pcp_specialties.iter().cloned().collect();
        names.sort_unstable();
        names
    }

    /// Weight of one member of the given acuity in a caseload.
    pub fn acuity_weight(&self, acuity: crate::ingest::Acuity) -> f64 {
        use crate::ingest::Acuity;
        match acuity {
            Acuity::Low => self.acuity_weights.low,
            Acuity::Medium => self.acuity_weights.medium,
            Acuity::High => self.acuity_weights.high,
            Acuity::Blank => self.acuity_weights.blank,
        }
    }
}

/// `[columns]` maps a header name to a canonical column for every file; a sub-table named after
/// a file (`[columns.claims]`) applies to that file only and wins over the global entries.
fn parse_columns(table: toml::Table) -> Result<HashMap<FileKind, HashMap<String, String>>, DataError> {
    let mut global = HashMap::new();
    let mut per_file: HashMap<FileKind, HashMap<String, String>> = HashMap::new();
    for (key, value) in table {
        match value {
            toml::Value::String(canonical) => {
                global.insert(key.trim().to_lowercase(), canonical.trim().to_lowercase());
            }
            toml::Value::Table(sub) => {
                let kind = FileKind::ALL
                    .into_iter()
                    .find(|k| k.stem() == key)
                    .ok_or_else(|| bad(format!("[columns.{key}]: no input file is called {key}")))?;
                let map = per_file.entry(kind).or_default();
                for (k, v) in sub {
                    let v = v.as_str().ok_or_else(|| {
                        bad(format!("[columns.{key}] {k}: the value must be a column name in quotes"))
                    })?;
                    map.insert(k.trim().to_lowercase(), v.trim().to_lowercase());
                }
            }
            _ => return Err(bad(format!("[columns] {key}: the value must be a column name in quotes"))),
        }
    }
    let mut out = HashMap::new();
    for kind in FileKind::ALL.into_iter() {
        let mut map = global.clone();
        if let Some(specific) = per_file.remove(&kind) {
            map.extend(specific);
        }
        out.insert(kind, map);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_spec() {
        let c = Config::default();
        assert_eq!(c.threshold, 20);
        for code in ["99201", "99205", "99215", "99310", "99350", "G2211", "g0438", "99498"] {
            assert!(c.is_pc_code(code.as_bytes()), "{code}");
        }
        for code in ["99206", "99210", "99311", "99317", "99346", "99488", "71046", "", "99201123456789012"] {
            assert!(!c.is_pc_code(code.as_bytes()), "{code}");
        }
        assert_eq!(c.pc_codes.len(), 5 + 5 + 7 + 3 + 5 + 4 + 2 + 5 + 4 + 8 + 4);
        assert!(c.is_pcp_taxonomy(b"207Q00000X") && c.is_pcp_taxonomy(b"207q00000x"));
        assert!(!c.is_pcp_taxonomy(b"207RC0000X"));
        assert_eq!(c.pcp_taxonomies.len(), 18);
        assert!(c.pcp_specialties.contains("NURSE PRACTITIONER"));
    }

    #[test]
    fn code_lists_round_trip() {
        let c = Config::parse("primary_care_codes = [\"99213\", \"012-014\", \"g2211\"]\n").unwrap();
        assert_eq!(c.pc_code_list(), vec!["012", "013", "014", "99213", "G2211"]);
        let d = Config::default();
        assert_eq!(d.pc_code_list().len(), d.pc_codes.len());
        assert!(d.pc_code_list().iter().all(|code| d.is_pc_code(code.as_bytes())));
        assert_eq!(d.pcp_taxonomy_list()[0], "207Q00000X");
        assert_eq!(d.pcp_specialty_list().len(), 9);
    }

    #[test]
    fn file_overrides_and_columns() {
        let c = Config::parse(
            r#"
threshold = 5
primary_care_codes = ["99213", "T1000-T1002", "12-14"]
[acuity_weights]
high = 3.0
[columns]
"Member Key" = "member_id"
[columns.claims]
"Svc Dt" = "service_date"
"#,
        );
        assert!(c.is_err(), "T1000-T1002 is not a numeric range");
        let c = Config::parse(
            "threshold = 5\nprimary_care_codes = [\"99213\", \"12-14\"]\n[acuity_weights]\nhigh = 3.0\n[columns]\n\"Member Key\" = \"member_id\"\n[columns.claims]\n\"Svc Dt\" = \"service_date\"\n",
        )
        .unwrap();
        assert_eq!(c.threshold, 5);
        assert!(c.is_pc_code(b"13") && c.is_pc_code(b"99213") && !c.is_pc_code(b"99214"));
        assert_eq!(c.acuity_weights.high, 3.0);
        assert_eq!(c.acuity_weights.medium, 1.5);
        assert_eq!(c.columns[&FileKind::Claims]["svc dt"], "service_date");
        assert_eq!(c.columns[&FileKind::Claims]["member key"], "member_id");
        assert!(!c.columns[&FileKind::Assessments].contains_key("svc dt"));
    }

    #[test]
    fn errors_name_line() {
        let e = Config::parse("threshold = 5\nthreshhold = 3\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("carealign.toml:2:"), "{msg}");
        let e = Config::parse("[columns.clams]\na = \"b\"\n").unwrap_err();
        assert!(e.to_string().contains("clams"));
        assert!(Config::parse("[acuity_weights]\nlow = -1.0\n").is_err());
        for bad in ["1e308", "inf", "nan", "0.0", "1000.5"] {
            let e = Config::parse(&format!("[acuity_weights]\nhigh = {bad}\n")).unwrap_err();
            assert!(e.to_string().starts_with("carealign.toml: acuity_weights.high must be a positive number"), "{e}");
        }
        assert_eq!(Config::parse("[acuity_weights]\nhigh = 1000\n").unwrap().acuity_weights.high, 1000.0);
    }
}

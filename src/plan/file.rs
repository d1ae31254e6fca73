//! plan.csv: `practice_id, slot (1|2), care_manager_id`, saved atomically and reloaded on
//! the next start; beside it review.csv: `member_id, practice_id`, the practice chosen on the
//! Review screen for an ambiguous or conflicting match, and plan.toml: the plan's own settings
//! (`threshold = N`), so that the TUI and `carealign export --plan` see the same plan. Rows
//! naming unknown practices, care managers or members are left out and reported; the rest
//! loads.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::Plan;
use crate::ingest::{Dataset, FileKind};
use crate::io::{self, ReadError, WriteError};

/// File name of the saved plan inside the data directory.
pub const PLAN_FILE: &str = "plan.csv";

/// File name of the review decisions, beside the plan.
pub const REVIEW_FILE: &str = "review.csv";

/// File name of the plan's own settings, beside the plan.
pub const SETTINGS_FILE: &str = "plan.toml";

/// Largest plan.csv read: two rows per practice of a national roster fit many times over.
pub const MAX_PLAN_BYTES: u64 = 64 << 20;

/// Largest plan.toml read: one line is all it needs.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// Largest review.csv read: one row per HCBS member of the largest state, many times over.
pub const MAX_REVIEW_BYTES: u64 = 1 << 30;

/// The input files of data directory `dir` and its settings: nothing the program writes
/// replaces them.
pub fn input_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = FileKind::ALL.iter().map(|k| dir.join(k.file_name())).collect();
    files.push(dir.join(crate::config::CONFIG_FILE));
    files
}

/// Every file of data directory `dir` that an output (rank, match, exports) must never
/// replace: the inputs and the saved plan with its settings and review decisions.
pub fn protected_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = input_files(dir);
    files.extend([PLAN_FILE, SETTINGS_FILE, REVIEW_FILE].map(|f| dir.join(f)));
    files
}

/// Why a saved plan could not be loaded (nothing of it is used then).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{file}:{line}: {message}")]
    Bad { file: String, line: u64, message: String },
}

/// What a plan file looked like when it was read or written (modified time and size), to
/// notice when someone else saved it in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(Option<(std::time::SystemTime, u64)>);

impl Stamp {
    pub fn of(path: &Path) -> Self {
        Stamp(std::fs::metadata(path).ok().and_then(|m| Some((m.modified().ok()?, m.len()))))
    }
}

/// The review file that goes with a plan file.
pub fn review_path(plan_path: &Path) -> std::path::PathBuf {
    plan_path.with_file_name(REVIEW_FILE)
}

/// The settings file that goes with a plan file.
pub fn settings_path(plan_path: &Path) -> std::path::PathBuf {
    plan_path.with_file_name(SETTINGS_FILE)
}

const COLUMNS: &[&str] = &["practice_id", "slot", "care_manager_id"];

/// Writes the plan, its review decisions and its threshold (plan.toml) together: all three
/// files are replaced or none (never over an input file of the data directory).
pub fn save(ds: &Dataset, plan: &Plan, threshold: u32, path: &Path) -> Result<(), WriteError> {
    let rows = plan.slots.iter().enumerate().flat_map(|(p, slots)| {
        slots.iter().enumerate().filter_map(move |(i, cm)| {
            cm.map(|c| {
                [ds.roster.practices[p].id.clone(), (i + 1).to_string(), ds.care_managers[c as usize].id.clone()]
            })
        })
    });
    let decisions = plan
        .review
        .iter()
        .map(|(&m, &p)| [ds.assessments[m as usize].member_id.clone(), ds.roster.practices[p as usize].id.clone()]);
    let files = [
        (path.to_path_buf(), io::csv_bytes(COLUMNS, rows)),
        (review_path(path), io::csv_bytes(&["member_id", "practice_id"], decisions)),
        (settings_path(path), settings_text(threshold).into_bytes()),
    ];
    io::write_set(&files, &input_files(&ds.dir))
}

fn settings_text(threshold: u32) -> String {
    format!("# Settings of the plan in plan.csv, written by carealign.\nthreshold = {threshold}\n")
}

/// A loaded plan and what could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub plan: Plan,
    /// The threshold saved with the plan (plan.toml), if any; without it the plan is used
    /// with carealign.toml's.
    pub threshold: Option<u32>,
    /// One sentence per row that was left out.
    pub skipped: Vec<String>,
}

/// Undoes the formula-injection guard of [`io::guard_cell`] on a saved id.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if io::guard_cell(rest).len() != rest.len() => rest,
        _ => cell,
    }
}

/// Reads `path` with the review.csv and plan.toml beside it; a missing file is an empty plan
/// (missing review.csv: no decisions; missing plan.toml: no threshold of its own). A file that
/// cannot be used at all (not a regular file, too large, no usable header) is an error.
pub fn load(ds: &Dataset, path: &Path) -> Result<Loaded, LoadError> {
    let name = path.file_name().map_or_else(|| PLAN_FILE.to_string(), |n| n.to_string_lossy().into_owned());
    let bad = |line, message: &str| LoadError::Bad { file: name.clone(), line, message: message.to_string() };
    let mut plan = Plan::empty(ds.roster.practices.len());
    let mut skipped = Vec::new();
    let threshold = load_settings(&settings_path(path), &mut skipped)?;
    let Some(text) = io::read_capped(path, MAX_PLAN_BYTES)? else { return Ok(Loaded { plan, threshold, skipped }) };
    let cms: FxHashMap<&str, u32> =
        ds.care_managers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_slice());
    let header = header_of(&mut reader).map_err(|e| bad(1, &format!("unreadable header ({e})")))?;
    let col = |c: &str| header.iter().position(|h| h == c);
    let (Some(pc), Some(sc), Some(cc)) = (col("practice_id"), col("slot"), col("care_manager_id")) else {
        return Err(bad(1, "the header must name practice_id, slot and care_manager_id"));
    };
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                skipped.push(format!("{name}:{line}: unreadable row ({e})"));
                continue;
            }
        };
        let get = |c: usize| unguard(rec.get(c).unwrap_or("").trim());
        let Some(p) = ds.roster.practice_index(get(pc)) else {
            skipped.push(format!("{name}:{line}: practice {} is not in practices.csv", get(pc)));
            continue;
        };
        let Some(&cm) = cms.get(get(cc)) else {
            skipped.push(format!("{name}:{line}: care manager {} is not in care_managers.csv", get(cc)));
            continue;
        };
        let slot = match get(sc) {
            "1" => 0,
            "2" => 1,
            s => {
                skipped.push(format!("{name}:{line}: slot \"{s}\" is not 1 or 2"));
                continue;
            }
        };
        let slots = &mut plan.slots[p as usize];
        if slots.contains(&Some(cm)) || slots[slot].is_some() {
            skipped.push(format!("{name}:{line}: practice {} slot {} is given twice", get(pc), slot + 1));
            continue;
        }
        slots[slot] = Some(cm);
    }
    // A plan with only slot 2 filled moves it to slot 1.
    for s in &mut plan.slots {
        if s[0].is_none() && s[1].is_some() {
            *s = [s[1], None];
        }
    }
    load_review(ds, &review_path(path), &mut plan, &mut skipped)?;
    Ok(Loaded { plan, threshold, skipped })
}

/// Reads plan.toml's threshold. A value that is not a whole number ≥ 1 is left out and
/// reported (the configured threshold then applies), like a bad row of plan.csv.
fn load_settings(path: &Path, skipped: &mut Vec<String>) -> Result<Option<u32>, LoadError> {
    let Some(bytes) = io::read_capped(path, MAX_SETTINGS_BYTES)? else { return Ok(None) };
    let Ok(text) = String::from_utf8(bytes) else {
        skipped.push(format!("{SETTINGS_FILE}: is not UTF-8 text; threshold not loaded"));
        return Ok(None);
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].lines().count().max(1));
            skipped.push(format!("{SETTINGS_FILE}:{line}: not valid TOML ({}); threshold not loaded", e.message()));
            return Ok(None);
        }
    };
    match table.get("threshold") {
        None => Ok(None),
        Some(toml::Value::Integer(n)) if *n >= 1 && *n <= i64::from(u32::MAX) => Ok(Some(*n as u32)),
        Some(v) => {
            skipped.push(format!("{SETTINGS_FILE}: threshold {v} is not a whole number of duals of 1 or more"));
            Ok(None)
        }
    }
}

/// The header's names, trimmed and lower-cased, without a byte-order mark.
fn header_of(reader: &mut csv::Reader<&[u8]>) -> csv::Result<Vec<String>> {
    Ok(reader.headers()?.iter().map(|s| s.trim().trim_start_matches('\u{feff}').to_lowercase()).collect())
}

fn load_review(ds: &Dataset, path: &Path, plan: &mut Plan, skipped: &mut Vec<String>) -> Result<(), LoadError> {
    let bad = |line, message: &str| LoadError::Bad { file: REVIEW_FILE.into(), line, message: message.into() };
    let Some(text) = io::read_capped(path, MAX_REVIEW_BYTES)? else { return Ok(()) };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_slice());
    let header = header_of(&mut reader).map_err(|e| bad(1, &format!("unreadable header ({e})")))?;
    let col = |c: &str| header.iter().position(|h| h == c);
    let (Some(mc), Some(pc)) = (col("member_id"), col("practice_id")) else {
        // Rows without the header would be taken for one: say so rather than drop decisions.
        return Err(bad(1, "the header must name member_id and practice_id"));
    };
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(rec) = rec else {
            skipped.push(format!("{REVIEW_FILE}:{line}: unreadable row"));
            continue;
        };
        let member = unguard(rec.get(mc).unwrap_or("").trim());
        let practice = unguard(rec.get(pc).unwrap_or("").trim());
        let Ok(m) = ds.assessments.binary_search_by(|a| a.member_id.as_str().cmp(member)) else {
            skipped.push(format!("{REVIEW_FILE}:{line}: member is not in assessments.csv"));
            continue;
        };
        let Some(p) = ds.roster.practice_index(practice) else {
            skipped.push(format!("{REVIEW_FILE}:{line}: practice {practice} is not in practices.csv"));
            continue;
        };
        plan.review.insert(m as u32, p);
    }
    Ok(())
}

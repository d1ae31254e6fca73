//! Reading a data directory into a [`Dataset`]: the first stage of
//! ingest → dataset → ranking & matching → plan → views and exports.

pub mod claims;
pub mod fields;
pub mod member_practice;
pub mod people;
pub mod problem;
pub mod roster;
pub mod scan;
pub mod schema;
pub mod table;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub use claims::{Claims, ClaimsStats, Pair};
pub use fields::{Acuity, Day};
pub use people::{Assessment, CareManager};
pub use problem::{DataError, Problem, Problems, Severity};
pub use roster::{Clinician, Practice, Roster};
pub use schema::FileKind;

use crate::config::Config;
use table::Table;

/// Everything read from a data directory.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub config: Config,
    pub roster: Roster,
    pub claims: Claims,
    /// Latest assessment per member, sorted by member id.
    pub assessments: Vec<Assessment>,
    pub care_managers: Vec<CareManager>,
    /// Row problems of all files (bad rows were skipped and counted).
    pub problems: Problems,
}

/// How to treat bad rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Any bad row stops the load (`--strict`).
    pub strict: bool,
}

/// Load progress shared with a watching thread (the TUI's gauge).
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of input read so far, over all files.
    pub done: AtomicU64,
    /// Bytes of input in all files.
    pub total: AtomicU64,
    /// Index into [`Progress::STAGES`].
    pub stage: AtomicUsize,
}

impl Progress {
    pub const STAGES: [&'static str; 6] = [
        "opening files",
        "reading practices.csv",
        "reading claims.csv",
        "reading assessments.csv",
        "reading care_managers.csv",
        "matching answers and ranking practices",
    ];

    /// Index of the stage after loading, set by whoever analyses the data.
    pub const ANALYSING: usize = 5;

    /// Fraction done, 0..=1.
    pub fn fraction(&self) -> f64 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0)
    }

    pub fn stage_name(&self) -> &'static str {
        Self::STAGES[self.stage.load(Ordering::Relaxed).min(Self::STAGES.len() - 1)]
    }
}

/// Reads all four input files of `dir`.
pub fn load(dir: &Path, opts: LoadOptions, progress: &Progress) -> Result<Dataset, DataError> {
    if !dir.is_dir() {
        return Err(DataError::file(dir.display().to_string(), "is not a directory"));
    }
    let config = Config::load(dir)?;
    // Open everything first so a missing file or column is reported before a long read.
    let practices = Table::open(dir, FileKind::Practices, &config)?;
    let assessments = Table::open(dir, FileKind::Assessments, &config)?;
    let care_managers = Table::open(dir, FileKind::CareManagers, &config)?;
    let claims_kind = claims_kind(dir);
    let claims = Table::open(dir, claims_kind, &config)?;
    let practices_size = practices.size;
    progress.total.store(practices.size + claims.size + assessments.size + care_managers.size, Ordering::Relaxed);
    let mut problems = Problems::default();

    progress.stage.store(1, Ordering::Relaxed);
    let mut rb = roster::RosterBuilder::default();
    practices.for_each_row(&mut problems, |rec, idx, p| rb.add(rec, idx, &config, p))?;
    let roster = rb.finish();
    let mut done = practices_size;
    progress.done.store(done, Ordering::Relaxed);

    // Claims before the HCBS files: the claims read's working memory is gone by the time
    // assessments are held, which keeps the peak down on state-sized data.
    progress.stage.store(2, Ordering::Relaxed);
    let claims_size = claims.size;
    let claims = match claims_kind {
        FileKind::MemberPractice => member_practice::read(claims, &roster, &mut problems)?,
        _ => claims::read(claims, &roster, &config, (&progress.done, done), &mut problems)?,
    };
    done += claims_size;
    progress.done.store(done, Ordering::Relaxed);

    progress.stage.store(3, Ordering::Relaxed);
    let assessments_size = assessments.size;
    let mut ab = people::AssessmentsBuilder::default();
    assessments.for_each_row(&mut problems, |rec, idx, p| ab.add(rec, idx, p))?;
    let assessments = ab.finish();
    done += assessments_size;
    progress.done.store(done, Ordering::Relaxed);

    progress.stage.store(4, Ordering::Relaxed);
    let mut cb = people::CareManagersBuilder::default();
    care_managers.for_each_row(&mut problems, |rec, idx, p| cb.add(rec, idx, p))?;
    let care_managers = cb.finish();
    progress.done.store(progress.total.load(Ordering::Relaxed), Ordering::Relaxed);

    check_references(&assessments, &care_managers, &mut problems);
    if opts.strict
        && let Some(p) = problems.first_error()
    {
        return Err(DataError::at(p.file, p.line, format!("{} (--strict stops at the first bad row)", p.message)));
    }
    Ok(Dataset { dir: dir.to_path_buf(), config, roster, claims, assessments, care_managers, problems })
}

/// The file `dir`'s claims come from: claims.csv, or member_practice.csv (the claims reduced
/// elsewhere, SPEC "member_practice.csv") when claims.csv is absent and it is present.
pub fn claims_kind(dir: &Path) -> FileKind {
    let has = |k: FileKind| dir.join(k.file_name()).exists();
    if !has(FileKind::Claims) && has(FileKind::MemberPractice) { FileKind::MemberPractice } else { FileKind::Claims }
}

/// The files [`load`] reads from `dir`.
pub fn input_kinds(dir: &Path) -> [FileKind; 4] {
    [claims_kind(dir), FileKind::Practices, FileKind::Assessments, FileKind::CareManagers]
}

/// Cross-file checks: assessments naming a care manager that care_managers.csv lacks.
fn check_references(assessments: &[Assessment], cms: &[CareManager], problems: &mut Problems) {
    let known: rustc_hash::FxHashSet<&str> = cms.iter().map(|c| c.id.as_str()).collect();
    for a in assessments {
        if !a.care_manager_id.is_empty() && !known.contains(a.care_manager_id.as_str()) {
            problems.warning(
                "assessments.csv",
                a.line,
                format!("care_manager_id {} is not in care_managers.csv", a.care_manager_id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADERS: [&str; 4] = [
        "member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n",
        "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n",
        "member_id,assessment_date,pcp_response,acuity,care_manager_id\n",
        "care_manager_id,name,capacity\n",
    ];

    fn write_all(dir: &Path, bodies: &[Vec<u8>; 4], with_header: bool) {
        let names = ["claims.csv", "practices.csv", "assessments.csv", "care_managers.csv"];
        for ((name, header), body) in names.iter().zip(HEADERS).zip(bodies) {
            let mut bytes = if with_header { header.as_bytes().to_vec() } else { Vec::new() };
            bytes.extend_from_slice(body);
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            // CSV-ish noise: mostly commas, quotes, digits, newlines.
            proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), b'0'..=b'9', b'A'..=b'Z'],
                0..300
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random bytes in every input file end in data or a clear error, never a panic.
        #[test]
        fn random_inputs_never_panic(bodies in [body(), body(), body(), body()], with_header in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            write_all(dir.path(), &bodies, with_header);
            match load(dir.path(), LoadOptions::default(), &Progress::default()) {
                Ok(ds) => {
                    let _ = crate::analysis::Analysis::new(&ds);
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}

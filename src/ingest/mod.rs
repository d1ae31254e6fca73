//! Reading a data directory into a [`Dataset`]: the first stage of
//! ingest → dataset → ranking & matching → plan → views and exports.

pub mod claims;
pub mod config;
pub mod fields;
pub mod member_practice;
pub mod pair_log;
pub mod people;
pub mod placing;
pub mod problem;
pub mod roster;
pub mod scan;
pub mod schema;
pub mod seps;
pub mod systems;
pub mod table;
pub mod taf_split;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub use claims::{Claims, ClaimsStats, Pair};
pub use fields::{Acuity, Day};
pub use people::{Assessment, CareManager};
pub use problem::{DataError, Problem, Problems, Severity};
pub use roster::{Clinician, Practice, Roster};
pub use schema::FileKind;
pub use systems::{HealthSystem, HealthSystems};

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
    /// Practices grouped into health systems (optional health_systems.csv).
    pub systems: HealthSystems,
    /// Row problems of all files (bad rows were skipped and counted), and whole-file
    /// warnings (`problems.file_warnings`) for the loading screen, `check` and `rank`.
    pub problems: Problems,
    /// Which file(s) the claims came from, for summaries.
    pub claims_source: &'static str,
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
    /// Whole-file warnings found so far (a roster without practice names, say), so that a
    /// watcher can show them while the long claims read is still running.
    warnings: std::sync::Mutex<Vec<String>>,
}

impl Progress {
    /// The HCBS files are read beside practices.csv and claims.csv, so they have no stage.
    pub const STAGES: [&'static str; 4] =
        ["opening files", "reading practices.csv", "reading claims.csv", "matching answers and ranking practices"];

    /// Index of the stage after loading, set by whoever analyses the data.
    pub const ANALYSING: usize = 3;

    /// Fraction done, 0..=1.
    pub fn fraction(&self) -> f64 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0)
    }

    /// The whole-file warnings found so far.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.lock().map(|w| w.clone()).unwrap_or_default()
    }

    fn publish(&self, problems: &Problems) {
        if let Ok(mut w) = self.warnings.lock() {
            *w = problems.file_warnings.iter().map(|f| f.to_string()).collect();
        }
    }

    pub fn stage_name(&self) -> &'static str {
        Self::STAGES[self.stage.load(Ordering::Relaxed).min(Self::STAGES.len() - 1)]
    }
}

/// Where the claims come from: claims.csv, or TAF's header and line files.
pub enum ClaimsInput {
    Csv(Table),
    TafSplit(Box<taf_split::Files>),
    /// The claims already reduced elsewhere (SPEC "member_practice.csv").
    MemberPractice(Table),
}

impl ClaimsInput {
    /// claims.csv; else TAF's header and line files; else member_practice.csv, which stands in
    /// only when no form of the raw claims is there.
    pub fn open(dir: &Path, config: &Config) -> Result<ClaimsInput, DataError> {
        Ok(if taf_split::present(dir)? {
            ClaimsInput::TafSplit(Box::new(taf_split::Files::open(dir, config)?))
        } else if !dir.join(FileKind::Claims.file_name()).exists()
            && dir.join(FileKind::MemberPractice.file_name()).exists()
        {
            ClaimsInput::MemberPractice(Table::open(dir, FileKind::MemberPractice, config)?)
        } else {
            ClaimsInput::Csv(Table::open(dir, FileKind::Claims, config)?)
        })
    }

    fn size(&self) -> u64 {
        match self {
            ClaimsInput::Csv(t) => t.size,
            ClaimsInput::TafSplit(f) => f.size(),
            ClaimsInput::MemberPractice(t) => t.size,
        }
    }

    fn source(&self) -> &'static str {
        match self {
            ClaimsInput::Csv(_) => "claims.csv",
            ClaimsInput::TafSplit(_) => "claims_line.csv + claims_header.csv",
            ClaimsInput::MemberPractice(_) => "member_practice.csv",
        }
    }
}

/// Every fatal problem of opening `dir`'s input files (missing files, unusable headers), for
/// `check` to list them all before reading any rows.
pub fn open_errors(dir: &Path, config: &Config) -> Vec<DataError> {
    let tables =
        [FileKind::Practices, FileKind::Assessments, FileKind::CareManagers].map(|k| Table::open(dir, k, config).err());
    let claims = ClaimsInput::open(dir, config).err();
    tables.into_iter().chain([claims]).flatten().collect()
}

/// A file with a header and no rows holds nothing to work with: say so rather than rank nothing.
fn require_rows(file: &str, rows: u64) -> Result<(), DataError> {
    if rows == 0 { Err(DataError::file(file, "has a header but no data rows")) } else { Ok(()) }
}

/// Reads all input files of `dir`.
pub fn load(dir: &Path, opts: LoadOptions, progress: &Progress) -> Result<Dataset, DataError> {
    crate::timing::mark("load starts");
    if !dir.is_dir() {
        return Err(DataError::file(dir.display().to_string(), "is not a directory"));
    }
    let config = Config::load(dir)?;
    // Open everything first so a missing file or column is reported before a long read.
    let practices = Table::open(dir, FileKind::Practices, &config)?;
    let assessments = Table::open(dir, FileKind::Assessments, &config)?;
    let care_managers = Table::open(dir, FileKind::CareManagers, &config)?;
    let claims = ClaimsInput::open(dir, &config)?;
    let claims_source = claims.source();
    progress.total.store(practices.size + claims.size() + assessments.size + care_managers.size, Ordering::Relaxed);
    let mut problems = Problems::default();
    let strict = opts.strict;
    // The HCBS files are read beside the roster and claims: the roster is read by one thread,
    // and the claims workers' merge is serial, so the assessments' parsing fills the other
    // core then. Their rows are held during the claims read: at 18.9M claim lines the peak
    // stays where it was (331 MB, in matching, after the load); at 4.8M it rose from 94 to
    // 111 MB, for a load about 5% faster.
    let mut hcbs_problems = [(); 2].map(|_| Problems::default());
    let [assessment_problems, cm_problems] = &mut hcbs_problems;
    let (read, (assessments, care_managers)) = rayon::join(
        || roster_and_claims(dir, &config, (practices, claims), strict, progress, &mut problems),
        || {
            rayon::join(
                || read_assessments(assessments, strict, assessment_problems),
                || read_care_managers(care_managers, strict, cm_problems),
            )
        },
    );
    // Reported in file order (practices, claims, assessments, care managers); a file's own
    // failure is told before the next file's.
    let (roster, systems, claims) = read?;
    let [assessment_problems, cm_problems] = hcbs_problems;
    problems.extend(assessment_problems);
    let assessments = assessments?;
    problems.extend(cm_problems);
    let care_managers = care_managers?;
    progress.done.store(progress.total.load(Ordering::Relaxed), Ordering::Relaxed);
    progress.publish(&problems);

    check_references(&assessments, &care_managers, &mut problems);
    crate::timing::mark("care_managers.csv read");
    Ok(Dataset {
        dir: dir.to_path_buf(),
        config,
        roster,
        claims,
        assessments,
        care_managers,
        systems,
        problems,
        claims_source,
    })
}

/// practices.csv (with health_systems.csv) and then the claims, as [`load`] reads them.
fn roster_and_claims(
    dir: &Path,
    config: &Config,
    (practices, claims): (Table, ClaimsInput),
    strict: bool,
    progress: &Progress,
    problems: &mut Problems,
) -> Result<(roster::Roster, HealthSystems, Claims), DataError> {
    let practices_size = practices.size;
    progress.stage.store(1, Ordering::Relaxed);
    if practices.idx[schema::practices_col::PRACTICE_NAME].is_none() {
        problems.file_warning(
            "practices.csv",
            "has no practice-name column: practices show their ids, and answers naming a practice cannot be matched (a name is read from practice_name, Facility Name, facility_name, org_nm or Organization legal name)".into(),
        );
    }
    let mut rb = roster::RosterBuilder::default();
    require_rows(
        "practices.csv",
        practices
            .for_each_row(problems, strict, |rec, idx, p| rb.push(roster::RosterRow::parse(rec, idx, config, p)))?,
    )?;
    let roster = rb.finish();
    // Small beside the roster, and only meaningful with it: read with the roster's stage.
    let systems = systems::read(dir, config, &roster, strict, problems)?;
    progress.done.store(practices_size, Ordering::Relaxed);
    progress.publish(problems);
    crate::timing::mark("practices.csv read");

    progress.stage.store(2, Ordering::Relaxed);
    let claims_size = claims.size();
    let at = (&progress.done, practices_size);
    let (claims, rows_file) = match claims {
        ClaimsInput::Csv(table) => {
            let opts = claims::ReadOptions { file: "claims.csv", strict, headers: None };
            (claims::read(table, &roster, config, opts, at)?.merge(problems), "claims.csv")
        }
        ClaimsInput::TafSplit(files) => (files.read(&roster, config, strict, at, problems)?, "claims_line.csv"),
        ClaimsInput::MemberPractice(table) => {
            (member_practice::read(table, &roster, strict, problems)?, "member_practice.csv")
        }
    };
    require_rows(rows_file, claims.stats.rows)?;
    progress.done.store(practices_size + claims_size, Ordering::Relaxed);
    progress.publish(problems);
    crate::timing::mark("claims read");
    Ok((roster, systems, claims))
}

/// Reads assessments.csv (in parallel) and keeps each member's latest assessment.
fn read_assessments(table: Table, strict: bool, problems: &mut Problems) -> Result<Vec<Assessment>, DataError> {
    let mut ab = people::AssessmentsBuilder::with_capacity(table.estimated_rows());
    require_rows(
        "assessments.csv",
        table.par_rows(problems, strict, Assessment::parse, |mut a, offset| {
            a.line += offset;
            ab.push(a)
        })?,
    )?;
    crate::timing::mark("assessments.csv read");
    let assessments = ab.finish();
    crate::timing::mark("latest assessment per member kept");
    Ok(assessments)
}

fn read_care_managers(table: Table, strict: bool, problems: &mut Problems) -> Result<Vec<CareManager>, DataError> {
    let mut cb = people::CareManagersBuilder::default();
    require_rows("care_managers.csv", table.for_each_row(problems, strict, |rec, idx, p| cb.add(rec, idx, p))?)?;
    Ok(cb.finish())
}

/// Cross-file checks: assessments naming a care manager that care_managers.csv lacks.
fn check_references(assessments: &[Assessment], cms: &[CareManager], problems: &mut Problems) {
    let known: rustc_hash::FxHashSet<&str> = cms.iter().map(|c| c.id.as_str()).collect();
    for a in assessments {
        if !a.care_manager_id.is_empty() && !known.contains(&*a.care_manager_id) {
            problems.warning(
                "assessments.csv",
                a.line,
                format!("care_manager_id {} is not in care_managers.csv", a.care_manager_id),
            );
        }
    }
}

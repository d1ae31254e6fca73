//! The outputs: practice_assignments.csv, member_assignments.csv, caseloads.csv,
//! outreach.csv and coverage.csv, built from a plan and written together (see [`crate::io`] for how files are
//! written safely).

pub mod coverage;

use std::fs;
use std::path::{Path, PathBuf};

use crate::io::{self, WriteError};

/// One output file: name, columns, rows.
type Output<'c> = (&'static str, &'c [&'c str], Vec<Vec<String>>);

/// Everything the outputs are made from: the data, the matches and a plan with its
/// caseloads.
pub struct Snapshot<'a> {
    pub ds: &'a crate::ingest::Dataset,
    pub analysis: &'a crate::analysis::Analysis,
    pub ctx: &'a crate::plan::PlanContext,
    pub plan: &'a crate::plan::Plan,
    pub threshold: u32,
    pub start: &'a crate::plan::Caseloads,
    pub now: &'a crate::plan::Caseloads,
}

/// Columns of practice_assignments.csv (SPEC).
pub const PRACTICE_COLUMNS: &[&str] = &[
    "rank",
    "practice_id",
    "practice_name",
    "county",
    "phone",
    "duals_seen",
    "hcbs_members",
    "cm1_id",
    "cm1_name",
    "cm1_phone",
    "cm1_email",
    "cm2_id",
    "cm2_name",
    "cm2_phone",
    "cm2_email",
];

/// Columns of member_assignments.csv (SPEC).
pub const MEMBER_COLUMNS: &[&str] = &[
    "member_id",
    "practice_id",
    "match_source",
    "previous_cm",
    "new_cm",
    "changed",
    "acuity",
    "waiver",
    "county",
    "medicare_plan",
    "practice_name",
    "previous_cm_name",
    "new_cm_name",
    "new_cm_supervisor",
    "overflow",
    "needs_review",
];

/// Columns of caseloads.csv (SPEC).
pub const CASELOAD_COLUMNS: &[&str] = &[
    "care_manager_id",
    "name",
    "supervisor",
    "capacity",
    "members",
    "weighted_load",
    "members_in",
    "members_out",
    "practices",
    "utilization",
    "over_capacity",
    "practice_names",
];

/// Columns of outreach.csv: the "who to contact" list a practice needs in hand, and the
/// health system it belongs to, so one contact can be made per system.
pub const OUTREACH_COLUMNS: &[&str] = &[
    "practice_id",
    "practice_name",
    "practice_phone",
    "county",
    "hcbs_members",
    "cm1_name",
    "cm1_phone",
    "cm1_email",
    "cm2_name",
    "cm2_phone",
    "cm2_email",
    "health_system_id",
    "health_system_name",
];

/// A weighted load as text: up to two decimals, no trailing zeros (12.5, 40).
pub fn load_text(load: f64) -> String {
    let s = format!("{load:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A fraction in any CSV output (weighted loads, utilization, match confidence): two decimals,
/// a point, no thousands separator, so every file reads the same way in a spreadsheet. Counts
/// are plain integers.
pub fn decimal(x: f64) -> String {
    format!("{x:.2}")
}

/// Members ÷ capacity. None for a care manager with capacity 0 and members: there is no
/// finite ratio, so the cell is blank (and over_capacity says Y) rather than "inf".
pub fn utilization(members: u32, capacity: u32) -> Option<f64> {
    match (members, capacity) {
        (0, _) => Some(0.0),
        (_, 0) => None,
        (m, c) => Some(f64::from(m) / f64::from(c)),
    }
}

/// Y or N, as every flag column of the outputs writes it.
pub fn yes_no(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

impl Snapshot<'_> {
    /// HCBS members per practice under the plan (review decisions applied).
    pub fn hcbs_members(&self) -> Vec<u32> {
        let mut n = vec![0u32; self.ds.roster.practices.len()];
        for m in 0..self.ds.assessments.len() as u32 {
            if let Some(p) = self.ctx.practice_of(self.plan, m) {
                n[p as usize] += 1;
            }
        }
        n
    }

    fn cm_cells(&self, cm: Option<u32>, with_id: bool) -> Vec<String> {
        match cm {
            Some(c) => {
                let c = &self.ds.care_managers[c as usize];
                let mut v = vec![c.name.clone(), c.phone.clone(), c.email.clone()];
                if with_id {
                    v.insert(0, c.id.clone());
                }
                v
            }
            None => vec![String::new(); if with_id { 4 } else { 3 }],
        }
    }

    /// Rows of practice_assignments.csv: every practice that has a care manager or is high
    /// volume, in rank order. `hcbs` is [`Snapshot::hcbs_members`].
    pub fn practice_rows(&self, hcbs: &[u32]) -> Vec<Vec<String>> {
        self.analysis
            .ranked
            .iter()
            .filter(|r| {
                r.duals_seen >= self.threshold || self.plan.slots[r.practice as usize].iter().any(Option::is_some)
            })
            .map(|r| {
                let p = &self.ds.roster.practices[r.practice as usize];
                let [a, b] = self.plan.slots[r.practice as usize];
                let mut row = vec![
                    r.rank.to_string(),
                    p.id.clone(),
                    p.name.clone(),
                    p.place(),
                    p.phone.clone(),
                    r.duals_seen.to_string(),
                    hcbs[r.practice as usize].to_string(),
                ];
                row.extend(self.cm_cells(a, true));
                row.extend(self.cm_cells(b, true));
                row
            })
            .collect()
    }

    /// Rows of member_assignments.csv, one per HCBS member.
    pub fn member_rows(&self) -> Vec<Vec<String>> {
        let cm_id = |c: Option<u32>| c.map(|c| self.ds.care_managers[c as usize].id.clone());
        let cm = |c: Option<u32>| c.map(|c| &self.ds.care_managers[c as usize]);
        self.ds
            .assessments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mm = &self.analysis.members[i];
                let practice = self.ctx.practice_of(self.plan, i as u32);
                let decision = self.plan.review.get(&(i as u32)).copied();
                let source = mm.decided(decision).1.as_str();
                let changed = self.now.assigned[i] != self.start.assigned[i];
                // A member who keeps a care manager unknown to care_managers.csv keeps the id.
                let new_cm = cm_id(self.now.assigned[i])
                    .unwrap_or_else(|| if changed { String::new() } else { a.care_manager_id.to_string() });
                let practice = practice.map(|p| &self.ds.roster.practices[p as usize]);
                // Names of care managers unknown to care_managers.csv are blank: only the id is known.
                let (previous, new) = (cm(self.ctx.current[i]), cm(self.now.assigned[i]));
                vec![
                    a.member_id.clone(),
                    practice.map(|p| p.id.clone()).unwrap_or_default(),
                    source.to_string(),
                    a.care_manager_id.to_string(),
                    new_cm,
                    yes_no(changed).to_string(),
                    a.acuity.as_str().to_string(),
                    a.waiver.to_string(),
                    a.county.to_string(),
                    a.medicare_plan.to_string(),
                    practice.map(|p| p.name.clone()).unwrap_or_default(),
                    previous.map(|c| c.name.clone()).unwrap_or_default(),
                    new.map(|c| c.name.clone()).unwrap_or_default(),
                    new.map(|c| c.supervisor.clone()).unwrap_or_default(),
                    yes_no(self.now.overflow[i]).to_string(),
                    yes_no(mm.needs_review(decision)).to_string(),
                ]
            })
            .collect()
    }

    /// Rows of caseloads.csv, one per care manager in file order.
    pub fn caseload_rows(&self) -> Vec<Vec<String>> {
        let moves = self.now.moves(self.start);
        self.ds
            .care_managers
            .iter()
            .enumerate()
            .map(|(c, cm)| {
                let practices: Vec<&crate::ingest::Practice> =
                    self.plan.practices_of(c as u32).iter().map(|&p| &self.ds.roster.practices[p as usize]).collect();
                let join = |f: fn(&crate::ingest::Practice) -> &str| {
                    practices.iter().map(|p| f(p)).collect::<Vec<_>>().join(";")
                };
                let members = self.now.count[c];
                vec![
                    cm.id.clone(),
                    cm.name.clone(),
                    cm.supervisor.clone(),
                    cm.capacity.to_string(),
                    members.to_string(),
                    decimal(self.now.load[c]),
                    moves[c].members_in.to_string(),
                    moves[c].members_out.to_string(),
                    join(|p| &p.id),
                    utilization(members, cm.capacity).map(decimal).unwrap_or_default(),
                    yes_no(members > cm.capacity).to_string(),
                    join(|p| &p.name),
                ]
            })
            .collect()
    }

    /// Rows of outreach.csv, one per assigned practice in rank order. `hcbs` is
    /// [`Snapshot::hcbs_members`].
    pub fn outreach_rows(&self, hcbs: &[u32]) -> Vec<Vec<String>> {
        self.analysis
            .ranked
            .iter()
            .filter(|r| self.plan.slots[r.practice as usize].iter().any(Option::is_some))
            .map(|r| {
                let p = &self.ds.roster.practices[r.practice as usize];
                let [a, b] = self.plan.slots[r.practice as usize];
                let mut row = vec![
                    p.id.clone(),
                    p.name.clone(),
                    p.phone.clone(),
                    p.place(),
                    hcbs[r.practice as usize].to_string(),
                ];
                row.extend(self.cm_cells(a, false));
                row.extend(self.cm_cells(b, false));
                // One contact per system: the system its sites share (blank for a lone practice).
                let system = self.ds.systems.of(r.practice);
                row.push(system.map(|s| s.id.clone()).unwrap_or_default());
                row.push(system.map(|s| s.name.clone()).unwrap_or_default());
                row
            })
            .collect()
    }

    /// Writes the five outputs into `out_dir` (created if needed) as one set: all are
    /// replaced or none. The set they replace is kept in `out_dir/previous/`.
    pub fn write_all(&self, out_dir: &Path) -> Result<Exported, WriteError> {
        if out_dir.exists() && !out_dir.is_dir() {
            return Err(WriteError::NotADir(out_dir.to_path_buf()));
        }
        fs::create_dir_all(out_dir).map_err(|cause| WriteError::Io {
            path: out_dir.to_path_buf(),
            cause,
            others: Vec::new(),
        })?;
        let hcbs = self.hcbs_members();
        let coverage = coverage::coverage(self).rows.iter().map(|r| r.cells()).collect();
        let files: [Output; 5] = [
            ("practice_assignments.csv", PRACTICE_COLUMNS, self.practice_rows(&hcbs)),
            ("member_assignments.csv", MEMBER_COLUMNS, self.member_rows()),
            ("caseloads.csv", CASELOAD_COLUMNS, self.caseload_rows()),
            ("outreach.csv", OUTREACH_COLUMNS, self.outreach_rows(&hcbs)),
            ("coverage.csv", coverage::COLUMNS, coverage),
        ];
        write_set(out_dir, &self.ds.dir, files)
    }
}

/// Folder of the data directory that the TUI exports into.
pub const EXPORTS_DIR: &str = "exports";

/// The data directory's exports folder, created if missing; refused when it is a symbolic
/// link or not a directory (a planted `exports -> /etc` must not receive files). A folder
/// the user names (`carealign export --out-dir`) needs no such check.
pub fn exports_dir(data_dir: &Path) -> Result<PathBuf, WriteError> {
    io::write::real_dir(&data_dir.join(EXPORTS_DIR))
}

/// Where an export went, for telling the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The directory, absolute.
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Where the set that was replaced now is, if there was one.
    pub previous: Option<PathBuf>,
}

impl Exported {
    /// "wrote 4 files to /abs/exports (the previous set is in /abs/exports/previous)".
    pub fn summary(&self) -> String {
        let mut s = format!("wrote {} files to {}", self.files.len(), self.dir.display());
        if let Some(p) = &self.previous {
            s.push_str(&format!(" (the previous set is in {})", p.display()));
        }
        s
    }
}

/// Writes `files` into `out_dir` all or none, keeping the ones they replace in `previous/`
/// once the new set is written in full (a failed export leaves `previous/` as it was); never
/// over a file of the data directory `data_dir`.
fn write_set(out_dir: &Path, data_dir: &Path, files: [Output; 5]) -> Result<Exported, WriteError> {
    let dir = fs::canonicalize(out_dir).map_err(|cause| WriteError::Io {
        path: out_dir.to_path_buf(),
        cause,
        others: Vec::new(),
    })?;
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    let contents: Vec<(PathBuf, Vec<u8>)> =
        files.into_iter().map(|(name, columns, rows)| (dir.join(name), io::csv_bytes(columns, rows))).collect();
    let protected = crate::plan::file::protected_files(data_dir);
    // Refuse before touching previous/ when a target may not be replaced.
    for (p, _) in &contents {
        io::write::check_target(p, &protected)?;
    }
    let previous = io::write::write_set_then(&contents, &protected, || io::write::keep_previous(&dir, &names))?;
    Ok(Exported { dir, files: contents.into_iter().map(|(p, _)| p).collect(), previous })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_exports_folder_is_never_a_planted_link() {
        let data = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), data.path().join(EXPORTS_DIR)).unwrap();
        assert!(matches!(exports_dir(data.path()), Err(WriteError::LinkedDir(_))));
        fs::remove_file(data.path().join(EXPORTS_DIR)).unwrap();
        let made = exports_dir(data.path()).unwrap();
        assert_eq!(made, fs::canonicalize(data.path().join(EXPORTS_DIR)).unwrap());
    }

    #[test]
    fn load_text_trims() {
        assert_eq!(load_text(12.5), "12.5");
        assert_eq!(load_text(40.0), "40");
        assert_eq!(load_text(1.0 / 3.0), "0.33");
    }

    #[test]
    fn numbers_one_way() {
        assert_eq!(decimal(12.5), "12.50");
        assert_eq!(decimal(1.0 / 3.0), "0.33");
        assert_eq!(utilization(0, 0).map(decimal).as_deref(), Some("0.00"));
        assert_eq!(utilization(3, 0), None, "members with no capacity: no finite ratio");
        assert_eq!(utilization(30, 25).map(decimal).as_deref(), Some("1.20"));
    }
}

//! Writing CSV outputs safely: atomically (temp file in the same directory, fsync, rename),
//! never over an input file, with cells guarded against spreadsheet formula injection.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::ingest::FileKind;

/// Prefixes a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// with `'`, as SPEC requires.
pub fn guard_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}: refusing to write over an input file")]
    WouldOverwriteInput(PathBuf),
    #[error("{path}: cannot be written: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// True when `path` names one of the input files of `dir` (or carealign.toml).
pub fn is_input_file(dir: &Path, path: &Path) -> bool {
    let Ok(target) = absolute(path) else { return false };
    let mut inputs: Vec<PathBuf> = FileKind::ALL.iter().map(|k| dir.join(k.file_name())).collect();
    inputs.push(dir.join(crate::config::CONFIG_FILE));
    inputs.iter().any(|i| absolute(i).is_ok_and(|i| i == target))
}

/// Absolute form of a path whose file may not exist yet (its directory must).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(_) => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let name = path.file_name().ok_or_else(|| io::Error::other("no file name"))?;
            Ok(fs::canonicalize(parent)?.join(name))
        }
    }
}

/// Renders rows as CSV bytes, every cell guarded against formula injection.
pub fn csv_bytes<I, R, S>(header: &[&str], rows: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory write");
    for row in rows {
        w.write_record(row.into_iter().map(|c| guard_cell(c.as_ref()).into_owned())).expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

/// Writes rows as CSV to `path` atomically, never over an input file of `dir`. The file is
/// created readable by its owner only (it may hold health information).
pub fn write_csv<I, R, S>(dir: &Path, path: &Path, header: &[&str], rows: I) -> Result<(), WriteError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    if is_input_file(dir, path) {
        return Err(WriteError::WouldOverwriteInput(path.to_path_buf()));
    }
    write_atomic(path, &csv_bytes(header, rows))
}

/// Replaces `path` with `bytes` so that a reader sees the old file or the new one, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let err = |source| WriteError::Io { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| err(io::Error::other("no file name")))?;
    let tmp = dir.join(format!(".{}.tmp{}", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable (best effort: not every platform opens directories).
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// One output file: name, columns, rows.
type Output<'c> = (&'static str, &'c [&'c str], Vec<Vec<String>>);

/// Everything the four outputs are made from: the data, the matches and a plan with its
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
];

/// Columns of outreach.csv: the "who to contact" list a practice needs in hand.
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
];

/// A weighted load as text: up to two decimals, no trailing zeros (12.5, 40).
pub fn load_text(load: f64) -> String {
    let s = format!("{load:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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
                    .unwrap_or_else(|| if changed { String::new() } else { a.care_manager_id.clone() });
                vec![
                    a.member_id.clone(),
                    practice.map(|p| self.ds.roster.practices[p as usize].id.clone()).unwrap_or_default(),
                    source.to_string(),
                    a.care_manager_id.clone(),
                    new_cm,
                    if changed { "Y" } else { "N" }.to_string(),
                    a.acuity.as_str().to_string(),
                    a.waiver.clone(),
                    a.county.clone(),
                    a.medicare_plan.clone(),
                    if mm.needs_review(decision) { "Y" } else { "N" }.to_string(),
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
                let practices: Vec<String> = self
                    .plan
                    .practices_of(c as u32)
                    .iter()
                    .map(|&p| self.ds.roster.practices[p as usize].id.clone())
                    .collect();
                vec![
                    cm.id.clone(),
                    cm.name.clone(),
                    cm.supervisor.clone(),
                    cm.capacity.to_string(),
                    self.now.count[c].to_string(),
                    load_text(self.now.load[c]),
                    moves[c].members_in.to_string(),
                    moves[c].members_out.to_string(),
                    practices.join(";"),
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
                row
            })
            .collect()
    }

    /// Writes the four outputs into `out_dir` (created if needed); returns their paths.
    pub fn write_all(&self, out_dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
        fs::create_dir_all(out_dir).map_err(|source| WriteError::Io { path: out_dir.to_path_buf(), source })?;
        let hcbs = self.hcbs_members();
        let files: [Output; 4] = [
            ("practice_assignments.csv", PRACTICE_COLUMNS, self.practice_rows(&hcbs)),
            ("member_assignments.csv", MEMBER_COLUMNS, self.member_rows()),
            ("caseloads.csv", CASELOAD_COLUMNS, self.caseload_rows()),
            ("outreach.csv", OUTREACH_COLUMNS, self.outreach_rows(&hcbs)),
        ];
        let mut written = Vec::new();
        for (name, columns, rows) in files {
            let path = out_dir.join(name);
            write_csv(&self.ds.dir, &path, columns, rows)?;
            written.push(path);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formulas() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard_cell(bad), format!("'{bad}"));
        }
        assert_eq!(guard_cell("Riverside"), "Riverside");
        assert_eq!(guard_cell(""), "");
    }

    #[test]
    fn atomic_write_and_input_guard() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        write_csv(dir.path(), &out, &["a", "b"], [["=cmd", "x,y"]]).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "a,b\n'=cmd,\"x,y\"\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        }
        fs::write(dir.path().join("claims.csv"), "x").unwrap();
        assert!(is_input_file(dir.path(), &dir.path().join("claims.csv")));
        assert!(is_input_file(dir.path(), &dir.path().join("./carealign.toml")));
        assert!(!is_input_file(dir.path(), &out));
        let err = write_csv(dir.path(), &dir.path().join("claims.csv"), &["a"], [["b"]]).unwrap_err();
        assert!(matches!(err, WriteError::WouldOverwriteInput(_)));
        assert_eq!(fs::read_to_string(dir.path().join("claims.csv")).unwrap(), "x");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temp file left");
    }
}

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
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
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

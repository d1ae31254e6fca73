//! Writing files so that nothing else is harmed: a reader sees the old file or the new one,
//! never half; a temp file is created exclusively under an unpredictable name (a planted
//! symlink cannot redirect it); a set of files is replaced together or not at all; inputs,
//! saved plans, directories and devices are never replaced.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::os_reason;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: refusing to write over an input file or the saved plan", .0.display())]
    Protected(PathBuf),
    #[error("{}: is a directory or a device, not a file; refusing to replace it", .0.display())]
    NotAFile(PathBuf),
    #[error("{}: is a symbolic link; exports are written only into a real directory", .0.display())]
    LinkedDir(PathBuf),
    #[error("{}: is a file, not a directory; name a directory for the exports", .0.display())]
    NotADir(PathBuf),
    // The OS error is `cause`, not `source`: the message already says it, and a source would
    // make `{:#}` print it a second time.
    #[error("{}: cannot be written: {}{}", .path.display(), os_reason(.cause), unchanged(.others))]
    Io { path: PathBuf, cause: io::Error, others: Vec<PathBuf> },
    #[error("{}: cannot be written: {}; written anyway: {}", .failed.display(), os_reason(.cause), names(.written))]
    Partial { failed: PathBuf, cause: io::Error, written: Vec<PathBuf> },
}

fn unchanged(others: &[PathBuf]) -> String {
    if others.is_empty() { String::new() } else { format!("; nothing written ({} unchanged)", names(others)) }
}

fn names(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Temp files of this program start with this, so a later run can find ones a killed run
/// left behind.
const TEMP_PREFIX: &str = ".carealign-";
const TEMP_SUFFIX: &str = ".tmp";

/// A fresh temp file in `dir`, created exclusively (O_EXCL: never through an existing name or
/// link) with a random name that carries our process id, readable by the owner only.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id()));
    let mut b = tempfile::Builder::new();
    b.prefix(prefix.as_str()).suffix(TEMP_SUFFIX).rand_bytes(10);
    b
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Absolute form of a path whose file may not exist yet (its directory must).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    match fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(_) => {
            let name = path.file_name().ok_or_else(|| io::Error::other("no file name"))?;
            Ok(fs::canonicalize(parent_of(path))?.join(name))
        }
    }
}

/// True when `path` names (through any links) one of the `protected` files, existing or not.
pub fn is_protected(path: &Path, protected: &[PathBuf]) -> bool {
    let Ok(target) = absolute(path) else { return false };
    protected.iter().any(|p| absolute(p).is_ok_and(|p| p == target))
}

/// Replaces `path` with `bytes` atomically (see [`write_set`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_set(&[(path.to_path_buf(), bytes)], &[])
}

/// Where a single output went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Stdout,
    /// A device or FIFO, written in place.
    InPlace(PathBuf),
    /// A regular file, replaced atomically.
    Replaced(PathBuf),
}

/// Writes one output the user named: `-` is standard output; a device or FIFO (or anything
/// under /dev or /proc, such as /dev/stdout) is written in place, never replaced; any other
/// path is replaced atomically unless it is one of `protected`.
pub fn write_output(path: &Path, bytes: &[u8], protected: &[PathBuf]) -> Result<Written, WriteError> {
    let err = |cause| WriteError::Io { path: path.to_path_buf(), cause, others: Vec::new() };
    if path == Path::new("-") {
        let mut stdout = io::stdout().lock();
        return match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
            // A closed pipe (`| head`) is not an error worth reporting.
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(err(e)),
            _ => Ok(Written::Stdout),
        };
    }
    if is_protected(path, protected) {
        return Err(WriteError::Protected(path.to_path_buf()));
    }
    let meta = fs::metadata(path).ok();
    let special = meta.as_ref().is_some_and(|m| is_stream(&m.file_type()))
        || path.starts_with("/dev/")
        || path.starts_with("/proc/");
    if special {
        let regular = meta.as_ref().is_some_and(fs::Metadata::is_file);
        let mut f = fs::OpenOptions::new().write(true).truncate(regular).open(path).map_err(err)?;
        f.write_all(bytes).and_then(|_| f.flush()).map_err(err)?;
        return Ok(Written::InPlace(path.to_path_buf()));
    }
    write_set(&[(path.to_path_buf(), bytes)], &[])?;
    Ok(Written::Replaced(path.to_path_buf()))
}

/// A character device or a FIFO: something written to, never replaced.
fn is_stream(t: &fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        t.is_char_device() || t.is_fifo()
    }
    #[cfg(not(unix))]
    {
        !t.is_file() && !t.is_dir()
    }
}

/// Checks that `path` may be replaced (see [`replaceable`]), for callers that must know
/// before they change anything else.
pub fn check_target(path: &Path, protected: &[PathBuf]) -> Result<(), WriteError> {
    replaceable(path, protected).map(|_| ())
}

/// Checks that `path` may be replaced: absent, a regular file or a symlink (the link itself
/// is replaced, never what it points to). Returns whether it exists.
fn replaceable(path: &Path, protected: &[PathBuf]) -> Result<bool, WriteError> {
    if is_protected(path, protected) {
        return Err(WriteError::Protected(path.to_path_buf()));
    }
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(cause) => Err(WriteError::Io { path: path.to_path_buf(), cause, others: Vec::new() }),
        Ok(m) if m.is_file() || m.file_type().is_symlink() => Ok(true),
        Ok(_) => Err(WriteError::NotAFile(path.to_path_buf())),
    }
}

/// One file of a set on its way in: the new content in a temp file, and a hard link to the
/// old content to put back if a later file of the set fails.
struct Staged<'a> {
    path: &'a Path,
    temp: Option<NamedTempFile>,
    backup: Option<NamedTempFile<()>>,
    existed: bool,
}

/// Replaces every file of `files` with its bytes, all or nothing: every new content is
/// written and synced to a temp file beside its target first (a full disk fails here and
/// changes nothing), then each is renamed over its target. If a rename fails, the files
/// already renamed are put back from hard links to their old content; only when even that
/// fails does the error list what was written. None of `protected` is ever replaced.
pub fn write_set<B: AsRef<[u8]>>(files: &[(PathBuf, B)], protected: &[PathBuf]) -> Result<(), WriteError> {
    write_set_then(files, protected, || Ok(()))
}

/// [`write_set`], running `before_rename` once every file is written in full and before any
/// is renamed into place: what must happen only when the set will be written (keeping the set
/// it replaces) is not done for a set that a full disk stopped half-way.
pub fn write_set_then<B: AsRef<[u8]>, T>(
    files: &[(PathBuf, B)],
    protected: &[PathBuf],
    before_rename: impl FnOnce() -> Result<T, WriteError>,
) -> Result<T, WriteError> {
    let all: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let others = |path: &Path| all.iter().filter(|p| p.as_path() != path).cloned().collect::<Vec<_>>();
    let io_err = |path: &Path, cause| WriteError::Io { path: path.to_path_buf(), cause, others: others(path) };
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let existed = replaceable(path, protected)?;
        let mut temp = temp_builder().tempfile_in(parent_of(path)).map_err(|e| io_err(path, e))?;
        temp.write_all(bytes.as_ref()).and_then(|_| temp.as_file().sync_all()).map_err(|e| io_err(path, e))?;
        // Best effort: without hard links the old content cannot be put back, only reported.
        let backup =
            if existed { temp_builder().make_in(parent_of(path), |p| fs::hard_link(path, p)).ok() } else { None };
        staged.push(Staged { path, temp: Some(temp), backup, existed });
    }
    let done = before_rename()?;
    for i in 0..staged.len() {
        let temp = staged[i].temp.take().expect("staged once");
        let failed = staged[i].path;
        if let Err(e) = temp.persist(failed) {
            return Err(roll_back(&mut staged[..i], failed, e.error, &others));
        }
    }
    let mut dirs: Vec<&Path> = staged.iter().map(|s| parent_of(s.path)).collect();
    dirs.dedup();
    for d in dirs {
        sync_dir(d);
    }
    Ok(done)
}

/// Puts back the files of `done` after `failed` could not be renamed into place.
fn roll_back(
    done: &mut [Staged],
    failed: &Path,
    cause: io::Error,
    others: &dyn Fn(&Path) -> Vec<PathBuf>,
) -> WriteError {
    let mut written = Vec::new();
    for s in done.iter_mut() {
        let restored = match s.backup.take() {
            Some(b) => b.persist(s.path).is_ok(),
            None => !s.existed && fs::remove_file(s.path).is_ok(),
        };
        if !restored {
            written.push(s.path.to_path_buf());
        }
    }
    if written.is_empty() {
        WriteError::Io { path: failed.to_path_buf(), cause, others: others(failed) }
    } else {
        WriteError::Partial { failed: failed.to_path_buf(), cause, written }
    }
}

/// Makes renames in `dir` durable (best effort: not every platform opens directories).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes temp files that an earlier, killed run of this program left in `dir` (those of
/// live processes are kept). Returns what was removed; errors are ignored (a read-only
/// directory has nothing of ours to clean).
pub fn clean_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else { continue };
        // Never follow a link, and never touch a live save (ours or another process's).
        if !e.file_type().is_ok_and(|t| t.is_file()) || process_alive(pid) {
            continue;
        }
        if fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed
}

/// The process id in one of our temp file names.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    rest.split_once('-')?.0.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Makes sure `dir` is a real directory to write into: created if missing (its parent must
/// exist), refused if it is a symbolic link or not a directory. Returns its absolute path,
/// for telling the user where files went.
pub fn real_dir(dir: &Path) -> Result<PathBuf, WriteError> {
    let err = |cause| WriteError::Io { path: dir.to_path_buf(), cause, others: Vec::new() };
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::LinkedDir(dir.to_path_buf())),
        Ok(m) if !m.is_dir() => return Err(WriteError::NotAFile(dir.to_path_buf())),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(dir).map_err(err)?,
        Err(e) => return Err(err(e)),
    }
    fs::canonicalize(dir).map_err(err)
}

/// Keeps the files `names` of `dir` recoverable in `dir/previous/` before they are replaced:
/// each is hard-linked (or copied) there atomically; a name that `dir` lacks is removed from
/// `previous/`, so `previous/` always holds one whole earlier set. Returns the folder when
/// there was anything to keep.
pub fn keep_previous(dir: &Path, names: &[&str]) -> Result<Option<PathBuf>, WriteError> {
    let present: Vec<&str> = names.iter().copied().filter(|n| dir.join(n).is_file()).collect();
    if present.is_empty() {
        return Ok(None);
    }
    let prev = real_dir(&dir.join("previous"))?;
    for name in names {
        let from = dir.join(name);
        let to = prev.join(name);
        let err = |cause| WriteError::Io { path: to.clone(), cause, others: Vec::new() };
        if !present.contains(name) {
            match fs::remove_file(&to) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(e)),
                _ => continue,
            }
        }
        replaceable(&to, &[])?;
        let linked = temp_builder().make_in(&prev, |p| fs::hard_link(&from, p));
        let temp = match linked {
            Ok(t) => t.into_temp_path(),
            Err(_) => {
                let t = temp_builder().tempfile_in(&prev).map_err(err)?;
                fs::copy(&from, t.path()).map_err(err)?;
                t.into_temp_path()
            }
        };
        temp.persist(&to).map_err(|e| err(e.error))?;
    }
    sync_dir(&prev);
    Ok(Some(prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_set_replaces_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        fs::write(&a, "old a").unwrap();
        fs::create_dir(&b).unwrap();
        // b is a directory: refused before anything is written.
        let e = write_set(&[(a.clone(), "new a"), (b.clone(), "new b")], &[]).unwrap_err();
        assert!(matches!(e, WriteError::NotAFile(_)), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a");
        fs::remove_dir(&b).unwrap();
        write_set(&[(a.clone(), "new a"), (b.clone(), "new b")], &[]).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(listing(dir.path()), ["a.csv", "b.csv"], "no temp or backup file left");
    }

    #[test]
    fn a_failed_rename_puts_back_the_files_already_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        fs::write(&a, "old a").unwrap();
        let mut staged = vec![Staged { path: &a, temp: None, backup: None, existed: true }];
        staged[0].backup = Some(temp_builder().make_in(dir.path(), |p| fs::hard_link(&a, p)).unwrap());
        fs::write(dir.path().join("x"), "").unwrap();
        fs::rename(dir.path().join("x"), &a).unwrap(); // "renamed": a now holds new content
        let e = roll_back(&mut staged, Path::new("b.csv"), io::Error::other("disk full"), &|_| vec![a.clone()]);
        assert!(e.to_string().contains("nothing written"), "{e}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a");
    }

    #[test]
    fn temp_names_are_unpredictable_and_stale_ones_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let t1 = temp_builder().tempfile_in(dir.path()).unwrap();
        let t2 = temp_builder().tempfile_in(dir.path()).unwrap();
        assert_ne!(t1.path(), t2.path());
        assert_eq!(temp_pid(t1.path().file_name().unwrap().to_str().unwrap()), Some(std::process::id()));
        // A dead process's temp file goes; ours stays; a symlink with the name is not followed.
        let dead = dir.path().join(format!("{TEMP_PREFIX}{}-abc{TEMP_SUFFIX}", i32::MAX));
        fs::write(&dead, "x").unwrap();
        assert_eq!(clean_stale_temps(dir.path()), [dead]);
        assert!(t1.path().exists());
    }

    #[test]
    fn previous_set_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(keep_previous(dir.path(), &["a.csv", "b.csv"]).unwrap(), None);
        fs::write(dir.path().join("a.csv"), "1").unwrap();
        let prev = keep_previous(dir.path(), &["a.csv", "b.csv"]).unwrap().unwrap();
        assert_eq!(fs::read_to_string(prev.join("a.csv")).unwrap(), "1");
        write_atomic(&dir.path().join("a.csv"), b"2").unwrap();
        assert_eq!(fs::read_to_string(prev.join("a.csv")).unwrap(), "1", "a hard link keeps the old inode");
        assert_eq!(listing(&prev), ["a.csv"]);
        #[cfg(unix)]
        {
            let other = tempfile::tempdir().unwrap();
            fs::remove_dir_all(&prev).unwrap();
            std::os::unix::fs::symlink(other.path(), &prev).unwrap();
            assert!(matches!(keep_previous(dir.path(), &["a.csv"]), Err(WriteError::LinkedDir(_))));
            assert!(listing(other.path()).is_empty());
        }
    }
}

//! Opening files to read without being stalled or flooded by what they turn out to be: a FIFO
//! blocks `open` until someone writes to it, and `/dev/zero` never ends. Only regular files
//! are read, and the small files are read whole only below a size cap.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: {}", .0.display(), self.reason())]
    NotRegular(PathBuf),
    #[error("{}: {}", .path.display(), self.reason())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: {}", .path.display(), self.reason())]
    /// `cause`, not `source`: the message already says it (see `WriteError`).
    Io { path: PathBuf, cause: io::Error },
}

impl ReadError {
    /// The message without the path, for callers that name the file themselves.
    pub fn reason(&self) -> String {
        match self {
            ReadError::NotRegular(_) => {
                "is not a regular file (a FIFO, device or directory?); refusing to read it".into()
            }
            ReadError::TooLarge { limit, .. } => format!("is larger than {} MB; refusing to read it", limit >> 20),
            ReadError::Io { cause, .. } => format!("cannot be read: {}", crate::io::os_reason(cause)),
        }
    }

    /// True when the file does not exist (callers often treat that as "nothing saved yet").
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { cause, .. } if cause.kind() == io::ErrorKind::NotFound)
    }
}

/// Opens `path` for reading only if it is a regular file (after following symlinks). The
/// open itself does not wait: on Unix it is non-blocking, so a FIFO with no writer is
/// refused at once instead of hanging the caller.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let io_err = |cause| ReadError::Io { path: path.to_path_buf(), cause };
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(io_err)?;
    if !file.metadata().map_err(io_err)?.is_file() {
        return Err(ReadError::NotRegular(path.to_path_buf()));
    }
    #[cfg(unix)]
    clear_nonblocking(&file).map_err(io_err)?;
    Ok(file)
}

/// Regular files ignore O_NONBLOCK on Linux, but not every Unix promises that: reads go
/// back to blocking mode.
#[cfg(unix)]
fn clear_nonblocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor we own; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Reads a whole regular file of at most `limit` bytes; `Ok(None)` when it does not exist.
/// The cap holds even if the file grows while it is read.
pub fn read_capped(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let file = match open_regular(path) {
        Ok(f) => f,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let too_large = || ReadError::TooLarge { path: path.to_path_buf(), limit };
    let len = file.metadata().map_err(|cause| ReadError::Io { path: path.to_path_buf(), cause })?.len();
    if len > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|cause| ReadError::Io { path: path.to_path_buf(), cause })?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_only_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.csv");
        std::fs::write(&f, "12345").unwrap();
        assert_eq!(read_capped(&f, 5).unwrap().unwrap(), b"12345");
        assert!(matches!(read_capped(&f, 4), Err(ReadError::TooLarge { .. })));
        assert!(read_capped(&dir.path().join("none"), 4).unwrap().is_none());
        assert!(matches!(read_capped(dir.path(), 4), Err(ReadError::NotRegular(_))));
        #[cfg(unix)]
        {
            assert!(matches!(read_capped(Path::new("/dev/zero"), 4), Err(ReadError::NotRegular(_))));
            let fifo = dir.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            // Would block forever without O_NONBLOCK.
            assert!(matches!(open_regular(&fifo), Err(ReadError::NotRegular(_))));
        }
    }
}

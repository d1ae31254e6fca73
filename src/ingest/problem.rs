//! Problems found in input files: fatal ones ([`DataError`]) and per-row ones ([`Problem`]).
//!
//! Every message names the file and, where there is one, the line, so a program manager can
//! open the file and fix it. Messages never quote member ids or free-text answers (PHI).

use std::fmt;

/// A problem that stops loading: a missing file, a missing column, an unreadable header.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DataError {
    pub file: String,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: u64,
    pub message: String,
}

impl DataError {
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        DataError { file: file.into(), line: 0, message: message.into() }
    }

    pub fn at(file: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        DataError { file: file.into(), line, message: message.into() }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// How much a row problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The row was loaded, with the value read as SPEC allows (e.g. Latin-1 text).
    Warning,
    /// The row was skipped (and counted); `--strict` makes it fatal.
    Error,
}

/// One problem with one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: &'static str,
    pub line: u64,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Warning => "warning: ",
            Severity::Error => "",
        };
        write!(f, "{}:{}: {}{}", self.file, self.line, tag, self.message)
    }
}

impl Problem {
    /// The error `--strict` stops with.
    pub fn strict_error(&self) -> DataError {
        DataError::at(self.file, self.line, format!("{} (--strict stops at the first bad row)", self.message))
    }
}

/// Something about a whole file that the user should know although it loaded, such as a roster
/// without practice names. Shown by `check`, on `rank`'s stderr and on the TUI's loading screen.
#[derive(Debug, Clone, PartialEq)]
pub struct FileWarning {
    pub file: &'static str,
    pub message: String,
}

impl fmt::Display for FileWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.file, self.message)
    }
}

/// Row problems of a load, kept in full up to [`Problems::KEEP`] and counted beyond.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
    pub errors: u64,
    pub warnings: u64,
    /// The first error pushed, kept even when the list is full of warnings (for `--strict`).
    first_error: Option<Problem>,
    /// Whole-file warnings, in the order the files were read.
    pub file_warnings: Vec<FileWarning>,
}

impl Problems {
    /// How many problems are kept with their text; a file with millions of bad rows is
    /// summarized by the counts rather than filling memory.
    pub const KEEP: usize = 100_000;

    pub fn push(&mut self, p: Problem) {
        match p.severity {
            Severity::Error => {
                self.errors += 1;
                if self.first_error.is_none() {
                    self.first_error = Some(p.clone());
                }
            }
            Severity::Warning => self.warnings += 1,
        }
        if self.list.len() < Self::KEEP {
            self.list.push(p);
        }
    }

    pub fn error(&mut self, file: &'static str, line: u64, message: String) {
        self.push(Problem { file, line, severity: Severity::Error, message });
    }

    pub fn warning(&mut self, file: &'static str, line: u64, message: String) {
        self.push(Problem { file, line, severity: Severity::Warning, message });
    }

    /// Adds another set (e.g. a worker's), keeping order of arrival.
    pub fn extend(&mut self, other: Problems) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.file_warnings.extend(other.file_warnings);
        let room = Self::KEEP.saturating_sub(self.list.len());
        self.list.extend(other.list.into_iter().take(room));
    }

    /// The same problems with `by` added to every line: a block's problems, numbered from the
    /// block's start, placed in the file.
    pub fn shifted(mut self, by: u64) -> Problems {
        for p in self.list.iter_mut().chain(self.first_error.as_mut()) {
            p.line += by;
        }
        self
    }

    pub fn file_warning(&mut self, file: &'static str, message: String) {
        self.file_warnings.push(FileWarning { file, message });
    }

    /// Problems not kept with their text.
    pub fn untold(&self) -> u64 {
        (self.errors + self.warnings).saturating_sub(self.list.len() as u64)
    }

    /// The first error pushed, for `--strict` (found even after [`Problems::KEEP`] warnings).
    pub fn first_error(&self) -> Option<&Problem> {
        self.first_error.as_ref()
    }
}

/// Why one row (or one of its fields) is bad: the sentence reported with the file and line.
/// Row checks return it instead of reporting it, so their caller decides what it costs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RowError(pub String);

//! Files and terminals at the edge of the program, handled safely in one place: reading only
//! regular files within size caps ([`read`]), writing atomically and never over what must
//! not be replaced ([`write`]), CSV cells guarded against formula injection, and data text
//! made harmless before it reaches a terminal ([`terminal`]). Nothing here knows the data
//! model, so every layer can use it.

pub mod mapped;
pub mod read;
pub mod terminal;
pub mod write;

use std::borrow::Cow;

pub use read::{ReadError, open_regular, read_capped};
pub use terminal::{for_terminal, lines_for_terminal};
pub use write::{WriteError, Written, clean_stale_temps, is_protected, write_atomic, write_output, write_set};

/// Longest single CSV record read, in bytes: far beyond any real row, short enough that a
/// file without line breaks (or /dev/zero behind a link) is refused instead of filling memory.
pub const MAX_RECORD: usize = 1 << 20;

/// An OS error's reason without the "(os error N)" suffix, so messages say it once.
pub fn os_reason(e: &std::io::Error) -> String {
    // tempfile wraps the OS error with the temp file's name ("… at path …/.carealign-….tmp"):
    // the kind is what the user needs, the temp name is noise.
    let s = e.to_string();
    let s = s.split(" at path ").next().unwrap_or(&s);
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Prefixes a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// with `'`, as SPEC requires.
pub fn guard_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
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
        assert_eq!(csv_bytes(&["a", "b"], [["=cmd", "x,y"]]), b"a,b\n'=cmd,\"x,y\"\n");
    }

    #[test]
    fn os_reason_said_once() {
        let e = std::io::Error::from_raw_os_error(21);
        assert!(!os_reason(&e).contains("os error"));
    }
}

//! Big input files read through a memory map: the parsing threads read the page cache
//! directly, where `read` had the kernel copy every byte into our buffers first (that copy,
//! `_copy_to_iter`, was 7.5% of a 19M-line `rank`'s CPU, on the reading thread).
//!
//! A mapped file that another program shortens while it is read raises SIGBUS on the pages
//! that are gone, which would kill the process without a word. [`guard`] installs a handler
//! that gives back the terminal (when the TUI has it), says in one sentence what happened,
//! and exits with status 1. Nothing is written by a load, so nothing is left half-written.

use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};

pub use memmap2::Mmap;

/// Files smaller than this are read, not mapped: mapping costs a system call and page
/// faults, which only pay off over many blocks.
pub const MIN_MAPPED: u64 = 8 << 20;

/// Maps `file` (read-only) for a front-to-back read, or `None` where the system will not.
pub fn map(file: &File) -> Option<Mmap> {
    // SAFETY: the map is only ever read. Another program changing the file while it is
    // mapped changes what is read (as it would with `read`); one shortening it raises SIGBUS,
    // which `guard` turns into a clear message and exit.
    let map = unsafe { Mmap::map(file) }.ok()?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// Takes the whole pages of `range` out of the process's memory once they have been read.
/// They stay in the page cache; touched again, they are mapped again from it.
pub fn release(map: &Mmap, range: std::ops::Range<usize>) {
    #[cfg(unix)]
    {
        const PAGE: usize = 4096;
        let base = map.as_ptr() as usize;
        let start = (base + range.start).next_multiple_of(PAGE) - base;
        let end = ((base + range.end) / PAGE * PAGE).saturating_sub(base);
        if start < end {
            // SAFETY: for a read-only shared file mapping, MADV_DONTNEED only drops the
            // mapping's pages: a later read maps the same bytes again from the file, so no
            // reference into the map ever sees different data (a private or anonymous
            // mapping would read zeros instead, which is why the advice is "unchecked").
            let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start) };
        }
    }
    #[cfg(not(unix))]
    let _ = (map, range);
}

/// Set while the TUI holds the terminal (raw mode, alternate screen).
static TUI_ACTIVE: AtomicBool = AtomicBool::new(false);

/// The TUI says when it takes and gives back the terminal, so the SIGBUS handler knows
/// whether to restore it.
pub fn tui_active(active: bool) {
    TUI_ACTIVE.store(active, Ordering::SeqCst);
}

#[cfg(unix)]
mod sigbus {
    use std::sync::OnceLock;
    use std::sync::atomic::Ordering;

    /// The terminal's settings before the TUI changed them (when standard input is one).
    static COOKED: OnceLock<libc::termios> = OnceLock::new();

    const MESSAGE: &[u8] = b"\nerror: an input file became shorter while it was being read (another program changed it); nothing was written. Run again once the file is complete.\n";

    extern "C" fn on_sigbus(_: libc::c_int) {
        // Only async-signal-safe calls here: tcsetattr, write, _exit.
        // SAFETY: the pointers are to statics and constants that live for the whole program.
        unsafe {
            if super::TUI_ACTIVE.load(Ordering::SeqCst) {
                if let Some(t) = COOKED.get() {
                    libc::tcsetattr(0, libc::TCSANOW, t);
                }
                let restore = b"\x1b[?1049l\x1b[?25h";
                libc::write(1, restore.as_ptr().cast(), restore.len());
            }
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(1);
        }
    }

    pub fn install() {
        // SAFETY: tcgetattr fills a plain struct; sigaction installs a handler that only makes
        // async-signal-safe calls; both are given valid pointers.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::isatty(0) == 1 && libc::tcgetattr(0, &mut t) == 0 {
                let _ = COOKED.set(t);
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    }
}

/// Installs the SIGBUS handler (see the module's documentation). Call once, early in `main`,
/// before the TUI changes the terminal.
pub fn guard() {
    #[cfg(unix)]
    sigbus::install();
}

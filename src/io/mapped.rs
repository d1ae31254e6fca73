//! Big input files read through a memory map: the parsing threads read the page cache
//! directly, where `read` had the kernel copy every byte into our buffers first (that copy,
//! `_copy_to_iter`, was 7.5% of a 19M-line `rank`'s CPU, on the reading thread).
//!
//! A mapped file that another program shortens while it is read raises SIGBUS on the pages
//! that are gone (as does a disk error under a mapped page), which would kill the process
//! without a word. [`guard`] installs a handler that, for a fault inside one of our maps,
//! gives back the terminal (when the TUI has it), says in one sentence what happened, and
//! exits with status 1; any other SIGBUS goes to the handler that was there before (Rust's
//! own). Nothing is written by a load, so nothing is left half-written.

use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Files smaller than this are read, not mapped: mapping costs a system call and page
/// faults, which only pay off over many blocks.
pub const MIN_MAPPED: u64 = 8 << 20;

/// A read-only map of a whole file, known to the SIGBUS handler while it lives.
pub struct Mapped {
    map: memmap2::Mmap,
    /// Its place in [`RANGES`], if there was room.
    slot: Option<usize>,
}

impl std::ops::Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.map
    }
}

impl std::fmt::Debug for Mapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mapped({} bytes)", self.map.len())
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            RANGES[slot].1.store(0, Ordering::SeqCst);
            RANGES[slot].0.store(0, Ordering::SeqCst);
        }
    }
}

/// Address ranges (start, end) of the live maps, for the SIGBUS handler to tell our faults
/// from others; a start of 0 is a free slot.
static RANGES: [(AtomicUsize, AtomicUsize); 16] = [const { (AtomicUsize::new(0), AtomicUsize::new(0)) }; 16];

/// Maps `file` (read-only) for a front-to-back read, or `None` where the system will not.
pub fn map(file: &File) -> Option<Mapped> {
    // SAFETY: the map is only ever read, and no `&mut` to it exists. Another program writing
    // the file while it is mapped changes bytes under the parser (formally undefined
    // behaviour for Rust references into the map; in practice text that changes mid-row,
    // which a `read` of a file being rewritten can give too). One shortening it raises
    // SIGBUS, which `guard` turns into a clear message and exit.
    let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    let start = map.as_ptr() as usize;
    let slot = RANGES.iter().position(|r| r.0.compare_exchange(0, start, Ordering::SeqCst, Ordering::SeqCst).is_ok());
    if let Some(slot) = slot {
        RANGES[slot].1.store(start + map.len(), Ordering::SeqCst);
    }
    Some(Mapped { map, slot })
}

/// The system's page size (4 KB where it cannot be asked).
fn page_size() -> usize {
    #[cfg(unix)]
    {
        static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        // SAFETY: sysconf only reads a system constant.
        *PAGE.get_or_init(|| usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096).max(1))
    }
    #[cfg(not(unix))]
    4096
}

/// Takes the whole pages of `range` out of the process's memory once they have been read.
/// They stay in the page cache; touched again, they are mapped again from it.
pub fn release(map: &Mapped, range: std::ops::Range<usize>) {
    #[cfg(unix)]
    {
        let page = page_size();
        let base = map.as_ptr() as usize;
        let start = (base + range.start).next_multiple_of(page) - base;
        let end = ((base + range.end) / page * page).saturating_sub(base);
        if start < end {
            // SAFETY: for a read-only shared file mapping, MADV_DONTNEED only drops the
            // mapping's pages: a later read maps the same bytes again from the file, so no
            // reference into the map ever sees different data (a private or anonymous
            // mapping would read zeros instead, which is why the advice is "unchecked").
            let _ = unsafe { map.map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start) };
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
    /// The SIGBUS action before ours, for faults that are not in our maps.
    static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

    const MESSAGE: &[u8] = b"\nerror: an input file was cut short, or could not be read, while it was being read (another program changed it, or the disk failed); nothing was written. Run again once the file is complete.\n";

    /// The address a SIGBUS is about.
    unsafe fn fault_address(info: *mut libc::siginfo_t) -> usize {
        // SAFETY: `info` is the kernel's siginfo for this signal.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        return unsafe { (*info).si_addr() as usize };
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        return unsafe { (*info).si_addr as usize };
    }

    extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // Only async-signal-safe calls here: atomic loads, sigaction, tcsetattr, write, _exit.
        // SAFETY: the pointers are the kernel's siginfo and statics that live for the whole
        // program.
        unsafe {
            let addr = fault_address(info);
            let ours = super::RANGES.iter().any(|r| {
                let (start, end) = (r.0.load(Ordering::SeqCst), r.1.load(Ordering::SeqCst));
                start != 0 && (start..end).contains(&addr)
            });
            if !ours {
                // Not a map of ours: put the previous action back; returning re-runs the
                // faulting instruction, which raises the signal again for it.
                let default: libc::sigaction = std::mem::zeroed();
                libc::sigaction(libc::SIGBUS, PREVIOUS.get().unwrap_or(&default), std::ptr::null_mut());
                return;
            }
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
        // SAFETY: tcgetattr and sigaction fill plain structs through valid pointers; the
        // handler only makes async-signal-safe calls.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::isatty(0) == 1 && libc::tcgetattr(0, &mut t) == 0 {
                let _ = COOKED.set(t);
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            type Handler = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);
            action.sa_sigaction = on_sigbus as Handler as libc::sighandler_t;
            // On the alternate stack where there is one (Rust sets one up for its own
            // stack-overflow handler, which still gets the faults that are not ours).
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0 {
                let _ = PREVIOUS.set(previous);
            }
        }
    }
}

/// Installs the SIGBUS handler (see the module's documentation). Call once, early in `main`,
/// before the TUI changes the terminal.
pub fn guard() {
    #[cfg(unix)]
    sigbus::install();
}

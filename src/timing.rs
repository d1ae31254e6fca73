//! Stage timings on standard error when `CAREALIGN_TIMINGS` is set: where a long load spends
//! its time, measured on the user's own data and machine (the README's performance figures
//! were broken down with it). Only stage names and seconds are printed, never data.

use std::sync::OnceLock;
use std::time::Instant;

/// When timing started (the first mark), if timings are wanted.
static START: OnceLock<Option<Instant>> = OnceLock::new();

fn start() -> Option<Instant> {
    *START.get_or_init(|| std::env::var_os("CAREALIGN_TIMINGS").map(|_| Instant::now()))
}

/// No timings from here on: the TUI owns the terminal, and lines on standard error would
/// scribble over its screen.
pub fn off() {
    let _ = START.set(None);
}

/// Notes that `stage` has ended: prints the seconds since the first mark.
pub fn mark(stage: &str) {
    if let Some(t) = start() {
        eprintln!("timing: {:>7.3} s  {stage}", t.elapsed().as_secs_f64());
    }
}

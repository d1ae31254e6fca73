//! Stage timings on standard error when `CAREALIGN_TIMINGS` is set: where a long load spends
//! its time, measured on the user's own data and machine (the README's performance figures
//! were broken down with it). Only stage names, seconds and the process's memory (resident
//! now and at its peak, from /proc where there is one) are printed, never data.

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

/// Notes that `stage` has ended: prints the seconds since the first mark and the memory.
pub fn mark(stage: &str) {
    if let Some(t) = start() {
        eprintln!("timing: {:>7.3} s {:>9} {:>16}  {stage}", t.elapsed().as_secs_f64(), cpu(), memory());
    }
}

/// "cpu N s": user + system time of the process so far, from /proc/self/stat (in clock
/// ticks, taken as the usual 100 per second).
fn cpu() -> String {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(sys)) => format!("cpu {:.2}", (user + sys) as f64 / 100.0),
        _ => String::new(),
    }
}

/// "RSS now / peak" in MB from /proc/self/status (blank where there is none).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let kb: u64 = line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb / 1024)
    };
    match (mb("VmRSS:"), mb("VmHWM:")) {
        (Some(now), Some(peak)) => format!("{now} / {peak} MB"),
        _ => String::new(),
    }
}

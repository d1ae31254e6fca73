//! Progress of long commands (`rank`, `match`, `check`, `export`) on standard error: the stage
//! and the bytes read, redrawn in place ten times a second, as the TUI's loading screen shows
//! them. Only when standard error is a terminal: piped or redirected output stays clean, and
//! `--quiet` turns it off.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::ingest::Progress;

/// Whether to draw progress: not asked to be quiet, and standard error is a terminal.
pub fn wanted(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// Runs `work` with a [`Progress`] it updates; while it runs, a second thread draws the
/// progress line when `show` is true, and clears it at the end.
pub fn run<T>(show: bool, work: impl FnOnce(&Progress) -> T) -> T {
    let progress = Progress::default();
    if !show {
        return work(&progress);
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let started = Instant::now();
            let mut err = std::io::stderr();
            while !finished.load(Ordering::Relaxed) {
                let _ = write!(err, "\r\x1b[2K{}", line(&progress, started.elapsed()));
                let _ = err.flush();
                // Sleep in short steps so the line is cleared promptly when the work ends.
                let until = Instant::now() + Duration::from_millis(100);
                while Instant::now() < until && !finished.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        });
        let out = work(&progress);
        finished.store(true, Ordering::Relaxed);
        out
    })
}

/// "reading claims.csv: 1,234.5 of 4,567.8 MB (27%), 12 s"
fn line(p: &Progress, elapsed: Duration) -> String {
    let mb = |b: u64| {
        let tenths = b / 100_000;
        format!("{}.{}", crate::fmt::thousands(tenths / 10), tenths % 10)
    };
    let (done, total) = (p.done.load(Ordering::Relaxed), p.total.load(Ordering::Relaxed));
    let bytes = if total > 0 && p.stage.load(Ordering::Relaxed) < Progress::ANALYSING {
        format!(": {} of {} MB ({:.0}%)", mb(done), mb(total), p.fraction() * 100.0)
    } else {
        String::new()
    };
    format!("{}{bytes}, {} s", p.stage_name(), elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_names_stage_and_bytes() {
        let p = Progress::default();
        p.total.store(4_567_800_000, Ordering::Relaxed);
        p.done.store(1_234_560_000, Ordering::Relaxed);
        p.stage.store(2, Ordering::Relaxed);
        assert_eq!(line(&p, Duration::from_secs(12)), "reading claims.csv: 1,234.5 of 4,567.8 MB (27%), 12 s");
        p.stage.store(Progress::ANALYSING, Ordering::Relaxed);
        assert_eq!(line(&p, Duration::from_secs(13)), "matching answers and ranking practices, 13 s");
    }

    #[test]
    fn hidden_work_still_runs() {
        assert_eq!(run(false, |p| p.fraction()), 0.0);
    }
}

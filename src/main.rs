use std::process::ExitCode;

use clap::Parser;

/// mimalloc: faster than the system allocator for millions of small strings. Built without
/// transparent huge pages (`no_thp`): a 2 MB page partly in use is wholly resident, and freed
/// memory was returned only in 2 MB pieces, which added about 30 MB to a 5M-line load's peak.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`, which libmimalloc-sys
/// does not name).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once rather than after mimalloc's delay: a load
/// frees the claims read's working memory just before it builds the HCBS side, and with the
/// delay both were resident together (4.8M lines: 186 MB peak → 98 MB, speed within the
/// machine's noise; measured with `MIMALLOC_PURGE_DELAY`, which still overrides this).
fn purge_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option, before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
}

fn main() -> ExitCode {
    purge_freed_memory_at_once();
    carealign::io::mapped::guard();
    let cli = match carealign::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match carealign::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", carealign::io::for_terminal(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

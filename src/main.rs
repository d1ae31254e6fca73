use std::process::ExitCode;

use clap::Parser;

/// mimalloc: faster than the system allocator for millions of small strings, and it returns
/// freed memory to the system instead of holding it in per-thread arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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

//! The command line: clap subcommands that call the domain core.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::Analysis;
use crate::export;
use crate::fmt::thousands;
use crate::ingest::{self, Dataset, FileKind, LoadOptions, Progress};
use crate::io::{self, for_terminal};
use crate::sample::{self, SampleSpec};
use crate::sql;

/// Rank primary-care practices by the duals they see and align HCBS care-manager caseloads.
#[derive(Debug, Parser)]
#[command(name = "carealign", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Data directory to open in the TUI.
    #[arg(default_value = "sample-data")]
    pub dir: PathBuf,
    /// Stop at the first bad row instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank practices by duals seen and write the ranking as CSV.
    Rank {
        #[command(flatten)]
        input: Input,
        /// Write to FILE instead of standard output (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the first N rows.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// One row per practice, or per health system (health_systems.csv; a practice in no
        /// system is a row of its own).
        #[arg(long, value_enum, default_value_t = RankBy::Practice)]
        by: RankBy,
    },
    /// Match every HCBS member's primary-care answer to a practice and write the result as CSV.
    Match {
        #[command(flatten)]
        input: Input,
        /// Write to FILE instead of standard output (`-`: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write practice_assignments.csv, member_assignments.csv, caseloads.csv, outreach.csv and coverage.csv.
    Export {
        #[command(flatten)]
        input: Input,
        /// Directory to write the five files into (created if needed).
        #[arg(long, value_name = "OUT")]
        out_dir: PathBuf,
        /// The plan to export (default: DIR/plan.csv), with the review.csv and plan.toml beside it.
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        /// Apply auto-suggest first: care managers for the high-volume practices without one.
        #[arg(long)]
        auto: bool,
    },
    /// Validate the input files and print every problem with file:line.
    Check {
        /// Data directory.
        dir: PathBuf,
        /// No progress display on standard error.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print the SQL that reduces a claims table to member_practice (for DuckDB, Spark or
    /// PostgreSQL), to run where the claims live; its CSV export stands in for claims.csv.
    Sql {
        /// The engine to write SQL for.
        #[arg(long, value_enum)]
        dialect: SqlDialect,
        /// The claims table (may be qualified, like taf.other_services).
        #[arg(long, value_name = "TABLE", default_value = "claims")]
        claims: String,
        /// The roster table (own format or the CMS DAC).
        #[arg(long, value_name = "TABLE", default_value = "practices")]
        roster: String,
        /// The claims table's column names, comma-separated (like a CSV header line); matched
        /// with the same aliases as claims.csv (TAF names). Default: the own format.
        #[arg(long, value_name = "NAMES")]
        claims_columns: Option<String>,
        /// The roster table's column names, comma-separated; own format or any DAC style.
        /// Default: the own format.
        #[arg(long, value_name = "NAMES")]
        roster_columns: Option<String>,
        /// carealign.toml with the code lists and [columns] to use (default: the built-in lists).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Write the script to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write synthetic, PHI-free data in the input format (for demos, training, benchmarks).
    Sample {
        /// Directory to write into (created if needed).
        dir: PathBuf,
        /// Members with claims (at most 10,000,000).
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=MAX_MEMBERS))]
        members: u64,
        /// Practices in the roster (at most 1,000,000).
        #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u64).range(1..=MAX_PRACTICES))]
        practices: u64,
        /// Random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Care managers (default: one per 125 members; at most 1,000,000).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_PRACTICES))]
        care_managers: Option<u64>,
        /// Approximate total claim lines (default: about 8 per member; at most 1,000,000,000,
        /// about 80 GB).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=MAX_LINES))]
        lines: Option<u64>,
        /// How to write the claims: one claims.csv, or TAF's claims_header.csv + claims_line.csv.
        #[arg(long, value_enum, default_value_t = ClaimsLayout::Own)]
        headers: ClaimsLayout,
        /// Overwrite input files already in DIR.
        #[arg(long)]
        force: bool,
    },
}

/// Bounds of `sample`: far beyond a national data set, short of exhausting memory or disk.
const MAX_MEMBERS: u64 = 10_000_000;
const MAX_PRACTICES: u64 = 1_000_000;
const MAX_LINES: u64 = 1_000_000_000;

/// The claims files `carealign sample` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimsLayout {
    /// claims.csv with carealign's own headers.
    Own,
    /// claims_header.csv + claims_line.csv, as TAF delivers "other services" claims.
    TafSplit,
}

/// The input files SPEC names; `sample` writes over none of them without `--force`.
const INPUT_FILES: &[&str] = &[
    "claims.csv",
    "claims_header.csv",
    "claims_line.csv",
    "practices.csv",
    "assessments.csv",
    "care_managers.csv",
    "plan.csv",
    "carealign.toml",
    "health_systems.csv",
    "member_practice.csv",
];

/// What `carealign rank` ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RankBy {
    Practice,
    System,
}

/// Engines `carealign sql` writes for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SqlDialect {
    Duckdb,
    Spark,
    Postgres,
}

/// The data directory and how strictly to read it.
#[derive(Debug, Args)]
pub struct Input {
    /// Data directory.
    pub dir: PathBuf,
    /// Stop at the first bad row instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
    /// No progress display on standard error (it is shown only when standard error is a
    /// terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs a parsed command line; errors are printed as one sentence by the caller.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => Ok(crate::tui::run(&cli.dir, LoadOptions { strict: cli.strict })?),
        Some(Command::Rank { input, out, top, by }) => rank(&input, out.as_deref(), top, by),
        Some(Command::Match { input, out }) => match_members(&input, out.as_deref()),
        Some(Command::Check { dir, quiet }) => check(&dir, quiet),
        Some(Command::Export { input, out_dir, plan, auto }) => export_files(&input, &out_dir, plan.as_deref(), auto),
        Some(Command::Sql { dialect, claims, roster, claims_columns, roster_columns, config, out }) => {
            let dialect = match dialect {
                SqlDialect::Duckdb => sql::Dialect::Duckdb,
                SqlDialect::Spark => sql::Dialect::Spark,
                SqlDialect::Postgres => sql::Dialect::Postgres,
            };
            let config = match &config {
                Some(path) => {
                    let text =
                        std::fs::read_to_string(path).with_context(|| format!("{}: cannot be read", path.display()))?;
                    crate::config::Config::parse(&text)?
                }
                None => crate::config::Config::default(),
            };
            let source = |table: String, names: Option<String>, kind: FileKind| -> Result<sql::Source> {
                let columns = match names {
                    Some(n) => header_names(&n)?,
                    None => sql::own_columns(kind),
                };
                Ok(sql::Source { table, columns })
            };
            let claims = source(claims, claims_columns, FileKind::Claims)?;
            let roster = source(roster, roster_columns, FileKind::Practices)?;
            let script = sql::script(dialect, &config, &claims, &roster)?;
            io::write_output(out.as_deref().unwrap_or(Path::new("-")), script.as_bytes(), &[])?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sample { dir, members, practices, seed, care_managers, lines, headers, force }) => {
            let existing: Vec<&str> = INPUT_FILES.iter().copied().filter(|f| dir.join(f).exists()).collect();
            if !existing.is_empty() && !force {
                bail!(
                    "{} already holds input files ({}); choose an empty directory, or add --force to overwrite them",
                    dir.display(),
                    existing.join(", ")
                );
            }
            // The bounds above make these conversions lossless.
            let mut spec = SampleSpec::new(members as usize, practices as usize, seed);
            spec.care_managers = care_managers.map_or(spec.care_managers, |n| n as usize);
            spec.lines = lines;
            let written = || format!("{}: cannot write sample data", dir.display());
            let s = sample::generate(&dir, &spec).with_context(written)?;
            // One form of the claims only: the other form's files would stand beside them.
            let stale: &[FileKind] = match headers {
                ClaimsLayout::Own => &[FileKind::ClaimsHeader, FileKind::ClaimsLine],
                ClaimsLayout::TafSplit => {
                    let claims = sample::taf_split::split_claims(&dir, seed).with_context(written)?;
                    note(&format!("claims written as TAF header + line files: {claims} claims"));
                    &[]
                }
            };
            for k in stale.iter().filter(|k| dir.join(k.file_name()).exists()) {
                std::fs::remove_file(dir.join(k.file_name())).with_context(written)?;
                note(&format!("removed {} (replaced by claims.csv)", k.file_name()));
            }
            note(&format!(
                "wrote {}: {} practices, {} clinicians ({} roster rows), {} claim lines, {} HCBS members, {} care managers, {} health systems",
                dir.display(),
                thousands(s.practices as u64),
                thousands(s.clinicians as u64),
                thousands(s.roster_rows as u64),
                thousands(s.claim_lines as u64),
                thousands(s.hcbs_members as u64),
                thousands(s.care_managers as u64),
                thousands(s.health_systems as u64)
            ));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Column names from a header line (comma-separated, CSV quoting allowed).
fn header_names(line: &str) -> Result<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(rec)) => Ok(rec.iter().map(|n| n.trim().to_string()).collect()),
        _ => bail!("the column list \"{line}\" is not a comma-separated header line"),
    }
}

/// Reads the data directory and analyses it (ranking, matching), with progress on a terminal.
fn load(input: &Input) -> Result<(Dataset, Analysis)> {
    let (ds, analysis) = crate::progress::run(crate::progress::wanted(input.quiet), |p| {
        let ds = ingest::load(&input.dir, LoadOptions { strict: input.strict }, p)?;
        p.stage.store(Progress::ANALYSING, std::sync::atomic::Ordering::Relaxed);
        let analysis = Analysis::new(&ds);
        anyhow::Ok((ds, analysis))
    })?;
    for w in &ds.problems.file_warnings {
        note(&format!("note: {w}"));
    }
    if ds.problems.errors > 0 {
        note(&format!(
            "note: {} bad rows skipped (run `carealign check {}` to list them)",
            ds.problems.errors,
            input.dir.display()
        ));
    }
    Ok((ds, analysis))
}

/// Prints a line of a report on standard output, data in it made safe for a terminal.
fn say(line: &str) {
    println!("{}", for_terminal(line));
}

/// Prints a message on standard error, data in it made safe for a terminal.
fn note(line: &str) {
    eprintln!("{}", for_terminal(line));
}

/// True when `out` (None or `-` for standard output) reaches a terminal.
fn to_terminal(out: Option<&Path>) -> bool {
    match out {
        None => std::io::stdout().is_terminal(),
        Some(p) if p == Path::new("-") => std::io::stdout().is_terminal(),
        // Only a character device can be a terminal (opening a FIFO here would block).
        Some(p) => is_char_device(p) && std::fs::File::open(p).is_ok_and(|f| f.is_terminal()),
    }
}

fn is_char_device(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device())
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        false
    }
}

/// Writes CSV to `out` (atomically, never over an input or a saved plan of `dir`) or to
/// standard output. CSV that reaches a terminal has its control characters escaped; CSV that
/// goes to a file or a pipe keeps the data as it is (quoted).
fn emit<I, R>(dir: &Path, out: Option<&Path>, header: &[&str], rows: I) -> Result<()>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let terminal = to_terminal(out);
    let rows = rows
        .into_iter()
        .map(|r| r.into_iter().map(|c| if terminal { for_terminal(&c).into_owned() } else { c }).collect::<Vec<_>>());
    let bytes = io::csv_bytes(header, rows);
    io::write_output(out.unwrap_or(Path::new("-")), &bytes, &crate::plan::file::protected_files(dir))?;
    Ok(())
}

/// Columns of `carealign rank`.
pub const RANK_COLUMNS: &[&str] =
    &["rank", "practice_id", "practice_name", "county", "duals_seen", "pc_lines", "clinicians", "hcbs_members"];

/// Columns of `carealign rank --by system`.
pub const SYSTEM_RANK_COLUMNS: &[&str] = &[
    "rank",
    "health_system_id",
    "health_system_name",
    "practices",
    "duals_seen",
    "pc_lines",
    "clinicians",
    "hcbs_members",
];

fn rank(input: &Input, out: Option<&Path>, top: Option<usize>, by: RankBy) -> Result<ExitCode> {
    let (ds, analysis) = load(input)?;
    let top = top.unwrap_or(usize::MAX);
    match by {
        RankBy::Practice => {
            let rows = analysis.ranked.iter().take(top).map(|r| {
                let p = &ds.roster.practices[r.practice as usize];
                [
                    r.rank.to_string(),
                    p.id.clone(),
                    p.name.clone(),
                    p.place(),
                    r.duals_seen.to_string(),
                    r.pc_lines.to_string(),
                    r.clinicians.to_string(),
                    r.hcbs_members.to_string(),
                ]
            });
            emit(&input.dir, out, RANK_COLUMNS, rows)?;
        }
        RankBy::System => {
            let mut hcbs = vec![0; ds.roster.practices.len()];
            for r in &analysis.ranked {
                hcbs[r.practice as usize] = r.hcbs_members;
            }
            let systems = crate::systems::rollup(&ds, &analysis.ranked, &hcbs);
            let rows = systems.iter().take(top).map(|r| {
                [
                    r.rank.to_string(),
                    r.id(&ds).to_string(),
                    r.name(&ds).to_string(),
                    r.practices.len().to_string(),
                    r.duals_seen.to_string(),
                    r.pc_lines.to_string(),
                    r.clinicians.to_string(),
                    r.hcbs_members.to_string(),
                ]
            });
            emit(&input.dir, out, SYSTEM_RANK_COLUMNS, rows)?;
        }
    }
    exit_without_freeing((ds, analysis));
    Ok(ExitCode::SUCCESS)
}

/// Skips freeing millions of small allocations just before the process exits (seconds at
/// state scale); the operating system reclaims the memory at once.
fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

/// Columns of `carealign match`.
pub const MATCH_COLUMNS: &[&str] = &[
    "member_id",
    "pcp_response",
    "reported_practice_id",
    "match_status",
    "confidence",
    "candidates",
    "claims_practice_id",
    "practice_id",
    "match_source",
    "needs_review",
];

fn match_members(input: &Input, out: Option<&Path>) -> Result<ExitCode> {
    let (ds, analysis) = load(input)?;
    // Decisions saved from the Review screen (review.csv beside plan.csv) apply, as in export.
    let loaded = crate::plan::file::load(&ds, &ds.dir.join(crate::plan::file::PLAN_FILE))?;
    for s in &loaded.skipped {
        note(&format!("note: {s}"));
    }
    let id = |p: Option<u32>| p.map(|p| ds.roster.practices[p as usize].id.clone()).unwrap_or_default();
    let rows = ds.assessments.iter().zip(&analysis.members).enumerate().map(|(i, (a, m))| {
        let candidates: Vec<String> = m.report.candidates.iter().map(|&c| id(Some(c))).collect();
        let decision = loaded.plan.review.get(&(i as u32)).copied();
        let (practice, source) = m.decided(decision);
        [
            a.member_id.clone(),
            a.pcp_response.clone(),
            id(m.report.practice),
            m.report.status.as_str().to_string(),
            export::decimal(m.report.confidence),
            candidates.join(";"),
            id(m.claims_practice),
            id(practice),
            source.as_str().to_string(),
            if m.needs_review(decision) { "Y" } else { "N" }.to_string(),
        ]
    });
    emit(&input.dir, out, MATCH_COLUMNS, rows)?;
    exit_without_freeing((ds, analysis));
    Ok(ExitCode::SUCCESS)
}

fn export_files(input: &Input, out_dir: &Path, plan: Option<&Path>, auto: bool) -> Result<ExitCode> {
    let (ds, analysis) = load(input)?;
    let plan_path = plan.map_or_else(|| ds.dir.join(crate::plan::file::PLAN_FILE), Path::to_path_buf);
    if plan.is_some() && !plan_path.exists() {
        bail!("{}: no such plan file", plan_path.display());
    }
    // Temp files of a save or export that was killed part-way.
    for d in [plan_path.parent().unwrap_or(&ds.dir), out_dir] {
        io::clean_stale_temps(d);
    }
    let loaded = crate::plan::file::load(&ds, &plan_path)?;
    for s in &loaded.skipped {
        note(&format!("note: {s}"));
    }
    // The plan's own threshold (plan.toml), as the TUI saved it; else carealign.toml's.
    let threshold = loaded.threshold.unwrap_or(ds.config.threshold);
    let ctx = crate::plan::PlanContext::new(&ds, &analysis);
    let start = ctx.start();
    let mut loaded = loaded;
    if auto {
        let data = crate::plan::suggest::Data::new(&analysis, threshold);
        let inputs = data.inputs(&ctx);
        let started = std::time::Instant::now();
        let proposal = inputs.suggest(&loaded.plan, &start);
        note(&format!("auto-suggest ({:.1} s): {}", started.elapsed().as_secs_f64(), proposal.totals()));
        loaded.plan = proposal.plan;
    }
    let now = ctx.balance(&loaded.plan);
    let snapshot = export::Snapshot {
        ds: &ds,
        analysis: &analysis,
        ctx: &ctx,
        plan: &loaded.plan,
        threshold,
        start: &start,
        now: &now,
    };
    let written = snapshot.write_all(out_dir)?;
    note(&format!(
        "{}; {} practices assigned, {} members change care manager",
        written.summary(),
        thousands(loaded.plan.assigned_practices() as u64),
        thousands(now.changed(&start) as u64)
    ));
    Ok(ExitCode::SUCCESS)
}

fn check(dir: &Path, quiet: bool) -> Result<ExitCode> {
    // Report every file whose header is unusable before reading any rows.
    let config = crate::config::Config::load(dir)?;
    let mut file_errors = ingest::open_errors(dir, &config);
    let loaded = if file_errors.is_empty() {
        crate::progress::run(crate::progress::wanted(quiet), |p| ingest::load(dir, LoadOptions::default(), p))
            .map_err(|e| file_errors.push(e))
            .ok()
    } else {
        None
    };
    let Some(ds) = loaded else {
        for e in &file_errors {
            say(&e.to_string());
        }
        println!("{} file problem(s); fix these first", file_errors.len());
        return Ok(ExitCode::from(1));
    };
    for w in &ds.problems.file_warnings {
        say(&w.to_string());
    }
    for p in &ds.problems.list {
        say(&p.to_string());
    }
    if ds.problems.untold() > 0 {
        println!("... and {} more problems not listed", thousands(ds.problems.untold()));
    }
    let c = &ds.claims.stats;
    println!(
        "practices.csv: {} rows, {} clinicians, {} practices",
        thousands(ds.roster.rows),
        thousands(ds.roster.clinicians.len() as u64),
        thousands(ds.roster.practices.len() as u64)
    );
    if matches!(ds.claims_source, "member_practice.csv") {
        let lines: u64 = ds.claims.pairs.iter().map(|p| u64::from(p.lines)).sum();
        println!(
            "member_practice.csv (claims reduced elsewhere; no claims.csv): {} rows, {} skipped; {} members, {} crossover primary-care lines counted at their practices",
            thousands(c.rows),
            thousands(c.skipped),
            thousands(ds.claims.members.len() as u64),
            thousands(lines)
        );
    } else {
        print_claims_summary(&ds);
    }
    println!("assessments.csv: {} members", thousands(ds.assessments.len() as u64));
    println!("care_managers.csv: {} care managers", thousands(ds.care_managers.len() as u64));
    if !ds.systems.is_empty() {
        let in_system = ds.systems.of_practice.iter().filter(|s| s.is_some()).count();
        println!(
            "health_systems.csv: {} practices in {} health systems",
            thousands(in_system as u64),
            thousands(ds.systems.systems.len() as u64)
        );
    }
    let errors = ds.problems.errors;
    println!("{} error(s) (rows skipped), {} warning(s)", thousands(errors), thousands(ds.problems.warnings));
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_claims_summary(ds: &Dataset) {
    let c = &ds.claims.stats;
    println!(
        "{}: {} rows, {} skipped; {} crossover, {} with a primary-care code: {} placed in a practice, {} by non-PCP clinicians, {} with no practice",
        ds.claims_source,
        thousands(c.rows),
        thousands(c.skipped),
        thousands(c.crossover),
        thousands(c.pc_code),
        thousands(c.attributed),
        thousands(c.non_pcp),
        thousands(c.unattributed)
    );
    if !ds.claims.unattributed_npis.is_empty() {
        let top: Vec<String> = ds
            .claims
            .unattributed_npis
            .iter()
            .take(10)
            .map(|(npi, n)| format!("{npi} ({} lines)", thousands(*n)))
            .collect();
        println!(
            "{}: NPIs of primary-care lines with no practice (not in practices.csv): {}",
            ds.claims_source,
            top.join(", ")
        );
    }
}

//! The command line: clap subcommands that call the domain core.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::analysis::Analysis;
use crate::export;
use crate::ingest::{self, Dataset, FileKind, LoadOptions, Progress};
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
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the first N practices.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
    },
    /// Match every HCBS member's primary-care answer to a practice and write the result as CSV.
    Match {
        #[command(flatten)]
        input: Input,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write practice_assignments.csv, member_assignments.csv, caseloads.csv and outreach.csv.
    Export {
        #[command(flatten)]
        input: Input,
        /// Directory to write the four files into (created if needed).
        #[arg(long, value_name = "OUT")]
        out_dir: PathBuf,
        /// The plan to export (default: DIR/plan.csv, with review.csv beside it).
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
        /// Members with claims.
        #[arg(long, default_value_t = 5000)]
        members: usize,
        /// Practices in the roster.
        #[arg(long, default_value_t = 150)]
        practices: usize,
        /// Random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Care managers (default: one per 125 members).
        #[arg(long, value_name = "N")]
        care_managers: Option<usize>,
        /// Approximate total claim lines (default: about 8 per member).
        #[arg(long, value_name = "N")]
        lines: Option<u64>,
    },
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
}

/// Runs a parsed command line; errors are printed as one sentence by the caller.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => crate::tui::run(&cli.dir, LoadOptions { strict: cli.strict }),
        Some(Command::Rank { input, out, top }) => rank(&input, out.as_deref(), top),
        Some(Command::Match { input, out }) => match_members(&input, out.as_deref()),
        Some(Command::Check { dir }) => check(&dir),
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
            match out {
                Some(path) => export::write_atomic(&path, script.as_bytes())?,
                None => std::io::stdout().lock().write_all(script.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sample { dir, members, practices, seed, care_managers, lines }) => {
            if practices == 0 || members == 0 {
                bail!("--members and --practices must be at least 1");
            }
            let mut spec = SampleSpec::new(members, practices, seed);
            spec.care_managers = care_managers.unwrap_or(spec.care_managers).max(1);
            spec.lines = lines;
            let s = sample::generate(&dir, &spec)
                .with_context(|| format!("{}: cannot write sample data", dir.display()))?;
            eprintln!(
                "wrote {}: {} practices, {} clinicians ({} roster rows), {} claim lines, {} HCBS members, {} care managers",
                dir.display(),
                s.practices,
                s.clinicians,
                s.roster_rows,
                s.claim_lines,
                s.hcbs_members,
                s.care_managers
            );
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

fn load(input: &Input) -> Result<Dataset> {
    let ds = ingest::load(&input.dir, LoadOptions { strict: input.strict }, &Progress::default())?;
    if ds.problems.errors > 0 {
        eprintln!(
            "note: {} bad rows skipped (run `carealign check {}` to list them)",
            ds.problems.errors,
            input.dir.display()
        );
    }
    Ok(ds)
}

/// Writes CSV to `out` (atomically, never over an input) or to standard output.
fn emit<I, R, S>(dir: &Path, out: Option<&Path>, header: &[&str], rows: I) -> Result<()>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    match out {
        Some(path) => export::write_csv(dir, path, header, rows)?,
        None => {
            let bytes = export::csv_bytes(header, rows);
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            if let Err(e) = stdout.write_all(&bytes).and_then(|_| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// Columns of `carealign rank`.
pub const RANK_COLUMNS: &[&str] =
    &["rank", "practice_id", "practice_name", "county", "duals_seen", "pc_lines", "clinicians", "hcbs_members"];

fn rank(input: &Input, out: Option<&Path>, top: Option<usize>) -> Result<ExitCode> {
    let ds = load(input)?;
    let analysis = Analysis::new(&ds);
    let rows = analysis.ranked.iter().take(top.unwrap_or(usize::MAX)).map(|r| {
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
];

fn match_members(input: &Input, out: Option<&Path>) -> Result<ExitCode> {
    let ds = load(input)?;
    let analysis = Analysis::new(&ds);
    let id = |p: Option<u32>| p.map(|p| ds.roster.practices[p as usize].id.clone()).unwrap_or_default();
    let rows = ds.assessments.iter().zip(&analysis.members).map(|(a, m)| {
        let candidates: Vec<String> = m.report.candidates.iter().map(|&c| id(Some(c))).collect();
        [
            a.member_id.clone(),
            a.pcp_response.clone(),
            id(m.report.practice),
            m.report.status.as_str().to_string(),
            format!("{:.2}", m.report.confidence),
            candidates.join(";"),
            id(m.claims_practice),
            id(m.practice),
            m.source.as_str().to_string(),
        ]
    });
    emit(&input.dir, out, MATCH_COLUMNS, rows)?;
    exit_without_freeing((ds, analysis));
    Ok(ExitCode::SUCCESS)
}

fn export_files(input: &Input, out_dir: &Path, plan: Option<&Path>, auto: bool) -> Result<ExitCode> {
    let ds = load(input)?;
    let analysis = Analysis::new(&ds);
    let plan_path = plan.map_or_else(|| ds.dir.join(crate::plan::file::PLAN_FILE), Path::to_path_buf);
    if plan.is_some() && !plan_path.exists() {
        bail!("{}: no such plan file", plan_path.display());
    }
    let loaded = crate::plan::file::load(&ds, &plan_path).map_err(anyhow::Error::msg)?;
    for s in &loaded.skipped {
        eprintln!("note: {s}");
    }
    let ctx = crate::plan::PlanContext::new(&ds, &analysis);
    let start = ctx.start();
    let mut loaded = loaded;
    if auto {
        let data = crate::plan::suggest::Data::new(&ds, &analysis, ds.config.threshold);
        let inputs = data.inputs(&ctx);
        let started = std::time::Instant::now();
        let proposal = inputs.suggest(&loaded.plan, &start);
        eprintln!(
            "auto-suggest ({:.1} s): {} practices proposed; {}",
            started.elapsed().as_secs_f64(),
            proposal.edit.slots.len(),
            proposal.figures.summary()
        );
        loaded.plan = proposal.plan;
    }
    let now = ctx.balance(&loaded.plan);
    let snapshot = export::Snapshot {
        ds: &ds,
        analysis: &analysis,
        ctx: &ctx,
        plan: &loaded.plan,
        threshold: ds.config.threshold,
        start: &start,
        now: &now,
    };
    let written = snapshot.write_all(out_dir)?;
    eprintln!(
        "wrote {} files to {} ({} practices assigned, {} members change care manager)",
        written.len(),
        out_dir.display(),
        loaded.plan.assigned_practices(),
        now.changed(&start)
    );
    Ok(ExitCode::SUCCESS)
}

/// Formats a count with thousands separators (1,234,567).
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn check(dir: &Path) -> Result<ExitCode> {
    // Report every file whose header is unusable before reading any rows.
    let config = crate::config::Config::load(dir)?;
    let header_errors: Vec<String> = ingest::input_kinds(dir)
        .iter()
        .filter_map(|&k| ingest::table::Table::open(dir, k, &config).err().map(|e| e.to_string()))
        .collect();
    if !header_errors.is_empty() {
        for e in &header_errors {
            println!("{e}");
        }
        println!("{} file problem(s); fix these first", header_errors.len());
        return Ok(ExitCode::from(1));
    }
    let ds = ingest::load(dir, LoadOptions::default(), &Progress::default())?;
    for p in &ds.problems.list {
        println!("{p}");
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
    if ingest::claims_kind(dir) == FileKind::MemberPractice {
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
    let errors = ds.problems.errors;
    println!("{} error(s) (rows skipped), {} warning(s)", thousands(errors), thousands(ds.problems.warnings));
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_claims_summary(ds: &Dataset) {
    let c = &ds.claims.stats;
    println!(
        "claims.csv: {} rows, {} skipped; {} crossover, {} with a primary-care code: {} placed in a practice, {} by non-PCP clinicians, {} with no practice",
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
        println!("claims.csv: NPIs of primary-care lines with no practice (not in practices.csv): {}", top.join(", "));
    }
}

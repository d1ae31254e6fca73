//! `carealign sql` on real engines: the script runs on DuckDB, PostgreSQL (a server this test
//! starts from a temporary data directory) and Spark in local mode, over generated claims in own
//! and TAF/DAC header styles. Its member_practice must equal the brute-force reference row for
//! row, and rank, match and export from it must be byte-identical to those from the raw claims.
//!
//! Ignored by plain `cargo test` (they need the engines); `.ci/run` installs DuckDB's Python
//! module and runs the DuckDB and PostgreSQL ones; `bench/spark_check.sh` runs the Spark one.

mod common;
mod national;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use national::*;

const STYLES: [(Style, usize, usize, u64); 2] = [(Style::Own, 3000, 80, 21), (Style::Taf, 3000, 80, 22)];

fn bench_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench").join(name)
}

fn run_checked(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs the dialect's script with `runner` (it writes the summary to the given path), then
/// compares with the reference and the native path.
fn check_engine(dialect: &str, runner: impl Fn(&Path, &Path, &Path)) {
    for (style, members, practices, seed) in STYLES {
        let raw = dataset(style, members, practices, seed);
        let work = tempfile::tempdir().unwrap();
        let script = work.path().join("member_practice.sql");
        fs::write(&script, sql_for(raw.path(), dialect)).unwrap();
        let out = work.path().join("member_practice.csv");
        runner(raw.path(), &script, &out);
        let summary = fs::read_to_string(&out).unwrap();
        let expected = summary_rows(&reference_csv(raw.path()));
        let got = summary_rows(&summary);
        let what = format!("{dialect}, {style:?} headers");
        if got != expected {
            let missing: Vec<_> = expected.iter().filter(|r| !got.contains(r)).take(5).collect();
            let extra: Vec<_> = got.iter().filter(|r| !expected.contains(r)).take(5).collect();
            panic!("{what}: {} rows vs {} expected; missing {missing:?}; extra {extra:?}", got.len(), expected.len());
        }
        assert_same_outputs(raw.path(), &summary, &what);
    }
}

#[test]
#[ignore = "needs duckdb (pip install duckdb)"]
fn duckdb_sql_gives_the_native_numbers() {
    check_engine("duckdb", |data, script, out| {
        run_checked(Command::new("python3").arg(bench_script("sql_duckdb.py")).args([data, script, out]), "duckdb");
    });
}

#[test]
#[ignore = "needs spark (pip install pyspark; Java 17): bench/spark_check.sh"]
fn spark_sql_gives_the_native_numbers() {
    check_engine("spark", |data, script, out| {
        run_checked(Command::new("python3").arg(bench_script("sql_spark.py")).args([data, script, out]), "spark");
    });
}

/// A PostgreSQL server on a Unix socket in a temporary directory, stopped when dropped.
struct Postgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Postgres {
    fn start() -> Postgres {
        let bin = postgres_bin();
        let dir = tempfile::tempdir().unwrap();
        // initdb refuses to run as root: the server then runs as the postgres user.
        let as_root = run_checked(Command::new("id").arg("-u"), "id").trim() == "0";
        if as_root {
            run_checked(Command::new("chown").args(["postgres"]).arg(dir.path()), "chown");
        }
        let pg = Postgres { dir, bin };
        let data = pg.dir.path().join("data");
        pg.server_cmd(as_root, "initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C", "-D"])
            .arg(&data)
            .output()
            .map(|o| assert!(o.status.success(), "initdb: {}", String::from_utf8_lossy(&o.stderr)))
            .unwrap();
        let opts = format!("-k {} -p 5433 -c listen_addresses= -c fsync=off", pg.dir.path().display());
        let status = pg
            .server_cmd(as_root, "pg_ctl")
            .args(["-w", "-D"])
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(pg.dir.path().join("log"))
            .arg("start")
            .status()
            .unwrap();
        assert!(
            status.success(),
            "pg_ctl start failed: {}",
            fs::read_to_string(pg.dir.path().join("log")).unwrap_or_default()
        );
        pg
    }

    fn server_cmd(&self, as_root: bool, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn psql(&self) -> Command {
        let mut c = Command::new(self.bin.join("psql"));
        c.arg("-h").arg(self.dir.path()).args(["-p", "5433", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]);
        c
    }

    /// Loads a CSV file as a table of text columns named by its header.
    fn load(&self, table: &str, csv_path: &Path) {
        let header = fs::read_to_string(csv_path).unwrap().lines().next().unwrap().to_string();
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(header.as_bytes());
        let names: Vec<String> = r.records().next().unwrap().unwrap().iter().map(String::from).collect();
        let cols: Vec<String> = names.iter().map(|n| format!("\"{}\" text", n.replace('"', "\"\""))).collect();
        run_checked(
            self.psql()
                .arg("-c")
                .arg(format!("DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({})", cols.join(", "))),
            "psql create",
        );
        run_checked(
            self.psql().arg("-c").arg(format!("\\copy {table} FROM '{}' CSV HEADER", csv_path.display())),
            "psql copy",
        );
        run_checked(self.psql().arg("-c").arg(format!("ANALYZE {table}")), "psql analyze");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let as_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let _ = self
            .server_cmd(as_root, "pg_ctl")
            .args(["-D"])
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

/// The directory of PostgreSQL's server programs (initdb, pg_ctl, psql).
fn postgres_bin() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut found: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().expect("PostgreSQL server programs (initdb) are installed")
}

#[test]
#[ignore = "needs postgres (initdb, pg_ctl, psql)"]
fn postgres_sql_gives_the_native_numbers() {
    let pg = Postgres::start();
    check_engine("postgres", |data, script, out| {
        pg.load("claims", &data.join("claims.csv"));
        pg.load("practices", &data.join("practices.csv"));
        run_checked(pg.psql().arg("-f").arg(script), "psql script");
        run_checked(
            pg.psql().arg("-c").arg(format!("\\copy member_practice TO '{}' CSV HEADER", out.display())),
            "psql export",
        );
    });
}

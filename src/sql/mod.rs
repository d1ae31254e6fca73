//! `carealign sql`: the claims reduction (SPEC "member_practice.csv") as one SQL script, for a
//! state to run where its claims live (Spark / Databricks, a warehouse, DuckDB).
//!
//! The script follows the claims reader line for line: the same column aliases
//! ([`crate::ingest::schema`]), the same code lists (taken from the resolved [`Config`], so
//! carealign.toml and the built-in defaults cannot drift from the Rust path), the same rules for
//! which rows are bad and skipped (blank member, bad date or flag, an NPI that fails its check
//! digit, no NPI at all), TAF's "missing" sentinels, and line → practice with billing-NPI
//! narrowing and fallback. The narrowing is worked out once per distinct rendering × billing
//! pair, not per line.

mod dialect;
mod rules;

use std::collections::HashMap;

pub use dialect::Dialect;

use crate::config::Config;
use crate::ingest::fields::{TAF_MISSING_DATE, TAF_MISSING_TAXONOMIES};
use crate::ingest::schema::{self, FileKind, claims_col, practices_col};

/// Name of the table the script creates.
pub const RESULT_TABLE: &str = "member_practice";

/// A table the script reads: its name and its column names (as in a CSV header).
#[derive(Debug, Clone)]
pub struct Source {
    pub table: String,
    pub columns: Vec<String>,
}

/// Why no script could be written.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("--{option}: {message}")]
    Columns { option: &'static str, message: String },
    #[error("--{option}: \"{name}\" is not a table name (letters, digits, _ and . only)")]
    Table { option: &'static str, name: String },
}

/// Characters the claims reader trims from a field (space, tab, carriage return).
const FIELD_BLANKS: &str = "' ' || chr(9) || chr(13)";
/// Characters trimmed from roster text, which is read as text (also newline, VT, FF).
const TEXT_BLANKS: &str = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)";

/// The whole script for `dialect`, reading `claims` and `roster` with the settings of `config`.
pub fn script(dialect: Dialect, config: &Config, claims: &Source, roster: &Source) -> Result<String, SqlError> {
    let d = dialect;
    let claims_cols = columns(d, FileKind::Claims, claims, config, ("claims", "claims-columns"))?;
    let roster_cols = columns(d, FileKind::Practices, roster, config, ("roster", "roster-columns"))?;
    let r = rules::Rules { d };
    let field = |cols: &[Option<String>], i: usize| match &cols[i] {
        Some(c) => d.trim(&format!("coalesce({}, '')", d.text(c)), FIELD_BLANKS),
        None => "''".to_string(),
    };
    let text = |cols: &[Option<String>], i: usize| match &cols[i] {
        Some(c) => d.trim(&format!("coalesce({}, '')", d.text(c)), TEXT_BLANKS),
        None => "''".to_string(),
    };
    let codes = list(&config.pc_code_list());
    let taxonomies = list(&config.pcp_taxonomy_list());
    let specialties = list(&config.pcp_specialty_list());
    let sentinels = list(&TAF_MISSING_TAXONOMIES.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let missing_date = format!("'{TAF_MISSING_DATE}'");
    let c = |i| field(&claims_cols, i);
    let rt = |i| text(&roster_cols, i);

    let mut stages: Vec<Stage> = Vec::new();
    let mut add = |name: &'static str, keep: bool, note: &'static str, body: String| {
        stages.push(Stage { name, keep, note, body });
    };
    add(
        "roster_in",
        false,
        "",
        format!(
            "SELECT {npi} AS npi0, {pid} AS pid, upper({tax}) AS tax, upper({spec}) AS spec\n  FROM {table}",
            npi = field(&roster_cols, practices_col::NPI),
            pid = rt(practices_col::PRACTICE_ID),
            tax = rt(practices_col::TAXONOMY),
            spec = rt(practices_col::SPECIALTY),
            table = roster.table,
        ),
    );
    add(
        "roster_ok",
        true,
        "A blank practice_id is a solo practice keyed by the NPI; a clinician is a PCP when any of\n\
         -- their rows is (taxonomy in the list, or with no taxonomy or a TAF \"missing\" one, the DAC\n\
         -- specialty).",
        format!(
            "SELECT {npi} AS npi, CASE WHEN pid = '' THEN {npi} ELSE pid END AS pid,\n    \
             CASE WHEN tax <> '' AND tax NOT IN ({sentinels}) THEN tax IN ({taxonomies}) ELSE spec IN ({specialties}) END AS pcp\n  \
             FROM roster_in WHERE npi0 <> '' AND {valid}",
            npi = r.npi_value("npi0"),
            valid = r.valid_npi("npi0"),
        ),
    );
    add("np", true, "", "SELECT DISTINCT npi, pid FROM roster_ok".into());
    add("multi", true, "", "SELECT npi FROM np GROUP BY npi HAVING count(*) > 1".into());
    add("pcp", true, "", "SELECT DISTINCT npi FROM roster_ok WHERE pcp".into());
    add(
        "claims_in",
        false,
        "Crossover lines with a primary-care code; the other rows cannot count, bad or not.",
        format!(
            "SELECT {member} AS m, {date} AS d0, {rend} AS r0, {bill} AS b0, upper({tax}) AS t0\n  \
             FROM {table}\n  WHERE lower({flag}) IN ('y', 'yes', '1', 'true', 't')\n    AND upper({code}) IN ({codes})",
            member = c(claims_col::MEMBER),
            date = c(claims_col::DATE),
            rend = c(claims_col::RENDERING),
            bill = c(claims_col::BILLING),
            tax = c(claims_col::TAXONOMY),
            flag = c(claims_col::CROSSOVER),
            code = c(claims_col::CODE),
            table = claims.table,
        ),
    );
    add(
        "date_values",
        false,
        "Dates and NPIs are read once per distinct cell, not once per line.",
        "SELECT DISTINCT d0 FROM claims_in".into(),
    );
    add(
        "date_cut",
        false,
        "",
        format!("SELECT d0, {d1} AS d1 FROM date_values{fence}", d1 = r.date_cut("d0"), fence = d.fence()),
    );
    add(
        "date_iso",
        false,
        "",
        format!("SELECT d0, {iso} AS d FROM date_cut{fence}", iso = r.iso_date("d1"), fence = d.fence()),
    );
    add(
        "dates",
        true,
        "A day that does not exist, and TAF's missing date, read as blank (the line is skipped); as\n\
         -- with NPIs below, the max keeps the engine from testing each line again.",
        format!(
            "SELECT d0, max(CASE WHEN d IS NOT NULL AND {valid} AND d <> {missing_date} THEN d END) AS d\n  \
             FROM date_iso GROUP BY d0",
            valid = r.valid_iso_date("d"),
        ),
    );
    add(
        "npi_values",
        false,
        "",
        "SELECT DISTINCT r0 AS n0 FROM claims_in\n  UNION\n  SELECT DISTINCT b0 FROM claims_in".into(),
    );
    add(
        "npis",
        true,
        "A blank NPI stays blank; one that fails its check digit reads as NULL (the line is skipped).\n\
         -- (max over one row per group: an engine cannot push a test of an aggregate down to the\n\
         -- lines, where it would run once per line again.)",
        format!(
            "SELECT n0, max(CASE WHEN n0 = '' THEN '' WHEN {valid} THEN {npi} END) AS n\n  FROM npi_values GROUP BY n0",
            valid = r.valid_npi("n0"),
            npi = r.npi_value("n0"),
        ),
    );
    add(
        "lines",
        false,
        "Bad rows are skipped, as the claims reader skips them; TAF's missing taxonomies read as blank.",
        format!(
            "SELECT c.m, rn.n AS r, bn.n AS b, CASE WHEN c.t0 IN ({sentinels}) THEN '' ELSE c.t0 END AS t, dates.d\n  \
             FROM claims_in c\n  JOIN dates ON dates.d0 = c.d0\n  JOIN npis rn ON rn.n0 = c.r0\n  JOIN npis bn ON bn.n0 = c.b0\n  \
             WHERE c.m <> '' AND dates.d IS NOT NULL AND rn.n IS NOT NULL AND bn.n IS NOT NULL AND NOT (rn.n = '' AND bn.n = '')"
        ),
    );
    add(
        "pc",
        true,
        "PCP by the line's taxonomy, or with none, by the rendering clinician's roster rows.",
        format!(
            "SELECT m, r, b, count(*) AS n, max(d) AS d FROM lines\n  \
             WHERE t IN ({taxonomies}) OR (t = '' AND r IN (SELECT npi FROM pcp))\n  GROUP BY m, r, b"
        ),
    );
    add("pairs", true, "", "SELECT DISTINCT r, b FROM pc".into());
    add(
        "narrowed",
        true,
        "A rendering NPI in several practices: those that also hold the billing NPI, if any.",
        "SELECT p.r, p.b, rn.pid FROM pairs p\n  JOIN multi ON multi.npi = p.r\n  \
         JOIN np rn ON rn.npi = p.r\n  JOIN np bn ON bn.npi = p.b AND bn.pid = rn.pid"
            .into(),
    );
    add(
        "placed",
        true,
        "Else all the rendering NPI's practices; a rendering NPI not in the roster falls back to\n\
         -- the billing NPI's practices.",
        "SELECT r, b, pid FROM narrowed\n  UNION ALL\n  \
         SELECT p.r, p.b, rn.pid FROM pairs p JOIN np rn ON rn.npi = p.r\n  \
         WHERE NOT EXISTS (SELECT 1 FROM narrowed x WHERE x.r = p.r AND x.b = p.b)\n  UNION ALL\n  \
         SELECT p.r, p.b, bn.pid FROM pairs p JOIN np bn ON bn.npi = p.b\n  \
         WHERE NOT EXISTS (SELECT 1 FROM np x WHERE x.npi = p.r)"
            .into(),
    );
    let result = "SELECT pc.m AS member_id, placed.pid AS practice_id, sum(pc.n) AS pc_lines, max(pc.d) AS last_service_date\n\
                  FROM pc JOIN placed ON placed.r = pc.r AND placed.b = pc.b\n\
                  GROUP BY pc.m, placed.pid";

    let mut s = format!(
        "-- carealign sql --dialect {}: {RESULT_TABLE}(member_id, practice_id, pc_lines, last_service_date)\n\
         -- from claims table {} and roster table {}, with SPEC's definitions (see carealign's README,\n\
         -- \"National scale\"). Generated; edit carealign.toml and generate again rather than editing.\n",
        d.name(),
        claims.table,
        roster.table
    );
    s += &assemble(d, &stages, result);
    s += &d.export_hint(RESULT_TABLE);
    s.push('\n');
    Ok(s)
}

/// One named step of the query.
struct Stage {
    name: &'static str,
    /// Small or reused: worth a table of its own where the engine plans better with one.
    keep: bool,
    /// A comment saying which rule the step is (may be empty).
    note: &'static str,
    body: String,
}

/// Joins the stages into the script: one statement of common table expressions, or (where
/// [`Dialect::temp_tables`]) a temporary table per kept stage, each analysed before the next
/// is planned, with the other stages it reads as its common table expressions.
fn assemble(d: Dialect, stages: &[Stage], result: &str) -> String {
    let cte = |st: &Stage| {
        let note = if st.note.is_empty() { String::new() } else { format!("-- {}\n", st.note) };
        format!("{note}{} AS (\n  {}\n)", st.name, st.body)
    };
    let with =
        |ctes: Vec<String>| if ctes.is_empty() { String::new() } else { format!("WITH\n{}\n", ctes.join(",\n")) };
    let mut out = String::new();
    if !d.temp_tables() {
        out += &d.create_table(RESULT_TABLE);
        out += &format!("\n{}{result};\n", with(stages.iter().map(cte).collect()));
        return out;
    }
    for (i, st) in stages.iter().enumerate().filter(|(_, st)| st.keep) {
        let note = if st.note.is_empty() { String::new() } else { format!("-- {}\n", st.note) };
        out += &format!(
            "{note}DROP TABLE IF EXISTS pg_temp.{name};\nCREATE TEMP TABLE {name} AS\n{}{};\nANALYZE {name};\n",
            with(inline_inputs(&stages[..i], &st.body).into_iter().map(cte).collect()),
            st.body,
            name = st.name
        );
    }
    out += &d.create_table(RESULT_TABLE);
    out += &format!("\n{}{result};\n", with(inline_inputs(stages, result).into_iter().map(cte).collect()));
    out
}

/// The not-kept stages among `before` that `body` reads, directly or through each other, in
/// their order.
fn inline_inputs<'s>(before: &'s [Stage], body: &str) -> Vec<&'s Stage> {
    let mut needed = vec![false; before.len()];
    let mut reads: Vec<&str> = vec![body];
    while let Some(text) = reads.pop() {
        for (i, st) in before.iter().enumerate() {
            if !st.keep && !needed[i] && mentions(text, st.name) {
                needed[i] = true;
                reads.push(&st.body);
            }
        }
    }
    before.iter().zip(needed).filter(|(_, n)| *n).map(|(st, _)| st).collect()
}

/// True when `name` occurs in `text` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices(name)
        .any(|(at, _)| !word(text[..at].chars().next_back()) && !word(text[at + name.len()..].chars().next()))
}

/// Quoted column of each canonical column of `kind` in `source` (`None` for an absent optional
/// column), resolved exactly as the file reader resolves a header. `options` names the command
/// line options that gave the table and its columns, for errors.
fn columns(
    d: Dialect,
    kind: FileKind,
    source: &Source,
    config: &Config,
    options: (&'static str, &'static str),
) -> Result<Vec<Option<String>>, SqlError> {
    let name_ok =
        !source.table.is_empty() && source.table.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.');
    if !name_ok {
        return Err(SqlError::Table { option: options.0, name: source.table.clone() });
    }
    let empty = HashMap::new();
    let extra = config.columns.get(&kind).unwrap_or(&empty);
    let idx = schema::resolve(kind, &source.columns, extra)
        .map_err(|e| SqlError::Columns { option: options.1, message: e.message })?;
    Ok(idx.iter().map(|i| i.map(|i| d.ident(source.columns[i].trim()))).collect())
}

/// A list of text literals for `IN (...)`.
fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("'{}'", i.replace('\'', "''"))).collect::<Vec<_>>().join(", ")
}

/// The own-format header of a file, for when no column list is given.
pub fn own_columns(kind: FileKind) -> Vec<String> {
    match kind {
        FileKind::Practices => {
            ["npi", "clinician_last", "clinician_first", "taxonomy", "practice_id", "practice_name", "county", "phone"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        }
        _ => kind.columns().iter().map(|c| c.name.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(table: &str, header: &str) -> Source {
        Source { table: table.into(), columns: header.split(',').map(String::from).collect() }
    }

    fn own() -> (Source, Source) {
        (
            Source { table: "claims".into(), columns: own_columns(FileKind::Claims) },
            Source { table: "practices".into(), columns: own_columns(FileKind::Practices) },
        )
    }

    #[test]
    fn code_lists_come_from_the_config() {
        let (claims, roster) = own();
        let default = script(Dialect::Duckdb, &Config::default(), &claims, &roster).unwrap();
        assert!(default.contains("'99201', '99202'") && default.contains("'G2211')"), "{default}");
        assert!(default.contains("'NURSE PRACTITIONER'") && default.contains("'261QP2300X'"));
        let config =
            Config::parse("primary_care_codes = [\"99213\", \"t1015\"]\npcp_taxonomies = [\"207q00000x\"]\n").unwrap();
        let custom = script(Dialect::Duckdb, &config, &claims, &roster).unwrap();
        assert!(custom.contains("IN ('99213', 'T1015')") && !custom.contains("'99201'"), "{custom}");
        assert!(custom.contains("IN ('207Q00000X')") && !custom.contains("'261QP2300X'"));
        for sentinel in TAF_MISSING_TAXONOMIES {
            assert!(custom.contains(&format!("'{sentinel}'")), "{sentinel}");
        }
    }

    #[test]
    fn taf_and_dac_names_resolve_through_the_aliases() {
        let claims = source(
            "taf.other_services",
            "MSIS_ID,SRVC_BGNNG_DT,SRVCNG_PRVDR_NPI_NUM,BLG_PRVDR_NPI_NUM,SRVCNG_PRVDR_TXNMY_CD,LINE_PRCDR_CD,XOVR_IND",
        );
        let roster =
            source("dac", "NPI,Last Name,First Name,Primary specialty,Organization legal name,Group Practice PAC ID");
        let spark = script(Dialect::Spark, &Config::default(), &claims, &roster).unwrap();
        assert!(spark.contains("`Group Practice PAC ID`") && spark.contains("`XOVR_IND`"), "{spark}");
        assert!(spark.contains("FROM taf.other_services") && spark.contains("USING parquet"));
        let pg = script(Dialect::Postgres, &Config::default(), &claims, &roster).unwrap();
        assert!(pg.contains("\"Primary specialty\"") && pg.contains("CREATE TEMP TABLE pc AS"), "{pg}");
        // No taxonomy column in the DAC: the roster's taxonomy is blank, the specialty decides.
        assert!(pg.contains("upper('') AS tax"), "{pg}");
    }

    #[test]
    fn missing_columns_and_bad_table_names_are_clear() {
        let (claims, roster) = own();
        let no_flag = source("claims", "member_id,service_date,rendering_npi,procedure_code");
        let e = script(Dialect::Duckdb, &Config::default(), &no_flag, &roster).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--claims-columns: required column crossover is missing; tried crossover, XOVR_IND, CROSSOVER_CLM_IND"
        );
        let bad = Source { table: "claims; DROP TABLE x".into(), ..claims.clone() };
        let e = script(Dialect::Duckdb, &Config::default(), &bad, &roster).unwrap_err();
        assert!(e.to_string().starts_with("--claims: \"claims; DROP TABLE x\" is not a table name"), "{e}");
        // [columns] in carealign.toml maps a header for the SQL as for the file reader.
        let config = Config::parse("[columns.claims]\n\"Svc Dt\" = \"service_date\"\n").unwrap();
        let renamed = source("claims", "member_id,Svc Dt,rendering_npi,procedure_code,crossover");
        assert!(script(Dialect::Duckdb, &config, &renamed, &roster).unwrap().contains("\"Svc Dt\""));
    }
}

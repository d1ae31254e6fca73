//! The few places where DuckDB, Spark SQL and PostgreSQL spell the same thing differently.
//!
//! Everything else in the script is the portable core the three share: `substr`, `length`,
//! `lpad`, `split_part`, `upper`, `lower`, `||`, `CASE`, `IN`, `NOT EXISTS`. No casts from
//! text to numbers are used (Spark 4 runs in ANSI mode, where a bad cast is an error): digits
//! are read with a position lookup, dates are checked as text.

/// The SQL engine a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Duckdb,
    Spark,
    Postgres,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Postgres => "postgres",
        }
    }

    /// A column name as the engine quotes it.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::Duckdb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// Any column as text: warehouses type NPIs as numbers and dates as dates.
    pub fn text(self, expr: &str) -> String {
        let ty = match self {
            Dialect::Duckdb => "VARCHAR",
            Dialect::Spark => "STRING",
            Dialect::Postgres => "TEXT",
        };
        format!("CAST({expr} AS {ty})")
    }

    /// `expr` with any of the characters of the text expression `chars` removed from both ends.
    pub fn trim(self, expr: &str, chars: &str) -> String {
        match self {
            Dialect::Duckdb => format!("trim({expr}, {chars})"),
            Dialect::Spark | Dialect::Postgres => format!("btrim({expr}, {chars})"),
        }
    }

    /// True when `expr` matches the regular expression `pattern` (no backslashes), anchored at
    /// both ends. Callers also check the length: Java's `$` matches before a final newline.
    pub fn matches(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Duckdb => format!("regexp_full_match({expr}, '{pattern}')"),
            Dialect::Spark => format!("({expr} RLIKE '^{pattern}$')"),
            Dialect::Postgres => format!("({expr} ~ '^{pattern}$')"),
        }
    }

    /// 1-based position of `needle` in `haystack`, 0 when absent.
    pub fn position(self, haystack: &str, needle: &str) -> String {
        match self {
            Dialect::Spark => format!("instr({haystack}, {needle})"),
            Dialect::Duckdb | Dialect::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }

    /// Whether the script keeps its small and reused steps in analysed temporary tables:
    /// PostgreSQL plans a chain of common table expressions with no row estimates (nested
    /// loops over thousands of rows); DuckDB and Spark plan the one statement well.
    pub fn temp_tables(self) -> bool {
        self == Dialect::Postgres
    }

    /// Ends a step whose columns the next step uses many times: PostgreSQL would otherwise
    /// paste the expressions in at every use (`OFFSET 0` keeps the subquery as one).
    pub fn fence(self) -> &'static str {
        match self {
            Dialect::Postgres => "\n  OFFSET 0",
            Dialect::Duckdb | Dialect::Spark => "",
        }
    }

    /// The statement(s) that start creating the result table from the query that follows.
    pub fn create_table(self, table: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CREATE OR REPLACE TABLE {table} AS"),
            Dialect::Spark => format!("DROP TABLE IF EXISTS {table};\nCREATE TABLE {table} USING parquet AS"),
            Dialect::Postgres => format!("DROP TABLE IF EXISTS {table};\nCREATE TABLE {table} AS"),
        }
    }

    /// How to write the result table to member_practice.csv, as a comment for the user.
    pub fn export_hint(self, table: &str) -> String {
        match self {
            Dialect::Duckdb => format!("-- COPY {table} TO 'member_practice.csv' (HEADER);"),
            Dialect::Spark => format!(
                "-- spark.table(\"{table}\").coalesce(1).write.csv(\"member_practice\", header=True)  (one part-*.csv file)"
            ),
            Dialect::Postgres => format!("-- \\copy {table} TO 'member_practice.csv' CSV HEADER"),
        }
    }
}

//! SQL expressions for the field rules of [`crate::ingest::fields`]: NPIs with their check
//! digit, and the four date forms. Each mirrors its Rust function step by step.

use super::Dialect;

/// Builds expressions over column (or alias) names for one dialect.
pub struct Rules {
    pub d: Dialect,
}

/// Two-digit strings divisible by four, for leap years without arithmetic on text.
fn multiples_of_four() -> String {
    (0..100).step_by(4).map(|n| format!("'{n:02}'")).collect::<Vec<_>>().join(", ")
}

impl Rules {
    /// `parse_npi` on a trimmed, non-blank cell: ten digits, not starting with 0, with a
    /// valid Luhn check digit (prefix 80840, which adds 24), optionally followed by the ".0"
    /// spreadsheets add. A digit's value is its position in '0123456789' minus one; a doubled
    /// digit's digit sum is its position in '0516273849' minus one; the ten "minus ones" and
    /// the 24 make the 14. Everything reads the cell itself, never a derived column, so no
    /// engine pastes a long expression in ten times.
    pub fn valid_npi(&self, e: &str) -> String {
        let d = self.d;
        let terms: Vec<String> = (1..=10)
            .map(|k| {
                let table = if k % 2 == 1 && k < 10 { "'0516273849'" } else { "'0123456789'" };
                d.position(table, &format!("substr({e}, {k}, 1)"))
            })
            .collect();
        format!(
            "((length({e}) = 10 OR (length({e}) = 12 AND substr({e}, 11, 2) = '.0')) AND {} AND (14 + {}) % 10 = 0)",
            d.matches(&format!("substr({e}, 1, 10)"), "[1-9][0-9]{9}"),
            terms.join(" + ")
        )
    }

    /// The NPI of a cell [`Rules::valid_npi`] accepts (without a ".0").
    pub fn npi_value(&self, e: &str) -> String {
        format!("substr({e}, 1, 10)")
    }

    /// `parse_date`'s first steps: a `T` after the date ends it, and so does the first space or
    /// colon (`2025-01-05 00:00:00`, SAS `05JAN2025:00:00:00`).
    pub fn date_cut(&self, e: &str) -> String {
        format!(
            "split_part(split_part(CASE WHEN length({e}) > 10 AND substr({e}, 11, 1) = 'T' THEN substr({e}, 1, 10) ELSE {e} END, ' ', 1), ':', 1)"
        )
    }

    /// The date in `e` (already cut) as `YYYY-MM-DD` text, or NULL when it has none of the
    /// four forms; [`Rules::valid_iso_date`] then checks that the day exists.
    pub fn iso_date(&self, e: &str) -> String {
        let d = self.d;
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            .iter()
            .enumerate()
            .map(|(i, m)| format!("WHEN '{m}' THEN '{:02}'", i + 1))
            .collect::<Vec<_>>()
            .join(" ");
        format!(
            "CASE\n      \
             WHEN length({e}) = 10 AND {iso} THEN {e}\n      \
             WHEN length({e}) = 8 AND {compact} THEN substr({e}, 1, 4) || '-' || substr({e}, 5, 2) || '-' || substr({e}, 7, 2)\n      \
             WHEN length({e}) = 9 AND {sas} THEN substr({e}, 6, 4) || '-' || (CASE upper(substr({e}, 3, 3)) {months} END) || '-' || substr({e}, 1, 2)\n      \
             WHEN length({e}) BETWEEN 8 AND 10 AND {us} THEN split_part({e}, '/', 3) || '-' || lpad(split_part({e}, '/', 1), 2, '0') || '-' || lpad(split_part({e}, '/', 2), 2, '0')\n    \
             END",
            iso = d.matches(e, "[0-9]{4}-[0-9]{2}-[0-9]{2}"),
            compact = d.matches(e, "[0-9]{8}"),
            sas = d.matches(e, "[0-9]{2}[A-Za-z]{3}[0-9]{4}"),
            us = d.matches(e, "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"),
        )
    }

    /// `ymd_to_day`'s checks on `YYYY-MM-DD` text: year 1800–2200, month 1–12, the day in the
    /// month (leap years by the Gregorian rule), all compared as text.
    pub fn valid_iso_date(&self, e: &str) -> String {
        let m4 = multiples_of_four();
        let leap = format!(
            "((substr({e}, 3, 2) IN ({m4}) AND substr({e}, 3, 2) <> '00') OR (substr({e}, 3, 2) = '00' AND substr({e}, 1, 2) IN ({m4})))"
        );
        format!(
            "substr({e}, 1, 4) BETWEEN '1800' AND '2200' AND substr({e}, 6, 2) BETWEEN '01' AND '12'\n    \
             AND substr({e}, 9, 2) BETWEEN '01' AND (CASE WHEN substr({e}, 6, 2) IN ('04', '06', '09', '11') THEN '30' \
             WHEN substr({e}, 6, 2) = '02' THEN (CASE WHEN {leap} THEN '29' ELSE '28' END) ELSE '31' END)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::fields::{TAF_MISSING_DAY, format_day, parse_date, parse_npi};

    /// Date and NPI cells of every accepted form, near misses and noise (deterministic).
    fn cells() -> Vec<String> {
        let mut v: Vec<String> = [
            "2025-01-05",
            "20250105",
            "01/05/2025",
            "1/5/2025",
            "05JAN2025",
            "05jan2025",
            " 2025-01-05 ",
            "\t2025-01-05\r",
            "2025-01-05 00:00:00",
            "2025-01-05T10:00:00",
            "05JAN2025:00:00:00",
            "2024-02-29",
            "2023-02-29",
            "2000-02-29",
            "1900-02-29",
            "29FEB2100",
            "31APR2025",
            "2025-02-30",
            "20251301",
            "13/01/2025",
            "2025/01/05",
            "5-1-2025",
            "05XYZ2025",
            "2025-1-5",
            "1799-12-31",
            "1800-01-01",
            "2200-12-31",
            "2201-01-01",
            "1960-01-01",
            "01JAN1960",
            "19600101",
            "1/1/1960",
            "12/31/2025",
            "1/05/2025",
            "001/5/2025",
            "1/5/25",
            "2025-01-05x",
            "2025-01-05T",
            "x2025-01-05",
            "",
            "   ",
            "1234567893",
            "1234567893.0",
            " 1234567893 ",
            "1234567890",
            "123456789",
            "0123456789",
            "12345678A3",
            "1234567893.00",
            ".0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Noise over the characters the forms are made of.
        let alphabet = b"0123456789-/: TJANFEBjanX.";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..1500 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 14) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((state >> (i * 4 % 60)) as usize + i * 7) % alphabet.len()] as char)
                .collect();
            v.push(s);
            // Real dates in every form.
            let day = (state % 150_000) as i32 - 50_000;
            let iso = format_day(day);
            let (y, m, d) = (&iso[..4], &iso[5..7], &iso[8..]);
            let mon = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
                [m.parse::<usize>().unwrap() - 1];
            v.push(match state % 4 {
                0 => iso.clone(),
                1 => format!("{y}{m}{d}"),
                2 => format!("{m}/{d}/{y}"),
                _ => format!("{d}{mon}{y}"),
            });
            // NPI-like numbers: a tenth pass the check digit.
            v.push(format!("{}", 1_000_000_000 + state % 9_000_000_000));
        }
        v
    }

    /// Runs `SELECT v, <expr>` over the cells on DuckDB (Python module) and returns the
    /// results by cell.
    fn on_duckdb(expr_of: impl Fn(&str) -> String, cells: &[String]) -> Vec<String> {
        let values: Vec<String> =
            cells.iter().enumerate().map(|(i, c)| format!("({i}, '{}')", c.replace('\'', "''"))).collect();
        let sql = format!(
            "SELECT i, coalesce(CAST(({}) AS VARCHAR), '') FROM (VALUES {}) t(i, v) ORDER BY i",
            expr_of("v"),
            values.join(", ")
        );
        let script = "import duckdb, sys\ncon = duckdb.connect()\ncon.execute('SET enable_progress_bar = false')\n\
                      for i, r in con.sql(sys.stdin.read()).fetchall(): print(r)\n";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(sql.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "duckdb failed");
        String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect()
    }

    #[test]
    #[ignore = "needs duckdb (pip install duckdb)"]
    fn date_and_npi_rules_agree_with_the_rust_parsers_on_duckdb() {
        let r = Rules { d: Dialect::Duckdb };
        let cells = cells();
        let trimmed = |v: &str| Dialect::Duckdb.trim(v, super::super::FIELD_BLANKS);
        let date = |v: &str| {
            let cut = format!("({})", r.date_cut(&trimmed(v)));
            let iso = format!("({})", r.iso_date(&cut));
            format!(
                "CASE WHEN {iso} IS NOT NULL AND {} AND {iso} <> '1960-01-01' THEN {iso} END",
                r.valid_iso_date(&iso)
            )
        };
        let got = on_duckdb(date, &cells);
        for (cell, got) in cells.iter().zip(&got) {
            let want =
                parse_date(cell.as_bytes()).filter(|&d| d != TAF_MISSING_DAY).map(format_day).unwrap_or_default();
            assert_eq!(got, &want, "date {cell:?}");
        }
        let npi = |v: &str| {
            let t = format!("({})", trimmed(v));
            format!("CASE WHEN {t} = '' THEN 'blank' WHEN {} THEN {} ELSE 'bad' END", r.valid_npi(&t), r.npi_value(&t))
        };
        let got = on_duckdb(npi, &cells);
        let mut valid = 0;
        for (cell, got) in cells.iter().zip(&got) {
            let want = match parse_npi(cell.as_bytes()) {
                Ok(None) => "blank".to_string(),
                Ok(Some(n)) => n.to_string(),
                Err(_) => "bad".to_string(),
            };
            valid += usize::from(want.len() == 10);
            assert_eq!(got, &want, "npi {cell:?}");
        }
        assert!(valid > 120, "the cells hold valid NPIs ({valid})");
    }
}

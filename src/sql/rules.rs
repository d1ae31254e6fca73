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
    /// `parse_npi`: spreadsheets turn NPIs into numbers with a ".0" tail; it is dropped.
    pub fn strip_point_zero(&self, e: &str) -> String {
        format!("CASE WHEN {e} LIKE '%.0' THEN substr({e}, 1, length({e}) - 2) ELSE {e} END")
    }

    /// `parse_npi`: ten digits, not starting with 0, with a valid Luhn check digit (prefix
    /// 80840, which adds 24). A digit's value is its position in '0123456789' minus one; a
    /// doubled digit's digit sum is its position in '0516273849' minus one; the ten "minus
    /// ones" and the 24 make the 14.
    pub fn valid_npi(&self, e: &str) -> String {
        let d = self.d;
        let terms: Vec<String> = (1..=10)
            .map(|k| {
                let table = if k % 2 == 1 && k < 10 { "'0516273849'" } else { "'0123456789'" };
                d.position(table, &format!("substr({e}, {k}, 1)"))
            })
            .collect();
        format!("(length({e}) = 10 AND {} AND (14 + {}) % 10 = 0)", d.matches(e, "[1-9][0-9]{9}"), terms.join(" + "))
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

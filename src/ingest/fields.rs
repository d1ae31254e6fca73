//! Parsers for single field values: dates, crossover flags, NPIs, acuity, text.
//!
//! They work on bytes so the claims hot path never allocates per field.

use std::borrow::Cow;

use super::problem::RowError;

/// Days since 1970-01-01 (negative before), the one date form used inside carealign.
pub type Day = i32;

/// Trims ASCII spaces and tabs (and a stray CR) from both ends.
pub fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !matches!(c, b' ' | b'\t' | b'\r')).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !matches!(c, b' ' | b'\t' | b'\r')).map_or(start, |e| e + 1);
    &b[start..end]
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from civil date (Howard Hinnant's algorithm), after checking the date exists.
pub fn ymd_to_day(y: i32, m: u32, d: u32) -> Option<Day> {
    if !(1800..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Civil date of a day number, for display and export.
pub fn day_to_ymd(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// ISO text of a day number.
pub fn format_day(day: Day) -> String {
    let (y, m, d) = day_to_ymd(day);
    format!("{y:04}-{m:02}-{d:02}")
}

const MONTHS: [&[u8; 3]; 12] =
    [b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV", b"DEC"];

/// Parses the four date forms SPEC accepts: `YYYY-MM-DD`, `YYYYMMDD`, `MM/DD/YYYY` (one-digit
/// month and day too) and SAS `05JAN2025`. Impossible dates (2025-02-30) are rejected.
/// A trailing time (` 00:00:00`, `T00:00:00`, SAS `:00:00:00`) is ignored.
pub fn parse_date(raw: &[u8]) -> Option<Day> {
    // Hot path: a bare ISO date, the form nearly every extract uses.
    if let Ok(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) = <&[u8; 10]>::try_from(raw) {
        let num =
            |ds: &[u8]| ds.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')));
        return ymd_to_day(num(&[y0, y1, y2, y3])? as i32, num(&[m0, m1])?, num(&[d0, d1])?);
    }
    let b = trim(raw);
    let b = if b.len() > 10 && b[10] == b'T' { &b[..10] } else { b };
    let b = match b.iter().position(|&c| c == b' ' || c == b':') {
        Some(i) => &b[..i],
        None => b,
    };
    match b.len() {
        10 if b[4] == b'-' && b[7] == b'-' => {
            ymd_to_day(digits(&b[..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)
        }
        8 if b.iter().all(u8::is_ascii_digit) => {
            ymd_to_day(digits(&b[..4])? as i32, digits(&b[4..6])?, digits(&b[6..8])?)
        }
        9 if b[2..5].iter().all(u8::is_ascii_alphabetic) => {
            let mon = [b[2].to_ascii_uppercase(), b[3].to_ascii_uppercase(), b[4].to_ascii_uppercase()];
            let m = MONTHS.iter().position(|x| **x == mon)? as u32 + 1;
            ymd_to_day(digits(&b[5..9])? as i32, m, digits(&b[..2])?)
        }
        6..=10 if b.contains(&b'/') => {
            let mut parts = b.split(|&c| c == b'/');
            let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || m.len() > 2 || d.len() > 2 || y.len() != 4 {
                return None;
            }
            ymd_to_day(digits(y)? as i32, digits(m)?, digits(d)?)
        }
        _ => None,
    }
}

/// How T-MSIS TAF codes a missing taxonomy. A field holding one of these is read as blank, so
/// the roster's taxonomy applies (SPEC: TAF as delivered). Public because it is the one list:
/// the SQL that `carealign sql` prints is generated from it.
pub const TAF_MISSING_TAXONOMIES: [&str; 7] =
    ["8888888888", "9999999999", "000000000X", "999999999X", "NONE", "XXXXXXXXXX", "NO TAXONOMY"];

/// How TAF codes a missing date (in any of the accepted date forms), read as blank.
pub const TAF_MISSING_DATE: &str = "1960-01-01";

/// [`TAF_MISSING_DATE`] as a day number.
pub const TAF_MISSING_DAY: Day = -3653;

/// True when a taxonomy field (already trimmed) is one of TAF's codes for "missing"; any case.
pub fn is_missing_taxonomy(b: &[u8]) -> bool {
    // Real taxonomies are 10 characters ending in X and never all 8s or 9s: most return at once.
    matches!(b.len(), 4 | 10 | 11) && TAF_MISSING_TAXONOMIES.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(b))
}

/// A service date as the claims readers take it: `Ok(None)` when blank or TAF's missing-date
/// code, `Err` with a sentence fragment when the text is not a date.
pub fn parse_service_date(raw: &[u8]) -> Result<Option<Day>, RowError> {
    let b = trim(raw);
    if b.is_empty() {
        return Ok(None);
    }
    match parse_date(b) {
        Some(TAF_MISSING_DAY) => Ok(None),
        Some(d) => Ok(Some(d)),
        None => {
            let shown: String = String::from_utf8_lossy(b).chars().take(30).collect();
            Err(RowError(format!(
                "service_date \"{shown}\" is not a valid date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or 05JAN2025)"
            )))
        }
    }
}

/// Parses a crossover flag: Y/N, 1/0, true/false (any case; also yes/no, T/F).
pub fn parse_flag(raw: &[u8]) -> Option<bool> {
    // Hot path: one untrimmed character.
    if let &[c] = raw {
        return match c.to_ascii_lowercase() {
            b'y' | b'1' | b't' => Some(true),
            b'n' | b'0' | b'f' => Some(false),
            _ => None,
        };
    }
    let b = trim(raw);
    if b.len() > 5 {
        return None;
    }
    let mut buf = [0u8; 5];
    for (o, i) in buf.iter_mut().zip(b) {
        *o = i.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"y" | b"yes" | b"1" | b"true" | b"t" => Some(true),
        b"n" | b"no" | b"0" | b"false" | b"f" => Some(false),
        _ => None,
    }
}

/// Why an NPI field was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpiError {
    NotTenDigits,
    BadCheckDigit,
}

/// Luhn check of a 10-digit NPI with the 80840 prefix the NPI standard prescribes.
pub fn npi_luhn_ok(npi: u64) -> bool {
    let mut digits = [0u32; 10];
    let mut n = npi;
    for d in digits.iter_mut().rev() {
        *d = (n % 10) as u32;
        n /= 10;
    }
    // Prefix 80840 contributes a constant 24 to the sum.
    let mut sum = 24;
    for (i, &d) in digits[..9].iter().rev().enumerate() {
        sum += if i % 2 == 0 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
    }
    (10 - sum % 10) % 10 == digits[9]
}

/// Parses a 10-digit NPI, checking its Luhn digit. Blank gives `Ok(None)`.
///
/// Hot path (two NPIs per claim line): the first eight digits are checked, valued and summed
/// as one 64-bit word (one byte per digit), with no loop and no division; the byte-at-a-time
/// loop it replaced was a tenth of a claims read.
pub fn parse_npi(raw: &[u8]) -> Result<Option<u64>, NpiError> {
    let b = trim(raw);
    if b.is_empty() {
        return Ok(None);
    }
    // Spreadsheets often turn NPIs into numbers with a ".0" tail.
    let b = b.strip_suffix(b".0").unwrap_or(b);
    let Ok(b) = <&[u8; 10]>::try_from(b) else {
        return Err(NpiError::NotTenDigits);
    };
    const ONES: u64 = 0x0101_0101_0101_0101;
    let word = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    // Every byte is '0'..='9': its high nibble is 3, and still 3 after adding 6.
    let all_digits = word & (0xF0 * ONES) == 0x30 * ONES && (word + 0x06 * ONES) & (0xF0 * ONES) == 0x30 * ONES;
    let (d8, d9) = (b[8].wrapping_sub(b'0'), b[9].wrapping_sub(b'0'));
    if !all_digits || d8 > 9 || d9 > 9 || b[0] == b'0' {
        return Err(NpiError::NotTenDigits);
    }
    // Byte i holds digit i (the first character is the lowest byte).
    let d = word - 0x30 * ONES;
    // Value: pairs, then fours, then all eight digits (each step multiplies the higher digits
    // by 10, 100, 10,000 and adds the lower, lane by lane).
    let pairs = ((d * 10) + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let fours = ((pairs * 100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    let eight = ((fours * 10_000) + (fours >> 32)) & 0xFFFF_FFFF;
    let n = eight * 100 + u64::from(d8) * 10 + u64::from(d9);
    // Luhn over the 80840-prefixed number: digits 0, 2, 4, 6 and 8 are doubled (a doubled
    // digit of 5 or more loses 9), 1, 3, 5 and 7 are added as they are; the prefix adds 24.
    let even = d & 0x00FF_00FF_00FF_00FF;
    let odd = (d >> 8) & 0x00FF_00FF_00FF_00FF;
    let byte_sum = |x: u64| (x.wrapping_mul(ONES) >> 56) as u32;
    let big = ((even + 0x7B * ONES) & 0x0080_0080_0080_0080).count_ones() + u32::from(d8 >= 5);
    let sum = 24 + 2 * (byte_sum(even) + u32::from(d8)) - 9 * big + byte_sum(odd);
    if (10 - sum % 10) % 10 == u32::from(d9) { Ok(Some(n)) } else { Err(NpiError::BadCheckDigit) }
}

impl NpiError {
    /// Sentence fragment for a problem message.
    pub fn describe(self, column: &str, raw: &[u8]) -> String {
        let shown = String::from_utf8_lossy(trim(raw));
        let shown: String = shown.chars().take(20).collect();
        match self {
            NpiError::NotTenDigits => format!("{column} \"{shown}\" is not a 10-digit NPI"),
            NpiError::BadCheckDigit => format!("{column} \"{shown}\" fails the NPI check digit (Luhn)"),
        }
    }
}

/// Member acuity from the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Acuity {
    #[default]
    Blank,
    Low,
    Medium,
    High,
}

impl Acuity {
    /// Reads low/medium/high (also L/M/H, 1/2/3, moderate); `None` for anything else.
    pub fn parse(raw: &str) -> Option<Acuity> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" => Some(Acuity::Blank),
            "low" | "l" | "1" => Some(Acuity::Low),
            "medium" | "med" | "m" | "moderate" | "2" => Some(Acuity::Medium),
            "high" | "h" | "3" => Some(Acuity::High),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Acuity::Blank => "",
            Acuity::Low => "low",
            Acuity::Medium => "medium",
            Acuity::High => "high",
        }
    }
}

/// Decodes a text field: UTF-8 as is; anything else read as Latin-1 (Windows exports), which
/// the caller reports as a warning. Returns the text and whether it was not UTF-8.
pub fn decode(raw: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(raw) {
        Ok(s) => (Cow::Borrowed(s.trim()), false),
        Err(_) => (Cow::Owned(raw.iter().map(|&b| b as char).collect::<String>().trim().to_string()), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn four_date_forms() {
        let d = ymd_to_day(2025, 1, 5).unwrap();
        for s in [
            "2025-01-05",
            "20250105",
            "01/05/2025",
            "1/5/2025",
            "05JAN2025",
            "05jan2025",
            " 2025-01-05 ",
            "2025-01-05 00:00:00",
            "2025-01-05T10:00:00",
            "05JAN2025:00:00:00",
        ] {
            assert_eq!(parse_date(s.as_bytes()), Some(d), "{s}");
        }
        assert_eq!(parse_date(b"05OCT2025"), ymd_to_day(2025, 10, 5));
        for s in
            ["2025-02-30", "20251301", "13/01/2025", "31APR2025", "", "2025/01/05", "5-1-2025", "05XYZ2025", "2025-1-5"]
        {
            assert_eq!(parse_date(s.as_bytes()), None, "{s}");
        }
        assert_eq!(parse_date(b"2024-02-29"), ymd_to_day(2024, 2, 29));
        assert_eq!(parse_date(b"2023-02-29"), None);
        assert_eq!(ymd_to_day(1970, 1, 1), Some(0));
        assert_eq!(format_day(d), "2025-01-05");
    }

    #[test]
    fn flags() {
        for s in ["Y", "y", "1", "true", "TRUE", "Yes", "T"] {
            assert_eq!(parse_flag(s.as_bytes()), Some(true), "{s}");
        }
        for s in ["N", "0", "false", "no", "F"] {
            assert_eq!(parse_flag(s.as_bytes()), Some(false), "{s}");
        }
        for s in ["", "X", "2", "yesss"] {
            assert_eq!(parse_flag(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn npis() {
        // CMS's documented example NPI.
        assert_eq!(parse_npi(b"1234567893"), Ok(Some(1_234_567_893)));
        assert_eq!(parse_npi(b"1234567893.0"), Ok(Some(1_234_567_893)));
        assert_eq!(parse_npi(b"1234567890"), Err(NpiError::BadCheckDigit));
        assert_eq!(parse_npi(b"123456789"), Err(NpiError::NotTenDigits));
        assert_eq!(parse_npi(b"12345678A3"), Err(NpiError::NotTenDigits));
        assert_eq!(parse_npi(b"  "), Ok(None));
    }

    #[test]
    fn acuity_and_decode() {
        assert_eq!(Acuity::parse("HIGH"), Some(Acuity::High));
        assert_eq!(Acuity::parse(" "), Some(Acuity::Blank));
        assert_eq!(Acuity::parse("severe"), None);
        assert_eq!(decode(b"Jos\xe9 "), (Cow::Owned("José".to_string()), true));
        assert_eq!(decode("José".as_bytes()), (Cow::Borrowed("José"), false));
    }

    #[test]
    fn taf_sentinels_read_as_blank() {
        assert_eq!(ymd_to_day(1960, 1, 1), Some(TAF_MISSING_DAY));
        assert_eq!(parse_date(TAF_MISSING_DATE.as_bytes()), Some(TAF_MISSING_DAY));
        for t in TAF_MISSING_TAXONOMIES.iter().copied().chain(["none", "No Taxonomy", "xxxxxxxxxx", "999999999x"]) {
            assert!(is_missing_taxonomy(t.as_bytes()), "{t}");
        }
        for t in ["207Q00000X", "", "NON", "888888888", "88888888888", "0000000000", "NO TAXONOMYS"] {
            assert!(!is_missing_taxonomy(t.as_bytes()), "{t}");
        }
        for d in ["1960-01-01", "19600101", "01/01/1960", "1/1/1960", "01JAN1960", " ", ""] {
            assert_eq!(parse_service_date(d.as_bytes()), Ok(None), "{d}");
        }
        assert_eq!(parse_service_date(b"1960-01-02"), Ok(ymd_to_day(1960, 1, 2)));
        assert!(
            parse_service_date(b"2025-02-30")
                .unwrap_err()
                .0
                .starts_with("service_date \"2025-02-30\" is not a valid date")
        );
    }

    proptest! {
        #[test]
        fn day_roundtrip(day in -50_000i32..80_000) {
            let (y, m, d) = day_to_ymd(day);
            prop_assert_eq!(ymd_to_day(y, m, d), Some(day));
            prop_assert_eq!(parse_date(format_day(day).as_bytes()), Some(day));
            let sas = format!("{d:02}{}{y}", std::str::from_utf8(MONTHS[m as usize - 1]).unwrap());
            prop_assert_eq!(parse_date(sas.as_bytes()), Some(day));
        }

        /// The one-pass Luhn agrees with the digit-by-digit check on any 10-digit number.
        #[test]
        fn npi_parse_agrees_with_luhn(n in 1_000_000_000u64..10_000_000_000) {
            let want = if npi_luhn_ok(n) { Ok(Some(n)) } else { Err(NpiError::BadCheckDigit) };
            prop_assert_eq!(parse_npi(n.to_string().as_bytes()), want);
        }

        /// The word-at-a-time parse agrees with a plain digit loop on any ten characters
        /// (digits, near-digits such as '/' and ':', letters, non-ASCII bytes, a leading zero),
        /// with or without a ".0" tail.
        #[test]
        fn npi_parse_agrees_with_a_digit_loop(
            bytes in proptest::collection::vec(
                prop_oneof![4 => b'0'..=b'9', 1 => Just(b'/'), 1 => Just(b':'), 1 => Just(b'A'), 1 => 0x80u8..], 10),
            tail in any::<bool>(),
        ) {
            let mut text = bytes.clone();
            if tail {
                text.extend_from_slice(b".0");
            }
            let want = if bytes.iter().all(u8::is_ascii_digit) && bytes[0] != b'0' {
                let n = bytes.iter().fold(0u64, |n, &c| n * 10 + u64::from(c - b'0'));
                if npi_luhn_ok(n) { Ok(Some(n)) } else { Err(NpiError::BadCheckDigit) }
            } else {
                Err(NpiError::NotTenDigits)
            };
            prop_assert_eq!(parse_npi(&text), want);
        }

        #[test]
        fn field_parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = parse_date(&bytes);
            let _ = parse_flag(&bytes);
            let _ = parse_npi(&bytes);
            let _ = decode(&bytes);
        }
    }
}

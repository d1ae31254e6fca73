//! member_practice.csv: the claims already reduced elsewhere (SPEC "member_practice.csv"), one
//! row per member × practice with its crossover primary-care lines and latest service date.
//!
//! It is exactly what the claims reader folds claims.csv into ([`Claims::pairs`]), so the
//! ranking, attribution and matching that follow give the same numbers as from the raw lines.
//! `carealign sql` prints the query that produces it on a state's own engine.

use super::claims::{Claims, ClaimsStats, MemberIds, Pair};
use super::fields::{Day, decode, parse_date, trim};
use super::problem::{DataError, Problems};
use super::roster::Roster;
use super::schema::member_practice_col as col;
use super::table::Table;

const FILE: &str = "member_practice.csv";

/// One good row, before members are numbered.
struct Row {
    member: Box<str>,
    practice: u32,
    lines: u32,
    last: Day,
    line: u64,
}

/// Reads member_practice.csv through `table` into the claims aggregate. Bad rows (blank member,
/// a practice not in the roster, a count that is not a positive whole number, a bad date, a
/// member × practice given twice) are reported and skipped.
pub fn read(table: Table, roster: &Roster, strict: bool, problems: &mut Problems) -> Result<Claims, DataError> {
    let mut rows: Vec<Row> = Vec::new();
    let mut stats = ClaimsStats::default();
    let total = table.for_each_row(problems, strict, |rec, idx, problems| {
        let line = rec.line;
        // Trimmed and decoded as the claims reader does (UTF-8, else Latin-1), so ids compare
        // equal to its ids and to assessments.csv's.
        let (member, latin1) = decode(rec.col(idx[col::MEMBER]));
        if member.is_empty() {
            return problems.error(FILE, line, "member_id is blank".into());
        }
        if latin1 {
            problems.warning(FILE, line, "member_id is not UTF-8 text; read as Latin-1".into());
        }
        let pid = rec.text(idx[col::PRACTICE_ID], &mut false);
        let Some(practice) = roster.practice_index(&pid) else {
            let what = if pid.is_empty() { "practice_id is blank".to_string() } else { not_in_roster(&pid) };
            return problems.error(FILE, line, what);
        };
        let raw_lines = trim(rec.col(idx[col::LINES]));
        let Some(lines) = std::str::from_utf8(raw_lines).ok().and_then(|s| s.parse::<u32>().ok()).filter(|&n| n > 0)
        else {
            let shown: String = String::from_utf8_lossy(raw_lines).chars().take(20).collect();
            return problems.error(FILE, line, format!("pc_lines \"{shown}\" is not a whole number of at least 1"));
        };
        let raw_date = rec.col(idx[col::LAST]);
        let Some(last) = parse_date(raw_date) else {
            let shown: String = String::from_utf8_lossy(trim(raw_date)).chars().take(30).collect();
            return problems.error(
                FILE,
                line,
                format!(
                    "last_service_date \"{shown}\" is not a valid date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or 05JAN2025)"
                ),
            );
        };
        rows.push(Row { member: member.into(), practice, lines, last, line });
    })?;
    stats.rows = total;

    rows.sort_unstable_by(|a, b| a.member.cmp(&b.member).then(a.practice.cmp(&b.practice)).then(a.line.cmp(&b.line)));
    // A member × practice twice would count its lines twice (a file appended to itself, two
    // engine outputs concatenated): the first row stands, the others are errors.
    let mut duplicates: Vec<(u64, u64)> = Vec::new();
    rows.dedup_by(|later, first| {
        let same = later.member == first.member && later.practice == first.practice;
        if same {
            duplicates.push((later.line, first.line));
        }
        same
    });
    duplicates.sort_unstable();
    for (line, first) in duplicates {
        problems.error(FILE, line, format!("this member and practice_id are already on line {first}"));
        if strict && let Some(p) = problems.first_error() {
            return Err(p.strict_error());
        }
    }

    let mut pairs = Vec::with_capacity(rows.len());
    for (m, group) in rows.chunk_by(|a, b| a.member == b.member).enumerate() {
        pairs.extend(group.iter().map(|r| Pair {
            member: m as u32,
            practice: r.practice,
            lines: r.lines,
            last: r.last,
        }));
    }
    let members = MemberIds::from_sorted(rows.chunk_by(|a, b| a.member == b.member).map(|g| &*g[0].member));
    stats.skipped = total - pairs.len() as u64;
    Ok(Claims { stats, members, pairs, unattributed_npis: Vec::new() })
}

fn not_in_roster(pid: &str) -> String {
    let shown: String = pid.chars().take(30).collect();
    format!("practice_id \"{shown}\" is not in practices.csv (is the summary from another roster?)")
}

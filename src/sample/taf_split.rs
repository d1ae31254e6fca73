//! `carealign sample --headers taf-split`: the generated claims as TAF delivers them, a header
//! file (one row per claim) and a line file (one row per line), so the split-file reader can be
//! shown end to end and checked against the joined claims.csv the generator wrote.
//!
//! Consecutive lines of one member with the same crossover flag and billing NPI become one
//! claim (up to six lines). The header carries the member, flag, billing NPI and the claim's
//! first service date; a line whose date is the claim's sometimes leaves it blank or writes
//! TAF's 1960-01-01, and a line without taxonomy sometimes writes one of TAF's "missing"
//! codes, so the split set exercises every fallback while meaning exactly the same lines.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::Rng;
use crate::ingest::fields::{TAF_MISSING_DATE, TAF_MISSING_TAXONOMIES};

/// Lines of one claim at most.
const MAX_LINES: usize = 6;

/// One claims.csv line as the generator writes it.
struct Line {
    member: String,
    date: String,
    rendering: String,
    billing: String,
    taxonomy: String,
    code: String,
    crossover: String,
    paid: String,
}

/// Rewrites `dir/claims.csv` as `claims_header.csv` and `claims_line.csv` (then removes it);
/// returns the number of claims.
pub fn split_claims(dir: &Path, seed: u64) -> io::Result<u64> {
    let source = dir.join("claims.csv");
    let mut reader = csv::Reader::from_path(&source)?;
    let mut header = BufWriter::with_capacity(1 << 20, File::create(dir.join("claims_header.csv"))?);
    let mut lines = BufWriter::with_capacity(1 << 20, File::create(dir.join("claims_line.csv"))?);
    header.write_all(b"CLM_ID,MSIS_ID,XOVR_IND,BLG_PRVDR_NPI_NUM,SRVC_BGNNG_DT,CLM_TYPE_CD\n")?;
    lines.write_all(
        b"CLM_ID,LINE_NUM,SRVC_BGNNG_DT,PRCDR_CD,SRVCNG_PRVDR_NPI_NUM,SRVCNG_PRVDR_TXNMY_CD,LINE_MDCD_PD_AMT\n",
    )?;
    let mut rng = Rng(seed ^ 0x7AF5_9117);
    let mut claim: Vec<Line> = Vec::with_capacity(MAX_LINES);
    let mut claims = 0u64;
    for rec in reader.records() {
        let r = rec.map_err(io::Error::other)?;
        let field = |i: usize| r.get(i).unwrap_or_default().to_string();
        let line = Line {
            member: field(0),
            date: field(1),
            rendering: field(2),
            billing: field(3),
            taxonomy: field(4),
            code: field(5),
            crossover: field(6),
            paid: field(7),
        };
        let same_claim = claim
            .first()
            .is_some_and(|c| c.member == line.member && c.crossover == line.crossover && c.billing == line.billing);
        if !same_claim || claim.len() == MAX_LINES || rng.chance(0.2) {
            write_claim(&mut header, &mut lines, &claim, claims, &mut rng)?;
            claims += u64::from(!claim.is_empty());
            claim.clear();
        }
        claim.push(line);
    }
    write_claim(&mut header, &mut lines, &claim, claims, &mut rng)?;
    claims += u64::from(!claim.is_empty());
    header.flush()?;
    lines.flush()?;
    std::fs::remove_file(source)?;
    Ok(claims)
}

fn write_claim(
    header: &mut impl Write,
    lines: &mut impl Write,
    claim: &[Line],
    number: u64,
    rng: &mut Rng,
) -> io::Result<()> {
    let Some(first) = claim.first() else { return Ok(()) };
    let id = format!("OT{:014}", number + 1);
    // ISO dates compare as text: the earliest is the claim's start.
    let start = claim.iter().map(|l| l.date.as_str()).min().unwrap_or_default();
    writeln!(header, "{id},{},{},{},{start},3", first.member, first.crossover, first.billing)?;
    for (n, l) in claim.iter().enumerate() {
        let date = match rng.below(10) {
            0..=2 if l.date == start => "",
            3..=4 if l.date == start => TAF_MISSING_DATE,
            _ => l.date.as_str(),
        };
        let taxonomy = match l.taxonomy.as_str() {
            "" if rng.chance(0.6) => rng.pick(&TAF_MISSING_TAXONOMIES),
            t => t,
        };
        writeln!(lines, "{id},{},{date},{},{},{taxonomy},{}", n + 1, l.code, l.rendering, l.paid)?;
    }
    Ok(())
}

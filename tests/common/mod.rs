//! Helpers shared by the integration tests: run the real binary, read CSV output.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_carealign"))
}

/// Runs carealign with `args`, returning its output.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("carealign runs")
}

/// Runs carealign and insists on success.
pub fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "carealign {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Parses CSV text into rows of column → value; a row of the wrong width gets only the key
/// `__bad`.
pub fn rows(text: &[u8]) -> Vec<HashMap<String, String>> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            if rec.len() != headers.len() {
                return HashMap::from([("__bad".to_string(), String::new())]);
            }
            headers.iter().map(String::from).zip(rec.iter().map(String::from)).collect()
        })
        .collect()
}

pub fn read_rows(path: &Path) -> Vec<HashMap<String, String>> {
    rows(&std::fs::read(path).unwrap())
}

/// Writes `sample` data into a fresh temp dir.
pub fn sample(members: usize, practices: usize, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(&[
        "sample",
        dir.path().to_str().unwrap(),
        "--members",
        &members.to_string(),
        "--practices",
        &practices.to_string(),
        "--seed",
        &seed.to_string(),
    ]);
    dir
}

/// A valid NPI (Luhn check digit computed) from 9 leading digits.
pub fn npi(base9: u64) -> String {
    for check in 0..10 {
        let n = base9 * 10 + check;
        if luhn_ok(&n.to_string()) {
            return n.to_string();
        }
    }
    unreachable!()
}

/// Independent Luhn check for NPIs (prefix 80840), written from the CMS description.
pub fn luhn_ok(s: &str) -> bool {
    if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
        return false;
    }
    let full = format!("80840{s}");
    let digits: Vec<u32> = full.bytes().map(|b| u32::from(b - b'0')).collect();
    let mut sum = 0;
    for (i, &d) in digits.iter().rev().enumerate() {
        sum += if i % 2 == 1 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
    }
    sum % 10 == 0
}

pub mod reference;

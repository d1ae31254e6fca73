//! A hand-written table of real-world style answers against a small roster.

use super::*;
use crate::config::Config;
use crate::ingest::{Clinician, Practice, Roster};

/// (practice id, name); clinicians: (npi, first, last, practice ids).
fn roster() -> Roster {
    let practices = [
        ("P01", "Riverside Family Medicine, LLC"),
        ("P02", "Riverside Internal Medicine P.A."),
        ("P03", "St. Mary's Community Health Center, Inc."),
        ("P04", "Lakeview Geriatric Associates"),
        ("P05", "Oak Hill Medical Group PLLC"),
        ("P06", "Patel Family Practice"),
        ("P07", "Southside Family Medicine Clinic"),
        ("P08", "Southside Geriatric Associates"),
        ("P09", "Maple Grove Primary Care Physicians"),
        ("P10", "Maple Grove Primary Care PC"),
        ("P11", "Maple Grove Primary Care of Centerville, PC"),
        ("P12", "Cedar Ridge Internal Medicine Associates"),
        ("P13", "Good Samaritan Medical Center"),
        ("P14", "Harbor Health Partners"),
        ("P15", "Nguyen Family Medicine"),
        ("P16", "Mercy Medical Associates"),
        ("P17", "Mercy Medical Associates of Salem"),
    ];
    let clinicians: &[(u64, &str, &str, &[&str])] = &[
        (1_234_567_893, "Sarah", "Patel", &["P01"]),
        (1_245_319_599, "Raj", "Patel", &["P06"]),
        (1_003_000_126, "Kim", "Lee", &["P01"]),
        (1_003_000_134, "Anna", "Lee", &["P04"]),
        (1_003_000_142, "Omar", "Haddad", &["P05", "P12"]),
        (1_003_000_159, "Yuki", "Okafor", &["P03"]),
        (1_003_000_167, "Linh", "Nguyen", &["P15"]),
        (1_003_000_175, "Maria", "Schwartz", &["P13"]),
    ];
    let mut practices: Vec<Practice> = practices
        .iter()
        .map(|(id, name)| Practice { id: id.to_string(), name: name.to_string(), ..Practice::default() })
        .collect();
    practices.sort_by(|a, b| a.id.cmp(&b.id));
    let mut r = Roster { practices, ..Roster::default() };
    r.practice_clinicians = vec![Vec::new(); r.practices.len()];
    for (i, (npi, first, last, ps)) in clinicians.iter().enumerate() {
        r.clinicians.push(Clinician {
            npi: *npi,
            first: first.to_string(),
            last: last.to_string(),
            pcp: true,
            ..Clinician::default()
        });
        r.npi_index.insert(*npi, i as u32);
        let idx: Vec<u32> = ps.iter().map(|p| r.practice_index(p).unwrap()).collect();
        for &p in &idx {
            r.practice_clinicians[p as usize].push(i as u32);
        }
        r.clinician_practices.push(idx);
    }
    r
}

#[test]
fn npis_in_test_roster_are_valid() {
    for c in &roster().clinicians {
        assert!(crate::ingest::fields::npi_luhn_ok(c.npi), "{}", c.npi);
    }
}

/// Expected outcome: a practice id, "?" + candidate ids for ambiguous, "-" no answer, "0" not found.
const CASES: &[(&str, &str)] = &[
    // Exact, case, punctuation, legal suffixes.
    ("Riverside Family Medicine, LLC", "P01"),
    ("riverside family medicine", "P01"),
    ("RIVERSIDE FAMILY MEDICINE LLC", "P01"),
    ("Riverside Family Medicine P.C.", "P01"),
    ("Oak Hill Medical Group", "P05"),
    ("oak hill med grp", "P05"),
    // Abbreviations.
    ("Riverside Fam Med", "P01"),
    ("Riverside FM", "P01"),
    ("Riverside Int Med", "P02"),
    ("Riverside IM", "P02"),
    ("St Marys CHC", "P03"),
    ("Saint Mary's Community Health Ctr", "P03"),
    ("st. marys comm health center", "P03"),
    ("Lakeview Geriatric Assoc", "P04"),
    ("Cedar Ridge Int Med Assoc", "P12"),
    ("Good Samaritan Med Ctr", "P13"),
    // Typos.
    ("Rivreside Family Medicine", "P01"),
    ("Riverside Famly Medicne", "P01"),
    ("Lakevew Geriatric Associates", "P04"),
    ("Cedar Rdige Internal Medicine Associates", "P12"),
    ("Harbour Health Partners", "P14"),
    ("Good Samaritin Medical Center", "P13"),
    // Site and address after the name.
    ("Riverside Family Medicine - North", "P01"),
    ("Oak Hill Medical Group (Main St)", "P05"),
    ("Harbor Health Partners on Elm Street", "P14"),
    ("goes to Lakeview Geriatric Associates", "P04"),
    ("the Harbor Health Partners office", "P14"),
    // Doctors.
    ("Dr. Patel", "?P01;P06"),
    ("dr sarah patel", "P01"),
    ("Dr Raj Patel", "P06"),
    ("Dr. Lee", "?P01;P04"),
    ("Dr Lee at Riverside", "P01"),
    ("Dr. Lee at Lakeview", "P04"),
    ("DR OKAFOR", "P03"),
    ("Dr. Haddad", "?P05;P12"),
    ("Dr Haddad at Oak Hill", "P05"),
    ("dr schwartz md", "P13"),
    ("Dr. Zhivago", "0"),
    // NPIs.
    ("1234567893", "P01"),
    ("NPI 1245319599", "P06"),
    ("npi: 1003000142", "?P05;P12"),
    // Non-answers.
    ("don't know", "-"),
    ("Unknown", "-"),
    ("N/A", "-"),
    ("ER", "-"),
    ("VA", "-"),
    ("urgent care", "-"),
    ("", "-"),
    ("  ", "-"),
    ("none", "-"),
    ("Pt doesn't know", "-"),
    ("no regular doctor", "-"),
    ("?", "-"),
    // Genuinely ambiguous: a place word, a type word. A whole name matches even when longer
    // names contain it (SPEC).
    ("Riverside", "?P01;P02"),
    ("Riverside clinic", "?P01;P02"),
    ("Southside clinic", "?P07;P08"),
    ("Maple Grove Primary Care", "P10"),
    ("Mercy Medical Associates", "P16"),
    ("Mercy Med Assoc", "P16"),
    ("Mercy Medical", "?P16;P17"),
    ("Mercy Medical Associates of Salem", "P17"),
    ("Maple Grove Primary Care Physicians", "P09"),
    // Not in the roster.
    ("Walgreens", "0"),
    ("Sunrise Pediatrics", "0"),
    ("Riverside Dental", "0"),
];

#[test]
fn tricky_answers() {
    let r = roster();
    let config = Config::default();
    let m = Matcher::new(&r, &config.non_answers);
    let id = |p: u32| r.practices[p as usize].id.clone();
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let got = m.match_response(text);
        let shown = match got.status {
            MatchStatus::Matched => id(got.practice.unwrap()),
            MatchStatus::Ambiguous => {
                let mut c: Vec<String> = got.candidates.iter().map(|&p| id(p)).collect();
                c.sort();
                format!("?{}", c.join(";"))
            }
            MatchStatus::NoAnswer => "-".into(),
            MatchStatus::NotFound => "0".into(),
        };
        if shown != *want {
            failures.push(format!("{text:?}: want {want}, got {shown} ({got:?})"));
        }
        if got.status == MatchStatus::Matched {
            assert!(got.confidence > 0.5 && got.confidence <= 1.0, "{text}: {}", got.confidence);
        }
    }
    assert!(CASES.len() >= 40);
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn a_non_answer_phrase_counts_only_as_whole_words_wherever_it_occurs() {
    let phrases = ["no no".to_string(), "not sure".to_string()];
    let finder = phrase_finder(&phrases);
    for (text, holds) in [
        (" not sure ", true),
        (" pt not sure of name ", true),
        (" knot sure ", false),
        (" not surely ", false),
        // The first "no no" starts inside a word; the overlapping second one is whole.
        (" xno no no ", true),
        (" xno nox ", false),
    ] {
        assert_eq!(contains_phrase(text, &finder), holds, "{text:?}");
    }
}

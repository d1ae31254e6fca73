//! Labeled evaluation of self-report matching on generated data with its answer key, at two
//! seeds and sizes: precision over everything reported as matched, recall over answers that
//! identify exactly one practice, and precision of the high-confidence matches.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::*;

#[derive(Default, Debug)]
struct Tally {
    total: usize,
    matched_right: usize,
    matched_wrong: usize,
    ambiguous: usize,
    no_answer: usize,
    not_found: usize,
}

fn evaluate(members: usize, practices: usize, seed: u64) {
    let dir = sample(members, practices, seed);
    let key: HashMap<String, HashMap<String, String>> =
        read_rows(&dir.path().join("answer_key.csv")).into_iter().map(|r| (r["member_id"].clone(), r)).collect();
    let out = ok(&["match", dir.path().to_str().unwrap()]);
    let got = rows(&out.stdout);
    assert_eq!(got.len(), key.len(), "one row per HCBS member");

    let mut by_form: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut matched, mut right, mut identifiable, mut found) = (0, 0, 0, 0);
    let (mut confident, mut confident_right) = (0, 0);
    for r in &got {
        let k = &key[&r["member_id"]];
        let t = by_form.entry(k["form"].clone()).or_default();
        t.total += 1;
        let truth = &k["practice_id"];
        let conf: f64 = r["confidence"].parse().unwrap();
        assert!((0.0..=1.0).contains(&conf));
        match r["match_status"].as_str() {
            "matched" => {
                matched += 1;
                let ok = r["reported_practice_id"] == *truth;
                if ok {
                    right += 1;
                    t.matched_right += 1;
                } else {
                    t.matched_wrong += 1;
                }
                if conf >= 0.9 {
                    confident += 1;
                    confident_right += usize::from(ok);
                }
                assert_eq!(r["candidates"], "");
            }
            "ambiguous" => {
                t.ambiguous += 1;
                assert!(r["candidates"].split(';').count() >= 2, "ambiguous answers list candidates");
            }
            "no_answer" => t.no_answer += 1,
            "not_found" => t.not_found += 1,
            s => panic!("unknown status {s}"),
        }
        if !truth.is_empty() {
            identifiable += 1;
            found += usize::from(r["match_status"] == "matched" && r["reported_practice_id"] == *truth);
        }
        // The final practice follows SPEC: self-report if matched, else claims.
        let expected_final =
            if r["match_status"] == "matched" { &r["reported_practice_id"] } else { &r["claims_practice_id"] };
        assert_eq!(&r["practice_id"], expected_final);
        let source = match (r["match_status"] == "matched", r["claims_practice_id"].is_empty()) {
            (true, true) => "self_report",
            (true, false) if r["claims_practice_id"] == r["reported_practice_id"] => "self_report",
            (true, false) => "conflict",
            (false, false) => "claims",
            (false, true) => "none",
        };
        assert_eq!(r["match_source"], source);
    }
    let precision = right as f64 / matched as f64;
    let recall = found as f64 / identifiable as f64;
    let conf_precision = confident_right as f64 / confident.max(1) as f64;
    println!("\nseed {seed}, {members} members, {practices} practices: {} answers", got.len());
    println!(
        "{:<12} {:>6} {:>8} {:>6} {:>9} {:>9} {:>9}",
        "form", "total", "right", "wrong", "ambiguous", "no_answer", "not_found"
    );
    for (form, t) in &by_form {
        println!(
            "{form:<12} {:>6} {:>8} {:>6} {:>9} {:>9} {:>9}",
            t.total, t.matched_right, t.matched_wrong, t.ambiguous, t.no_answer, t.not_found
        );
    }
    println!(
        "precision {precision:.4} ({right}/{matched}), recall {recall:.4} ({found}/{identifiable}), precision at confidence >= 0.9 {conf_precision:.4} ({confident_right}/{confident})"
    );
    assert!(precision >= 0.98, "precision {precision}");
    assert!(recall >= 0.90, "recall {recall}");
    assert!(conf_precision >= 0.98, "precision at high confidence {conf_precision}");
    // Every form is represented, and genuinely ambiguous answers are never matched.
    for form in ["exact", "lower", "abbreviated", "typo", "site", "doctor", "npi", "non_answer", "ambiguous"] {
        assert!(by_form.get(form).is_some_and(|t| t.total > 0), "form {form} missing");
    }
    let amb = &by_form["ambiguous"];
    assert!(amb.ambiguous as f64 >= 0.9 * amb.total as f64, "{amb:?}");
    let non = &by_form["non_answer"];
    assert_eq!(non.no_answer, non.total, "{non:?}");
}

#[test]
fn accuracy_small_seed_4() {
    evaluate(6000, 200, 4);
}

#[test]
fn accuracy_larger_seed_21() {
    evaluate(30_000, 1500, 21);
}

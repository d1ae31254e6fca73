//! The four exports agree with each other and with the caseload rule, are repeatable byte
//! for byte, guard against formula injection and never overwrite an input.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use common::*;

/// Assigns care managers to the top practices: two each for the first five, one for the next.
fn write_plan(dir: &Path) -> HashMap<String, Vec<String>> {
    let ranked = rows(&ok(&["rank", dir.to_str().unwrap(), "--top", "15"]).stdout);
    let cms: Vec<String> =
        read_rows(&dir.join("care_managers.csv")).iter().map(|r| r["care_manager_id"].clone()).collect();
    let mut plan = String::from("practice_id,slot,care_manager_id\n");
    let mut assigned = HashMap::new();
    let mut next = 0;
    for (i, r) in ranked.iter().enumerate() {
        let n = if i < 5 { 2 } else { 1 };
        let mut list = Vec::new();
        for slot in 1..=n {
            let cm = cms[next % cms.len()].clone();
            next += 1;
            plan.push_str(&format!("{},{slot},{cm}\n", r["practice_id"]));
            list.push(cm);
        }
        assigned.insert(r["practice_id"].clone(), list);
    }
    // Rows naming things that do not exist are reported and skipped.
    plan.push_str("NOPE,1,CM0001\n");
    plan.push_str(&format!("{},1,CM9999\n", ranked[20.min(ranked.len() - 1)]["practice_id"]));
    fs::write(dir.join("plan.csv"), plan).unwrap();
    assigned
}

#[test]
fn exports_agree_and_repeat() {
    let data = sample(4000, 90, 6);
    let dir = data.path();
    let assigned = write_plan(dir);
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    let o = ok(&["export", dir.to_str().unwrap(), "--out-dir", out1.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("plan.csv:22: practice NOPE is not in practices.csv"), "{err}");
    assert!(err.contains("care manager CM9999 is not in care_managers.csv"), "{err}");
    assert!(err.contains("wrote 5 files"), "{err}");
    ok(&["export", dir.to_str().unwrap(), "--out-dir", out2.path().to_str().unwrap()]);
    for f in ["practice_assignments.csv", "member_assignments.csv", "caseloads.csv", "outreach.csv"] {
        assert_eq!(fs::read(out1.path().join(f)).unwrap(), fs::read(out2.path().join(f)).unwrap(), "{f} repeatable");
    }

    let practices = read_rows(&out1.path().join("practice_assignments.csv"));
    let members = read_rows(&out1.path().join("member_assignments.csv"));
    let caseloads = read_rows(&out1.path().join("caseloads.csv"));
    let outreach = read_rows(&out1.path().join("outreach.csv"));
    let cm_rows: HashMap<String, &HashMap<String, String>> =
        caseloads.iter().map(|r| (r["care_manager_id"].clone(), r)).collect();

    // Practices: the plan's CMs, in slot order; outreach has exactly the assigned practices.
    for r in &practices {
        let want = assigned.get(&r["practice_id"]).cloned().unwrap_or_default();
        let got: Vec<String> = [&r["cm1_id"], &r["cm2_id"]].into_iter().filter(|s| !s.is_empty()).cloned().collect();
        assert_eq!(got, want, "practice {}", r["practice_id"]);
    }
    let with_cm: HashSet<&String> =
        practices.iter().filter(|r| !r["cm1_id"].is_empty()).map(|r| &r["practice_id"]).collect();
    assert_eq!(with_cm.len(), assigned.len());
    assert_eq!(outreach.len(), assigned.len());
    for r in &outreach {
        assert!(with_cm.contains(&r["practice_id"]));
        assert!(!r["cm1_name"].is_empty() && !r["cm1_email"].is_empty() && !r["cm1_phone"].is_empty());
    }

    // Members of assigned practices are with one of its CMs, or kept their CM (overflow).
    let assessments = read_rows(&dir.join("assessments.csv"));
    let hcbs: HashSet<&String> = assessments.iter().map(|r| &r["member_id"]).collect();
    assert_eq!(members.len(), hcbs.len(), "one row per HCBS member");
    let mut to_practice_cm = 0;
    let mut overflowed: HashSet<String> = HashSet::new();
    for r in &members {
        if let Some(cms) = assigned.get(&r["practice_id"]) {
            if cms.contains(&r["new_cm"]) {
                to_practice_cm += 1;
            } else {
                overflowed.insert(r["member_id"].clone());
                assert_eq!(r["new_cm"], r["previous_cm"], "overflow keeps the current CM: {r:?}");
            }
        } else {
            assert_eq!(r["new_cm"], r["previous_cm"], "members of unassigned practices keep their CM");
        }
        assert_eq!(r["changed"] == "Y", r["new_cm"] != r["previous_cm"]);
        assert!(["self_report", "both", "claims", "conflict", "none"].contains(&r["match_source"].as_str()));
        assert!(["Y", "N"].contains(&r["needs_review"].as_str()));
    }
    assert!(to_practice_cm > 100, "{to_practice_cm}");

    // Caseload counts equal member rows; in/out add up; nobody pushed over capacity.
    let mut count: HashMap<&str, i64> = HashMap::new();
    let mut inn: HashMap<&str, i64> = HashMap::new();
    let mut out: HashMap<&str, i64> = HashMap::new();
    for r in &members {
        *count.entry(r["new_cm"].as_str()).or_default() += 1;
        if r["changed"] == "Y" {
            *inn.entry(r["new_cm"].as_str()).or_default() += 1;
            *out.entry(r["previous_cm"].as_str()).or_default() += 1;
        }
    }
    for (id, r) in &cm_rows {
        let members_now: i64 = r["members"].parse().unwrap();
        assert_eq!(members_now, count.get(id.as_str()).copied().unwrap_or(0), "members of {id}");
        assert_eq!(r["members_in"].parse::<i64>().unwrap(), inn.get(id.as_str()).copied().unwrap_or(0), "in of {id}");
        assert_eq!(r["members_out"].parse::<i64>().unwrap(), out.get(id.as_str()).copied().unwrap_or(0), "out of {id}");
        // Placements never push a CM over capacity: the members it kept by continuity (or
        // because their practice has no CM) plus those placed with it fit, whenever it got any.
        let capacity: i64 = r["capacity"].parse().unwrap();
        let placed = inn.get(id.as_str()).copied().unwrap_or(0);
        let kept = members
            .iter()
            .filter(|m| m["new_cm"] == *id && m["changed"] == "N" && !overflowed.contains(&m["member_id"]))
            .count() as i64;
        if placed > 0 {
            assert!(kept + placed <= capacity, "{id} pushed over capacity: {kept} kept + {placed} placed > {capacity}");
        }
        let practices: Vec<&str> = r["practices"].split(';').filter(|s| !s.is_empty()).collect();
        for p in practices {
            assert!(assigned[p].contains(id));
        }
    }
    let total_in: i64 = inn.iter().filter(|(k, _)| !k.is_empty()).map(|(_, v)| v).sum();
    let total_out: i64 = out.iter().filter(|(k, _)| !k.is_empty()).map(|(_, v)| v).sum();
    let from_none = members.iter().filter(|r| r["changed"] == "Y" && r["previous_cm"].is_empty()).count() as i64;
    assert_eq!(total_in, total_out + from_none, "moves add up");
}

#[test]
fn formula_injection_is_guarded_and_inputs_are_never_overwritten() {
    let data = sample(800, 30, 8);
    let dir = data.path();
    let cms = fs::read_to_string(dir.join("care_managers.csv")).unwrap();
    let mut lines: Vec<String> = cms.lines().map(String::from).collect();
    let hostile = ["=HYPERLINK(\"http://x\")", "+SUM(1)", "-2+3", "@cmd"];
    for (i, h) in hostile.iter().enumerate() {
        let mut cells: Vec<String> = lines[i + 1].split(',').map(String::from).collect();
        cells[1] = format!("\"{}\"", h.replace('"', "\"\""));
        lines[i + 1] = cells.join(",");
    }
    fs::write(dir.join("care_managers.csv"), lines.join("\n") + "\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(&["export", dir.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);
    let caseloads = read_rows(&out.path().join("caseloads.csv"));
    for (i, h) in hostile.iter().enumerate() {
        assert_eq!(caseloads[i]["name"], format!("'{h}"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(out.path().join("member_assignments.csv")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "exports hold health information");
    }

    let before = fs::read(dir.join("claims.csv")).unwrap();
    let r = run(&["rank", dir.to_str().unwrap(), "--out", dir.join("claims.csv").to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("refusing to write over an input file"));
    assert_eq!(fs::read(dir.join("claims.csv")).unwrap(), before);
    let r = run(&[
        "export",
        dir.to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
        "--plan",
        "/nonexistent/plan.csv",
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no such plan file"));
}

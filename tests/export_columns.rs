//! The readable columns of member_assignments.csv and caseloads.csv (names beside ids,
//! overflow, utilization) agree with the input files, read here on their own, and numbers are
//! written one way in every file.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use common::*;

/// Practice id → name, straight from practices.csv (own format). A solo practice (blank
/// practice_id) is keyed by the NPI and named after its clinician: its value is the
/// clinician's last name, which the name must contain.
fn practice_names(dir: &Path) -> HashMap<String, (bool, String)> {
    let mut out: HashMap<String, (bool, String)> = HashMap::new();
    for r in read_rows(&dir.join("practices.csv")) {
        let pid = r["practice_id"].trim();
        if pid.is_empty() {
            out.insert(r["npi"].trim().to_string(), (true, r["clinician_last"].trim().to_string()));
        } else {
            let e = out.entry(pid.to_string()).or_insert((false, String::new()));
            if e.1.is_empty() {
                e.1 = r["practice_name"].trim().to_string();
            }
        }
    }
    out
}

fn name_agrees(names: &HashMap<String, (bool, String)>, id: &str, name: &str) -> bool {
    match names.get(id) {
        Some((true, last)) => name.contains(last.as_str()),
        Some((false, n)) => n == name,
        None => id.is_empty() && name.is_empty(),
    }
}

/// Two CMs for each of the top 6 practices, one for the next 10, cycling through the CMs
/// so that some get several practices and some are filled up.
fn write_plan(dir: &Path) -> HashMap<String, Vec<String>> {
    let ranked = rows(&ok(&["rank", dir.to_str().unwrap(), "--top", "16"]).stdout);
    let cms: Vec<String> =
        read_rows(&dir.join("care_managers.csv")).iter().map(|r| r["care_manager_id"].clone()).collect();
    let mut plan = String::from("practice_id,slot,care_manager_id\n");
    let mut assigned: HashMap<String, Vec<String>> = HashMap::new();
    for (i, r) in ranked.iter().enumerate() {
        for slot in 1..=(if i < 6 { 2 } else { 1 }) {
            let cm = cms[(i * 2 + slot) % cms.len()].clone();
            plan.push_str(&format!("{},{slot},{cm}\n", r["practice_id"]));
            assigned.entry(r["practice_id"].clone()).or_default().push(cm);
        }
    }
    fs::write(dir.join("plan.csv"), plan).unwrap();
    assigned
}

fn is_count(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_two_decimals(s: &str) -> bool {
    matches!(s.split_once('.'), Some((a, b)) if is_count(a) && b.len() == 2 && is_count(b))
}

#[test]
fn name_columns_agree_with_id_columns_through_the_inputs() {
    let data = sample(3000, 70, 12);
    let dir = data.path();
    let assigned = write_plan(dir);
    let out = tempfile::tempdir().unwrap();
    ok(&["export", dir.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);

    let practices = practice_names(dir);
    let cms: HashMap<String, HashMap<String, String>> =
        read_rows(&dir.join("care_managers.csv")).into_iter().map(|r| (r["care_manager_id"].clone(), r)).collect();
    let cm_field = |id: &str, f: &str| cms.get(id).map(|r| r[f].clone()).unwrap_or_default();

    let header = |f: &str| {
        let text = fs::read_to_string(out.path().join(f)).unwrap();
        text.lines().next().unwrap().split(',').map(String::from).collect::<Vec<_>>()
    };
    // Existing columns first, in their order; readable ones at the end.
    let m_header = header("member_assignments.csv");
    assert_eq!(
        m_header[..15].join(","),
        "member_id,practice_id,match_source,previous_cm,new_cm,changed,acuity,waiver,county,medicare_plan,\
         practice_name,previous_cm_name,new_cm_name,new_cm_supervisor,overflow"
    );
    let c_header = header("caseloads.csv");
    assert_eq!(
        c_header[..12].join(","),
        "care_manager_id,name,supervisor,capacity,members,weighted_load,members_in,members_out,practices,\
         utilization,over_capacity,practice_names"
    );

    let members = read_rows(&out.path().join("member_assignments.csv"));
    let mut overflow = 0;
    let mut named_practices = 0;
    for r in &members {
        assert!(name_agrees(&practices, &r["practice_id"], &r["practice_name"]), "{r:?}");
        named_practices += usize::from(!r["practice_name"].is_empty());
        assert_eq!(r["previous_cm_name"], cm_field(&r["previous_cm"], "name"));
        assert_eq!(r["new_cm_name"], cm_field(&r["new_cm"], "name"));
        assert_eq!(r["new_cm_supervisor"], cm_field(&r["new_cm"], "supervisor"));
        // Overflow: the member's practice has CMs under the plan, and the member is with none.
        let expected = assigned.get(&r["practice_id"]).is_some_and(|c| !c.contains(&r["new_cm"]));
        assert_eq!(r["overflow"], if expected { "Y" } else { "N" }, "{r:?}");
        overflow += usize::from(expected);
    }
    assert!(named_practices > members.len() / 2, "most members have a practice");
    assert!(overflow > 0, "the plan fills some CMs: overflow is exercised");

    let caseloads = read_rows(&out.path().join("caseloads.csv"));
    let mut over = 0;
    for r in &caseloads {
        let id = &r["care_manager_id"];
        assert_eq!(r["name"], cm_field(id, "name"));
        assert_eq!(r["supervisor"], cm_field(id, "supervisor"));
        let (n, cap): (f64, f64) = (r["members"].parse().unwrap(), cm_field(id, "capacity").parse().unwrap());
        let u: f64 = r["utilization"].parse().unwrap();
        // Two decimals: within half a hundredth (and a hair for binary rounding).
        assert!((u - n / cap).abs() <= 0.005 + 1e-9, "{id}: utilization {u} vs {n}/{cap}");
        assert_eq!(r["over_capacity"], if n > cap { "Y" } else { "N" });
        over += usize::from(n > cap);
        let ids: Vec<&str> = r["practices"].split(';').filter(|s| !s.is_empty()).collect();
        let names: Vec<&str> = r["practice_names"].split(';').filter(|s| !s.is_empty()).collect();
        assert_eq!(ids.len(), names.len(), "{id}");
        for (pid, name) in ids.iter().zip(&names) {
            assert!(name_agrees(&practices, pid, name), "{id}: {pid} named {name}");
            assert!(assigned[*pid].contains(id));
        }
    }
    let covering: HashSet<&String> = assigned.values().flatten().collect();
    assert!(caseloads.iter().filter(|r| !r["practices"].is_empty()).count() == covering.len());
    eprintln!("{} members, {overflow} overflow, {over} CMs over capacity", members.len());

    // One number format everywhere: counts are digits only, fractions have two decimals.
    for (file, counts, fractions) in [
        (
            "caseloads.csv",
            &["capacity", "members", "members_in", "members_out"][..],
            &["weighted_load", "utilization"][..],
        ),
        ("practice_assignments.csv", &["rank", "duals_seen", "hcbs_members"][..], &[][..]),
    ] {
        for r in read_rows(&out.path().join(file)) {
            for c in counts {
                assert!(is_count(&r[*c]), "{file} {c} = {:?}", r[*c]);
            }
            for c in fractions {
                assert!(is_two_decimals(&r[*c]), "{file} {c} = {:?}", r[*c]);
            }
        }
    }
    for r in rows(&ok(&["match", dir.to_str().unwrap()]).stdout) {
        assert!(is_two_decimals(&r["confidence"]), "{:?}", r["confidence"]);
    }
}

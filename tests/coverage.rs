//! coverage.csv recomputed independently from member_assignments.csv and the input files, on a
//! roster where some practices have no county (only city and state, as in the DAC) and a plan
//! saved with its own threshold.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;

use common::*;

#[test]
fn coverage_agrees_with_member_assignments_and_the_inputs() {
    let data = sample(3000, 80, 11);
    let dir = data.path();

    // Every third group practice loses its county and gets a city and state instead.
    let roster = fs::read_to_string(dir.join("practices.csv")).unwrap();
    let mut text = String::new();
    let mut reader = csv::Reader::from_reader(roster.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[6], "county");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().map(String::as_str).chain(["city", "state"])).unwrap();
    let mut no_county = 0;
    for rec in reader.records() {
        let mut cells: Vec<String> = rec.unwrap().iter().map(String::from).collect();
        let pid = cells[4].clone();
        let city = if !pid.is_empty() && pid.bytes().map(u32::from).sum::<u32>() % 3 == 0 {
            no_county += 1;
            cells[6].clear();
            if pid.ends_with(['1', '3', '5', '7', '9']) { "Springfield" } else { "Salem" }
        } else {
            ""
        };
        cells.push(city.to_string());
        cells.push(if city.is_empty() { String::new() } else { "OR".to_string() });
        w.write_record(&cells).unwrap();
    }
    text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    fs::write(dir.join("practices.csv"), text).unwrap();
    assert!(no_county > 10);

    // A plan: CMs for the top practices, saved with threshold 10.
    let ranked = rows(&ok(&["rank", dir.to_str().unwrap(), "--top", "30"]).stdout);
    let cms = read_rows(&dir.join("care_managers.csv"));
    let mut plan = String::from("practice_id,slot,care_manager_id\n");
    let mut plan_cms: HashMap<String, Vec<String>> = HashMap::new();
    for (i, r) in ranked.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let cm = &cms[i % cms.len()]["care_manager_id"];
        plan.push_str(&format!("{},1,{cm}\n", r["practice_id"]));
        plan_cms.entry(r["practice_id"].clone()).or_default().push(cm.clone());
    }
    fs::write(dir.join("plan.csv"), plan).unwrap();
    fs::write(dir.join("plan.toml"), "threshold = 10\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(&["export", dir.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);

    // Where each practice is, from practices.csv.
    let mut county_of: BTreeMap<String, String> = BTreeMap::new();
    for r in read_rows(&dir.join("practices.csv")) {
        let key = if r["practice_id"].is_empty() { r["npi"].clone() } else { r["practice_id"].clone() };
        let place = if !r["county"].is_empty() {
            r["county"].clone()
        } else if !r["city"].is_empty() {
            format!("{}, {}", r["city"], r["state"])
        } else {
            "(no county)".to_string()
        };
        let e = county_of.entry(key).or_default();
        if e.is_empty() || (e == "(no county)" && place != "(no county)") {
            *e = place;
        }
    }
    let facts = reference::practices(dir);

    #[derive(Default, Debug, PartialEq)]
    struct Row {
        practices: usize,
        high: usize,
        with_cm: usize,
        duals: BTreeSet<String>,
        hcbs: usize,
        hcbs_with_cm: usize,
        cms: usize,
        capacity: u64,
        members: u64,
    }
    let mut want: BTreeMap<String, Row> = BTreeMap::new();
    for (pid, county) in &county_of {
        let row = want.entry(county.clone()).or_default();
        row.practices += 1;
        let f = &facts[pid];
        if f.members.len() >= 10 {
            row.high += 1;
            row.duals.extend(f.members.iter().cloned());
        }
        row.with_cm += usize::from(plan_cms.contains_key(pid));
    }
    let members = read_rows(&out.path().join("member_assignments.csv"));
    let mut caseload: HashMap<&str, u64> = HashMap::new();
    for m in &members {
        *caseload.entry(m["new_cm"].as_str()).or_default() += 1;
        let county = if m["practice_id"].is_empty() {
            "(no practice)".to_string()
        } else {
            county_of[&m["practice_id"]].clone()
        };
        let row = want.entry(county).or_default();
        row.hcbs += 1;
        row.hcbs_with_cm += usize::from(plan_cms.get(&m["practice_id"]).is_some_and(|c| c.contains(&m["new_cm"])));
    }
    for c in &cms {
        let county = if c["county"].is_empty() { "(no county)".to_string() } else { c["county"].clone() };
        let row = want.entry(county).or_default();
        row.cms += 1;
        row.capacity += c["capacity"].parse::<u64>().unwrap();
        row.members += caseload.get(c["care_manager_id"].as_str()).copied().unwrap_or(0);
    }

    let got = read_rows(&out.path().join("coverage.csv"));
    let n = |r: &HashMap<String, String>, c: &str| r[c].parse::<u64>().unwrap();
    let names: Vec<&str> = got.iter().map(|r| r["county"].as_str()).collect();
    let want_names: Vec<&str> = want.keys().map(String::as_str).collect();
    assert_eq!(names.iter().copied().collect::<BTreeSet<_>>(), want_names.iter().copied().collect::<BTreeSet<_>>());
    assert!(names.contains(&"Salem, OR") && names.contains(&"Springfield, OR"), "{names:?}");
    assert_eq!(names.last(), Some(&"(no practice)"), "the special rows come last");
    for r in &got {
        let w = &want[&r["county"]];
        let c = &r["county"];
        assert_eq!(n(r, "practices"), w.practices as u64, "{c}");
        assert_eq!(n(r, "high_volume_practices"), w.high as u64, "{c}");
        assert_eq!(n(r, "practices_with_cm"), w.with_cm as u64, "{c}");
        assert_eq!(n(r, "duals_seen_high_volume"), w.duals.len() as u64, "{c}");
        assert_eq!(n(r, "hcbs_members"), w.hcbs as u64, "{c}");
        assert_eq!(n(r, "hcbs_members_with_practice_cm"), w.hcbs_with_cm as u64, "{c}");
        assert_eq!(n(r, "care_managers"), w.cms as u64, "{c}");
        assert_eq!(n(r, "capacity"), w.capacity, "{c}");
        assert_eq!(n(r, "members"), w.members, "{c}");
    }
    // Everyone counted once: the rows add up to the inputs.
    let sum = |c: &str| got.iter().map(|r| n(r, c)).sum::<u64>();
    assert_eq!(sum("practices"), county_of.len() as u64);
    assert_eq!(sum("hcbs_members"), members.len() as u64);
    assert_eq!(sum("care_managers"), cms.len() as u64);
    assert!(sum("hcbs_members_with_practice_cm") > 0, "the plan covers someone");
    assert!(sum("high_volume_practices") > 0);
}

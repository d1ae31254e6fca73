//! `carealign rank --by system` against a brute-force count from the input files: a system's
//! duals_seen is the distinct members across its practices (a member seen at two of its sites
//! counts once), and a practice in no system is a row of its own.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::Write;

use common::reference::{PracticeFacts, is_pcp_taxonomy};
use common::*;

#[test]
fn rank_by_system_matches_a_brute_force_count() {
    let data = sample(4000, 90, 7);
    let dir = data.path();
    let facts = reference::practices(dir);

    // practice → system, read on its own (the first row of a practice stands).
    let mut system_of: BTreeMap<String, String> = BTreeMap::new();
    let mut system_name: BTreeMap<String, String> = BTreeMap::new();
    for r in read_rows(&dir.join("health_systems.csv")) {
        system_of.entry(r["practice_id"].clone()).or_insert(r["health_system_id"].clone());
        system_name.entry(r["health_system_id"].clone()).or_insert(r["health_system_name"].clone());
    }
    let multi: Vec<&String> = system_name.keys().collect();
    let in_systems = system_of.len();
    assert!(multi.len() >= 5, "the sample has health systems");
    assert!(
        (facts.len() / 4..=facts.len() / 2).contains(&in_systems),
        "about a third of practices are in systems: {in_systems} of {}",
        facts.len()
    );

    // A member seen at two sites of one system, for certain: one line at a PCP of each site.
    let pcp_of = |pid: &str| -> String {
        read_rows(&dir.join("practices.csv"))
            .into_iter()
            .find(|r| r["practice_id"] == pid && is_pcp_taxonomy(&r["taxonomy"]))
            .map(|r| r["npi"].clone())
            .unwrap()
    };
    let sites: Vec<&String> = system_of.iter().filter(|(_, s)| *s == multi[0]).map(|(p, _)| p).collect();
    let mut claims = fs::OpenOptions::new().append(true).open(dir.join("claims.csv")).unwrap();
    for (i, site) in sites.iter().take(2).enumerate() {
        let npi = pcp_of(site);
        writeln!(claims, "MTWOSITES,2025-04-0{},{npi},{npi},207Q00000X,99213,Y,10.00", i + 1).unwrap();
    }
    drop(claims);
    let facts = reference::practices(dir);

    // HCBS members per practice from `match` (each member has one final practice).
    let mut hcbs: HashMap<String, usize> = HashMap::new();
    for r in rows(&ok(&["match", dir.to_str().unwrap()]).stdout) {
        *hcbs.entry(r["practice_id"].clone()).or_default() += 1;
    }

    // Brute force: union of member sets and NPIs per group.
    #[derive(Default)]
    struct Group {
        practices: usize,
        members: BTreeSet<String>,
        lines: usize,
        npis: BTreeSet<String>,
        hcbs: usize,
    }
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let names: HashMap<String, String> = read_rows(&dir.join("practices.csv"))
        .into_iter()
        .filter(|r| !r["practice_id"].is_empty())
        .map(|r| (r["practice_id"].clone(), r["practice_name"].clone()))
        .collect();
    for (pid, PracticeFacts { members, lines, npis }) in &facts {
        let key = system_of.get(pid).unwrap_or(pid).clone();
        let g = groups.entry(key).or_default();
        g.practices += 1;
        g.members.extend(members.iter().cloned());
        g.lines += lines;
        g.npis.extend(npis.iter().cloned());
        g.hcbs += hcbs.get(pid).copied().unwrap_or(0);
    }
    let two_sites = &groups[multi[0].as_str()];
    assert!(two_sites.members.contains("MTWOSITES"));
    let summed: usize = sites.iter().map(|p| facts[*p].members.len()).sum();
    assert!(summed > two_sites.members.len(), "a member seen at two sites counts once, not twice");

    let got = rows(&ok(&["rank", dir.to_str().unwrap(), "--by", "system"]).stdout);
    assert_eq!(got.len(), groups.len(), "one row per system and per practice in none");
    let mut prev: Option<(usize, String)> = None;
    for (i, r) in got.iter().enumerate() {
        let id = &r["health_system_id"];
        let g = &groups[id];
        assert_eq!(r["rank"], (i + 1).to_string());
        // A solo practice (no practice_id: keyed by NPI) is named after its clinician.
        if let Some(name) = system_name.get(id).or(names.get(id)) {
            assert_eq!(&r["health_system_name"], name, "{id}");
        }
        assert_eq!(r["practices"], g.practices.to_string(), "{id}");
        assert_eq!(r["duals_seen"], g.members.len().to_string(), "duals_seen of {id}");
        assert_eq!(r["pc_lines"], g.lines.to_string(), "pc_lines of {id}");
        assert_eq!(r["clinicians"], g.npis.len().to_string(), "clinicians of {id}");
        assert_eq!(r["hcbs_members"], g.hcbs.to_string(), "hcbs_members of {id}");
        let duals = g.members.len();
        if let Some((pd, pid)) = &prev {
            assert!(duals < *pd || (duals == *pd && id > pid), "ranking order at row {}", i + 1);
        }
        prev = Some((duals, id.clone()));
    }

    // outreach.csv names each assigned practice's system.
    let top: Vec<String> =
        got.iter().filter(|r| r["practices"] != "1").take(3).map(|r| r["health_system_id"].clone()).collect();
    let site = system_of.iter().find(|(_, s)| **s == top[0]).map(|(p, _)| p.clone()).unwrap();
    let cm = read_rows(&dir.join("care_managers.csv"))[0]["care_manager_id"].clone();
    fs::write(dir.join("plan.csv"), format!("practice_id,slot,care_manager_id\n{site},1,{cm}\n")).unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(&["export", dir.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);
    let outreach = read_rows(&out.path().join("outreach.csv"));
    assert_eq!(outreach.len(), 1);
    assert_eq!(outreach[0]["practice_id"], site);
    assert_eq!(outreach[0]["health_system_id"], top[0]);
    assert_eq!(outreach[0]["health_system_name"], system_name[&top[0]]);
}

#[test]
fn without_health_systems_every_practice_is_its_own_row() {
    let data = sample(600, 20, 3);
    let dir = data.path();
    fs::remove_file(dir.join("health_systems.csv")).unwrap();
    let by_practice = rows(&ok(&["rank", dir.to_str().unwrap()]).stdout);
    let by_system = rows(&ok(&["rank", dir.to_str().unwrap(), "--by", "system"]).stdout);
    assert_eq!(by_practice.len(), by_system.len());
    for (p, s) in by_practice.iter().zip(&by_system) {
        assert_eq!(p["practice_id"], s["health_system_id"]);
        assert_eq!(p["practice_name"], s["health_system_name"]);
        assert_eq!(p["duals_seen"], s["duals_seen"]);
        assert_eq!(s["practices"], "1");
    }
}

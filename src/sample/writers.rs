//! Writing the generated world as input files (and the answer key).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::answers::{Answer, Lookup, answer};
use super::evidence::ClaimsTally;
use super::rng::Rng;
use super::words::*;
use super::world::{World, phone};
use super::{Member, SampleSpec};
use crate::ingest::fields::{format_day, ymd_to_day};

pub(super) fn csv_writer(dir: &Path, name: &str) -> io::Result<csv::Writer<BufWriter<File>>> {
    Ok(csv::Writer::from_writer(BufWriter::new(File::create(dir.join(name))?)))
}

pub(super) fn write_roster(dir: &Path, world: &World, rng: &mut Rng) -> io::Result<usize> {
    let mut w = csv_writer(dir, "practices.csv")?;
    w.write_record([
        "npi",
        "clinician_last",
        "clinician_first",
        "taxonomy",
        "practice_id",
        "practice_name",
        "county",
        "phone",
    ])?;
    let mut rows = 0;
    for p in &world.practices {
        for &c in &p.clinicians {
            let cl = &world.clinicians[c];
            // Multi-site groups list a clinician once per site, as the DAC does.
            let copies = if p.sites.len() > 1 && rng.chance(0.5) { 2 } else { 1 };
            for _ in 0..copies {
                let npi = cl.npi.to_string();
                w.write_record([npi.as_str(), cl.last, cl.first, cl.taxonomy, &p.id, &p.name, p.county, &p.phone])?;
                rows += 1;
            }
        }
    }
    w.flush()?;
    Ok(rows)
}

pub(super) fn write_claims(
    dir: &Path,
    world: &World,
    members: &[Member],
    per_member: f64,
    rng: &mut Rng,
    tally: &mut ClaimsTally,
) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(dir.join("claims.csv"))?);
    out.write_all(b"member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover,paid_amount\n")?;
    let start = ymd_to_day(2025, 1, 1).expect("valid");
    let dates: Vec<String> = (0..365).map(|d| format_day(start + d)).collect();
    let all_practices = world.practices.len();
    let mut lines = 0u64;
    let mut line = Vec::with_capacity(128);
    for m in members {
        let n = 1 + (-(rng.unit().max(1e-12)).ln() * (per_member - 1.0)).round() as usize;
        for _ in 0..n {
            // Mostly the member's own practice, sometimes a second one; visits elsewhere
            // are mostly to specialists for other services.
            let (p, pc_share) = match rng.below(20) {
                0..=15 => (m.home, 0.7),
                16..=17 => (m.second, 0.7),
                _ => (rng.below(all_practices), 0.1),
            };
            let prac = &world.practices[p];
            let c = &world.clinicians[rng.pick(&prac.clinicians)];
            let (rendering, billing) = match rng.below(100) {
                // NPI missing from the roster; half still carry a known billing NPI.
                0..=1 => (rng.pick(&world.outsiders), String::new()),
                2..=3 => (rng.pick(&world.outsiders), world.clinicians[rng.pick(&prac.clinicians)].npi.to_string()),
                4..=23 => (c.npi, world.clinicians[rng.pick(&prac.clinicians)].npi.to_string()),
                24..=70 => (c.npi, prac.billing_npi.to_string()),
                _ => (c.npi, String::new()),
            };
            let taxonomy = if rng.chance(0.85) { c.taxonomy } else { "" };
            let code = if rng.chance(pc_share) { rng.pick(PC_CODES) } else { rng.pick(OTHER_CODES) };
            let xover = match rng.below(20) {
                0..=1 => "N",
                2 => "0",
                3 => "1",
                _ => "Y",
            };
            let day = rng.below(365);
            tally.line(&m.id, rendering, &billing, taxonomy, code, xover, day);
            line.clear();
            writeln!(
                line,
                "{},{},{},{},{},{},{},{}.{:02}",
                m.id,
                dates[day],
                rendering,
                billing,
                taxonomy,
                code,
                xover,
                rng.below(300),
                rng.below(100)
            )?;
            out.write_all(&line)?;
            lines += 1;
        }
    }
    out.flush()?;
    Ok(lines)
}

pub(super) struct GenCm {
    pub(super) id: String,
    pub(super) county: &'static str,
    pub(super) capacity: usize,
}

pub(super) fn write_care_managers(dir: &Path, spec: &SampleSpec, hcbs: usize, rng: &mut Rng) -> io::Result<Vec<GenCm>> {
    let mut w = csv_writer(dir, "care_managers.csv")?;
    w.write_record(["care_manager_id", "name", "agency", "supervisor", "county", "capacity", "phone", "email"])?;
    let n = spec.care_managers.max(1);
    let supervisors: Vec<String> =
        (0..n.div_ceil(8)).map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))).collect();
    let mut cms = Vec::new();
    let mean = hcbs as f64 / n as f64;
    for i in 0..n {
        let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        let agency = rng.pick(AGENCIES);
        let capacity = ((mean * (0.9 + 0.6 * rng.unit())).ceil() as usize).max(5);
        let id = format!("CM{:04}", i + 1);
        let county = COUNTIES[i % COUNTIES.len()];
        let email = format!(
            "{}.{}@{}.example.org",
            first.to_lowercase(),
            last.to_lowercase().replace('\'', ""),
            agency.split(' ').next().unwrap_or("agency").to_lowercase()
        );
        w.write_record([
            id.as_str(),
            &format!("{first} {last}"),
            agency,
            &supervisors[i / 8],
            county,
            &capacity.to_string(),
            &phone(rng),
            &email,
        ])?;
        cms.push(GenCm { id, county, capacity });
    }
    w.flush()?;
    Ok(cms)
}
pub(super) fn write_assessments(
    dir: &Path,
    world: &World,
    hcbs: &[Member],
    cms: &[GenCm],
    tally: &ClaimsTally,
    rng: &mut Rng,
) -> io::Result<()> {
    let look = Lookup::new(world);
    let mut w = csv_writer(dir, "assessments.csv")?;
    w.write_record([
        "member_id",
        "assessment_date",
        "assessment_type",
        "pcp_response",
        "county",
        "waiver",
        "acuity",
        "care_manager_id",
        "medicare_plan",
    ])?;
    let mut key = csv_writer(dir, "answer_key.csv")?;
    key.write_record(["member_id", "form", "practice_id", "candidates", "claims_practice", "claims_practices"])?;
    let id_of = |p: usize| {
        let pr = &world.practices[p];
        if pr.id.is_empty() { world.clinicians[pr.clinicians[0]].npi.to_string() } else { pr.id.clone() }
    };
    let mut by_county: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, cm) in cms.iter().enumerate() {
        by_county.entry(cm.county).or_default().push(i);
    }
    let start = ymd_to_day(2024, 1, 1).expect("valid");
    let mut load = vec![0usize; cms.len()];
    for m in hcbs {
        // Most name the practice their claims show; some name another (a conflict to review).
        let truth = if rng.chance(0.85) { m.home } else { rng.below(world.practices.len()) };
        let Answer { text, form, practice, candidates: mut cands } = answer(world, &look, truth, rng);
        // Current care managers: mostly one in the member's county with room (caseloads run
        // close to capacity), some anywhere, some members without one yet.
        let roll = rng.below(100);
        let cm_index = if roll < 85 {
            let pick =
                by_county.get(m.county).map(|list| rng.pick(list)).filter(|&c| load[c] < cms[c].capacity * 19 / 20);
            pick.or_else(|| (0..cms.len()).min_by_key(|&c| (load[c] * 1000 / cms[c].capacity.max(1), c)))
        } else if roll < 92 {
            Some(rng.below(cms.len()))
        } else {
            None
        };
        if let Some(c) = cm_index {
            load[c] += 1;
        }
        let cm = cm_index.map_or("", |c| cms[c].id.as_str());
        let acuity = match rng.below(20) {
            0..=3 => "high",
            4..=11 => "medium",
            12..=18 => "low",
            _ => "",
        };
        let waiver = rng.pick(WAIVERS);
        let plan = rng.pick(MEDICARE_PLANS);
        let date = start + 200 + rng.below(500) as i32;
        // An older assessment with another answer, which the latest must override.
        if rng.chance(0.1) {
            let old = rng.pick(NON_ANSWERS);
            w.write_record([
                m.id.as_str(),
                &format_day(date - 365),
                "initial",
                old,
                m.county,
                waiver,
                acuity,
                cm,
                plan,
            ])?;
        }
        let kind = if rng.chance(0.3) { "initial" } else { "annual" };
        w.write_record([m.id.as_str(), &format_day(date), kind, &text, m.county, waiver, acuity, cm, plan])?;
        // A surname shared by thousands of practices would make the key huge: list up to 20,
        // those where the member has claims first (they decide whether claims settle it).
        let claimed = tally.practices(&m.id);
        cands.sort_by_key(|c| !claimed.contains(c));
        let cand_ids: Vec<String> = cands.iter().take(20).map(|&c| id_of(c)).collect();
        let claimed_ids: Vec<String> = claimed.iter().map(|&c| id_of(c)).collect();
        key.write_record([
            m.id.as_str(),
            form.as_str(),
            &practice.map(id_of).unwrap_or_default(),
            &cand_ids.join(";"),
            &tally.attribution(&m.id, id_of).map(id_of).unwrap_or_default(),
            &claimed_ids.join(";"),
        ])?;
    }
    w.flush()?;
    key.flush()?;
    Ok(())
}

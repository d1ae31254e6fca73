//! health_systems.csv (optional): which practices belong to one health system, in our own
//! columns or the AHRQ Compendium's. A state can educate a whole system at once, so practices
//! are rolled up into systems (see [`crate::systems`]).

use std::path::Path;

use rustc_hash::FxHashMap;

use super::problem::{DataError, Problems};
use super::roster::Roster;
use super::scan::Record;
use super::schema::{FileKind, health_systems_col as col};
use super::table::Table;
use crate::config::Config;

/// A health system: several practices under common ownership or management.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthSystem {
    pub id: String,
    pub name: String,
}

/// The health systems of a data directory; empty when it has no health_systems.csv.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthSystems {
    /// Sorted by id.
    pub systems: Vec<HealthSystem>,
    /// Per practice (index into `Roster::practices`): its system, if any.
    pub of_practice: Vec<Option<u32>>,
}

impl HealthSystems {
    /// True when no practice is in a system (no health_systems.csv, or none of its practices
    /// in the roster): the screens then have nothing to group by.
    pub fn is_empty(&self) -> bool {
        self.systems.is_empty()
    }

    /// The system of practice `p`.
    pub fn of(&self, p: u32) -> Option<&HealthSystem> {
        self.of_practice.get(p as usize).copied().flatten().map(|s| &self.systems[s as usize])
    }
}

const FILE: &str = "health_systems.csv";

/// Reads `dir`/health_systems.csv when it exists. Rows naming practices that are not in the
/// roster are ignored (a national Compendium file names every state's practices) and
/// summarized in one warning; a practice given two systems keeps the first.
pub fn read(
    dir: &Path,
    config: &Config,
    roster: &Roster,
    strict: bool,
    problems: &mut Problems,
) -> Result<HealthSystems, DataError> {
    let none = HealthSystems { systems: Vec::new(), of_practice: vec![None; roster.practices.len()] };
    if !dir.join(FILE).exists() {
        return Ok(none);
    }
    let table = Table::open(dir, FileKind::HealthSystems, config)?;
    let mut b = Builder { of_practice: none.of_practice, ..Builder::default() };
    table.for_each_row(problems, strict, |rec, idx, p| b.add(rec, idx, roster, p))?;
    if let Some((line, id)) = b.first_unknown.take() {
        let more = match b.unknown - 1 {
            0 => String::new(),
            1 => " (and 1 more row naming a practice not in the roster)".to_string(),
            n => format!(" (and {n} more rows naming practices not in the roster)"),
        };
        problems.warning(FILE, line, format!("practice_id {id} is not in practices.csv; ignored{more}"));
    }
    Ok(b.finish())
}

#[derive(Default)]
struct Builder {
    /// Systems in order of first appearance.
    systems: Vec<HealthSystem>,
    index: FxHashMap<String, u32>,
    of_practice: Vec<Option<u32>>,
    /// Line where each practice got its system.
    given_on: FxHashMap<u32, u64>,
    unknown: u64,
    first_unknown: Option<(u64, String)>,
}

impl Builder {
    fn add(&mut self, rec: &Record, idx: &[Option<usize>], roster: &Roster, problems: &mut Problems) {
        let line = rec.line;
        let mut latin1 = false;
        let mut text = |i: usize| rec.text(idx[i], &mut latin1);
        let (pid, sid, name) = (text(col::PRACTICE), text(col::ID), text(col::NAME));
        if latin1 {
            problems.warning(FILE, line, "text is not UTF-8; read as Latin-1".into());
        }
        if pid.is_empty() {
            return problems.error(FILE, line, "practice_id is blank".into());
        }
        if sid.is_empty() {
            return problems.error(FILE, line, "health_system_id is blank".into());
        }
        let Some(p) = roster.practice_index(&pid) else {
            self.unknown += 1;
            self.first_unknown.get_or_insert((line, pid));
            return;
        };
        if let Some(first) = self.of_practice[p as usize]
            && self.systems[first as usize].id != sid
        {
            let msg = format!(
                "practice {pid} is already in health system {} (line {}); this row is skipped",
                self.systems[first as usize].id, self.given_on[&p]
            );
            return problems.error(FILE, line, msg);
        }
        let next = self.systems.len() as u32;
        let s = *self.index.entry(sid.clone()).or_insert(next);
        if s == next {
            self.systems.push(HealthSystem { id: sid, name: String::new() });
        }
        let system = &mut self.systems[s as usize];
        if system.name.is_empty() {
            system.name = name;
        }
        if self.of_practice[p as usize].is_none() {
            self.of_practice[p as usize] = Some(s);
            self.given_on.insert(p, line);
        }
    }

    /// Sorts systems by id; a system without a name is named by its id.
    fn finish(self) -> HealthSystems {
        let mut order: Vec<u32> = (0..self.systems.len() as u32).collect();
        order.sort_by(|&a, &b| self.systems[a as usize].id.cmp(&self.systems[b as usize].id));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        let systems = order
            .iter()
            .map(|&o| {
                let mut s = self.systems[o as usize].clone();
                if s.name.is_empty() {
                    s.name = s.id.clone();
                }
                s
            })
            .collect();
        let of_practice = self.of_practice.iter().map(|s| s.map(|s| new_index[s as usize])).collect();
        HealthSystems { systems, of_practice }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{LoadOptions, Progress};

    fn dataset(systems: &str) -> (tempfile::TempDir, crate::ingest::Dataset) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join("practices.csv"),
            "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n\
             1234567893,Lee,Ann,207Q00000X,P1,One Clinic,Adams,555\n\
             1245319599,Ray,Bo,207Q00000X,P2,Two Clinic,Adams,555\n\
             1679576722,Kim,Cy,207Q00000X,P3,Three Clinic,Brown,555\n",
        )
        .unwrap();
        std::fs::write(
            d.join("claims.csv"),
            "member_id,service_date,rendering_npi,procedure_code,crossover\nM1,2025-01-01,1234567893,99213,Y\n",
        )
        .unwrap();
        std::fs::write(d.join("assessments.csv"), "member_id,assessment_date,pcp_response\nM1,2025-01-01,x\n").unwrap();
        std::fs::write(d.join("care_managers.csv"), "care_manager_id,name,capacity\nC1,Pat,10\n").unwrap();
        std::fs::write(d.join("health_systems.csv"), systems).unwrap();
        let ds = crate::ingest::load(d, LoadOptions::default(), &Progress::default()).unwrap();
        (dir, ds)
    }

    #[test]
    fn ahrq_names_unknown_practices_and_conflicts() {
        let (_d, ds) = dataset(
            "org_pac_id,health_sys_id,health_sys_name,extra\n\
             P2,HS9,Zeta Health,x\n\
             P1,HS1,,x\n\
             P1,HS1,Alpha Health,x\n\
             X7,HS1,Alpha Health,x\n\
             X8,HS2,Beta,x\n\
             P2,HS1,Alpha Health,x\n\
             ,HS1,Alpha Health,x\n",
        );
        let hs = &ds.systems;
        let ids: Vec<(&str, &str)> = hs.systems.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
        assert_eq!(ids, [("HS1", "Alpha Health"), ("HS9", "Zeta Health")]);
        assert_eq!(hs.of(0).map(|s| s.id.as_str()), Some("HS1"));
        assert_eq!(hs.of(1).map(|s| s.id.as_str()), Some("HS9"), "the first system stands");
        assert_eq!(hs.of(2), None);
        let text: Vec<String> = ds.problems.list.iter().map(|p| p.to_string()).collect();
        assert!(
            text.contains(
                &"health_systems.csv:7: practice P2 is already in health system HS9 (line 2); this row is skipped"
                    .to_string()
            ),
            "{text:?}"
        );
        assert!(text.contains(&"health_systems.csv:5: warning: practice_id X7 is not in practices.csv; ignored (and 1 more row naming a practice not in the roster)".to_string()), "{text:?}");
        assert!(text.contains(&"health_systems.csv:8: practice_id is blank".to_string()), "{text:?}");
    }

    #[test]
    fn missing_column_names_the_aliases() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("health_systems.csv"), "practice_id,system\nP1,S\n").unwrap();
        let e = read(dir.path(), &Config::default(), &Roster::default(), false, &mut Problems::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "health_systems.csv:1: required column health_system_id is missing; tried health_system_id, health_sys_id"
        );
    }
}

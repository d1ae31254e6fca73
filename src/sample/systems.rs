//! health_systems.csv for the synthetic data: about a third of the group practices belong to
//! multi-site systems, as in states where a few systems own many primary-care sites. Practices
//! that share a place name ("Riverside Family Medicine", "Riverside Internal Medicine") form a
//! system first; random groups of two to four make up the rest.
//!
//! Drawn from its own random stream, so adding this file left every other generated file
//! byte for byte as it was.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::rng::Rng;
use super::world::World;
use super::writers::csv_writer;

/// Writes `dir`/health_systems.csv; returns the number of systems.
pub fn write(dir: &Path, world: &World, seed: u64) -> io::Result<usize> {
    let mut rng = Rng(seed ^ 0x4EA1_7450_5E75_0000);
    let groups: Vec<usize> = (0..world.practices.len()).filter(|&p| !world.practices[p].id.is_empty()).collect();
    let target = world.practices.len() / 3;
    let mut systems: Vec<(String, Vec<usize>)> = Vec::new();
    let mut taken = vec![false; world.practices.len()];
    let mut in_systems = 0;

    let mut by_place: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &p in &groups {
        if let Some(place) = world.practices[p].place {
            by_place.entry(place).or_default().push(p);
        }
    }
    for (place, members) in by_place {
        let members: Vec<usize> = members.into_iter().take(6).collect();
        if members.len() < 2 || in_systems + members.len() > target || !rng.chance(0.6) {
            continue;
        }
        for &p in &members {
            taken[p] = true;
        }
        in_systems += members.len();
        systems.push((format!("{place} Health"), members));
    }

    let mut rest: Vec<usize> = groups.into_iter().filter(|&p| !taken[p]).collect();
    for i in (1..rest.len()).rev() {
        rest.swap(i, rng.below(i + 1));
    }
    let mut rest = rest.into_iter();
    while in_systems + 2 <= target {
        let size = (2 + rng.below(3)).min(target - in_systems);
        let members: Vec<usize> = rest.by_ref().take(size).collect();
        if members.len() < 2 {
            break;
        }
        in_systems += members.len();
        let city = world.practices[members[0]].city;
        let n = systems.iter().filter(|(name, _)| name.starts_with(city)).count();
        let name = if n == 0 { format!("{city} Regional Health") } else { format!("{city} Regional Health {}", n + 1) };
        systems.push((name, members));
    }

    let mut w = csv_writer(dir, "health_systems.csv")?;
    w.write_record(["practice_id", "health_system_id", "health_system_name"])?;
    for (i, (name, members)) in systems.iter().enumerate() {
        let id = format!("HS{:04}", i + 1);
        for &p in members {
            w.write_record([world.practices[p].id.as_str(), &id, name])?;
        }
    }
    w.flush()?;
    Ok(systems.len())
}

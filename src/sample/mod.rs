//! `carealign sample`: synthetic, deterministic, PHI-free data in the input format, with an
//! answer key (`answer_key.csv`) saying what each pcp_response really means.
//!
//! The shape follows real data: heavy-tailed practice sizes and popularity, groups whose
//! clinicians appear at several sites, NPIs in two practices, specialists, non-primary-care
//! codes, non-crossover lines, NPIs missing from the roster, and answers typed the many ways
//! assessors type them. The key is computed from the roster (a "Dr. Patel" answer is marked
//! ambiguous when Patels work in two practices), never from what a matcher does.

mod answers;
mod evidence;
mod rng;
mod systems;
pub mod taf_split;
mod typing;
mod words;
mod world;
mod writers;

use std::io;
use std::path::Path;

use evidence::ClaimsTally;
use rng::{Rng, Weighted};
use words::*;
use world::build_world;
use writers::{write_assessments, write_care_managers, write_claims, write_roster};

/// Size and seed of a synthetic data set.
#[derive(Debug, Clone, Copy)]
pub struct SampleSpec {
    pub members: usize,
    pub practices: usize,
    pub care_managers: usize,
    /// Approximate total claim lines (default: about 8 per member).
    pub lines: Option<u64>,
    pub seed: u64,
}

impl SampleSpec {
    pub fn new(members: usize, practices: usize, seed: u64) -> Self {
        SampleSpec { members, practices, care_managers: (members / 125).max(2), lines: None, seed }
    }
}

/// What was written, for the command's summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct SampleSummary {
    pub practices: usize,
    pub clinicians: usize,
    pub roster_rows: usize,
    pub claim_lines: u64,
    pub hcbs_members: usize,
    pub care_managers: usize,
    pub health_systems: usize,
}

/// Writes a data set into `dir` (created if needed).
pub fn generate(dir: &Path, spec: &SampleSpec) -> io::Result<SampleSummary> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(spec.seed ^ 0x5EED_CA8E_A119_0000);
    let world = build_world(spec, &mut rng);
    let mut summary = SampleSummary {
        practices: world.practices.len(),
        clinicians: world.clinicians.len(),
        ..SampleSummary::default()
    };
    summary.roster_rows = write_roster(dir, &world, &mut rng)?;

    // Popularity: Zipf over a shuffled order, so big practices are not just the first ids.
    let mut order: Vec<usize> = (0..world.practices.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut weight = vec![0.0; order.len()];
    for (rank, &p) in order.iter().enumerate() {
        weight[p] = 1.0 / (1.0 + rank as f64).powf(1.15);
    }
    let popularity = Weighted::new(weight.iter().copied());
    let lines_per_member = spec.lines.map_or(8.0, |l| l as f64 / spec.members.max(1) as f64).max(1.0);

    let members: Vec<Member> = (0..spec.members)
        .map(|i| {
            let home = popularity.pick(&mut rng);
            // About a third of members also see a second practice.
            let second = if rng.chance(0.35) { popularity.pick(&mut rng) } else { home };
            Member {
                id: member_id(i),
                home,
                second,
                county: if rng.chance(0.85) { world.practices[home].county } else { rng.pick(COUNTIES) },
            }
        })
        .collect();
    let mut tally = ClaimsTally::new(&world);
    summary.claim_lines = write_claims(dir, &world, &members, lines_per_member, &mut rng, &mut tally)?;

    // HCBS recipients: about a third of members, plus some with no claims yet.
    let extra = spec.members / 20;
    let mut hcbs: Vec<Member> = members.iter().filter(|_| rng.chance(0.33)).cloned().collect();
    for i in 0..extra {
        let home = popularity.pick(&mut rng);
        hcbs.push(Member { id: member_id(spec.members + i), home, second: home, county: world.practices[home].county });
    }
    summary.hcbs_members = hcbs.len();
    let cms = write_care_managers(dir, spec, hcbs.len(), &mut rng)?;
    summary.care_managers = cms.len();
    write_assessments(dir, &world, &hcbs, &cms, &tally, &mut rng)?;
    summary.health_systems = systems::write(dir, &world, spec.seed)?;
    Ok(summary)
}

#[derive(Clone)]
struct Member {
    id: String,
    home: usize,
    second: usize,
    county: &'static str,
}

fn member_id(i: usize) -> String {
    // A bijection on 0..10^9 so ids look scattered but never collide.
    format!("M{:09}", (i as u64 * 387_420_489 + 12_345) % 1_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_complete() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let spec = SampleSpec::new(400, 30, 7);
        let sa = generate(a.path(), &spec).unwrap();
        generate(b.path(), &spec).unwrap();
        for f in ["claims.csv", "practices.csv", "assessments.csv", "care_managers.csv", "answer_key.csv"] {
            let x = std::fs::read(a.path().join(f)).unwrap();
            assert_eq!(x, std::fs::read(b.path().join(f)).unwrap(), "{f}");
            assert!(x.len() > 50, "{f}");
        }
        assert_eq!(sa.practices, 30);
        assert!(sa.claim_lines > 400);
        let key = std::fs::read_to_string(a.path().join("answer_key.csv")).unwrap();
        for form in ["exact", "abbreviated", "typo", "doctor", "non_answer"] {
            assert!(key.contains(&format!(",{form},")), "{form}");
        }
    }
}

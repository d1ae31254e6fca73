//! What each member's generated claims show, tallied line by line as they are written with
//! SPEC's rules (crossover primary-care line, line → practice, claims attribution), so the
//! answer key can say which answers the claims settle and which no matcher could: the floor
//! of the review queue. Kept apart from the product's claims reader on purpose.

use std::collections::HashMap;

use super::words::{PC_CODES, PCP_TAXONOMIES};
use super::world::World;

/// Per member: (practice, crossover primary-care lines, latest day).
pub(super) struct ClaimsTally<'w> {
    world: &'w World,
    clinician_of: HashMap<u64, usize>,
    per_member: HashMap<String, Vec<(usize, u32, usize)>>,
}

impl<'w> ClaimsTally<'w> {
    pub(super) fn new(world: &'w World) -> Self {
        let clinician_of = world.clinicians.iter().enumerate().map(|(i, c)| (c.npi, i)).collect();
        ClaimsTally { world, clinician_of, per_member: HashMap::new() }
    }

    /// Counts one written claim line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn line(
        &mut self,
        member: &str,
        rendering: u64,
        billing: &str,
        taxonomy: &str,
        code: &str,
        xover: &str,
        day: usize,
    ) {
        if !matches!(xover, "Y" | "1") || !PC_CODES.contains(&code) {
            return;
        }
        let rend = self.clinician_of.get(&rendering).map(|&c| &self.world.clinicians[c]);
        let pcp = if taxonomy.is_empty() {
            rend.is_some_and(|c| PCP_TAXONOMIES.contains(&c.taxonomy))
        } else {
            PCP_TAXONOMIES.contains(&taxonomy)
        };
        if !pcp {
            return;
        }
        let bill: &[usize] = billing
            .parse::<u64>()
            .ok()
            .and_then(|n| self.clinician_of.get(&n))
            .map_or(&[], |&c| &self.world.clinicians[c].practices);
        let practices: Vec<usize> = match rend {
            None => bill.to_vec(),
            Some(c) if c.practices.len() > 1 && c.practices.iter().any(|p| bill.contains(p)) => {
                c.practices.iter().copied().filter(|p| bill.contains(p)).collect()
            }
            Some(c) => c.practices.clone(),
        };
        if practices.is_empty() {
            return;
        }
        let entry = self.per_member.entry(member.to_string()).or_default();
        for p in practices {
            match entry.iter_mut().find(|e| e.0 == p) {
                Some(e) => {
                    e.1 += 1;
                    e.2 = e.2.max(day);
                }
                None => entry.push((p, 1, day)),
            }
        }
    }

    /// Practices where the member has at least one crossover primary-care line.
    pub(super) fn practices(&self, member: &str) -> Vec<usize> {
        self.per_member.get(member).map_or_else(Vec::new, |e| e.iter().map(|x| x.0).collect())
    }

    /// Claims attribution: most lines, then the latest line, then the lowest practice id.
    pub(super) fn attribution(&self, member: &str, id_of: impl Fn(usize) -> String) -> Option<usize> {
        let e = self.per_member.get(member)?;
        e.iter().max_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)).then_with(|| id_of(b.0).cmp(&id_of(a.0)))).map(|x| x.0)
    }
}

//! The derived figures of a dataset: claims attribution, each HCBS member's practice and the
//! practice ranking. Computed once after loading; the plan and the views read from it.

use crate::ingest::Dataset;
use crate::matching::{self, MemberMatch};
use crate::rank::{self, RankedPractice};

/// Ranking and matching results for one dataset.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Claims attribution per claims member (indexed like `Claims::members`).
    pub attribution: Vec<u32>,
    /// Per HCBS member (indexed like `Dataset::assessments`).
    pub members: Vec<MemberMatch>,
    /// All practices, best first.
    pub ranked: Vec<RankedPractice>,
}

impl Analysis {
    pub fn new(ds: &Dataset) -> Self {
        let attribution = rank::claims_attribution(&ds.claims);
        crate::timing::mark("claims attribution");
        let members = matching::resolve_members(ds, &attribution);
        crate::timing::mark("every HCBS member resolved");
        let mut hcbs = vec![0u32; ds.roster.practices.len()];
        for m in &members {
            if let Some(p) = m.practice {
                hcbs[p as usize] += 1;
            }
        }
        let ranked = rank::rank_practices(&ds.roster, &ds.claims, &hcbs);
        crate::timing::mark("practices ranked");
        Analysis { attribution, members, ranked }
    }

    /// HCBS answers that matched no single practice (ambiguous or not found).
    pub fn unmatched_answers(&self) -> usize {
        use crate::matching::MatchStatus::*;
        self.members.iter().filter(|m| matches!(m.report.status, Ambiguous | NotFound)).count()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::Analysis;
    use crate::ingest::{LoadOptions, Progress, load};

    const HEADERS: [&str; 4] = [
        "member_id,service_date,rendering_npi,billing_npi,taxonomy,procedure_code,crossover\n",
        "npi,clinician_last,clinician_first,taxonomy,practice_id,practice_name,county,phone\n",
        "member_id,assessment_date,pcp_response,acuity,care_manager_id\n",
        "care_manager_id,name,capacity\n",
    ];

    fn write_all(dir: &Path, bodies: &[Vec<u8>; 4], with_header: bool) {
        let names = ["claims.csv", "practices.csv", "assessments.csv", "care_managers.csv"];
        for ((name, header), body) in names.iter().zip(HEADERS).zip(bodies) {
            let mut bytes = if with_header { header.as_bytes().to_vec() } else { Vec::new() };
            bytes.extend_from_slice(body);
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            // CSV-ish noise: mostly commas, quotes, digits, newlines.
            proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), b'0'..=b'9', b'A'..=b'Z'],
                0..300
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Random bytes in every input file end in data (and an analysis of it) or a clear
        /// error, never a panic.
        #[test]
        fn random_inputs_never_panic(bodies in [body(), body(), body(), body()], with_header in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            write_all(dir.path(), &bodies, with_header);
            match load(dir.path(), LoadOptions::default(), &Progress::default()) {
                Ok(ds) => {
                    let _ = Analysis::new(&ds);
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}

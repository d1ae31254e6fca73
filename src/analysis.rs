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
        let members = matching::resolve_members(ds, &attribution);
        let mut hcbs = vec![0u32; ds.roster.practices.len()];
        for m in &members {
            if let Some(p) = m.practice {
                hcbs[p as usize] += 1;
            }
        }
        let ranked = rank::rank_practices(&ds.roster, &ds.claims, &hcbs);
        Analysis { attribution, members, ranked }
    }

    /// HCBS answers that matched no single practice (ambiguous or not found).
    pub fn unmatched_answers(&self) -> usize {
        use crate::matching::MatchStatus::*;
        self.members.iter().filter(|m| matches!(m.report.status, Ambiguous | NotFound)).count()
    }
}

//! What a person needs to settle a needs-review member (SPEC "Needs review", TUI "Review"):
//! what the member said, their county and current care manager, and per candidate practice
//! its county, the clinicians whose names fit the answer and the member's claims there, with
//! the likeliest candidate (most claims, then the member's county) picked out.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::member::member_lines;
use super::normalize::words;
use super::{MatchSource, MatchStatus, MemberMatch};
use crate::ingest::{Dataset, Day, Pair};

/// Why a member is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReviewKind {
    /// The answer fits several practices and no claims practice is among them.
    Ambiguous,
    /// The answer names one practice; the member's claims are all elsewhere.
    Conflict,
}

/// One practice a reviewer may pick.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCandidate {
    pub practice: u32,
    /// Where it is (county, else city and state).
    pub place: String,
    /// Its clinicians (roster indexes) whose surnames the answer says.
    pub clinicians: Vec<u32>,
    /// The member's crossover primary-care lines there (0 when none).
    pub claims_lines: u32,
    /// The latest of those lines.
    pub last_service: Option<Day>,
    /// The practice is in the member's county.
    pub in_member_county: bool,
    /// The practice the answer named (a conflict's reported practice).
    pub named: bool,
}

/// One row of the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// Index in `Dataset::assessments`.
    pub member: u32,
    pub kind: ReviewKind,
    /// What the member said (pcp_response as typed).
    pub said: String,
    pub county: String,
    /// The current care manager: index in `Dataset::care_managers` when known.
    pub current_cm: Option<u32>,
    /// The current care manager's id as given (blank when none).
    pub current_cm_id: String,
    pub candidates: Vec<ReviewCandidate>,
    /// Index in `candidates` of the likeliest one, when anything points to one.
    pub likeliest: Option<usize>,
}

/// The needs-review members without a decision, in member order, each with what deciding it
/// takes. `members` is indexed like `ds.assessments`; `decisions` are the Review screen's.
pub fn queue(ds: &Dataset, members: &[MemberMatch], decisions: &BTreeMap<u32, u32>) -> Vec<ReviewRow> {
    let ctx = Context::new(ds);
    members
        .par_iter()
        .enumerate()
        .filter(|(i, m)| m.needs_review(decisions.get(&(*i as u32)).copied()))
        .filter_map(|(i, m)| row(ds, m, i as u32, &ctx))
        .collect()
}

/// Lookups built once per queue: care managers by id, clinicians' surnames as matched.
struct Context<'d> {
    cms: FxHashMap<&'d str, u32>,
    surnames: Vec<String>,
}

impl<'d> Context<'d> {
    fn new(ds: &'d Dataset) -> Self {
        Context {
            cms: ds.care_managers.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect(),
            surnames: ds.roster.clinicians.iter().map(|c| words(&c.last).join("")).collect(),
        }
    }
}

/// The review row of one member, whether or not it is in the queue (None when it has no
/// candidates to choose from).
pub fn review_row(ds: &Dataset, members: &[MemberMatch], member: u32) -> Option<ReviewRow> {
    row(ds, members.get(member as usize)?, member, &Context::new(ds))
}

fn row(ds: &Dataset, m: &MemberMatch, member: u32, ctx: &Context) -> Option<ReviewRow> {
    let a = ds.assessments.get(member as usize)?;
    let lines: &[Pair] = ds.claims.members.position(&a.member_id).map_or(&[], |i| member_lines(&ds.claims, i));
    let (kind, mut practices) = match (m.source, m.report.status) {
        (MatchSource::Conflict, _) => {
            let mut by_lines: Vec<&Pair> = lines.iter().collect();
            by_lines.sort_by(|x, y| y.lines.cmp(&x.lines).then(y.last.cmp(&x.last)).then(x.practice.cmp(&y.practice)));
            let named = m.report.practice?;
            (ReviewKind::Conflict, std::iter::once(named).chain(by_lines.iter().map(|l| l.practice)).collect())
        }
        (_, MatchStatus::Ambiguous) => (ReviewKind::Ambiguous, m.report.candidates.clone()),
        _ => return None,
    };
    practices.dedup();
    let said = words(&a.pcp_response);
    let county = a.county.trim().to_lowercase();
    let candidates: Vec<ReviewCandidate> = practices
        .iter()
        .map(|&p| {
            let practice = &ds.roster.practices[p as usize];
            let line = lines.iter().find(|l| l.practice == p);
            ReviewCandidate {
                practice: p,
                place: practice.place(),
                clinicians: fitting_clinicians(ds, ctx, p, &said),
                claims_lines: line.map_or(0, |l| l.lines),
                last_service: line.map(|l| l.last),
                in_member_county: !county.is_empty() && practice.county.trim().to_lowercase() == county,
                named: kind == ReviewKind::Conflict && Some(p) == m.report.practice,
            }
        })
        .collect();
    let likeliest = likeliest(&candidates);
    Some(ReviewRow {
        member,
        kind,
        said: a.pcp_response.clone(),
        county: a.county.to_string(),
        current_cm: ctx.cms.get(&*a.care_manager_id).copied(),
        current_cm_id: a.care_manager_id.to_string(),
        candidates,
        likeliest,
    })
}

/// The candidate with most of the member's claims lines; with none, the first in the member's
/// county. Only a suggestion for the reviewer: nothing here decides.
fn likeliest(candidates: &[ReviewCandidate]) -> Option<usize> {
    let by_claims = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.claims_lines > 0)
        .max_by(|(i, a), (j, b)| {
            a.claims_lines.cmp(&b.claims_lines).then(a.last_service.cmp(&b.last_service)).then(j.cmp(i))
        })
        .map(|(i, _)| i);
    by_claims.or_else(|| candidates.iter().position(|c| c.in_member_county))
}

/// Clinicians of practice `p` whose surname is one of the answer's words (or one slip from
/// it, for surnames of five letters or more).
fn fitting_clinicians(ds: &Dataset, ctx: &Context, p: u32, said: &[String]) -> Vec<u32> {
    ds.roster.practice_clinicians[p as usize]
        .iter()
        .copied()
        .filter(|&c| {
            let last = &ctx.surnames[c as usize];
            !last.is_empty()
                && said.iter().any(|w| {
                    w == last
                        || (last.len() >= 5 && w.len().abs_diff(last.len()) <= 1 && strsim::osa_distance(w, last) <= 1)
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::claims::MemberIds;
    use crate::ingest::{Assessment, CareManager, Claims, Clinician, Practice, Roster};
    use crate::matching::SelfReport;

    fn dataset() -> Dataset {
        let practice = |id: &str, name: &str, county: &str| Practice {
            id: id.into(),
            name: name.into(),
            county: county.into(),
            ..Practice::default()
        };
        let clinician =
            |last: &str| Clinician { last: last.into(), first: "A".into(), pcp: true, ..Clinician::default() };
        let roster = Roster {
            practices: vec![
                practice("P0", "Riverside Family Medicine", "Adams"),
                practice("P1", "Riverside Internal Medicine", "Benton"),
                practice("P2", "Lakeview Clinic", "Adams"),
            ],
            clinicians: vec![clinician("Patel"), clinician("Lee"), clinician("Patel")],
            clinician_practices: vec![vec![0], vec![0], vec![1]],
            practice_clinicians: vec![vec![0, 1], vec![2], vec![]],
            ..Roster::default()
        };
        let assessment = |id: &str, said: &str, county: &str, cm: &str| Assessment {
            member_id: id.into(),
            pcp_response: said.into(),
            county: county.into(),
            care_manager_id: cm.into(),
            ..Assessment::default()
        };
        Dataset {
            dir: ".".into(),
            config: Config::default(),
            roster,
            claims: Claims {
                members: MemberIds::from_sorted(["M2"]),
                pairs: vec![Pair { member: 0, practice: 2, lines: 4, last: 100 }],
                ..Claims::default()
            },
            assessments: vec![
                assessment("M1", "Dr. Patel", "benton", "CM9"),
                assessment("M2", "Riverside Family Medicine", "Adams", "CM1"),
                assessment("M3", "Riverside", "", ""),
            ],
            care_managers: vec![CareManager { id: "CM1".into(), ..CareManager::default() }],
            systems: crate::ingest::HealthSystems { systems: Vec::new(), of_practice: vec![None; 3] },
            problems: Default::default(),
            claims_source: "claims.csv",
        }
    }

    fn mm(report: SelfReport, claims_practice: Option<u32>, source: MatchSource) -> MemberMatch {
        let practice = report.practice.or(claims_practice);
        MemberMatch { report, claims_practice, practice, source }
    }

    #[test]
    fn rows_carry_what_deciding_needs() {
        let ds = dataset();
        let members = vec![
            mm(SelfReport::ambiguous(vec![0, 1]), None, MatchSource::None),
            mm(SelfReport::matched(0, 0.98), Some(2), MatchSource::Conflict),
            mm(SelfReport::ambiguous(vec![0, 1]), None, MatchSource::None),
        ];
        let q = queue(&ds, &members, &BTreeMap::new());
        assert_eq!(q.len(), 3);

        // An ambiguous doctor's name: Patels at both candidates, county decides the suggestion.
        let r = &q[0];
        assert_eq!(
            (r.kind, r.said.as_str(), r.current_cm, r.current_cm_id.as_str()),
            (ReviewKind::Ambiguous, "Dr. Patel", None, "CM9")
        );
        assert_eq!(r.candidates.iter().map(|c| c.clinicians.clone()).collect::<Vec<_>>(), [vec![0], vec![2]]);
        assert_eq!(r.candidates[1].place, "Benton");
        assert!(r.candidates[1].in_member_county, "county compared without case");
        assert_eq!(r.likeliest, Some(1));

        // A conflict: the named practice first, then where the claims are; claims suggest.
        let r = &q[1];
        assert_eq!(r.kind, ReviewKind::Conflict);
        assert_eq!(r.current_cm, Some(0));
        assert_eq!(r.candidates.iter().map(|c| c.practice).collect::<Vec<_>>(), [0, 2]);
        assert!(r.candidates[0].named && !r.candidates[1].named);
        assert_eq!((r.candidates[1].claims_lines, r.candidates[1].last_service), (4, Some(100)));
        assert_eq!(r.candidates[0].claims_lines, 0);
        assert_eq!(r.likeliest, Some(1));

        // Nothing to go on: no suggestion.
        assert_eq!(q[2].likeliest, None);
        assert!(q[2].candidates.iter().all(|c| c.clinicians.is_empty()));
    }

    #[test]
    fn decided_and_settled_members_leave_the_queue() {
        let ds = dataset();
        let members = vec![
            mm(SelfReport::ambiguous(vec![0, 1]), None, MatchSource::None),
            // Ambiguous, but the claims practice is a candidate: settled.
            mm(SelfReport::ambiguous(vec![2, 1]), Some(2), MatchSource::Claims),
            mm(SelfReport::matched(1, 0.98), None, MatchSource::SelfReport),
        ];
        let decisions = BTreeMap::from([(0, 1)]);
        assert!(queue(&ds, &members, &decisions).is_empty());
        assert_eq!(queue(&ds, &members, &BTreeMap::new()).len(), 1);
        assert!(review_row(&ds, &members, 2).is_none(), "a plain match has nothing to choose");
        assert_eq!(review_row(&ds, &members, 1).unwrap().likeliest, Some(0));
    }
}

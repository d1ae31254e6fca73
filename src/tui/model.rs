//! The model: the loaded data (read-only, shared with the worker thread), the plan being
//! edited, the totals the views need (computed once per plan change, never per frame) and
//! the state of each screen's list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::caseload::Group;
use super::grouping::{PracticeRow, Systems};
use super::list::List;
use super::overlay::Overlay;
use crate::analysis::Analysis;
use crate::ingest::Dataset;
use crate::matching::review::{ReviewKind, ReviewRow};
use crate::plan::file::{self, PLAN_FILE};
use crate::plan::{Caseloads, Editor, Moves, Plan, PlanContext};

/// What loading a data directory gives the TUI: the data, its analysis and the saved plan.
pub struct Loaded {
    pub(in crate::tui) data: Data,
    pub(in crate::tui) plan: PlanLoad,
}

/// How reading plan.csv went.
pub(in crate::tui) enum PlanLoad {
    /// The plan, its threshold (plan.toml) if saved, and rows left out (unknown practices or
    /// care managers).
    Read(Plan, Option<u32>, Vec<String>),
    /// plan.csv exists but could not be read. Saving over it asks first.
    Unreadable(Plan, crate::plan::file::LoadError),
}

impl Loaded {
    /// Everything the screens need that does not change with the plan, and the saved plan
    /// (on the loading thread: the files may be slow), after removing temp files a killed
    /// save or export left behind.
    pub fn new(ds: Dataset, analysis: Analysis) -> Self {
        crate::io::clean_stale_temps(&ds.dir);
        crate::io::clean_stale_temps(&ds.dir.join(crate::export::EXPORTS_DIR));
        let path = ds.dir.join(PLAN_FILE);
        let plan = match file::load(&ds, &path) {
            Ok(loaded) => PlanLoad::Read(loaded.plan, loaded.threshold, loaded.skipped),
            Err(e) => PlanLoad::Unreadable(Plan::empty(ds.roster.practices.len()), e),
        };
        Loaded { data: Data::new(ds, analysis), plan }
    }

    /// Whole-file warnings of the data (a roster without practice names).
    pub(in crate::tui) fn file_warnings(&self) -> impl Iterator<Item = String> + '_ {
        self.data.ds.problems.file_warnings.iter().map(|w| w.to_string())
    }

    /// Rows skipped as bad.
    pub(in crate::tui) fn skipped(&self) -> u64 {
        self.data.ds.problems.errors
    }
}

/// Everything fixed once the data is loaded.
pub struct Data {
    pub(in crate::tui) ds: Dataset,
    pub(in crate::tui) analysis: Analysis,
    pub(in crate::tui) ctx: PlanContext,
    /// Caseloads before any assignment.
    pub(in crate::tui) start: Caseloads,
    /// Rank position (into `analysis.ranked`) of each practice.
    pub(in crate::tui) rank_pos: Vec<u32>,
    /// Supervisors (blank: "(no supervisor)") with their care managers.
    pub(in crate::tui) supervisors: Vec<(String, Vec<u32>)>,
    /// HCBS answers that matched no single practice.
    pub(in crate::tui) unmatched: usize,
    /// How each care manager is named on screen: the name, with id and agency where two
    /// care managers share a name (so the picker never shows two identical rows).
    pub(in crate::tui) cm_labels: Vec<String>,
    /// Members a person has to settle (SPEC "Needs review", before any decision), in member
    /// order, each with what deciding it takes.
    pub(in crate::tui) review_rows: Vec<ReviewRow>,
    /// How each practice is named on screen (a solo practice as "practice of Dr. …").
    pub(in crate::tui) practice_labels: Vec<String>,
    /// Per practice, its clinicians' names for the practice filter.
    pub(in crate::tui) clinician_keys: Vec<String>,
    /// Whether any member has a medicare_plan (the member lists show the column then).
    pub(in crate::tui) has_medicare_plan: bool,
    pub(in crate::tui) widest: super::names::Widest,
    /// Member ids for go-to (`:`).
    pub(in crate::tui) member_ids: super::goto::MemberIds,
}

impl Data {
    fn new(ds: Dataset, analysis: Analysis) -> Self {
        let ctx = PlanContext::new(&ds, &analysis);
        let start = ctx.start();
        let mut rank_pos = vec![0u32; ds.roster.practices.len()];
        for (i, r) in analysis.ranked.iter().enumerate() {
            rank_pos[r.practice as usize] = i as u32;
        }
        let mut by_sup: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (c, cm) in ds.care_managers.iter().enumerate() {
            let name = if cm.supervisor.is_empty() { "(no supervisor)".to_string() } else { cm.supervisor.clone() };
            by_sup.entry(name).or_default().push(c as u32);
        }
        let review_rows = crate::matching::review::queue(&ds, &analysis.members, &BTreeMap::new());
        let mut seen: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        for cm in &ds.care_managers {
            *seen.entry(cm.name.as_str()).or_default() += 1;
        }
        let cm_labels = ds
            .care_managers
            .iter()
            .map(|cm| match seen[cm.name.as_str()] {
                1 => cm.name.clone(),
                _ if cm.agency.is_empty() => format!("{} ({})", cm.name, cm.id),
                _ => format!("{} ({}, {})", cm.name, cm.id, cm.agency),
            })
            .collect::<Vec<String>>();
        let practice_labels = super::names::practice_labels(&ds.roster);
        Data {
            widest: super::names::Widest::new(&ds, &practice_labels, &cm_labels),
            member_ids: super::goto::MemberIds::new(ds.assessments.iter().map(|a| a.member_id.as_str())),
            practice_labels,
            clinician_keys: super::names::clinician_keys(&ds.roster),
            has_medicare_plan: ds.assessments.iter().any(|a| !a.medicare_plan.is_empty()),
            cm_labels,
            unmatched: analysis.unmatched_answers(),
            ctx,
            start,
            rank_pos,
            supervisors: by_sup.into_iter().collect(),
            review_rows,
            ds,
            analysis,
        }
    }

    /// The practice as the screens name it.
    pub(in crate::tui) fn practice_name(&self, p: u32) -> &str {
        &self.practice_labels[p as usize]
    }

    pub(in crate::tui) fn cm_name(&self, c: u32) -> &str {
        &self.cm_labels[c as usize]
    }

    /// Number of practices at or above `threshold`.
    pub(in crate::tui) fn high_volume(&self, threshold: u32) -> usize {
        self.analysis.ranked.partition_point(|r| r.duals_seen >= threshold)
    }

    /// The data, a plan and its caseloads as the exports see them.
    pub(in crate::tui) fn snapshot<'a>(
        &'a self,
        plan: &'a Plan,
        threshold: u32,
        now: &'a Caseloads,
    ) -> crate::export::Snapshot<'a> {
        crate::export::Snapshot {
            ds: &self.ds,
            analysis: &self.analysis,
            ctx: &self.ctx,
            plan,
            threshold,
            start: &self.start,
            now,
        }
    }
}

/// Figures the views need, derived from the plan once per change.
#[derive(Debug, Clone)]
pub struct Totals {
    pub(in crate::tui) now: Caseloads,
    pub(in crate::tui) moves: Vec<Moves>,
    /// HCBS members per practice under the plan (review decisions applied).
    pub(in crate::tui) hcbs: Vec<u32>,
    /// Practices each care manager covers.
    pub(in crate::tui) practices_of: Vec<Vec<u32>>,
    /// Care managers above capacity.
    pub(in crate::tui) over_capacity: usize,
    /// Members whose care manager changes.
    pub(in crate::tui) changed: usize,
    pub(in crate::tui) high_volume: usize,
}

impl Totals {
    fn new(data: &Data, plan: &Plan, threshold: u32) -> Self {
        let now = data.ctx.balance(plan);
        let moves = now.moves(&data.start);
        let hcbs = data.snapshot(plan, threshold, &now).hcbs_members();
        let mut practices_of = vec![Vec::new(); data.ds.care_managers.len()];
        for (p, slots) in plan.slots.iter().enumerate() {
            for c in slots.iter().flatten() {
                practices_of[*c as usize].push(p as u32);
            }
        }
        let over_capacity = (0..now.count.len()).filter(|&c| now.count[c] > data.ctx.capacity[c]).count();
        Totals {
            changed: now.changed(&data.start),
            high_volume: data.high_volume(threshold),
            now,
            moves,
            hcbs,
            practices_of,
            over_capacity,
        }
    }

    pub(in crate::tui) fn over(&self, data: &Data, cm: u32) -> bool {
        self.now.count[cm as usize] > data.ctx.capacity[cm as usize]
    }

    pub(in crate::tui) fn utilization(&self, data: &Data, cm: u32) -> f64 {
        let cap = data.ctx.capacity[cm as usize];
        let n = self.now.count[cm as usize];
        if cap == 0 { if n > 0 { f64::INFINITY } else { 0.0 } } else { f64::from(n) / f64::from(cap) }
    }
}

/// Sort orders of the practice list (`o` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeSort {
    Rank,
    Name,
    Hcbs,
    Overflow,
}

/// Sort orders of the care-manager list (`o` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmSort {
    Utilization,
    Name,
    Moves,
}

/// A practice filter picked with `f`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facet {
    County(String),
    Waiver(String),
}

/// Sort orders of the Counties screen (`o` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountySort {
    /// HCBS members not yet with a CM of their practice, most first.
    Uncovered,
    Name,
    Hcbs,
}

/// Which review rows show (`f` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFilter {
    All,
    Kind(ReviewKind),
    /// Rows with a high-volume practice among their candidates.
    HighVolume,
}

/// A row of the Supervisors tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupRow {
    Supervisor(usize),
    Cm(u32),
    /// The heading of one group of a care manager's members, with its size.
    Group(u32, Group, u32),
    Member(u32, u32),
}

/// The loaded data, the plan being edited and the state of every screen.
pub struct Model {
    pub(in crate::tui) data: Arc<Data>,
    pub(in crate::tui) editor: Editor,
    pub(in crate::tui) totals: Totals,
    /// Counts plan changes: a result computed for an older plan is recognised and dropped.
    pub(in crate::tui) revision: u64,
    pub(in crate::tui) plan_path: PathBuf,
    /// plan.csv as last read or written; a different file on disk means another user saved.
    pub(in crate::tui) plan_stamp: file::Stamp,
    /// Why plan.csv could not be read at start (saving over it asks first).
    pub(in crate::tui) plan_unreadable: Option<String>,
    pub(in crate::tui) practices: List<PracticeRow>,
    pub(in crate::tui) practice_sort: PracticeSort,
    /// The practice list grouped under health systems (`H`), and the roll-up it shows.
    pub(in crate::tui) group_systems: bool,
    pub(in crate::tui) systems: Option<Systems>,
    pub(in crate::tui) facet: Option<Facet>,
    /// Care-manager list: indexes into `ds.care_managers`.
    pub(in crate::tui) cms: List<u32>,
    pub(in crate::tui) cm_sort: CmSort,
    pub(in crate::tui) sups: List<SupRow>,
    pub(in crate::tui) sup_open: BTreeSet<usize>,
    pub(in crate::tui) cm_open: BTreeSet<u32>,
    /// Review list: indexes into `Data::review_rows`.
    pub(in crate::tui) review: List<u32>,
    pub(in crate::tui) review_filter: ReviewFilter,
    /// The Review screen's county filter (`F`): members of this county only.
    pub(in crate::tui) review_county: Option<String>,
    /// Coverage by county and the plan revision it is for; computed when the Counties screen
    /// needs it, not on every change (it walks every member and claims pair).
    pub(in crate::tui) coverage: Option<(u64, crate::coverage::Coverage)>,
    /// Counties list: indexes into the coverage rows.
    pub(in crate::tui) counties: List<u32>,
    pub(in crate::tui) county_sort: CountySort,
    /// Windows over the screen, topmost last.
    pub(in crate::tui) overlays: Vec<Overlay>,
    pub(in crate::tui) matcher: SkimMatcherV2,
}

impl Model {
    /// The model and a note on how the plan loaded.
    pub(in crate::tui) fn new(loaded: Loaded) -> (Self, String) {
        let Loaded { data, plan } = loaded;
        let plan_path = data.ds.dir.join(PLAN_FILE);
        let (plan, saved_threshold, note, unreadable) = match plan {
            PlanLoad::Read(plan, threshold, skipped) if skipped.is_empty() => {
                let n = plan.assigned_practices();
                let note = if n > 0 {
                    format!("loaded plan.csv: {} practices assigned", crate::fmt::thousands(n as u64))
                } else {
                    String::new()
                };
                (plan, threshold, note, None)
            }
            PlanLoad::Read(plan, threshold, skipped) => {
                let note = format!(
                    "loaded plan.csv; {} rows left out, first: {}",
                    crate::fmt::thousands(skipped.len() as u64),
                    skipped[0]
                );
                (plan, threshold, note, None)
            }
            PlanLoad::Unreadable(plan, why) => {
                let note = format!("plan.csv could not be read, started with an empty plan: {why}");
                (plan, None, note, Some(why.to_string()))
            }
        };
        // The plan's own threshold (plan.toml) wins over carealign.toml's.
        let editor = Editor::new(plan, saved_threshold.unwrap_or(data.ds.config.threshold));
        let totals = Totals::new(&data, &editor.plan, editor.threshold);
        let mut m = Model {
            plan_stamp: file::Stamp::of(&plan_path),
            plan_path,
            plan_unreadable: unreadable,
            data: Arc::new(data),
            editor,
            totals,
            revision: 0,
            practices: List::default(),
            practice_sort: PracticeSort::Rank,
            group_systems: false,
            systems: None,
            facet: None,
            cms: List::default(),
            cm_sort: CmSort::Utilization,
            sups: List::default(),
            sup_open: BTreeSet::new(),
            cm_open: BTreeSet::new(),
            review: List::default(),
            review_filter: ReviewFilter::All,
            review_county: None,
            coverage: None,
            counties: List::default(),
            county_sort: CountySort::Uncovered,
            overlays: Vec::new(),
            matcher: SkimMatcherV2::default(),
        };
        m.refresh_lists();
        (m, note)
    }

    pub fn threshold(&self) -> u32 {
        self.editor.threshold
    }

    pub fn plan(&self) -> &Plan {
        &self.editor.plan
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    pub fn caseloads(&self) -> &Caseloads {
        &self.totals.now
    }

    /// After any plan change: totals once, then the lists that show them.
    pub(in crate::tui) fn plan_changed(&mut self) {
        self.revision += 1;
        self.totals = Totals::new(&self.data, &self.editor.plan, self.editor.threshold);
        self.refresh_lists();
    }

    pub(in crate::tui) fn refresh_lists(&mut self) {
        self.refresh_practices();
        self.refresh_cms();
        self.refresh_supervisors();
        self.refresh_review();
        self.refresh_overlays();
    }
}

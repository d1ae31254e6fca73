//! TUI state and its one `update` step (Elm style): every key and event becomes a [`Msg`],
//! and [`update`] is the only place state changes, so tests drive it without a terminal.

use std::path::PathBuf;
use std::sync::Arc;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::keymap::{self, Action};
use crate::analysis::Analysis;
use crate::ingest::{DataError, Dataset, Progress};
use crate::plan::file::{self, PLAN_FILE};
use crate::plan::{Caseloads, Editor, Moves, Plan, PlanContext};

/// Events the app reacts to.
pub enum Msg {
    /// A key press (text entry sees it first).
    Key(KeyEvent),
    Action(Action),
    /// Terminal size changed (columns, rows).
    Resize(u16, u16),
    /// The background load finished.
    Loaded(Result<Box<(Dataset, Analysis)>, DataError>),
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Practices,
    CareManagers,
    Supervisors,
    Review,
    Help,
}

/// A position in a scrolling list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub pos: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves for a navigation action; returns whether it was one.
    fn navigate(&mut self, action: Action, len: usize, page: usize) -> bool {
        let last = len.saturating_sub(1);
        self.pos = match action {
            Action::Down => (self.pos + 1).min(last),
            Action::Up => self.pos.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageDown => (self.pos + page).min(last),
            Action::PageUp => self.pos.saturating_sub(page),
            Action::HalfDown => (self.pos + page / 2).min(last),
            Action::HalfUp => self.pos.saturating_sub(page / 2),
            _ => return false,
        };
        self.show(page);
        true
    }

    /// Keeps the cursor inside `len` rows and visible in a `page`-row window.
    pub fn fit(&mut self, len: usize, page: usize) {
        self.pos = self.pos.min(len.saturating_sub(1));
        self.show(page);
    }

    fn show(&mut self, page: usize) {
        let page = page.max(1);
        if self.pos < self.offset {
            self.offset = self.pos;
        } else if self.pos >= self.offset + page {
            self.offset = self.pos + 1 - page;
        }
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

/// A text query with its entry state.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub typing: bool,
}

/// An open practice.
#[derive(Debug, Clone)]
pub struct Detail {
    pub practice: u32,
    /// Selected member row.
    pub cursor: Cursor,
    /// Selected care-manager slot (0 or 1) for `x`.
    pub slot: usize,
}

/// What assigning the highlighted care manager would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub cm: u32,
    pub members: u32,
    pub load: f64,
    /// Members the care manager gains (or loses).
    pub delta: i64,
    pub overflow_after: u32,
}

/// The care-manager picker for one practice.
#[derive(Debug, Clone)]
pub struct Picker {
    pub practice: u32,
    pub query: Query,
    /// Care managers, best fit first (filtered by the query).
    pub rows: Vec<u32>,
    pub cursor: Cursor,
    pub preview: Option<Preview>,
}

/// The county/waiver filter list.
#[derive(Debug, Clone)]
pub struct Facets {
    pub options: Vec<Option<Facet>>,
    pub cursor: Cursor,
}

/// Choosing the practice of a member on the Review screen.
#[derive(Debug, Clone)]
pub struct Choice {
    pub member: u32,
    /// Practices to choose from; `None` clears the decision.
    pub options: Vec<Option<u32>>,
    pub cursor: Cursor,
}

/// A row of the Supervisors tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupRow {
    Supervisor(usize),
    Cm(u32),
    Member(u32, u32),
}

/// Windows over a screen, topmost last.
#[derive(Debug, Clone)]
pub enum Overlay {
    Detail(Detail),
    Picker(Picker),
    Facets(Facets),
    Choice(Choice),
    Proposal(Box<ProposalView>),
    ConfirmQuit,
}

/// An auto-suggest proposal shown as a diff before it is accepted.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub proposal: crate::plan::suggest::Proposal,
    /// Figures of the plan as it is, for comparison.
    pub before: crate::plan::suggest::Figures,
    pub cursor: Cursor,
}

/// Data loaded, the plan being edited and everything the screens show.
pub struct Model {
    pub ds: Dataset,
    pub analysis: Analysis,
    pub ctx: PlanContext,
    pub start: Caseloads,
    pub now: Caseloads,
    pub moves: Vec<Moves>,
    pub editor: Editor,
    pub plan_path: PathBuf,
    /// plan.csv as last read or written; a different file on disk means another user saved.
    pub plan_stamp: file::Stamp,
    /// Set after a save was refused because plan.csv changed on disk: the next `s` overwrites.
    pub overwrite_armed: bool,
    /// Rank position (into `analysis.ranked`) of each practice.
    pub rank_pos: Vec<u32>,
    /// Visible practice list: indexes into `analysis.ranked`.
    pub practice_rows: Vec<u32>,
    pub practice_cursor: Cursor,
    pub practice_sort: PracticeSort,
    pub practice_query: Query,
    pub facet: Option<Facet>,
    /// Visible care-manager list: indexes into `ds.care_managers`.
    pub cm_rows: Vec<u32>,
    pub cm_cursor: Cursor,
    pub cm_sort: CmSort,
    pub cm_query: Query,
    /// HCBS members per practice under the plan (review decisions applied).
    pub hcbs: Vec<u32>,
    /// Supervisors (blank: "(no supervisor)") with their care managers.
    pub supervisors: Vec<(String, Vec<u32>)>,
    pub sup_open: std::collections::BTreeSet<usize>,
    pub cm_open: std::collections::BTreeSet<u32>,
    pub sup_rows: Vec<SupRow>,
    pub sup_cursor: Cursor,
    /// Members to review: ambiguous self-reports and conflicts with claims.
    pub review_rows: Vec<u32>,
    pub review_cursor: Cursor,
    pub overlays: Vec<Overlay>,
}

impl Model {
    pub fn new(ds: Dataset, analysis: Analysis) -> (Self, String) {
        let ctx = PlanContext::new(&ds, &analysis);
        let start = ctx.start();
        let plan_path = ds.dir.join(PLAN_FILE);
        let (plan, note) = match file::load(&ds, &plan_path) {
            Ok(loaded) if loaded.skipped.is_empty() => {
                let n = loaded.plan.assigned_practices();
                let note = if n > 0 { format!("loaded plan.csv: {n} practices assigned") } else { String::new() };
                (loaded.plan, note)
            }
            Ok(loaded) => {
                let note =
                    format!("loaded plan.csv; {} rows left out, first: {}", loaded.skipped.len(), loaded.skipped[0]);
                (loaded.plan, note)
            }
            Err(e) => (Plan::empty(ds.roster.practices.len()), e),
        };
        let mut rank_pos = vec![0u32; ds.roster.practices.len()];
        for (i, r) in analysis.ranked.iter().enumerate() {
            rank_pos[r.practice as usize] = i as u32;
        }
        let editor = Editor::new(plan, ds.config.threshold);
        let mut by_sup: std::collections::BTreeMap<String, Vec<u32>> = std::collections::BTreeMap::new();
        for (c, cm) in ds.care_managers.iter().enumerate() {
            let name = if cm.supervisor.is_empty() { "(no supervisor)".to_string() } else { cm.supervisor.clone() };
            by_sup.entry(name).or_default().push(c as u32);
        }
        use crate::matching::{MatchSource, MatchStatus};
        let review_rows = analysis
            .members
            .iter()
            .enumerate()
            .filter(|(_, mm)| mm.report.status == MatchStatus::Ambiguous || mm.source == MatchSource::Conflict)
            .map(|(i, _)| i as u32)
            .collect();
        let mut m = Model {
            now: start.clone(),
            moves: Vec::new(),
            ctx,
            start,
            editor,
            plan_stamp: file::Stamp::of(&plan_path),
            overwrite_armed: false,
            plan_path,
            rank_pos,
            practice_rows: Vec::new(),
            practice_cursor: Cursor::default(),
            practice_sort: PracticeSort::Rank,
            practice_query: Query::default(),
            facet: None,
            cm_rows: Vec::new(),
            cm_cursor: Cursor::default(),
            cm_sort: CmSort::Utilization,
            cm_query: Query::default(),
            hcbs: Vec::new(),
            supervisors: by_sup.into_iter().collect(),
            sup_open: Default::default(),
            cm_open: Default::default(),
            sup_rows: Vec::new(),
            sup_cursor: Cursor::default(),
            review_rows,
            review_cursor: Cursor::default(),
            overlays: Vec::new(),
            ds,
            analysis,
        };
        m.rebalance();
        (m, note)
    }

    pub fn threshold(&self) -> u32 {
        self.editor.threshold
    }

    /// Number of practices at or above the threshold.
    pub fn high_volume(&self) -> usize {
        self.analysis.ranked.partition_point(|r| r.duals_seen >= self.threshold())
    }

    /// Recomputes caseloads and the lists after a plan change.
    fn rebalance(&mut self) {
        self.now = self.ctx.balance(&self.editor.plan);
        self.moves = self.now.moves(&self.start);
        self.hcbs = self.snapshot().hcbs_members();
        self.refresh_supervisors();
        self.refresh_practices();
        self.refresh_cms();
        self.refresh_picker();
    }

    /// Members over capacity marker: count above capacity.
    pub fn over_capacity(&self, cm: u32) -> bool {
        self.now.count[cm as usize] > self.ctx.capacity[cm as usize]
    }

    pub fn utilization(&self, cm: u32) -> f64 {
        let cap = self.ctx.capacity[cm as usize];
        if cap == 0 {
            if self.now.count[cm as usize] > 0 { f64::INFINITY } else { 0.0 }
        } else {
            f64::from(self.now.count[cm as usize]) / f64::from(cap)
        }
    }

    fn practice_matches_facet(&self, p: u32) -> bool {
        match &self.facet {
            None => true,
            Some(Facet::County(c)) => self.ds.roster.practices[p as usize].place() == *c,
            Some(Facet::Waiver(w)) => {
                self.ctx.members_of[p as usize].iter().any(|&m| self.ds.assessments[m as usize].waiver == *w)
            }
        }
    }

    /// The data, plan and caseloads as the exports see them.
    pub fn snapshot(&self) -> crate::export::Snapshot<'_> {
        crate::export::Snapshot {
            ds: &self.ds,
            analysis: &self.analysis,
            ctx: &self.ctx,
            plan: &self.editor.plan,
            threshold: self.threshold(),
            start: &self.start,
            now: &self.now,
        }
    }

    /// Members whose care manager is `cm` now or was at the start, in member order.
    pub fn caseload_members(&self, cm: u32) -> Vec<u32> {
        self.caseloads_of(&std::collections::BTreeSet::from([cm])).remove(&cm).unwrap_or_default()
    }

    /// [`Model::caseload_members`] of several care managers in one pass over the members.
    fn caseloads_of(&self, cms: &std::collections::BTreeSet<u32>) -> std::collections::BTreeMap<u32, Vec<u32>> {
        let mut out: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        if cms.is_empty() {
            return out;
        }
        for m in 0..self.ds.assessments.len() {
            let (now, before) = (self.now.assigned[m], self.start.assigned[m]);
            for c in [now, before].into_iter().flatten().filter(|c| cms.contains(c)) {
                let list = out.entry(c).or_default();
                if list.last() != Some(&(m as u32)) {
                    list.push(m as u32);
                }
            }
        }
        out
    }

    /// Rebuilds the Supervisors tree from what is expanded.
    pub fn refresh_supervisors(&mut self) {
        let mut caseloads = self.caseloads_of(&self.cm_open);
        let mut rows = Vec::new();
        for (s, (_, cms)) in self.supervisors.iter().enumerate() {
            rows.push(SupRow::Supervisor(s));
            if !self.sup_open.contains(&s) {
                continue;
            }
            for &c in cms {
                rows.push(SupRow::Cm(c));
                if self.cm_open.contains(&c) {
                    rows.extend(caseloads.remove(&c).unwrap_or_default().into_iter().map(|m| SupRow::Member(c, m)));
                }
            }
        }
        self.sup_rows = rows;
    }

    /// Filters and sorts the practice list.
    pub fn refresh_practices(&mut self) {
        let matcher = SkimMatcherV2::default();
        let q = self.practice_query.text.trim();
        let ranked = &self.analysis.ranked;
        let mut rows: Vec<u32> = (0..ranked.len() as u32)
            .filter(|&i| {
                let p = ranked[i as usize].practice;
                self.practice_matches_facet(p)
                    && (q.is_empty() || matcher.fuzzy_match(&self.ds.roster.practices[p as usize].name, q).is_some())
            })
            .collect();
        let practice = |i: &u32| ranked[*i as usize].practice as usize;
        match self.practice_sort {
            PracticeSort::Rank => {}
            PracticeSort::Name => rows.sort_by(|a, b| {
                self.ds.roster.practices[practice(a)].name.cmp(&self.ds.roster.practices[practice(b)].name)
            }),
            PracticeSort::Hcbs => rows.sort_by_key(|i| std::cmp::Reverse(self.hcbs[practice(i)])),
            PracticeSort::Overflow => rows.sort_by_key(|i| std::cmp::Reverse(self.now.practice_overflow[practice(i)])),
        }
        self.practice_rows = rows;
    }

    /// Filters and sorts the care-manager list.
    pub fn refresh_cms(&mut self) {
        let matcher = SkimMatcherV2::default();
        let q = self.cm_query.text.trim();
        let mut rows: Vec<u32> = (0..self.ds.care_managers.len() as u32)
            .filter(|&c| q.is_empty() || matcher.fuzzy_match(&self.ds.care_managers[c as usize].name, q).is_some())
            .collect();
        match self.cm_sort {
            CmSort::Utilization => {
                rows.sort_by(|&a, &b| self.utilization(b).total_cmp(&self.utilization(a)).then(a.cmp(&b)))
            }
            CmSort::Name => rows
                .sort_by(|&a, &b| self.ds.care_managers[a as usize].name.cmp(&self.ds.care_managers[b as usize].name)),
            CmSort::Moves => rows.sort_by_key(|&c| {
                let m = self.moves[c as usize];
                (std::cmp::Reverse(m.members_in + m.members_out), c)
            }),
        }
        self.cm_rows = rows;
    }

    /// The practice under the cursor of the practice list.
    pub fn selected_practice(&self) -> Option<u32> {
        self.practice_rows.get(self.practice_cursor.pos).map(|&i| self.analysis.ranked[i as usize].practice)
    }

    /// Care managers for a practice, best fit first (`plan::fit`: room first, then county,
    /// members already served, spare room).
    fn picker_rows(&self, practice: u32, query: &str) -> Vec<u32> {
        let matcher = SkimMatcherV2::default();
        let keep =
            |c: u32| query.is_empty() || matcher.fuzzy_match(&self.ds.care_managers[c as usize].name, query).is_some();
        crate::plan::fit::picker_order(&self.ctx, &self.editor.plan, &self.now, practice, keep)
            .iter()
            .map(|f| f.cm)
            .collect()
    }

    /// Members of `practice` the care manager already serves.
    pub fn serves(&self, practice: u32, cm: u32) -> usize {
        self.ctx
            .members_at(&self.editor.plan, practice)
            .iter()
            .filter(|&&m| self.ctx.current[m as usize] == Some(cm))
            .count()
    }

    fn refresh_picker(&mut self) {
        let Some(Overlay::Picker(p)) = self.overlays.last() else { return };
        let (practice, query) = (p.practice, p.query.text.clone());
        let rows = self.picker_rows(practice, query.trim());
        if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
            p.rows = rows;
            p.cursor.fit(p.rows.len(), usize::MAX);
        }
        self.update_preview();
    }

    /// Computes what assigning the highlighted care manager would do.
    fn update_preview(&mut self) {
        let Some(Overlay::Picker(p)) = self.overlays.last() else { return };
        let Some(&cm) = p.rows.get(p.cursor.pos) else {
            if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
                p.preview = None;
            }
            return;
        };
        let practice = p.practice;
        let free = self.editor.plan.slots[practice as usize].iter().position(Option::is_none);
        let preview = free.and_then(|free| {
            let v = crate::plan::fit::preview(&self.ctx, &self.editor.plan, &self.now, practice, free, cm).ok()?;
            let shift = v.shifts.iter().find(|s| s.cm == cm);
            Some(Preview {
                cm,
                members: shift.map_or(self.now.count[cm as usize], |s| s.members_after),
                load: shift.map_or(self.now.load[cm as usize], |s| s.load_after),
                delta: shift.map_or(0, |s| i64::from(s.members_after) - i64::from(s.members_before)),
                overflow_after: v.overflow_after,
            })
        });
        if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
            p.preview = preview;
        }
    }

    /// Counties and waivers to filter practices by.
    fn facet_options(&self) -> Vec<Option<Facet>> {
        let mut counties: Vec<String> =
            self.ds.roster.practices.iter().map(|p| p.place()).filter(|c| !c.is_empty()).collect();
        counties.sort();
        counties.dedup();
        let mut waivers: Vec<String> =
            self.ds.assessments.iter().map(|a| a.waiver.clone()).filter(|w| !w.is_empty()).collect();
        waivers.sort();
        waivers.dedup();
        std::iter::once(None)
            .chain(counties.into_iter().map(|c| Some(Facet::County(c))))
            .chain(waivers.into_iter().map(|w| Some(Facet::Waiver(w))))
            .collect()
    }
}

/// Where the app is.
pub enum Phase {
    Loading(Arc<Progress>),
    Failed(String),
    Ready(Box<Model>),
}

pub struct App {
    pub phase: Phase,
    pub screen: Screen,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub quit: bool,
    /// One-line message shown in the footer.
    pub status: String,
    /// False when NO_COLOR is set: selection and marks then use reverse video and symbols only.
    pub color: bool,
}

/// Rows of a main list that fit on screen: total rows less header (3), table border and
/// heading (3), footer (1), and one row kept for the cut line.
pub fn table_rows(size: (u16, u16)) -> usize {
    (size.1 as usize).saturating_sub(8).max(1)
}

/// Rows of the member list in a practice's detail window.
pub fn detail_rows(size: (u16, u16)) -> usize {
    (size.1 as usize).saturating_sub(12).max(1)
}

/// Rows of the care-manager picker.
pub fn picker_rows(size: (u16, u16)) -> usize {
    (size.1 as usize).saturating_sub(10).max(1)
}

impl App {
    pub fn new(size: (u16, u16), progress: Arc<Progress>, color: bool) -> Self {
        App {
            phase: Phase::Loading(progress),
            screen: Screen::Practices,
            size,
            quit: false,
            status: String::new(),
            color,
        }
    }

    /// The footer context: which keys work here.
    pub fn context(&self) -> &'static str {
        let Phase::Ready(m) = &self.phase else { return "other" };
        if m.practice_query.typing || m.cm_query.typing {
            return "input";
        }
        match (m.overlays.last(), self.screen) {
            (Some(Overlay::Picker(p)), _) if p.query.typing => "input",
            (Some(Overlay::Picker(_)), _) => "picker",
            (Some(Overlay::Detail(_)), _) => "detail",
            (Some(Overlay::Choice(_)), _) => "choice",
            (Some(Overlay::Proposal(_)), _) => "proposal",
            (Some(_), _) => "other",
            (None, Screen::Practices) => "practices",
            (None, Screen::CareManagers) => "cms",
            (None, Screen::Supervisors) => "supervisors",
            (None, Screen::Review) => "review",
            (None, Screen::Help) => "other",
        }
    }
}

/// Applies one message.
pub fn update(app: &mut App, msg: Msg) {
    match msg {
        Msg::Resize(w, h) => {
            app.size = (w, h);
            if let Phase::Ready(m) = &mut app.phase {
                m.practice_cursor.fit(m.practice_rows.len(), table_rows(app.size));
                m.cm_cursor.fit(m.cm_rows.len(), table_rows(app.size));
            }
        }
        Msg::Loaded(Ok(loaded)) => {
            let (ds, analysis) = *loaded;
            let skipped = ds.problems.errors;
            let (model, note) = Model::new(ds, analysis);
            app.status = match (skipped, note.is_empty()) {
                (0, _) => note,
                (n, true) => format!("{n} bad rows skipped; `carealign check` lists them"),
                (n, false) => format!("{n} bad rows skipped; {note}"),
            };
            app.phase = Phase::Ready(Box::new(model));
        }
        Msg::Loaded(Err(e)) => app.phase = Phase::Failed(e.to_string()),
        Msg::Key(key) => {
            if !type_into_query(app, key)
                && let Some(a) = keymap::action(key)
            {
                act(app, a);
            }
        }
        Msg::Action(action) => act(app, action),
    }
}

/// Feeds a key to the active text query, if any. Returns whether it was consumed.
fn type_into_query(app: &mut App, key: KeyEvent) -> bool {
    let screen = app.screen;
    let Phase::Ready(m) = &mut app.phase else { return false };
    if matches!(m.overlays.last(), Some(Overlay::ConfirmQuit)) {
        let choice = match key.code {
            KeyCode::Char('s') | KeyCode::Char('y') => Some(true),
            KeyCode::Char('q') | KeyCode::Char('n') => Some(false),
            KeyCode::Esc => None,
            _ => return true,
        };
        m.overlays.pop();
        match choice {
            Some(true) => {
                app.status = save(m);
                app.quit = !m.editor.is_dirty();
            }
            Some(false) => app.quit = true,
            None => app.status = "quit cancelled".into(),
        }
        return true;
    }
    let query = match m.overlays.last_mut() {
        Some(Overlay::Picker(p)) if p.query.typing => &mut p.query,
        Some(_) => return false,
        None if screen == Screen::Practices && m.practice_query.typing => &mut m.practice_query,
        None if screen == Screen::CareManagers && m.cm_query.typing => &mut m.cm_query,
        None => return false,
    };
    match key.code {
        KeyCode::Char(c) => query.text.push(c),
        KeyCode::Backspace => {
            query.text.pop();
        }
        KeyCode::Enter => query.typing = false,
        KeyCode::Esc => {
            query.text.clear();
            query.typing = false;
        }
        // Moving in the list while typing keeps the query open.
        KeyCode::Up | KeyCode::Down => return false,
        _ => return true,
    }
    let page = table_rows(app.size);
    match m.overlays.last() {
        Some(Overlay::Picker(_)) => m.refresh_picker(),
        _ if screen == Screen::Practices => {
            m.refresh_practices();
            m.practice_cursor.fit(m.practice_rows.len(), page);
        }
        _ => {
            m.refresh_cms();
            m.cm_cursor.fit(m.cm_rows.len(), page);
        }
    }
    true
}

fn save(m: &mut Model) -> String {
    if file::Stamp::of(&m.plan_path) != m.plan_stamp && !m.overwrite_armed {
        m.overwrite_armed = true;
        return format!(
            "{} changed on disk since it was loaded (another user?); s again overwrites it",
            m.plan_path.display()
        );
    }
    match file::save(&m.ds, &m.editor.plan, &m.plan_path) {
        Ok(()) => {
            m.plan_stamp = file::Stamp::of(&m.plan_path);
            m.overwrite_armed = false;
            m.editor.mark_saved();
            format!("saved {} ({} practices assigned)", m.plan_path.display(), m.editor.plan.assigned_practices())
        }
        Err(e) => format!("not saved: {e}"),
    }
}

fn act(app: &mut App, action: Action) {
    let size = app.size;
    let Phase::Ready(m) = &mut app.phase else {
        match action {
            Action::Quit => app.quit = true,
            Action::Help => app.screen = Screen::Help,
            Action::Back if app.screen == Screen::Help => app.screen = Screen::Practices,
            _ => {}
        }
        return;
    };
    // Actions that work everywhere.
    match action {
        Action::Quit => {
            if m.editor.is_dirty() {
                m.overlays.push(Overlay::ConfirmQuit);
            } else {
                app.quit = true;
            }
            return;
        }
        Action::Help => {
            app.screen = Screen::Help;
            return;
        }
        Action::Screen(n) => {
            m.overlays.clear();
            app.screen = match n {
                2 => Screen::CareManagers,
                3 => Screen::Supervisors,
                4 => Screen::Review,
                _ => Screen::Practices,
            };
            return;
        }
        Action::NextScreen => {
            m.overlays.clear();
            app.screen = match app.screen {
                Screen::Practices => Screen::CareManagers,
                Screen::CareManagers => Screen::Supervisors,
                Screen::Supervisors => Screen::Review,
                Screen::Review => Screen::Help,
                Screen::Help => Screen::Practices,
            };
            return;
        }
        Action::Suggest => {
            let data = crate::plan::suggest::Data::new(&m.analysis, m.threshold());
            let inputs = data.inputs(&m.ctx);
            let before = inputs.figures(&m.editor.plan, &m.start);
            let proposal = inputs.suggest(&m.editor.plan, &m.start);
            if proposal.edit.slots.is_empty() {
                app.status = "every high-volume practice already has a care manager".into();
            } else {
                m.overlays.push(Overlay::Proposal(Box::new(ProposalView {
                    proposal,
                    before,
                    cursor: Cursor::default(),
                })));
            }
            return;
        }
        Action::Export => {
            let out = m.ds.dir.join("exports");
            app.status = match m.snapshot().write_all(&out) {
                Ok(files) => format!("exported {} files to {}", files.len(), out.display()),
                Err(e) => format!("not exported: {e}"),
            };
            return;
        }
        Action::Undo | Action::Redo => {
            let done = if action == Action::Undo { m.editor.undo() } else { m.editor.redo() };
            app.status = match (done, action) {
                (true, Action::Undo) => "undone".into(),
                (true, _) => "redone".into(),
                (false, Action::Undo) => "nothing to undo".into(),
                (false, _) => "nothing to redo".into(),
            };
            m.rebalance();
            return;
        }
        Action::Save => {
            app.status = save(m);
            return;
        }
        Action::ThresholdUp | Action::ThresholdDown => {
            let t = m.threshold();
            let t = if action == Action::ThresholdUp { t.saturating_add(1) } else { t.saturating_sub(1).max(1) };
            m.editor.set_threshold(t);
            app.status = format!("threshold {}: {} high-volume practices", t, m.high_volume());
            return;
        }
        _ => {}
    }
    if app.screen == Screen::Help {
        if action == Action::Back {
            app.screen = Screen::Practices;
        }
        return;
    }
    match m.overlays.last_mut() {
        Some(Overlay::Picker(p)) => {
            let page = picker_rows(size);
            if p.cursor.navigate(action, p.rows.len(), page) {
                m.update_preview();
                return;
            }
            match action {
                Action::Back => {
                    m.overlays.pop();
                }
                Action::Filter => p.query.typing = true,
                Action::Open | Action::Assign => {
                    let (practice, cm) = (p.practice, p.rows.get(p.cursor.pos).copied());
                    let Some(cm) = cm else { return };
                    m.overlays.pop();
                    app.status = match m.editor.assign(practice, cm) {
                        Ok(()) => format!(
                            "assigned {} to {}",
                            m.ds.care_managers[cm as usize].name, m.ds.roster.practices[practice as usize].name
                        ),
                        Err(e) => e.to_string(),
                    };
                    m.rebalance();
                }
                _ => {}
            }
        }
        Some(Overlay::Facets(f)) => {
            if f.cursor.navigate(action, f.options.len(), picker_rows(size)) {
                return;
            }
            match action {
                Action::Back => {
                    m.overlays.pop();
                }
                Action::Open => {
                    m.facet = f.options[f.cursor.pos].clone();
                    m.overlays.pop();
                    m.refresh_practices();
                    m.practice_cursor = Cursor::default();
                }
                _ => {}
            }
        }
        Some(Overlay::Proposal(v)) => {
            if v.cursor.navigate(action, v.proposal.edit.slots.len(), picker_rows(size)) {
                return;
            }
            match action {
                Action::Back => {
                    m.overlays.pop();
                    app.status = "proposal rejected".into();
                }
                Action::Open => {
                    let edit = v.proposal.edit.clone();
                    let summary = v.proposal.figures.summary();
                    m.overlays.pop();
                    m.editor.commit(edit);
                    m.rebalance();
                    app.status = format!("accepted (u undoes): {summary}");
                }
                _ => {}
            }
        }
        Some(Overlay::Choice(c)) => {
            if c.cursor.navigate(action, c.options.len(), picker_rows(size)) {
                return;
            }
            match action {
                Action::Back => {
                    m.overlays.pop();
                }
                Action::Open => {
                    let (member, choice) = (c.member, c.options[c.cursor.pos]);
                    m.overlays.pop();
                    m.editor.decide(member, choice);
                    app.status = match choice {
                        Some(p) => format!("member now counted with {}", m.ds.roster.practices[p as usize].name),
                        None => "decision cleared".into(),
                    };
                    m.rebalance();
                }
                _ => {}
            }
        }
        Some(Overlay::Detail(d)) => {
            let practice = d.practice;
            let n = m.ctx.members_at(&m.editor.plan, practice).len();
            if d.cursor.navigate(action, n, detail_rows(size)) {
                return;
            }
            match action {
                Action::Back => {
                    m.overlays.pop();
                }
                Action::Left => d.slot = 0,
                Action::Right => d.slot = 1,
                Action::Assign => open_picker(app, practice),
                Action::Unassign => {
                    let slot = d.slot;
                    app.status = match m.editor.unassign(practice, slot) {
                        Ok(()) => "unassigned".into(),
                        Err(e) => e.to_string(),
                    };
                    if let Some(Overlay::Detail(d)) = m.overlays.last_mut() {
                        d.slot = 0;
                    }
                    m.rebalance();
                }
                Action::Swap => {
                    m.editor.swap(practice);
                    m.rebalance();
                }
                _ => {}
            }
        }
        Some(Overlay::ConfirmQuit) => {}
        None => match app.screen {
            Screen::Practices => practices_action(app, action),
            Screen::CareManagers => {
                if m.cm_cursor.navigate(action, m.cm_rows.len(), table_rows(size)) {
                    return;
                }
                match action {
                    Action::Sort => {
                        m.cm_sort = match m.cm_sort {
                            CmSort::Utilization => CmSort::Name,
                            CmSort::Name => CmSort::Moves,
                            CmSort::Moves => CmSort::Utilization,
                        };
                        m.refresh_cms();
                    }
                    Action::Filter => m.cm_query.typing = true,
                    Action::Back => {
                        m.cm_query = Query::default();
                        m.refresh_cms();
                    }
                    _ => {}
                }
            }
            Screen::Supervisors => {
                if m.sup_cursor.navigate(action, m.sup_rows.len(), table_rows(size)) {
                    return;
                }
                if action == Action::Open {
                    match m.sup_rows.get(m.sup_cursor.pos) {
                        Some(SupRow::Supervisor(s)) => {
                            let s = *s;
                            if !m.sup_open.remove(&s) {
                                m.sup_open.insert(s);
                            }
                        }
                        Some(SupRow::Cm(c)) => {
                            let c = *c;
                            if !m.cm_open.remove(&c) {
                                m.cm_open.insert(c);
                            }
                        }
                        _ => {}
                    }
                    m.refresh_supervisors();
                    m.sup_cursor.fit(m.sup_rows.len(), table_rows(size));
                }
            }
            Screen::Review => {
                if m.review_cursor.navigate(action, m.review_rows.len(), table_rows(size)) {
                    return;
                }
                if action == Action::Open
                    && let Some(&member) = m.review_rows.get(m.review_cursor.pos)
                {
                    let mm = &m.analysis.members[member as usize];
                    let mut options: Vec<Option<u32>> = mm.report.candidates.iter().map(|&p| Some(p)).collect();
                    for p in [mm.report.practice, mm.claims_practice].into_iter().flatten() {
                        if !options.contains(&Some(p)) {
                            options.push(Some(p));
                        }
                    }
                    options.push(None);
                    m.overlays.push(Overlay::Choice(Choice { member, options, cursor: Cursor::default() }));
                }
            }
            Screen::Help => {}
        },
    }
}

fn practices_action(app: &mut App, action: Action) {
    let page = table_rows(app.size);
    let Phase::Ready(m) = &mut app.phase else { return };
    if m.practice_cursor.navigate(action, m.practice_rows.len(), page) {
        return;
    }
    let selected = m.selected_practice();
    match action {
        Action::Open => {
            if let Some(p) = selected {
                m.overlays.push(Overlay::Detail(Detail { practice: p, cursor: Cursor::default(), slot: 0 }));
            }
        }
        Action::Assign => {
            if let Some(p) = selected {
                open_picker(app, p);
            }
        }
        Action::Unassign => {
            if let Some(p) = selected {
                let last = if m.editor.plan.slots[p as usize][1].is_some() { 1 } else { 0 };
                app.status = match m.editor.unassign(p, last) {
                    Ok(()) => "unassigned".into(),
                    Err(e) => e.to_string(),
                };
                m.rebalance();
            }
        }
        Action::Swap => {
            if let Some(p) = selected {
                m.editor.swap(p);
                m.rebalance();
            }
        }
        Action::Sort => {
            m.practice_sort = match m.practice_sort {
                PracticeSort::Rank => PracticeSort::Name,
                PracticeSort::Name => PracticeSort::Hcbs,
                PracticeSort::Hcbs => PracticeSort::Overflow,
                PracticeSort::Overflow => PracticeSort::Rank,
            };
            m.refresh_practices();
        }
        Action::Filter => m.practice_query.typing = true,
        Action::Facet => {
            let options = m.facet_options();
            m.overlays.push(Overlay::Facets(Facets { options, cursor: Cursor::default() }));
        }
        Action::Back => {
            m.practice_query = Query::default();
            m.facet = None;
            m.refresh_practices();
            m.practice_cursor.fit(m.practice_rows.len(), page);
        }
        _ => {}
    }
}

/// Opens the care-manager picker for a practice, unless it already has two.
fn open_picker(app: &mut App, practice: u32) {
    let Phase::Ready(m) = &mut app.phase else { return };
    if m.editor.plan.slots[practice as usize].iter().all(Option::is_some) {
        app.status = crate::plan::PlanError::Full.to_string();
        return;
    }
    m.overlays.push(Overlay::Picker(Picker {
        practice,
        query: Query::default(),
        rows: Vec::new(),
        cursor: Cursor::default(),
        preview: None,
    }));
    m.refresh_picker();
}

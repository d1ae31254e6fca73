//! Cost of the figures the screens recompute after a change, at state scale (20,000
//! practices, 3,000 care managers, about 300,000 HCBS members, 1.6 M claim lines): coverage
//! by county, the health-system rollup, and the unsaved-changes check asked every frame.

use std::sync::LazyLock;

use carealign::analysis::Analysis;
use carealign::export::Snapshot;
use carealign::ingest::{self, Dataset, LoadOptions, Progress};
use carealign::plan::{Editor, Plan, PlanContext};
use carealign::sample::{SampleSpec, generate};
use divan::{Bencher, black_box};

struct State {
    _dir: tempfile::TempDir,
    ds: Dataset,
    analysis: Analysis,
    ctx: PlanContext,
    plan: Plan,
}

/// Data, analysis, and a plan with one CM at each of the top 2,000 practices.
static STATE: LazyLock<State> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 4);
    spec.care_managers = 3_000;
    spec.lines = Some(1_600_000);
    generate(dir.path(), &spec).unwrap();
    let ds = ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let ctx = PlanContext::new(&ds, &analysis);
    let mut plan = Plan::empty(ds.roster.practices.len());
    for (i, r) in analysis.ranked.iter().take(2_000).enumerate() {
        plan.slots[r.practice as usize][0] = Some((i % ds.care_managers.len()) as u32);
    }
    State { _dir: dir, ds, analysis, ctx, plan }
});

fn main() {
    divan::main();
}

/// coverage.csv / the Counties screen: every county's figures for a plan.
#[divan::bench(sample_count = 5)]
fn coverage_by_county(bencher: Bencher) {
    let s = &*STATE;
    let start = s.ctx.start();
    let now = s.ctx.balance(&s.plan);
    let snap = Snapshot {
        ds: &s.ds,
        analysis: &s.analysis,
        ctx: &s.ctx,
        plan: &s.plan,
        threshold: 20,
        start: &start,
        now: &now,
    };
    bencher.bench(|| black_box(carealign::coverage::coverage(&snap).rows.len()));
}

/// `rank --by system` / the grouped Practices screen.
#[divan::bench(sample_count = 5)]
fn health_system_rollup(bencher: Bencher) {
    let s = &*STATE;
    let hcbs: Vec<u32> = {
        let mut v = vec![0; s.ds.roster.practices.len()];
        for r in &s.analysis.ranked {
            v[r.practice as usize] = r.hcbs_members;
        }
        v
    };
    bencher.bench(|| black_box(carealign::systems::rollup(&s.ds, &s.analysis.ranked, &hcbs).len()));
}

/// The header's "unsaved changes": a full comparison with the saved plan, every frame.
#[divan::bench]
fn unsaved_check(bencher: Bencher) {
    let s = &*STATE;
    let mut editor = Editor::new(s.plan.clone(), 20);
    editor.set_threshold(21);
    editor.set_threshold(20);
    bencher.bench(|| black_box(editor.is_dirty()));
}

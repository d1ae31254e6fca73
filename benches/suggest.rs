//! Auto-suggest against the simple baseline (the care manager with most spare room, ignoring
//! continuity and county) on generated data at several sizes, with timings. The figures are
//! printed before the timed runs; the brute-force comparison on small instances is a unit test
//! (`plan::suggest::tests`).

use std::sync::LazyLock;
use std::time::Instant;

use carealign::analysis::Analysis;
use carealign::ingest::{self, Dataset, LoadOptions, Progress};
use carealign::plan::suggest::Data;
use carealign::plan::{Plan, PlanContext};
use carealign::sample::{SampleSpec, generate};
use divan::Bencher;

struct World {
    _dir: tempfile::TempDir,
    ds: Dataset,
    analysis: Analysis,
    ctx: PlanContext,
}

fn world(members: usize, practices: usize, cms: usize) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(members, practices, 9);
    spec.care_managers = cms;
    spec.lines = Some(members as u64 * 2);
    generate(dir.path(), &spec).unwrap();
    let ds = ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let ctx = PlanContext::new(&ds, &analysis);
    World { _dir: dir, ds, analysis, ctx }
}

static STATE: LazyLock<World> = LazyLock::new(|| world(800_000, 20_000, 3_000));

fn main() {
    for (members, practices, cms) in [(5_000, 150, 40), (50_000, 1_500, 400), (200_000, 6_000, 1_500)] {
        let w = world(members, practices, cms);
        report(&format!("{members} members, {practices} practices, {cms} CMs"), &w);
    }
    report("800000 members, 20000 practices, 3000 CMs", &STATE);
    divan::main();
}

fn report(label: &str, w: &World) {
    let data = Data::new(&w.analysis, w.ds.config.threshold);
    let inputs = data.inputs(&w.ctx);
    let start = w.ctx.start();
    let empty = Plan::empty(w.ds.roster.practices.len());
    let t = Instant::now();
    let ours = inputs.suggest(&empty, &start);
    let ours_time = t.elapsed();
    let t = Instant::now();
    let base = inputs.baseline(&empty, &start);
    let base_time = t.elapsed();
    println!("{label} ({} HCBS members):", w.ds.assessments.len());
    println!("  auto-suggest {:>6.0} ms: {}", ours_time.as_secs_f64() * 1000.0, ours.figures.summary());
    println!("  baseline     {:>6.0} ms: {}", base_time.as_secs_f64() * 1000.0, base.figures.summary());
}

/// Auto-suggest at state scale: 20,000 practices, 3,000 care managers, ~300,000 members.
#[divan::bench(sample_count = 3)]
fn suggest_state_scale(bencher: Bencher) {
    let w = &*STATE;
    let data = Data::new(&w.analysis, w.ds.config.threshold);
    let start = w.ctx.start();
    let empty = Plan::empty(w.ds.roster.practices.len());
    bencher.bench(|| data.inputs(&w.ctx).suggest(&empty, &start).figures);
}

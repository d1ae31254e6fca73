//! One application of the caseload rule at state scale (20,000 practices, 3,000 care managers,
//! about 300,000 HCBS members): the work every plan-changing keystroke does before drawing.
//! The keystroke budget is 16 ms. Three plans: none assigned, auto-suggest's (every
//! high-volume practice), and two CMs on every practice (every member in play: the worst case).

use std::sync::LazyLock;

use carealign::analysis::Analysis;
use carealign::ingest::{self, LoadOptions, Progress};
use carealign::plan::suggest::Data;
use carealign::plan::{Plan, PlanContext};
use carealign::sample::{SampleSpec, generate};
use divan::Bencher;

struct World {
    ctx: PlanContext,
    suggested: Plan,
    everywhere: Plan,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 4);
    spec.care_managers = 3_000;
    spec.lines = Some(1_600_000);
    generate(dir.path(), &spec).unwrap();
    let ds = ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let ctx = PlanContext::new(&ds, &analysis);
    let start = ctx.start();
    let data = Data::new(&analysis, ds.config.threshold);
    let suggested = data.inputs(&ctx).suggest(&Plan::empty(ctx.practices()), &start).plan;
    let n = ctx.care_managers() as u32;
    let mut everywhere = Plan::empty(ctx.practices());
    for (p, slots) in everywhere.slots.iter_mut().enumerate() {
        let p = p as u32;
        *slots = [Some(p % n), Some((p * 7 + 1) % n)];
        if slots[0] == slots[1] {
            slots[1] = None;
        }
    }
    eprintln!(
        "{} HCBS members, {} practices, {} CMs; auto-suggest assigned {} practices",
        ctx.members(),
        ctx.practices(),
        ctx.care_managers(),
        suggested.assigned_practices()
    );
    World { ctx, suggested, everywhere }
});

fn main() {
    LazyLock::force(&WORLD);
    divan::main();
}

#[divan::bench(sample_count = 30)]
fn balance_empty_plan(bencher: Bencher) {
    let w = &*WORLD;
    let plan = Plan::empty(w.ctx.practices());
    bencher.bench(|| w.ctx.balance(&plan));
}

#[divan::bench(sample_count = 30)]
fn balance_suggested_plan(bencher: Bencher) {
    let w = &*WORLD;
    bencher.bench(|| w.ctx.balance(&w.suggested));
}

#[divan::bench(sample_count = 30)]
fn balance_every_practice_assigned(bencher: Bencher) {
    let w = &*WORLD;
    bencher.bench(|| w.ctx.balance(&w.everywhere));
}

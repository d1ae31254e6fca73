//! Before → after figures of plans on a data directory, for the README and the issue notes:
//! a 10-practice hand plan (two CMs on each of the top 10 practices, each the picker's first
//! choice at that moment, as a user would pick), auto-suggest from an empty plan, and the
//! simple baseline (most spare room first), with timings.
//!
//! `cargo run --release --example plan_figures -- DIR`

use std::time::Instant;

use carealign::analysis::Analysis;
use carealign::ingest::{self, LoadOptions, Progress};
use carealign::plan::suggest::{Data, Figures};
use carealign::plan::{Editor, Plan, PlanContext, fit};

fn line(label: &str, b: &Figures, f: &Figures) {
    println!(
        "{label:<22} CMs over capacity {} → {}; overflow {} → {}; members aligned {} → {} (of {} at high-volume practices); members moved {} → {}; covered {}/{}",
        b.over_capacity,
        f.over_capacity,
        b.overflow,
        f.overflow,
        b.aligned,
        f.aligned,
        f.hv_members,
        b.members_changed,
        f.members_changed,
        f.covered,
        f.high_volume
    );
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "sample-data".into());
    let ds = ingest::load(dir.as_ref(), LoadOptions::default(), &Progress::default()).expect("load");
    let analysis = Analysis::new(&ds);
    let ctx = PlanContext::new(&ds, &analysis);
    let start = ctx.start();
    let data = Data::new(&analysis, ds.config.threshold);
    let inputs = data.inputs(&ctx);
    let empty = Plan::empty(ctx.practices());
    let before = inputs.figures(&empty, &start);
    println!(
        "{dir}: {} HCBS members, {} practices ({} high-volume), {} CMs",
        ctx.members(),
        ctx.practices(),
        data.high_volume.len(),
        ctx.care_managers()
    );

    let mut editor = Editor::new(empty.clone(), ds.config.threshold);
    let mut now = start.clone();
    let mut full_picks = 0;
    for r in analysis.ranked.iter().take(10) {
        for slot in 0..2 {
            let Some(first) = fit::picker_order(&ctx, &editor.plan, &now, r.practice, |_| true).first().copied() else {
                continue;
            };
            full_picks += usize::from(!first.has_room);
            editor.fill(r.practice, slot, first.cm).expect("fill");
            now = ctx.balance(&editor.plan);
        }
    }
    line("hand plan (top 10)", &before, &inputs.figures(&editor.plan, &start));
    if full_picks > 0 {
        println!("  ({full_picks} picks had no CM with room left)");
    }

    let t = Instant::now();
    let proposal = inputs.suggest(&empty, &start);
    let took = t.elapsed();
    line("auto-suggest", &before, &proposal.figures);
    println!("  {:.0} ms: {}", took.as_secs_f64() * 1000.0, proposal.totals());
    let t = Instant::now();
    let base = inputs.baseline(&empty, &start);
    let took = t.elapsed();
    line("baseline (most room)", &before, &base.figures);
    println!("  {:.0} ms", took.as_secs_f64() * 1000.0);
}

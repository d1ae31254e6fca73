//! Self-report matching at state scale (SPEC goal: 300,000 answers against 20,000 practices in
//! under 3 s on 2 cores): the distinct answers alone, every member with their claims and
//! county, and the review queue built from the result. Run with `cargo bench --bench matching`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use carealign::ingest::{self, Dataset, LoadOptions, Progress};
use carealign::matching::{self, Matcher, review};
use carealign::rank;
use carealign::sample::{SampleSpec, generate};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

/// 20,000 practices and about 300,000 HCBS answers (one claim line per member keeps it quick).
static DATA: LazyLock<(tempfile::TempDir, Dataset)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 3);
    spec.lines = Some(800_000);
    generate(dir.path(), &spec).unwrap();
    let ds = ingest::load(dir.path(), LoadOptions::default(), &Progress::default()).unwrap();
    (dir, ds)
});

fn main() {
    divan::main();
}

/// Every member resolved: matcher built, distinct answers matched in parallel, then each
/// member's claims and county applied.
#[divan::bench(sample_count = 5)]
fn resolve_300k_members(bencher: Bencher) {
    let ds = &DATA.1;
    let attribution = rank::claims_attribution(&ds.claims);
    bencher.counter(ItemsCount::new(ds.assessments.len())).bench(|| {
        black_box(matching::resolve_members(ds, &attribution));
    });
}

/// Only the answers, each distinct one matched once (the matcher built outside the timing).
#[divan::bench(sample_count = 5)]
fn match_distinct_answers(bencher: Bencher) {
    let ds = &DATA.1;
    let matcher = Matcher::new(&ds.roster, &ds.config.non_answers);
    bencher.counter(ItemsCount::new(ds.assessments.len())).bench(|| {
        black_box(matching::member::match_distinct(&matcher, ds.assessments.iter().map(|a| a.pcp_response.as_str())));
    });
}

/// The review queue with its candidates, fitting clinicians and claims.
#[divan::bench(sample_count = 5)]
fn review_queue(bencher: Bencher) {
    let ds = &DATA.1;
    let members = matching::resolve_members(ds, &rank::claims_attribution(&ds.claims));
    bencher.bench(|| black_box(review::queue(ds, &members, &BTreeMap::new()).len()));
}

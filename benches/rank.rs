//! Benchmarks of the hot paths on generated data: reading and ranking claims, and matching
//! self-reported answers. Run with `cargo bench`; data is generated once into a temp dir.

use std::sync::LazyLock;

use carealign::analysis::Analysis;
use carealign::ingest::{self, LoadOptions, Progress};
use carealign::matching::Matcher;
use carealign::rank;
use carealign::sample::{SampleSpec, generate};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

/// 250,000 members × about 8 lines: 2 million claim lines, 3,000 practices.
static CLAIMS_2M: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(250_000, 3_000, 1);
    spec.lines = Some(2_000_000);
    generate(dir.path(), &spec).unwrap();
    dir
});

/// 20,000 practices and about 300,000 HCBS answers (one claim line per member keeps it quick).
static ANSWERS_300K: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = SampleSpec::new(800_000, 20_000, 2);
    spec.lines = Some(800_000);
    generate(dir.path(), &spec).unwrap();
    dir
});

fn main() {
    divan::main();
}

/// Read claims.csv (parse + aggregate in parallel) and rank the practices.
#[divan::bench(sample_count = 5)]
fn read_and_rank_2m_lines(bencher: Bencher) {
    let dir = CLAIMS_2M.path();
    let lines = ingest::load(dir, LoadOptions::default(), &Progress::default()).unwrap().claims.stats.rows;
    bencher.counter(ItemsCount::new(lines)).bench(|| {
        let ds = ingest::load(dir, LoadOptions::default(), &Progress::default()).unwrap();
        black_box(rank::rank_practices(&ds.roster, &ds.claims, &[]))
    });
}

/// Match every HCBS answer (about 300,000) against 20,000 practices.
#[divan::bench(sample_count = 3)]
fn match_300k_answers(bencher: Bencher) {
    let ds = ingest::load(ANSWERS_300K.path(), LoadOptions::default(), &Progress::default()).unwrap();
    let attribution = rank::claims_attribution(&ds.claims);
    bencher.counter(ItemsCount::new(ds.assessments.len())).bench(|| {
        black_box(carealign::matching::resolve_members(&ds, &attribution));
    });
}

/// Building the matcher's indexes (once per load).
#[divan::bench(sample_count = 3)]
fn build_matcher_20k_practices(bencher: Bencher) {
    let ds = ingest::load(ANSWERS_300K.path(), LoadOptions::default(), &Progress::default()).unwrap();
    bencher.bench(|| {
        black_box(Matcher::new(&ds.roster, &ds.config.non_answers));
    });
}

/// The whole analysis after loading: attribution, matching and ranking.
#[divan::bench(sample_count = 3)]
fn analysis_300k_members(bencher: Bencher) {
    let ds = ingest::load(ANSWERS_300K.path(), LoadOptions::default(), &Progress::default()).unwrap();
    bencher.bench(|| black_box(Analysis::new(&ds).ranked.len()));
}

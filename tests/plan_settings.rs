//! What is saved is what is exported: the plan's threshold goes to plan.toml and its review
//! decisions to review.csv beside plan.csv; a restart loads them; and the TUI's export (the
//! library calls its `s` and `e` keys make) and `carealign export --plan` write the same bytes.

mod common;

use std::fs;
use std::path::Path;

use carealign::analysis::Analysis;
use carealign::export::Snapshot;
use carealign::ingest::{self, LoadOptions, Progress};
use carealign::matching::MatchStatus;
use carealign::plan::{PlanContext, file};

/// Export files of a directory, by name, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn threshold_and_review_are_saved_reloaded_and_exported_alike() {
    let data = common::sample(3000, 80, 4);
    let dir = data.path();
    let ds = ingest::load(dir, LoadOptions::default(), &Progress::default()).unwrap();
    let analysis = Analysis::new(&ds);
    let ctx = PlanContext::new(&ds, &analysis);
    let start = ctx.start();
    let plan_path = dir.join(file::PLAN_FILE);

    // The TUI's start: no plan yet, the configured threshold.
    let loaded = file::load(&ds, &plan_path).unwrap();
    assert_eq!(loaded.threshold, None);
    let mut editor = carealign::plan::Editor::new(loaded.plan, loaded.threshold.unwrap_or(ds.config.threshold));
    assert_eq!(editor.threshold, 20);

    // Change the threshold, assign, decide a review item, save.
    editor.set_threshold(3);
    let top = analysis.ranked[0].practice;
    editor.assign(top, 0).unwrap();
    editor.assign(analysis.ranked[1].practice, 1).unwrap();
    let (m, mm) = analysis
        .members
        .iter()
        .enumerate()
        .find(|(_, mm)| mm.report.status == MatchStatus::Ambiguous)
        .expect("the sample has ambiguous answers");
    editor.decide(m as u32, Some(mm.report.candidates[0]));
    assert!(editor.is_dirty());
    file::save(&ds, &editor.plan, editor.threshold, &plan_path).unwrap();
    editor.mark_saved();
    assert!(!editor.is_dirty());
    assert_eq!(fs::read_to_string(dir.join("plan.toml")).unwrap().lines().last(), Some("threshold = 3"));
    assert_eq!(fs::read_to_string(dir.join("review.csv")).unwrap().lines().count(), 2);

    // Restart: the same plan and threshold, nothing unsaved.
    let again = file::load(&ds, &plan_path).unwrap();
    assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    assert_eq!(again.threshold, Some(3));
    assert_eq!(again.plan, editor.plan);

    // `e` in the TUI and `carealign export --plan` write the same files.
    let tui_out = tempfile::tempdir().unwrap();
    let now = ctx.balance(&editor.plan);
    let snapshot = Snapshot {
        ds: &ds,
        analysis: &analysis,
        ctx: &ctx,
        plan: &editor.plan,
        threshold: editor.threshold,
        start: &start,
        now: &now,
    };
    snapshot.write_all(tui_out.path()).unwrap();
    let cli_out = tempfile::tempdir().unwrap();
    common::ok(&[
        "export",
        dir.to_str().unwrap(),
        "--out-dir",
        cli_out.path().to_str().unwrap(),
        "--plan",
        plan_path.to_str().unwrap(),
    ]);
    let tui_files = files(tui_out.path());
    assert!(tui_files.len() == 5, "{:?}", tui_files.iter().map(|f| &f.0).collect::<Vec<_>>());
    assert_eq!(tui_files, files(cli_out.path()), "byte-identical exports");
    // The decision shows as match_source = review, at the practice decided, not for review.
    let member_id = &ds.assessments[m].member_id;
    let decided = ds.roster.practices[mm.report.candidates[0] as usize].id.clone();
    let rows = common::read_rows(&cli_out.path().join("member_assignments.csv"));
    let row = rows.iter().find(|r| &r["member_id"] == member_id).expect("the decided member is exported");
    assert_eq!((row["match_source"].as_str(), &row["practice_id"]), ("review", &decided));
    assert_eq!(row["needs_review"], "N");
    assert_eq!(rows.iter().filter(|r| r["match_source"] == "review").count(), 1, "only the decided member");

    // The saved threshold matters: without plan.toml the CLI uses carealign.toml's 20, and
    // fewer practices are high volume.
    fs::remove_file(dir.join("plan.toml")).unwrap();
    let cfg_out = tempfile::tempdir().unwrap();
    common::ok(&["export", dir.to_str().unwrap(), "--out-dir", cfg_out.path().to_str().unwrap()]);
    let rows = |d: &Path| common::read_rows(&d.join("practice_assignments.csv")).len();
    assert!(rows(cfg_out.path()) < rows(cli_out.path()), "threshold 20 lists fewer practices than 3");
}

#[test]
fn a_bad_plan_toml_is_reported_and_the_configured_threshold_applies() {
    let data = common::sample(400, 15, 2);
    let dir = data.path();
    fs::write(dir.join("plan.csv"), "practice_id,slot,care_manager_id\n").unwrap();
    for (text, says) in [
        ("threshold = 0\n", "plan.toml: threshold 0 is not a whole number of duals of 1 or more"),
        ("threshold = \"ten\"\n", "is not a whole number"),
        ("# note\nthreshold = = 4\n", "plan.toml:2: not valid TOML"),
    ] {
        fs::write(dir.join("plan.toml"), text).unwrap();
        let out = tempfile::tempdir().unwrap();
        let o = common::ok(&["export", dir.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{text:?}: {err}");
    }
}

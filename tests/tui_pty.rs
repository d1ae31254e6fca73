//! The real binary under a pseudo-terminal (`script`), as a person runs it: an idle TUI uses
//! no CPU, and edits typed at the keyboard are never lost on quit.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A TUI running under `script`, with what it printed so far.
struct Tui {
    child: Child,
    stdin: ChildStdin,
    pid: u32,
    output: Arc<Mutex<Vec<u8>>>,
    /// Where in the output the next `wait_for` starts looking.
    mark: usize,
}

impl Tui {
    /// Starts `carealign DIR` at 100×30; `None` when there is no `script` to give a terminal.
    fn start(dir: &Path) -> Option<Tui> {
        if Command::new("script").arg("--version").output().is_err() {
            eprintln!("skipped: no `script` to provide a pseudo-terminal");
            return None;
        }
        let cmd = format!("stty rows 30 cols 100; exec {} {}", env!("CARGO_BIN_EXE_carealign"), dir.display());
        let mut child = Command::new("script")
            .args(["-qfec", &cmd, "/dev/null"])
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let pid = find_pid(dir).expect("carealign started");
        let mut tui = Tui { child, stdin, pid, output, mark: 0 };
        // A word drawn only once the data is loaded (ratatui moves the cursor between words).
        tui.wait_for("high-volume");
        Some(tui)
    }

    /// Waits until `text` (one word: ratatui moves the cursor between words) is drawn after
    /// what the previous wait saw.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let out = self.output.lock().unwrap();
            if let Some(at) = String::from_utf8_lossy(&out[self.mark..]).find(text) {
                self.mark += at + text.len();
                return;
            }
            drop(out);
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the TUI never showed {text:?}");
    }

    /// Types keys, pausing after each so the TUI handles them one by one.
    fn keys(&mut self, keys: &str) {
        for b in keys.bytes() {
            self.stdin.write_all(&[b]).unwrap();
            self.stdin.flush().unwrap();
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Types text in one write, as a fast typist or a paste would.
    fn text(&mut self, text: &str) {
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }

    fn alive(&self) -> bool {
        Path::new(&format!("/proc/{}", self.pid)).exists()
    }

    /// CPU time used so far, in clock ticks (1/100 s).
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).unwrap();
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap().split_whitespace().collect();
        // After the command name: state is field 3; utime and stime are fields 14 and 15.
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }

    fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !self.alive() {
                let _ = self.child.wait();
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = Command::new("kill").arg(self.pid.to_string()).stderr(Stdio::null()).status();
    }
}

/// The pid of the carealign process started on `dir`.
fn find_pid(dir: &Path) -> Option<u32> {
    let want = dir.display().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
            let args: Vec<String> =
                cmdline.split(|&b| b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
            if args.first().is_some_and(|a| a.ends_with("/carealign")) && args.get(1) == Some(&want) {
                return Some(pid);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_idle_tui_uses_no_cpu() {
    let data = common::sample(2000, 60, 5);
    let Some(tui) = Tui::start(data.path()) else { return };
    std::thread::sleep(Duration::from_secs(1));
    let before = tui.cpu_ticks();
    std::thread::sleep(Duration::from_secs(10));
    let used = tui.cpu_ticks() - before;
    // 1% of a core over 10 s is 10 ticks.
    assert!(used < 10, "an idle TUI used {used} ticks (1/100 s) of CPU in 10 s");
}

#[test]
fn save_undo_then_a_new_edit_still_asks_before_quitting() {
    let data = common::sample(2000, 60, 5);
    let Some(mut tui) = Tui::start(data.path()) else { return };
    // Assign the top practice, save, undo, assign the second practice instead.
    tui.keys("a\r");
    tui.keys("s");
    tui.wait_for("saved");
    assert!(data.path().join("plan.csv").exists());
    tui.keys("u");
    tui.keys("ja\r");
    tui.keys("q");
    std::thread::sleep(Duration::from_millis(500));
    assert!(tui.alive(), "q must ask: the plan differs from the saved one");
    tui.wait_for("quit?");
    tui.keys("y");
    assert!(tui.wait_exit(), "y saves and quits");
    let plan = std::fs::read_to_string(data.path().join("plan.csv")).unwrap();
    let rank = common::ok(&["rank", data.path().to_str().unwrap(), "--top", "2"]);
    let ranking = common::rows(&rank.stdout);
    assert_eq!(plan.lines().count(), 2, "one assignment: {plan}");
    assert!(plan.contains(&ranking[1]["practice_id"]), "the second practice's assignment was saved: {plan}");
}

#[test]
fn the_saved_threshold_comes_back_and_both_exports_agree() {
    let data = common::sample(2000, 60, 5);
    let dir = data.path();
    let Some(mut tui) = Tui::start(dir) else { return };
    // Raise the threshold, assign the top practice, decide a review item, save, export, quit.
    tui.keys("+++");
    tui.keys("a\r");
    tui.keys("4\r");
    tui.keys("s");
    tui.wait_for("saved");
    tui.keys("e");
    // ratatui redraws only the cells that change, so wait for the files, not a word.
    wait_for_file(&dir.join("exports").join("coverage.csv"));
    tui.keys("q");
    assert!(tui.wait_exit(), "saved: q quits at once");
    let config_threshold = 20;
    let plan_toml = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
    assert!(plan_toml.contains(&format!("threshold = {}", config_threshold + 3)), "{plan_toml}");
    assert_eq!(std::fs::read_to_string(dir.join("review.csv")).unwrap().lines().count(), 2, "one decision");

    // A new start shows the saved threshold ("threshold 23: 41 high-volume").
    let Some(mut again) = Tui::start(dir) else { return };
    again.mark = 0;
    again.wait_for("threshold");
    let shown =
        String::from_utf8_lossy(&again.output.lock().unwrap()[again.mark..]).chars().take(40).collect::<String>();
    assert!(shown.contains(&(config_threshold + 3).to_string()), "threshold shown as: {shown:?}");
    again.keys("q");
    assert!(again.wait_exit());

    // The CLI export of the saved plan writes the same files as the TUI's `e`.
    let out = tempfile::tempdir().unwrap();
    let plan = dir.join("plan.csv");
    common::ok(&[
        "export",
        dir.to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
    ]);
    for name in ["practice_assignments.csv", "member_assignments.csv", "caseloads.csv", "outreach.csv", "coverage.csv"]
    {
        let tui_file = std::fs::read(dir.join("exports").join(name)).unwrap();
        let cli_file = std::fs::read(out.path().join(name)).unwrap();
        assert!(tui_file == cli_file, "{name} differs between the TUI's e and carealign export --plan");
    }
}

/// Every letter typed after `/`, on every screen, goes into the filter: nothing is saved,
/// exported, undone or quit, and the plan stays unchanged (q then quits at once).
#[test]
fn typed_filter_text_never_runs_commands() {
    let data = common::sample(2000, 60, 5);
    let dir = data.path();
    let Some(mut tui) = Tui::start(dir) else { return };
    for screen in ["1", "2", "3", "4", "5"] {
        tui.keys(screen);
        tui.keys("/");
        tui.text("abcdefghijklmnopqrstuvwxyzASUE+-");
        tui.keys("\x1b");
        assert!(tui.alive(), "screen {screen}: typing into the filter must not quit");
    }
    for made in ["plan.csv", "plan.toml", "review.csv", "exports"] {
        assert!(!dir.join(made).exists(), "{made} written by text typed into a filter");
    }
    tui.keys("q");
    assert!(tui.wait_exit(), "nothing changed, so q quits at once");
}
